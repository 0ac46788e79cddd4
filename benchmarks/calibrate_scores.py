"""Spearman's rho between the score and a coach's ratings of whole calls, per persona.

Run: python benchmarks/calibrate_scores.py [tests/data/rated_calls.yaml] [-v]
With -v it prints every call: the coach's rating, the score, the outcome.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from simulator.content.loader import load_library
from simulator.scoring.calibration import replay_rated, spearman

DEFAULT_SET = Path(__file__).parents[1] / "tests" / "data" / "rated_calls.yaml"


def main(argv: list[str]) -> None:
    """Replay the rated set with every bundled persona and print the rank correlations."""
    verbose = "-v" in argv
    paths = [a for a in argv if a != "-v"]
    calls = yaml.safe_load(Path(paths[0] if paths else DEFAULT_SET).read_text(encoding="utf-8"))
    library = load_library()
    for persona in sorted(library.personas):
        results = replay_rated(library, "late-shipment", persona, calls)
        rho = spearman([r.rating for r in results], [r.score for r in results])
        print(f"{persona:<10} calls {len(results):>3}  spearman rho {rho:.3f}")
        if verbose:
            for r in sorted(results, key=lambda r: -r.rating):
                print(f"    rating {r.rating:5.0f}  score {r.score:4d}  {r.outcome:<9} {r.call_id}")


if __name__ == "__main__":
    main(sys.argv[1:])
