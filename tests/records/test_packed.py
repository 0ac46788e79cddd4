"""The rubric lines packed at save read back as the debrief has them, and the trainer's view from summaries (no
debriefs, replies counted) is the view from whole calls, whether the lines were packed or not."""

from __future__ import annotations

import json
import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from simulator.catalogue import ALL_IDS, BY_ID
from simulator.paths import GROUP_ENV
from simulator.records.filters import CallFilter
from simulator.records.packed import HIT, MISSED, pack, unpack
from simulator.records.schema import MIGRATIONS
from simulator.records.store import DB_NAME, CallStore, open_store
from simulator.records.team import COLUMNS, team_view

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, minute_clock, play_into

# A rubric line as the debrief keeps it: hit, its weight, and the points it cost (2 places).
LINE = st.fixed_dictionaries({
    "hit": st.booleans(),
    "weight": st.sampled_from([0.0, 5.0, 10.0, 12.5]),
    # Up to 100 points, as scored; now and then more than the fixed width holds (9999.99), to write the first form.
    "lost": st.one_of(st.integers(0, 10_000), st.integers(0, 2_000_000)).map(lambda hundredths: hundredths / 100),
})


@given(st.dictionaries(st.sampled_from(ALL_IDS), LINE, max_size=len(ALL_IDS)))
def test_packed_lines_read_back_as_the_debrief_has_them(lines):
    packed = pack({"behaviours": lines})
    weighed = {b: line for b, line in lines.items() if line["weight"]}
    if not weighed:
        assert packed is None
        return
    read = unpack([packed], COLUMNS)
    assert read.unread == ()
    got = {ALL_IDS[c]: (int(s), float(cost)) for c, s, cost in zip(read.columns, read.states, read.costs, strict=True)}
    assert got == {b: (HIT if line["hit"] else MISSED, line["lost"]) for b, line in weighed.items()}


def test_a_hand_edited_packed_text_is_not_read_and_the_others_are():
    good = pack({"behaviours": {"states_the_news": {"hit": True, "weight": 10, "lost": 0}}})
    assert good == "states_the_news;h;0000.00"
    texts = [good, "states_the_news;3;0", "states_the_news;2;x", "states_the_news;22;0", "nonsense", good,
             "states_the_news;h;12.5", "states_the_news;h;0012.5x", "states_the_news;hx;0000.00", "states_the_news;2;0"]
    read = unpack(texts, COLUMNS)
    assert read.unread == (1, 2, 3, 4, 6, 7, 8)
    assert list(read.rows) == [0, 5, 9]
    for form in ([good, good, "states_the_news;h;001.250"], ["states_the_news;2;0", "states_the_news;1;3", "states_the_news;2;1e5"]):
        assert unpack(form, COLUMNS).unread == (2,)


@given(st.lists(st.tuples(st.dictionaries(st.sampled_from(ALL_IDS), LINE, min_size=1), st.booleans()), max_size=12))
def test_calls_saved_in_either_form_read_back_together_as_each_alone(calls):
    """A store upgraded in use holds both forms: the first (`212;0,12.5`) and the fixed-width one (`hmh;0012.50`)."""
    texts = []
    for lines, first_form in calls:
        packed = pack({"behaviours": {b: {**line, "weight": 10.0} for b, line in lines.items()}})
        ids, states, costs = packed.split(";")
        if first_form and not states.strip("hm"):
            states = states.replace("h", str(HIT)).replace("m", str(MISSED))
            costs = ",".join(f"{float(cost):.4f}".rstrip("0").rstrip(".") for cost in costs.split(","))
        texts.append(f"{ids};{states};{costs}")
    together = unpack(texts, COLUMNS)
    alone = [unpack([text], COLUMNS) for text in texts]
    assert together.unread == ()
    assert together.rows.tolist() == [i for i, one in enumerate(alone) for _ in one.rows]
    for name in ("columns", "states", "costs"):
        assert getattr(together, name).tolist() == [v for one in alone for v in getattr(one, name).tolist()]


def test_a_line_this_version_does_not_know_is_left_out():
    read = unpack(["a_line_from_the_future,states_the_news;12;4.5,0"], COLUMNS)
    assert (list(read.columns), list(read.states), read.unread) == ([COLUMNS["states_the_news"]], [HIT], ())


def test_a_debrief_whose_lines_are_not_as_written_is_not_packed():
    assert pack(None) is None
    assert pack({"behaviours": {"states_the_news": {"hit": "yes", "weight": 10, "lost": 0}}}) is None
    assert pack({"behaviours": {"states_the_news": {"hit": True, "weight": 10, "lost": float("nan")}}}) is None
    assert pack({"behaviours": {"States the news;": {"hit": True, "weight": 10, "lost": 0}}}) is None


def _team(records):
    return team_view(records, CallFilter()).to_json()


def test_the_view_from_summaries_is_the_view_from_whole_calls(tmp_path, library):
    with CallStore.open(tmp_path / DB_NAME, clock=minute_clock()) as store:
        for trainee, replies in (("ana", GOOD_REPLIES), ("ben", BLAMING_REPLIES), ("ana", BLAMING_REPLIES)):
            play_into(store, library, replies, trainee=trainee)
        play_into(store, library, GOOD_REPLIES[:2], trainee="cy", end=False)  # still in progress
        summaries = store.summaries()
        assert all(s.summary and s.snapshot is None and s.rubric for s in summaries)
        assert [s.replies_made for s in summaries] == [len(c.replies) for c in store.calls()]
        assert _team(summaries) == _team(store.calls())
        assert [s.id for s in store.summaries("ben")] == [c.id for c in store.calls("ben")]


