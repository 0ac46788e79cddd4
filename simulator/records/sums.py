"""Every counted call's rubric lines, summed as the call is saved: per trainee and per drill, in the store itself.

The trainer's view of a whole team (`badnews team`) shows, per trainee and per drill (a scenario with one
buyer in one mode), how often each rubric line was hit and what it cost. Summing 100,000 calls' lines at
every look meant reading and unpacking 3.4 million of them; a team's sums are a few thousand rows. Two
tables (schema v7), the same on both engines:

    trainee_lines (trainee, group_name, behaviour, calls, hits, lost)
    drill_lines   (group_name, scenario, persona, mode, behaviour, calls, hits, lost)

`calls` counts the calls that scored the line, `hits` those that hit it, `lost` the points it cost in all,
in hundredths: whole numbers, so a sum kept by adding and taking away never drifts. The row whose
behaviour is '' (`CALLS`) counts the calls themselves. A call counts once it has ended with a reply, a
score and its lines packed (`packed.py`): `CallStore.save` and `set_status` take away what the call
counted for before and add what it counts for now, in the transaction that changes it; migration v7
sums the calls already stored.

The reader trusts the sums only where they check out (`LineSums.agree`): each row's count of calls must
be the number of such calls the listing read. Where it is not (a file edited by hand, a call saved before
its lines were packed), the view sums every call's lines itself, as it did before.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from simulator.records.packed import read_lines
from simulator.status import CallStatus

CALLS = ""  # the behaviour of the row that counts the calls themselves
ENDED = frozenset(str(status) for status in CallStatus if status.ended)

# A trainee's sums: (trainee, group); a drill's: (group, scenario, persona, mode).
TraineeKey = tuple[str, str]
GroupDrillKey = tuple[str, str, str, str]
# Per behaviour: calls that scored it, calls that hit it, points lost in hundredths.
Line = tuple[int, int, int]

# What a call's row must say for its contribution: read before and after each change.
ROW = "trainee, group_name, scenario, persona, mode, status, score, replies_made, rubric"
ROW_NAMES = tuple(ROW.split(", "))

_UPSERT = (
    "INSERT INTO {table} ({key}, behaviour, calls, hits, lost) VALUES ({marks}, ?, ?, ?, ?)"
    " ON CONFLICT ({key}, behaviour) DO UPDATE SET calls = {table}.calls + excluded.calls,"
    " hits = {table}.hits + excluded.hits, lost = {table}.lost + excluded.lost"
)
TRAINEE_KEY = ("trainee", "group_name")
DRILL_KEY = ("group_name", "scenario", "persona", "mode")
UPSERT_TRAINEE = _UPSERT.format(table="trainee_lines", key=", ".join(TRAINEE_KEY), marks=", ".join("?" * 2))
UPSERT_DRILL = _UPSERT.format(table="drill_lines", key=", ".join(DRILL_KEY), marks=", ".join("?" * 4))


class Connection(Protocol):
    """What the sums are written through: a SQLite connection, or the team store's (`postgres.py`)."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...
    def executemany(self, sql: str, rows: Any, /) -> Any: ...


def counts_for(row: Sequence[Any] | None) -> tuple[TraineeKey, GroupDrillKey, dict[str, Line]] | None:
    """What a call (its `ROW` values) adds to the sums: its keys and its lines; None when it adds nothing.

    A call adds once it has ended, with a reply, a score and lines that read back (`packed.read_lines`);
    a damaged value anywhere in the row, and it adds nothing (the reader then finds the sums short).
    """
    if row is None:
        return None
    # By position: a row of the team store is also a mapping, which iterates over its names.
    trainee, group, scenario, persona, mode, status, score, replies, rubric = (row[i] for i in range(len(ROW_NAMES)))
    if status not in ENDED or score is None or not isinstance(replies, int) or replies < 1:
        return None
    if not all(isinstance(text, str) for text in (trainee, group, scenario, persona, mode, rubric)):
        return None
    lines = read_lines(rubric)
    if lines is None:
        return None
    counted: dict[str, Line] = {CALLS: (1, 0, 0)}
    for behaviour, hit, cost in lines:
        calls, hits, lost = counted.get(behaviour, (0, 0, 0))
        counted[behaviour] = (calls + 1, hits + hit, lost + round(cost * 100))
    return (trainee, group), (group, scenario, persona, mode), counted


def keep(db: Connection, before: Sequence[Any] | None, **changed: Any) -> None:
    """Change the sums from what a call counted for (`before`, its ROW values read in the transaction that changes
    it) to what it counts for with the `changed` columns (`status=`, `score=`, `replies_made=`, `rubric=`)."""
    if before is None:
        return
    now = [before[i] for i in range(len(ROW_NAMES))]
    for name, value in changed.items():
        now[ROW_NAMES.index(name)] = value
    totals = _Totals()
    totals.add(before, -1)
    totals.add(now, 1)
    totals.write(db)


