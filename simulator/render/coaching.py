"""What a rep can use in thirty seconds: one sentence that squares the outcome with the score, then the
three changes that would have earned the most points, each with the rep's own words, what to say
instead in this scenario's words, and why. Every format leads with it: the app's debrief, the plain
debrief, `badnews report` and the saved Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.catalogue import BY_ID, Section
from simulator.scoring.result import CallResult
from simulator.text import visible

TOP_FIXES = 3
# A line must cost at least this much to be worth a rep's attention first.
MIN_FIX_POINTS = 0.5
# "(seeds 001, 002 items 5 and 9)" at the end of a principle.
SOURCE = re.compile(r"\s*\(seeds? [^)]*\)\s*(?=[.]?$)")
# The rep's words are quoted up to this many words.
QUOTE_WORDS = 20


@dataclass(frozen=True)
class Fix:
    """One change that would have earned points: what happened, in the rep's words, and what to say instead."""

    behaviour: str
    title: str  # in words: "Offer options", "Don't blame others"
    points: float  # points it cost against a perfect call
    said: str | None  # the rep's own words that earned the penalty or fell short; None: it never happened
    reply: int | None
    instead: str
    why: str
    chose: str | None = None  # a before-call choice: what the rep chose ("You chose: ...", and why it falls short)


# Where turning the id into an instruction word by word reads badly.
INSTRUCTIONS = {
    "explains_cause": "Explain the cause",
    "thanks_patience": "Thank them for their patience",
    "keeps_informed": "Promise to keep them informed",
    "helps_position_news": "Help them tell their own people",
    "corrective_action": "Say what you are doing to fix it",
    "options_count": "Offer all the approved options",
    "silent_after_apology": "Apologise, then stay silent",
    "solution_before_apology": "Put the solution before the closing apology",
    "closes_with_support": "Close with thanks, updates and a request for support",
    "call_not_email": "Call, don't email",
    "alert_the_boss": "Brief your own boss first",
    "solution_ready": "Have the solution ready before you dial",
    "prevents_recurrence": "Say what stops it happening again",
}


def plain_name(behaviour: str, good: bool) -> str:
    """A rubric line as an instruction: 'Offer options', 'Don't blame others'."""
    if behaviour in INSTRUCTIONS:
        return INSTRUCTIONS[behaviour]
    verb, *rest = behaviour.split("_")
    if verb.endswith(("sses", "oes", "shes")):
        verb = verb[:-2]
    elif verb.endswith("s") and not verb.endswith("ss"):
        verb = verb[:-1]
    words = " ".join([verb, *rest])
    return f"Don't {words}" if not good else words[:1].upper() + words[1:]


def three_fixes(result: CallResult, count: int = TOP_FIXES) -> list[Fix]:
    """The lines that cost the most, costliest first (ties in rubric order)."""
    costly = [(lost, behaviour) for behaviour, (_, lost) in result.losses().items() if lost >= MIN_FIX_POINTS]
    order = {behaviour: index for index, behaviour in enumerate(result.behaviours)}
    costly.sort(key=lambda item: (-item[0], order[item[1]]))
    fixes = []
    for lost, behaviour in costly[:count]:
        line = result.behaviours[behaviour]
        info = BY_ID[behaviour]
        evidence = next((e for e in line.evidence if e.words.strip()), None)
        said = _quote(evidence.words) if evidence is not None else None
        fixes.append(Fix(
            behaviour=behaviour,
            title=plain_name(behaviour, info.good),
            points=round(lost, 1),
            said=said,
            reply=evidence.reply if evidence is not None else None,
            instead=visible(line.better or info.better),
            why=plain_principle(visible(line.principle or info.principle)),
            chose=visible(line.note) if info.section is Section.BEFORE_CALL and line.note else None,
        ))
    return fixes


def plain_principle(principle: str) -> str:
    """The principle without its source reference ("(seeds 000, 004)"): a rep needs the idea, a trainer the source."""
    return SOURCE.sub("", principle).strip()


def what_happened(fix: Fix) -> str:
    """The rep's side of a fix, in one line."""
    if fix.chose is not None:
        return fix.chose
    if fix.said is None:
        return "You never did this."
    where = f"In reply {fix.reply} you said" if fix.reply is not None else "You said"
    return f"{where}: \u201c{fix.said}\u201d"


def verdict_sentence(result: CallResult) -> str:
    """One sentence that squares the buyer's outcome (how they felt at the end) with the score (the
    doctrine's checklist), so "won back" next to an F is never a puzzle."""
    buyer = visible(result.buyer) or "the buyer"
    hung_up = result.status == "hung_up" or (result.ended_by or "").startswith("buyer hung up")
    if hung_up:
        return (f"{buyer} hung up, so the call ended before you could put it right; the score counts what you "
                "did before that.")
    if not result.status.ended:
        return "The call is not finished: this is where it stands so far, and the points below would help most."
    ended = {
        "won_back": f"{buyer} was won back",
        "strained": f"{buyer} is still unhappy",
        "lost": f"you lost {buyer}",
    }.get(result.outcome, f"{buyer} ended {result.outcome.replace('_', ' ')}")
    ended = ended[:1].upper() + ended[1:]
    if result.outcome != "won_back" and result.unanswered:
        asked = _quote(result.unanswered[0])
        return (f"{ended}: \u201c{asked}\u201d was never answered. Answer the buyer's question before you move on; "
                "the points below are what the score counts.")
    if result.outcome == "won_back" and result.passed:
        return f"{ended} and the call passed: the points below would make it better still."
    if result.outcome == "won_back":
        return (f"{ended}, but the score counts the doctrine's steps, not only how {buyer} felt at the end: "
                "the points below are the steps you skipped.")
    if result.passed:
        return (f"You covered most of the doctrine's steps, yet {ended[:1].lower() + ended[1:]}: how you said it "
                "cost more than what you left out. Start with the points below.")
    return f"{ended} and the call did not pass: the three changes below would have done the most for both."


def _quote(words: str) -> str:
    said = visible(" ".join(words.split()))
    parts = said.split()
    return " ".join(parts[:QUOTE_WORDS]) + (" \u2026" if len(parts) > QUOTE_WORDS else "")
