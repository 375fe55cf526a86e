"""Every backend the runner can run, by name."""

from __future__ import annotations

from readyterm.backends.bandit import BanditBackend
from readyterm.backends.base import Backend
from readyterm.backends.project.backend import ProjectBackend
from readyterm.backends.semgrep import SemgrepBackend
from readyterm.backends.staging.backend import StagingBackend
from readyterm.backends.suite.backend import SuiteBackend


def registry() -> dict[str, Backend]:
    return {
        "semgrep": SemgrepBackend(),
        "bandit": BanditBackend(),
        "project": ProjectBackend(),
        "staging": StagingBackend(),
        "suite": SuiteBackend(),
    }
