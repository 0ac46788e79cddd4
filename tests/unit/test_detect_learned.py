"""The learned layer: the training tokenizer's ids, the training side's probabilities, rounded, explained, repeatable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from simulator.detect import Evidence, default_detector
from simulator.detect.learned.judge import Judge, Policy
from simulator.detect.learned.model import DECIMALS, WEIGHTS, LearnedLayer, Similar
from simulator.detect.learned.wordpiece import WordPiece

DATA = Path(__file__).parents[1] / "data"
# Replies worded unlike the phrase banks, so some verdicts must come from the model.
PARAPHRASES = [
    "the press module flunked its last calibration so your cell will be with you later than we said",
    "ok so that shipment of yours, it's not leaving the port this week like we promised",
    "we messed up the figures on your quote and the real number is higher",
    "we have put a second check on every quote now so this cannot slip through again",
    "your team should have caught that spec error before sending it to us honestly",
]


@pytest.fixture(scope="module")
def layer() -> LearnedLayer:
    return LearnedLayer(WEIGHTS)


def test_wordpiece_gives_the_ids_the_training_tokenizer_gave():
    vocabulary = (WEIGHTS / "encoder" / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
    pieces = WordPiece(vocabulary)
    for case in json.loads((DATA / "wordpiece_ids.json").read_text(encoding="utf-8")):
        assert pieces.encode(case["text"], 96) == case["ids"], case["text"]


def test_the_numpy_runtime_reproduces_what_training_computed(layer):
    check = json.loads((WEIGHTS / "check.json").read_text(encoding="utf-8"))
    assert check["behaviours"] == layer.behaviours
    for reply in check["replies"]:
        mine = layer.probabilities(reply["text"])
        assert np.abs(mine - np.array(reply["probabilities"])).max() <= 0.02, reply["text"]


def test_probabilities_are_rounded_before_any_threshold_and_repeat_exactly(layer):
    for text in PARAPHRASES:
        first, second = layer.probabilities(text), layer.probabilities(text)
        assert np.array_equal(first, second)
        assert np.array_equal(first, np.round(first, DECIMALS))


def test_the_same_reply_gives_the_same_detection_in_another_process():
    line = json.dumps(PARAPHRASES[0])
    result = subprocess.run([sys.executable, "-m", "simulator", "detect", "--jsonl"], input=line + "\n",
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == json.loads(json.dumps(default_detector().detect(PARAPHRASES[0]).to_json()))


def test_a_model_verdict_shows_its_probability_and_the_labelled_lines_it_resembles():
    examples = json.loads((WEIGHTS / "examples.json").read_text(encoding="utf-8"))
    labelled = {(e["text"], b) for e in examples for b in e["labels"]}
    found = [e for text in PARAPHRASES for e in default_detector().detect(text).evidence if e.layer == "model"]
    assert found, "replies worded unlike the banks must still be heard"
    for evidence in found:
        assert evidence.strength == evidence.confidence >= evidence.threshold
        assert 1 <= len(evidence.similar) <= 3
        assert all((text, evidence.behaviour) in labelled for text, _ in evidence.similar)
        assert evidence.clause.strip()


class FixedLayer:
    """A learned layer that answers what a test says, to check how the judge weighs it."""

    behaviours = ["apologizes", "blames_others"]

    def __init__(self, probabilities: list[float]) -> None:
        self._p = np.array(probabilities)

    def vector(self, text: str) -> np.ndarray:
        return np.ones(4, dtype=np.float32)

    def probabilities(self, text: str, vector: np.ndarray | None = None) -> np.ndarray:
        return self._p

    def similar(self, text: str, behaviour: str, vector: np.ndarray | None = None) -> list[Similar]:
        return [Similar("a labelled line", 0.9)]


def bank(behaviour: str, layer: str = "phrase") -> Evidence:
    return Evidence(behaviour, "sorry", "sorry", 1.0, 0.8, 0, 5, layer=layer)


def test_a_bank_match_stands_only_with_the_support_its_policy_asks_and_a_scenario_phrase_always_stands():
    policies = {"apologizes": Policy(threshold=0.6, support=0.3), "blames_others": Policy(threshold=0.6, support=1.0)}
    weak = Judge(FixedLayer([0.2, 0.2]), policies)  # type: ignore[arg-type]
    assert weak.judge("sorry", [bank("apologizes")], [(0, 5)]) == []
    kept = weak.judge("sorry", [bank("apologizes", "scenario")], [(0, 5)])
    assert [(e.behaviour, e.confidence) for e in kept] == [("apologizes", 0.2)]
    supported = Judge(FixedLayer([0.35, 0.2]), policies)  # type: ignore[arg-type]
    assert [e.layer for e in supported.judge("sorry", [bank("apologizes")], [(0, 5)])] == ["phrase"]


def test_the_model_alone_detects_at_its_threshold_in_the_sentence_that_carries_it():
    judge = Judge(FixedLayer([0.1, 0.7]), {"blames_others": Policy(threshold=0.6)})  # type: ignore[arg-type]
    judge.layer.ngrams = type("N", (), {"probabilities": staticmethod(  # type: ignore[attr-defined]
        lambda text: np.array([0.0, 0.9 if "courier" in text else 0.1]))})()
    text = "Hi Dana. The courier lost it."
    found = judge.judge(text, [], [(0, 8), (9, len(text))])
    assert [(e.behaviour, e.layer, e.clause) for e in found] == [("blames_others", "model", "The courier lost it.")]
    assert found[0].similar == (("a labelled line", 0.9),)


def test_asking_forgiveness_at_the_end_of_a_long_reply_is_judged_on_its_own():
    reply = ("Two options: fly 2,000 units at our cost or ship the MCU-221 this week, and I'll call every Friday with "
             "an update. Will you forgive me?")
    found = default_detector().detect(reply)
    evidence = found.evidence_for("asks_forgiveness")
    assert evidence is not None and evidence.clause == "Will you forgive me?" and evidence.layer == "phrase"
    assert evidence.confidence is not None and evidence.confidence >= 0.3
