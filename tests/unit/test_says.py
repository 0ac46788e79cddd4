"""Whether a reply names what the scenario wrote down (content/offers.py): a date said any usual way, and a number
never taken for a near one."""

from __future__ import annotations

import pytest

from simulator.content.offers import plain, says


@pytest.mark.parametrize("said", [
    "a full replacement lot releases july 8, that's before your stock-out",
    "we can release on the 8th of July",
    "Jul. 8th at the latest",
    "8th July",
    "on 8 July.",
])
def test_a_day_of_a_month_is_heard_however_it_is_written(said):
    assert says(said, "8 July")


@pytest.mark.parametrize(("said", "phrase"), [
    ("we go live sept 1", "go live on 15 September"),
    ("we go live on 1 September", "15 September"),
    ("PO 4417 ships Friday", "PO 4471 ships Friday"),
    ("the 18th of july", "8 July"),
    ("july 28", "8 July"),
])
def test_a_near_number_is_another_thing(said, phrase):
    assert not says(said, phrase)


def test_a_long_phrase_is_still_matched_loosely_when_its_numbers_are_said():
    assert says("ok so we ship 5,000 units on friday morning", "ship 5000 units on Friday")
    assert says("go-live stays on September 1st, with Ana Ruiz on site", "go live stays on 1 September")


def test_words_that_are_not_a_date_are_left_alone():
    assert plain("You may 3D-print it") == "you may 3d print it"
    assert plain("Marching 8 units") == "marching 8 units"


@pytest.mark.parametrize(("said", "phrase"), [
    ("can we do thurs at 2 for a full rerun", "Thursday at 2"),
    ("tues. at 10 works", "Tuesday at 10"),
    ("rerun on thu 5 june", "Thursday 5 June"),
])
def test_a_day_texted_short_is_the_day(said, phrase):
    assert says(said, phrase)


def test_words_that_only_begin_like_a_day_are_left_alone():
    assert plain("the thumb drive, futures, c'mon") == "the thumb drive, futures, c'mon"


def test_a_reply_shorter_than_a_long_phrase_is_not_heard_as_it_in_any_bundled_scenario(library):
    """"DC-140s" had been heard as "DC-140S version", and "2,000 units" as the whole air-freight option."""
    checked = 0
    for scenario in library.scenarios.values():
        for offer in (*scenario.options, *scenario.compensation):
            for phrase in offer.phrases:
                words = phrase.split()
                tail = next((" ".join(words[i:]) for i in range(1, len(words))
                             if len(plain(" ".join(words[i:]))) < 0.7 * len(plain(phrase))), None)
                if len(plain(phrase)) < 12 or tail is None:
                    continue
                checked += 1
                assert not says(tail, phrase), (scenario.id, phrase, tail)
                assert says(f"we can {phrase} this week", phrase), (scenario.id, phrase)
    assert checked >= 20


@pytest.mark.parametrize(("said", "phrase"), [
    ("we can absorb freight n half install so total 102,000", "freight and half"),
    ("we can absorb freight n half install so total 102,000", "$102,000"),
    ("total 102k", "$102,000"),
    ("freight & install on us", "freight and install on us"),
    ("£48,900 back", "48900 back"),
])
def test_and_and_amounts_are_heard_as_reps_text_them(said, phrase):
    """"we can absorb freight n half install so total 102,000" was not heard as the $102,000 split, and the buyer said
    "I'm asking again: What are you proposing?" (a play-tester, 2026-12-04)."""
    assert says(said, phrase)


@pytest.mark.parametrize(("said", "phrase"), [
    ("total 103k", "$102,000"),
    ("a $1,020 credit", "$102,000"),
    ("rock n roll", "rock band"),
])
def test_an_amount_still_must_be_the_amount(said, phrase):
    assert not says(said, phrase)
