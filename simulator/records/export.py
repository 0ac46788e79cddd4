"""Every stored call for a trainer: JSON Lines (one `replay --json` object per call, plus who and when) or CSV.

A JSON line keeps every key of the `badnews replay --json` contract, so `rescore` and any tool that
reads replay output read an export line too; the added keys say whose call it is and when it was.
The CSV has one row per call and, per behaviour, whether it was hit and the points it moved.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from simulator.catalogue import ALL_IDS
from simulator.records.record import CallRecord
from simulator.text import safe_json, visible_lines

EXPORT_FORMAT = "badnews-call/1"
CSV_FIELDS = (
    "call_uid", "call_id", "trainee", "started_at", "updated_at", "scenario", "scenario_title", "persona", "seed",
    "status", "outcome", "ended_by", "score", "grade", "passed", "pass_mark", "replies", "mode",
    "group",
)
# A spreadsheet runs a cell that starts with one of these as a formula, even behind leading blanks
# (spaces, tabs, line breaks, no-break spaces): trainee names and titles are user text.
_FORMULA_START = ("=", "+", "-", "@")


def export_line(record: CallRecord) -> dict[str, Any]:
    """One call as an export line: its saved `replay --json` object, plus format, ids, trainee, status, mode, times and group."""
    line: dict[str, Any] = record.result.to_json() if record.result else {
        "scenario": record.scenario,
        "persona": record.persona,
        "seed": record.seed,
        "score": record.score,
        "grade": record.grade,
        "passed": record.passed,
        "pass_mark": record.pass_mark,
        "outcome": record.outcome or "unfinished",
        "ended_by": record.ended_by or "",
        "choices": dict(record.choices),
        "behaviours": {},
        "transcript": [{"speaker": "seller", "text": r.text, "interrupted": r.interrupted} for r in record.replies],
    }
    line.update({
        "format": EXPORT_FORMAT,
        "call_id": record.id,
        "call_uid": record.uid,
        "trainee": record.trainee,
        "status": str(record.status),
        "mode": str(record.mode),
        "started_at": record.started_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "scenario_title": record.scenario_title,
        "persona_name": record.persona_name,
        "group": record.group,
    })
    return line


def jsonl_lines(records: Iterable[CallRecord]) -> Iterator[str]:
    """One JSON object per call, each on its own line."""
    for record in records:
        yield safe_json(export_line(record), indent=None) + "\n"


def csv_header() -> list[str]:
    """The CSV columns: the call's fields, then `<behaviour>` (1 hit, 0 not, empty if not scored) and `<behaviour>_points`.

    A behaviour is not scored in a call when its scenario gives it no weight.
    """
    return [*CSV_FIELDS, *(column for b in ALL_IDS for column in (b, f"{b}_points"))]


def csv_row(record: CallRecord) -> list[str]:
    """One call as a CSV row, in `csv_header()` order."""
    line = export_line(record)
    result = record.result
    scored = result.losses() if result else {}
    values: list[object] = [
        record.uid, record.id, _cell(record.trainee), line["started_at"], line["updated_at"], _cell(record.scenario),
        _cell(record.scenario_title), _cell(record.persona), record.seed, record.status, record.outcome or "",
        _cell(record.ended_by or ""), _blank(record.score), record.grade or "", _blank(record.passed, bool_as_int=True),
        _blank(record.pass_mark), len(record.replies), record.mode,
        _cell(record.group),
    ]
    for behaviour in ALL_IDS:
        rubric = result.line(behaviour) if result else None
        if behaviour in scored and rubric is not None:
            values += [int(rubric.hit), rubric.points]
        else:
            values += ["", ""]
    return ["" if v is None else str(v) for v in values]


def csv_text(records: Iterable[CallRecord]) -> Iterator[str]:
    """The CSV, header first, one row per call."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_header())
    yield buffer.getvalue()
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(csv_row(record))
        yield buffer.getvalue()


def _cell(text: str) -> str:
    """User text made inert for spreadsheets and terminals: controls shown as escapes (`visible_lines`), and a
    formula character first or behind leading blanks quoted with an apostrophe."""
    shown = visible_lines(text)
    return "'" + shown if text.lstrip().startswith(_FORMULA_START) else shown


def _blank(value: object, *, bool_as_int: bool = False) -> object:
    if value is None:
        return ""
    return int(bool(value)) if bool_as_int else value


def write_text(chunks: Iterable[str], path: Path | None, stdout: Any) -> None:
    """Write to stdout, or to `path` all at once: a file is replaced only once it is complete.

    A path that names a device or a pipe (`--out /dev/null`, a FIFO) is written into, never replaced: replacing
    /dev/null with a file, as root, broke every program on the machine that writes to it.
    """
    if path is None:
        for chunk in chunks:
            stdout.write(chunk)
        return
    if _special(path):
        with open(path, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
        return
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _special(path: Path) -> bool:
    """Whether `path` (through any link) is a device or a pipe rather than a file or nothing yet."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)
