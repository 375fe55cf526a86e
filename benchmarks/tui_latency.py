"""How fast the walkthrough draws its first frame, and how fast it answers keys mid-run.

Issue 7, target 6: "The TUI shows its first frame within 1 s and stays responsive (key
presses handled within 100 ms) while all steps run". Measured the way a person meets the
app: `readyterm PATH` in a real terminal (a private tmux server, 120x40), keys sent with
`tmux send-keys`, the screen read with `tmux capture-pane -p` every `--interval` seconds.

    .venv/bin/python benchmarks/tui_latency.py --repo PATH [--runs N] [--json OUT]

Each run:

1. First frame: from starting `readyterm PATH --all --no-staging --no-cache` (a fresh
   tmux session, READYTERM_CACHE_DIR a new temp dir, so every check really runs) until
   the screen shows the app's first complete frame: the `readyterm` header, the nine
   step titles and the summary entry of the checklist, and the footer with `q Quit`.
   Also when the steps first show as running, and when the run ends.
2. Key latency while the steps run: Down/Up alternately (the checklist has the focus at
   start), each followed by polling until the step pane on the right shows the newly
   selected step's title. At least `--presses` presses, `--gap` seconds apart, and on
   until the run ends, so the whole run (semgrep's output being parsed included) is
   covered. Only presses sent while the header says "running" count for the target; the
   others are reported as idle. The latency is from just before `send-keys` until the
   capture that shows the change returned: it includes up to one polling interval and
   the cost of a `capture-pane` call (both reported); nothing is subtracted.
3. Quit with `q`, wait for the process to exit, kill the tmux server, and check that no
   process of this run is left (every process started carries a token in its
   environment; leftovers are reported and killed).

Before the runs it byte-compiles readyterm (as `pip install` does: an installed copy never
compiles its sources at start) and measures the interpreter's start and the imports the
walkthrough needs (wall time of `python -c 'import ...'` minus `python -c pass`, and the
biggest imports from `python -X importtime`), so the reader knows how much of the first
frame is imports.

Prints a Markdown table (medians of the runs, load average beside them) and pass/fail
against the targets (first frame <= 1 s, key p95 <= 100 ms). Exit status: 0 measured
(whatever the verdict; 1 instead with --strict when a target is missed), 3 the
measurement itself failed (no frame, a key never took effect, a process was left over).
Standard library only; needs tmux and readyterm installed in the interpreter's venv.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FIRST_FRAME_TARGET_S = 1.0
KEY_P95_TARGET_MS = 100.0
WIDTH, HEIGHT = 120, 40
TOKEN_VARIABLE = "TUI_LATENCY_BENCH_TOKEN"  # READYTERM_* would be read as config
#: What the walkthrough imports before it can draw (readyterm's entry point, down to the app).
STARTUP_IMPORTS = ("readyterm.cli", "readyterm.tui", "readyterm.tui.app")
#: The checklist as the app draws it (readyterm.foundation.steps), the summary entry last.
STEP_TITLES = (
    "Environment",
    "Error handling",
    "Input validation",
    "Concurrency",
    "Performance",
    "Logging",
    "Monitoring",
    "Tests",
    "Staging",
)
PANE_SEPARATOR = "▕"  # the checklist's right border: the step pane is right of it


class MeasurementError(Exception):
    """The benchmark could not measure (not: the app was slow)."""


# --- the screen -------------------------------------------------------------------------


def _left(line: str) -> str:
    return line.split(PANE_SEPARATOR, 1)[0]


def _right(line: str) -> str:
    parts = line.split(PANE_SEPARATOR, 1)
    return parts[1] if len(parts) == 2 else ""


def first_frame_complete(screen: str) -> bool:
    """Header, the nine step titles and the summary entry, and the footer are on screen."""
    lines = screen.splitlines()
    if not lines or "readyterm" not in lines[0]:
        return False
    left = [_left(line).strip() for line in lines[1:]]
    for title in (*STEP_TITLES, "Summary"):
        if not any(entry[2:].startswith(title) for entry in left):  # after "◔ " etc.
            return False
    footer = [line for line in lines if line.strip()][-1]
    return "Quit" in footer


def is_running(screen: str) -> bool:
    """The header says "◔ N running" while any step runs."""
    lines = screen.splitlines()
    return bool(lines) and " running" in lines[0]


def run_finished(screen: str) -> bool:
    """The summary entry shows a verdict (it says "verdict after the run" until then)."""
    return "verdict · press s" in screen


def selected_step(screen: str) -> str | None:
    """The title of the step shown in the pane right of the checklist."""
    for line in screen.splitlines()[1:]:
        right = _right(line).strip()
        if right:
            for title in STEP_TITLES:
                if right.startswith(title):
                    return title
            return None
    return None


# --- tmux ------------------------------------------------------------------------------


class Tmux:
    """A private tmux server (its own socket, no user config) for one run."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.env = env
        self.capture_seconds: list[float] = []

    def cmd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = ["tmux", "-L", self.name, "-f", os.devnull, *args]
        done = subprocess.run(argv, capture_output=True, text=True, env=self.env, timeout=30)
        if check and done.returncode != 0:
            raise MeasurementError(f"{' '.join(argv)}: {done.stderr.strip()}")
        return done

    def start(self) -> None:
        # exit-empty off: the server waits for our session; remain-on-exit: the exit status
        # of readyterm stays readable after it quit.
        self.cmd(
            "start-server",
            ";",
            "set-option",
            "-g",
            "exit-empty",
            "off",
            ";",
            "set-option",
            "-gw",
            "remain-on-exit",
            "on",
        )

    def capture(self, target: str) -> str:
        started = time.perf_counter()
        done = self.cmd("capture-pane", "-p", "-t", target, check=False)
        self.capture_seconds.append(time.perf_counter() - started)
        return done.stdout if done.returncode == 0 else ""

    def pane(self, target: str) -> tuple[bool, int | None, int | None]:
        """(dead, exit status or 128 + signal, pid) of the session's pane."""
        done = self.cmd(
            "display-message",
            "-p",
            "-t",
            target,
            "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}|#{pane_pid}",
        )
        dead, status, signum, pid = [*done.stdout.strip().split("|"), "", "", "", ""][:4]
        code = int(status) if status else (128 + int(signum) if signum else None)
        return dead == "1", code, int(pid) if pid else None

    def kill(self) -> None:
        self.cmd("kill-server", check=False)


