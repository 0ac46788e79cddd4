"""A scenario's stage machine read as a graph: which transitions can fire, which stages are reached, which can end.

The engine takes, after every reply, the first transition of the current stage whose condition
holds (see simulator/engine/machine.py). So a transition can be dead for two reasons: its own
condition can never hold, or an earlier transition of the same stage holds whenever it does.
Only live transitions count when asking what can be reached and what can end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.content.models import Condition, Scenario, Stage
from simulator.engine.machine import HUNG_UP

SILENCE = "stays_silent"
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class StageFinding:
    """Something doubtful about the stages, at a place in the scenario file."""

    loc: Loc
    message: str


def call_stages(scenario: Scenario) -> tuple[str, dict[str, Stage], bool]:
    """The start stage and stages a call of this scenario runs on, and whether the scenario wrote them itself."""
    from simulator.content.arc import default_arc

    if scenario.stages is not None:
        return scenario.start_stage, dict(scenario.stages), True
    arc = default_arc()
    return arc.start_stage, dict(arc.stages), False


def never_holds(condition: Condition, venting_anywhere: bool) -> str | None:
    """Why a condition can never be true of a reply, or None when it can."""
    both = sorted(set(condition.all) & set(condition.none))
    if both:
        return f"{_names(both)} must be both shown (`all`) and not shown (`none`)"
    if condition.any and set(condition.any) <= set(condition.none):
        return "every behaviour of `any` is also in `none`"
    for low, high, what in (
        (condition.temperature_at_least, condition.temperature_below, "temperature"),
        (condition.trust_at_least, condition.trust_below, "trust"),
    ):
        if low is not None and high is not None and low >= high:
            return f"no {what} is at least {low} and below {high}"
        if high == 0:
            return f"{what} is never below 0"
    silence_reason = _silence_conflict(condition)
    if silence_reason:
        return silence_reason
    if condition.vent_over is True and not venting_anywhere:
        return "`vent_over: true` needs a venting stage, and no stage has `venting: true`"
    return None


def _silence_conflict(condition: Condition) -> str | None:
    """A silent reply shows stays_silent and nothing else; a spoken one never shows it."""
    spoken_all = [b for b in condition.all if b != SILENCE]
    silent_required = condition.silent is True or SILENCE in condition.all or condition.any == [SILENCE]
    if silent_required and spoken_all:
        return f"a silent reply shows no other behaviour, so it cannot show {_names(spoken_all)}"
    if silent_required and condition.any and SILENCE not in condition.any:
        return f"a silent reply shows no other behaviour, so it cannot show any of {_names(condition.any)}"
    if silent_required and SILENCE in condition.none:
        return "the reply must be silent and must not show stays_silent"
    if condition.silent is False and (SILENCE in condition.all or condition.any == [SILENCE]):
        return "the reply must be spoken (`silent: false`) and show stays_silent"
    return None


def implies(later: Condition, earlier: Condition) -> bool:
    """Whether `earlier` holds on every reply where `later` holds (so `later`, checked after it, never fires)."""
    shown_for_sure = set(later.all) | ({SILENCE} if later.silent else set())
    any_covered = (
        not earlier.any
        or bool(shown_for_sure & set(earlier.any))
        or (bool(later.any) and set(later.any) <= set(earlier.any))
    )
    return (
        any_covered
        and set(earlier.all) <= shown_for_sure
        and set(earlier.none) <= set(later.none)
        and set(earlier.so_far) <= set(later.so_far) | shown_for_sure
        and earlier.silent in (None, later.silent)
        and earlier.vent_over in (None, later.vent_over)
        and earlier.goodbye in (None, later.goodbye)
        and earlier.question in (None, later.question)
        and _at_least_covered(earlier.temperature_at_least, later.temperature_at_least)
        and _below_covered(earlier.temperature_below, later.temperature_below)
        and _at_least_covered(earlier.trust_at_least, later.trust_at_least)
        and _below_covered(earlier.trust_below, later.trust_below)
        and _at_least_covered(earlier.turns_in_stage_at_least, later.turns_in_stage_at_least)
    )


def _at_least_covered(earlier: int | None, later: int | None) -> bool:
    return earlier is None or (later is not None and later >= earlier)


def _below_covered(earlier: int | None, later: int | None) -> bool:
    return earlier is None or (later is not None and later <= earlier)


def dead_transitions(stages: Mapping[str, Stage]) -> dict[tuple[str, int], str]:
    """(stage, index) -> why that transition can never fire, for every dead transition."""
    venting_anywhere = any(stage.venting for stage in stages.values())
    dead: dict[tuple[str, int], str] = {}
    for name, stage in stages.items():
        if stage.ending:
            continue
        for index, transition in enumerate(stage.transitions):
            reason = never_holds(transition.when, venting_anywhere)
            if reason is None:
                reason = _shadowed_by(stage, index)
            if reason is not None:
                dead[(name, index)] = reason
    return dead


def _shadowed_by(stage: Stage, index: int) -> str | None:
    later = stage.transitions[index].when
    for earlier_index, earlier in enumerate(stage.transitions[:index]):
        if implies(later, earlier.when):
            which = f"transition {earlier_index + 1} (to '{earlier.to}')"
            if earlier.when == Condition():
                return f"{which} has no condition, so it always fires first"
            return f"{which} is checked first and holds whenever this one does"
    return None


def live_edges(stages: Mapping[str, Stage]) -> dict[str, list[str]]:
    """stage -> the stages its live transitions lead to (endings lead nowhere: the call is over)."""
    dead = dead_transitions(stages)
    return {
        name: [t.to for i, t in enumerate(stage.transitions) if (name, i) not in dead and t.to in stages]
        if not stage.ending
        else []
        for name, stage in stages.items()
    }


def reachable(start: str, edges: Mapping[str, list[str]]) -> set[str]:
    """Every stage a call can get to from `start` along live transitions."""
    seen = {start}
    todo = [start]
    while todo:
        for target in edges.get(todo.pop(), []):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def stage_findings(start: str, stages: Mapping[str, Stage]) -> list[StageFinding]:
    """Dead transitions, unreachable stages, endings with transitions, and stages with no way to an ending."""
    findings: list[StageFinding] = []
    for (name, index), reason in dead_transitions(stages).items():
        to = stages[name].transitions[index].to
        message = f"transition to '{to}' can never fire: {reason}"
        findings.append(StageFinding(("stages", name, "transitions", index), message))
    for name, stage in stages.items():
        if stage.ending and stage.transitions:
            findings.append(StageFinding(
                ("stages", name, "transitions"),
                f"stage '{name}' is an ending (`ending: {stage.ending}`), so its transitions are never taken",
            ))
    if start not in stages:
        return findings  # already an error of the file
    edges = live_edges(stages)
    reached = reachable(start, edges)
    for name in stages:
        if name not in reached and name != HUNG_UP:  # the engine's own hang-up reaches hung_up from anywhere
            findings.append(StageFinding(("stages", name), f"stage '{name}' can never be reached from '{start}'"))
    endings = {name for name, stage in stages.items() if stage.ending}
    for name in stages:
        if name not in reached or stages[name].ending:
            continue
        if not reachable(name, edges) & endings:
            findings.append(StageFinding(("stages", name), _dead_end_message(name, edges[name])))
    return findings


def _dead_end_message(name: str, targets: list[str]) -> str:
    tail = "a call that gets here only ends when the buyer hangs up or the trainee stops"
    if not targets:
        return f"stage '{name}' has no `ending` and no transition that can fire: {tail}"
    return f"no path from stage '{name}' leads to an ending stage: {tail}"


def _names(ids: list[str]) -> str:
    return ", ".join(ids)


def describe(condition: Condition) -> str:
    """A condition in a few words, for diagrams: 'any(apologizes, owns_it) and trust >= 40'."""
    parts: list[str] = []
    for key in ("any", "all", "none", "so_far"):
        values = getattr(condition, key)
        if values:
            parts.append(f"{key}({', '.join(values)})")
    if condition.silent is not None:
        parts.append("silent" if condition.silent else "not silent")
    if condition.vent_over is not None:
        parts.append("vent over" if condition.vent_over else "still venting")
    if condition.goodbye is not None:
        parts.append("goodbye" if condition.goodbye else "no goodbye")
    if condition.question is not None:
        parts.append("asks something" if condition.question else "asks nothing")
    for key, symbol in (("temperature_at_least", ">="), ("temperature_below", "<"),
                        ("trust_at_least", ">="), ("trust_below", "<")):
        value = getattr(condition, key)
        if value is not None:
            parts.append(f"{key.split('_')[0]} {symbol} {value}")
    if condition.turns_in_stage_at_least is not None:
        parts.append(f"turns in stage >= {condition.turns_in_stage_at_least}")
    return " and ".join(parts)
