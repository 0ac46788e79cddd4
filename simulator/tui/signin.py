"""Signing in to a served class: the rep's name and group, the room's join code, and one name to one tab.

`badnews serve` starts one app per browser tab, each with a `SignIn`; the app opens on `SignInScreen`
and, once a rep has signed in, keeps every call under their name and group. A name is held by an
exclusive lock on a file of the sessions folder for as long as its tab's app runs, so the same name
cannot be signed in twice at once; the operating system lets go of it when the process ends, however
it ends. A wrong join code is answered after WRONG_CODE_PAUSE, one wrong try at a time across every tab
of the room (a lock on the sessions folder's `wrong-code.pause`), so guessing the code in many tabs at
once is no quicker than in one, while the right code is answered at once. Whatever a rep types is kept
as it is shown: control characters as escapes (`text.visible`), markup as the brackets typed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import os
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static

from simulator.text import visible

# Longest name and group, in the characters they are shown with.
NAME_CHARS = 40
GROUP_CHARS = 40
# How much of a name the lock file's name keeps readable (a hash makes it unique).
LOCK_SLUG_CHARS = 24
NAME_MISSING = "Type your name: your calls are kept under it."
CODE_MISSING = "Type the join code your trainer gave the room."
CODE_WRONG = "Not the room's join code: check it with your trainer."
WRONG_CODE_PAUSE = 0.5  # seconds a wrong join code waits, one wrong try at a time across the room's tabs
PAUSE_FILE = "wrong-code.pause"  # in the sessions folder: the lock the room's wrong tries take turns on


@dataclass(frozen=True)
class SignIn:
    """How a served app signs a rep in: the group to pre-fill, the join code to ask for, where names are held."""

    group: str = ""  # pre-filled in the group field
    code_digest: str | None = None  # sha256 hex digest of the join code; None: no code asked
    sessions_dir: Path | None = None  # folder for one lock file per signed-in name (one name, one tab)


def digest(code: str) -> str:
    """The sha256 hex digest of a join code: what the server hands its apps instead of the code itself."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def code_matches(code: str, code_digest: str) -> bool:
    """Whether `code` is the join code of this digest, compared in constant time."""
    return hmac.compare_digest(digest(code), code_digest.strip().lower())


def pause_after_wrong_code(sessions_dir: Path | None, seconds: float = WRONG_CODE_PAUSE) -> None:
    """Wait `seconds` holding the room's wrong-code lock, so every tab's wrong tries take their turn (each tab is a
    process of its own). Blocking: run it off the event loop. Without a sessions folder, or where it cannot be
    used, only this tab waits."""
    fd = _take_turn(sessions_dir)
    try:
        time.sleep(seconds)
    finally:
        if fd is not None:
            os.close(fd)  # closing the only descriptor lets the next wrong try in


