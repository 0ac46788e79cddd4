"""Her own follow-up questions, which ask no slot of the agenda ("And if that slips too?", "In writing?", "Is that
firm, or is that a hope?"): a reply that only feels for her, thanks or praises her, or talks of something else leaves
them unanswered, and that costs as a dodged agenda question does; an answer, however short or poor, does not.

Two play-testers had answered such questions with "we really value westbrook" and an apology, at no cost and with no
question asked again (2026-12-03).
"""

from __future__ import annotations

import pytest

from simulator.content.loader import load_library
from simulator.detect import default_detector
from simulator.engine.agenda import answer_to, puts_off
from simulator.engine.call import DODGED, LEADING_LINK, Call, leaves_follow_up, sentences
from tests.integration.test_bundled_calls import good_call

LIBRARY = load_library()
DETECTOR = default_detector()
FEELS = "I know this is really hard for you."
THANKS = "Thank you for being so patient with us."
# A call that reaches one of her follow-up questions in most scenarios: the news, her vent, then the options one by
# one and the new date (she asks after her choice, after a date, or after an option she doubts).
MOST_STEPS = 12


def at_a_follow_up(scenario_id: str, persona: str) -> Call | None:
    """A call at her first follow-up question, or None when this plain call never reaches one."""
    scenario = LIBRARY.scenarios[scenario_id]
    call = Call(scenario, LIBRARY.personas[persona], seed=3)
    call.open()
    call.reply(good_call(scenario)[0])
    steps = ["", "", "", *(o.text for o in scenario.options), f"The new date is {scenario.facts.get('new_date', 'Friday')}."]
    for step in steps[:MOST_STEPS]:
        if call.over:
            return None
        if call.open_question and not call.buyer_is_venting:
            return call
        call.reply(step)
    return call if call.open_question and not call.over else None


def unanswered(call: Call, question: str) -> bool:
    """Whether her follow-up question is among those the call left unanswered ("And if ...?" is kept as "If ...?")."""
    return any(LEADING_LINK.sub("", question).lower() == left.lower() for left in call.unanswered)


def dodged(call: Call) -> bool:
    return any(cause[0] == DODGED for cause in call.seller_turns[-1].move.causes)


REACHED = {(s, p): call for s in sorted(LIBRARY.scenarios) for p in sorted(LIBRARY.personas)
           if (call := at_a_follow_up(s, p)) is not None}


def test_most_scenarios_and_personas_reach_a_follow_up_question_so_the_tests_below_check_them() -> None:
    assert len(REACHED) >= 24, sorted(set(REACHED))
    assert {scenario for scenario, _ in REACHED} >= set(LIBRARY.scenarios) - {"manufacturing-delay"}


@pytest.mark.parametrize(("scenario_id", "persona"), sorted(REACHED))
def test_feeling_for_her_puts_it_off_once_then_a_reply_that_leaves_it_costs(scenario_id: str, persona: str) -> None:
    call = at_a_follow_up(scenario_id, persona)
    assert call is not None
    question = call.open_question
    already = bool(call.unanswered)  # a question of hers the drive left: then nothing puts this one off
    call.reply(FEELS)
    assert dodged(call) is already
    assert sentences(question)[-1] in call.transcript[-1].text, "she asks it again"
    if call.over:
        return
    call.reply(THANKS)
    assert dodged(call), f"{THANKS!r} left {question!r} unanswered"
    assert unanswered(call, question)


@pytest.mark.parametrize(("scenario_id", "persona"), sorted(REACHED))
def test_an_answer_in_a_word_is_an_answer(scenario_id: str, persona: str) -> None:
    call = at_a_follow_up(scenario_id, persona)
    assert call is not None
    question = call.open_question
    call.reply("Yes.")
    assert not dodged(call) and not unanswered(call, question)
    assert sentences(question)[-1] not in call.transcript[-1].text, "answered, she does not ask it again"


@pytest.mark.parametrize("reply", [
    "Let me check with our engineers and call you back by three.",
    "I don't know that yet; I'll find out today.",
    "",
    "Do you mean the whole order, or just the first delivery?",
])
def test_silence_a_question_back_or_an_honest_let_me_check_is_no_dodge(reply: str) -> None:
    call = at_a_follow_up("late-shipment", "calm")
    assert call is not None and call.open_question
    call.reply(reply)
    assert not dodged(call)


