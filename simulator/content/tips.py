"""A better way to say it, in the scenario's own words: the "try:" of every debrief line.

A scenario's own `tips:` come first. Failing those, a tip is written from the scenario's facts and
offers where one says it well (its cause, its approved options, its compensation, its prevention);
failing that, the catalogue's generic wording, which names no scenario's facts.
"""

from __future__ import annotations

from simulator.catalogue import BY_ID
from simulator.content.models import Scenario
from simulator.content.placeholders import fill, placeholder_values

NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


def tip_for(behaviour: str, scenario: Scenario | None) -> str:
    """The better phrasing to show for a behaviour in this scenario (the generic one without a scenario)."""
    generic = BY_ID[behaviour].better if behaviour in BY_ID else ""
    if scenario is None:
        return generic
    own = scenario.tips.get(behaviour) or _from_content(behaviour, scenario)
    return fill(own, placeholder_values(scenario)) if own else generic


def _from_content(behaviour: str, scenario: Scenario) -> str:
    cause = scenario.facts.get("cause", "")
    if behaviour == "explains_cause" and cause:
        return _sentence(cause)
    if behaviour in ("offers_options", "options_count") and len(scenario.options) >= 2:
        count = NUMBER_WORDS.get(len(scenario.options), str(len(scenario.options)))
        listed = "; ".join(_clause(option.text) for option in scenario.options)
        return f"I have {count} options for you: {listed}."
    if behaviour == "compensates" and scenario.compensation:
        return _sentence(scenario.compensation[0].text)
    if behaviour == "prevents_recurrence" and scenario.prevention:
        return _sentence(scenario.prevention)
    return ""


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _clause(text: str) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
