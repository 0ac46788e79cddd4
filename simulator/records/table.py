"""A store's calls as columns, oldest first: what the trainer's view sums, without an object per call.

`badnews team` over a team's 100,000 calls spent more time making `CallRecord`s (and checking each of
their twenty values, one call at a time) than SQLite spent reading the rows. `CallTable` keeps the rows
it was read from: the view reads one column at a time, checked once per column, and a `CallRecord` is
made only for a call someone looks at (the screen's list, the latest calls in plain text, a call whose
rubric lines were not packed at save).

`CallStore.call_table` reads one from a store (the quick way, when every value of every column is of
its kind; otherwise call by call, skipping a damaged row with its reason); `CallTable.of` makes one from
calls already read. Either way the table is a sequence of `CallRecord`s, oldest first.
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


class CallTable(Sequence[CallRecord]):
    """Calls, oldest first (by when they were played, then id), as columns; a call is made when asked for."""

    def __init__(self, columns: dict[str, Any], make: Callable[[int], CallRecord]) -> None:
        self._columns = columns
        self._make = make  # the call at a position, made on demand
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
        self.rubrics: list[str | None] = columns["rubric"]  # packed at save (`packed.py`); None: read the debrief

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
        }
        return cls(columns, calls.__getitem__)

    @classmethod
    def from_rows(cls, names: Sequence[str], rows: Sequence[Sequence[Any]],
                  make: Callable[[Sequence[Any]], CallRecord]) -> CallTable | None:
        """A table of summary rows (`names` their columns: those of `store._SUMMARY_COLUMNS`, then `rubric`,
        `snapshot` and `reply_count`), or None when a value somewhere is not of its kind: then the caller reads
        the rows one by one, which says which row is damaged and why. `make` turns a row into its call."""
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
        if not (
            all(_texts(raw[name]) for name in ("uid", "trainee", "scenario", "persona", "scenario_title",
                                               "persona_name", "group_name", "started_at", "updated_at", "choices"))
            and all(_texts(raw[name], empty=True) for name in ("outcome", "ended_by", "grade"))
            and all(map(isinstance, [v for v in raw["rubric"] if v is not None], repeat(str)))
            and all(_wholes(raw[name]) for name in ("seed", "reply_count"))
            and all(_wholes(raw[name], empty=True) for name in ("score", "pass_mark"))
            and {*raw["passed"]} <= {0, 1, None} and _wholes(raw["passed"], empty=True)
            and {*raw["status"]} <= _STATUSES and {*raw["mode"]} <= _MODES
            and raw["snapshot"].count(None) == len(rows)  # every call's rubric packed: none is read from its debrief
        ):
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
        columns: dict[str, Any] = {
            **{name: raw[name] for name in ("id", "uid", "trainee", "scenario", "scenario_title", "persona",
                                            "persona_name", "mode", "status", "score", "grade", "outcome",
                                            "rubric")},
            "group": raw["group_name"],
            "replies": raw["reply_count"],
            "passed": [None if p is None else p == 1 for p in raw["passed"]],
            "played": played,  # None: read from the stamps when asked for
            "stamp": stamps,
            "chose": list(map(chose.__getitem__, raw["choices"])),
        }
        return cls(columns, lambda position: make(rows[position]))

    # --- read ------------------------------------------------------------------------------------------------
    @property
    def played(self) -> list[datetime]:
        """When each call was played, read from its stamp on first asking (a date filter; a listed call)."""
        played = self._columns["played"]
        if played is None:
            times = {text: parse_time(text) for text in {*self.stamps}}
            played = self._columns["played"] = list(map(times.__getitem__, self.stamps))
        return played

    def take(self, positions: Sequence[int]) -> CallTable:
        """The calls at these positions (in this order) as a table of their own."""
        columns = {name: None if values is None else [values[i] for i in positions]
                   for name, values in self._columns.items()}
        make = self._make
        return CallTable(columns, lambda position: make(positions[position]))

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
            return [self._make(i) for i in range(len(self))[index]]
        return self._make(range(len(self))[index])

    def __iter__(self) -> Iterator[CallRecord]:
        return (self._make(i) for i in range(len(self)))

