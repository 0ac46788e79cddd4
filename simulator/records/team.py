"""The trainer's view: a team's calls per trainee and per drill (scenario, buyer and mode), from the stored debriefs.

`team_view(records, filters)` is pure: `badnews team` (plain, JSON) and the Team screen hand it the
calls a `CallStore` read. Per trainee and per drill it gives the calls, the best, latest and average
score, a trend and the weak behaviours; every figure counts ended calls with at least one reply only
(a call where the trainee said nothing is listed and marked, never averaged). A trend compares like
with like (`filters.Drill`): per series, one trainee's calls of one drill, the latest score minus the
first of the last TREND_CALLS; a row's trend is the mean over its series of two calls or more.

Everything is summed once per cell (one trainee, scenario, buyer and mode), then the cells are merged
into the rows; numpy sums the rubric lines per cell, unpacked all at once from the text each call packed at
save (`packed.py`, read by `CallStore.summaries` without the debriefs), or, for a call saved before that,
read straight from its stored debrief (not validated as a `CallResult`, a millisecond each).
See benchmarks/bench_team.py.
"""

from __future__ import annotations

import math
import operator
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.catalogue import ALL_IDS, BY_ID
from simulator.records.filters import TREND_CALLS, CallFilter, Drill
from simulator.records.history import BehaviourStats, weak_spots
from simulator.records.packed import unpack
from simulator.records.record import CallRecord, stamp
from simulator.records.sums import GroupDrillKey, Line, LineSums, TraineeKey
from simulator.records.table import ENDED, CallTable
from simulator.status import CallStatus, Mode
from simulator.text import name_order, safe_json

if TYPE_CHECKING:
    import numpy.typing as npt

# A cell of the sums: one trainee's calls of one scenario with one buyer in one mode.
CellKey = tuple[str, str, str, str]
# A drill row: a scenario with one buyer in one mode, every trainee.
DrillKey = tuple[str, str, str]


@dataclass(frozen=True)
class Trend:
    """How scores moved, like with like."""

    change: float | None  # mean over the series of two calls or more; None when there is none
    series: int  # how many series the change is the mean of
    recent: tuple[int, ...]  # the series of the latest counted call, its last TREND_CALLS scores, oldest first
    drill: Drill | None  # what `recent` compares

    def label(self) -> str:
        """'+12.0', '-3.5', or '-' when no drill was played twice."""
        return "-" if self.change is None else f"{self.change:+.1f}"

    def to_json(self) -> dict[str, Any]:
        """As `team --json` shows it."""
        drill = self.drill
        return {
            "change": None if self.change is None else round(self.change, 1),
            "series": self.series,
            "recent": list(self.recent),
            "recent_drill": None if drill is None else {
                "scenario": drill.scenario, "persona": drill.persona, "mode": drill.mode,
                "chose_before_the_call": drill.chose_before_the_call,
            },
        }


@dataclass(frozen=True)
class Figures:
    """The figures of a row: what was played, what counts, the scores, the trend and the weak behaviours."""

    calls: int  # every call listed, whatever its status
    counted: int  # ended calls with a reply: the ones every figure below is taken from
    passed: int
    no_reply: int  # ended calls where the trainee said nothing: listed, not counted
    unfinished: int  # in progress or abandoned
    best: int | None
    latest: int | None
    average: float | None
    trend: Trend
    behaviours: tuple[BehaviourStats, ...]  # every rubric line scored in the counted calls, costliest first

    @property
    def weak(self) -> tuple[BehaviourStats, ...]:
        """The behaviours most often missed or penalised that cost the most, as `history` names weak spots."""
        return weak_spots(self.behaviours)

    def to_json(self) -> dict[str, Any]:
        """As `team --json` shows it."""
        return {
            "calls": self.calls,
            "counted": self.counted,
            "passed": self.passed,
            "no_reply": self.no_reply,
            "unfinished": self.unfinished,
            "best": self.best,
            "latest": self.latest,
            "average": None if self.average is None else round(self.average, 1),
            "trend": self.trend.to_json(),
            "weak": [b.to_json() for b in self.weak],
        }


@dataclass(frozen=True)
class TraineeRow:
    """One trainee: their groups, figures, and calls (ids, newest first)."""

    trainee: str
    groups: tuple[str, ...]
    figures: Figures
    call_ids: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        """As `team --json` shows it."""
        return {"trainee": self.trainee, "groups": list(self.groups), **self.figures.to_json(),
                "call_ids": list(self.call_ids)}


