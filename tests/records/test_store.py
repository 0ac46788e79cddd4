"""The calls database keeps every call safe: written per turn, versioned, and never lost to a damaged file."""

from __future__ import annotations

import sqlite3

import pytest

from simulator.paths import data_dir
from simulator.records.schema import MIGRATIONS, SCHEMA_VERSION
from simulator.records.store import (
    DB_NAME,
    CallStore,
    Reply,
    ReplyConflict,
    StoreError,
    open_store,
)

from .conftest import GOOD_REPLIES, minute_clock, play_into


def snapshot(score: int = 50) -> dict:
    return {"score": score, "grade": "F", "passed": False, "pass_mark": 70, "outcome": "unfinished", "ended_by": ""}


def new_call(store: CallStore, **overrides) -> int:
    fields = {"trainee": "ana", "scenario": "late-shipment", "persona": "calm", "seed": 3, "choices": {}}
    return store.start_call(**{**fields, **overrides})


def test_a_call_reads_back_as_it_was_written(store):
    call_id = new_call(store, choices={"call_not_email": "phone"}, scenario_title="Typhoon", persona_name="Calm")
    store.save(call_id, replies=[Reply("Dana, bad news."), Reply("", interrupted=True)], saved=0,
               status="in_progress", choices={"call_not_email": "phone"}, snapshot=snapshot(42))
    record = store.get(call_id)
    assert (record.trainee, record.scenario, record.persona, record.seed) == ("ana", "late-shipment", "calm", 3)
    assert record.replies == (Reply("Dana, bad news."), Reply("", interrupted=True))
    assert record.choices == {"call_not_email": "phone"}
    assert (record.status, record.score, record.passed, record.pass_mark) == ("in_progress", 42, False, 70)
    assert (record.scenario_title, record.persona_name) == ("Typhoon", "Calm")
    assert record.snapshot == snapshot(42)
    assert record.started_at < record.updated_at and record.started_at.tzinfo is not None
    assert record.resumable and not record.ended


def test_each_save_appends_only_the_new_replies(store):
    call_id = new_call(store)
    store.save(call_id, replies=[Reply("one")], saved=0, status="in_progress", choices={}, snapshot=snapshot())
    store.save(call_id, replies=[Reply("one"), Reply("two")], saved=1, status="finished", choices={}, snapshot=snapshot())
    record = store.get(call_id)
    assert [r.text for r in record.replies] == ["one", "two"] and record.ended


def test_a_writer_that_missed_another_windows_replies_is_refused_and_nothing_is_overwritten(store):
    call_id = new_call(store)
    store.save(call_id, replies=[Reply("mine")], saved=0, status="in_progress", choices={}, snapshot=snapshot())
    with pytest.raises(ReplyConflict):
        store.save(call_id, replies=[Reply("theirs")], saved=0, status="in_progress", choices={}, snapshot=snapshot())
    assert [r.text for r in store.get(call_id).replies] == ["mine"]


def test_calls_are_listed_oldest_first_and_filtered_by_trainee(store):
    first, second, third = new_call(store, trainee="ana"), new_call(store, trainee="ben"), new_call(store, trainee="ana")
    assert [c.id for c in store.calls()] == [first, second, third]
    assert [c.id for c in store.calls("ana")] == [first, third]
    assert store.latest_id() == third


def test_an_unknown_call_id_is_a_clear_error(store):
    with pytest.raises(StoreError, match=r"no call 99.*badnews history"):
        store.get(99)


def test_data_dir_option_wins_over_the_environment_which_wins_over_the_user_folder(tmp_path, monkeypatch, data_folder):
    assert data_dir() == data_folder  # from the environment (set by the fixture)
    assert data_dir(tmp_path / "mine") == tmp_path / "mine"
    monkeypatch.delenv("BADNEWS_DATA_DIR")
    assert "bad-news-drill" in str(data_dir())


