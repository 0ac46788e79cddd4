"""The order in which a before-call question's options are shown: shuffled once per scenario and question.

Authors tend to write the right answer first; a rep who notices passes the quiz blind. So every
view (the app's briefing, the plain brief) shows the options in an order fixed by a hash of the
scenario, the question and the option, the same on every machine and every run, and different from
one question to the next.
"""

from __future__ import annotations

import hashlib

from simulator.content.models import BeforeCallChoice, ChoiceOption


def shown_options(scenario_id: str, choice_id: str, choice: BeforeCallChoice) -> list[ChoiceOption]:
    """The options of a question in the order they are shown."""

    def key(option: ChoiceOption) -> str:
        return hashlib.sha256(f"{scenario_id}\0{choice_id}\0{option.id}".encode()).hexdigest()

    return sorted(choice.options, key=key)
