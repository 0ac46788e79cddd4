"""Validate loaded YAML against a pydantic model, turning every error into a Problem a trainer can read.

Pydantic says "Input should be 'easy', 'medium' or 'hard'" at `('difficulty',)`; a trainer needs
`hard.yaml:4:13: error: 'difficulty' must be one of: easy, medium, hard (got 'hardd') -- did you mean
'hard'?`. Positions come from the Located document (the key's position for an unknown key, the
enclosing mapping's for a missing one); names and choices come from walking the model's fields
along the error's location, through lists, dicts, Optional and unions.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import pydantic
from pydantic import BaseModel

from simulator.content.errors import ContentError, Problem
from simulator.content.yamlsafe import Located

SUGGESTION_CUTOFF = 0.6  # difflib similarity below which a suggestion is more noise than help
MAX_KEYS_LISTED = 12  # an unknown key with no close match lists the allowed keys, if they are few
MAX_SHOWN_CHARS = 40  # a wrong value is quoted back, cut to this length

ModelT = TypeVar("ModelT", bound=BaseModel)
Loc = tuple[str | int, ...]

# pydantic error type -> what the value should have been, in a trainer's words
_EXPECTED_KIND = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing_size": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "frozen_set_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "dataclass_type": "a mapping",
}
_BOUNDS = {
    "greater_than": ("gt", "more than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}
_CUSTOM_ERRORS = {"value_error", "assertion_error"}
_SEQUENCE_ORIGINS = {list, tuple, set, frozenset, Sequence}
_MAPPING_ORIGINS = {dict, Mapping}


def validate_model(model: type[ModelT], located: Located) -> ModelT:
    """Validate located.data as model; raises ContentError with one readable Problem per error."""
    try:
        return model.model_validate(located.data)
    except pydantic.ValidationError as error:
        details = _merge_union_types(_branch_taken(error.errors(include_url=False), located.data), located.data)
        details = _without_meant_keys(model, details, located.data)
        problems = [_problem(model, located, detail) for detail in details]
        raise ContentError(list(dict.fromkeys(problems))) from None


_ABSENT = object()


def _child(data: Any, part: str | int) -> Any:
    """`data[part]` when `data` is a mapping with that key or a list with that index, else `_ABSENT`."""
    if isinstance(data, dict) and part in data:
        return data[part]
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        return data[part]
    return _ABSENT


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """The hint ` -- did you mean 'x'?` for the choice closest to word (case aside), or "" if none is close."""
    closest = _closest(word, choices)
    return f" -- did you mean '{closest}'?" if closest else ""


def _closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like word, compared without case, if any is close enough."""
    by_lower = {str(choice).lower(): str(choice) for choice in choices}
    matches = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1, cutoff=SUGGESTION_CUTOFF)
    return by_lower[matches[0]] if matches else None


def _without_meant_keys(model: type[BaseModel], details: list[Any], data: Any) -> list[Any]:
    """A misspelt key is one error, "unknown key 'titel': did you mean 'title'?", not also "missing required key
    'title'" at the same place."""
    meant = set()
    for detail in details:
        if detail["type"] == "extra_forbidden":
            closest = _closest_key(model, tuple(detail["loc"]))
            if closest:
                meant.add((*_data_loc(data, detail["loc"], missing=False)[:-1], closest))
    return [detail for detail in details
            if detail["type"] != "missing" or _data_loc(data, detail["loc"], missing=True) not in meant]


def _branch_taken(details: list[Any], data: Any) -> list[Any]:
    """Only the errors of the union branch a value took: where one branch found something wrong inside the value
    (it is of that branch's kind), another branch's "should be text" at the value itself is left out.

    A line that is text or a mapping, given a mapping with a misspelt key, is told about the key alone, not also
    "should be text (got a mapping)".
    """
    places = [_data_loc(data, detail["loc"], missing=detail["type"] == "missing") for detail in details]
    inside = {place[:depth] for place in places for depth in range(len(place))}  # every place some error is within
    return [detail for detail, place in zip(details, places, strict=True)
            if detail["type"] not in _EXPECTED_KIND or place not in inside]


def _merge_union_types(details: list[Any], data: Any) -> list[Any]:
    """Join the wrong-type errors each branch of a union reports at one place into one error.

    `int | str` given a list fails twice, "should be a whole number" and "should be text"; the
    trainer reads one line: "should be a whole number or text".
    """
    merged: list[Any] = []
    first_at: dict[Loc, Any] = {}
    for detail in details:
        if detail["type"] not in _EXPECTED_KIND:
            merged.append(detail)
            continue
        loc = _data_loc(data, detail["loc"], missing=False)
        kind = _EXPECTED_KIND[detail["type"]]
        if loc not in first_at:
            first_at[loc] = {**detail, "expected": [kind]}
            merged.append(first_at[loc])
        elif kind not in first_at[loc]["expected"]:
            first_at[loc]["expected"].append(kind)
    return merged