def test_a_new_database_is_at_the_latest_schema_in_wal_mode(store):
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_version_1_database_is_migrated_and_keeps_its_calls(data_folder):
    data_folder.mkdir(parents=True)
    old = sqlite3.connect(data_folder / DB_NAME)
    for statement in MIGRATIONS[0]:
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute(
        "INSERT INTO calls (uid, trainee, scenario, persona, seed, status, score, started_at, updated_at)"
        " VALUES ('u-1', 'ana', 'late-shipment', 'calm', 0, 'finished', 77, '2024-01-01T10:00:00+00:00',"
        " '2024-01-01T10:05:00+00:00')"
    )
    old.execute("INSERT INTO replies VALUES (1, 1, 'Dana, bad news.', 0, '2024-01-01T10:01:00+00:00')")
    old.commit()
    old.close()
    with open_store(data_folder) as store:
        record = store.get(1)
        assert (record.uid, record.score, record.replies) == ("u-1", 77, (Reply("Dana, bad news."),))
        assert (record.scenario_title, record.persona_name) == ("", "")  # the v2 columns, with their defaults
        assert not store.notices
    assert sqlite3.connect(data_folder / DB_NAME).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_an_old_database_that_cannot_be_written_is_read_as_it_is_without_upgrading(data_folder, monkeypatch):
    import os

    data_folder.mkdir(parents=True)
    old = sqlite3.connect(data_folder / DB_NAME)
    for statement in MIGRATIONS[0]:
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute(
        "INSERT INTO calls (uid, trainee, scenario, persona, seed, status, score, started_at, updated_at)"
        " VALUES ('u-1', 'ana', 'late-shipment', 'calm', 0, 'finished', 77, '2024-01-01T10:00:00+00:00',"
        " '2024-01-01T10:05:00+00:00')"
    )
    old.commit()
    old.close()
    monkeypatch.setattr(os, "access", lambda path, mode, *args, **kwargs: not mode & os.W_OK)
    with open_store(data_folder, read_only=True) as store:
        (record,) = store.calls()
        assert (record.uid, record.score, record.scenario_title, record.mode) == ("u-1", 77, "", "train")
    assert sqlite3.connect(data_folder / DB_NAME).execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_database_from_a_newer_badnews_is_refused_and_left_untouched(data_folder):
    data_folder.mkdir(parents=True)
    newer = sqlite3.connect(data_folder / DB_NAME)
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    with pytest.raises(StoreError, match=r"newer Bad News Drill.*--data-dir"):
        open_store(data_folder)
    assert (data_folder / DB_NAME).exists() and not list(data_folder.glob("*.corrupt-*"))


def test_a_file_that_is_not_a_database_is_kept_aside_and_a_new_one_started(data_folder, library):
    data_folder.mkdir(parents=True)
    (data_folder / DB_NAME).write_bytes(b"this is not sqlite at all\n" * 200)
    with open_store(data_folder) as store:
        aside = list(data_folder.glob(f"{DB_NAME}.corrupt-*"))
        assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not sqlite")
        assert len(store.notices) == 1
        assert str(aside[0]) in store.notices[0] and "new, empty" in store.notices[0]
        play_into(store, library, GOOD_REPLIES[:2])
        assert len(store.calls()) == 1


