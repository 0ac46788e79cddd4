"""The records commands of `badnews`, registered on the main parser: history, report, export, cohort, resume.

`register` only declares arguments: every handler imports what it needs when it runs, so these
commands add nothing to the start-up time of `badnews`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.engine.call import Call
    from simulator.records.recorder import CallRecorder
    from simulator.records.store import CallStore

OK, NOTHING_READ = 0, 1
# The history lists this many of the latest calls unless told otherwise.
HISTORY_CALLS = 20
FALLBACK_TRAINEE = "trainee"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the records commands to `badnews`."""
    p = sub.add_parser("history", help="your calls, per-scenario scores and trends, weak spots and the next drill")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--limit", type=int, default=HISTORY_CALLS, metavar="N",
                   help=f"list the latest N calls (default {HISTORY_CALLS}; 0 for all)")
    _store_options(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("report", help="a stored call as a report: transcript, rubric, evidence, mood, tips")
    p.add_argument("call_id", metavar="CALL_ID", help="a call number from `badnews history`, or 'last'")
    p.add_argument("--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    _store_options(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("export", help="every stored call for a trainer: JSON Lines (default), CSV, or xAPI")
    p.add_argument("--format", choices=("jsonl", "csv"), help="JSON Lines (default) or CSV")
    p.add_argument("--xapi", action="store_true", help="xAPI 1.0.3 statements (a JSON array) for a Learning Record Store")
    p.add_argument("--xapi-base", metavar="IRI", help="your organisation's address for activity ids and accounts")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    _store_options(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("cohort", help="merge several trainees' exports into per-trainee and per-behaviour tables")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files written by `badnews export`")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_cohort)

    p = sub.add_parser("resume", help="go on with an unfinished call, line by line (like play --plain)")
    p.add_argument("call_id", metavar="CALL_ID", help="a call number from `badnews history`, or 'last'")
    _store_options(p)
    p.set_defaults(func=cmd_resume)


def _store_options(parser: argparse.ArgumentParser) -> None:
    """--data-dir and --trainee after the command too; SUPPRESS keeps the global value when not given here."""
    parser.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help="the folder of the calls database (default: your data folder)")
    parser.add_argument("--trainee", metavar="NAME", default=argparse.SUPPRESS,
                        help="only this trainee's calls")


def _user_error(message: str) -> Exception:
    from simulator.cli import UserError

    return UserError(message)


def _note(message: str | None) -> None:
    if message:
        print(f"badnews: {message}", file=sys.stderr)


def default_trainee() -> str:
    """The OS user name, which calls are recorded under unless --trainee says otherwise."""
    import getpass

    try:
        return getpass.getuser() or FALLBACK_TRAINEE
    except (OSError, KeyError, ImportError):  # no login name in some containers and services
        return FALLBACK_TRAINEE


def open_records(args: argparse.Namespace) -> CallStore:
    """The calls database for a command: notices (a damaged file set aside) go to stderr; StoreError is a user error."""
    from simulator.records.store import StoreError, open_store

    try:
        store = open_store(getattr(args, "data_dir", None))
    except StoreError as error:
        raise _user_error(str(error)) from None
    for notice in store.notices:
        _note(notice)
    return store


def _call_id(raw: str, store: CallStore) -> int:
    if raw == "last":
        latest = store.latest_id()
        if latest is None:
            raise _user_error(f"no calls yet in {store.path}")
        return latest
    if not raw.isdigit():
        raise _user_error(f"CALL_ID is a call number from `badnews history`, or 'last'; got '{raw}'")
    return int(raw)


def _record(args: argparse.Namespace, store: CallStore):
    from simulator.records.store import StoreError

    try:
        return store.get(_call_id(args.call_id, store))
    except StoreError as error:
        raise _user_error(str(error)) from None


def _library(args: argparse.Namespace):
    from simulator.content.loader import load_library

    library = load_library(args.scenarios or (), args.personas or ())
    for problem in library.problems:
        print(problem, file=sys.stderr)
    return library


def _write(chunks, output: Path | None) -> None:
    from simulator.records.export import write_text

    try:
        write_text(chunks, output, sys.stdout)
    except BrokenPipeError:
        raise  # the reader (`| head`) has had enough: `main` ends quietly
    except OSError as error:
        raise _user_error(f"{output}: {error.strerror or error}") from None
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)


# --- recording a plain call --------------------------------------------------------------
def start_recording(args: argparse.Namespace, call: Call) -> CallRecorder | None:
    """Keep a live call in the store; when the store cannot be used, say so and play on unsaved."""
    from simulator.cli import UserError
    from simulator.records.recorder import CallRecorder
    from simulator.records.store import StoreError

    try:
        store = open_records(args)
        # A plain call shows no coaching until the debrief: it is played as in exam mode.
        return CallRecorder.start(store, call, getattr(args, "trainee", None) or default_trainee(), mode="exam")
    except (UserError, StoreError) as error:
        _note(f"{error}; this call will not be saved")
        return None


def cmd_resume(args: argparse.Namespace) -> int:
    """Rebuild a stored unfinished call from its replies and go on with it line by line."""
    from simulator.cli import play_plain
    from simulator.debrief import turn_line
    from simulator.records.recorder import ResumeError, resume_call, same_as_stored

    store = open_records(args)
    record = _record(args, store)
    library = _library(args)
    try:
        recorder = resume_call(store, record, library)
    except ResumeError as error:
        raise _user_error(str(error)) from None
    call = recorder.call
    if not same_as_stored(record, call):
        _note("the scenario or persona changed since this call was played: the buyer's lines may differ")
    print(f"{call.scenario.title}  (buyer: {call.persona.name})  call {record.id}, resumed after "
          f"{len(record.replies)} repl{'y' if len(record.replies) == 1 else 'ies'}")
    print("One reply per line. An empty line is staying silent. End of input (Ctrl-D) ends the call.\n")
    for turn in call.transcript:
        print(turn_line(call, turn))
    sys.stdout.flush()
    return play_plain(call, recorder)


# --- reading the records -----------------------------------------------------------------
def cmd_history(args: argparse.Namespace) -> int:
    """Each call's date, scenario, persona, score and outcome; per scenario and per behaviour; the next drill."""
    from simulator.records.history import history_summary
    from simulator.records.store import StoreError
    from simulator.records.views import format_history

    store = open_records(args)
    try:
        summary = history_summary(store, _library(args), trainee=getattr(args, "trainee", None))
    except StoreError as error:
        raise _user_error(str(error)) from None
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_history(summary, limit=args.limit, source=store.path))
    return OK


