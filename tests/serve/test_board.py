"""The trainer's live board shows who is in a call now (not who left one long ago), how far they are, their last
score, and the behaviours the whole class finds hardest, in the catalogue's plain words; and it escapes names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from simulator.catalogue import BY_ID
from simulator.records.board import LIVE_WINDOW, class_weak_spots, live_board, read_board
from simulator.records.store import CallRecord, Reply, open_store
from simulator.records.team import team_view
from simulator.status import CallStatus, Mode
from tests.playing import Ticker, play_into

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
CLEAN = {"states_the_news": (True, 0.0), "offers_options": (True, 0.0), "blames_others": (False, 0.0)}
NO_OPTIONS = {"states_the_news": (True, 0.0), "offers_options": (False, 20.0), "blames_others": (False, 0.0)}
BLAMING = {"states_the_news": (True, 0.0), "offers_options": (True, 0.0), "blames_others": (True, 12.0)}


def snapshot(score: int, lines: dict[str, tuple[bool, float]]) -> dict:
    """A stored debrief with its rubric lines: (hit, points lost) per behaviour."""
    behaviours = {
        b: {"hit": hit, "points": 0.0, "weight": 10.0, "good": BY_ID[b].good, "section": str(BY_ID[b].section),
            "available": 20.0 if BY_ID[b].good else 0.0, "lost": lost}
        for b, (hit, lost) in lines.items()
    }
    return {"scenario": "late-shipment", "persona": "calm", "seed": 0, "score": score, "grade": "B",
            "passed": score >= 70, "pass_mark": 70, "outcome": "won_back", "behaviours": behaviours, "transcript": []}


def call(number: int, *, trainee: str = "ana", score: int = 70, status: CallStatus = CallStatus.FINISHED,
         saved: datetime | None = None, group: str = "monday", replies: int = 3,
         lines: dict[str, tuple[bool, float]] | None = None) -> CallRecord:
    """A stored call started `number` minutes before NOW's hour and saved at `saved` (default: when it started)."""
    started = NOW - timedelta(hours=1) + timedelta(minutes=number)
    ended = status.ended
    return CallRecord(
        id=number, uid=f"uid-{number}", trainee=trainee, scenario="late-shipment", scenario_title="Late shipment",
        persona="calm", persona_name="Dana (calm)", seed=0, choices={}, replies=tuple(Reply("r") for _ in range(replies)),
        status=status, outcome="won_back" if ended else None, ended_by="", score=score if ended else None,
        grade="B" if ended else None, passed=score >= 70 if ended else None, pass_mark=70, started_at=started,
        updated_at=saved or started, snapshot=snapshot(score, lines or CLEAN) if ended else None, mode=Mode.TRAIN,
        group=group,
    )


def test_a_call_in_progress_saved_recently_is_live_with_its_replies_and_the_reps_last_ended_score():
    board = live_board([
        call(1, trainee="ana", score=64),
        call(2, trainee="ana", score=81),
        call(3, trainee="ana", status=CallStatus.IN_PROGRESS, replies=4, saved=NOW - timedelta(minutes=2)),
    ], now=NOW)
    (live,) = board.in_call
    assert (live.trainee, live.scenario_title, live.persona_name, live.replies) == ("ana", "Late shipment", "Dana (calm)", 4)
    assert live.last_score == 81  # the latest ended call, not the best and not the one in progress
    assert live.quiet_for(NOW) == timedelta(minutes=2)


def test_a_call_in_progress_not_saved_for_longer_than_the_window_has_been_left():
    board = live_board([
        call(1, trainee="ana", status=CallStatus.IN_PROGRESS, saved=NOW - LIVE_WINDOW - timedelta(seconds=1)),
        call(2, trainee="ben", status=CallStatus.IN_PROGRESS, saved=NOW - LIVE_WINDOW),
    ], now=NOW)
    assert [c.trainee for c in board.in_call] == ["ben"]


def test_ended_and_abandoned_calls_are_not_live_and_a_rep_with_no_ended_call_has_no_last_score():
    board = live_board([
        call(1, trainee="ana", saved=NOW),
        call(2, trainee="ben", status=CallStatus.ABANDONED, saved=NOW),
        call(3, trainee="cy", status=CallStatus.HUNG_UP, saved=NOW, score=20),
        call(4, trainee="dee", status=CallStatus.IN_PROGRESS, saved=NOW, replies=0),
    ], now=NOW)
    (live,) = board.in_call
    assert (live.trainee, live.replies, live.last_score) == ("dee", 0, None)


