"""Shape rules: behaviours told by how a sentence is built rather than by which words it uses.

A phrase bank lists ways of saying a thing; these rules catch sentence shapes that no list can
spell out, because one slot is open to any content word:

    alternatives       "we could <verb> ... or <verb> ..."     choices joined by "or"    offers_options
    listed_choices     "<offer cue>: A, B or C"                choices after a colon     offers_options
    wrong_thing_went   "the wrong <thing> went in the box"     implied news              states_the_news
    slipped            "the MCUs slipped to 24/3"              news as a bare past       states_the_news
    deprivation        "... leaves you short for ..."          news as what they lack    states_the_news

Each rule is a regular expression over a sentence's normalised text (" w1 w2 ... "), in which
the space before a word that follows a colon is written ":" (same length, so every offset still
holds). A rule's match is judged exactly like a phrase of its behaviour's bank: mood, negation,
"if", the bank's `not:` phrases and `not_with:` all apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.detect.clauses import Sentence
from simulator.detect.patterns import SENTENCE_GAP_WORDS, Compiled

COLON = ":"
_WORD = r"[^ :]+"
# Words that cannot open the second of two alternatives: "or so", "or later", "or not", "or two".
_NOT_AN_ALTERNATIVE = [
    *"so not later sooner less more whatever anything something earlier never else otherwise maybe another".split(),
    *"two three four five six whether if even rather".split(),
    "a few",
    "at all",
    "the other",
]
_OFFER_CUES = "can could might options choices alternatives ways things either choose pick".split()


def _alternation(words: list[str]) -> str:
    return "(?:" + "|".join(words) + ")"


@dataclass(frozen=True)
class ShapeRule:
    """One named sentence shape and the behaviour it shows."""

    name: str
    behaviour: str
    mood: str  # anywhere | statements | questions, as for bank phrases
    pattern: str  # over the marked sentence text; capture groups are gaps (they weaken the match slightly)

    def compiled(self) -> Compiled:
        """The rule as a matchable phrase, shown in evidence as `rule:<name>`."""
        return Compiled(f"rule:{self.name}", self.pattern, None, frozenset(), None, f"shapes.py:{self.name}")


SHAPE_RULES: tuple[ShapeRule, ...] = (
    ShapeRule(
        "alternatives",
        "offers_options",
        "statements",
        rf" (?:we|i|you) (?:can|could|might) (?:also |either |always )?(?!not |be |{_alternation(_NOT_AN_ALTERNATIVE)} ){_WORD}"
        rf"((?: {_WORD}){{1,{SENTENCE_GAP_WORDS}}}?) or (?!{_alternation(_NOT_AN_ALTERNATIVE)} ){_WORD} {_WORD}(?= )",
    ),
    ShapeRule(
        "listed_choices",
        "offers_options",
        "statements",
        rf" {_alternation(_OFFER_CUES)}((?: {_WORD}){{0,8}}):{_WORD}((?: {_WORD}){{0,12}}?) or (?!{_alternation(_NOT_AN_ALTERNATIVE)} ){_WORD}(?= )",
    ),
    ShapeRule(
        "wrong_thing_went",
        "states_the_news",
        "statements",
        rf" the wrong((?: {_WORD}){{1,2}}?) (?:went|was|were|got|came|arrived|turned up|ended up|has gone|has been|have been)(?= )",
    ),
    ShapeRule(
        "slipped",
        "states_the_news",
        "statements",
        r" (?:slipped|slid) (?:back |out )?(?:to|until|till|into|by|a|another|again)(?= )",
    ),
    ShapeRule(
        "deprivation",
        "states_the_news",
        "statements",
        r" (?:leave|leaves|left|leaving) (?:you|your (?:team|store|site|shop|line|customers)) "
        r"(?:short|without|with no|missing|stuck without|unable to|out of)(?= )",
    ),
)


def marked_text(sentence: Sentence, source: str) -> str:
    """The sentence's matchable text with the space after each colon written as a colon."""
    chars = list(sentence.text)
    for index in range(1, len(sentence.words)):
        between = source[sentence.words[index - 1].end : sentence.words[index].start]
        if COLON in between:
            chars[sentence.offsets[index] - 1] = COLON
    return "".join(chars)
