"""A call's rubric lines packed into one short text at save, so the trainer's view reads no debriefs.

`badnews team` over a whole team's store needs, per call, only which rubric lines were scored, hit or
missed, and what each cost. Those sit in the debrief snapshot (20-40 KB of JSON a call: over 100,000
calls, half a minute and gigabytes just to parse). So `CallStore.save` also writes the `rubric` column:

    states_the_news,offers_options,blames_others;212;0,12.5,0

the ids of the lines that weigh something, one state a line (1 missed, 2 hit), and the points each line
cost, in the same order. It is readable in any SQL console, and `unpack` turns a whole store's worth into
numpy arrays in one parse: every row's states joined are one byte string, every row's costs one
comma-separated list. A text that does not read back as written (a hand edit) is dropped, and the caller
takes that call the slow, validated way from its debrief.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

MISSED, HIT = 1, 2  # a line's state; 0 (not scored) is never packed
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_COST = re.compile(rf"{_NUMBER.pattern}(?:,{_NUMBER.pattern})*")
_ID = re.compile(r"[a-z_]+(?:,[a-z_]+)*")


def pack(snapshot: Mapping[str, Any] | None) -> str | None:
    """The rubric lines of a debrief snapshot as one text; None when it has none or they are not as written."""
    lines = snapshot.get("behaviours") if snapshot is not None else None
    if type(lines) is not dict:
        return None
    ids, states, costs = [], [], []
    for behaviour, line in lines.items():
        if type(line) is not dict:
            return None
        hit, weight, cost = line.get("hit"), line.get("weight"), line.get("lost")
        if type(hit) is not bool or not isinstance(weight, int | float) or not isinstance(cost, int | float):
            return None
        if isinstance(weight, bool) or isinstance(cost, bool):
            return None
        if not weight:
            continue
        if not _ID.fullmatch(behaviour) or not 0 <= cost < 1e9:  # not NaN, not infinite
            return None
        ids.append(behaviour)
        states.append(str(HIT if hit else MISSED))
        costs.append(f"{cost:.4f}".rstrip("0").rstrip("."))  # the debrief keeps 2 places
    if not ids:
        return None
    return f"{','.join(ids)};{''.join(states)};{','.join(costs)}"


@dataclass(frozen=True)
class Unpacked:
    """Every line of the texts that read back, flat: which text it came from, its column, state and cost."""

    rows: npt.NDArray[np.int64]  # the index in `texts` of the call each line belongs to
    columns: npt.NDArray[np.int64]
    states: npt.NDArray[np.int8]
    costs: npt.NDArray[np.float64]
    unread: tuple[int, ...]  # the indexes of the texts that did not read back: take those calls from their debrief


def unpack(texts: Sequence[str], columns: Mapping[str, int]) -> Unpacked:
    """The lines of many packed texts at once; `columns` numbers the rubric lines (an id not in it is left out)."""
    parts = ";".join(texts).split(";")
    if len(parts) == 3 * len(texts):  # each text in three parts, unless one has a part too many and one too few
        unpacked = _unpack_parts(parts[0::3], parts[1::3], parts[2::3], columns)
        if unpacked is not None:
            return unpacked
    return _unpack_each(texts, columns)


def _unpack_parts(ids: list[str], states: list[str], costs: list[str], columns: Mapping[str, int]) -> Unpacked | None:
    """Every text's three parts at once; None unless every text reads back as written (then `_unpack_each` says
    which do not). A text whose parts were shifted by its neighbour's has digits where its ids should be."""
    known: dict[str, npt.NDArray[np.int64]] = {}  # a scenario's ids are the same each call
    for text in {*ids}:
        where_ids = _columns_of(text, columns)
        if where_ids is None:
            return None
        known[text] = where_ids
    where = [known[text] for text in ids]
    lengths = np.fromiter(map(len, where), dtype=np.int64, count=len(where))
    if not (np.array_equal(np.fromiter(map(len, states), dtype=np.int64, count=len(states)), lengths)
            and np.array_equal(np.fromiter((c.count(",") for c in costs), dtype=np.int64, count=len(costs)) + 1,
                               lengths)):
        return None
    joined = "".join(states)
    if not joined.isascii():
        return None
    codes = np.frombuffer(joined.encode("ascii"), dtype=np.int8) - ord("0")
    values = _costs(costs)
    if values is None or not bool(np.all((codes == MISSED) | (codes == HIT))):
        return None
    return _flat(np.arange(len(ids), dtype=np.int64), where, lengths, codes, values, ())


