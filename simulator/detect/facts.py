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

# What a restated fact's evidence says decided it: "scenario fact: <the fact>".
SCENARIO_FACT = "scenario fact"
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
    return {key for w in _WORD.findall(text.lower()) if (key := word_key(w))}


def word_key(word: str) -> str:
    """A lowercase word by its first letters if it says something; '' if it is short or common."""
    return word[:WORD_PREFIX] if len(word) >= MIN_WORD and word not in COMMON else ""


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


_ANY_CASE_WORD = re.compile(_WORD.pattern, re.IGNORECASE)  # offsets in the reply as typed, not in a lowered copy
_CLAUSE_BREAK = re.compile(r"[.;:!?,]|\s[-\u2013\u2014]\s")


def restated_span(reply: str, fact: str) -> tuple[int, int]:
    """Where in the reply the fact is restated: from the clause of the first of its words said to the end of the
    clause of the last, so the debrief quotes that, not the greeting before it; the whole reply if none is said."""
    wanted = distinctive(fact)
    said = [m for m in _ANY_CASE_WORD.finditer(reply) if word_key(m.group().lower()) in wanted]
    if not said:
        return 0, len(reply)
    breaks = list(_CLAUSE_BREAK.finditer(reply))
    start = max((b.end() for b in breaks if b.end() <= said[0].start()), default=0)
    end = min((b.start() for b in breaks if b.start() >= said[-1].end()), default=len(reply))
    while start < end and reply[start].isspace():
        start += 1
    return start, end


# Without the learned layer, a trainer's example counts when the reply has nearly the same words.
EXAMPLE_WORD_SIMILARITY = 85.0


# ... and a scenario's own tip, when the reply says it nearly word for word (plain ratio: a token-set ratio would take a
# reply that holds every word of a short tip as that tip).
TIP_WORD_SIMILARITY = 90.0


def like_examples_by_words(text: str, examples: Mapping[str, Sequence[str]], *, tips: bool = False) -> list[Evidence]:
    """A behaviour for each trainer's example line (or, `tips`, each scenario tip) the reply nearly repeats (rapidfuzz
    token-set ratio; a plain ratio for tips)."""
    found = []
    scorer, minimum, label = ((fuzz.ratio, TIP_WORD_SIMILARITY, "like the scenario's own try") if tips
                              else (fuzz.token_set_ratio, EXAMPLE_WORD_SIMILARITY, "like the example"))
    for behaviour, lines in examples.items():
        if behaviour not in REPLY_IDS:
            continue
        scored = [(scorer(text.lower(), str(line).lower()), str(line)) for line in lines]
        score, line = max(scored, default=(0.0, ""))
        if score >= minimum:
            found.append(Evidence(behaviour, text, f"{label}: {line}", round(score / 100, 2),
                                  minimum / 100, 0, len(text), layer="example"))
    return found