def _take_turn(sessions_dir: Path | None) -> int | None:
    """The room's wrong-code lock, once the other tabs' wrong tries are over; None where there is none to take."""
    try:
        import fcntl
    except ImportError:  # not on Windows: the lock needs POSIX flock
        return None
    if sessions_dir is None:
        return None
    try:
        sessions_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(sessions_dir / PAUSE_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        os.close(fd)
        return None
    return fd


def cleaned(text: str) -> str:
    """A typed name or group as it is kept: control characters as escapes, spaces trimmed and single."""
    return " ".join(visible(text).split())


def name_key(name: str) -> str:
    """What makes two names the same rep for the one-tab rule: letter case and Unicode look-alike forms aside."""
    return unicodedata.normalize("NFKC", name).casefold()


def lock_path(sessions_dir: Path, name: str) -> Path:
    """The lock file of a name: readable when the name is, unique by a hash of its key, always a safe file name."""
    key = name_key(name)
    slug = re.sub(r"[^a-z0-9]+", "-", key.encode("ascii", "ignore").decode()).strip("-")[:LOCK_SLUG_CHARS]
    return sessions_dir / f"{slug or 'name'}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}.lock"


class NameTaken(Exception):
    """Another tab (another app process) has signed in with this name."""


class Seat:
    """A name held by this process: an exclusive lock on its file, kept until `release()` or the process ends."""

    def __init__(self, path: Path | None = None, fd: int | None = None) -> None:
        self.path = path  # None: no sessions folder, so no one-tab rule
        self._fd = fd

    @classmethod
    def take(cls, sessions_dir: Path | None, name: str) -> Seat:
        """Hold `name` for this process; NameTaken when another holds it, OSError when the folder cannot be used."""
        try:
            import fcntl
        except ImportError:  # not on Windows: the one-tab rule needs POSIX locks
            return cls()
        if sessions_dir is None:
            return cls()

        sessions_dir.mkdir(parents=True, exist_ok=True)
        path = lock_path(sessions_dir, name)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise NameTaken(name) from None
        except BaseException:
            os.close(fd)
            raise
        with contextlib.suppress(OSError):  # who holds it, for whoever looks in the folder; the lock is what counts
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {name}\n".encode())
        return cls(path, fd)

    @property
    def held(self) -> bool:
        """Whether this seat still holds its name's lock."""
        return self._fd is not None

    def release(self) -> None:
        """Let the name go (the app has ended); the file stays, unlocked, for the next sign-in."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the only descriptor releases the flock


@dataclass(frozen=True)
class Rep:
    """Who signed in: the name their calls are kept under, the group they are played in, and the seat holding the name."""

    name: str
    group: str
    seat: Seat = field(default_factory=Seat, compare=False)


class PlainInput(Input):
    """A one-line field that takes a pasted text's control characters as escapes: the field shows what is kept."""

    def _on_paste(self, event: events.Paste) -> None:
        """Insert the first pasted line, made visible, as far as the field has room."""
        event.prevent_default()  # Input's own paste would put escape sequences on the screen as they are
        event.stop()
        lines = event.text.splitlines()
        text = visible(lines[0]) if lines else ""
        start, end = sorted(self.selection)
        if self.max_length:
            text = text[: max(0, self.max_length - (len(self.value) - (end - start)))]
        if text:
            self.replace(text, start, end)


class SignInScreen(Screen[Rep]):
    """The first screen of a served app: name, group and (when the room has one) the join code; Enter signs in.

    It closes with the rep who signed in, whose name this process then holds; it cannot be closed otherwise.
    """

    AUTO_FOCUS = "#name"

    def __init__(self, sign_in: SignIn) -> None:
        super().__init__()
        self.sign_in = sign_in
        self.signed_in = False  # set once the rep is in: a second Enter does nothing
        self.checking = False  # a wrong code is being answered (after its pause): Enter waits for it

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="sign-in"):
            yield Static("Your trainer sees your calls under your name and group.", classes="lead")
            yield Static("Your name", classes="label")
            yield PlainInput(id="name", max_length=NAME_CHARS, placeholder="First name and surname")
            yield Static("", id="name-problem", classes="problem")
            yield Static("Group", classes="label")
            yield PlainInput(visible(self.sign_in.group), id="group", max_length=GROUP_CHARS, placeholder="May stay empty")
            yield Static("", id="group-problem", classes="problem")
            if self.sign_in.code_digest is not None:
                yield Static("Join code", classes="label")
                yield Input(id="code", password=True, placeholder="The code your trainer gave the room")
                yield Static("", id="code-problem", classes="problem")
            yield Button("Sign in", id="sign-in-button", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Sign in"

    @on(Input.Submitted)
    @on(Button.Pressed, "#sign-in-button")
    def submit(self) -> None:
        """Check the form and sign in; a problem is said under its field and the rep stays here."""
        if self.signed_in or self.checking:
            return
        for problem in self.query(".problem"):
            problem.display = False
        name = cleaned(self.query_one("#name", Input).value)
        group = cleaned(self.query_one("#group", Input).value)
        if not name:
            self._problem("name", NAME_MISSING)
            return
        if len(name) > NAME_CHARS:
            self._problem("name", f"A name holds at most {NAME_CHARS} characters.")
            return
        if len(group) > GROUP_CHARS:
            self._problem("group", f"A group holds at most {GROUP_CHARS} characters.")
            return
        if not self._code_ok():
            return
        try:
            seat = Seat.take(self.sign_in.sessions_dir, name)
        except NameTaken:
            self._problem(
                "name", f"{name} is already signed in in another tab or browser. Close it there, or use another name."
            )
            return
        except OSError as error:
            self._problem("name", f"You cannot sign in here: {error.strerror or error}. Tell your trainer.")
            return
        self.signed_in = True
        self.dismiss(Rep(name, group, seat))

    def _code_ok(self) -> bool:
        """Whether the join code is right (or none is asked); a wrong one is cleared and said after its pause."""
        if self.sign_in.code_digest is None:
            return True
        field = self.query_one("#code", Input)
        code = field.value.strip()
        if code and code_matches(code, self.sign_in.code_digest):
            return True
        field.clear()
        if not code:
            self._problem("code", CODE_MISSING)
            return False
        self.checking = True
        self.run_worker(self._wrong_code(), exclusive=True)
        return False

    async def _wrong_code(self) -> None:
        """Say the code is wrong once the room's pause for it is over."""
        try:
            await asyncio.to_thread(pause_after_wrong_code, self.sign_in.sessions_dir)
        finally:
            self.checking = False
        self._problem("code", CODE_WRONG)

    def _problem(self, field: str, message: str) -> None:
        """Say what is wrong under a field, literally (a name may hold brackets), and put the cursor there."""
        problem = self.query_one(f"#{field}-problem", Static)
        problem.update(Content(visible(message)))
        problem.display = True
        self.query_one(f"#{field}", Input).focus()
