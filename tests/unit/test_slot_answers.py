"""The buyer hears an answer to the question she just asked, in the rep's own words (engine/agenda.py)."""

from __future__ import annotations

import re

import pytest

from simulator.content.arc import default_arc
from simulator.detect import default_detector
from simulator.engine.agenda import build_agenda, key_words
from simulator.engine.call import Call


def agenda_of(library, scenario: str):
    return build_agenda(default_arc(), library.scenario(scenario), library.persona("calm"))


def fills(library, scenario: str, slot: str, reply: str, question: str, *, asked: bool = True) -> bool:
    agenda = agenda_of(library, scenario)
    behaviours = frozenset(default_detector().detect(reply).behaviours)
    return slot in agenda.fill(reply, behaviours, asked=(slot,) if asked else (), question=question)


RESERVATIONS_Q = "I have 96 people who've already booked rooms through your link. What happens to their reservations?"
API_Q = "Does the fix change the API? My engineers have built against your spec for six weeks."
PROGRAMME_Q = "When do I see a revised programme? Calder's monitor won't take a date without one."


@pytest.mark.parametrize(("scenario", "slot", "question", "reply"), [
    ("hotel-lost-booking", "reservations", RESERVATIONS_Q,
     "All 96 are safe, we rebook the ones who lose a room here ourselves and each guest gets an email."),
    ("saas-release-slip", "api", API_Q, "no. endpoints and payloads stay exactly as documented"),
    ("subcontract-delay", "programme", PROGRAMME_Q, "Thursday, first thing, with every level on it."),
])
def test_an_answer_in_other_words_fills_the_slot_she_just_asked(library, scenario, slot, question, reply):
    assert fills(library, scenario, slot, reply, question)


def test_the_same_words_fill_nothing_when_she_had_not_asked(library):
    reply = "Thursday, first thing, with every level on it."
    assert not fills(library, "subcontract-delay", "programme", reply, PROGRAMME_Q, asked=False)


@pytest.mark.parametrize("reply", [
    "Sorry, which 96 people do you mean, the ones who booked rooms?",  # a question back
    "I hear you, 96 people who trusted that booking link matter enormously.",  # feeling for her, nothing done
    "Let me look into the reservations and get back to you on the 96 bookings later.",  # a promise to come back
    "I'm so sorry, Rachel.",
])
def test_a_question_back_a_feeling_or_a_stall_is_not_an_answer(library, reply):
    assert not fills(library, "hotel-lost-booking", "reservations", reply, RESERVATIONS_Q)


def test_yes_or_no_answers_a_yes_or_no_question_and_only_that(library):
    assert fills(library, "saas-release-slip", "api", "Nope, nothing changes for them.", API_Q)
    assert not fills(library, "saas-release-slip", "api", "Nope.", "Who pays for my engineers' time?")


def test_a_phrase_counts_with_other_words_between_its_words_but_not_with_one_of_them_missing(library):
    slot = agenda_of(library, "hotel-lost-booking").slot("reservations")
    assert slot is not None and "move every reservation" in slot.phrases
    said = "We will move, ourselves, every last reservation your people made."
    assert slot.filled_by_reply(said, frozenset(), frozenset())
    assert not slot.filled_by_reply("We will move the gala dinner upstairs.", frozenset(), frozenset())


def test_words_are_compared_by_their_first_letters_hyphens_and_thousands_aside():
    assert key_words("re-book 2,000 MCU-221") >= {"reboo", "2000", "221"}
    assert key_words("rebook 2000") >= {"reboo", "2000"}
    assert key_words("re-book", parts=False) == {"reboo"}