def afresh(rows: Iterable[Sequence[Any]]) -> LineSums:
    """The sums of these calls (their `ROW` values), made anew: what the store's kept sums must equal."""
    totals = _Totals()
    for row in rows:
        totals.add(row)
    return totals.sums()


def backfill(db: Connection) -> None:
    """Migration v7: sum the calls already stored (a call saved before its lines were packed is left out)."""
    totals = _Totals()
    for row in db.execute(f"SELECT {ROW} FROM calls").fetchall():
        totals.add(row)
    totals.write(db)


def _texts(values: Sequence[Any]) -> bool:
    try:
        "".join(values)
    except TypeError:
        return False
    return True


def _naturals(values: Sequence[Any]) -> bool:
    try:
        return min(array("q", values), default=0) >= 0
    except (TypeError, OverflowError):
        return False


class _Totals:
    """Changes to the sums, per key, behaviour and figure, gathered before they are written."""

    def __init__(self) -> None:
        self.trainee: Counter[tuple[Any, ...]] = Counter()
        self.drill: Counter[tuple[Any, ...]] = Counter()

    def add(self, row: Sequence[Any] | None, sign: int = 1) -> None:
        counted = counts_for(row)
        if counted is None:
            return
        trainee_key, drill_key, lines = counted
        for behaviour, line in lines.items():
            for place, value in enumerate(line):
                self.trainee[(*trainee_key, behaviour, place)] += sign * value
                self.drill[(*drill_key, behaviour, place)] += sign * value

    def sums(self) -> LineSums:
        """The sums gathered, as `CallStore.line_sums` reads them back."""
        return LineSums.of_rows(*(_rows(changes) for changes in (self.trainee, self.drill))) or LineSums({}, {})

    def write(self, db: Connection) -> None:
        for sql, changes in ((UPSERT_TRAINEE, self.trainee), (UPSERT_DRILL, self.drill)):
            rows = _rows(changes)
            if rows:
                db.executemany(sql, rows)


def _rows(changes: Counter[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """(key..., behaviour, calls, hits, lost) per line that changed, sorted: every writer takes the rows' locks
    in the same order, so two saves at once on the team store wait for each other rather than deadlock."""
    lines: dict[tuple[Any, ...], list[int]] = {}
    for (*key, place), value in changes.items():
        lines.setdefault(tuple(key), [0, 0, 0])[place] += value
    return [(*key, *line) for key, line in sorted(lines.items()) if any(line)]


@dataclass(frozen=True)
class LineSums:
    """The sums a store keeps: per trainee (and group) and per drill (and group), each line's `Line`."""

    trainees: Mapping[TraineeKey, Mapping[str, Line]]
    drills: Mapping[GroupDrillKey, Mapping[str, Line]]

    @classmethod
    def of_rows(cls, trainee_rows: Sequence[Sequence[Any]], drill_rows: Sequence[Sequence[Any]]) -> LineSums | None:
        """From the two tables' rows (key..., behaviour, calls, hits, lost); None if a value is not of its kind.

        Checked a column at a time (`str.join` and `array` check every value in C): a team's sums are 30,000 rows.
        """
        trainees: dict[TraineeKey, dict[str, Line]] = {}
        drills: dict[GroupDrillKey, dict[str, Line]] = {}
        for rows, width, into in ((trainee_rows, 2, trainees), (drill_rows, 4, drills)):
            columns = list(zip(*rows, strict=True))
            if rows and not (len(columns) == width + 4 and all(map(_texts, columns[:width + 1]))
                             and all(map(_naturals, columns[width + 1:]))):
                return None
            for row in rows:
                if row[width + 1] or row[width + 2] or row[width + 3]:  # a line every call left (picked up again) is none
                    into.setdefault(tuple(row[:width]), {})[row[width]] = (row[width + 1], row[width + 2], row[width + 3])
        return cls(trainees, drills)

    def of_group(self, group: str) -> LineSums:
        """Only the sums of one group's calls."""
        return LineSums({k: v for k, v in self.trainees.items() if k[1] == group},
                        {k: v for k, v in self.drills.items() if k[0] == group})

    def agree(self, trainee_calls: Mapping[TraineeKey, int], drill_calls: Mapping[GroupDrillKey, int]) -> bool:
        """Whether the sums count exactly the calls the listing counts, per trainee and per drill (a key with no
        call counted on either side agrees)."""
        for sums, listed in ((self.trainees, trainee_calls), (self.drills, drill_calls)):
            kept = {key: lines[CALLS][0] for key, lines in sums.items() if CALLS in lines}
            if kept != {key: calls for key, calls in listed.items() if calls}:
                return False
        return True
