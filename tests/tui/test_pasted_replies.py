"""A pasted reply is never cut silently: its lines become one reply, and what does not fit a reply is said."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from simulator.text import MAX_REPLY_CHARS
from tests.tui.drive import GOOD_CHOICES, answer_choices, finish_work, open_briefing, start_call


async def paste(pilot, text: str) -> Input:
    reply = pilot.app.screen.query_one(Input)
    reply.post_message(events.Paste(text))
    await pilot.pause()
    return reply


async def test_a_pasted_multi_line_reply_becomes_one_reply_with_its_lines_joined(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        reply = await paste(pilot, "Dana, I have bad news.\r\nPO 4471 will be three weeks late.\n\nI'm sorry.")
        assert reply.value == "Dana, I have bad news. PO 4471 will be three weeks late. I'm sorry."
        await pilot.press("enter")
        await finish_work(pilot)
        assert screen.call.seller_turns[-1].text == "Dana, I have bad news. PO 4471 will be three weeks late. I'm sorry."
        assert not pilot.app._notifications


async def test_a_paste_longer_than_a_reply_keeps_what_fits_and_says_what_was_left_out(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        reply = await paste(pilot, "Dana, ")
        reply = await paste(pilot, "word " * 1000)  # 5,000 characters after the 6 already typed
        assert reply.value == ("Dana, " + "word " * 1000)[:MAX_REPLY_CHARS]
        [notice] = list(pilot.app._notifications)
        assert f"{MAX_REPLY_CHARS:,} characters" in notice.message and "1,006 characters" in notice.message
