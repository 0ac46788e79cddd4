"""Escape sequences in a scenario, a persona, an export or a reply are shown, never obeyed, by every command.

A crafted file could otherwise write to the trainer's clipboard (OSC 52), plant a link (OSC 8), clear
the screen (CSI, or a lone C1 byte) or reverse what a line says (bidi controls). Text output shows
them as visible escapes; JSON output keeps the very same string, written with `\\u` escapes.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from simulator.cli import main
from tests.hostile import HOSTILE, PERSONA_ID, SCENARIO_ID, controls_in, write_hostile_content

TRAINEE = "eve" + HOSTILE
REPLY = "Jordan, I have bad news: PO 7731 will not arrive on time." + HOSTILE


class InterruptedInput(io.StringIO):
    """A trainee who types the given lines, then presses Ctrl-C."""

    def readline(self, size: int = -1) -> str:  # type: ignore[override]
        line = super().readline(size)
        if not line:
            raise KeyboardInterrupt
        return line


@dataclass
class World:
    """Hostile content, a calls database with hostile calls in it, and the output of the commands that made them."""

    folder: Path
    flags: list[str]
    outputs: dict[str, tuple[str, str]] = field(default_factory=dict)

    def run(self, argv: list[str], stdin: io.StringIO | str = "") -> tuple[int, str, str]:
        """`badnews FLAGS ARGV` with this input; the exit code, stdout and stderr."""
        out, err = io.StringIO(), io.StringIO()
        saved = sys.stdin
        sys.stdin = stdin if isinstance(stdin, io.StringIO) else io.StringIO(stdin)
        try:
            with redirect_stdout(out), redirect_stderr(err):
                code = main([*self.flags, *argv])
        finally:
            sys.stdin = saved
        return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    """A hostile scenario and persona, an unfinished call resumed and ended, and a hostile export for `cohort`."""
    folder = tmp_path_factory.mktemp("hostile")
    scenarios, personas = write_hostile_content(folder / "content")
    flags = ["--scenarios", str(scenarios), "--personas", str(personas), "--data-dir", str(folder / "data"),
             "--trainee", TRAINEE]
    world = World(folder, flags)
    code, out, err = world.run(["play", SCENARIO_ID, "--plain"], InterruptedInput(REPLY + "\n"))
    assert code == 130, err
    world.outputs["play --plain"] = (out, err)
    code, out, err = world.run(["resume", "last"], REPLY + "\n")
    assert code == 0, err
    world.outputs["resume"] = (out, err)

    code, out, err = world.run(["export"])
    assert code == 0, err
    line = json.loads(out.splitlines()[0])
    line.update(call_uid="crafted", trainee=f"ana{HOSTILE}", scenario=f"late{HOSTILE}")
    crafted = folder / "crafted.jsonl"
    raw = json.dumps(line, ensure_ascii=False)  # the escape sequences raw in the file, as a hand-made export has them
    crafted.write_text(f"{raw}\nnot json {HOSTILE}\n", encoding="utf-8")
    code, out, err = world.run(["export", "--format", "csv"])
    assert code == 0, err
    (folder / "calls.csv").write_text(out, encoding="utf-8")
    yield world


# Every command that shows text from a scenario, a persona, a stored call, a reply or an export.
TEXT_COMMANDS = {
    "list": ["list"],
    "validate": ["validate", "{content}"],
    "replay": ["replay", SCENARIO_ID],
    "replay --details": ["replay", SCENARIO_ID, "--details"],
    "detect": ["detect", REPLY],
    "report": ["report", "last"],
    "report --details": ["report", "last", "--details"],
    "export --format csv": ["export", "--format", "csv"],
    "cohort": ["cohort", "{folder}/crafted.jsonl", "{folder}/calls.csv"],
    "test": ["test", "{content}/scenarios"],
    "history": ["history"],
    "team": ["team"],
    "rescore --records": ["rescore", "--records"],
    "graph": ["graph", SCENARIO_ID],
    "graph --format dot": ["graph", SCENARIO_ID, "--format", "dot"],
}
JSON_COMMANDS = {
    "list --json": ["list", "--json"],
    "replay --json": ["replay", SCENARIO_ID, "--json"],
    "report --format json": ["report", "last", "--format", "json"],
    "export": ["export"],
    "export --xapi": ["export", "--xapi"],
    "cohort --json": ["cohort", "--json", "{folder}/crafted.jsonl"],
    "history --json": ["history", "--json"],
    "team --json": ["team", "--json"],
}


def _argv(world: World, argv: list[str]) -> list[str]:
    return [arg.format(folder=world.folder, content=world.folder / "content") for arg in argv]


def _strings(value: object) -> Iterator[str]:
    """Every string in a parsed JSON value, keys too."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _assert_inert(out: str, err: str) -> None:
    assert not controls_in(out), sorted(controls_in(out))
    assert not controls_in(err), sorted(controls_in(err))


@pytest.mark.parametrize("name", ["play --plain", "resume"])
def test_a_played_call_shows_the_hostile_header_lines_and_reply_harmlessly(world, name):
    out, err = world.outputs[name]
    _assert_inert(out, err)
    assert "\\x1b]52;c;aGk=\\x07" in out  # shown, not dropped: the trainer can see what the file holds


@pytest.mark.parametrize("name", TEXT_COMMANDS)
def test_no_command_writes_an_escape_sequence_from_a_file_or_a_reply(world, name):
    _, out, err = world.run(_argv(world, TEXT_COMMANDS[name]), REPLY + "\n")
    _assert_inert(out, err)
    assert out.strip(), "the command printed nothing: the check above proves nothing"


@pytest.mark.parametrize("name", JSON_COMMANDS)
def test_json_output_escapes_the_controls_and_keeps_the_very_same_text(world, name):
    code, out, err = world.run(_argv(world, JSON_COMMANDS[name]), REPLY + "\n")
    assert code == 0, err
    _assert_inert(out, err)
    parsed = [json.loads(line) for line in out.splitlines()] if name == "export" else [json.loads(out)]
    assert any(HOSTILE in text for text in _strings(parsed)), "the hostile text did not round-trip"


def test_detect_jsonl_escapes_the_controls_and_keeps_the_very_same_reply(world):
    code, out, err = world.run(["detect", "--jsonl"], json.dumps(REPLY) + "\n" + json.dumps({"text": HOSTILE}) + "\n")
    assert code == 0, err
    _assert_inert(out, err)
    assert [json.loads(line)["text"] for line in out.splitlines()] == [REPLY, HOSTILE]


def test_the_stored_call_keeps_what_the_trainee_typed(world):
    _, out, _ = world.run(["export"])
    line = json.loads(out.splitlines()[0])
    assert line["trainee"] == TRAINEE and line["persona"] == PERSONA_ID
    seller = [turn["text"] for turn in line["transcript"] if turn["speaker"] == "seller"]
    assert seller == [REPLY, REPLY]
