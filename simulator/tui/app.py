"""The Bad News Drill app: the screens wired together, built by one factory for the CLI and the tests.

Navigation: the home screen stays at the bottom of the stack and one drill screen sits on top of it
(briefing -> call -> debrief, each replacing the last, or the history); help is pushed over whatever
shows, and a stored call's review over the history. Only the home screen is imported at start-up: the
engine, the detector, the calls database and the other screens load when first needed, so `badnews`
opens as fast as a bare Textual app.

Every call is kept in the calls database (see `keeper.py`): opened once the scenarios are on screen,
written after every reply, kept as abandoned when the trainee quits mid-call. If it cannot be opened
the app says so and plays on without saving.

Served to a class (`badnews serve`, with a `SignIn`), the app opens on the sign-in screen instead, which
home replaces once the rep is in; the calls database is opened only then, for that rep's name and group.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Union

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen

from simulator.status import Mode
from simulator.tui.messages import (
    BriefingRequested,
    CallEnded,
    CallRequested,
    HistoryRequested,
    HomeRequested,
    ResumeRequested,
    ReviewRequested,
)
from simulator.tui.plan import Plan
from simulator.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from simulator.content.loader import Library
    from simulator.engine.call import Call
    from simulator.records.record import CallRecord
    from simulator.tui.keeper import CallKeeper, CallRecording
    from simulator.tui.review import Review
    from simulator.tui.signin import Rep, Seat, SignIn
    from simulator.tui.widgets.clock import ElapsedClock

LibrarySource = Union["Library", Callable[[], "Library"]]
# The detector loads in the background once the home screen has had time to draw.
WARM_UP_DELAY_SECONDS = 0.5
# How many broken content files a notification names before it just counts them.
PROBLEMS_SHOWN = 3
# A damaged calls file set aside is news the trainee must have time to read.
NOTICE_SECONDS = 20


class BadNewsApp(App[int]):
    """Practise a bad-news call: home, briefing, call, debrief, history, help."""

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
        clock: Callable[[], float] = time.monotonic,
        data_dir: Path | None = None,
        trainee: str | None = None,
        mode: Mode = Mode.TRAIN,
        sign_in: SignIn | None = None,
    ) -> None:
        super().__init__()
        self.first_mode: Mode = mode
        self.sign_in = sign_in  # served to a class: the rep signs in first, and is the trainee from then on
        self.signed_in = sign_in is None
        self._group: str | None = None  # the signed-in group; None: the command line's (`--group`)
        self._seat: Seat | None = None  # the rep's name, held for this process while the app runs
        self._library_source = library
        self.library: Library | None = None if callable(library) else library
        self.first_call = call
        self.pace = pace
        self.clock = clock
        self._data_dir = data_dir
        self._trainee = trainee
        self._keeper: CallKeeper | None = None
        self.home = HomeScreen(self.library)

    @property
    def parting(self) -> list[str]:
        """What to tell the trainee in the terminal once the app has closed (`run_app` prints it)."""
        return self._keeper.parting if self._keeper is not None else []

    def get_default_screen(self) -> Screen:
        return self.home

    # --- text on screen from files and users --------------------------------------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (the screens' too), its escape sequences shown, never obeyed: messages quote files."""
        from simulator.text import visible, visible_lines

        super().notify(visible_lines(message), title=visible(title), severity=severity, timeout=timeout, markup=markup)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's title and subtitle (a scenario's title), shown harmlessly whichever screen set them."""
        from simulator.text import visible

        return super().format_title(visible(title), visible(sub_title))

    def on_mount(self) -> None:
        if self.sign_in is not None:
            from simulator.tui.signin import SignInScreen

            self.push_screen(SignInScreen(self.sign_in), self._signed_in)  # over home, before the first paint
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
        except Exception as error:
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
        if self.first_call is None:
            self.set_timer(WARM_UP_DELAY_SECONDS, self._warm_up)  # while the rep signs in, too
        if self.signed_in:
            self._begin()

    def _begin(self) -> None:
        """The scenarios are loaded and the trainee is known: open their calls, and brief a call given at start."""
        # Only now: opening the database earlier competes with the first frames for the GIL. A call started
        # before it is open waits for it on the records thread, never on the screen.
        self.call_after_refresh(self._open_records)
        if self.first_call is not None:
            call = self.first_call
            self.post_message(
                BriefingRequested(Plan(call.scenario.id or "", call.persona.id or "", self.first_mode, call.seed))
            )

    def _signed_in(self, rep: Rep | None) -> None:
        """The rep is in (the sign-in screen has closed on home): their calls are kept under their name and group."""
        assert rep is not None
        self.signed_in = True
        self._trainee, self._group, self._seat = rep.name, rep.group, rep.seat
        self.sub_title = " \u00b7 ".join(part for part in (rep.name, rep.group) if part)  # the header: who is in
        if self.library is not None:
            self._begin()  # else once the scenarios are loaded

    # --- the calls database, on its own thread ------------------------------------------
    @property
    def keeper(self) -> CallKeeper:
        """Where the trainee's calls are kept; made when first needed, so start-up does not load it."""
        if self._keeper is None:
            from simulator.tui.keeper import CallKeeper

            self._keeper = CallKeeper(self._data_dir, self._trainee, self._group)
        return self._keeper

    @work(group="records")
    async def _open_records(self) -> None:
        for message in await asyncio.wrap_future(self.keeper.open()):
            self.notify(message, title="Your calls", severity="warning", markup=False, timeout=NOTICE_SECONDS)
        self._show_best_scores()
        if self.sign_in is not None:
            unfinished = await asyncio.wrap_future(self.keeper.unfinished())
            if unfinished:
                calls = "an unfinished call" if len(unfinished) == 1 else f"{len(unfinished)} unfinished calls"
                self.notify(
                    f"You have {calls}: h opens your History, where r goes on with one.",
                    title="Welcome back",
                    markup=False,
                    timeout=NOTICE_SECONDS,
                )

    @work(group="best-scores", exclusive=True)
    async def _show_best_scores(self) -> None:
        """Read the best scores (after any save still running) and put them on the home screen."""
        self.home.show_best_scores(await asyncio.wrap_future(self.keeper.best_scores()))

    def on_unmount(self) -> None:
        if self._keeper is not None:
            self._keeper.close()  # the saves already asked for are written before the app ends
        if self._seat is not None:
            self._seat.release()  # after the saves: signed in again elsewhere, the rep finds the call left here

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        """Load the engine and the detector while the trainee reads the home screen."""
        try:
            from simulator.detect import default_detector

            default_detector()
        except Exception:
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

    def _library_or_say(self) -> Library | None:
        """The library, or None after telling the trainee it is still loading."""
        if self.library is None:
            self.notify("The scenarios are still loading.", severity="warning")
        return self.library

    def on_briefing_requested(self, message: BriefingRequested) -> None:
        from simulator.tui.screens.briefing import BriefingScreen

        if self._library_or_say() is None:
            return
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
        except Exception as error:
            self.call_from_thread(self.notify, f"Could not start the call: {error}", severity="error", markup=False)
            return
        self.call_from_thread(self._dialled, plan, call)

    def _dialled(self, plan: Plan, call: Call) -> None:
        """The call is ready: start it, unless the trainee has left the briefing meanwhile."""
        from simulator.tui.screens.briefing import BriefingScreen

        drill = self.drill_screen
        if isinstance(drill, BriefingScreen) and drill.plan == plan:
            self._start_call(plan, call)

    def _start_call(self, plan: Plan, call: Call, recording: CallRecording | None = None) -> None:
        from simulator.tui.screens.call import CallScreen

        if recording is None:
            recording = self.keeper.record(call, plan.mode)
        self._show(CallScreen(call, plan, pace=self.pace, clock=self.clock, recording=recording))

    def on_call_ended(self, message: CallEnded) -> None:
        from simulator.tui.screens.debrief import DebriefScreen

        self._show(DebriefScreen(message.call, message.plan, keeper=self.keeper, call_id=message.call_id))

    def on_home_requested(self, message: HomeRequested) -> None:
        while self.screen is not self.home:
            self.pop_screen()
        self._show_best_scores()

    # --- the history ---------------------------------------------------------------------
    def on_history_requested(self, message: HistoryRequested) -> None:
        from simulator.tui.screens.history import HistoryScreen

        self._show(HistoryScreen(self.keeper, self.library))

    def on_review_requested(self, message: ReviewRequested) -> None:
        if self._library_or_say() is not None:
            self._review(message.record)

    @work(thread=True, exit_on_error=False, group="review")
    def _review(self, record: CallRecord) -> None:
        """Rebuild a stored call off the UI thread (its replies go through the engine again)."""
        from simulator.tui.review import review_of

        assert self.library is not None
        try:
            call, review = review_of(record, self.library)
        except Exception as error:
            self.call_from_thread(self.notify, f"Cannot show call {record.id}: {error}", severity="error", markup=False)
            return
        self.call_from_thread(self._reviewed, record, call, review)

    def _reviewed(self, record: CallRecord, call: Call, review: Review) -> None:
        from simulator.tui.screens.debrief import DebriefScreen
        from simulator.tui.screens.history import HistoryScreen

        if isinstance(self.screen, HistoryScreen):  # still there: the trainee has not gone elsewhere meanwhile
            plan = Plan(record.scenario, record.persona, record.mode, record.seed)
            self.push_screen(DebriefScreen(call, plan, review, keeper=self.keeper))

    def on_resume_requested(self, message: ResumeRequested) -> None:
        if self._library_or_say() is not None:
            self._resume(message.record)

    @work(group="resume", exclusive=True)
    async def _resume(self, record: CallRecord) -> None:
        """Rebuild the stored call on the records thread, then go on with it on the call screen."""
        from simulator.tui.screens.history import HistoryScreen

        assert self.library is not None
        try:
            recording = await asyncio.wrap_future(self.keeper.resume(record, self.library))
        except Exception as error:
            self.notify(f"Cannot resume call {record.id}: {error}", severity="error", markup=False)
            return
        if recording.changed:
            self.notify(
                "The scenario or persona changed since this call was played: the buyer's lines may differ.",
                severity="warning",
                markup=False,
            )
        if isinstance(self.drill_screen, HistoryScreen):
            plan = Plan(record.scenario, record.persona, record.mode, record.seed)
            self._start_call(plan, recording.call, recording)

    def action_help(self) -> None:
        """The rubric and the doctrine behind it, over any screen."""
        from simulator.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            clock = self._call_clock()
            if clock is not None:
                clock.pause()  # reading the rubric is not time on the call
            self.push_screen(HelpScreen())  # the call screen resumes its clock when it is back on top

    def _call_clock(self) -> ElapsedClock | None:
        """The clock of the call on screen, if a call is."""
        from simulator.tui.screens.call import CallScreen
        from simulator.tui.widgets.clock import ElapsedClock

        screen = self.screen
        if isinstance(screen, CallScreen) and not screen.call.over:
            return screen.query_one(ElapsedClock)
        return None

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
    clock: Callable[[], float] = time.monotonic,
    data_dir: Path | None = None,
    trainee: str | None = None,
    mode: Mode = Mode.TRAIN,
    sign_in: SignIn | None = None,
) -> BadNewsApp:
    """The app, for the CLI and the tests alike; `library` may be a loader called off the UI thread.

    Calls are kept in `data_dir` (default: $BADNEWS_DATA_DIR, else the user's data folder) under
    `trainee` (default: the user name). `mode` is the mode a call given here is played in. With `sign_in`
    (a served class), the rep signs in first and their name and group replace `trainee` and `--group`.
    """
    return BadNewsApp(
        library, call, pace=pace, clock=clock, data_dir=data_dir, trainee=trainee, mode=mode, sign_in=sign_in
    )


def run_app(
    library: LibrarySource,
    call: Call | None = None,
    *,
    data_dir: Path | None = None,
    trainee: str | None = None,
    mode: Mode = Mode.TRAIN,
    sign_in: SignIn | None = None,
) -> int:
    """Run the app in the terminal (or a browser's, under `badnews serve`) until the trainee quits; the exit code."""
    app = make_app(library, call, data_dir=data_dir, trainee=trainee, mode=mode, sign_in=sign_in)
    app.run()
    for message in app.parting:
        print(message)
    return app.return_code or 0
