"""One stored call as the rest of the program reads it (`CallRecord`), and how its columns read back.

Its own module so that both the store, which writes and reads calls, and the column table of a whole
team's calls (`table.py`) can use it without either importing the other.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from simulator.status import CallStatus, Mode

if TYPE_CHECKING:
    from simulator.scoring.result import CallResult

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A time as the store writes it (`stamp`): what `parse_time` reads back to the same instant.
STAMPED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00")


@dataclass(frozen=True)
class Reply:
    """One seller reply as stored: enough to play it again through a fresh `Call`."""

    text: str
    interrupted: bool = False


@dataclass(frozen=True)
class CallRecord:
    """One stored call: how to play it again, where it got to, and the debrief it showed."""

    id: int
    uid: str
    trainee: str
    scenario: str
    scenario_title: str
    persona: str
    persona_name: str
    seed: int
    choices: dict[str, str]
    replies: tuple[Reply, ...]
    status: CallStatus
    outcome: str | None
    ended_by: str | None
    score: int | None
    grade: str | None
    passed: bool | None
    pass_mark: int | None
    started_at: datetime
    updated_at: datetime
    snapshot: dict[str, Any] | None  # the `replay --json` object at the last save; final once ended
    mode: Mode = Mode.TRAIN  # train (coaching after each reply) or exam (feedback only at the end)
    group: str = ""  # the class or team the trainee played in (`--group`); "" when none was given
    # Read by `CallStore.summaries`, for the trainer's view of a whole store: the replies are only counted and
    # the debrief is left out (snapshot None) when the rubric lines were packed at save (`packed.py`).
    reply_count: int | None = None  # None: `replies` holds them all
    rubric: str | None = None

    @property
    def summary(self) -> bool:
        """Read without its replies and maybe its debrief: `CallStore.get(id)` reads the whole call."""
        return self.reply_count is not None

    @property
    def replies_made(self) -> int:
        """How many replies the trainee made."""
        return len(self.replies) if self.reply_count is None else self.reply_count

    @property
    def chose_before_the_call(self) -> bool:
        """Whether the before-call questions were answered (a plain call with no `--choose` has none)."""
        return bool(self.choices)

    @property
    def replied(self) -> bool:
        """Whether the trainee said anything at all: a call with no reply is left out of averages."""
        return self.replies_made > 0

    @property
    def ended(self) -> bool:
        """Whether the call came to an end (finished or the buyer hung up) and its score counts."""
        return self.status.ended

    @property
    def resumable(self) -> bool:
        """Whether the call can be picked up where it stopped."""
        return self.status.resumable

    @cached_property
    def result(self) -> CallResult | None:
        """The saved result (the debrief the trainee was shown), with the record's status and mode; None if unreadable."""
        if self.snapshot is None:
            return None
        from pydantic import ValidationError

        from simulator.scoring.result import CallResult  # the scorer loads the engine: `badnews team` never asks

        try:
            result = CallResult.model_validate(self.snapshot)
        except ValidationError:
            return None
        return result.model_copy(update={"status": self.status, "mode": self.mode})


def json_or_none(text: object) -> Any:
    """A JSON column's value; a hand-edited, unreadable one reads as missing rather than failing the listing."""
    if not isinstance(text, (str, bytes)):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python's stack
        return None


def stamp(when: datetime) -> str:
    """A time as the store writes it and `team --json` lists it: UTC, to the millisecond."""
    return when.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_time(text: object) -> datetime:
    """A stored timestamp; a hand-edited, unreadable one reads as the epoch rather than failing the listing."""
    try:
        when = datetime.fromisoformat(str(text))
    except ValueError:
        return EPOCH
    return when if when.tzinfo else when.replace(tzinfo=UTC)
