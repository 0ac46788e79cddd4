"""The phrase language of the banks, compiled to regular expressions over normalised words.

A phrase is plain words ("thank you for your patience") with a little syntax a trainer can
learn in a minute:

    {a|b c|}     one of the alternatives; an empty one makes the group optional
    word*        any word starting with "word" ("apologi*" covers apologize, apologies ...)
    <name>       a macro from banks/_macros.yaml; built in: <digits> any number as typed,
                 <ordinal> "24th", <numdate> "24/03", "2025-03-24"
    ~            up to 3 words of anything;  ...  up to 8;  ~~  up to 25 (the rest of the sentence)

Words are normalised like the trainee's words (contractions, spelling), so "I'm sorry" in a
bank matches "im sorry", "I am sorry" and "i'm sory". Plain phrases of four words or more are
also matched fuzzily with rapidfuzz, so a trainer's sentence still matches when said a little
differently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from simulator.detect.normalise import Normaliser

SHORT_GAP_WORDS = 3
LONG_GAP_WORDS = 8
SENTENCE_GAP_WORDS = 25
FUZZY_MIN_WORDS = 4  # shorter plain phrases are matched exactly: fuzz on 2 words is noise
# Built-in word shapes that no list of words can spell: any number, an ordinal, a numeric date.
BUILTINS = {
    "digits": r" \d[^ ]*",
    "ordinal": r" \d{1,2}(?:st|nd|rd|th)",
    "numdate": r" (?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{2,4})",
}

_PATTERN_TOKEN = re.compile(r"\{|\}|\||<[A-Za-z_][A-Za-z0-9_]*>|\.\.\.|~~|~|[^\s{}|<>~]+")
_GAPS = {"~": SHORT_GAP_WORDS, "...": LONG_GAP_WORDS, "~~": SENTENCE_GAP_WORDS}
_WORD_PIECE = re.compile(r"\d+(?:[.,:/]\d+)*[^\W\d_]*|[^\W\d_]+(?:['\u2019][^\W\d_]+)*|[%&]")
# Words too common to pick candidate phrases by: a phrase is looked up by its rarest word.
_COMMON = frozenset(
    "i we you they it he she me us my our your their the a an to of for and or in on at by with "
    "is am are was were be been being do does did will would can could should shall may might "
    "have has had not no this that there here what so just very really all any".split()
)


class PatternError(ValueError):
    """A phrase that cannot be compiled; `column` counts from 1 inside the phrase."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Compiled:
    """A phrase ready to match: its regex, the words that must be present, its plain words."""

    source: str
    pattern: str  # the regular expression, compiled on first use so loading the banks stays quick
    keys: frozenset[str] | None  # at least one must be among a sentence's keys; None: always try
    words: frozenset[str]  # every literal word, for the typo-correction vocabulary
    plain: str | None  # the normalised text when the phrase is plain and long enough to match fuzzily
    origin: str = ""  # where the phrase was written ("apologizes.yaml:12"), to show long patterns briefly

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled expression (most phrases are never needed by a given reply)."""
        return re.compile(self.pattern)


@dataclass(frozen=True)
class _Node:
    kind: str  # word | prefix | group | macro | gap
    value: str = ""
    options: tuple[tuple[_Node, ...], ...] = ()


class PatternCompiler:
    """Compiles phrases against a set of macros, normalising words as the trainee's are."""

    def __init__(self, macros: Mapping[str, Sequence[str]], normaliser: Normaliser) -> None:
        self._macros = dict(macros)
        self._normaliser = normaliser
        self._macro_nodes: dict[str, tuple[tuple[_Node, ...], ...]] = {}
        self._macro_regex: dict[str, str] = {}
        self._in_progress: set[str] = set()

    def compile(self, source: str) -> Compiled:
        """Compile one phrase; raises PatternError on bad syntax or an unknown macro."""
        nodes = self._parse(source)
        if all(node.kind == "gap" for node in nodes):
            raise PatternError("the phrase has no words", 1)
        body = "".join(self._regex(n) for n in nodes)
        keys = _keys(nodes, self._macro_nodes)
        words = frozenset(_words(nodes, self._macro_nodes))
        plain = None
        if all(n.kind == "word" for n in nodes) and len(nodes) >= FUZZY_MIN_WORDS:
            plain = " ".join(n.value for n in nodes)
        # Every word is escaped and every construct is built here, so the expression is always valid.
        return Compiled(source, f"(?:{body})(?= )", keys, words, plain)

    def check_macros(self) -> list[tuple[str, int, PatternError]]:
        """Every macro's problems as (name, alternative index, error), so loading can report them all."""
        problems = []
        for name, alternatives in self._macros.items():
            for index, alternative in enumerate(alternatives):
                try:
                    self._parse(alternative)
                    self._macro(name, 1)
                except PatternError as error:
                    problems.append((name, index, error))
        return problems

    def _parse(self, source: str) -> tuple[_Node, ...]:
        tokens = [(m.group(), m.start() + 1) for m in _PATTERN_TOKEN.finditer(source)]
        position = 0

        def sequence(depth: int) -> tuple[_Node, ...]:
            nonlocal position
            nodes: list[_Node] = []
            while position < len(tokens):
                token, column = tokens[position]
                if token in ("|", "}"):
                    if depth == 0:
                        raise PatternError(f"unexpected '{token}' outside {{...}}", column)
                    return tuple(nodes)
                position += 1
                if token == "{":
                    options = [sequence(depth + 1)]
                    while position < len(tokens) and tokens[position][0] == "|":
                        position += 1
                        options.append(sequence(depth + 1))
                    if position >= len(tokens) or tokens[position][0] != "}":
                        raise PatternError("'{' is never closed with '}'", column)
                    position += 1
                    nodes.append(_Node("group", options=tuple(options)))
                elif token.startswith("<"):
                    name = token[1:-1]
                    if name not in BUILTINS:
                        self._macro(name, column)
                    nodes.append(_Node("macro", name))
                elif token in _GAPS:
                    nodes.append(_Node("gap", str(_GAPS[token])))
                elif token.endswith("*") and token.strip("*"):
                    nodes.append(_Node("prefix", token.rstrip("*").lower()))
                else:
                    for piece in _WORD_PIECE.findall(token):
                        nodes.extend(_Node("word", w) for w in self._normaliser.pattern_word(piece))
            return tuple(nodes)

        nodes = sequence(0)
        if position < len(tokens):
            token, column = tokens[position]
            raise PatternError(f"unexpected '{token}'", column)
        return nodes

    def _macro(self, name: str, column: int) -> tuple[tuple[_Node, ...], ...]:
        if name in self._macro_nodes:
            return self._macro_nodes[name]
        if name not in self._macros:
            known = ", ".join(sorted(self._macros)) or "none"
            raise PatternError(f"unknown macro <{name}> (known: {known}, {', '.join(BUILTINS)})", column)
        if name in self._in_progress:
            raise PatternError(f"macro <{name}> refers to itself", column)
        self._in_progress.add(name)
        try:
            options = tuple(self._parse(alternative) for alternative in self._macros[name])
        finally:
            self._in_progress.discard(name)
        self._macro_nodes[name] = options
        return options

    def _regex(self, node: _Node) -> str:
        if node.kind == "word":
            return " " + re.escape(node.value)
        if node.kind == "prefix":
            return " " + re.escape(node.value) + "[^ ]*"
        if node.kind == "gap":
            return f"((?: [^ ]+){{0,{node.value}}}?)"
        if node.kind == "group":
            return "(?:" + "|".join("".join(self._regex(n) for n in option) for option in node.options) + ")"
        if node.value in BUILTINS:
            return BUILTINS[node.value]
        if node.value not in self._macro_regex:
            options = self._macro_nodes[node.value]
            self._macro_regex[node.value] = (
                "(?:" + "|".join("".join(self._regex(n) for n in option) for option in options) + ")"
            )
        return self._macro_regex[node.value]


