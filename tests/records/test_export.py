"""Exports give a trainer every call: JSON lines that keep the `replay --json` contract, and a spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys

import pytest

from simulator.authoring.rescore import rescore, saved_call_from_json
from simulator.catalogue import ALL_IDS
from simulator.cli import main
from simulator.records.export import (
    CSV_FIELDS,
    EXPORT_FORMAT,
    csv_header,
    csv_text,
    export_line,
    jsonl_lines,
    write_text,
)
from simulator.status import Mode

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, play_into


def replay_json_of(replies, capsys, monkeypatch) -> dict:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(replies) + "\n"))
    assert main(["replay", "late-shipment", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_an_export_line_keeps_every_key_and_value_of_replay_json(store, library, capsys, monkeypatch):
    line = export_line(store.get(play_into(store, library, GOOD_REPLIES).call_id))
    replayed = replay_json_of(GOOD_REPLIES, capsys, monkeypatch)
    assert set(replayed) <= set(line)
    for key in replayed:
        if key != "ended_by":  # the plain call ends on end of input, the replay on end of script
            assert line[key] == replayed[key], key


def test_an_export_line_says_whose_call_it_is_and_when(store, library):
    record = store.get(play_into(store, library, BLAMING_REPLIES, trainee="ben").call_id)
    line = export_line(record)
    assert line["format"] == EXPORT_FORMAT
    assert (line["call_id"], line["call_uid"], line["trainee"], line["status"]) == (record.id, record.uid, "ben", "finished")
    assert line["started_at"] == record.started_at.isoformat()


def test_rescore_reads_an_export_line_and_an_unchanged_rubric_keeps_its_score(store, library):
    (text,) = jsonl_lines([store.get(play_into(store, library, BLAMING_REPLIES, persona="angry").call_id)])
    saved = saved_call_from_json(json.loads(text), "export:1")
    assert rescore(saved, library).delta == 0


def test_jsonl_is_one_json_object_per_line_per_call(store, library):
    play_into(store, library, GOOD_REPLIES)
    play_into(store, library, GOOD_REPLIES[:2], end=False)
    lines = list(jsonl_lines(store.calls()))
    assert len(lines) == 2 and all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    assert [json.loads(line)["status"] for line in lines] == ["finished", "in_progress"]


def test_the_csv_has_a_row_per_call_and_per_behaviour_whether_it_was_hit_and_its_points(store, library):
    record = store.get(play_into(store, library, BLAMING_REPLIES).call_id)
    rows = list(csv.DictReader(io.StringIO("".join(csv_text([record])))))
    assert list(rows[0]) == csv_header() == [*CSV_FIELDS, *(c for b in ALL_IDS for c in (b, f"{b}_points"))]
    (row,) = rows
    assert (row["call_uid"], row["score"], row["status"]) == (record.uid, str(record.score), "finished")
    assert row["blames_others"] == "1" and float(row["blames_others_points"]) < 0
    assert row["offers_options"] == "0"
    assert row["stays_silent"] == ""  # weighs nothing in this scenario: not scored


def test_a_trainee_name_that_looks_like_a_formula_is_made_inert_in_the_csv(store, library):
    record = store.get(play_into(store, library, GOOD_REPLIES[:1], trainee="=HYPERLINK(\"http://evil\")").call_id)
    (row,) = csv.DictReader(io.StringIO("".join(csv_text([record]))))
    assert row["trainee"].startswith("'=")


# A spreadsheet skips leading blanks before it looks for a formula, so a formula behind any of them is one too.
FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "  =1+1", "\t=1", "\r=1+1", "\n=1+1", "\xa0=1+1", "\u3000=1", " \n -1"]


@pytest.mark.parametrize("name", FORMULAS)
def test_a_trainee_name_with_a_formula_behind_leading_blanks_is_made_inert_in_the_csv(store, library, name):
    record = store.get(play_into(store, library, GOOD_REPLIES[:1], trainee=name).call_id)
    (row,) = csv.DictReader(io.StringIO("".join(csv_text([record]))))
    assert row["trainee"].startswith("'"), row["trainee"]


@pytest.mark.parametrize("name", ["Ana", "Ana-Maria", "O'Neil", "a=b", "1-2"])
def test_a_trainee_name_that_is_no_formula_is_written_as_it_is(store, library, name):
    record = store.get(play_into(store, library, GOOD_REPLIES[:1], trainee=name).call_id)
    (row,) = csv.DictReader(io.StringIO("".join(csv_text([record]))))
    assert row["trainee"] == name


def test_escape_sequences_in_a_csv_cell_are_shown_never_written_raw(store, library):
    record = store.get(play_into(store, library, GOOD_REPLIES[:1], trainee="eve\x1b]52;c;aGk=\x07\x9b\u202e").call_id)
    text = "".join(csv_text([record]))
    assert not any(char in text for char in "\x1b\x07\x9b\u202e")
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["trainee"] == "eve\\x1b]52;c;aGk=\\x07\\x9b\\u202e"


def test_an_export_to_a_file_replaces_it_only_once_complete(tmp_path):
    target = tmp_path / "calls.jsonl"
    target.write_text("the previous export\n")

    def failing():
        yield "half a line"
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_text(failing(), target, sys.stdout)
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["calls.jsonl"]  # no part file left behind
    write_text(["a\n", "b\n"], target, sys.stdout)
    assert target.read_text() == "a\nb\n"


# The columns and keys a trainer's sheets and scripts already read, in this order; new ones come after them.
FIRST_CSV_FIELDS = (
    "call_uid", "call_id", "trainee", "started_at", "updated_at", "scenario", "scenario_title", "persona", "seed",
    "status", "outcome", "ended_by", "score", "grade", "passed", "pass_mark", "replies",
)


def test_the_mode_and_the_group_come_after_every_earlier_csv_column_and_json_key(store, library):
    record = store.get(play_into(store, library, GOOD_REPLIES[:1]).call_id)
    exam = dataclasses.replace(record, mode=Mode.EXAM, group="north-team")
    assert CSV_FIELDS[:len(FIRST_CSV_FIELDS)] == FIRST_CSV_FIELDS
    assert CSV_FIELDS[len(FIRST_CSV_FIELDS):] == ("mode", "group")
    (row,) = csv.DictReader(io.StringIO("".join(csv_text([exam]))))
    assert (row["mode"], row["group"]) == ("exam", "north-team")
    line = json.loads(next(jsonl_lines([exam])))
    assert (line["mode"], line["group"]) == ("exam", "north-team")
    assert list(line)[-1] == "group"


def test_a_group_name_that_looks_like_a_formula_is_made_inert_in_the_csv(store, library):
    record = store.get(play_into(store, library, GOOD_REPLIES[:1]).call_id)
    (row,) = csv.DictReader(io.StringIO("".join(csv_text([dataclasses.replace(record, group="=cmd|' /C calc'!A0")]))))
    assert row["group"].startswith("'=")


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="POSIX only")
def test_an_export_to_a_pipe_or_a_device_writes_into_it_and_never_replaces_it(store, library, tmp_path):
    """`export --out /dev/null` as root had replaced /dev/null with a file (a new file is written whole, then moved
    into place): every program on the machine that writes to /dev/null then wrote into that file."""
    import os
    import stat
    import threading

    play_into(store, library, GOOD_REPLIES)
    pipe = tmp_path / "calls.jsonl"
    os.mkfifo(pipe)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_text(encoding="utf-8")))
    reader.start()
    code = main(["--data-dir", str(store.path.parent), "export", "--out", str(pipe)])
    reader.join(timeout=30)
    assert code == 0 and stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert read and json.loads(read[0].splitlines()[0])["scenario"] == "late-shipment"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
