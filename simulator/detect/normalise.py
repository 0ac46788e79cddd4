"""Text clean-up and word normalisation, so phrase banks match how people really type.

`sanitise` blanks terminal noise (ANSI escapes, Rich markup, control characters) without moving
any character, so every offset still points into the trainee's original text. `Normaliser`
turns one raw word into canonical words: lower case, contractions expanded ("won't" -> "will
not"), chat shorthand ("pls", "b/c"), British spelling folded into one form ("apologise" ->
"apologize"), stretched words squeezed ("soooo" -> "so"), and typos corrected against the
bank vocabulary with rapidfuzz (one edit for short words, two for long ones).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Why these numbers: one slip in a short word, two in a long one, keeps "dealy" -> "delay"
# while leaving four-letter words alone (too many real words sit one edit from each other).
MIN_CORRECTABLE_LENGTH = 5
LONG_WORD_LENGTH = 10
SCORE_PER_EDIT = 0.08  # a corrected word weighs a little less than one typed right
TOKEN_CACHE_SIZE = 65536

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_RICH_STYLE_WORDS = (
    "bold|b|italic|i|underline|u|strike|s|dim|d|reverse|r|blink|blink2|conceal|overline|o|frame|"
    "encircle|link|on|not|default|black|red|green|yellow|blue|magenta|cyan|white|grey|gray|"
    "bright_[a-z]+|color\\(\\d+\\)|#[0-9a-fA-F]{6}|rgb\\([0-9, ]+\\)"
)
# Only tags made of real Rich style words, so "[silent]" or "[pause]" survive as stage directions.
_RICH_TAG = re.compile(
    rf"\[/?(?:(?:{_RICH_STYLE_WORDS})(?:[ ]+(?:{_RICH_STYLE_WORDS}))*(?:=[^\]\n]*)?)?\]",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'", "\u00b4": "'"})
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_DOUBLED = re.compile(r"([a-z])\1+")
_ALPHA = re.compile(r"[a-z]+")


def sanitise(text: str) -> str:
    """Blank out ANSI escapes, Rich style tags and control characters; same length as the input."""
    text = _ANSI.sub(_blank, text)
    text = _RICH_TAG.sub(_blank, text)
    return _CONTROL.sub(" ", text)


def _blank(match: re.Match[str]) -> str:
    """As many spaces as the match is long, so every later offset stays where it was."""
    return " " * (match.end() - match.start())


@dataclass(frozen=True)
class NormalisationData:
    """The word maps a trainer can extend, read from banks/_normalise.yaml."""

    shorthand: Mapping[str, str] = field(default_factory=dict)
    contractions: Mapping[str, str] = field(default_factory=dict)
    spelling: Mapping[str, str] = field(default_factory=dict)
    spelling_rules: tuple[tuple[str, str], ...] = ()
    typos: Mapping[str, str] = field(default_factory=dict)
    is_contractions: frozenset[str] = frozenset()
    known_words: frozenset[str] = frozenset()
    dictionary: frozenset[str] = frozenset()  # real English words: never typos, whatever they sit near


@dataclass(frozen=True)
class ExtraWords:
    """Words a scenario brings (its phrases and facts): read as typed, and targets for slips."""

    words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, words: Iterable[str]) -> ExtraWords:
        """The alphabetic words among `words`, lower-cased."""
        return cls(frozenset(w.lower() for w in words if _ALPHA.fullmatch(w.lower())))

    @cached_property
    def targets(self) -> dict[str, list[str]]:
        """Words long enough to correct towards, by first letter."""
        found: dict[str, list[str]] = {}
        for word in sorted(self.words):
            if len(word) >= MIN_CORRECTABLE_LENGTH:
                found.setdefault(word[0], []).append(word)
        return found


_NOT_STEMS = {"wo": "will", "ca": "can", "sha": "shall", "ai": "is"}
_APOSTROPHE_SUFFIXES = {"m": "am", "re": "are", "ve": "have", "ll": "will", "d": "would"}
_INFLECTIONS = ("s", "es", "ed", "d", "ing", "er", "r", "ers", "est", "ly", "y", "ness")
# Endings that make a new real word from a known one ("correct" -> "correction"): never a typo.
_DERIVATIONS = ("ion", "ions", "ation", "ations", "ment", "ments", "ness", "ive", "ively", "able", "ible", "al",
                "ally", "er", "ers", "or", "ors", "ing", "ings", "ed", "es", "s", "ly", "ity", "ful", "less", "ise", "ize")


_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}(?!\d))")


def number_word(raw: str) -> str:
    """A number as one word, whatever its thousands separators: "$1,800", "1.800" and "1800" all read 1800."""
    return _THOUSANDS.sub("", raw.lower())


class Normaliser:
    """Turns one raw word into canonical lower-case words, each with a confidence (1.0 = as typed)."""

    def __init__(self, data: NormalisationData, vocabulary: Iterable[str]) -> None:
        self._data = data
        self._rules = tuple((re.compile(p), r) for p, r in data.spelling_rules)
        targets = sorted({w for w in vocabulary if w.isalpha() and len(w) >= MIN_CORRECTABLE_LENGTH})
        known = set(data.known_words) | set(vocabulary)
        for word in list(known):
            known.update(word + suffix for suffix in _INFLECTIONS)
            if word.endswith("e"):
                known.update(word[:-1] + suffix for suffix in ("ing", "ed", "er", "ers"))
        known.update(data.shorthand, data.contractions, data.spelling, data.typos)
        self._known = frozenset(known)
        self._targets: dict[str, list[str]] = {}
        for word in targets:
            self._targets.setdefault(word[0], []).append(word)
        self.word = lru_cache(maxsize=TOKEN_CACHE_SIZE)(self._word)

    def word_with(self, raw: str, extra: ExtraWords) -> tuple[tuple[str, float], ...]:
        """Like `word`, but a scenario's own words are never corrected away and are corrected towards."""
        found = self.word(raw)
        if not extra.words:
            return found
        plain = raw.translate(_APOSTROPHES).lower().strip("'")
        if plain in extra.words:
            return ((self._fold(plain), 1.0),)
        if len(found) != 1 or found[0][0] in self._known or found[0][0] in self._data.dictionary:
            return found  # already a word the banks or English know: not a slip for a scenario word
        fixed = self._correct(plain, extra.targets)
        uncorrected = found[0][1] == 1.0  # an unknown word the banks' vocabulary could not place
        if fixed is not None and (uncorrected or fixed[1] >= found[0][1]):
            return (fixed,)
        return found

    def pattern_word(self, raw: str) -> tuple[str, ...]:
        """Canonical words for a word written in a phrase bank: the same maps, no typo correction."""
        if raw[:1].isdigit():
            return (number_word(raw),)
        return tuple(w for w, _ in self._expand(raw, correct=False))

    def _word(self, raw: str) -> tuple[tuple[str, float], ...]:
        return tuple(self._expand(raw, correct=True))

    def _expand(self, raw: str, correct: bool) -> list[tuple[str, float]]:
        word = raw.translate(_APOSTROPHES).lower().strip("'")
        if not word:
            return []
        if word in self._data.shorthand:
            return [(w, 1.0) for w in self._data.shorthand[word].split()]
        if "'" in word:
            return [(w, 1.0) for w in self._contraction(word).split() if w]
        if word in self._data.contractions:
            return [(w, 1.0) for w in self._data.contractions[word].split()]
        return [(w, score) for part in [self._spell(word, correct)] for w, score in part]

    def _contraction(self, word: str) -> str:
        stem, _, suffix = word.rpartition("'")
        if suffix == "t" and stem.endswith("n"):
            base = stem[:-1]
            return f"{_NOT_STEMS.get(base, base)} not"
        if suffix in _APOSTROPHE_SUFFIXES:
            return f"{stem} {_APOSTROPHE_SUFFIXES[suffix]}"
        if suffix == "s":
            if stem == "let":
                return "let us"
            return f"{stem} is" if stem in self._data.is_contractions else stem
        return stem.replace("'", "") + suffix

    def _spell(self, word: str, correct: bool) -> list[tuple[str, float]]:
        if _STRETCHED.search(word):
            squeezed = _STRETCHED.sub(r"\1\1", word)
            single = _DOUBLED.sub(r"\1", word)
            # "sorrrry" -> "sorry" keeps a double letter; "soooo" -> "so" needs a single one.
            word = single if self._fold(squeezed) not in self._known and self._fold(single) in self._known else squeezed
        if word in self._data.shorthand:
            return [(w, 1.0) for w in self._data.shorthand[word].split()]
        if word in self._data.contractions:
            return [(w, 1.0) for w in self._data.contractions[word].split()]
        if word in self._data.typos:
            return [(w, 1.0 - SCORE_PER_EDIT) for w in self._data.typos[word].split()]
        folded = self._fold(word)
        if correct and folded not in self._known and not self._is_english(word, folded):
            fixed = self._correct(folded)
            if fixed is not None:
                return [fixed]
        return [(folded, 1.0)]

    def _fold(self, word: str) -> str:
        """British and variant spellings into the one form the banks use."""
        if word in self._data.spelling:
            return self._data.spelling[word]
        for pattern, replacement in self._rules:
            if pattern.fullmatch(word):
                return pattern.sub(replacement, word)
        return word

    def _is_english(self, word: str, folded: str) -> bool:
        """Whether a word is in the English word list, as typed or folded ("laser", "colour")."""
        return word in self._data.dictionary or folded in self._data.dictionary

    def _derived(self, word: str) -> bool:
        """Whether the word is a known word plus a regular ending, so a real word, not a typo."""
        for ending in _DERIVATIONS:
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= 3 and (stem in self._known or stem + "e" in self._known):
                return True
        return False

    def _correct(self, word: str, targets: Mapping[str, list[str]] | None = None) -> tuple[str, float] | None:
        if len(word) < MIN_CORRECTABLE_LENGTH or not _ALPHA.fullmatch(word) or self._derived(word):
            return None
        max_edits = 2 if len(word) >= LONG_WORD_LENGTH else 1
        candidates = (self._targets if targets is None else targets).get(word[0], [])
        found = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=max_edits)
        if found is None:
            return None
        target, edits, _ = found
        return target, 1.0 - SCORE_PER_EDIT * edits
