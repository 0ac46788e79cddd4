"""The phrase layer: the detector meets its targets on the labelled dev set (written by another engineer, never edited here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.detect import phrase_detector
from simulator.detect.evaluate import evaluate, load_labelled

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "detector_dev.yaml"
MACRO_F1_TARGET = 0.90
FLOOR_F1 = 0.80
KEY_BEHAVIOURS = ("states_the_news", "offers_options", "blames_others", "apologizes", "stays_silent", "asks_forgiveness")
KEY_F1 = 0.95


@pytest.fixture(scope="module")
def report():
    if not DEV_SET.exists():
        pytest.skip("the labelled dev set is not in this checkout")
    return evaluate(load_labelled(DEV_SET), phrase_detector())


def test_macro_f1_reaches_the_target(report) -> None:
    assert report.macro_f1 >= MACRO_F1_TARGET


def test_no_behaviour_falls_under_the_floor(report) -> None:
    low = {s.behaviour: round(s.f1, 3) for s in report.scores if s.support and s.f1 < FLOOR_F1}
    assert low == {}


def test_the_key_behaviours_reach_their_higher_bar(report) -> None:
    scores = {s.behaviour: s.f1 for s in report.scores}
    assert {b: round(scores[b], 3) for b in KEY_BEHAVIOURS if scores[b] < KEY_F1} == {}
