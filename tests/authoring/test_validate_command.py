"""`badnews validate` prints errors and warnings as path:line:column, and --strict makes warnings fail."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from simulator.authoring.lint import LintContext, check_file
from simulator.authoring.polarity import sample_text
from simulator.cli import main
from simulator.detect import phrase_detector

HEAD = """\
title: Parts are late
difficulty: easy
brief: Tell {buyer.first_name} the parts are late.
seller: {name: Sam Keller, role: Account manager, company: Northgate}
buyer: {name: Dana Whitfield, role: Buyer, company: Larkspur}
"""
# At the end, so the line numbers these tests name stay where the body puts them.
IMPACT = 'impact: ["Our line stops on the 10th."]\n'

MESSAGE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<message>.+)$")


def write(tmp_path: Path, body: str, name: str = "parts.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body) + IMPACT, encoding="utf-8")
    return path


def validate(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(["validate", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


UNREACHABLE = """\
stages:
  opening:
    transitions: [{to: ended, when: {any: [states_the_news]}}]
  lost-in-space:
    transitions: [{to: ended}]
  ended: {ending: by_mood}
lines:
  lost-in-space: {any: ["Hello?"]}
"""


def test_warnings_alone_pass_and_are_counted(tmp_path, capsys):
    path = write(tmp_path, UNREACHABLE)
    code, out, err = validate(capsys, str(path))
    assert code == 0
    assert out == [f"{path}:9:3: warning: stage 'lost-in-space' can never be reached from 'opening'"]
    assert err.strip() == "1 file(s) checked, 1 valid, 0 error(s), 1 warning(s)"


def test_strict_turns_warnings_into_a_failure(tmp_path, capsys):
    path = write(tmp_path, UNREACHABLE)
    code, out, err = validate(capsys, "--strict", str(path))
    assert code == 1
    assert len(out) == 1 and "(--strict: warnings fail)" in err


def test_strict_passes_a_clean_file(tmp_path, capsys):
    path = write(tmp_path, "facts: {new_date: 24 March}\n")
    assert validate(capsys, "--strict", str(path))[0] == 0


def test_every_line_of_a_folder_run_reads_path_line_column_severity_message(tmp_path, capsys):
    write(tmp_path, UNREACHABLE, "unreachable.yaml")
    write(tmp_path, "difficulty: hard\n", "broken.yaml")  # a duplicate key: an error
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "hothead.yaml").write_text(
        "name: Hothead\ndescription: d\nstart: {temperature: 90, trust: 10}\nhang_up_at: 90\n", encoding="utf-8"
    )
    code, out, err = validate(capsys, str(tmp_path))
    assert code == 1
    parsed = [MESSAGE.match(line) for line in out]
    assert all(parsed), out
    assert {m["severity"] for m in parsed} == {"error", "warning"}
    assert any(m["path"].endswith("hothead.yaml") and m["severity"] == "warning" for m in parsed)
    assert "3 file(s) checked, 2 valid, 1 error(s), 2 warning(s)" in err


def test_a_scenario_phrase_the_banks_read_as_a_bad_behaviour_is_a_warning_at_the_phrase(tmp_path):
    path = write(tmp_path, """\
        phrases:
          apologizes: ["we're sorry for the delay", "sorry the carrier messed up"]
        """)
    [problem] = check_file(path, "scenario", LintContext({}, phrase_detector()))
    assert (problem.severity, problem.line, problem.column) == ("warning", 7, 45)
    assert problem.message.startswith("phrase 'sorry the carrier messed up' for apologizes also reads as blames_others")
    assert problem.message.endswith("a trainee who says it loses points for blames_others")


def test_a_bad_phrase_that_earns_good_points_is_a_warning_too(tmp_path):
    path = write(tmp_path, """\
        phrases:
          minimizes: ["sorry, it's only a small delay"]
        """)
    [problem] = check_file(path, "scenario", LintContext({}, phrase_detector()))
    assert "for minimizes also reads as apologizes" in problem.message
    assert problem.message.endswith("also earns points for apologizes")


def test_facts_in_a_phrase_are_not_a_clash(tmp_path):
    # "only six weeks" minimizes and names a quantity; no rewording removes the number.
    path = write(tmp_path, 'phrases:\n  minimizes: ["only six weeks", "only 9.5%"]\n')
    assert check_file(path, "scenario", LintContext({}, phrase_detector())) == []


def test_phrase_syntax_is_turned_into_words_a_trainee_could_say():
    assert sample_text("{we are|we're} sorry ~ for <digits> days") == "we are sorry for 12 days"
    assert sample_text("{|truly} apologi* ... the delay") == "truly apologi the delay"


def test_the_bundled_personas_are_warning_free(capsys):
    from simulator.paths import bundled_dir

    code, out, _ = validate(capsys, "--strict", str(bundled_dir("personas")))
    assert code == 0 and out == []


def test_an_unclosed_quote_is_reported_at_the_line_that_opens_it(tmp_path, capsys):
    path = tmp_path / "quote.yaml"
    path.write_text(HEAD.replace("title: Parts are late", 'title: "Parts are late') + textwrap.dedent("""\
        lines:
          opening:
            any: ["Hi there."]
    """), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:1:8: error: not valid YAML: the quote opened here is not closed on its line" in out


def test_a_placeholder_inside_a_folded_paragraph_is_reported_on_its_own_line(tmp_path, capsys):
    path = tmp_path / "folded.yaml"
    path.write_text(HEAD.replace("brief: Tell {buyer.first_name} the parts are late.",
                                 "brief: >\n  Tell {buyer.first_name} the parts\n  are late on {facts.po}."),
                    encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert f"{path}:5:15: error: placeholder '{{facts.po}}' names no fact" in capsys.readouterr().out
