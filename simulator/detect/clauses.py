"""Split a reply into sentences and clauses of normalised words, each word tied to its original span.

A behaviour is judged on the clause that carries it: negation does not reach past a clause
boundary ("It's not ideal, and I'm sorry"), and a clause knows whether it is a question.
Boundaries are sentence ends (. ! ? ; new line), commas, dashes, brackets, ellipses, and the
conjunctions that start a new thought ("but", "however", "because", "and we ...", "so I ...").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from simulator.detect.normalise import ExtraWords, Normaliser, number_word

MIN_PREFIX_KEY = 2  # shortest stem a bank may write as "stem*"

_TOKEN = re.compile(
    r"(?P<short>(?<![\w/])(?:b/c|w/o|w/)(?![\w/]))"
    r"|(?P<num>\d+(?:[.,:/]\d+)*[^\W\d_]*)"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)*)"
    r"|(?P<ellipsis>\.{2,}|\u2026)"
    r"|(?P<stop>[.!?;]+|\n)"
    r"|(?P<soft>[,:\u2014\u2013()\[\]\"\u201c\u201d*]|(?<=\s)-{1,2}(?=\s))"
    r"|(?P<symbol>[%&])"
)
_SYMBOL_WORDS = {"%": "percent", "&": "and"}
# A "." after these does not end the sentence ("PO no. 4471", "e.g. air freight").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st nos vs etc eg ie approx inc ltd co corp jr sr dept est ref fig qty pcs "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri".split()
)
SPLIT_BEFORE = frozenset({"but", "however", "although", "though", "because", "unless", "whereas", "otherwise"})
SPLIT_BEFORE_SUBJECT = frozenset({"and", "so", "then", "plus"})
SUBJECTS = frozenset(
    "i we you they it he she that this there our my your their everything nothing someone everyone "
    "let here".split()
)
QUESTION_WORDS = frozenset({"what", "which", "how", "when", "where", "who", "why", "whose", "whom"})
AUXILIARIES = frozenset(
    "do does did can could would will shall should may might is are was were have has had am".split()
)
QUESTION_SUBJECTS = frozenset(
    "you i we it that this there they he she your anything the our any these those my all everything anyone "
    "someone".split()
)
# Chat "ur" is "your" before a noun and "you are" before a state: "ur overreacting", "ur late".
AMBIGUOUS_YOUR = frozenset({"ur", "yr"})
_STATE_WORDS = frozenset(
    "not so very really too being going gonna right wrong welcome late early a an the just still always never "
    "probably sure free able upset angry mad kidding joking overreacting being about all both".split()
)
HYPOTHESIS_WORDS = frozenset({"if", "unless", "whether", "suppose", "supposing"})
LEADING_FILLERS = frozenset({"so", "and", "but", "okay", "ok", "well", "now", "then", "also", "just", "oh", "um", "uh"})


@dataclass(frozen=True)
class Word:
    """One normalised word, with the span of the original token it came from."""

    text: str
    score: float  # 1.0 as typed; less when a typo was corrected
    start: int
    end: int


@dataclass(frozen=True)
class Clause:
    """A run of words between boundaries; `first`/`stop` index the sentence's words."""

    first: int
    stop: int
    start: int
    end: int
    question: bool


@dataclass(frozen=True)
class Sentence:
    """A sentence's words, its matchable text " w1 w2 ... " and its clauses."""

    words: tuple[Word, ...]
    text: str
    offsets: tuple[int, ...]  # where each word starts in `text`
    clauses: tuple[Clause, ...]
    clause_of: tuple[int, ...]  # clause index of each word
    keys: frozenset[str]  # words and "stem*" prefixes present, to pick candidate phrases fast

    def word_at(self, char: int) -> int:
        """Index of the word that covers a character position of `text`."""
        return max(0, bisect_right(self.offsets, char) - 1)


