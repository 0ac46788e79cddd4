"""What the trainee picked on the home screen: the call to practise, the buyer, and when feedback comes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from simulator.status import Mode

MODE_HELP: dict[Mode, str] = {
    Mode.TRAIN: "Train: coaching after each reply",
    Mode.EXAM: "Exam: feedback at the end only",
}


@dataclass(frozen=True)
class Plan:
    """One attempt's settings; a retry is the same plan with the next seed, so the buyer's words vary."""

    scenario_id: str
    persona_id: str
    mode: Mode = Mode.TRAIN
    seed: int = 0

    def next_attempt(self) -> Plan:
        """The plan of the retry: same call, same buyer, other words."""
        return replace(self, seed=self.seed + 1)
