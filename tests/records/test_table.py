"""The trainer's view read as columns (`CallTable`) is the view read call by call, and its JSON is `safe_json`'s."""

from __future__ import annotations

import json
import os
import sqlite3
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.records import connect
from simulator.records.filters import CallFilter
from simulator.records.packed import _unpack_each, unpack
from simulator.records.store import DB_NAME, CallStore
from simulator.records.team import COLUMNS, team_view
from simulator.status import CallStatus, Mode
from simulator.text import safe_json

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, minute_clock, play_into
from .test_team import call


def _store_of_a_class(path, library) -> None:
    with CallStore.open(path, clock=minute_clock()) as store:
        for number, trainee in enumerate(("ana", "ben", "Çelik", "dee")):
            play_into(store, library, GOOD_REPLIES[: 2 + number], trainee=trainee, choices={"tell_them_first": "call-now"})
            play_into(store, library, BLAMING_REPLIES, trainee=trainee)  # a plain call: no choices
        store.start_call(trainee="eve", scenario="late-shipment", persona="angry", seed=1, choices={})  # no reply yet


def test_the_table_read_a_column_at_a_time_gives_the_view_read_call_by_call(tmp_path, library):
    _store_of_a_class(tmp_path / DB_NAME, library)
    with CallStore.open(tmp_path / DB_NAME, read_only=True) as store:
        table, whole = store.call_table(), store.calls()
        assert store.skipped == []
    assert [record.id for record in table] == [record.id for record in sorted(whole, key=lambda r: (r.started_at, r.id))]
    quick, careful = team_view(table), team_view(whole)
    assert quick.to_json() == careful.to_json()
    assert quick.json_text() == safe_json(careful.to_json(), indent=None)
    assert {row.trainee for row in quick.trainees} == {"ana", "ben", "Çelik", "dee", "eve"}


@pytest.mark.parametrize("written", [
    "2025-03-01T08:59:00.000+00:00",  # as this version writes it: sorted as text
    "2025-03-01T09:59:00+01:00",  # another offset, no milliseconds: read as a time, 08:59 UTC
])
def test_calls_are_listed_by_when_they_were_played_whatever_form_the_time_was_written_in(tmp_path, library, written):
    _store_of_a_class(tmp_path / DB_NAME, library)
    with sqlite3.connect(tmp_path / DB_NAME) as db:  # the newest call, moved to before the first
        db.execute("UPDATE calls SET started_at = ? WHERE id = (SELECT MAX(id) FROM calls)", (written,))
    db.close()
    with CallStore.open(tmp_path / DB_NAME, read_only=True) as store:
        table, whole = store.call_table(), store.calls()
    assert [record.id for record in table] == [record.id for record in sorted(whole, key=lambda r: (r.started_at, r.id))]
    assert table[0].id == max(record.id for record in whole)
    assert table.played == [record.started_at for record in table]
    assert team_view(table).to_json() == team_view(whole).to_json()


def test_a_filtered_table_lists_and_sums_only_the_calls_it_lets_through(tmp_path, library):
    _store_of_a_class(tmp_path / DB_NAME, library)
    with CallStore.open(tmp_path / DB_NAME, read_only=True) as store:
        table = store.call_table()
    view = team_view(table, CallFilter(trainee="ben"))
    assert view.call_count == 2 and {record.trainee for record in view.calls} == {"ben"}
    assert [record.id for record in view.latest(1)] == [view.calls[0].id]
    assert view.call(view.calls[1].id) == view.calls[1] and view.call(10_000) is None


def test_the_json_text_is_safe_json_of_the_view_even_for_hostile_values():
    odd = [
        call(1, trainee="\x1b[31mred\x1b[0m", group="a\u202eb"),  # an escape sequence and a bidi override
        call(2, trainee='quote " and back\\slash', scenario="caf\u00e9", status=CallStatus.ABANDONED),
        call(3, trainee="\u0085next line", persona="calm", replies=0),
        call(4, trainee="ana", mode=Mode.EXAM, chose=False),
    ]
    odd[0] = odd[0].__class__(**{**vars(odd[0]), "uid": 'uid "with" quotes\n'})
    view = team_view(odd)
    text = view.json_text()
    assert text == safe_json(view.to_json(), indent=None)
    assert json.loads(text)["calls"][-1]["uid"] == 'uid "with" quotes\n'
    assert not any(char in text for char in ("\x1b", "\u202e", "\u0085", "\n"))


