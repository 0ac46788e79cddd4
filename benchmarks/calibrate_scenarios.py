"""How the score ranks coach-rated calls on every scenario and persona, and whether a textbook call is hung up on.

Run: python benchmarks/calibrate_scenarios.py [FILE.yaml ...]   (default: tests/data/rated_calls_3.yaml and _4)

Each rated call names its scenario; every call is replayed with each bundled persona. Prints Spearman's rho
per persona (all calls pooled, and per scenario) and every call the coach marked textbook that ends with the
buyer hanging up. The ratings were written without the scorer and are used to check it, never to tune it.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import yaml

from simulator.content.loader import load_library
from simulator.engine.script import play_script
from simulator.scoring.calibration import spearman
from simulator.scoring.rubric import score_call

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
DEFAULT = [DATA / "rated_calls_3.yaml", DATA / "rated_calls_4.yaml"]


def main(paths: list[Path]) -> int:
    library = load_library()
    calls = [call for path in paths for call in yaml.safe_load(path.read_text(encoding="utf-8"))]
    hung_up = []
    for persona in sorted(library.personas):
        ratings, scores = [], []
        per_scenario: dict[str, tuple[list[float], list[int]]] = defaultdict(lambda: ([], []))
        for call in calls:
            played = play_script(library.scenario(call["scenario"]), library.persona(persona), call["replies"])
            score = score_call(played).score
            ratings.append(float(call["rating"]))
            scores.append(score)
            per_scenario[call["scenario"]][0].append(float(call["rating"]))
            per_scenario[call["scenario"]][1].append(score)
            if call.get("textbook") and played.ended_by == "buyer hung up":
                hung_up.append(f"{call['id']} ({persona})")
        parts = ", ".join(f"{s} {spearman(r, x):.2f}" for s, (r, x) in sorted(per_scenario.items()))
        print(f"{persona:<8} rho {spearman(ratings, scores):.3f} over {len(calls)} calls   ({parts})")
    print(f"textbook calls hung up on: {len(hung_up)}" + (": " + ", ".join(hung_up) if hung_up else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main([Path(p) for p in sys.argv[1:]] or DEFAULT))
