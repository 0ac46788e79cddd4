"""The phrase language of the banks, compiled to regular expressions over normalised words.

A phrase is plain words ("thank you for your patience") with a little syntax a trainer can
learn in a minute:

    {a|b c|}     one of the alternatives; an empty one makes the group optional
    word*        any word starting with "word" ("apologi*" covers apologize, apologies ...)
    <name>       a macro from banks/_macros.yaml; built in: <digits> any number as typed,
                 <ordinal> "24th", <numdate> "24/03", "2025-03-24"
    ~            up to 3 words of anything;  ...  up to 8;  ~~  up to 25 (the rest of the sentence)

Gaps written side by side are one gap ("~~ ~~" is up to 50 words), and a phrase may have at most
MAX_PHRASE_GAPS of them (`validate` says so). A phrase whose gaps could size themselves in very
many ways (four "~~" between common words) is matched by a linear matcher over the sentence's
words instead of a backtracking regular expression, so no phrase can take more than a bounded
amount of work on any reply; both find the very same match.

Words are normalised like the trainee's words (contractions, spelling), so "I'm sorry" in a
bank matches "im sorry", "I am sorry" and "i'm sory". Plain phrases of four words or more are
also matched fuzzily with rapidfuzz, so a trainer's sentence still matches when said a little
differently.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from simulator.detect.clauses import MIN_PREFIX_KEY
from simulator.detect.normalise import Normaliser

SHORT_GAP_WORDS = 3
LONG_GAP_WORDS = 8
SENTENCE_GAP_WORDS = 25
FUZZY_MIN_WORDS = 4  # shorter plain phrases are matched exactly: fuzz on 2 words is noise
MAX_PHRASE_GAPS = 6  # the banks need 5; a phrase with more is an authoring mistake that `validate` reports
# Ways a phrase's gaps can size themselves at one place in a sentence (the product of each gap's
# choices): what a backtracking regular expression may try at every word. The banks need 4,096 at
# most; a phrase beyond the limit is matched by the linear matcher. A scenario's phrases, which any
# trainer writes, are matched linearly as soon as they have a gap: that matcher's work is known
# before it starts, so a reply's step budget can hold.
REGEX_GAP_WAYS = 4096
SCENARIO_REGEX_GAP_WAYS = 1
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
    gap_ways: int = 1  # ways its gaps can size themselves at one place (see REGEX_GAP_WAYS)
    size: int = 1  # its words, stems, shapes and gaps, every alternative and macro spelled out
    program: Program | None = field(default=None, compare=False, repr=False)  # set: matched linearly

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled expression (most phrases are never needed by a given reply)."""
        return re.compile(self.pattern)

    def search(self, text: str, position: int = 0) -> re.Match[str] | PhraseMatch | None:
        """The first match at or after `position`, like `re.Pattern.search`, by whichever matcher the phrase uses."""
        if self.program is None:
            return self.regex.search(text, position)
        return self.program.search(text, position)

    def finditer(self, text: str) -> Iterator[re.Match[str] | PhraseMatch]:
        """Successive matches that do not overlap, like `re.Pattern.finditer`."""
        if self.program is None:
            yield from self.regex.finditer(text)
            return
        position = 0
        while position <= len(text):
            found = self.program.search(text, position)
            if found is None:
                return
            yield found
            position = found.end() + (found.end() == found.start())

    def cost(self, text: str) -> int:
        """An upper bound on the steps one pass of matching over `text` (" w1 w2 ... ") takes."""
        boundaries = text.count(" ")
        if self.program is not None:
            return self.program.cost(boundaries)
        return self.gap_ways * self.size * max(1, boundaries)


