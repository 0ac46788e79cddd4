"""A trainer's file loaded with the place of every value, so each warning and test failure can name its line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from simulator.content.errors import Problem, Severity
from simulator.content.models import Persona, Scenario
from simulator.content.yamlsafe import Located
from simulator.files import UnreadableFile, check_regular

HEAD_BYTES = 20_000  # enough of a file to tell a persona from a scenario by its keys

Item = TypeVar("Item", Scenario, Persona)


@dataclass(frozen=True)
class Source(Generic[Item]):
    """A loaded, checked file and where each of its values sits."""

    item: Item
    located: Located

    def problem(self, loc: tuple[str | int, ...], message: str, severity: Severity = "warning") -> Problem:
        """A Problem at the value found at loc (or its nearest written ancestor)."""
        line, column = self.located.position(loc)
        return Problem(self.located.path, line, column, message, severity)

    def key_problem(self, loc: tuple[str | int, ...], message: str, severity: Severity = "warning") -> Problem:
        """A Problem at the key of the mapping entry at loc (where a stage or section is named)."""
        line, column = self.located.key_position(loc)
        return Problem(self.located.path, line, column, message, severity)


def load_scenario_source(path: Path) -> Source[Scenario]:
    """Load and check a scenario file (ContentError on errors), keeping positions."""
    from simulator.content.loader import load_scenario
    from simulator.content.yamlsafe import load_yaml_file

    scenario = load_scenario(path)
    return Source(scenario, load_yaml_file(path))


def load_persona_source(path: Path) -> Source[Persona]:
    """Load and check a persona file (ContentError on errors), keeping positions."""
    from simulator.content.loader import load_persona
    from simulator.content.yamlsafe import load_yaml_file

    persona = load_persona(path)
    return Source(persona, load_yaml_file(path))


def kind_of(path: Path) -> str:
    """Whether a file is a scenario or a persona: by its folder, else by its keys (a persona has `start:`, no `title:`)."""
    if path.parent.name == "personas":
        return "persona"
    if path.parent.name == "scenarios":
        return "scenario"
    try:
        check_regular(path)
        with path.open("rb") as stream:
            head = stream.read(HEAD_BYTES).decode("utf-8", errors="replace")
    except (OSError, UnreadableFile):
        return "scenario"  # loading it says what is wrong
    return "persona" if "\nstart:" in f"\n{head}" and "\ntitle:" not in f"\n{head}" else "scenario"
