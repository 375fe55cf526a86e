"""bandit over the Python files in scope, JSON out; its "issues found" exit is not an error."""

from __future__ import annotations

import ast
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from readyterm.backends import interpreters
from readyterm.backends.base import ScanContext, ScanResult
from readyterm.backends.interpreters import Interpreter
from readyterm.foundation.findings import (
    Finding,
    Severity,
    cwe_ids,
    read_lines,
    redact,
    secret_values,
)
from readyterm.foundation.procs import (
    argv_batches,
    parallel_jobs,
    run_tool,
    tool_identity,
    work_chunks,
)
from readyterm.foundation.rulepack import RulePack

STEP = "input-validation"
_NAMED_SECRET = re.compile(r"hardcoded password: '(.+)'\s*$", re.I)
# Hard-coded credentials belong to the environment step, and their values are redacted.
_SECRET_TESTS = frozenset({"B105", "B106", "B107"})
# Noise for web services (asserts in tests, importing subprocess, subprocess without a shell),
# and checks our own rules make more precisely in the step they belong to: requests without
# a timeout (error-handling), try/except/pass and /continue (logging), SQL built from strings
# (input-validation's taint rule flags request data reaching the query; B608 also flags
# constant f-strings and parameterised queries: 20 of its 23 OWASP sqli false positives),
# weak hashes (B303, B324: weak-hash judges whether the digest protects something, and
# weak-hash-unmarked warns on the rest), and every shell=True/os.system (B602, B605) and
# pickle (B301, B403) call: the shell-command-injection and unsafe-deserialization taint
# rules flag the ones that untrusted data reaches (on the OWASP benchmark bandit's
# pattern-only hits were 7 of 12 command-injection and 12 of 38 deserialization negatives).
# Also the two that judge a deployment by the wrong measure: binding 0.0.0.0 (B104) is what
# a service in a container must do, and a program run by name from PATH (B607) is how a
# container image runs its tools; both fired on the fixed twins of our planted-defect apps.
_SKIPPED_TESTS = (
    *("B101", "B404", "B603", "B113", "B110", "B112", "B608"),
    *("B303", "B324", "B602", "B605", "B301", "B403", "B104", "B607"),
)
_SEVERITY: dict[str, Severity] = {"HIGH": "blocker", "MEDIUM": "warning", "LOW": "info"}
_ISSUES_FOUND = 1
_OVERRIDE = "READYTERM_BANDIT_BIN"
_OURS = interpreters.OURS
# bandit's reason for a file its Python cannot parse (newer syntax, or none at all)
_SYNTAX_ERROR = "syntax error while parsing AST"
_PY_SUFFIXES = (".py", ".pyw")
_BESIDE_SEMGREP = 5  # niceness added to bandit's workers when semgrep shares the cores
_MIN_SHARD = 25  # files; below this a second bandit start-up (~0.2 s) costs more than it saves