@dataclass(frozen=True)
class DrillRow:
    """One scenario with one buyer in one mode, every trainee: figures and calls (ids, newest first)."""

    scenario: str
    scenario_title: str
    persona: str
    persona_name: str
    mode: str
    trainees: int
    figures: Figures
    call_ids: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        """As `team --json` shows it."""
        return {"scenario": self.scenario, "scenario_title": self.scenario_title, "persona": self.persona,
                "persona_name": self.persona_name, "mode": self.mode, "trainees": self.trainees,
                **self.figures.to_json(), "call_ids": list(self.call_ids)}


@dataclass(frozen=True)
class TeamView:
    """Everything `badnews team` and the Team screen show."""

    filters: CallFilter
    table: CallTable = field(repr=False)  # the calls the filters let through, oldest first, every status
    trainees: tuple[TraineeRow, ...]  # by name
    scenarios: tuple[DrillRow, ...]  # by scenario, buyer, mode
    problems: tuple[str, ...] = ()  # the damaged rows the store skipped: "call 4 in PATH: why; skipped"

    @cached_property
    def calls(self) -> tuple[CallRecord, ...]:
        """Every call listed, newest first: each made a `CallRecord` on first asking (`latest` makes fewer)."""
        return tuple(self.table.records(range(len(self.table) - 1, -1, -1)))

    def latest(self, count: int) -> list[CallRecord]:
        """The `count` newest calls, newest first."""
        table = self.table
        return table.records(range(len(table) - 1, max(len(table) - count, 0) - 1, -1))

    @property
    def call_count(self) -> int:
        """How many calls are listed."""
        return len(self.table)

    @property
    def counted(self) -> int:
        """How many calls count in the figures."""
        return sum(row.figures.counted for row in self.trainees)

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {call_id: position for position, call_id in enumerate(self.table.ids)}

    def call(self, call_id: int) -> CallRecord | None:
        """The listed call with this id."""
        position = self._positions.get(call_id)
        return None if position is None else self.table.record(position)

    def calls_of(self, call_ids: Iterable[int]) -> list[CallRecord]:
        """The listed calls with these ids, in the order given."""
        positions = [p for p in map(self._positions.get, call_ids) if p is not None]
        return self.table.records(positions)

    def to_json(self) -> dict[str, Any]:
        """The whole `team --json` output: the filters, every call, the trainees and the drills."""
        return {
            "filters": self.filters.to_json(),
            "calls": calls_json(self.table),
            "trainees": [row.to_json() for row in self.trainees],
            "scenarios": [row.to_json() for row in self.scenarios],
            "problems": list(self.problems),
        }

    def json_text(self) -> str:
        """`safe_json(self.to_json(), indent=None)`, the same text, written without a dict per call.

        Over 100,000 calls the dicts and the encoder took a second: here each call is one format of its values,
        and a text value (a trainee, a scenario: the same few thousand over and over) is encoded once.
        """
        head = safe_json({"filters": self.filters.to_json()}, indent=None)
        tail = safe_json({"trainees": [row.to_json() for row in self.trainees],
                          "scenarios": [row.to_json() for row in self.scenarios],
                          "problems": list(self.problems)}, indent=None)
        return f'{head[:-1]}, "calls": [{", ".join(_calls_text(self.table))}], {tail[1:]}'


_TEXT: dict[Mode | CallStatus, str] = {member: str(member) for member in (*Mode, *CallStatus)}


def call_json(record: CallRecord) -> dict[str, Any]:
    """One call as `team --json` lists it; the score, pass and outcome of a call that has not ended are null.

    Lean, for a store of 100,000 calls: titles and buyer names are in the `scenarios` rows, the rest in `export`.
    """
    ended = record.status.ended
    replies = record.replies_made
    return {
        "id": record.id,
        "uid": record.uid,
        "trainee": record.trainee,
        "group": record.group,
        "scenario": record.scenario,
        "persona": record.persona,
        "mode": _TEXT[record.mode],  # plain str: json writes an enum member by a slower path
        "status": _TEXT[record.status],
        "replies": replies,
        "score": record.score if ended else None,
        "grade": record.grade if ended else None,
        "passed": record.passed if ended else None,
        "outcome": record.outcome if ended else None,
        "played_at": stamp(record.started_at),
        "chose_before_the_call": record.chose_before_the_call,
        "counted": ended and replies > 0 and record.score is not None,  # `counts`, inline: asked of every call
    }


