"""Between a live `Call` and the store: save it after every turn, and rebuild a stored call to go on with it.

The engine is deterministic, so a stored call is its scenario, persona, seed, choices and the seller's
replies: playing those replies through a fresh `Call` rebuilds the exact state, buyer lines and mood
included. The debrief snapshot saved with each turn is what the trainee was shown, kept for review.
Scoring a call takes time in proportion to its length, so past SNAPSHOT_REPLIES replies a save only
appends the reply and clears the snapshot; the call is scored again when it ends or is left.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.engine.call import Call
from simulator.engine.script import SavedCall, ScriptError, replay_saved
from simulator.records.store import (
    CallRecord,
    CallStore,
    Reply,
    ReplyConflict,
    StoreError,
    new_uid,
    utc_now,
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


# Replies after which a live call is no longer scored at every save, only when it ends or is left: an
# ordinary call (a dozen replies) keeps a debrief after each one, and a reply's save costs the same at
# reply 1,000 as at reply 10 (a call that never ends took 150 s for 1,567 replies, scoring them all each time).
SNAPSHOT_REPLIES = 25


class ResumeError(Exception):
    """A stored call cannot be picked up again; the message says why."""


def replies_of(call: Call) -> list[Reply]:
    """The seller's replies with the talked-over flag the transcript shows; replaying them gives the same turns."""
    return [Reply(turn.text, turn.cut_off) for turn in call.seller_turns]


