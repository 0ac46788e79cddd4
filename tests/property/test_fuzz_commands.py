"""Every command's argument parser and the content loader, fed arbitrary words, bytes, paths and special
files, answer with an exit code and words: never a traceback, never a hang.

A hang would show as this test never finishing: the bounds are enforced in the code (file size and
kind checks, the YAML loader's limits, the detector's per-reply budget), not by timing the test.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import build_parser, main
from simulator.content.errors import ContentError
from simulator.content.loader import load_persona, load_scenario

# Commands that start the app or a live call would wait for keys: without a terminal they refuse,
# which is itself checked; the rest run to the end.
HOSTILE_TEXT = [
    "\x1b]52;c;aGk=\x07", "\x1b[2J", "\x9b31m", "\u202eevil", "[bold]x[/]", "\x00", "\ud800"[:0] + "\ufeff",
    "99999999999999999999999", "-1", "\u00b2", "", " ", "-", "--", "=1+1", "../../etc/passwd", "%s%n", "{buyer.nope}",
]


# `serve` runs until it is stopped, by design: its options are fuzzed in tests/serve/test_server.py instead.
SERVES_UNTIL_STOPPED = {"serve"}


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: sub for name, sub in action.choices.items() if name not in SERVES_UNTIL_STOPPED}


SUBCOMMANDS = _subcommands()


def _tokens_for(name: str) -> list[str]:
    """The option strings and the choices of a subcommand: the words most likely to reach deep code."""
    tokens: list[str] = []
    for action in SUBCOMMANDS[name]._actions:
        if action.option_strings and "-h" not in action.option_strings:
            tokens += action.option_strings
        if action.choices:
            tokens += [str(c) for c in action.choices]
    return tokens


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, str]:
    """Paths of every kind: a folder, a missing file, random bytes, a real scenario, a device, a pipe."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "random.yaml").write_bytes(os.urandom(2048))
    (root / "scenario.yaml").write_text(
        (Path(__file__).parents[2] / "scenarios" / "late-shipment.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    found = {"folder": str(root), "missing": str(root / "missing.yaml"), "random": str(root / "random.yaml"),
             "scenario": str(root / "scenario.yaml")}
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.yaml")
        found["pipe"] = str(root / "pipe.yaml")
    if Path("/dev/zero").exists():
        found["device"] = "/dev/zero"
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_command_line_ends_in_a_traceback(data, places, tmp_path, monkeypatch) -> None:
    name = data.draw(st.sampled_from(sorted(SUBCOMMANDS)), label="command")
    words = st.one_of(
        st.sampled_from(_tokens_for(name) or ["--help"]),
        st.sampled_from(HOSTILE_TEXT),
        st.sampled_from(sorted(places.values())),
        st.sampled_from(["late-shipment", "calm", "angry", "1", "last", "states_the_news"]),
        st.text(max_size=30),
    )
    argv = [name, *data.draw(st.lists(words, max_size=6), label="arguments")]
    stdin = data.draw(st.text(max_size=300), label="stdin")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--data-dir", str(tmp_path / "data"), *argv])
        except SystemExit as stop:  # argparse: --help, --version, or a usage error
            code = stop.code if isinstance(stop.code, int) else 2
    assert code in (0, 1, 2), (argv, code, err.getvalue()[-500:])
    said = err.getvalue() + out.getvalue()
    assert "Traceback" not in said and "internal error" not in said, (argv, said[-1500:])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096) | st.text(max_size=2000).map(str.encode), kind=st.sampled_from(["scenario", "persona"]))
def test_any_bytes_as_a_content_file_load_or_fail_with_located_problems(data, kind, tmp_path) -> None:
    path = tmp_path / f"fuzzed-{kind}.yaml"
    path.write_bytes(data)
    try:
        (load_scenario if kind == "scenario" else load_persona)(path)
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path == str(path) and problem.line >= 1 and problem.column >= 1
