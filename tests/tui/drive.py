"""Driving the app like a trainee in Pilot tests: keys for navigation, the reply box for words."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.debrief import DebriefScreen

# Longest a test waits for a worker (dialling, the engine); the detector loads once per session.
WAIT_SECONDS = 30.0

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


async def wait_until(pilot: Pilot, condition, what: str, timeout: float = WAIT_SECONDS) -> None:
    """Let the app run until `condition()` holds; fail with `what` if it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.01)


async def wait_for_screen(pilot: Pilot, kind: type[Screen]) -> Screen:
    """Wait until a screen of this kind is on top."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    return pilot.app.screen


async def open_briefing(
    pilot: Pilot, scenario_id: str, *, persona_presses: int = 0, exam: bool = False
) -> BriefingScreen:
    """From home: highlight the scenario, pick the buyer and mode with their keys, press Enter."""
    home = pilot.app.screen
    await wait_until(pilot, lambda: home.selected_scenario() is not None, "the scenario list")
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
    for choice_id, choice in screen.scenario.choices.items():
        index = [o.id for o in choice.options].index(picks[choice_id])
        await pilot.press(*["down"] * index, "enter")
    await pilot.pause()


async def start_call(pilot: Pilot) -> CallScreen:
    """Press s on the briefing and wait for the buyer to pick up."""
    await pilot.press("s")
    screen = await wait_for_screen(pilot, CallScreen)
    screen.query_one("#reply", Input).cursor_blink = False
    await settle(pilot)
    return screen


async def settle(pilot: Pilot) -> None:
    """Wait until the engine has answered and, without pacing, the buyer's line is on screen."""
    screen = pilot.app.screen
    if isinstance(screen, CallScreen):
        await wait_until(pilot, lambda: not screen.busy, "the engine's answer")
    await pilot.pause()


async def say(pilot: Pilot, text: str) -> None:
    """Type a reply in the reply box and press Enter ("" is an empty Enter: silence)."""
    reply = pilot.app.screen.query_one("#reply", Input)
    reply.value = text
    await pilot.press("enter")
    await settle(pilot)


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
