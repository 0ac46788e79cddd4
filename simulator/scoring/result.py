"""One typed result of a played call: it *is* the `badnews replay --json` contract.

Built once by `call_result()` from a `Call` and its score, then stored, exported, rendered, rescored
and read back by every other part. Keep every key stable and add new ones only with a default, so a
result written by an older version still reads (`CallResult.model_validate`). `badnews schema
--result` prints its JSON Schema.

Scale: every rubric line's `points` are on the call's 0-100 scale. A good line could have earned
`available` points and `lost` says how many it missed; a bad line's `lost` is its penalty.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    model_serializer,
    model_validator,
)

from simulator.catalogue import BY_ID, Section
from simulator.content.tips import tip_for
from simulator.engine.call import Call, Turn
from simulator.engine.machine import HUNG_UP
from simulator.engine.mood import Mood, MoodMove
from simulator.engine.script import SavedCall
from simulator.scoring.rubric import PointEvidence, RubricLine, ScoreReport, score_call
from simulator.status import CallStatus, Mode


class _Part(BaseModel):
    """A part of the result: reads results written by newer versions by ignoring keys it does not know."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class MoodResult(_Part):
    """The buyer's mood after a turn."""

    temperature: int
    trust: int
    band: str


class MoodCause(_Part):
    """One cause of a mood move: a behaviour, silence, interrupting, impatience or cooling down."""

    cause: str
    temperature: int
    trust: int


class MoodMoveResult(_Part):
    """What one reply did to the mood, and why."""

    temperature: int
    trust: int
    causes: list[MoodCause] = Field(default_factory=list)


class SimilarLine(_Part):
    """A labelled line the reply resembles, as evidence of a learned verdict."""

    text: str
    similarity: float


class DetectedEvidence(_Part):
    """What the detector matched in a reply: the clause (a slice of the words), the phrase or rule, the strength,
    which layer decided, the model's confidence and the labelled lines the reply resembles."""

    behaviour: str
    clause: str
    phrase: str
    strength: float
    threshold: float
    start: int
    end: int
    layer: str = "phrase"
    confidence: float | None = None
    similar: list[SimilarLine] = Field(default_factory=list)


class TurnResult(_Part):
    """One line of the transcript; a seller turn also has what was detected and how the mood moved."""

    speaker: Literal["buyer", "seller"]
    text: str
    behaviours: list[str] = Field(default_factory=list)
    mood: MoodResult
    stage: str = ""
    reply: int | None = Field(None, description="The trainee's reply number (1, 2, ...); none for the buyer.")
    evidence: list[DetectedEvidence] | None = None
    mood_move: MoodMoveResult | None = None
    interrupted: bool | None = Field(None, description="The reply talked over the venting buyer (for any reason).")
    cut_off: bool | None = Field(None, description="The reply was sent while the buyer's line was still coming.")
    talked_over: str | None = Field(
        None, description="Why it talked over the buyer: cut_off, explained or defended ('' when it did not)."
    )
    asks: list[str] | None = Field(None, description="A buyer turn: the agenda slots it asks for.")
    answers: str | None = Field(
        None, description="A buyer turn: the slot or question it answers (impact, understanding, forgiveness, "
        "choice, question), or null.",
    )
    known: list[str] = Field(default_factory=list, description="The agenda slots filled so far.")

    @property
    def spoken(self) -> bool:
        """Whether the turn has words (a seller's silence has none)."""
        return bool(self.text.strip())

    @model_serializer(mode="wrap")
    def _seller_keys_only_on_seller_turns(self, handler: Any) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if self.speaker == "buyer":
            for key in ("reply", "evidence", "mood_move", "interrupted", "cut_off", "talked_over"):
                data.pop(key, None)
        else:
            for key in ("asks", "answers"):
                data.pop(key, None)
        return data


class EvidenceResult(_Part):
    """Why a rubric line earned or lost points: which reply, the trainee's words, the match, the mood move."""

    turn: int = Field(description="The transcript index of the reply.")
    reply: int | None = Field(None, description="The trainee's reply number (1, 2, ...).")
    words: str
    phrase: str = ""
    strength: float | None = None
    threshold: float | None = None
    mood_move: MoodMoveResult | None = None
    layer: str = Field("", description="What decided: phrase, rule, scenario, example or model ('' for the engine).")
    similar: list[SimilarLine] = Field(default_factory=list)


