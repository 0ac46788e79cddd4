"""A buyer whose question goes unanswered asks it twice running, then asks for something else still open before
coming back to it: 'Cost to me?' four turns in a row read as a machine (a play-test, 2026-12-03)."""

from __future__ import annotations

import pytest

from tests.playing import past_the_news


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_no_question_is_asked_three_times_running_while_another_is_open(library, persona):
    pressed = []
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, persona)
        for _ in range(6):
            if call.over:
                break
            call.reply("Right, understood, go on.")
        slots = [turn.asks for turn in call.transcript if turn.speaker == "buyer" and turn.text]
        for i in range(len(slots) - 2):
            same = set(slots[i]) & set(slots[i + 1]) & set(slots[i + 2])
            if same and len(call.agenda.open) > 1:
                pressed.append((scenario_id, sorted(same), i))
    assert not pressed, pressed[:4]