def cmd_report(args: argparse.Namespace) -> int:
    """One stored call as Markdown or JSON, from the debrief saved with it."""
    from simulator.records.reports import report_json, report_markdown

    store = open_records(args)
    record = _record(args, store)
    if args.format == "json":
        text = json.dumps(report_json(record), ensure_ascii=False, indent=2) + "\n"
    else:
        text = report_markdown(record)
    _write([text], args.output)
    return OK


def cmd_export(args: argparse.Namespace) -> int:
    """Every stored call as JSON Lines, CSV, or xAPI statements."""
    from simulator.records.export import csv_text, jsonl_lines
    from simulator.records.store import StoreError
    from simulator.records.xapi import DEFAULT_BASE, is_base_iri, statements

    if args.xapi and args.format:
        raise _user_error("--xapi writes a JSON array of statements; leave out --format")
    base = args.xapi_base or DEFAULT_BASE
    if not is_base_iri(base):
        raise _user_error(f"--xapi-base must be an http(s) address such as https://training.example.com/badnews; got '{base}'")
    store = open_records(args)
    try:
        records = store.calls(getattr(args, "trainee", None))
    except StoreError as error:
        raise _user_error(str(error)) from None
    if args.xapi:
        found = statements(records, base)
        skipped = sum(1 for r in records if not r.ended)
        if skipped:
            _note(f"{skipped} call(s) in progress or abandoned are not sent as xAPI statements")
        _write([json.dumps(found, ensure_ascii=False, indent=2) + "\n"], args.output)
    elif args.format == "csv":
        _write(csv_text(records), args.output)
    else:
        _write(jsonl_lines(records), args.output)
    return OK


def cmd_cohort(args: argparse.Namespace) -> int:
    """Merge exports from several trainees; a bad line or file is reported with file:line and skipped."""
    from simulator.records.cohort import cohort_json, format_cohort, read_exports

    cohort = read_exports(args.files)
    for problem in cohort.problems:
        print(f"badnews: {problem}", file=sys.stderr)
    if cohort.duplicates:
        _note(f"{cohort.duplicates} call(s) found in more than one export were counted once")
    if args.json:
        print(json.dumps(cohort_json(cohort), ensure_ascii=False, indent=2))
    else:
        print(format_cohort(cohort))
    return OK if cohort.calls or not cohort.problems else NOTHING_READ
