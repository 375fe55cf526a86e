"""semgrep, always offline, over explicit file targets, JSON out."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

from readyterm.backends.base import ScanContext, ScanResult
from readyterm.foundation.findings import Finding, read_lines, redact, secret_values
from readyterm.foundation.procs import ToolRun, argv_batches, run_tool, tool_identity
from readyterm.foundation.rulepack import RuleMeta, RulePack, rule_yaml_files

# Without these semgrep phones home and, behind a firewall, hangs for about 100 s.
OFFLINE_FLAGS = ("--metrics=off", "--disable-version-check")
OFFLINE_ENV = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
_PER_FILE_TIMEOUT = 30
# The languages of the bundled rules (Python, JavaScript, TypeScript), as semgrep names files.
_SOURCE_SUFFIXES = (".py", ".pyi", ".pyw", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts")
# Per-file errors that depend on the machine's load, not on the file: never cached.
_TRANSIENT_ERROR = re.compile(r"Timeout|OutOfMemory|Memory", re.I)


def semgrep_env() -> dict[str, str]:
    return {**os.environ, **OFFLINE_ENV}


class SemgrepBackend:
    baseline = True
    name = "semgrep"

    def steps(self, rule_pack: RulePack) -> set[str]:
        return rule_pack.steps()

    def reads(self, path: str) -> bool:
        return path.endswith(_SOURCE_SUFFIXES)

    def cache_identity(self, root: Path, context: ScanContext) -> str | None:
        tool = tool_identity("semgrep", semgrep_env())
        if tool is None:
            return None
        settings = (context.config.max_file_bytes, _PER_FILE_TIMEOUT)
        steps = sorted(context.steps) if context.steps is not None else "all"
        return f"{tool}|{context.rule_pack.version}|{steps}|{settings}"

    def scan(self, root: Path, files: list[str], context: ScanContext) -> ScanResult:
        result = ScanResult()
        if not files:
            return result
        rule_files = rule_yaml_files(context.rule_pack, context.steps)
        if not rule_files:
            return result
        timeout = context.config.timeouts.semgrep
        deadline = time.monotonic() + timeout  # for the whole scan, however many batches
        experimental = context.config.semgrep_engine == "experimental"
        for batch in argv_batches(files):
            context.progress(f"semgrep: scanning {_count(len(batch), 'file')}")

            def run_batch(experimental: bool, batch: list[str] = batch) -> ToolRun:
                return run_tool(
                    command(
                        rule_files, context.config.max_file_bytes, batch, experimental, context.jobs
                    ),
                    timeout=max(deadline - time.monotonic(), 0.1),
                    cwd=root,
                    env=semgrep_env(),
                    cancel=context.cancel,
                )

            run = run_batch(experimental)
            if experimental and run.returncode is not None and _failure(run.returncode, run.stdout):
                # A semgrep without the compiled engine, or a bug in it: the classic path
                # gives the same findings, only slower to start.
                context.progress("semgrep: the experimental engine failed; using the classic one")
                experimental = False
                run = run_batch(experimental)
            if run.returncode is None:
                result.error = run.failure(timeout)
                return result
            failure = _failure(run.returncode, run.stdout)
            if failure:
                result.error = f"{failure}\n{run.stderr_tail()}".strip()
                return result
            payload: dict[str, Any] = json.loads(run.stdout)
            version = payload.get("version")
            result.tool_version = version if isinstance(version, str) else None
            try:
                _collect(root, payload, context.rule_pack, result)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
                tool = f"semgrep {result.tool_version}" if result.tool_version else "semgrep"
                result.error = (
                    f"{tool} printed JSON that readyterm does not understand "
                    f"({type(exc).__name__}: {exc}); the semgrep versions readyterm supports "
                    "are listed in its pyproject.toml"
                )
                return result
            except OSError as exc:
                result.error = f"semgrep reported a file that cannot be read: {exc}"
                return result
        return result


def command(
    rule_files: list[Path],
    max_file_bytes: int,
    targets: list[str],
    experimental: bool = True,
    jobs: int | None = None,
) -> list[str]:
    """The semgrep command line for targets (also what the benchmarks run "semgrep alone").

    `--experimental` runs semgrep's compiled front end: the same findings on the rule packs
    and real code (tests/test_rules.py compares the two), and about 0.2 s to start instead
    of about 2 s, which is most of the cost of judging a small change.
    """
    return [
        "semgrep",
        "scan",
        *(["--experimental"] if experimental else []),
        "--json",
        *OFFLINE_FLAGS,
        # The only inline suppression is readyterm's own, which needs a reason.
        "--disable-nosem",
        "--quiet",
        "--no-git-ignore",
        "--timeout",
        str(_PER_FILE_TIMEOUT),
        "--max-target-bytes",
        str(max_file_bytes),
        # semgrep's engine synchronises its workers often: given more than the cores left to
        # it by bandit, it stalls waiting for descheduled ones (Django: 34 s alone, 86 s
        # beside bandit with its default; one job beside bandit: 50 s and 53 CPU-s).
        *(["--jobs", str(jobs)] if jobs else []),
        *(arg for file in rule_files for arg in ("--config", str(file))),
        "--",
        *targets,
    ]


def _failure(returncode: int, stdout: str) -> str | None:
    try:
        payload = json.loads(stdout)
    except ValueError:
        return f"semgrep exited with code {returncode} and printed output that is not JSON"
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        return f"semgrep exited with code {returncode} without a results list"
    errors = payload.get("errors") or []
    if not isinstance(errors, list):
        return f"semgrep exited with code {returncode} and an `errors` entry that is no list"
    fatal = [
        err.get("message", "")
        for err in errors
        if isinstance(err, dict) and err.get("level") == "error" and not err.get("path")
    ]
    if fatal or returncode not in (0, 1):
        detail = "; ".join(str(message).strip() for message in fatal)[:800]
        return f"semgrep exited with code {returncode}" + (f": {detail}" if detail else "")
    return None


def _collect(root: Path, payload: dict[str, Any], pack: RulePack, result: ScanResult) -> None:
    for err in payload.get("errors", []):
        if isinstance(err, dict) and err.get("path"):
            message = str(err.get("message") or err.get("type") or "error").strip()
            result.incomplete[str(err["path"])] = f"semgrep: {message.splitlines()[0][:200]}"
            if _TRANSIENT_ERROR.search(str(err.get("type"))):
                result.transient.add(str(err["path"]))
    texts: dict[str, str] = {}
    seen: set[tuple[str, str, int]] = set()
    for item in payload.get("results", []):
        meta = _rule_for(item.get("check_id", ""), pack)
        if meta is None:
            continue
        path = Path(item["path"]).as_posix()
        # One rule can match a line several ways (f-string and .format patterns): report once.
        if (meta.id, path, item["start"]["line"]) in seen:
            continue
        seen.add((meta.id, path, item["start"]["line"]))
        if path not in texts:
            texts[path] = (root / path).read_text("utf-8", errors="replace")
        text = texts[path]
        start, end = item["start"], item["end"]
        code = read_lines(text, start["line"], end["line"])
        message = str(item.get("extra", {}).get("message") or meta.message).strip()
        if meta.secret:
            matched = _slice(root / path, start.get("offset"), end.get("offset"))
            secrets = [] if _is_variable(matched, text) else secret_values(matched)
            code, message = redact(code, secrets), redact(message, secrets)
        result.findings.append(
            Finding(
                rule=meta.id,
                step=meta.step,
                severity=meta.severity,
                path=path,
                line=start["line"],
                end_line=end["line"],
                message=message,
                code=code,
                why=meta.why,
                fix=meta.fix,
                cwe=meta.cwe,
            )
        )


def _is_variable(matched: str, text: str) -> bool:
    """semgrep's constant propagation matches a *name* holding a secret (`KEY = STRIPE_KEY`):
    the name is no secret, and the literal it holds is redacted where it is assigned."""
    name = matched.strip()
    return bool(
        re.fullmatch(r"[A-Za-z_]\w*", name)
        and re.search(rf"^\s*{re.escape(name)}\s*(:[^=]+)?=", text, re.M)
    )


def _slice(path: Path, start: int | None, end: int | None) -> str:
    if start is None or end is None:
        return ""
    return path.read_bytes()[start:end].decode("utf-8", "replace")


def _rule_for(check_id: str, pack: RulePack) -> RuleMeta | None:
    # semgrep prefixes ids with the config file's folders ("rules.environment.some-id").
    if check_id in pack.rules:
        return pack.rules[check_id]
    for rule_id, meta in pack.rules.items():
        if check_id.endswith("." + rule_id):
            return meta
    return None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
