"""The score ranks whole calls the way a coach does: Spearman's rho against independent coach ratings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.content.loader import load_library
from simulator.scoring.calibration import ranks, replay_rated, spearman

DATA = Path(__file__).parents[1] / "data"
RATED = yaml.safe_load((DATA / "rated_calls.yaml").read_text(encoding="utf-8"))
# A second coach's set, in other voices and with silence written in several ways.
RATED_2 = yaml.safe_load((DATA / "rated_calls_2.yaml").read_text(encoding="utf-8"))
# The bar an independent, coach-rated set must clear (issue 2); ours must clear it too.
REQUIRED_RHO = 0.8


def test_ranks_share_places_on_ties():
    assert ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]


def test_spearman_is_one_for_the_same_order_and_minus_one_for_the_reverse():
    assert spearman([1, 2, 3, 4], [10, 20, 35, 90]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [9, 7, 5, 1]) == pytest.approx(-1.0)


def test_the_rated_set_spans_textbook_to_disaster():
    ratings = [call["rating"] for call in RATED]
    assert len(RATED) >= 30 and min(ratings) <= 10 and max(ratings) >= 90


@pytest.mark.parametrize("rated", [RATED, RATED_2], ids=["coach-1", "coach-2"])
@pytest.mark.parametrize("persona", ["calm", "angry"])
def test_scores_rank_the_rated_calls_like_the_coach(persona, rated):
    results = replay_rated(load_library(), "late-shipment", persona, rated)
    rho = spearman([r.rating for r in results], [r.score for r in results])
    assert rho >= REQUIRED_RHO, f"{persona}: rho {rho:.3f}"


# Two more coaches, sixty calls on the five other scenarios, each call naming its scenario (issue 10).
RATED_ELSEWHERE = [
    call for name in ("rated_calls_3.yaml", "rated_calls_4.yaml")
    for call in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
]
# The bar the checks outside this repo set for every persona on several scenarios.
REQUIRED_RHO_ELSEWHERE = 0.85


@pytest.fixture(scope="module")
def replayed_elsewhere(library, played_script):
    """Every call of the other scenarios replayed with every persona: (call, persona, played call, score)."""
    from simulator.scoring.rubric import score_call

    out = []
    for persona in sorted(library.personas):
        for call in RATED_ELSEWHERE:
            played = played_script(call["scenario"], persona, call["replies"])
            out.append((call, persona, played, score_call(played).score))
    return out


def test_the_other_scenarios_are_rated_by_other_coaches_across_the_range():
    assert {call["scenario"] for call in RATED_ELSEWHERE} >= {
        "quote-missing-costs", "missed-training", "manufacturing-delay", "backorder-demo-unit", "price-increase"}
    ratings = [call["rating"] for call in RATED_ELSEWHERE]
    assert len(ratings) >= 60 and min(ratings) <= 10 and max(ratings) >= 90


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_scores_rank_the_other_scenarios_calls_like_the_coaches(replayed_elsewhere, persona):
    mine = [(call["rating"], score) for call, who, _, score in replayed_elsewhere if who == persona]
    rho = spearman([r for r, _ in mine], [s for _, s in mine])
    assert rho >= REQUIRED_RHO_ELSEWHERE, f"{persona}: rho {rho:.3f}"


def test_no_call_a_coach_marked_textbook_is_hung_up_on(replayed_elsewhere):
    textbook = [(call["id"], who) for call, who, played, _ in replayed_elsewhere
                if call.get("textbook") and played.ended_by == "buyer hung up"]
    assert sum(1 for call, *_ in replayed_elsewhere if call.get("textbook")) >= 9
    assert textbook == []