class BanditBackend:
    baseline = True
    name = "bandit"

    def steps(self, rule_pack: RulePack) -> set[str]:
        return {STEP, "environment"}

    def cache_identity(self, root: Path, context: ScanContext) -> str | None:
        # The skipped tests and severity mapping are code: readyterm's code identity covers them.
        # Which Pythons are installed, and the version the project declares, decide which one
        # parses a file (and so whether a file with newer syntax parses at all).
        tool = tool_identity("bandit", os.environ)
        if tool is None or os.environ.get(_OVERRIDE):
            return tool
        pythons = ",".join(item.path for item in interpreters.installed(os.environ))
        declared = interpreters.declared_version(root)
        return f"{tool}|{pythons}|{declared[0] if declared else ''}"

    def reads(self, path: str) -> bool:
        return path.endswith(_PY_SUFFIXES)

    def scan(self, root: Path, files: list[str], context: ScanContext) -> ScanResult:
        targets = [name for name in files if self.reads(name)]
        if not targets:
            return ScanResult()
        deadline = time.monotonic() + context.config.timeouts.bandit  # for the whole scan
        if os.environ.get(_OVERRIDE) or interpreters.bandit_home() is None:
            # the user's own bandit (or one readyterm cannot import): run exactly that
            return _scan_under(None, root, targets, context, deadline)
        # bandit parses with the Python it runs under: the project's own version when it
        # declares a newer one than ours and that interpreter is installed.
        declared = interpreters.declared_version(root)
        wanted = declared[0] if declared else None
        pythons = interpreters.installed(os.environ)  # newer than ours, newest first
        python = interpreters.choose(wanted, pythons) if wanted and wanted > _OURS else None
        result = _scan_under(python, root, targets, context, deadline)
        unparsed = sorted(p for p, why in result.incomplete.items() if _SYNTAX_ERROR in why)
        current = python.version if python else _OURS
        newer = [item for item in pythons if item.version > current]
        # A declared version that this Python already satisfies settles it: code that fails
        # here cannot run on a Python the project says it supports. Otherwise a newer one
        # may parse what this one cannot.
        retry_failed = ""
        if unparsed and newer and result.error is None and (wanted is None or current < wanted):
            context.progress(
                f"bandit: {_count(len(unparsed), 'file')} did not parse under "
                f"{_label(python)}; trying {newer[0].label}"
            )
            again = _scan_under(newer[0], root, unparsed, context, deadline)
            if again.error is None:
                for name in unparsed:
                    result.incomplete.pop(name, None)
                result.findings += again.findings
                result.incomplete.update(again.incomplete)
                python, current = newer[0], newer[0].version
            else:
                retry_failed = f" (bandit under {newer[0].label} failed: {again.error[:200]})"
        # Broken, not merely new: it fails under the version the project declares, or, with
        # none declared, under the newest Python there is (readyterm's own included).
        newest = pythons[0].version if pythons else _OURS
        broken = current >= wanted if wanted is not None else not retry_failed and current >= newest
        for name, why in list(result.incomplete.items()):
            if _SYNTAX_ERROR not in why:
                continue
            if broken:
                del result.incomplete[name]
                result.findings.append(_syntax_error(root, name, _label(python)))
            else:
                result.incomplete[name] = (
                    f"{why} under {_label(python)}{retry_failed}; "
                    f"{interpreters.install_hint(wanted)}"
                )
        return result


def _syntax_error(root: Path, name: str, python: str) -> Finding:
    """A file that does not parse: it fails on import in production, and no check judged it."""
    line, detail = 1, "invalid syntax"
    try:
        ast.parse((root / name).read_bytes(), name)
    except SyntaxError as exc:
        line, detail = max(exc.lineno or 1, 1), exc.msg
    except (OSError, ValueError):
        pass
    text = (root / name).read_text("utf-8", errors="replace") if (root / name).is_file() else ""
    return Finding(
        rule="python-syntax-error",
        step=STEP,
        severity="blocker",
        path=name,
        line=line,
        end_line=line,
        message=f"{name} does not parse as Python under {python}: {detail} (line {line}).",
        code=read_lines(text, line, line),
        why="Code that does not parse fails on import in production, and no check could "
        "judge this file.",
        fix="Fix the syntax, or declare the Python the code needs (requires-python in "
        "pyproject.toml or .python-version) and install it.",
    )


def _label(python: Interpreter | None) -> str:
    return python.label if python else f"Python {_OURS[0]}.{_OURS[1]} (readyterm's own)"


def _scan_under(
    python: Interpreter | None,
    root: Path,
    targets: list[str],
    context: ScanContext,
    deadline: float,
) -> ScanResult:
    """bandit over targets, under python (None: the bandit installed beside readyterm)."""
    launcher = interpreters.bandit_command(python) if python else None
    jobs = context.jobs or parallel_jobs(context.config.jobs)
    # bandit is single-threaded: on a machine with several cores, chunks of the files
    # run side by side, each worker taking the next chunk when done (a few files are not
    # worth a second start-up).
    chunks = work_chunks(root, targets, jobs, _MIN_SHARD)
    batches = [batch for chunk in chunks for batch in argv_batches(chunk)]
    workers = min(jobs, len(batches))
    context.progress(
        f"bandit: scanning {_count(len(targets), 'Python file')}"
        + (f" in {workers} processes" if workers > 1 else "")
    )
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(
            pool.map(lambda batch: _scan_batch(root, batch, context, deadline, launcher), batches)
        )
    result = ScanResult()
    for part in parts:
        result.findings += part.findings
        result.incomplete.update(part.incomplete)
        result.error = result.error or part.error
    return result


