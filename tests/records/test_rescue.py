"""`badnews import` takes calls back into a store without ever overwriting one: a kept call is completed, a new one added."""

from __future__ import annotations

import json

from simulator.paths import GROUP_ENV
from simulator.records.export import jsonl_lines
from simulator.records.rescue import import_calls
from simulator.records.store import open_store

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, minute_clock, play_into


def exported(store, path):
    path.write_text("".join(jsonl_lines(store.calls())), encoding="utf-8")
    return path


def test_an_export_imported_into_another_store_gives_the_same_calls_and_again_changes_nothing(
    store, library, tmp_path, monkeypatch
):
    monkeypatch.setenv(GROUP_ENV, "north-1")
    play_into(store, library, GOOD_REPLIES, trainee="ana")
    monkeypatch.delenv(GROUP_ENV)
    play_into(store, library, BLAMING_REPLIES[:1], trainee="ben", end=False)
    export = exported(store, tmp_path / "calls.jsonl")
    with open_store(tmp_path / "other", clock=minute_clock()) as other:
        first = import_calls(other, export)
        assert first.problems == [] and len(first.done) == 2
        again = import_calls(other, export)
        assert [line.split(": ", 1)[1] for line in again.done] == [
            "call 1 is already stored as in this file (7 replies); left as it is",
            "call 2 is already stored as in this file (1 reply); left as it is",
        ]
        for mine, theirs in zip(store.calls(), other.calls(), strict=True):
            assert (theirs.uid, theirs.trainee, theirs.replies, theirs.status, theirs.score, theirs.started_at) == (
                mine.uid, mine.trainee, mine.replies, mine.status, mine.score, mine.started_at)
            assert theirs.group == mine.group  # the class the call was played in travels with it
            assert theirs.result == mine.result


def test_a_stored_call_with_other_replies_is_kept_and_the_import_added_as_a_new_call(store, library, tmp_path):
    recorder = play_into(store, library, GOOD_REPLIES[:2], end=False)
    line = json.loads(next(jsonl_lines(store.calls())))
    line["transcript"][1]["text"] = "Something else entirely."
    path = tmp_path / "edited.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    done = import_calls(store, path).done
    assert done == [f"{path}:1: call {recorder.call_id} is stored with other replies; this one was added as call 2"]
    assert store.get(recorder.call_id).replies[0].text == GOOD_REPLIES[0]
    assert store.get(2).replies[0].text == "Something else entirely."


def test_a_line_that_is_not_a_whole_call_is_named_and_nothing_is_stored_for_it(store, library, tmp_path):
    play_into(store, library, GOOD_REPLIES[:1])
    good = json.loads(next(jsonl_lines(store.calls())))
    bad = [
        "not json",
        json.dumps({**good, "format": "other/1"}),
        json.dumps({**good, "seed": 2**70}),
        json.dumps({**good, "status": "weird"}),
        json.dumps({**good, "score": "abc"}),
        json.dumps({**good, "transcript": "none"}),
        json.dumps({**good, "trainee": "\ud800"}),
        "[" * 100_000,
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8", errors="surrogatepass")
    with open_store(tmp_path / "empty") as empty:
        imported = import_calls(empty, path)
        assert imported.done == [] and empty.calls() == []
    assert [p.split(": ", 1)[0] for p in imported.problems] == [f"{path}:{n}" for n in range(1, 9)]
    assert all(p.endswith("; skipped") for p in imported.problems)


def test_a_file_that_cannot_be_read_is_one_problem(store, tmp_path):
    assert import_calls(store, tmp_path).problems == [f"{tmp_path}: cannot read: it is a directory"]


def test_a_file_that_is_no_export_at_all_is_a_few_lines_of_problems_not_thousands(store, tmp_path):
    from simulator.records.cohort import MAX_PROBLEMS_PER_FILE

    path = tmp_path / "noise.jsonl"
    path.write_text("noise\n" * 500, encoding="utf-8")
    problems = import_calls(store, path).problems
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1 and problems[-1] == f"{path}: 490 more problem(s) skipped"
