"""Detection quality: readyterm against bandit and semgrep's public rules, on two datasets.

    python benchmarks/detection.py [--owasp DIR] [--semgrep-rules DIR] [--python PY]
                                   [--quick] [--skip-owasp] [--skip-fixtures] [--json OUT]

Tools compared (what a user would run instead of readyterm):

- readyterm: `readyterm --ci --all --no-staging --format json COPY`, where COPY is a temporary
  copy of the dataset made into a git repository (nothing is written into the source). Its exit
  code and verdict are recorded (readyterm exits 3 when a check cannot run, e.g. bandit under
  Python 3.11 on code that needs 3.12 to parse).
- bandit: `bandit -r -f json` under a Python >= 3.12 interpreter when one is found (bandit parses
  with the interpreter it runs under; the OWASP benchmark uses PEP 701 f-strings): `--python`,
  else `python3.12`/`python3.13`... on PATH, else `~/.pyenv/versions/3.1[2-9]*/bin/python`. The
  interpreter's own bandit is used when it has one, else readyterm's copy of bandit is put on its
  path (bandit is pure Python). The report says which interpreter ran it.
- semgrep public rules: the rules of a checkout of https://github.com/semgrep/semgrep-rules
  (`--semgrep-rules DIR`, default env READYTERM_SEMGREP_RULES or benchmarks/.cache/semgrep-rules;
  obtain with `git clone --depth 1 https://github.com/semgrep/semgrep-rules
  benchmarks/.cache/semgrep-rules`). Rule files are the `*.yaml` files holding a `rules:` list,
  without the `.test.yaml`/`.fixed.yaml` fixtures; the `python/` folder for OWASP and the
  `python/`, `javascript/` and `typescript/` folders for the fixtures. semgrep always runs
  offline (`--metrics=off --disable-version-check`, SEMGREP_ENABLE_VERSION_CHECK=0). Skipped,
  with a message, when the checkout is absent.

Datasets:

a. OWASP Benchmark for Python v0.1 (`--owasp DIR`, default env READYTERM_OWASP_DIR or
   benchmarks/.cache/BenchmarkPython; obtain with `git clone
   https://github.com/OWASP-Benchmark/BenchmarkPython benchmarks/.cache/BenchmarkPython`).
   1,230 test cases in testcode/, ground truth in expectedresults-0.1.csv, 14 categories. A
   test case is flagged when a finding in its file carries the category's CWE (strictly: the
   same CWE number). Score per category = TPR - FPR. A finding's CWE: readyterm's `cwe` field
   when the JSON result has one; else the rule's `metadata.cwe` in the rule pack
   (rules/**/*.yaml) for semgrep rules, and for `bandit-BNNN` findings bandit's own `issue_cwe`
   for that test id, learnt from bandit's JSON output (from the bandit runs below, or a bandit
   run on the files readyterm flagged with those ids); semgrep public rules: `metadata.cwe`;
   bandit: `issue_cwe`.
b. benchmarks/fixtures/detection/ (in this repository): small web apps (Flask, Django, FastAPI,
   Express, Next.js API routes in TypeScript) written for this benchmark, in two parallel trees.
   `vulnerable/` carries planted defects, each marked on its line with a trailing
   `# PLANT: <step>/<class>` (or `// PLANT:`); `fixed/` holds the same apps with each planted
   line made production-safe and marked `FIXED: <step>/<class>`; `SAFE: <step>/<class>` marks
   idioms that are fine but that a noisy tool flags (in both trees). The comments are the
   manifest: adding a case needs no other file. A finding matches the nearest marker in its file
   within +-2 lines (readyterm: only markers of the finding's step). A match on a PLANT is a
   detection; on a FIXED or SAFE marker a false positive. Findings on the fixed tree that match
   no marker are counted as well ("other findings on fixed/").

Output: Markdown tables on stdout; `--json OUT` writes every number plus the missed plants.
Every subprocess has a timeout (`--timeout`, seconds). `--quick` runs only readyterm.
"""

from __future__ import annotations

import argparse
import csv
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
FIXTURES = HERE / "fixtures" / "detection"
VENV_BIN = ROOT / ".venv" / "bin"
OFFLINE_ENV = {
    "SEMGREP_ENABLE_VERSION_CHECK": "0",
    "SEMGREP_SEND_METRICS": "off",
    "READYTERM_TESTS__RUN": "0",  # the rules' findings, not the packages' own test suites
}