# --- processes -------------------------------------------------------------------------


def processes_with_token(token: str) -> dict[int, str]:
    """Every live process (ours: /proc environ is readable) carrying the run's token."""
    needle = f"{TOKEN_VARIABLE}={token}".encode()
    found: dict[int, str] = {}
    me = os.getpid()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            with open(f"/proc/{entry.name}/environ", "rb") as file:
                if needle not in file.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry.name}/cmdline", "rb") as file:
                cmdline = file.read().replace(b"\0", b" ").decode(errors="replace").strip()
            with open(f"/proc/{entry.name}/stat", "rb") as file:
                if file.read().rsplit(b")", 1)[-1].split()[0] == b"Z":
                    continue  # a zombie is already gone, waiting for its parent
        except OSError:
            continue
        found[int(entry.name)] = cmdline[:200]
    return found


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of one process (not its children), or None when it is gone."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            fields = file.read().rsplit(b")", 1)[-1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop_processes(pids: Sequence[int]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, sig)
        time.sleep(1.0)


# --- one run -------------------------------------------------------------------------------


@dataclass
class Press:
    key: str
    latency_ms: float
    polls: int
    while_running: bool
    at_s: float  # since launch


@dataclass
class RunResult:
    run: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    first_frame_s: float | None = None
    running_shown_s: float | None = None
    run_finished_s: float | None = None
    presses: list[Press] = field(default_factory=list)
    #: CPU time of the app's own process (not the helper, not the tools): load-independent.
    first_frame_cpu_s: float | None = None
    keys_cpu_ms_per_press: float | None = None
    quit_s: float | None = None
    exit_status: int | None = None
    processes_seen: int = 0
    leftover: dict[int, str] = field(default_factory=dict)
    capture_ms_median: float = 0.0
    first_screen: str = ""
    error: str = ""

    def latencies(self, running: bool = True) -> list[float]:
        return [p.latency_ms for p in self.presses if p.while_running == running]


