"""How well the buyer hears an answer to the question she just asked (engine/agenda.py), on replies nobody here wrote.

`tests/data/slot_answers/lines.jsonl`: 120 replies written by a helper who saw only each bundled scenario's brief
and its own agenda question (the brief is beside it): per scenario, 6 answers in different voices and 4 non-answers
(an apology, a change of subject, a stall, a question back, or feeling for her). The rule was chosen on these lines,
so the figures are a development measure, not a held-out one. Prints, for the rule now and for the phrases alone
(before): answers heard, and non-answers taken as answers. Figures only.

    python benchmarks/slot_answers.py [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.content.arc import default_arc  # noqa: E402
from simulator.content.loader import load_library  # noqa: E402
from simulator.content.offers import says  # noqa: E402
from simulator.detect import default_detector  # noqa: E402
from simulator.engine.agenda import build_agenda  # noqa: E402

LINES = ROOT / "tests" / "data" / "slot_answers" / "lines.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every reply the rule gets wrong")
    args = parser.parse_args()
    library, arc, detector = load_library(), default_arc(), default_detector()
    rows = [json.loads(line) for line in LINES.read_text(encoding="utf-8").splitlines() if line.strip()]
    now = {"heard": 0, "taken": 0}
    before = {"heard": 0, "taken": 0}
    answers = sum(row["answers"] for row in rows)
    for row in rows:
        agenda = build_agenda(arc, library.scenario(row["scenario"]), library.persona("calm"))
        slot = agenda.slot(row["slot"])
        assert slot is not None, row
        behaviours = frozenset(detector.detect(row["reply"]).behaviours)
        old = bool(slot.filled_by & behaviours) or any(says(row["reply"], words) for words in (*slot.facts, *slot.phrases))
        new = row["slot"] in agenda.fill(row["reply"], behaviours, asked=(row["slot"],), question=row["question"])
        key = "heard" if row["answers"] else "taken"
        now[key] += new
        before[key] += old
        if args.show and new != row["answers"]:
            print(f"{'missed' if row['answers'] else 'taken '}  {row['scenario']}/{row['slot']}: {row['reply']}")
    others = len(rows) - answers
    for name, counts in (("now", now), ("phrases alone (before)", before)):
        print(f"{name:<24} answers heard {counts['heard']}/{answers} ({counts['heard'] / answers:.0%}), "
              f"non-answers taken as answers {counts['taken']}/{others} ({counts['taken'] / others:.0%})")


if __name__ == "__main__":
    main()
