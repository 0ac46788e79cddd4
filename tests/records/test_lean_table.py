"""A lean table (`call_table(lean=True)`, what `badnews team --json` and `--plain` read) gives the view a whole one does.

It reads fewer values, has SQLite check the others, and takes each call's line of `team --json` from SQLite's `printf`
on a second connection: whatever a hand edit or an odd name put in the store, the text printed is the same, and a
damaged call is skipped with the same reason.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.records.filters import CallFilter
from simulator.records.store import DB_NAME, CallStore
from simulator.records.team import LISTING_SQL, team_view

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, minute_clock, play_into


@pytest.fixture(scope="module")
def class_file(tmp_path_factory, library):
    """A class's calls: played with and without the choices, one buyer angry, one call never replied to."""
    path = tmp_path_factory.mktemp("class") / DB_NAME
    with CallStore.open(path, clock=minute_clock()) as store:
        for number, trainee in enumerate(("ana", "ben", "cy")):
            play_into(store, library, GOOD_REPLIES[: 3 + number], trainee=trainee,
                      choices={"tell_them_first": "call-now"})
            play_into(store, library, BLAMING_REPLIES, trainee=trainee, persona="angry")
        store.start_call(trainee="dee", scenario="late-shipment", persona="calm", seed=1, choices={})
    return path


def _views(path, filters=None):
    """The view from a lean table (and the calls it skipped), and from a whole one."""
    with CallStore.open(path, read_only=True) as store:
        lean = store.call_table(lean=True, listing=LISTING_SQL)
        lean_view = team_view(lean, filters, store.skipped, store.line_sums())
        lean_text, lean_latest, lean_skipped = lean_view.json_text(), lean_view.latest(3), list(store.skipped)
        whole = store.call_table()
        whole_view = team_view(whole, filters, store.skipped, store.line_sums())
        return (lean_text, lean_latest, lean_skipped, lean), (whole_view.json_text(), whole_view.latest(3),
                                                               list(store.skipped))


def test_a_lean_table_has_its_lines_written_by_the_database_and_they_are_the_views(class_file):
    (text, latest, skipped, lean), (whole_text, whole_latest, whole_skipped) = _views(class_file)
    assert lean.listed is not None and len(lean.listed) == len(lean) == 7
    assert (text, latest, skipped) == (whole_text, whole_latest, whole_skipped)


# What a hand edit, an import or an odd name can leave in a column (SQL values: text, numbers, NULL).
_ODD_TEXT = st.sampled_from([
    "Çelik", "José María", 'say "hi"', "back\\slash", "line\nbreak", "tab\there", "\x1b[31mred", "a\u202eb",
    "\u0085next", "nbsp\u00a0here", "[bold]rich[/]", "", "plain-name_2",
])
_EDITS = st.one_of(
    st.tuples(st.sampled_from(["trainee", "group_name", "scenario", "persona", "grade", "outcome", "uid",
                               "scenario_title", "persona_name"]), _ODD_TEXT),
    st.tuples(st.just("started_at"), st.sampled_from(["2025-03-01T09:30:00+01:00", "2025-03-01 07:00:00",
                                                      "not a time"])),
    st.tuples(st.just("choices"), st.sampled_from(["{}", "{ }", '{"tell_them_first": "email"}', "[]", "nope"])),
    st.tuples(st.sampled_from(["seed", "score", "pass_mark", "replies_made", "passed"]),
              st.sampled_from([None, 0, 1, 2, 1.0, "7", "seven"])),
    st.tuples(st.sampled_from(["status", "mode", "ended_by", "rubric", "updated_at"]),
              st.sampled_from([None, "finished", "exam", "hung_up", 3, "odd"])),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(1, 7), _EDITS), min_size=1, max_size=3),
       group=st.sampled_from([None, "", "Çelik"]))
def test_whatever_is_stored_the_lean_view_prints_what_the_whole_view_does(class_file, tmp_path_factory, edits, group):
    path = tmp_path_factory.mktemp("edited") / DB_NAME
    shutil.copy(class_file, path)
    with sqlite3.connect(path) as db:
        for call_id, (column, value) in edits:
            with contextlib.suppress(sqlite3.IntegrityError):  # a value the schema refuses (a NULL where none may be)
                db.execute(f"UPDATE calls SET {column} = ? WHERE id = ?", (value, call_id))
    db.close()
    (text, latest, skipped, _), whole = _views(path, CallFilter(group=group))
    assert (text, latest, skipped) == whole


def test_a_call_saved_while_the_lines_are_written_has_them_written_in_python(class_file, tmp_path):
    path = tmp_path / DB_NAME
    shutil.copy(class_file, path)
    _, (before, _, _) = _views(class_file)  # the whole view of the calls as they were read
    with CallStore.open(path, read_only=True) as store:
        lean = store.call_table(lean=True, listing=LISTING_SQL)
        with CallStore.open(path) as other:  # another window leaves dee's call meanwhile: as many calls as before
            other.set_status(7, "abandoned")
        text = team_view(lean, None, (), store.line_sums()).json_text()
        assert lean.listed is None  # its lines may have been written after the call was left: not used
    assert text == before and '"abandoned"' not in text


def test_a_lean_table_reads_the_rubric_lines_when_the_filters_need_them(class_file):
    filters = CallFilter(persona="angry")  # the sums kept at save cannot be used: each call's lines are read
    (text, latest, skipped, _), whole = _views(class_file, filters)
    assert (text, latest, skipped) == whole
    assert '"weak": [{' in text


_NAMES = st.sampled_from(["ana", "ben", "Çelik", "", "a\x1fb", "late-shipment", "calm", "exam"])


@settings(max_examples=80, deadline=None)
@given(calls=st.lists(st.tuples(_NAMES, _NAMES, _NAMES, _NAMES), max_size=40), fits=st.booleans())
def test_calls_are_put_in_their_cells_as_by_their_keys_in_order_of_first_call(calls, fits):
    from simulator.records import team
    from simulator.records.table import CallTable

    table = CallTable({"id": list(range(len(calls))), "uid": [""] * len(calls), "trainee": [c[0] for c in calls],
                       "group": [""] * len(calls), "scenario": [c[1] for c in calls], "scenario_title": [""] * len(calls),
                       "persona": [c[2] for c in calls], "persona_name": [""] * len(calls),
                       "mode": [c[3] for c in calls], **dict.fromkeys(
                           ("status", "replies", "score", "grade", "passed", "outcome", "stamp", "chose", "rubric",
                            "packed"), [None] * len(calls)), "played": None}, lambda i: None)
    limit = team.CODES_FIT
    team.CODES_FIT = limit if fits else 1  # 1: the keys are counted key by key
    try:
        keys, of_call = team._cell_codes(table)
    finally:
        team.CODES_FIT = limit
    assert keys == list(dict.fromkeys(calls))
    assert [keys[i] for i in of_call.tolist()] == calls
