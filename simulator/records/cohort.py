"""Several trainees' exports merged: a table per trainee and a table per behaviour, for the trainer.

Exports are the JSON Lines or CSV of `badnews export`. A bad line or file is reported as
`file:line: why` and skipped, never fatal; a call found twice (the same export given twice) counts once.
Only ended calls with at least one reply count in the figures, and a trainee's train and exam calls are
rows of their own: an exam score is not averaged with coached ones.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.catalogue import ALL_IDS, BY_ID
from simulator.files import UnreadableFile, check_regular
from simulator.records.export import EXPORT_FORMAT
from simulator.records.filters import CallFilter
from simulator.records.schema import whole_number
from simulator.status import CallStatus
from simulator.text import name_order

# A call's export line is ~40 KB; a longer line is not one of ours and is not loaded into memory whole.
MAX_LINE_BYTES = 5 * 1024 * 1024
# Past this many problems in one file the rest are counted, not listed: a wrong file is one message, not thousands.
MAX_PROBLEMS_PER_FILE = 10
REQUIRED = {"call_uid": str, "trainee": str, "scenario": str, "status": str}
_MODE_ORDER = {"train": 0, "exam": 1}


@dataclass(frozen=True)
class CohortCall:
    """One call of one trainee, as the cohort tables need it."""

    uid: str
    trainee: str
    scenario: str
    status: str
    started_at: str
    score: int | None
    passed: bool | None
    hits: dict[str, bool]  # per scored behaviour: hit or not
    persona: str = ""
    mode: str = "train"
    group: str = ""
    replies: int | None = None  # None: the export does not say

    @property
    def ended(self) -> bool:
        """Whether this call counts in the figures: it ended with a score, and the trainee said something."""
        return (self.status in (CallStatus.FINISHED, CallStatus.HUNG_UP) and self.score is not None
                and self.replies != 0)

    @property
    def played_at(self) -> datetime | None:
        """When the call started; None when the export's date cannot be read."""
        try:
            when = datetime.fromisoformat(self.started_at)
        except ValueError:
            return None
        return when if when.tzinfo else when.replace(tzinfo=UTC)

    def passes(self, filters: CallFilter) -> bool:
        """Whether the call passes the trainer's filters."""
        return filters.admits(trainee=self.trainee, group=self.group, scenario=self.scenario, persona=self.persona,
                              mode=self.mode, played_at=self.played_at)


@dataclass
class Cohort:
    """Every call read from the exports, and what could not be read."""

    calls: list[CohortCall] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    duplicates: int = 0


@dataclass(frozen=True)
class TraineeRow:
    """One trainee's line in one mode (train and exam scores are not averaged together): calls, passes, scores,
    and the behaviour that goes wrong most often."""

    trainee: str
    mode: str
    calls: int
    unfinished: int
    passed: int
    average: float | None
    best: int | None
    latest: int | None
    weakest: str | None
    weakest_rate: float | None


@dataclass(frozen=True)
class BehaviourRow:
    """One behaviour's line: per trainee, how many of their ended calls went wrong on it (good missed, bad committed)."""

    behaviour: str
    good: bool
    per_trainee: dict[str, tuple[int, int]]  # trainee -> (calls that went wrong, calls that scored it)

    @property
    def overall(self) -> float:
        """The share of all scored calls that went wrong on it."""
        wrong = sum(w for w, _ in self.per_trainee.values())
        total = sum(n for _, n in self.per_trainee.values())
        return wrong / total if total else 0.0


def only(cohort: Cohort, filters: CallFilter) -> Cohort:
    """The calls of a cohort that pass the trainer's filters; the problems and duplicates as read."""
    return Cohort([c for c in cohort.calls if c.passes(filters)], cohort.problems, cohort.duplicates)


def read_exports(paths: Sequence[Path]) -> Cohort:
    """Read every export file; problems are collected as `file:line: message`, never raised."""
    cohort = Cohort()
    seen: set[str] = set()
    for path in paths:
        problems: list[str] = []
        for call in _read_file(path, problems):
            if call.uid in seen:
                cohort.duplicates += 1
                continue
            seen.add(call.uid)
            cohort.calls.append(call)
        if len(problems) > MAX_PROBLEMS_PER_FILE:
            extra = len(problems) - MAX_PROBLEMS_PER_FILE
            problems = [*problems[:MAX_PROBLEMS_PER_FILE], f"{path}: {extra} more problem(s) skipped"]
        cohort.problems += problems
    return cohort


