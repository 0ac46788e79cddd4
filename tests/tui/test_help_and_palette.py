"""Help is one key away on every screen; the main actions are in the command palette."""

from __future__ import annotations

from simulator.catalogue import BEHAVIOURS
from simulator.tui.screens.help import HelpScreen
from tests.tui.drive import (
    GOOD_CHOICES,
    answer_choices,
    finish_work,
    open_briefing,
    screen_text,
    start_call,
    to_debrief,
)


async def press_help_and_back(pilot) -> None:
    underneath = pilot.app.screen
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen)
    await pilot.press("escape")
    await pilot.pause()
    assert pilot.app.screen is underneath


async def test_f1_opens_help_from_home_briefing_call_and_debrief(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await press_help_and_back(pilot)
        await open_briefing(pilot, "late-shipment")
        await press_help_and_back(pilot)
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await press_help_and_back(pilot)
        await to_debrief(pilot)
        await press_help_and_back(pilot)


async def test_help_lists_every_rubric_line_with_its_principle(app):
    async with app.run_test(size=(120, 400)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = " ".join(screen_text(pilot.app.screen).split())
        for behaviour in BEHAVIOURS:
            assert behaviour.id.replace("_", " ") in text
            assert behaviour.principle in text


def titles(app) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


async def test_the_command_palette_offers_each_screens_main_actions(app):
    async with app.run_test(size=(80, 24)) as pilot:
        assert {"Help", "Brief me", "Next buyer", "Switch mode"} <= titles(pilot.app)
        await open_briefing(pilot, "late-shipment")
        assert {"Help", "Start the call", "Back to the scenarios"} <= titles(pilot.app)
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        assert {"Help", "Stay silent", "Hang up"} <= titles(pilot.app)
        await to_debrief(pilot)
        assert {"Help", "Retry", "Another scenario", "Save report"} <= titles(pilot.app)


async def test_the_palette_opens_with_ctrl_p_and_runs_help(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Help")
        await finish_work(pilot)  # the palette's search for what was typed
        await pilot.press("enter")
        await finish_work(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
