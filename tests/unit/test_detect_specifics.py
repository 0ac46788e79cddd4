"""The phrase layer: gives_specifics counts checkable facts about the problem, and not numbers that are only ways of speaking."""

from __future__ import annotations

import pytest

from simulator.detect import ReplyContext, phrase_detector


def specific(text: str, context: ReplyContext | None = None) -> bool:
    return phrase_detector().detect(text, context).has("gives_specifics")


@pytest.mark.parametrize(
    "text",
    [
        "They will now arrive on 3 March.",
        "The new date is March 24th.",
        "Delivery moves to 24/03.",
        "It will be with you on the 14th.",
        "We can ship 10,000 units.",
        "The quote left out $4,200 of freight.",
        "Prices go up 5% in July.",
        "PO 4471 is the one affected.",
        "The MCU-220 boards are on hold.",
        "The order is three weeks late.",
        "We shipped the 12mm bearings by mistake.",
        "It was down for 47 minutes this morning.",
        "Your 36 printer rollers came from a bad batch.",
    ],
)
def test_a_checkable_fact_is_specific(text: str) -> None:
    assert specific(text)


@pytest.mark.parametrize(
    "text",
    [
        "Give me 2 minutes, let me pull up the order.",
        "One sec, my other line is ringing.",
        "It'll take a couple of days.",
        "I'm 100 percent sure it will be fine.",
        "We have two options for you.",
        "Our support runs 24/7.",
        "I'll call you Friday.",
        "I'll ring you back at 3pm.",
        "We'll take 5% off your next invoice.",
        "We will follow up within 24 hours.",
        "We've been partners for 12 years.",
        "If you had to go two weeks without it, what would that cost you?",
    ],
)
def test_a_number_that_is_not_a_fact_about_the_problem_is_not_specific(text: str) -> None:
    assert not specific(text)


def test_a_scenario_fact_counts_however_it_is_punctuated() -> None:
    context = ReplyContext(facts=("PO 4471", "Osaka"))
    assert specific("It's about po#4471.", context)
    assert specific("The ship is stuck in Osaka.", context)
    assert not specific("The ship is stuck in port.", context)


def test_the_evidence_names_the_rule_and_the_clause() -> None:
    evidence = phrase_detector().detect("Sorry. They will now arrive on 3 March.").evidence_for("gives_specifics")
    assert evidence is not None
    assert evidence.phrase == "rule:date"
    assert evidence.clause == "They will now arrive on 3 March."
