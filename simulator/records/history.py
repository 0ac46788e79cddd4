"""A trainee's history: every call, per scenario the best and average score and a trend, the weak spots, the next drill.

Only ended calls (finished, or the buyer hung up) with at least one reply count in the figures; calls
in progress, abandoned ones and calls where the trainee said nothing are listed but not scored. A
scenario's trend compares like with like: the calls played as its latest one was (see filters.py).
Everything is read from the debrief snapshots in the store, so the figures say what the trainee was
told at the time, even if the rubric changed since.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.catalogue import BY_ID
from simulator.records.filters import TREND_CALLS, CallFilter, Drill, change, counts, drill_of
from simulator.records.store import CallRecord, CallStore

if TYPE_CHECKING:
    from simulator.content.loader import Library
    from simulator.scoring.result import CallResult

# How many weak spots are named, and the least a behaviour must cost on average to be one.
WEAK_SPOTS = 3
MIN_POINTS_LOST = 1.0
# The trend chart shows the latest TREND_CALLS scores of a scenario played like its latest call (see filters.py).
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class ScenarioStats:
    """How a trainee does in one scenario: ended calls, best, average, and the scores in order for a chart."""

    scenario: str
    title: str
    calls: int
    passed: int
    best: int
    average: float
    scores: tuple[int, ...]  # oldest first
    # The trend compares like with like: the scores of the calls played as the latest one was (same buyer,
    # mode, and choices made or not), oldest first. Empty: every score is comparable.
    trend_scores: tuple[int, ...] = ()
    trend_drill: Drill | None = None  # what the trend compares
    drills: int = 1  # how many different drills (buyer, mode, choices) the scenario was played in

    @property
    def compared(self) -> tuple[int, ...]:
        """The scores the trend compares, oldest first."""
        return self.trend_scores or self.scores

    @property
    def trend(self) -> str:
        """The latest like-for-like scores as a one-line bar chart on the 0-100 scale."""
        return sparkline(self.compared[-TREND_CALLS:])

    @property
    def change(self) -> int:
        """The latest score minus the first one the trend chart shows."""
        return change(self.compared)

    def to_json(self) -> dict[str, Any]:
        """As `history --json` shows it."""
        drill = self.trend_drill
        return {
            "scenario": self.scenario,
            "title": self.title,
            "calls": self.calls,
            "passed": self.passed,
            "best": self.best,
            "average": round(self.average, 1),
            "scores": list(self.scores),
            "trend": {
                "persona": drill.persona if drill else None,
                "mode": drill.mode if drill else None,
                "chose_before_the_call": drill.chose_before_the_call if drill else None,
                "scores": list(self.compared[-TREND_CALLS:]),
                "change": self.change,
            },
        }


@dataclass(frozen=True)
class BehaviourStats:
    """How often one behaviour is hit across ended calls, and what it costs on average."""

    behaviour: str
    good: bool
    calls: int  # ended calls whose rubric scored this behaviour
    hits: int  # of those, the calls that showed it (for a bad behaviour: committed it)
    points_lost: float  # per call, on the 0-100 scale: a good line's missed share, a bad line's penalty

    @property
    def misses(self) -> int:
        """Calls that went wrong on this behaviour: a good one not shown, a bad one committed."""
        return self.calls - self.hits if self.good else self.hits

    def describe(self) -> str:
        """'missed in 4 of 5 calls' or 'committed in 2 of 5 calls'."""
        verb = "missed" if self.good else "committed"
        return f"{verb} in {self.misses} of {self.calls} call{'s' if self.calls != 1 else ''}"

    def to_json(self) -> dict[str, Any]:
        """As `history --json` shows it."""
        return {
            "behaviour": self.behaviour,
            "good": self.good,
            "calls": self.calls,
            "hits": self.hits,
            "misses": self.misses,
            "points_lost": round(self.points_lost, 2),
        }


@dataclass(frozen=True)
class NextDrill:
    """The call to practise next, and why."""

    scenario: str
    persona: str
    behaviour: str | None  # the weak spot it works on; None for a first call
    reason: str

    def to_json(self) -> dict[str, Any]:
        """As `history --json` shows it."""
        return {"scenario": self.scenario, "persona": self.persona, "behaviour": self.behaviour, "reason": self.reason}


@dataclass(frozen=True)
class HistorySummary:
    """Everything the History screen and `badnews history` show."""

    calls: tuple[CallRecord, ...]  # newest first, every status
    scenarios: tuple[ScenarioStats, ...]  # most played first
    behaviours: tuple[BehaviourStats, ...]  # costliest first
    next_drill: NextDrill | None
    problems: tuple[str, ...] = ()  # the damaged rows left out: "call 4 in PATH: why; skipped"

    @property
    def ended(self) -> int:
        """How many calls count in the figures."""
        return sum(1 for call in self.calls if call.ended)

    @property
    def weak_spots(self) -> tuple[BehaviourStats, ...]:
        """The behaviours that cost the most points on average, at most WEAK_SPOTS of them."""
        return weak_spots(self.behaviours)

    def to_json(self) -> dict[str, Any]:
        """The whole `history --json` output."""
        return {
            "calls": [call_summary(call) for call in self.calls],
            "scenarios": [s.to_json() for s in self.scenarios],
            "behaviours": [b.to_json() for b in self.behaviours],
            "weak_spots": [b.behaviour for b in self.weak_spots],
            "next_drill": self.next_drill.to_json() if self.next_drill else None,
        }


def call_summary(call: CallRecord) -> dict[str, Any]:
    """One call's line of the history: when, what, who, how it went."""
    return {
        "id": call.id,
        "uid": call.uid,
        "trainee": call.trainee,
        "started_at": call.started_at.isoformat(),
        "updated_at": call.updated_at.isoformat(),
        "scenario": call.scenario,
        "persona": call.persona,
        "mode": str(call.mode),
        "status": call.status,
        "replies": len(call.replies),
        "score": call.score if call.ended else None,
        "grade": call.grade if call.ended else None,
        "passed": call.passed if call.ended else None,
        "outcome": call.outcome if call.ended else None,
    }


