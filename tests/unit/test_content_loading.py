"""Loading scenario and persona files: every problem located, misspelt ids get a suggestion, nothing crashes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulator.content.errors import ContentError
from simulator.content.loader import load_library, load_persona, load_scenario
from simulator.paths import bundled_dir

MINIMAL = """\
title: A minimal scenario
difficulty: easy
brief: You have to tell {buyer.first_name} the parts are late.
seller: {name: Sam Keller, role: Account manager, company: Northgate}
buyer: {name: Dana Whitfield, role: Buyer, company: Larkspur}
facts:
  new_date: 24 March
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(loader, path):
    with pytest.raises(ContentError) as info:
        loader(path)
    return info.value.problems


def test_a_minimal_scenario_loads_with_the_default_arc_and_takes_its_id_from_the_file(tmp_path):
    scenario = load_scenario(write(tmp_path, "minimal.yaml", MINIMAL))
    assert scenario.id == "minimal" and scenario.stages is None


@pytest.mark.parametrize("path", sorted(bundled_dir("scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_scenario_loads(path):
    assert load_scenario(path).id == path.stem


@pytest.mark.parametrize("path", sorted(bundled_dir("personas").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_persona_loads(path):
    assert load_persona(path).id == path.stem


def test_an_id_that_differs_from_the_file_name_is_an_error_at_its_line(tmp_path):
    problems = problems_of(load_scenario, write(tmp_path, "minimal.yaml", "id: other\n" + MINIMAL))
    assert [(p.line, p.column) for p in problems] == [(1, 5)]
    assert "must match the file name" in problems[0].message


def test_a_placeholder_that_names_no_fact_is_reported_with_a_suggestion(tmp_path):
    text = MINIMAL.replace("{buyer.first_name}", "{facts.new_dat}")
    problems = problems_of(load_scenario, write(tmp_path, "s.yaml", text))
    assert len(problems) == 1 and problems[0].line == 3
    assert "did you mean 'facts.new_date'" in problems[0].message


def test_a_misspelt_behaviour_id_in_weights_gets_did_you_mean(tmp_path):
    text = MINIMAL + "scoring:\n  weights:\n    blame_others: 20\n"
    problems = problems_of(load_scenario, write(tmp_path, "s.yaml", text))
    assert any("did you mean 'blames_others'" in p.message for p in problems)
    assert all(p.line >= 8 for p in problems)


def test_a_transition_to_a_missing_stage_is_reported_with_a_suggestion(tmp_path):
    text = MINIMAL + textwrap.dedent("""\
        start_stage: opening
        stages:
          opening:
            transitions:
              - to: closng
                when: {any: [states_the_news]}
          closing:
            ending: by_mood
        """)
    problems = problems_of(load_scenario, write(tmp_path, "s.yaml", text))
    assert len(problems) == 1
    assert problems[0].line == 12 and "did you mean 'closing'" in problems[0].message


def test_all_problems_of_a_file_are_reported_at_once(tmp_path):
    text = MINIMAL.replace("difficulty: easy", "difficulty: hardd") + "tilte: oops\n"
    problems = problems_of(load_scenario, write(tmp_path, "s.yaml", text))
    messages = " ".join(p.message for p in problems)
    assert len(problems) >= 2 and "hard" in messages and "title" in messages


def test_a_persona_with_an_unknown_behaviour_effect_is_reported(tmp_path):
    text = """\
        name: Test
        description: A test buyer.
        start: {temperature: 10, trust: 50}
        effects:
          apologises: {temperature: -5}
        """
    problems = problems_of(load_persona, write(tmp_path, "p.yaml", text))
    assert problems[0].line == 5 and "did you mean 'apologizes'" in problems[0].message


def test_a_user_file_with_a_bundled_id_is_reported_not_merged(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "late-shipment.yaml").write_text(MINIMAL, encoding="utf-8")
    library = load_library(scenario_dirs=[folder])
    assert library.scenario("late-shipment").title != "A minimal scenario"
    assert any("already defined" in p.message for p in library.problems)


def test_an_unknown_scenario_lookup_suggests_the_nearest_id():
    library = load_library()
    with pytest.raises(LookupError, match="did you mean 'late-shipment'"):
        library.scenario("late-shipmen")


def test_a_persona_line_naming_a_scenario_fact_is_reported(tmp_path):
    text = """\
        name: Test
        description: A test buyer.
        start: {temperature: 10, trust: 50}
        lines:
          venting:
            any: ["Not {facts.new_date} again, {buyer.first_name}!"]
        """
    problems = problems_of(load_persona, write(tmp_path, "p.yaml", text))
    assert len(problems) == 1 and problems[0].line == 6
    assert "facts.new_date" in problems[0].message and "{buyer.*}" in problems[0].message
