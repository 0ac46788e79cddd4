"""The class server: the same Textual app in every browser tab, one app process each (textual-serve), for a room.

textual-serve's `Server` relays each browser's websocket to a process it starts with the shell. `ClassServer`
keeps that relay and adds what a room needs:

- a cap on the sessions: at `max_sessions` app processes, `/` answers "The room is full" (503) and `/ws` refuses;
- each app in a process group of its own, so a Ctrl+C at the trainer's terminal reaches only the server, which then
  ends every app in order: its websocket closed, "quit" sent, SIGTERM after QUIT_SECONDS, SIGKILL after as long;
- a relay that drops a malformed browser message instead of logging a traceback, and clamps the terminal size;
- the page's websocket address taken from the request, so a rep gets the address they typed, not the bind address;
- the app's font from textual-serve's own files instead of Google Fonts: no request leaves the room;
- the trainer's board (`trainer.TrainerDesk`).

textual-serve has no hooks for these, so two of its private methods are overridden (`_open_app_process`,
`_build_environment`): the `serve` extra pins textual-serve to the minor version they were written against.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import os
import re
import signal
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from simulator.serve import pages
from simulator.serve.trainer import BoardReader, TrainerDesk
from simulator.text import visible

QUIT_SECONDS = 5.0  # an app asked to quit has this long before SIGTERM, and as long again before SIGKILL
CLOSE_SECONDS = 5.0  # a browser has this long to answer a websocket's close
HEARTBEAT_SECONDS = 15.0  # textual-serve's own: a tab that stops answering pings is hung up on
TERMINAL_LIMITS = (10, 500)  # the fewest and most columns or rows an app is given, whatever the browser says
WILDCARDS = ("0.0.0.0", "::", "")
# textual-serve's page asks Google Fonts for Roboto Mono; the font is in its own static files.
GOOGLE_FONTS = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.IGNORECASE | re.DOTALL)
LOCAL_FONT = """<style>
      @font-face { font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
        src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
      @font-face { font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
        src: url("/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }
    </style>"""
NO_STORE = {"Cache-Control": "no-store"}
KILL = getattr(signal, "SIGKILL", signal.SIGTERM)  # Windows has no SIGKILL

Say = Callable[[str], None]


class ServeError(Exception):
    """The server cannot start (the port is taken, the address is not this computer's); the message says why."""


class SessionProcess(AppService):
    """One browser tab's app: started in its own process group with the class's variables, and ended for sure."""

    def __init__(self, command: str, session_env: Mapping[str, str | None], **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.session_env = session_env
        self.process: asyncio.subprocess.Process | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        """textual-serve's variables for the web driver, and the class's (a None value is taken out)."""
        environment = super()._build_environment(width=width, height=height)
        for name, value in self.session_env.items():
            if value is None:
                environment.pop(name, None)
            else:
                environment[name] = value
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        """As textual-serve does, but in a new session: signals from the trainer's terminal reach the server only."""
        self._process = self.process = process = await asyncio.create_subprocess_shell(
            self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app's output until it ends, then hang up its tab: an app that crashed leaves no blank page."""
        try:
            await super().run()
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.remote_close(), CLOSE_SECONDS)

    def signal_group(self, sig: signal.Signals) -> None:
        """Send `sig` to the app and anything it started, while it has not been waited for."""
        process = self.process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if hasattr(os, "killpg"):
                    os.killpg(process.pid, sig)
                else:  # Windows: no process groups to signal
                    process.send_signal(sig)

    async def end(self) -> int | None:
        """Make sure the app is gone: wait, then SIGTERM, then SIGKILL; its exit code (None if it never started)."""
        process = self.process
        if process is None:
            return None
        for sig in (None, signal.SIGTERM, KILL):
            if sig is not None:
                self.signal_group(sig)
            try:
                await asyncio.wait_for(process.wait(), None if sig is KILL else QUIT_SECONDS)
                break
            except TimeoutError:
                continue
        return process.returncode


@dataclass(eq=False)
class Session:
    """One browser tab: the task answering its websocket, the websocket, and its app once started."""

    task: asyncio.Task[Any] | None
    websocket: web.WebSocketResponse | None = None
    app: SessionProcess | None = None


class ClassServer(Server):
    """textual-serve's server for a room: capped sessions, the trainer's board, every app ended on the way out."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        session_env: Mapping[str, str | None],
        max_sessions: int,
        trainer_code: str,
        read_board: BoardReader,
        say: Say,
        session_log: str = "",
        title: str = "Bad News Drill",
    ) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.session_env = session_env
        self.max_sessions = max_sessions
        self.trainer_code = trainer_code
        self.read_board = read_board
        self.say = say
        self.session_log = session_log  # where the apps' error output goes, for the message when one fails
        self.sessions: set[Session] = set()
        self.stopping = False

    @property
    def full(self) -> bool:
        """Whether a new tab is turned away: every session is taken, or the class is ending."""
        return self.stopping or len(self.sessions) >= self.max_sessions

    def session_count(self) -> tuple[int, int]:
        """The sessions open and the most allowed, for the trainer's board."""
        return len(self.sessions), self.max_sessions

    async def _make_app(self) -> web.Application:
        """The routes: the app's page and websocket, its downloads and files, and the trainer's board."""
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        desk = TrainerDesk(self.trainer_code, self.read_board, self.session_count)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, name="static"),
            *desk.routes(),
        ])
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        """GET /: the page that starts the app in the browser, or "The room is full" (503)."""
        if self.full:
            return web.Response(text=pages.room_full(self.max_sessions), status=503, content_type="text/html",
                                headers=NO_STORE)
        font_size = _clamped(request.query.get("fontsize", ""), 16, (8, 48))
        context = {
            "font_size": font_size,
            "app_websocket_url": websocket_url(request),
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.text = GOOGLE_FONTS.sub(LOCAL_FONT, response.text or "")
        response.headers.update(NO_STORE)
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """GET /ws: one app process for this tab, relayed until either side ends; refused (503) when full."""
        if self.full:
            raise web.HTTPServiceUnavailable(text="The room is full: every session of this class is taken.")
        session = Session(asyncio.current_task())
        self.sessions.add(session)  # taken before the first await: two tabs cannot both take the last seat
        websocket = session.websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS, timeout=CLOSE_SECONDS)
        try:
            await websocket.prepare(request)
            if not self.stopping:
                width = _clamped(request.query.get("width", ""), 80, TERMINAL_LIMITS)
                height = _clamped(request.query.get("height", ""), 24, TERMINAL_LIMITS)
                session.app = SessionProcess(
                    self.command, self.session_env, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                    close=websocket.close, download_manager=self.download_manager,
                )
                try:
                    await session.app.start(width, height)
                except OSError as error:  # no process left to start one with, say
                    self.say(f"a browser's app could not start: {error.strerror or error}")
                    return websocket
                await self._relay(websocket, session.app)
        except ConnectionError:
            pass  # the browser went away mid-message: its app is ended all the same
        finally:
            await self._end(session)
            self.sessions.discard(session)
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, app: SessionProcess) -> None:
        """The browser's keys, resizes, pings and focus to the app; anything malformed is dropped."""
        async for message in websocket:
            if message.type is not WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except (ValueError, RecursionError):  # not JSON, or nested past what the parser takes
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await app.set_terminal_size(_clamped(data.get("width"), 80, TERMINAL_LIMITS),
                                            _clamped(data.get("height"), 24, TERMINAL_LIMITS))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app.blur()
            elif kind == "focus":
                await app.focus()

    async def _end(self, session: Session) -> None:
        """A tab is gone (or the class ends): ask its app to quit, make sure it is gone, hang up the websocket."""
        app = session.app
        if app is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(app.stop(), QUIT_SECONDS)
            code = await app.end()
            if code is not None and code > 0:
                where = f"; its error output is in {self.session_log}" if self.session_log else ""
                self.say(f"a browser's app ended with an error (exit code {code}){where}")
        websocket = session.websocket
        if websocket is not None and websocket.prepared and not websocket.closed:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(websocket.close(), CLOSE_SECONDS)

    async def end_sessions(self) -> None:
        """Hang up every tab and wait until every app is gone; what is still there after the grace is killed."""
        self.stopping = True
        sessions = list(self.sessions)
        await asyncio.gather(*(_hang_up(s) for s in sessions))
        tasks = [s.task for s in sessions if s.task is not None and not s.task.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=3 * QUIT_SECONDS + CLOSE_SECONDS)
        for session in sessions:
            if session.app is not None and session.app.process is not None:
                session.app.signal_group(KILL)
                await session.app.process.wait()

    async def run(self, announce: Callable[[str], None]) -> None:
        """Serve until SIGINT or SIGTERM, then end every app; `announce` gets the address once it is listening."""
        _quiet_logging(self.say)
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False,
                               shutdown_timeout=CLOSE_SECONDS)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise ServeError(_bind_problem(self.host, self.port, error)) from None
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C raises KeyboardInterrupt instead
                loop.add_signal_handler(sig, stop.set)
        port = int(runner.addresses[0][1]) if runner.addresses else self.port
        announce(f"http://{shown_host(self.host)}:{port}")  # after the handlers: a stop from now on is a clean one
        try:
            await stop.wait()
        finally:
            await self.end_sessions()
            await runner.cleanup()


