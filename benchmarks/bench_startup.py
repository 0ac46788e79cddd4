"""Start-up time of `badnews` against a bare Textual app, both timed in a real terminal (tmux), side by side.

Each run starts the program in a detached 80x24 tmux pane and polls the pane until the first screen is
drawn: for Bad News Drill, the home screen with its scenario list; for the bare app (a Header, an Input
and a Footer), its title. Runs alternate between the two so machine noise hits both alike; the medians
and their ratio are printed (target: at most 1.3x).

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
# The home screen counts as shown once its title, its list and its button are drawn and nothing is loading.
HOME_SHOWN = ("Bad News Drill", "Pick a call", "Brief me")
HOME_LOADING = ("Loading scenarios",)

BARE_APP = '''
from textual.app import App
from textual.widgets import Footer, Header, Input

class Bare(App):
    TITLE = "Bare Textual"
    def compose(self):
        yield Header()
        yield Input(placeholder="type here")
        yield Footer()

Bare().run()
'''


def _tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False)


def _shown(session: str, markers: tuple[str, ...], absent: tuple[str, ...]) -> bool:
    pane = _tmux("capture-pane", "-p", "-t", session).stdout
    return all(marker in pane for marker in markers) and not any(text in pane for text in absent)


def time_to_screen(command: str, markers: tuple[str, ...], session: str, absent: tuple[str, ...] = ()) -> float:
    """Seconds from launching `command` in a fresh pane until every marker is on screen and no `absent` text."""
    start = time.perf_counter()
    _tmux("new-session", "-d", "-s", session, "-x", SIZE[0], "-y", SIZE[1], command)
    try:
        while not _shown(session, markers, absent):
            if time.perf_counter() - start > TIMEOUT_SECONDS:
                raise TimeoutError(f"{command!r} did not show {markers} within {TIMEOUT_SECONDS}s")
            time.sleep(POLL_SECONDS)
        return time.perf_counter() - start
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
            ours, bare = [], []
            # One untimed run of each first: Python's bytecode caches are warm for both.
            time_to_screen(bare_command, ("Bare Textual",), "warm-bare")
            time_to_screen(args.command, HOME_SHOWN, "warm-ours", HOME_LOADING)
            for run in range(args.runs):
                bare.append(time_to_screen(bare_command, ("Bare Textual",), f"bare-{run}"))
                ours.append(time_to_screen(args.command, HOME_SHOWN, f"ours-{run}", HOME_LOADING))
        finally:
            _tmux("kill-server")
    ours_median, bare_median = statistics.median(ours), statistics.median(bare)
    ratio = ours_median / bare_median
    print(f"bare Textual app (Header, Input, Footer): median {bare_median * 1000:.0f} ms  runs {_ms(bare)}")
    print(f"Bad News Drill home screen:               median {ours_median * 1000:.0f} ms  runs {_ms(ours)}")
    print(f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): {'ok' if ratio <= TARGET_RATIO else 'TOO SLOW'}")
    return 0 if ratio <= TARGET_RATIO else 1


def _ms(values: list[float]) -> str:
    return " ".join(f"{v * 1000:.0f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
