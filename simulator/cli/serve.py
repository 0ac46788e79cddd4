"""`badnews serve`: the app for a room of browsers and the trainer's live board; `serve-session`, what each tab runs.

`serve` starts one `serve-session` process per browser tab (textual-serve), with the command's global options
(the data folder, the content folders) on its command line and the class on its environment: the group
(BADNEWS_GROUP), the join code's sha256 digest (BADNEWS_JOIN_CODE_SHA256, never the code itself) and the folder
where each signed-in name is held (BADNEWS_SESSIONS_DIR). A team store's address (BADNEWS_STORE, which holds its
password) stays in the environment too, out of the process list. `serve-session` builds the sign-in from them and
runs the app; its stdin and stdout are textual-serve's pipes, not a terminal, and its error output goes to
serve.log in the data folder.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import secrets
import shlex
import sys
from pathlib import Path

from simulator.cli.common import INVALID, OK, USAGE, UserError, load_library
from simulator.text import visible

JOIN_CODE_ENV = "BADNEWS_JOIN_CODE_SHA256"
SESSIONS_ENV = "BADNEWS_SESSIONS_DIR"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8771
DEFAULT_SESSIONS = 30
SESSIONS_FOLDER = "serve-sessions"  # in the data folder: one lock file per signed-in name
SESSION_LOG = "serve.log"  # in the data folder: what the apps write on stderr (a crash's traceback)
CODE_CHARS = 64
# A made-up trainer's code: 8 characters none of which can be misread for another (no 0/o, 1/l/i).
TRAINER_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TRAINER_CODE_LENGTH = 8
# What textual-serve sets for the app it starts: Textual then speaks its web protocol on stdin and stdout.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
NEEDS_EXTRA = "badnews serve needs the serve extra: pip install 'bad-news-drill[serve]'"


def port_number(text: str) -> int:
    """--port: 1 to 65535, or 0 for any free port (the address printed says which)."""
    if not text.strip().isascii() or not text.strip().isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"--port takes a number from 0 to 65535; got '{visible(text)}'")
    return int(text)


def session_count(text: str) -> int:
    """--max-sessions: a whole number of browsers, at least one."""
    if not text.strip().isascii() or not text.strip().isdigit() or not 1 <= int(text) <= 10_000:
        raise argparse.ArgumentTypeError(f"--max-sessions takes a number from 1 to 10000; got '{visible(text)}'")
    return int(text)


def access_code(text: str) -> str:
    """--code and --trainer-code: printable text, spaces around it dropped (the sign-in drops them too)."""
    code = text.strip()
    if not code:
        raise argparse.ArgumentTypeError("a code cannot be empty")
    if visible(code) != code or len(code) > CODE_CHARS:
        raise argparse.ArgumentTypeError(f"a code is up to {CODE_CHARS} printable characters; got '{visible(text)}'")
    return code


def join_code_digest(code: str) -> str:
    """What the apps get instead of the join code: its sha256 in hex, as `tui.signin.digest` makes it."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def register(sub: argparse._SubParsersAction) -> None:
    """Add `serve`, and the hidden `serve-session` each of its browser tabs runs."""
    p = sub.add_parser("serve", help="serve the app to a room of browsers, with a live board for the trainer")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"the address to listen on (default {DEFAULT_HOST}: this computer only; 0.0.0.0: the room's "
                        "network)")
    p.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                   help=f"the port to listen on (default {DEFAULT_PORT}; 0 for any free one)")
    # SUPPRESS: `badnews --group NAME serve` keeps the global value.
    p.add_argument("--group", metavar="NAME", default=argparse.SUPPRESS,
                   help="the class the reps' calls are kept in, pre-filled at sign-in (default: $BADNEWS_GROUP)")
    p.add_argument("--code", type=access_code, metavar="CODE", help="a join code the reps must type to sign in")
    p.add_argument("--trainer-code", type=access_code, metavar="CODE",
                   help="the code of the trainer's board (default: a new one, printed at start)")
    p.add_argument("--max-sessions", type=session_count, default=DEFAULT_SESSIONS, metavar="N",
                   help=f"the most browsers at once (default {DEFAULT_SESSIONS}); one more sees 'The room is full'")
    p.set_defaults(func=cmd_serve)

    s = sub.add_parser("serve-session")  # no help: not listed, it is what `serve` runs for each browser tab
    s.set_defaults(func=cmd_serve_session)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the class until SIGINT or SIGTERM; every app process is ended before it returns."""
    import asyncio
    import importlib.util

    from simulator.paths import GROUP_ENV, data_dir, group_name, store_url

    if importlib.util.find_spec("textual_serve") is None:
        print(NEEDS_EXTRA, file=sys.stderr)
        return INVALID
    try:
        from simulator.serve.server import ClassServer, ServeError
        from simulator.serve.trainer import store_board
    except ImportError:
        print(NEEDS_EXTRA, file=sys.stderr)
        return INVALID

    folder = data_dir(args.data_dir).resolve()
    sessions = folder / SESSIONS_FOLDER
    try:
        sessions.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create the folder {sessions}: {error.strerror or error}") from None
    group = group_name()
    made_up = args.trainer_code is None
    trainer_code = args.trainer_code or "".join(secrets.choice(TRAINER_CODE_ALPHABET)
                                                for _ in range(TRAINER_CODE_LENGTH))
    session_env: dict[str, str | None] = {
        GROUP_ENV: group,
        SESSIONS_ENV: str(sessions),
        JOIN_CODE_ENV: None if args.code is None else join_code_digest(args.code),
    }

    def announce(address: str) -> None:
        lines = [f"Reps join at {address}/", f"Trainer's board: {address}/trainer"]
        if made_up:
            lines.append(f"Trainer's code: {trainer_code}")
        if args.code is not None:
            lines.append("Reps type the join code you chose (--code) to sign in.")
        if args.host == DEFAULT_HOST:
            lines.append("Only this computer can open these; for the room's network, start with --host 0.0.0.0.")
        kept = "in the team store" if store_url() else f"in {folder}"
        lines.append(f"Up to {args.max_sessions} browsers at once{f', group {group}' if group else ''};"
                     f" calls are kept {kept}. Ctrl+C ends the class.")
        print("\n".join(visible(line) for line in lines), flush=True)

    server = ClassServer(
        session_command(args, folder),
        host=args.host,
        port=args.port,
        session_env=session_env,
        max_sessions=args.max_sessions,
        trainer_code=trainer_code,
        read_board=store_board(folder, group or None),
        say=_say,
        session_log=str(folder / SESSION_LOG),
    )
    try:
        asyncio.run(server.run(announce))
    except ServeError as error:
        raise UserError(str(error)) from None
    return OK


def session_command(args: argparse.Namespace, folder: Path) -> str:
    """The shell command of one browser tab's app: every part quoted, its error output appended to the log."""
    parts = [sys.executable, "-m", "simulator", "--data-dir", str(folder)]
    for option, folders in (("--scenarios", args.scenarios), ("--personas", args.personas)):
        for path in folders or ():
            parts += [option, str(Path(path).resolve())]
    parts.append("serve-session")
    # exec: the shell becomes the app, so the process the server waits for and signals is the app itself.
    return f"exec {shlex.join(parts)} 2>>{shlex.quote(str(folder / SESSION_LOG))}"


