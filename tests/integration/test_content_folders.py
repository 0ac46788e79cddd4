"""Content folders named on the command line or found on disk: a bad one is one line on stderr, never a
traceback and never the end of the bundled scenarios."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.content.loader import load_library


@pytest.fixture
def unreadable(tmp_path: Path, monkeypatch) -> Path:
    """A scenarios folder that cannot be listed (tests run as root, who may list anything: simulated)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "mine.yaml").write_text("title: x\n", encoding="utf-8")
    listing = Path.iterdir

    def iterdir(self: Path):
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return listing(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    return folder


def test_an_unreadable_scenarios_folder_is_reported_and_the_bundled_scenarios_still_load(unreadable):
    library = load_library([unreadable])
    assert "late-shipment" in library.scenarios
    [problem] = [p for p in library.problems if p.path == str(unreadable)]
    assert "cannot read the folder: Permission denied" in problem.message


@pytest.mark.parametrize("command", [["list"], ["validate"], ["replay", "late-shipment"]])
def test_commands_given_an_unreadable_folder_say_so_in_one_line(unreadable, command, capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    argv = ["--scenarios", str(unreadable), *command] if command[0] != "validate" else ["validate", str(unreadable)]
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert f"{unreadable}:1:1: error: cannot read the folder: Permission denied" in out + err
    if command[0] != "validate":
        assert code == 0  # the bundled content still plays
    else:
        assert code != 0


@pytest.mark.parametrize("given", ["/no/such/folder", "-", ""])
def test_a_scenarios_option_that_names_no_folder_is_a_usage_error(given, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--scenarios", given, "list"])
    assert stop.value.code == 2
    assert "argument --scenarios" in capsys.readouterr().err


def test_a_scenarios_option_that_names_a_file_says_to_name_its_folder(tmp_path, capsys):
    file = tmp_path / "one.yaml"
    file.write_text("title: x\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--personas", str(file), "list"])
    assert "is a file, not a folder" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_entries_named_like_yaml_that_are_not_files_are_each_reported(tmp_path):
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "folder.yaml").mkdir()
    os.mkfifo(tmp_path / "pipe.yaml")
    library = load_library([tmp_path])
    said = {Path(p.path).name: p.message for p in library.problems}
    assert "leads nowhere" in said["dangling.yaml"] and "leads nowhere" in said["loop.yaml"]
    assert "a folder" in said["folder.yaml"] and "pipe" in said["pipe.yaml"]
    assert "late-shipment" in library.scenarios
