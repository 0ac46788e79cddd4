"""The facts at hand: the situation, the facts, the approved options and the before-call questions.

What the rubric asks a rep to have in front of them ("a prepared list of facts"), as plain sections
that `play --plain` prints before the first line and the call screen shows on a key. Every piece of
text comes from a trainer's file, so every piece passes `visible()`.
"""

from __future__ import annotations

from simulator.content.models import Persona, Scenario
from simulator.content.placeholders import fill, placeholder_values
from simulator.content.quiz import shown_options
from simulator.text import visible


def brief_sections(scenario: Scenario, persona: Persona | None = None) -> list[tuple[str, list[str]]]:
    """(heading, lines) for each part of the brief that the scenario has."""
    values = placeholder_values(scenario)

    def said(text: str) -> str:
        return visible(" ".join(fill(text, values).split()))

    sections: list[tuple[str, list[str]]] = [("The situation", [said(scenario.brief)])]
    seller = scenario.seller
    sections.append(("You", [said(f"{seller.name}, {seller.role}, {seller.company}")]))
    if persona is not None:
        sections.append(("The buyer", [said(f"{scenario.buyer.name}, {scenario.buyer.role}, {scenario.buyer.company}"),
                                        said(f"{persona.name}: {persona.description}")]))
    if scenario.facts:
        sections.append(("Facts", [said(f"{key.replace('_', ' ')}: {value}") for key, value in scenario.facts.items()]))
    if scenario.options:
        sections.append(("Approved options", [said(f"{o.id}: {o.text}") for o in scenario.options]))
    if scenario.compensation:
        sections.append(("Compensation you may offer", [said(f"{o.id}: {o.text}") for o in scenario.compensation]))
    if scenario.prevention:
        sections.append(("So it does not happen again", [said(scenario.prevention)]))
    if scenario.choices:
        lines = []
        for choice_id, choice in scenario.choices.items():
            ids = " | ".join(option.id for option in shown_options(scenario.id or "", choice_id, choice))
            lines.append(said(f"{choice.prompt}  (--choose {choice_id}={ids})"))
            shown = shown_options(scenario.id or "", choice_id, choice)
            lines += [said(f"  {option.id}: {option.text}") for option in shown]
        sections.append(("Before the call", lines))
    return sections


def format_brief(scenario: Scenario, persona: Persona | None = None) -> str:
    """The brief as plain text, one heading per section, for a terminal or a screen reader."""
    out: list[str] = []
    for heading, lines in brief_sections(scenario, persona):
        out.append(f"{heading}:")
        out += [f"  {line}" for line in lines]
        out.append("")
    return "\n".join(out).rstrip("\n")
