"""A question of hers that a reply leaves unanswered: it costs, she asks it again, and she is not won back while it stands.

Play-testers had answered a buyer's direct question with an apology, a concession or a request for forgiveness, five
calls running; no buyer asked again, each dodge raised her trust, and she forgave on the spot (2026-12-03).
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from simulator.content.loader import load_library
from simulator.engine.call import COMES_BACK, DODGED, LEADING_LINK, RE_ASKS, Call, Turn, sentences
from simulator.render.coaching import verdict_sentence
from simulator.scoring.result import CallResult, call_result
from tests.playing import past_the_news

LIBRARY = load_library()
DODGE = DODGED
APOLOGY = "I'm really sorry about all of this."
THANKS = "Thank you for being so patient with us."


def asking(call: Call) -> Turn:
    """Her latest line, once she asks for something past the news and her vent (silence until she does)."""
    for _ in range(8):
        last = call.transcript[-1]
        if last.speaker == "buyer" and set(last.asks) - {"news"} and not call.buyer_is_venting:
            return last
        call.reply("")
    raise AssertionError(f"{call.scenario.id}/{call.persona.id}: she never asked for anything")


def asking_afresh(call: Call) -> Turn:
    """Her latest line, once she asks for something she did not ask for in her line before."""
    asked = asking(call)
    for _ in range(6):
        if not pressed(call, asked):
            return asked
        call.reply("")  # not a dodge: she asks for something else, once
        asked = asking(call)
    raise AssertionError(f"{call.scenario.id}/{call.persona.id}: she asks for one thing only")


def pressed(call: Call, turn: Turn) -> bool:
    """Whether she has asked for this turn's slot in her two latest lines: then she asks for something else first."""
    said = [t for t in call.transcript if t.speaker == "buyer" and t.text][-2:]
    return len(said) == 2 and all(set(turn.asks) & set(t.asks) for t in said)


def question_of(turn: Turn) -> str:
    """The question she asked, in her words (her last sentence, when she asks without a question mark), as she asks
    it again: without the word that linked it to what she said before ("And INV-20931?" is "INV-20931?")."""
    said = sentences(turn.text)
    question = next((s for s in reversed(said) if s.endswith("?")), said[-1])
    unlinked = LEADING_LINK.sub("", question)
    return unlinked[:1].upper() + unlinked[1:]


def causes(call: Call) -> dict[str, tuple[int, int]]:
    move = call.seller_turns[-1].move
    assert move is not None
    return {cause: (heat, trust) for cause, heat, trust in move.causes}


@pytest.mark.parametrize("persona", sorted(LIBRARY.personas))
@pytest.mark.parametrize("scenario_id", sorted(LIBRARY.scenarios))
def test_sorry_first_puts_her_question_off_once_and_then_a_dodge_costs(scenario_id: str, persona: str) -> None:
    call = past_the_news(LIBRARY, scenario_id, persona)
    asked = asking(call)
    insisted = not pressed(call, asked)
    put_off = call.reply(APOLOGY)  # the doctrine's order: feel for her first
    assert DODGE not in causes(call)
    if insisted:  # she asks for it again (else she asks for something else first, and comes back to it)
        assert set(asked.asks) & set(put_off.asks), put_off.text
    asked_so_far = {slot for turn in call.transcript if turn.speaker == "buyer" for slot in turn.asks}
    dodged = call.reply(THANKS)  # her question, asked again, put off again
    heat, trust = causes(call)[DODGE]
    assert heat > 0 and trust < 0
    lines = {str(line) for line in LIBRARY.persona(persona).reactions.dodged}
    # She says so, unless she moves on to a new question or a remark (asked twice running, she asks for something
    # else first): "That's not an answer." before it would point at that one.
    moves_on = not set(dodged.asks) & asked_so_far and dodged.text.strip() not in lines
    assert any(line in dodged.text for line in lines) is not moves_on, dodged.text


@pytest.mark.parametrize("persona", sorted(LIBRARY.personas))
def test_a_question_dodged_at_once_costs_and_she_asks_it_again_in_her_own_words(persona: str) -> None:
    call = past_the_news(LIBRARY, "late-shipment", persona)
    asked = asking_afresh(call)
    question = question_of(asked)
    answer = call.reply("We really value working with Larkspur. Will you forgive me?")
    assert causes(call)[DODGE][1] < 0
    assert set(asked.asks) & set(answer.asks) and answer.text.count(question) == 1, answer.text
    assert "again: I'm asking again" not in answer.text


@pytest.mark.parametrize("reply", [
    "",  # silence: she may answer herself
    "Do you mean the full 10,000, or the first batch?",  # a question back
    "I don't have a firm date for that yet. I'll know by Friday noon and call you then.",  # honest: not known yet
    "Let me check with our logistics team and get back to you within the hour.",
])
def test_silence_a_question_back_or_an_honest_not_yet_is_no_dodge(reply: str) -> None:
    call = past_the_news(LIBRARY, "late-shipment", "numbers")
    asking(call)
    call.reply(reply)
    assert DODGE not in causes(call)


