"""Compose the YAML parser's events into a node tree, without recursion and within fixed limits.

The first step of loading a checked text (see `simulator.content.yamlsafe`): PyYAML's parser (libyaml's
when installed) turns the text into events, and `compose` builds the one document's node tree from
them, with each alias kept as a reference to the node it names, not a copy. A YAML error, a second
document, an empty file, a lone value or a limit hit stops composing with one located problem (a
ContentError carrying it): nothing after a broken line can be trusted. Every limit of loading is set
here, so the later steps and the public module share one list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn, Protocol

import yaml
from yaml.error import Mark
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.content.errors import ContentError, Problem

HAS_LIBYAML = hasattr(yaml, "CSafeLoader")
# A big scenario is ~50 KB; the limit leaves room, not an attack surface. PyYAML's pure-python
# parser (only without libyaml) reads ~300 KB/s, so it gets a smaller limit to stay under 2 s.
MAX_FILE_BYTES = 2 * 1024 * 1024 if HAS_LIBYAML else 256 * 1024
MAX_DEPTH = 64  # nested lists/mappings (and merge chains); real files need fewer than 10
MAX_VALUES = 50_000  # values after alias expansion: a hand-written file has a few thousand
MAX_EXPANDED_CHARS = 2 * MAX_FILE_BYTES  # text after alias expansion, so aliases cannot multiply work
# Longer plain values are text, and `!!int` on longer is refused: `1:2:3:...` (YAML 1.1's base 60)
# costs quadratic time, and the number regexes a lot of memory on megabytes of digits.
MAX_NUMBER_CHARS = 100
MAX_PROBLEMS = 100  # past this, more lines only bury the first mistake

Loc = tuple[str | int, ...]
Position = tuple[int, int]

TAG_PREFIX = "tag:yaml.org,2002:"
_STR = TAG_PREFIX + "str"


# A line whose value opens with a quote: `key: "text` or `- 'text` (what follows the quote is the body).
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s:#'"][^:#]*:\s+|-\s+)?(?P<quote>["'])(?P<body>.*)$""")


class EventParser(Protocol):
    """What composing uses of a PyYAML loader: its parser events, its tag resolver, and dispose()."""

    def get_event(self) -> Event | None: ...
    def peek_event(self) -> Event | None: ...
    def check_event(self, *choices: type[Event]) -> bool: ...
    def resolve(self, kind: type[Node], value: str | None, implicit: bool | tuple[bool, bool]) -> str: ...
    def dispose(self) -> None: ...


# PyYAML's safe loader, used only to parse events and resolve plain tags: libyaml's when installed
# (~20x faster), else the pure-python one.
DEFAULT_LOADER: Callable[[str], EventParser] = yaml.CSafeLoader if HAS_LIBYAML else yaml.SafeLoader

YamlNode = ScalarNode | SequenceNode | MappingNode  # the only nodes composed here


@dataclass
class Alias:
    """An alias (`*name`) in the composed tree: where it was written, and the node it names."""

    target: YamlNode
    start_mark: Mark


# A list or mapping being composed: the node, its anchor, and (for a mapping) a key awaiting its value.
_OpenNode = tuple[SequenceNode | MappingNode, str | None, list[YamlNode | Alias]]


def compose(text: str, path: str, loader: Callable[[str], EventParser] = DEFAULT_LOADER) -> YamlNode | Alias:
    """The root node of the one document in the text, a list or a mapping; raises ContentError if there is none."""
    return _Composer(text, path).compose(loader)


def mark_position(mark: Mark) -> Position:
    """1-based (line, column) of a PyYAML mark (which counts from 0)."""
    return mark.line + 1, mark.column + 1


def _marks(event: Event | None) -> tuple[Mark, Mark]:
    """Where a parsed event starts and ends.

    PyYAML's stubs type an event's marks as `yaml.error.Mark | yaml._yaml.Mark | None`, and nodes as
    taking only the first: libyaml's events carry its own Mark class (with the same line, column and
    index), and None is only for events built by hand, never for the parser's.
    """
    assert event is not None, "the parser yields an event before the end of the stream"
    return event.start_mark, event.end_mark  # type: ignore[return-value]  # stub gap, see the docstring


