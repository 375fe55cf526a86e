"""`readyterm merge`: one result from the JSON results of CI jobs that ran different `--steps`.

A pipeline with several runners splits the checklist across jobs (a matrix over `--steps`);
each job gates on its own exit code. This puts their `--format json` outputs back together
into the result one run of every step would have given, so that one report and one verdict
come out of it. It reads files only: it never runs a check.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from readyterm.engine.result import ResultFormatError, RunResult, StepResult
from readyterm.foundation.errors import ReadytermError
from readyterm.foundation.steps import STEP_IDS

#: The skip reason of a step left out by `--steps` (readyterm/runner.py): every other job of
#: the matrix says this about a step one job ran, so another reason, if any, says more.
NOT_SELECTED = "not selected with --steps"


class MergeError(ReadytermError):
    """An input of `readyterm merge` cannot be used; the message names the file (exit 2)."""


def merge_files(paths: Sequence[Path]) -> RunResult:
    """Read each result and merge them, in the order given."""
    if not paths:
        raise MergeError(
            "merge: no results given; pass the RESULT.json files the CI jobs wrote "
            "with --output json:PATH"
        )
    return merge_results([(str(path), load_result(path)) for path in paths])


def load_result(path: Path) -> RunResult:
    """One `--format json` result, or a MergeError that names the file and what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MergeError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise MergeError(f"{path}: is a folder, not a result file") from None
    except UnicodeDecodeError:
        raise MergeError(f"{path}: not JSON (not UTF-8 text)") from None
    except OSError as exc:
        raise MergeError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    if not text.strip():
        raise MergeError(f"{path}: not JSON (the file is empty)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MergeError(
            f"{path}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise MergeError(
            f"{path}: not a readyterm result (a JSON {type(data).__name__}, not an object "
            'with "schema": "readyterm.result/1")'
        )
    try:
        return RunResult.from_dict(data)
    except ResultFormatError as exc:
        raise MergeError(f"{path}: {exc}") from None


def merge_results(results: Sequence[tuple[str, RunResult]]) -> RunResult:
    """The merged result of (name, result) pairs; names appear in error messages only."""
    if not results:
        raise MergeError("merge: no results given")
    _check_same_code(results)
    first = results[0][1]
    ran: dict[str, tuple[str, StepResult]] = {}
    for name, result in results:
        for step in result.steps:
            if step.status == "skipped":
                continue
            if step.id in ran:
                raise MergeError(
                    f"step {step.id!r} ran in both {ran[step.id][0]} and {name}: "
                    "give each CI job a different --steps"
                )
            ran[step.id] = (name, step)
    steps = [
        ran[step_id][1] if step_id in ran else _skipped(step_id, results) for step_id in STEP_IDS
    ]
    notices: list[str] = []
    for _, result in results:
        notices += [notice for notice in result.notices if notice not in notices]
    return RunResult(
        scope=first.scope,
        steps=steps,
        strict=any(result.strict for _, result in results),
        notices=notices,
        # A record written by one job covers that job's steps only, never the merged result.
        record=None,
    )


def _skipped(step_id: str, results: Sequence[tuple[str, RunResult]]) -> StepResult:
    """A step no job ran: skipped, with the most telling reason any job gave."""
    skips = [step for _, result in results for step in result.steps if step.id == step_id]
    telling = [step for step in skips if step.summary != NOT_SELECTED]
    return (telling or skips)[0]


def _check_same_code(results: Sequence[tuple[str, RunResult]]) -> None:
    """Every job must have judged the same content: the scope digest, else the head commit."""
    use_digest = all(result.scope.digest for _, result in results)
    label = "scope digest" if use_digest else "head commit"

    def identity(result: RunResult) -> str | None:
        return result.scope.digest if use_digest else result.scope.head

    first_name, first = results[0]
    for name, result in results[1:]:
        if identity(result) != identity(first):
            raise MergeError(
                f"{first_name} and {name} checked different code ({label} "
                f"{_short(identity(first))} vs {_short(identity(result))}): "
                "all jobs must check out the same commit"
            )


def _short(value: str | None) -> str:
    if not value:
        return "none"
    algorithm, sep, digest = value.partition(":")
    return f"{algorithm}:{digest[:12]}" if sep else value[:12]
