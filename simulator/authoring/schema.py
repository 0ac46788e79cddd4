"""JSON Schema of scenario and persona files, for completion and checks in editors (yaml-language-server).

Pydantic writes the schema from the models. Behaviour ids are checked by validators it cannot see,
so the places that take an id get the catalogue's ids as an `enum`: the editor then offers them.
"""

from __future__ import annotations

from typing import Any

from simulator.catalogue import ALL_IDS, BEFORE_CALL_IDS, REPLY_IDS

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# (model name in $defs, field) -> ids allowed, and whether they are list items or mapping keys
_ID_FIELDS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("Condition", "any"): (REPLY_IDS, "items"),
    ("Condition", "all"): (REPLY_IDS, "items"),
    ("Condition", "none"): (REPLY_IDS, "items"),
    ("Condition", "so_far"): (REPLY_IDS, "items"),
    ("Expectation", "hit"): (ALL_IDS, "items"),
    ("Expectation", "missed"): (ALL_IDS, "items"),
    ("Scoring", "weights"): (ALL_IDS, "keys"),
    ("Scenario", "phrases"): (REPLY_IDS, "keys"),
    ("Scenario", "choices"): (BEFORE_CALL_IDS, "keys"),
    ("Persona", "effects"): (REPLY_IDS, "keys"),
    ("Reactions", "by_behaviour"): (REPLY_IDS, "keys"),
}


def json_schema(kind: str = "scenario") -> dict[str, Any]:
    """The JSON Schema of a `scenario` or `persona` file."""
    from simulator.content.models import Persona, Scenario

    model = Persona if kind == "persona" else Scenario
    schema = model.model_json_schema()
    definitions = schema.get("$defs", {})
    for (owner, name), (ids, where) in _ID_FIELDS.items():
        target = schema if owner == model.__name__ else definitions.get(owner)
        if target is None or name not in target.get("properties", {}):
            continue
        field = target["properties"][name]
        if where == "items":
            field["items"] = {"enum": list(ids)}
        else:
            field["propertyNames"] = {"enum": list(ids)}
    return {"$schema": DIALECT, "title": f"Bad News Drill {kind}", **{k: v for k, v in schema.items() if k != "title"}}