def _keys(
    nodes: Sequence[_Node], macros: Mapping[str, tuple[tuple[_Node, ...], ...]]
) -> frozenset[str] | None:
    """The most selective set of words of which every match must contain one."""
    best: frozenset[str] | None = None
    best_cost: tuple[bool, int] | None = None
    for node in nodes:
        keys = _node_keys(node, macros)
        if keys is None:
            continue
        cost = (all(k.rstrip("*") in _COMMON for k in keys), len(keys))
        if best_cost is None or cost < best_cost:
            best, best_cost = keys, cost
    return best


def _node_keys(node: _Node, macros: Mapping[str, tuple[tuple[_Node, ...], ...]]) -> frozenset[str] | None:
    if node.kind == "word":
        return frozenset({node.value})
    if node.kind == "prefix":
        return frozenset({node.value + "*"})
    if node.kind == "gap" or (node.kind == "macro" and node.value in BUILTINS):
        return None
    options = node.options if node.kind == "group" else macros[node.value]
    union: set[str] = set()
    for option in options:
        keys = _keys(option, macros)
        if keys is None:
            return None
        union |= keys
    return frozenset(union)


def _words(nodes: Sequence[_Node], macros: Mapping[str, tuple[tuple[_Node, ...], ...]]) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        if node.kind == "word":
            found.add(node.value)
        elif node.kind == "group":
            for option in node.options:
                found |= _words(option, macros)
        elif node.kind == "macro" and node.value in macros:
            for option in macros[node.value]:
                found |= _words(option, macros)
    return found
