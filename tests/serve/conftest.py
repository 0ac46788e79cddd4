"""Fixtures of the served-class tests: `badnews serve` on a free port over a folder of its own, and a headless Chromium.

The server runs as the trainer would start it (`python -m simulator --data-dir DIR serve --port N`), in its own
process group, and is stopped with SIGTERM as the issue's contract asks. The browser is Debian's chromium driven by
Playwright's Python package (`executable_path`, nothing downloaded); the tests that need it skip when either is absent.

What a page shows is read from xterm.js's own buffer: textual-serve draws with the WebGL or canvas renderer, so the
page's DOM holds no text. An init script catches each xterm `Terminal` as it is made (its constructor assigns
`this._core`; a setter on Object.prototype sees that assignment) and `window.badnewsScreen()` returns the rows on
screen as plain text.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Longest the fixtures wait for the server to answer, or to end after SIGTERM (upper bounds, never asserted timings).
SERVER_START_SECONDS = 60.0
SERVER_STOP_SECONDS = 45.0
JOIN_LINE = re.compile(r"Reps join at (http://\S+)")
# The browser window: large enough for the app's widest screen (the call's meters and the briefing's answers).
VIEWPORT = {"width": 1200, "height": 760}
# Where screenshots go (or $BADNEWS_TEST_ARTIFACTS): a folder that ignores itself in git, so nothing there is committed.
ARTIFACTS = Path(os.environ.get("BADNEWS_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))

READ_SCREEN = """
(() => {
  window.badnewsTerminals = [];
  Object.defineProperty(Object.prototype, '_core', {
    configurable: true,
    set(value) {
      Object.defineProperty(this, '_core', {value, writable: true, configurable: true, enumerable: false});
      if (value && typeof this.write === 'function' && this.buffer !== undefined) window.badnewsTerminals.push(this);
    },
    get() { return undefined; },
  });
  window.badnewsScreen = () => {
    const term = window.badnewsTerminals[0];
    if (!term) return '';
    const buffer = term.buffer.active;
    const rows = [];
    for (let y = 0; y < term.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      rows.push(line ? line.translateToString(true) : '');
    }
    return rows.join('\\n');
  };
})();
"""


def pytest_configure(config: pytest.Config) -> None:
    """The marker of the slowest served-class tests."""
    config.addinivalue_line(
        "markers", "heavy: many app processes at once, or a server restart; CI runs them (-m 'not heavy' skips them)"
    )


@pytest.fixture(autouse=True)
def served_local_store(monkeypatch) -> None:
    """The class keeps its calls in its folder's SQLite file: a developer's $BADNEWS_STORE is not this test's."""
    monkeypatch.delenv("BADNEWS_STORE", raising=False)


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ServedClass:
    """One `badnews serve` process: its address, its calls folder, and how to stop and start it again."""

    data_dir: Path
    port: int
    options: list[str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    url: str = ""
    starts: int = 0
    exit_codes: list[int] = field(default_factory=list)

    def command(self) -> list[str]:
        """The command line the trainer would type, with this interpreter."""
        return [sys.executable, "-m", "simulator", "--data-dir", str(self.data_dir), "serve",
                "--host", "127.0.0.1", "--port", str(self.port), *self.options]

    def start(self) -> ServedClass:
        """Start the server and wait until it prints its address and answers GET /."""
        env = {k: v for k, v in os.environ.items() if k != "BADNEWS_STORE"}  # the folder's SQLite file, not a team store
        self.starts += 1
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=env, start_new_session=True)
        log.close()
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"badnews serve ended at start ({self.process.returncode}):\n{self.log()}")
            found = JOIN_LINE.findall(self.log())
            if len(found) >= self.starts and self._answers(found[-1]):
                self.url = found[-1]
                return self
            time.sleep(0.2)
        raise AssertionError(f"badnews serve did not answer within {SERVER_START_SECONDS:.0f} s:\n{self.log()}")

    @staticmethod
    def _answers(url: str) -> bool:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=5) as response:
                return bool(response.status == 200)
        return False

    def stop(self) -> int:
        """SIGTERM, as a trainer's Ctrl+C or a service manager would; the exit code (killed if it hangs: -9)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return process.returncode if process is not None else 0
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            code = -9
        self.exit_codes.append(code)
        return code

    def session_pids(self) -> list[int]:
        """The app processes the server runs (its descendants), from /proc."""
        return descendants(self.process.pid) if self.process is not None else []

    def log(self) -> str:
        """What the server printed so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


