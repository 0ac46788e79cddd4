"""The trainer's board of `badnews serve`: /trainer behind its own code, the board as a page, as HTML and as JSON.

The code is typed once in a form (or given as `?code=`); the answer sets a cookie holding a random token made at
start, never the code itself. A wrong code waits WRONG_CODE_PAUSE, one wrong try at a time, so guessing is slow
while the right code is answered at once. The store is read in a thread (a slow read never stalls the reps' apps)
and at most once per BOARD_SECONDS, however many trainers' pages ask.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from simulator.records.board import Board, read_board
from simulator.records.connect import StoreError
from simulator.records.store import open_store, utc_now
from simulator.serve import pages
from simulator.text import safe_json

COOKIE = "badnews_trainer"
WRONG_CODE_PAUSE = 0.5  # seconds
BOARD_SECONDS = 1.5  # a board read this recently is served again
WRONG_CODE = "That is not the trainer's code."
CODE_NEEDED = "The trainer's code is needed: open /trainer and type it."
# No script but the board's own file, no frames, no form posted anywhere else.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline';"
                               " form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

BoardReader = Callable[[], Board]
SessionCount = Callable[[], tuple[int, int]]  # (sessions open, most allowed)


def store_board(folder: Path | None, group: str | None) -> BoardReader:
    """What reads the board: the calls store of `folder` (or the team store), opened read-only for each read."""

    def read() -> Board:
        with open_store(folder, read_only=True) as store:
            return read_board(store, now=utc_now(), group=group)

    return read


class TrainerDesk:
    """The /trainer routes: the sign-in form, the board page, and the board as HTML and JSON for its refreshes."""

    def __init__(self, code: str, read: BoardReader, sessions: SessionCount) -> None:
        self._digest = _digest(code)
        self._token = secrets.token_urlsafe(32)  # what the cookie holds: proves the code was typed, is not it
        self._read = read
        self._sessions = sessions
        self._wrong = asyncio.Lock()  # made in the server's loop: the desk is built inside it
        self._reading = asyncio.Lock()
        self._last: tuple[float, Board | None, str] | None = None  # when read, the board, why it could not be

    def routes(self) -> list[web.RouteDef]:
        """The routes to add to the server's application."""
        return [
            web.get("/trainer", self.handle_page),
            web.post("/trainer", self.handle_sign_in),
            web.get("/trainer/board.json", self.handle_json),
            web.get("/trainer/board.html", self.handle_fragment),
            web.get("/trainer/board.js", self.handle_script),
        ]

    # --- who may look -----------------------------------------------------------------
    def signed_in(self, request: web.Request) -> bool:
        """Whether the request carries the cookie set when the code was typed."""
        return hmac.compare_digest(request.cookies.get(COOKIE, "").encode(), self._token.encode())

    async def right_code(self, code: str) -> bool:
        """Whether `code` is the trainer's; a wrong one is answered only after a pause, one at a time."""
        if hmac.compare_digest(_digest(code), self._digest):
            return True
        async with self._wrong:
            await asyncio.sleep(WRONG_CODE_PAUSE)
        return False

    def _let_in(self, request: web.Request) -> web.Response:
        """Back to the board, now with the cookie (and without the code in the address bar)."""
        response = web.Response(status=303, headers={**PAGE_HEADERS, "Location": "/trainer"})
        secure = request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
        response.set_cookie(COOKIE, self._token, path="/trainer", httponly=True, samesite="Strict", secure=secure)
        return response

    # --- handlers ---------------------------------------------------------------------
    async def handle_page(self, request: web.Request) -> web.Response:
        """GET /trainer: the board when signed in, else the form; `?code=` signs in."""
        code = request.query.get("code")
        if code is not None:
            if await self.right_code(code):
                return self._let_in(request)
            return _html(pages.trainer_sign_in(WRONG_CODE), status=403)
        if not self.signed_in(request):
            return _html(pages.trainer_sign_in())
        return _html(pages.trainer_board(await self.fragment()))

    async def handle_sign_in(self, request: web.Request) -> web.Response:
        """POST /trainer: the form's code."""
        form = await request.post()
        code = form.get("code")
        if isinstance(code, str) and await self.right_code(code):
            return self._let_in(request)
        return _html(pages.trainer_sign_in(WRONG_CODE), status=403)

    async def handle_json(self, request: web.Request) -> web.Response:
        """GET /trainer/board.json: the board as data (`Board.to_json`), the sessions, or why it could not be read."""
        if not await self._allowed(request):
            return _json({"error": CODE_NEEDED}, status=403)
        board, problem = await self.board()
        open_now, most = self._sessions()
        data: dict[str, Any] = {"sessions": {"open": open_now, "max": most}}
        if board is None:
            data["error"] = f"the calls could not be read: {problem}"
        else:
            data.update(board.to_json())
        return _json(data)

    async def handle_fragment(self, request: web.Request) -> web.Response:
        """GET /trainer/board.html: the board alone, for the page's refresh."""
        if not await self._allowed(request):
            return web.Response(status=403, text=CODE_NEEDED, headers=PAGE_HEADERS)
        return _html(await self.fragment())

    async def handle_script(self, request: web.Request) -> web.Response:
        """GET /trainer/board.js: the page's refresh, a file of its own so the page allows no inline script."""
        script = (pages.TEMPLATES / "board.js").read_text(encoding="utf-8")
        return web.Response(text=script, content_type="text/javascript", headers=PAGE_HEADERS)

    async def _allowed(self, request: web.Request) -> bool:
        code = request.query.get("code")
        return self.signed_in(request) or (code is not None and await self.right_code(code))

    # --- the board --------------------------------------------------------------------
    async def fragment(self) -> str:
        """The board as HTML, with the sessions open now."""
        board, problem = await self.board()
        open_now, most = self._sessions()
        return pages.board_fragment(board, sessions=open_now, max_sessions=most, problem=problem)

    async def board(self) -> tuple[Board | None, str]:
        """The latest board (read again when older than BOARD_SECONDS), or None and why it could not be read."""
        async with self._reading:
            last = self._last
            if last is None or time.monotonic() - last[0] >= BOARD_SECONDS:
                try:
                    board, problem = await asyncio.to_thread(self._read), ""
                except StoreError as error:
                    board, problem = None, str(error)
                last = self._last = (time.monotonic(), board, problem)
            return last[1], last[2]


def _digest(code: str) -> bytes:
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).digest()


def _html(text: str, *, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", headers=PAGE_HEADERS)


def _json(data: object, *, status: int = 200) -> web.Response:
    return web.Response(text=safe_json(data, indent=None), status=status, content_type="application/json",
                        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
