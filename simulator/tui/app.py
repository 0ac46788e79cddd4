"""The Bad News Drill app: the screens wired together, built by one factory for the CLI and the tests.

Navigation: the home screen stays at the bottom of the stack and one drill screen sits on top of it
(briefing -> call -> debrief, each replacing the last); help is pushed over whatever shows.
Only the home screen is imported at start-up: the engine, the detector and the other screens load
when first needed, so `badnews` opens as fast as a bare Textual app.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Union

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from simulator.tui.messages import BriefingRequested, CallEnded, CallRequested, HomeRequested
from simulator.tui.plan import Plan
from simulator.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from simulator.content.loader import Library
    from simulator.engine.call import Call

LibrarySource = Union["Library", Callable[[], "Library"]]
# The detector loads in the background once the home screen has had time to draw.
WARM_UP_DELAY_SECONDS = 0.5
# How many broken content files a notification names before it just counts them.
PROBLEMS_SHOWN = 3


class BadNewsApp(App[int]):
    """Practise a bad-news call: home, briefing, call, debrief, help."""

    CSS_PATH = "app.tcss"
    TITLE = "Bad News Drill"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        library: LibrarySource,
        call: Call | None = None,
        *,
        pace: bool = True,
        best_scores: Mapping[str, int] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._library_source = library
        self.library: Library | None = None if callable(library) else library
        self.first_call = call
        self.pace = pace
        self.best_scores = dict(best_scores or {})
        self.clock = clock
        self.home = HomeScreen(self.library, self.best_scores)

    def get_default_screen(self) -> Screen:
        return self.home

    def on_mount(self) -> None:
        if self.library is None:
            # After the first paint: the loader thread would otherwise hold the GIL while the screen draws.
            self.call_after_refresh(self._load_library)
        else:
            self._library_ready()

    # --- loading, off the critical path -------------------------------------------------
    @work(thread=True, exit_on_error=False)
    def _load_library(self) -> None:
        try:
            library = self._library_source()  # type: ignore[operator]
        except Exception as error:  # noqa: BLE001 - shown in the app, never as a traceback
            self.call_from_thread(self.notify, f"Could not load the scenarios: {error}", severity="error", markup=False)
            return
        self.call_from_thread(self._library_loaded, library)

    def _library_loaded(self, library: Library) -> None:
        self.library = library
        self.home.show_library(library)
        self._library_ready()

    def _library_ready(self) -> None:
        assert self.library is not None
        problems = self.library.problems
        if problems:
            named = "\n".join(str(p) for p in problems[:PROBLEMS_SHOWN])
            more = f"\n(and {len(problems) - PROBLEMS_SHOWN} more)" if len(problems) > PROBLEMS_SHOWN else ""
            self.notify(
                f"Skipped {len(problems)} problem(s) in content files:\n{named}{more}",
                severity="warning",
                markup=False,
                timeout=15,
            )
        if self.first_call is not None:
            call = self.first_call
            self.post_message(
                BriefingRequested(Plan(call.scenario.id or "", call.persona.id or "", "train", call.seed))
            )
        else:
            self.set_timer(WARM_UP_DELAY_SECONDS, self._warm_up)

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        """Load the engine and the detector while the trainee reads the home screen."""
        try:
            from simulator.detect import default_detector

            default_detector()
        except Exception:  # noqa: BLE001 - a failure here shows when the call starts, with a message
            return

    # --- navigation ---------------------------------------------------------------------
    @property
    def drill_screen(self) -> Screen | None:
        """The briefing, call or debrief sitting on home (under any help or dialog), if one is."""
        stack = self.screen_stack
        return stack[1] if len(stack) > 1 and stack[0] is self.home else None

    def _show(self, screen: Screen) -> None:
        """Put a drill screen on top of home, replacing the drill screen there."""
        # Help or a dialog left open over the drill screen closes first: the stack stays home + one screen.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if self.screen is self.home:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def on_briefing_requested(self, message: BriefingRequested) -> None:
        from simulator.tui.screens.briefing import BriefingScreen

        assert self.library is not None
        plan = message.plan
        try:
            scenario, persona = self.library.scenario(plan.scenario_id), self.library.persona(plan.persona_id)
        except LookupError as error:
            self.notify(str(error.args[0]), severity="error", markup=False)
            return
        self._show(BriefingScreen(scenario, persona, plan, message.choices))

    def on_call_requested(self, message: CallRequested) -> None:
        call, self.first_call = self.first_call, None
        plan = message.plan
        if call is not None and (call.scenario.id, call.persona.id, call.seed) == (
            plan.scenario_id,
            plan.persona_id,
            plan.seed,
        ):
            call.choices.update(message.choices)
            self._start_call(plan, call)
        else:
            self._dial(plan, message.choices)

    @work(thread=True, exit_on_error=False, group="dial")
    def _dial(self, plan: Plan, choices: dict[str, str]) -> None:
        """Build the call off the UI thread: the first one loads the detector."""
        try:
            from simulator.engine.call import Call

            assert self.library is not None
            scenario, persona = self.library.scenario(plan.scenario_id), self.library.persona(plan.persona_id)
            call = Call(scenario, persona, seed=plan.seed, choices=dict(choices))
        except Exception as error:  # noqa: BLE001 - shown in the app, never as a traceback
            self.call_from_thread(self.notify, f"Could not start the call: {error}", severity="error", markup=False)
            return
        self.call_from_thread(self._dialled, plan, call)

    def _dialled(self, plan: Plan, call: Call) -> None:
        """The call is ready: start it, unless the trainee has left the briefing meanwhile."""
        from simulator.tui.screens.briefing import BriefingScreen

        drill = self.drill_screen
        if isinstance(drill, BriefingScreen) and drill.plan == plan:
            self._start_call(plan, call)

    def _start_call(self, plan: Plan, call: Call) -> None:
        from simulator.tui.screens.call import CallScreen

        self._show(CallScreen(call, plan, pace=self.pace, clock=self.clock))

    def on_call_ended(self, message: CallEnded) -> None:
        from simulator.tui.screens.debrief import DebriefScreen

        self._show(DebriefScreen(message.call, message.plan))

    def on_home_requested(self, message: HomeRequested) -> None:
        while self.screen is not self.home:
            self.pop_screen()

    def action_help(self) -> None:
        """The rubric and the doctrine behind it, over any screen."""
        from simulator.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "The rubric and the doctrine behind it", self.action_help)
        commands = getattr(screen, "commands", None)
        if callable(commands):
            yield from commands()


def make_app(
    library: LibrarySource,
    call: Call | None = None,
    *,
    pace: bool = True,
    best_scores: Mapping[str, int] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> BadNewsApp:
    """The app, for the CLI and the tests alike; `library` may be a loader called off the UI thread."""
    return BadNewsApp(library, call, pace=pace, best_scores=best_scores, clock=clock)


def run_app(library: LibrarySource, call: Call | None = None, *, best_scores: Mapping[str, int] | None = None) -> int:
    """Run the app in the terminal until the trainee quits; returns the exit code."""
    app = make_app(library, call, best_scores=best_scores)
    app.run()
    return app.return_code or 0