def descendants(pid: int) -> list[int]:
    """Every process under `pid` (children, grandchildren, ...), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            parent = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


# Longest a rep's page waits for the app to show what a step leads to (an upper bound, never an asserted timing).
STEP_SECONDS = 90.0
POLL_SECONDS = 0.15
# What the call screen's footer and a coaching note show, and what only the debrief shows.
ON_THE_CALL = "Hang up"
COACHING_MARKS = ("\u2713", "\u2717", "\u00b7")
HANG_UP_QUESTION = "Hang up now?"
DEBRIEF = "What to change first"
FEEDBACK = ("Right.", "Think again.")


class BrowserRep:
    """One rep at one browser tab: opens the served page, types as a person would, reads what the screen shows."""

    def __init__(self, page: Any, url: str, name: str, shots: Path | None = None) -> None:
        self.page = page
        self.url = url
        self.name = name
        self.shots = shots  # where a failed wait leaves its screenshot

    # --- reading the screen -----------------------------------------------------------------
    def screen(self) -> str:
        """The terminal's rows as plain text (what the rep sees, without colours)."""
        return str(self.page.evaluate("window.badnewsScreen ? window.badnewsScreen() : ''"))

    def wait_for(self, seen: str | Callable[[str], bool], what: str = "", seconds: float = STEP_SECONDS) -> str:
        """Wait until the screen shows `seen` (a text, or a test of the whole screen); the screen then."""
        test = (lambda text: seen in text) if isinstance(seen, str) else seen
        deadline = time.monotonic() + seconds
        while True:
            text = self.screen()
            if test(text):
                return text
            if time.monotonic() > deadline:
                self.screenshot(f"failed-{self.name}")
                raise AssertionError(f"{self.name}'s tab never showed {what or seen!r}; the screen:\n{text}")
            time.sleep(POLL_SECONDS)

    def screenshot(self, label: str) -> Path | None:
        """Save what the tab shows as a PNG named after `label`; its path (None with no folder)."""
        if self.shots is None:
            return None
        path = self.shots / f"{re.sub(r'[^A-Za-z0-9_-]+', '-', label)}.png"
        with contextlib.suppress(Exception):  # a closed tab has nothing to show
            self.page.screenshot(path=str(path))
        return path

    # --- typing ---------------------------------------------------------------------------
    def open(self) -> BrowserRep:
        """Load the page, wait for the sign-in form, and give the terminal the keyboard."""
        self.page.goto(self.url)
        self.wait_for("Your name", "the sign-in form")
        self.page.evaluate("window.badnewsTerminals[0].focus()")
        return self

    def type(self, text: str) -> None:
        """Type `text` as keystrokes."""
        self.page.keyboard.type(text)

    def press(self, *keys: str) -> None:
        """Press each key in turn (Playwright's names: Enter, Tab, ArrowDown, Escape, ...)."""
        for key in keys:
            self.page.keyboard.press(key)

    def sign_in(self, code: str | None = None) -> None:
        """Type the name (the group stays as the server pre-filled it), then the join code if given, and Enter."""
        self.type(self.name)
        if code is not None:
            self.press("Tab", "Tab")  # name -> group -> code
            self.type(code)
        self.press("Enter")

    def signed_in(self) -> str:
        """Wait for the home screen, whose title names the rep."""
        return self.wait_for(lambda text: "Pick a call" in text and self.name in text, f"home, signed in as {self.name}")

    def open_briefing(self, row: int) -> None:
        """Home: the scenario table's `row`, Enter; wait for the briefing."""
        self.press("Tab", "Home", *["ArrowDown"] * row, "Enter")  # Tab: the table has the keys whatever had them
        self.wait_for("The situation", "the briefing")

    def answer_choices(self, prompts: list[str]) -> None:
        """Answer each before-call question with its first option (Tab in, then Enter on each), one at a time."""
        self.press("Tab")
        for prompt in prompts:
            self.press("Enter")
            self.wait_for(lambda text, prompt=prompt: answered(text, prompt, prompts), f"an answer to {prompt!r}")

    def dial(self) -> None:
        """Press s on the briefing and wait for the buyer to pick up."""
        self.press("s")
        self.wait_for(ON_THE_CALL, "the call screen")

    def say(self, reply: str) -> None:
        """Type a reply and Enter; wait until the engine has answered it."""
        self.type(reply)
        self.press("Enter")
        self.wait_coached(reply)

    def wait_coached(self, reply: str) -> None:
        """Wait until the coaching note is under `reply`: the engine has answered, and the reply is saved."""
        self.wait_for(lambda text: coached(text, reply), f"the coaching note under {reply!r}")

    def hang_up(self) -> str:
        """Esc, yes: the call ends and its debrief shows; the debrief's screen."""
        self.press("Escape")
        self.wait_for(HANG_UP_QUESTION, "the hang-up question")
        self.press("y")
        return self.wait_for(DEBRIEF, "the debrief")

    def close(self) -> None:
        """Close the tab, as a rep closing the browser would."""
        self.page.close()


