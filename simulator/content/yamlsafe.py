"""Load a hand-written YAML file safely, keeping the line and column of every value.

Trainers write scenario and persona files by hand, so every problem is reported as
`path:line:column: error: message`, all problems of a file at once, and a hostile file can
never run code, hang, or eat memory:

- the file is refused before it is read if it is over `MAX_FILE_BYTES`, if it is binary
  (a NUL byte), UTF-16/32, or not valid UTF-8 (each bad byte is named); a UTF-8 BOM is fine;
- the YAML is parsed by PyYAML's parser (libyaml when installed, which is ~20x faster) but
  composed here, without recursion, so nesting deeper than `MAX_DEPTH` or more than
  `MAX_VALUES` values stop with a message instead of a RecursionError or a long wait;
- only plain data is built: text, numbers, true/false, null, lists and mappings. Any other tag
  (`!!python/...`, `!!binary`, `!custom`) is reported and never constructed; timestamps
  (`2024-05-01`) stay text, as written;
- aliases (`*name`) are expanded into independent copies and count against `MAX_VALUES` and
  `MAX_EXPANDED_CHARS`, so a "billion laughs" file stops early with small memory; an alias
  inside the node it names is an error;
- merge keys (`<<: *defaults`) are supported as in YAML 1.1: keys written in the mapping win
  over merged ones, and earlier merged mappings win over later ones;
- mapping keys must be plain values and are always kept as the text written, so `no:`,
  `on:` and `404:` become the strings 'no', 'on' and '404' (scenario keys are names, and
  YAML 1.1 would otherwise turn `no:` into False); a key written twice is an error;
- a file must hold exactly one document, and it must be a mapping or a list (an empty file or
  a lone value such as a paragraph of prose is reported).

A value reached through an alias is positioned at the alias; the values inside it at the
anchored text they were copied from.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.constructor import SafeConstructor
from yaml.error import Mark
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader

from simulator.content.errors import ContentError, Problem

_HAS_LIBYAML = hasattr(yaml, "CSafeLoader")
# A big scenario is ~50 KB; the limit leaves room, not an attack surface. PyYAML's pure-python
# parser (only without libyaml) reads ~300 KB/s, so it gets a smaller limit to stay under 2 s.
MAX_FILE_BYTES = 2 * 1024 * 1024 if _HAS_LIBYAML else 256 * 1024
MAX_DEPTH = 64  # nested lists/mappings (and merge chains); real files need fewer than 10
MAX_VALUES = 50_000  # values after alias expansion: a hand-written file has a few thousand
MAX_EXPANDED_CHARS = 2 * MAX_FILE_BYTES  # text after alias expansion, so aliases cannot multiply work
# Longer plain values are text, and `!!int` on longer is refused: `1:2:3:...` (YAML 1.1's base 60)
# costs quadratic time, and the number regexes a lot of memory on megabytes of digits.
MAX_NUMBER_CHARS = 100
MAX_PROBLEMS = 100  # past this, more lines only bury the first mistake

Loc = tuple[str | int, ...]
Position = tuple[int, int]

_TAG_PREFIX = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _TIMESTAMP = (_TAG_PREFIX + name for name in ("seq", "map", "timestamp"))
_MERGE, _VALUE = _TAG_PREFIX + "merge", _TAG_PREFIX + "value"
# Tags the resolver gives plain scalars that only mean something in special places (`<<`, `=`):
# anywhere else they are the text written.
_TEXT_TAGS = frozenset({_STR, _TIMESTAMP, _MERGE, _VALUE})
_SCALAR_TAGS = _TEXT_TAGS | {_INT, _FLOAT, _BOOL, _NULL}
_ALLOWED_TAGS = "only text, numbers, true/false, null, lists and mappings are allowed"

# The characters YAML forbids in a stream (PyYAML's own list), found up front so each is reported
# at its line and column instead of as one reader error with a character offset.
_NON_PRINTABLE = Reader.NON_PRINTABLE
_BAD_UTF8 = re.compile("[\udc80-\udcff]+")  # what surrogateescape turns undecodable bytes into
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


class _Loader(yaml.CSafeLoader if _HAS_LIBYAML else yaml.SafeLoader):  # type: ignore[misc]
    """PyYAML's safe loader, used only to parse events, resolve plain tags and read core scalars."""


