"""Plain text of a call: the transcript and the debrief, for the terminal, scripts and screen readers."""

from __future__ import annotations

from simulator.render.coaching import plain_principle, three_fixes, verdict_sentence, what_happened
from simulator.render.rubric import LineView, sections
from simulator.scoring.result import CallResult, TurnResult
from simulator.text import visible


def turn_line(buyer: str, turn: TurnResult) -> str:
    """One transcript line, with the words made harmless to print."""
    text = visible(turn.text) if turn.spoken else "(silence)"
    return f"{visible(buyer) if turn.speaker == 'buyer' else 'You'}: {text}"


def format_transcript(result: CallResult) -> str:
    """The whole call, annotated with what each reply showed and how the buyer's mood moved."""
    out = []
    for turn in result.transcript:
        out.append(turn_line(result.buyer, turn))
        if turn.speaker == "seller":
            shown = ", ".join(turn.behaviours) or "nothing detected"
            move = turn.mood_move
            mood = f"temperature {turn.mood.temperature}, trust {turn.mood.trust}"
            if move is not None:
                mood = (
                    f"temperature {turn.mood.temperature} ({move.temperature:+d}), "
                    f"trust {turn.mood.trust} ({move.trust:+d})"
                )
            flag = "  [talked over the buyer]" if turn.interrupted else ""
            out.append(f"    -> {shown}; {mood}{flag}")
    return "\n".join(out)


MARKS = {"earned": "+", "partly": "~", "missed": " ", "penalty": "-", "avoided": " "}


def _line_text(view: LineView, details: bool) -> list[str]:
    name = view.behaviour if details else view.name
    rows = [f" {MARKS[view.verdict]} {name:<24} {view.points:+6.1f}  {view.verdict:<7}  {visible(view.note)}"]
    for evidence in view.evidence:
        words = visible(evidence.words).strip() or "(silence)"
        match = f" ({visible(evidence.how())})" if evidence.matched and details else ""
        rows.append(f"      reply {evidence.reply if evidence.reply is not None else '?'}: \"{words}\"{match}")
    if view.more:
        rows.append(f"      and {view.more} more")
    if view.better and view.verdict == "penalty":
        rows.append(f"      why it costs: {view.principle if details else plain_principle(view.principle)}")
    elif view.better:
        rows.append(f"      try: {view.better}")
    return rows


def format_debrief(result: CallResult, *, details: bool = False) -> str:
    """The score, the outcome, the three fixes, then every rubric line with the trainee's words as evidence.

    In plain words by default; `details` adds the rubric ids and how each match was made (the phrase
    file and line, the strength against the threshold, the layer that decided), for trainers."""
    verdict = "PASSED" if result.passed else "NOT PASSED"
    ended_by = f" ({visible(result.ended_by)})" if result.ended_by else ""
    out = [
        f"Score {result.score}/100  grade {result.grade}  {verdict} (pass mark {result.pass_mark})",
        f"Outcome: {result.outcome.replace('_', ' ')}{ended_by}",
        verdict_sentence(result),
    ]
    fixes = three_fixes(result)
    if fixes:
        out += ["", "What to change first"]
        for number, fix in enumerate(fixes, start=1):
            out += [
                f" {number}. {fix.title} ({fix.points:.1f} points)",
                f"    {what_happened(fix)}",
                f"    Instead: {fix.instead}",
                f"    Why: {fix.why}",
            ]
    for title, views in sections(result):
        out.append("")
        out.append(title)
        for view in views:
            out.extend(_line_text(view, details))
    return "\n".join(out)
