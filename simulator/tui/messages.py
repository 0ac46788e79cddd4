"""Navigation messages: screens say what the trainee wants, the app decides which screen shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from simulator.tui.plan import Plan

if TYPE_CHECKING:
    from simulator.engine.call import Call
    from simulator.records.record import CallRecord


class BriefingRequested(Message):
    """Show the briefing of a plan, with before-call choices already made (a retry) or not."""

    def __init__(self, plan: Plan, choices: dict[str, str] | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.choices = dict(choices or {})


class CallRequested(Message):
    """Dial: start the call of a plan with the before-call choices made in the briefing."""

    def __init__(self, plan: Plan, choices: dict[str, str]) -> None:
        super().__init__()
        self.plan = plan
        self.choices = dict(choices)


class CallEnded(Message):
    """The call is over (ended, hung up by either side): show its debrief."""

    def __init__(self, plan: Plan, call: Call, call_id: int | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.call = call
        self.call_id = call_id  # the call's number in the store, when it was saved


class HomeRequested(Message):
    """Back to the scenario list."""


class HistoryRequested(Message):
    """Show the trainee's calls, figures, weak spots and next drill."""


class ReviewRequested(Message):
    """Show the debrief of a stored call again."""

    def __init__(self, record: CallRecord) -> None:
        super().__init__()
        self.record = record


class ResumeRequested(Message):
    """Go on with a stored call that was left unfinished."""

    def __init__(self, record: CallRecord) -> None:
        super().__init__()
        self.record = record
