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
import importlib.util
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
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
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
RESUMED = "Resumed: the call so far"
FEEDBACK = ("Right.", "Think again.")


@dataclass
class Wait:
    """What a rep's tab must show before the rep goes on: a test of the screen's text, and until when."""

    rep: BrowserRep
    test: Callable[[str], bool]
    what: str
    deadline: float

    def met(self) -> bool:
        """Whether the screen shows it now; past the deadline, a failure with the screen (and its screenshot)."""
        text = self.rep.screen()
        if self.test(text):
            return True
        if time.monotonic() > self.deadline:
            self.rep.screenshot(f"failed-{self.rep.name}")
            raise AssertionError(f"{self.rep.name}'s tab never showed {self.what}; the screen:\n{text}")
        return False


# A rep's script: keys typed between the waits it yields.
Script = Iterator[Wait]


def together(*scripts: Script) -> None:
    """Run the reps' scripts all at once: each rep types as soon as their own tab shows what they wait for."""
    waiting: list[tuple[Script, Wait]] = []

    def advance(script: Script) -> None:
        wait = next(script, None)
        if wait is not None:
            waiting.append((script, wait))

    for script in scripts:
        advance(script)
    while waiting:
        ready = [(script, wait) for script, wait in waiting if wait.met()]
        for entry in ready:
            waiting.remove(entry)
            advance(entry[0])
        if not ready:
            time.sleep(POLL_SECONDS)


