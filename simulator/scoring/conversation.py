"""Conversation behaviours: judged from the order of the replies and what the buyer did, not one reply."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz

from simulator.catalogue import behaviour_name
from simulator.content.errors import ContentError, Problem
from simulator.content.models import Scenario
from simulator.content.offers import mentions, plain
from simulator.content.placeholders import fill, placeholder_values
from simulator.content.yamlsafe import load_yaml_file
from simulator.engine.call import LISTENING, NEWS, THANKS, Turn

SUPPORT_REQUESTS_FILE = Path(__file__).with_name("support_requests.yaml")

APOLOGY = frozenset({"apologizes", "asks_forgiveness"})
SOLUTION = frozenset({"offers_options", "corrective_action"})
# Words allowed after the apology in the same reply before it stops "ending the reply" ("..., okay?").
TRAILING_WORDS_AFTER_APOLOGY = 3
# What an apology says in its own sentence without elaborating: what the rep is sorry for ("I'm sorry, you planned
# around our date and we let you down": seed 003's "I apologize for the inconvenience ... this has created").
APOLOGY_PARTS = APOLOGY | {"acknowledges_impact", "owns_it", "gives_specifics"}
SENTENCE_BREAK = re.compile(r"[.!?;]+\s+\S")
# A generic "I have a few options" with no named option counts as this many.
UNNAMED_OPTIONS = 2
# How many of the last spoken replies make up "the end of the call".
CLOSING_REPLIES = 3
# How close a reply must come to a support-request phrase (support_requests.yaml) to count.
SUPPORT_MATCH_THRESHOLD = 90


@dataclass(frozen=True)
class Finding:
    """The engine's verdict on one conversation behaviour, tied to the replies that earned or lost it."""

    behaviour: str
    value: float  # 0..1: the share of the rubric line's weight earned
    turns: tuple[int, ...]  # transcript indexes of the replies that decided it
    note: str

    @property
    def hit(self) -> bool:
        """Whether the behaviour was shown in full."""
        return self.value >= 1.0


def conversation_findings(transcript: Sequence[Turn], scenario: Scenario) -> list[Finding]:
    """Every conversation behaviour of the catalogue for one call."""
    replies = [t for t in transcript if t.speaker == "seller"]
    return [
        cut_to_the_chase(replies),
        let_them_vent(replies),
        silent_after_apology(replies),
        solution_before_apology(replies),
        options_count(replies, scenario),
        closes_with_support(replies),
    ]


def cut_to_the_chase(replies: Sequence[Turn]) -> Finding:
    """The first reply states the news, without stalling."""
    if not replies:
        return Finding("cut_to_the_chase", 0, (), "No reply was made.")
    first = replies[0]
    behaviours = set(first.behaviours)
    if NEWS & behaviours and "stalls" not in behaviours:
        return Finding("cut_to_the_chase", 1, (first.index,), "Your first reply gave the news straight away.")
    if NEWS & behaviours:
        return Finding("cut_to_the_chase", 0, (first.index,), "The news came in your first reply, but after a preamble.")
    later = next((r for r in replies if NEWS & set(r.behaviours)), None)
    when = f"it came only in reply {replies.index(later) + 1}" if later else "it never came"
    return Finding("cut_to_the_chase", 0, (first.index,), f"Your first reply did not state the news; {when}.")


def let_them_vent(replies: Sequence[Turn]) -> Finding:
    """While the buyer vented, the seller only listened or acknowledged."""
    during = [r for r in replies if r.during_vent]
    if not during:
        return Finding("let_them_vent", 0, (), "The buyer never heard the news, so never got to vent.")
    interruptions = [r for r in during if r.interrupted]
    if interruptions:
        first = interruptions[0]
        more = f" ({len(interruptions)} times in all)" if len(interruptions) > 1 else ""
        return Finding(
            "let_them_vent", 0, tuple(r.index for r in interruptions),
            f"While the buyer vented, you {TALKED_OVER.get(first.talked_over, 'talked over them')}: "
            f"\u201c{_short(first.text)}\u201d{more}.",
        )
    moved_on = [r for r in during if not r.silent and _moves_on(r, replies)]
    if moved_on:
        first = moved_on[0]
        said = ", ".join(sorted(behaviour_name(b) for b in _moves_on(first, replies)))
        return Finding(
            "let_them_vent", 0, tuple(r.index for r in moved_on),
            f"While the buyer vented, you moved on ({said}) instead of only listening: \u201c{_short(first.text)}\u201d.",
        )
    return Finding("let_them_vent", 1, tuple(r.index for r in during), "You let the buyer vent without interrupting.")


