"""A call's rubric lines packed into one short text at save, so the trainer's view reads no debriefs.

`badnews team` over a whole team's store needs, per call, only which rubric lines were scored, hit or
missed, and what each cost. Those sit in the debrief snapshot (20-40 KB of JSON a call: over 100,000
calls, half a minute and gigabytes just to parse). So `CallStore.save` also writes the `rubric` column:

    states_the_news,offers_options,blames_others;hmh;0000.00,0012.50,0000.00

the ids of the lines that weigh something, one letter a line (h hit, m missed), and the points each line
cost, in the same order, each written in the same seven characters. It is readable in any SQL console,
and `unpack` turns a whole store's worth into numpy arrays without parsing a number: every row's states
joined are one byte string, and every row's costs one block of fixed-width digits that numpy reads as a
grid. Calls saved before kept the first form, `...;212;0,12.5,0` (2 hit, 1 missed, costs as short as they
go), which is still read, more slowly, and is still written for a cost the fixed width cannot hold. A
text that does not read back as written (a hand edit) is dropped, and the caller takes that call the
slow, validated way from its debrief.
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
_LETTER = {True: "h", False: "m"}  # a line's state as written
_WIDTH = 7  # a cost as written: "0012.50", up to 9999.99 points
_POINT = _WIDTH - 3  # where its decimal point stands
_DIGITS = [place for place in range(_WIDTH) if place != _POINT]
_MOST = 9999.99
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_COST = re.compile(rf"{_NUMBER.pattern}(?:,{_NUMBER.pattern})*")
_ID = re.compile(r"[a-z_]+(?:,[a-z_]+)*")
_FIXED = re.compile(r"\d{4}\.\d\d(?:,\d{4}\.\d\d)*")
_AS_DIGITS = str.maketrans({"h": str(HIT), "m": str(MISSED)})


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
        states.append(hit)
        costs.append(cost)
    if not ids:
        return None
    if all(cost <= _MOST and round(cost, 2) == cost for cost in costs):  # the debrief keeps 2 places
        return f"{','.join(ids)};{''.join(map(_LETTER.__getitem__, states))};{','.join(f'{c:07.2f}' for c in costs)}"
    # The first form, for a cost the fixed width cannot hold.
    written = (f"{cost:.4f}".rstrip("0").rstrip(".") for cost in costs)
    return f"{','.join(ids)};{''.join(str(HIT if hit else MISSED) for hit in states)};{','.join(written)}"


def read_lines(text: str) -> list[tuple[str, bool, float]] | None:
    """One packed text's lines, (id, hit, cost) each, as `unpack` reads them; None when it does not read back."""
    names = list(dict.fromkeys(text.split(";", 1)[0].split(",")))
    read = _unpack_each([text], {name: column for column, name in enumerate(names)})
    if read.unread:
        return None
    return [(names[column], state == HIT, cost)
            for column, state, cost in zip(read.columns.tolist(), read.states.tolist(), read.costs.tolist(), strict=True)]


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
    return _unpack(texts, columns, both=True)


def _unpack(texts: Sequence[str], columns: Mapping[str, int], *, both: bool) -> Unpacked:
    parts = ";".join(texts).split(";")
    if len(parts) == 3 * len(texts):  # each text in three parts, unless one has a part too many and one too few
        ids, states, costs = parts[0::3], parts[1::3], parts[2::3]
        joined = "".join(states)
        unpacked = None
        if not joined.strip("hm"):
            unpacked = _unpack_fixed(ids, joined, states, costs, columns)
        elif not joined.strip("12"):
            unpacked = _unpack_parts(ids, states, costs, columns)
        elif both and not joined.strip("hm12"):  # a store with calls saved in both forms
            return _unpack_both(texts, states, columns)
        if unpacked is not None:
            return unpacked
    return _unpack_each(texts, columns)


def _unpack_both(texts: Sequence[str], states: list[str], columns: Mapping[str, int]) -> Unpacked:
    """Texts in both forms: each form's at once, then their lines in the order of the texts."""
    fixed = [i for i, state in enumerate(states) if not state.strip("hm")]
    first = sorted(set(range(len(texts))) - set(fixed))
    read = [(where, _unpack([texts[i] for i in where], columns, both=False)) for where in (fixed, first)]
    rows = np.concatenate([np.array(where, dtype=np.int64)[part.rows] for where, part in read])
    order = np.argsort(rows, kind="stable")
    return Unpacked(
        rows[order],
        np.concatenate([part.columns for _, part in read])[order],
        np.concatenate([part.states for _, part in read])[order],
        np.concatenate([part.costs for _, part in read])[order],
        tuple(sorted(where[i] for where, part in read for i in part.unread)),
    )


def _unpack_fixed(ids: list[str], joined: str, states: list[str], costs: list[str],
                  columns: Mapping[str, int]) -> Unpacked | None:
    """Every text's three parts at once, in the fixed-width form; None unless every text reads back as written."""
    where = _where(ids, columns)
    if where is None:
        return None
    lengths = np.fromiter(map(len, where), dtype=np.int64, count=len(where))
    if not (np.array_equal(np.fromiter(map(len, states), dtype=np.int64, count=len(states)), lengths)
            and np.array_equal(np.fromiter(map(len, costs), dtype=np.int64, count=len(costs)),
                               lengths * (_WIDTH + 1) - 1)):
        return None
    codes = np.where(np.frombuffer(joined.encode("ascii"), dtype=np.uint8) == ord("h"), HIT, MISSED).astype(np.int8)
    written = ",".join(costs) + ","
    if not written.isascii():
        return None
    written_bytes = np.frombuffer(written.encode("ascii"), dtype=np.uint8).reshape(-1, _WIDTH + 1)
    if not (bool(np.all(written_bytes[:, _POINT] == ord("."))) and bool(np.all(written_bytes[:, _WIDTH] == ord(",")))):
        return None
    grid = written_bytes - np.uint8(ord("0"))  # a digit is 0-9 now; a byte below "0" wraps round to more than 9
    if not bool(np.all(grid[:, _DIGITS] <= 9)):
        return None
    hundredths = np.zeros(len(grid), dtype=np.int32)
    for place in _DIGITS:
        hundredths *= 10
        hundredths += grid[:, place]
    return _flat(np.arange(len(ids), dtype=np.int64), where, lengths, codes, hundredths / 100, ())


def _where(ids: list[str], columns: Mapping[str, int]) -> list[npt.NDArray[np.int64]] | None:
    """Each text's ids part as columns; None if one is not a list of ids."""
    known: dict[str, npt.NDArray[np.int64]] = {}  # a scenario's ids are the same each call
    for text in {*ids}:
        where_ids = _columns_of(text, columns)
        if where_ids is None:
            return None
        known[text] = where_ids
    return [known[text] for text in ids]


def _unpack_parts(ids: list[str], states: list[str], costs: list[str], columns: Mapping[str, int]) -> Unpacked | None:
    """Every text's three parts at once; None unless every text reads back as written (then `_unpack_each` says
    which do not). A text whose parts were shifted by its neighbour's has digits where its ids should be."""
    where = _where(ids, columns)
    if where is None:
        return None
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
        if state and not state.strip("hm"):  # the fixed-width form, read as the first
            if not _FIXED.fullmatch(cost):
                unread.append(index)
                continue
            state = state.translate(_AS_DIGITS)
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