def cmd_serve_session(args: argparse.Namespace) -> int:
    """One browser tab's app: sign-in first, from the class's variables; never asks for a terminal (pipes here)."""
    if os.environ.get("TEXTUAL_DRIVER") != WEB_DRIVER:  # by hand, it would wait for a browser that is not there
        print("badnews: serve-session is what `badnews serve` runs for each browser; start `badnews serve` instead",
              file=sys.stderr)
        return USAGE

    from simulator.paths import group_name
    from simulator.tui.app import run_app
    from simulator.tui.signin import SignIn

    code_digest = os.environ.get(JOIN_CODE_ENV, "").strip().lower() or None
    if code_digest is not None and not re.fullmatch(r"[0-9a-f]{64}", code_digest):
        raise UserError(f"${JOIN_CODE_ENV} is not a sha256 digest in hex")
    sessions = os.environ.get(SESSIONS_ENV, "").strip()
    sign_in = SignIn(group=group_name(), code_digest=code_digest, sessions_dir=Path(sessions) if sessions else None)
    return run_app(lambda: load_library(args.scenarios, args.personas), data_dir=args.data_dir, sign_in=sign_in)


def _say(message: str) -> None:
    """What the server has to tell the trainer while it runs: one line on stderr."""
    print(visible(f"badnews serve: {message}"), file=sys.stderr, flush=True)
