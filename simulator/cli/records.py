"""The records commands: `history`, `report`, `export`, `cohort` and `import`.

`history`, `report` and `export` only read: they open the store read-only when it cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.cli.common import (
    INVALID,
    OK,
    UserError,
    call_count,
    call_id_text,
    load_library,
    note,
    open_records,
    store_options,
    stored_call,
    write_output,
)
from simulator.cli.team import UsageError, call_filter, filter_options, group_picks, usage_error
from simulator.text import safe_json, visible

if TYPE_CHECKING:
    from simulator.records.lrs import LrsTarget

# The history lists this many of the latest calls unless told otherwise.
HISTORY_CALLS = 20


def register(sub: argparse._SubParsersAction) -> None:
    """Add the records commands."""
    p = sub.add_parser("history", help="your calls, per-scenario scores and trends, weak spots and the next drill")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--limit", type=call_count, default=HISTORY_CALLS, metavar="N",
                   help=f"list the latest N calls (default {HISTORY_CALLS}; 0 for all)")
    store_options(p)
    group_picks(p)
    filter_options(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("sync", help="send the calls kept on this computer while the team store was away")
    store_options(p)
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("report", help="a stored call as a report: transcript, rubric, evidence, mood, tips")
    p.add_argument("call_id", type=call_id_text, metavar="CALL_ID",
                   help="a call number from `badnews history`, or 'last'")
    p.add_argument("--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON")
    p.add_argument("--details", action="store_true",
                   help="rubric ids and how each match was made (phrase file and line, strength, layer)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    store_options(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("export", help="every stored call for a trainer: JSON Lines (default), CSV, or xAPI")
    p.add_argument("--format", choices=("jsonl", "csv"), help="JSON Lines (default) or CSV")
    p.add_argument("--xapi", action="store_true", help="xAPI 1.0.3 statements (a JSON array) for a Learning Record Store")
    p.add_argument("--xapi-base", metavar="IRI", help="your organisation's address for activity ids and accounts")
    p.add_argument("--lrs", nargs="?", const="", metavar="URL",
                   help="send the xAPI statements to this Learning Record Store (its xAPI address; without URL, "
                        "BADNEWS_LRS_URL) instead of printing them")
    p.add_argument("--lrs-key", metavar="KEY", help="the LRS's Basic auth key (default: BADNEWS_LRS_KEY)")
    p.add_argument("--lrs-secret", metavar="SECRET",
                   help="the LRS's Basic auth secret (default: BADNEWS_LRS_SECRET, which other users cannot see)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    store_options(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("cohort", help="merge several trainees' exports into per-trainee and per-behaviour tables")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files written by `badnews export`")
    p.add_argument("--json", action="store_true", help="print JSON")
    filter_options(p, group=True)
    p.set_defaults(func=cmd_cohort)

    p = sub.add_parser("import", help="take calls back into the store: a call kept in a file when it could not be "
                                      "saved, or the lines of `badnews export`")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a kept call, or a file written by `badnews export`")
    store_options(p)
    p.set_defaults(func=cmd_import)


def cmd_sync(args: argparse.Namespace) -> int:
    """Send the calls kept on this computer to the team store (`--store` or $BADNEWS_STORE)."""
    from simulator.paths import store_url
    from simulator.records.store import StoreError, open_team_store

    url = store_url()
    if url is None:
        raise UserError("there is no team store to send to: give --store postgresql://... or set BADNEWS_STORE")
    try:
        store = open_team_store(url, args.data_dir, keep_locally=False)  # opening it sends what is kept
    except StoreError as error:
        raise UserError(f"{error}; the calls stay on this computer") from None
    with store:
        print(visible("\n".join(store.notices) or f"nothing to send: this computer keeps no calls for {store.where}"))
    return OK


def cmd_history(args: argparse.Namespace) -> int:
    """`history` with the filters: each call, per scenario and per behaviour, the next drill."""
    from simulator.records.history import history_summary
    from simulator.records.store import StoreError
    from simulator.render.tables import history_text

    try:
        filters = call_filter(args, group=getattr(args, "group", None))
    except UsageError as error:
        return usage_error("history", error)
    store = open_records(args.data_dir, read_only=True)
    try:
        summary = history_summary(store, load_library(args.scenarios, args.personas), trainee=args.trainee,
                                  filters=filters)
    except StoreError as error:
        raise UserError(str(error)) from None
    for problem in summary.problems:
        note(problem)
    if args.json:
        print(safe_json(summary.to_json()))
    else:
        shown = filters.shown()
        source = store.where + (f"; {', '.join(shown)}" if shown else "")
        print(history_text(summary, limit=args.limit, source=source), end="")
    return OK


def cmd_report(args: argparse.Namespace) -> int:
    """One stored call as Markdown or JSON, from the debrief saved with it."""
    from simulator.render.report import record_markdown, report_json

    record = stored_call(open_records(args.data_dir, read_only=True), args.call_id)
    if args.format == "json":
        text = safe_json(report_json(record)) + "\n"
    else:
        text = record_markdown(record, details=args.details)
    write_output([text], args.output)
    return OK


def cmd_export(args: argparse.Namespace) -> int:
    """Every stored call as JSON Lines, CSV, or xAPI statements."""
    from simulator.records.export import csv_text, jsonl_lines
    from simulator.records.store import StoreError
    from simulator.records.xapi import DEFAULT_BASE, is_base_iri, statements

    if args.lrs is not None:
        args.xapi = True  # what an LRS takes
    if args.xapi and args.format:
        raise UserError("--xapi writes a JSON array of statements; leave out --format")
    base = args.xapi_base or DEFAULT_BASE
    if not is_base_iri(base):
        raise UserError(
            f"--xapi-base must be an http(s) address such as https://training.example.com/badnews; got '{base}'"
        )
    target = lrs_target(args) if args.lrs is not None else None
    store = open_records(args.data_dir, read_only=True)
    try:
        records = store.calls(args.trainee)
    except StoreError as error:
        raise UserError(str(error)) from None
    for problem in store.skipped:
        note(problem)
    if args.xapi:
        found = statements(records, base)
        skipped = sum(1 for r in records if not r.ended)
        if skipped:
            note(f"{skipped} call(s) in progress or abandoned are not sent as xAPI statements")
        if target is None or args.output:
            write_output([safe_json(found) + "\n"], args.output)
        if target is not None:
            send_to_lrs(found, target)
            if args.xapi_base is None:  # said once it is sent: an LMS admin reads it where the LRS answer is
                note(f"the statements use the placeholder address {DEFAULT_BASE}: give your organisation's own with "
                     "--xapi-base (choose it once: the same call sent again under another address is refused)")
    elif args.format == "csv":
        write_output(csv_text(records), args.output)
    else:
        write_output(jsonl_lines(records), args.output)
    return OK


def lrs_target(args: argparse.Namespace) -> LrsTarget:
    """The LRS to send to, from --lrs, --lrs-key and --lrs-secret or their environment variables; checked first."""
    import os

    from simulator.records.lrs import KEY_ENV, SECRET_ENV, URL_ENV, LrsTarget, statements_endpoint

    url = args.lrs or os.environ.get(URL_ENV, "")
    if not url.strip():
        raise UserError(f"--lrs needs the LRS's xAPI address: --lrs https://lrs.example.com/xapi, or {URL_ENV}")
    try:
        endpoint = statements_endpoint(url)
    except ValueError as error:
        raise UserError(str(error)) from None
    key = args.lrs_key or os.environ.get(KEY_ENV, "")
    secret = args.lrs_secret or os.environ.get(SECRET_ENV, "")
    if not key or not secret:
        raise UserError(f"--lrs needs the LRS's key and secret: --lrs-key and --lrs-secret, or {KEY_ENV} and "
                        f"{SECRET_ENV}")
    return LrsTarget(endpoint, key, secret)


def send_to_lrs(found: list[dict], target: LrsTarget) -> None:
    """POST the statements and say what the LRS answered; a failure is one line that counts what was not sent."""
    from simulator.records.lrs import LrsError, send_statements

    if not found:
        print(visible(f"nothing to send to {target.endpoint}: no ended calls"))
        return
    calls = len({s["context"]["registration"] for s in found})
    try:
        report = send_statements(found, target)
    except LrsError as error:
        raise UserError(str(error)) from None
    print(visible(report.summary(calls)))


def cmd_cohort(args: argparse.Namespace) -> int:
    """`cohort` with the filters: exports merged, a bad line or file reported with file:line and skipped."""
    from simulator.records.cohort import cohort_json, only, read_exports
    from simulator.render.tables import cohort_text

    try:
        filters = call_filter(args, group=getattr(args, "group", None))
    except UsageError as error:
        return usage_error("cohort", error)
    read = read_exports(args.files)
    for problem in read.problems:
        print(visible(f"badnews: {problem}"), file=sys.stderr)
    if read.duplicates:
        note(f"{read.duplicates} call(s) found in more than one export were counted once")
    cohort = only(read, filters) if filters.active else read
    if args.json:
        print(safe_json(cohort_json(cohort)))
    else:
        print(cohort_text(cohort), end="")
    return OK if read.calls or not read.problems else INVALID


def cmd_import(args: argparse.Namespace) -> int:
    """Take kept or exported calls into the store: missing replies added, new calls added, nothing overwritten."""
    from simulator.records.rescue import import_calls

    store = open_records(args.data_dir)
    done = problems = 0
    for path in args.files:
        imported = import_calls(store, path)
        for line in imported.done:
            note(line)
        for problem in imported.problems:
            note(problem)
        done += len(imported.done)
        problems += len(imported.problems)
    return OK if done or not problems else INVALID
