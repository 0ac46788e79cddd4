"""`badnews new` writes a commented file that already validates, passes its own examples, and never overwrites."""

from __future__ import annotations

import pytest

from simulator.authoring.examples import run_example
from simulator.authoring.lint import check_file, default_context
from simulator.authoring.scaffold import ScaffoldError, template_text, write_template
from simulator.authoring.sources import load_scenario_source
from simulator.cli import main
from simulator.content.loader import load_library


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run from an empty folder, as a trainer would."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("kind", ["scenario", "persona"])
def test_a_new_file_validates_with_no_errors_and_no_warnings(in_tmp, kind, capsys):
    assert main(["new", kind, "late-invoice"]) == 0
    path = in_tmp / "late-invoice.yaml"
    assert f"wrote {path.name}" in capsys.readouterr().out
    assert check_file(path, kind, default_context()) == []
    assert main(["validate", "--strict", str(path)]) == 0


def test_the_new_scenario_passes_its_own_examples(in_tmp):
    path = write_template("scenario", "late-invoice")
    source = load_scenario_source(path)
    personas = load_library().personas
    assert len(source.item.examples) == 2
    for index in range(2):
        result = run_example(source, index, personas)
        assert result.passed, [str(f) for f in result.failures]


def test_the_template_is_commented_and_names_the_file_it_was_written_as():
    text = template_text("scenario", "late-invoice")
    assert "__" not in text
    assert 'title: "Late invoice"' in text
    assert "badnews validate late-invoice.yaml" in text
    assert "# yaml-language-server: $schema=./scenario.schema.json" in text
    assert sum(1 for line in text.splitlines() if line.lstrip().startswith("#")) >= 20


def test_an_existing_file_is_never_overwritten(in_tmp, capsys):
    (in_tmp / "late-invoice.yaml").write_text("mine\n")
    assert main(["new", "scenario", "late-invoice"]) == 1
    assert "late-invoice.yaml already exists; not overwriting it" in capsys.readouterr().err
    assert (in_tmp / "late-invoice.yaml").read_text() == "mine\n"


def test_output_may_name_a_folder_or_a_file(in_tmp):
    (in_tmp / "drafts").mkdir()
    assert write_template("persona", "grumpy", in_tmp / "drafts") == in_tmp / "drafts" / "grumpy.yaml"
    written = write_template("scenario", "ignored", in_tmp / "price-rise.yaml")
    assert written == in_tmp / "price-rise.yaml"
    assert 'title: "Price rise"' in written.read_text()


@pytest.mark.parametrize(
    ("name", "output", "message"),
    [
        ("Late Invoice", None, "cannot be an id"),
        ("late-invoice", "notes.txt", "must end in .yaml"),
        ("late-invoice", "missing/late.yaml", "no such folder"),
    ],
)
def test_a_name_or_place_that_cannot_work_is_refused(in_tmp, name, output, message):
    with pytest.raises(ScaffoldError, match=message):
        write_template("scenario", name, None if output is None else in_tmp / output)


def test_the_command_prints_a_bad_name_as_one_line(in_tmp, capsys):
    assert main(["new", "persona", "Bad Name"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("badnews: 'Bad Name' cannot be an id") and "Traceback" not in err


def test_a_new_files_title_keeps_an_abbreviation_in_capitals():
    from simulator.authoring.scaffold import title_of

    assert title_of("sceptical-cio") == "Sceptical CIO"
    assert title_of("late_invoice") == "Late invoice"
