"""The two states every layer names: how a call is played (its mode) and where it stands (its status).

A tiny module at the bottom of the house, so the app's first screen can name a mode without loading
the engine, and the store, the result and the exports all spell a status the same way; and the one thing both the
plain mode and the app say of a call taken away because nothing was said in it.
"""

from __future__ import annotations

from enum import StrEnum

# What the trainee is told when a call left before a word was said is taken away (plain mode, the app).
NOT_KEPT = "Nothing was said, so the call is not kept."


class Mode(StrEnum):
    """How a call is played: coaching after each reply (train) or feedback only at the end (exam)."""

    TRAIN = "train"
    EXAM = "exam"


class CallStatus(StrEnum):
    """Where a call stands: still going, ended by the script or the trainee, left mid-way, or hung up on."""

    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    ABANDONED = "abandoned"
    HUNG_UP = "hung_up"

    @property
    def ended(self) -> bool:
        """Whether a call in this status is over and counts in the figures."""
        return self is CallStatus.FINISHED or self is CallStatus.HUNG_UP  # identity: asked of every call in a store

    @property
    def resumable(self) -> bool:
        """Whether a call in this status can be picked up where it stopped."""
        return self is CallStatus.IN_PROGRESS or self is CallStatus.ABANDONED
