"""Convert a composed YAML node tree into plain python data, remembering where each value was written.

The second step of loading (see `simulator.content.yamlsafe`), after `yamlcompose`: only text,
numbers, true/false, null, lists and mappings are built, and any other tag is reported, never
constructed. Aliases are expanded into independent copies counted against the limits, merge keys
(`<<`) work as in YAML 1.1, mapping keys stay the text written, and a key written twice is an error.
Problems are collected, and `convert` raises one ContentError carrying all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, NoReturn

from yaml.constructor import SafeConstructor
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.content.errors import ContentError, Problem
from simulator.content.yamlcompose import (
    MAX_DEPTH,
    MAX_EXPANDED_CHARS,
    MAX_NUMBER_CHARS,
    MAX_PROBLEMS,
    MAX_VALUES,
    TAG_PREFIX,
    Alias,
    Loc,
    Position,
    YamlNode,
    mark_position,
)

_STR, _INT, _FLOAT, _BOOL, _NULL = (TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _TIMESTAMP = (TAG_PREFIX + name for name in ("seq", "map", "timestamp"))
_MERGE, _VALUE = TAG_PREFIX + "merge", TAG_PREFIX + "value"
# Tags the resolver gives plain scalars that only mean something in special places (`<<`, `=`):
# anywhere else they are the text written.
_TEXT_TAGS = frozenset({_STR, _TIMESTAMP, _MERGE, _VALUE})
_SCALAR_TAGS = _TEXT_TAGS | {_INT, _FLOAT, _BOOL, _NULL}
_ALLOWED_TAGS = "only text, numbers, true/false, null, lists and mappings are allowed"


class Converted(NamedTuple):
    """Plain python data (dict/list/str/int/float/bool/None) and where its values and keys were written."""

    data: Any
    positions: dict[Loc, Position]
    key_positions: dict[Loc, Position]


def convert(root: YamlNode | Alias, path: str) -> Converted:
    """The plain data of a composed document; raises ContentError carrying every problem found."""
    return _Converter(path).convert(root)


class _Stop(Exception):
    """A limit was hit: converting cannot go on past this point."""


def _short_tag(tag: str) -> str:
    """A tag as it is written in the file."""
    return "!!" + tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else tag


def _kind(node: Node) -> str:
    """What a node is, in a trainer's words."""
    if isinstance(node, MappingNode):
        return "a mapping"
    return "a list" if isinstance(node, SequenceNode) else "a single value"


def _target(node: YamlNode | Alias) -> YamlNode:
    """The node itself, or the node an alias names."""
    return node.target if isinstance(node, Alias) else node


