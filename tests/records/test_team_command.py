"""`badnews team --json` is a contract checked outside this repo: every stored call with who played it, in which
group, what, how, and when; the filters of `team`, `history` and `cohort` work as typed, and a bad date is a usage error."""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime

import pytest

from simulator.cli import main
from simulator.paths import GROUP_ENV
from simulator.records.export import jsonl_lines
from simulator.records.store import open_store

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, play_into

CONTRACT = {"trainee", "group", "scenario", "persona", "mode", "score", "passed", "outcome", "played_at",
            "id", "uid", "replies", "status"}


@pytest.fixture(autouse=True)
def no_group(monkeypatch):
    """`--group` sets $BADNEWS_GROUP for the run: put back whatever it was after each test."""
    monkeypatch.delenv(GROUP_ENV, raising=False)


def run(argv, capsys, monkeypatch, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def a_team(store, library, monkeypatch, capsys):
    """Ana (north) plays two train calls; Ben (south) one train call with the angry buyer, one with no reply,
    and one exam call in plain mode."""
    monkeypatch.setenv(GROUP_ENV, "north")
    play_into(store, library, BLAMING_REPLIES, trainee="ana")
    play_into(store, library, GOOD_REPLIES, trainee="ana")
    monkeypatch.setenv(GROUP_ENV, "south")
    play_into(store, library, GOOD_REPLIES, trainee="ben", persona="angry")
    play_into(store, library, [], trainee="ben")
    code, _, _ = run(["--trainee", "ben", "play", "late-shipment", "--plain"], capsys, monkeypatch,
                     "\n".join(GOOD_REPLIES) + "\n")
    assert code == 0
    monkeypatch.delenv(GROUP_ENV)


def team_json(capsys, monkeypatch, *options) -> dict:
    code, out, _ = run(["team", "--json", *options], capsys, monkeypatch)
    assert code == 0
    return json.loads(out)


def test_team_json_lists_every_stored_call_with_who_what_how_and_when(store, library, monkeypatch, capsys,
                                                                      data_folder):
    a_team(store, library, monkeypatch, capsys)
    data = team_json(capsys, monkeypatch)
    with open_store(data_folder) as opened:
        stored = {r.id: r for r in opened.calls()}
    assert sorted(c["id"] for c in data["calls"]) == sorted(stored)
    for listed in data["calls"]:
        assert set(listed) >= CONTRACT
        record = stored[listed["id"]]
        assert (listed["trainee"], listed["group"], listed["scenario"], listed["persona"], listed["mode"]) == (
            record.trainee, record.group, record.scenario, record.persona, record.mode)
        assert (listed["score"], listed["passed"], listed["outcome"]) == (record.score, record.passed, record.outcome)
        assert datetime.fromisoformat(listed["played_at"]) == record.started_at
    assert {c["group"] for c in data["calls"]} == {"north", "south"}
    assert sorted(c["mode"] for c in data["calls"]) == ["exam", "train", "train", "train", "train"]
    silent = next(c for c in data["calls"] if c["replies"] == 0)
    assert silent["counted"] is False
    ana, ben = data["trainees"]
    assert (ana["trainee"], ana["groups"], ana["counted"]) == ("ana", ["north"], 2)
    assert (ben["calls"], ben["counted"], ben["no_reply"]) == (3, 2, 1)
    assert {(s["persona"], s["mode"]) for s in data["scenarios"]} == {("calm", "train"), ("angry", "train"),
                                                                     ("calm", "exam")}


def test_team_filters_by_group_mode_persona_scenario_trainee_and_day(store, library, monkeypatch, capsys):
    a_team(store, library, monkeypatch, capsys)
    def ids(*options) -> list[str]:
        return sorted(f"{c['trainee']}:{c['persona']}:{c['mode']}" for c in team_json(capsys, monkeypatch, *options)["calls"])
    assert ids("--group", "north") == ["ana:calm:train", "ana:calm:train"]
    assert ids("--mode", "exam") == ["ben:calm:exam"]
    assert ids("--persona", "angry") == ["ben:angry:train"]
    assert ids("--trainee", "ben", "--mode", "train") == ["ben:angry:train", "ben:calm:train"]
    assert ids("--scenario", "missed-training") == []
    today = datetime.now().astimezone().date().isoformat()  # the plain call was played just now
    assert ids("--since", today) == ["ben:calm:exam"]
    assert len(ids("--until", "2025-03-01")) == 4  # the store's clock played the others on 1 March 2025
    data = team_json(capsys, monkeypatch, "--group", "south", "--since", "2025-03-01")
    assert data["filters"]["group"] == "south" and data["filters"]["since"] == "2025-03-01"


@pytest.mark.parametrize("options", [["--since", "2025-02-30"], ["--until", "yesterday"], ["--mode", "test"]])
def test_a_bad_date_or_mode_is_a_usage_error(options, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["team", *options])
    assert exited.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_a_span_that_ends_before_it_starts_is_a_usage_error(capsys, monkeypatch):
    code, out, err = run(["team", "--since", "2025-03-02", "--until", "2025-03-01"], capsys, monkeypatch)
    assert code == 2 and out == ""
    assert "--since 2025-03-02 is after --until 2025-03-01" in err


def test_without_a_terminal_team_prints_plain_tables(store, library, monkeypatch, capsys):
    a_team(store, library, monkeypatch, capsys)
    for options in ([], ["--plain"]):
        code, out, _ = run(["team", *options], capsys, monkeypatch)
        assert code == 0
        assert out.startswith("5 call(s) from 2 trainee(s), 4 counted")
        words = " ".join(out.split())  # a cell may wrap onto the next line
        assert "Per trainee" in words and "Per scenario, persona and mode" in words
        assert "no reply: not counted" in words
        assert "\x1b" not in out  # plain text, no colours
    code, out, _ = run(["team", "--plain", "--group", "west"], capsys, monkeypatch)
    assert out.startswith("No calls match these filters.") and "Filters: group west" in out


def test_history_takes_the_filters_and_shows_the_mode(store, library, monkeypatch, capsys):
    a_team(store, library, monkeypatch, capsys)
    code, out, _ = run(["history", "--trainee", "ben", "--mode", "exam", "--json"], capsys, monkeypatch)
    assert code == 0
    assert [(c["trainee"], c["mode"]) for c in json.loads(out)["calls"]] == [("ben", "exam")]
    code, out, _ = run(["history", "--trainee", "ben", "--persona", "angry"], capsys, monkeypatch)
    header = next(line for line in out.splitlines() if line.startswith("id "))
    assert out.startswith("1 call(s), 1 ended") and header.split() == [
        "id", "date", "scenario", "persona", "mode", "replies", "score", "outcome"]
    assert "persona angry" in " ".join(out.split()[:12])  # the filters are named with the source
    code, out, _ = run(["history", "--until", "2020-01-01"], capsys, monkeypatch)
    assert out.startswith("No calls yet.")


def test_cohort_takes_the_filters_and_gives_train_and_exam_rows_of_their_own(store, library, monkeypatch, capsys,
                                                                              tmp_path):
    a_team(store, library, monkeypatch, capsys)
    export = tmp_path / "team.jsonl"
    export.write_text("".join(jsonl_lines(store.calls())), encoding="utf-8")
    code, out, _ = run(["cohort", str(export), "--json"], capsys, monkeypatch)
    rows = [(r["trainee"], r["mode"], r["calls"], r["unfinished"]) for r in json.loads(out)["trainees"]]
    # Ben's call with no reply is not counted; his exam call is not averaged with his coached one.
    assert rows == [("ana", "train", 2, 0), ("ben", "train", 1, 1), ("ben", "exam", 1, 0)]
    code, out, _ = run(["cohort", str(export), "--group", "north", "--json"], capsys, monkeypatch)
    assert [r["trainee"] for r in json.loads(out)["trainees"]] == ["ana"]
    code, out, _ = run(["cohort", str(export), "--mode", "exam"], capsys, monkeypatch)
    assert code == 0 and "ben      exam" in out and "ana" not in out
    with pytest.raises(SystemExit) as exited:
        main(["cohort", str(export), "--since", "1 March"])
    assert exited.value.code == 2
