"""A stored call shown again: rebuilt from its replies, and compared with what the trainee was told at the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from simulator.status import CallStatus

if TYPE_CHECKING:
    from simulator.content.loader import Library
    from simulator.engine.call import Call
    from simulator.records.record import CallRecord

DATE_FORMAT = "%d %b %Y %H:%M"


@dataclass(frozen=True)
class Review:
    """Which stored call the debrief shows, and whether today's content still plays and scores it the same."""

    call_id: int
    started_at: datetime
    status: CallStatus
    told_score: int | None  # the score the debrief showed when the call was played (ended calls only)
    told_grade: str | None
    same_words: bool  # the rebuilt call's buyer lines are the stored ones

    @property
    def unfinished(self) -> bool:
        """Whether the call stopped before its end (in progress or abandoned) and can be resumed."""
        return self.status.resumable

    def heading(self) -> str:
        """'Call 12 of 01 Mar 2025 09:01', in local time."""
        return f"Call {self.call_id} of {self.started_at.astimezone().strftime(DATE_FORMAT)}"

    def differences(self, score: int) -> list[str]:
        """What differs from the stored call: its buyer lines or its score, because the content changed since."""
        notes = []
        if not self.same_words:
            notes.append("The scenario or persona changed since this call: the buyer's lines shown here differ.")
        if self.told_score is not None and self.told_score != score:
            notes.append(
                f"At the time this call scored {self.told_score} (grade {self.told_grade or '?'}); "
                f"with today's rubric it scores {score}."
            )
        return notes


def review_of(record: CallRecord, library: Library) -> tuple[Call, Review]:
    """The stored call rebuilt with today's content, and how it compares; ResumeError when it cannot be rebuilt."""
    from simulator.records.recorder import rebuild_call, same_as_stored

    call = rebuild_call(record, library)
    if record.ended and not call.over:
        call.stop(record.ended_by or "ended")  # the trainee hung up: that is not a reply, so it is not replayed
    review = Review(
        call_id=record.id,
        started_at=record.started_at,
        status=record.status,
        told_score=record.score if record.ended else None,
        told_grade=record.grade if record.ended else None,
        same_words=same_as_stored(record, call),
    )
    return call, review
