"""How the debrief shows a rubric line and an annotated turn: marks, the trainee's words, doctrine, a better way."""

from __future__ import annotations

from textual.content import Content

from simulator.catalogue import BY_ID
from simulator.engine.call import Turn
from simulator.scoring import RubricLine
from simulator.text import visible
from simulator.tui.report import MAX_EVIDENCE, line_mark
from simulator.tui.widgets.coach import behaviour_name

# How each verdict looks: a symbol and a theme colour.
MARKS: dict[str, tuple[str, str]] = {
    "earned": ("\u2713", "$success"),
    "avoided": ("\u2713", "$success"),
    "partly": ("\u25d1", "$warning"),
    "missed": ("\u25cb", "$warning"),
    "penalty": ("\u2717", "$error"),
}


def rubric_line_content(line: RubricLine, numbers: dict[int, int]) -> Content:
    """A rubric line: verdict, points, note, the evidence, the principle and, when it went wrong, a better way."""
    info = BY_ID[line.behaviour]
    verdict = line_mark(line)
    symbol, colour = MARKS[verdict]
    rows = [
        Content.assemble(
            (f"{symbol} ", f"{colour} bold"),
            # Gaps end the run before them (see chart.py): the points never look glued to the name.
            (behaviour_name(line.behaviour) + "  ", "bold"),
            (f"{line.points + 0.0:+.1f}  {verdict}  ", colour),
            Content(visible(line.note)),
        )
    ]
    for evidence in line.evidence[:MAX_EVIDENCE]:
        words = " ".join(visible(evidence.words).split()) or "(silence)"
        parts: list[str | tuple[str, str]] = [
            f"    reply {numbers.get(evidence.turn, evidence.turn)}: ",
            (f"\u201c{words}\u201d", "italic"),
        ]
        if evidence.strength is not None and evidence.threshold is not None:
            phrase = visible(evidence.phrase)
            parts.append(
                (
                    f"  matched \u201c{phrase}\u201d {evidence.strength:.2f} \u2265 {evidence.threshold:.2f}",
                    "dim",
                )
            )
        rows.append(Content.assemble(*parts))
    if len(line.evidence) > MAX_EVIDENCE:
        rows.append(Content(f"    and {len(line.evidence) - MAX_EVIDENCE} more"))
    rows.append(Content.assemble(("    why: ", "dim"), (info.principle, "italic")))
    if (line.good and not line.hit and line.weight) or (not line.good and line.hit):
        rows.append(Content.assemble(("    try: ", "$accent"), (info.better, "$accent")))
    return Content("\n").join(rows)


def turn_content(turn: Turn, speaker: str, number: int | None) -> Content:
    """One line of the annotated transcript; a reply also shows what it showed and how the mood moved."""
    text = " ".join(visible(turn.text).split())
    said = Content(text) if text else Content.styled("(silence)", "italic")
    if turn.speaker == "buyer":
        return Content.assemble((f"{speaker}: ", "bold"), said)
    head = Content.assemble((f"You ({number}): ", "bold $primary"), said)
    shown = ", ".join(behaviour_name(b) for b in turn.behaviours) or "nothing detected"
    move = turn.move
    mood = ""
    if move is not None:
        mood = (
            f"; temperature {turn.mood.temperature} ({move.temperature:+d}), trust {turn.mood.trust} ({move.trust:+d})"
        )
    notes = [Content.styled(f"    \u2192 {shown}{mood}", "dim")]
    if turn.interrupted:
        notes.append(Content.styled("    \u2717 talked over the buyer", "$error"))
    return Content("\n").join([head, *notes])