def _read_file(path: Path, problems: list[str]) -> Iterator[CohortCall]:
    try:
        check_regular(path)  # /dev/zero never ends and a FIFO blocks: only regular files are read
        with path.open("rb") as handle:
            first = handle.read(64).lstrip()
    except OSError as error:
        problems.append(f"{path}: cannot read: {error.strerror or error}")
        return
    except UnreadableFile as error:
        problems.append(f"{path}: cannot read: {error}")
        return
    if first.startswith(b"call_uid"):
        yield from _read_csv(path, problems)
    else:
        yield from _read_jsonl(path, problems)


def numbered_lines(path: Path, problems: list[str]) -> Iterator[tuple[int, str]]:
    """The file's lines with their numbers; an overlong line is reported and skipped without being held in memory."""
    with path.open("rb") as handle:
        number = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                problems.append(f"{path}:{number}: line longer than {MAX_LINE_BYTES // (1024 * 1024)} MB; skipped")
                while raw and not raw.endswith(b"\n"):
                    raw = handle.readline(MAX_LINE_BYTES + 1)
                continue
            yield number, raw.decode("utf-8", errors="replace")


def _read_jsonl(path: Path, problems: list[str]) -> Iterator[CohortCall]:
    try:
        for number, text in numbered_lines(path, problems):
            if not text.strip():
                continue
            where = f"{path}:{number}"
            try:
                data = json.loads(text.rstrip("\r\n"))
            except json.JSONDecodeError as error:
                problems.append(f"{where}: not JSON ({error.msg} at column {error.colno}); skipped")
                continue
            except RecursionError:  # deeper than Python's stack: no export line nests more than a few levels
                problems.append(f"{where}: not JSON (nested too deeply); skipped")
                continue
            except ValueError:  # an integer of thousands of digits, which Python refuses to convert
                problems.append(f"{where}: not JSON (a number too long to read); skipped")
                continue
            call = _call_from_json(data, where, problems)
            if call is not None:
                yield call
    except OSError as error:
        problems.append(f"{path}: cannot read: {error.strerror or error}")


def _call_from_json(data: Any, where: str, problems: list[str]) -> CohortCall | None:
    if not isinstance(data, dict):
        problems.append(f"{where}: not a call (expected a JSON object); skipped")
        return None
    if data.get("format", EXPORT_FORMAT) != EXPORT_FORMAT:
        problems.append(f"{where}: format {data.get('format')!r} is not {EXPORT_FORMAT!r} (a newer badnews?); skipped")
        return None
    for key, kind in REQUIRED.items():
        if not isinstance(data.get(key), kind):
            problems.append(f"{where}: missing '{key}'; is this a line of `badnews export`? skipped")
            return None
    score, passed = data.get("score"), data.get("passed")
    return CohortCall(
        uid=data["call_uid"],
        trainee=data["trainee"],
        scenario=data["scenario"],
        status=data["status"],
        started_at=str(data.get("started_at", "")),
        score=score if isinstance(score, int) and not isinstance(score, bool) else None,
        passed=passed if isinstance(passed, bool) else None,
        hits=_hits(data),
        persona=_text_or(data.get("persona"), ""),
        mode=_text_or(data.get("mode"), "train"),
        group=_text_or(data.get("group"), ""),
        replies=_replies(data),
    )


def _text_or(value: object, otherwise: str) -> str:
    return value if isinstance(value, str) else otherwise


def _replies(data: dict[str, Any]) -> int | None:
    """How many replies an export line's call has: its `replies`, else its seller turns; None when it does not say."""
    replies = data.get("replies")
    if isinstance(replies, int) and not isinstance(replies, bool):
        return replies
    transcript = data.get("transcript")
    if isinstance(transcript, list):
        return sum(1 for turn in transcript if isinstance(turn, dict) and turn.get("speaker") == "seller")
    return None


def _hits(data: dict[str, Any]) -> dict[str, bool]:
    """Per scored behaviour of an export line, whether it was hit; none when the line holds no readable result."""
    from pydantic import ValidationError

    from simulator.scoring.result import CallResult  # the scorer loads the engine: `badnews team` never asks

    try:
        return {b: hit for b, (hit, _) in CallResult.model_validate(data).losses().items()}
    except (ValidationError, RecursionError):
        return {}


