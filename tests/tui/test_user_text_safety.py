"""User text is never read as markup, and escape sequences are shown, never obeyed: in the chat and the debrief."""

from __future__ import annotations

from simulator.content.loader import load_library
from simulator.tui.app import make_app
from tests.hostile import HOSTILE as ESCAPES
from tests.hostile import SCENARIO_ID, controls_in, write_hostile_content
from tests.tui.drive import (
    GOOD_CHOICES,
    answer_choices,
    finish_work,
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


def _assert_shown_harmlessly(screen) -> None:
    """The screen's header subtitle is the scenario's title with its escapes visible, and nothing on it is a control."""
    assert "Late drills\\x1b]52;c;aGk=\\x07" in screen.sub_title
    assert not controls_in(screen.sub_title), type(screen).__name__
    assert not controls_in(screen_text(screen)), type(screen).__name__


async def test_a_hostile_scenario_title_reaches_neither_the_header_nor_a_notification_raw(tmp_path):
    """An OSC 52 title once became the tmux pane title and cleared the screen; a broken file's notice wrote the clipboard."""
    scenarios, personas = write_hostile_content(tmp_path)
    app = make_app(lambda: load_library([scenarios], [personas]), pace=False, clock=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await finish_work(pilot)
        assert not controls_in(screen_text(pilot.app.screen))
        _assert_shown_harmlessly(await open_briefing(pilot, SCENARIO_ID))
        call = await start_call(pilot)
        await say(pilot, "Jordan, I have bad news." + ESCAPES)
        _assert_shown_harmlessly(call)
        _assert_shown_harmlessly(await to_debrief(pilot))
        notices = list(pilot.app._notifications)
        assert any(n.message.startswith("Skipped") and "\\x1b]52" in n.message for n in notices)
        assert not any(controls_in(n.message + n.title) for n in notices)
