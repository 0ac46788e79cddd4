"""A scenario's stage machine as a Mermaid `stateDiagram-v2`, each edge labelled with its condition.

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

from simulator.authoring.stagegraph import call_stages, dead_transitions, describe
from simulator.content.models import Scenario
from simulator.engine.machine import HUNG_UP

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


def mermaid(scenario: Scenario) -> str:
    """The diagram: start, stages (venting and endings marked), numbered transitions, and the hang-up."""
    start, stages, own = call_stages(scenario)
    names = list(stages) + ([] if HUNG_UP in stages else [HUNG_UP])
    ids = mermaid_ids(names)
    dead = dead_transitions(stages)
    title = scenario.title if own else f"{scenario.title} (the engine's default arc)"
    out = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "---", "stateDiagram-v2"]
    for name in names:
        stage = stages.get(name)
        notes = []
        if stage is not None and stage.venting:
            notes.append("buyer vents")
        if name == HUNG_UP:
            notes.append("from any stage when the buyer hangs up")
        shown = f"{name} ({', '.join(notes)})" if notes else name
        out.append(f'    state "{shown}" as {ids[name]}')
    out.append(f"    [*] --> {ids[start]}")
    for name, stage in stages.items():
        if stage.ending:
            continue
        numbered = len(stage.transitions) > 1
        for index, transition in enumerate(stage.transitions):
            if transition.to not in ids:
                continue
            condition = describe(transition.when) or ("otherwise" if index else "always")
            if (name, index) in dead:
                condition += " (never fires)"
            label = f"{index + 1}. {condition}" if numbered else condition
            out.append(f"    {ids[name]} --> {ids[transition.to]}: {_label(label)}")
    for name in names:
        ending = stages[name].ending if name in stages else "lost"
        if ending:
            out.append(f"    {ids[name]} --> [*]: {_label(ending.replace('_', ' '))}")
    return "\n".join(out) + "\n"
