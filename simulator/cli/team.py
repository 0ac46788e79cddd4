"""`badnews team`, the trainer's view of every call in the store, and the filters `history` and `cohort` share with it.

`team` prints one JSON object with `--json` (a contract: every call with who, what, how and when it
was played, and the per-trainee and per-drill summaries), plain tables with `--plain` or when stdout
is not a terminal, and otherwise opens the Team screen.

`filter_options`, `group_picks` and `call_filter` are what `records.py` gives `history` and `cohort` too.
"""

from __future__ import annotations

import argparse
import gc
import sys
from datetime import date
from typing import TYPE_CHECKING

from simulator.cli.common import (
    OK,
    USAGE,
    UserError,
    call_count,
    end_process,
    load_library,
    note,
    open_records,
    store_options,
)
from simulator.status import Mode
from simulator.text import visible

if TYPE_CHECKING:
    from simulator.records.filters import CallFilter
    from simulator.records.record import CallRecord

# `team` lists this many of the latest calls in plain text unless told otherwise; --json lists every call.
TEAM_CALLS = 20


def iso_date(text: str) -> date:
    """--since and --until: a day written as ISO 8601 (2025-03-01); anything else is a usage error."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{visible(text)}' is not a date: write it as YYYY-MM-DD, such as 2025-03-01"
        ) from None


def filter_options(parser: argparse.ArgumentParser, *, group: bool = False) -> None:
    """--scenario, --persona, --mode, --since and --until (and --group where no other option has it)."""
    if group:  # SUPPRESS: `badnews --group NAME cohort ...` keeps the global value
        parser.add_argument("--group", metavar="NAME", default=argparse.SUPPRESS,
                            help="only the calls played in this class or team")
    parser.add_argument("--scenario", metavar="ID", help="only the calls of this scenario")
    parser.add_argument("--persona", metavar="ID", help="only the calls with this buyer persona")
    parser.add_argument("--mode", choices=[str(m) for m in Mode], help="only the calls played in this mode")
    parser.add_argument("--since", type=iso_date, metavar="DATE", help="only the calls played on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--until", type=iso_date, metavar="DATE", help="only the calls played on or before DATE (YYYY-MM-DD)")


def register(sub: argparse._SubParsersAction) -> None:
    """Add `team`."""
    p = sub.add_parser("team", help="the trainer's view: per trainee and per scenario the scores, trends, weak "
                                    "behaviours and calls")
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print one JSON object: every call and the summaries")
    shape.add_argument("--plain", action="store_true", help="print plain tables instead of opening the screen")
    p.add_argument("--limit", type=call_count, default=TEAM_CALLS, metavar="N",
                   help=f"plain tables: list the latest N calls (default {TEAM_CALLS}; 0 for all)")
    store_options(p)
    group_picks(p)
    filter_options(p)
    p.set_defaults(func=cmd_team)



def group_picks(parser: argparse.ArgumentParser) -> None:
    """The --group that `store_options` gave a reading command records nothing there: it picks the calls of a group."""
    picks = "only the calls played in this class or team"
    for action in parser._actions:  # argparse has no public handle on an option once it is added
        if "--group" in action.option_strings:
            action.help = picks
            return
    parser.add_argument("--group", metavar="NAME", default=argparse.SUPPRESS, help=picks)


def call_filter(args: argparse.Namespace, *, trainee: str | None = None, group: str | None = None) -> CallFilter:
    """The filters given on the command line; a span that ends before it starts is a UsageError."""
    from simulator.records.filters import CallFilter

    since, until = getattr(args, "since", None), getattr(args, "until", None)
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {since.isoformat()} is after --until {until.isoformat()}: no day is in between")
    mode = getattr(args, "mode", None)
    return CallFilter(
        group=group,
        scenario=getattr(args, "scenario", None),
        persona=getattr(args, "persona", None),
        mode=Mode(mode) if mode else None,
        since=since,
        until=until,
        trainee=trainee,
    )


class UsageError(Exception):
    """Options that parse one by one but not together: exit code 2, like argparse's own."""


def usage_error(command: str, error: UsageError) -> int:
    print(visible(f"badnews {command}: {error}"), file=sys.stderr)
    return USAGE


def cmd_team(args: argparse.Namespace) -> int:
    """Every call of the store (or those the filters let through), per trainee and per drill."""
    from simulator.records.store import StoreError
    from simulator.records.team import LISTING_SQL, team_view

    try:
        filters = call_filter(args, trainee=args.trainee, group=getattr(args, "group", None))
    except UsageError as error:
        return usage_error("team", error)
    screen = not (args.json or args.plain) and _at_a_terminal()
    store = open_records(args.data_dir, read_only=True)
    # A whole team's calls make millions of objects and no cycles: the collector would only walk them again and
    # again (a third of the time over 100,000 calls). It is back on before the screen opens.
    gc.disable()
    try:
        with store:
            # Printed, the view reads only what it lists and sums, while the store is open; the screen keeps every
            # call's summary, to list and open them after the store is closed.
            calls = store.call_table(args.trainee, group=filters.group, lean=not screen,
                                     listing=LISTING_SQL if args.json else None)
            for problem in store.skipped:
                note(problem)
            view = team_view(calls, filters, store.skipped, store.line_sums())
            where = store.where
            if args.json:
                print(view.json_text())  # compact: a team's store can hold 100,000 calls
                return end_process(args, OK)
            if not screen:
                from simulator.render.tables import team_text

                print(team_text(view, limit=args.limit, source=where), end="")
                return end_process(args, OK)
    except StoreError as error:
        raise UserError(str(error)) from None
    finally:
        gc.enable()
    from simulator.tui.team_app import run_team_app

    gc.freeze()  # the calls read stay as long as the screen does: set aside, never walked by the collector

    def read_call(call_id: int) -> CallRecord:
        with open_records(args.data_dir, read_only=True) as reader:
            return reader.get(call_id)

    return run_team_app(view, lambda: load_library(args.scenarios, args.personas), source=where,
                        read_call=read_call)


def _at_a_terminal() -> bool:
    """Whether stdin and stdout are both a terminal: the screen needs keys and a place to draw."""
    return all(getattr(stream, "isatty", lambda: False)() for stream in (sys.stdin, sys.stdout))