def history_summary(
    store: CallStore,
    library: Library | None = None,
    *,
    trainee: str | None = None,
    filters: CallFilter | None = None,
) -> HistorySummary:
    """The history of the calls in `store` (one trainee's if given, and only those `filters` let through); with
    `library`, the next drill may be any scenario.

    A damaged row is left out, and named in `problems`.
    """
    records = store.calls(trainee)
    if filters is not None:
        records = [r for r in records if filters.matches(r)]
    return dataclasses.replace(summarise(records, library), problems=tuple(store.skipped))


def summarise(records: Sequence[CallRecord], library: Library | None = None) -> HistorySummary:
    """The history of these calls; pure, so the screen and the tests can hand it any records.

    The figures count ended calls with at least one reply: a call where the trainee said nothing is listed, not scored.
    """
    ended = [r for r in records if counts(r)]
    scenarios = _scenario_stats(ended)
    behaviours = behaviour_stats(r.result for r in ended)
    return HistorySummary(
        calls=tuple(sorted(records, key=lambda r: (r.started_at, r.id), reverse=True)),
        scenarios=scenarios,
        behaviours=behaviours,
        next_drill=next_drill(ended, behaviours, library),
    )


def _scenario_stats(ended: Sequence[CallRecord]) -> tuple[ScenarioStats, ...]:
    by_scenario: dict[str, list[CallRecord]] = {}
    for record in sorted(ended, key=lambda r: (r.started_at, r.id)):
        by_scenario.setdefault(record.scenario, []).append(record)
    stats = []
    for scenario, calls in by_scenario.items():
        scores = tuple(int(c.score or 0) for c in calls)
        latest = drill_of(calls[-1])
        stats.append(ScenarioStats(
            scenario=scenario,
            title=calls[-1].scenario_title or scenario,
            calls=len(calls),
            passed=sum(1 for c in calls if c.passed),
            best=max(scores),
            average=sum(scores) / len(scores),
            scores=scores,
            trend_scores=tuple(int(c.score or 0) for c in calls if drill_of(c) == latest),
            trend_drill=latest,
            drills=len({drill_of(c) for c in calls}),
        ))
    return tuple(sorted(stats, key=lambda s: (-s.calls, s.scenario)))


def weak_spots(behaviours: Iterable[BehaviourStats]) -> tuple[BehaviourStats, ...]:
    """Of behaviours costliest first: those that cost at least MIN_POINTS_LOST a call, at most WEAK_SPOTS of them."""
    return tuple(b for b in behaviours if b.points_lost >= MIN_POINTS_LOST)[:WEAK_SPOTS]


def behaviour_stats(results: Iterable[CallResult | None]) -> tuple[BehaviourStats, ...]:
    """Per behaviour, over the given saved results: calls scored, hits, and average points lost; costliest first."""
    return behaviour_totals(result.losses() if result else {} for result in results)


