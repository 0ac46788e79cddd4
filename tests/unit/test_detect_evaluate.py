"""`badnews eval` scores the detector per behaviour against a labelled file and lists what it got wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.content.errors import ContentError
from simulator.detect import phrase_detector
from simulator.detect.evaluate import (
    LabelledItem,
    eval_json,
    evaluate,
    load_labelled,
)
from simulator.render.tables import eval_table


def test_scores_count_hits_false_alarms_and_misses() -> None:
    items = [
        LabelledItem("I'm sorry.", ("apologizes",)),
        LabelledItem("I'm sorry, it's late.", ("apologizes",)),
        LabelledItem("hello", ("owns_it",)),
    ]
    report = evaluate(items, phrase_detector())
    scores = {s.behaviour: s for s in report.scores}
    assert (scores["apologizes"].true_positives, scores["apologizes"].support) == (2, 2)
    assert scores["states_the_news"].false_positives == 1
    assert scores["owns_it"].false_negatives == 1 and scores["owns_it"].f1 == 0.0
    assert report.macro_f1 == pytest.approx((1.0 + 0.0) / 2)
    assert len(report.misses) == 2


def test_format_and_json_show_the_same_figures() -> None:
    report = evaluate([LabelledItem("I'm sorry.", ("apologizes", "owns_it"))], phrase_detector())
    text = eval_table(report)
    data = eval_json(report)
    assert "macro-F1 0.500" in text and "missed: owns_it" in text
    assert data["macro_f1"] == 0.5 and data["behaviours"]["apologizes"]["f1"] == 1.0


def test_load_labelled_reads_text_and_labels(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text("- text: \"I'm sorry\"\n  labels: [apologizes]\n- text: ''\n  labels: [stays_silent]\n")
    items = load_labelled(path)
    assert [(i.text, i.labels, i.line) for i in items] == [
        ("I'm sorry", ("apologizes",), 1),
        ("", ("stays_silent",), 3),
    ]


def test_unknown_labels_are_errors_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text("- text: hi\n  labels: [apologises, owns_it]\n- text: x\n")
    with pytest.raises(ContentError) as caught:
        load_labelled(path)
    messages = [str(p) for p in caught.value.problems]
    assert f"{path}:2:12: error: unknown behaviour id 'apologises'" in messages
    assert any(":3:3: error: 'labels' must be a list" in m for m in messages)
