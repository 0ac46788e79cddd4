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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from simulator.detect.learned.model import LearnedLayer
from simulator.detect.results import Evidence

TRUSTED_LAYERS = frozenset({"scenario", "example", "rule"})
QUESTIONS_ALONE = frozenset({"asks_forgiveness"})
DEFAULT_THRESHOLD = 0.5
# How close in meaning (cosine of the encoder's sentence vectors) a reply must be to a trainer's example line.
EXAMPLE_SIMILARITY = 0.85
# ... and to one of the scenario's own tips: the first step above the closest two tips of different behaviours in one
# bundled scenario (0.912: backorder-demo-unit's specifics and news), so that saying one tip is not another's.
TIP_SIMILARITY = 0.92
EXAMPLE_CACHE = 2000


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
        self._example_vectors: dict[str, np.ndarray] = {}

    def judge(
        self,
        text: str,
        found: list[Evidence],
        sentences: list[tuple[int, int]],
        examples: Mapping[str, Sequence[str]] | None = None,
        vector: np.ndarray | None = None,
    ) -> list[Evidence]:
        """The evidence that stands, the model's and the trainer's examples' detections added.

        `sentences` are the (start, end) spans of the reply's sentences.
        """
        vector = self.layer.vector(text) if vector is None else vector  # given when encoded in a batch
        found = [*found, *self._like_examples(text, vector, examples or {})]
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
                continue
            # Asking forgiveness, the bank matched, in a question inside a long reply, is judged on its own: the model
            # weighs the whole reply at once, and a plan before it drowned the question ("... I'll call you Friday.
            # Will you forgive me?"). Only for this behaviour: on held-out training scenes it changed nothing, while
            # judging every question alone cost asks_about_impact and offers_options 0.01 F1 each.
            alone = self._question_alone(text, evidence) if evidence.behaviour in QUESTIONS_ALONE else None
            if alone is not None and alone >= policy.support:
                kept.append(replace(evidence, confidence=alone))
        shown = {e.behaviour for e in kept}
        per_sentence: dict[tuple[int, int], np.ndarray] = {}
        for behaviour, probability in by_behaviour.items():
            policy = self.policies.get(behaviour, Policy())
            if behaviour in shown or probability < policy.threshold:
                continue
            start, end = self._where(text, behaviour, sentences, per_sentence)
            similar = tuple((s.text, s.similarity) for s in self.layer.similar(text, behaviour, vector))
            kept.append(Evidence(behaviour, text[start:end], "model", probability, policy.threshold, start, end,
                                 layer="model", confidence=probability, similar=similar))
        return kept

    def _question_alone(self, text: str, evidence: Evidence) -> float | None:
        """The model's probability for the behaviour on the matched clause alone, when that clause is a question
        and not the whole reply; None otherwise."""
        clause = text[evidence.start : evidence.end]
        if not clause.rstrip().endswith("?") or not (text[: evidence.start].strip() or text[evidence.end :].strip()):
            return None
        probabilities = self.layer.probabilities(clause)
        return float(probabilities[self.layer.behaviours.index(evidence.behaviour)])

    def like_tips(self, text: str, vector: np.ndarray, tips: Mapping[str, Sequence[str]]) -> list[Evidence]:
        """A behaviour for each of the scenario's own tips the reply is nearly (TIP_SIMILARITY)."""
        return self._like_examples(text, vector, tips, TIP_SIMILARITY, "like the scenario's own try")

    def _like_examples(
        self, text: str, vector: np.ndarray, examples: Mapping[str, Sequence[str]],
        minimum: float = EXAMPLE_SIMILARITY, label: str = "like the example",
    ) -> list[Evidence]:
        """A behaviour for each trainer's example line (or scenario tip) the reply is close to in meaning."""
        found = []
        query = vector / max(float(np.linalg.norm(vector)), 1e-8)
        for behaviour, lines in examples.items():
            best: tuple[float, str] | None = None
            for line in lines:
                other = self._example_vector(line)
                similarity = round(float(other @ query), 2)
                if similarity >= minimum and (best is None or similarity > best[0]):
                    best = (similarity, line)
            if best is not None:
                found.append(Evidence(behaviour, text, f"{label}: {best[1]}", best[0], minimum,
                                      0, len(text), layer="example", similar=((best[1], best[0]),)))
        return found

    def _example_vector(self, line: str) -> np.ndarray:
        cached = self._example_vectors.get(line)
        if cached is None:
            cached = self.layer.vector(line)
            cached = cached / max(float(np.linalg.norm(cached)), 1e-8)
            if len(self._example_vectors) >= EXAMPLE_CACHE:
                self._example_vectors.clear()
            self._example_vectors[line] = cached
        return cached

    def _where(
        self,
        text: str,
        behaviour: str,
        sentences: list[tuple[int, int]],
        per_sentence: dict[tuple[int, int], np.ndarray],
    ) -> tuple[int, int]:
        """The sentence the n-gram model rates highest for the behaviour (the whole reply when it has one)."""
        spoken = [(s, e) for s, e in sentences if text[s:e].strip()]
        if len(spoken) <= 1:
            return spoken[0] if spoken else (0, len(text))
        index = self.layer.behaviours.index(behaviour)
        for span in spoken:
            if span not in per_sentence:
                per_sentence[span] = self.layer.ngrams.probabilities(text[span[0] : span[1]])
        return max(spoken, key=lambda span: (float(per_sentence[span][index]), -span[0]))
