"""A reply longer than the lines the model learned from is also read in pieces (detect/detector.py
`_read_in_pieces`): over a whole 50-word reply the model's reading of each thing said thinned out and vetoed the
phrases that had found them. Play-testers' long replies lost their apologies, credits and promises to call."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import simulator.detect.detector as detector_module
from simulator.catalogue import REPLY_IDS
from simulator.detect import default_detector

PLAYTEST = Path(__file__).resolve().parents[1] / "data" / "playtest_replies.jsonl"

CLAUSES = {
    "apologizes": "and honestly I'm really sorry about this",
    "compensates": "we'll put a ten percent credit on your next invoice for the trouble",
    "prevents_recurrence": "we've added a second supplier so this can't happen to you again",
    "keeps_informed": "I'll call you every Monday with an update until it's all delivered",
}
FILLER = "look I know it's a lot to take in on a Tuesday morning"


def test_each_clause_alone_is_read_as_its_behaviour():
    detector = default_detector()
    for behaviour, clause in CLAUSES.items():
        assert detector.detect(clause).has(behaviour), clause


def test_a_long_run_on_reply_keeps_what_each_of_its_clauses_says():
    reply = f"{FILLER}, " + ", ".join(CLAUSES.values()) + f", {FILLER}"
    assert len(reply.split()) >= detector_module.LONG_REPLY_WORDS
    found = default_detector().detect(reply)
    missing = [b for b in CLAUSES if not found.has(b)]
    assert not missing, (missing, found.behaviours)
    for evidence in found.evidence:  # quoted from the reply as typed, where it stands
        assert reply[evidence.start : evidence.end] == evidence.clause


def test_a_reply_shorter_than_the_model_lines_is_read_whole_only(monkeypatch):
    reply = "I'm really sorry, Dana, we'll put a ten percent credit on your next invoice for the trouble."
    assert len(reply.split()) < detector_module.LONG_REPLY_WORDS
    read = default_detector().detect(reply)
    monkeypatch.setattr(detector_module, "LONG_REPLY_WORDS", 10**9)
    assert default_detector().detect(reply) == read


def _macro_f1(gold: dict[str, set[str]], found: dict[str, set[str]]) -> float:
    tp, fp, fn = Counter(), Counter(), Counter()
    for key, labels in gold.items():
        tp.update(labels & found[key])
        fp.update(found[key] - labels)
        fn.update(labels - found[key])
    scores = []
    for behaviour in REPLY_IDS:
        if tp[behaviour] + fn[behaviour] < 3:
            continue
        precision = tp[behaviour] / (tp[behaviour] + fp[behaviour]) if tp[behaviour] + fp[behaviour] else 0.0
        recall = tp[behaviour] / (tp[behaviour] + fn[behaviour])
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def test_on_blind_labelled_play_tested_replies_the_pieces_read_better_than_the_whole(monkeypatch):
    """214 long replies (51 words on average) from three play-testers, labelled by two people who saw neither the
    detector nor each other's labels. The pieces were chosen on these replies, so this guards, it does not measure:
    the honest split is the measure (docs/detector.md)."""
    rows = [json.loads(line) for line in PLAYTEST.read_text(encoding="utf-8").splitlines()]
    detector = default_detector()
    pieces = {row["id"]: set(detector.detect(row["text"]).behaviours) for row in rows}
    monkeypatch.setattr(detector_module, "LONG_REPLY_WORDS", 10**9)
    whole = {row["id"]: set(detector.detect(row["text"]).behaviours) for row in rows}
    for labeller in ("labeller_a", "labeller_b"):
        gold = {row["id"]: set(row[labeller]) for row in rows}
        assert _macro_f1(gold, pieces) >= _macro_f1(gold, whole) + 0.03, labeller