def test_a_rep_in_two_calls_at_once_shows_the_one_saved_last():
    board = live_board([
        call(1, trainee="ana", status=CallStatus.IN_PROGRESS, saved=NOW - timedelta(minutes=5), replies=1),
        call(2, trainee="ana", status=CallStatus.IN_PROGRESS, saved=NOW - timedelta(minutes=1), replies=6),
    ], now=NOW)
    assert [(c.call_id, c.replies) for c in board.in_call] == [(2, 6)]


def test_the_board_shows_only_its_group_and_every_call_when_no_group_is_given():
    records = [
        call(1, trainee="ana", group="monday", status=CallStatus.IN_PROGRESS, saved=NOW),
        call(2, trainee="ben", group="tuesday", status=CallStatus.IN_PROGRESS, saved=NOW),
        call(3, trainee="cy", group="tuesday", score=40),
    ]
    monday = live_board(records, now=NOW, group="monday")
    assert [c.trainee for c in monday.in_call] == ["ana"]
    assert [r.trainee for r in monday.reps] == ["ana"] and monday.counted == 0
    everyone = live_board(records, now=NOW)
    assert [c.trainee for c in everyone.in_call] == ["ana", "ben"]
    assert everyone.counted == 1


def test_the_class_weak_behaviours_are_summed_over_every_rep_in_plain_words_costliest_first():
    records = [
        call(1, trainee="ana", lines=NO_OPTIONS), call(2, trainee="ana", lines=CLEAN),
        call(3, trainee="ben", lines=NO_OPTIONS), call(4, trainee="ben", lines=BLAMING),
    ]
    board = live_board(records, now=NOW)
    assert [w.behaviour for w in board.weak] == ["offers_options", "blames_others"]
    options = board.weak[0]
    assert options.summary == BY_ID["offers_options"].summary
    assert (options.stats.calls, options.stats.misses, options.stats.points_lost) == (4, 2, 10.0)
    assert options.stats.describe() == "missed in 2 of 4 calls"
    assert board.weak[1].stats.describe() == "committed in 1 of 4 calls" and board.weak[1].stats.points_lost == 3.0


def test_the_class_weak_behaviours_equal_those_of_all_its_calls_taken_as_one_rep():
    records = [call(n, trainee=name, lines=lines) for n, (name, lines) in
               enumerate([("ana", NO_OPTIONS), ("ben", BLAMING), ("cy", NO_OPTIONS), ("ana", BLAMING), ("cy", CLEAN)])]
    as_one = team_view([CallRecord(**{**r.__dict__, "trainee": "everyone"}) for r in records]).trainees[0]
    merged = class_weak_spots(team_view(records).trainees)
    assert [(w.behaviour, w.stats.calls, w.stats.hits) for w in merged] == \
        [(s.behaviour, s.calls, s.hits) for s in as_one.figures.weak]
    assert [round(w.stats.points_lost, 9) for w in merged] == [round(s.points_lost, 9) for s in as_one.figures.weak]


def test_the_board_as_json_carries_every_live_call_field_the_page_shows():
    board = live_board([call(1, trainee="<b>ana</b>", status=CallStatus.IN_PROGRESS, saved=NOW - timedelta(seconds=90))],
                       now=NOW)
    data = board.to_json()
    (live,) = data["in_call"]
    assert live["trainee"] == "<b>ana</b>"  # JSON keeps the name; the page escapes it
    assert (live["scenario"], live["replies"], live["quiet_seconds"], live["last_score"]) == ("late-shipment", 3, 90, None)
    assert data["group"] is None and data["weak"] == [] and data["at"] == NOW.isoformat()


def test_a_store_read_by_summaries_gives_the_same_board_as_its_whole_calls(tmp_path, library, monkeypatch):
    clock = Ticker(NOW - timedelta(minutes=30), timedelta(seconds=30))
    monkeypatch.setenv("BADNEWS_GROUP", "monday")
    with open_store(tmp_path, clock=clock) as store:
        play_into(store, library, ["Dana, your order will be late.", "It will arrive on 24 March."], trainee="ana")
        play_into(store, library, ["Dana, I have bad news about your order."], trainee="ana", end=False)
        play_into(store, library, ["Hello Dana."], trainee="ben", end=False)
        monkeypatch.setenv("BADNEWS_GROUP", "tuesday")
        play_into(store, library, ["Hi."], trainee="cy", end=False)
        board = read_board(store, now=clock.now, group="monday")
        whole = live_board(store.calls(), now=clock.now, group="monday")
    assert [(c.trainee, c.replies) for c in board.in_call] == [("ana", 1), ("ben", 1)]
    assert board.in_call[0].last_score is not None
    assert board.to_json() == whole.to_json()