def calls_json(table: CallTable) -> list[dict[str, Any]]:
    """Every call of a table as `call_json` lists it, newest first, read from the table's columns."""
    ended = [status in ENDED for status in table.statuses]
    columns = zip(table.ids, table.uids, table.trainees, table.groups, table.scenarios, table.personas, table.modes,
                  table.statuses, table.replies, table.scores, table.grades, table.passed, table.outcomes,
                  table.stamps, table.chose, ended, strict=True)
    return [
        {"id": id_, "uid": uid, "trainee": trainee, "group": group, "scenario": scenario, "persona": persona,
         "mode": mode, "status": status, "replies": replies, "score": score if done else None,
         "grade": grade if done else None, "passed": passed if done else None, "outcome": outcome if done else None,
         "played_at": played, "chose_before_the_call": chose,
         "counted": done and replies > 0 and score is not None}
        for (id_, uid, trainee, group, scenario, persona, mode, status, replies, score, grade, passed, outcome,
             played, chose, done) in reversed(list(columns))
    ]


class _Encoded(dict[str | None, str]):
    """Text values as `safe_json` writes them, each encoded once."""

    def __missing__(self, text: str | None) -> str:
        encoded = self[text] = safe_json(text, indent=None)
        return encoded


_UUID = re.compile(r"[0-9a-f-]+")  # what `new_uid` writes: nothing in it to escape
_BOOL = {True: "true", False: "false", None: "null"}
_CALL = (  # one call of `team --json`, its values written already
    '{"id": %s, "uid": %s, "trainee": %s, "group": %s, "scenario": %s, "persona": %s, "mode": %s, "status": %s, '
    '"replies": %s, "score": %s, "grade": %s, "passed": %s, "outcome": %s, "played_at": "%s", '
    '"chose_before_the_call": %s, "counted": %s}'
)


def _listing_sql() -> str:
    """`_CALL` as an SQLite expression over a row of `calls`: each call's line of `team --json` written by the
    database (0.35 s over 100,000 calls, where reading their values into Python and writing them took 0.7 s).

    Its text values are written as they are, as JSON writes plain text (printable ASCII with no quote or backslash);
    `_calls_text` writes the calls with any other text itself (an accent, a control character), escaped as `safe_json`
    escapes it. The table keeps the lines only where it reads the values alike (`CallTable.from_rows`): when played
    as this version writes times, and the choices made as `choices <> '{}'` reads them.
    """
    done = f"status IN ({', '.join(map(repr, sorted(ENDED)))})"
    quoted = ("uid", "trainee", "group", "scenario", "persona", "mode", "status")
    text_format = re.sub(r'"(\w+)": %s', lambda m: f'"{m[1]}": "%s"' if m[1] in quoted else m[0], _CALL)
    values = (
        "id", "uid", "trainee", "group_name", "scenario", "persona", "mode", "status", "replies_made",
        f"CASE WHEN {done} AND score IS NOT NULL THEN score ELSE 'null' END",
        f"CASE WHEN {done} AND grade IS NOT NULL THEN '\"' || grade || '\"' ELSE 'null' END",
        f"CASE WHEN {done} THEN (CASE passed WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE 'null' END) ELSE 'null' END",
        f"CASE WHEN {done} AND outcome IS NOT NULL THEN '\"' || outcome || '\"' ELSE 'null' END",
        "started_at",
        "CASE WHEN choices <> '{}' THEN 'true' ELSE 'false' END",
        f"CASE WHEN {done} AND replies_made > 0 AND score IS NOT NULL THEN 'true' ELSE 'false' END",
    )
    return f"printf('{text_format}', {', '.join(values)})"


def _plain(text: str | None) -> bool:
    """Whether JSON writes this text value as it is, between quotes: what `LISTING_SQL` does with every one."""
    return text is None or (text.isascii() and text.isprintable() and '"' not in text and "\\" not in text)


LISTING_SQL = _listing_sql()


def _calls_text(table: CallTable) -> list[str]:
    """Each call of `calls_json(table)` as `safe_json` writes it, newest first: as the database wrote it where it
    did (`CallTable.listed`: a line of plain values, from SQLite's `printf`), the others here."""
    listed = table.listed
    if listed is None:
        return _written(table)[::-1]
    # The calls with a text value the database wrote unescaped; each column's values looked at once each.
    odd = [] if _UUID.fullmatch("".join(table.uids) or "0") else [i for i, uid in enumerate(table.uids) if not _plain(uid)]
    for column in (table.trainees, table.groups, table.scenarios, table.personas, table.grades, table.outcomes):
        if escaped := {value for value in {*column} if not _plain(value)}:
            odd.extend(i for i, value in enumerate(column) if value in escaped)
    if odd or None in listed:
        listed = list(listed)
        missing = sorted({*odd, *(i for i, text in enumerate(listed) if text is None)})
        for position, text in zip(missing, _written(table.take(missing)), strict=True):
            listed[position] = text
    return listed[::-1]


