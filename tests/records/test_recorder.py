"""A live call is saved after every turn, and a stored call rebuilds exactly: resume is replaying the stored replies."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.authoring.rescore import rescore
from simulator.engine.call import Call
from simulator.records.recorder import (
    CallRecorder,
    ResumeError,
    rebuild_call,
    resume_call,
    same_as_stored,
    saved_calls,
)
from simulator.records.store import StoreError
from simulator.scoring.result import turn_result

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, fill_the_disk, play_into

SMALL_TALK = ("Hi Dana, how are you?", "Lovely weather today.", "How is the family?", "How was your weekend?")


def test_a_call_played_to_its_end_is_finished_with_the_debrief_it_showed(store, library):
    recorder = play_into(store, library, GOOD_REPLIES)
    record = store.get(recorder.call_id)
    assert record.status == "finished" and record.ended
    assert record.snapshot == recorder.result().to_json()
    assert (record.score, record.grade, record.outcome) == (
        record.snapshot["score"], record.snapshot["grade"], record.snapshot["outcome"])
    assert (record.scenario_title, record.persona_name) == (recorder.call.scenario.title, "Calm")


def test_a_buyer_who_hangs_up_gives_a_hung_up_call(store, library):
    recorder = play_into(store, library, SMALL_TALK, persona="angry")
    assert store.get(recorder.call_id).status == "hung_up"


def test_each_turn_is_on_disk_before_the_next_reply(store, library):
    call = Call(library.scenario("late-shipment"), library.persona("calm"))
    call.open()
    recorder = CallRecorder.start(store, call, "ana")
    assert store.get(recorder.call_id).replies == ()
    for count, reply in enumerate(GOOD_REPLIES[:3], start=1):
        call.reply(reply)
        recorder.save()
        stored = store.get(recorder.call_id)
        assert len(stored.replies) == count and stored.status == "in_progress"
        assert stored.snapshot["transcript"][-1]["text"] == call.transcript[-1].text


def test_a_call_left_mid_way_is_abandoned_and_can_still_be_resumed(store, library):
    recorder = play_into(store, library, GOOD_REPLIES[:2], end=False)
    assert recorder.abandon() is None
    record = store.get(recorder.call_id)
    assert record.status == "abandoned" and record.resumable
    resumed = resume_call(store, record, library)
    assert store.get(record.id).status == "in_progress"
    assert resumed.call.transcript[-1].text == recorder.call.transcript[-1].text


def test_a_call_left_before_a_word_was_said_is_not_kept(store, library):
    first = play_into(store, library, [], end=False)  # restarted to make the before-call choices
    kept = play_into(store, library, GOOD_REPLIES[:1], end=False)
    assert first.abandon() is None and first.discarded
    assert kept.abandon() is None and not kept.discarded
    assert [record.id for record in store.calls()] == [kept.call_id]
    assert store.get(kept.call_id).status == "abandoned"
    with pytest.raises(StoreError):
        store.get(first.call_id)


def test_resuming_goes_on_in_the_same_stored_call_to_the_same_result_as_one_sitting(store, library):
    recorder = play_into(store, library, GOOD_REPLIES[:3], end=False)
    resumed = resume_call(store, store.get(recorder.call_id), library)
    for reply in GOOD_REPLIES[3:]:
        resumed.call.reply(reply)
        resumed.save()
    resumed.call.stop("input ended")
    resumed.save()
    whole = play_into(store, library, GOOD_REPLIES)
    split, straight = store.get(recorder.call_id), store.get(whole.call_id)
    assert split.replies == straight.replies
    assert split.snapshot == straight.snapshot


def test_an_ended_call_cannot_be_resumed(store, library):
    recorder = play_into(store, library, GOOD_REPLIES)
    with pytest.raises(ResumeError, match=r"is finished.*badnews report"):
        resume_call(store, store.get(recorder.call_id), library)


def test_a_call_whose_scenario_is_gone_says_so_on_resume(store, library):
    recorder = play_into(store, library, GOOD_REPLIES[:2], end=False)
    record = dataclasses.replace(store.get(recorder.call_id), scenario="late-shipmnet")
    with pytest.raises(ResumeError, match=r"no scenario 'late-shipmnet'.*did you mean"):
        resume_call(store, record, library)


def test_a_rebuilt_call_that_no_longer_matches_its_snapshot_is_flagged(store, library):
    recorder = play_into(store, library, GOOD_REPLIES[:2], end=False)
    record = store.get(recorder.call_id)
    assert same_as_stored(record, rebuild_call(record, library))
    first = record.snapshot["transcript"][0]
    edited = dict(record.snapshot, transcript=[{**first, "text": "a line the buyer no longer says"}])
    assert not same_as_stored(dataclasses.replace(record, snapshot=edited), rebuild_call(record, library))


class FlakyStore:
    """A store whose saves fail while `failing` is true, as a full disk or a long lock would."""

    def __init__(self, real) -> None:
        self.real, self.failing = real, False

    def save(self, *args, **kwargs) -> None:
        if self.failing:
            raise StoreError("disk full")
        self.real.save(*args, **kwargs)


def test_a_failing_save_is_said_once_and_the_next_good_save_writes_every_missing_reply(store, library):
    call = Call(library.scenario("late-shipment"), library.persona("calm"))
    call.open()
    call_id = CallRecorder.start(store, call, "ana").call_id
    flaky = FlakyStore(store)
    recorder = CallRecorder(flaky, call, call_id, "ana")
    flaky.failing = True
    call.reply(GOOD_REPLIES[0])
    assert "not being saved: disk full" in recorder.save()
    call.reply(GOOD_REPLIES[1])
    assert recorder.save() is None  # said once, not after every reply
    flaky.failing = False
    call.reply(GOOD_REPLIES[2])
    assert "nothing was lost" in recorder.save()
    assert [r.text for r in store.get(call_id).replies] == list(GOOD_REPLIES[:3])


def test_a_save_that_fails_once_the_call_has_ended_keeps_the_call_in_a_file_and_says_so(store, library, tmp_path):
    call = Call(library.scenario("late-shipment"), library.persona("calm"))
    call.open()
    call_id = CallRecorder.start(store, call, "ana").call_id
    flaky = FlakyStore(store)
    flaky.path = store.path
    recorder = CallRecorder(flaky, call, call_id, "ana")
    flaky.failing = True
    for reply in GOOD_REPLIES[:3]:
        call.reply(reply)
        recorder.save()
    call.stop("input ended")
    message = recorder.save()
    assert not recorder.saved and recorder.kept_in is not None
    assert message.startswith(f"call {call_id} could not be saved (disk full)")
    assert f"badnews import {recorder.kept_in}" in message
    assert recorder.save() is None  # said once; the file is kept up to date
    flaky.failing = False
    assert "nothing was lost" in recorder.save()
    assert recorder.saved and recorder.kept_in is None  # the file is no longer needed


def test_the_apps_recording_of_a_call_ended_on_a_full_disk_says_where_its_replies_are_kept(
    monkeypatch, data_folder, library
):
    import json
    from pathlib import Path

    from simulator.tui.keeper import CallKeeper

    fill_the_disk(monkeypatch, full_from=5)
    keeper = CallKeeper(data_folder, trainee="ana")
    call = Call(library.scenario("late-shipment"), library.persona("calm"))
    call.open()
    recording = keeper.record(call)
    try:
        assert recording.start().result() is None
        messages = []
        for reply in GOOD_REPLIES:
            if not call.over:
                call.reply(reply)
                messages.append(recording.save().result())
        call.stop("you hung up")
        messages.append(recording.save().result())
    finally:
        keeper.close()
    said = [m for m in messages if m]
    assert "not being saved" in said[0] and "could not be saved" in said[-1] and len(said) == 2
    assert recording.call_id is None  # the debrief and its report show the live call, not the stored half
    kept = said[-1].split("kept in ")[1].split(";")[0]
    (line,) = Path(kept).read_text(encoding="utf-8").splitlines()
    assert [t["text"] for t in json.loads(line)["transcript"] if t["speaker"] == "seller"] == [
        t.text for t in call.seller_turns]


def test_two_windows_going_on_with_one_call_keep_both_calls(store, library):
    recorder = play_into(store, library, GOOD_REPLIES[:2], end=False)
    record = store.get(recorder.call_id)
    first, second = resume_call(store, record, library), resume_call(store, record, library)
    first.call.reply(GOOD_REPLIES[2])
    assert first.save() is None
    second.call.reply(BLAMING_REPLIES[1])
    notice = second.save()
    assert notice and f"call {record.id} was also continued in another window" in notice
    assert second.call_id != record.id
    assert store.get(record.id).replies[-1].text == GOOD_REPLIES[2]
    assert [r.text for r in store.get(second.call_id).replies] == [*GOOD_REPLIES[:2], BLAMING_REPLIES[1]]


def test_ended_calls_feed_rescore_and_an_unchanged_rubric_gives_the_same_score(store, library):
    play_into(store, library, GOOD_REPLIES)
    play_into(store, library, BLAMING_REPLIES, persona="angry", seed=4)
    play_into(store, library, GOOD_REPLIES[:2], end=False)  # in progress: not a scored call
    saved = list(saved_calls(store.calls()))
    assert len(saved) == 2
    assert [rescore(call, library).delta for call in saved] == [0, 0]


REPLY_POOL = (*GOOD_REPLIES, *BLAMING_REPLIES, *SMALL_TALK, "I'm sorry.", "I understand.")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    replies=st.lists(st.tuples(st.sampled_from(REPLY_POOL), st.booleans()), min_size=1, max_size=8),
    persona=st.sampled_from(["calm", "angry", "numbers"]),
    seed=st.integers(0, 1000),
)
def test_any_stored_call_rebuilds_to_the_very_same_transcript(store, library, replies, persona, seed):
    call = Call(library.scenario("late-shipment"), library.persona(persona), seed=seed)
    call.open()
    recorder = CallRecorder.start(store, call, "ana")
    for text, interrupted in replies:
        if call.over:
            break
        call.reply(text, interrupted=interrupted)
        recorder.save()
    rebuilt = rebuild_call(store.get(recorder.call_id), library)
    assert [turn_result(t) for t in rebuilt.transcript] == [turn_result(t) for t in call.transcript]
    assert rebuilt.over == call.over and rebuilt.mood == call.mood
