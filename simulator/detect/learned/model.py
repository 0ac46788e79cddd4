"""The learned layer: two models trained on the labelled corpus, averaged, and the labelled lines a reply resembles.

- the n-gram model (`ngrams.py`): words and spellings, fast, good on set phrases;
- the encoder (`encoder.py`, the first layers of MiniLM fine-tuned on the corpus): meaning, so a
  reply worded in a way nobody here wrote is still heard.

Each behaviour's probability is the mean of the two, rounded to 3 decimals before any threshold,
so the same reply gives the same verdict on any machine (float sums differ in the last bits
between CPUs; a rounded probability does not). The evidence of a learned verdict is its
probability and the two or three training lines most like the reply that carry the same label.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from simulator.detect.learned.encoder import Encoder
from simulator.detect.learned.ngrams import NgramModel
from simulator.detect.learned.widened import widened
from simulator.detect.learned.wordpiece import WordPiece

WEIGHTS = Path(__file__).with_name("weights")
# Probabilities are rounded to this many decimals before they meet a threshold.
DECIMALS = 3
# How many similar labelled lines a learned detection shows.
SIMILAR_SHOWN = 3


@dataclass(frozen=True)
class Similar:
    """A labelled line a reply resembles, and how closely (cosine of the sentence vectors)."""

    text: str
    similarity: float


class LearnedLayer:
    """Probabilities per behaviour for a reply, and the labelled lines it resembles."""

    def __init__(self, folder: Path = WEIGHTS, *, examples: bool = True) -> None:
        self.ngrams = NgramModel(folder)
        self.behaviours = self.ngrams.behaviours
        encoder_folder = folder / "encoder"
        self.encoder = Encoder(encoder_folder)
        vocabulary = (encoder_folder / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
        self.pieces = WordPiece(vocabulary)
        self._head = np.load(encoder_folder / "head_weight.npy")
        self._head_bias = np.load(encoder_folder / "head_bias.npy")
        self._examples: list[dict] = []
        self._vectors: npt.NDArray[np.float32] | None = None
        if examples and (folder / "examples.json").exists():
            self._examples = json.loads((folder / "examples.json").read_text(encoding="utf-8"))
            self._vectors = widened(folder / "example_vectors.npy", _unit_rows, name="unit-rows-float32")

    def vector(self, text: str) -> npt.NDArray[np.float32]:
        """The encoder's sentence vector of a text."""
        return self.vectors([text])[0]

    def vectors(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """The sentence vectors of several texts, encoded in one pass (a long reply's pieces): one batch through the
        encoder costs a fraction of as many single passes."""
        return self.encoder([self.pieces.encode(text, self.encoder.max_tokens) for text in texts])

    def probabilities(self, text: str, vector: npt.NDArray[np.float32] | None = None) -> npt.NDArray[np.float64]:
        """Per behaviour (`self.behaviours` order), the rounded mean of both models' probabilities."""
        vector = self.vector(text) if vector is None else vector
        encoder = 1.0 / (1.0 + np.exp(-(vector @ self._head + self._head_bias)))
        mean = (self.ngrams.probabilities(text).astype(np.float64) + encoder.astype(np.float64)) / 2.0
        return np.round(mean, DECIMALS)

    def similar(self, text: str, behaviour: str, vector: npt.NDArray[np.float32] | None = None) -> list[Similar]:
        """The labelled lines carrying `behaviour` that are most like `text`."""
        if self._vectors is None:
            return []
        query = self.vector(text) if vector is None else vector
        query = query / max(float(np.linalg.norm(query)), 1e-8)
        scores = self._vectors @ query
        order = np.argsort(-scores, kind="stable")
        found = []
        for index in order:
            example = self._examples[int(index)]
            if behaviour in example["labels"] and example["text"].strip() != text.strip():
                found.append(Similar(example["text"], round(float(scores[index]), 2)))
                if len(found) == SIMILAR_SHOWN:
                    break
        return found


def _unit_rows(vectors: npt.NDArray[np.generic]) -> npt.NDArray[np.float32]:
    """The example vectors widened to float32, each scaled to length 1 (a dot product is then a cosine)."""
    wide = vectors.astype(np.float32)
    return wide / np.maximum(np.linalg.norm(wide, axis=1, keepdims=True), 1e-8)
