"""What each screen looks like at 80x24, compared with SVG snapshots a person has looked at.

Update with `pytest tests/tui/test_snapshots.py --snapshot-update`, then open the report and look.
"""

from __future__ import annotations

import os
import time

import pytest
from textual.widgets import Input

from simulator.tui.app import make_app
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.signin import SignIn, SignInScreen, digest
from tests.tui.drive import (
    GOOD_CALL,
    GOOD_CHOICES,
    answer_choices,
    finish_work,
    open_briefing,
    play,
    settled,
    start_call,
    to_debrief,
    wait_for_screen,
)
from tests.tui.stored import TRAINEE, a_history, store_at

SIZE = (80, 24)


@pytest.fixture
def utc():
    """Dates show in local time: pin the zone so the snapshot is the same on every machine."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_home_screen(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE)


def test_briefing_screen(app, snap_compare):
    async def brief(pilot):
        await open_briefing(pilot, "late-shipment")

    assert snap_compare(app, terminal_size=SIZE, run_before=brief)


def test_call_screen_mid_call(app, snap_compare):
    async def mid_call(pilot):
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await play(pilot, GOOD_CALL[:3])

    assert snap_compare(app, terminal_size=SIZE, run_before=mid_call)


def test_debrief_screen(app, snap_compare):
    async def debrief(pilot):
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await play(pilot, GOOD_CALL)
        await to_debrief(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=debrief)


def test_help_screen(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, press=["f1"])


def test_history_screen(library, data_dir, utc, snap_compare):
    with store_at(data_dir) as store:
        a_history(store, library)
    app = make_app(library, pace=False, clock=lambda: 0.0, trainee=TRAINEE)

    async def history(pilot):
        await pilot.press("h")
        screen = await wait_for_screen(pilot, HistoryScreen)
        assert screen.loaded
        await finish_work(pilot)  # the table laid out with its rows, however busy the machine is
        await pilot.wait_for_scheduled_animations()
        await settled(pilot)  # the header row drawn with the columns' new widths, however many frames that takes

    assert snap_compare(app, terminal_size=SIZE, run_before=history)


def served(library, tmp_path):
    """The app as a browser tab of `badnews serve --group monday-class --code ...` runs it."""
    sign_in = SignIn(group="monday-class", code_digest=digest("blue-falcon-42"), sessions_dir=tmp_path / "sessions")
    return make_app(library, pace=False, clock=lambda: 0.0, sign_in=sign_in)


async def frozen_sign_in(pilot):
    """The sign-in screen on top, its fields' cursors still (a blinking one differs from frame to frame)."""
    screen = await wait_for_screen(pilot, SignInScreen)
    for field in screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_signin_screen(library, tmp_path, snap_compare):
    assert snap_compare(served(library, tmp_path), terminal_size=SIZE, run_before=frozen_sign_in)


def test_signin_screen_after_a_wrong_code(library, tmp_path, snap_compare):
    async def wrong_code(pilot):
        await frozen_sign_in(pilot)
        pilot.app.screen.query_one("#name", Input).value = "Ana Lima"
        pilot.app.screen.query_one("#code", Input).value = "blue-falcon-41"
        await pilot.press("enter")
        await frozen_sign_in(pilot)

    assert snap_compare(served(library, tmp_path), terminal_size=SIZE, run_before=wrong_code)