def _unpack_each(texts: Sequence[str], columns: Mapping[str, int]) -> Unpacked:
    """The lines of many packed texts, a text at a time: a text that does not read back is left out, by index."""
    known: dict[str, npt.NDArray[np.int64] | None] = {}  # the ids part, as columns: a scenario's is the same each call
    taken: list[int] = []
    cols: list[npt.NDArray[np.int64]] = []
    states: list[str] = []
    costs: list[str] = []
    unread: list[int] = []
    for index, text in enumerate(texts):
        parts = text.split(";")
        if len(parts) != 3:
            unread.append(index)
            continue
        ids, state, cost = parts
        where = known.get(ids, _UNSEEN)
        if where is _UNSEEN:
            where = known[ids] = _columns_of(ids, columns)
        if where is None or len(state) != len(where) or state.strip("12") or cost.count(",") + 1 != len(where):
            unread.append(index)
            continue
        taken.append(index)
        cols.append(where)
        states.append(state)
        costs.append(cost)
    values = _costs(costs)
    if values is None:  # a cost that is not a number somewhere: find which, one text at a time
        keep = [i for i, cost in enumerate(costs) if _COST.fullmatch(cost)]
        unread = sorted([*unread, *(taken[i] for i in sorted(set(range(len(costs))) - set(keep)))])
        taken, cols, states, costs = ([seq[i] for i in keep] for seq in (taken, cols, states, costs))  # type: ignore
        values = _costs(costs)
    if not taken or values is None:
        empty = np.zeros(0, dtype=np.int64)
        return Unpacked(empty, empty, np.zeros(0, dtype=np.int8), np.zeros(0), tuple(unread))
    lengths = np.fromiter(map(len, cols), dtype=np.int64, count=len(cols))
    state_codes = np.frombuffer("".join(states).encode("ascii"), dtype=np.int8) - ord("0")
    return _flat(np.array(taken, dtype=np.int64), cols, lengths, state_codes, values, tuple(unread))


def _flat(texts: npt.NDArray[np.int64], cols: list[npt.NDArray[np.int64]], lengths: npt.NDArray[np.int64],
          states: npt.NDArray[np.int8], costs: npt.NDArray[np.float64], unread: tuple[int, ...]) -> Unpacked:
    """The lines of the texts read, one after the other; lines of an id this version does not know left out."""
    rows = np.repeat(texts, lengths)
    line_columns = np.concatenate(cols)
    keep = line_columns >= 0
    return Unpacked(rows[keep], line_columns[keep], states[keep].astype(np.int8), costs[keep], unread)


def _costs(costs: list[str]) -> npt.NDArray[np.float64] | None:
    """Every cost of these texts in one parse; None if one is not a number of points as `pack` writes them.

    A rubric line costs one of a few sums (its weight, its share of the points, none): each different one is
    parsed once. Over a team's 3,400,000 lines that is four times quicker than numpy parsing every one."""
    if not costs:
        return np.zeros(0)
    numbers = ",".join(costs).split(",")
    value = {text: float(text) for text in {*numbers} if _NUMBER.fullmatch(text)}
    try:
        return np.fromiter(map(value.__getitem__, numbers), dtype=np.float64, count=len(numbers))
    except KeyError:
        return None


_UNSEEN: Any = object()


def _columns_of(ids: str, columns: Mapping[str, int]) -> npt.NDArray[np.int64] | None:
    """The columns of a comma-separated list of ids (-1 for one not known); None if it is not such a list."""
    if not _ID.fullmatch(ids):
        return None
    return np.array([columns.get(behaviour, -1) for behaviour in ids.split(",")], dtype=np.int64)
