"""The phrase layer: wording families added from formal email, support-desk, chat and non-native registers keep being read.

Every sentence is invented for this file; none comes from a labelled set.
"""

from __future__ import annotations

import pytest

from simulator.detect import phrase_detector


def behaviours(text: str) -> set[str]:
    return set(phrase_detector().detect(text).behaviours)


@pytest.mark.parametrize(
    "text",
    [
        "Oh no, sorry to hear the flu got you.",
        "Sorry to say it, the crate is lost.",
        "Sorry about the hold, I'm back now.",
        "Sorry, which dock should the driver use?",
        "Apologies, I meant the 14th, not the 4th.",
        "Sorry, I'm on a train and the signal is patchy.",
    ],
)
def test_a_sorry_that_is_politeness_is_not_an_apology(text: str) -> None:
    assert "apologizes" not in behaviours(text)


@pytest.mark.parametrize(
    "text",
    ["We are regretting the trouble caused to you.", "I am very regret for this.", "Kindly excuse us for this lapse."],
)
def test_non_native_apologies_are_apologies(text: str) -> None:
    assert "apologizes" in behaviours(text)


def test_owning_a_tight_schedule_is_not_airing_dirty_laundry() -> None:
    found = behaviours("I cut it too fine with the booking, that was my call.")
    assert "airs_dirty_laundry" not in found
    assert "owns_it" in found


@pytest.mark.parametrize(
    "text",
    [
        "Honestly the finance side is in meltdown since the audit.",
        "Between ourselves, the training budget got slashed.",
        "We're two drivers short this week.",
        "Our ops lead and the plant manager are barely talking.",
    ],
)
def test_internal_trouble_in_other_words_is_airing_dirty_laundry(text: str) -> None:
    assert "airs_dirty_laundry" in behaviours(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please be advised that arrangements are being made to replace the pump.",
        "A technician has been dispatched to your site.",
        "Our developers are deploying a patch now.",
        "I've pinged the warehouse and they are repacking it.",
        "Credits for the double charge are being processed.",
        "A workaround for now is to print from the desktop app.",
    ],
)
def test_work_under_way_in_formal_and_support_wording_is_corrective_action(text: str) -> None:
    assert "corrective_action" in behaviours(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for your patience while the team investigates.",
        "The director has frozen all overtime this quarter.",
        "Sat on it for a week, the forwarder did.",
    ],
)
def test_waiting_or_frozen_work_is_not_corrective_action(text: str) -> None:
    assert "corrective_action" not in behaviours(text)


@pytest.mark.parametrize(
    "text, behaviour",
    [
        ("Our courier's van broke down outside Leeds.", "explains_cause"),
        ("Steel prices have gone up sharply this spring.", "explains_cause"),
        ("Turns out the label printer was set to the old template.", "explains_cause"),
        ("Please be advised your parcel will be arriving late.", "states_the_news"),
        ("There will be no hot water on Thursday morning.", "states_the_news"),
        ("Release 3.1 introduced a bug in the export screen.", "states_the_news"),
        ("Completion is now set for 3 December.", "resets_expectations"),
        ("We'll have your line back up and running by tomorrow.", "resets_expectations"),
        ("Quick heads-up about your consignment.", "stalls"),
        ("There might be a bit of movement on dates.", "stalls"),
        ("Shall I put it on a slide you can paste into your board pack?", "helps_position_news"),
        ("That's all on the haulier, nothing to do with us.", "blames_others"),
        ("Honestly, a few days either way is nothing on a job this size.", "minimizes"),
        ("How exposed are you if it slips?", "asks_about_impact"),
    ],
)
def test_wording_families_from_other_registers_are_read(text: str, behaviour: str) -> None:
    assert behaviour in behaviours(text)


def test_a_forgive_me_before_a_question_about_their_name_is_no_request() -> None:
    assert "asks_forgiveness" not in behaviours("Forgive me, I'm new on this account, could you tell me your name?")


def test_material_they_can_forward_to_their_board_is_not_going_over_their_head() -> None:
    found = behaviours("Want me to write up something you can send to your board?")
    assert "helps_position_news" in found
    assert "goes_over_their_head" not in found
