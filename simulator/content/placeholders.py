"""`{placeholders}` in a scenario's text: which names a scenario or persona may use, and filling them in."""

from __future__ import annotations

from simulator.content.models import PLACEHOLDER, Scenario

# What a persona's lines may name: a persona plays in every scenario, so facts (which differ) are out.
PERSONA_PLACEHOLDERS = tuple(
    f"{who}.{part}" for who in ("buyer", "seller") for part in ("name", "first_name", "role", "company")
)


def placeholder_values(scenario: Scenario) -> dict[str, str]:
    """Every `{name}` a line or brief of this scenario may use, with its value."""
    values: dict[str, str] = {}
    for who in ("buyer", "seller"):
        person = getattr(scenario, who)
        values[f"{who}.name"] = person.name
        values[f"{who}.first_name"] = person.first_name
        values[f"{who}.role"] = person.role
        values[f"{who}.company"] = person.company
    for key, value in scenario.facts.items():
        values[f"facts.{key}"] = value
    return values


def fill(text: str, values: dict[str, str]) -> str:
    """Replace `{placeholders}`; an unknown one stays as written (validation has flagged it already)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
