"""A trainer who gets a key, a value or a type wrong reads what to fix and where, not a pydantic dump."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulator.content.errors import ContentError, Problem
from simulator.content.validation import did_you_mean, validate_model
from simulator.content.yamlsafe import load_yaml_text

# Small models shaped like scenario files; the real ones live elsewhere and may change.


class Strict(BaseModel):
    """A model that refuses keys it does not know, as every content model does."""

    model_config = ConfigDict(extra="forbid")


class Mood(Enum):
    """A buyer's mood, as an Enum."""

    CALM = "calm"
    ANGRY = "angry"


class Reply(Strict):
    """A scripted reply."""

    text: str
    weight: int = 1


class Stage(Strict):
    """A stage of the call."""

    prompt: str
    mood: Mood = Mood.CALM
    replies: list[Reply] = []

    @field_validator("prompt")
    @classmethod
    def prompt_is_finished(cls, prompt: str) -> str:
        """A prompt still marked TODO is not ready to ship."""
        if "TODO" in prompt:
            raise ValueError("the prompt still says TODO")
        return prompt


class Buyer(Strict):
    """The buyer, with a key spelled differently in files than in code."""

    full_name: str = Field(alias="name")
    patience: int = Field(default=3, ge=0)


class Scenario(Strict):
    """A scenario file."""

    title: str
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    buyer: Buyer | None = None
    stages: dict[str, Stage] = {}
    tags: list[str] = Field(default_factory=list)
    budget: int | str | None = None

    @model_validator(mode="after")
    def hard_needs_stages(self) -> Scenario:
        """A hard scenario without stages is a mistake, not an easy win."""
        if self.difficulty == "hard" and not self.stages:
            raise ValueError("a hard scenario needs at least one stage")
        return self


class Email(Strict):
    """One kind of opening in a discriminated union."""

    kind: Literal["email"]
    subject: str


class Call(Strict):
    """The other kind of opening."""

    kind: Literal["call"]
    ring: int = 3


class Opening(Strict):
    """A file holding a discriminated union."""

    opening: Annotated[Email | Call, Field(discriminator="kind")]


