"""Read YAML into nodes that remember their line and column, so every problem can point at its spot."""

from __future__ import annotations

from pathlib import Path

import yaml

from simulator.content.errors import Problem
from simulator.content.yamlcompose import MAX_FILE_BYTES
from simulator.files import UnreadableFile, read_text

# libyaml's parser when installed: the same safe loading, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(path: Path) -> tuple[yaml.Node | None, list[Problem]]:
    """The document's root node, or the problems that stopped it being read."""
    try:
        text = read_text(path, MAX_FILE_BYTES)
    except UnreadableFile as error:
        return None, [Problem(str(path), 1, 1, f"cannot read the file: {error}")]
    try:
        return yaml.compose(text, Loader=_LOADER), []
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(str(path), line, column, f"invalid YAML: {error.problem or error}")]
    except yaml.YAMLError as error:
        return None, [Problem(str(path), 1, 1, f"invalid YAML: {error}")]


def problem_at(path: Path, node: yaml.Node, message: str, column_offset: int = 0) -> Problem:
    """A problem at a node's start (plus an offset inside a scalar)."""
    return Problem(str(path), node.start_mark.line + 1, node.start_mark.column + 1 + column_offset, message)


def scalar_text(node: yaml.Node) -> str | None:
    """A scalar's text as written (numbers and booleans too), or None for lists and maps."""
    return node.value if isinstance(node, yaml.ScalarNode) else None


def text_column(node: yaml.ScalarNode) -> int:
    """How far the scalar's first character sits after the node's mark (1 inside quotes)."""
    return 1 if node.style in ("'", '"') else 0
