"""The JSON Schema an editor loads accepts every bundled file, refuses what validate refuses, and offers the ids."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from simulator.authoring.schema import json_schema
from simulator.catalogue import BEFORE_CALL_IDS, REPLY_IDS
from simulator.cli import main
from simulator.content.loader import yaml_files
from simulator.paths import bundled_dir

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def schema_errors(value: Any, schema: dict, root: dict, where: str = "$") -> list[str]:
    """A small JSON Schema checker for the keywords pydantic emits (no jsonschema package in the dev venv)."""
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        return schema_errors(value, root["$defs"][name], root, where)
    if "anyOf" in schema:
        branches = [schema_errors(value, branch, root, where) for branch in schema["anyOf"]]
        return [] if any(not b for b in branches) else min(branches, key=len)
    errors: list[str] = []
    kind = schema.get("type")
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{where}: not an integer"]
    elif kind == "number":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return [f"{where}: not a number"]
    elif kind is not None and not isinstance(value, _TYPES[kind]):
        return [f"{where}: not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in enum")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: not {schema['const']!r}")
    for key, check in (("minimum", lambda v, b: v >= b), ("maximum", lambda v, b: v <= b)):
        if key in schema and isinstance(value, (int, float)) and not check(value, schema[key]):
            errors.append(f"{where}: {key} {schema[key]}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 10**9):
            errors.append(f"{where}: length")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: pattern")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", 10**9):
            errors.append(f"{where}: item count")
        for index, item in enumerate(value):
            errors += schema_errors(item, schema.get("items", {}), root, f"{where}[{index}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}: missing {name}")
        for key, item in value.items():
            if "propertyNames" in schema:
                errors += schema_errors(key, schema["propertyNames"], root, f"{where} key {key!r}")
            patterns = [s for p, s in schema.get("patternProperties", {}).items() if re.search(p, key)]
            if key in properties:
                errors += schema_errors(item, properties[key], root, f"{where}.{key}")
            elif patterns:
                errors += schema_errors(item, patterns[0], root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: unknown key {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += schema_errors(item, schema["additionalProperties"], root, f"{where}.{key}")
    return errors


@pytest.mark.parametrize("kind", ["scenario", "persona"])
def test_every_bundled_file_matches_its_schema(kind):
    schema = json_schema(kind)
    files = yaml_files(bundled_dir(kind + "s"))
    assert files
    for path in files:
        assert schema_errors(yaml.safe_load(path.read_text(encoding="utf-8")), schema, schema) == [], path


def test_the_schema_refuses_an_unknown_key_and_an_unknown_behaviour_id():
    schema = json_schema("scenario")
    data = yaml.safe_load((bundled_dir("scenarios") / "late-shipment.yaml").read_text(encoding="utf-8"))
    assert any("unknown key 'titel'" in e for e in schema_errors({**data, "titel": "x"}, schema, schema))
    bad_phrases = {**data, "phrases": {"apologises": ["sorry"]}}
    assert any("'apologises' not in enum" in e for e in schema_errors(bad_phrases, schema, schema))


def test_behaviour_ids_are_offered_where_a_file_names_them():
    scenario = json_schema("scenario")
    condition = scenario["$defs"]["Condition"]["properties"]
    assert condition["any"]["items"]["enum"] == list(REPLY_IDS)
    assert scenario["properties"]["phrases"]["propertyNames"]["enum"] == list(REPLY_IDS)
    assert scenario["properties"]["choices"]["propertyNames"]["enum"] == list(BEFORE_CALL_IDS)
    persona = json_schema("persona")
    assert persona["properties"]["effects"]["propertyNames"]["enum"] == list(REPLY_IDS)
    assert persona["$schema"].startswith("https://json-schema.org/")
    assert persona["title"] == "Bad News Drill persona"


def test_schema_command_prints_the_scenario_schema_and_writes_the_persona_one(tmp_path, capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert "stages" in printed["properties"] and "examples" in printed["properties"]
    target = tmp_path / "persona.schema.json"
    assert main(["schema", "--persona", "-o", str(target)]) == 0
    assert "start" in json.loads(target.read_text())["properties"]
    assert "# yaml-language-server: $schema=./persona.schema.json" in capsys.readouterr().err


def test_schema_command_reports_a_folder_it_cannot_write_to(tmp_path, capsys):
    assert main(["schema", "-o", str(tmp_path / "missing" / "s.json")]) == 1
    assert "badnews:" in capsys.readouterr().err


def test_the_template_files_match_the_schema(tmp_path):
    from simulator.authoring.scaffold import template_text

    for kind in ("scenario", "persona"):
        schema = json_schema(kind)
        assert schema_errors(yaml.safe_load(template_text(kind, "x")), schema, schema) == []


def test_the_schema_checker_itself_catches_wrong_types():
    schema = json_schema("persona")
    assert schema_errors({"name": 3}, schema, schema)
    assert schema_errors({"name": "n", "description": "d", "start": {"temperature": 500, "trust": 1}}, schema, schema)