def _read_csv(path: Path, problems: list[str]) -> Iterator[CohortCall]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        problems.append(f"{path}: cannot read: {error.strerror or error}")
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if any(not row.get(key) for key in REQUIRED):
                problems.append(f"{where}: missing {', '.join(k for k in REQUIRED if not row.get(k))}; skipped")
                continue
            raw_score = row.get("score") or ""
            score = whole_number(raw_score)
            if raw_score and score is None:
                problems.append(f"{where}: score {raw_score!r} is not a whole number; skipped")
                continue
            hits = {b: row[b] == "1" for b in ALL_IDS if row.get(b) in ("0", "1")}
            yield CohortCall(
                uid=row["call_uid"],
                trainee=row["trainee"].removeprefix("'"),
                scenario=row["scenario"].removeprefix("'"),
                status=row["status"],
                started_at=row.get("started_at") or "",
                score=score,
                passed={"1": True, "0": False}.get(row.get("passed") or ""),
                hits=hits,
                persona=(row.get("persona") or "").removeprefix("'"),
                mode=row.get("mode") or "train",
                group=(row.get("group") or "").removeprefix("'"),
                replies=whole_number(row.get("replies") or ""),
            )
    except csv.Error as error:
        problems.append(f"{path}:{reader.line_num}: not CSV ({error}); the rest of this file is skipped")


def trainee_rows(cohort: Cohort) -> list[TraineeRow]:
    """One row per trainee and mode, by name, then train before exam."""
    rows = []
    by_row: dict[tuple[str, str], list[CohortCall]] = {}
    for call in cohort.calls:
        by_row.setdefault((call.trainee, call.mode), []).append(call)
    for (trainee, mode), theirs in sorted(by_row.items(), key=lambda kv: _row_order(*kv[0])):
        ended = sorted((c for c in theirs if c.ended), key=lambda c: c.started_at)
        scores = [int(c.score or 0) for c in ended]
        weakest = _weakest(ended)
        rows.append(TraineeRow(
            trainee=trainee,
            mode=mode,
            calls=len(ended),
            unfinished=len(theirs) - len(ended),
            passed=sum(1 for c in ended if c.passed),
            average=sum(scores) / len(scores) if scores else None,
            best=max(scores) if scores else None,
            latest=scores[-1] if scores else None,
            weakest=weakest[0] if weakest else None,
            weakest_rate=weakest[1] if weakest else None,
        ))
    return rows


def _row_order(trainee: str, mode: str) -> tuple[tuple[str, str], int, str]:
    return name_order(trainee), _MODE_ORDER.get(mode, len(_MODE_ORDER)), mode


def _wrong(behaviour: str, hit: bool) -> bool:
    return not hit if BY_ID[behaviour].good else hit


def _weakest(ended: Sequence[CohortCall]) -> tuple[str, float] | None:
    """The behaviour that went wrong in the largest share of calls; the heavier one on a tie."""
    counts: dict[str, list[int]] = {}
    for call in ended:
        for behaviour, hit in call.hits.items():
            entry = counts.setdefault(behaviour, [0, 0])
            entry[0] += _wrong(behaviour, hit)
            entry[1] += 1
    rated = sorted((-w / n, -BY_ID[b].default_weight, b) for b, (w, n) in counts.items() if w)
    return (rated[0][2], -rated[0][0]) if rated else None


def behaviour_rows(cohort: Cohort) -> list[BehaviourRow]:
    """One row per behaviour scored in any ended call, the most often wrong first."""
    table: dict[str, dict[str, list[int]]] = {}
    for call in cohort.calls:
        if not call.ended:
            continue
        for behaviour, hit in call.hits.items():
            cell = table.setdefault(behaviour, {}).setdefault(call.trainee, [0, 0])
            cell[0] += _wrong(behaviour, hit)
            cell[1] += 1
    rows = [BehaviourRow(b, BY_ID[b].good, {t: (w, n) for t, (w, n) in cells.items()}) for b, cells in table.items()]
    return sorted(rows, key=lambda r: (-r.overall, ALL_IDS.index(r.behaviour)))


def cohort_json(cohort: Cohort) -> dict[str, Any]:
    """The whole `cohort --json` output."""
    return {
        "trainees": [
            {**row.__dict__, "average": None if row.average is None else round(row.average, 1),
             "weakest_rate": None if row.weakest_rate is None else round(row.weakest_rate, 3)}
            for row in trainee_rows(cohort)
        ],
        "behaviours": [
            {"behaviour": row.behaviour, "good": row.good, "overall": round(row.overall, 3),
             "per_trainee": {t: {"wrong": w, "calls": n} for t, (w, n) in sorted(row.per_trainee.items())}}
            for row in behaviour_rows(cohort)
        ],
        "calls": len(cohort.calls),
        "duplicates": cohort.duplicates,
        "problems": cohort.problems,
    }