def problems(model: type[BaseModel], text: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of every problem validating text as model."""
    with pytest.raises(ContentError) as caught:
        validate_model(model, load_yaml_text(text, "s.yaml"))
    assert all(isinstance(p, Problem) and p.path == "s.yaml" for p in caught.value.problems)
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def test_a_valid_file_gives_the_model() -> None:
    text = "title: Late\nbuyer: {name: Dana}\nstages: {intro: {prompt: Hi}}\n"
    scenario = validate_model(Scenario, load_yaml_text(text))
    assert isinstance(scenario, Scenario)
    assert scenario.buyer == Buyer(name="Dana")
    assert scenario.stages["intro"].mood is Mood.CALM


def test_every_problem_of_a_file_is_reported_at_once_in_file_order() -> None:
    text = "tilte: Late\ndifficulty: hardd\nbuyer:\n  name: Dana\n  patience: lots\n"
    assert problems(Scenario, text) == [
        (1, 1, "unknown key 'tilte' in scenario: did you mean 'title'?"),
        (2, 13, "'difficulty' must be one of: easy, medium, hard (got 'hardd') -- did you mean 'hard'?"),
        (5, 13, "'patience' should be a whole number (got 'lots')"),
    ]


def test_an_unknown_key_is_placed_at_the_key_and_suggests_from_the_model_at_that_place() -> None:
    text = "title: Late\nstages:\n  intro:\n    prompt: Hi\n    replies:\n      - text: sorry\n        wieght: 2\n"
    assert problems(Scenario, text) == [(7, 9, "unknown key 'wieght' in reply: did you mean 'weight'?")]


def test_an_unknown_key_inside_an_optional_model_suggests_the_alias_the_file_uses() -> None:
    assert problems(Scenario, "title: Late\nbuyer:\n  nmae: Dana\n") == [
        (3, 3, "unknown key 'nmae' in buyer: did you mean 'name'?"),
    ]


def test_a_misspelt_key_is_one_problem_but_a_key_missing_for_another_reason_is_still_named() -> None:
    assert problems(Scenario, "buyer: {nmae: Dana}\nstages: {intro: {promt: Hi}}\nzzz: 1\n") == [
        (1, 1, "missing required key 'title'"),
        (1, 9, "unknown key 'nmae' in buyer: did you mean 'name'?"),
        (2, 18, "unknown key 'promt' in stage: did you mean 'prompt'?"),
        (3, 1, "unknown key 'zzz' in scenario; the keys here are: title, difficulty, buyer, stages, tags, budget"),
    ]


def test_an_unknown_key_with_no_close_match_lists_the_keys_allowed() -> None:
    assert problems(Scenario, "title: Late\nbuyer: {name: Dana, zzz: 1}\n") == [
        (2, 21, "unknown key 'zzz' in buyer; the keys here are: name, patience"),
    ]


def test_a_model_title_names_the_place_of_an_unknown_key() -> None:
    class Titled(Strict):
        """A model with a title of its own."""

        model_config = ConfigDict(extra="forbid", title="persona file")
        name: str

    assert problems(Titled, "name: Dana\nnmae: Lee\n") == [
        (2, 1, "unknown key 'nmae' in persona file: did you mean 'name'?"),
    ]


def test_an_enum_value_lists_the_choices_and_suggests_the_closest() -> None:
    assert problems(Scenario, "title: Late\nstages:\n  intro: {prompt: Hi, mood: angyr}\n") == [
        (3, 29, "'mood' must be one of: calm, angry (got 'angyr') -- did you mean 'angry'?"),
    ]


def test_a_choice_far_from_every_option_gets_no_suggestion() -> None:
    assert problems(Scenario, "title: Late\ndifficulty: 7\n") == [
        (2, 13, "'difficulty' must be one of: easy, medium, hard (got 7)"),
    ]


def test_a_missing_key_is_placed_at_the_mapping_that_lacks_it() -> None:
    assert problems(Scenario, "title: Late\nstages:\n  intro:\n    mood: calm\n") == [
        (4, 5, "missing required key 'prompt'"),
    ]


def test_a_list_where_a_mapping_belongs_says_so() -> None:
    assert problems(Scenario, "- title: Late\n- title: Costs\n") == [(1, 1, "expected a mapping here, got a list")]
    assert problems(Scenario, "title: Late\nbuyer: [Dana]\n") == [
        (2, 8, "'buyer' should be a mapping (got a list)"),
    ]


def test_a_mapping_where_a_list_belongs_says_so() -> None:
    assert problems(Scenario, "title: Late\ntags: {a: 1}\n") == [(2, 7, "'tags' should be a list (got a mapping)")]


def test_a_list_item_of_the_wrong_type_names_the_item() -> None:
    assert problems(Scenario, "title: Late\ntags: [late, [x]]\n") == [
        (2, 14, "item 2 of 'tags' should be text (got a list)"),
    ]


def test_yes_and_no_read_as_booleans_get_a_quoting_hint() -> None:
    assert problems(Scenario, "title: no\n") == [
        (1, 8, ("'title' should be text (got false) -- YAML reads yes/no/on/off/true/false as true or false; "
         "put the text in quotes")),
    ]


def test_a_number_where_text_belongs_gets_a_quoting_hint() -> None:
    assert problems(Scenario, "title: 404\n") == [
        (1, 8, "'title' should be text (got 404) -- put it in quotes to make it text"),
    ]


def test_an_empty_value_is_named_as_empty() -> None:
    assert problems(Scenario, "title:\n") == [(1, 7, "'title' should be text (got an empty value)")]


def test_a_union_of_types_reports_one_line_naming_every_type() -> None:
    assert problems(Scenario, "title: Late\nbudget: [1]\n") == [
        (2, 9, "'budget' should be a whole number or text (got a list)"),
    ]


def test_a_value_of_one_branchs_kind_is_told_only_that_branchs_errors() -> None:
    class Line(Strict):
        """A buyer's line: text, or text with when it is said."""

        text: str
        when: Buyer | None = None

    class Lines(Strict):
        """A file of lines, each text or a Line."""

        lines: list[str | Line]

    assert problems(Lines, "lines:\n  - Hello.\n  - {text: Hi., when: {name: Dana, patince: 2}}\n") == [
        (3, 36, "unknown key 'patince' in buyer: did you mean 'patience'?"),
    ]
    assert problems(Lines, "lines:\n  - [Hello.]\n") == [  # a value of neither kind still names both
        (2, 5, "item 1 of 'lines' should be text or a mapping (got a list)"),
    ]


def test_a_bound_says_the_limit_and_the_value() -> None:
    assert problems(Scenario, "title: Late\nbuyer: {name: Dana, patience: -2}\n") == [
        (2, 31, "'patience' must be at least 0 (got -2)"),
    ]


def test_length_limits_are_said_in_items_or_characters() -> None:
    class Limited(Strict):
        """A model with length limits."""

        stages: list[str] = Field(min_length=2, max_length=3)
        title: str = Field(min_length=1, max_length=5)

    assert problems(Limited, "stages: [a]\ntitle: ''\n") == [
        (1, 9, "'stages' needs at least 2 items (has 1)"),
        (2, 8, "'title' must not be empty"),
    ]
    assert problems(Limited, "stages: [a, b, c, d]\ntitle: toolong\n") == [
        (1, 9, "'stages' can have at most 3 items (has 4)"),
        (2, 8, "'title' can have at most 5 characters (has 7)"),
    ]


def test_a_field_validator_message_passes_through_at_the_field() -> None:
    assert problems(Scenario, "title: Late\nstages:\n  intro:\n    prompt: TODO greet\n") == [
        (4, 13, "the prompt still says TODO"),
    ]


def test_a_model_validator_message_passes_through_at_the_model() -> None:
    assert problems(Scenario, "\ntitle: Late\ndifficulty: hard\n") == [
        (1, 1, "a hard scenario needs at least one stage"),
    ]


def test_a_discriminated_union_names_the_kinds_and_suggests_one() -> None:
    assert problems(Opening, "opening:\n  kind: emial\n  subject: Late\n") == [
        (2, 3, "'kind' must be one of: email, call (got 'emial') -- did you mean 'email'?"),
    ]
    assert problems(Opening, "opening:\n  subject: Late\n") == [(2, 3, "missing required key 'kind'")]


def test_errors_inside_a_union_branch_are_placed_in_the_file_not_at_the_branch_name() -> None:
    assert problems(Opening, "opening:\n  kind: call\n  ring: often\n  rnig: 2\n") == [
        (3, 9, "'ring' should be a whole number (got 'often')"),
        (4, 3, "unknown key 'rnig' in call: did you mean 'ring'?"),
    ]


def test_a_value_from_an_alias_is_placed_at_the_alias() -> None:
    text = "title: Late\nanchors: &bad lots\nbuyer:\n  name: Dana\n  patience: *bad\n"
    assert (5, 13, "'patience' should be a whole number (got 'lots')") in problems(Scenario, text)


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        ("tilte", ["title", "buyer", "stages"], " -- did you mean 'title'?"),
        ("Hard", ["easy", "medium", "hard"], " -- did you mean 'hard'?"),
        ("zebra", ["easy", "medium", "hard"], ""),
        ("anything", [], ""),
    ],
)
def test_did_you_mean_suggests_only_a_close_choice(word: str, choices: list[str], expected: str) -> None:
    assert did_you_mean(word, choices) == expected


def test_a_value_quoted_from_a_file_is_shown_with_its_escape_sequences_visible():
    problem = Problem("evil\x1b[2J.yaml", 2, 13, "'difficulty' must be one of: easy (got 'medium\x1b]52;c;aGk=\x07\x9b\u202e')")
    shown = str(problem)
    assert shown == (
        "evil\\x1b[2J.yaml:2:13: error: 'difficulty' must be one of: easy (got 'medium\\x1b]52;c;aGk=\\x07\\x9b\\u202e')"
    )
    assert str(ContentError([problem])) == shown