# Feeling for her: a reply that does, and says the news again in her terms, listens.
FEELS = frozenset({"acknowledges_impact", "apologizes", "owns_it", "asks_about_impact"})


def _moves_on(reply: Turn, replies: Sequence[Turn]) -> set[str]:
    """What a reply said during her vent besides listening. The news said again, once told, in a reply that feels for
    her ("I know. Levels 5 to 9 are on your critical path, ... and it's our package and our delay.") is listening: a
    play-tester who said the scenario's own acknowledges_impact tip was told he had moved on (2026-12-04)."""
    beyond = set(reply.behaviours) - LISTENING
    told = any(set(r.behaviours) & NEWS for r in replies if r.index < reply.index)
    if told and set(reply.behaviours) & FEELS:
        beyond -= NEWS
    return beyond


# How a reply talked over a venting buyer, in the debrief's words (engine: Turn.talked_over).
TALKED_OVER = {
    "cut_off": "cut in before they had finished their line",
    "explained": "explained instead of listening",
    "defended": "defended yourself instead of listening",
}
QUOTE_WORDS = 14


def _short(text: str) -> str:
    words = text.split()
    return " ".join(words[:QUOTE_WORDS]) + (" \u2026" if len(words) > QUOTE_WORDS else "")


def _apology_end(reply: Turn) -> int:
    """Where the reply's last apology ends; -1 when it has none."""
    detection = reply.detection
    return -1 if detection is None else max((e.end for e in detection.evidence if e.behaviour in APOLOGY), default=-1)


def apology_ends_reply(reply: Turn) -> bool:
    """No other behaviour, and barely a word, comes after the apology in this reply; or only what it is sorry for
    (the damage, owning it, its facts), in the apology's own sentence."""
    detection = reply.detection
    apology_end = _apology_end(reply)
    if detection is None or apology_end < 0:
        return False
    if {e.behaviour for e in detection.evidence if e.start >= apology_end} - APOLOGY_PARTS:
        return False
    # The rest of the apology's own sentence may say what it is for ("sorry, my fault."); a sentence more is
    # elaborating.
    tail = detection.text[apology_end:]
    return len(tail.split()) <= TRAILING_WORDS_AFTER_APOLOGY or not SENTENCE_BREAK.search(tail)


def silent_after_apology(replies: Sequence[Turn]) -> Finding:
    """An apology (or request for forgiveness) ends a reply, and the next reply is silence."""
    apologies = [i for i, r in enumerate(replies) if APOLOGY & set(r.behaviours)]
    if not apologies:
        return Finding("silent_after_apology", 0, (), "You never apologised, so there was no silence to keep after it.")
    for i in apologies:
        reply = replies[i]
        following = replies[i + 1] if i + 1 < len(replies) else None
        if apology_ends_reply(reply) and following is not None and following.silent:
            return Finding(
                "silent_after_apology", 1, (reply.index, following.index),
                "You apologised, stopped, and let the silence work.",
            )
    # The nearest miss: an apology the silence came after, but with more words between them; else the last that ended
    # its reply; else the last one with a reply after it (an apology in the goodbye had no reply after it to keep).
    followed = [i for i in apologies if i + 1 < len(replies)]
    near = [i for i in followed if replies[i + 1].silent]
    ending = [i for i in followed if apology_ends_reply(replies[i])]
    last = replies[(near or ending or followed or apologies)[-1]]
    if not followed:
        note = "Your only apology came in your last reply, so there was no reply after it to leave silent."
    elif not apology_ends_reply(last):
        after = _after_apology(last)
        note = "You kept talking after the apology instead of stopping there" + (
            f": \u201c{_short(after)}\u201d came after it" + (", before your silence." if near else ".")
            if after else "."
        )
    else:
        note = "You apologised but did not then stay silent: your next reply was not an empty one."
    return Finding("silent_after_apology", 0, (last.index,), note)


