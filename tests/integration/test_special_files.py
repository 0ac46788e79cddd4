"""A path can name anything: /dev/zero, a pipe, a link to either, a folder. Every command that reads a
file the user named says in one line that it is not a regular file, instead of reading forever,
running out of memory or blocking on the pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.files import UnreadableFile, check_regular, read_bytes, read_text

HANG_GUARD = 120  # seconds: only turns a hang into a failure; nothing here is timed

pytestmark = pytest.mark.skipif(not Path("/dev/zero").exists() or not hasattr(os, "mkfifo"), reason="POSIX only")


@pytest.fixture
def specials(tmp_path: Path) -> dict[str, Path]:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    return {"device": Path("/dev/zero"), "pipe": pipe, "link to a device": link, "folder": folder}


def badnews(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(cwd)}
    return subprocess.run(
        [sys.executable, "-m", "simulator", "--data-dir", str(cwd / "data"), *argv],
        capture_output=True, text=True, timeout=HANG_GUARD, cwd=cwd, env=env, stdin=subprocess.DEVNULL, check=False,
    )


@pytest.mark.parametrize("command", ["validate", "eval", "rescore", "cohort"])
def test_every_reading_command_refuses_a_file_that_is_not_regular(command, specials, tmp_path):
    for kind, path in specials.items():
        done = badnews(command, str(path), cwd=tmp_path)
        said = done.stdout + done.stderr
        assert done.returncode != 0, (kind, said)
        assert "Traceback" not in said and "MemoryError" not in said, (kind, said)
        # validate reads a folder's files; the folder here has none, and it says so
        assert str(path) in said and any(w in said for w in ("not a regular file", "directory", "no .yaml files")), (
            kind, said)


def test_the_reader_refuses_devices_pipes_folders_and_files_over_the_limit(specials, tmp_path):
    for path in specials.values():
        with pytest.raises(UnreadableFile):
            read_bytes(path, 1024)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(UnreadableFile, match="the limit is"):
        read_bytes(big, 1024)
    assert check_regular(big) == 2048
    (tmp_path / "latin1.yaml").write_bytes(b"caf\xe9")
    with pytest.raises(UnreadableFile, match="not UTF-8"):
        read_text(tmp_path / "latin1.yaml", 1024)
    (tmp_path / "ok.yaml").write_text("title: caf\u00e9\n", encoding="utf-8")
    assert read_text(tmp_path / "ok.yaml", 1024) == "title: caf\u00e9\n"


@pytest.mark.parametrize("argv", [[], ["play", "late-shipment"]])
def test_the_app_without_a_terminal_says_so_and_stops_instead_of_waiting_forever(argv, tmp_path):
    done = badnews(*argv, cwd=tmp_path)  # stdin is /dev/null, stdout a pipe
    assert done.returncode in (1, 2)
    assert "the app needs a terminal" in done.stderr and "--plain" in done.stderr
    assert "Traceback" not in done.stderr
