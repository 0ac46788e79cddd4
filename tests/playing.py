"""Test helpers shared by the records and app tests: a fixed clock, and calls played into a store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from simulator.engine.call import Call
from simulator.records.recorder import CallRecorder
from simulator.records.store import CallStore


class Ticker:
    """A clock that moves one `step` on each reading, so calls have distinct, ordered, repeatable times."""

    def __init__(self, start: datetime, step: timedelta) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


def play_into(
    store: CallStore,
    library,
    replies: Sequence[str],
    *,
    scenario: str = "late-shipment",
    persona: str = "calm",
    seed: int = 0,
    trainee: str = "ana",
    choices: Mapping[str, str] | None = None,
    end: bool = True,
    stop_reason: str = "input ended",
    abandon: bool = False,
) -> CallRecorder:
    """Play `replies`, saving after every turn as the app and the plain mode do.

    `end` stops the call with `stop_reason`; otherwise it is left in progress, or abandoned with `abandon`.
    """
    call = Call(library.scenario(scenario), library.persona(persona), seed=seed, choices=dict(choices or {}))
    call.open()
    recorder = CallRecorder.start(store, call, trainee)
    for reply in replies:
        if call.over:
            break
        call.reply(reply)
        assert recorder.save() is None
    if end:
        call.stop(stop_reason)
        assert recorder.save() is None
    elif abandon:
        assert recorder.abandon() is None
    return recorder


def past_the_news(library, scenario_id: str, persona: str, *, seed: int = 0) -> Call:
    """A call in which the rep has said the scenario's own news (its `states_the_news` tip) and let it land."""
    scenario = library.scenario(scenario_id)
    call = Call(scenario, library.persona(persona), seed=seed)
    call.open()
    for reply in (scenario.tips["states_the_news"], "", ""):
        if call.over:
            break
        call.reply(reply)
    return call


def laid_out(scenario) -> str:
    """The scenario's options named in one breath, by the first phrase of each: "a; or b; or c"."""
    return "; or ".join(option.phrases[0] if option.phrases else option.text for option in scenario.options)
