"""Choosing the buyer's next line: conditions, the most specific match, and never the same line twice.

A line is a plain string or a `Line` with a condition (`when:`) and the agenda slots it `asks`.
Of the lines whose condition holds, whose mood band fits, that ask for nothing already known and
that the buyer has not said yet in this call, a line the scenario or persona wrote comes before the
default arc's fallback; then the most specific wins (Yarn Spinner's saliency: the more a condition
asks for, the more it says about this moment); then the scenario's own line before the persona's;
the call's seed only breaks the remaining ties.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from simulator.content.models import MOOD_BANDS, Line, LineItem, LineWhen, MoodBand, StageLines
from simulator.content.offers import says
from simulator.engine.mood import Mood

# Source ranks: which file a line came from, when two lines are equally specific.
SCENARIO, PERSONA, DEFAULT = 2, 1, 0


@dataclass(frozen=True)
class Moment:
    """What a line's condition may look at."""

    known: frozenset[str]
    agenda: frozenset[str]
    offered: frozenset[str]
    behaviours: frozenset[str]
    reply: str
    mood: Mood
    options_named: int = 0
    chosen: str | None = None
    options: frozenset[str] = frozenset()  # the ids of the scenario's options (not its compensation)
    replies: tuple[str, ...] = ()  # every reply of the call so far, this one included (`not_said`)


@dataclass(frozen=True)
class Candidate:
    """A line that might be said now."""

    text: str
    when: LineWhen
    asks: tuple[str, ...] | None  # None: not written; the engine reads it from the words
    rank: int
    band_specific: bool

    @property
    def specificity(self) -> int:
        return self.when.specificity + (1 if self.band_specific else 0)


def holds(when: LineWhen, moment: Moment) -> bool:
    """Whether every part of a line's condition is true now."""
    checks = (
        all(slot in moment.agenda and slot not in moment.known for slot in when.open),
        set(when.filled) <= moment.known,
        set(when.offered) <= moment.offered,
        when.offered_at_least is None or moment.options_named >= when.offered_at_least,
        not when.chosen or moment.chosen in when.chosen,
        # A line about an option she did not take is not said once she has taken another.
        moment.chosen is None or not (set(when.offered) & moment.options) or moment.chosen in when.offered,
        not when.rep or bool(moment.behaviours.intersection(when.rep)),
        not when.rep_said or any(says(moment.reply, words) for words in when.rep_said),
        when.temperature_at_least is None or moment.mood.temperature >= when.temperature_at_least,
        when.temperature_below is None or moment.mood.temperature < when.temperature_below,
        when.trust_at_least is None or moment.mood.trust >= when.trust_at_least,
        when.trust_below is None or moment.mood.trust < when.trust_below,
    )
    # Last, and only when the rest hold: they read every reply of the call.
    if not all(checks):
        return False
    replies = (*moment.replies, moment.reply)
    if when.said and not any(says(reply, words) for reply in replies for words in when.said):
        return False
    return not (when.not_said and any(says(reply, words) for reply in replies for words in when.not_said))


def candidates(lines: StageLines | None, band: MoodBand, rank: int) -> list[Candidate]:
    """The lines written for this band and for `any`; the nearest band's when neither was written."""
    if not lines:
        return []
    own = lines.get(band)
    chosen: list[tuple[LineItem, bool]] = [(item, True) for item in own or []]
    chosen += [(item, False) for item in lines.get("any") or []]
    if not chosen:
        chosen = [(item, False) for item in nearest_band(lines, band) or []]
    return [_candidate(item, rank, specific) for item, specific in chosen]


def items(lines: Sequence[LineItem], rank: int) -> list[Candidate]:
    """Lines written without mood bands (a persona's reactions)."""
    return [_candidate(item, rank, False) for item in lines]


def _candidate(item: LineItem, rank: int, band_specific: bool) -> Candidate:
    if isinstance(item, Line):
        return Candidate(item.text, item.when, tuple(item.asks) if item.asks is not None else None, rank, band_specific)
    return Candidate(item, LineWhen(), None, rank, band_specific)


def nearest_band(lines: StageLines, band: MoodBand, exclude: MoodBand | None = None) -> list[LineItem] | None:
    """Lines for the closest mood band the author wrote, cooler first, when the exact band has none."""
    index = MOOD_BANDS.index(band)
    written = (b for b in MOOD_BANDS if b in lines and b != exclude)
    order = sorted(written, key=lambda b: (abs(MOOD_BANDS.index(b) - index), MOOD_BANDS.index(b)))
    return lines[order[0]] if order else None


def _order(candidate: Candidate) -> tuple[bool, int, int]:
    """A scenario's or persona's own line before the default arc's fallback; then the most specific; then the
    scenario's before the persona's."""
    return candidate.rank > DEFAULT, candidate.specificity, candidate.rank


class LinePicker:
    """Picks lines for one call: remembers what the buyer said so no line comes twice."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self.said: set[str] = set()

    def best(self, pool: Iterable[Candidate], moment: Moment, *, fresh_only: bool = True) -> Candidate | None:
        """The most specific line of the pool that may be said now (None when there is none)."""
        usable = [c for c in pool if holds(c.when, moment) and (not fresh_only or c.text not in self.said)]
        if not usable:
            return None
        top = max(_order(c) for c in usable)
        tied = sorted({c.text: c for c in usable if _order(c) == top}.values(), key=lambda c: c.text)
        return tied[self._rng.randrange(len(tied))]

    def take(self, candidate: Candidate) -> str:
        """Say this line: it will not be picked again in this call."""
        self.said.add(candidate.text)
        return candidate.text


def asked_slots(candidate: Candidate, asked_by: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The slots a line asks for: as written, or read from the words of a plain question."""
    if candidate.asks is not None:
        return candidate.asks
    if "?" not in candidate.text:
        return ()
    questions = " ".join(re.findall(r"[^.!?]*\?", candidate.text))
    return tuple(slot for slot, words in asked_by.items() if any(says(questions, w) for w in words))
