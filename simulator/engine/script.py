"""Playing a scripted call: the one way replay, examples, rescoring, resuming and calibration feed a Call.

A saved call (`SavedCall`) is what is needed to play a call again: scenario, persona, seed, before-call
choices and the seller's replies with their talked-over flags. The engine is deterministic, so
playing those through a fresh `Call` rebuilds the call exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from simulator.content.loader import Library
from simulator.content.models import Persona, Scenario
from simulator.detect import Detector
from simulator.engine.call import Call
from simulator.text import clip_reply

# What a script line may say for "the seller stays silent", besides an empty line.
SILENCE_MARKERS = frozenset({"...", "…"})


def as_reply(line: str) -> str:
    """A script line as the seller says it: one line, bounded, and '...' read as silence."""
    reply = clip_reply(line)
    return "" if reply.strip() in SILENCE_MARKERS else reply


def unknown_choice(scenario: Scenario, choices: Mapping[str, str]) -> str | None:
    """The first `choice=option` that the scenario does not offer, or None when all fit."""
    for choice_id, option_id in choices.items():
        choice = scenario.choices.get(choice_id)
        if choice is None or option_id not in [o.id for o in choice.options]:
            return f"{choice_id}={option_id}"
    return None


def play_script(
    scenario: Scenario,
    persona: Persona,
    replies: Iterable[str | tuple[str, bool]],
    *,
    seed: int = 0,
    choices: Mapping[str, str] | None = None,
    detector: Detector | None = None,
    stop_reason: str | None = "script ended",
) -> Call:
    """Open a call and play the replies until they run out or the call ends.

    A reply may be `(text, interrupted)` where the app recorded that it talked over the buyer.
    With `stop_reason=None` an unfinished call is left open, to be resumed.
    """
    call = Call(scenario, persona, seed=seed, choices=dict(choices or {}), detector=detector)
    call.open()
    for reply in replies:
        if call.over:
            break
        text, interrupted = reply if isinstance(reply, tuple) else (reply, False)
        call.reply(as_reply(text), interrupted=interrupted)
    if stop_reason is not None:
        call.stop(stop_reason)
    return call


@dataclass(frozen=True)
class SavedCall:
    """A call as it was played: enough to play it again, and the score it got then."""

    source: str  # where it came from: a file path, or "call 12" in the records
    scenario: str
    persona: str
    seed: int
    choices: Mapping[str, str]
    replies: tuple[str, ...]
    score: int
    passed: bool | None = None
    interrupted: tuple[bool, ...] = ()  # per reply: the app saw it talk over the buyer

    def script(self) -> list[tuple[str, bool]]:
        """The replies as `play_script` takes them, with their talked-over flags."""
        flags = (*self.interrupted, *([False] * (len(self.replies) - len(self.interrupted))))
        return list(zip(self.replies, flags, strict=True))


class ScriptError(ValueError):
    """A saved call that no longer fits today's content: a scenario, persona or choice is gone."""


def replay_saved(
    library: Library,
    scenario_id: str,
    persona_id: str,
    replies: Iterable[str | tuple[str, bool]],
    *,
    seed: int = 0,
    choices: Mapping[str, str] | None = None,
    detector: Detector | None = None,
    stop_reason: str | None = "script ended",
) -> Call:
    """`play_script` for a call saved by id: the ids and choices are checked against today's content first."""
    try:
        scenario = library.scenario(scenario_id)
        persona = library.persona(persona_id)
    except LookupError as error:
        raise ScriptError(error.args[0]) from None
    unknown = unknown_choice(scenario, choices or {})
    if unknown:
        raise ScriptError(f"scenario '{scenario.id}' no longer has choice {unknown}")
    return play_script(
        scenario, persona, replies, seed=seed, choices=choices, detector=detector, stop_reason=stop_reason
    )