def test_summaries_of_one_group_or_one_trainee_read_only_those(tmp_path, library, monkeypatch):
    with CallStore.open(tmp_path / DB_NAME, clock=minute_clock()) as store:
        for trainee, group in (("ana", "monday"), ("ben", "tuesday"), ("ana", "tuesday")):
            monkeypatch.setenv(GROUP_ENV, group)
            play_into(store, library, BLAMING_REPLIES, trainee=trainee)
        assert [(s.trainee, s.group) for s in store.summaries(group="tuesday")] == [("ben", "tuesday"),
                                                                                   ("ana", "tuesday")]
        assert [(s.trainee, s.group) for s in store.summaries("ana", group="tuesday")] == [("ana", "tuesday")]
        assert len(store.summaries()) == 3


def test_calls_saved_before_the_lines_were_packed_are_read_from_their_debriefs(tmp_path, library):
    with CallStore.open(tmp_path / DB_NAME, clock=minute_clock()) as store:
        play_into(store, library, GOOD_REPLIES, trainee="ana")
        play_into(store, library, BLAMING_REPLIES, trainee="ben")
        whole = _team(store.calls())
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        db.execute("UPDATE calls SET rubric = NULL WHERE trainee = 'ben'")  # as an older version saved it
        db.execute("UPDATE calls SET rubric = 'states_the_news;9;0' WHERE trainee = 'ana'")  # a hand edit
    with CallStore.open(tmp_path / DB_NAME, clock=minute_clock()) as store:
        ana, ben = store.summaries()
        assert (ana.snapshot, ben.snapshot is not None) == (None, True)
        view = team_view(store.summaries(), CallFilter())
    assert view.to_json()["trainees"][1] == whole["trainees"][1]  # ben: from his debrief, as before
    assert view.problems == (f"call {ana.id}: its rubric lines cannot be read; left out of the weak behaviours",)


def test_a_version_4_store_moves_its_debriefs_to_their_own_table(tmp_path):
    db = sqlite3.connect(tmp_path / DB_NAME)
    for statements in MIGRATIONS[:4]:
        for statement in statements:
            db.execute(statement)
    db.execute("PRAGMA user_version = 4")
    debrief = {"score": 77, "behaviours": {"states_the_news": {"hit": True, "weight": 10, "lost": 0}}}
    db.execute(
        "INSERT INTO calls (uid, trainee, scenario, persona, seed, status, score, started_at, updated_at, snapshot)"
        " VALUES ('u-1', 'ana', 'late-shipment', 'calm', 0, 'finished', 77, '2024-01-01T10:00:00+00:00',"
        " '2024-01-01T10:05:00+00:00', ?)", (json.dumps(debrief),))
    db.commit()
    db.close()
    with open_store(tmp_path) as store:
        (record,) = store.calls()
        (summary,) = store.summaries()
    assert record.snapshot == debrief and summary.snapshot == debrief and summary.rubric is None
    columns = {row[1] for row in sqlite3.connect(tmp_path / DB_NAME).execute("PRAGMA table_info(calls)")}
    assert "snapshot" not in columns and "rubric" in columns
    assert BY_ID["states_the_news"].good


def _facts(record):
    """A call without what a summary leaves out (its replies and debrief) or adds (the count and packed lines)."""
    skip = {"replies", "snapshot", "reply_count", "rubric"}
    return {name: value for name, value in vars(record).items() if name not in skip and name != "result"}


def test_summaries_read_each_call_as_the_whole_call_reads_it_even_a_hand_edited_one(tmp_path, library):
    with CallStore.open(tmp_path / DB_NAME, clock=minute_clock()) as store:
        for trainee in ("ana", "ben", "cy", "dee", "eve"):
            play_into(store, library, GOOD_REPLIES[:3], trainee=trainee, choices={"tell_them_first": "call-now"})
        play_into(store, library, BLAMING_REPLIES, trainee="ana")  # a plain call: no choices
    with sqlite3.connect(tmp_path / DB_NAME) as db:  # rows the quick reading passes to the careful one
        db.execute("UPDATE calls SET mode = 'practice' WHERE trainee = 'ben'")  # unknown: read as train
        db.execute("UPDATE calls SET choices = '{broken' WHERE trainee = 'cy'")  # unreadable: read as none
        db.execute("UPDATE calls SET score = 'ninety' WHERE trainee = 'dee'")  # not a number: skipped, said why
        db.execute("UPDATE calls SET scenario_title = 7 WHERE trainee = 'eve'")  # not text: read as ''
    with CallStore.open(tmp_path / DB_NAME, read_only=True) as store:
        summaries = store.summaries()
        skipped_by_summaries = list(store.skipped)
        whole = store.calls()
        skipped_by_calls = list(store.skipped)
    assert [_facts(s) for s in summaries] == [_facts(c) for c in whole]
    assert len(summaries) == 5 and {s.trainee for s in summaries} == {"ana", "ben", "cy", "eve"}
    assert len(skipped_by_summaries) == len(skipped_by_calls) == 1 and "score 'ninety'" in skipped_by_summaries[0]
    ben, cy = (next(s for s in summaries if s.trainee == name) for name in ("ben", "cy"))
    assert str(ben.mode) == "train" and cy.choices == {}
    assert [s.replies_made for s in summaries] == [len(c.replies) for c in whole]