@dataclass(frozen=True)
class PhraseMatch:
    """A match found by the linear matcher, read like an `re.Match`: its span and what each gap swallowed."""

    span_start: int
    span_end: int
    gaps: tuple[str, ...]

    def start(self) -> int:
        """Where the match starts in the text (at the space before its first word)."""
        return self.span_start

    def end(self) -> int:
        """Where the match ends (at the space after its last word)."""
        return self.span_end

    def groups(self) -> tuple[str, ...]:
        """The words each gap swallowed, as " w1 w2" (a gap that took nothing is left out)."""
        return self.gaps


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

    def compile(self, source: str, *, regex_ways: int = REGEX_GAP_WAYS) -> Compiled:
        """Compile one phrase; raises PatternError on bad syntax or an unknown macro.

        A phrase whose gaps can size themselves in more than `regex_ways` ways is matched linearly.
        """
        nodes = self._parse(source)
        if all(node.kind == "gap" for node in nodes):
            raise PatternError("the phrase has no words", 1)
        body = "".join(self._regex(n) for n in nodes)
        keys = _keys(nodes, self._macro_nodes)
        words = frozenset(_words(nodes, self._macro_nodes))
        plain = None
        if all(n.kind == "word" for n in nodes) and len(nodes) >= FUZZY_MIN_WORDS:
            plain = " ".join(n.value for n in nodes)
        ways = _gap_ways(nodes, self._macro_nodes)
        program = Program(nodes, self._macro_nodes) if ways > regex_ways else None
        # Every word is escaped and every construct is built here, so the expression is always valid.
        size = _size(nodes, self._macro_nodes)
        return Compiled(source, f"(?:{body})(?= )", keys, words, plain, gap_ways=ways, size=size, program=program)

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
                    # Side by side, gaps are one: the same words match, and a backtracking regex no
                    # longer tries every way of sharing them out ("~~ ~~ ~~ ..." took minutes).
                    if nodes and nodes[-1].kind == "gap":
                        nodes[-1] = _Node("gap", str(int(nodes[-1].value) + _GAPS[token]))
                    else:
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
        # A sentence lists stems from MIN_PREFIX_KEY letters on: a shorter one would never pick the phrase.
        return frozenset({node.value + "*"}) if len(node.value) >= MIN_PREFIX_KEY else None
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


def gap_columns(source: str) -> list[int]:
    """Where each gap (`~`, `...`, `~~`) of a phrase starts, counting from 1, side-by-side gaps each counted."""
    return [m.start() + 1 for m in _PATTERN_TOKEN.finditer(source) if m.group() in _GAPS]


def _gap_ways(nodes: Sequence[_Node], macros: Mapping[str, tuple[tuple[_Node, ...], ...]]) -> int:
    """In how many ways the gaps of a sequence can size themselves at one place: the product of their choices."""
    ways = 1
    for node in nodes:
        if node.kind == "gap":
            ways *= int(node.value) + 1
        elif node.kind == "group" or (node.kind == "macro" and node.value in macros):
            options = node.options if node.kind == "group" else macros[node.value]
            ways *= max((_gap_ways(option, macros) for option in options), default=1)
    return ways


def _size(nodes: Sequence[_Node], macros: Mapping[str, tuple[tuple[_Node, ...], ...]]) -> int:
    """How many words, stems, shapes and gaps a sequence holds, every alternative and macro spelled out."""
    size = 0
    for node in nodes:
        if node.kind == "group" or (node.kind == "macro" and node.value in macros):
            options = node.options if node.kind == "group" else macros[node.value]
            size += 1 + sum(_size(option, macros) for option in options)
        else:
            size += 1
    return size


# The linear matcher's steps: (kind, argument, next step). Step 0 is the end of the phrase.
_END, _WORD, _PREFIX, _SHAPE, _GAP, _CHOICE = range(6)
_Found = tuple  # (end boundary, gaps taken as (boundary, words, earlier gaps) or None)


