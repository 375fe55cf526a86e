"""Precision of readyterm's semgrep rule packs on real, popular code that no one here wrote.

    python benchmarks/precision.py [--packages django,express] [--rules rules/] [--json OUT]

Downloads pinned source releases (PyPI sdists with `pip download --no-binary :all: --no-deps`,
npm tarballs with `npm pack`) into benchmarks/.cache/ (git-ignored), unpacks them, counts lines
of code, scans each with semgrep over the whole rule pack (offline), and prints a Markdown
table: findings per 10k lines per step, for production code and, separately, for test code,
examples and docs (which readyterm downgrades), plus the rules that fired most.

The raw semgrep findings are kept in benchmarks/.cache/findings/<package>.json so that a
sample can be read and judged by hand (see PRECISION.md for the method and the verdicts).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from sdist import DOWNLOAD_TIMEOUT, download_sdist, unpack  # this folder

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"

# (name, version, ecosystem) -- pinned so that the numbers are reproducible.
PACKAGES: list[tuple[str, str, str]] = [
    ("django", "5.0.6", "pypi"),
    ("flask", "3.0.3", "pypi"),
    ("fastapi", "0.111.0", "pypi"),
    ("requests", "2.32.3", "pypi"),
    ("httpx", "0.27.0", "pypi"),
    ("celery", "5.4.0", "pypi"),
    ("express", "4.19.2", "npm"),
    ("koa", "2.15.3", "npm"),
    ("axios", "1.7.2", "npm"),
]

STEPS = ["environment", "error-handling", "input-validation", "concurrency", "performance",
         "logging", "tests"]
SOURCE_SUFFIXES = {".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"}
# Built bundles and vendored code are not the package's source.
SKIP_DIRS = {"node_modules", "dist", "build", ".git", "__pycache__", ".tox", ".venv"}
SEMGREPIGNORE = "node_modules/\ndist/\nbuild/\n*.min.js\n*.map\n"
# Test code, examples and docs: readyterm downgrades findings there; reported separately.
_NONPROD_DIR = re.compile(
    r"(^|/)(t|tests?|testing|__tests__|spec|specs|examples?|docs?|docs_src|benchmarks?|bench|scripts|"
    r"fixtures?|extras)(/|$)"
)
_NONPROD_FILE = re.compile(r"(^|/)(test_[^/]*\.py|[^/]*_test\.py|conftest\.py|[^/]*\.(test|spec)\.[cm]?[jt]sx?)$")

SEMGREP = ROOT / ".venv" / "bin" / "semgrep"
OFFLINE_ENV = {
    "SEMGREP_ENABLE_VERSION_CHECK": "0",
    "SEMGREP_SEND_METRICS": "off",
    "READYTERM_TESTS__RUN": "0",  # the rules' findings, not the packages' own test suites
}


def is_prod(path: str) -> bool:
    return not (_NONPROD_DIR.search(path) or _NONPROD_FILE.search(path))


def fetch(name: str, version: str, ecosystem: str) -> Path:
    """Download and unpack one release; returns the unpacked source folder (cached)."""
    downloads = CACHE / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    target = CACHE / "src" / f"{name}-{version}"
    if (target / ".unpacked").exists():
        return target
    if ecosystem == "pypi":
        archive = download_sdist(name, version, downloads)
    else:
        archive = downloads / f"{name}-{version}.tgz"
        if not archive.exists():
            subprocess.run(["npm", "pack", "--silent", f"{name}@{version}"], cwd=downloads,
                           check=True, stdout=subprocess.DEVNULL, timeout=DOWNLOAD_TIMEOUT)
    if not archive.exists():
        raise SystemExit(f"could not download {name}=={version}")
    target.mkdir(parents=True, exist_ok=True)
    unpack(archive, target)
    (target / ".semgrepignore").write_text(SEMGREPIGNORE)
    (target / ".unpacked").touch()
    return target


def source_files(root: Path) -> list[Path]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        for filename in filenames:
            path = Path(dirpath) / filename
            if path.suffix in SOURCE_SUFFIXES and not filename.endswith(".min.js"):
                files.append(path)
    return files


def count_loc(path: Path) -> int:
    """Non-blank lines that are not only a comment (#, //, /* */ continuation, docstring-free)."""
    count = 0
    comment = "#" if path.suffix == ".py" else "//"
    for line in path.read_text("utf-8", errors="replace").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(comment):
            continue
        if path.suffix != ".py" and stripped.startswith(("/*", "*", "*/")):
            continue
        count += 1
    return count


def scan(root: Path, rules: Path) -> list[dict]:
    done = subprocess.run(
        [str(SEMGREP), "scan", "--json", "--metrics=off", "--disable-version-check", "--quiet",
         "--no-git-ignore", "--disable-nosem", "--timeout", "30", "--config", str(rules), "."],
        cwd=root, env={**os.environ, **OFFLINE_ENV}, capture_output=True, text=True, check=False,
    )
    try:
        payload = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"semgrep failed on {root}:\n{done.stderr[-2000:]}") from None
    errors = payload.get("errors", [])
    fatal = [e for e in errors if e.get("level") == "error" and "rule" in e.get("type", "").lower()]
    if fatal:
        raise SystemExit(f"semgrep rule error on {root}: {fatal[0].get('message', '')[:1000]}")
    if errors:
        print(f"  ({len(errors)} semgrep warnings, e.g. unparsable files, ignored)", file=sys.stderr)
    return payload["results"]


