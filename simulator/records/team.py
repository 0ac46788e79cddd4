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

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.catalogue import ALL_IDS, BY_ID
from simulator.records.filters import TREND_CALLS, CallFilter, Drill, change
from simulator.records.history import BehaviourStats, weak_spots
from simulator.records.packed import unpack
from simulator.records.store import CallRecord
from simulator.status import CallStatus, Mode

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
    calls: tuple[CallRecord, ...]  # newest first, every status
    trainees: tuple[TraineeRow, ...]  # by name
    scenarios: tuple[DrillRow, ...]  # by scenario, buyer, mode
    problems: tuple[str, ...] = ()  # the damaged rows the store skipped: "call 4 in PATH: why; skipped"
    _by_id: dict[int, CallRecord] = field(default_factory=dict, repr=False, compare=False)

    @property
    def counted(self) -> int:
        """How many calls count in the figures."""
        return sum(row.figures.counted for row in self.trainees)

    def call(self, call_id: int) -> CallRecord | None:
        """The listed call with this id."""
        if not self._by_id and self.calls:
            self._by_id.update((record.id, record) for record in self.calls)
        return self._by_id.get(call_id)

    def calls_of(self, call_ids: Iterable[int]) -> list[CallRecord]:
        """The listed calls with these ids, in the order given."""
        return [record for record in (self.call(i) for i in call_ids) if record is not None]

    def to_json(self) -> dict[str, Any]:
        """The whole `team --json` output: the filters, every call, the trainees and the drills."""
        return {
            "filters": self.filters.to_json(),
            "calls": [call_json(record) for record in self.calls],
            "trainees": [row.to_json() for row in self.trainees],
            "scenarios": [row.to_json() for row in self.scenarios],
            "problems": list(self.problems),
        }


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
        "played_at": record.started_at.isoformat(),
        "chose_before_the_call": record.chose_before_the_call,
        "counted": ended and replies > 0 and record.score is not None,  # `counts`, inline: asked of every call
    }


def call_state(record: CallRecord) -> str:
    """Why a call is not in the figures ('no reply', 'in progress', 'abandoned', 'no score'); '' when it is."""
    if not record.ended:
        return str(record.status).replace("_", " ")
    if not record.replied:
        return "no reply"
    return "" if record.score is not None else "no score"


def team_view(records: Iterable[CallRecord], filters: CallFilter | None = None,
              problems: Sequence[str] = ()) -> TeamView:
    """The trainer's view of the calls `filters` let through; pure and deterministic (ties go by call id)."""
    filters = filters or CallFilter()
    chosen = sorted((r for r in records if filters.matches(r)) if filters.active else records, key=_played)
    cells: dict[CellKey, _Cell] = {}
    rubric = _Rubric()
    latest: dict[DrillKey, CallRecord] = {}  # each drill's latest call, for its scenario title and buyer name
    for position, record in enumerate(chosen):
        key = (record.trainee, record.scenario, record.persona, str(record.mode))
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = _Cell(key, len(cells))
        if cell.add(record, position):
            rubric.add(record, cell.index)
        latest[key[1:]] = record
    sums = rubric.per_cell(len(cells))
    problems = (*problems, *(f"call {i}: its rubric lines cannot be read; left out of the weak behaviours"
                             for i in rubric.unreadable))
    by_trainee: dict[str, list[_Cell]] = {}
    by_drill: dict[DrillKey, list[_Cell]] = {}
    for key, cell in cells.items():
        by_trainee.setdefault(key[0], []).append(cell)
        by_drill.setdefault(key[1:], []).append(cell)
    trainees = tuple(
        TraineeRow(trainee, tuple(sorted({g for c in group for g in c.groups})), _figures(group, sums),
                   _ids(group, chosen))
        for trainee, group in sorted(by_trainee.items(), key=lambda kv: (kv[0].casefold(), kv[0]))
    )
    scenarios = tuple(
        DrillRow(drill[0], latest[drill].scenario_title or drill[0], drill[1], latest[drill].persona_name or drill[1],
                 drill[2], len(group), _figures(group, sums), _ids(group, chosen))
        for drill, group in sorted(by_drill.items())
    )
    return TeamView(filters, tuple(reversed(chosen)), trainees, scenarios, tuple(problems))


def _played(record: CallRecord) -> tuple[datetime, int]:
    return record.started_at, record.id