@dataclass(frozen=True)
class Located:
    """A loaded YAML document and where each value came from."""

    path: str
    data: Any  # plain python: dict/list/str/int/float/bool/None
    positions: Mapping[Loc, Position] = field(default_factory=dict, repr=False, compare=False)
    key_positions: Mapping[Loc, Position] = field(default_factory=dict, repr=False, compare=False)

    def position(self, loc: Sequence[str | int]) -> Position:
        """1-based (line, column) of the value at loc, else of its nearest placed ancestor; (1, 1) at the root."""
        path = tuple(loc)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return (1, 1)

    def key_position(self, loc: Sequence[str | int]) -> Position:
        """1-based (line, column) of the key of the mapping entry at loc; falls back to position()."""
        return self.key_positions.get(tuple(loc)) or self.position(loc)


def load_yaml_file(path: Path) -> Located:
    """Read and load one YAML file; raises ContentError carrying every problem found."""
    name = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            _fail(name, "cannot read the file: it is a directory")
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            _fail(name, "cannot read the file: it is not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            _fail(name, _too_big(info.st_size))
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except OSError as error:
        _fail(name, f"cannot read the file: {error.strerror or error}")
    return load_yaml_text(data, name)


def load_yaml_text(text: str | bytes, path: str = "<string>") -> Located:
    """Load YAML from text (bytes are decoded as UTF-8); raises ContentError carrying every problem."""
    if len(text) > MAX_FILE_BYTES:
        _fail(path, _too_big(len(text)))
    if isinstance(text, bytes):
        text = _decode(text, path)
    text = text.removeprefix("\ufeff")
    _check_characters(text, path)
    return _Builder(text, path).build()


def _fail(path: str, message: str, position: Position = (1, 1)) -> NoReturn:
    """Stop loading with a single problem."""
    raise ContentError([Problem(path, position[0], position[1], message)])


def _too_big(size: int) -> str:
    """The message for a file over the size limit."""
    return f"file is {_size(size)}; the limit is {_size(MAX_FILE_BYTES)}"


def _size(size: int) -> str:
    """A size in bytes as people read it."""
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 2**10:.0f} KiB"


def _text_position(text: str, index: int) -> Position:
    """1-based (line, column) of the character at index."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _decode(data: bytes, path: str) -> str:
    """Decode UTF-8, or fail naming the NUL byte of a binary file or each undecodable byte."""
    if data.startswith(_UTF16_32_BOMS):
        _fail(path, "the file is saved as UTF-16 or UTF-32; save it as UTF-8")
    text = data.decode("utf-8", errors="surrogateescape")
    nul = text.find("\x00")
    if nul >= 0:
        _fail(path, "this is not a text file (it contains a NUL byte)", _text_position(text, nul))
    problems = []
    for bad in _BAD_UTF8.finditer(text):
        if len(problems) == MAX_PROBLEMS:
            break
        shown = " ".join(f"0x{ord(char) - 0xDC00:02x}" for char in bad.group()[:4])
        line, column = _text_position(text, bad.start())
        problems.append(Problem(path, line, column, f"invalid UTF-8 ({shown}); save the file as UTF-8"))
    if problems:
        raise ContentError(problems)
    return text


def _check_characters(text: str, path: str) -> None:
    """Fail on a NUL (binary data) or, naming each one, on characters YAML does not allow."""
    nul = text.find("\x00")
    if nul >= 0:
        _fail(path, "this is not a text file (it contains a NUL byte)", _text_position(text, nul))
    problems = []
    for match in _NON_PRINTABLE.finditer(text):
        if len(problems) == MAX_PROBLEMS:
            break
        line, column = _text_position(text, match.start())
        message = f"character U+{ord(match.group()):04X} is not allowed in a YAML file"
        problems.append(Problem(path, line, column, message))
    if problems:
        raise ContentError(problems)


class _Stop(Exception):
    """A limit was hit or the YAML is broken: loading cannot go on past this point."""


@dataclass
class _Alias:
    """An alias (`*name`) in the composed tree: where it was written, and the node it names."""

    target: Node
    start_mark: Mark


# A list or mapping being composed: the node, its anchor, and (for a mapping) a key awaiting its value.
_OpenNode = tuple[Node, str | None, list[Any]]


def _position(mark: Mark) -> Position:
    """1-based (line, column) of a PyYAML mark (which counts from 0)."""
    return mark.line + 1, mark.column + 1


def _short_tag(tag: str) -> str:
    """A tag as it is written in the file."""
    return "!!" + tag[len(_TAG_PREFIX) :] if tag.startswith(_TAG_PREFIX) else tag


def _kind(node: Node) -> str:
    """What a node is, in a trainer's words."""
    if isinstance(node, MappingNode):
        return "a mapping"
    return "a list" if isinstance(node, SequenceNode) else "a single value"


