"""Scenario phrases that the detector also reads as a behaviour of the other polarity.

A trainer adds "the carrier lost the container" to `explains_cause`; the banks read "the carrier
lost" as `blames_others`. A trainee who says the trainer's words then earns and loses points in
the same breath. Each scenario phrase is run through the detector, with the scenario's own phrases
loaded as in a real call, and every behaviour of the other polarity it shows is reported.

Pairs the labelling conventions expect together (EXPECTED_TOGETHER) are not clashes. Two kinds
of evidence are left out, because no rewording removes them: the detector's rules (a
date or an amount is `gives_specifics` by its shape, silence by its lack of words), and
`gives_specifics` itself, since any phrase that names a fact ("only six weeks") gives one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from simulator.authoring.sources import Source
from simulator.catalogue import BY_ID
from simulator.content.errors import Problem
from simulator.content.models import Scenario

if TYPE_CHECKING:
    from simulator.detect import Detector

_GROUP = re.compile(r"\{([^{}]*)\}")
_MACRO = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")
SAMPLE_DIGITS = "12"  # what `<digits>` stands for in a sample sentence
RULE_PREFIX = "rule:"  # evidence found by a detector rule, not a phrase
MAX_PHRASE_SHOWN = 60
NEUTRAL = frozenset({"gives_specifics"})  # shown by any phrase that names a fact
# Pairs the team's labelling conventions expect together: a guaranteed date is also a new date, and
# blame that names the failure ("the courier lost it") also states the news. Not clashes.
EXPECTED_TOGETHER = frozenset({
    ("overpromises", "resets_expectations"),
    ("blames_others", "states_the_news"),
})


def sample_text(phrase: str) -> str:
    """A sentence a trainee could say that the phrase matches: the first alternative of each group, no gaps.

    Macros other than <digits> are left out: their words live in the detector's banks, and a phrase
    that leans on them is checked on the words the trainer wrote.
    """
    text = phrase
    while _GROUP.search(text):
        text = _GROUP.sub(lambda m: next((o for o in m.group(1).split("|") if o.strip()), ""), text)
    text = _MACRO.sub(lambda m: SAMPLE_DIGITS if m.group(1) == "digits" else " ", text)
    text = re.sub(r"(?<!\S)(~|\.\.\.)(?!\S)", " ", text)
    text = re.sub(r"(\w)\*", r"\1", text)
    return " ".join(text.split())


def phrase_places(scenario: Scenario) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(place in the file, behaviour, phrase) for every phrase the scenario gives the detector."""
    for behaviour, phrases in scenario.phrases.items():
        for index, phrase in enumerate(phrases):
            yield ("phrases", behaviour, index), behaviour, phrase
    for offer_index, offer in enumerate(scenario.compensation):
        for index, phrase in enumerate(offer.phrases):
            yield ("compensation", offer_index, "phrases", index), "compensates", phrase


def phrase_clashes(source: Source[Scenario], detector: Detector) -> list[Problem]:
    """A warning for each scenario phrase that shows a behaviour of the other polarity."""
    from simulator.detect import ReplyContext

    # The call's own rule for which phrases a scenario adds, so the check sees what a call sees.
    from simulator.engine.call import scenario_phrases

    scenario = source.item
    context = ReplyContext(
        extra_phrases={k: tuple(v) for k, v in scenario_phrases(scenario).items()},
        facts=tuple(scenario.facts.values()),
    )
    problems = []
    for loc, behaviour, phrase in phrase_places(scenario):
        text = sample_text(phrase)
        if not text:
            continue
        detection = detector.detect(text, context)
        good = BY_ID[behaviour].good
        for other in detection.behaviours:
            evidence = detection.evidence_for(other)
            if BY_ID[other].good == good or other in NEUTRAL or evidence is None:
                continue
            if (behaviour, other) in EXPECTED_TOGETHER or (other, behaviour) in EXPECTED_TOGETHER:
                continue
            if evidence.phrase.startswith(RULE_PREFIX):
                continue
            consequence = f"loses points for {other}" if good else f"also earns points for {other}"
            problems.append(source.problem(
                loc,
                f"phrase '{phrase}' for {behaviour} also reads as {other} (matched '{_short(evidence.phrase)}'): "
                f"a trainee who says it {consequence}",
            ))
    return problems


def _short(phrase: str) -> str:
    """A bank phrase as a message quotes it: long alternations cut, so the line stays readable."""
    return phrase if len(phrase) <= MAX_PHRASE_SHOWN else phrase[: MAX_PHRASE_SHOWN - 3] + "..."