def _written(table: CallTable) -> list[str]:
    """Each call of `calls_json(table)` as `safe_json` writes it, oldest first.

    Written a column at a time (`map` runs in C), then the columns zipped into each call's text: one format of
    twenty values a call took half a second over 100,000 calls.
    """
    text = _Encoded()
    ended = list(map(ENDED.__contains__, table.statuses))
    scores = [score if done and score is not None else None for score, done in zip(table.scores, ended, strict=True)]
    uids = ([f'"{uid}"' for uid in table.uids] if _UUID.fullmatch("".join(table.uids) or "0")
            else list(map(text.__getitem__, table.uids)))
    counted = [done and replies > 0 and score is not None
               for done, replies, score in zip(ended, table.replies, scores, strict=True)]
    columns = (
        map(str, table.ids), uids, map(text.__getitem__, table.trainees), map(text.__getitem__, table.groups),
        map(text.__getitem__, table.scenarios), map(text.__getitem__, table.personas),
        map(text.__getitem__, table.modes), map(text.__getitem__, table.statuses), map(str, table.replies),
        ["null" if score is None else str(score) for score in scores],
        [text[grade if done else None] for grade, done in zip(table.grades, ended, strict=True)],
        [_BOOL[passed if done else None] for passed, done in zip(table.passed, ended, strict=True)],
        [text[outcome if done else None] for outcome, done in zip(table.outcomes, ended, strict=True)],
        table.stamps, map(_BOOL.__getitem__, table.chose), map(_BOOL.__getitem__, counted),
    )
    return list(map(_CALL.__mod__, zip(*columns, strict=True)))


def call_state(record: CallRecord) -> str:
    """Why a call is not in the figures ('no reply', 'in progress', 'abandoned', 'no score'); '' when it is."""
    if not record.ended:
        return str(record.status).replace("_", " ")
    if not record.replied:
        return "no reply"
    return "" if record.score is not None else "no score"


def team_view(calls: Iterable[CallRecord], filters: CallFilter | None = None,
              problems: Sequence[str] = (), sums: LineSums | None = None) -> TeamView:
    """The trainer's view of the calls `filters` let through; pure and deterministic (ties go by call id).

    `calls` is best a `CallTable` (`CallStore.call_table`): then no call is made an object to be summed. `sums`,
    the store's rubric lines summed at save (`CallStore.line_sums`), are used when they count exactly the calls
    listed and the filters pick no more than a group; otherwise every call's lines are summed here.
    """
    filters = filters or CallFilter()
    table = calls if isinstance(calls, CallTable) else CallTable.of(calls)
    if filters.active:
        table = table.take([
            i for i, call in enumerate(zip(table.trainees, table.groups, table.scenarios, table.personas,
                                           table.modes, table.played, strict=True))
            if filters.admits(trainee=call[0], group=call[1], scenario=call[2], persona=call[3], mode=call[4],
                              played_at=call[5])
        ])
    cells = _cells(table)
    by_trainee: dict[str, list[_Cell]] = {}
    by_drill: dict[DrillKey, list[_Cell]] = {}
    for cell in cells.cells:
        by_trainee.setdefault(cell.key[0], []).append(cell)
        by_drill.setdefault(cell.key[1:], []).append(cell)
    kept = _kept_lines(table, cells, filters, sums) if sums is not None else None
    if kept is not None:
        trainee_lines, drill_lines = kept
    else:
        rubric = _Rubric(table)
        counted = np.flatnonzero(cells.counted)
        rubric.add(counted, cells.of_call[counted])
        per_cell = rubric.per_cell(len(cells.cells))
        problems = (*problems, *(f"call {i}: its rubric lines cannot be read; left out of the weak behaviours"
                                 for i in rubric.unreadable))
        trainee_lines = {trainee: _summed(group, per_cell) for trainee, group in by_trainee.items()}
        drill_lines = {drill: _summed(group, per_cell) for drill, group in by_drill.items()}
    ids = np.fromiter(table.ids, np.int64, len(table))
    ids_of_trainee = _ids_by(by_trainee, cells, ids)
    ids_of_drill = _ids_by(by_drill, cells, ids)
    latest = {drill: max(c.last for c in group) for drill, group in by_drill.items()}  # for its title and buyer
    trainees = tuple(
        TraineeRow(trainee, tuple(sorted({g for c in group for g in c.groups})),
                   _figures(group, trainee_lines.get(trainee, _NO_LINES)), ids_of_trainee[trainee])
        for trainee, group in sorted(by_trainee.items(), key=lambda kv: name_order(kv[0]))
    )
    scenarios = tuple(
        DrillRow(drill[0], table.titles[latest[drill]] or drill[0], drill[1], table.names[latest[drill]] or drill[1],
                 drill[2], len(group), _figures(group, drill_lines.get(drill, _NO_LINES)), ids_of_drill[drill])
        for drill, group in sorted(by_drill.items())
    )
    return TeamView(filters, table, trainees, scenarios, tuple(problems))