CATEGORIES = {
    "cmdi": 78,
    "codeinj": 94,
    "deserialization": 502,
    "hash": 328,
    "ldapi": 90,
    "pathtraver": 22,
    "redirect": 601,
    "securecookie": 614,
    "sqli": 89,
    "trustbound": 501,
    "weakrand": 330,
    "xpathi": 643,
    "xss": 79,
    "xxe": 611,
}
INJECTION = [
    "cmdi",
    "codeinj",
    "sqli",
    "ldapi",
    "xpathi",
    "xss",
    "xxe",
    "deserialization",
    "pathtraver",
]
CODE_STEPS = [
    "environment",
    "error-handling",
    "input-validation",
    "concurrency",
    "performance",
    "logging",
]
TOOLS = ["readyterm", "bandit", "semgrep"]
EXIT_MEANING = {0: "ready", 1: "not ready", 2: "usage/config error", 3: "a check could not run"}
MARKER = re.compile(r"(?:#|//)\s*(PLANT|FIXED|SAFE):\s*([a-z-]+)/([a-z0-9-]+)")
CWE_NUMBER = re.compile(r"CWE-(\d+)", re.IGNORECASE)
SOURCE_SUFFIXES = {".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx"}
NEAR = 2  # lines either side of a marker


# --------------------------------------------------------------------------- helpers


def run(
    cmd: list[str], timeout: float, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[int | None, str, str, float]:
    """Run a command; (exit code or None on timeout, stdout, stderr, seconds)."""
    start = time.monotonic()
    full_env = {**os.environ, **(env or {})}
    try:
        p = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, env=full_env, cwd=cwd, check=False
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return None, out, f"timed out after {timeout:.0f} s", time.monotonic() - start
    except OSError as exc:
        return None, "", str(exc), time.monotonic() - start
    return p.returncode, p.stdout, p.stderr, time.monotonic() - start


def cwe_numbers(values: Any) -> set[int]:
    if values is None:
        return set()
    if isinstance(values, (str, int)):
        values = [values]
    out: set[int] = set()
    for v in values:
        if isinstance(v, int):
            out.add(v)
            continue
        m = re.search(r"(\d+)", str(v))
        if m:
            out.add(int(m.group(1)))
    return out


def tool_path(name: str) -> str | None:
    local = VENV_BIN / name
    if local.exists():
        return str(local)
    return shutil.which(name)


def git_head(path: Path) -> str | None:
    rc, out, _, _ = run(["git", "-C", str(path), "rev-parse", "HEAD"], 30)
    return out.strip() if rc == 0 else None


def git_dirty(path: Path, sub: str) -> bool:
    rc, out, _, _ = run(["git", "-C", str(path), "status", "--porcelain", "--", sub], 30)
    return rc == 0 and bool(out.strip())


def git_copy(src: Path, dest: Path, subdirs: list[str] | None = None) -> None:
    """Copy a dataset into dest and commit it there, so readyterm sees a git repository."""
    ignore = shutil.ignore_patterns(".git", "__pycache__", "node_modules")
    if subdirs:
        dest.mkdir(parents=True)
        for sub in subdirs:
            shutil.copytree(src / sub, dest / sub, ignore=ignore)
    else:
        shutil.copytree(src, dest, ignore=ignore)
    env = {
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    }
    for cmd in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "dataset"],
    ):
        rc, _, err, _ = run(cmd, 120, env=env, cwd=dest)
        if rc != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed in {dest}: {err.strip()}")


# --------------------------------------------------------------------------- findings


