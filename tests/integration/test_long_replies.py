"""A reply over the length limit is never cut silently: the line mode says once how much was left out."""

from __future__ import annotations

import io
import json
import sys

from simulator.cli import main
from simulator.records.store import open_store
from simulator.text import MAX_REPLY_CHARS

LONG = "Dana, I have bad news: PO 4471 will be three weeks late. " + "Let me explain. " * 300


def run(argv, stdin, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_reply_over_the_limit_is_kept_to_the_limit_and_said_once_in_plain_mode(tmp_path, capsys, monkeypatch):
    assert len(LONG) > MAX_REPLY_CHARS
    code, _, err = run(["--data-dir", str(tmp_path), "play", "late-shipment", "--plain"],
                       LONG + "\nI'm sorry.\n", capsys, monkeypatch)
    assert code == 0
    said = [line for line in err.splitlines() if "left out" in line]
    assert len(said) == 1
    assert f"{MAX_REPLY_CHARS:,} characters" in said[0] and f"last {len(LONG) - MAX_REPLY_CHARS:,}" in said[0]
    with open_store(tmp_path) as store:
        (record,) = store.calls()
    assert [r.text for r in record.replies] == [LONG[:MAX_REPLY_CHARS], "I'm sorry."]


def test_replay_says_a_reply_was_cut_on_stderr_and_keeps_its_json_clean(capsys, monkeypatch):
    code, out, err = run(["replay", "late-shipment", "--json"], LONG + "\n", capsys, monkeypatch)
    assert code == 0
    transcript = json.loads(out)["transcript"]
    assert [t["text"] for t in transcript if t["speaker"] == "seller"] == [LONG[:MAX_REPLY_CHARS]]
    assert sum("left out" in line for line in err.splitlines()) == 1
