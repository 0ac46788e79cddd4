"""How well the score ranks whole calls against a coach's ratings (Spearman's rank correlation)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.content.loader import Library
from simulator.engine.script import play_script
from simulator.scoring.rubric import score_call


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing the average of their places."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rho: the Pearson correlation of the ranks (0.0 when either side is constant)."""
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("need two equally long sequences of at least two values")
    rx, ry = ranks(xs), ranks(ys)
    mean_x, mean_y = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mean_x) * (b - mean_y) for a, b in zip(rx, ry, strict=False))
    var_x = sum((a - mean_x) ** 2 for a in rx)
    var_y = sum((b - mean_y) ** 2 for b in ry)
    return cov / (var_x * var_y) ** 0.5 if var_x and var_y else 0.0


@dataclass(frozen=True)
class RatedResult:
    """One rated call as the software scored it."""

    call_id: str
    rating: float
    score: int
    outcome: str


def replay_rated(library: Library, scenario_id: str, persona_id: str, calls: Sequence[dict]) -> list[RatedResult]:
    """Replay each rated call (`{id, rating, replies}`) and score it."""
    results = []
    scenario, persona = library.scenario(scenario_id), library.persona(persona_id)
    for item in calls:
        report = score_call(play_script(scenario, persona, item["replies"]))
        results.append(RatedResult(item["id"], float(item["rating"]), report.score, report.outcome))
    return results