class CallRecorder:
    """Keeps one live call saved: its new replies and its state after every turn, the debrief at the end.

    `save()` never raises: a failed write returns a message to show once, and the next save writes
    every reply still missing, so a passing problem (a full disk, a long lock) loses nothing. When the
    save that ends the call fails, no later save can catch up: the whole call is kept in a file of its
    own (`rescue.keep_aside`), and the message says where and how to take it back (`badnews import`).
    """

    def __init__(
        self,
        store: CallStore,
        call: Call,
        call_id: int,
        trainee: str,
        saved: int = 0,
        mode: Mode = Mode.TRAIN,
        uid: str = "",
        started_at: datetime | None = None,
        group: str | None = None,
    ) -> None:
        self.store = store
        self.call = call
        self.call_id = call_id
        self.trainee = trainee
        self.mode = mode
        self.group = group  # the group a new copy of the call is stored in; None: the store's default (--group)
        self.uid = uid  # the stored call's uid, which a kept file carries so `badnews import` completes that call
        self.started_at = started_at or utc_now()
        self.kept_in: Path | None = None  # the file the call is kept in while the store cannot take it
        self._saved = saved
        self._failing = False
        self._kept_said: tuple[Path | None, tuple[int, str] | None] | None = None  # what the user was last told
        self.discarded = False  # left before a word was said: taken away from the store (`abandon`)

    @classmethod
    def start(
        cls, store: CallStore, call: Call, trainee: str, mode: Mode = Mode.TRAIN, group: str | None = None
    ) -> CallRecorder:
        """Add the call to the store and save what has happened so far (StoreError if it cannot be added).

        `group` None: the group of the command line (`--group`, $BADNEWS_GROUP).
        """
        call_id, uid = _add(store, call, trainee, mode, group)
        recorder = cls(store, call, call_id, trainee, mode=mode, uid=uid, group=group)
        recorder._save(replies_of(call), status_of(call))
        return recorder

    @property
    def saved(self) -> bool:
        """Whether the store holds the call as it stands (False from a failed write until one succeeds)."""
        return not self._failing

    def unsaved_note(self) -> str | None:
        """The last word on a call the store does not hold: where it is kept instead; None when it is stored."""
        if self.saved:
            return None
        if self.kept_in is not None:
            return (f"call {self.call_id} could not be saved: it is kept in {self.kept_in}; "
                    f"once there is room again: badnews import {self.kept_in}")
        return (f"call {self.call_id} could not be saved, nor kept in a file: the line printed above holds it; "
                "save that line to a file and `badnews import FILE` it")

    def save(self) -> str | None:
        """Write the replies not yet stored and the call's state; a message for the user when that changed."""
        return self._write(status_of(self.call))

    def abandon(self) -> str | None:
        """The trainee left before the call ended: keep it as abandoned (it can still be resumed), or, left before
        a word was said, take it away (`discarded`): three play-testers who restarted to make the before-call choices
        found a "badnews resume N" line in `history` for each restart."""
        if not self.call.over and not self.call.seller_turns and not self._failing and not self.kept_in:
            with contextlib.suppress(StoreError):  # else kept as abandoned, as any call left
                self.discarded = self.store.discard_unstarted(self.call_id)
            if self.discarded:
                return None
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
                self.call_id, self.uid = _add(self.store, self.call, self.trainee, self.mode, self.group)
                self._saved = 0
                self._save(replies, status)
                return f"call {old} was also continued in another window; this one is now saved as call {self.call_id}"
        except StoreError as error:
            if getattr(self.store, "team", False) and _went_away(error):
                moved = self._keep_locally(replies, status, error)
                if moved is not None:
                    return moved
            first = not self._failing
            self._failing = True
            if self.call.over or status is CallStatus.ABANDONED:  # no later save will come to catch up
                return self._keep_aside(status, error)
            return f"this call is not being saved: {error}" if first else None
        if self._failing:
            self._failing = False
            self._drop_kept()
            return "saving this call again; nothing was lost"
        return None

    def _keep_locally(self, replies: Sequence[Reply], status: CallStatus, error: StoreError) -> str | None:
        """The team store went away mid-call: go on in this computer's file, to be sent when it is back.

        The call keeps its uid, so sending it later completes the team store's copy instead of adding a
        second one. None when the local file cannot take it either (the caller then keeps it aside).
        """
        from simulator.records.postgres import store_key

        key = store_key(self.store.where)
        try:
            local = CallStore.open(self.store.path)
            local.outbox_for = key
            self.uid = self.uid or new_uid()
            there = local.find(self.uid)
            if there is None:
                call_id = local.start_call(
                    trainee=self.trainee, scenario=self.call.scenario.id or "", persona=self.call.persona.id or "",
                    seed=self.call.seed, choices=self.call.choices, scenario_title=self.call.scenario.title,
                    persona_name=self.call.persona.name, mode=self.mode, uid=self.uid, started_at=self.started_at,
                    group=self.group,
                )
                saved = 0
            else:
                call_id, saved = there.id, len(there.replies)
            team, self.store, self.call_id, self._saved = self.store, local, call_id, saved
            self._save(replies, status)
        except StoreError:
            return None
        with contextlib.suppress(Exception):
            team.close()
        self._failing = False
        return (f"{error}. This call goes on, kept on this computer as call {call_id}; it is sent to the team store"
                " when it is back (`badnews sync`, or at the next start)")

    def _keep_aside(self, status: CallStatus, error: StoreError) -> str | None:
        """Keep the whole call in a file of its own; the message to show, once per file."""
        from simulator.records.rescue import keep_aside

        self.uid = self.uid or new_uid()
        record = self._as_record(status)
        path, line = keep_aside(record, self.store.path.parent)
        # Told once per file; a call printed for want of a file is printed again only once it has changed.
        said = (path, None if path is not None else (len(record.replies), status))
        if said == self._kept_said:
            return None  # the file is brought up to date without a word
        self._kept_said, self.kept_in = said, path
        count = len(self.call.seller_turns)
        replies = "its one reply is" if count == 1 else f"its {count} replies are"
        if path is None:
            return (f"call {self.call_id} could not be saved ({error}), nor kept in a file. So that nothing is lost, "
                    f"here is the whole call as a line of `badnews export` ({replies} in it):\n{line.rstrip()}")
        return (f"call {self.call_id} could not be saved ({error}). {replies.capitalize()} kept in {path}; "
                f"once there is room again: badnews import {path}")

    def _drop_kept(self) -> None:
        """The store holds the call again: the file kept meanwhile is no longer needed."""
        if self.kept_in is not None:
            with contextlib.suppress(OSError):  # a file left behind is harmless: importing it changes nothing
                self.kept_in.unlink(missing_ok=True)
        self.kept_in, self._kept_said = None, None

    def _as_record(self, status: CallStatus) -> CallRecord:
        """The live call as the store would hold it: what a kept file carries."""
        snapshot = self.result(status).to_json()
        passed = snapshot.get("passed")
        return CallRecord(
            id=self.call_id, uid=self.uid, trainee=self.trainee, scenario=self.call.scenario.id or "",
            scenario_title=self.call.scenario.title, persona=self.call.persona.id or "",
            persona_name=self.call.persona.name, seed=self.call.seed, choices=dict(self.call.choices),
            replies=tuple(replies_of(self.call)), status=status, outcome=snapshot.get("outcome"),
            ended_by=snapshot.get("ended_by"), score=snapshot.get("score"), grade=snapshot.get("grade"),
            passed=None if passed is None else bool(passed), pass_mark=snapshot.get("pass_mark"),
            started_at=self.started_at, updated_at=utc_now(), snapshot=snapshot, mode=self.mode,
            group=self.group or "",
        )

    def _save(self, replies: Sequence[Reply], status: CallStatus) -> None:
        scored = status is not CallStatus.IN_PROGRESS or len(replies) <= SNAPSHOT_REPLIES
        self.store.save(
            self.call_id,
            replies=replies,
            saved=self._saved,
            status=status,
            choices=self.call.choices,
            snapshot=self.result(status).to_json() if scored else None,
        )
        self._saved = len(replies)


def _add(store: CallStore, call: Call, trainee: str, mode: Mode, group: str | None = None) -> tuple[int, str]:
    """A new stored call for a live call, with no replies saved yet: its id and uid."""
    uid = new_uid()
    call_id = store.start_call(
        trainee=trainee,
        scenario=call.scenario.id or "",
        persona=call.persona.id or "",
        seed=call.seed,
        choices=call.choices,
        scenario_title=call.scenario.title,
        persona_name=call.persona.name,
        mode=mode,
        uid=uid,
        group=group,
    )
    return call_id, uid


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
    return CallRecorder(store, call, record.id, record.trainee, saved=len(record.replies), mode=record.mode,
                        uid=record.uid, started_at=record.started_at, group=record.group)


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


def _went_away(error: StoreError) -> bool:
    """Whether the team store is unreachable (rather than refusing this write)."""
    from simulator.records.postgres import StoreUnreachable

    return isinstance(error, StoreUnreachable)
