"""The buyer picks one of the options the rep has just laid out, whatever the question after them ('What fits
best?', 'Thoughts?'), and says her choice again when asked whether it stands; every bundled scenario and persona."""

from __future__ import annotations

import pytest

from simulator.content.placeholders import fill, placeholder_values
from simulator.engine.call import CHOICE
from tests.playing import laid_out, past_the_news

QUESTIONS = ("What fits best for you?", "Thoughts?", "Which one?", "What do you reckon?")


def with_options(library):
    return [(sid, scenario) for sid, scenario in sorted(library.scenarios.items()) if len(scenario.options) >= 2]


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_options_laid_out_then_any_question_gets_her_choice(library, persona):
    unchosen = []
    for scenario_id, scenario in with_options(library):
        for number, question in enumerate(QUESTIONS):
            call = past_the_news(library, scenario_id, persona, seed=number)
            turn = call.reply(f"I have {len(scenario.options)} options for you: {laid_out(scenario)}. {question}")
            if not call.over and (turn.answers != CHOICE or call.chosen is None):
                unchosen.append((scenario_id, question, turn.text))
    assert not unchosen, unchosen[:4]


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_asked_again_about_the_option_she_took_she_says_it_again(library, persona):
    wrong = []
    for scenario_id, scenario in with_options(library):
        call = past_the_news(library, scenario_id, persona)
        call.reply(f"I have {len(scenario.options)} options for you: {laid_out(scenario)}. Which one?")
        if call.over or call.chosen is None:
            continue
        taken = next(option for option in scenario.options if option.id == call.chosen)
        turn = call.reply(f"Just to be sure: is {taken.phrases[0] if taken.phrases else taken.name} still what you want?")
        if fill(taken.name, placeholder_values(scenario)).lower() not in turn.text.lower():
            wrong.append((scenario_id, taken.name, turn.text))
    assert not wrong, wrong[:3]
