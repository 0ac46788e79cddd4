"""A trainer's own scenarios and personas load from their config folder after the bundled ones, never over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.content.loader import load_library
from simulator.paths import CONFIG_DIR_ENV, bundled_dir, user_dir


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    """An empty user config folder, pointed to by the environment variable."""
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path))
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "personas").mkdir()
    return tmp_path


def copy_bundled(kind: str, stem: str, target: Path, new_stem: str, change: tuple[str, str] = ("", "")) -> Path:
    text = (bundled_dir(kind) / f"{stem}.yaml").read_text(encoding="utf-8")
    path = target / kind / f"{new_stem}.yaml"
    path.write_text(text.replace(*change) if change[0] else text, encoding="utf-8")
    return path


def test_the_environment_variable_names_the_user_folder(config):
    assert user_dir("scenarios") == config / "scenarios"


def test_without_the_variable_the_folder_is_the_platform_config_folder(monkeypatch):
    from platformdirs import user_config_dir

    monkeypatch.delenv(CONFIG_DIR_ENV, raising=False)
    assert user_dir("personas") == Path(user_config_dir("bad-news-drill")) / "personas"


def test_user_scenarios_and_personas_are_loaded_after_the_bundled_ones(config):
    copy_bundled("scenarios", "late-shipment", config, "my-late-shipment")
    copy_bundled("personas", "calm", config, "my-calm")
    library = load_library()
    assert "my-late-shipment" in library.scenarios and "my-calm" in library.personas
    assert list(library.scenarios)[-1] == "my-late-shipment"
    assert library.sources[("personas", "my-calm")] == config / "personas" / "my-calm.yaml"
    assert library.problems == []


def test_a_user_file_with_a_bundled_id_is_reported_and_never_merged(config):
    path = copy_bundled("scenarios", "late-shipment", config, "late-shipment", ("difficulty: medium", "difficulty: easy"))
    library = load_library()
    assert library.scenario("late-shipment").difficulty == "medium"
    [problem] = library.problems
    assert problem.path == str(path) and "already defined by" in problem.message and "skipped" in problem.message


def test_a_broken_user_file_is_reported_and_the_rest_still_loads(config):
    (config / "personas" / "broken.yaml").write_text("name: Broken\n", encoding="utf-8")
    library = load_library()
    assert "calm" in library.personas and "broken" not in library.personas
    assert any("broken.yaml" in p.path and "missing required key" in p.message for p in library.problems)


def test_naming_the_user_folder_again_with_scenarios_is_not_a_clash(config):
    copy_bundled("scenarios", "late-shipment", config, "mine")
    library = load_library(scenario_dirs=[config / "scenarios"])
    assert library.problems == []