def _summed(cells: Sequence[_Cell], per_cell: RubricSums) -> RubricSums:
    """A row's rubric lines: its cells' summed."""
    rows = [c.index for c in cells]
    scored, hits, lost = (total[rows].sum(axis=0) for total in per_cell)
    return scored, hits, lost


def _kept_lines(table: CallTable, cells: _Cells, filters: CallFilter,
                sums: LineSums) -> tuple[dict[str, RubricSums], dict[DrillKey, RubricSums]] | None:
    """Each trainee's and each drill's rubric lines from the sums the store kept at save; None unless the filters
    pick no more than a group and the sums count exactly the calls listed with their lines packed."""
    if (filters.trainee, filters.scenario, filters.persona, filters.mode, filters.since, filters.until) != (None,) * 6:
        return None
    # The calls the sums count, per cell and group (counted by numpy), then per trainee and per drill.
    summed = cells.counted & np.fromiter(table.packed, np.bool_, len(table))
    groups, group_of_call = cells.groups, cells.group_of_call
    pairs = np.bincount(cells.of_call[summed] * len(groups) + group_of_call[summed],
                        minlength=len(cells.cells) * len(groups))
    trainee_calls: Counter[TraineeKey] = Counter()
    drill_calls: Counter[GroupDrillKey] = Counter()
    for code, calls in zip(np.flatnonzero(pairs).tolist(), pairs[pairs > 0].tolist(), strict=True):
        (trainee, *drill), group = cells.cells[code // len(groups)].key, groups[code % len(groups)]
        trainee_calls[trainee, group] += calls
        drill_calls[group, drill[0], drill[1], drill[2]] += calls
    if filters.group is not None:
        sums = sums.of_group(filters.group)
    if not sums.agree(trainee_calls, drill_calls):
        return None
    trainees: dict[str, RubricSums] = {}
    for (trainee, _), lines in sums.trainees.items():
        trainees[trainee] = _plus(trainees.get(trainee), lines)
    drills: dict[DrillKey, RubricSums] = {}
    for (_, *drill), lines in sums.drills.items():
        key = (drill[0], drill[1], drill[2])
        drills[key] = _plus(drills.get(key), lines)
    return trainees, drills


def _plus(total: RubricSums | None, lines: Mapping[str, Line]) -> RubricSums:
    """`total` (or nothing) and a key's lines as kept, in COLUMNS order; a line this version does not know is left
    out."""
    scored, hits, lost = (np.zeros(len(COLUMNS)) for _ in range(3)) if total is None else (t.copy() for t in total)
    for behaviour, (calls, hit, hundredths) in lines.items():
        column = COLUMNS.get(behaviour)
        if column is not None:
            scored[column] += calls
            hits[column] += hit
            lost[column] += hundredths
    return scored, hits, lost


@dataclass
class _Cell:
    """One trainee's calls of one scenario, buyer and mode: every figure but the rubric's is summed here, then merged."""

    key: CellKey
    index: int  # its row in the rubric sums
    calls: int = 0
    counted: int = 0
    passed: int = 0
    no_reply: int = 0
    unfinished: int = 0
    total: int = 0
    best: int | None = None
    latest: tuple[int, int, bool] | None = None  # the latest counted call: its position (by when played), score, choices made
    # choices made or not -> the last TREND_CALLS counted scores, oldest first (all a trend reads)
    series: dict[bool, list[int]] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)
    last: int = -1  # the position of its latest call, counted or not


@dataclass
class _Cells:
    """The cells of a table's calls, in the order their first calls were played, and which cell each call is in."""

    cells: list[_Cell]
    of_call: npt.NDArray[np.int64]
    counted: npt.NDArray[np.bool_]  # which calls count: ended, with a reply and a score
    groups: list[str]  # every group, in the order first seen
    group_of_call: npt.NDArray[np.int64]  # which group each call is in


