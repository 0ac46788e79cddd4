"""Re-score saved calls with today's content and rubric: how to see what a rubric change does before rolling it out.

A saved call (`engine.script.SavedCall`) comes from the JSON of `badnews replay --json` (read here)
or from the records; `rescore()` never looks at where a call came from.

The call is played again through a fresh `Call`, so a changed detector, persona or stage machine
can end it sooner (the later replies are then not used) or let it run on (it stops at the last reply).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.engine.script import SavedCall
from simulator.files import UnreadableFile, read_text

if TYPE_CHECKING:
    from simulator.content.loader import Library
    from simulator.detect import Detector

MAX_SAVED_BYTES = 5 * 1024 * 1024  # a long call's replay JSON is ~100 KB


class SavedCallError(Exception):
    """A saved call that cannot be read or played again; the message names the source."""


@dataclass(frozen=True)
class Rescored:
    """A saved call's old and new verdicts."""

    call: SavedCall
    score: int
    passed: bool
    outcome: str
    replies_used: int

    @property
    def delta(self) -> int:
        """New score minus old."""
        return self.score - self.call.score

    def to_json(self) -> dict[str, Any]:
        """One entry of `rescore --json`."""
        return {
            "source": self.call.source,
            "scenario": self.call.scenario,
            "persona": self.call.persona,
            "seed": self.call.seed,
            "old_score": self.call.score,
            "new_score": self.score,
            "delta": self.delta,
            "old_passed": self.call.passed,
            "new_passed": self.passed,
            "outcome": self.outcome,
            "replies_used": self.replies_used,
            "replies_saved": len(self.call.replies),
        }


def read_replay_json(path: Path) -> SavedCall:
    """A saved call from a file written by `badnews replay --json`."""
    try:
        data = json.loads(read_text(path, MAX_SAVED_BYTES))
    except UnreadableFile as error:
        raise SavedCallError(f"{path}: {error}; not a saved call") from None
    except RecursionError:
        raise SavedCallError(f"{path}: nested too deep; not a saved call") from None
    except json.JSONDecodeError as error:
        raise SavedCallError(f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    return saved_call_from_json(data, str(path))


def saved_call_from_json(data: Any, source: str) -> SavedCall:
    """A saved call from the `replay --json` object; SavedCallError names what is missing or wrong."""
    from pydantic import ValidationError

    from simulator.scoring.result import CallResult

    if not isinstance(data, dict):
        raise SavedCallError(f"{source}: expected a JSON object from `badnews replay --json`")
    try:
        result = CallResult.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "the object"
        if first["type"] == "missing":
            raise SavedCallError(f"{source}: missing '{where}'; is this the output of `badnews replay --json`?") from None
        expected = {"int_parsing": "int", "int_type": "int", "string_type": "str", "list_type": "list", "dict_type": "dict"}
        wrong = f"should be {expected[first['type']]}" if first["type"] in expected else first["msg"].lower()
        raise SavedCallError(f"{source}: '{where}' {wrong}") from None
    return result.saved(source)


def rescore(saved: SavedCall, library: Library, detector: Detector | None = None) -> Rescored:
    """Play a saved call again with today's scenario, persona, detector and rubric, and score it."""
    from simulator.engine.script import ScriptError, replay_saved
    from simulator.scoring import score_call

    try:
        call = replay_saved(
            library, saved.scenario, saved.persona, saved.script(),
            seed=saved.seed, choices=saved.choices, detector=detector,
        )
    except ScriptError as error:
        raise SavedCallError(f"{saved.source}: {error}") from None
    report = score_call(call)
    return Rescored(saved, report.score, report.passed, report.outcome, len(call.seller_turns))


def result_line(result: Rescored) -> str:
    """'source  scenario/persona  old -> new (delta)', with a flipped verdict and a shorter call said."""
    call = result.call
    line = f"{call.source}  {call.scenario}/{call.persona}  {call.score} -> {result.score} ({result.delta:+d})"
    if call.passed is not None and call.passed != result.passed:
        line += f"  now {'passes' if result.passed else 'fails'}"
    if result.replies_used < len(call.replies):
        line += f"  (call now ends after reply {result.replies_used} of {len(call.replies)})"
    return line


def summary_line(results: list[Rescored], errors: int) -> str:
    """How many calls moved, by how much on average, and how many now pass or fail differently."""
    if not results:
        return f"no calls re-scored, {errors} error(s)"
    changed = sum(1 for r in results if r.delta)
    mean = sum(r.delta for r in results) / len(results)
    flipped = sum(1 for r in results if r.call.passed is not None and r.call.passed != r.passed)
    text = f"{len(results)} call(s) re-scored: {changed} changed, mean delta {mean:+.1f}, {flipped} verdict(s) flipped"
    return text + (f", {errors} error(s)" if errors else "")


def summary_json(results: list[Rescored], errors: list[str]) -> dict[str, Any]:
    """The whole `rescore --json` output."""
    return {
        "calls": [r.to_json() for r in results],
        "errors": errors,
        "summary": {
            "count": len(results),
            "changed": sum(1 for r in results if r.delta),
            "mean_delta": round(sum(r.delta for r in results) / len(results), 2) if results else 0.0,
            "flipped": sum(1 for r in results if r.call.passed is not None and r.call.passed != r.passed),
        },
    }
