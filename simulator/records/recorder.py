"""Between a live `Call` and the store: save it after every turn, and rebuild a stored call to go on with it.

The engine is deterministic, so a stored call is its scenario, persona, seed, choices and the seller's
replies: playing those replies through a fresh `Call` rebuilds the exact state, buyer lines and mood
included. The debrief snapshot saved with each turn is what the trainee was shown, kept for review.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from simulator.engine.call import Call
from simulator.engine.script import SavedCall, ScriptError, replay_saved
from simulator.records.store import (
    CallRecord,
    CallStore,
    Reply,
    ReplyConflict,
    StoreError,
)
from simulator.scoring.result import (
    CallResult,
    CallStatus,
    Mode,
    call_result,
    status_of,
)

if TYPE_CHECKING:
    from simulator.content.loader import Library
    from simulator.detect import Detector


class ResumeError(Exception):
    """A stored call cannot be picked up again; the message says why."""


def replies_of(call: Call) -> list[Reply]:
    """The seller's replies with the talked-over flag the transcript shows; replaying them gives the same turns."""
    return [Reply(turn.text, turn.cut_off) for turn in call.seller_turns]


class CallRecorder:
    """Keeps one live call saved: its new replies and its state after every turn, the debrief at the end.

    `save()` never raises: a failed write returns a message to show once, and the next save writes
    every reply still missing, so a passing problem (a full disk, a long lock) loses nothing.
    """

    def __init__(
        self, store: CallStore, call: Call, call_id: int, trainee: str, saved: int = 0, mode: Mode = Mode.TRAIN
    ) -> None:
        self.store = store
        self.call = call
        self.call_id = call_id
        self.trainee = trainee
        self.mode = mode
        self._saved = saved
        self._failing = False

    @classmethod
    def start(cls, store: CallStore, call: Call, trainee: str, mode: Mode = Mode.TRAIN) -> CallRecorder:
        """Add the call to the store and save what has happened so far (StoreError if it cannot be added)."""
        call_id = _add(store, call, trainee, mode)
        recorder = cls(store, call, call_id, trainee, mode=mode)
        recorder._save(replies_of(call), status_of(call))
        return recorder

    def save(self) -> str | None:
        """Write the replies not yet stored and the call's state; a message for the user when that changed."""
        return self._write(status_of(self.call))

    def abandon(self) -> str | None:
        """The trainee left before the call ended: keep it as abandoned (it can still be resumed)."""
        return self._write(CallStatus.ABANDONED if not self.call.over else status_of(self.call))

    def result(self, status: CallStatus | None = None) -> CallResult:
        """The call's result as it stands, played in this recording's mode."""
        return call_result(self.call, mode=self.mode, status=status)

    def _write(self, status: CallStatus) -> str | None:
        replies = replies_of(self.call)
        try:
            try:
                self._save(replies, status)
            except ReplyConflict:
                # Another window went on with the same stored call: keep this window's call as a new one.
                old = self.call_id
                self.call_id, self._saved = _add(self.store, self.call, self.trainee, self.mode), 0
                self._save(replies, status)
                return f"call {old} was also continued in another window; this one is now saved as call {self.call_id}"
        except StoreError as error:
            first = not self._failing
            self._failing = True
            return f"this call is not being saved: {error}" if first else None
        if self._failing:
            self._failing = False
            return "saving this call again; nothing was lost"
        return None

    def _save(self, replies: Sequence[Reply], status: CallStatus) -> None:
        self.store.save(
            self.call_id,
            replies=replies,
            saved=self._saved,
            status=status,
            choices=self.call.choices,
            snapshot=self.result(status).to_json(),
        )
        self._saved = len(replies)


def _add(store: CallStore, call: Call, trainee: str, mode: Mode) -> int:
    """A new stored call for a live call, with no replies saved yet."""
    return store.start_call(
        trainee=trainee,
        scenario=call.scenario.id or "",
        persona=call.persona.id or "",
        seed=call.seed,
        choices=call.choices,
        scenario_title=call.scenario.title,
        persona_name=call.persona.name,
        mode=mode,
    )


def rebuild_call(record: CallRecord, library: Library, detector: Detector | None = None) -> Call:
    """A fresh `Call` with the stored replies played through it: the state the call was left in."""
    script = [(reply.text, reply.interrupted) for reply in record.replies]
    try:
        return replay_saved(
            library, record.scenario, record.persona, script,
            seed=record.seed, choices=record.choices, detector=detector, stop_reason=None,
        )
    except ScriptError as error:
        raise ResumeError(f"call {record.id}: {error}") from None


def same_as_stored(record: CallRecord, call: Call) -> bool:
    """Whether the rebuilt call says what the stored one said (False: the content changed since)."""
    if record.result is None:
        return True
    return [turn.text for turn in record.result.transcript] == [turn.text for turn in call.transcript]


def resume_call(store: CallStore, record: CallRecord, library: Library) -> CallRecorder:
    """Pick a stored call up where it stopped; ResumeError when it has ended or can no longer go on."""
    if not record.resumable:
        raise ResumeError(f"call {record.id} is {record.status.replace('_', ' ')}; `badnews report {record.id}` shows it")
    call = rebuild_call(record, library)
    if call.over:
        raise ResumeError(
            f"call {record.id} cannot go on: with today's scenario and persona it ends after "
            f"{len(call.seller_turns)} of its {len(record.replies)} replies"
        )
    try:
        store.set_status(record.id, CallStatus.IN_PROGRESS)
    except StoreError as error:
        raise ResumeError(str(error)) from None
    return CallRecorder(store, call, record.id, record.trainee, saved=len(record.replies), mode=record.mode)


def saved_calls(records: Sequence[CallRecord]) -> Iterator[SavedCall]:
    """The ended calls as `rescore` reads them."""
    for record in records:
        if record.ended and record.score is not None:
            yield SavedCall(
                source=f"call {record.id}",
                scenario=record.scenario,
                persona=record.persona,
                seed=record.seed,
                choices=dict(record.choices),
                replies=tuple(reply.text for reply in record.replies),
                interrupted=tuple(reply.interrupted for reply in record.replies),
                score=record.score,
                passed=record.passed,
            )
