"""The `badnews` command line: the only place with argparse, stdout and exit codes.

Each command module registers its subcommands and keeps its handlers thin: parse, call the core,
print. Exit codes: 0 ok, 1 invalid input or file, 2 usage. Heavy parts (pydantic models, the
detector, the engine, rich) are imported by the commands that need them, so `badnews` reaches the
app's first screen as fast as a bare Textual app.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from simulator.cli import calls, detector, records, serve, team, trainer
from simulator.cli.common import (
    INVALID,
    OK,
    USAGE,
    UserError,
    add_team_options,
    data_folder,
    load_library,
    require_terminal,
    use_team_options,
)
from simulator.content.errors import ContentError


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bad-news-drill")
    except PackageNotFoundError:
        return "unknown"


def content_folder(text: str) -> Path:
    """A folder of content files named on the command line: it must exist and be a folder."""
    from simulator.text import visible

    if not text.strip() or text == "-":
        raise argparse.ArgumentTypeError(f"'{visible(text)}' is not a folder: name the folder that holds the .yaml files")
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such folder: {visible(text)}")
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{visible(text)} is a file, not a folder: name the folder that holds it")
    return path


def build_parser() -> argparse.ArgumentParser:
    """Every command and option of `badnews`."""
    parser = argparse.ArgumentParser(prog="badnews", description="Bad News Drill: practise delivering bad news.")
    parser.add_argument("--version", action="version", version=f"badnews {_version()}")
    parser.add_argument("--scenarios", action="append", type=content_folder, metavar="DIR",
                        help="also load scenarios from DIR")
    parser.add_argument("--personas", action="append", type=content_folder, metavar="DIR",
                        help="also load personas from DIR")
    parser.add_argument("--data-dir", type=data_folder, metavar="DIR",
                        help="keep the calls database in DIR (default: your data folder)")
    parser.add_argument("--trainee", metavar="NAME",
                        help="record calls under NAME (default: your user name); filters history and export")
    add_team_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (calls, detector, trainer, records, team, serve):  # team adds filters to records' history and cohort
        module.register(sub)
    return parser


def _tolerant_streams() -> None:
    """Undecodable input bytes become U+FFFD instead of a traceback: a script may be in any encoding."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A stream that cannot change (a closed or replaced one) is left as it is.
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; never lets a traceback reach the user for bad input."""
    _tolerant_streams()
    given = list(sys.argv[1:] if argv is None else argv)
    if any("\x00" in arg for arg in given):  # no file name or text may hold one; the OS would refuse it later
        print("badnews: an argument holds a NUL character, which no file name or text can contain", file=sys.stderr)
        return USAGE
    args = build_parser().parse_args(given)
    args.whole_process = argv is None  # the `badnews` command itself, not a caller in the same process
    use_team_options(args)
    if args.command is None:
        from simulator.tui.app import run_app

        try:
            require_terminal()
        except UserError as error:
            print(f"badnews: {error}", file=sys.stderr)
            return USAGE

        # The library loads off the critical path, after the first screen draws; so does the calls database.
        return run_app(lambda: load_library(args.scenarios, args.personas), data_dir=args.data_dir, trainee=args.trainee)
    try:
        return int(args.func(args))
    except UserError as error:
        from simulator.text import visible_lines

        print(visible_lines(f"badnews: {error}"), file=sys.stderr)
        return INVALID
    except ContentError as error:
        from simulator.text import visible_lines

        print(visible_lines(str(error)), file=sys.stderr)
        return INVALID
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return OK
    except Exception as error:  # the last guard: a bug is one line and a file, not a traceback
        return _internal_error(args, error)


def _internal_error(args: argparse.Namespace, error: Exception) -> int:
    """A bug, not bad input: one line on stderr, the traceback kept in a file to send with a report."""
    import tempfile
    import traceback

    from simulator.text import visible

    kept = ""
    with contextlib.suppress(OSError):
        handle, name = tempfile.mkstemp(prefix="badnews-crash-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(f"badnews {_version()} {args.command}\n")
            out.write("".join(traceback.format_exception(error)))
        kept = f"; the details are in {name}"
    summary = visible(f"{type(error).__name__}: {error}")[:200]
    print(f"badnews: internal error ({summary}){kept}. Nothing you saved was changed; please report it.", file=sys.stderr)
    return INVALID