class LineResult(_Part):
    """One rubric line: hit or not, the points it moved, what it could have earned, and the evidence."""

    hit: bool
    points: float
    evidence: list[EvidenceResult] = Field(default_factory=list)
    section: Section
    good: bool
    weight: float
    note: str = ""
    principle: str = ""
    better: str = ""
    available: float = Field(0.0, description="Points a good line could earn on the 0-100 scale (0 for a bad line).")
    lost: float = Field(0.0, description="Points missed (good line) or charged (bad line), on the 0-100 scale.")

    @property
    def verdict(self) -> str:
        """earned, partly, missed, penalty or avoided."""
        if not self.good:
            return "penalty" if self.hit else "avoided"
        if self.hit:
            return "earned"
        return "partly" if self.points > 0 else "missed"

    @property
    def scored(self) -> bool:
        """Whether the line counts in this scenario: it weighs something, or it is a fault the trainee showed (shown
        even where it costs nothing). A good line weighing nothing is not one: "+ solution before apology +0.0 earned"
        had been shown on a scenario that switches that line off, and stays_silent, which the conversation lines
        score, read "+0.0 earned"."""
        return bool(self.weight) or (self.hit and not self.good)


class CallResult(_Part):
    """A played call, scored: the `replay --json` contract, stored with every saved call and every export line."""

    scenario: str
    persona: str
    seed: StrictInt
    score: StrictInt
    grade: str
    passed: bool
    pass_mark: int
    outcome: str
    ended_by: str = ""
    choices: dict[str, str] = Field(default_factory=dict)
    behaviours: dict[str, LineResult] = Field(default_factory=dict)
    transcript: list[TurnResult] = Field(default_factory=list)
    # Added later: older stored calls read with these defaults.
    mode: Mode = Mode.TRAIN
    status: CallStatus = CallStatus.FINISHED
    available: float = Field(0.0, description="The sum of the good lines' weights: the score's denominator.")
    replies: int = Field(0, description="How many replies the trainee made.")
    scenario_title: str = ""
    persona_name: str = ""
    buyer: str = Field("", description="The buyer's first name, as the transcript names them.")
    agenda: list[str] = Field(default_factory=list, description="The buyer's agenda slots, most pressing first.")
    unanswered: list[str] = Field(
        default_factory=list,
        description="The buyer's questions that a reply left unanswered and that were still open when the call ended, "
                    "in her words.",
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_older_results(cls, data: Any) -> Any:
        """A result saved before `available`, `lost` and reply numbers were kept: derive them once, here."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        lines = data.get("behaviours")
        if isinstance(lines, dict):
            lines = {b: line for b, line in lines.items() if b in BY_ID}  # a rubric line this version does not know
            if not any(isinstance(v, dict) and "available" in v for v in lines.values()):
                lines = _with_availability(lines)
            data["behaviours"] = lines
        transcript = data.get("transcript")
        if isinstance(transcript, list) and "replies" not in data:
            numbered, count = [], 0
            for turn in transcript:
                if isinstance(turn, dict) and turn.get("speaker") == "seller" and "reply" not in turn:
                    count += 1
                    turn = {**turn, "reply": count}
                numbered.append(turn)
            data["transcript"], data["replies"] = numbered, count
        return data

    @property
    def reply_numbers(self) -> dict[int, int]:
        """Transcript index -> the trainee's reply number."""
        return {index: turn.reply for index, turn in enumerate(self.transcript) if turn.reply is not None}

    @property
    def seller_turns(self) -> list[TurnResult]:
        """The trainee's replies, in order."""
        return [turn for turn in self.transcript if turn.speaker == "seller"]

    def line(self, behaviour: str) -> LineResult | None:
        """The rubric line of one behaviour, if it was scored."""
        return self.behaviours.get(behaviour)

    def scored_lines(self) -> dict[str, LineResult]:
        """The rubric lines that count in this scenario, in rubric order."""
        return {b: line for b, line in self.behaviours.items() if b in BY_ID and line.scored}

    def losses(self) -> dict[str, tuple[bool, float]]:
        """Per line that weighs something: whether it was hit, and the points it cost against a perfect call."""
        return {b: (line.hit, line.lost) for b, line in self.behaviours.items() if b in BY_ID and line.weight}

    def to_json(self) -> dict[str, Any]:
        """The result as `replay --json` prints it."""
        return self.model_dump(mode="json")

    def saved(self, source: str) -> SavedCall:
        """The call as a script to play again (rescore, resume)."""
        replies = self.seller_turns
        return SavedCall(
            source=source,
            scenario=self.scenario,
            persona=self.persona,
            seed=self.seed,
            choices=dict(self.choices),
            replies=tuple(turn.text for turn in replies),
            interrupted=tuple(
                turn.cut_off if turn.cut_off is not None else turn.interrupted is True for turn in replies
            ),
            score=self.score,
            passed=self.passed,
        )


def _with_availability(lines: dict[str, Any]) -> dict[str, Any]:
    """`available` and `lost` for lines saved without them, from their weights, as scoring computes them."""
    known = {b: line for b, line in lines.items() if b in BY_ID and isinstance(line, dict)}
    total = sum(_number(line.get("weight")) for b, line in known.items() if BY_ID[b].good) or 1.0
    filled = dict(lines)
    for behaviour, line in known.items():
        weight, points = _number(line.get("weight")), _number(line.get("points"))
        info = BY_ID[behaviour]
        best = 100 * weight / total if info.good else 0.0
        filled[behaviour] = {"section": info.section, "good": info.good, **line,
                             "available": round(best, 2), "lost": round(max(0.0, best - points), 2)}
    return filled


def _number(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def status_of(call: Call) -> CallStatus:
    """The status of a live call: in progress, hung up by the buyer, or finished."""
    if not call.over:
        return CallStatus.IN_PROGRESS
    return CallStatus.HUNG_UP if call.stage == HUNG_UP else CallStatus.FINISHED


def call_result(
    call: Call, *, mode: Mode = Mode.TRAIN, status: CallStatus | None = None, report: ScoreReport | None = None
) -> CallResult:
    """The result of a call, finished or not, scored on what happened in it."""
    report = report or score_call(call)
    numbers = {turn.index: number for number, turn in enumerate(call.seller_turns, start=1)}
    return CallResult(
        scenario=call.scenario.id or "",
        persona=call.persona.id or "",
        seed=call.seed,
        score=report.score,
        grade=report.grade,
        passed=report.passed,
        pass_mark=report.pass_mark,
        outcome=report.outcome,
        ended_by=report.ended_by,
        choices=dict(call.choices),
        behaviours={line.behaviour: _line(line, report.available, numbers, call) for line in report.lines},
        transcript=[turn_result(turn, numbers.get(turn.index)) for turn in call.transcript],
        mode=mode,
        status=status or status_of(call),
        available=report.available,
        replies=len(numbers),
        scenario_title=call.scenario.title,
        persona_name=call.persona.name,
        buyer=call.scenario.buyer.first_name,
        agenda=list(call.agenda.ids),
        unanswered=list(call.unanswered),
    )


def turn_result(turn: Turn, reply: int | None = None) -> TurnResult:
    """One engine turn as the result shows it."""
    seller = turn.speaker == "seller"
    return TurnResult(
        speaker=turn.speaker,
        text=turn.text,
        behaviours=list(turn.behaviours),
        mood=_mood(turn.mood),
        stage=turn.stage,
        reply=reply if seller else None,
        evidence=[DetectedEvidence(**e.to_json()) for e in turn.detection.evidence] if seller and turn.detection else (
            [] if seller else None
        ),
        mood_move=_move(turn.move) if seller and turn.move else None,
        interrupted=turn.interrupted if seller else None,
        cut_off=turn.cut_off if seller else None,
        talked_over=turn.talked_over if seller else None,
        asks=None if seller else list(turn.asks),
        answers=None if seller else turn.answers,
        known=list(turn.known),
    )


def _mood(mood: Mood) -> MoodResult:
    return MoodResult(temperature=mood.temperature, trust=mood.trust, band=mood.band)


def _move(move: MoodMove) -> MoodMoveResult:
    causes = [MoodCause(cause=c, temperature=t, trust=r) for c, t, r in move.causes]
    return MoodMoveResult(temperature=move.temperature, trust=move.trust, causes=causes)


def _line(line: RubricLine, available: float, numbers: dict[int, int], call: Call) -> LineResult:
    info = BY_ID[line.behaviour]
    best = 100 * line.weight / available if line.good else 0.0
    return LineResult(
        hit=line.hit,
        points=round(line.points, 2),
        evidence=[_evidence(e, numbers) for e in line.evidence],
        section=line.section,
        good=line.good,
        weight=line.weight,
        note=line.note,
        principle=info.principle,
        better=tip_for(line.behaviour, call.scenario),
        available=round(best, 2),
        lost=round(max(0.0, best - line.points), 2),
    )


def _evidence(evidence: PointEvidence, numbers: dict[int, int]) -> EvidenceResult:
    return EvidenceResult(
        turn=evidence.turn,
        reply=numbers.get(evidence.turn),
        words=evidence.words,
        phrase=evidence.phrase,
        strength=evidence.strength,
        threshold=evidence.threshold,
        mood_move=_move(evidence.mood) if evidence.mood else None,
        layer=evidence.layer,
        similar=[SimilarLine(text=text, similarity=value) for text, value in evidence.similar],
    )
