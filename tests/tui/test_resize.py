"""Every screen survives a resize: opened wide, then shrunk to 80x24 and widened again, nothing is cut off.

A widget that keeps its wide layout after the terminal shrinks pushes columns or text past the
right edge (the History table once hid Buyer, Score and Result behind 36 presses of the arrow).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable

from simulator.tui.app import make_app
from simulator.tui.screens.facts import FactsScreen
from simulator.tui.screens.help import HelpScreen
from simulator.tui.screens.history import HistoryScreen
from tests.tui.drive import (
    BAD_CALL,
    GOOD_CHOICES,
    answer_choices,
    finish_work,
    open_briefing,
    play,
    start_call,
    to_debrief,
    wait_for_screen,
)
from tests.tui.stored import TRAINEE, a_history, store_at

WIDE, NARROW = (120, 40), (80, 24)


def overflowing(screen: Screen, width: int) -> list[str]:
    """What on the screen reaches past the right edge, or needs sideways scrolling to be read."""
    problems = []
    for widget in screen.query(Widget):
        if not widget.display or not widget.region:
            continue
        if widget.region.right > width:
            problems.append(f"{widget!r} ends at column {widget.region.right}")
        if isinstance(widget, DataTable) and widget.max_scroll_x > 0:
            problems.append(f"{widget!r} scrolls sideways by {widget.max_scroll_x}")
    return problems


async def shrink_and_widen(pilot) -> None:
    """Shrink to 80x24 and check; widen again and check."""
    for size in (NARROW, WIDE):
        await pilot.resize_terminal(*size)
        await pilot.pause()
        await finish_work(pilot)
        assert not overflowing(pilot.app.screen, size[0]), (size, overflowing(pilot.app.screen, size[0]))


async def test_home_survives_a_resize(app):
    async with app.run_test(size=WIDE) as pilot:
        await finish_work(pilot)
        await shrink_and_widen(pilot)


async def test_the_briefing_and_its_questions_survive_a_resize(app):
    async with app.run_test(size=WIDE) as pilot:
        await open_briefing(pilot, "late-shipment")
        await shrink_and_widen(pilot)


async def test_a_call_in_progress_and_its_facts_and_help_survive_a_resize(app):
    async with app.run_test(size=WIDE) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await play(pilot, BAD_CALL[:2])
        await shrink_and_widen(pilot)
        await pilot.press("f2")
        await wait_for_screen(pilot, FactsScreen)
        await shrink_and_widen(pilot)
        await pilot.press("escape", "f1")
        await wait_for_screen(pilot, HelpScreen)
        await shrink_and_widen(pilot)


async def test_the_debrief_survives_a_resize_with_and_without_details(app):
    async with app.run_test(size=WIDE) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await play(pilot, BAD_CALL)
        await to_debrief(pilot)
        await shrink_and_widen(pilot)
        await pilot.press("d")
        await shrink_and_widen(pilot)


async def test_the_history_survives_a_resize(library, data_dir):
    with store_at(data_dir) as store:
        a_history(store, library)
    app = make_app(library, pace=False, trainee=TRAINEE)
    async with app.run_test(size=WIDE) as pilot:
        await finish_work(pilot)
        await pilot.press("h")
        history = await wait_for_screen(pilot, HistoryScreen)
        await finish_work(pilot)
        await shrink_and_widen(pilot)
        table = history.query_one("#calls", DataTable)
        # every column is still on screen after the round trip, Result included
        assert [str(c.label) for c in table.columns.values()][-1] == "Result" and table.max_scroll_x == 0
