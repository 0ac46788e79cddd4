"""The n-gram layer: TF-IDF of word 1-2-grams and in-word character 2-5-grams, and a logistic regression per behaviour.

Features are built exactly as scikit-learn's TfidfVectorizer built them at training time (word
tokens of two or more word characters; character n-grams inside space-padded words; sublinear
term frequency; idf; each of the two blocks scaled to unit length), so the weights trained there
mean the same here. Also used on single sentences, to find where in a reply a behaviour sits.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt

_WORD = re.compile(r"(?u)\b\w\w+\b")
_SPACE = re.compile(r"\s\s+")


def word_ngrams(text: str, sizes: tuple[int, int]) -> list[str]:
    """Word n-grams as scikit-learn's 'word' analyzer makes them."""
    tokens = _WORD.findall(text.lower())
    low, high = sizes
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def char_ngrams(text: str, sizes: tuple[int, int]) -> list[str]:
    """Character n-grams inside space-padded words, as scikit-learn's 'char_wb' analyzer makes them."""
    text = _SPACE.sub(" ", text.lower())
    low, high = sizes
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:
                break
    return grams


class NgramModel:
    """Reply text in, one probability per behaviour out."""

    def __init__(self, folder: Path) -> None:
        spec = json.loads((folder / "ngrams.json").read_text(encoding="utf-8"))
        self.behaviours: list[str] = spec["behaviours"]
        self._blocks = [
            (block["kind"], tuple(block["sizes"]), {gram: i for i, gram in enumerate(block["vocabulary"])},
             np.asarray(block["idf"], dtype=np.float32))
            for block in spec["blocks"]
        ]
        self._offsets = np.cumsum([0] + [len(b[2]) for b in self._blocks])[:-1].tolist()
        self._names = [gram for block in spec["blocks"] for gram in block["vocabulary"]]
        # Features x behaviours, float16 as stored, memory-mapped: every process (each browser tab of a served class)
        # shares the file's pages, and only the rows of a reply's features are read and widened to float32.
        self._weights = np.load(folder / "ngram_weights.npy", mmap_mode="r")
        self._bias = np.asarray(spec["intercepts"], dtype=np.float32)

    def features(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The non-zero features of a text: column indexes and values."""
        columns: list[int] = []
        values: list[float] = []
        for (kind, sizes, vocabulary, idf), offset in zip(self._blocks, self._offsets, strict=True):
            grams = word_ngrams(text, sizes) if kind == "word" else char_ngrams(text, sizes)
            counts = Counter(g for g in grams if g in vocabulary)
            block = [(vocabulary[g], (1.0 + math.log(c)) * float(idf[vocabulary[g]])) for g, c in counts.items()]
            norm = math.sqrt(sum(v * v for _, v in block)) or 1.0
            columns += [offset + i for i, _ in block]
            values += [v / norm for _, v in block]
        return np.asarray(columns, dtype=np.int64), np.asarray(values, dtype=np.float32)

    def probabilities(self, text: str) -> npt.NDArray[np.float32]:
        """One probability per behaviour (in `self.behaviours` order)."""
        columns, values = self.features(text)
        logits = values @ self._weights[columns].astype(np.float32) + self._bias
        return 1.0 / (1.0 + np.exp(-logits))

    def contributions(self, text: str, behaviour: int, top: int = 3) -> list[tuple[str, float]]:
        """The n-grams that pushed a behaviour's score up the most in this text."""
        columns, values = self.features(text)
        weights = values * self._weights[columns, behaviour].astype(np.float32)
        order = np.argsort(-weights, kind="stable")[:top]
        return [(self._names[int(columns[i])].strip(), round(float(weights[i]), 3)) for i in order if weights[i] > 0]
