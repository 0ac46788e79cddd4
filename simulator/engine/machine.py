"""The call's stage machine: scenario stages become `transitions` states, conditions become guards.

One trigger, `reply`, is fired after every seller reply; `transitions` takes the first transition
of the current stage whose condition holds. A second trigger, `hang_up`, leads from any stage to
`hung_up` (endings are final). The machine holds no call data: conditions read an injected `ReplyFacts`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from transitions import Machine

from simulator.content.models import Condition, Stage
from simulator.engine.mood import Mood

if TYPE_CHECKING:
    from transitions.core import StateIdentifier  # only in transitions' stubs

HUNG_UP = "hung_up"


@dataclass(frozen=True)
class ReplyFacts:
    """What a condition may look at: this reply, the call so far, the mood, the stage's clock."""

    behaviours: frozenset[str]
    so_far: frozenset[str]
    silent: bool
    vent_over: bool
    mood: Mood
    turns_in_stage: int
    goodbye: bool = False
    question: bool = False  # the reply ends by asking something


def holds(condition: Condition, facts: ReplyFacts) -> bool:
    """Whether every part of a condition is true of this reply."""
    checks = (
        not condition.any or bool(facts.behaviours.intersection(condition.any)),
        set(condition.all) <= facts.behaviours,
        facts.behaviours.isdisjoint(condition.none),
        set(condition.so_far) <= facts.so_far,
        condition.silent is None or condition.silent == facts.silent,
        condition.vent_over is None or condition.vent_over == facts.vent_over,
        condition.goodbye is None or condition.goodbye == facts.goodbye,
        condition.question is None or condition.question == facts.question,
        condition.temperature_at_least is None or facts.mood.temperature >= condition.temperature_at_least,
        condition.temperature_below is None or facts.mood.temperature < condition.temperature_below,
        condition.trust_at_least is None or facts.mood.trust >= condition.trust_at_least,
        condition.trust_below is None or facts.mood.trust < condition.trust_below,
        condition.turns_in_stage_at_least is None or facts.turns_in_stage >= condition.turns_in_stage_at_least,
    )
    return all(checks)


class StageMachine:
    """The stages of one call and the stage it is in."""

    def __init__(self, stages: Mapping[str, Stage], start: str) -> None:
        self.stages = dict(stages)
        if HUNG_UP not in self.stages:
            self.stages[HUNG_UP] = Stage(description="The buyer has hung up.", ending="lost")
        self._facts: ReplyFacts | None = None
        self.state: str  # kept by transitions
        self._machine = Machine(
            model=self,
            states=list(self.stages),
            initial=start,
            auto_transitions=False,
            ignore_invalid_triggers=True,
            model_attribute="state",
        )
        for name, stage in self.stages.items():
            if stage.ending:
                continue
            for transition in stage.transitions:
                self._machine.add_transition(
                    "reply", source=name, dest=transition.to, conditions=[self._guard(transition.when)]
                )
        open_stages: list[StateIdentifier] = [name for name, stage in self.stages.items() if not stage.ending]
        self._machine.add_transition("hang_up", source=open_stages, dest=HUNG_UP)

    def _guard(self, condition: Condition) -> Callable[[], bool]:
        return lambda: self._facts is not None and holds(condition, self._facts)

    @property
    def stage(self) -> Stage:
        """The current stage's definition."""
        return self.stages[self.state]

    def advance(self, facts: ReplyFacts) -> bool:
        """Fire the `reply` trigger with these facts; True when the stage changed."""
        before = self.state
        self._facts = facts
        fire = getattr(self, "reply", None)  # added by transitions, only if some stage has a transition
        if fire is None:
            return False
        try:
            fire()
        finally:
            self._facts = None
        return self.state != before

    def hang_up_now(self) -> None:
        """Move to `hung_up` whatever the stage."""
        if not self.stage.ending:
            self.hang_up()  # type: ignore[attr-defined]  # added by transitions
