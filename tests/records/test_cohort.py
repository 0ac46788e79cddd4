"""A trainer merges several trainees' exports; a bad line or file is named with file:line and skipped, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.records import cohort as cohort_module
from simulator.records.cohort import (
    behaviour_rows,
    cohort_json,
    read_exports,
    trainee_rows,
)
from simulator.records.export import csv_text, jsonl_lines
from simulator.render.tables import cohort_text

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, play_into


def two_trainees(store, library, tmp_path) -> tuple[Path, Path]:
    """Ana's calls as JSON Lines (one good, one blaming, one unfinished), Ben's as CSV (two blaming)."""
    play_into(store, library, GOOD_REPLIES, trainee="ana")
    play_into(store, library, BLAMING_REPLIES, trainee="ana")
    play_into(store, library, GOOD_REPLIES[:2], trainee="ana", end=False)
    play_into(store, library, BLAMING_REPLIES, trainee="ben", seed=1)
    play_into(store, library, BLAMING_REPLIES, trainee="ben", seed=2)
    ana, ben = tmp_path / "ana.jsonl", tmp_path / "ben.csv"
    ana.write_text("".join(jsonl_lines(store.calls("ana"))), encoding="utf-8")
    ben.write_text("".join(csv_text(store.calls("ben"))), encoding="utf-8")
    return ana, ben


def test_exports_merge_into_one_row_per_trainee(store, library, tmp_path):
    cohort = read_exports(two_trainees(store, library, tmp_path))
    assert cohort.problems == []
    ana, ben = trainee_rows(cohort)
    scores = {c.trainee: [] for c in store.calls()}
    for call in store.calls():
        if call.ended:
            scores[call.trainee].append(call.score)
    assert (ana.trainee, ana.calls, ana.unfinished, ana.best) == ("ana", 2, 1, max(scores["ana"]))
    assert (ben.trainee, ben.calls, ben.unfinished) == ("ben", 2, 0)
    assert ben.average == sum(scores["ben"]) / 2 and ben.passed == 0


def test_the_behaviour_table_gives_each_trainees_share_of_calls_gone_wrong(store, library, tmp_path):
    cohort = read_exports(two_trainees(store, library, tmp_path))
    blames = next(r for r in behaviour_rows(cohort) if r.behaviour == "blames_others")
    assert blames.per_trainee == {"ana": (1, 2), "ben": (2, 2)}
    assert blames.overall == 3 / 4
    text = cohort_text(cohort)
    assert "Per trainee" in text and "Per behaviour" in text
    assert any(line.strip().startswith("blames_others (bad)") and "50%" in line and "100%" in line
               for line in text.splitlines())


def test_a_corrupt_line_is_named_with_file_and_line_and_the_other_calls_still_count(store, library, tmp_path):
    ana, ben = two_trainees(store, library, tmp_path)
    lines = ana.read_text().splitlines(keepends=True)
    ana.write_text(lines[0] + '{"trainee": "ana", "score": 7\n' + "[1, 2]\n" + "".join(lines[1:]))
    cohort = read_exports([ana, ben])
    assert cohort.problems == [
        f"{ana}:2: not JSON (Expecting ',' delimiter at column 30); skipped",
        f"{ana}:3: not a call (expected a JSON object); skipped",
    ]
    assert trainee_rows(cohort)[0].calls == 2


def test_a_line_that_is_json_but_not_an_export_says_what_is_missing(tmp_path):
    path = tmp_path / "replay.jsonl"
    path.write_text('{"scenario": "late-shipment", "score": 50}\n')
    assert read_exports([path]).problems == [
        f"{path}:1: missing 'call_uid'; is this a line of `badnews export`? skipped"
    ]


def test_the_same_export_given_twice_counts_each_call_once(store, library, tmp_path):
    ana, _ = two_trainees(store, library, tmp_path)
    cohort = read_exports([ana, ana])
    assert cohort.duplicates == 3 and len(cohort.calls) == 3


def test_a_missing_file_or_a_binary_one_is_reported_briefly_and_skipped(store, library, tmp_path):
    ana, _ = two_trainees(store, library, tmp_path)
    garbage = tmp_path / "photo.jpg"
    garbage.write_bytes(bytes(range(256)) * 2000)
    cohort = read_exports([tmp_path / "nope.jsonl", garbage, ana])
    assert cohort.problems[0].startswith(f"{tmp_path / 'nope.jsonl'}: cannot read")
    from_garbage = [p for p in cohort.problems if p.startswith(str(garbage))]
    assert len(from_garbage) == cohort_module.MAX_PROBLEMS_PER_FILE + 1
    assert from_garbage[-1].endswith("more problem(s) skipped")
    assert len(cohort.calls) == 3


def test_an_overlong_line_is_skipped_without_loading_it(store, library, tmp_path, monkeypatch):
    _ana, _ = two_trainees(store, library, tmp_path)
    monkeypatch.setattr(cohort_module, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "long.jsonl"
    path.write_text("x" * 5000 + "\n" + '{"call_uid": "u", "trainee": "t", "scenario": "s", "status": "finished"}\n')
    cohort = read_exports([path])
    assert cohort.problems == [f"{path}:1: line longer than 0 MB; skipped"]
    assert [c.trainee for c in cohort.calls] == ["t"]


def test_the_csv_and_the_jsonl_of_the_same_calls_give_the_same_tables(store, library, tmp_path):
    two_trainees(store, library, tmp_path)
    as_jsonl, as_csv = tmp_path / "all.jsonl", tmp_path / "all.csv"
    as_jsonl.write_text("".join(jsonl_lines(store.calls())), encoding="utf-8")
    as_csv.write_text("".join(csv_text(store.calls())), encoding="utf-8")
    assert cohort_json(read_exports([as_jsonl])) == cohort_json(read_exports([as_csv]))


def test_no_calls_at_all_says_so():
    assert cohort_text(read_exports([])).strip() == "No calls found in these exports."


# Escape sequences a crafted export could carry: clear screen, OSC 8 hyperlink, OSC 52 clipboard write, C1 CSI.
HOSTILE = "\x1b[2J\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\\x1b]52;c;cm0gLXJmIH4=\x07\x9b31m"


def test_cohort_prints_no_escape_sequence_from_an_export_file(store, library, tmp_path, capsys):
    import json

    from simulator.cli import main

    play_into(store, library, BLAMING_REPLIES, trainee="ana")
    line = json.loads(next(jsonl_lines(store.calls())))
    line["trainee"] = f"ana{HOSTILE}"
    line["scenario"] = f"late{HOSTILE}"
    for turn in line["transcript"]:
        turn["text"] += HOSTILE
    path = tmp_path / "crafted.jsonl"
    path.write_text(json.dumps(line) + "\n" + f"not json {HOSTILE}\n", encoding="utf-8")
    for argv in (["cohort", str(path)], ["cohort", "--json", str(path)]):
        main(argv)
        captured = capsys.readouterr()
        for stream in (captured.out, captured.err):
            assert not any(char in stream for char in "\x1b\x07\x9b"), stream
        assert "ana" in captured.out


@pytest.mark.parametrize("score", ["\u00b2", "\u0663", "abc", "1.5", "-3", " 7"])
def test_a_csv_score_that_is_not_ascii_digits_is_a_skipped_row_naming_file_and_line(store, library, tmp_path, score):
    import csv

    _, ben = two_trainees(store, library, tmp_path)
    rows = list(csv.DictReader(ben.open(encoding="utf-8", newline="")))
    rows[0]["score"] = score
    with ben.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    cohort = read_exports([ben])
    assert cohort.problems == [f"{ben}:2: score {score!r} is not a whole number; skipped"]
    assert [c.uid for c in cohort.calls] == [rows[1]["call_uid"]]


GOOD_LINE = '{"call_uid": "u", "trainee": "t", "scenario": "s", "status": "finished"}\n'


@pytest.mark.parametrize(("line", "why"), [
    ("[" * 100_000, "nested too deeply"),
    ('{"a": ' * 100_000, "nested too deeply"),
    ('{"score": 1' + "0" * 5000 + "}", "a number too long to read"),
], ids=["lists", "objects", "long number"])
def test_a_json_line_too_deep_or_too_long_to_read_is_a_skipped_line_not_a_crash(tmp_path, line, why):
    path = tmp_path / "crafted.jsonl"
    path.write_text(line + "\n" + GOOD_LINE, encoding="utf-8")
    cohort = read_exports([path])
    assert cohort.problems == [f"{path}:1: not JSON ({why}); skipped"]
    assert [c.trainee for c in cohort.calls] == ["t"]