class _Converter:
    """Turns one composed document into plain python data and the positions of its values, collecting problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: dict[Problem, None] = {}  # ordered set: an alias may repeat a problem
        self.positions: dict[Loc, Position] = {}
        self.key_positions: dict[Loc, Position] = {}
        self.expanded = 0  # values built, counting each alias expansion again
        self.chars = 0  # characters of text built, likewise
        constructor = SafeConstructor()  # reads the core scalars; never given any other tag
        self.construct: dict[str, Callable[[ScalarNode], Any]] = {
            _INT: constructor.construct_yaml_int,
            _FLOAT: constructor.construct_yaml_float,
            _BOOL: constructor.construct_yaml_bool,
            _NULL: constructor.construct_yaml_null,
        }
        self.alias_marks: list[Mark] = []  # the aliases being expanded, outermost first

    def convert(self, root: YamlNode | Alias) -> Converted:
        """Convert the whole document; raise ContentError if anything was wrong."""
        try:
            data = self._value(root, ())
        except _Stop:
            data = None
        if self.problems:
            raise ContentError(list(self.problems))
        return Converted(data, self.positions, self.key_positions)

    def _problem(self, position: Position, message: str) -> None:
        """Record a problem; past MAX_PROBLEMS, stop."""
        self.problems[Problem(self.path, position[0], position[1], message)] = None
        if len(self.problems) >= MAX_PROBLEMS:
            self._stop((1, 1), f"too many problems; stopped after the first {MAX_PROBLEMS}")

    def _stop(self, position: Position, message: str) -> NoReturn:
        """Record a problem and give up on the rest of the file."""
        self.problems[Problem(self.path, position[0], position[1], message)] = None
        raise _Stop

    def _value(self, node: YamlNode | Alias, loc: Loc) -> Any:
        """The plain python value of a node (None where a problem was recorded)."""
        if isinstance(node, Alias):
            self.positions[loc] = mark_position(node.start_mark)
            self.alias_marks.append(node.start_mark)
            try:
                return self._node_value(node.target, loc)
            finally:
                self.alias_marks.pop()
        self.positions[loc] = mark_position(node.start_mark)
        return self._node_value(node, loc)

    def _node_value(self, node: YamlNode, loc: Loc) -> Any:
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
            self.key_positions[(*loc, key)] = mark_position(key_node.start_mark)
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
        return mark_position(self.alias_marks[0] if self.alias_marks else node.start_mark)

    def _scalar(self, node: ScalarNode) -> Any:
        """Text, a number, a bool or None, as the node's tag says."""
        if node.tag in _TEXT_TAGS:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self._bad_tag(node)
            return None
        if node.tag in (_INT, _FLOAT) and len(node.value) > MAX_NUMBER_CHARS:
            self._problem(mark_position(node.start_mark), f"number is too long ({len(node.value):,} characters)")
            return None
        try:
            return self.construct[node.tag](node)
        except (ValueError, KeyError, IndexError):  # only reachable through an explicit tag: `!!int abc`
            self._problem(mark_position(node.start_mark), f"{node.value!r} is not a valid {_short_tag(node.tag)}")
            return None

    def _bad_tag(self, node: Node) -> None:
        """Report a tag this loader will not construct."""
        tag = _short_tag(node.tag)
        if node.tag in _SCALAR_TAGS or node.tag in (_SEQ, _MAP):
            message = f"tag '{tag}' cannot be used on {_kind(node)}"
        else:
            message = f"tag '{tag}' is not allowed; {_ALLOWED_TAGS}"
        self._problem(mark_position(node.start_mark), message)

    def _entries(self, node: MappingNode, depth: int) -> dict[str, tuple[Node, YamlNode | Alias]]:
        """The mapping's entries by key: keys as written, merged (`<<`) entries after written ones."""
        written: dict[str, tuple[Node, YamlNode | Alias]] = {}
        merged: dict[str, tuple[Node, YamlNode | Alias]] = {}
        for key_node, value_node in node.value:
            key_target = _target(key_node)
            if isinstance(key_target, ScalarNode) and key_target.tag == _MERGE:
                for source in self._merge_sources(value_node, depth):
                    for merged_key, entry in self._entries(source, depth + 1).items():
                        merged.setdefault(merged_key, entry)
                continue
            key = self._key(key_target, key_node)
            if key is None:
                continue
            if key in written:
                first_line = written[key][0].start_mark.line + 1
                self._problem(
                    mark_position(key_node.start_mark), f"duplicate key '{key}' (first at line {first_line})"
                )
                continue
            written[key] = (key_node, value_node)
        return merged | written

    def _key(self, key_target: Node, key_node: Node | Alias) -> str | None:
        """A mapping key as the text written, or None (with a problem) if it is not a plain value."""
        if not isinstance(key_target, ScalarNode):
            message = f"a key must be a plain name, not {_kind(key_target)}"
            self._problem(mark_position(key_node.start_mark), message)
            return None
        if key_target.tag not in _SCALAR_TAGS:
            self._bad_tag(key_target)
            return None
        return key_target.value

    def _merge_sources(self, value: YamlNode | Alias, depth: int) -> Iterator[MappingNode]:
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
                self._problem(mark_position(source.start_mark), message)