def test_a_database_with_damaged_pages_is_kept_aside_with_its_calls_file_intact(data_folder, library):
    with open_store(data_folder) as store:
        for _ in range(30):  # enough calls for the data to span many pages
            play_into(store, library, GOOD_REPLIES)
    path = data_folder / DB_NAME
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    data[3 * page: 6 * page] = b"\xff" * (3 * page)
    path.write_bytes(bytes(data))
    damaged = bytes(data)
    with open_store(data_folder) as store:
        assert store.calls() == [] and len(store.notices) == 1
    (aside,) = [p for p in data_folder.glob(f"{DB_NAME}.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == damaged


@pytest.mark.parametrize("schema", [
    "CREATE TABLE contacts (name TEXT, phone TEXT)",
    "CREATE TABLE calls (phone TEXT)",  # a table of the same name is not ours either
])
def test_a_sqlite_file_of_another_program_is_refused_by_name_and_left_untouched(data_folder, schema):
    data_folder.mkdir(parents=True)
    path = data_folder / DB_NAME
    with sqlite3.connect(path) as other:
        other.execute(schema)
        other.execute(f"INSERT INTO {schema.split()[2]} (phone) VALUES ('555-0100')")
    other.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as refused:
        open_store(data_folder)
    assert f"{path} is not a Bad News Drill database" in str(refused.value)
    assert "--data-dir" in str(refused.value)
    assert path.read_bytes() == before and not list(data_folder.glob("*.corrupt-*"))
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == [(schema.split()[2],)]


def test_an_empty_file_is_taken_as_a_new_calls_database(data_folder):
    data_folder.mkdir(parents=True)
    (data_folder / DB_NAME).write_bytes(b"")
    with open_store(data_folder) as store:
        assert store.notices == [] and new_call(store) == 1


def test_a_row_breaking_a_check_constraint_is_skipped_and_the_other_calls_are_kept(data_folder):
    with open_store(data_folder, clock=minute_clock()) as store:
        first, second, third = new_call(store), new_call(store), new_call(store)
    path = data_folder / DB_NAME
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute("UPDATE calls SET status = 'weird' WHERE id = ?", (second,))
    db.close()
    with open_store(data_folder) as store:
        assert store.notices == [] and not list(data_folder.glob("*.corrupt-*"))
        assert [c.id for c in store.calls()] == [first, third]
        assert store.skipped == [f"call {second} in {path}: status 'weird' is not a call status; skipped"]
        with pytest.raises(StoreError, match=rf"call {second} in .* status 'weird' is not a call status"):
            store.get(second)
        assert new_call(store) == third + 1  # the store goes on taking calls


@pytest.mark.parametrize(("column", "value", "why"), [
    ("score", "'abc'", "score 'abc' is not a whole number"),
    ("score", "12.5", "score 12.5 is not a whole number"),
    ("seed", "'x'", "seed 'x' is not a whole number"),
    ("trainee", "x'00ff'", "trainee b'\\x00\\xff' is not text"),
    ("passed", "'yes'", "passed 'yes' is not 0 or 1"),
])
def test_a_hand_edited_value_of_the_wrong_kind_skips_that_call_and_names_it(store, column, value, why):
    keep, edited = new_call(store), new_call(store)
    with sqlite3.connect(store.path) as db:
        db.execute(f"UPDATE calls SET {column} = {value} WHERE id = ?", (edited,))
    assert [c.id for c in store.calls()] == [keep]
    assert store.skipped == [f"call {edited} in {store.path}: {why}; skipped"]


def test_a_reply_that_is_not_text_skips_its_call(store):
    keep, edited = new_call(store), new_call(store)
    store.save(edited, replies=[Reply("one")], saved=0, status="in_progress", choices={}, snapshot=snapshot())
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE replies SET text = x'00' WHERE call_id = ?", (edited,))
    assert [c.id for c in store.calls()] == [keep]
    assert store.skipped == [f"call {edited} in {store.path}: reply 1 is not text; skipped"]


def test_a_snapshot_nested_too_deeply_reads_as_missing(store):
    call_id = new_call(store)
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT OR REPLACE INTO debriefs (call_id, snapshot) VALUES (?, ?)", (call_id, "[" * 100_000))
    assert store.get(call_id).snapshot is None


def test_an_unusable_folder_is_a_store_error_not_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create the folder"):
        CallStore.open(blocker / "sub" / DB_NAME, clock=minute_clock())


def test_a_hand_edited_row_reads_with_safe_defaults_instead_of_failing_the_listing(store):
    call_id = new_call(store)
    store.save(call_id, replies=[Reply("one")], saved=0, status="in_progress", choices={}, snapshot=snapshot())
    db = sqlite3.connect(store.path)
    db.execute("UPDATE calls SET started_at = 'yesterday', choices = '{not json' WHERE id = ?", (call_id,))
    db.execute("UPDATE debriefs SET snapshot = '[1' WHERE call_id = ?", (call_id,))
    db.commit()
    (record,) = store.calls()
    assert (record.started_at.year, record.choices, record.snapshot) == (1970, {}, None)


def test_the_mode_a_call_was_played_in_is_kept(tmp_path):
    from simulator.records.store import open_store

    with open_store(tmp_path) as store:
        exam = store.start_call(trainee="ana", scenario="late-shipment", persona="calm", seed=0, choices={}, mode="exam")
        train = store.start_call(trainee="ana", scenario="late-shipment", persona="calm", seed=0, choices={})
        modes = {record.id: record.mode for record in store.calls()}
    assert modes == {exam: "exam", train: "train"}


def _version_5_store_with_two_replies(folder):
    folder.mkdir(parents=True)
    old = sqlite3.connect(folder / DB_NAME)
    for statements in MIGRATIONS[:5]:
        for statement in statements:
            old.execute(statement)
    old.execute("PRAGMA user_version = 5")
    old.execute(
        "INSERT INTO calls (uid, trainee, scenario, persona, seed, status, score, started_at, updated_at)"
        " VALUES ('u-1', 'ana', 'late-shipment', 'calm', 0, 'finished', 77, '2024-01-01T10:00:00.000+00:00',"
        " '2024-01-01T10:05:00.000+00:00')"
    )
    old.executemany("INSERT INTO replies VALUES (1, ?, ?, 0, '2024-01-01T10:01:00+00:00')",
                    [(1, "Dana, bad news."), (2, "I'm sorry.")])
    old.commit()
    old.close()


def test_a_version_5_store_counts_each_calls_replies_once_and_keeps_the_count(data_folder):
    _version_5_store_with_two_replies(data_folder)
    with open_store(data_folder) as store:
        (summary,) = store.summaries()
        assert summary.replies_made == 2
    db = sqlite3.connect(data_folder / DB_NAME)
    assert db.execute("SELECT replies_made FROM calls").fetchall() == [(2,)]
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_version_5_store_opened_read_only_still_counts_the_replies(data_folder, monkeypatch):
    import os

    _version_5_store_with_two_replies(data_folder)
    monkeypatch.setattr(os, "access", lambda path, mode, *args, **kwargs: not mode & os.W_OK)
    with open_store(data_folder, read_only=True) as store:
        (summary,) = store.summaries()
        assert summary.replies_made == 2
    assert sqlite3.connect(data_folder / DB_NAME).execute("PRAGMA user_version").fetchone()[0] == 5


def test_each_save_keeps_the_count_of_the_calls_replies(store):
    call = store.start_call(trainee="ana", scenario="late-shipment", persona="calm", seed=0, choices={})
    said = [Reply("Dana, bad news."), Reply("I'm sorry.", interrupted=True), Reply("")]
    for saved in range(len(said)):
        store.save(call, replies=said[: saved + 1], saved=saved, status="in_progress", choices={}, snapshot=None)
        (summary,) = store.summaries()
        assert summary.replies_made == saved + 1 == len(store.get(call).replies)


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_a_store_of_every_earlier_version_is_upgraded_and_its_calls_read_and_summed(data_folder, version):
    from simulator.records import sums
    from simulator.records.filters import CallFilter
    from simulator.records.packed import pack
    from simulator.records.team import team_view

    data_folder.mkdir(parents=True)
    old = sqlite3.connect(data_folder / DB_NAME)
    for statements in MIGRATIONS[:version]:
        for statement in statements:
            old.execute(statement)
    old.execute(f"PRAGMA user_version = {version}")
    old.execute(
        "INSERT INTO calls (uid, trainee, scenario, persona, seed, status, score, started_at, updated_at)"
        " VALUES ('u-1', 'ana', 'late-shipment', 'calm', 0, 'finished', 77, '2024-01-01T10:00:00.000+00:00',"
        " '2024-01-01T10:05:00.000+00:00')"
    )
    old.execute("INSERT INTO replies VALUES (1, 1, 'Dana, bad news.', 0, '2024-01-01T10:01:00+00:00')")
    columns = {row[1] for row in old.execute("PRAGMA table_info(calls)")}
    if "rubric" in columns:  # v5 on: the lines packed at save
        lines = {"states_the_news": {"hit": True, "weight": 10, "lost": 0},
                 "offers_options": {"hit": False, "weight": 10, "lost": 10}}
        old.execute("UPDATE calls SET rubric = ?", (pack({"behaviours": lines}),))
    if "replies_made" in columns:
        old.execute("UPDATE calls SET replies_made = 1")
    old.commit()
    old.close()
    with open_store(data_folder) as store:
        (record,) = store.calls()
        kept, table = store.line_sums(), store.call_table()
    assert (record.uid, record.score, [r.text for r in record.replies]) == ("u-1", 77, ["Dana, bad news."])
    assert sqlite3.connect(data_folder / DB_NAME).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert kept is not None
    if "rubric" in columns:
        assert kept.trainees[("ana", "")] == {sums.CALLS: (1, 0, 0), "states_the_news": (1, 1, 0),
                                              "offers_options": (1, 0, 1000)}
    else:  # no lines packed: nothing summed, and the view reads the call itself
        assert kept.trainees == {}
    assert team_view(table, CallFilter(), sums=kept).to_json() == team_view([record], CallFilter()).to_json()
