"""The rubric: a finished call in, a ScoreReport out, every point tied to a reply and its words.

The score is the share of the rubric's good points earned, less the penalties, on a 0-100 scale:

    score = 100 * (earned - penalties) / available      (clamped to 0..100)

`available` is the sum of the weights of every good rubric line that applies (reply behaviours,
conversation behaviours, and the before-call choices that were made). Each line's `points` is its
share of that scale, so the lines add up to the score before clamping.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.catalogue import BEFORE_CALL_IDS, BEHAVIOURS, BY_ID, Section
from simulator.engine.call import Call, Turn
from simulator.engine.mood import MoodMove
from simulator.scoring.conversation import conversation_findings

# A bad behaviour is charged for each reply that shows it, up to this many times.
MAX_PENALISED = 3
GRADES: tuple[tuple[int, str], ...] = ((90, "A"), (80, "B"), (70, "C"), (60, "D"))


def grade_for(score: int) -> str:
    """The letter grade of a score."""
    return next((letter for floor, letter in GRADES if score >= floor), "F")


@dataclass(frozen=True)
class PointEvidence:
    """Why a line earned or lost points: the reply, the trainee's words, the match and the mood move."""

    turn: int
    words: str
    phrase: str = ""
    strength: float | None = None
    threshold: float | None = None
    mood: MoodMove | None = None
    layer: str = ""  # what decided: phrase, rule, scenario, example or model; "" for the engine's own findings
    similar: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class RubricLine:
    """One behaviour's verdict: hit or not, the points it moved, and the evidence."""

    behaviour: str
    section: Section
    good: bool
    weight: float
    hit: bool
    points: float  # on the 0-100 scale; negative for penalties
    evidence: tuple[PointEvidence, ...]
    note: str


@dataclass(frozen=True)
class ScoreReport:
    """The debrief's numbers: score, grade, pass or not, outcome, and every rubric line."""

    score: int
    grade: str
    passed: bool
    pass_mark: int
    outcome: str
    ended_by: str
    lines: tuple[RubricLine, ...]
    available: float

    def line(self, behaviour: str) -> RubricLine | None:
        """The rubric line of one behaviour, if it was scored."""
        return next((line for line in self.lines if line.behaviour == behaviour), None)


def _evidence_for(turn: Turn, behaviour: str) -> PointEvidence:
    found = turn.detection.evidence_for(behaviour) if turn.detection else None
    if found is None:
        return PointEvidence(turn.index, turn.text, mood=turn.move)
    return PointEvidence(
        turn.index, found.clause, found.phrase, found.strength, found.threshold, turn.move, found.layer, found.similar
    )


def _turn_evidence(turns: dict[int, Turn], index: int) -> PointEvidence:
    turn = turns[index]
    return PointEvidence(index, turn.text, mood=turn.move)


def score_call(call: Call) -> ScoreReport:
    """Score a call, finished or not, on what happened in it."""
    scenario = call.scenario
    weights = scenario.scoring
    replies = call.seller_turns
    by_index = {t.index: t for t in call.transcript}
    pending: list[tuple[str, bool, float, float, tuple[PointEvidence, ...], str]] = []

    for behaviour in BEHAVIOURS:
        if behaviour.section is not Section.REPLY:
            continue
        showing = [r for r in replies if behaviour.id in r.behaviours]
        evidence = tuple(_evidence_for(r, behaviour.id) for r in showing)
        if behaviour.good:
            note = f"Shown in {_count(len(showing), 'reply', 'replies')}." if showing else "Not shown in any reply."
            pending.append((behaviour.id, bool(showing), 1.0 if showing else 0.0, 0.0, evidence, note))
        else:
            charged = min(len(showing), MAX_PENALISED)
            note = (
                f"Shown in {_count(len(showing), 'reply', 'replies')}; charged {_count(charged, 'time', 'times')}."
                if showing
                else "Avoided."
            )
            pending.append((behaviour.id, bool(showing), 0.0, float(charged), evidence, note))

    for finding in conversation_findings(call.transcript, scenario):
        evidence = tuple(_turn_evidence(by_index, i) for i in finding.turns)
        pending.append((finding.behaviour, finding.hit, finding.value, 0.0, evidence, finding.note))

    for choice_id in BEFORE_CALL_IDS:
        picked = call.choices.get(choice_id)
        choice = scenario.choices.get(choice_id)
        if picked is None or choice is None:
            continue  # a choice that was not made is not scored
        option = next(o for o in choice.options if o.id == picked)
        note = f"You chose: {option.text.rstrip('.')}." + (f" {option.feedback}" if option.feedback else "")
        pending.append((choice_id, option.correct, 1.0 if option.correct else 0.0, 0.0, (), note))

    available = sum(weights.weight(b) for b, *_ in pending if BY_ID[b].good) or 1.0
    lines = []
    for behaviour_id, hit, share, charged_times, evidence, note in pending:
        weight = weights.weight(behaviour_id)
        info = BY_ID[behaviour_id]
        points = 100 * weight * (share if info.good else -charged_times) / available
        lines.append(RubricLine(behaviour_id, info.section, info.good, weight, hit, points, evidence, note))
    score = max(0, min(100, round(sum(line.points for line in lines))))
    return ScoreReport(
        score=score,
        grade=grade_for(score),
        passed=score >= weights.pass_mark,
        pass_mark=weights.pass_mark,
        outcome=call.outcome or "unfinished",
        ended_by=call.ended_by or "",
        lines=tuple(lines),
        available=available,
    )


def _count(n: int, one: str, many: str) -> str:
    """A count with its noun: "1 reply", "2 replies" (read aloud, "reply(ies)" is noise)."""
    return f"{n} {one if n == 1 else many}"
