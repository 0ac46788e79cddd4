"""`badnews test` plays a scenario's example calls and reports each like a test runner, failures at their line."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from simulator.authoring.examples import result_line, run_example, summary_line
from simulator.authoring.sources import load_scenario_source
from simulator.cli import main
from simulator.content.loader import load_library, yaml_files
from simulator.paths import bundled_dir
from tests.fakes import TableDetector

HEAD = """\
title: Parts are late
difficulty: easy
brief: Tell {buyer.first_name} the parts are late.
seller: {name: Sam Keller, role: Account manager, company: Northgate}
buyer: {name: Dana Whitfield, role: Buyer, company: Larkspur}
choices:
  tell_them_first:
    prompt: When?
    options:
      - {id: now, text: Now, correct: true}
      - {id: later, text: Later, correct: false}
"""

TABLE = TableDetector({
    "The parts are late.": ["states_the_news"],
    "I'm sorry.": ["apologizes"],
    "It's the carrier's fault.": ["blames_others"],
    "Thanks, I'll keep you posted.": ["thanks_patience", "keeps_informed"],
})


@pytest.fixture(scope="module")
def personas():
    return load_library().personas


def scenario_file(tmp_path: Path, examples: str, name: str = "parts.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "examples:\n" + textwrap.indent(textwrap.dedent(examples), "  "), encoding="utf-8")
    return path


def line_of(path: Path, text: str, after: int = 0) -> int:
    lines = path.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if n > after and text in line)


def test_an_example_whose_expectations_hold_passes(tmp_path, personas):
    path = scenario_file(tmp_path, """\
        - name: news and sorry
          replies: ["The parts are late.", "", "I'm sorry."]
          expect: {passed: false, hit: [states_the_news, apologizes, cut_to_the_chase], missed: [blames_others]}
        """)
    result = run_example(load_scenario_source(path), 0, personas, TABLE)
    assert result.passed and result.failures == ()
    assert result_line(result).startswith("PASS parts::news and sorry (calm, seed 0): score ")


def test_a_score_outside_the_range_fails_at_the_line_of_the_range(tmp_path, personas):
    path = scenario_file(tmp_path, """\
        - name: only the news
          replies: ["The parts are late."]
          expect:
            score: [90, 100]
        """)
    result = run_example(load_scenario_source(path), 0, personas, TABLE)
    [failure] = result.failures
    assert str(failure) == (
        f"{path}:{line_of(path, 'score: [90, 100]')}:14: error: expected a score in [90, 100], got {result.score}"
    )
    assert result_line(result).splitlines()[1] == f"    {failure}"


def test_each_unmet_expectation_is_its_own_failure_naming_the_behaviour(tmp_path, personas):
    path = scenario_file(tmp_path, """\
        - name: blame
          choices: {tell_them_first: later}
          replies: ["The parts are late.", "It's the carrier's fault."]
          expect:
            outcome: won_back
            passed: true
            hit: [apologizes, tell_them_first]
            missed: [blames_others]
        """)
    failures = [f.message for f in run_example(load_scenario_source(path), 0, personas, TABLE).failures]
    assert failures[0].startswith("expected outcome won_back, got ")
    assert failures[1].startswith("expected the call to pass (pass mark 70), but it scored ")
    assert failures[2] == "expected apologizes hit, but it was not: Not shown in any reply."
    assert failures[3].startswith("expected tell_them_first hit, but it was not: You chose: Later.")
    assert failures[4] == "expected blames_others missed, but it was hit at turn 3: 'It's the carrier's fault.'"


def test_an_unknown_persona_or_option_fails_without_playing(tmp_path, personas):
    path = scenario_file(tmp_path, """\
        - name: typos
          persona: angy
          choices: {tell_them_first: soon}
          replies: ["The parts are late."]
        """)
    result = run_example(load_scenario_source(path), 0, personas, TABLE)
    assert result.score is None
    messages = [f.message for f in result.failures]
    assert messages == [
        "no persona 'angy' -- did you mean 'angry'?",
        "choice 'tell_them_first' has no option 'soon' (options: now, later)",
    ]
    assert result.failures[0].line == line_of(path, "persona: angy")


def test_silence_markers_and_a_call_that_ends_early_are_played_like_replay(tmp_path, personas):
    path = scenario_file(tmp_path, """\
        - name: hung up on
          persona: angry
          replies: ["Hello.", "...", "Hello.", "Hello.", "Hello.", "The parts are late."]
          expect: {outcome: lost}
        """)
    result = run_example(load_scenario_source(path), 0, personas, TABLE)
    assert result.passed
    assert result.replies_used < result.replies_given
    assert f"call ended after reply {result.replies_used} of 6" in result_line(result)


def test_the_summary_counts_passes_failures_broken_files_and_scenarios_without_examples():
    assert summary_line([], 1, 2) == "0 passed, 0 failed, 1 file(s) with errors, 2 scenario(s) without examples"


# --- the command -----------------------------------------------------------------------------
def test_the_command_prints_a_line_per_example_and_a_summary_and_exits_1_on_a_failure(tmp_path, capsys):
    path = scenario_file(tmp_path, """\
        - name: a hello is no pass
          replies: ["Hello."]
          expect: {passed: false}
        - name: a hello is not perfect
          replies: ["Hello."]
          expect: {score: [100, 100]}
        """)
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("PASS parts::a hello is no pass (calm, seed 0): score ")
    assert out[1].startswith("FAIL parts::a hello is not perfect (calm, seed 0): score ")
    assert re.fullmatch(rf"    {re.escape(str(path))}:{line_of(path, '[100, 100]')}:\d+: error: expected a score in \[100, 100\], got \d+", out[2])
    assert out[-1] == "1 passed, 1 failed"


def test_the_command_exits_0_when_every_example_passes(tmp_path, capsys):
    scenario_file(tmp_path, '- name: a hello is no pass\n  replies: ["Hello."]\n  expect: {passed: false}\n')
    assert main(["test", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed"


def test_a_broken_file_is_an_error_with_its_problems_and_fails_the_run(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: Broken\ndifficulty: tough\n", encoding="utf-8")
    assert main(["test", str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"ERROR {broken}"
    assert f"    {broken}:2:13: error: 'difficulty' must be one of: easy, medium, hard (got 'tough')" in out
    assert out[-1] == "0 passed, 0 failed, 1 file(s) with errors"


def test_a_missing_path_is_a_clear_error(tmp_path, capsys):
    assert main(["test", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_without_paths_it_runs_the_bundled_scenarios_and_the_users_own(tmp_path, capsys, monkeypatch):
    from simulator.paths import CONFIG_DIR_ENV

    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path))
    (tmp_path / "scenarios").mkdir()
    scenario_file(tmp_path / "scenarios", '- name: mine\n  replies: ["Hello."]\n  expect: {passed: false}\n', "my-own.yaml")
    main(["test"])
    out = capsys.readouterr().out
    assert "PASS my-own::mine" in out
    assert "late-shipment::a good call" in out


# --- the bundled scenarios' own examples -------------------------------------------------------
BUNDLED = yaml_files(bundled_dir("scenarios"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_scenario_carries_a_good_and_a_bad_example_call(path):
    examples = load_scenario_source(path).item.examples
    assert 2 <= len(examples) <= 4
    assert any(e.expect.passed is True for e in examples), "no example of a good call"
    assert any(e.expect.passed is False for e in examples), "no example of a bad call"
    for example in examples:
        assert example.expect.score is not None, f"{example.name}: give a score range"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_example_passes(path, personas):
    source = load_scenario_source(path)
    for index in range(len(source.item.examples)):
        result = run_example(source, index, personas)
        assert result.passed, result_line(result)