class Program:
    """A phrase as steps over a sentence's words, matched by dynamic programming in linear time.

    A sentence's text is " w1 w2 ... wn ": its spaces are the boundaries 0..n, and a match runs from
    one boundary to another. For each step and each boundary the matcher keeps the first way the rest
    of the phrase matches from there, in the order a regular expression tries them (alternatives left
    to right, gaps shortest first), so it finds the same match the phrase's regex finds, in at most
    `cost()` steps instead of a number that grows with the power of the number of gaps.
    """

    def __init__(self, nodes: Sequence[_Node], macros: Mapping[str, tuple[tuple[_Node, ...], ...]]) -> None:
        self._macros = macros
        self._gap_sizes: list[int] = []
        self.steps: list[tuple[int, object, int]] = [(_END, None, -1)]
        self.first = self._sequence(nodes, 0)
        self._last: tuple[str, list[int], list[_Found | None]] | None = None  # the last text matched, kept for its next search

    def cost(self, boundaries: int) -> int:
        """The steps one pass over a text with this many boundaries (spaces) takes, at most."""
        gap_work = sum(min(size, boundaries) for size in self._gap_sizes)
        return (len(self.steps) + gap_work) * max(1, boundaries)

    def search(self, text: str, position: int) -> PhraseMatch | None:
        """The first match starting at or after `position`."""
        last = self._last
        if last is None or last[0] != text:
            spaces = [index for index, char in enumerate(text) if char == " "]
            last = (text, spaces, self._starts(text, spaces))
            self._last = last
        _, spaces, starts = last
        for boundary in range(bisect_left(spaces, position), len(spaces)):
            found = starts[boundary]
            if found is not None:
                gaps = []
                taken = found[1]
                while taken is not None:
                    at, count, taken = taken
                    gaps.append(text[spaces[at] : spaces[at + count]])
                return PhraseMatch(spaces[boundary], spaces[found[0]], tuple(gaps))
        return None

    def _starts(self, text: str, spaces: list[int]) -> list[_Found | None]:
        """For each boundary, the match that starts there, or None."""
        words = [text[spaces[i] + 1 : spaces[i + 1]] for i in range(len(spaces) - 1)]
        last = len(words)
        rows: list[list[_Found | None]] = []
        for kind, argument, following in self.steps:
            after = rows[following] if following >= 0 else []
            row: list[_Found | None]
            if kind == _END:
                row = [(i, None) for i in range(last + 1)]
            elif isinstance(argument, tuple):  # a choice: the first option that matches from here
                options = [rows[o] for o in argument]
                row = [next((r[i] for r in options if r[i] is not None), None) for i in range(last + 1)]
            elif isinstance(argument, int):  # a gap of up to `argument` words
                row = [self._gap(i, argument, words, after) for i in range(last + 1)]
            else:
                fits = _fits(kind, argument)
                row = [after[i + 1] if fits(words[i]) else None for i in range(last)] + [None]
            rows.append(row)
        return rows[self.first]

    @staticmethod
    def _gap(i: int, size: int, words: list[str], after: list[_Found | None]) -> _Found | None:
        """The shortest run of words from boundary i after which the rest matches, as a lazy gap takes it."""
        for count in range(min(size, len(words) - i) + 1):
            if count and not words[i + count - 1]:
                return None  # a gap takes whole words: it cannot cross an empty one
            found = after[i + count]
            if found is not None:
                return found if count == 0 else (found[0], (i, count, found[1]))
        return None

    def _sequence(self, nodes: Sequence[_Node], following: int) -> int:
        for node in reversed(nodes):
            following = self._node(node, following)
        return following

    def _node(self, node: _Node, following: int) -> int:
        if node.kind == "word":
            for piece in reversed(node.value.split(" ")):  # " " + "a b" in a regex is two words
                following = self._add(_WORD, piece, following)
            return following
        if node.kind == "prefix":
            return self._add(_PREFIX, node.value, following)
        if node.kind == "gap":
            self._gap_sizes.append(int(node.value))
            return self._add(_GAP, int(node.value), following)
        if node.kind == "macro" and node.value in BUILTINS:
            return self._add(_SHAPE, re.compile(BUILTINS[node.value].removeprefix(" ")), following)
        options = node.options if node.kind == "group" else self._macros[node.value]
        starts = tuple(self._sequence(option, following) for option in options)
        return self._add(_CHOICE, starts, -1)

    def _add(self, kind: int, argument: object, following: int) -> int:
        self.steps.append((kind, argument, following))
        return len(self.steps) - 1


def _fits(kind: int, argument: object) -> Callable[[str], bool]:
    """The test one word must pass for a word, prefix or built-in shape step."""
    if kind == _WORD:
        return lambda word: word == argument
    if kind == _PREFIX:
        stem = str(argument)
        return lambda word: word.startswith(stem)
    shape = argument if isinstance(argument, re.Pattern) else re.compile(str(argument))
    return lambda word: shape.fullmatch(word) is not None