def answered(text: str, prompt: str, prompts: list[str]) -> bool:
    """Whether the briefing shows the train-mode verdict under `prompt` (before the next question)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if prompt[:40] in line), None)
    if start is None:
        return False
    later = prompts[prompts.index(prompt) + 1:]
    for line in lines[start + 1:]:
        if later and later[0][:40] in line:
            return False
        if any(mark in line for mark in FEEDBACK):
            return True
    return False


def coached(text: str, reply: str) -> bool:
    """Whether the call shows a coaching note under the rep's reply: the engine has answered and saved it."""
    lines = [line.strip() for line in text.splitlines()]
    said = next((i for i, line in enumerate(lines) if line.startswith(f"You: {reply[:40]}")), None)
    return said is not None and any(line.startswith(COACHING_MARKS) for line in lines[said + 1:])


@pytest.fixture
def served_class(tmp_path_factory) -> Iterator[Callable[..., ServedClass]]:
    """Start `badnews serve` with extra options (`served_class("--code", "1234")`); every one started is stopped."""
    started: list[ServedClass] = []

    def start(*options: str) -> ServedClass:
        folder = tmp_path_factory.mktemp("served")
        served = ServedClass(folder / "data", free_port(), list(options), folder / "serve.log")
        started.append(served)
        return served.start()

    yield start
    for served in started:
        served.stop()


@pytest.fixture(scope="module")
def browser_chromium() -> Iterator[Any]:
    """Debian's headless Chromium under Playwright's sync API, one per test module; skips when either is missing."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no {CHROMIUM} (Debian's chromium package)")
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_context(browser_chromium) -> Iterator[Any]:
    """A fresh browser profile for one test, whose pages can read their terminal (`window.badnewsScreen()`)."""
    context = browser_chromium.new_context(viewport=VIEWPORT)
    context.add_init_script(READ_SCREEN)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def browser_artifacts() -> Path:
    """The folder the screenshots go to (made if needed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ignore = ARTIFACTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Screenshots of the browser tests: looked at, never committed.\n*\n", encoding="utf-8")
    return ARTIFACTS
