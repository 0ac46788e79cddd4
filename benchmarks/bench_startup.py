"""Start-up time of `badnews` against a bare Textual app, both timed in a real terminal (tmux), side by side.

Each run starts the program in a detached 80x24 tmux pane and polls the pane until the first screen is
fully drawn (header, body and footer keys): the bare app (a Header, an Input and a Footer) and Bad News
Drill's home screen. The home screen's scenario list fills when the content has loaded, off the critical
path; that time is printed too. Runs alternate so machine noise hits both alike; medians and the ratio are
printed (target: at most 1.3x).

    /work/venv/bin/python benchmarks/bench_startup.py [--runs 7] [--command "badnews"]
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOCKET = "badnews-bench"  # a private tmux server, so the user's sessions are never touched
SIZE = ("80", "24")
POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 20.0
TARGET_RATIO = 1.3
Stage = tuple[tuple[str, ...], tuple[str, ...]]  # (texts that must show, texts that must be gone)
# A screen is shown when its header, body and footer keys are all drawn (the footer comes a frame late);
# the home screen's list is filled when the scenarios have loaded.
BARE_SHOWN: Stage = (("Bare Textual", "type here", "palette"), ())
HOME_SHOWN: Stage = (("Bad News Drill", "Pick a call", "Scenario", "Brief me", "palette"), ())
LIST_FILLED: Stage = (HOME_SHOWN[0], ("Loading scenarios",))

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Input

class Bare(App):
    TITLE = "Bare Textual"
    def compose(self):
        yield Header()
        yield Input(placeholder="type here")
        yield Footer()

Bare().run()
"""


def _tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False)


def _pane(session: str) -> str:
    return _tmux("capture-pane", "-p", "-t", session).stdout


def time_to_screens(command: str, stages: tuple[Stage, ...], session: str) -> list[float]:
    """Seconds from launching `command` in a fresh pane until each stage is on screen, in order."""
    start = time.perf_counter()
    _tmux("new-session", "-d", "-s", session, "-x", SIZE[0], "-y", SIZE[1], command)
    times: list[float] = []
    try:
        for present, absent in stages:
            while True:
                pane = _pane(session)
                if all(text in pane for text in present) and not any(text in pane for text in absent):
                    break
                if time.perf_counter() - start > TIMEOUT_SECONDS:
                    raise TimeoutError(f"{command!r} did not show {present} within {TIMEOUT_SECONDS}s")
                time.sleep(POLL_SECONDS)
            times.append(time.perf_counter() - start)
        return times
    finally:
        _tmux("kill-session", "-t", session)


def main() -> int:
    """Run the comparison and print both medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each program (alternating)")
    parser.add_argument(
        "--command",
        default=f"{shlex.quote(sys.executable)} -m simulator",
        help="how to start Bad News Drill (default: this Python's -m simulator)",
    )
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed: cannot time a real terminal", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        bare_path = Path(folder) / "bare_app.py"
        bare_path.write_text(BARE_APP, encoding="utf-8")
        bare_command = f"{shlex.quote(sys.executable)} {shlex.quote(str(bare_path))}"
        # Keep the tmux server up for the whole run, so no run pays for starting it.
        _tmux("new-session", "-d", "-s", "keepalive", "sleep 3600")
        try:
            bare, shown, filled = [], [], []
            # One untimed run of each first: Python's bytecode caches are warm for both.
            time_to_screens(bare_command, (BARE_SHOWN,), "warm-bare")
            time_to_screens(args.command, (HOME_SHOWN, LIST_FILLED), "warm-ours")
            for run in range(args.runs):
                bare += time_to_screens(bare_command, (BARE_SHOWN,), f"bare-{run}")
                home, listed = time_to_screens(args.command, (HOME_SHOWN, LIST_FILLED), f"ours-{run}")
                shown.append(home)
                filled.append(listed)
        finally:
            _tmux("kill-server")
    bare_median = statistics.median(bare)
    ratio = statistics.median(shown) / bare_median
    for label, values in (
        ("bare Textual app (Header, Input, Footer) shown", bare),
        ("Bad News Drill home screen shown", shown),
        ("Bad News Drill scenario list filled", filled),
    ):
        print(f"{label:<48} median {statistics.median(values) * 1000:4.0f} ms  runs {_ms(values)}")
    print(
        f"ratio home/bare {ratio:.2f}x (target <= {TARGET_RATIO}x): {'ok' if ratio <= TARGET_RATIO else 'TOO SLOW'};"
        f" list/bare {statistics.median(filled) / bare_median:.2f}x"
    )
    return 0 if ratio <= TARGET_RATIO else 1


def _ms(values: list[float]) -> str:
    return " ".join(f"{v * 1000:.0f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
