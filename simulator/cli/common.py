"""What every command shares: exit codes, the one user-error type, loading the content, opening the records."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.content.loader import Library
    from simulator.content.models import Persona, Scenario
    from simulator.records.store import CallRecord, CallStore

OK, INVALID, USAGE = 0, 1, 2  # argparse itself exits 2 on a usage error


class UserError(Exception):
    """Bad input the user can fix: printed as one message, exit code 1."""


def data_folder(text: str) -> Path:
    """--data-dir: a folder; an empty name would put the calls database in whatever folder badnews runs from."""
    if not text.strip():
        raise argparse.ArgumentTypeError("--data-dir needs a folder; got an empty name")
    return Path(text)


def seed_number(text: str) -> int:
    """--seed: a whole number SQLite can store with the call, in ASCII digits."""
    from simulator.records.schema import SQLITE_INT_MAX, whole_number
    from simulator.text import visible

    seed = whole_number(text)
    if seed is None:
        raise argparse.ArgumentTypeError(f"--seed takes a whole number from 0 to {SQLITE_INT_MAX}; got '{visible(text)}'")
    return seed


def call_count(text: str) -> int:
    """--limit: how many calls to list, a whole number (0 for all)."""
    from simulator.records.schema import whole_number
    from simulator.text import visible

    count = whole_number(text)
    if count is None:
        raise argparse.ArgumentTypeError(f"--limit takes a whole number of calls (0 for all); got '{visible(text)}'")
    return count


def call_id_text(text: str) -> str:
    """CALL_ID: 'last', or a call number in ASCII digits that SQLite can hold; checked before the store is opened."""
    from simulator.records.schema import whole_number

    if text != "last" and whole_number(text) is None:
        raise argparse.ArgumentTypeError(_call_id_hint(text))
    return text


def _call_id_hint(text: str) -> str:
    from simulator.text import visible

    return f"CALL_ID is a call number from `badnews history`, or 'last'; got '{visible(text)}'"


def store_options(parser: argparse.ArgumentParser) -> None:
    """--data-dir and --trainee after the command too; SUPPRESS keeps the global value when not given here."""
    parser.add_argument("--data-dir", type=data_folder, metavar="DIR", default=argparse.SUPPRESS,
                        help="the folder of the calls database (default: your data folder)")
    parser.add_argument("--trainee", metavar="NAME", default=argparse.SUPPRESS, help="only this trainee's calls")
    add_team_options(parser, after_command=True)


def store_address(text: str) -> str:
    """A team store's address: a postgresql:// URL (argparse type)."""
    from simulator.records.postgres import is_store_url

    if not is_store_url(text):
        raise argparse.ArgumentTypeError(
            "the team store is a PostgreSQL address such as postgresql://user:password@host/badnews"
        )
    return text


def add_team_options(parser: argparse.ArgumentParser, *, after_command: bool = False) -> None:
    """--store (a team's shared PostgreSQL) and --group (the class a call is played in)."""
    default = argparse.SUPPRESS if after_command else None
    parser.add_argument("--store", type=store_address, metavar="URL", default=default,
                        help="the team's shared store, postgresql://user:password@host/db (default: $BADNEWS_STORE,"
                        " else the calls database on this computer)")
    parser.add_argument("--group", metavar="NAME", default=default,
                        help="record calls in this class or team (default: $BADNEWS_GROUP)")


def use_team_options(args: argparse.Namespace) -> None:
    """--store and --group hold for the whole run, the app's threads included: they set their variables."""
    from simulator.paths import GROUP_ENV, STORE_ENV

    if getattr(args, "store", None):
        os.environ[STORE_ENV] = args.store
    if getattr(args, "group", None) is not None:
        os.environ[GROUP_ENV] = args.group.strip()


def note(message: str | None) -> None:
    """A message for the user on stderr, prefixed with the program's name; what it quotes is shown, never obeyed."""
    from simulator.text import visible_lines

    if message:
        print(visible_lines(f"badnews: {message}"), file=sys.stderr)


def load_library(scenario_dirs: Sequence[Path] | None, persona_dirs: Sequence[Path] | None) -> Library:
    """The bundled, the trainer's and the extra content; each file that did not load is reported on stderr."""
    from simulator.content.loader import load_library as load
    from simulator.text import visible_lines

    library = load(scenario_dirs or (), persona_dirs or ())
    for problem in library.problems:
        print(visible_lines(str(problem)), file=sys.stderr)
    return library


