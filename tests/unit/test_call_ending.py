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
