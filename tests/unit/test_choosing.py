"""The buyer picks one of the options the rep has just laid out, whatever the question after them ('What fits
best?', 'Thoughts?'), on every bundled scenario and persona."""

from __future__ import annotations

import pytest

from simulator.content.placeholders import fill, placeholder_values
from simulator.engine.call import CHOICE, Call

QUESTIONS = ("What fits best for you?", "Thoughts?", "Which one?", "What do you reckon?")


def the_news(scenario) -> list[str]:
    return [scenario.tips["states_the_news"], "", ""]


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_options_laid_out_then_any_question_gets_her_choice(library, persona):
    unchosen = []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        if len(scenario.options) < 2:
            continue
        for number, question in enumerate(QUESTIONS):
            call = Call(scenario, library.persona(persona), seed=number)
            call.open()
            for reply in the_news(scenario):
                call.reply(reply)
            named = [option.phrases[0] if option.phrases else option.text for option in scenario.options]
            turn = call.reply(f"I have {len(named)} options for you: {'; or '.join(named)}. {question}")
            if call.over:
                continue
            if turn.answers != CHOICE or call.chosen is None:
                unchosen.append((scenario_id, question, turn.text))
    assert not unchosen, unchosen[:4]


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_asked_again_about_the_option_she_took_she_says_it_again(library, persona):
    wrong = []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        if len(scenario.options) < 2:
            continue
        call = Call(scenario, library.persona(persona), seed=0)
        call.open()
        for reply in the_news(scenario):
            call.reply(reply)
        named = [option.phrases[0] if option.phrases else option.text for option in scenario.options]
        call.reply(f"I have {len(named)} options for you: {'; or '.join(named)}. Which one?")
        if call.over or call.chosen is None:
            continue
        taken = next(option for option in scenario.options if option.id == call.chosen)
        turn = call.reply(f"Just to be sure: is {taken.phrases[0] if taken.phrases else taken.name} still what you want?")
        if fill(taken.name, placeholder_values(scenario)).lower() not in turn.text.lower():
            wrong.append((scenario_id, taken.name, turn.text))
    assert not wrong, wrong[:3]
