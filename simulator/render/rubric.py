"""One rubric line as every format shows it: verdict, points, note, the trainee's words, the principle, a better way.

The plain debrief, the Markdown report and the app's widget all build their line from `line_view`,
so a partly earned line reads "partly" everywhere and replies are numbered the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.catalogue import BY_ID, Section, behaviour_name
from simulator.scoring.result import CallResult, EvidenceResult, LineResult
from simulator.text import visible

# Evidence quoted per rubric line: enough to show the pattern, short enough to read.
MAX_EVIDENCE = 3
SECTION_TITLES = {
    Section.BEFORE_CALL: "Before the call",
    Section.CONVERSATION: "The conversation",
    Section.REPLY: "Your replies",
}


@dataclass(frozen=True)
class EvidenceView:
    """One quoted reply under a rubric line."""

    reply: int | None  # the trainee's reply number; None if it cannot be told
    words: str  # raw: each format escapes it its own way
    phrase: str
    strength: float | None
    threshold: float | None
    layer: str = ""
    similar: tuple[tuple[str, float], ...] = ()

    @property
    def matched(self) -> bool:
        """Whether the detector's match (phrase, strength, threshold) is known."""
        return self.strength is not None and self.threshold is not None

    def how(self) -> str:
        """What decided, in one line (raw text: each format escapes it): the phrase or rule, or the model and
        what the reply resembles."""
        if self.strength is None or self.threshold is None:
            return ""
        if self.layer == "model":
            like = "; ".join(f"“{text}” ({value:.2f})" for text, value in self.similar[:2])
            return f"model {self.strength:.2f} ≥ {self.threshold:.2f}" + (f", like {like}" if like else "")
        return f"matched “{self.phrase}”, strength {self.strength:.2f} ≥ {self.threshold:.2f}"


@dataclass(frozen=True)
class LineView:
    """A rubric line ready to show."""

    behaviour: str
    name: str
    verdict: str  # earned, partly, missed, penalty, avoided
    points: float
    note: str
    evidence: tuple[EvidenceView, ...]
    more: int  # evidence not shown
    principle: str
    better: str | None  # a better way, when the line went wrong; from a scenario's tips, so shown harmlessly


def _evidence(evidence: EvidenceResult, numbers: dict[int, int]) -> EvidenceView:
    reply = evidence.reply if evidence.reply is not None else numbers.get(evidence.turn)
    similar = tuple((s.text, s.similarity) for s in evidence.similar)
    return EvidenceView(
        reply, evidence.words, evidence.phrase, evidence.strength, evidence.threshold, evidence.layer, similar
    )


def line_view(behaviour: str, line: LineResult, numbers: dict[int, int]) -> LineView:
    """The view of one rubric line of a result."""
    info = BY_ID[behaviour]
    wrong = (line.good and not line.hit and bool(line.weight)) or (not line.good and line.hit)
    return LineView(
        behaviour=behaviour,
        name=behaviour_name(behaviour),
        verdict=line.verdict,
        points=line.points + 0.0,  # never "-0.0"
        note=line.note,
        evidence=tuple(_evidence(e, numbers) for e in line.evidence[:MAX_EVIDENCE]),
        more=max(0, len(line.evidence) - MAX_EVIDENCE),
        principle=info.principle,
        better=visible(line.better or info.better) if wrong else None,
    )


def sections(result: CallResult) -> list[tuple[str, list[LineView]]]:
    """The rubric lines that count, grouped under their section titles, in rubric order."""
    numbers = result.reply_numbers
    grouped = []
    for section, title in SECTION_TITLES.items():
        views = [
            line_view(b, line, numbers) for b, line in result.scored_lines().items() if line.section is section
        ]
        if views:
            grouped.append((title, views))
    return grouped
