"""Does the buyer hear an answer to her follow-up question (one that asks no slot of the agenda: "And if October slips
as well?", "Will it be recorded?"), and notice a reply that leaves it untouched? On replies nobody here wrote.

`tests/data/follow_ups/questions.json` lists every follow-up question of the bundled scenarios and personas, with the
rep's brief and what the rep had just said. Two writers who saw only that file, each with a brief of their own voices,
wrote replies labelled `answer` (anything on her question, however poor), `put_off` (an honest "let me check") and
`dodge` (an apology, feeling for her, praise, thanks, another subject):

- `dev.jsonl` (texter, rambler, non-native): the rule was looked at and chosen on these lines;
- `held.jsonl` (site rep, corporate, junior, call-centre script): held out; only its figures are printed, never its
  lines (`--show` refuses it).

Each reply is read as in a call (`engine.call.leaves_follow_up`, `agenda.puts_off`, a question back): the detector
with the scenario's context, and the agenda's slots that the reply fills, with the news told and, for a question asked
after an option or a new date, that slot known too. Prints, per file: answers heard as answers, put-offs not taken as
dodges, dodges noticed. Figures only.

    python benchmarks/follow_up_answers.py [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.content.arc import default_arc  # noqa: E402
from simulator.content.loader import load_library  # noqa: E402
from simulator.detect import default_detector  # noqa: E402
from simulator.engine.agenda import NEWS, WHEN, build_agenda, puts_off  # noqa: E402
from simulator.engine.call import leaves_follow_up, question_in, reply_context  # noqa: E402

DATA = ROOT / "tests" / "data" / "follow_ups"
HELD = "held.jsonl"


def judged(row: dict, library, arc, detector, context: dict[str, str]) -> bool:
    """Whether the reply is taken as leaving her question unanswered (a dodge)."""
    source = row["source"]
    scenario = library.scenario(source) if source in library.scenarios else library.scenario("late-shipment")
    persona = library.persona(source) if source in library.personas else library.persona("calm")
    text = row["reply"]
    behaviours = frozenset(detector.detect(text, reply_context(scenario)).behaviours)
    if "stays_silent" in behaviours or puts_off(text):
        return False
    question = question_in(text)
    if question and "asks_forgiveness" not in behaviours:
        return False
    agenda = build_agenda(arc, scenario, persona)
    agenda.known.append(NEWS)
    trigger = context.get(row["question"], "")
    agenda.known.extend(slot for slot, mark in ((WHEN, "new date"), ("options", "offered")) if mark in trigger)
    newly = agenda.fill(text, behaviours)
    return leaves_follow_up(text, behaviours, row["question"], newly)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every dev reply the rule gets wrong")
    args = parser.parse_args()
    library, arc, detector = load_library(), default_arc(), default_detector()
    context = {q["question"]: q["context"] for q in json.loads((DATA / "questions.json").read_text(encoding="utf-8"))}
    for name in ("dev.jsonl", HELD):
        path = DATA / name
        if not path.exists():
            print(f"{name}: not there")
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        totals, right = Counter(), Counter()
        for row in rows:
            dodge = judged(row, library, arc, detector, context)
            label = row["label"]
            totals[label] += 1
            right[label] += dodge == (label == "dodge")
            if args.show and name != HELD and dodge != (label == "dodge"):
                print(f"  {'false dodge' if dodge else 'missed dodge'} [{row['source']}] {row['question'][:50]!r} "
                      f"<- {row['reply']!r}")
        print(f"{name}: answers heard {right['answer']}/{totals['answer']}, put-offs not dodges "
              f"{right['put_off']}/{totals['put_off']}, dodges noticed {right['dodge']}/{totals['dodge']}")


if __name__ == "__main__":
    main()