class _Builder:
    """Turns one YAML text into plain python data and the positions of its values, collecting problems."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.problems: dict[Problem, None] = {}  # ordered set: an alias may repeat a problem
        self.positions: dict[Loc, Position] = {}
        self.key_positions: dict[Loc, Position] = {}
        self.composed = 0  # values written in the file
        self.expanded = 0  # values built, counting each alias expansion again
        self.chars = 0  # characters of text built, likewise
        constructor = SafeConstructor()  # reads the core scalars; never given any other tag
        self.construct = {
            _INT: constructor.construct_yaml_int,
            _FLOAT: constructor.construct_yaml_float,
            _BOOL: constructor.construct_yaml_bool,
            _NULL: constructor.construct_yaml_null,
        }
        self.alias_marks: list[Mark] = []  # the aliases being expanded, outermost first

    def build(self) -> Located:
        """Parse, compose and convert the text; raise ContentError if anything was wrong."""
        try:
            root = self._parse()
            data = self._value(root, ())
        except _Stop:
            data = None
        if self.problems:
            raise ContentError(list(self.problems))
        return Located(self.path, data, self.positions, self.key_positions)

    def _problem(self, position: Position, message: str) -> None:
        """Record a problem; past MAX_PROBLEMS, stop."""
        self.problems[Problem(self.path, position[0], position[1], message)] = None
        if len(self.problems) >= MAX_PROBLEMS:
            self._stop((1, 1), f"too many problems; stopped after the first {MAX_PROBLEMS}")

    def _stop(self, position: Position, message: str) -> NoReturn:
        """Record a problem and give up on the rest of the file."""
        self.problems[Problem(self.path, position[0], position[1], message)] = None
        raise _Stop

    # -- parsing and composing ---------------------------------------------------------------

    def _parse(self) -> Node | _Alias:
        """Compose the single document of the text, turning every YAML error into a problem."""
        try:
            loader = _Loader(self.text)
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
        position = _position(mark) if mark else (1, 1)
        problem = error.problem or error.context or "unreadable"
        message = f"not valid YAML: {problem}"
        if error.context and error.problem and error.context_mark:
            line, column = _position(error.context_mark)
            message += f" ({error.context} at line {line}, column {column})"
        if mark and self._character_at(mark) == "\t":
            message += "; indent with spaces, YAML does not allow tabs there"
        return position, message

    def _character_at(self, mark: Mark) -> str:
        """The character a mark points at ("" past the end of its line)."""
        lines = self.text.split("\n", mark.line + 1)
        line = lines[mark.line] if mark.line < len(lines) else ""
        return line[mark.column : mark.column + 1]

    def _compose_single(self, loader: _Loader) -> Node | _Alias:
        """The root node of the one document in the stream."""
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            self._stop((1, 1), "the file is empty; expected 'key: value' lines")
        loader.get_event()  # document start
        root = self._compose_node(loader)
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            mark = loader.peek_event().start_mark
            self._stop(_position(mark), "a second YAML document starts here; a file holds only one")
        if isinstance(root, ScalarNode) and root.value == "" and not root.style:  # only `---`
            self._stop((1, 1), "the file is empty; expected 'key: value' lines")
        if isinstance(root, ScalarNode):
            message = "the whole file is a single value; expected 'key: value' lines"
            self._stop(_position(root.start_mark), message)
        return root

    def _compose_node(self, loader: _Loader) -> Node | _Alias:
        """Build the node tree of one document from parser events, without recursion."""
        anchors: dict[str, Node] = {}
        open_nodes: list[_OpenNode] = []
        while True:
            event = loader.get_event()
            if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                node, anchor, _ = open_nodes.pop()
                if anchor is not None:
                    anchors[anchor] = node
            elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                self._count_composed(event.start_mark)
                if len(open_nodes) >= MAX_DEPTH:
                    self._stop(
                        _position(event.start_mark),
                        f"lists and mappings are nested more than {MAX_DEPTH} deep here",
                    )
                node_class = SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
                tag = self._tag(loader, node_class, event, None)
                node = node_class(tag, [], event.start_mark, event.end_mark, event.flow_style)
                open_nodes.append((node, event.anchor, []))
                continue
            elif isinstance(event, AliasEvent):
                self._count_composed(event.start_mark)
                node = self._alias(event, anchors, open_nodes)
            elif isinstance(event, ScalarEvent):
                self._count_composed(event.start_mark)
                tag = self._tag(loader, ScalarNode, event, event.value)
                node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
                if event.anchor is not None:
                    anchors[event.anchor] = node
            else:  # the parser only yields node events inside a document
                raise AssertionError(f"unexpected YAML event {event!r}")
            if not open_nodes:
                return node
            self._attach(open_nodes[-1], node)

    @staticmethod
    def _tag(loader: _Loader, kind: type[Node], event: Any, value: str | None) -> str:
        """The node's tag: the one written, or the one YAML's rules give a plain node."""
        if event.tag is not None and event.tag != "!":
            return event.tag
        if value is not None and len(value) > MAX_NUMBER_CHARS:  # no number; spares the regexes long texts
            return _STR
        return loader.resolve(kind, value, event.implicit)

    def _alias(self, event: AliasEvent, anchors: dict[str, Node], open_nodes: list[_OpenNode]) -> _Alias:
        """The node an alias names, or a problem if it names nothing (yet)."""
        target = anchors.get(event.anchor)
        if target is not None:
            return _Alias(target, event.start_mark)
        if any(anchor == event.anchor for _, anchor, _ in open_nodes):
            message = f"alias '*{event.anchor}' is used inside the node it names"
        else:
            message = f"alias '*{event.anchor}' names no anchor; write '&{event.anchor}' on a value before it"
        self._stop(_position(event.start_mark), message)

    @staticmethod
    def _attach(parent: _OpenNode, child: Node | _Alias) -> None:
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
            self._stop(_position(mark), f"the file has more than {MAX_VALUES:,} values; split it up")

    # -- converting to python ----------------------------------------------------------------

    def _value(self, node: Node | _Alias, loc: Loc) -> Any:
        """The plain python value of a node (None where a problem was recorded)."""
        if isinstance(node, _Alias):
            self.positions[loc] = _position(node.start_mark)
            self.alias_marks.append(node.start_mark)
            try:
                return self._node_value(node.target, loc)
            finally:
                self.alias_marks.pop()
        self.positions[loc] = _position(node.start_mark)
        return self._node_value(node, loc)

    def _node_value(self, node: Node, loc: Loc) -> Any:
        """Convert a node whose position is already recorded."""
        self._spend(1, node)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        expected = _SEQ if isinstance(node, SequenceNode) else _MAP
        if node.tag != expected:
            self._bad_tag(node)
            return None
        if len(loc) >= MAX_DEPTH:  # each piece was shallow enough, but aliases nest copies in copies
            message = f"aliases nest lists and mappings more than {MAX_DEPTH} deep"
            self._stop(self._expansion_position(node), message)
        if isinstance(node, SequenceNode):
            return [self._value(item, (*loc, index)) for index, item in enumerate(node.value)]
        result = {}
        for key, (key_node, value_node) in self._entries(node, len(loc)).items():
            self.key_positions[(*loc, key)] = _position(key_node.start_mark)
            result[key] = self._value(value_node, (*loc, key))
        return result

    def _spend(self, values: int, node: Node) -> None:
        """Count values produced; stop when aliases make the data bigger than the limits."""
        self.expanded += values
        if isinstance(node, ScalarNode):
            self.chars += len(node.value)
        if self.expanded > MAX_VALUES:
            self._stop(self._expansion_position(node), f"aliases expand this file past {MAX_VALUES:,} values")
        if self.chars > MAX_EXPANDED_CHARS:
            message = f"aliases expand this file past {MAX_EXPANDED_CHARS:,} characters of text"
            self._stop(self._expansion_position(node), message)

    def _expansion_position(self, node: Node) -> Position:
        """Where to blame an expansion that is too big: the outermost alias being expanded."""
        return _position(self.alias_marks[0] if self.alias_marks else node.start_mark)

    def _scalar(self, node: ScalarNode) -> Any:
        """Text, a number, a bool or None, as the node's tag says."""
        if node.tag in _TEXT_TAGS:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self._bad_tag(node)
            return None
        if node.tag in (_INT, _FLOAT) and len(node.value) > MAX_NUMBER_CHARS:
            self._problem(_position(node.start_mark), f"number is too long ({len(node.value):,} characters)")
            return None
        try:
            return self.construct[node.tag](node)
        except (ValueError, KeyError, IndexError):  # only reachable through an explicit tag: `!!int abc`
            self._problem(_position(node.start_mark), f"{node.value!r} is not a valid {_short_tag(node.tag)}")
            return None

    def _bad_tag(self, node: Node) -> None:
        """Report a tag this loader will not construct."""
        tag = _short_tag(node.tag)
        if node.tag in _SCALAR_TAGS or node.tag in (_SEQ, _MAP):
            message = f"tag '{tag}' cannot be used on {_kind(node)}"
        else:
            message = f"tag '{tag}' is not allowed; {_ALLOWED_TAGS}"
        self._problem(_position(node.start_mark), message)

    def _entries(self, node: MappingNode, depth: int) -> dict[str, tuple[Node, Node | _Alias]]:
        """The mapping's entries by key: keys as written, merged (`<<`) entries after written ones."""
        written: dict[str, tuple[Node, Node | _Alias]] = {}
        merged: dict[str, tuple[Node, Node | _Alias]] = {}
        for key_node, value_node in node.value:
            key_target = key_node.target if isinstance(key_node, _Alias) else key_node
            if isinstance(key_target, ScalarNode) and key_target.tag == _MERGE:
                for source in self._merge_sources(value_node, depth):
                    for key, entry in self._entries(source, depth + 1).items():
                        merged.setdefault(key, entry)
                continue
            key = self._key(key_target, key_node)
            if key is None:
                continue
            if key in written:
                first_line = written[key][0].start_mark.line + 1
                self._problem(
                    _position(key_node.start_mark), f"duplicate key '{key}' (first at line {first_line})"
                )
                continue
            written[key] = (key_node, value_node)
        return merged | written

    def _key(self, key_target: Node, key_node: Node | _Alias) -> str | None:
        """A mapping key as the text written, or None (with a problem) if it is not a plain value."""
        if not isinstance(key_target, ScalarNode):
            message = f"a key must be a plain name, not {_kind(key_target)}"
            self._problem(_position(key_node.start_mark), message)
            return None
        if key_target.tag not in _SCALAR_TAGS:
            self._bad_tag(key_target)
            return None
        return key_target.value

    def _merge_sources(self, value: Node | _Alias, depth: int) -> Iterator[MappingNode]:
        """The mappings a merge key (`<<`) names: one mapping or a list of them."""
        target = _target(value)
        if depth >= MAX_DEPTH:
            self._stop(self._expansion_position(target), f"merge keys ('<<') chain more than {MAX_DEPTH} deep")
        sources = target.value if isinstance(target, SequenceNode) else [value]
        for source in sources:
            mapping = _target(source)
            self._spend(len(mapping.value) if isinstance(mapping, MappingNode) else 1, mapping)
            if isinstance(mapping, MappingNode) and mapping.tag == _MAP:
                yield mapping
            else:
                message = f"'<<' merges mappings into this one, but this is {_kind(mapping)}"
                self._problem(_position(source.start_mark), message)


def _target(node: Node | _Alias) -> Node:
    """The node itself, or the node an alias names."""
    return node.target if isinstance(node, _Alias) else node