class BrowserRep:
    """One rep at one browser tab: opens the served page, types as a person would, reads what the screen shows.

    Each step is a script (a generator of waits, so that `together` can play several tabs at once) with a method
    that plays it alone. Textual runs a key's binding (Tab's focus change, say) after the keys sent before it have
    reached the widget that had the focus, so a key that depends on where the focus is waits until the screen shows
    the effect of the last one.
    """

    def __init__(self, page: Any, url: str, name: str, shots: Path | None = None) -> None:
        self.page = page
        self.url = url
        self.name = name
        self.shots = shots  # where a failed wait leaves its screenshot

    # --- reading the screen -----------------------------------------------------------------
    def screen(self) -> str:
        """The terminal's rows as plain text (what the rep sees, without colours)."""
        return str(self.page.evaluate("window.badnewsScreen ? window.badnewsScreen() : ''"))

    def cursor(self) -> tuple[int, int]:
        """Where the terminal's cursor is (column, row): Textual puts it in the focused text field."""
        x, y = self.page.evaluate("(() => { const b = window.badnewsTerminals[0].buffer.active; "
                                  "return [b.cursorX, b.cursorY]; })()")
        return int(x), int(y)

    def until(self, seen: str | Callable[[str], bool], what: str = "", seconds: float = STEP_SECONDS) -> Wait:
        """A wait for the screen to show `seen` (a text, or a test of the whole screen)."""
        test = (lambda text: seen in text) if isinstance(seen, str) else seen
        return Wait(self, test, what or repr(seen), time.monotonic() + seconds)

    def wait_for(self, seen: str | Callable[[str], bool], what: str = "", seconds: float = STEP_SECONDS) -> str:
        """Wait until the screen shows `seen`; the screen then."""
        wait = self.until(seen, what, seconds)
        while not wait.met():
            time.sleep(POLL_SECONDS)
        return self.screen()

    def screenshot(self, label: str) -> Path | None:
        """Save what the tab shows as a PNG named after `label`; its path (None with no folder)."""
        if self.shots is None:
            return None
        path = self.shots / f"{re.sub(r'[^A-Za-z0-9_-]+', '-', label)}.png"
        with contextlib.suppress(Exception):  # a closed tab has nothing to show
            self.page.screenshot(path=str(path))
        return path

    # --- keys -----------------------------------------------------------------------------
    def type(self, text: str) -> None:
        """Type `text` as keystrokes."""
        self.page.keyboard.type(text)

    def press(self, *keys: str) -> None:
        """Press each key in turn (Playwright's names: Enter, Tab, ArrowDown, Escape, ...)."""
        for key in keys:
            self.page.keyboard.press(key)

    def close(self) -> None:
        """Close the tab, as a rep closing the browser would."""
        self.page.close()

    # --- scripts ----------------------------------------------------------------------------
    def opening(self) -> Script:
        """Load the page, wait for the sign-in form, and give the terminal the keyboard."""
        self.page.goto(self.url)
        yield self.until("Your name", "the sign-in form")
        self.page.evaluate("window.badnewsTerminals[0].focus()")

    def signing_in(self, code: str | None = None) -> Script:
        """Type the name (the group stays as the server pre-filled it), then the join code if given, and Enter."""
        self.type(self.name)
        if code is not None:
            yield self.until(self.name, "the name typed")
            for field in ("group", "join code"):
                row = self.cursor()[1]
                self.press("Tab")
                yield self.until(lambda _, row=row: self.cursor()[1] != row, f"the cursor in the {field} field")
            self.type(code)
            yield self.until("\u2022" * len(code), "the code typed (as bullets)")
        self.press("Enter")

    def reaching_home(self) -> Script:
        """Wait for the home screen with its scenarios, its title naming the rep."""
        yield self.until(lambda text: self.name in text and "p: another buyer" in text, f"home, as {self.name}")

    def into_call(self, row: int, title: str, prompts: list[str]) -> Script:
        """From home: the scenario in `row` (the table has the keys), its briefing, each before-call question
        answered with the option under the cursor (Tab in, then Enter on each), and s: the buyer on the line."""
        self.press("Home", *["ArrowDown"] * row, "Enter")
        yield self.until(lambda text: title in text and "The situation" in text, f"the briefing of {title!r}")
        self.press("Tab")  # to the first question, which the briefing scrolls into view
        yield self.until(prompts[0][:40], "the first question")
        for prompt in prompts:
            self.press("Enter")  # the verdict shows, and the focus is on the next question (then the start button)
            yield self.until(lambda text, prompt=prompt: answered(text, prompt, prompts), f"an answer to {prompt!r}")
        self.press("s")
        yield self.until(ON_THE_CALL, "the call screen")

    def saying(self, reply: str) -> Script:
        """Type a reply and Enter; wait until the coaching note is under it: the engine answered, the reply is saved."""
        self.type(reply)
        self.press("Enter")
        yield self.until(lambda text: coached(text, reply), f"the coaching note under {reply!r}")

    def hanging_up(self) -> Script:
        """Esc, yes: the call ends and its debrief shows."""
        self.press("Escape")
        yield self.until(HANG_UP_QUESTION, "the hang-up question")
        self.press("y")
        yield self.until(DEBRIEF, "the debrief")

    def resuming(self) -> Script:
        """Home: h for the history, and once its one call is listed, r resumes it."""
        self.press("h")
        yield self.until("1 call,", "the history with its call")
        self.press("r")
        yield self.until(lambda text: RESUMED in text and ON_THE_CALL in text, "the resumed call")

    # --- the same, one tab alone: each returns the screen it ends on ---------------------------
    def play(self, *scripts: Script) -> str:
        """Play scripts of this tab one after the other; the screen at the end."""
        for script in scripts:
            together(script)
        return self.screen()

    def open(self) -> BrowserRep:
        """The page loaded, its sign-in form ready for keys."""
        self.play(self.opening())
        return self

    def sign_in(self, code: str | None = None) -> None:
        """Fill in the sign-in form and Enter (what follows is the test's to wait for)."""
        self.play(self.signing_in(code))

    def signed_in(self) -> str:
        """Wait for home, signed in."""
        return self.play(self.reaching_home())

    def say(self, reply: str) -> str:
        """Say a reply, and wait for the engine's answer."""
        return self.play(self.saying(reply))

    def hang_up(self) -> str:
        """End the call, and wait for its debrief."""
        return self.play(self.hanging_up())

    def resume_last_call(self) -> str:
        """Resume the rep's one unfinished call from the history."""
        return self.play(self.resuming())


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
    """Start `badnews serve` with extra options (`served_class("--code", "1234")`); every one started is stopped.

    Skips without textual-serve (the `serve` extra), which `badnews serve` needs.
    """
    if importlib.util.find_spec("textual_serve") is None:
        pytest.skip("textual-serve (the serve extra) is not installed")
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

