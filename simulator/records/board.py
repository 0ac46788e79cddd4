"""The trainer's live board of a served class: who is in a call now, on what, how far, their last score; the weak spots.

`live_board(records, now=...)` is pure: `badnews serve` hands it the calls `CallStore.summaries()` read (every few
seconds, for the trainer's page) and the time. A rep is in a call when one of their calls is in progress and was
saved in the last LIVE_WINDOW (the app saves after every reply, so a tab closed without a word leaves a call that
drops off the board by itself). The rest comes from `team.team_view` over the same calls: each rep's last ended
score and, over the whole class, the behaviours that cost the most.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from simulator.catalogue import BY_ID
from simulator.records.filters import CallFilter
from simulator.records.history import BehaviourStats, weak_spots
from simulator.records.store import CallRecord, CallStore
from simulator.records.team import TraineeRow, team_view
from simulator.status import CallStatus
from simulator.text import name_order

# A call in progress not saved for this long is no longer shown as live: the rep has left it.
LIVE_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class LiveCall:
    """One rep in a call now: what they are playing, how far they are, and how their last ended call went."""

    call_id: int
    trainee: str
    group: str
    scenario: str
    scenario_title: str
    persona: str
    persona_name: str
    mode: str
    replies: int
    started_at: datetime
    updated_at: datetime
    last_score: int | None  # the score of their latest ended call with a reply; None before their first

    def quiet_for(self, now: datetime) -> timedelta:
        """How long since the call was last saved (the last reply, or the start)."""
        return max(now - self.updated_at, timedelta(0))

    def to_json(self, now: datetime) -> dict[str, Any]:
        """As the board's JSON lists it."""
        return {
            "call_id": self.call_id,
            "trainee": self.trainee,
            "group": self.group,
            "scenario": self.scenario,
            "scenario_title": self.scenario_title,
            "persona": self.persona,
            "persona_name": self.persona_name,
            "mode": self.mode,
            "replies": self.replies,
            "started_at": self.started_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "quiet_seconds": int(self.quiet_for(now).total_seconds()),
            "last_score": self.last_score,
        }


@dataclass(frozen=True)
class RepScores:
    """One rep of the class: their ended calls with a reply, and the latest, best and average score of those."""

    trainee: str
    counted: int
    latest: int | None
    best: int | None
    average: float | None

    def to_json(self) -> dict[str, Any]:
        """As the board's JSON lists it."""
        return {"trainee": self.trainee, "counted": self.counted, "latest": self.latest, "best": self.best,
                "average": None if self.average is None else round(self.average, 1)}


@dataclass(frozen=True)
class WeakBehaviour:
    """A behaviour the class finds hard, in plain words: what it is, how often it went wrong, what it cost."""

    behaviour: str
    summary: str  # the catalogue's plain description
    stats: BehaviourStats

    def to_json(self) -> dict[str, Any]:
        """As the board's JSON lists it."""
        return {"summary": self.summary, "describe": self.stats.describe(), **self.stats.to_json()}


@dataclass(frozen=True)
class Board:
    """Everything the trainer's page shows at one moment."""

    at: datetime
    group: str | None  # the class shown; None: every call in the store
    in_call: tuple[LiveCall, ...]  # by name
    reps: tuple[RepScores, ...]  # by name
    weak: tuple[WeakBehaviour, ...]  # costliest first
    counted: int  # ended calls with a reply, the ones the scores and weak behaviours are taken from
    problems: tuple[str, ...] = ()  # damaged rows the store skipped

    def to_json(self) -> dict[str, Any]:
        """The board as `/trainer/board.json` serves it."""
        return {
            "at": self.at.isoformat(),
            "group": self.group,
            "in_call": [call.to_json(self.at) for call in self.in_call],
            "reps": [rep.to_json() for rep in self.reps],
            "weak": [weak.to_json() for weak in self.weak],
            "counted": self.counted,
            "problems": list(self.problems),
        }


def live_board(records: Iterable[CallRecord], *, now: datetime, group: str | None = None,
               window: timedelta = LIVE_WINDOW, problems: Sequence[str] = ()) -> Board:
    """The board of the calls of `group` (every call when None) at `now`; pure and deterministic."""
    chosen = [r for r in records if group is None or r.group == group]
    view = team_view(chosen, CallFilter(group=group), problems)
    last_score = {row.trainee: row.figures.latest for row in view.trainees}
    live: dict[str, CallRecord] = {}  # per rep, their latest saved call in progress
    for record in chosen:
        if record.status is not CallStatus.IN_PROGRESS or now - record.updated_at > window:
            continue
        held = live.get(record.trainee)
        if held is None or (record.updated_at, record.id) > (held.updated_at, held.id):
            live[record.trainee] = record
    in_call = tuple(_live_call(live[name], last_score.get(name)) for name in sorted(live, key=_by_name))
    return Board(
        at=now,
        group=group,
        in_call=in_call,
        reps=tuple(_rep(row) for row in view.trainees),
        weak=class_weak_spots(view.trainees),
        counted=view.counted,
        problems=view.problems,
    )


def read_board(store: CallStore, *, now: datetime, group: str | None = None) -> Board:
    """The board of the calls in `store` (summaries: replies counted, debriefs left out where they can be); only the
    group's calls are read, not a whole team's history, as the page asks again every few seconds."""
    records = store.summaries(group=group)
    return live_board(records, now=now, group=group, problems=tuple(store.skipped))


def class_weak_spots(rows: Iterable[TraineeRow]) -> tuple[WeakBehaviour, ...]:
    """The behaviours that cost the whole class the most, from each rep's figures (the rows split the calls)."""
    totals: dict[str, list[float]] = {}  # behaviour -> [calls scored, hits, points lost in all]
    for row in rows:
        for stats in row.figures.behaviours:
            total = totals.setdefault(stats.behaviour, [0, 0, 0.0])
            total[0] += stats.calls
            total[1] += stats.hits
            total[2] += stats.points_lost * stats.calls
    merged = sorted(
        (BehaviourStats(b, BY_ID[b].good, int(calls), int(hits), lost / calls)
         for b, (calls, hits, lost) in totals.items() if calls and b in BY_ID),
        key=lambda s: (-s.points_lost, s.behaviour),
    )
    return tuple(WeakBehaviour(s.behaviour, BY_ID[s.behaviour].summary, s) for s in weak_spots(merged))


def _live_call(record: CallRecord, last_score: int | None) -> LiveCall:
    return LiveCall(
        call_id=record.id,
        trainee=record.trainee,
        group=record.group,
        scenario=record.scenario,
        scenario_title=record.scenario_title or record.scenario,
        persona=record.persona,
        persona_name=record.persona_name or record.persona,
        mode=str(record.mode),
        replies=record.replies_made,
        started_at=record.started_at,
        updated_at=record.updated_at,
        last_score=last_score,
    )


def _rep(row: TraineeRow) -> RepScores:
    figures = row.figures
    return RepScores(row.trainee, figures.counted, figures.latest, figures.best, figures.average)


def _by_name(name: str) -> tuple[str, str]:
    return name_order(name)
