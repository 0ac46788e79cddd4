"""docs/authoring.md works as written: its commands, run in order in an empty folder, do what the page shows."""

from __future__ import annotations

import io
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from simulator.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXIT_CODE = re.compile(r"\s+#\s*exit code (\d+)\s*$")
APPEND = re.compile(r"^# append to (\S+)$")
REPLACE = re.compile(r"^# in (\S+), replace the (\w+): section$")
OUTCOMES = r"(?:won_back|strained|lost|unfinished)"


@dataclass
class Command:
    """One `$ badnews ...` line of the page, with its exit code and the output lines shown under it."""

    argv: list[str]
    exit_code: int = 0
    shown: list[str] = field(default_factory=list)


def steps(text: str) -> list[tuple[str, object]]:
    """The page's runnable steps in order: ("run", Command) and ("edit", (file, key or None, yaml))."""
    found: list[tuple[str, object]] = []
    for language, body in FENCE.findall(text):
        lines = body.splitlines()
        if language == "console":
            for line in lines:
                if line.startswith("$ badnews"):
                    code = EXIT_CODE.search(line)
                    command = EXIT_CODE.sub("", line)[2:]
                    found.append(("run", Command(shlex.split(command)[1:], int(code.group(1)) if code else 0)))
                elif found and found[-1][0] == "run":
                    found[-1][1].shown.append(line)
        elif language == "yaml" and lines:
            if match := APPEND.match(lines[0]):
                found.append(("edit", (match.group(1), None, "\n".join(lines[1:]) + "\n")))
            elif match := REPLACE.match(lines[0]):
                found.append(("edit", (match.group(1), match.group(2), "\n".join(lines[1:]) + "\n")))
    return found


def shown_as_pattern(line: str) -> re.Pattern[str]:
    """A shown output line as a regex: any number stands for any number, any outcome for any outcome."""
    pattern = re.sub(r"\d+", r"\\d+", re.sub(OUTCOMES, "\0", re.escape(line)))
    return re.compile(pattern.replace("\0", OUTCOMES) + r"\s*$")


def replace_section(text: str, key: str, block: str) -> str:
    """The text with the top-level `key:` section (up to the next top-level line) replaced by block."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1].isalpha()), len(lines))
    return "".join(lines[:start]) + block + "".join(lines[end:])


def run(command: Command, capsys, monkeypatch) -> tuple[int, list[str]]:
    argv = list(command.argv)
    if "play" in argv and "--plain" not in argv:
        argv.append("--plain")  # the app needs a terminal; the plain call opens the same scenario
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, (out + err).splitlines()


def test_the_page_has_the_whole_walk_through():
    kinds = [(kind, step.argv[0] if kind == "run" else step[1]) for kind, step in steps(DOC.read_text())]
    commands = [name for kind, name in kinds if kind == "run"]
    for name in ("new", "schema", "validate", "graph", "test", "--scenarios"):
        assert name in commands, f"the walk-through lost its `{name}` step"
    assert ("edit", None) in kinds and ("edit", "stages") in kinds


def test_the_walk_through_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for kind, step in steps(DOC.read_text()):
        if kind == "edit":
            name, key, block = step
            path = tmp_path / name
            text = path.read_text(encoding="utf-8")
            path.write_text(text + block if key is None else replace_section(text, key, block), encoding="utf-8")
            continue
        code, output = run(step, capsys, monkeypatch)
        assert code == step.exit_code, f"$ badnews {' '.join(step.argv)}\n" + "\n".join(output)
        for line in step.shown:
            pattern = shown_as_pattern(line)
            assert any(pattern.match(actual) for actual in output), (
                f"$ badnews {' '.join(step.argv)}\nthe page shows: {line}\nbut the output was:\n" + "\n".join(output)
            )


def test_shown_lines_match_loosely_on_numbers_and_outcomes_only():
    pattern = shown_as_pattern("PASS x::a good call (calm, seed 0): score 90, won_back")
    assert pattern.match("PASS x::a good call (calm, seed 0): score 84, strained")
    assert not pattern.match("FAIL x::a good call (calm, seed 0): score 84, strained")