def _problem(model: type[BaseModel], located: Located, detail: Any) -> Problem:
    """One pydantic error as a Problem at the right place, with a message for humans."""
    kind = detail["type"]
    loc = _data_loc(located.data, detail["loc"], missing=kind == "missing")
    if kind == "extra_forbidden":
        position = located.key_position(loc)
        message = _unknown_key(model, tuple(detail["loc"]))
    elif kind == "missing":
        position = located.position(loc[:-1])
        message = f"missing required key '{loc[-1]}'" if loc else detail["msg"]
    else:
        position = located.position(loc)
        message = _message(model, loc, detail)
    return Problem(located.path, position[0], position[1], message)


def _data_loc(data: Any, loc: Sequence[str | int], missing: bool) -> Loc:
    """The error's location as a path into the data, without the union branch names pydantic adds.

    Only a missing key names a place that is not in the data: any other part that is not there is
    a branch name like 'Stage', 'int' or 'function-after[...]'.
    """
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        inside = _child(current, part)
        if inside is not _ABSENT:
            current = inside
        elif not (missing and index == len(loc) - 1):
            continue
        path.append(part)
    return tuple(path)


def _message(model: type[BaseModel], loc: Loc, detail: Any) -> str:
    """The readable message for every error but unknown and missing keys."""
    kind, ctx, got = detail["type"], detail.get("ctx") or {}, detail.get("input")
    label = _label(loc)
    if kind in _CUSTOM_ERRORS:
        return str(ctx["error"]) if "error" in ctx else detail["msg"]
    if kind in ("literal_error", "enum"):
        choices = _choices(model, tuple(detail["loc"])) or _quoted(ctx.get("expected"))
        suggestion = did_you_mean(str(got), choices)
        return f"{label} must be one of: {', '.join(choices)} (got {_show(got)}){suggestion}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _union_tag(ctx)
    if kind in _EXPECTED_KIND:
        return _wrong_type(label, loc, detail["expected"], got)
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"{label} must be {words} {ctx[key]} (got {_show(got)})"
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return _length(label, kind, ctx, got)
    if kind == "string_pattern_mismatch":
        return f"{label} must match the pattern {ctx['pattern']} (got {_show(got)})"
    return f"{label}: {detail['msg']}" if loc else detail["msg"]


def _wrong_type(label: str, loc: Loc, expected: list[str], got: Any) -> str:
    """A value of the wrong kind, with a hint where YAML itself changed what was written."""
    kinds = " or ".join(expected)
    if loc:
        message = f"{label} should be {kinds} (got {_show(got)})"
    else:
        message = f"expected {kinds} here, got {_show(got)}"
    if "text" in expected and isinstance(got, bool):
        message += " -- YAML reads yes/no/on/off/true/false as true or false; put the text in quotes"
    elif "text" in expected and isinstance(got, (int, float)):
        message += " -- put it in quotes to make it text"
    return message


def _length(label: str, kind: str, ctx: Mapping[str, Any], got: Any) -> str:
    """A list or text that is too short or too long."""
    unit = "characters" if kind.startswith("string") else "items"
    actual = ctx.get("actual_length", len(got) if isinstance(got, (str, list, dict)) else "?")
    if kind.endswith("too_short"):
        if ctx["min_length"] == 1:
            return f"{label} must not be empty"
        return f"{label} needs at least {ctx['min_length']} {unit} (has {actual})"
    return f"{label} can have at most {ctx['max_length']} {unit} (has {actual})"


def _union_tag(ctx: Mapping[str, Any]) -> str:
    """A discriminated union whose tag key is missing or names no known kind."""
    key = str(ctx.get("discriminator", "the kind")).strip("'")
    if "tag" not in ctx:
        return f"missing required key '{key}'"
    choices = _quoted(ctx.get("expected_tags"))
    tag = ctx["tag"]
    return f"'{key}' must be one of: {', '.join(choices)} (got '{tag}')" + did_you_mean(tag, choices)


def _unknown_key(model: type[BaseModel], loc: Loc) -> str:
    """An unknown key (loc as pydantic gives it), with the closest known key or else the known keys."""
    key = str(loc[-1]) if loc else "?"
    models = [tp for tp in _types_at(model, loc[:-1]) if _is_model(tp)]
    where = f" in {_model_label(models[0])}" if len(models) == 1 else ""
    keys = [name for tp in models for name in _field_keys(tp)]
    closest = _closest_key(model, loc)
    if closest:
        return f"unknown key '{key}'{where}: did you mean '{closest}'?"
    if keys and len(keys) <= MAX_KEYS_LISTED:
        return f"unknown key '{key}'{where}; the keys here are: {', '.join(keys)}"
    return f"unknown key '{key}'{where}"