def _cells(table: CallTable) -> _Cells:
    """Every figure of every cell but the rubric's, summed a column at a time."""
    n = len(table)  # the columns are read by `map`, in C: a generator costs a Python step a call
    keys, of_call = _cell_codes(table)
    cells = [_Cell(key, i) for i, key in enumerate(keys)]
    ended = np.fromiter(map(ENDED.__contains__, table.statuses), np.bool_, n)
    replied = np.fromiter(table.replies, np.int64, n) > 0
    scored = np.fromiter(map(operator.is_not, table.scores, repeat(None)), np.bool_, n)
    counted = ended & replied & scored
    passed = np.fromiter(map(bool, table.passed), np.bool_, n) & counted

    def per_cell(which: npt.NDArray[np.bool_]) -> list[int]:
        return np.bincount(of_call[which], minlength=len(cells)).tolist()

    last = np.full(len(cells), -1, dtype=np.int64)
    np.maximum.at(last, of_call, np.arange(n))
    totals = {
        "calls": np.bincount(of_call, minlength=len(cells)).tolist(),
        "counted": per_cell(counted),
        "passed": per_cell(passed),
        "no_reply": per_cell(ended & ~replied),
        "unfinished": per_cell(~ended),
        "last": last.tolist(),
    }
    for name, values in totals.items():
        for cell, value in zip(cells, values, strict=True):
            setattr(cell, name, value)
    groups, group_of_call = _codes(table.groups)
    for pair in np.unique(of_call * len(groups) + group_of_call).tolist():
        cells[pair // len(groups)].groups.add(groups[pair % len(groups)])
    # The counted calls, oldest first, in series: one cell's calls with the choices made or not.
    positions = np.flatnonzero(counted)
    scores = np.array(table.scores, dtype=object)[positions].astype(np.int64)
    chose = np.array(table.chose, dtype=np.int64)[positions]
    series = of_call[positions] * 2 + chose
    order = np.argsort(series, kind="stable")
    starts = np.flatnonzero(np.diff(series[order], prepend=-1))
    ordered = scores[order].tolist()  # sliced as a list: 14,000 numpy runs took four times as long
    bounds = [*starts.tolist(), len(ordered)]
    for key, start, end in zip(series[order][starts].tolist(), bounds, bounds[1:], strict=False):
        cells[key // 2].series[bool(key % 2)] = ordered[max(start, end - TREND_CALLS):end]
    best = np.full(len(cells), np.iinfo(np.int64).min)
    np.maximum.at(best, of_call[positions], scores)
    latest = np.full(len(cells), -1, dtype=np.int64)
    np.maximum.at(latest, of_call[positions], positions)
    for cell, total, top, position in zip(cells, np.bincount(of_call[positions], scores, len(cells)).tolist(),
                                          best.tolist(), latest.tolist(), strict=True):
        if cell.counted:
            score = table.scores[position]
            assert score is not None
            cell.total, cell.best = round(total), top
            cell.latest = (position, score, table.chose[position])
    return _Cells(cells, of_call, counted, groups, group_of_call)


def _codes(values: Sequence[str]) -> tuple[list[str], npt.NDArray[np.int64]]:
    """A column's distinct values in the order first seen, and each call's value as its place among them."""
    index = {value: i for i, value in enumerate(dict.fromkeys(values))}
    return list(index), np.fromiter(map(index.__getitem__, values), np.int64, len(values))


CODES_FIT = 2**62  # the most cells whose keys' codes combine into one int64 without overflow


def _cell_codes(table: CallTable) -> tuple[list[CellKey], npt.NDArray[np.int64]]:
    """Every cell's key, in the order their first calls were played, and which cell each call is in.

    Each column is coded on its own (a dict of a few hundred texts) and the codes combined into one number a call,
    which numpy groups: a tuple of four texts a call, hashed twice, took four times as long over 100,000 calls.
    """
    columns = [_codes(column) for column in (table.trainees, table.scenarios, table.personas, table.modes)]
    if math.prod(max(len(names), 1) for names, _ in columns) >= CODES_FIT:  # the numbers would not fit: key by key
        keys = list(zip(table.trainees, table.scenarios, table.personas, table.modes, strict=True))
        index = {key: i for i, key in enumerate(dict.fromkeys(keys))}
        return list(index), np.fromiter(map(index.__getitem__, keys), np.int64, len(keys))
    combined = np.zeros(len(table), dtype=np.int64)
    for names, codes in columns:
        combined = combined * len(names) + codes
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # the cells by their first call
    place = np.empty_like(order)
    place[order] = np.arange(len(order))
    (trainees, of_trainee), (scenarios, of_scenario), (personas, of_persona), (modes, of_mode) = columns
    keys = [(trainees[of_trainee[i]], scenarios[of_scenario[i]], personas[of_persona[i]], modes[of_mode[i]])
            for i in first[order].tolist()]
    return keys, place[inverse.reshape(-1)]


def _ids_by(rows: dict[Any, list[_Cell]], cells: _Cells, ids: npt.NDArray[np.int64]) -> dict[Any, tuple[int, ...]]:
    """Per row (a trainee, a drill), the ids of its cells' calls, newest first."""
    row_of_cell = np.empty(len(cells.cells), dtype=np.int64)
    for row, group in enumerate(rows.values()):
        row_of_cell[[c.index for c in group]] = row
    newest_first = row_of_cell[cells.of_call][::-1]
    order = np.argsort(newest_first, kind="stable")
    runs = np.split(ids[::-1][order], np.cumsum(np.bincount(newest_first, minlength=len(rows)))[:-1]) if rows else []
    return {key: tuple(run.tolist()) for key, run in zip(rows, runs, strict=True)}


# The rubric matrix: a column per rubric line; a line's state in a call is one of these.
COLUMNS = {behaviour: column for column, behaviour in enumerate(ALL_IDS)}
NOT_SCORED, MISSED, HIT = 0, 1, 2
RubricSums = tuple["npt.NDArray[np.float64]", "npt.NDArray[np.float64]", "npt.NDArray[np.float64]"]
_NO_LINES: RubricSums = (np.zeros(len(COLUMNS)), np.zeros(len(COLUMNS)), np.zeros(len(COLUMNS)))  # a row with no counted call


class _Rubric:
    """Every counted call's rubric lines as a row of a matrix (the points each line cost, and its state), summed
    per cell by numpy: one pass of Python per call, not one per line per row the call counts in."""

    def __init__(self, table: CallTable) -> None:
        self.table = table
        # Flat C arrays, a row of len(COLUMNS) per call: numpy reads them as they are, without a copy.
        self.lost = array("d")
        self.states = array("b")
        self.cells = array("q")

        # Calls whose lines were packed at save (`packed.py`): unpacked all at once in `per_cell`.
        self.packed: list[str] = []
        self.packed_calls = np.zeros(0, dtype=np.int64)  # their positions in the table
        self.packed_cells = np.zeros(0, dtype=np.int64)
        self.unreadable: list[int] = []  # ids of calls whose lines could be read neither way

    def add(self, positions: npt.NDArray[np.int64], cells: npt.NDArray[np.int64]) -> None:
        """The rubric lines of the counted calls at these positions in the table, each of its cell."""
        rubrics = self.table.rubrics
        texts = [rubrics[i] for i in positions.tolist()]
        packed = np.fromiter(map(operator.is_not, texts, repeat(None)), np.bool_, len(texts))
        self.packed = [text for text in texts if text is not None]
        self.packed_calls, self.packed_cells = positions[packed], cells[packed]
        for position, cell in zip(positions[~packed].tolist(), cells[~packed].tolist(), strict=True):
            self._add_row(self.table.record(position), cell)

    def _add_row(self, record: CallRecord, cell: int) -> None:
        lost, states = rubric_row(record)
        self.lost.extend(lost)
        self.states.extend(states)
        self.cells.append(cell)

    def per_cell(self, cells: int) -> RubricSums:
        """Per cell and line: the calls that scored it, the calls that hit it, and the points it cost in all (in
        hundredths, as the store's sums keep them: whole numbers, the same whichever way they were summed)."""
        shape = (cells, len(COLUMNS))
        scored, hits, lost = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        size = cells * len(COLUMNS)

        def add(total: npt.NDArray[np.float64], cell: npt.NDArray[np.int64], column: npt.NDArray[np.int64],
                values: npt.ArrayLike) -> None:  # np.add.at, ten times faster: one bin per cell and line
            weights = np.broadcast_to(np.asarray(values, dtype=np.float64), cell.shape)
            total += np.bincount(cell * len(COLUMNS) + column, weights, minlength=size).reshape(shape)

        if self.packed:
            lines = unpack(self.packed, COLUMNS)
            for unread in lines.unread:  # a hand edit: from the debrief, if the summary read it
                record = self.table.record(int(self.packed_calls[unread]))
                if record.snapshot is None:
                    self.unreadable.append(record.id)
                else:
                    self._add_row(record, int(self.packed_cells[unread]))
            cell = self.packed_cells[lines.rows]
            add(scored, cell, lines.columns, 1.0)
            add(hits, cell, lines.columns, lines.states == HIT)
            add(lost, cell, lines.columns, np.round(lines.costs * 100))
        if self.cells:
            states = np.frombuffer(self.states, dtype=np.int8)
            cell = np.repeat(np.frombuffer(self.cells, dtype=np.int64), len(COLUMNS))
            column = np.tile(np.arange(len(COLUMNS), dtype=np.int64), len(self.cells))
            add(scored, cell, column, states != NOT_SCORED)
            add(hits, cell, column, states == HIT)
            add(lost, cell, column, np.round(np.frombuffer(self.lost, dtype=np.float64) * 100))
        return scored, hits, lost


def _figures(cells: Sequence[_Cell], lines: RubricSums) -> Figures:
    counted = sum(c.counted for c in cells)
    latest = max(((c.latest, c) for c in cells if c.latest is not None), key=lambda pair: pair[0][0], default=None)
    changes = [s[-1] - s[0] for c in cells for s in c.series.values() if len(s) > 1]  # `change`, of the tails kept
    recent: tuple[int, ...] = ()
    drill = None
    if latest is not None:
        (_, _, chose), last = latest
        recent = tuple(last.series[chose][-TREND_CALLS:])
        drill = Drill(last.key[1], last.key[2], last.key[3], chose)
    scored, hits, lost = lines
    behaviours = sorted(
        (BehaviourStats(b, BY_ID[b].good, int(scored[i]), int(hits[i]), float(lost[i] / 100 / scored[i]))
         for b, i in COLUMNS.items() if scored[i]),
        key=lambda s: (-s.points_lost, s.behaviour),
    )
    bests = [c.best for c in cells if c.best is not None]
    return Figures(
        calls=sum(c.calls for c in cells),
        counted=counted,
        passed=sum(c.passed for c in cells),
        no_reply=sum(c.no_reply for c in cells),
        unfinished=sum(c.unfinished for c in cells),
        best=max(bests) if bests else None,
        latest=latest[0][1] if latest is not None else None,
        average=sum(c.total for c in cells) / counted if counted else None,
        trend=Trend(sum(changes) / len(changes) if changes else None, len(changes), recent, drill),
        behaviours=tuple(behaviours),
    )


def rubric_row(record: CallRecord) -> tuple[list[float], list[int]]:
    """A call's rubric lines in COLUMNS order: the points each cost, and NOT_SCORED, MISSED or HIT.

    Read straight from the stored debrief when its lines are as this version writes them: validating a whole
    `CallResult` takes a millisecond, over a minute for 100,000 calls. Anything else (a debrief saved before
    `lost` was kept, a hand-edited line) goes the validated way, `record.result.losses()`.
    """
    lost = [0.0] * len(COLUMNS)
    states = [NOT_SCORED] * len(COLUMNS)
    snapshot = record.snapshot
    lines = snapshot.get("behaviours") if snapshot is not None else None
    if type(lines) is dict:
        columns, numbers = COLUMNS, _NUMBERS  # locals: this loop runs thirty times a call
        try:
            for behaviour, line in lines.items():
                column = columns.get(behaviour)
                if column is None:
                    continue
                hit, weight, cost = line["hit"], line["weight"], line["lost"]
                if type(hit) is not bool or type(weight) not in numbers or type(cost) not in numbers:
                    break
                if weight:
                    lost[column] = cost
                    states[column] = 2 if hit else 1  # HIT, MISSED
            else:
                return lost, states
        except (KeyError, TypeError):  # a line without `lost` (saved before it was kept), or not a line at all
            pass
        lost, states = [0.0] * len(COLUMNS), [NOT_SCORED] * len(COLUMNS)
    result = record.result
    for behaviour, (hit, cost) in (result.losses() if result is not None else {}).items():
        lost[COLUMNS[behaviour]] = cost
        states[COLUMNS[behaviour]] = HIT if hit else MISSED
    return lost, states


def rubric_losses(record: CallRecord) -> dict[str, tuple[bool, float]]:
    """Per rubric line that weighs something: hit, and the points it cost; what `record.result.losses()` gives."""
    lost, states = rubric_row(record)
    return {b: (states[i] == HIT, float(lost[i])) for b, i in COLUMNS.items() if states[i] != NOT_SCORED}


_NUMBERS = (int, float)
