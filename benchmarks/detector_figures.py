"""The detector's figures on the corpus: the frozen honest split and the training part, per register.

    python benchmarks/detector_figures.py [honest|train]

Prints figures only, never a reply: the honest split is read by this script, not by a person, so
whoever changes the detector learns its figure and nothing else (tests/data/corpus/honest/README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.detect import default_detector
from simulator.detect.evaluate import evaluate, load_labelled

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"


def main(split: str) -> int:
    detector = default_detector()
    everything = []
    print(f"{split} split")
    for path in sorted((CORPUS / split).glob("*.yaml")):
        items = load_labelled(path)
        everything += items
        report = evaluate(items, detector)
        print(f"  {path.stem:<28} {len(items):>5} replies  macro-F1 {report.macro_f1:.3f}  micro-F1 {report.micro_f1:.3f}")
    report = evaluate(everything, detector)
    print(f"all {report.items} replies: macro-F1 {report.macro_f1:.3f}, micro-F1 {report.micro_f1:.3f}")
    for score in sorted(report.scores, key=lambda s: s.f1):
        print(f"  {score.behaviour:<24} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}  n {score.support}")
    return 0


if __name__ == "__main__":
    split = sys.argv[1] if len(sys.argv) > 1 else "honest"
    if split not in ("honest", "train"):
        sys.exit(__doc__)
    sys.exit(main(split))
