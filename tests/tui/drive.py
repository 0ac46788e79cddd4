"""Driving the app like a trainee in Pilot tests: keys for navigation, the reply box for words."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from contextlib import suppress

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerCancelled

from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.debrief import DebriefScreen

# Longest a test waits for the app's workers (dialling, the engine); the detector loads once per session.
WAIT_SECONDS = 30.0
# The worker that holds a paced buyer line on screen: a timed pause, not work a test waits for unless it says so.
SPEECH = "speech"

GOOD_CHOICES = {
    "tell_them_first": "call-now",
    "call_not_email": "phone",
    "alert_the_boss": "brief",
    "solution_ready": "approved-options",
}
# A call that follows the doctrine: news first, silence while Dana vents, options, apology and hush, close.
GOOD_CALL = [
    ("Dana, I have bad news: PO 4471 will arrive on 24 March, three weeks late, "
    "because a typhoon closed the port of Osaka."),
    "",
    "I know this puts your production line at risk, and I'm sorry.",
    ("I have three options for you: we air-freight 2,000 units at our cost within 5 working days, ship the "
    "pin-compatible MCU-221 from our Taiwan warehouse this week, or send weekly partial shipments as stock arrives."),
    "We'll also take a 5% credit off the order, and we're adding a second port of loading so this can't happen again.",
    "I'm sorry, Dana. Will you forgive me?",
    "",
    ("Thank you for your patience. I'll call you every Monday and Thursday with the status, "
    "and I'd value your continued support."),
]
# A call that breaks it: small talk, then blame, minimising and telling the buyer to calm down.
BAD_CALL = [
    "Hi Dana, how was your weekend? Lovely weather we're having.",
    "So, there's a small update on your order, it's the carrier's fault really, they messed up.",
    "It's only a few days, no big deal, these things happen.",
    "Calm down, you're overreacting.",
]


async def finish_work(pilot: Pilot, *groups: str) -> None:
    """Let the app settle: its pending messages handled and its workers run to the end.

    Workers of the given groups, or every worker but a paced buyer line (SPEECH) when none are given.
    Workers that finishing ones start (the best scores read after the calls database opens) are waited
    for too. One cancelled meanwhile (replaced by a newer one of an exclusive group) is not; one that
    failed fails the test with its error.
    """
    workers = pilot.app.workers

    def running() -> list[Worker]:
        return [w for w in workers if (w.group in groups if groups else w.group != SPEECH)]

    try:
        async with asyncio.timeout(WAIT_SECONDS):
            await pilot.pause()
            while still := running():
                with suppress(WorkerCancelled):
                    await workers.wait_for_complete(still)
                await pilot.pause()
    except TimeoutError:
        raise AssertionError(f"workers still running after {WAIT_SECONDS:.0f} s: {running()}") from None


async def settled(pilot: Pilot, *, frames: int = 40) -> None:
    """Let the screen reach its final look: frames drawn until two in a row are the same.

    A widget that sizes itself from its content (a table's header takes its columns' widths) can take one more
    frame on a busy machine than on a quiet one; a snapshot taken between the two would differ from run to run.
    """
    before = None
    for _ in range(frames):
        await pilot.pause(0.05)
        now = pilot.app.export_screenshot()
        if now == before:
            return
        before = now
    raise AssertionError(f"the screen still changed after {frames} frames")


async def wait_for_screen(pilot: Pilot, kind: type[Screen]) -> Screen:
    """Let the app settle after the last key (which may have started a worker that opens a screen); a screen
    of this kind must then be on top."""
    await finish_work(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, kind), f"{type(screen).__name__} is on top, not {kind.__name__}"
    return screen


async def open_briefing(
    pilot: Pilot, scenario_id: str, *, persona_presses: int = 0, exam: bool = False
) -> BriefingScreen:
    """From home: highlight the scenario, pick the buyer and mode with their keys, press Enter."""
    home = pilot.app.screen
    await finish_work(pilot)
    assert home.selected_scenario() is not None, "the scenario list is empty"
    order = list(home.library.scenarios)
    await pilot.press("home", *["down"] * order.index(scenario_id))
    await pilot.press(*["p"] * persona_presses)
    if exam:
        await pilot.press("m")
    await pilot.press("enter")
    return await wait_for_screen(pilot, BriefingScreen)


async def answer_choices(pilot: Pilot, picks: dict[str, str]) -> None:
    """Answer each before-call question with the keyboard: Tab in, arrows to the option, Enter."""
    screen = pilot.app.screen
    assert isinstance(screen, BriefingScreen)
    await pilot.press("tab")
    for choice_id in screen.scenario.choices:
        index = [o.id for o in screen.options_of(choice_id)].index(picks[choice_id])
        await pilot.press(*["down"] * index, "enter")
    await pilot.pause()


async def start_call(pilot: Pilot) -> CallScreen:
    """Press s on the briefing and wait for the buyer to pick up."""
    await pilot.press("s")
    screen = await wait_for_screen(pilot, CallScreen)
    screen.query_one("#reply", Input).cursor_blink = False
    await pilot.pause()
    return screen


async def say(pilot: Pilot, text: str) -> None:
    """Type a reply in the reply box and press Enter ("" is an empty Enter: silence)."""
    reply = pilot.app.screen.query_one("#reply", Input)
    reply.value = text
    await pilot.press("enter")
    await finish_work(pilot)  # the engine's answer, saved; without pacing, the buyer's line is on screen
    await pilot.wait_for_scheduled_animations()  # and the chat scrolled to it, however busy the machine is


async def play(pilot: Pilot, replies: Iterable[str]) -> CallScreen:
    """Say each reply in turn, stopping if the call ends."""
    screen = pilot.app.screen
    assert isinstance(screen, CallScreen)
    for text in replies:
        if screen.call.over:
            break
        await say(pilot, text)
    return screen


async def to_debrief(pilot: Pilot) -> DebriefScreen:
    """Leave a call: the debrief button when it ended, else hang up and confirm."""
    screen = pilot.app.screen
    assert isinstance(screen, CallScreen)
    await pilot.press("escape")
    if not screen.call.over:
        await pilot.press("y")
    return await wait_for_screen(pilot, DebriefScreen)


def screen_text(screen: Screen) -> str:
    """Everything the screen's widgets render, as plain text (for what-you-see assertions)."""
    lines = []
    for widget in screen.query("*"):
        if widget.display and widget.size.height:
            for y in range(widget.size.height):
                lines.append("".join(segment.text for segment in widget.render_line(y)))
    return "\n".join(lines)
