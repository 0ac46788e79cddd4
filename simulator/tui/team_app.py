"""The trainer's app (`badnews team` at a terminal): the Team screen, and the annotated debrief of any call.

A small app of its own rather than a mode of the trainee's: it plays no calls and writes nothing. The
calls are read before it starts (`records.team.team_view`); the content files load in the background,
since only opening a call needs them: a stored call is rebuilt from its replies, as History does, and
shown on the same debrief screen, where Esc comes back here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Union

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from simulator.text import visible
from simulator.tui.messages import BriefingRequested, HomeRequested, ReviewRequested
from simulator.tui.plan import Plan
from simulator.tui.screens.team import TeamScreen

if TYPE_CHECKING:
    from simulator.content.loader import Library
    from simulator.engine.call import Call
    from simulator.records.record import CallRecord
    from simulator.records.team import TeamView
    from simulator.tui.review import Review

LibrarySource = Union["Library", Callable[[], "Library"]]
# Reads one whole call (replies and debrief) by id: the view holds summaries (`CallStore.summaries`).
CallReader = Callable[[int], "CallRecord"]
PLAYS_NO_CALLS = "The trainer's view plays no calls: a trainee plays with `badnews`."


class TeamApp(App[int]):
    """The Team screen over a team's calls; Enter on a call opens its debrief."""

    CSS_PATH = "app.tcss"
    TITLE = "Bad News Drill"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, view: TeamView, library: LibrarySource, *, source: str = "",
                 read_call: CallReader | None = None) -> None:
        super().__init__()
        self.view = view
        self.read_call = read_call
        self.source = source
        self._library_source = library
        self.library: Future[Library] = Future()  # resolved once the content files are loaded
        if not callable(library):
            self.library.set_result(library)
        self.team = TeamScreen(view, source)

    def get_default_screen(self) -> Screen:
        return self.team

    def on_mount(self) -> None:
        if not self.library.done():
            self.call_after_refresh(self._load_library)

    @work(thread=True, exit_on_error=False, group="library")
    def _load_library(self) -> None:
        try:
            self.library.set_result(self._library_source())  # type: ignore[operator]
        except Exception as error:
            self.library.set_exception(error)

    def on_review_requested(self, message: ReviewRequested) -> None:
        self._review(message.record)

    @work(thread=True, exit_on_error=False, group="review")
    def _review(self, record: CallRecord) -> None:
        """Rebuild a stored call off the UI thread (its replies go through the engine again)."""
        from simulator.tui.review import review_of

        try:
            if record.summary:
                if self.read_call is None:
                    raise ValueError("only its summary was read")
                record = self.read_call(record.id)
            call, review = review_of(record, self.library.result())
        except Exception as error:
            self.call_from_thread(self.notify, visible(f"Cannot show call {record.id}: {error}"),
                                  severity="error", markup=False)
            return
        self.call_from_thread(self._reviewed, record, call, review)

    def _reviewed(self, record: CallRecord, call: Call, review: Review) -> None:
        from simulator.tui.screens.debrief import DebriefScreen

        if self.screen is self.team:  # still there: the trainer has not opened another call meanwhile
            plan = Plan(record.scenario, record.persona, record.mode, record.seed)
            self.push_screen(DebriefScreen(call, plan, review))

    def on_home_requested(self, message: HomeRequested) -> None:
        while self.screen is not self.team:
            self.pop_screen()

    def on_briefing_requested(self, message: BriefingRequested) -> None:
        self.notify(PLAYS_NO_CALLS, severity="warning", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        commands = getattr(screen, "commands", None)
        if callable(commands):
            yield from commands()


def make_team_app(view: TeamView, library: LibrarySource, *, source: str = "",
                  read_call: CallReader | None = None) -> TeamApp:
    """The trainer's app, for the CLI and the tests alike; `library` may be a loader called off the UI thread,
    `read_call` reads a whole call when the view holds summaries."""
    return TeamApp(view, library, source=source, read_call=read_call)


def run_team_app(view: TeamView, library: LibrarySource, *, source: str = "",
                 read_call: CallReader | None = None) -> int:
    """Run the trainer's app in the terminal until it is quit; returns the exit code."""
    app = make_team_app(view, library, source=source, read_call=read_call)
    app.run()
    return app.return_code or 0