class _Composer:
    """Composes one YAML text, stopping at the first problem."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.composed = 0  # values written in the file

    def _stop(self, position: Position, message: str) -> NoReturn:
        """Give up on the file with this problem."""
        raise ContentError([Problem(self.path, position[0], position[1], message)])

    def compose(self, loader_class: Callable[[str], EventParser]) -> YamlNode | Alias:
        """Compose the single document of the text, turning every YAML error into a problem."""
        try:
            loader = loader_class(self.text)
            try:
                return self._compose_single(loader)
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as error:
            self._stop(*self._describe(error))
        except yaml.YAMLError as error:  # unmarked (reader) errors: characters are checked up front
            self._stop((1, 1), f"not valid YAML: {error}")

    def _describe(self, error: yaml.MarkedYAMLError) -> tuple[Position, str]:
        """Where a YAML syntax error is, and what it means."""
        mark = error.problem_mark or error.context_mark
        position = mark_position(mark) if mark else (1, 1)
        problem = error.problem or error.context or "unreadable"
        message = f"not valid YAML: {problem}"
        if error.context and error.problem and error.context_mark:
            line, column = mark_position(error.context_mark)
            message += f" ({error.context} at line {line}, column {column})"
            if "quoted scalar" in error.context:
                position = (line, column)  # the quote that never closed, not the end of the file
        opened = self._unclosed_quote(mark.line if mark else 0)
        if opened is not None and position != opened:
            # A quote left open swallows the lines after it; the parser only trips over it much later.
            message = (f"not valid YAML: the quote opened here is not closed on its line, so YAML reads on "
                       f"into the lines after it ({problem} at line {position[0]}, column {position[1]})")
            position = opened
        if mark and self._character_at(mark) == "\t":
            message += "; indent with spaces, YAML does not allow tabs there"
        return position, message

    def _unclosed_quote(self, before_line: int) -> Position | None:
        """The first quoted value, up to a line, whose quote is not closed on the line it opens ((line, column)).

        A value written in quotes on one line, as a trainer writes a line of dialogue: `key: "...` or
        `- '...`. A quoted value meant to run over several lines is rare in these files; when one does,
        the YAML is valid and this is never asked.
        """
        for number, line in enumerate(self.text.split("\n")[: before_line + 1]):
            match = _QUOTED_VALUE.match(line)
            if not match:
                continue
            quote, body = match.group("quote"), match.group("body")
            if quote == '"':
                closes = re.search(r'(?<!\\)(?:\\\\)*"', body)
            else:
                closes = re.search(r"'(?!')", body.replace("''", ""))
            if closes is None:
                return number + 1, match.start("quote") + 1
        return None

    def _character_at(self, mark: Mark) -> str:
        """The character a mark points at ("" past the end of its line)."""
        lines = self.text.split("\n", mark.line + 1)
        line = lines[mark.line] if mark.line < len(lines) else ""
        return line[mark.column : mark.column + 1]

    def _compose_single(self, loader: EventParser) -> YamlNode | Alias:
        """The root node of the one document in the stream."""
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            self._stop((1, 1), "the file is empty; expected 'key: value' lines")
        loader.get_event()  # document start
        root = self._compose_node(loader)
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            mark, _ = _marks(loader.peek_event())
            self._stop(mark_position(mark), "a second YAML document starts here; a file holds only one")
        if isinstance(root, ScalarNode) and root.value == "" and not root.style:  # only `---`
            self._stop((1, 1), "the file is empty; expected 'key: value' lines")
        if isinstance(root, ScalarNode):
            message = "the whole file is a single value; expected 'key: value' lines"
            self._stop(mark_position(root.start_mark), message)
        return root

    def _compose_node(self, loader: EventParser) -> YamlNode | Alias:
        """Build the node tree of one document from parser events, without recursion."""
        anchors: dict[str, YamlNode] = {}
        open_nodes: list[_OpenNode] = []
        node: YamlNode | Alias
        while True:
            event = loader.get_event()
            if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                node, anchor, _ = open_nodes.pop()
                if anchor is not None:
                    anchors[anchor] = node
            elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                start, end = _marks(event)
                self._count_composed(start)
                if len(open_nodes) >= MAX_DEPTH:
                    self._stop(
                        mark_position(start),
                        f"lists and mappings are nested more than {MAX_DEPTH} deep here",
                    )
                node_class = SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
                tag = self._tag(loader, node_class, event, None)
                collection = node_class(tag, [], start, end, event.flow_style)
                open_nodes.append((collection, event.anchor, []))
                continue
            elif isinstance(event, AliasEvent):
                self._count_composed(_marks(event)[0])
                node = self._alias(event, anchors, open_nodes)
            elif isinstance(event, ScalarEvent):
                start, end = _marks(event)
                self._count_composed(start)
                tag = self._tag(loader, ScalarNode, event, event.value)
                node = ScalarNode(tag, event.value, start, end, event.style)
                if event.anchor is not None:
                    anchors[event.anchor] = node
            else:  # the parser only yields node events inside a document
                raise AssertionError(f"unexpected YAML event {event!r}")  # a broken invariant
            if not open_nodes:
                return node
            self._attach(open_nodes[-1], node)

    @staticmethod
    def _tag(
        loader: EventParser, kind: type[Node], event: CollectionStartEvent | ScalarEvent, value: str | None
    ) -> str:
        """The node's tag: the one written, or the one YAML's rules give a plain node."""
        if event.tag is not None and event.tag != "!":
            return event.tag
        if value is not None and len(value) > MAX_NUMBER_CHARS:  # no number; spares the regexes long texts
            return _STR
        return loader.resolve(kind, value, event.implicit)

    def _alias(self, event: AliasEvent, anchors: dict[str, YamlNode], open_nodes: list[_OpenNode]) -> Alias:
        """The node an alias names, or a problem if it names nothing (yet)."""
        start, _ = _marks(event)
        target = anchors.get(event.anchor) if event.anchor is not None else None
        if target is not None:
            return Alias(target, start)
        if any(anchor == event.anchor for _, anchor, _ in open_nodes):
            message = f"alias '*{event.anchor}' is used inside the node it names"
        else:
            message = f"alias '*{event.anchor}' names no anchor; write '&{event.anchor}' on a value before it"
        self._stop(mark_position(start), message)

    @staticmethod
    def _attach(parent: _OpenNode, child: YamlNode | Alias) -> None:
        """Add a finished node to the open list or mapping (a mapping takes key, value pairs)."""
        node, _, pending_key = parent
        if isinstance(node, SequenceNode):
            node.value.append(child)
        elif pending_key:
            node.value.append((pending_key.pop(), child))
        else:
            pending_key.append(child)

    def _count_composed(self, mark: Mark) -> None:
        """Stop parsing a file with more values than anyone writes by hand."""
        self.composed += 1
        if self.composed > MAX_VALUES:
            self._stop(mark_position(mark), f"the file has more than {MAX_VALUES:,} values; split it up")
