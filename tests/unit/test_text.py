"""User text is shown, never obeyed: escape sequences, bells and bidi overrides become visible escapes."""

from hypothesis import given
from hypothesis import strategies as st

from simulator.text import MAX_REPLY_CHARS, clip_reply, visible


def test_escape_sequences_and_bells_are_made_visible():
    assert visible("\x1b[31mred\x07") == "\\x1b[31mred\\x07"


def test_bidi_overrides_are_made_visible():
    assert visible("abc\u202edef") == "abc\\u202edef"


def test_markup_and_emoji_pass_through_untouched():
    assert visible("[bold]sorry[/] 😬") == "[bold]sorry[/] 😬"


def test_a_reply_is_kept_to_one_line_and_a_bounded_length():
    assert clip_reply("a\nb\r\nc") == "a b  c"
    assert len(clip_reply("x" * (MAX_REPLY_CHARS * 3))) == MAX_REPLY_CHARS


@given(st.text())
def test_nothing_printable_by_a_terminal_as_a_control_survives(text):
    shown = visible(text)
    assert not any(ord(c) < 32 or ord(c) == 127 for c in shown)
