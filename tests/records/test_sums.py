"""The rubric lines each save adds to the store's sums (`sums.py`) are the sums of the calls as they stand, whatever
happened to the calls on the way; the trainer's view from those sums is the view from every call; and where the
sums do not count the calls listed, the view is summed from the calls, never shown wrong."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.paths import GROUP_ENV
from simulator.records import sums
from simulator.records.filters import CallFilter
from simulator.records.schema import MIGRATIONS
from simulator.records.store import DB_NAME, CallStore, open_store
from simulator.records.team import team_view

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, minute_clock, play_into

OTHER_REPLIES = (
    "Dana, the shipment is late. The port of Osaka closed in a typhoon.",
    "Sorry about that. We can air-freight 2,000 units at our cost.",
    "I'll call you Friday.",
)
# What a trainee does in a store: (trainee, group, persona, replies, how the call ends).
CALLS = st.lists(
    st.tuples(st.sampled_from(["ana", "ben", "Çelik"]), st.sampled_from(["", "north", "south"]),
              st.sampled_from(["calm", "angry"]), st.sampled_from([GOOD_REPLIES, BLAMING_REPLIES, OTHER_REPLIES, ()]),
              st.sampled_from(["ended", "in progress", "abandoned", "picked up again", "picked up and ended"])),
    min_size=1, max_size=6,
)


def _play(store: CallStore, library, monkeypatch, calls) -> None:
    for trainee, group, persona, replies, fate in calls:
        monkeypatch.setenv(GROUP_ENV, group)
        recorder = play_into(store, library, replies, trainee=trainee, persona=persona, end=fate == "ended",
                             abandon=fate == "abandoned")
        if fate.startswith("picked up"):  # an ended call picked up again is in progress, until it ends again
            play_into_ended = store.get(recorder.call_id)
            store.set_status(recorder.call_id, "in_progress")
            if fate == "picked up and ended":
                store.set_status(recorder.call_id, play_into_ended.status)


def _afresh(path) -> sums.LineSums:
    with sqlite3.connect(path) as db:
        return sums.afresh(db.execute(f"SELECT {sums.ROW} FROM calls").fetchall())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls=CALLS)
def test_the_sums_kept_at_save_are_the_sums_of_the_calls_as_they_stand(tmp_path_factory, library, monkeypatch, calls):
    folder = tmp_path_factory.mktemp("store")
    with CallStore.open(folder / DB_NAME, clock=minute_clock()) as store:
        _play(store, library, monkeypatch, calls)
        kept = store.line_sums()
        table = store.call_table()
        whole = store.calls()
    assert kept == _afresh(folder / DB_NAME)
    for filters in (CallFilter(), CallFilter(group="north")):
        from_sums = team_view(table, filters, sums=kept).to_json()
        assert from_sums == team_view(whole, filters).to_json()


def test_the_view_reads_the_sums_when_they_count_the_calls_listed(tmp_path, library, monkeypatch):
    with CallStore.open(tmp_path / DB_NAME, clock=minute_clock()) as store:
        _play(store, library, monkeypatch, [("ana", "north", "calm", GOOD_REPLIES, "ended"),
                                            ("ben", "north", "angry", BLAMING_REPLIES, "ended")])
        table, kept = store.call_table(), store.line_sums()
    assert kept is not None and kept.trainees and kept.drills
    # Sums that say something else than the calls, with the same count: the view shows what the sums say.
    (key, lines), *_ = kept.trainees.items()
    behaviour = next(b for b in lines if b != sums.CALLS)
    altered = sums.LineSums({**kept.trainees, key: {**lines, behaviour: (lines[behaviour][0], 0, 0)}}, kept.drills)
    shown = {row["trainee"]: row for row in team_view(table, sums=altered).to_json()["trainees"]}
    assert shown != {row["trainee"]: row for row in team_view(table, sums=kept).to_json()["trainees"]}


@pytest.mark.parametrize("edit", [
    "UPDATE drill_lines SET calls = calls + 1 WHERE behaviour = ''",  # a call counted twice
    "DELETE FROM trainee_lines WHERE trainee = 'ben'",  # a call not counted
    "UPDATE trainee_lines SET lost = -5",  # not a sum at all
    "UPDATE calls SET rubric = NULL WHERE trainee = 'ben'",  # as saved before the lines were packed
])
def test_sums_that_do_not_count_the_calls_listed_are_not_used(tmp_path, library, monkeypatch, edit):
    with CallStore.open(tmp_path / DB_NAME, clock=minute_clock()) as store:
        _play(store, library, monkeypatch, [("ana", "north", "calm", GOOD_REPLIES, "ended"),
                                            ("ben", "north", "angry", BLAMING_REPLIES, "ended")])
        whole = team_view(store.calls()).to_json()
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        db.execute(edit)
    db.close()
    with CallStore.open(tmp_path / DB_NAME, read_only=True) as store:
        assert team_view(store.call_table(), sums=store.line_sums()).to_json() == whole


def test_a_store_of_an_earlier_version_has_its_calls_summed_when_upgraded(tmp_path, library, monkeypatch):
    folder = tmp_path / "old"
    with open_store(folder, clock=minute_clock()) as store:
        _play(store, library, monkeypatch, [("ana", "", "calm", GOOD_REPLIES, "ended"),
                                            ("ben", "", "angry", BLAMING_REPLIES, "ended"),
                                            ("ana", "", "calm", OTHER_REPLIES, "in progress")])
        whole = team_view(store.calls()).to_json()
    with sqlite3.connect(folder / DB_NAME) as db:  # as version 6 left it: no sums
        db.execute("DROP TABLE trainee_lines")
        db.execute("DROP TABLE drill_lines")
        db.execute("PRAGMA user_version = 6")
    db.close()
    assert len(MIGRATIONS) == 7
    with open_store(folder) as store:
        kept = store.line_sums()
        assert kept == _afresh(folder / DB_NAME) and kept.trainees
        assert team_view(store.call_table(), sums=kept).to_json() == whole


def test_filters_the_sums_cannot_answer_are_summed_from_the_calls(tmp_path, library, monkeypatch):
    with CallStore.open(tmp_path / DB_NAME, clock=minute_clock()) as store:
        _play(store, library, monkeypatch, [("ana", "north", "calm", GOOD_REPLIES, "ended"),
                                            ("ana", "north", "angry", BLAMING_REPLIES, "ended")])
        table, kept, whole = store.call_table(), store.line_sums(), store.calls()
    for filters in (CallFilter(persona="angry"), CallFilter(trainee="ana"), CallFilter(scenario="late-shipment")):
        assert team_view(table, filters, sums=kept).to_json() == team_view(whole, filters).to_json()
    angry = team_view(table, CallFilter(persona="angry"), sums=kept).to_json()["trainees"][0]
    assert angry["counted"] == 1