def rule_id(check_id: str) -> str:
    return check_id.rsplit(".", 1)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", help="comma-separated subset of the pinned packages")
    parser.add_argument("--rules", default=str(ROOT / "rules"))
    parser.add_argument("--json", help="also write the summary as JSON to this path")
    parser.add_argument("--no-scan", action="store_true",
                        help="re-count from the findings cached by the last run (no semgrep)")
    args = parser.parse_args()
    wanted = set(args.packages.split(",")) if args.packages else None
    rules = Path(args.rules).resolve()
    (CACHE / "findings").mkdir(parents=True, exist_ok=True)

    rows = []
    prod_rules: collections.Counter[str] = collections.Counter()
    nonprod_rules: collections.Counter[str] = collections.Counter()
    for name, version, ecosystem in PACKAGES:
        if wanted and name not in wanted:
            continue
        print(f"[{name} {version}] fetching", file=sys.stderr, flush=True)
        root = fetch(name, version, ecosystem)
        loc = {"prod": 0, "nonprod": 0}
        for file in source_files(root):
            rel = file.relative_to(root).as_posix()
            loc["prod" if is_prod(rel) else "nonprod"] += count_loc(file)
        print(f"[{name} {version}] scanning {sum(loc.values())} lines", file=sys.stderr, flush=True)
        cached = CACHE / "findings" / f"{name}.json"
        if args.no_scan and cached.exists():
            results = json.loads(cached.read_text())
        else:
            results = scan(root, rules)
            cached.write_text(json.dumps(results, indent=1))
        counts = {"prod": collections.Counter(), "nonprod": collections.Counter()}
        by_rule: collections.Counter[str] = collections.Counter()
        for finding in results:
            meta = finding["extra"].get("metadata", {}).get("readyterm", {})
            step = meta.get("step", "?")
            where = "prod" if is_prod(finding["path"]) else "nonprod"
            counts[where][step] += 1
            rid = rule_id(finding["check_id"])
            (prod_rules if where == "prod" else nonprod_rules)[rid] += 1
            if where == "prod":
                by_rule[rid] += 1
        rows.append({"package": f"{name} {version}", "loc": loc, "counts": counts,
                     "top": by_rule.most_common(3)})

    def per10k(n: int, lines: int) -> str:
        return "0" if n == 0 else f"{10000 * n / max(lines, 1):.1f}"

    out = []
    for where, title in (("prod", "Production code (tests, examples, docs excluded)"),
                         ("nonprod", "Tests, examples and docs (downgraded by readyterm)")):
        out.append(f"### {title}: findings per 10k lines\n")
        out.append("| package | kLOC | " + " | ".join(STEPS) + " | total | top rules |")
        out.append("|---|---:|" + "---:|" * (len(STEPS) + 1) + "---|")
        tot_loc, tot = 0, collections.Counter()
        for row in rows:
            lines = row["loc"][where]
            tot_loc += lines
            tot.update(row["counts"][where])
            cells = [per10k(row["counts"][where][s], lines) for s in STEPS]
            total = per10k(sum(row["counts"][where].values()), lines)
            top = ", ".join(f"{r} ({n})" for r, n in row["top"]) if where == "prod" else ""
            out.append(f"| {row['package']} | {lines / 1000:.1f} | " + " | ".join(cells)
                       + f" | {total} | {top} |")
        cells = [per10k(tot[s], tot_loc) for s in STEPS]
        out.append(f"| **all** | {tot_loc / 1000:.1f} | " + " | ".join(cells)
                   + f" | {per10k(sum(tot.values()), tot_loc)} | |")
        out.append("")
    out.append("### Findings per rule (production code / tests-examples-docs)\n")
    out.append("| rule | production | tests, examples, docs |")
    out.append("|---|---:|---:|")
    for rid in sorted(set(prod_rules) | set(nonprod_rules),
                      key=lambda r: (-prod_rules[r], -nonprod_rules[r], r)):
        out.append(f"| {rid} | {prod_rules[rid]} | {nonprod_rules[rid]} |")
    print("\n".join(out))
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"rows": rows, "prod_rules": prod_rules, "nonprod_rules": nonprod_rules}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