def test_asking_forgiveness_instead_of_answering_is_not_forgiven_until_she_has_her_answer() -> None:
    persona = LIBRARY.persona("calm")
    forgives = {str(line) for line in persona.reactions.forgives}
    call = past_the_news(LIBRARY, "late-shipment", "calm")
    call.reply("Air freight, the MCU-221 or weekly partials: which suits you?")
    asked = asking_afresh(call)
    dodged = call.reply("It's on me. I'm sorry, Dana. Will you forgive me?")
    assert DODGE in causes(call)
    assert not any(line in dodged.text for line in forgives), dodged.text
    assert question_of(asked) in dodged.text
    answered = call.reply("A typhoon closed the port of Osaka. The full 10,000 land on 24 March, the 2,000 by air in 5 "
                          "working days, at our cost. Will you forgive me?")
    assert any(line in answered.text for line in forgives), answered.text


def test_a_call_that_ends_on_her_dodged_question_does_not_win_her_back() -> None:
    def played(answer_it: bool) -> Call:
        call = past_the_news(LIBRARY, "late-shipment", "calm")
        call.reply("Air freight, the MCU-221 or weekly partials: which suits you?")
        asked = asking(call)
        call.reply(APOLOGY)
        if answer_it:  # every slot she asks for gets its answer in the scenario's own facts and offers
            call.reply("A typhoon closed the port of Osaka. The full 10,000 land on 24 March; the 2,000 by air in 5 "
                       "working days, at our cost, with the 5% credit on the order. We've added a second port to our "
                       "routing, so this can't stop you twice.")
        assert set(asked.asks)
        return call

    dodged, answered = played(False), played(True)
    for call in (dodged, answered):
        call.mood = call.mood.moved(-100, 100)  # as calm and trusting as she can be
        call.stop("trainee")
    assert dodged.outcome == "strained"
    assert answered.outcome == "won_back", answered.unanswered


def test_the_debrief_says_which_of_her_questions_was_never_answered() -> None:
    call = past_the_news(LIBRARY, "late-shipment", "numbers")
    asked = asking_afresh(call)
    call.reply(THANKS)
    call.reply("We value you as a customer.")  # her question still not answered when the call ends
    call.stop("trainee")
    result = call_result(call)
    assert result.unanswered == [question_of(asked)]
    assert CallResult.model_validate_json(result.model_dump_json()).unanswered == result.unanswered
    assert result.outcome in ("strained", "lost")
    assert f"\u201c{question_of(asked)}\u201d was never answered" in verdict_sentence(result)
    answered = result.model_copy(update={"unanswered": []})
    assert "was never answered" not in verdict_sentence(answered)


@pytest.mark.parametrize("persona", sorted(LIBRARY.personas))
@pytest.mark.parametrize("asked", ["whats most important for you here?", "What matters most to you right now?",
                                   "What's your top priority in all this?"])
def test_asked_what_matters_most_to_her_she_says_what_the_problem_does_to_her(asked: str, persona: str) -> None:
    """A play-tester asked "whats most important for you here?" and was told "How would I know? You tell me!"."""
    for scenario_id in sorted(LIBRARY.scenarios):
        call = past_the_news(LIBRARY, scenario_id, persona)
        answer = call.reply(asked)
        assert answer.answers == "impact", (scenario_id, answer.text)


def asking_when(call: Call) -> Turn:
    """Her latest line once she asks when (silence until she does; answers of nothing else)."""
    for _ in range(8):
        last = call.transcript[-1]
        if last.speaker == "buyer" and "when" in last.asks and not call.buyer_is_venting:
            return last
        call.reply("")
    raise AssertionError(f"{call.scenario.id}/{call.persona.id}: she never asked when")


@pytest.mark.parametrize(("scenario_id", "answer"), [
    ("hotel-lost-booking", "yes the dates stand, 14 to 16 may, all 180 of you"),
    ("late-shipment", "all of it by the 24th, thats firm"),
])
@pytest.mark.parametrize("persona", sorted(LIBRARY.personas))
def test_her_question_about_the_date_answered_is_a_new_commitment(scenario_id: str, answer: str, persona: str) -> None:
    """A rep who had answered "do 14 to 16 May still stand or not?" was told "Reset expectations: You never did this"."""
    call = past_the_news(LIBRARY, scenario_id, persona)
    asked = asking_when(call)
    call.reply(answer)
    turn = call.seller_turns[-1]
    evidence = turn.detection.evidence_for("resets_expectations")
    assert "resets_expectations" in turn.behaviours and evidence is not None, asked.text
    assert evidence.clause in answer


@pytest.mark.parametrize("persona", sorted(LIBRARY.personas))
def test_a_promise_to_call_back_with_the_date_is_not_a_new_commitment(persona: str) -> None:
    call = past_the_news(LIBRARY, "late-shipment", persona)
    asking_when(call)
    call.reply("ill call you friday once i have it")
    assert "resets_expectations" not in call.seller_turns[-1].behaviours


