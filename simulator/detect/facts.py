"""The scenario's own words as evidence: its facts, and a trainer's example lines when the learned layer is absent.

A reply that says what the scenario says went wrong is the news.

A scenario's `cause` fact ("the servo press module failed its final force calibration and must be
rebuilt") describes the failure. A reply that restates most of its distinctive words ("the servo
press on your cell failed calibration, we're rebuilding it"), however it is worded around them,
tells the buyer what went wrong and why: it states the news and explains the cause.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from simulator.catalogue import REPLY_IDS
from simulator.detect.results import Evidence

# A reply restates a fact when it has this share of the fact's distinctive words (compared on their first letters).
RESTATED_SHARE = 0.6
WORD_PREFIX = 5
MIN_WORD = 4
MIN_FACT_WORDS = 3  # a fact of fewer distinctive words is too short to be told from chance
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # a code like MCU-220 is one word
COMMON = frozenset(
    "that this with from your have will when what they them their there been were into about would could should"
    " must also just only more than then very some such each week weeks days today call calls order make made"
    " well".split()
)


def distinctive(text: str) -> set[str]:
    """The words of a text that say something (four letters or more, not a common word), by their first letters."""
    return {w[:WORD_PREFIX] for w in _WORD.findall(text.lower()) if len(w) >= MIN_WORD and w not in COMMON}


def restated(reply: str, facts: Sequence[str]) -> tuple[str, float] | None:
    """The fact the reply restates best, with the share of its words said, if any reaches RESTATED_SHARE."""
    said = distinctive(reply)
    best: tuple[str, float] | None = None
    for fact in facts:
        wanted = distinctive(fact)
        if len(wanted) < MIN_FACT_WORDS:
            continue
        share = len(wanted & said) / len(wanted)
        if share >= RESTATED_SHARE and (best is None or share > best[1]):
            best = (fact, round(share, 2))
    return best


# Without the learned layer, a trainer's example counts when the reply has nearly the same words.
EXAMPLE_WORD_SIMILARITY = 85.0


def like_examples_by_words(text: str, examples: Mapping[str, Sequence[str]]) -> list[Evidence]:
    """A behaviour for each trainer's example line the reply nearly repeats (rapidfuzz token-set ratio)."""
    found = []
    for behaviour, lines in examples.items():
        if behaviour not in REPLY_IDS:
            continue
        scored = [(fuzz.token_set_ratio(text.lower(), str(line).lower()), str(line)) for line in lines]
        score, line = max(scored, default=(0.0, ""))
        if score >= EXAMPLE_WORD_SIMILARITY:
            found.append(Evidence(behaviour, text, f"like the example: {line}", round(score / 100, 2),
                                  EXAMPLE_WORD_SIMILARITY / 100, 0, len(text), layer="example"))
    return found
