"""The buyer's agenda: what they still need to know, filled by what the rep says (Schatzmann's agenda user).

A slot (`news`, `when`, `why`, `options`, `cost`, `prevention`, `position`, `next_steps`, plus any a
scenario adds) is filled by a reply that shows one of its behaviours, names one of its scenario facts
or offers, or says one of its phrases, and stays filled. The buyer asks for the most pressing open
slot and never for a filled one.

A phrase counts in other words too: a statement of the reply with every word of the phrase that says
something ("nobody has to re-book": nobody, re-book) in any order, among other words ("nobody on your
side has to rebook anything"). And a slot the buyer has just asked for is filled by a statement that
takes up her question: it shares with it, or with the slot's phrases, one word of the slot's phrases or
a number and one more word that says something, or three such words ("those 96 stay exactly as booked",
after "96 people have booked rooms: what happens to their reservations?"). A question back, a stall, or
a reply that only feels for her or promises to come back takes up nothing: she asks again.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from simulator.content.arc import Arc
from simulator.content.models import LineWhen, Offer, Persona, Scenario, Slot, StageLines
from simulator.content.offers import THOUSANDS, says
from simulator.detect.facts import word_key

# The priority of a slot that gives none: after every slot of the default agenda.
UNRANKED = 5
# Offer words that stand for every option or every compensation offer of the scenario.
ALL_OPTIONS, ALL_COMPENSATION = "options", "compensation"
NEWS = "news"
WHEN = "when"  # the slot of the new date: her question about it answered is a new commitment
POSITION = "position"  # the slot of what she tells the people above her
# A reply showing one of these puts her question off rather than taking it up;
STALLING = frozenset({"stalls", "dismisses_feelings"})
# so does one that only feels for her or promises to come back (an ASIDE), unless it also does something (ACTING).
ASIDE = frozenset({"acknowledges_impact", "keeps_informed"})
ACTING = frozenset({"states_the_news", "explains_cause", "corrective_action", "resets_expectations", "offers_options",
                    "compensates", "prevents_recurrence"})
_STATEMENT = re.compile(r"[^.!?;\n]+[.!?;\n]*")
# An answer that starts with yes or no, to a question that asks for one (a sentence of it opens with a verb).
YES_OR_NO = re.compile(
    r"\W*(?:yes|yeah|yep|yup|no|nope|absolutely|definitely|correct|of course|sure"
    r"|it (?:does|doesn't|does not|is|isn't|is not|will|won't)|they (?:do|don't|are|aren't|will|won't))\b",
    re.I,
)
_ASKS_YES_OR_NO = re.compile(
    r"(?:^|[.!?:]\s+|,\s*)(?:is|are|was|were|do|does|did|will|would|can|could|has|have|had|should|shall|am)\b[^.!?]*\?",
    re.I,
)
# An answer with a time in it, to a question that asks when: a day, a date, an hour, "within two days".
# ... or a need with a deadline, said as a statement: "I still need that revised programme before Thursday, Gareth."
# ("you'll have it wednesday" had drawn "You're not answering me.", a play-tester).
_ASKS_WHEN = re.compile(
    r"\b(?:when|what time|how soon|how long|what date|which date|what day|which day)\b[^.!?]*\?"
    r"|\b(?:need|want|expect|must have)\b[^.!?]*\b(?:before|by)\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow"
    r"|tonight|noon|end of|eod|the \d|\d)", re.I)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_A_TIME = re.compile(
    r"\b(?:today|tonight|tomorrow|tmrw|tmr|this (?:morning|afternoon|evening|week)|next week|end of (?:the )?(?:day|week)"
    r"|eod|cob|(?:mon|tues|wednes|thurs|fri|satur|sun)day|noon|midday|\d{1,2}(?::\d\d)?\s*(?:am|pm)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}|(?:with)?in (?:\w+ )?(?:hours?|days?|weeks?)"
    r"|the \d{1,2}(?:st|nd|rd|th)|\w+ (?:hours?|days?|weeks?|months?) from (?:now|today)|next month|end of (?:the )?month"
    rf"|(?:early|mid|late|end of|in|by|before|after)[- ]{_MONTH})\b",
    re.I,
)
# A statement that promises to come back with news, not a date for what she asked ("I'll call you tomorrow").
_COMES_BACK = re.compile(
    r"\b(?:call|ring|phone|update|email|e-mail|text|message|let you know|get back|hear from|come back|check in)\b", re.I)


def comes_back(text: str) -> bool:
    """Whether a statement promises to come back with news ("I'll call you Friday"): not a date for what she asked."""
    return _COMES_BACK.search(text) is not None


def time_answered(question: str, text: str) -> str:
    """The statement of a reply that gives a time in answer to a question that asks when ("Today. Within the hour."
    to "When do I see the corrected figures?"), or '' when none does; a promise to call back is not a time given."""
    if not _ASKS_WHEN.search(question):
        return ""
    return next((piece for piece in statements(text) if _A_TIME.search(piece) and not _COMES_BACK.search(piece)), "")


# An answer that gives her the words, to a question that asks what to tell someone: "tell him zero variance on this PO".
_ASKS_WHAT_TO_SAY = re.compile(
    r"\b(?:what|how)\b[^.!?]*\b(?:tell|say to|explain|put in front of|sell (?:this|it)|give (?:him|her|them))\b"
    r"[^.!?]*\?|\bwho writes it\b", re.I)
_FIGURE = re.compile(r"\d")
_GIVES_WORDS = re.compile(
    r"(?:^|[.!?;:,]\s*|\band\s+)(?:just |you can |you could |u can |i'd |i would )?(?:tell|say to|show) "
    r"(?:him|her|them|your \w+)\b"
    # or something written to hand on: "For Paul, I prepare a one page note", "I'll write it"
    r"|\b(?:a|an|the|my|our) (?:short |quick |brief |written |one[- ]page |one[- ]paragraph |two[- ]line )?"
    r"(?:note|summary|email|e-mail|letter|memo|briefing|brief|one[- ]pager|write[- ]?up|statement)\b"
    r"|\bi(?:'ll| will)? write (?:it|that|this|one|him|her|them)\b", re.I)


def words_given(question: str, text: str) -> str:
    """The statement of a reply that gives her the words, or something written to hand on, in answer to a question
    about what to tell someone ("Tell him zero variance on this PO." to "What do I tell my CFO?"), or ''."""
    if not _ASKS_WHAT_TO_SAY.search(question):
        return ""
    return next((piece for piece in statements(text) if _GIVES_WORDS.search(piece.strip())), "")
# Words that put the question off, and the opening of a sentence that only feels for her: engine flow, not
# scoring (the detector and the rubric judge the reply; these only keep the buyer from hearing an answer in it).
_PUTS_OFF = re.compile(
    r"\b(?:get|getting|come|coming|circle|be|report) back to (?:you|u)\b|\bback to (?:you|u) (?:by|before|at|on|in|today"
    r"|tomorrow|tmrw|tonight|this|first)\b|\bcall (?:you|u) back\b"
    r"|\b(?:let me|i'll|i will|i need to|i have to|i'd have to|i would have to|have to|need to)\s+(?:\w+\s+)?"
    r"(?:check|double[- ]check|look into|find out|confirm|ask|verify)\b|\bi (?:check|find out|confirm|verify)\b"
    r"|\b(?:checking|asking|confirming|verifying) (?:with|w|w/)\b",
    re.I,
)
_FEELS = re.compile(
    r"\W*(?:\w+,\s*)?i\s+(?:\w+ly\s+)?(?:understand|hear you|know (?:how|that|this|those|these|what|why)|get (?:it|that|why)"
    r"|can imagine|can see why|appreciate)\b",
    re.I,
)
_WORD = re.compile(r"[a-z0-9]+(?:['\u2019-][a-z0-9]+)*")
_JOINS = re.compile(r"['\u2019-]")


@dataclass(frozen=True)
class SlotPlan:
    """One slot of this call's agenda: the default's, the scenario's and the persona's parts merged."""

    id: str
    priority: int
    when: LineWhen
    filled_by: frozenset[str]
    facts: tuple[str, ...]  # the fact values that fill it
    offers: tuple[Offer, ...]
    phrases: tuple[str, ...]
    ask: tuple[tuple[int, StageLines], ...]  # (source rank, lines): scenario 2, persona 1, default 0
    heard: tuple[tuple[int, StageLines], ...]
    asked_by: tuple[str, ...]

    def filled_by_reply(self, text: str, behaviours: frozenset[str], offered: frozenset[str]) -> bool:
        """Whether this reply (with the ids of the offers it names) fills the slot."""
        return bool(
            self.filled_by & behaviours
            or offered.intersection(offer.id for offer in self.offers)
            or any(says(text, fact) for fact in self.facts)
            or any(says(text, phrase) for phrase in self.phrases)
            or self._says_phrase_loosely(text)
        )

    def _says_phrase_loosely(self, text: str) -> bool:
        """Whether one statement of the reply has every word that says something of one of the slot's phrases."""
        if not self._phrase_words:
            return False
        return any(any(words <= said for words in self._phrase_words) for said in map(key_words, statements(text)))

    def takes_up(self, text: str, question: str) -> bool:
        """Whether a statement of this reply takes up the question the buyer just asked for this slot."""
        return bool(self.answer_in(text, question))

    def answer_in(self, text: str, question: str) -> str:
        """The statement of this reply that takes up the question the buyer just asked for this slot, or ''."""
        return answer_to(text, question, self._topic)

    @cached_property
    def _topic(self) -> frozenset[str]:
        """The words of the slot's phrases: one of them shared with her question points a statement at it."""
        return frozenset(w for words in self._phrase_words for w in words)

    @cached_property
    def _phrase_words(self) -> tuple[frozenset[str], ...]:
        """The words that say something of each phrase of two or more of them (one is a matter for `says`)."""
        return tuple(words for phrase in self.phrases if len(words := key_words(phrase, parts=False)) >= 2)


