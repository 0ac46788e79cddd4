"""A store's calls as columns, oldest first: what the trainer's view sums, without an object per call.

`badnews team` over a team's 100,000 calls spent more time making `CallRecord`s (and checking each of
their twenty values, one call at a time) than SQLite spent reading the rows. `CallTable` keeps the rows
it was read from: the view reads one column at a time, checked once per column, and a `CallRecord` is
made only for a call someone looks at (the screen's list, the latest calls in plain text, a call whose
rubric lines were not packed at save).

`CallStore.call_table` reads one from a store (the quick way, when every value of every column is of
its kind; otherwise call by call, skipping a damaged row with its reason); `CallTable.of` makes one from
calls already read. Either way the table is a sequence of `CallRecord`s, oldest first.

A lean table (`call_table(lean=True)`, what `team --json` and `--plain` read) holds only what the view lists and
sums: each call's packed rubric lines are read when the view first needs them, a call is read whole when someone
looks at it, and each call's line of `team --json` may come written by the database (`listed`).
"""

from __future__ import annotations

import operator
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from itertools import repeat
from typing import Any, overload

import numpy as np

from simulator.records.record import STAMPED, CallRecord, json_or_none, parse_time, stamp
from simulator.records.schema import COLUMN_KINDS, TEXT, TEXT_OR_NULL, WHOLE, WHOLE_OR_NULL
from simulator.status import CallStatus, Mode

ENDED = frozenset(str(status) for status in CallStatus if status.ended)
_STAMP_WIDTH = 29  # a time as `record.stamp` writes it: 2025-03-01T09:00:00.000+00:00
_STAMPS = re.compile(f"(?:{STAMPED.pattern})*")
_STATUSES = frozenset(str(status) for status in CallStatus)
_MODES = frozenset(str(mode) for mode in Mode)


def _texts(values: list[Any], *, empty: bool = False) -> bool:
    """Whether every value is text (or None, when `empty`): `str.join` checks them all in C, five times quicker
    than `isinstance` on each (for short texts: not for the packed rubric lines, 700 bytes each)."""
    try:
        "".join([v for v in values if v is not None] if empty else values)
    except TypeError:
        return False
    return True


def _wholes(values: list[Any], *, empty: bool = False) -> bool:
    """Whether every value is a whole number SQLite can hold (or None, when `empty`): `array` checks them in C."""
    try:
        array("q", [v for v in values if v is not None] if empty else values)
    except (TypeError, OverflowError):
        return False
    return True


# Reads what a lean table left in the store: `read(column, ids)` gives that column's values of the calls with those
# ids, in that order ("rubric": the packed lines; "row": every value `make` needs to make the call).
ReadLater = Callable[[str, Sequence[int]], list[Any]]


def _pass(values: list[Any]) -> bool:
    """Whether every `passed` is 0, 1 or None (and no 1.0: a float is not a pass)."""
    return {*values} <= {0, 1, None} and _wholes(values, empty=True)


def _flags(values: list[Any]) -> bool:
    """Whether every value is a truth value as the database gives one: 0 or 1 (SQLite), False or True."""
    return {*values} <= {0, 1}


_KIND_CHECKS: dict[str, Callable[[list[Any]], bool]] = {
    TEXT: _texts,
    TEXT_OR_NULL: lambda values: _texts(values, empty=True),
    WHOLE: _wholes,
    WHOLE_OR_NULL: lambda values: _wholes(values, empty=True),
}
# What each column of a summary row must hold for the table to be read the quick way; a column not read is not
# checked here.
_CHECKS: dict[str, Callable[[list[Any]], bool]] = {
    **{name: _KIND_CHECKS[kind] for name, kind in COLUMN_KINDS.items()},
    # `isinstance` rather than `str.join`: the packed lines are 700 bytes each, too long to join for a check
    "rubric": lambda values: all(map(isinstance, [v for v in values if v is not None], repeat(str))),
    "passed": _pass,
    "packed": _flags,
    "status": lambda values: {*values} <= _STATUSES,
    "mode": lambda values: {*values} <= _MODES,
    "snapshot": lambda values: values.count(None) == len(values),  # every call's rubric packed: none read from its debrief
}


class _Later:
    """A column still being read (each call's line of `team --json`): `read(ids)` waits for it, for these calls."""

    def __init__(self, read: Callable[[Sequence[int]], list[str] | None], ids: list[int],
                 positions: Sequence[int] | None = None) -> None:
        self._read, self._ids, self._positions = read, ids, positions

    def value(self) -> list[str] | None:
        values = self._read(self._ids)
        if values is None or self._positions is None:
            return values
        return [values[i] for i in self._positions]

    def take(self, positions: Sequence[int]) -> _Later:
        chosen = positions if self._positions is None else [self._positions[i] for i in positions]
        return _Later(self._read, self._ids, chosen)


