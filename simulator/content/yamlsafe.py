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

This module is the public entry point and checks the file and its characters; the YAML itself is
composed into nodes by `yamlcompose` (which sets the limits) and turned into data by `yamlconvert`.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from yaml.reader import Reader

from simulator.content.errors import ContentError, Problem
from simulator.content.yamlcompose import (
    DEFAULT_LOADER,
    MAX_DEPTH,
    MAX_EXPANDED_CHARS,
    MAX_FILE_BYTES,
    MAX_NUMBER_CHARS,
    MAX_PROBLEMS,
    MAX_VALUES,
    EventParser,
    Loc,
    Position,
    compose,
)
from simulator.content.yamlconvert import convert
from simulator.files import size_words

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPANDED_CHARS",
    "MAX_FILE_BYTES",
    "MAX_NUMBER_CHARS",
    "MAX_PROBLEMS",
    "MAX_VALUES",
    "Loc",
    "Located",
    "Position",
    "load_yaml_file",
    "load_yaml_text",
]

# The PyYAML loader that parses the text: a module attribute, so tests can load with the pure-python one.
_Loader: Callable[[str], EventParser] = DEFAULT_LOADER

# The characters YAML forbids in a stream (PyYAML's own list), found up front so each is reported
# at its line and column instead of as one reader error with a character offset.
_NON_PRINTABLE = Reader.NON_PRINTABLE
_BAD_UTF8 = re.compile("[\udc80-\udcff]+")  # what surrogateescape turns undecodable bytes into
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


@dataclass(frozen=True)
class Located:
    """A loaded YAML document and where each value came from."""

    path: str
    data: Any  # plain python: dict/list/str/int/float/bool/None
    positions: Mapping[Loc, Position] = field(default_factory=dict, repr=False, compare=False)
    key_positions: Mapping[Loc, Position] = field(default_factory=dict, repr=False, compare=False)
    text: str = field(default="", repr=False, compare=False)  # the file as read, to place words inside a value

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

    def text_position(self, loc: Sequence[str | int], words: str) -> Position:
        """Where `words` first appear in the file at or after the value at loc (a placeholder inside a
        folded paragraph is on its own line, not the `brief: >` line); the value's position if not found."""
        line, column = self.position(loc)
        lines = self.text.split("\n")
        for number in range(line - 1, len(lines)):
            start = column - 1 if number == line - 1 else 0
            found = lines[number].find(words, start)
            if found >= 0:
                return number + 1, found + 1
        return line, column


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
    data, positions, key_positions = convert(compose(text, path, _Loader), path)
    return Located(path, data, positions, key_positions, text)


def _fail(path: str, message: str, position: Position = (1, 1)) -> NoReturn:
    """Stop loading with a single problem."""
    raise ContentError([Problem(path, position[0], position[1], message)])


def _too_big(size: int) -> str:
    """The message for a file over the size limit."""
    return f"file is {_size(size)}; the limit is {_size(MAX_FILE_BYTES)}"


_size = size_words


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
    problems: list[Problem] = []
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
    problems: list[Problem] = []
    bom = text.find("\ufeff")  # the one at the very start is gone already
    while bom >= 0 and len(problems) < MAX_PROBLEMS:
        line, column = _text_position(text, bom)
        message = "a byte-order mark (U+FEFF, invisible) in the middle of the file: delete it (pasted from another file?)"
        problems.append(Problem(path, line, column, message))
        bom = text.find("\ufeff", bom + 1)
    for match in _NON_PRINTABLE.finditer(text):
        if len(problems) == MAX_PROBLEMS:
            break
        line, column = _text_position(text, match.start())
        message = f"character U+{ord(match.group()):04X} is not allowed in a YAML file"
        problems.append(Problem(path, line, column, message))
    if problems:
        raise ContentError(problems)
