"""The team store: the same calls on a shared PostgreSQL server, and nothing lost while it is away.

These run against a real server named by $BADNEWS_TEST_POSTGRES (`.ci/run` starts a throwaway one);
without it they are skipped, so the test command still passes on a laptop with nothing but Python.
Each test gets a database of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from simulator.engine.call import Call
from simulator.paths import GROUP_ENV, STORE_ENV
from simulator.records.postgres import MIGRATIONS, VERSION_TABLE, for_postgres
from simulator.records.recorder import CallRecorder
from simulator.records.schema import SQLITE_INT_MAX
from simulator.records.store import DB_NAME, CallStore, open_store
from tests.records.conftest import GOOD_REPLIES

SERVER = os.environ.get("BADNEWS_TEST_POSTGRES")
psycopg = pytest.importorskip("psycopg") if SERVER else None
pytestmark = pytest.mark.skipif(not SERVER, reason="no PostgreSQL server given ($BADNEWS_TEST_POSTGRES)")
HANG_GUARD = 300  # seconds: only turns a hang into a failure


def with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture
def team_url(monkeypatch) -> str:
    """A fresh, empty database on the test server, named in $BADNEWS_STORE as `--store` would."""
    assert SERVER and psycopg
    name = f"badnews_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = with_database(SERVER, name)
    monkeypatch.setenv(STORE_ENV, url)
    yield url
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_team_store_keeps_calls_as_the_file_does_with_their_group(team_url, library, monkeypatch):
    monkeypatch.setenv(GROUP_ENV, "north-1")
    with open_store() as store:
        assert store.team and "badnews_test_" in store.where
        call_id = store.start_call(trainee="ana", scenario="late-shipment", persona="calm", seed=SQLITE_INT_MAX,
                                   choices={"call_not_email": "phone"}, mode="exam")
        record = store.get(call_id)
    assert (record.trainee, record.group, record.mode, record.seed) == ("ana", "north-1", "exam", SQLITE_INT_MAX)
    assert record.choices == {"call_not_email": "phone"} and record.replies == ()


def test_a_whole_call_played_into_the_team_store_reads_back_the_same(team_url, library):
    from tests.playing import play_into

    with open_store() as store:
        recorder = play_into(store, library, GOOD_REPLIES)
        stored = store.get(recorder.call_id)
    assert [r.text for r in stored.replies] == list(GOOD_REPLIES)[: len(stored.replies)]
    assert stored.ended and stored.score == recorder.result().score and stored.result is not None


def test_the_trainers_view_reads_summaries_from_the_team_store_as_it_does_from_a_file(team_url, library):
    from simulator.records.filters import CallFilter
    from simulator.records.team import team_view
    from tests.playing import play_into
    from tests.records.conftest import BLAMING_REPLIES

    with open_store() as store:
        play_into(store, library, GOOD_REPLIES, trainee="ana")
        play_into(store, library, BLAMING_REPLIES, trainee="ben")
        summaries, whole = store.summaries(), store.calls()
    assert all(s.summary and s.snapshot is None and s.rubric for s in summaries)
    assert [s.replies_made for s in summaries] == [len(c.replies) for c in whole]
    assert team_view(summaries, CallFilter()).to_json() == team_view(whole, CallFilter()).to_json()


def test_the_team_store_keeps_the_sums_of_the_calls_as_they_stand_and_the_view_reads_them(team_url, library):
    from simulator.records import sums
    from simulator.records.filters import CallFilter
    from simulator.records.team import team_view
    from tests.playing import play_into
    from tests.records.conftest import BLAMING_REPLIES

    with open_store() as store:
        play_into(store, library, GOOD_REPLIES, trainee="ana")
        picked_up = play_into(store, library, BLAMING_REPLIES, trainee="ben", persona="angry")
        play_into(store, library, BLAMING_REPLIES, trainee="ana", persona="angry")
        store.set_status(picked_up.call_id, "in_progress")  # no longer counted: taken out of the sums
        kept, table, whole = store.line_sums(), store.call_table(), store.calls()
    with psycopg.connect(team_url) as db:
        afresh = sums.afresh(db.execute(f"SELECT {sums.ROW} FROM calls").fetchall())
    assert kept == afresh and set(kept.trainees) == {("ana", "")}
    assert team_view(table, CallFilter(), sums=kept).to_json() == team_view(whole, CallFilter()).to_json()


def test_a_lean_table_of_the_team_store_gives_the_view_a_whole_one_does(team_url, library):
    from simulator.records.team import LISTING_SQL, team_view
    from tests.playing import play_into
    from tests.records.conftest import BLAMING_REPLIES

    with open_store() as store:
        play_into(store, library, GOOD_REPLIES, trainee="ana", choices={"tell_them_first": "call-now"})
        play_into(store, library, BLAMING_REPLIES, trainee="Çelik", persona="angry")
        store.start_call(trainee="ben", scenario="late-shipment", persona="calm", seed=3, choices={})
        lean = store.call_table(lean=True, listing=LISTING_SQL)  # PostgreSQL: the values checked and written here
        view, whole = team_view(lean, sums=store.line_sums()), team_view(store.call_table(), sums=store.line_sums())
        assert lean.listed is None
        assert view.json_text() == whole.json_text()
        assert view.latest(2) == whole.latest(2) and view.calls == whole.calls


def test_an_older_team_store_has_its_calls_summed_when_upgraded(team_url, library):
    from simulator.records import sums
    from tests.playing import play_into

    with open_store() as store:
        play_into(store, library, GOOD_REPLIES, trainee="ana")
    with psycopg.connect(team_url, autocommit=True) as old:  # as version 6 left it
        old.execute("DROP TABLE trainee_lines")
        old.execute("DROP TABLE drill_lines")
        old.execute(f"UPDATE {VERSION_TABLE} SET version = 6")
    with open_store() as store:
        kept = store.line_sums()
    assert kept is not None and kept.trainees[("ana", "")][sums.CALLS] == (1, 0, 0)


def test_an_older_team_store_is_upgraded_in_place(team_url):
    with psycopg.connect(team_url, autocommit=True) as old:
        old.execute(f"CREATE TABLE {VERSION_TABLE} (version INTEGER NOT NULL)")
        old.execute(f"INSERT INTO {VERSION_TABLE} VALUES (1)")
        for statement in MIGRATIONS[0]:
            old.execute(for_postgres(statement))
        old.execute("INSERT INTO calls (uid, trainee, scenario, persona, seed, status, started_at, updated_at)"
                    " VALUES ('u-1', 'ana', 'late-shipment', 'calm', 1, 'finished', '2025-01-01', '2025-01-01')")
    with open_store() as store:
        [record] = store.calls()
    assert (record.uid, record.mode, record.group) == ("u-1", "train", "")
    with psycopg.connect(team_url) as check:
        assert check.execute(f"SELECT version FROM {VERSION_TABLE}").fetchone()[0] == len(MIGRATIONS)


def test_tables_another_program_made_are_refused_and_left_alone(team_url):
    with psycopg.connect(team_url, autocommit=True) as other:
        other.execute("CREATE TABLE calls (id INTEGER, caller TEXT)")
    code, _, err = badnews("history", "--json", cwd=Path.cwd(), store=team_url)
    assert code == 1 and "did not make" in err and "Traceback" not in err
    with psycopg.connect(team_url) as check:
        assert [c.name for c in check.execute("SELECT * FROM calls").description] == ["id", "caller"]


def badnews(*argv: str, cwd: Path, store: str, stdin: str = "", data: Path | None = None) -> tuple[int, str, str]:
    env = {**os.environ, STORE_ENV: store, "HOME": str(cwd)}
    if data is not None:
        env["BADNEWS_DATA_DIR"] = str(data)
    done = subprocess.run([sys.executable, "-m", "simulator", *argv], input=stdin, capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=HANG_GUARD, check=False)
    return done.returncode, done.stdout, done.stderr


def test_two_processes_playing_at_once_are_both_in_the_team_store(team_url, tmp_path):
    import json

    script = "\n".join(GOOD_REPLIES) + "\n"
    procs = []
    for rep in ("ana", "ben"):
        env = {**os.environ, STORE_ENV: team_url, "HOME": str(tmp_path), "BADNEWS_DATA_DIR": str(tmp_path / rep)}
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "simulator", "--trainee", rep, "--group", "east", "play", "late-shipment", "--plain"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    for proc in procs:
        out, err = proc.communicate(script, timeout=HANG_GUARD)
        assert proc.returncode == 0, err
    with open_store() as store:
        calls = store.calls()
    assert sorted((c.trainee, c.group, len(c.replies)) for c in calls) == [
        ("ana", "east", len(calls[0].replies)), ("ben", "east", len(calls[1].replies))]
    code, out, _ = badnews("history", "--json", cwd=tmp_path, store=team_url)
    assert code == 0 and len(json.loads(out)["calls"]) >= 1
    code, out, _ = badnews("team", "--json", cwd=tmp_path, store=team_url)
    trainees = {row["trainee"]: row for row in json.loads(out)["trainees"]}
    assert code == 0 and {name: row["counted"] for name, row in trainees.items()} == {"ana": 1, "ben": 1}
    assert all(row["weak"] or row["average"] == 100 for row in trainees.values())


def test_the_server_going_away_mid_call_loses_nothing_and_every_reply_arrives_once(team_url, library, data_folder):
    call = Call(library.scenario("late-shipment"), library.persona("calm"), seed=0)
    call.open()
    team = open_store()
    recorder = CallRecorder.start(team, call, "ana")
    said = []
    for number, reply in enumerate(GOOD_REPLIES[:5], start=1):
        if number == 3:  # the server drops this connection, as a restart would
            with psycopg.connect(team_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                              " WHERE datname = current_database() AND pid <> pg_backend_pid()")
        call.reply(reply)
        said.append(recorder.save())
    told = [s for s in said if s]
    assert len(told) == 1 and "kept on this computer" in told[0]
    assert not recorder.store.team and (data_folder / DB_NAME).exists()
    with open_store() as back:  # the next start sends what was kept
        assert any("sent 1 call(s)" in n for n in back.notices)
        [stored] = back.calls()
    assert [r.text for r in stored.replies] == list(GOOD_REPLIES[:5])
    with CallStore.open(data_folder / DB_NAME) as local:
        assert local.outbox(recorder.store.outbox_for or "") == []
    with open_store() as again:  # sending twice adds nothing
        assert not again.notices and len(again.calls()[0].replies) == 5


def test_an_unreachable_store_is_one_line_and_a_call_goes_on_kept_locally(tmp_path, library):
    away = "postgresql://badnews:wrong-password@127.0.0.1:1/badnews"
    code, _, err = badnews("history", cwd=tmp_path, store=away, data=tmp_path / "d")
    assert code == 1 and "cannot reach the team store" in err and "wrong-password" not in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = badnews("play", "late-shipment", "--plain", cwd=tmp_path, store=away, data=tmp_path / "d",
                             stdin="\n".join(GOOD_REPLIES[:3]) + "\n")
    assert code == 0 and err.count("cannot reach the team store") == 1 and "kept on this computer" in err
    with CallStore.open(tmp_path / "d" / DB_NAME) as local:
        [kept] = local.calls()
        assert local.outbox("badnews@127.0.0.1:1/badnews") and len(kept.replies) == 3


def test_a_call_left_before_a_word_was_said_is_not_kept_in_the_team_store(team_url, library):
    from tests.playing import play_into

    with open_store() as store:
        unstarted = play_into(store, library, [], end=False)
        assert unstarted.abandon() is None and unstarted.discarded
        assert store.calls() == []