def test_a_rep_who_dodges_again_and_again_does_not_win_her_back_however_calm_she_is() -> None:
    """A play-tester's rep dodged five questions and the calm buyer ended "won back"; the bundled good calls, which
    leave one question unanswered, still win her back (their examples say so)."""
    call = past_the_news(LIBRARY, "late-shipment", "calm")
    asking_afresh(call)
    for dodge in ("We value Larkspur as a customer.", "You've always been a great partner to us."):
        call.reply(dodge)
        assert DODGE in causes(call)
    assert call.unanswered
    call.mood = call.mood.moved(-100, 100)  # as calm and trusting as she can be
    call.reply("Thanks for your time, Dana. Bye.")  # the call ends on her mood, not on a question left hanging
    assert call.over and call.ended_by == "you said goodbye"
    assert call.outcome == "strained"


@pytest.mark.parametrize("persona", sorted(LIBRARY.personas))
def test_asked_what_her_boss_will_need_she_takes_it_as_help_not_as_a_riddle(persona: str) -> None:
    """A play-tester asked "is there anything your boss will need from me to explain this?" and was told "How would I
    know? You tell me!"."""
    unsure = {str(line) for line in LIBRARY.persona(persona).reactions.unsure}
    for scenario_id in sorted(LIBRARY.scenarios):
        call = past_the_news(LIBRARY, scenario_id, persona)
        answer = call.reply("is there anything your boss will need from me to explain this?")
        assert answer.answers == "question" and not any(line in answer.text for line in unsure), (scenario_id,
                                                                                                  answer.text)


def test_moving_on_to_a_remark_she_does_not_first_say_her_question_was_not_answered() -> None:
    """"You haven't answered my question, though. And when our own unit arrives we'll have to re-qualify ..." read as
    if the remark were her question (the app, 2026-12-03). The dodge still costs."""
    call = Call(LIBRARY.scenario("backorder-demo-unit"), LIBRARY.persona("calm"))
    call.open()
    for reply in ("hi ruth its tom, bad news: your psa-900 is backordered six weeks, im sorry", "", ""):
        call.reply(reply)
    turn = call.reply("we can lend you a demo unit until yours ships, or a refurbished one at a discount, "
                      "or keep your order and we add a year of consumables")
    assert DODGE in causes(call) and not turn.asks
    lines = {str(line) for line in LIBRARY.persona("calm").reactions.dodged}
    assert not any(line in turn.text for line in lines), turn.text


LISTENING = ("I hear you.", "I understand.", "Right.", "Understood.", "I see.", "Got it.", "Sure.")


def test_coming_back_to_an_open_question_she_says_so_rather_than_once_more() -> None:
    """"Right. Once more: Does the fix change the API?" came three turns after she last asked it (a play-tester,
    2026-12-03). "Once more" and "I'm asking again" follow her asking it in her last line; after another subject she
    comes back to it ("Back to my question: ..."), and the question is asked without the word that linked it to her
    line before ("And this invoice?" is "This invoice?")."""
    again = [template.split("{q}")[0] for template in RE_ASKS if template.split("{q}")[0]]
    back = [template.split("{q}")[0] for template in COMES_BACK if template.split("{q}")[0]]
    came_back = 0
    for scenario_id, persona in ((s, p) for s in sorted(LIBRARY.scenarios) for p in sorted(LIBRARY.personas)):
        call = past_the_news(LIBRARY, scenario_id, persona)
        for reply in LISTENING * 2:
            if call.over:
                break
            call.reply(reply)
        said = [turn for turn in call.transcript if turn.speaker == "buyer" and turn.text]
        for before, turn in pairwise(said):
            for heads, follows_it in ((again, True), (back, False)):
                for head in heads:
                    if head in turn.text:
                        question = turn.text.split(head, 1)[1]
                        assert not LEADING_LINK.match(question), turn.text
                        asked_it = bool(set(before.asks) & set(turn.asks)) or question.lower() in before.text.lower()
                        assert asked_it == follows_it, (scenario_id, before.text, turn.text)
                        came_back += not follows_it
    assert came_back  # the case arises in the bundled content


@pytest.mark.parametrize("persona", sorted(LIBRARY.personas))
def test_saying_goodbye_on_her_open_question_she_does_not_first_say_it_was_not_answered(persona: str) -> None:
    """"Answer the question. Fine. Thank you." (seen in the app, 2026-12-04): she says goodbye; the dodge still costs."""
    lines = {str(line) for line in LIBRARY.persona(persona).reactions.dodged}
    ended = 0
    for scenario_id in sorted(LIBRARY.scenarios):
        call = past_the_news(LIBRARY, scenario_id, persona)
        asking(call)
        call.reply(APOLOGY)  # put off once: the next reply without her answer dodges it
        if call.over:
            continue
        turn = call.reply("Thanks for your patience, talk tomorrow, bye.")
        if not call.over or call.outcome == "lost":
            continue
        assert not turn.text.rstrip().endswith("?") and "? " not in turn.text, (scenario_id, turn.text)  # no question
        if DODGE not in causes(call):
            continue  # "talk tomorrow" may answer when she will hear
        ended += 1
        assert not any(line in turn.text for line in lines), (scenario_id, turn.text)
    assert ended >= 3
