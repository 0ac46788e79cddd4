"""A promise of updates ends the call only when it asks for nothing: "I'll send the reissued invoices by 20 June.
Who should I send them to?" is answered, and the call goes on (overbilled-invoices ended on it in a play-test)."""

from __future__ import annotations

import pytest

from simulator.engine.call import Call
from tests.playing import laid_out, past_the_news


def in_closing(library, scenario_id: str, persona: str) -> Call:
    call = past_the_news(library, scenario_id, persona)
    for reply in (f"Three options: {laid_out(library.scenario(scenario_id))}. Which suits you?", "I'm sorry.", ""):
        call.reply(reply)
    return call


@pytest.mark.parametrize("persona", ["calm", "numbers"])
def test_a_promise_that_asks_something_does_not_end_the_call(library, persona):
    ended, checked = [], 0
    for scenario_id in sorted(library.scenarios):
        call = in_closing(library, scenario_id, persona)
        if call.over:
            continue
        checked += 1
        call.reply("I'll send you the written plan by Friday and update you every week. Who should I send it to?")
        if call.over:
            ended.append(scenario_id)
    assert checked >= len(library.scenarios) // 2
    assert not ended, ended


def test_the_same_promise_asking_nothing_still_closes_a_call_in_its_closing_stage(library):
    closed = 0
    for scenario_id in sorted(library.scenarios):
        call = in_closing(library, scenario_id, "calm")
        if call.over or call.stage != "closing":
            continue
        call.reply("I'll send you the written plan by Friday and update you every week.")
        closed += call.over
    assert closed >= 3


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_a_call_stopped_on_her_unanswered_question_has_not_won_her_back(library, persona):
    """`--plain` ending after the news and one silence said "won back" while she waited to hear what he could do."""
    asked = 0
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, persona)
        for _ in range(3):  # the rep stays silent through her venting, until she asks for something
            if call.over or set(call.transcript[-1].asks).difference(call.agenda.known):
                break
            call.reply("")
        if call.over:
            continue
        last = call.transcript[-1]
        open_asks = set(last.asks).difference(call.agenda.known)
        call.stop("input ended")
        if last.speaker == "buyer" and open_asks:
            asked += 1
            assert call.outcome != "won_back", (scenario_id, last.text)
    assert asked >= len(library.scenarios) // 2


def test_a_call_stopped_once_she_has_her_answers_can_still_have_won_her_back(library):
    won = 0
    for scenario_id in sorted(library.scenarios):
        call = in_closing(library, scenario_id, "calm")
        if call.over:
            continue
        call.reply("I'll send you the written plan by Friday and update you every week.")
        if not call.over:
            call.stop("input ended")
        won += call.outcome == "won_back"
    assert won >= len(library.scenarios) // 2


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_thanks_said_in_passing_or_an_invitation_to_go_on_is_never_steered_back_as_small_talk(library, persona):
    """"thanks graham. talk at 4." got "Let's keep to the problem, if you don't mind."; "Please go on." got "Sorry, can
    we stay on this for now?"."""
    steered = {str(line) for line in library.persona(persona).reactions.off_topic}
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, persona)
        if call.over:
            continue
        first = library.scenario(scenario_id).buyer.name.split()[0].lower()
        answer = call.reply(f"thanks {first}. talk at 4.")
        assert not any(line in answer.text for line in steered), (scenario_id, answer.text)
        call = past_the_news(library, scenario_id, persona)  # "Please go on." is listening, not changing the subject
        answer = call.reply(f"I completely understand, {first.title()}. Please go on.")
        assert not any(line in answer.text for line in steered), (scenario_id, answer.text)


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_a_promise_of_updates_does_not_close_the_call_before_the_apology(library, persona):
    """Read in pieces, long replies showed their promises to call more often, and the buyer closed calls on them
    before the apology the rep was heading to ("Thanks, Mark. I'll look for the contract."). Once apologised, she
    does close on one."""
    checked = 0
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, persona)
        for reply in (f"We can {laid_out(library.scenario(scenario_id))}.", "I'll call you on Friday with an update.",
                      "I'll email you the tracking tonight.", "And I'll ring you again on Monday morning."):
            if not call.over:
                call.reply(reply)
        if call.stage != "closing" and not call.over:
            continue
        checked += 1
        assert not call.over, (scenario_id, call.ended_by)
        call.reply("I'm sorry for the trouble this has caused you.")
        if not call.over:
            call.reply("")
        for _ in range(3):
            if not call.over:
                call.reply("I'll call you on Friday with an update.")
        assert call.over and call.ended_by != "buyer hung up", (scenario_id, call.stage)
    assert checked >= 3


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_a_promise_of_updates_that_brings_something_new_gets_an_answer_before_the_call_closes(library, persona):
    """A play-tested call ended on "I send you the text of the email before, so you approve it. For the future, now
    every group contract is checked by two persons": the buyer closed it, and the debrief charged the rep for the
    thanks and the closing apology she never had the chance to say. A reply that puts something new on the table (how
    it won't happen again) is answered first; a plain promise of updates then closes the call."""
    checked = 0
    for scenario_id in sorted(library.scenarios):
        scenario = library.scenario(scenario_id)
        call = past_the_news(library, scenario_id, persona)
        for reply in (f"We can {laid_out(scenario)}.", "I'm sorry for the trouble this has caused you.", "",
                      "I'm sorry. Will you forgive me?", ""):
            if not call.over and call.stage != "closing":
                call.reply(reply)
        prevention = scenario.prevention
        if call.over or call.stage != "closing" or not prevention:
            continue
        checked += 1
        call.reply(f"I'll email you the details tonight. And so it does not happen again: {prevention}")
        assert not call.over, (scenario_id, call.ended_by)
        for _ in range(2):
            if not call.over:
                call.reply("I'll call you on Friday with an update.")
        assert call.over and call.ended_by != "buyer hung up", (scenario_id, call.stage)
    assert checked >= 3
