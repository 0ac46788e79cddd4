"""The coaching note under a reply in train mode: what was detected, with the trainee's words that matched."""

from __future__ import annotations

from textual.content import Content

from simulator.catalogue import BY_ID, behaviour_name
from simulator.engine.agenda import NEWS as NEWS_SLOT
from simulator.engine.call import DODGED, Turn
from simulator.render.coaching import plain_principle
from simulator.scoring.conversation import TALKED_OVER, apology_ends_reply
from simulator.text import visible

# A coaching note stays short: the strongest few behaviours, the rest counted.
MAX_BEHAVIOURS = 3
# Longest quote of the trainee's words in a note; the debrief has the rest.
MAX_QUOTE = 60


def quote(words: str, limit: int = MAX_QUOTE) -> str:
    """The trainee's words, made harmless and cut to `limit` characters."""
    shown = " ".join(visible(words).split())
    return shown if len(shown) <= limit else shown[: limit - 1] + "\u2026"


def _mark(good: bool) -> tuple[str, str]:
    return ("\u2713 ", "$success bold") if good else ("\u2717 ", "$error bold")


def coaching_note(turn: Turn, buyer: str, previous: Turn | None = None) -> Content:
    """One line per finding: talked over the buyer, each behaviour with its words and match, or nothing.

    `previous` is the trainee's reply before this one: silence after an apology is the point of it.
    """
    lines: list[Content] = []
    if turn.interrupted:
        how = TALKED_OVER.get(turn.talked_over, "talked over them")
        lines.append(Content.assemble(_mark(False), f"While {buyer} vented, you {how} (let them vent)."))
    if turn.silent:
        apologised = previous is not None and {"apologizes", "asks_forgiveness"} & set(previous.behaviours)
        if turn.during_vent and not turn.interrupted:
            lines.append(Content.assemble(_mark(True), f"Silence while {buyer} vents: you let them finish."))
        elif apologised:
            lines.append(Content.assemble(_mark(True), f"Silence after your apology: {buyer} has room to answer."))
        else:
            lines.append(Content("\u00b7 Silence."))
    shown = [b for b in turn.behaviours if b != "stays_silent"]
    for behaviour in shown[:MAX_BEHAVIOURS]:
        info = BY_ID[behaviour]
        parts: list[str | tuple[str, str]] = [_mark(info.good), (behaviour_name(behaviour), "bold")]
        evidence = turn.detection.evidence_for(behaviour) if turn.detection else None
        if evidence is not None:
            parts.append(f": \u201c{quote(evidence.clause)}\u201d")  # the rep's words; how strong, in --details
        if not info.good:
            parts += [" \u2014 ", (plain_principle(info.principle), "italic")]
        lines.append(Content.assemble(*parts))
    if len(shown) > MAX_BEHAVIOURS:
        lines.append(Content(f"  and {len(shown) - MAX_BEHAVIOURS} more, in the debrief."))
    if turn.move is not None and any(cause == DODGED for cause, *_ in turn.move.causes):
        lines.append(Content.assemble(_mark(False), f"You left {buyer}'s question unanswered: answer it before you move on."))
    if not turn.silent and apology_ends_reply(turn) and NEWS_SLOT in turn.known:
        # The silence that follows is what the apology is for; in text it must be sent, as an empty reply. Not before
        # the news: a silence then only keeps her waiting (a play-tester was told to hush after a stall).
        lines.append(Content.assemble(("\u2192 ", "bold $accent"),
                                      f"Now stay silent: send an empty reply (Enter alone, or Ctrl+S) and let {buyer} answer."))
    if not lines:
        lines.append(Content("\u00b7 Nothing in that reply matched the rubric."))
    return Content("\n").join(lines)