def _closest_key(model: type[BaseModel], loc: Loc) -> str | None:
    """The known key most like an unknown one (loc as pydantic gives it), if any is close enough."""
    models = [tp for tp in _types_at(model, loc[:-1]) if _is_model(tp)]
    return _closest(str(loc[-1]), [name for tp in models for name in _field_keys(tp)]) if loc else None


def _quoted(listing: Any) -> list[str]:
    """The quoted items of a pydantic listing like "'a', 'b' or 'c'"."""
    return re.findall(r"'([^']*)'", str(listing or ""))


def _label(loc: Loc) -> str:
    """How a message names the value at loc: its key, or which item of which list."""
    if not loc:
        return "the file"
    names = [part for part in loc if isinstance(part, str)]
    if isinstance(loc[-1], int):
        owner = f" of '{names[-1]}'" if names else ""
        return f"item {loc[-1] + 1}{owner}"
    return f"'{loc[-1]}'"


def _show(value: Any) -> str:
    """A wrong value as a message quotes it back."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        text = value if len(value) <= MAX_SHOWN_CHARS else value[: MAX_SHOWN_CHARS - 3] + "..."
        return f"'{text}'"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else type(value).__name__


# -- walking the model along a location --------------------------------------------------------


def _types_at(model: type[BaseModel], loc: Loc) -> list[Any]:
    """Every type the value at a pydantic loc may have, per the model's annotations ([] if the walk is lost).

    A part that is no step inside the current types is a union branch name: the class name, or the
    tag of a discriminated union. It narrows the union to that branch.
    """
    candidates: list[Any] = [model]
    for part in loc:
        alternatives = [alt for tp in candidates for alt in _alternatives(tp)]
        inside = [inner for alt in alternatives for inner in _step(alt, part)]
        candidates = inside or [alt for alt in alternatives if _is_branch(alt, part)] or alternatives
    return [alt for tp in candidates for alt in _alternatives(tp)]


def _is_branch(tp: Any, part: str | int) -> bool:
    """Whether part names tp as a branch of a union: by class name or by a Literal tag of its fields."""
    if not _is_model(tp):
        return False
    tags = [value for field in tp.model_fields.values() if get_origin(field.annotation) is Literal
            for value in get_args(field.annotation)]
    return part == tp.__name__ or part in tags


def _alternatives(tp: Any) -> list[Any]:
    """The members of a union (None left out), each unwrapped from Annotated; [tp] otherwise."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _alternatives(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        return [alt for arg in get_args(tp) if arg is not type(None) for alt in _alternatives(arg)]
    return [tp]


def _step(tp: Any, part: str | int) -> list[Any]:
    """The type one step inside tp: a model's field, a list's item or a dict's value."""
    if _is_model(tp):
        field = _field(tp, part) if isinstance(part, str) else None
        return [field.annotation] if field else []
    origin, args = get_origin(tp), get_args(tp)
    if origin in _SEQUENCE_ORIGINS and isinstance(part, int) and args:
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return [args[part]] if part < len(args) else []
        return [args[0]]
    if origin in _MAPPING_ORIGINS and isinstance(part, str) and len(args) == 2:
        return [args[1]]
    return []


def _is_model(tp: Any) -> bool:
    """Whether tp is a pydantic model class."""
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _field(model: type[BaseModel], key: str) -> Any:
    """The model's field that a key in the file names (by name or alias), or None."""
    for name, field in model.model_fields.items():
        if key in (name, field.alias, field.validation_alias):
            return field
    return None


def _field_keys(model: type[BaseModel]) -> list[str]:
    """The keys a file may use for the model's fields: the alias where there is one."""
    keys = []
    for name, field in model.model_fields.items():
        alias = field.validation_alias if isinstance(field.validation_alias, str) else field.alias
        keys.append(alias or name)
    return keys


def _choices(model: type[BaseModel], loc: Loc) -> list[str]:
    """The allowed values of a Literal or Enum at loc, as written in a file."""
    choices: list[str] = []
    for tp in _types_at(model, loc):
        if get_origin(tp) is Literal:
            choices += [str(value.value if isinstance(value, Enum) else value) for value in get_args(tp)]
        elif isinstance(tp, type) and issubclass(tp, Enum):
            choices += [str(member.value) for member in tp]
    return list(dict.fromkeys(choices))


def _model_label(model: type[BaseModel]) -> str:
    """How a message names a model: its title, or its class name in lower-case words."""
    title = model.model_config.get("title")
    return title or re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()
