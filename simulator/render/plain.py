"""Plain-text rendering of a call: the transcript and the debrief, for the terminal and screen readers."""

from __future__ import annotations

from simulator.catalogue import BY_ID, Section
from simulator.engine.call import Call, Turn
from simulator.scoring import RubricLine, ScoreReport
from simulator.text import visible

SECTION_TITLES = {
    Section.BEFORE_CALL: "Before the call",
    Section.CONVERSATION: "The conversation",
    Section.REPLY: "Your replies",
}


def speaker_name(call: Call, turn: Turn) -> str:
    """Who said a turn, as the transcript names them."""
    return call.scenario.buyer.first_name if turn.speaker == "buyer" else "You"


def turn_line(call: Call, turn: Turn) -> str:
    """One transcript line, with the trainee's words made harmless to print."""
    text = visible(turn.text) if turn.text.strip() else "(silence)"
    return f"{speaker_name(call, turn)}: {text}"


def format_transcript(call: Call) -> str:
    """The whole call, annotated with what each reply showed and how the buyer's mood moved."""
    out = []
    for turn in call.transcript:
        out.append(turn_line(call, turn))
        if turn.speaker == "seller":
            shown = ", ".join(turn.behaviours) or "nothing detected"
            move = turn.move
            mood = f"temperature {turn.mood.temperature} ({move.temperature:+d}), trust {turn.mood.trust} ({move.trust:+d})"
            flag = "  [talked over the buyer]" if turn.interrupted else ""
            out.append(f"    -> {shown}; {mood}{flag}")
    return "\n".join(out)


def _line_text(line: RubricLine) -> list[str]:
    mark = "+" if line.hit and line.good else ("-" if not line.good and line.hit else " ")
    head = f" {mark} {line.behaviour:<24} {line.points:+6.1f}  {line.note}"
    rows = [head]
    for evidence in line.evidence[:3]:
        words = visible(evidence.words).strip() or "(silence)"
        match = ""
        if evidence.strength is not None:
            match = f" (matched '{evidence.phrase}', strength {evidence.strength:.2f} >= {evidence.threshold:.2f})"
        rows.append(f"      reply {evidence.turn}: \"{words}\"{match}")
    if not line.hit and line.good and line.weight:
        rows.append(f"      try: {BY_ID[line.behaviour].better}")
    if not line.good and line.hit:
        rows.append(f"      why it costs: {BY_ID[line.behaviour].principle}")
    return rows


def format_debrief(report: ScoreReport) -> str:
    """The score, the outcome and every rubric line with the trainee's words as evidence."""
    verdict = "PASSED" if report.passed else "NOT PASSED"
    out = [
        f"Score {report.score}/100  grade {report.grade}  {verdict} (pass mark {report.pass_mark})",
        f"Outcome: {report.outcome.replace('_', ' ')}" + (f" ({report.ended_by})" if report.ended_by else ""),
    ]
    for section in (Section.BEFORE_CALL, Section.CONVERSATION, Section.REPLY):
        lines = [line for line in report.lines if line.section is section and (line.weight or line.hit)]
        if not lines:
            continue
        out.append("")
        out.append(SECTION_TITLES[section])
        for line in lines:
            out.extend(_line_text(line))
    return "\n".join(out)
