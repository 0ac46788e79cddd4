"""Weights widened once per computer and memory-mapped: the same numbers as widening in memory, shared pages, and
no harm when the cache cannot be written."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.detect.learned.model import LearnedLayer
from simulator.detect.learned.widened import CACHE_DIR_ENV, widened


@pytest.fixture
def shipped(tmp_path):
    path = tmp_path / "shipped" / "layer.npy"
    path.parent.mkdir()
    np.save(path, np.random.default_rng(3).standard_normal((40, 7)).astype(np.float16))
    return path


def test_the_cached_array_is_exactly_the_array_widened_in_memory_and_is_mapped(shipped, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    first, again = widened(shipped), widened(shipped)
    expected = np.load(shipped).astype(np.float32)
    assert first.dtype == again.dtype == np.float32
    assert np.array_equal(first, expected) and np.array_equal(again, expected)
    assert isinstance(again, np.memmap) and not again.flags.writeable  # shared, read-only pages
    assert len(list((tmp_path / "cache" / "weights").glob("layer-*.npy"))) == 1


def test_new_weights_never_read_an_old_copy(shipped, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    widened(shipped)
    np.save(shipped, np.ones((3, 2), dtype=np.float16))
    assert np.array_equal(widened(shipped), np.ones((3, 2), dtype=np.float32))


def test_without_a_writable_cache_the_weights_are_widened_in_memory(shipped, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker))
    wide = widened(shipped)
    assert not isinstance(wide, np.memmap) and np.array_equal(wide, np.load(shipped).astype(np.float32))
    monkeypatch.setenv(CACHE_DIR_ENV, "off")
    assert not isinstance(widened(shipped), np.memmap)


def test_the_detector_scores_the_same_from_the_cache_as_from_memory(tmp_path, monkeypatch):
    replies = ["Dana, the 10,000 MCU-220s will not arrive on 3 March.", "It's the carrier's fault, not ours.",
               "I'm sorry. Will you forgive me?", "We can air-freight 2,000 units at our cost."]
    monkeypatch.setenv(CACHE_DIR_ENV, "off")
    in_memory = LearnedLayer()
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    LearnedLayer()  # the first one writes the cache
    mapped = LearnedLayer()
    assert isinstance(mapped.encoder._tensors["layer0_up_weight"], np.memmap)
    for reply in replies:
        assert np.array_equal(mapped.probabilities(reply), in_memory.probabilities(reply))
        assert np.array_equal(mapped.vector(reply), in_memory.vector(reply))
        for behaviour in ("states_the_news", "blames_others"):
            assert mapped.similar(reply, behaviour) == in_memory.similar(reply, behaviour)
