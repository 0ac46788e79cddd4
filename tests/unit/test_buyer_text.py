"""What the buyer says reads as one person's turn: a filler that two of its parts both bring is said once.

A play-tester read "Okay. Next. ...Okay. Thank you for calling me yourself.", "Okay. Next. Next checkpoint?" and
"Fine. ...Alright." (2026-12-04): a reaction's filler, then a line that opens with a filler or a pause of its own.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from simulator.content.loader import load_library
from simulator.engine.call import FILLERS, Call, _without_stray_fillers, sentences
from tests.integration.test_bundled_calls import good_call

LIBRARY = load_library()
ROUGH = ["i know", "", "ok", "we can fly some in or credit u", "ok", "sorry again", "", "talk fri, bye"]


def filler(sentence: str) -> str:
    words = re.findall(r"[a-z]+", sentence.lower())
    return words[0] if len(words) == 1 and words[0] in FILLERS else ""


@pytest.mark.parametrize(("turn", "expected"), [
    ("Okay. Next. ...Okay. Thank you for calling me yourself.", "Okay. Next. Thank you for calling me yourself."),
    ("Okay. Next. Next checkpoint?", "Okay. Next checkpoint?"),
    ("Fine. ...Alright. At least I have a plan to take upstairs.", "Fine. At least I have a plan to take upstairs."),
    ("...Okay. I appreciate you calling me yourself.", "...Okay. I appreciate you calling me yourself."),
    ("Okay.", "Okay."),
    ("Fine. Send it today.", "Fine. Send it today."),
])
def test_a_filler_is_said_once_a_turn(turn: str, expected: str) -> None:
    assert " ".join(_without_stray_fillers(sentences(turn))) == expected


HELEN = {  # the play-tester's call, as typed (missed-training, numbers buyer, 2026-12-04)
    "choices": {"tell_them_first": "first-thing", "call_not_email": "text-first", "alert_the_boss": "brief",
                "solution_ready": "plan-ready"},
    "replies": ["hi helen its chris. sorry i missed ur training yday", "i know. my flight was late",
                "u wont. full refund of the 1800", "can rerun thurs 2pm or 2 short sessions thurs n fri mornings",
                "pls let me check w IT, txt u back by 3", "will do. also i can come on site mon for the 1st payment run",
                "ok so u dont want the thurs session at all?", "ok ill do mon on site from 730, n skip thurs",
                "np. from now on i fly in the day before n theres a backup trainer", "thx helen. sorry again. cu mon"],
}


def assert_fillers_said_once(scenario_id: str, call: Call) -> None:
    for turn in (t for t in call.transcript if t.speaker == "buyer"):
        said = sentences(turn.text)
        words = [filler(s) for s in said if filler(s)]
        assert len(words) == len(set(words)), (scenario_id, turn.text)
        for here, after in pairwise(said):
            word = filler(here)
            assert not (word and not filler(after) and after.lower().startswith(word)), (scenario_id, turn.text)
            assert not (word and filler(after) and after.startswith(("...", "\u2026"))), (scenario_id, turn.text)


def test_the_play_testers_call_says_okay_once() -> None:
    call = Call(LIBRARY.scenario("missed-training"), LIBRARY.persona("numbers"), choices=HELEN["choices"])
    call.open()
    for reply in HELEN["replies"]:
        if not call.over:
            call.reply(reply)
    assert_fillers_said_once("missed-training", call)


@pytest.mark.parametrize("persona", sorted(LIBRARY.personas))
def test_no_turn_in_the_bundled_calls_says_a_filler_twice(persona: str) -> None:
    for scenario_id in sorted(LIBRARY.scenarios):
        scenario = LIBRARY.scenario(scenario_id)
        for replies in (good_call(scenario), ROUGH):
            call = Call(scenario, LIBRARY.persona(persona), seed=3)
            call.open()
            for reply in replies:
                if call.over:
                    break
                call.reply(reply)
            assert_fillers_said_once(scenario_id, call)