def test_a_follow_up_she_has_moved_on_from_does_not_stand_between_the_rep_and_her_forgiveness() -> None:
    call = at_a_follow_up("late-shipment", "calm")
    assert call is not None
    question = call.open_question
    call.reply(FEELS)
    call.reply(THANKS)  # dodged after she asked it twice running: she moves on
    assert dodged(call) and question not in call.transcript[-1].text
    call.reply("We've changed our process so this doesn't happen again, and I'll call you every Friday.")
    turn = call.reply("I'm sorry. Will you forgive me?")
    forgives = {str(line) for line in LIBRARY.persona("calm").reactions.forgives}
    assert any(line in turn.text for line in forgives), turn.text
    assert unanswered(call, question), "it stays unanswered for the debrief"


QUESTION = "And if the strike at the port goes on past Friday?"


@pytest.mark.parametrize(("reply", "leaves"), [
    ("I'm so sorry about all of this, truly.", True),
    ("Thanks for bearing with us, I really mean it.", True),
    ("Honestly you're one of our most valued customers.", True),
    ("by the way, the credit note for last month goes out today", True),
    ("Also worth saying: every module is now calibrated before it ships.", True),
    ("Yes, it could. Then we truck the rest from the other port at our cost.", False),
    ("then we fly the rest in", False),
    ("No.", False),
    ("Marco takes it over from our side and keeps the trucks booked.", False),
    ("We move the containers to the rail terminal, and you get them by the 20th.", False),
])
def test_what_leaves_her_question_unanswered(reply: str, leaves: bool) -> None:
    behaviours = frozenset(DETECTOR.detect(reply).behaviours)
    assert leaves_follow_up(reply, behaviours, QUESTION) is leaves


@pytest.mark.parametrize(("reply", "puts"), [
    ("not sure how the warranty works with an outside installer, checking w legal, back to u tmrw", True),
    ("I check with my manager and I reply to you by noon.", True),
    ("dont know the exact figure off hand", True),
    ("no plan for that yet honestly, let me talk to the md", True),
    ("I'll get back to you before five with the number.", True),
    ("Yes, and I'll call you Friday as always.", False),
    ("The credit goes back to your account today.", False),
    ("I ask you to forgive us.", False),  # asking, not finding out
])
def test_an_honest_let_me_check_is_heard_in_plain_and_texting_words(reply: str, puts: bool) -> None:
    assert puts_off(reply) is puts


def test_a_follow_up_she_moved_on_from_is_answered_by_a_later_reply_that_takes_it_up() -> None:
    call = at_a_follow_up("late-shipment", "calm")
    assert call is not None
    question = call.open_question
    assert question.endswith("Is that firm, or is that a hope?"), question
    call.reply(FEELS)
    call.reply(THANKS)
    assert unanswered(call, question) and not call.open_question.endswith(question)
    call.reply("Yes, it's firm: the ship is booked and I have the berth confirmed.")
    assert not unanswered(call, question)


@pytest.mark.parametrize(("reply", "question"), [
    # asked again after "I'm asking again:", a yes-or-no question still takes a yes or a no
    ("no. api stays exactly as spec'd, your guys' work holds",
     "You haven't answered my question, though. I'm asking again: Does the fix change the API?"),
    # the figures themselves answer "what do I tell him?", not only "tell him ..." (a play-tester, three times)
    ("zero variance on this order, credit note takes it back to 18.40, and 18.95 going forward",
     "I'm asking again: What do I tell him about this one?"),
    # a need with a deadline, said as a statement, takes a time ("You're not answering me.", a play-tester)
    ("you'll have it wednesday", "I still need that revised programme before Thursday, Gareth."),
])
def test_her_question_asked_again_or_about_what_to_tell_is_answered_as_a_rep_answers_it(reply: str, question: str) -> None:
    assert answer_to(reply, question)


@pytest.mark.parametrize("reply", ["I'm so sorry about all of this.", "We'll talk about it on Thursday then?"])
def test_a_need_with_a_deadline_is_not_answered_by_feeling_for_her_or_a_question(reply: str) -> None:
    assert not answer_to(reply, "I still need that revised programme before Thursday, Gareth.")


def test_a_reply_to_her_follow_up_that_the_detector_cannot_place_is_not_taken_as_off_the_subject() -> None:
    off_topic = {str(line) for line in LIBRARY.persona("calm").reactions.off_topic}
    for (scenario_id, persona), _ in sorted(REACHED.items()):
        if persona != "calm":
            continue
        call = at_a_follow_up(scenario_id, persona)
        assert call is not None
        turn = call.reply("marco sorts that from our side")  # no behaviour, none of her words
        assert not dodged(call), scenario_id
        assert not any(line in turn.text for line in off_topic), (scenario_id, turn.text)


def test_thanks_alone_does_not_put_her_question_off() -> None:
    call = at_a_follow_up("late-shipment", "calm")
    assert call is not None and not call.unanswered
    call.reply("Thank you for being so patient with us, Dana.")
    assert dodged(call)
