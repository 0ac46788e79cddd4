"""What each screen looks like at 80x24, compared with SVG snapshots a person has looked at.

Update with `pytest tests/tui/test_snapshots.py --snapshot-update`, then open the report and look.
"""

from __future__ import annotations

from tests.tui.drive import GOOD_CALL, GOOD_CHOICES, answer_choices, open_briefing, play, start_call, to_debrief

SIZE = (80, 24)


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