@dataclass
class Finding:
    path: str  # relative to the scanned root, forward slashes
    line: int
    end_line: int
    rule: str
    cwes: set[int] = field(default_factory=set)
    step: str | None = None  # readyterm only
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class ToolRun:
    tool: str
    ok: bool
    note: str
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def readyterm_rule_cwes() -> dict[str, set[int]]:
    table: dict[str, set[int]] = {}
    for f in sorted((ROOT / "rules").rglob("*.yaml")):
        try:
            doc = yaml.safe_load(f.read_text("utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for r in doc.get("rules", []) if isinstance(doc, dict) else []:
            if isinstance(r, dict) and "id" in r:
                table[r["id"]] = cwe_numbers((r.get("metadata") or {}).get("cwe"))
    return table


def run_readyterm(target: Path, timeout: float) -> ToolRun:
    exe = tool_path("readyterm")
    if exe is None:
        return ToolRun("readyterm", False, "readyterm is not installed (make demo builds .venv)")
    cmd = [exe, "--ci", "--all", "--no-staging", "--format", "json", str(target)]
    rc, out, err, secs = run(cmd, timeout, env=OFFLINE_ENV)
    try:
        result = json.loads(out)
    except json.JSONDecodeError:
        tail = err.strip().splitlines()[-3:]
        return ToolRun(
            "readyterm",
            False,
            f"exit {rc}, no JSON result: {' | '.join(tail)}",
            seconds=secs,
            extra={"exit_code": rc},
        )
    findings = []
    steps = []
    for step in result.get("steps", []):
        steps.append(
            {"id": step["id"], "status": step["status"], "summary": step.get("summary", "")[:300]}
        )
        for f in step.get("findings", []):
            findings.append(
                Finding(
                    path=f["path"],
                    line=int(f.get("line") or 0),
                    end_line=int(f.get("end_line") or f.get("line") or 0),
                    rule=f["rule"],
                    cwes=cwe_numbers(f.get("cwe")),
                    step=step["id"],
                    raw=f,
                )
            )
    verdict = result.get("verdict")
    note = (
        f"exit {rc} ({EXIT_MEANING.get(rc or -1, 'timeout' if rc is None else '?')}), "
        f"verdict {verdict}"
    )
    errored = [s["id"] for s in steps if s["status"] == "error"]
    if errored:
        note += f"; steps in error: {', '.join(errored)}"
    return ToolRun(
        "readyterm",
        True,
        note,
        findings,
        secs,
        {"exit_code": rc, "verdict": verdict, "steps": steps},
    )


def bandit_candidates(explicit: str | None) -> list[str]:
    found: list[str] = []
    if explicit:
        found.append(explicit)
    for minor in range(12, 20):
        exe = shutil.which(f"python3.{minor}")
        if exe:
            found.append(exe)
    found += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python")))
    found.append(sys.executable)
    return list(dict.fromkeys(found))


def pick_bandit(explicit: str | None) -> tuple[list[str], str]:
    """The bandit command to use and a sentence saying which interpreter runs it."""
    spec = importlib.util.find_spec("bandit")
    ours = str(Path(spec.origin).parent.parent) if spec and spec.origin else None
    boot = (
        "import sys; sys.path[:0] = [sys.argv.pop(1)]; sys.argv[0] = 'bandit'; "
        "from bandit.cli.main import main; main()"
    )
    for py in bandit_candidates(explicit):
        rc, out, _, _ = run(
            [py, "-c", "import sys; print(sys.version_info[0], sys.version_info[1])"], 30
        )
        if rc != 0:
            continue
        major, minor = (int(x) for x in out.split())
        if (major, minor) < (3, 12) and py != sys.executable:
            continue
        label = f"Python {major}.{minor} ({py})"
        if (major, minor) < (3, 12):
            label += " -- no Python >= 3.12 found: code with PEP 701 f-strings will not parse"
        if run([py, "-m", "bandit", "--version"], 60)[0] == 0:
            return [py, "-m", "bandit"], label + ", its own bandit"
        if ours and run([py, "-I", "-c", boot, ours, "--version"], 60)[0] == 0:
            return [py, "-I", "-c", boot, ours], label + ", readyterm's bandit"
    return [], "no interpreter that can run bandit"


def run_bandit(
    cmd: list[str], target: Path, timeout: float, only: list[str] | None = None
) -> ToolRun:
    if not cmd:
        return ToolRun("bandit", False, "bandit not available")
    args = [*cmd, "-r", "-f", "json", "-q"]
    if only:
        args += ["-t", ",".join(only)]
    rc, out, err, secs = run([*args, str(target)], timeout)
    try:
        data = json.loads(out)
    except json.JSONDecodeError:
        return ToolRun("bandit", False, f"exit {rc}, no JSON: {err.strip()[-300:]}", seconds=secs)
    findings = []
    for r in data.get("results", []):
        rel = Path(r["filename"]).resolve().relative_to(target.resolve()).as_posix()
        rng = r.get("line_range") or [r["line_number"]]
        findings.append(
            Finding(
                rel,
                int(r["line_number"]),
                int(max(rng)),
                r["test_id"],
                cwe_numbers((r.get("issue_cwe") or {}).get("id")),
            )
        )
    errors = data.get("errors", [])
    return ToolRun(
        "bandit",
        True,
        f"{len(errors)} file(s) bandit could not parse",
        findings,
        secs,
        {"errors": len(errors)},
    )


def semgrep_rule_files(rules_dir: Path, folders: list[str]) -> list[Path]:
    files = []
    for folder in folders:
        for f in sorted((rules_dir / folder).rglob("*.y*ml")):
            name = f.name
            if name.endswith((".test.yaml", ".test.yml", ".fixed.yaml", ".fixed.yml")):
                continue
            if {"tests", "test", "fixtures"} & set(f.relative_to(rules_dir).parts[:-1]):
                continue
            try:
                doc = yaml.safe_load(f.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            rules = doc.get("rules") if isinstance(doc, dict) else None
            if (
                isinstance(rules, list)
                and rules
                and all(isinstance(r, dict) and "id" in r and "languages" in r for r in rules)
            ):
                files.append(f)
    return files


def run_semgrep_public(
    rules_dir: Path, folders: list[str], target: Path, timeout: float, workdir: Path
) -> ToolRun:
    exe = tool_path("semgrep")
    if exe is None:
        return ToolRun("semgrep", False, "semgrep is not installed")
    files = semgrep_rule_files(rules_dir, folders)
    if not files:
        return ToolRun("semgrep", False, f"no rule files under {rules_dir}/{{{','.join(folders)}}}")
    conf = workdir / f"semgrep-config-{'-'.join(folders)}"
    conf.mkdir(parents=True, exist_ok=True)
    for i, f in enumerate(files):
        shutil.copyfile(f, conf / f"{i:04d}-{f.stem}.yaml")
    cmd = [
        exe,
        "scan",
        "--metrics=off",
        "--disable-version-check",
        "--json",
        "--quiet",
        "--jobs",
        "1",
        "--timeout",
        "30",
        "--max-target-bytes",
        "2000000",
        "--config",
        str(conf),
        str(target),
    ]
    rc, out, err, secs = run(cmd, timeout, env=OFFLINE_ENV)
    try:
        data = json.loads(out)
    except json.JSONDecodeError:
        return ToolRun("semgrep", False, f"exit {rc}, no JSON: {err.strip()[-300:]}", seconds=secs)
    findings = []
    for r in data.get("results", []):
        rel = Path(r["path"]).resolve().relative_to(target.resolve()).as_posix()
        findings.append(
            Finding(
                rel,
                int(r["start"]["line"]),
                int(r["end"]["line"]),
                r["check_id"].rsplit(".", 1)[-1],
                cwe_numbers(r["extra"].get("metadata", {}).get("cwe")),
            )
        )
    n_err = len(data.get("errors", []))
    return ToolRun(
        "semgrep",
        True,
        f"{len(files)} rule files; {n_err} semgrep error(s)",
        findings,
        secs,
        {"rule_files": len(files), "errors": n_err},
    )


def bandit_cwe_map(runs: list[ToolRun]) -> dict[str, int]:
    table: dict[str, int] = {}
    for r in runs:
        for f in r.findings:
            if f.cwes:
                table.setdefault(f.rule, min(f.cwes))
    return table


def attach_readyterm_cwes(
    rt: ToolRun, target: Path, bandit_cmd: list[str], bandit_runs: list[ToolRun], timeout: float
) -> dict[str, Any]:
    """Fill Finding.cwes for readyterm findings that carry no `cwe` field."""
    rules = readyterm_rule_cwes()
    bmap = bandit_cwe_map(bandit_runs)
    missing: dict[str, set[str]] = defaultdict(set)
    for f in rt.findings:
        if not f.cwes and f.rule.startswith("bandit-") and f.rule[7:] not in bmap:
            missing[f.rule[7:]].add(f.path)
    learnt_from = "bandit runs of this benchmark"
    if missing and bandit_cmd:
        # Learn the CWE of the remaining test ids from bandit itself, on files that had them.
        files = sorted({p for paths in missing.values() for p in paths})[:50]
        with tempfile.TemporaryDirectory(prefix="rt-bandit-map-") as tmp:
            for p in files:
                dest = Path(tmp) / p
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(target / p, dest)
            probe = run_bandit(bandit_cmd, Path(tmp), timeout, only=sorted(missing))
        bmap.update({k: v for k, v in bandit_cwe_map([probe]).items() if k not in bmap})
        learnt_from += " + a bandit run on the files readyterm flagged"
    sources: dict[str, int] = defaultdict(int)
    for f in rt.findings:
        if f.cwes:
            sources["finding cwe field"] += 1
        elif f.rule.startswith("bandit-"):
            test_id = f.rule[7:]
            if test_id in bmap:
                f.cwes = {bmap[test_id]}
                sources["bandit issue_cwe"] += 1
            else:
                text = " ".join(str(f.raw.get(k, "")) for k in ("why", "message"))
                f.cwes = {int(m) for m in CWE_NUMBER.findall(text)}
                sources["CWE in bandit finding text (fallback)"] += 1
        elif f.rule in rules:
            f.cwes = rules[f.rule]
            sources["rule metadata.cwe"] += 1
        else:
            sources["no CWE (project-level check)"] += 1
    return {
        "bandit_map": dict(sorted(bmap.items())),
        "bandit_map_from": learnt_from,
        "cwe_sources": dict(sources),
    }


# --------------------------------------------------------------------------- OWASP


def score_owasp(owasp: Path, findings: list[Finding], prefix: str = "") -> dict[str, Any]:
    hits: dict[str, set[int]] = defaultdict(set)
    for f in findings:
        if f.path.startswith(prefix):
            hits[Path(f.path).stem] |= f.cwes
    rows = {c: {"tp": 0, "fn": 0, "fp": 0, "tn": 0} for c in CATEGORIES}
    with (owasp / "expectedresults-0.1.csv").open(newline="") as fh:
        for rec in csv.reader(fh):
            if not rec or rec[0].startswith("#"):
                continue
            name, cat, real, cwe = rec[0].strip(), rec[1].strip(), rec[2].strip(), int(rec[3])
            flagged = cwe in hits.get(name, set())
            r = rows.setdefault(cat, {"tp": 0, "fn": 0, "fp": 0, "tn": 0})
            if real == "true":
                r["tp" if flagged else "fn"] += 1
            else:
                r["fp" if flagged else "tn"] += 1
    out: dict[str, Any] = {"categories": {}}
    for cat, r in rows.items():
        tpr = r["tp"] / max(1, r["tp"] + r["fn"])
        fpr = r["fp"] / max(1, r["fp"] + r["tn"])
        out["categories"][cat] = {**r, "tpr": tpr, "fpr": fpr, "score": tpr - fpr}
    cats = out["categories"]
    out["mean_score"] = sum(c["score"] for c in cats.values()) / len(cats)
    out["mean_injection"] = sum(cats[c]["score"] for c in INJECTION) / len(INJECTION)
    neg = sum(c["fp"] + c["tn"] for c in cats.values())
    out["fpr_overall"] = sum(c["fp"] for c in cats.values()) / max(1, neg)
    pos = sum(c["tp"] + c["fn"] for c in cats.values())
    out["tpr_overall"] = sum(c["tp"] for c in cats.values()) / max(1, pos)
    return out


def owasp_markdown(scores: dict[str, dict[str, Any]], notes: dict[str, str]) -> str:
    tools = list(scores)
    lines = ["### OWASP Benchmark for Python v0.1", ""]
    lines += [f"- {t}: {notes[t]}" for t in notes]
    lines.append("")
    head = "| category (CWE) | " + " | ".join(f"{t} TPR / FPR / score" for t in tools) + " |"
    lines += [head, "|---|" + "---|" * len(tools)]
    for cat, cwe in CATEGORIES.items():
        cells = []
        for t in tools:
            c = scores[t]["categories"][cat]
            cells.append(f"{c['tpr']:.2f} / {c['fpr']:.2f} / **{c['score']:+.2f}**")
        lines.append(f"| {cat} ({cwe}) | " + " | ".join(cells) + " |")
    lines.append(
        "| **mean of 14** | "
        + " | ".join(f"**{scores[t]['mean_score']:+.3f}**" for t in tools)
        + " |"
    )
    lines.append(
        "| **mean of 9 injection** | "
        + " | ".join(f"**{scores[t]['mean_injection']:+.3f}**" for t in tools)
        + " |"
    )
    lines.append(
        "| overall TPR / FPR | "
        + " | ".join(
            f"{scores[t]['tpr_overall']:.3f} / {scores[t]['fpr_overall']:.3f}" for t in tools
        )
        + " |"
    )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- fixtures


@dataclass
class Marker:
    tree: str
    path: str  # relative to the tree
    line: int
    kind: str  # PLANT | FIXED | SAFE
    step: str
    cls: str
    code: str
    hits: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def read_markers(root: Path) -> list[Marker]:
    markers = []
    for tree in ("vulnerable", "fixed"):
        for f in sorted((root / tree).rglob("*")):
            if f.suffix not in SOURCE_SUFFIXES or not f.is_file():
                continue
            rel = f.relative_to(root / tree).as_posix()
            for no, text in enumerate(f.read_text("utf-8").splitlines(), 1):
                m = MARKER.search(text)
                if m:
                    code = text[: m.start()].strip()
                    markers.append(
                        Marker(tree, rel, no, m.group(1), m.group(2), m.group(3), code[:140])
                    )
    return markers


def check_markers(markers: list[Marker]) -> list[str]:
    """Each planted defect has its fixed twin (same file, step and class) and steps are known."""
    problems = []
    count: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for m in markers:
        if m.step not in CODE_STEPS:
            problems.append(f"{m.tree}/{m.path}:{m.line}: unknown step {m.step}")
        if m.kind == "PLANT" and m.tree != "vulnerable":
            problems.append(f"{m.tree}/{m.path}:{m.line}: PLANT outside vulnerable/")
        if m.kind == "FIXED" and m.tree != "fixed":
            problems.append(f"{m.tree}/{m.path}:{m.line}: FIXED outside fixed/")
        if m.kind in ("PLANT", "FIXED"):
            count[(m.path, m.step, m.cls)][m.kind == "FIXED"] += 1
    for (path, step, cls), (p, fx) in sorted(count.items()):
        if p != fx:
            problems.append(f"{path}: {step}/{cls}: {p} PLANT vs {fx} FIXED")
    return problems


def match(markers: list[Marker], tool: str, findings: list[Finding]) -> list[Finding]:
    """Credit each finding to the nearest marker within NEAR lines; return the unmatched."""
    by_file: dict[tuple[str, str], list[Marker]] = defaultdict(list)
    for m in markers:
        by_file[(m.tree, m.path)].append(m)
    unmatched = []
    for f in findings:
        tree, _, rel = f.path.partition("/")
        best: list[Marker] = []
        best_d = NEAR + 1
        span_small = f.end_line - f.line <= 5
        for m in by_file.get((tree, rel), []):
            if f.step is not None and m.step != f.step:
                continue
            inside = span_small and f.line <= m.line <= f.end_line
            d = 0 if inside else abs(m.line - f.line)
            if d < best_d:
                best, best_d = [m], d
            elif d == best_d:
                best.append(m)
        if not best:
            unmatched.append(f)
        for m in best:
            m.hits[tool].append(f.rule)
    return unmatched


def fixtures_tables(
    markers: list[Marker], tools: list[str], other_fixed: dict[str, list[Finding]]
) -> tuple[str, dict[str, Any]]:
    plants = [m for m in markers if m.kind == "PLANT"]
    negs = [m for m in markers if m.kind in ("FIXED", "SAFE")]
    data: dict[str, Any] = {"steps": {}, "classes": {}}
    lines = [
        "### Fixtures: recall and false positives per step",
        "",
        f"{len(plants)} planted defects; {len([m for m in negs if m.kind == 'FIXED'])} "
        f"fixed twins and {len([m for m in negs if m.kind == 'SAFE'])} safe idioms "
        "(false-positive traps).",
        "",
    ]
    head = (
        "| step | planted | "
        + " | ".join(f"{t} found" for t in tools)
        + " | "
        + " | ".join(f"{t} FP" for t in tools)
        + " |"
    )
    lines += [head, "|---|---|" + "---|" * (2 * len(tools))]
    for step in [*CODE_STEPS, "total"]:
        ps = [m for m in plants if step in (m.step, "total")]
        ns = [m for m in negs if step in (m.step, "total")]
        row: dict[str, Any] = {"planted": len(ps), "traps": len(ns)}
        found_cells, fp_cells = [], []
        for t in tools:
            found = sum(1 for m in ps if m.hits.get(t))
            fp = sum(1 for m in ns if m.hits.get(t))
            row[t] = {"found": found, "recall": found / max(1, len(ps)), "fp": fp}
            found_cells.append(f"{found} ({found / max(1, len(ps)):.0%})")
            fp_cells.append(str(fp))
        data["steps"][step] = row
        name = f"**{step}**" if step == "total" else step
        lines.append(
            f"| {name} | {len(ps)} | "
            + " | ".join(found_cells)
            + " | "
            + " | ".join(fp_cells)
            + " |"
        )
    lines += [
        "",
        "Other findings on `fixed/` (matching no marker): "
        + ", ".join(f"{t} {len(other_fixed.get(t, []))}" for t in tools)
        + ".",
        "",
    ]

    lines += [
        "#### Per class",
        "",
        "| step/class | planted | " + " | ".join(tools) + " | FP " + " / ".join(tools) + " |",
        "|---|---|" + "---|" * (len(tools) + 1),
    ]
    classes = sorted(
        {(m.step, m.cls) for m in markers}, key=lambda sc: (CODE_STEPS.index(sc[0]), sc[1])
    )
    for step, cls in classes:
        ps = [m for m in plants if (m.step, m.cls) == (step, cls)]
        ns = [m for m in negs if (m.step, m.cls) == (step, cls)]
        found_by = {t: sum(1 for m in ps if m.hits.get(t)) for t in tools}
        fp_by = {t: sum(1 for m in ns if m.hits.get(t)) for t in tools}
        data["classes"][f"{step}/{cls}"] = {
            "planted": len(ps),
            "traps": len(ns),
            "found": found_by,
            "fp": fp_by,
        }
        lines.append(
            f"| {step}/{cls} | {len(ps)} | "
            + " | ".join(f"{found_by[t]}/{len(ps)}" for t in tools)
            + " | "
            + " / ".join(str(fp_by[t]) for t in tools)
            + " |"
        )
    return "\n".join(lines) + "\n", data


def missed_markdown(markers: list[Marker], tool: str) -> tuple[str, list[dict[str, Any]]]:
    missed = [m for m in markers if m.kind == "PLANT" and not m.hits.get(tool)]
    fps = [m for m in markers if m.kind != "PLANT" and m.hits.get(tool)]
    lines = [f"#### Planted defects {tool} misses ({len(missed)})", ""]
    lines += [f"- `{m.step}/{m.cls}` vulnerable/{m.path}:{m.line} `{m.code}`" for m in missed]
    lines += ["", f"#### {tool} false positives on fixed twins and safe idioms ({len(fps)})", ""]
    lines += [
        f"- `{m.step}/{m.cls}` ({m.kind}) {m.tree}/{m.path}:{m.line} `{m.code}` <- "
        f"{', '.join(sorted(set(m.hits[tool])))}"
        for m in fps
    ]
    rows = [
        {
            "step": m.step,
            "class": m.cls,
            "path": f"vulnerable/{m.path}",
            "line": m.line,
            "code": m.code,
        }
        for m in missed
    ]
    return "\n".join(lines) + "\n", rows


# --------------------------------------------------------------------------- main


def default_dir(env: str, fallback: Path) -> Path:
    return Path(os.environ.get(env) or fallback)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--owasp", type=Path, default=default_dir("READYTERM_OWASP_DIR", CACHE / "BenchmarkPython")
    )
    p.add_argument(
        "--semgrep-rules",
        type=Path,
        default=default_dir("READYTERM_SEMGREP_RULES", CACHE / "semgrep-rules"),
    )
    p.add_argument("--python", help="Python >= 3.12 interpreter to run bandit under")
    p.add_argument("--fixtures", type=Path, default=FIXTURES)
    p.add_argument("--quick", action="store_true", help="run only readyterm")
    p.add_argument("--skip-owasp", action="store_true")
    p.add_argument("--skip-fixtures", action="store_true")
    p.add_argument("--timeout", type=float, default=900, help="seconds per tool run")
    p.add_argument("--json", type=Path, help="write all numbers here")
    args = p.parse_args(argv)

    report: dict[str, Any] = {
        "readyterm_commit": git_head(ROOT),
        "rules_dirty": git_dirty(ROOT, "rules"),
        "python": sys.version.split()[0],
    }
    out: list[str] = ["# readyterm detection benchmark", ""]
    rc_sv, sv, _, _ = run([tool_path("semgrep") or "semgrep", "--version"], 60, env=OFFLINE_ENV)
    report["semgrep_version"] = sv.strip() if rc_sv == 0 else None
    bandit_cmd: list[str] = []
    bandit_label = "not run (--quick)"
    if not args.quick:
        bandit_cmd, bandit_label = pick_bandit(args.python)
    else:
        # readyterm's bandit findings still need bandit's CWEs; learnt on demand.
        bandit_cmd, _ = pick_bandit(args.python)
    semgrep_ok = (args.semgrep_rules / "python").is_dir()
    semgrep_note = (
        f"{args.semgrep_rules} at {git_head(args.semgrep_rules) or 'unknown commit'}"
        if semgrep_ok
        else f"skipped: no semgrep-rules checkout at {args.semgrep_rules} (git clone "
        "--depth 1 https://github.com/semgrep/semgrep-rules "
        f"{CACHE / 'semgrep-rules'}, or pass --semgrep-rules DIR)"
    )
    if args.quick:
        semgrep_note = "not run (--quick)"
    out += [
        f"readyterm commit `{report['readyterm_commit']}`"
        + (" (rules/ has uncommitted changes)" if report["rules_dirty"] else "")
        + f"; semgrep {report['semgrep_version']}; bandit under {bandit_label}; "
        f"semgrep public rules: {semgrep_note}.",
        "",
    ]
    report["bandit_interpreter"] = bandit_label
    report["semgrep_rules"] = semgrep_note

    with tempfile.TemporaryDirectory(prefix="readyterm-detection-") as tmpname:
        tmp = Path(tmpname)
        # ------------------------------------------------------------------ OWASP
        if args.skip_owasp:
            pass
        elif not (args.owasp / "expectedresults-0.1.csv").is_file():
            msg = (
                f"OWASP Benchmark for Python not found at {args.owasp}: skipped. Obtain it with "
                f"`git clone https://github.com/OWASP-Benchmark/BenchmarkPython "
                f"{CACHE / 'BenchmarkPython'}` (or pass --owasp DIR / set "
                "READYTERM_OWASP_DIR)."
            )
            print(msg, file=sys.stderr)
            out += [f"OWASP: {msg}", ""]
            report["owasp"] = {"skipped": msg}
        else:
            copy = tmp / "owasp"
            git_copy(args.owasp, copy)
            runs: dict[str, ToolRun] = {}
            print("OWASP: readyterm ...", file=sys.stderr)
            runs["readyterm"] = run_readyterm(copy, args.timeout)
            bandit_runs = []
            if not args.quick:
                print("OWASP: bandit ...", file=sys.stderr)
                runs["bandit"] = run_bandit(bandit_cmd, copy / "testcode", args.timeout)
                for f in runs["bandit"].findings:
                    f.path = "testcode/" + f.path
                bandit_runs.append(runs["bandit"])
                if semgrep_ok:
                    print("OWASP: semgrep public rules ...", file=sys.stderr)
                    runs["semgrep"] = run_semgrep_public(
                        args.semgrep_rules, ["python"], copy / "testcode", args.timeout, tmp
                    )
                    for f in runs["semgrep"].findings:
                        f.path = "testcode/" + f.path
            rt_cwe = (
                attach_readyterm_cwes(
                    runs["readyterm"], copy, bandit_cmd, bandit_runs, args.timeout
                )
                if runs["readyterm"].ok
                else {}
            )
            scores = {
                t: score_owasp(args.owasp, r.findings, "testcode/") for t, r in runs.items() if r.ok
            }
            notes = {
                t: f"{r.note}; {len(r.findings)} findings; {r.seconds:.0f} s"
                for t, r in runs.items()
            }
            if "readyterm" in scores:
                # What readyterm's own rule pack scores, without the bandit findings it relays.
                own = [f for f in runs["readyterm"].findings if not f.rule.startswith("bandit-")]
                scores["readyterm rules only"] = score_owasp(args.owasp, own, "testcode/")
                notes["readyterm rules only"] = (
                    f"readyterm's findings minus its bandit-* ones ({len(own)} findings)"
                )
            if "bandit" in notes:
                notes["bandit"] += f"; {bandit_label}"
            if scores:
                out.append(owasp_markdown(scores, notes))
            else:
                out += [f"- {t}: {n}" for t, n in notes.items()] + [""]
            report["owasp"] = {
                "commit": git_head(args.owasp),
                "notes": notes,
                "scores": scores,
                "readyterm_cwe": rt_cwe,
                "readyterm_run": runs["readyterm"].extra,
            }

        # ------------------------------------------------------------------ fixtures
        if not args.skip_fixtures:
            markers = read_markers(args.fixtures)
            problems = check_markers(markers)
            for prob in problems:
                print(f"fixture marker problem: {prob}", file=sys.stderr)
            copy = tmp / "fixtures"
            git_copy(args.fixtures, copy, ["vulnerable", "fixed"])
            print("fixtures: readyterm ...", file=sys.stderr)
            fruns: dict[str, ToolRun] = {"readyterm": run_readyterm(copy, args.timeout)}
            rt = fruns["readyterm"]
            rt.findings = [f for f in rt.findings if f.step in CODE_STEPS]
            if not args.quick:
                print("fixtures: bandit ...", file=sys.stderr)
                fruns["bandit"] = run_bandit(bandit_cmd, copy, args.timeout)
                if semgrep_ok:
                    print("fixtures: semgrep public rules ...", file=sys.stderr)
                    fruns["semgrep"] = run_semgrep_public(
                        args.semgrep_rules,
                        ["python", "javascript", "typescript"],
                        copy,
                        args.timeout,
                        tmp,
                    )
            tools = [t for t, r in fruns.items() if r.ok]
            other_fixed: dict[str, list[Finding]] = {}
            for t in tools:
                unmatched = match(markers, t, fruns[t].findings)
                other_fixed[t] = [f for f in unmatched if f.path.startswith("fixed/")]
            notes = {
                t: f"{r.note}; {len(r.findings)} findings; {r.seconds:.0f} s"
                for t, r in fruns.items()
            }
            out += ["## Fixtures (benchmarks/fixtures/detection)", ""]
            out += [f"- {t}: {n}" for t, n in notes.items()]
            if problems:
                out += [f"- marker problems: {len(problems)} (see stderr)"]
            out.append("")
            table, fdata = fixtures_tables(markers, tools, other_fixed)
            out.append(table)
            missed_rows: list[dict[str, Any]] = []
            if "readyterm" in tools:
                text, missed_rows = missed_markdown(markers, "readyterm")
                out.append(text)
                others = other_fixed["readyterm"]
                out += [f"#### readyterm findings on fixed/ matching no marker ({len(others)})", ""]
                out += [f"- {f.step} `{f.rule}` {f.path}:{f.line}" for f in others]
                out.append("")
            report["fixtures"] = {
                "notes": notes,
                "marker_problems": problems,
                **fdata,
                "readyterm_missed": missed_rows,
                "other_findings_on_fixed": {
                    t: [f"{f.rule} {f.path}:{f.line}" for f in fs] for t, fs in other_fixed.items()
                },
                "readyterm_run": rt.extra,
                "markers": [
                    {
                        "kind": m.kind,
                        "marker": f"{m.step}/{m.cls}",
                        "at": f"{m.tree}/{m.path}:{m.line}",
                        "hits": {t: sorted(set(r)) for t, r in m.hits.items()},
                    }
                    for m in markers
                ],
            }

    text = "\n".join(out)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=sorted) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
