"""The gives_specifics rule: concrete facts in the reply, found by shape rather than by phrase.

Counts calendar dates ("3 March", "March 24th", "24/03", "the 14th"), amounts ("$4,200", "5%"),
order, part and PO numbers ("PO 4471", "MCU-220"), quantities with a unit ("10,000 units",
"three weeks"), large numbers, and the scenario's own facts. Does not count what is not a
checkable fact about the problem: a weekday or a call-back time alone ("Friday", "at 3pm"),
"give me 2 minutes", "one sec", "a couple of days", "two options", "100 percent sure" (that is
an overpromise), "24/7". (The detector also drops the size of a compensation: "5% off".)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

# "One" is left out: "one late shipment", "in one day" are ways of speaking, not counts.
_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    "million|dozen"
)
_WORDS_NUMBER = rf"(?:{_NUMBER_WORDS})(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORDS}))*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# Months that are also everyday words need a capital when they stand without a day number.
_SAFE_MONTHS = r"january|february|april|june|july|august|september|october|november|december"
_ORDINAL = r"(?:st|nd|rd|th)"
# Countable things a delivery is measured in; a number before one of these is a quantity.
UNITS = (
    "units?|pieces?|pcs|parts?|components?|boards?|chips?|pallets?|containers?|boxes|box|cases?|cartons?|"
    "crates?|trucks?|truckloads?|loads?|orders?|items?|kits?|sets?|rolls?|reels?|sacks?|seats?|"
    "drums?|bags?|bottles?|cans|tons?|tonnes?|kg|kgs|kilos?|kilograms?|lbs?|grams?|meters?|metres?|feet|"
    "foot|yards?|liters?|litres?|gallons?|licen[cs]es?|seats?|users?|modules?|panels?|devices?|machines?|"
    "laptops?|servers?|sensors?|motors?|valves?|cables?|widgets?|assemblies|assembly|"
    "skus?|lines?|days?|weeks?|months?|hours?|hrs|wks|minutes?|mins?|business days|working days|calendar days|"
    "shifts?|vessels?|flights?|cartridges?|rolls?|sheets?|packs?|packages?|parcels?"
)
_QUANTITY_WORDS = r"(?:more|extra|additional|of\s+the|of\s+your|of\s+them|of\s+those|spare|replacement)"
# Numbers that measure nothing the buyer needs: a pause, a count of ideas, a figure of speech.
_NOT_FACTS = re.compile(
    rf"\b(?:give\s+(?:me|us)|gimme|hang\s+on|hold\s+on|wait|bear\s+with\s+me|back\s+in|in|within|every|just|about|"
    rf"another|allow|asking\s+for|need|for\s+a\s+few)\s+(?:a|one|{_WORDS_NUMBER}|\d+(?:\s*-\s*\d+)?)"
    r"\s+(?:more\s+)?(?:business\s+|working\s+)?(?:sec(?:ond)?s?|min(?:ute)?s?|moments?|hours?|hrs|days?)\b"
    r"|\b(?:one|a)\s+(?:sec(?:ond)?|min(?:ute)?|moment)\b"
    r"|\b(?:for|over|in|past|last|nearly|almost|about|than)\s+(?:\d+|two|three|four|five|six|ten|twenty|many|several)\s+years\b"
    r"|\b24\s*/\s*7\b|\b(?:one|two|three|\d+)\s+(?:options?|choices?|things?|ways?|reasons?|questions?|points?|"
    r"steps?|ideas?|people|times?|calls?|words?|paths?|alternatives?|possibilities|solutions?|batch(?:es)?|"
    r"shipments?|deliveries|lots?|phases?|stages?|installments?|instalments?|tranches?)\b"
    r"|\bnumber\s+one\b|\b\d{2,3}\s*(?:%|percent|per\s+cent)\s+(?:sure|certain|confident|guaranteed?|committed|"
    r"positive|on\s+(?:it|this|that))\b|\b1[01]\d\s*(?:%|percent|per\s+cent)",
    re.IGNORECASE,
)
_MEASURE_UNITS = r"mm|cm|km|m|kg|g|mg|lbs?|oz|v|kv|mv|w|kw|mw|kwh|mhz|ghz|hz|gb|tb|mb|in|ft|l|ml|psi|bar|nm|a|ma|ah|mah"
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, flags))
    for name, pattern, flags in (
        ("amount", (rf"[$€£¥]\s?(?:{_DIGITS})(?:\s?(?:k|m|bn|million|thousand|billion)\b)?"
                    rf"|\b(?:{_DIGITS})\s?(?:k\s+)?(?:dollars|usd|euros?|eur|pounds|gbp|bucks|cents)\b"
                    rf"|\b{_WORDS_NUMBER}\s+(?:dollars|euros|pounds|bucks)\b"), re.IGNORECASE),
        ("percent", rf"\b(?:{_DIGITS})\s?(?:%|percent\b|per\s+cent\b)|\b{_WORDS_NUMBER}\s+(?:percent|per\s+cent)\b",
         re.IGNORECASE),
        ("date", (rf"\b\d{{1,2}}{_ORDINAL}?\s+(?:of\s+)?(?:{_MONTHS})\b\.?"
                  rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}{_ORDINAL}?\b(?!\s*(?:%|{UNITS})\b)"
                  rf"|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b|\b\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}\b"
                  rf"|\bthe\s+\d{{1,2}}{_ORDINAL}\b|\b(?:{_SAFE_MONTHS})\b"), re.IGNORECASE),
        ("date", r"\b(?:March|May)\b(?!-)(?!\s+(?:I|we|you)\b)", 0),
        ("code", (r"\b(?:p\.?\s?o\.?|order|invoice|ticket|case|ref(?:erence)?|sku|part|item|lot|batch|shipment|"
                  r"tracking|container|booking|model|serial|line|quote|contract|account|rma|job|run|lot)"
                  r"\s*(?:#|no\.?|number|num\.?)?\s*[:#]?\s*[A-Za-z]{0,4}-?\d[\w-]*"
                  r"|#\s?\d{2,}\b|\b[A-Z]{1,6}-?\d{2,}[A-Za-z0-9-]*\b|\b[a-z]{2,6}-\d{2,}\b"), re.IGNORECASE),
        ("code", r"\b[A-Z]{1,6}-?\d{2,}[A-Za-z0-9-]*\b", 0),
        ("quantity", (rf"\b(?:{_DIGITS}k?|{_WORDS_NUMBER}|half\s+(?:a|the|of\s+the))\s+(?:{_QUANTITY_WORDS}\s+)?"
                      rf"(?:[a-z][\w-]*\s+){{0,2}}?(?:{UNITS})\b"), re.IGNORECASE),
        ("measure", rf"\b\d+(?:\.\d+)?\s?(?:{_MEASURE_UNITS})\b(?!')|\bv\d+(?:\.\d+)+\b", re.IGNORECASE),
        ("time", r"\b\d{1,2}:\d{2}\b|\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)", re.IGNORECASE),
        ("quantity", r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)\s+(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]{2,}s\b", re.IGNORECASE),
        ("number", r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d{3,})(?:\.\d+)?k?(?![\w/])", re.IGNORECASE),
    )
)
# A number in a clause that carries one of these behaviours measures that behaviour, not the problem:
# "$500 credit" (compensates), "I'll call at 3pm" (keeps_informed), "2 weeks of safety stock" (prevents).
NOT_FACTS_WITH: dict[str, frozenset[str]] = {
    "compensates": frozenset({"rule:amount", "rule:percent", "rule:quantity", "rule:number"}),
    "keeps_informed": frozenset({"rule:time", "rule:quantity", "rule:number"}),
    "prevents_recurrence": frozenset({"rule:quantity", "rule:number"}),
}
# Counts inside a question or a hypothesis ("if you had to go two weeks without it?") are not facts.
NOT_FACTS_IN_QUESTIONS = frozenset({"rule:quantity", "rule:number"})

_FACT_ATOM = re.compile(r"[A-Za-z]*\d[\w,./-]*")
_FACT_PIECE = re.compile(r"[^\W_]+")
MIN_FACT_CHARS = 2  # "3" alone in a fact is too common to count as the fact
FACT_CACHE_SIZE = 256


@dataclass(frozen=True)
class Specific:
    """One concrete fact found in the text: its span and the shape that found it."""

    start: int
    end: int
    rule: str


def find_specifics(source: str, facts: Sequence[str] = ()) -> Iterator[Specific]:
    """Every concrete fact in `source`, left to right per shape, skipping numbers that are not facts."""
    blocked = [(m.start(), m.end()) for m in _NOT_FACTS.finditer(source)]
    for rule, pattern in _SHAPES:
        for match in pattern.finditer(source):
            start, end = match.start(), match.end()
            if not any(s <= start < e or s < end <= e for s, e in blocked):
                yield Specific(start, end, f"rule:{rule}")
    for pattern in compile_facts(tuple(facts)):
        for match in pattern.finditer(source):
            yield Specific(match.start(), match.end(), "rule:fact")


@lru_cache(maxsize=FACT_CACHE_SIZE)
def compile_facts(facts: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """One pattern per scenario fact: the whole fact with any punctuation between its words, or
    any number or code inside it ("PO 4471" matches "PO#4471" and "4471")."""
    patterns = []
    for fact in facts:
        pieces = _FACT_PIECE.findall(str(fact))
        options = []
        if sum(len(p) for p in pieces) >= MIN_FACT_CHARS:
            options.append(r"[\W_]*".join(re.escape(p) for p in pieces))
        options.extend(
            re.escape(atom)
            for atom in sorted({a.strip(",./-") for a in _FACT_ATOM.findall(str(fact))})
            if sum(c.isalnum() for c in atom) >= MIN_FACT_CHARS
        )
        if options:
            patterns.append(re.compile(r"(?<!\w)(?:" + "|".join(options) + r")(?!\w)", re.IGNORECASE))
    return tuple(patterns)
