"""The checklist. Step ids are a stable API (docs/architecture.md, "Stable contracts")."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Question:
    """Something only the developer can answer; recorded as an attestation."""

    id: str
    text: str


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    question: str
    checked_by: str
    questions: tuple[Question, ...] = field(default=())


STEPS: tuple[Step, ...] = (
    Step(
        "environment",
        "Environment",
        "Does everything that differs between dev and prod come from the environment?",
        "semgrep rules",
    ),
    Step(
        "error-handling",
        "Error handling",
        "What happens when each external call is slow, rate-limited or down?",
        "semgrep rules",
    ),
    Step(
        "input-validation",
        "Input validation",
        "What does hostile input do?",
        "bandit + semgrep rules",
    ),
    Step(
        "concurrency",
        "Concurrency",
        "What do hundreds of simultaneous users do to it?",
        "semgrep rules",
    ),
    Step(
        "performance",
        "Performance",
        "What happens at a million rows?",
        "semgrep rules",
    ),
    Step(
        "logging",
        "Logging",
        "Will a failure leave enough behind to debug it without reproducing it?",
        "semgrep rules",
    ),
    Step(
        "monitoring",
        "Monitoring",
        "Will you know when it breaks?",
        "project-level checks + the developer's attestation",
        questions=(
            Question("alert", "Which alert fires when this change breaks in production?"),
            Question("dashboard", "Which dashboard or query shows its health?"),
            Question("on-call", "Who is on call for it?"),
        ),
    ),
    Step(
        "tests",
        "Tests",
        "Do the tests try to break the change, or only walk its happy path?",
        "the project's own test suite, run under coverage (this executes the project's code)",
    ),
    Step(
        "staging",
        "Staging",
        "Does it start and serve in a production-like container?",
        "Docker smoke test",
    ),
)

STEP_IDS: tuple[str, ...] = tuple(step.id for step in STEPS)
STEPS_BY_ID: dict[str, Step] = {step.id: step for step in STEPS}
#: The steps whose questions the staged container's probes also answer (hostile input,
#: concurrent users, a dependency outage, hadolint's rules): its findings land there.
STAGING_CONTRIBUTES = frozenset(
    {"input-validation", "concurrency", "error-handling", "environment", "monitoring"}
)