def answer_to(text: str, question: str, topic: frozenset[str] = frozenset()) -> str:
    """The statement of this reply that takes up her question, or '': a yes or no to a yes-or-no question, a time to
    "when", the words to pass on to "what do I tell him", or a statement that shares her question's words (two, one of
    them a number or one of the `topic` words, or three)."""
    pieces = _sentences(text)
    said = [piece for piece, kept in pieces if kept]
    if pieces and pieces[0][1] and YES_OR_NO.match(pieces[0][0]) and _ASKS_YES_OR_NO.search(question):
        return pieces[0][0]  # "Yes, pin for pin." to "Is it really drop-in?"
    if _ASKS_WHEN.search(question):
        timed = next((piece for piece in said if _A_TIME.search(piece)), "")
        if timed:
            return timed  # "Tomorrow by five." to "When do I get it?"
    if _ASKS_WHAT_TO_SAY.search(question):
        # The words to pass on, or the figures themselves: "zero variance on this order, credit note takes it back to
        # 18.40" to "What do I tell him about this one?" (a play-tester had been told "That is NOT what I asked.").
        given = next((piece for piece in said if _GIVES_WORDS.search(piece.strip()) or _FIGURE.search(piece)), "")
        if given:
            return given  # "Tell him zero variance on this PO." to "What am I supposed to tell my boss?"
    asked = key_words(question)
    for piece in said:
        shared = key_words(piece) & (asked | topic)
        pointed = {w for w in shared if w in topic or w.isdigit()}
        if (pointed and len(shared) >= 2) or len(shared) >= 3:
            return piece
    return ""


