"""User text is shown, never obeyed: escape sequences, bells and bidi overrides become visible escapes."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.text import MAX_REPLY_CHARS, clip_reply, name_order, safe_json, visible, visible_lines


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


# Sequences a crafted file or reply could carry, each with what a terminal would do with it.
ATTACKS = {
    "OSC 52 (writes the clipboard)": "\x1b]52;c;aGk=\x07",
    "OSC 8 (a hidden link)": "\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\",
    "CSI (clears the screen)": "\x1b[2J",
    "C1 CSI, one byte": "\x9b31m",
    "C1 OSC and ST": "\x9d0;title\x9c",
    "DEL": "a\x7fb",
    "bidi override": "abc\u202edef",
    "bidi isolates and marks": "\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u202a\u202b\u202c\u202d",
}
TERMINAL_CONTROLS = {*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0))} | set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_every_terminal_control_is_shown_as_an_escape(attack):
    shown = visible(attack)
    assert not set(shown) & TERMINAL_CONTROLS
    assert "\\" in shown


def test_visible_lines_keeps_the_line_breaks_and_shows_every_other_control():
    assert visible_lines("one\x1b[2J\ntwo\u202e") == "one\\x1b[2J\ntwo\\u202e"


def test_accented_letters_and_scripts_are_shown_as_they_are():
    assert visible("Zoë, Ødegaard, 東京, مرحبا") == "Zoë, Ødegaard, 東京, مرحبا"


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_json_writes_every_control_as_a_u_escape_and_reads_back_the_same_text(attack):
    data = {"text": f"Zoë {attack}", "list": [attack]}
    for indent in (None, 2):
        written = safe_json(data, indent=indent)
        assert not set(written) & (TERMINAL_CONTROLS - {"\n"})
        assert json.loads(written) == data


def test_json_is_otherwise_what_json_dumps_writes():
    data = {"name": "Zoë 東京", "n": [1, 2.5, None, True]}
    assert safe_json(data) == json.dumps(data, ensure_ascii=False, indent=2)
    assert safe_json(data, indent=None) == json.dumps(data, ensure_ascii=False)


@given(st.text())
def test_any_text_round_trips_through_json_with_no_control_left_raw(text):
    written = safe_json([text], indent=None)
    assert not set(written) & TERMINAL_CONTROLS
    assert json.loads(written) == [text]


def test_a_format_character_beyond_u_ffff_is_written_as_its_utf16_pair_in_json_and_in_full_when_shown():
    tag = "\U000e0041"  # a language tag character: a format control
    assert safe_json(tag, indent=None) == '"\\udb40\\udc41"' and json.loads(safe_json(tag)) == tag
    assert visible(tag) == "\\U000e0041"


def test_people_are_listed_by_their_letters_whatever_the_accents_and_case():
    names = ["eve", "Çelik", "Dee", "ana", "Émile", "cy", "emile", "Ben", "Åsa", "Zoë"]
    assert sorted(names, key=name_order) == ["ana", "Åsa", "Ben", "Çelik", "cy", "Dee", "emile", "Émile", "eve", "Zoë"]
    assert sorted(reversed(names), key=name_order) == sorted(names, key=name_order)  # never by which came first
