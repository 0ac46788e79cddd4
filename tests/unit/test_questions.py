"""Which replies leave the buyer with a question (engine/call.py `_question`): one with a question mark, or one typed
without it that opens like a question; a statement typed in lower case is not one ("were adding a 2nd port")."""

from __future__ import annotations

import pytest

from simulator.engine.call import _question
from tests.playing import past_the_news


@pytest.mark.parametrize(("reply", "asks"), [
    ("Can you take half on Friday?", True),
    ("can you take half on friday", True),
    ("when can i ring you back", True),
    ("do u want the note", True),
    ("any questions", True),
    ("The port reopens Monday. Who should I send it to?", True),
    ("were adding a 2nd port of loading so one port closing cant stop ur orders again", False),
    ("I book the engineer today. When your own instrument arrives we swap it.", False),
    ("what happened was the port closed", False),
    ("Who pays? We do.", False),
    ("Should it assist, I would be pleased to attend the progress meeting.", False),
    ("should we send it tonight", True),
])
def test_a_question_is_told_from_a_statement(reply, asks):
    assert bool(_question(reply)) is asks


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_a_plan_typed_in_lower_case_is_not_answered_as_a_question(library, persona):
    call = past_the_news(library, "late-shipment", persona)
    unsure = {line if isinstance(line, str) else line.text for line in library.persona(persona).reactions.unsure}
    answer = call.reply("were adding a 2nd port of loading so one port closing cant stop ur orders again")
    assert not any(line in answer.text for line in unsure), answer.text


def her_word(text: str, scenario_words: frozenset[str]) -> str | None:
    """A word of hers of six letters or more that the scenario's facts and options do not use."""
    from simulator.detect.facts import word_key

    words = [w.strip(".,?!:;'\"").lower() for w in text.split()]
    return next((w for w in words if len(w) >= 6 and w.isalpha() and word_key(w) not in scenario_words), None)


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_her_own_words_said_back_are_never_off_topic(library, persona):
    from simulator.engine.call import _scenario_words

    scolded = []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        call = past_the_news(library, scenario_id, persona)
        word = her_word(call.transcript[-1].text, _scenario_words(scenario))
        if word is None or call.over:
            continue
        off_topic = {line if isinstance(line, str) else line.text
                     for line in library.persona(persona).reactions.off_topic}
        answer = call.reply(f"right, the {word} part, got it, noted down here")
        if any(line in answer.text for line in off_topic):
            scolded.append((scenario_id, word, answer.text))
    assert not scolded, scolded[:3]
