"""The trainer's view sums a team's calls per trainee and per drill, compares like with like, and never averages a
call where the trainee said nothing."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from simulator.catalogue import BY_ID
from simulator.records.filters import CallFilter, Drill
from simulator.records.history import behaviour_stats, weak_spots
from simulator.records.store import CallRecord, Reply
from simulator.records.team import call_json, call_state, rubric_losses, team_view
from simulator.status import CallStatus, Mode

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, play_into

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
# The rubric lines of the synthetic calls: (hit, points lost) per behaviour.
CLEAN = {"states_the_news": (True, 0.0), "offers_options": (True, 0.0), "blames_others": (False, 0.0)}
BLAMING = {"states_the_news": (True, 0.0), "offers_options": (False, 20.0), "blames_others": (True, 12.0)}


def snapshot(scenario: str, persona: str, score: int, lines: dict[str, tuple[bool, float]]) -> dict:
    """A debrief as the store keeps it: a `replay --json` object with its rubric lines."""
    behaviours = {
        b: {"hit": hit, "points": 0.0, "weight": 10.0, "good": BY_ID[b].good, "section": str(BY_ID[b].section),
            "available": 20.0 if BY_ID[b].good else 0.0, "lost": lost}
        for b, (hit, lost) in lines.items()
    }
    return {"scenario": scenario, "persona": persona, "seed": 0, "score": score, "grade": "B" if score >= 70 else "F",
            "passed": score >= 70, "pass_mark": 70, "outcome": "won_back", "behaviours": behaviours, "transcript": []}


def call(
    number: int,
    score: int = 70,
    *,
    trainee: str = "ana",
    scenario: str = "late-shipment",
    persona: str = "calm",
    mode: Mode = Mode.TRAIN,
    replies: int = 3,
    status: CallStatus = CallStatus.FINISHED,
    group: str = "",
    chose: bool = True,
    when: datetime | None = None,
    lines: dict[str, tuple[bool, float]] | None = None,
) -> CallRecord:
    """A stored call, played `number` hours after START unless `when` says otherwise."""
    ended = status.ended
    played = when or START + timedelta(hours=number)
    return CallRecord(
        id=number, uid=f"uid-{number}", trainee=trainee, scenario=scenario, scenario_title=scenario.title(),
        persona=persona, persona_name=persona.title(), seed=0, choices={"tell_them_first": "call-now"} if chose else {},
        replies=tuple(Reply(f"reply {i}") for i in range(replies)), status=status,
        outcome="won_back" if ended else None, ended_by="", score=score if ended else None,
        grade=("B" if score >= 70 else "F") if ended else None, passed=score >= 70 if ended else None, pass_mark=70,
        started_at=played, updated_at=played,
        snapshot=snapshot(scenario, persona, score, lines or CLEAN) if ended else None, mode=mode, group=group,
    )


def test_per_trainee_calls_best_latest_and_average_count_only_ended_calls_with_a_reply():
    view = team_view([
        call(1, 60, trainee="ana"), call(2, 90, trainee="ana"), call(3, 75, trainee="ana"),
        call(4, 50, trainee="ben"), call(5, 0, trainee="ben", status=CallStatus.ABANDONED),
    ])
    ana, ben = view.trainees
    assert (ana.trainee, ana.figures.calls, ana.figures.counted) == ("ana", 3, 3)
    assert (ana.figures.best, ana.figures.latest, ana.figures.average, ana.figures.passed) == (90, 75, 75.0, 2)
    assert (ben.figures.calls, ben.figures.counted, ben.figures.unfinished, ben.figures.average) == (2, 1, 1, 50.0)
    assert ben.call_ids == (5, 4)  # newest first
    assert view.counted == 4


def test_a_call_with_no_reply_is_listed_and_marked_but_left_out_of_averages_and_trends():
    silent = call(3, 0, replies=0)
    view = team_view([call(1, 80), call(2, 90), silent])
    (ana,) = view.trainees
    assert silent in view.calls and silent.id in ana.call_ids
    assert (ana.figures.calls, ana.figures.counted, ana.figures.no_reply) == (3, 2, 1)
    assert (ana.figures.average, ana.figures.latest, ana.figures.trend.change) == (85.0, 90, 10.0)
    assert call_state(silent) == "no reply" and call_json(silent)["counted"] is False
    assert call_json(call(4, 80))["counted"] is True
    (drill,) = view.scenarios
    assert drill.figures.no_reply == 1 and drill.figures.average == 85.0


def test_the_trend_compares_like_with_like_never_a_calm_train_call_with_an_angry_exam():
    view = team_view([
        call(1, 90, persona="calm"),
        call(2, 40, persona="angry", mode=Mode.EXAM),
        call(3, 96, persona="calm"),
        call(4, 75, persona="calm", chose=False),  # a plain call without the before-call choices
    ])
    (ana,) = view.trainees
    # One series has two calls (calm, train, with choices: 90 then 96); the others have one and say nothing.
    assert ana.figures.trend.change == 6.0 and ana.figures.trend.series == 1
    assert ana.figures.trend.drill == Drill("late-shipment", "calm", "train", False)
    assert ana.figures.trend.recent == (75,)
    calm_train = next(r for r in view.scenarios if (r.persona, r.mode) == ("calm", "train"))
    assert calm_train.figures.trend.change == 6.0
    angry_exam = next(r for r in view.scenarios if r.persona == "angry")
    assert angry_exam.mode == "exam" and angry_exam.figures.trend.change is None


def test_a_rows_trend_is_the_mean_of_its_series_of_two_calls_or_more_over_the_last_ten():
    calls = [call(n, 50 + n, trainee="ana") for n in range(1, 13)]  # 12 calls: the trend looks at the last 10
    calls += [call(20, 80, trainee="ben"), call(21, 60, trainee="ben")]
    view = team_view(calls)
    ana, ben = view.trainees
    assert ana.figures.trend.change == 9.0 and ana.figures.trend.recent == tuple(range(53, 63))
    assert ben.figures.trend.change == -20.0
    (drill,) = view.scenarios
    assert drill.trainees == 2 and drill.figures.trend.change == pytest.approx((9 - 20) / 2)
    assert drill.figures.trend.series == 2


def test_the_filters_pick_by_group_scenario_persona_mode_trainee_and_days():
    calls = [
        call(1, group="north"), call(2, group="south"), call(3, scenario="missed-training", group="north"),
        call(4, persona="angry", group="north"), call(5, mode=Mode.EXAM, group="north"),
        call(6, trainee="ben", group="north", when=datetime(2025, 3, 10, 12, tzinfo=UTC)),
    ]
    def ids(**given) -> list[int]:
        return sorted(c.id for c in team_view(calls, CallFilter(zone=UTC, **given)).calls)
    assert ids(group="north") == [1, 3, 4, 5, 6]
    assert ids(group="north", scenario="late-shipment", persona="calm", mode=Mode.TRAIN) == [1, 6]
    assert ids(trainee="ben") == [6]
    assert ids(mode=Mode.EXAM) == [5]
    assert ids(since=date(2025, 3, 4)) == [6]
    assert ids(until=date(2025, 3, 3)) == [1, 2, 3, 4, 5]
    assert ids(since=date(2025, 3, 3), until=date(2025, 3, 3)) == [1, 2, 3, 4, 5]  # both days included
    assert ids(group="west") == []
    assert CallFilter(group="north", since=date(2025, 3, 1)).shown() == ["group north", "since 2025-03-01"]


def test_days_are_read_in_the_filters_time_zone():
    late = call(1, when=datetime(2025, 3, 3, 23, 30, tzinfo=UTC))  # already 4 March in Berlin
    berlin = timezone(timedelta(hours=1))
    assert team_view([late], CallFilter(since=date(2025, 3, 4), zone=UTC)).calls == ()
    assert team_view([late], CallFilter(since=date(2025, 3, 4), zone=berlin)).calls == (late,)


def test_the_view_is_the_same_whatever_order_the_calls_come_in():
    calls = [
        call(1, 60, trainee="bob"), call(2, 70, trainee="Ana"), call(3, 80, trainee="ana", persona="angry"),
        call(4, 90, trainee="ana", when=START + timedelta(hours=2)),  # played at the same time as call 2
        call(5, 55, trainee="bob", scenario="missed-training", mode=Mode.EXAM),
    ]
    expected = team_view(calls)
    shuffled = calls[:]
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert team_view(shuffled).to_json() == expected.to_json()
    assert [c.id for c in expected.calls] == [5, 3, 4, 2, 1]  # newest first; the same time: the higher id first
    assert [r.trainee for r in expected.trainees] == ["Ana", "ana", "bob"]  # by name, case aside, then case
    assert [(r.scenario, r.persona, r.mode) for r in expected.scenarios] == [
        ("late-shipment", "angry", "train"), ("late-shipment", "calm", "train"), ("missed-training", "calm", "exam"),
    ]


def test_weak_behaviours_are_the_costliest_lines_as_history_names_its_weak_spots():
    calls = [call(1, 40, lines=BLAMING), call(2, 45, lines=BLAMING), call(3, 90, lines=CLEAN)]
    (ana,) = team_view(calls).trainees
    expected = weak_spots(behaviour_stats(c.result for c in calls))
    assert [b.behaviour for b in ana.figures.weak] == ["offers_options", "blames_others"]
    assert [(b.behaviour, b.good, b.calls, b.hits) for b in ana.figures.weak] == [
        (b.behaviour, b.good, b.calls, b.hits) for b in expected]
    assert [b.points_lost for b in ana.figures.weak] == pytest.approx([b.points_lost for b in expected])
    offers = ana.figures.weak[0]
    assert (offers.calls, offers.misses, offers.points_lost) == (3, 2, pytest.approx(40 / 3))


def test_rubric_lines_read_from_the_stored_debrief_are_those_of_the_validated_result(store, library):
    play_into(store, library, GOOD_REPLIES)
    play_into(store, library, BLAMING_REPLIES)
    play_into(store, library, GOOD_REPLIES[:2], end=False)
    for record in store.calls():
        assert rubric_losses(record) == (record.result.losses() if record.result else {})
    # A debrief saved before `available` and `lost` were kept: derived the validated way.
    old = call(9, 50)
    lines = {b: {k: v for k, v in line.items() if k not in ("available", "lost")}
             for b, line in old.snapshot["behaviours"].items()}
    older = CallRecord(**{**old.__dict__, "snapshot": {**old.snapshot, "behaviours": lines}})
    assert rubric_losses(older) == older.result.losses() != {}


def test_played_calls_sum_up_per_trainee_and_drill(store, library):
    play_into(store, library, BLAMING_REPLIES, trainee="ana")
    play_into(store, library, GOOD_REPLIES, trainee="ana")
    play_into(store, library, GOOD_REPLIES, trainee="ben", persona="angry")
    play_into(store, library, [], trainee="ben")
    records = store.calls()
    view = team_view(records)
    ana, ben = view.trainees
    first, second = (r.score for r in records[:2])
    assert (ana.figures.counted, ana.figures.trend.change) == (2, second - first)
    assert "blames_others" in [b.behaviour for b in ana.figures.behaviours if b.misses]
    assert (ben.figures.calls, ben.figures.counted, ben.figures.no_reply) == (2, 1, 1)
    assert [(r.persona, r.trainees) for r in view.scenarios] == [("angry", 1), ("calm", 2)]


def test_the_json_lists_every_call_with_the_contract_keys_and_the_summaries():
    view = team_view([call(1, 80, group="north"), call(2, 0, status=CallStatus.IN_PROGRESS)])
    data = view.to_json()
    assert set(data) == {"filters", "calls", "trainees", "scenarios", "problems"}
    contract = {"trainee", "group", "scenario", "persona", "mode", "score", "passed", "outcome", "played_at",
                "id", "uid", "replies", "status"}
    assert all(contract <= set(c) for c in data["calls"])
    newest, oldest = data["calls"]
    assert (newest["status"], newest["score"], newest["passed"], newest["outcome"]) == ("in_progress", None, None, None)
    assert (oldest["group"], oldest["mode"], oldest["score"], oldest["passed"]) == ("north", "train", 80, True)
    assert datetime.fromisoformat(oldest["played_at"]) == START + timedelta(hours=1)
    (ana,) = data["trainees"]
    assert (ana["trainee"], ana["groups"], ana["calls"], ana["counted"], ana["average"]) == ("ana", ["", "north"], 2, 1,
                                                                                            80.0)
    assert data["scenarios"][0]["call_ids"] == [2, 1]
