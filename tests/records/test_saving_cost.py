"""Saving a reply costs the same at reply 1,000 as at reply 10: the reply is appended, the scored snapshot is not
rewritten with every reply of a long call, and no reply is ever left out of the store or an export."""

from __future__ import annotations

import pytest

from simulator.content.loader import load_scenario
from simulator.detect import phrase_detector
from simulator.engine.call import Call
from simulator.records.export import export_line
from simulator.records.recorder import SNAPSHOT_REPLIES, CallRecorder, rebuild_call, same_as_stored
from simulator.scoring.result import CallStatus

ENDLESS = """\
title: "Endless"
difficulty: easy
brief: The order is late.
seller: {name: Sam Keller, role: Account manager, company: Northgate}
buyer: {name: Dana Whitfield, role: Buyer, company: Larkspur}
start_stage: talk
stages:
  talk:
    transitions:
      - to: done
        when: {all: [asks_forgiveness, goes_over_their_head]}
  done:
    ending: won_back
"""
REPLY = "We will ship on Friday, I promise."  # neither ends the call nor angers the calm buyer


class CountingStore:
    """A store that counts the saves that rewrite the scored snapshot."""

    def __init__(self, real) -> None:
        self.real, self.scored, self.saves = real, 0, 0
        self.path = real.path

    def save(self, *args, **kwargs) -> None:
        self.saves += 1
        self.scored += kwargs.get("snapshot") is not None
        self.real.save(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.real, name)


@pytest.fixture
def endless_call(tmp_path, library) -> Call:
    path = tmp_path / "endless.yaml"
    path.write_text(ENDLESS, encoding="utf-8")
    call = Call(load_scenario(path), library.persona("calm"), detector=phrase_detector())
    call.open()
    return call


def test_a_thousand_replies_rewrite_the_scored_snapshot_a_bounded_number_of_times(store, endless_call):
    counting = CountingStore(store)
    recorder = CallRecorder.start(counting, endless_call, "ana")
    for _ in range(1000):
        endless_call.reply(REPLY)
        assert recorder.save() is None
    assert not endless_call.over
    assert counting.saves == 1001 and counting.scored <= SNAPSHOT_REPLIES + 1
    endless_call.stop("input ended")
    recorder.save()
    record = store.get(recorder.call_id)
    assert len(record.replies) == 1000 and record.status == "finished"
    assert record.snapshot == recorder.result().to_json()  # the ending is always scored


def test_every_reply_of_a_long_call_is_stored_and_exported_even_between_snapshots(store, endless_call, library):
    recorder = CallRecorder.start(store, endless_call, "ana")
    for count in range(1, SNAPSHOT_REPLIES + 6):
        endless_call.reply(f"{REPLY} ({count})")
        recorder.save()
        assert len(store.get(recorder.call_id).replies) == count  # on disk before the buyer's answer shows
    record = store.get(recorder.call_id)
    assert record.status == "in_progress" and record.snapshot is None  # never a debrief that lags its replies
    exported = [turn["text"] for turn in export_line(record)["transcript"]]
    assert exported == [turn.text for turn in endless_call.seller_turns]
    assert same_as_stored(record, rebuild_call(record, _with(library, endless_call)))
    assert recorder.abandon() is None
    assert store.get(recorder.call_id).snapshot == recorder.result(CallStatus.ABANDONED).to_json()  # scored once more


def _with(library, call: Call):
    """The library with the call's own scenario added, as a folder of scenarios would give it."""
    import dataclasses

    return dataclasses.replace(library, scenarios={**library.scenarios, call.scenario.id: call.scenario})


def test_a_short_call_keeps_a_snapshot_after_every_reply(store, endless_call):
    recorder = CallRecorder.start(store, endless_call, "ana")
    for _ in range(3):
        endless_call.reply(REPLY)
        recorder.save()
        snapshot = store.get(recorder.call_id).snapshot
        assert snapshot is not None and snapshot["transcript"][-1]["text"] == endless_call.transcript[-1].text