def behaviour_totals(losses: Iterable[Mapping[str, tuple[bool, float]]]) -> tuple[BehaviourStats, ...]:
    """Per behaviour, over each call's `CallResult.losses()`: calls scored, hits, average points lost; costliest first."""
    totals: dict[str, list[float]] = {}  # behaviour -> [calls, hits, points lost]
    for lines in losses:
        for behaviour, (hit, lost) in lines.items():
            entry = totals.setdefault(behaviour, [0, 0, 0.0])
            entry[0] += 1
            entry[1] += hit
            entry[2] += lost
    stats = [
        BehaviourStats(b, BY_ID[b].good, int(calls), int(hits), lost / calls)
        for b, (calls, hits, lost) in totals.items()
    ]
    return tuple(sorted(stats, key=lambda s: (-s.points_lost, s.behaviour)))


def _lost_in(record: CallRecord, behaviour: str) -> float:
    """The points one behaviour cost in one stored call."""
    return (record.result.losses() if record.result else {}).get(behaviour, (False, 0.0))[1]


def next_drill(
    ended: Sequence[CallRecord], behaviours: Sequence[BehaviourStats], library: Library | None
) -> NextDrill | None:
    """The scenario that weighs the weakest spot most, played least so far, with a hotter buyer once it is passed."""
    weak = next((b for b in behaviours if b.points_lost >= MIN_POINTS_LOST), None)
    if library is None or not library.scenarios:
        return _drill_from_history(ended, weak)
    if weak is None:
        order = {"easy": 0, "medium": 1, "hard": 2}
        if ended:  # nothing costs much: step up to the hardest scenario played least
            key, pick = max(library.scenarios.items(),
                            key=lambda kv: (order[kv[1].difficulty], -_plays(ended, kv[0]), kv[0]))
            return NextDrill(key, _persona_for(key, pick.default_persona, ended, library), None,
                             f"no weak spot stands out: try a {pick.difficulty} call, {pick.title}")
        key, pick = min(library.scenarios.items(), key=lambda kv: (order[kv[1].difficulty], kv[0]))
        return NextDrill(key, pick.default_persona, None, f"a first call: {pick.title} ({pick.difficulty})")
    key, pick = max(library.scenarios.items(),
                    key=lambda kv: (kv[1].scoring.weight(weak.behaviour), -_plays(ended, kv[0]), kv[0]))
    persona = _persona_for(key, pick.default_persona, ended, library)
    from simulator.content.tips import tip_for  # the content models: the trainer's view over a store never asks

    return NextDrill(key, persona, weak.behaviour, _reason(weak, pick.title, tip_for(weak.behaviour, pick)))


def _drill_from_history(ended: Sequence[CallRecord], weak: BehaviourStats | None) -> NextDrill | None:
    """Without the content files: the played scenario where the weak spot cost the most."""
    if weak is None or not ended:
        return None
    worst = max(ended, key=lambda r: (_lost_in(r, weak.behaviour), r.started_at))
    line = worst.result.behaviours.get(weak.behaviour) if worst.result else None
    tip = line.better if line and line.better else BY_ID[weak.behaviour].better
    return NextDrill(worst.scenario, worst.persona, weak.behaviour,
                     _reason(weak, worst.scenario_title or worst.scenario, tip))


def _reason(weak: BehaviourStats, title: str, tip: str) -> str:
    name = weak.behaviour.replace("_", " ")
    return (f"your weakest spot is {name} ({weak.describe()}, {weak.points_lost:.1f} points a call); "
            f"practise it in {title}. Try: {tip}")


def _plays(ended: Sequence[CallRecord], scenario: str) -> int:
    return sum(1 for r in ended if r.scenario == scenario)


def _persona_for(scenario: str, default: str, ended: Sequence[CallRecord], library: Library) -> str:
    """The scenario's own buyer until the trainee has passed with it, then the next hotter-starting persona."""
    passed = {r.persona for r in ended if r.scenario == scenario and r.passed}
    by_heat = sorted(library.personas.values(), key=lambda p: (p.start.temperature, p.id or ""))
    if default not in passed:
        return default
    heat = library.personas[default].start.temperature if default in library.personas else -1
    hotter = [p.id for p in by_heat if p.start.temperature > heat and p.id not in passed]
    return (hotter[0] if hotter else default) or default


def sparkline(scores: Sequence[int]) -> str:
    """Scores 0-100 as block characters, one per score, on a fixed scale so charts compare across scenarios."""
    top = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[round(max(0, min(100, s)) / 100 * top)] for s in scores)