def test_in_a_whole_call_an_own_words_answer_is_taken_and_never_asked_for_again(library):
    call = Call(library.scenario("hotel-lost-booking"), library.persona("calm"), seed=0)
    call.open()
    replies = iter([
        ("Rachel, bad news: we never entered your signed contract, and the Lakeview Ballroom and 70 of your rooms "
        "for 14 to 16 May were sold to another group. I'm sorry."),
        "", "",
        ("Your conference still goes ahead on 14 to 16 May. Three options: the Wabash Riverside with all 120 rooms, "
        "the Skyline Room here with a shuttle, or 21 to 23 May at $189."),
        "We waive the $14,500 room rental and host a welcome reception for all 180, on us.",
        "Every signed contract is now entered and checked by two people the day it is signed.",
        "I'll write Linda a short note you can forward tonight.",
        "", "",
    ])
    asked_at = None
    for turn_number in range(14):
        last = call.transcript[-1]
        if "reservations" in last.asks:
            asked_at = turn_number
            call.reply("Every one of those 96 stays valid; the people who lose a room here we rebook ourselves.")
            break
        call.reply(next(replies, ""))
        if call.over:
            break
    assert asked_at is not None, "she never asked about the reservations"
    assert "reservations" in call.agenda.known
    for _ in range(4):
        if call.over:
            break
        call.reply("")
    answered = next(t.index for t in call.transcript if t.speaker == "seller" and t.text.startswith("Every one"))
    assert not any("reservations" in t.asks for t in call.transcript[answered:] if t.speaker == "buyer")


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_an_offer_ending_in_a_question_tag_is_answered_with_her_line_about_what_it_gives(library, persona):
    call = Call(library.scenario("late-shipment"), library.persona(persona), seed=0)
    call.open()
    for reply in ("Dana, bad news: PO 4471 will not arrive on 3 March; the full order now lands on 24 March.", "", ""):
        call.reply(reply)
    answer = call.reply("I could put together a one-page summary for your plant manager this evening, want that?")
    assert "position" in call.agenda.known
    unsure = {line if isinstance(line, str) else line.text for line in library.persona(persona).reactions.unsure}
    assert not any(line in answer.text for line in unsure), answer.text


@pytest.mark.parametrize("reply", ["We'll fly the first units in at our cost.", "The extra engineer is free of charge.",
                                   "It won't cost you a cent more.", "same rate as your contract, we pay any difference.",
                                   "We'll absorb the extra on our side."])
def test_who_pays_is_answered_in_every_scenario_however_the_offer_is_worded(library, reply):
    unfilled = [sid for sid in sorted(library.scenarios)
                if "cost" in agenda_of(library, sid).ids and not fills(library, sid, "cost", reply, "", asked=False)]
    assert not unfilled, unfilled


def test_being_counted_on_is_not_an_answer_to_who_pays(library):
    assert not fills(library, "late-shipment", "cost", "You can count on us to keep you posted.", "", asked=False)


@pytest.mark.parametrize("reply", [
    "tell him zero variance on this PO, full credit note, and 2% off this order.",
    "You can tell her the lot her patients take now is not affected.",
    "Fair question. Just tell your CFO the fix comes out of our contingency, not your budget.",
])
def test_the_words_to_pass_on_answer_what_she_should_tell_her_boss(library, reply):
    """"What am I supposed to tell my boss?" was asked four turns running after "tell him zero variance ..."."""
    position = next(slot for slot in default_arc().agenda if slot.id == "position")
    asked = [str(line) for lines in position.ask.values() for line in lines
             if re.search(r"\b(?:what|how)\b[^?]*\?", str(line), re.IGNORECASE)]
    assert len(asked) >= 3
    for scenario in sorted(library.scenarios):
        for question in asked:
            assert fills(library, scenario, "position", reply, question), (scenario, question)


@pytest.mark.parametrize("reply", ["I will tell him myself this afternoon.", "Tell me what he needs.",
                                   "The port reopens on Monday."])
def test_other_replies_do_not_give_her_words_to_pass_on(library, reply):
    assert not fills(library, "price-increase", "position", reply, "What am I supposed to tell my boss?")
