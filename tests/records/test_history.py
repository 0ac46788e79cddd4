"""The history shows each call and, from the ended ones, per-scenario scores and trend, weak spots and the next drill."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from simulator.content.loader import Library
from simulator.records.history import (
    BehaviourStats,
    history_summary,
    next_drill,
    sparkline,
    summarise,
)
from simulator.records.store import CallRecord
from simulator.render.tables import history_text
from simulator.scoring.result import CallResult

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, play_into


def test_only_ended_calls_count_but_every_call_is_listed_newest_first(store, library):
    finished = play_into(store, library, GOOD_REPLIES).call_id
    in_progress = play_into(store, library, GOOD_REPLIES[:2], end=False).call_id
    abandoned = play_into(store, library, GOOD_REPLIES[:1], end=False)
    abandoned.abandon()
    summary = history_summary(store)
    assert [c.id for c in summary.calls] == [abandoned.call_id, in_progress, finished]
    assert summary.ended == 1
    (stats,) = summary.scenarios
    assert stats.calls == 1 and stats.scores == (store.get(finished).score,)


def test_per_scenario_best_average_and_scores_in_the_order_played(store, library):
    scores = []
    for replies in (BLAMING_REPLIES, GOOD_REPLIES, GOOD_REPLIES[:1]):
        scores.append(store.get(play_into(store, library, replies).call_id).score)
    play_into(store, library, GOOD_REPLIES, scenario="missed-training")
    summary = history_summary(store)
    late = next(s for s in summary.scenarios if s.scenario == "late-shipment")
    assert late.scores == tuple(scores)
    assert late.best == max(scores) and late.average == pytest.approx(sum(scores) / 3)
    assert late.change == scores[-1] - scores[0]
    assert late.title.startswith("Typhoon")
    assert summary.scenarios[0] is late  # the most played scenario comes first


def test_a_trainee_who_keeps_blaming_has_blames_others_as_a_weak_spot(store, library):
    for seed in range(3):
        play_into(store, library, BLAMING_REPLIES, seed=seed)
    play_into(store, library, GOOD_REPLIES)
    summary = history_summary(store)
    assert "blames_others" in [s.behaviour for s in summary.weak_spots]
    assert len(summary.weak_spots) <= 3 and all(s.points_lost >= 1.0 for s in summary.weak_spots)
    blames = next(b for b in summary.behaviours if b.behaviour == "blames_others")
    assert (blames.calls, blames.hits, blames.misses) == (4, 3, 3)
    assert blames.describe() == "committed in 3 of 4 calls"


def test_history_can_be_one_trainees(store, library):
    play_into(store, library, GOOD_REPLIES, trainee="ana")
    play_into(store, library, BLAMING_REPLIES, trainee="ben")
    assert [c.trainee for c in history_summary(store, trainee="ben").calls] == ["ben"]


def test_points_lost_are_the_missed_share_of_good_lines_and_the_penalties_of_bad_ones():
    """A result saved before `available` and `lost` were kept derives them from the weights when it is read."""
    head = {"scenario": "s", "persona": "p", "seed": 0, "score": 50, "grade": "F", "passed": False, "pass_mark": 70,
            "outcome": "lost", "transcript": []}
    snapshot = {**head, "behaviours": {
        "states_the_news": {"hit": True, "points": 50.0, "weight": 10},
        "offers_options": {"hit": False, "points": 0.0, "weight": 10},
        "blames_others": {"hit": True, "points": -30.0, "weight": 12},
        "stays_silent": {"hit": True, "points": 0.0, "weight": 0},  # weighs nothing: not scored
        "not_a_behaviour": {"hit": True, "points": 1.0, "weight": 1},
    }}
    assert CallResult.model_validate(snapshot).losses() == {
        "states_the_news": (True, 0.0),
        "offers_options": (False, 50.0),
        "blames_others": (True, 30.0),
    }
    assert CallResult.model_validate({**head, "behaviours": {}}).losses() == {}


def test_the_trend_chart_uses_a_fixed_0_to_100_scale():
    assert sparkline([0, 50, 100]) == "▁▅█"
    assert sparkline([100, 100]) == "██"  # a flat top is not stretched to look like progress


def small_library(library) -> Library:
    """Two copies of late-shipment: 'light' hardly weighs blaming, 'heavy' weighs it most."""
    base = library.scenario("late-shipment")
    def copy(scenario_id: str, weight: float):
        scoring = base.scoring.model_copy(update={"weights": {"blames_others": weight}})
        return base.model_copy(update={"id": scenario_id, "scoring": scoring, "default_persona": "calm"})
    return Library(
        scenarios={"light": copy("light", 2), "heavy": copy("heavy", 40)},
        personas={p: library.persona(p) for p in ("calm", "angry", "numbers")},
    )


def record(scenario: str, persona: str, passed: bool, minute: int = 0) -> CallRecord:
    when = datetime(2025, 3, 1, 9, minute, tzinfo=UTC)
    return CallRecord(
        id=minute, uid=f"u{minute}", trainee="ana", scenario=scenario, scenario_title=scenario, persona=persona,
        persona_name=persona, seed=0, choices={}, replies=(), status="finished", outcome="strained", ended_by="",
        score=80 if passed else 40, grade="B" if passed else "F", passed=passed, pass_mark=70,
        started_at=when, updated_at=when, snapshot=None,
    )


BLAMING = BehaviourStats("blames_others", good=False, calls=3, hits=2, points_lost=9.5)


def test_the_next_drill_is_the_scenario_that_weighs_the_weakest_spot_most(library):
    drill = next_drill([record("light", "calm", passed=False)], [BLAMING], small_library(library))
    assert (drill.scenario, drill.persona, drill.behaviour) == ("heavy", "calm", "blames_others")
    assert "committed in 2 of 3 calls" in drill.reason and "Try:" in drill.reason


def test_once_the_scenario_is_passed_with_its_buyer_the_next_drill_brings_a_hotter_one(library):
    ended = [record("heavy", "calm", passed=True, minute=1)]
    drill = next_drill(ended, [BLAMING], small_library(library))
    assert (drill.scenario, drill.persona) == ("heavy", "angry")


def test_a_first_call_is_the_easiest_scenario(library):
    drill = summarise([], library).next_drill
    assert library.scenario(drill.scenario).difficulty == "easy" and drill.behaviour is None


def test_without_content_files_the_next_drill_is_the_played_scenario_where_the_weak_spot_cost_most(store, library):
    play_into(store, library, GOOD_REPLIES, scenario="missed-training")
    play_into(store, library, BLAMING_REPLIES)
    summary = history_summary(store)
    assert summary.next_drill.behaviour == summary.weak_spots[0].behaviour
    assert summary.next_drill.scenario in {"late-shipment", "missed-training"}


def test_the_text_history_shows_dates_scores_outcomes_and_how_to_go_on(store, library):
    play_into(store, library, GOOD_REPLIES)
    unfinished = play_into(store, library, GOOD_REPLIES[:2], end=False).call_id
    text = history_text(history_summary(store, library))
    assert "2 call(s), 1 ended" in text
    # The mode column leaves the outcome less room: the hint may wrap onto the next line of its cell.
    assert f"in progress: badnews resume {unfinished}" in " ".join(text.split())
    assert "Per scenario" in text and "late-shipment" in text
    assert "Next drill" in text and "badnews play " in text


def test_history_json_has_calls_scenarios_behaviours_weak_spots_and_next_drill(store, library):
    play_into(store, library, BLAMING_REPLIES)
    data = history_summary(store, library).to_json()
    assert set(data) == {"calls", "scenarios", "behaviours", "weak_spots", "next_drill"}
    assert {"id", "started_at", "scenario", "persona", "score", "outcome", "status"} <= set(data["calls"][0])
    assert {"best", "average", "scores"} <= set(data["scenarios"][0])


def test_a_hand_edited_score_that_is_not_a_number_skips_that_call_with_a_problem_naming_it(store, library):
    import sqlite3

    good = play_into(store, library, GOOD_REPLIES).call_id
    bad = play_into(store, library, BLAMING_REPLIES).call_id
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE calls SET score = 'abc' WHERE id = ?", (bad,))
    summary = history_summary(store, library)
    assert [c.id for c in summary.calls] == [good]
    assert summary.problems == (f"call {bad} in {store.path}: score 'abc' is not a whole number; skipped",)
    assert history_text(summary)  # the rest is shown as usual