def scenario_and_persona(library: Library, scenario_id: str, persona_id: str | None) -> tuple[Scenario, Persona]:
    """The scenario and the persona (default: the scenario's own) by id; a UserError suggests the nearest."""
    try:
        scenario = library.scenario(scenario_id)
        return scenario, library.persona(persona_id or scenario.default_persona)
    except LookupError as error:
        raise UserError(str(error.args[0])) from None


def parse_choices(scenario: Scenario, pairs: Sequence[str]) -> dict[str, str]:
    """`--choose ID=OPTION` pairs checked against the scenario's before-call choices."""
    from simulator.content.validation import did_you_mean

    chosen: dict[str, str] = {}
    for pair in pairs:
        choice_id, sep, option_id = pair.partition("=")
        if not sep:
            raise UserError(f"--choose takes ID=OPTION, got '{pair}'")
        if choice_id not in scenario.choices:
            hint = did_you_mean(choice_id, scenario.choices) or f" (this scenario has: {', '.join(scenario.choices)})"
            raise UserError(f"no before-call choice '{choice_id}'{hint}")
        options = [o.id for o in scenario.choices[choice_id].options]
        if option_id not in options:
            hint = did_you_mean(option_id, options) or f" (options: {', '.join(options)})"
            raise UserError(f"choice '{choice_id}' has no option '{option_id}'{hint}")
        chosen[choice_id] = option_id
    return chosen


def open_records(folder: Path | None, *, read_only: bool = False) -> CallStore:
    """The calls database; notices (a damaged file set aside) go to stderr; a StoreError is a UserError.

    `read_only` for a command that only reads: a database that cannot be written is read all the same.
    """
    from simulator.records.store import StoreError, open_store

    try:
        store = open_store(folder, read_only=read_only)
    except StoreError as error:
        raise UserError(str(error)) from None
    for notice in store.notices:
        note(notice)
    return store


def stored_call(store: CallStore, raw_id: str) -> CallRecord:
    """The call a CALL_ID names: a number from `badnews history`, or 'last'."""
    from simulator.records.schema import whole_number
    from simulator.records.store import StoreError

    if raw_id == "last":
        latest = store.latest_id()
        if latest is None:
            raise UserError(f"no calls yet in {store.where}")
        call_id = latest
    else:
        number = whole_number(raw_id)
        if number is None:
            raise UserError(_call_id_hint(raw_id))
        call_id = number
    try:
        return store.get(call_id)
    except StoreError as error:
        raise UserError(str(error)) from None


def write_output(chunks: Iterable[str], output: Path | None) -> None:
    """Text to stdout, or to a file written whole (a half-written file never replaces a good one)."""
    from simulator.records.export import write_text

    try:
        write_text(chunks, output, sys.stdout)
    except BrokenPipeError:
        raise  # the reader (`| head`) has had enough: `main` ends quietly
    except OSError as error:
        raise UserError(f"{output}: {error.strerror or error}") from None
    if output is not None:
        from simulator.text import visible

        print(visible(f"wrote {output}"), file=sys.stderr)


NO_TERMINAL = (
    "the app needs a terminal, and {what} is not one; for a call on stdin and stdout use "
    "`badnews play SCENARIO --plain`, or `badnews replay SCENARIO` for a script"
)


def require_terminal() -> None:
    """A UserError unless stdin and stdout are both a terminal: the app would wait forever for keys."""
    for name, stream in (("standard input", sys.stdin), ("standard output", sys.stdout)):
        isatty = getattr(stream, "isatty", None)
        if isatty is None or not isatty():
            raise UserError(NO_TERMINAL.format(what=name))


def end_process(args: argparse.Namespace, code: int) -> int:
    """`code`, at once when this is the `badnews` process itself: its output flushed, the process ends without
    freeing what it read one object at a time (the 100,000 calls of `team --json`: 0.15 s spent for nothing).
    A caller in the same process (a test, a script calling `main`) gets the code back."""
    if not getattr(args, "whole_process", False):
        return code
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader has gone: nothing was lost that it wanted
        code = OK
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)