def nearest_rank(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _wait_for(
    tmux: Tmux, target: str, interval: float, timeout: float, test: Any
) -> tuple[str, float, int]:
    """Poll capture-pane until test(screen); (screen, seconds, polls). Raises on timeout."""
    started = time.perf_counter()
    polls = 0
    while True:
        tick = time.perf_counter()
        screen = tmux.capture(target)
        polls += 1
        now = time.perf_counter()
        if test(screen):
            return screen, now - started, polls
        if polls % 50 == 0 and tmux.pane(target)[0]:
            raise MeasurementError(f"readyterm exited early; screen:\n{screen.rstrip()}")
        if now - started > timeout:
            dead, status, _pid = tmux.pane(target)
            state = f"readyterm exited with {status}" if dead else "still running"
            raise MeasurementError(f"timed out after {timeout:.0f}s ({state}); screen:\n{screen}")
        time.sleep(max(0.0, interval - (time.perf_counter() - tick)))


def one_run(number: int, options: argparse.Namespace, readyterm: str) -> RunResult:
    result = RunResult(run=number, load_before=os.getloadavg())
    token = uuid.uuid4().hex
    cache_dir = tempfile.mkdtemp(prefix="readyterm-bench-cache-")
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
    env.update(
        {
            TOKEN_VARIABLE: token,
            "READYTERM_CACHE_DIR": cache_dir,
            "READYTERM_TESTS__RUN": "0",  # the checks' latency, not Django's test suite
            "SEMGREP_ENABLE_VERSION_CHECK": "0",
        }
    )
    tmux = Tmux(f"readyterm-bench-{os.getpid()}-{number}", env)
    target = "bench"
    argv = [readyterm, str(options.repo), *options.readyterm_args]
    interval = options.interval
    try:
        tmux.start()
        launched = time.perf_counter()
        tmux.cmd(
            "new-session",
            "-d",
            "-s",
            target,
            "-x",
            str(WIDTH),
            "-y",
            str(HEIGHT),
            *(
                arg
                for name in (TOKEN_VARIABLE, "READYTERM_CACHE_DIR")
                for arg in ("-e", f"{name}={env[name]}")
            ),
            *argv,
        )

        def since_launch() -> float:
            return time.perf_counter() - launched

        # 1. The first complete frame.
        screen, _s, _n = _wait_for(tmux, target, interval, options.timeout, first_frame_complete)
        result.first_frame_s = since_launch()
        result.first_screen = screen
        app_pid = tmux.pane(target)[2]
        result.first_frame_cpu_s = cpu_seconds(app_pid)

        # ... and the steps running (or, on a tiny repo, already done).
        screen, _s, _n = _wait_for(
            tmux, target, interval, options.timeout, lambda s: is_running(s) or run_finished(s)
        )
        result.running_shown_s = since_launch()

        # 2. Keys: Down/Up between the first two steps, through the whole run.
        deadline = time.perf_counter() + options.max_seconds
        cpu_before = cpu_seconds(app_pid)
        while len(result.presses) < options.max_presses and time.perf_counter() < deadline:
            screen = tmux.capture(target)
            running = is_running(screen)
            if result.run_finished_s is None and run_finished(screen):
                result.run_finished_s = since_launch()
            idle = [p for p in result.presses if not p.while_running]
            enough = len(result.presses) >= options.presses and len(idle) >= options.idle_presses
            if not running and enough:
                break
            if len(result.presses) == 3:
                result.processes_seen = len(processes_with_token(token))
            current = selected_step(screen)
            key, expected = (
                ("Down", STEP_TITLES[1]) if current == STEP_TITLES[0] else ("Up", STEP_TITLES[0])
            )
            sent = time.perf_counter()
            tmux.cmd("send-keys", "-t", target, key)
            _screen, _s, polls = _wait_for(
                tmux,
                target,
                interval,
                options.key_timeout,
                lambda s, expected=expected: selected_step(s) == expected,
            )
            latency = (time.perf_counter() - sent) * 1000
            result.presses.append(Press(key, latency, polls, running, round(since_launch(), 3)))
            time.sleep(options.gap)

        cpu_after = cpu_seconds(app_pid)
        if cpu_before is not None and cpu_after is not None and result.presses:
            # Everything the app did while keys were pressed (progress events too), per key.
            per_press = (cpu_after - cpu_before) * 1000 / len(result.presses)
            result.keys_cpu_ms_per_press = round(per_press, 1)

        # 3. Quit the way a person does, and wait for the process to end.
        quit_sent = time.perf_counter()
        tmux.cmd("send-keys", "-t", target, "q")
        while True:
            dead, status, _pid = tmux.pane(target)
            if dead:
                result.quit_s = time.perf_counter() - quit_sent
                result.exit_status = status
                break
            if time.perf_counter() - quit_sent > options.quit_timeout:
                result.error = f"readyterm did not exit within {options.quit_timeout:.0f}s of q"
                break
            time.sleep(0.02)
    except MeasurementError as exc:
        result.error = str(exc)
    finally:
        tmux.kill()
        result.capture_ms_median = (
            statistics.median(tmux.capture_seconds) * 1000 if tmux.capture_seconds else 0.0
        )
        # The tools stop with readyterm; give them a moment, then anything left is a leak.
        left: dict[int, str] = {}
        for _ in range(50):
            left = processes_with_token(token)
            if not left:
                break
            time.sleep(0.2)
        result.leftover = left
        if left:
            stop_processes(list(left))
        shutil.rmtree(cache_dir, ignore_errors=True)
        result.load_after = os.getloadavg()
    return result


# --- imports -------------------------------------------------------------------------------


def _wall(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def byte_compile(python: str) -> None:
    """Compile readyterm's modules once, as `pip install` does for an installed package.

    An editable install compiles on first import and keeps the result, unless
    PYTHONDONTWRITEBYTECODE is set (as on some CI images and sandboxes): then every start
    would compile readyterm's sources again, which no installed copy does.
    """
    code = (
        "import compileall, os, readyterm; "
        "compileall.compile_dir(os.path.dirname(readyterm.__file__), quiet=1)"
    )
    subprocess.run([python, "-c", code], check=True, capture_output=True, timeout=300)


def measure_imports(python: str, repeat: int) -> dict[str, Any]:
    """Interpreter start, the walkthrough's imports on top, and the biggest of them."""
    code = "import " + ", ".join(STARTUP_IMPORTS)
    bare = [_wall([python, "-c", "pass"]) for _ in range(repeat)]
    full = [_wall([python, "-c", code]) for _ in range(repeat)]
    done = subprocess.run(
        [python, "-X", "importtime", "-c", code],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # "import time: self [us] | cumulative | package": the self times summed by top-level
    # package say where the time goes (textual, rich, jsonschema, readyterm itself, ...).
    top: dict[str, int] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, _cumulative, name = line[len("import time:") :].split("|")
        root = name.strip().split(".")[0]
        top[root] = top.get(root, 0) + int(own)
    biggest = sorted(top.items(), key=lambda item: -item[1])[:6]
    interpreter = statistics.median(bare)
    return {
        "interpreter_start_s": round(interpreter, 3),
        "imports_s": round(statistics.median(full) - interpreter, 3),
        "importtime_top_ms": {name: round(us / 1000, 1) for name, us in biggest},
    }


# --- report --------------------------------------------------------------------------------


def summarise(
    runs: list[RunResult], imports: dict[str, Any], options: argparse.Namespace
) -> dict[str, Any]:
    good = [r for r in runs if not r.error and r.first_frame_s is not None]

    def med(values: list[float]) -> float | None:
        return round(statistics.median(values), 3) if values else None

    per_run = []
    for r in good:
        during = r.latencies(True)
        per_run.append(
            {
                "first_frame_s": r.first_frame_s,
                "key_median_ms": statistics.median(during) if during else None,
                "key_p95_ms": nearest_rank(during, 0.95) if during else None,
                "key_max_ms": max(during) if during else None,
                "presses_while_running": len(during),
            }
        )
    first = med([p["first_frame_s"] for p in per_run])
    p95 = med([p["key_p95_ms"] for p in per_run if p["key_p95_ms"] is not None])
    summary = {
        "first_frame_s": first,
        "running_shown_s": med([r.running_shown_s for r in good if r.running_shown_s]),
        "run_finished_s": med([r.run_finished_s for r in good if r.run_finished_s]),
        "key_median_ms": med([p["key_median_ms"] for p in per_run if p["key_median_ms"]]),
        "key_p95_ms": p95,
        "key_max_ms": med([p["key_max_ms"] for p in per_run if p["key_max_ms"]]),
        "key_max_ms_all_runs": max((p["key_max_ms"] or 0 for p in per_run), default=None),
        "presses_while_running": sum(p["presses_while_running"] for p in per_run),
        "idle_key_median_ms": med([x for r in good for x in r.latencies(False)]),
        "quit_s": med([r.quit_s for r in good if r.quit_s is not None]),
        "first_frame_cpu_s": med([r.first_frame_cpu_s for r in good if r.first_frame_cpu_s]),
        "keys_cpu_ms_per_press": med(
            [r.keys_cpu_ms_per_press for r in good if r.keys_cpu_ms_per_press is not None]
        ),
        "capture_ms_median": med([r.capture_ms_median for r in good]),
        "load_before": med([r.load_before[0] for r in good]),
        "load_after": med([r.load_after[0] for r in good]),
    }
    first_ok = first is not None and first <= FIRST_FRAME_TARGET_S
    key_ok = p95 is not None and p95 <= KEY_P95_TARGET_MS
    return {
        "summary": summary,
        "per_run": per_run,
        "targets": {
            "first_frame_s": {"target": FIRST_FRAME_TARGET_S, "value": first, "pass": first_ok},
            "key_p95_ms": {"target": KEY_P95_TARGET_MS, "value": p95, "pass": key_ok},
        },
        "pass": first_ok and key_ok,
        "imports": imports,
        "runs_ok": len(good),
        "runs": len(runs),
    }


def _fmt(value: float | None, unit: str, scale: float = 1.0, digits: int = 0) -> str:
    return "—" if value is None else f"{value * scale:.{digits}f} {unit}"


def markdown(report: dict[str, Any], options: argparse.Namespace) -> str:
    s = report["summary"]
    imp = report["imports"]
    t = report["targets"]
    ok = {True: "pass", False: "**FAIL**"}
    top = ", ".join(f"{k} {v:.0f} ms" for k, v in imp["importtime_top_ms"].items())
    rows = [
        (
            "first frame",
            _fmt(s["first_frame_s"], "s", digits=2),
            f"≤ {FIRST_FRAME_TARGET_S:.0f} s",
            ok[t["first_frame_s"]["pass"]],
        ),
        ("  of which interpreter start", _fmt(imp["interpreter_start_s"], "s", digits=2), "", ""),
        ("  of which imports", _fmt(imp["imports_s"], "s", digits=2), "", top),
        (
            "  CPU time of the app process by then",
            _fmt(s["first_frame_cpu_s"], "s", digits=2),
            "",
            "independent of load",
        ),
        ("steps shown running", _fmt(s["running_shown_s"], "s", digits=2), "", ""),
        ("key latency median (while running)", _fmt(s["key_median_ms"], "ms"), "", ""),
        (
            "key latency p95 (while running)",
            _fmt(s["key_p95_ms"], "ms"),
            f"≤ {KEY_P95_TARGET_MS:.0f} ms",
            ok[t["key_p95_ms"]["pass"]],
        ),
        (
            "key latency max (while running)",
            _fmt(s["key_max_ms"], "ms"),
            "",
            f"worst of all runs {_fmt(s['key_max_ms_all_runs'], 'ms')}",
        ),
        (
            "  CPU time of the app process per key",
            _fmt(s["keys_cpu_ms_per_press"], "ms"),
            "",
            "independent of load",
        ),
        ("key latency median (idle, after the run)", _fmt(s["idle_key_median_ms"], "ms"), "", ""),
        ("run finished", _fmt(s["run_finished_s"], "s", digits=1), "", ""),
        ("quit (q until the process exited)", _fmt(s["quit_s"], "s", digits=2), "", ""),
    ]
    lines = [
        f"TUI latency: {options.repo} ({report['runs_ok']}/{report['runs']} runs, medians), "
        f"{os.cpu_count()} CPUs, load average {s['load_before']} before / {s['load_after']} after",
        "",
        "| measure | value | target | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
        f"Screen polled every {options.interval * 1000:.0f} ms (a capture-pane call took "
        f"{_fmt(s['capture_ms_median'], 'ms', digits=1)} median); key latencies include up to one "
        f"interval and one call; {s['presses_while_running']} presses while the steps ran.",
        f"Target 6: {'PASS' if report['pass'] else 'FAIL'} "
        "(first frame ≤ 1 s and key p95 ≤ 100 ms).",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, required=True, help="git repository to check")
    parser.add_argument("--runs", type=int, default=3, help="runs (default 3); medians reported")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--presses", type=int, default=20, help="at least this many keys per run")
    parser.add_argument(
        "--idle-presses",
        type=int,
        default=5,
        help="keys after the run ended, for comparison (default 5)",
    )
    parser.add_argument("--max-presses", type=int, default=600)
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between key presses")
    parser.add_argument("--interval", type=float, default=0.01, help="capture-pane poll interval")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a frame")
    parser.add_argument("--key-timeout", type=float, default=10.0)
    parser.add_argument("--quit-timeout", type=float, default=30.0)
    parser.add_argument("--max-seconds", type=float, default=900.0, help="cap on one run's keys")
    parser.add_argument(
        "--readyterm",
        help="the readyterm executable (default: the one next to this interpreter)",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="judge only the change (default: --all, so every check runs on every file)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        parser.error("tmux is needed (apt-get install tmux)")
    readyterm = options.readyterm or str(Path(sys.executable).parent / "readyterm")
    if not Path(readyterm).exists() and shutil.which(readyterm) is None:
        parser.error(f"no readyterm at {readyterm}; pass --readyterm")
    options.repo = options.repo.resolve()
    options.readyterm_args = [*([] if options.diff else ["--all"]), "--no-staging", "--no-cache"]

    byte_compile(sys.executable)
    print(f"measuring imports ({sys.executable})…", file=sys.stderr)
    imports = measure_imports(sys.executable, repeat=3)
    runs: list[RunResult] = []
    for number in range(1, options.runs + 1):
        print(
            f"run {number}/{options.runs}: readyterm {options.repo} "
            + " ".join(options.readyterm_args),
            file=sys.stderr,
        )
        result = one_run(number, options, readyterm)
        runs.append(result)
        during = result.latencies(True)
        print(
            f"  first frame {_fmt(result.first_frame_s, 's', digits=2)}, "
            f"{len(during)} keys while running: "
            f"median {_fmt(statistics.median(during) if during else None, 'ms')}, "
            f"max {_fmt(max(during) if during else None, 'ms')}; "
            f"quit {_fmt(result.quit_s, 's', digits=2)} "
            f"(exit {result.exit_status}); load {result.load_before[0]:.2f}"
            + (f"; ERROR {result.error}" if result.error else "")
            + (f"; LEFT OVER {result.leftover}" if result.leftover else ""),
            file=sys.stderr,
        )
    report = summarise(runs, imports, options)
    report["machine"] = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    report["command"] = [readyterm, str(options.repo), *options.readyterm_args]
    report["interval_s"] = options.interval
    report["runs_detail"] = [asdict(r) for r in runs]
    print(markdown(report, options))
    if options.json:
        options.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
    failed = [r for r in runs if r.error or r.leftover]
    if failed or not report["runs_ok"]:
        for r in failed:
            print(f"run {r.run}: {r.error or ''} {r.leftover or ''}", file=sys.stderr)
        return 3
    return 1 if options.strict and not report["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
