"""Weighing the phrase banks' and rules' findings against the learned model's, one behaviour at a time.

For each behaviour the policy (`weights/policy.json`, chosen on held-out training scenes, never on
the honest split) says:

- `threshold`: the probability at which the model alone detects the behaviour;
- `support`: the least probability a phrase-bank match needs to stand (0: the bank's word is enough).

A scenario's own phrases and a trainer's example lines always stand: they are what the author
meant in this call. A model detection is placed in the sentence that carries it most, by the
n-gram model, so the debrief can quote the trainee's own words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from simulator.detect.learned.model import LearnedLayer
from simulator.detect.results import Evidence

TRUSTED_LAYERS = frozenset({"scenario", "example", "rule"})
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Policy:
    """How one behaviour's verdict is reached."""

    threshold: float = DEFAULT_THRESHOLD
    support: float = 0.0


def load_policies(folder: Path) -> dict[str, Policy]:
    """The per-behaviour policies written by training; a missing file means the defaults."""
    path = folder / "policy.json"
    if not path.exists():
        return {}
    return {b: Policy(**p) for b, p in json.loads(path.read_text(encoding="utf-8")).items()}


class Judge:
    """Combines rule and bank evidence with the learned layer's probabilities."""

    def __init__(self, layer: LearnedLayer, policies: dict[str, Policy]) -> None:
        self.layer = layer
        self.policies = policies

    def judge(self, text: str, found: list[Evidence], sentences: list[tuple[int, int]]) -> list[Evidence]:
        """The evidence that stands, the model's own detections added; `sentences` are (start, end) spans."""
        vector = self.layer.vector(text)
        probabilities = self.layer.probabilities(text, vector)
        by_behaviour = dict(zip(self.layer.behaviours, (float(p) for p in probabilities), strict=True))
        kept: list[Evidence] = []
        for evidence in found:
            probability = by_behaviour.get(evidence.behaviour)
            if probability is None:  # silence and anything the model does not judge
                kept.append(evidence)
                continue
            policy = self.policies.get(evidence.behaviour, Policy())
            if evidence.layer in TRUSTED_LAYERS or probability >= policy.support or probability >= policy.threshold:
                kept.append(replace(evidence, confidence=probability))
        shown = {e.behaviour for e in kept}
        for behaviour, probability in by_behaviour.items():
            policy = self.policies.get(behaviour, Policy())
            if behaviour in shown or probability < policy.threshold:
                continue
            start, end = self._where(text, behaviour, sentences)
            similar = tuple((s.text, s.similarity) for s in self.layer.similar(text, behaviour, vector))
            kept.append(Evidence(behaviour, text[start:end], "model", probability, policy.threshold, start, end,
                                 layer="model", confidence=probability, similar=similar))
        return kept

    def _where(self, text: str, behaviour: str, sentences: list[tuple[int, int]]) -> tuple[int, int]:
        """The sentence the n-gram model rates highest for the behaviour (the whole reply when it has one)."""
        spoken = [(s, e) for s, e in sentences if text[s:e].strip()]
        if len(spoken) <= 1:
            return (spoken[0] if spoken else (0, len(text)))
        index = self.layer.behaviours.index(behaviour)
        return max(spoken, key=lambda span: (self.layer.ngrams.probabilities(text[span[0]:span[1]])[index], -span[0]))
