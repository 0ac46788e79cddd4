"""The default call arc: the stages every scenario plays through unless it writes its own `stages:`.

The arc is data (`default_arc.yaml` beside this module), read with the same safe loader, the same
validation and the same located errors as a trainer's scenario file. It lives with the content,
not the engine, because a scenario is checked against it when it loads (its `lines:` must name
stages that exist); the engine runs whichever arc a scenario has.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field

from simulator.content.errors import ContentError, Problem
from simulator.content.models import Identifier, Slot, Stage, StageLines, Strict, Text
from simulator.content.validation import validate_model
from simulator.content.yamlsafe import load_yaml_file

ARC_FILE = Path(__file__).with_name("default_arc.yaml")


class Arc(Strict):
    """A call arc: where it starts, its stages, and the generic buyer lines for each stage."""

    start_stage: Identifier
    stages: dict[Identifier, Stage]
    lines: dict[Identifier, StageLines] = Field(default_factory=dict)
    agenda: list[Slot] = Field(default_factory=list, description="What a buyer needs to know, most pressing first.")
    asking_stages: list[Identifier] = Field(
        default_factory=list, description="Stages in which the buyer asks for the most pressing open slot."
    )
    goodbye: list[Text] = Field(default_factory=list, description="Words that end a reply with a goodbye.")


def load_arc(path: Path) -> Arc:
    """Load and check an arc file; raises ContentError naming the file, line and column of each problem."""
    located = load_yaml_file(path)
    arc = validate_model(Arc, located)
    problems = []
    if arc.start_stage not in arc.stages:
        line, column = located.position(("start_stage",))
        problems.append(Problem(located.path, line, column, f"start_stage '{arc.start_stage}' is not a stage"))
    for name, stage in arc.stages.items():
        for index, transition in enumerate(stage.transitions):
            if transition.to not in arc.stages:
                line, column = located.position(("stages", name, "transitions", index, "to"))
                problems.append(Problem(located.path, line, column, f"transition to unknown stage '{transition.to}'"))
    if problems:
        raise ContentError(problems)
    return arc


@cache
def default_arc() -> Arc:
    """The engine's default arc, loaded once."""
    return load_arc(ARC_FILE)
