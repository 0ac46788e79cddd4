"""How the debrief shows a rubric line and an annotated turn: marks, the trainee's words, doctrine, a better way.

The words and the verdicts come from `render.rubric`, the same view the plain debrief and the
Markdown report are written from; this module only styles them.
"""

from __future__ import annotations

from textual.content import Content

from simulator.catalogue import behaviour_name
from simulator.render.coaching import Fix, what_happened
from simulator.render.rubric import LineView
from simulator.scoring.result import TurnResult
from simulator.text import visible

# How each verdict looks: a symbol and a theme colour.
MARKS: dict[str, tuple[str, str]] = {
    "earned": ("\u2713", "$success"),
    "avoided": ("\u2713", "$success"),
    "partly": ("\u25d1", "$warning"),
    "missed": ("\u25cb", "$warning"),
    "penalty": ("\u2717", "$error"),
}


def rubric_line_content(view: LineView, *, details: bool = False) -> Content:
    """A rubric line: verdict, points, note, the evidence, the principle and, when it went wrong, a better way.

    With `details`, the rubric id follows the name and each quoted reply says how it was matched.
    """
    symbol, colour = MARKS[view.verdict]
    name = f"{view.name} ({view.behaviour})" if details else view.name
    rows = [
        Content.assemble(
            (f"{symbol} ", f"{colour} bold"),
            # Gaps end the run before them (see chart.py): the points never look glued to the name.
            (name + "  ", "bold"),
            (f"{view.points:+.1f}  {view.verdict}  ", colour),
            Content(visible(view.note)),
        )
    ]
    for evidence in view.evidence:
        words = " ".join(visible(evidence.words).split()) or "(silence)"
        parts: list[str | tuple[str, str]] = [
            f"    reply {evidence.reply if evidence.reply is not None else '?'}: ",
            (f"\u201c{words}\u201d", "italic"),
        ]
        if evidence.matched and details:
            parts.append((f"  {visible(evidence.how())}", "dim"))
        rows.append(Content.assemble(*parts))
    if view.more:
        rows.append(Content(f"    and {view.more} more"))
    rows.append(Content.assemble(("    why: ", "dim"), (view.principle, "italic")))
    if view.better:
        rows.append(Content.assemble(("    try: ", "$accent"), (view.better, "$accent")))
    return Content("\n").join(rows)


def turn_content(turn: TurnResult, speaker: str, *, details: bool = False) -> Content:
    """One line of the annotated transcript; a reply also shows what it showed and how the mood moved.

    With `details`, what it showed is given by rubric id.
    """
    text = " ".join(visible(turn.text).split())
    said = Content(text) if text else Content.styled("(silence)", "italic")
    if turn.speaker == "buyer":
        return Content.assemble((f"{visible(speaker)}: ", "bold"), said)
    head = Content.assemble((f"You ({turn.reply}): ", "bold $primary"), said)
    shown = ", ".join(b if details else behaviour_name(b) for b in turn.behaviours) or "nothing detected"
    move = turn.mood_move
    mood = ""
    if move is not None:
        mood = (
            f"; temperature {turn.mood.temperature} ({move.temperature:+d}), trust {turn.mood.trust} ({move.trust:+d})"
        )
    notes = [Content.styled(f"    \u2192 {shown}{mood}", "dim")]
    if turn.interrupted:
        notes.append(Content.styled("    \u2717 talked over the buyer", "$error"))
    return Content("\n").join([head, *notes])


def fix_content(number: int, fix: Fix) -> Content:
    """One of the three changes that would have earned the most: the rep's words, what to say instead, why."""
    return Content.assemble(
        # the gap ends the bold run (see chart.py on leading spaces): "Own it · 4.7 points"
        (f"{number}. {fix.title} ", "bold"),
        "\u00b7 ",
        (f"{fix.points:.1f} points", "$error"),
        "\n",
        what_happened(fix),
        "\n",
        ("Instead: ", "$accent"),
        (fix.instead, "$accent"),
        "\n",
        ("Why: ", "dim"),
        (fix.why, "italic"),
    )