# Packed texts as `pack` writes them, and as a hand edit might leave them.
_LINE_IDS = st.lists(st.sampled_from(sorted(COLUMNS)), min_size=1, max_size=6, unique=True)
_COST = st.one_of(st.just("0"), st.integers(0, 40).map(str), st.decimals(0, 40, places=2).map(lambda d: f"{d:f}"))


@st.composite
def packed_text(draw: st.DrawFn) -> str:
    ids = draw(_LINE_IDS)
    states = "".join(draw(st.sampled_from("12")) for _ in ids)
    costs = ",".join(draw(_COST) for _ in ids)
    text = f"{','.join(ids)};{states};{costs}"
    edit = draw(st.sampled_from(["none"] * 6 + ["semicolon", "drop", "letter", "negative", "state"]))
    if edit == "semicolon":
        text += ";"
    elif edit == "drop":
        text = text[: draw(st.integers(0, len(text) - 1))]
    elif edit == "letter":
        text = text.replace("0", "O", 1)
    elif edit == "negative":
        text = text + ",-1"
    elif edit == "state":
        text = text.replace(";1", ";3", 1).replace(";2", ";0", 1)
    return text


@given(st.lists(packed_text(), max_size=12))
def test_packed_texts_read_at_once_read_as_they_do_one_by_one(texts):
    at_once, one_by_one = unpack(texts, COLUMNS), _unpack_each(texts, COLUMNS)
    assert at_once.unread == one_by_one.unread
    for name in ("rows", "columns", "states", "costs"):
        assert getattr(at_once, name).tolist() == getattr(one_by_one, name).tolist()


def test_rows_that_are_not_of_their_kind_are_read_call_by_call(tmp_path, library):
    _store_of_a_class(tmp_path / DB_NAME, library)
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        db.execute("UPDATE calls SET passed = 2 WHERE trainee = 'ben'")
    db.close()
    with CallStore.open(tmp_path / DB_NAME, read_only=True) as store:
        table = store.call_table()
        assert len(store.skipped) == 2 and all("passed 2 is not 0 or 1" in why for why in store.skipped)
    assert {record.trainee for record in table} == {"ana", "Çelik", "dee", "eve"}


@pytest.fixture
def quick_checks(monkeypatch):
    """The `PRAGMA quick_check`s run while the test runs."""
    seen: list[str] = []
    connect_to = sqlite3.connect

    def traced(*args, **kwargs):
        db = connect_to(*args, **kwargs)
        db.set_trace_callback(lambda statement: seen.append(statement) if "quick_check" in statement else None)
        return db

    monkeypatch.setattr(connect.sqlite3, "connect", traced)
    return seen


def _settled(path) -> None:
    """As if the file had last been written a minute ago."""
    past = time.time() - 60
    os.utime(path, (past, past))


def test_a_sound_file_is_checked_whole_by_a_writer_once_until_it_changes(tmp_path, library, quick_checks):
    path = tmp_path / DB_NAME
    _store_of_a_class(path, library)
    _settled(path)
    quick_checks.clear()  # those of the writing
    for _ in range(3):
        with CallStore.open(path) as store:
            assert len(store.calls()) == 9
    assert len(quick_checks) == 1
    past = time.time() - 30  # a change the stamp sees: the file's time moved
    os.utime(path, (past, past))
    with CallStore.open(path):
        pass
    assert len(quick_checks) == 2


def test_a_file_written_in_the_last_moments_is_checked_whole_each_time(tmp_path, library, quick_checks):
    path = tmp_path / DB_NAME
    _store_of_a_class(path, library)
    os.utime(path)  # just now: a write within the file system's clock tick would not move its time
    quick_checks.clear()
    for _ in range(2):
        with CallStore.open(path):
            pass
    assert len(quick_checks) == 2