async def _hang_up(session: Session) -> None:
    """Close a tab's websocket as the server goes away; its task then ends the app."""
    websocket = session.websocket
    if websocket is not None and websocket.prepared and not websocket.closed:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(websocket.close(code=1001, message=b"the class has ended"), CLOSE_SECONDS)


def websocket_url(request: web.Request) -> str:
    """The app's websocket at the address the browser used (wss behind a TLS proxy that says so)."""
    secure = request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
    return f"{'wss' if secure else 'ws'}://{request.host}/ws"


def shown_host(host: str) -> str:
    """The host for the address to share: this computer's address on the room's network for a wildcard bind."""
    if host in WILDCARDS:
        host = _network_address() or socket.gethostname()
    return f"[{host}]" if ":" in host else host


def _network_address() -> str | None:
    """The address other computers reach this one at (the one the default route leaves from); no packet is sent."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere; connect() on UDP only picks a route
        return str(probe.getsockname()[0])
    return None


def _bind_problem(host: str, port: int, error: OSError) -> str:
    where = f"{shown_host(host) if host not in WILDCARDS else host}:{port}"
    if error.errno == errno.EADDRINUSE:
        return f"port {port} is in use on this computer (another badnews serve?); choose another with --port"
    if error.errno == errno.EADDRNOTAVAIL:
        return (f"{visible(host)} is not an address of this computer; --host takes one of its own (127.0.0.1 for it"
                " alone, 0.0.0.0 for the room's network)")
    if error.errno == errno.EACCES:
        return f"this computer does not allow listening on port {port}; choose one above 1023 with --port"
    return (f"cannot listen on {visible(where)}: {visible(error.strerror or str(error))}; --host takes an address of"
            " this computer (127.0.0.1 for it alone, 0.0.0.0 for the room's network)")


def _clamped(value: object, default: int, limits: tuple[int, int]) -> int:
    """A whole number within `limits` from whatever the browser sent; `default` when it is not one."""
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, limits[0]), limits[1])


class _OneLine(logging.Handler):
    """Log records as one line each through `say`: never a traceback at the trainer's terminal."""

    def __init__(self, say: Say) -> None:
        super().__init__(logging.WARNING)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            message = record.getMessage().strip().splitlines()
            self.say(f"{record.name}: {message[0] if message else record.levelname.lower()}")


def _quiet_logging(say: Say) -> None:
    """aiohttp's and textual-serve's warnings and errors as single lines; their info and access logs not at all."""
    root = logging.getLogger()
    root.handlers[:] = [_OneLine(say)]
    root.setLevel(logging.WARNING)
