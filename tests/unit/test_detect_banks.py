"""Phrase banks are trainer-editable YAML: extending one works, and every mistake is reported at its line and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simulator.content.errors import ContentError
from simulator.detect import Detector
from simulator.detect.banks import DEFAULT_BANK_DIR, load_banks


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    target = tmp_path / "banks"
    shutil.copytree(DEFAULT_BANK_DIR, target)
    return target


def problems_of(bank_dir: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_banks(bank_dir)
    return [str(p) for p in caught.value.problems]


def test_the_shipped_banks_load_and_cover_every_phrase_behaviour() -> None:
    banks = load_banks().banks
    assert set(banks) >= {"states_the_news", "apologizes", "blames_others", "goes_over_their_head"}
    assert all(bank.phrases for bank in banks.values())


def test_a_trainer_can_add_a_phrase_and_the_detector_finds_it(bank_dir: Path) -> None:
    path = bank_dir / "compensates.yaml"
    path.write_text(path.read_text().replace("phrases:\n", "phrases:\n  - 'a bottle of {champagne|wine}'\n", 1))
    detector = Detector.load(bank_dir)
    assert detector.detect("We'll send a bottle of champagne to your team.").has("compensates")


def test_a_yaml_syntax_error_is_reported_with_line_and_column(bank_dir: Path) -> None:
    (bank_dir / "apologizes.yaml").write_text("behaviour: apologizes\nphrases: [sorry\n")
    [problem] = problems_of(bank_dir)
    assert problem.startswith(str(bank_dir / "apologizes.yaml") + ":3:1: error: invalid YAML")


def test_an_unknown_behaviour_id_is_an_error_at_its_value(bank_dir: Path) -> None:
    (bank_dir / "apologizes.yaml").write_text("behaviour: apologises\nphrases: [sorry]\n")
    [problem] = problems_of(bank_dir)
    assert ":1:12: error: unknown behaviour 'apologises'" in problem


def test_a_bad_phrase_is_reported_at_the_column_inside_it(bank_dir: Path) -> None:
    (bank_dir / "apologizes.yaml").write_text("behaviour: apologizes\nphrases:\n  - 'so {sorry'\n")
    [problem] = problems_of(bank_dir)
    assert ":3:9: error: phrase 'so {sorry'" in problem and "never closed" in problem


def test_every_problem_in_a_file_is_reported_at_once(bank_dir: Path) -> None:
    (bank_dir / "apologizes.yaml").write_text(
        "behaviour: apologizes\nthreshold: 2\nwhere: sometimes\ncolour: red\nphrases: [sorry, '<nope>']\n"
    )
    found = problems_of(bank_dir)
    assert len(found) == 4
    assert any("threshold must be" in p for p in found)
    assert any("expected one of: anywhere, statements, questions" in p for p in found)
    assert any("unknown key 'colour'" in p for p in found)
    assert any("unknown macro <nope>" in p for p in found)


def test_two_banks_for_one_behaviour_is_an_error(bank_dir: Path) -> None:
    shutil.copy(bank_dir / "apologizes.yaml", bank_dir / "apologizes_too.yaml")
    assert any("a second bank for 'apologizes'" in p for p in problems_of(bank_dir))


def test_a_missing_bank_directory_is_an_error(tmp_path: Path) -> None:
    assert "does not exist" in problems_of(tmp_path / "nowhere")[0]
