"""Agreement of two labellers on the same replies: per-behaviour F1 of one against the other, and the macro mean.

    python tools/agreement.py FIRST.json SECOND.yaml

FIRST is a JSON list of [register, text, labels] (the writers' labels of a sample), SECOND a YAML list
of {id, labels} from a second labeller who saw only the texts, behaviours.md and CONVENTIONS.md.
F1 is symmetric between the two labellers; behaviours neither labeller used in the sample are left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml


def agreement(first: list[set[str]], second: list[set[str]]) -> tuple[float, float, dict[str, float]]:
    """Macro-F1, micro-F1 and per-behaviour F1 of `second` measured against `first`."""
    ids = sorted(set().union(*first, *second))
    per: dict[str, float] = {}
    tp_all = fp_all = fn_all = 0
    for behaviour in ids:
        tp = sum(1 for a, b in zip(first, second, strict=True) if behaviour in a and behaviour in b)
        fp = sum(1 for a, b in zip(first, second, strict=True) if behaviour not in a and behaviour in b)
        fn = sum(1 for a, b in zip(first, second, strict=True) if behaviour in a and behaviour not in b)
        per[behaviour] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    micro = 2 * tp_all / (2 * tp_all + fp_all + fn_all) if tp_all + fp_all + fn_all else 1.0
    return sum(per.values()) / len(per), micro, per


def main(first_path: str, second_path: str) -> int:
    first = [set(labels) for _, _, labels in json.loads(Path(first_path).read_text())]
    by_id = {item["id"]: set(item["labels"] or []) for item in yaml.safe_load(Path(second_path).read_text())}
    second = [by_id[index] for index in range(len(first))]
    macro, micro, per = agreement(first, second)
    exact = sum(1 for a, b in zip(first, second, strict=True) if a == b)
    print(f"{len(first)} replies: macro-F1 {macro:.3f}, micro-F1 {micro:.3f}, identical label sets {exact}")
    for behaviour, f1 in sorted(per.items(), key=lambda kv: kv[1]):
        print(f"  {behaviour:<24} {f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]) if len(sys.argv) == 3 else 2)
