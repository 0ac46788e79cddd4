"""A reason given is heard as one: she does not ask "Why?" after the rep told her why, whatever the score makes of it.

Seen in the plain call (2026-12-04): "Dana, bad news: PO 4471 will not ship on the 3rd, it will be the 17th. Our
supplier missed a component." The phrase bank found someone else's fault in the last sentence, the learned model,
reading the whole reply, overruled it (rightly or not, for the score), and Dana asked "What happened? Why is PO 4471
late?" about a reason she had just been given.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from simulator.content.loader import load_library
from simulator.detect import default_detector
from simulator.detect.detector import phrase_detector
from simulator.detect.results import Detection, Evidence
from simulator.engine.call import GIVES_A_REASON, Call

LIBRARY = load_library()
WHY = "why"


@dataclass
class Overruling:
    """The shipped detector, with what the model overruled in a reply replaced by `overruled`."""

    overruled: tuple[str, ...]

    def detect(self, text: str, context: object = None) -> Detection:
        found = default_detector().detect(text, context)  # type: ignore[arg-type]
        if not text.strip():
            return found
        kept = tuple(e for e in found.evidence if e.behaviour not in GIVES_A_REASON)
        fake = tuple(Evidence(b, text, "(a phrase)", 1.0, 0.8, 0, len(text)) for b in self.overruled)
        return Detection(found.text, kept, overruled=fake)


def _why_slot_scenarios() -> list[str]:
    found = []
    for scenario_id in sorted(LIBRARY.scenarios):
        call = Call(LIBRARY.scenario(scenario_id), LIBRARY.persona("calm"))
        if call.agenda.slot(WHY) is not None:
            found.append(scenario_id)
    return found


@pytest.mark.parametrize("scenario_id", _why_slot_scenarios())
@pytest.mark.parametrize("overruled, heard", [(("blames_others",), True), (("explains_cause",), True),
                                              (("overpromises",), False), ((), False)])
def test_a_reason_the_model_overruled_still_fills_her_why(scenario_id: str, overruled: tuple[str, ...],
                                                          heard: bool) -> None:
    scenario = LIBRARY.scenario(scenario_id)
    call = Call(scenario, LIBRARY.persona("calm"), detector=Overruling(overruled))  # type: ignore[arg-type]
    call.open()
    turn = call.reply("I have to tell you something.")
    assert (WHY in call.agenda.known) is heard, turn.text
    if heard:  # and what the score reads is untouched: no reason shown in the reply
        assert not set(call.seller_turns[-1].behaviours) & GIVES_A_REASON


@pytest.mark.parametrize("text", [
    "Dana, bad news: PO 4471 will not ship on the 3rd, it will be the 17th. Our supplier missed a component.",
    "I'm sorry, the order is late.",
    "if the carrier had not lost the pallet we would be fine, and it's on us anyway",
    "lol relax, it's fine",
    "",
])
def test_what_the_model_overruled_is_only_what_the_banks_found_and_is_never_shown(text: str) -> None:
    detection = default_detector().detect(text)
    banks = {e.behaviour for e in phrase_detector().detect(text).evidence}
    overruled = {e.behaviour for e in detection.overruled}
    assert overruled <= banks
    assert not overruled & set(detection.behaviours)
    assert all(e.layer != "model" for e in detection.overruled)
    assert phrase_detector().detect(text).overruled == ()  # no model, nothing overruled
    assert "overruled" not in detection.to_json()  # `badnews detect --jsonl` is unchanged