@dataclass(frozen=True)
class Analysis:
    """A reply cut into sentences; `source` is the sanitised text the offsets point into."""

    source: str
    sentences: tuple[Sentence, ...]

    def clause_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the clauses that cover [start, end) in the source; (start, end) if none."""
        first, last = start, end
        for sentence in self.sentences:
            for clause in sentence.clauses:
                if clause.start <= start < clause.end or (clause.start < end <= clause.end):
                    first, last = min(first, clause.start), max(last, clause.end)
        return first, last

    def asks_or_supposes(self, start: int, end: int) -> bool:
        """Whether a clause covering [start, end) is a question or opens a hypothesis ("if ...")."""
        for sentence in self.sentences:
            for clause in sentence.clauses:
                if clause.start <= start < clause.end or clause.start < end <= clause.end:
                    words = {w.text for w in sentence.words[clause.first : clause.stop]}
                    if clause.question or words & HYPOTHESIS_WORDS:
                        return True
        return False


@dataclass
class _Raw:
    kind: str
    text: str
    start: int
    end: int


def analyse(source: str, normaliser: Normaliser, extra: ExtraWords | None = None) -> Analysis:
    """Tokenise, normalise and split a sanitised reply; `extra` words (a scenario's) are never corrected away."""
    extra = extra or ExtraWords()
    sentences: list[Sentence] = []
    pending: list[_Raw] = []
    previous = ""
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup or ""
        token = _Raw(kind, match.group(), match.start(), match.end())
        if kind == "stop" and token.text == "." and previous.lower() in _ABBREVIATIONS | _single_letter(previous):
            continue
        pending.append(token)
        if kind == "stop":
            sentences.extend(_sentence(pending, normaliser, extra))
            pending = []
        previous = token.text if kind in ("word", "short") else ""
    sentences.extend(_sentence(pending, normaliser, extra))
    return Analysis(source, tuple(sentences))


def _single_letter(word: str) -> frozenset[str]:
    return frozenset({word.lower()}) if len(word) == 1 and word.isalpha() and word.lower() not in "ai" else frozenset()


def _sentence(tokens: list[_Raw], normaliser: Normaliser, extra: ExtraWords) -> list[Sentence]:
    words: list[Word] = []
    breaks: set[int] = set()  # word indexes that start a new clause
    asks = any(t.kind == "stop" and "?" in t.text for t in tokens)
    for index, token in enumerate(tokens):
        if token.kind in ("word", "short", "num", "symbol"):
            raw = _SYMBOL_WORDS.get(token.text, token.text)
            if token.kind == "num":
                expanded: tuple[tuple[str, float], ...] = ((number_word(raw), 1.0),)
            elif raw.lower() in AMBIGUOUS_YOUR and _reads_as_you_are(tokens, index):
                expanded = (("you", 1.0), ("are", 1.0))
            else:
                expanded = normaliser.word_with(raw, extra)
            for text, score in expanded:
                words.append(Word(text, score, token.start, token.end))
        elif words:
            breaks.add(len(words))
    if not words:
        return []
    for i in range(1, len(words)):
        text = words[i].text
        if text in SPLIT_BEFORE or (
            text in SPLIT_BEFORE_SUBJECT and i + 1 < len(words) and words[i + 1].text in SUBJECTS
        ):
            breaks.add(i)
    cuts = sorted(b for b in breaks if 0 < b < len(words))
    bounds = list(zip([0, *cuts], [*cuts, len(words)], strict=True))
    end_of_sentence = tokens[-1].end if tokens[-1].kind == "stop" and tokens[-1].text != "\n" else None
    clauses = []
    clause_of: list[int] = []
    for index, (first, stop) in enumerate(bounds):
        last = index == len(bounds) - 1
        end = end_of_sentence if last and end_of_sentence is not None else words[stop - 1].end
        texts = [w.text for w in words[first:stop]]
        clauses.append(Clause(first, stop, words[first].start, end, _is_question(texts, asks and last, asks)))
        clause_of.extend([index] * (stop - first))
    text_parts, offsets, position = [], [], 1
    for word in words:
        offsets.append(position)
        text_parts.append(word.text)
        position += len(word.text) + 1
    keys: set[str] = set()
    for text in {w.text for w in words}:
        keys.add(text)
        keys.update(text[:k] + "*" for k in range(MIN_PREFIX_KEY, len(text) + 1))
    return [
        Sentence(
            tuple(words), " " + " ".join(text_parts) + " ", tuple(offsets), tuple(clauses), tuple(clause_of),
            frozenset(keys),
        )
    ]


def _reads_as_you_are(tokens: list[_Raw], index: int) -> bool:
    following = next((t for t in tokens[index + 1 :] if t.kind == "word"), None)
    if following is None:
        return False
    word = following.text.lower()
    return word in _STATE_WORDS or (word.endswith("ing") and len(word) > 4)


def _is_question(words: list[str], ends_with_question_mark: bool, sentence_asks: bool) -> bool:
    """A clause asks when it ends the sentence with "?", or opens like a question."""
    if ends_with_question_mark:
        return True
    while words and words[0] in LEADING_FILLERS:
        words = words[1:]
    if len(words) < 2:
        return False
    head, rest = words[0], words[1:5]
    if head in AUXILIARIES:
        subject = rest[1] if rest[0] == "not" and len(rest) > 1 else rest[0]
        return subject in QUESTION_SUBJECTS
    if head in QUESTION_WORDS:
        return sentence_asks or _asks_after_question_word(rest)
    return False


# "Should you need anything, we are here", "Should it assist, I would attend": a condition, then what follows.
_CONDITIONAL = re.compile(r"(?i)\s*(?:should|were|had)\s+(?:you|it|we|they|he|she|this|that|i)\b[^,?]*,\s*"
                          r"(?:i|we|you|they|he|she|it|our|my|there)\b")


# Chat spellings of the words a question opens with: "do u want the note", "r u ok with that".
_CHAT_WORDS = {"u": "you", "ur": "your", "r": "are", "cn": "can", "wud": "would", "shud": "should"}


def opens_like_a_question(sentence: str) -> bool:
    """Whether a sentence typed without a question mark reads as one: "can you take half", "when can I ring you";
    not "were adding a second port" (typed for "we're") or "when your unit arrives, we swap it"."""
    if _CONDITIONAL.match(sentence):
        return False
    words = [_CHAT_WORDS.get(word, word) for word in re.findall(r"[a-z']+", sentence.lower())]
    return bool(words) and (words[0] in ("any", "anything", "anyone") or _is_question(words, False, False))


def _asks_after_question_word(rest: list[str]) -> bool:
    """ "how does this ...", "what options do you ...": an auxiliary, then its subject; not "what happened was"."""
    for index, word in enumerate(rest[:2]):
        if word in AUXILIARIES:
            return index + 1 < len(rest) and rest[index + 1] in QUESTION_SUBJECTS
        if word.endswith("ed"):
            return False
    return False
