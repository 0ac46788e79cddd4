"""A small BERT encoder (the first layers of MiniLM, fine-tuned on the corpus) run with numpy alone.

Weights live in one `.npy` per tensor under `weights/encoder/`, loaded memory-mapped, so the word
embeddings (the largest part) are shared by every process that reads them and only the rows of
the words actually seen are paged in. The layer matrices are held in float32 once loaded.
Every scalar is a Python float: a numpy float64 scalar would silently turn the float32 arrays
into float64 (and the encoder three times slower).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

from simulator.detect.learned.widened import widened

Array = npt.NDArray[np.float32]


def _layer_norm(x: Array, gain: Array, bias: Array) -> Array:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(variance + 1e-12) * gain + bias


def _gelu(x: Array) -> Array:
    """GELU (tanh form), in place on a fresh array."""
    inner = x * x
    inner *= 0.044715
    inner += 1.0
    inner *= x
    inner *= 0.7978845608028654
    np.tanh(inner, out=inner)
    inner += 1.0
    inner *= x
    inner *= 0.5
    return inner


class Encoder:
    """Token ids in, one mean-pooled sentence vector per row out."""

    def __init__(self, folder: Path) -> None:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads: int = config["heads"]
        self.layers: int = config["layers"]
        self.max_tokens: int = config["max_tokens"]

        def load(name: str, mmap: bool = False) -> np.ndarray:
            return np.load(folder / f"{name}.npy", mmap_mode="r" if mmap else None)

        self._words = load("word_embeddings", mmap=True)  # int8, one row per token
        self._word_scales = load("word_scales").astype(np.float32)
        # float16 as shipped, float32 as used: widened once per computer and memory-mapped (see widened.py).
        self._tensors = {
            name.stem: widened(name)
            for name in sorted(folder.glob("*.npy"))
            if name.stem not in ("word_embeddings", "word_scales")
        }

    def __call__(self, batch: list[list[int]]) -> Array:
        """Sentence vectors for a batch of token-id lists (each with [CLS] and [SEP])."""
        w = self._tensors
        rows, length = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((rows, length), dtype=np.int64)
        mask = np.zeros((rows, length), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        x = self._words[ids].astype(np.float32) * self._word_scales[ids][..., None]
        x += w["position_embeddings"][:length] + w["type_embedding"]
        x = _layer_norm(x, w["embeddings_ln_gain"], w["embeddings_ln_bias"])
        width = x.shape[-1]
        head = width // self.heads
        scale = float(head**-0.5)
        blocked = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(self.layers):
            p = f"layer{layer}_"
            flat = x.reshape(rows * length, width)
            qkv = (flat @ w[p + "qkv_weight"] + w[p + "qkv_bias"]).reshape(rows, length, 3, self.heads, head)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            attention = (q @ k) * scale + blocked
            attention = np.exp(attention - attention.max(-1, keepdims=True))
            attention /= attention.sum(-1, keepdims=True)
            mixed = (attention @ v).transpose(0, 2, 1, 3).reshape(rows * length, width)
            out = (mixed @ w[p + "out_weight"] + w[p + "out_bias"]).reshape(rows, length, width)
            x = _layer_norm(x + out, w[p + "ln1_gain"], w[p + "ln1_bias"])
            hidden = _gelu(x.reshape(rows * length, width) @ w[p + "up_weight"] + w[p + "up_bias"])
            down = (hidden @ w[p + "down_weight"] + w[p + "down_bias"]).reshape(rows, length, width)
            x = _layer_norm(x + down, w[p + "ln2_gain"], w[p + "ln2_bias"])
        weights = mask[:, :, None]
        return (x * weights).sum(1) / np.maximum(weights.sum(1), 1.0)
