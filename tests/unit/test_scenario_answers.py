"""The buyer answers a question about one of her scenario's subjects (`answers:`), also when the rep names that
subject in another form of the word ('the operator training' for 'operators') — every bundled scenario."""

from __future__ import annotations

import pytest

from simulator.content.placeholders import fill, placeholder_values
from simulator.engine.call import _asks_about
from tests.playing import past_the_news


def other_form(word: str) -> str:
    """'operators' -> 'operator', 'depot' -> 'depots', 'bench' -> 'benches'."""
    if word.endswith("s"):
        return word[:-1]
    return word + ("es" if word.endswith(("ch", "sh", "x")) else "s")


def one_word_subjects(library):
    for scenario_id, scenario in sorted(library.scenarios.items()):
        for answer in scenario.answers:
            for about in answer.about:
                if about.isalpha() and len(about) >= 6:  # so that the other form still has five letters
                    yield scenario_id, about, answer.text


def test_every_bundled_scenario_with_answers_has_a_one_word_subject_to_try(library):
    tried = {scenario_id for scenario_id, _, _ in one_word_subjects(library)}
    with_answers = {sid for sid, s in library.scenarios.items() if s.answers}
    assert len(tried) >= len(with_answers) - 2, with_answers - tried


def test_a_subject_asked_about_in_another_form_of_its_word_gets_the_scenarios_answer(library):
    missed = []
    for scenario_id, about, text in one_word_subjects(library):
        scenario = library.scenario(scenario_id)
        turn = past_the_news(library, scenario_id, "calm").reply(f"And the {other_form(about.lower())}, where do things stand there?")
        expected = fill(text, placeholder_values(scenario))
        if expected not in turn.text:
            missed.append((scenario_id, about, turn.text))
    assert not missed, missed[:5]


@pytest.mark.parametrize(("question", "about", "asks"), [
    ("And the operator training?", "operators", True),
    ("Is the flight booked?", "flights", True),
    ("How are things?", "how are you", False),
    ("Can you help me?", "help you with Tom", False),  # a phrase of several words is matched as said
    ("Any news on the API?", "API", True),
])
def test_a_subject_is_matched_as_said_or_as_one_word_in_another_form(question, about, asks):
    assert _asks_about(question, about) is asks


def test_a_subject_asked_about_in_an_earlier_question_of_the_reply_is_answered(library):
    missed = []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        for answer in scenario.answers:
            about = answer.about[0]
            turn = past_the_news(library, scenario_id, "calm").reply(f"And {about}? Who is the right person there?")
            if fill(answer.text, placeholder_values(scenario)) not in turn.text:
                missed.append((scenario_id, about, turn.text))
    assert not missed, missed[:5]
