"""Run CI definitions the way GitHub Actions and GitLab CI run them, with their env vars.

`act` needs a container registry, which is not reachable here; so this runs the same shell
code in the same order with the same environment: a composite action's `run:` steps (with
`${{ }}` expressions evaluated from inputs, earlier steps' outputs and the `github` context,
and `if:` conditions honoured), and a GitLab job's `script:` lines in one shell. Steps that
`uses:` another action are not run; they are returned with their evaluated `with:` so a test
can check what they would get.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readyterm.foundation.config import _deep_merge as deep_merge

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_COMPARISON = re.compile(r"^([\w.-]+)\s*(==|!=)\s*'([^']*)'$")
STEP_TIMEOUT = 600


@dataclass
class StepRun:
    id: str
    name: str
    ran: bool
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    #: A `uses:` step: the action and its evaluated `with:` (it is not run).
    uses: str | None = None
    given: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionRun:
    steps: list[StepRun]
    outputs: dict[str, str]
    summary: str
    path_added: list[str]

    @property
    def failed(self) -> StepRun | None:
        return next((s for s in self.steps if s.ran and s.uses is None and s.returncode), None)

    def step(self, step_id: str) -> StepRun:
        return next(s for s in self.steps if s.id == step_id)

    @property
    def log(self) -> str:
        return "".join(s.stdout + s.stderr for s in self.steps)


def lookup(name: str, context: dict[str, Any]) -> str:
    """`inputs.base`, `steps.run.outputs.sarif`, `github.base_ref`: missing values are ''."""
    root, _, rest = name.partition(".")
    assert root in context, f"the runner has no {root!r} context (in {name!r})"
    value: Any = context[root]
    for part in rest.split(".") if rest else []:
        value = value.get(part, "") if isinstance(value, dict) else ""
    return str(value)


def evaluate(text: str, context: dict[str, Any]) -> str:
    return _EXPRESSION.sub(lambda m: lookup(m.group(1), context), text)


def condition(expression: str, context: dict[str, Any], failed: bool) -> bool:
    """The `if:` forms the action uses: always(), success(), `a == 'x'`, `a != ''`, `&&`."""
    expression = _EXPRESSION.sub(lambda m: m.group(1), expression.strip())
    terms = [term.strip() for term in expression.split("&&")]
    if "always()" not in terms and failed:
        return False
    for term in terms:
        if term in ("always()", "success()"):
            continue
        match = _COMPARISON.match(term)
        assert match, f"the runner does not understand the condition {term!r}"
        value = lookup(match.group(1), context)
        if (value == match.group(3)) != (match.group(2) == "=="):
            return False
    return True


def read_outputs(path: Path) -> dict[str, str]:
    outputs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        assert sep, f"not name=value in {path.name}: {line!r}"
        outputs[name] = value
    return outputs


def run_bash(
    script: str, cwd: Path, env: dict[str, str], tmp: Path
) -> subprocess.CompletedProcess[str]:
    """As the runners run `shell: bash` (GitHub: `bash --noprofile --norc -eo pipefail {0}`)."""
    file = tmp / f"script-{len(list(tmp.glob('script-*')))}.sh"
    file.write_text(script, encoding="utf-8")
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(file)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )


def run_composite_action(
    action: dict[str, Any],
    *,
    action_path: Path,
    workspace: Path,
    runner_temp: Path,
    inputs: dict[str, str],
    github: dict[str, str],
    env: dict[str, str],
    skip: tuple[str, ...] = (),
    earlier: dict[str, dict[str, str]] | None = None,
) -> ActionRun:
    """Run a composite action's steps in order, as the runner does.

    Steps in skip are not run; earlier gives the outputs of steps that ran before (an install
    step run once for a whole test module).
    """
    given = {name: spec.get("default", "") for name, spec in action.get("inputs", {}).items()}
    unknown = set(inputs) - set(given)
    assert not unknown, f"the action has no inputs {sorted(unknown)}"
    given.update(inputs)
    context: dict[str, Any] = {
        "inputs": given,
        "steps": {step: {"outputs": outputs} for step, outputs in (earlier or {}).items()},
        "github": github,
        "runner": {"temp": str(runner_temp), "os": "Linux"},
    }
    scratch = runner_temp / "_runner"
    scratch.mkdir(parents=True, exist_ok=True)
    path_file = scratch / "path"
    path_file.write_text("")
    base_env = {
        **env,
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(action_path),
        "GITHUB_PATH": str(path_file),
        "GITHUB_BASE_REF": github.get("base_ref", ""),
        "GITHUB_EVENT_NAME": github.get("event_name", "pull_request"),
        "RUNNER_TEMP": str(runner_temp),
        "RUNNER_OS": "Linux",
    }
    runs: list[StepRun] = []
    summaries: list[str] = []
    failed = False
    for index, step in enumerate(action["runs"]["steps"]):
        step_id = step.get("id", f"step{index}")
        name = step.get("name", step.get("uses", step_id))
        run = StepRun(step_id, name, ran=False)
        runs.append(run)
        if step_id in skip or not condition(str(step.get("if", "success()")), context, failed):
            continue
        run.ran = True
        if "uses" in step:
            run.uses = step["uses"]
            run.given = {k: evaluate(str(v), context) for k, v in step.get("with", {}).items()}
            continue
        assert step.get("shell") == "bash", f"{name}: composite run steps must name a shell"
        output = scratch / f"output-{index}"
        summary = scratch / f"summary-{index}"
        output.write_text("")  # fresh files for every step, as the runner gives
        summary.write_text("")
        extra = [line for line in path_file.read_text().splitlines() if line]
        step_env = {
            **base_env,
            "PATH": os.pathsep.join([*reversed(extra), env["PATH"]]),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            **{k: evaluate(str(v), context) for k, v in step.get("env", {}).items()},
        }
        done = run_bash(step["run"], workspace, step_env, scratch)
        run.returncode, run.stdout, run.stderr = done.returncode, done.stdout, done.stderr
        run.outputs = read_outputs(output)
        context["steps"][step_id] = {"outputs": run.outputs}
        summaries.append(summary.read_text(encoding="utf-8"))
        failed = failed or done.returncode != 0
    outputs = {
        name: evaluate(str(spec["value"]), context)
        for name, spec in action.get("outputs", {}).items()
    }
    added = [line for line in path_file.read_text().splitlines() if line]
    return ActionRun(runs, outputs, "".join(summaries), added)


@dataclass
class JobRun:
    returncode: int
    stdout: str
    stderr: str
    job: dict[str, Any]


def gitlab_job(pipeline: dict[str, Any], name: str) -> dict[str, Any]:
    """A job with its `extends:` merged in, as GitLab resolves it (hashes deep-merged)."""
    job = dict(pipeline[name])
    parents = job.pop("extends", [])
    merged: dict[str, Any] = {}
    for parent in [parents] if isinstance(parents, str) else parents:
        merged = deep_merge(merged, gitlab_job(pipeline, parent))
    return deep_merge(merged, job)


def run_gitlab_job(
    pipeline: dict[str, Any], name: str, *, project_dir: Path, env: dict[str, str], tmp: Path
) -> JobRun:
    """Run a job's `script:` in one POSIX shell that stops at the first failing line, with
    the pipeline's and the job's variables under the CI variables the runner sets."""
    job = gitlab_job(pipeline, name)
    variables = {**pipeline.get("variables", {}), **job.get("variables", {})}
    given = {k: str(v) for k, v in variables.items() if k not in env}
    job_env = {
        **given,
        "CI": "true",
        "GITLAB_CI": "true",
        "CI_PROJECT_DIR": str(project_dir),
        "CI_JOB_NAME": name,
        **env,
    }
    script = "\n".join(str(line) for line in job["script"])
    file = tmp / f"gitlab-{name.strip('.')}.sh"
    file.write_text(script, encoding="utf-8")
    done = subprocess.run(
        ["sh", "-e", str(file)],
        cwd=project_dir,
        env=job_env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    return JobRun(done.returncode, done.stdout, done.stderr, job)


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema (a dev dependency) with one of its vendored schemas: no network."""
    command = str(Path(sys.executable).with_name("check-jsonschema"))
    return subprocess.run(
        [command, "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def checkout(origin: Path, target: Path) -> Path:
    """What actions/checkout with fetch-depth 0 leaves: a clone with origin/* refs."""
    subprocess.run(
        ["git", "clone", "--quiet", "--no-local", str(origin), str(target)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    return target
