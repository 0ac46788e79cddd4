"""Which calls a trainer looks at, and which calls may be compared with each other.

The filters (group, scenario, persona, mode, a span of days, a trainee) are shared by `team`,
`history` and `cohort`. A trend compares like with like: one trainee's ended calls with at least
one reply, of the same scenario, with the same buyer, in the same mode, and with or without the
before-call choices alike. A calm buyer in train mode and an angry one in an exam score on different
scales, and a plain call with no choices has lost the choices' points before it starts, so a change
between them says nothing about the trainee.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from simulator.status import Mode

if TYPE_CHECKING:
    from simulator.records.record import CallRecord

# A trend looks at this many of the latest like-for-like scores.
TREND_CALLS = 10


@dataclass(frozen=True)
class CallFilter:
    """What a trainer asked to see; a field left None lets every call through."""

    group: str | None = None
    scenario: str | None = None
    persona: str | None = None
    mode: Mode | None = None
    since: date | None = None  # the first day, included
    until: date | None = None  # the last day, included
    trainee: str | None = None
    zone: tzinfo | None = None  # the time zone the days are read in; None: the computer's own

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.shown())

    def admits(
        self,
        *,
        trainee: str,
        group: str,
        scenario: str,
        persona: str,
        mode: str,
        played_at: datetime | None,
    ) -> bool:
        """Whether a call with these facts passes; a call with no readable date fails a date filter."""
        if self.trainee is not None and trainee != self.trainee:
            return False
        if self.group is not None and group != self.group:
            return False
        if self.scenario is not None and scenario != self.scenario:
            return False
        if self.persona is not None and persona != self.persona:
            return False
        if self.mode is not None and mode != self.mode:
            return False
        if self.since is None and self.until is None:
            return True
        if played_at is None:
            return False
        day = played_at.astimezone(self.zone).date()
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def matches(self, record: CallRecord) -> bool:
        """Whether a stored call passes."""
        return self.admits(
            trainee=record.trainee,
            group=record.group,
            scenario=record.scenario,
            persona=record.persona,
            mode=record.mode,
            played_at=record.started_at,
        )

    def shown(self) -> list[str]:
        """The filters set, as a reader would say them: ['group north', 'mode exam', 'since 2025-03-01']."""
        parts = [
            f"{name} {value}"
            for name, value in (("trainee", self.trainee), ("group", self.group), ("scenario", self.scenario),
                                ("persona", self.persona), ("mode", self.mode))
            if value is not None
        ]
        if self.since is not None:
            parts.append(f"since {self.since.isoformat()}")
        if self.until is not None:
            parts.append(f"until {self.until.isoformat()}")
        return parts

    def to_json(self) -> dict[str, Any]:
        """The filters as JSON: every one, null when not set."""
        return {
            "trainee": self.trainee,
            "group": self.group,
            "scenario": self.scenario,
            "persona": self.persona,
            "mode": None if self.mode is None else str(self.mode),
            "since": None if self.since is None else self.since.isoformat(),
            "until": None if self.until is None else self.until.isoformat(),
        }


@dataclass(frozen=True, order=True)
class Drill:
    """What makes two calls comparable: the scenario, the buyer, the mode, and whether the choices were made."""

    scenario: str
    persona: str
    mode: str
    chose_before_the_call: bool

    def label(self) -> str:
        """'calm, train' or 'angry, exam, no choices': enough to say what a trend compares."""
        return f"{self.persona}, {self.mode}" + ("" if self.chose_before_the_call else ", no choices")


def drill_of(record: CallRecord) -> Drill:
    """The drill a stored call belongs to."""
    return Drill(record.scenario, record.persona, str(record.mode), record.chose_before_the_call)


def counts(record: CallRecord) -> bool:
    """Whether a call counts in averages and trends: it ended, has a score, and the trainee said something."""
    return record.ended and record.score is not None and record.replied


def change(scores: Sequence[int]) -> int:
    """The latest score minus the first of the last TREND_CALLS (oldest first); 0 for fewer than two."""
    shown = scores[-TREND_CALLS:]
    return shown[-1] - shown[0] if len(shown) > 1 else 0
