"""Material the rep hands the buyer to pass up her organisation helps her position the news; it never reads as going
over her head, in the phrase banks or in the learned model, and the buyer does not take it as a threat."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest

from simulator.catalogue import BY_ID
from simulator.content.loader import load_library
from simulator.detect import Detector, default_detector
from simulator.detect.banks import DEFAULT_BANK_DIR, load_banks
from simulator.detect.learned.judge import Judge, Policy
from simulator.detect.learned.model import Similar
from tests.playing import past_the_news

LIBRARY = load_library()
HANDED = ["a one-page note", "a short summary", "an email", "a couple of slides", "something in writing"]
PASSED = ["give", "forward to", "pass to", "show", "share with"]
UPWARD = ["your boss", "your director", "your VP", "your leadership team"]
SAID = ["I'll write {what} you can {how} {whom}", "ill draft {what} u could {how} {whom}"]


class OnlyBlame:
    """A learned layer that reads blame into every reply, to see what may veto the model."""

    behaviours = ["blames_others"]

    def vector(self, text: str) -> np.ndarray:
        return np.ones(4, dtype=np.float32)

    def probabilities(self, text: str, vector: np.ndarray | None = None) -> np.ndarray:
        return np.array([0.9])

    def similar(self, text: str, behaviour: str, vector: np.ndarray | None = None) -> list[Similar]:
        return [Similar("a labelled line", 0.9)]


def test_a_banks_never_in_sentence_vetoes_the_models_reading_and_not_in_sentence_does_not(tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    shutil.copytree(DEFAULT_BANK_DIR, banks)
    path = banks / "blames_others.yaml"
    path.write_text(path.read_text().replace("not_in_sentence:\n", "never_in_sentence: ['our checks']\nnot_in_sentence:\n", 1))
    judge = Judge(OnlyBlame(), {"blames_others": Policy(threshold=0.5)})  # type: ignore[arg-type]
    detector = Detector(load_banks(banks), judge=judge)
    assert not detector.detect("It came through our checks fine.").has("blames_others")
    assert detector.detect("It came through their checks fine.").has("blames_others")
    path.write_text(path.read_text().replace("never_in_sentence: ['our checks']\n", "", 1).replace(
        "not_in_sentence:\n", "not_in_sentence:\n  - 'our checks'\n", 1))
    detector = Detector(load_banks(banks), judge=judge)
    assert detector.detect("It came through our checks fine.").has("blames_others")


@pytest.mark.parametrize("said", SAID)
def test_something_to_pass_up_helps_position_the_news_and_never_goes_over_her_head(said: str) -> None:
    detector = default_detector()
    for what, how, whom in itertools.product(HANDED, PASSED, UPWARD):
        found = detector.detect(said.format(what=what, how=how, whom=whom))
        assert found.has("helps_position_news") and not found.has("goes_over_their_head"), found.text


@pytest.mark.parametrize("reply", [
    "I'm going to call your director myself this afternoon.",
    "ive already emailed your VP about this",
    "I'll write to your boss and copy you in.",
])
def test_going_to_her_boss_is_still_going_over_her_head(reply: str) -> None:
    assert default_detector().detect(reply).has("goes_over_their_head")


@pytest.mark.parametrize("persona", sorted(LIBRARY.personas))
@pytest.mark.parametrize("scenario_id", sorted(LIBRARY.scenarios))
def test_the_buyer_does_not_hear_a_note_for_her_boss_as_a_threat(scenario_id: str, persona: str) -> None:
    threats = [str(t) for t in LIBRARY.persona(persona).reactions.by_behaviour.get("goes_over_their_head", [])]
    assert threats, "every persona has a line for being gone over"
    for what, whom in zip(HANDED, itertools.cycle(UPWARD)):
        call = past_the_news(LIBRARY, scenario_id, persona)
        answer = call.reply(SAID[0].format(what=what, how="give", whom=whom))
        assert answer.text not in threats
        # What the reply itself did to her trust (not whether it answered the question she had just asked).
        move = call.seller_turns[-1].move
        assert move is not None
        heard = {cause: trust for cause, _, trust in move.causes if cause in BY_ID}
        assert "goes_over_their_head" not in heard and sum(heard.values()) >= 0, answer.text


@pytest.mark.parametrize("reply", [
    # a play-tester's reply (2026-12-03): charged as going over her head and credited as helping her, both at once
    ("fair enough. I will write a one page note for your VP with what happened, that it was our error, and what we are"
     " doing, so you dont have to carry it. you'll have it with the contract."),
    "ill do a short summary for your boss tonight and send it to you first",
])
def test_a_note_written_for_her_boss_and_handed_to_her_is_not_going_over_her_head(reply: str) -> None:
    found = default_detector().detect(reply)
    assert found.has("helps_position_news") and not found.has("goes_over_their_head")
