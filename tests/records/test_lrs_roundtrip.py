"""A real LRS takes what `badnews export --xapi --lrs` sends, and gives it back: ids, verbs, scores, mode and group.

These run against the LRS named by $BADNEWS_TEST_LRS_URL (its xAPI address, such as
http://127.0.0.1:8100/xAPI), with $BADNEWS_TEST_LRS_KEY and $BADNEWS_TEST_LRS_SECRET; `.ci/run` starts
a throwaway ralph (`ralph runserver -b fs`) for them. With no LRS given they skip.
"""

from __future__ import annotations

import base64
import io
import json
import os
import sys
import urllib.parse
import urllib.request

import pytest

from simulator.cli import main
from simulator.paths import GROUP_ENV, STORE_ENV
from simulator.records import lrs
from simulator.records.store import open_store
from simulator.records.xapi import CMI5_MASTERY_SCORE, statements

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, play_into

URL = os.environ.get("BADNEWS_TEST_LRS_URL", "")
KEY = os.environ.get("BADNEWS_TEST_LRS_KEY", "")
SECRET = os.environ.get("BADNEWS_TEST_LRS_SECRET", "")
BASE = "https://training.example.com/badnews"

pytestmark = pytest.mark.skipif(
    not (URL and KEY and SECRET),
    reason="no LRS given ($BADNEWS_TEST_LRS_URL, $BADNEWS_TEST_LRS_KEY, $BADNEWS_TEST_LRS_SECRET)",
)


def lrs_get(**query: str) -> dict:
    """GET the LRS's statements resource with a query, as a reporting tool would."""
    address = lrs.statements_endpoint(URL) + "?" + urllib.parse.urlencode(query)
    request = urllib.request.Request(address, headers={
        "X-Experience-API-Version": "1.0.3",
        "Authorization": "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode(),
    })
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def one_statement(statement_id: str) -> dict:
    """The statement with this id, as the LRS keeps it (the xAPI text answers it alone; ralph in a list of one)."""
    found = lrs_get(statementId=statement_id)
    if "statements" in found:
        (found,) = found["statements"]
    return found


def send(capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(["export", "--xapi", "--xapi-base", BASE, "--lrs", URL,
                 f"--lrs-key={KEY}", f"--lrs-secret={SECRET}"])  # a secret may start with "-"
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def two_calls(data_folder, library, monkeypatch, capsys):
    """A call trained in group north-team that passes, and a plain (exam) call with no group that fails."""
    monkeypatch.delenv(STORE_ENV, raising=False)
    monkeypatch.setenv(GROUP_ENV, "north-team")
    with open_store(data_folder) as store:
        play_into(store, library, GOOD_REPLIES, trainee="ana")
    monkeypatch.delenv(GROUP_ENV)
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(BLAMING_REPLIES) + "\n"))
    assert main(["--trainee", "ben", "play", "late-shipment", "--plain"]) == 0
    capsys.readouterr()
    with open_store(data_folder) as store:
        return store.calls()


def test_the_lrs_gives_back_every_statement_as_sent_and_a_second_send_adds_nothing(two_calls, capsys, monkeypatch):
    sent = statements(two_calls, BASE)
    assert len(sent) == 8
    code, out, err = send(capsys, monkeypatch)
    endpoint = lrs.statements_endpoint(URL)
    assert code == 0, err + " (ralph's file backend keeps only the first POST it stores: start a fresh one per run)"
    assert out == f"sent 8 statements for 2 calls to {endpoint}: 8 stored\n"
    assert SECRET not in out + err

    for mine in sent:
        theirs = one_statement(mine["id"])
        assert theirs["id"] == mine["id"]
        assert theirs["verb"]["id"] == mine["verb"]["id"]
        assert theirs["actor"] == mine["actor"] and theirs["object"]["id"] == mine["object"]["id"]
        assert theirs.get("result", {}).get("score") == mine.get("result", {}).get("score")
        assert theirs.get("result", {}).get("success") == mine.get("result", {}).get("success")
        assert theirs.get("result") == mine.get("result")  # duration, completion and every rubric line's evidence
        assert theirs["context"]["registration"] == mine["context"]["registration"]
        assert theirs["context"]["extensions"] == mine["context"]["extensions"]
        assert theirs["context"]["contextActivities"] == mine["context"]["contextActivities"]
        assert theirs["timestamp"] == mine["timestamp"]

    modes = {}
    for record in two_calls:
        kept = lrs_get(registration=record.uid)["statements"]
        assert sorted(s["id"] for s in kept) == sorted(s["id"] for s in sent if s["context"]["registration"] == record.uid)
        verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in kept)
        judged = "passed" if record.passed else "failed"
        assert verbs == sorted(["initialized", "completed", judged, "terminated"])
        (judgement,) = (s for s in kept if s["verb"]["id"].endswith(judged))
        assert judgement["result"]["score"]["raw"] == record.score
        assert judgement["context"]["extensions"][CMI5_MASTERY_SCORE] == record.pass_mark / 100
        modes[record.trainee] = {s["context"]["extensions"][f"{BASE}/extensions/mode"] for s in kept}
        groups = {s["context"]["extensions"][f"{BASE}/extensions/group"] for s in kept}
        assert groups == {"north-team" if record.trainee == "ana" else ""}
    assert modes == {"ana": {"train"}, "ben": {"exam"}}

    code, out, err = send(capsys, monkeypatch)
    assert code == 0, err
    assert out.startswith(f"sent 8 statements for 2 calls to {endpoint}: ") and "other content" not in out
    for record in two_calls:
        assert len(lrs_get(registration=record.uid)["statements"]) == 4  # nothing stored twice