def _after_apology(reply: Turn) -> str:
    """What the reply says after its last apology."""
    end = _apology_end(reply)
    return reply.detection.text[end:].strip(" ,.;:-\u2014") if reply.detection is not None and end >= 0 else ""


def solution_before_apology(replies: Sequence[Turn]) -> Finding:
    """Options or corrective action come before the closing apology."""
    solutions = [r.index for r in replies if SOLUTION & set(r.behaviours)]
    apologies = [r.index for r in replies if APOLOGY & set(r.behaviours)]
    if not solutions or not apologies:
        missing = "solution" if not solutions else "apology"
        return Finding("solution_before_apology", 0, tuple(solutions + apologies), f"The call had no {missing}.")
    if solutions[0] <= apologies[-1]:
        return Finding(
            "solution_before_apology", 1, (solutions[0], apologies[-1]),
            "You put the solution on the table before your closing apology.",
        )
    return Finding(
        "solution_before_apology", 0, (apologies[-1], solutions[0]),
        "Your last apology came before any solution was offered.",
    )


def options_count(replies: Sequence[Turn], scenario: Scenario) -> Finding:
    """How many distinct options were offered over the call, against the scenario's target."""
    # A scenario with fewer approved options than the target can still be played perfectly.
    target = min(scenario.scoring.options_target, len(scenario.options) or scenario.scoring.options_target)
    named: dict[str, int] = {}
    for reply in replies:
        for offer in scenario.options:
            if offer.id not in named and mentions(reply.text, offer):
                named[offer.id] = reply.index
    generic = [r.index for r in replies if "offers_options" in r.behaviours]
    count = max(len(named), UNNAMED_OPTIONS if generic else 0)
    turns = tuple(sorted(set(named.values()) | set(generic[:1])))
    if named:
        values = placeholder_values(scenario)
        spoken = {offer.id: offer.spoken_name for offer in scenario.options}
        names = [fill(spoken[o], values) for o in named]
        if count > len(named):  # the detector heard options offered besides the approved ones named
            names.append("others not among the approved ones")
        offered = f"{count} option offered" if count == 1 else f"{count} options offered"
        note = f"{offered} ({', '.join(names)}); the target is {target}."
    elif generic:
        note = f"You offered options but named none of the approved ones; counted as {count} of {target}."
    else:
        note = f"No options were offered; the target is {target}."
    return Finding("options_count", min(count, target) / target, turns, note)


@cache
def support_requests() -> tuple[str, ...]:
    """Ways of asking the buyer to stay with you, from `support_requests.yaml` (a list of phrases)."""
    located = load_yaml_file(SUPPORT_REQUESTS_FILE)
    phrases = located.data
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise ContentError([Problem(located.path, 1, 1, "expected a list of phrases")])
    return tuple(plain(p) for p in phrases)


def asks_for_support(reply: Turn) -> bool:
    """Whether a reply asks the buyer for their continued support (or forgiveness, which asks the same)."""
    if "asks_forgiveness" in reply.behaviours:
        return True
    said = plain(reply.text)
    return any(
        len(said) >= len(phrase) and fuzz.partial_ratio(phrase, said) >= SUPPORT_MATCH_THRESHOLD
        for phrase in support_requests()
    )


def closes_with_support(replies: Sequence[Turn]) -> Finding:
    """The end of the call thanks the buyer, promises updates and asks for their continued support."""
    spoken = [r for r in replies if not r.silent][-CLOSING_REPLIES:]
    wanted = {
        "thanks_patience": "thanks",
        "keeps_informed": "a promise to keep them informed",
        "support": "a request for their continued support",
    }
    found = {b: r.index for r in spoken for b in wanted if b in r.behaviours}
    thanking = [r.index for r in spoken if THANKS.search(r.text)]  # the close's thanks need not be for patience
    if thanking and "thanks_patience" not in found:
        found["thanks_patience"] = thanking[-1]
    supporting = [r.index for r in spoken if asks_for_support(r)]
    if supporting:
        found["support"] = supporting[-1]
    missing = [text for b, text in wanted.items() if b not in found]
    value = len(found) / len(wanted)
    note = "Your close had all three parts." if not missing else f"Your close lacked {', '.join(missing)}."
    return Finding("closes_with_support", value, tuple(sorted(set(found.values()))), note)