def command(targets: list[str], launcher: list[str] | None = None) -> list[str]:
    """The bandit command line for targets (also what the benchmarks run "bandit alone");
    launcher replaces the `bandit` executable (readyterm's bandit under another Python)."""
    return [
        *(launcher or ["bandit"]),
        "--format",
        "json",
        "--quiet",
        # readyterm's scope decides what is judged: bandit's default excludes match
        # substrings, so `.github/deploy.py` or `app/CVS_export.py` would be skipped unsaid.
        "--exclude=",
        # The only inline suppression is readyterm's own, which needs a reason.
        "--ignore-nosec",
        "--skip",
        ",".join(_SKIPPED_TESTS),
        "--",
        *targets,
    ]


def _scan_batch(
    root: Path, batch: list[str], context: ScanContext, deadline: float, launcher: list[str] | None
) -> ScanResult:
    result = ScanResult()
    run = run_tool(
        command(batch, launcher),
        timeout=max(deadline - time.monotonic(), 0.1),
        cwd=root,
        cancel=context.cancel,
        # Beside semgrep (the run's longest single job) bandit's chunks yield: semgrep keeps
        # its core, and bandit's workers fill the rest and every core semgrep leaves.
        niceness=_BESIDE_SEMGREP if context.jobs is not None else 0,
    )
    if run.returncode is None:
        result.error = run.failure(context.config.timeouts.bandit)
        return result
    try:
        payload = json.loads(run.stdout)
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        result.error = (
            f"bandit exited with code {run.returncode} and printed no readable JSON:\n"
            + (run.stderr_tail() or run.stdout[-800:] or "(no output)")
        )
        return result
    if run.returncode not in (0, _ISSUES_FOUND):
        result.error = run.failure()
        return result
    try:
        _collect(root, batch, payload, result, {})
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        result.error = (
            f"bandit printed JSON that readyterm does not understand "
            f"({type(exc).__name__}: {exc}); the bandit versions readyterm supports "
            "are listed in its pyproject.toml"
        )
    except OSError as exc:
        result.error = f"bandit reported a file that cannot be read: {exc}"
    return result


def _collect(
    root: Path, batch: list[str], payload: dict[str, Any], result: ScanResult, texts: dict[str, str]
) -> None:
    errors = payload.get("errors") or []
    for err in errors:
        result.incomplete[_relative(root, str(err.get("filename", "?")))] = (
            f"bandit: {(str(err.get('reason', 'error')).splitlines() or ['error'])[0][:200]}"
        )
    metrics = payload.get("metrics")
    if isinstance(metrics, dict):
        # bandit lists every file it read in its metrics; a target missing there was skipped.
        scanned = {_relative(root, str(name)) for name in metrics if name != "_totals"}
        for name in batch:
            if name not in scanned and name not in result.incomplete:
                result.incomplete[name] = "bandit: skipped this file without saying why"
    for issue in payload["results"]:
        result.findings.append(_finding(root, issue, texts))


def _finding(root: Path, issue: dict[str, Any], texts: dict[str, str]) -> Finding:
    path = _relative(root, issue["filename"])
    if path not in texts:
        texts[path] = (root / path).read_text("utf-8", errors="replace")
    line = int(issue["line_number"])
    line_range = issue.get("line_range") or [line]
    end = max(int(n) for n in line_range)
    code = read_lines(texts[path], line, end)
    test_id = str(issue["test_id"])
    message = str(issue["issue_text"]).strip()
    secret = test_id in _SECRET_TESTS
    if secret:
        # bandit names the literal it suspects ("Possible hardcoded password: 'x'"): hide
        # exactly that, not every string on the line.
        named = _NAMED_SECRET.search(message)
        secrets = [named.group(1)] if named else secret_values(code)
        code, message = redact(code, secrets), redact(message, secrets)
    severity = _SEVERITY.get(str(issue["issue_severity"]), "info")
    if severity == "blocker" and issue.get("issue_confidence") == "LOW":
        severity = "warning"
    cwe = (issue.get("issue_cwe") or {}).get("id")
    return Finding(
        rule=f"bandit-{test_id}",
        step="environment" if secret else STEP,
        severity=severity,
        path=path,
        line=line,
        end_line=end,
        message=message,
        code=code,
        why=f"bandit {test_id} ({issue.get('test_name', '')})"
        + (f", CWE-{cwe}" if cwe else "")
        + ": hostile input or leaked credentials reach this code in production.",
        fix=str(issue.get("more_info", "")),
        cwe=cwe_ids(cwe) if cwe else (),
    )


def _relative(root: Path, name: str) -> str:
    path = Path(name)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError:
            return path.as_posix()
    return path.as_posix().removeprefix("./")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