class _Cell:
    """One trainee's calls of one scenario, buyer and mode: every figure but the rubric's is summed here, then merged."""

    __slots__ = ("best", "calls", "counted", "groups", "index", "key", "latest", "no_reply", "passed", "positions",
                 "series", "total", "unfinished")

    def __init__(self, key: CellKey, index: int) -> None:
        self.key = key
        self.index = index  # its row in the rubric sums
        self.positions: list[int] = []  # of its calls in the view's calls oldest first: sorted, as they came
        self.groups: set[str] = set()
        self.calls = self.counted = self.passed = self.no_reply = self.unfinished = self.total = 0
        self.best: int | None = None
        self.latest: tuple[datetime, int, int, bool] | None = None  # played at, id, score, choices made
        self.series: dict[bool, list[int]] = {}  # choices made or not -> the counted scores, oldest first

    def add(self, record: CallRecord, position: int) -> bool:
        """One more call, played after every call added before it; whether it counts."""
        self.positions.append(position)
        self.groups.add(record.group)
        self.calls += 1
        if not record.ended:
            self.unfinished += 1
            return False
        if not record.replied:
            self.no_reply += 1
            return False
        score = record.score
        if score is None:
            return False
        chose = record.chose_before_the_call
        self.counted += 1
        self.passed += bool(record.passed)
        self.total += score
        self.best = score if self.best is None else max(self.best, score)
        self.latest = (record.started_at, record.id, score, chose)
        self.series.setdefault(chose, []).append(score)
        return True


# The rubric matrix: a column per rubric line; a line's state in a call is one of these.
COLUMNS = {behaviour: column for column, behaviour in enumerate(ALL_IDS)}
NOT_SCORED, MISSED, HIT = 0, 1, 2
RubricSums = tuple["npt.NDArray[np.float64]", "npt.NDArray[np.float64]", "npt.NDArray[np.float64]"]


class _Rubric:
    """Every counted call's rubric lines as a row of a matrix (the points each line cost, and its state), summed
    per cell by numpy: one pass of Python per call, not one per line per row the call counts in."""

    def __init__(self) -> None:
        # Flat C arrays, a row of len(COLUMNS) per call: numpy reads them as they are, without a copy.
        self.lost = array("d")
        self.states = array("b")
        self.cells = array("q")

        # Calls whose lines were packed at save (`packed.py`): unpacked all at once in `per_cell`.
        self.packed: list[str] = []
        self.packed_calls: list[CallRecord] = []
        self.packed_cells = array("q")
        self.unreadable: list[int] = []  # ids of calls whose lines could be read neither way

    def add(self, record: CallRecord, cell: int) -> None:
        """The rubric lines of one counted call of this cell."""
        if record.rubric is not None:
            self.packed.append(record.rubric)
            self.packed_calls.append(record)
            self.packed_cells.append(cell)
            return
        self._add_row(record, cell)

    def _add_row(self, record: CallRecord, cell: int) -> None:
        lost, states = rubric_row(record)
        self.lost.extend(lost)
        self.states.extend(states)
        self.cells.append(cell)

    def per_cell(self, cells: int) -> RubricSums:
        """Per cell and line: the calls that scored it, the calls that hit it, and the points it cost in all."""
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
                record = self.packed_calls[unread]
                if record.snapshot is None:
                    self.unreadable.append(record.id)
                else:
                    self._add_row(record, self.packed_cells[unread])
            cell = np.frombuffer(self.packed_cells, dtype=np.int64)[lines.rows]
            add(scored, cell, lines.columns, 1.0)
            add(hits, cell, lines.columns, lines.states == HIT)
            add(lost, cell, lines.columns, lines.costs)
        if self.cells:
            states = np.frombuffer(self.states, dtype=np.int8)
            cell = np.repeat(np.frombuffer(self.cells, dtype=np.int64), len(COLUMNS))
            column = np.tile(np.arange(len(COLUMNS), dtype=np.int64), len(self.cells))
            add(scored, cell, column, states != NOT_SCORED)
            add(hits, cell, column, states == HIT)
            add(lost, cell, column, np.frombuffer(self.lost, dtype=np.float64))
        return scored, hits, lost


def _figures(cells: Sequence[_Cell], sums: RubricSums) -> Figures:
    counted = sum(c.counted for c in cells)
    latest = max(((c.latest, c) for c in cells if c.latest is not None), key=lambda pair: pair[0][:2], default=None)
    changes = [change(s) for c in cells for s in c.series.values() if len(s) > 1]
    recent: tuple[int, ...] = ()
    drill = None
    if latest is not None:
        (_, _, _, chose), last = latest
        recent = tuple(last.series[chose][-TREND_CALLS:])
        drill = Drill(last.key[1], last.key[2], last.key[3], chose)
    rows = [c.index for c in cells]
    scored, hits, lost = (total[rows].sum(axis=0) for total in sums)
    behaviours = sorted(
        (BehaviourStats(b, BY_ID[b].good, int(scored[i]), int(hits[i]), float(lost[i] / scored[i]))
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
        latest=latest[0][2] if latest is not None else None,
        average=sum(c.total for c in cells) / counted if counted else None,
        trend=Trend(sum(changes) / len(changes) if changes else None, len(changes), recent, drill),
        behaviours=tuple(behaviours),
    )


def _ids(cells: Sequence[_Cell], chosen: Sequence[CallRecord]) -> tuple[int, ...]:
    """The ids of these cells' calls, newest first (`chosen`: every call of the view, oldest first)."""
    return tuple(chosen[p].id for p in sorted((p for c in cells for p in c.positions), reverse=True))


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
