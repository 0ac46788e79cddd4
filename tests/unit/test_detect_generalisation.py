"""The phrase layer: classes of error found on unseen text stay fixed: short replies, scenario words, loose phrases, registers.

Every sentence is invented for this file; none comes from a labelled set.
"""

from __future__ import annotations

import pytest

from simulator.detect import ReplyContext, phrase_detector

SCENARIO = ReplyContext(
    extra_phrases={
        "states_the_news": ["the invoice we sent was wrong", "left out the crating and insurance"],
        "corrective_action": ["rebuilding the gearbox housing"],
    },
    facts=("laser cutter LX-9", "correction notice CN-12"),
)


def behaviours(text: str, context: ReplyContext | None = None) -> set[str]:
    return set(phrase_detector().detect(text, context).behaviours)


@pytest.mark.parametrize("text", ["The invoice.", "Insurance.", "Gearbox housing.", "the crating"])
def test_a_short_reply_does_not_match_a_long_scenario_phrase_it_sits_inside(text: str) -> None:
    assert behaviours(text, SCENARIO) == set()


def test_a_scenario_phrase_said_a_little_differently_still_matches() -> None:
    assert "states_the_news" in behaviours("Tomas, the invoice we sent you was wrong.", SCENARIO)


def test_real_english_words_are_not_corrected_into_bank_words() -> None:
    normaliser = phrase_detector()._set.normaliser
    assert normaliser.word("laser") == (("laser", 1.0),)
    assert normaliser.word("correction") == (("correction", 1.0),)
    assert normaliser.word("dealy")[0][0] == "delay"  # a slip that is no English word is still corrected


def test_a_scenarios_own_words_are_read_as_typed_and_slips_of_them_are_corrected() -> None:
    normaliser = phrase_detector()._set.normaliser
    _, words = phrase_detector()._context(SCENARIO)
    assert normaliser.word_with("cutter", words) == (("cutter", 1.0),)
    assert normaliser.word_with("gearbx", words)[0][0] == "gearbox"


@pytest.mark.parametrize(
    ("text", "behaviour"),
    [
        ("We won't make the 9 June handover, but the team is on it.", "resets_expectations"),
        ("Going forward I have two options for you.", "prevents_recurrence"),
        ("Moving forward, let's talk through the choices.", "prevents_recurrence"),
        ("I checked the packing list against your PO.", "compensates"),
        ("We're looking into it and we'll sort it out.", "corrective_action"),
        ("We'll get it sorted.", "corrective_action"),
        ("I'd value your continued support.", "asks_forgiveness"),
        ("Thank you for your continued business.", "asks_forgiveness"),
        ("I can guarantee that the install will go smoothly.", "resets_expectations"),
        ("We'll make it up to you.", "offers_options"),
        ("What would the impact be on your side?", "helps_position_news"),
    ],
)
def test_phrases_that_only_resemble_a_behaviour_do_not_show_it(text: str, behaviour: str) -> None:
    assert behaviour not in behaviours(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hi Priya, how did the trade audit go?",
        "how's the month going?",
        "how was your long weekend?",
        "crazy week?",
        "Any plans for the holidays?",
    ],
)
def test_small_talk_questions_about_their_life_are_stalling(text: str) -> None:
    assert "stalls" in behaviours(text)


def test_a_question_about_the_problem_is_not_small_talk() -> None:
    assert "stalls" not in behaviours("How did the delay land with your team?")


def test_a_guaranteed_new_date_is_both_a_reset_and_an_overpromise() -> None:
    assert {"resets_expectations", "overpromises"} <= behaviours("We guarantee the units by Thursday.")


@pytest.mark.parametrize(
    ("text", "behaviour"),
    [
        ("Kindly excuse us for the inconvenience.", "apologizes"),
        ("I beg your pardon for the confusion.", "apologizes"),
        ("Regrettably, we are not in a position to ship this month.", "states_the_news"),
        ("The spare parts are not yet arrived.", "states_the_news"),
        ("There has been a mix-up with your booking.", "states_the_news"),
        ("Is there anything else you would like to know?", "checks_understanding"),
    ],
)
def test_formal_and_non_native_registers_are_read(text: str, behaviour: str) -> None:
    assert behaviour in behaviours(text)


@pytest.mark.parametrize(
    ("text", "behaviour"),
    [
        ("Could you give us one more shot at the autumn order?", "asks_forgiveness"),
        ("Please don't walk away from us over one bad delivery.", "asks_forgiveness"),
        ("I'm cc'ing your operations director on this email.", "goes_over_their_head"),
        ("I'll be raising this with your head of procurement.", "goes_over_their_head"),
        ("You're making a mountain out of a molehill, it's a rounding error.", "minimizes"),
        ("Only the outer box got scratched, the kit is basically fine.", "minimizes"),
        ("The haulier is useless, honestly.", "blames_others"),
        ("That's down to the courier, nothing to do with us.", "blames_others"),
    ],
)
def test_idioms_of_a_behaviour_are_read_as_the_behaviour(text: str, behaviour: str) -> None:
    assert behaviour in behaviours(text)


def test_a_plane_that_sat_on_the_runway_is_not_someone_sitting_on_the_job() -> None:
    assert "blames_others" not in behaviours("My flight sat on the runway for two hours.")