class CallTable(Sequence[CallRecord]):
    """Calls, oldest first (by when they were played, then id), as columns; a call is made when asked for."""

    def __init__(self, columns: dict[str, Any], make: Callable[[int], CallRecord],
                 make_many: Callable[[Sequence[int]], list[CallRecord]] | None = None,
                 read_later: ReadLater | None = None) -> None:
        self._columns = columns
        self._make = make  # the call at a position, made on demand
        self._make_many = make_many  # many calls at once (a lean table reads their rows in one query)
        self._read_later = read_later
        self.ids: list[int] = columns["id"]
        self.uids: list[str] = columns["uid"]
        self.trainees: list[str] = columns["trainee"]
        self.groups: list[str] = columns["group"]
        self.scenarios: list[str] = columns["scenario"]
        self.titles: list[str] = columns["scenario_title"]
        self.personas: list[str] = columns["persona"]
        self.names: list[str] = columns["persona_name"]
        self.modes: list[str] = columns["mode"]
        self.statuses: list[str] = columns["status"]
        self.replies: list[int] = columns["replies"]
        self.scores: list[int | None] = columns["score"]
        self.grades: list[str | None] = columns["grade"]
        self.passed: list[bool | None] = columns["passed"]
        self.outcomes: list[str | None] = columns["outcome"]
        self.stamps: list[str] = columns["stamp"]  # when played, as the store writes it (`record.stamp`)
        self.chose: list[bool] = columns["chose"]
        # Whether each call's rubric lines were packed at save (`packed.py`); if not, they are read from its debrief.
        self.packed: list[bool] = columns["packed"]

    # --- made from -------------------------------------------------------------------------------------------
    @classmethod
    def of(cls, records: Iterable[CallRecord]) -> CallTable:
        """A table of calls already read (in any order)."""
        calls = sorted(records, key=lambda r: (r.started_at, r.id))
        columns: dict[str, list[Any]] = {
            "id": [r.id for r in calls],
            "uid": [r.uid for r in calls],
            "trainee": [r.trainee for r in calls],
            "group": [r.group for r in calls],
            "scenario": [r.scenario for r in calls],
            "scenario_title": [r.scenario_title for r in calls],
            "persona": [r.persona for r in calls],
            "persona_name": [r.persona_name for r in calls],
            "mode": [str(r.mode) for r in calls],
            "status": [str(r.status) for r in calls],
            "replies": [r.replies_made for r in calls],
            "score": [r.score for r in calls],
            "grade": [r.grade for r in calls],
            "passed": [r.passed for r in calls],
            "outcome": [r.outcome for r in calls],
            "played": [r.started_at for r in calls],
            "stamp": [stamp(r.started_at) for r in calls],
            "chose": [r.chose_before_the_call for r in calls],
            "rubric": [r.rubric for r in calls],
            "packed": [r.rubric is not None for r in calls],
        }
        return cls(columns, calls.__getitem__)

    @classmethod
    def from_rows(cls, names: Sequence[str], rows: Sequence[Sequence[Any]],
                  make: Callable[[Sequence[Any]], CallRecord], *, read_later: ReadLater | None = None,
                  listed: Callable[[Sequence[int]], list[str] | None] | None = None,
                  checked: Callable[[], bool | None] | None = None) -> CallTable | None:
        """A table of summary rows (`names` their columns: those of `store._SUMMARY_COLUMNS`, then `rubric`,
        `snapshot` and `reply_count`; or, for a lean table, `store._LISTED_COLUMNS`), or None when a value somewhere
        is not of its kind: then the caller reads the rows one by one, which says which row is damaged and why.
        `make` turns a row into its call; `read_later` reads what a lean table left in the store; `listed` gives each
        call's line of `team --json` as the database wrote it, for these ids oldest first (`CallStore._lean_rows`);
        `checked` says whether the database found every value of every call of its kind (True: they are not checked
        here; False: None is returned, for the caller to read the calls whole, one by one if need be)."""
        if not rows:
            return cls.of(())
        started, ids = (operator.itemgetter(names.index(name)) for name in ("started_at", "id"))
        try:
            id_numbers = np.array(array("q", map(ids, rows)), dtype=np.int64)
        except (TypeError, OverflowError):  # an id that is not a whole number
            return None
        # By when played, then id: numpy sorts the two columns in a tenth of the time `sorted` takes over rows.
        # Times as this version writes them (UTC, to the millisecond) sort as they read, and are read only if
        # asked for (`played`); any other form is read first.
        started_at = list(map(started, rows))
        written = "".join(started_at) if _texts(started_at) else ""
        times: dict[str, datetime] | None = None
        if len(written) == _STAMP_WIDTH * len(rows) and _STAMPS.fullmatch(written):
            by_id = np.argsort(id_numbers, kind="stable")
            text = np.frombuffer(written.encode("ascii"), dtype=f"S{_STAMP_WIDTH}")
            order = by_id[np.argsort(text[by_id], kind="stable")]
        else:
            times = {text: parse_time(text) for text in {*started_at}}  # a class starts calls on the minute
            seconds = map(datetime.timestamp, map(times.__getitem__, started_at))
            order = np.lexsort((id_numbers, np.fromiter(seconds, np.float64, len(rows))))
        rows = [rows[i] for i in order.tolist()]
        raw = dict(zip(names, (list(column) for column in zip(*rows, strict=True)), strict=True))
        sound = None if checked is None else checked()
        if sound is False or (sound is None and not all(check(raw[name]) for name, check in _CHECKS.items()
                                                        if name in raw)):
            return None
        chose = {text: bool(answers) for text in {*raw["choices"]}  # a class answers the same ways: parsed once each
                 if isinstance(answers := {} if text == "{}" else json_or_none(text), dict)}
        if len(chose) < len({*raw["choices"]}):
            return None
        if times is None:
            played, stamps = None, raw["started_at"]
        else:
            played = list(map(times.__getitem__, raw["started_at"]))
            as_written = {text: text if STAMPED.fullmatch(text) else stamp(when) for text, when in times.items()}
            stamps = list(map(as_written.__getitem__, raw["started_at"]))
        # The database wrote each call's line from the stored values, newest first by the times as written: kept where
        # the view reads them alike (every time as this version writes it; the choices made, `choices <> '{}'`).
        if times is not None or any(made != (text != "{}") for text, made in chose.items()):
            listed = None
        columns: dict[str, Any] = {
            **{name: raw[name] for name in ("id", "uid", "trainee", "scenario", "scenario_title", "persona",
                                            "persona_name", "mode", "status", "score", "grade", "outcome")},
            "group": raw["group_name"],
            "replies": raw["reply_count"],
            "passed": [None if p is None else p == 1 for p in raw["passed"]],
            "played": played,  # None: read from the stamps when asked for
            "stamp": stamps,
            "chose": list(map(chose.__getitem__, raw["choices"])),
            "rubric": raw.get("rubric"),  # None in a lean table: read when first asked for
            "packed": ([text is not None for text in raw["rubric"]] if "packed" not in raw
                       else list(map(bool, raw["packed"]))),
            "listed": None if listed is None else _Later(listed, raw["id"]),
        }
        if read_later is None:
            return cls(columns, lambda position: make(rows[position]))
        call_ids = raw["id"]

        def make_many(positions: Sequence[int]) -> list[CallRecord]:
            return list(map(make, read_later("row", [call_ids[i] for i in positions])))

        return cls(columns, lambda position: make_many([position])[0], make_many, read_later)

    # --- read ------------------------------------------------------------------------------------------------
    @property
    def played(self) -> list[datetime]:
        """When each call was played, read from its stamp on first asking (a date filter; a listed call)."""
        played = self._columns["played"]
        if played is None:
            times = {text: parse_time(text) for text in {*self.stamps}}
            played = self._columns["played"] = list(map(times.__getitem__, self.stamps))
        return played

    @property
    def listed(self) -> list[str] | None:
        """Each call's line of `team --json` as the database wrote it (`CallStore._lean_rows`), or None: then
        `team._calls_text` writes them all."""
        listed = self._columns.get("listed")
        if isinstance(listed, _Later):
            listed = self._columns["listed"] = listed.value()
        return listed

    @property
    def rubrics(self) -> list[str | None]:
        """Each call's rubric lines as packed at save (None: read its debrief); a lean table reads them now."""
        rubrics = self._columns["rubric"]
        if rubrics is None:
            assert self._read_later is not None
            rubrics = self._columns["rubric"] = self._read_later("rubric", self.ids)
        return rubrics

    def take(self, positions: Sequence[int]) -> CallTable:
        """The calls at these positions (in this order) as a table of their own."""
        columns = {name: None if values is None else values.take(positions) if isinstance(values, _Later)
                   else [values[i] for i in positions] for name, values in self._columns.items()}
        make, make_many = self._make, self._make_many
        return CallTable(columns, lambda position: make(positions[position]),
                         None if make_many is None else lambda these: make_many([positions[i] for i in these]),
                         self._read_later)

    def records(self, positions: Sequence[int]) -> list[CallRecord]:
        """The calls at these positions, in this order (a lean table reads them in one go)."""
        if self._make_many is not None:
            return self._make_many(positions)
        return list(map(self._make, positions))

    def ended(self, position: int) -> bool:
        """Whether the call at `position` came to an end."""
        return self.statuses[position] in ENDED

    def record(self, position: int) -> CallRecord:
        """The call at `position` (0: the oldest)."""
        return self._make(position)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> CallRecord: ...
    @overload
    def __getitem__(self, index: slice) -> list[CallRecord]: ...
    def __getitem__(self, index: int | slice) -> CallRecord | list[CallRecord]:
        if isinstance(index, slice):
            return self.records(range(len(self))[index])
        return self._make(range(len(self))[index])

    def __iter__(self) -> Iterator[CallRecord]:
        if self._make_many is not None:
            return iter(self.records(range(len(self))))
        return (self._make(i) for i in range(len(self)))

