"""User text is never read as markup, and escape sequences are shown, never obeyed: in the chat and the debrief."""

from __future__ import annotations

from tests.tui.drive import (
    GOOD_CHOICES,
    answer_choices,
    open_briefing,
    say,
    screen_text,
    start_call,
    to_debrief,
)

HOSTILE = "[bold]loud[/] [/] [link=https://x.example]click[/link] \x1b[31mred\x07"


def joined(text: str) -> str:
    return " ".join(text.split())


async def test_markup_and_escape_sequences_in_a_reply_show_as_typed(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await say(pilot, HOSTILE)
        bubble = screen.query("Bubble.seller").last()
        drawn = joined(" ".join(s.text for y in range(bubble.size.height) for s in bubble.render_line(y)))
        assert "[bold]loud[/] [/] [link=https://x.example]click[/link]" in drawn
        assert "\\x1b[31mred\\x07" in drawn
        assert "\x1b" not in screen_text(screen) and "\x07" not in screen_text(screen)
        styles = [s.style for y in range(bubble.size.height) for s in bubble.render_line(y) if "loud" in s.text]
        assert styles and not any(style and style.link for style in styles)


async def test_the_debrief_quotes_hostile_words_harmlessly_too(app):
    async with app.run_test(size=(120, 60)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await say(pilot, HOSTILE)
        debrief = await to_debrief(pilot)
        text = screen_text(debrief)
        assert "[bold]loud[/]" in text and "\\x1b[31mred" in text
        assert "\x1b" not in text
