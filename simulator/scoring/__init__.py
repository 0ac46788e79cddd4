"""Scoring: a played call in, one typed `CallResult` out, every point tied to a reply and its words.

`rubric` scores the catalogue's lines, `conversation` judges the behaviours that only the order of
replies shows, and `result` is the `replay --json` contract every other part reads.
"""

from simulator.scoring.result import (
    CallResult,
    CallStatus,
    LineResult,
    Mode,
    TurnResult,
    call_result,
    status_of,
)
from simulator.scoring.rubric import (
    PointEvidence,
    RubricLine,
    ScoreReport,
    grade_for,
    score_call,
)

__all__ = [
    "CallResult",
    "CallStatus",
    "LineResult",
    "Mode",
    "PointEvidence",
    "RubricLine",
    "ScoreReport",
    "TurnResult",
    "call_result",
    "grade_for",
    "score_call",
    "status_of",
]
