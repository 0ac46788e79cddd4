"""xAPI statements have the shape a Learning Record Store accepts (xAPI 1.0.3), with stable ids."""

from __future__ import annotations

import dataclasses
import re
import uuid
from datetime import datetime, timedelta

from simulator.records.xapi import (
    DEFAULT_BASE,
    actor,
    duration,
    is_base_iri,
    statements,
)

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, play_into

IRI = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s]+$")
ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
ADL = "http://adlnet.gov/expapi/verbs/"
BASE = "https://training.example.com/badnews"


def check_statement(statement: dict) -> None:
    """The rules of xAPI 1.0.3 that these statements use."""
    assert uuid.UUID(statement["id"])
    agent = statement["actor"]
    assert agent["objectType"] == "Agent"
    identifiers = [k for k in ("mbox", "account") if k in agent]
    assert len(identifiers) == 1  # exactly one inverse functional identifier
    if "account" in agent:
        assert IRI.match(agent["account"]["homePage"]) and agent["account"]["name"]
    else:
        assert agent["mbox"].startswith("mailto:")
    verb = statement["verb"]
    assert verb["id"] in {ADL + "completed", ADL + "passed", ADL + "failed"}
    assert verb["display"]["en-US"] == verb["id"].rsplit("/", 1)[1]
    activity = statement["object"]
    assert activity["objectType"] == "Activity" and IRI.match(activity["id"])
    assert IRI.match(activity["definition"]["type"]) and activity["definition"]["name"]["en-US"]
    result = statement["result"]
    assert result["completion"] is True and ISO_DURATION.match(result["duration"])
    if "score" in result:
        score = result["score"]
        assert -1 <= score["scaled"] <= 1 and score["min"] <= score["raw"] <= score["max"]
        assert score["scaled"] == score["raw"] / score["max"]
        assert isinstance(result["success"], bool)
        assert all(IRI.match(key) for key in result["extensions"])
    context = statement["context"]
    assert uuid.UUID(context["registration"])
    assert all(IRI.match(key) for key in context["extensions"])
    datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))


def test_an_ended_call_gives_completed_then_passed_or_failed_both_well_formed(store, library):
    passed = store.get(play_into(store, library, GOOD_REPLIES).call_id)
    failed = store.get(play_into(store, library, BLAMING_REPLIES).call_id)
    found = statements([passed, failed], BASE)
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in found] == ["completed", "passed", "completed", "failed"]
    for statement in found:
        check_statement(statement)
    assert found[1]["result"]["score"]["raw"] == passed.score and found[1]["result"]["success"] is True
    assert found[3]["result"]["success"] is False
    assert found[1]["object"]["id"] == f"{BASE}/scenarios/late-shipment"


def test_the_behaviours_are_result_extensions_keyed_by_iri(store, library):
    record = store.get(play_into(store, library, BLAMING_REPLIES).call_id)
    extensions = statements([record], BASE)[1]["result"]["extensions"]
    assert extensions[f"{BASE}/behaviours/blames_others"]["hit"] is True
    assert extensions[f"{BASE}/behaviours/blames_others"]["points"] < 0


def test_statement_ids_are_stable_across_exports_and_distinct_per_call_and_verb(store, library):
    records = [store.get(play_into(store, library, GOOD_REPLIES).call_id) for _ in range(2)]
    first, again = statements(records), statements(records)
    assert [s["id"] for s in first] == [s["id"] for s in again]
    assert len({s["id"] for s in first}) == 4


def test_calls_in_progress_or_abandoned_are_not_sent(store, library):
    play_into(store, library, GOOD_REPLIES[:2], end=False)
    play_into(store, library, GOOD_REPLIES[:1], end=False).abandon()
    assert statements(store.calls()) == []


def test_a_trainee_named_by_e_mail_is_identified_by_mbox():
    assert actor("ana@example.com", DEFAULT_BASE)["mbox"] == "mailto:ana@example.com"
    assert actor("ana", DEFAULT_BASE)["account"] == {"homePage": DEFAULT_BASE, "name": "ana"}


def test_durations_are_iso_8601(store, library):
    record = store.get(play_into(store, library, GOOD_REPLIES[:1]).call_id)
    long = dataclasses.replace(record, updated_at=record.started_at + timedelta(hours=1, minutes=2, seconds=3.5))
    assert duration(long) == "PT1H2M3.5S"
    assert ISO_DURATION.match(duration(record))


def test_only_an_http_address_can_be_the_base():
    assert is_base_iri(BASE) and is_base_iri("http://lms.local")
    assert not is_base_iri("training") and not is_base_iri("ftp://x") and not is_base_iri("https://a b")
