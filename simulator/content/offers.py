"""Whether a reply names something the scenario wrote down: an approved option, an offer, a fact.

Shared by the engine (the buyer hears an option, a slot of their agenda fills) and the scoring
(options_count), so the buyer and the debrief always agree on what was said.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from simulator.content.models import Offer

# How close a reply must come to a phrase of more than FUZZY_PHRASE_MIN_CHARS for it to count as said.
OPTION_MATCH_THRESHOLD = 90
# Shorter phrases (part numbers, "from Taiwan") must appear whole: one changed digit is another part.
FUZZY_PHRASE_MIN_CHARS = 12
# `says` reads the same reply (and the same phrases) once per phrase it tries: each is made plain once.
PLAIN_CACHE = 4096
THOUSANDS = re.compile(r"(?<=\d)[,.\u202f\u00a0'](?=\d{3}(?!\d))")


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_MONTHS = {**{name: name for name in _MONTH_NAMES}, **{name[:3]: name for name in _MONTH_NAMES}, "sept": "september"}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b([12]?\d|3[01])(?:st|nd|rd|th)? (?:of )?({_MONTH})\b\.?")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.? (?:the )?([12]?\d|3[01])(?:st|nd|rd|th)?\b")


# Days as reps text them ("thurs 2pm"); not "wed", "sat", "sun" or "mon", which are words or parts of one.
_DAYS = {"thurs": "thursday", "thur": "thursday", "thu": "thursday", "tues": "tuesday", "tue": "tuesday",
         "weds": "wednesday", "fri": "friday"}
_DAY = re.compile(rf"(?<![\w'])({'|'.join(_DAYS)})\b\.?")


# "and" as reps text it ("freight n install", "freight & install", "freight + install"), and amounts with or without
# their currency sign or in thousands: "$102,000", "102,000", "102k" and "£48,900", "48900" read the same.
_AND = re.compile(r"(?<![\w'])(?:n|&|\+)(?![\w'])")
_CURRENCY = re.compile(r"[$£€](?=\s?\d)")
_THOUSANDS_K = re.compile(r"(?<![\w.])(\d{1,3})k\b")


def _day_month(match: re.Match[str]) -> str:
    day, month = (match[1], match[2]) if match.re is _DAY_MONTH else (match[2], match[1])
    return f"{int(day)} {_MONTHS[month]}"


@lru_cache(maxsize=PLAIN_CACHE)
def plain(text: str) -> str:
    """Lower case, hyphens as spaces, single spaces, no thousands separators, a day of a month one way, days as
    texted in full: 'MCU-221' and 'mcu 221' read the same, so do '2,000' and '2000', 'July 8th', '8th of July' and
    '8 July', 'thurs' and 'Thursday', 'n' and 'and', '$102,000', '102,000' and '102k'."""
    text = _THOUSANDS_K.sub(r"\g<1>000", _CURRENCY.sub("", THOUSANDS.sub("", text.lower())))
    text = " ".join(_AND.sub("and", re.sub(r"[-_/]", " ", text)).split())
    text = _DAY.sub(lambda match: _DAYS[match[1]], text)
    return _MONTH_DAY.sub(_day_month, _DAY_MONTH.sub(_day_month, text))


def says(text: str, phrase: str) -> bool:
    """Whether `text` contains `phrase`: whole words for a short phrase, a close match for a long one."""
    wanted = plain(phrase)
    if not wanted:
        return False
    said = f" {plain(text)} "
    if len(wanted) < FUZZY_PHRASE_MIN_CHARS:
        return re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", said) is not None
    # Close is not enough for a number: '1 September' is not '15 September', nor 'PO 4417' 'PO 4471'.
    if not all(re.search(rf"(?<!\d){number}(?!\d)", said) for number in re.findall(r"\d+", wanted)):
        return False
    if len(said) - 2 < len(wanted):  # a reply shorter than the phrase holds it only if it is the phrase, near enough:
        return fuzz.ratio(wanted, said[1:-1]) >= OPTION_MATCH_THRESHOLD  # "DC-140s" is not "DC-140S version"
    return fuzz.partial_ratio(wanted, said) >= OPTION_MATCH_THRESHOLD


def mentions(text: str, offer: Offer) -> bool:
    """Whether a reply names an offer by one of its phrases (or its text, when it has none)."""
    return any(says(text, phrase) for phrase in offer.phrases or [offer.text])