@dataclass
class Agenda:
    """The slots of one call, and which are filled."""

    slots: tuple[SlotPlan, ...]
    known: list[str] = field(default_factory=list)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every slot id, most pressing first."""
        return tuple(slot.id for slot in self.slots)

    @property
    def open(self) -> tuple[SlotPlan, ...]:
        """The open slots, most pressing first."""
        return tuple(slot for slot in self.slots if slot.id not in self.known)

    def fill(
        self, text: str, behaviours: frozenset[str], offered: frozenset[str] = frozenset(), *,
        asked: Collection[str] = (), question: str = "",
    ) -> tuple[str, ...]:
        """Fill every open slot this reply answers (`offered`: the ids of the options and offers it names; `asked`:
        the slots the buyer's last line, `question`, asked for); returns the ids newly filled, most pressing first.
        The news is never taken as told from a reply that only takes up her question: the detector must hear it."""
        taking_up = not behaviours & STALLING and not (behaviours & ASIDE and not behaviours & ACTING)
        filled = tuple(
            slot.id for slot in self.open
            if slot.filled_by_reply(text, behaviours, offered)
            or (taking_up and slot.id in asked and slot.id != NEWS and slot.takes_up(text, question))
        )
        self.known.extend(filled)
        return filled

    def slot(self, slot_id: str) -> SlotPlan | None:
        """The slot with this id."""
        return next((slot for slot in self.slots if slot.id == slot_id), None)


def build_agenda(arc: Arc, scenario: Scenario, persona: Persona) -> Agenda:
    """The agenda of a call: the arc's slots, extended and added to by the scenario, weighted by the persona."""
    default = {slot.id: slot for slot in arc.agenda}
    added = {slot.id: slot for slot in scenario.agenda}
    order = [*default, *(slot_id for slot_id in added if slot_id not in default)]
    plans = []
    for slot_id in order:
        parts = [part for part in (default.get(slot_id), added.get(slot_id)) if part is not None]
        priority = next((p.priority for p in reversed(parts) if p.priority is not None), UNRANKED)
        priority = persona.priorities.get(slot_id, priority)
        plans.append(_plan(slot_id, priority, parts, scenario, persona))
    plans.sort(key=lambda plan: -plan.priority)  # stable: ties keep the written order
    return Agenda(tuple(plans))


def _plan(slot_id: str, priority: int, parts: list[Slot], scenario: Scenario, persona: Persona) -> SlotPlan:
    facts = tuple(scenario.facts[key] for part in parts for key in part.facts if key in scenario.facts)
    offers = tuple(_offers(scenario, (name for part in parts for name in part.offers)))
    default, own = parts[0], parts[-1]
    ask = [(2, own.ask)] if own is not default and own.ask else []
    if slot_id in persona.asks:
        ask.append((1, persona.asks[slot_id]))
    ask.append((0, default.ask))
    heard = [(2, own.heard)] if own is not default and own.heard else []
    heard.append((0, default.heard))
    return SlotPlan(
        id=slot_id,
        priority=priority,
        when=parts[-1].when if parts[-1].when.specificity else parts[0].when,
        filled_by=frozenset(b for part in parts for b in part.filled_by),
        facts=facts,
        offers=offers,
        phrases=tuple(p for part in parts for p in part.phrases),
        ask=tuple((rank, lines) for rank, lines in ask if lines),
        heard=tuple((rank, lines) for rank, lines in heard if lines),
        asked_by=tuple(p for part in parts for p in part.asked_by),
    )


def _offers(scenario: Scenario, names: Iterable[str]) -> Iterable[Offer]:
    by_id: Mapping[str, Offer] = {offer.id: offer for offer in (*scenario.options, *scenario.compensation)}
    seen: set[str] = set()
    for name in names:
        group = (
            scenario.options if name == ALL_OPTIONS
            else scenario.compensation if name == ALL_COMPENSATION
            else [by_id[name]] if name in by_id else []
        )
        for offer in group:
            if offer.id not in seen:
                seen.add(offer.id)
                yield offer


# The rep saying they cannot answer yet: "there's no firm date yet", "I don't know yet", "I can't give you a number today".
_NOT_YET_KNOWN = re.compile(
    r"\b(?:i|we)\s+(?:don'?t|do not|can'?t|cannot|won'?t|will not)\s+(?:\w+\s+)?(?:know|say|tell|give|promise|have)\b"
    r"[^.!?]*\b(?:yet|today|now|right now|at the moment|until|till|before)\b"
    r"|\bno (?:firm |final |confirmed |fixed |new |real )?(?:date|number|figure|answer|eta|timeline|word)\b[^.!?]*\byet\b"
    r"|\b(?:i|we) don'?t know(?: yet)?\b|^\W*(?:don'?t know|dunno)\b|\bnot (?:\d+% |a hundred percent )?sure\b"
    r"|\bno (?:plan|answer|figure|number) for that yet\b|\btoo early to (?:say|tell)\b",
    re.I,
)


def puts_off(text: str) -> bool:
    """Whether a reply says it will find out and come back ("let me check and get back to you by three"), or that it
    cannot answer yet ("there's no firm date yet"): an honest answer to a question the rep cannot answer now, not a
    dodge of it."""
    return _PUTS_OFF.search(text) is not None or _NOT_YET_KNOWN.search(text) is not None


def statements(text: str) -> list[str]:
    """The statements of a reply: its sentences that are not questions, do not put her off ("let me check and get
    back to you"), and do not only say they understand ("I hear you, ...")."""
    return [piece for piece, kept in _sentences(text) if kept]


def _sentences(text: str) -> list[tuple[str, bool]]:
    """Each sentence of a reply, and whether it is a statement."""
    return [
        (piece, not piece.rstrip().endswith("?") and not _PUTS_OFF.search(piece) and not _FEELS.match(piece))
        for piece in _STATEMENT.findall(text)
    ]


def key_words(text: str, *, parts: bool = True) -> frozenset[str]:
    """The words of a text that say something, by their first letters, and its numbers of two digits or more.

    "re-book" is the word "rebook", and with `parts` (a reply, where any way of writing it should count) also
    its parts; "2,000" and "2000" are one number.
    """
    words: set[str] = set()
    for word in _WORD.findall(THOUSANDS.sub("", text.lower())):
        joined = _JOINS.sub("", word)
        if joined.isdigit():
            if len(joined) >= 2:
                words.add(joined)
            continue
        pieces = _JOINS.split(word) if parts and joined != word else ()
        words.update(key for key in (word_key(joined), *map(_piece_key, pieces)) if key)
    return frozenset(words)


def _piece_key(piece: str) -> str:
    return piece if piece.isdigit() and len(piece) >= 2 else word_key(piece)
