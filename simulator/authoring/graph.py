"""A scenario's stage machine as a Mermaid `stateDiagram-v2` or Graphviz DOT, each edge labelled with its condition.

`draw` turns it into an SVG or PNG with whichever renderer is installed: Graphviz's `dot`, else
Mermaid's `mmdc`. Neither is a dependency: the text formats need nothing.

Written here rather than with `transitions.extensions.diagrams` (graph_engine="mermaid"): in
transitions 0.9.3 that writer uses stage names as Mermaid ids, and Mermaid's lexer stops an id at
a '-' (`price-talk`, a valid stage id, breaks the diagram); it puts the title in the front matter as
a bare value rather than `title:`; it marks no final states in a flat machine; and it labels edges
`trigger [conditions]` from condition callables, where we want the condition's own words.
Edge labels here never hold ':' or ';', which end a label in Mermaid.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from simulator.authoring.stagegraph import call_stages, dead_transitions, describe
from simulator.content.models import Scenario
from simulator.engine.machine import HUNG_UP
from simulator.text import visible

_NOT_ID = re.compile(r"\W")
_LABEL_BREAKERS = re.compile(r"[:;\n]")


def mermaid_ids(names: list[str]) -> dict[str, str]:
    """A Mermaid-safe id for each stage: word characters only, prefixed so no id is a Mermaid keyword."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = "s_" + _NOT_ID.sub("_", name)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        taken.add(candidate)
        ids[name] = candidate
    return ids


def _label(text: str) -> str:
    return _LABEL_BREAKERS.sub(" ", text).strip()


@dataclass(frozen=True)
class Diagram:
    """The drawing of a scenario's stage machine, for any writer: stages, edges and where it starts."""

    title: str
    stages: tuple[tuple[str, str], ...]  # (name, label shown)
    start: str
    edges: tuple[tuple[str, str, str], ...]  # (from, to, condition); to "" is the end of the call


def diagram(scenario: Scenario) -> Diagram:
    """Start, stages (venting and endings marked), numbered transitions, and the hang-up."""
    start, stages, own = call_stages(scenario)
    names = list(stages) + ([] if HUNG_UP in stages else [HUNG_UP])
    dead = dead_transitions(stages)
    # The title is a trainer's text, printed as it is by `graph`: shown harmlessly, never obeyed by a terminal.
    title = visible(scenario.title if own else f"{scenario.title} (the engine's default arc)")
    shown = []
    for name in names:
        stage = stages.get(name)
        notes = []
        if stage is not None and stage.venting:
            notes.append("buyer vents")
        if name == HUNG_UP:
            notes.append("from any stage when the buyer hangs up")
        shown.append((name, f"{name} ({', '.join(notes)})" if notes else name))
    edges = []
    for name, stage in stages.items():
        if stage.ending:
            continue
        numbered = len(stage.transitions) > 1
        for index, transition in enumerate(stage.transitions):
            if transition.to not in names:
                continue
            condition = describe(transition.when) or ("otherwise" if index else "always")
            if (name, index) in dead:
                condition += " (never fires)"
            edges.append((name, transition.to, f"{index + 1}. {condition}" if numbered else condition))
    for name in names:
        ending = stages[name].ending if name in stages else "lost"
        if ending:
            edges.append((name, "", ending.replace("_", " ")))
    return Diagram(title, tuple(shown), start, tuple(edges))


def mermaid(scenario: Scenario) -> str:
    """The diagram as a Mermaid `stateDiagram-v2`."""
    drawing = diagram(scenario)
    ids = mermaid_ids([name for name, _ in drawing.stages])
    out = ["---", f"title: {json.dumps(drawing.title, ensure_ascii=False)}", "---", "stateDiagram-v2"]
    out += [f'    state "{shown}" as {ids[name]}' for name, shown in drawing.stages]
    out.append(f"    [*] --> {ids[drawing.start]}")
    out += [f"    {ids[a]} --> {ids[b] if b else '[*]'}: {_label(label)}" for a, b, label in drawing.edges]
    return "\n".join(out) + "\n"


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def graphviz(scenario: Scenario) -> str:
    """The diagram in Graphviz's DOT language: the same stages and edges as the Mermaid one."""
    drawing = diagram(scenario)
    ids = mermaid_ids([name for name, _ in drawing.stages])
    out = [
        "digraph stages {",
        f"    label={_dot_string(drawing.title)}; labelloc=t; rankdir=TB; fontname=\"Helvetica\";",
        '    node [shape=box, style=rounded, fontname="Helvetica"]; edge [fontname="Helvetica", fontsize=10];',
        "    start [shape=circle, style=filled, fillcolor=black, label=\"\", width=0.2];",
        "    end [shape=doublecircle, style=filled, fillcolor=black, label=\"\", width=0.15];",
    ]
    out += [f"    {ids[name]} [label={_dot_string(shown)}];" for name, shown in drawing.stages]
    out.append(f"    start -> {ids[drawing.start]};")
    out += [f"    {ids[a]} -> {ids[b] if b else 'end'} [label={_dot_string(label)}];" for a, b, label in drawing.edges]
    return "\n".join(out) + "\n}\n"


class DrawError(Exception):
    """No renderer could draw the picture; the message says what to install or which format to use instead."""


@dataclass(frozen=True)
class Drawn:
    """A rendered picture and the program that drew it."""

    data: bytes
    renderer: str


DRAW_SECONDS = 60


def draw(scenario: Scenario, fmt: str) -> Drawn:
    """The diagram as an SVG or PNG, drawn by Graphviz's `dot` if it is on PATH, else by Mermaid's `mmdc`."""
    dot = shutil.which("dot")
    if dot:
        done = _run([dot, f"-T{fmt}"], graphviz(scenario).encode("utf-8"))
        return Drawn(done, "Graphviz (dot)")
    mmdc = shutil.which("mmdc")
    if mmdc:
        with tempfile.TemporaryDirectory() as folder:
            source, target = Path(folder) / "stages.mmd", Path(folder) / f"stages.{fmt}"
            source.write_text(mermaid(scenario), encoding="utf-8")
            _run([mmdc, "--quiet", "-i", str(source), "-o", str(target)], b"")
            return Drawn(target.read_bytes(), "Mermaid CLI (mmdc)")
    raise DrawError(
        f"drawing {fmt.upper()} needs Graphviz's 'dot' or Mermaid's 'mmdc' on PATH (e.g. 'apt install graphviz'); "
        "--format mermaid or --format dot print the diagram as text with neither"
    )


def _run(argv: list[str], stdin: bytes) -> bytes:
    name = Path(argv[0]).name
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True, timeout=DRAW_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DrawError(f"{name} could not draw the diagram: {error}") from None
    if done.returncode != 0:
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0]
        raise DrawError(f"{name} could not draw the diagram (exit {done.returncode}): {first}")
    return done.stdout
