"""Measure the detector against a labelled file: per-behaviour precision, recall, F1, and the misses.

A labelled file is a YAML list of `{text: str, labels: [ids]}`; `labels: []` means the reply
shows no behaviour. Unknown ids and malformed items are errors with path:line:column.
Macro-F1 averages over the behaviours that have support in the file; micro-F1 pools them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from simulator.catalogue import REPLY_IDS
from simulator.content.errors import ContentError, Problem
from simulator.detect.detector import Detector
from simulator.detect.yamlnodes import compose, problem_at, scalar_text


@dataclass(frozen=True)
class LabelledItem:
    """One reply and every behaviour it should show."""

    text: str
    labels: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class BehaviourScore:
    """Counts and scores for one behaviour."""

    behaviour: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def support(self) -> int:
        """How many items carry the label."""
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float:
        """Share of detections that were right (1.0 when nothing was detected and nothing expected)."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else (1.0 if self.support == 0 else 0.0)

    @property
    def recall(self) -> float:
        """Share of labels that were found (1.0 when none were expected)."""
        return self.true_positives / self.support if self.support else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Miss:
    """An item whose detected behaviours differ from its labels."""

    text: str
    expected: tuple[str, ...]
    got: tuple[str, ...]
    line: int = 0

    @property
    def missed(self) -> tuple[str, ...]:
        """Labels not found."""
        return tuple(b for b in self.expected if b not in self.got)

    @property
    def extra(self) -> tuple[str, ...]:
        """Behaviours found but not labelled."""
        return tuple(b for b in self.got if b not in self.expected)


@dataclass(frozen=True)
class EvalReport:
    """The whole measurement."""

    items: int
    scores: tuple[BehaviourScore, ...]
    micro_f1: float
    macro_f1: float
    misses: tuple[Miss, ...]


def load_labelled(path: Path) -> list[LabelledItem]:
    """Read a labelled YAML file; raises ContentError naming every bad item and unknown id."""
    path = Path(path)
    root, problems = compose(path)
    if root is None:
        raise ContentError(problems or [Problem(str(path), 1, 1, "the file is empty")])
    if not isinstance(root, yaml.SequenceNode):
        raise ContentError([problem_at(path, root, "expected a list of {text, labels} items")])
    items: list[LabelledItem] = []
    for node in root.value:
        item = _item(path, node, problems)
        if item is not None:
            items.append(item)
    if problems:
        raise ContentError(problems)
    return items


def _item(path: Path, node: yaml.Node, problems: list[Problem]) -> LabelledItem | None:
    if not isinstance(node, yaml.MappingNode):
        problems.append(problem_at(path, node, "expected an item with 'text' and 'labels'"))
        return None
    fields = {scalar_text(k): v for k, v in node.value}
    unknown = [k for k, _ in node.value if scalar_text(k) not in ("text", "labels")]
    for key in unknown:
        problems.append(problem_at(path, key, f"unknown key '{scalar_text(key)}' (allowed: text, labels)"))
    text_node, labels_node = fields.get("text"), fields.get("labels")
    text = scalar_text(text_node) if text_node is not None else None
    if text_node is not None and text_node.tag == "tag:yaml.org,2002:null":
        text = ""  # `text:` left empty is the silent reply
    if text is None:
        problems.append(problem_at(path, text_node or node, "missing 'text' (a string; '' for silence)"))
        return None
    if labels_node is None or not isinstance(labels_node, yaml.SequenceNode):
        problems.append(problem_at(path, labels_node or node, "'labels' must be a list of behaviour ids ([] for none)"))
        return None
    labels = []
    for label_node in labels_node.value:
        label = scalar_text(label_node)
        if label not in REPLY_IDS:
            problems.append(problem_at(path, label_node, f"unknown behaviour id '{label}'"))
        else:
            labels.append(label)
    return LabelledItem(text, tuple(labels), node.start_mark.line + 1)


def evaluate(items: Iterable[LabelledItem], detector: Detector) -> EvalReport:
    """Run the detector over every item and score it per behaviour."""
    counts = {b: [0, 0, 0] for b in REPLY_IDS}
    misses: list[Miss] = []
    total = 0
    for item in items:
        total += 1
        got = detector.detect(item.text).behaviours
        expected = set(item.labels)
        for behaviour in REPLY_IDS:
            if behaviour in got and behaviour in expected:
                counts[behaviour][0] += 1
            elif behaviour in got:
                counts[behaviour][1] += 1
            elif behaviour in expected:
                counts[behaviour][2] += 1
        if set(got) != expected:
            ordered = tuple(b for b in REPLY_IDS if b in expected)
            misses.append(Miss(item.text, ordered, tuple(got), item.line))
    scores = tuple(BehaviourScore(b, *counts[b]) for b in REPLY_IDS)
    tp = sum(s.true_positives for s in scores)
    fp = sum(s.false_positives for s in scores)
    fn = sum(s.false_negatives for s in scores)
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    supported = [s.f1 for s in scores if s.support > 0]
    macro = sum(supported) / len(supported) if supported else 1.0
    return EvalReport(total, scores, micro, macro, tuple(misses))


def eval_json(report: EvalReport) -> dict:
    """The report as plain data for `badnews eval --json`."""
    return {
        "items": report.items,
        "micro_f1": round(report.micro_f1, 4),
        "macro_f1": round(report.macro_f1, 4),
        "behaviours": {
            s.behaviour: {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "support": s.support,
                "true_positives": s.true_positives,
                "false_positives": s.false_positives,
                "false_negatives": s.false_negatives,
            }
            for s in report.scores
        },
        "misses": [
            {"text": m.text, "expected": list(m.expected), "got": list(m.got), "line": m.line} for m in report.misses
        ],
    }
