"""Calls put straight into a test's calls database, as if the trainee had played them earlier."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from simulator.records.store import CallRecord, CallStore, open_store
from tests.playing import Ticker, play_into
from tests.tui.drive import BAD_CALL, GOOD_CALL, GOOD_CHOICES

TRAINEE = "ana"
SMALL_TALK = ["Hi Dana, how was your weekend?", "Lovely weather today, isn't it?", "How's the family?",
              "Did you catch the game last night?"]


def store_at(folder: Path) -> CallStore:
    """The test's calls database, with a clock that gives the same dates on every run."""
    return open_store(folder, clock=Ticker(datetime(2025, 3, 3, 9, 0, tzinfo=UTC), timedelta(hours=1)))


def played(
    store: CallStore,
    library,
    replies: Sequence[str],
    *,
    scenario: str = "late-shipment",
    persona: str = "calm",
    trainee: str = TRAINEE,
    choices: dict[str, str] | None = None,
    end: bool = True,
) -> CallRecord:
    """A call played and saved as the app does; `end=False` leaves it abandoned mid-way."""
    if choices is None and scenario == "late-shipment":
        choices = GOOD_CHOICES
    recorder = play_into(store, library, replies, scenario=scenario, persona=persona, trainee=trainee,
                         choices=choices, end=end, stop_reason="you hung up", abandon=not end)
    return store.get(recorder.call_id)


def a_history(store: CallStore, library) -> list[CallRecord]:
    """A bad call, a good one, a hang-up by an angry buyer, another trainee's call, and one left half-way."""
    return [
        played(store, library, BAD_CALL),
        played(store, library, GOOD_CALL),
        played(store, library, SMALL_TALK, persona="angry"),
        played(store, library, GOOD_CALL, trainee="someone-else"),
        played(store, library, GOOD_CALL[:2], end=False),
    ]
