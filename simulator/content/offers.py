"""Whether a reply names something the scenario wrote down: an approved option, an offer, a fact.

Shared by the engine (the buyer hears an option, a slot of their agenda fills) and the scoring
(options_count), so the buyer and the debrief always agree on what was said.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from simulator.content.models import Offer

# How close a reply must come to a phrase of more than FUZZY_PHRASE_MIN_CHARS for it to count as said.
OPTION_MATCH_THRESHOLD = 90
# Shorter phrases (part numbers, "from Taiwan") must appear whole: one changed digit is another part.
FUZZY_PHRASE_MIN_CHARS = 12
THOUSANDS = re.compile(r"(?<=\d)[,.\u202f\u00a0'](?=\d{3}(?!\d))")


def plain(text: str) -> str:
    """Lower case, hyphens as spaces, single spaces, no thousands separators: 'MCU-221' and
    'mcu 221' read the same, and so do '2,000' and '2000'."""
    text = THOUSANDS.sub("", text.lower())
    return " ".join(re.sub(r"[-_/]", " ", text).split())


def says(text: str, phrase: str) -> bool:
    """Whether `text` contains `phrase`: whole words for a short phrase, a close match for a long one."""
    wanted = plain(phrase)
    if not wanted:
        return False
    said = f" {plain(text)} "
    if len(wanted) < FUZZY_PHRASE_MIN_CHARS:
        return re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", said) is not None
    return fuzz.partial_ratio(wanted, said) >= OPTION_MATCH_THRESHOLD


def mentions(text: str, offer: Offer) -> bool:
    """Whether a reply names an offer by one of its phrases (or its text, when it has none)."""
    return any(says(text, phrase) for phrase in offer.phrases or [offer.text])
