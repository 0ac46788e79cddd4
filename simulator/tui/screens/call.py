"""The call: a chat with the buyer, paced like speech, with their mood, the stage and the time on screen."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static
from textual.worker import Worker

from simulator.engine.call import Call, Turn
from simulator.status import NOT_KEPT, Mode
from simulator.text import MAX_REPLY_CHARS, clip_reply, visible
from simulator.tui.keeper import CallRecording
from simulator.tui.messages import CallEnded
from simulator.tui.plan import Plan
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.widgets.chat import ChatLog
from simulator.tui.widgets.clock import ElapsedClock
from simulator.tui.widgets.coach import coaching_note
from simulator.tui.widgets.meters import TemperatureGauge, TrustBar
from simulator.tui.widgets.reply import ReplyInput
from simulator.tui.widgets.speaking import TypingIndicator

# Speech pacing: a buyer's line takes about as long to "say" as to read, within these bounds.
SECONDS_PER_CHAR = 0.03
MIN_SPEECH_SECONDS = 0.8
MAX_SPEECH_SECONDS = 4.0
# A buyer who starts with "..." is taking the apology in: an extra beat of silence first.
PROCESSING_PAUSE_SECONDS = 1.0
PLACEHOLDER = "Your reply. Enter sends; an empty Enter (or Ctrl+S) stays silent."
# How long quitting mid-call waits for the call to be kept as abandoned (a busy database waits up to 10 s).
LEAVE_WAIT_SECONDS = 12.0
# How long a failed save stays on screen.
SAVE_NOTICE_SECONDS = 10


def _say_saving(app: App, message: str | None) -> None:
    """A records message (a save that failed, or works again) as a notification; user paths are never markup."""
    if message:
        app.notify(message, title="Saving", severity="warning", markup=False, timeout=SAVE_NOTICE_SECONDS)


def speech_seconds(text: str) -> float:
    """How long the buyer takes to say a line."""
    seconds = min(MAX_SPEECH_SECONDS, max(MIN_SPEECH_SECONDS, len(text) * SECONDS_PER_CHAR))
    return seconds + (PROCESSING_PAUSE_SECONDS if text.startswith("...") else 0.0)


class CallScreen(Screen):
    """The live call: the trainee types, the buyer answers after a pause, the meters move.

    With a `recording`, the call is saved after every reply (before the buyer's answer shows), when it
    ends, and as abandoned when the trainee quits mid-call. A resumed call comes with its transcript so far.
    """

    AUTO_FOCUS = "#reply"
    BINDINGS = [
        Binding("ctrl+s", "silence", "Stay silent"),
        Binding("f2", "facts", "Facts"),
        Binding("escape", "hang_up", "Hang up"),
        Binding("escape", "debrief", "Debrief"),
    ]

    speaking: reactive[bool] = reactive(False)
    """The buyer is still saying a line (the typing indicator is on)."""
    busy: reactive[bool] = reactive(False)
    """The engine is working out the buyer's answer."""

    def __init__(
        self,
        call: Call,
        plan: Plan,
        *,
        pace: bool,
        clock: Callable[[], float],
        recording: CallRecording | None = None,
    ) -> None:
        super().__init__()
        self.call = call
        self.plan = plan
        self.recording = recording
        self.pace = pace
        self._clock = clock
        self._pending: Turn | None = None
        self._speech: Worker | None = None
        self.buyer_name = visible(call.scenario.buyer.first_name)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="call-status"):
            with Horizontal(classes="meters"):
                yield TemperatureGauge(self.call.mood.temperature, id="temperature")
                yield TrustBar(self.call.mood.trust, id="trust")
            with Horizontal(classes="status-line"):
                yield Static("", id="stage")
                yield Static(self.plan.mode.capitalize(), id="call-mode")
                yield ElapsedClock(self._clock, id="elapsed")
        yield ChatLog(id="chat")
        yield TypingIndicator(id="typing")
        yield ReplyInput(id="reply", placeholder=PLACEHOLDER, max_length=MAX_REPLY_CHARS)
        yield Button("See the debrief \u25b8", id="to-debrief", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = visible(self.call.scenario.title)
        self.query_one("#to-debrief").display = False
        self.query_one(ElapsedClock).start()
        if self.call.transcript:
            self._show_so_far()
            opening = self.call.transcript[-1]
        else:
            opening = self.call.open()
        if self.recording is not None:
            self._tell(self.recording.start())
        self._show_stage()
        self._speak(opening)

    def _show_so_far(self) -> None:
        """A resumed call: every line before the buyer's last one, as it was said."""
        chat = self.query_one(ChatLog)
        chat.add_notice("Resumed: the call so far")
        previous = None
        for turn in self.call.transcript[:-1]:
            if turn.speaker == "buyer":
                chat.add_buyer(self.buyer_name, turn.text)
            else:
                chat.add_seller(turn.text)
                if self.plan.mode is Mode.TRAIN:
                    chat.add_coaching(coaching_note(turn, self.buyer_name, previous))
                previous = turn

    def _tell(self, future: Future[str | None]) -> None:
        """Show what a records job has to say (a failed save), once it is done."""
        app = self.app

        async def tell() -> None:
            _say_saving(app, await asyncio.wrap_future(future))

        app.run_worker(tell(), group="records")  # on the app: a save at hang-up is told over the debrief

    # --- the trainee's side ------------------------------------------------------------
    @on(Input.Submitted, "#reply")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.send(event.value):
            event.input.clear()

    def on_screen_resume(self) -> None:
        """Back on top (help closed): a clock paused for the help counts on."""
        self.query_one(ElapsedClock).resume()

    def action_facts(self) -> None:
        """The brief, facts and options, over the call: the clock keeps running."""
        from simulator.tui.screens.facts import FactsScreen

        self.app.push_screen(FactsScreen(self.call.scenario, self.call.persona))

    def action_silence(self) -> None:
        """Stay silent: let the buyer fill the pause."""
        self.send("")

    def send(self, text: str) -> bool:
        """Say `text` ("" is silence); False when it cannot be said now (engine busy, call over)."""
        if self.call.over or self.busy:
            self.app.bell()
            return False
        reply = clip_reply(text)
        # Talking while the buyer is still venting interrupts them, whatever the words; silence never does.
        interrupted = self.speaking and self.call.buyer_is_venting and bool(reply.strip())
        if self.speaking:
            self._stop_speaking(cut_off=interrupted)
        self.query_one(ChatLog).add_seller(reply)
        self.busy = True
        self._think(reply, interrupted)
        return True

    @work(thread=True, group="engine", exit_on_error=False)
    def _think(self, reply: str, interrupted: bool) -> None:
        """The engine off the UI thread, then the save: the reply is on disk before the buyer's answer shows."""
        recording = self.recording
        if recording is not None:
            recording.start().result()  # the records thread never reads the call while the engine changes it
        try:
            answer = self.call.reply(reply, interrupted=interrupted)
        except Exception as error:
            self.app.call_from_thread(self._engine_failed, error)
            return
        message = recording.save().result() if recording is not None else None
        self.app.call_from_thread(self._answered, answer, message)

    def _answered(self, answer: Turn, message: str | None = None) -> None:
        self.busy = False
        _say_saving(self.app, message)
        reply = self.call.transcript[answer.index - 1]
        if self.plan.mode is Mode.TRAIN:
            replies = self.call.seller_turns
            previous = replies[-2] if len(replies) >= 2 else None
            self.query_one(ChatLog).add_coaching(coaching_note(reply, self.buyer_name, previous))
        move = reply.move
        self.query_one(TemperatureGauge).show(self.call.mood.temperature, move.temperature if move else 0)
        self.query_one(TrustBar).show(self.call.mood.trust, move.trust if move else 0)
        self._show_stage()
        self._speak(answer)

    def _engine_failed(self, error: Exception) -> None:
        self.busy = False
        self.notify(
            f"The call engine failed ({type(error).__name__}: {error}). The debrief scores the replies so far.",
            severity="error",
            markup=False,
        )
        self.call.stop("engine error")
        self._save()
        self._ended()

    # --- the buyer's side --------------------------------------------------------------
    def _speak(self, turn: Turn) -> None:
        """Say a buyer line: at once without pacing, else after a typing indicator."""
        self._pending = turn
        if not self.pace:
            self._stop_speaking()
            return
        self.speaking = True
        self.query_one(TypingIndicator).start(self.buyer_name)
        self._speech = self.run_worker(self._say(speech_seconds(turn.text)), group="speech", exclusive=True)

    async def _say(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self._speech = None
        self._stop_speaking()

    def _stop_speaking(self, *, cut_off: bool = False) -> None:
        """The pending line is said (in full, or cut off by the trainee)."""
        if self._speech is not None:
            self._speech.cancel()
            self._speech = None
        turn, self._pending = self._pending, None
        self.speaking = False
        self.query_one(TypingIndicator).stop()
        if turn is None:
            return
        self.query_one(ChatLog).add_buyer(self.buyer_name, turn.text, cut_off=cut_off)
        if self.call.over:
            self._ended()

    def _show_stage(self) -> None:
        stage = self.call.stage
        hint = visible(self.call.stage_info.description) if self.plan.mode is Mode.TRAIN else ""  # a scenario's words
        parts: list[str | tuple[str, str]] = [("Stage ", "dim"), (stage.replace("_", " "), "bold $accent")]
        if hint:
            parts.append((f" \u00b7 {hint}", "dim"))
        self.query_one("#stage", Static).update(Content.assemble(*parts))

    # --- the end -----------------------------------------------------------------------
    def _ended(self) -> None:
        """The call is over: stop the clock, say how it ended, offer the debrief."""
        self.query_one(ElapsedClock).stop()
        chat = self.query_one(ChatLog)
        if self.call.ended_by == "buyer hung up":
            chat.add_notice(f"{self.buyer_name} hung up.")
        else:
            chat.add_notice("The call has ended.")
        reply = self.query_one("#reply", Input)
        reply.disabled = True
        reply.display = False
        button = self.query_one("#to-debrief", Button)
        button.display = True
        button.focus()
        self.refresh_bindings()

    @on(Button.Pressed, "#to-debrief")
    def action_debrief(self) -> None:
        """Leave the call for its debrief."""
        call_id = self.recording.call_id if self.recording is not None else None
        self.post_message(CallEnded(self.plan, self.call, call_id))

    def action_hang_up(self) -> None:
        """End the call now, after a yes; it is scored on what was said."""
        if self.busy:
            self.app.bell()  # the engine is answering; the hang-up waits for its answer
            return

        def hang_up(sure: bool | None) -> None:
            """Stop and score the call if the trainee said yes."""
            if sure and not self.call.over and not self.busy:
                self._stop_speaking()
                self.call.stop("you hung up")
                self._save()
                self.action_debrief()

        self.app.push_screen(ConfirmScreen(
            "Hang up now? The call ends here: it is scored on what you said so far, anything you did not get to "
            "(options, apology, close) counts as missed, and the buyer is left where they are now. "
            "To end the call well, say goodbye in a reply instead."
        ), hang_up)

    def _save(self) -> None:
        """Save the call after the trainee or a failure ended it (a reply's save covers every other ending)."""
        if self.recording is not None:
            self._tell(self.recording.save())

    def on_unmount(self) -> None:
        """Leaving mid-call (quitting the app): keep the call as abandoned, to resume later."""
        if self.recording is None or self.call.over:
            return
        # On a timeout the call stays in progress in the store, which can be resumed just the same.
        with contextlib.suppress(FutureTimeout):
            self.recording.abandon().result(timeout=LEAVE_WAIT_SECONDS)
        if self.recording.discarded:  # as plain mode says it: quitting had taken the call away without a word
            self.app.notify(NOT_KEPT, markup=False)  # leaving for home
            self.recording.keeper.parting.append(NOT_KEPT)  # quitting the app: said in the terminal once it has closed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("silence", "hang_up"):
            return not self.call.over
        if action == "debrief":
            return self.call.over
        return True

    def commands(self) -> Iterable[SystemCommand]:
        """What the command palette offers on this screen."""
        if not self.call.over:
            yield SystemCommand("Stay silent", "Say nothing and let the buyer fill the pause", self.action_silence)
            yield SystemCommand("Hang up", "End the call now and see the debrief", self.action_hang_up)
        else:
            yield SystemCommand("See the debrief", "Score and explanation of this call", self.action_debrief)
