"""The apology ends the reply when nothing but what it is sorry for follows it in its own sentence
(scoring/conversation.py `apology_ends_reply`). Play-testers who said "sorry ruth, u planned around our date and we
let u down" and then stayed silent were told "You kept talking after the apology"."""

from __future__ import annotations

import pytest

from simulator.engine.script import play_script
from simulator.scoring.rubric import score_call


def silence_kept(library, apology: str, scenario_id: str = "late-shipment", persona: str = "calm") -> bool:
    scenario = library.scenario(scenario_id)
    call = play_script(scenario, library.persona(persona), [scenario.tips["states_the_news"], "", "", apology, ""])
    line = score_call(call).line("silent_after_apology")
    assert line is not None
    return line.hit


@pytest.mark.parametrize("apology", [
    "I'm sorry, Dana, you planned your March build around our date and we let you down.",
    "sorry dana, u planned around our date and we let u down",
    "I apologise for the trouble this has caused you and your line, Dana.",
    "I'm sorry.",
    "sorry dana, my fault.",
    "Dana, I'm really sorry. Will you forgive me?",
])
def test_an_apology_that_says_what_it_is_for_ends_the_reply(library, apology):
    assert silence_kept(library, apology), apology


@pytest.mark.parametrize("apology", [
    "I'm sorry about this, Dana, but the weather closed the port, so it was out of our hands.",
    "I'm sorry, Dana. We can fly 2,000 units in within five working days at our cost.",
    "I'm sorry we let you down. The typhoon closed the port of Osaka last week.",
])
def test_an_apology_followed_by_an_explanation_or_a_plan_does_not(library, apology):
    assert not silence_kept(library, apology), apology
