"""The second labelling pass: training labels two blind labellers both overturned are changed, the rest kept.

    python tools/relabel.py            # print what would change
    python tools/relabel.py --apply    # change the labels in tests/data/corpus/train/*.yaml

Reads `tests/data/corpus/relabel/`: `suspects.json` (the training lines whose labels the shipped model
disagreed with on states_the_news, explains_cause or blames_others, with their file, index and original
labels), and the answers of two labellers who saw only the texts, `shared/behaviours.md`, `CONVENTIONS.md`
and `BRIEF.md` (`labeller_a.jsonl`, `labeller_b.jsonl`). A behaviour's label changes only where both
labellers agree with each other and not with the original; where they part ways, the writer's label stands.
The model only chose which lines were looked at again, never what they say. Training data only: the
honest split is never read. Only the `labels: [...]` line of each item is rewritten, so comments and scenes
stay as they are.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
PASS = CORPUS / "relabel"
BEHAVIOURS = ("states_the_news", "explains_cause", "blames_others")
LABELS = re.compile(r"^(\s*labels:\s*)\[(.*)\]\s*$")


def agreed_changes() -> dict[str, dict[int, dict[str, bool]]]:
    """file -> item index -> behaviour -> the label both labellers gave, where it differs from the original."""
    suspects = {item["id"]: item for item in json.loads((PASS / "suspects.json").read_text())["key"]}
    a, b = ({row["id"]: row for row in map(json.loads, (PASS / name).read_text().splitlines())}
            for name in ("labeller_a.jsonl", "labeller_b.jsonl"))
    changes: dict[str, dict[int, dict[str, bool]]] = defaultdict(lambda: defaultdict(dict))
    for line, item in suspects.items():
        for behaviour in BEHAVIOURS:
            said = a[line][behaviour]
            if said == b[line][behaviour] and said != (behaviour in item["labels"]):
                changes[item["file"]][item["index"]][behaviour] = said
    return changes


def apply(file: Path, changes: dict[int, dict[str, bool]]) -> None:
    """Rewrite the labels line of each changed item; the file reads back the same but for those labels."""
    before = yaml.safe_load(file.read_text(encoding="utf-8"))
    lines = file.read_text(encoding="utf-8").split("\n")
    starts = [n for n, line in enumerate(lines) if line.startswith("- text:")]
    if len(starts) != len(before):
        sys.exit(f"{file}: items do not each start with '- text:'; edit by hand")
    for index, change in changes.items():
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        at = next(n for n in range(starts[index], end) if lines[n].lstrip().startswith("labels:"))
        match = LABELS.match(lines[at])
        if match is None:
            sys.exit(f"{file}:{at + 1}: labels are not on one line; edit by hand")
        labels = [label.strip() for label in match.group(2).split(",") if label.strip()]
        for behaviour, shown in change.items():
            if shown and behaviour not in labels:
                labels.append(behaviour)
            elif not shown and behaviour in labels:
                labels.remove(behaviour)
        lines[at] = f"{match.group(1)}[{', '.join(labels)}]"
    file.write_text("\n".join(lines), encoding="utf-8")
    after = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert [item["text"] for item in after] == [item["text"] for item in before]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apply", action="store_true", help="change the training files (else only count)")
    args = parser.parse_args()
    changes = agreed_changes()
    counts: Counter[tuple[str, str]] = Counter()
    for per_item in changes.values():
        for change in per_item.values():
            counts.update((behaviour, "added" if shown else "removed") for behaviour, shown in change.items())
    for (behaviour, how), count in sorted(counts.items()):
        print(f"{behaviour:<16} {how:<8} {count}")
    print(f"{sum(len(items) for items in changes.values())} items in {len(changes)} files")
    if args.apply:
        for name, per_item in sorted(changes.items()):
            apply(CORPUS / "train" / name, per_item)


if __name__ == "__main__":
    main()
