"""Normalisation lets one bank phrase match the many ways a word gets typed, without moving any offset."""

from __future__ import annotations

import pytest

from simulator.detect import default_detector
from simulator.detect.normalise import sanitise


def words(raw: str) -> list[str]:
    return [w for w, _ in default_detector()._set.normaliser.word(raw)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I'm", ["i", "am"]),
        ("won't", ["will", "not"]),
        ("can't", ["can", "not"]),
        ("Don\u2019t", ["do", "not"]),
        ("we'll", ["we", "will"]),
        ("it's", ["it", "is"]),
        ("carrier's", ["carrier"]),
        ("dont", ["do", "not"]),
        ("apologise", ["apologize"]),
        ("apologised", ["apologized"]),
        ("colour", ["color"]),
        ("organisation", ["organization"]),
        ("pls", ["please"]),
        ("thx", ["thank", "you"]),
        ("b/c", ["because"]),
        ("tmrw", ["tomorrow"]),
        ("asap", ["as", "soon", "as", "possible"]),
        ("soooo", ["so"]),
        ("sorrrry", ["sorry"]),
        ("sory", ["sorry"]),
        ("definately", ["definitely"]),
    ],
)
def test_a_word_is_normalised_to_its_canonical_form(raw: str, expected: list[str]) -> None:
    assert words(raw) == expected


def test_a_typo_is_corrected_against_the_bank_words_with_a_lower_confidence() -> None:
    [(word, score)] = default_detector()._set.normaliser.word("delayd")
    assert word == "delayed" and score < 1.0


def test_real_words_near_a_bank_word_are_left_alone() -> None:
    assert words("later") == ["later"]
    assert words("correction") == ["correction"]


@pytest.mark.parametrize(
    "text",
    ["\x1b[31mred\x1b[0m text", "[bold]loud[/bold] words", "tab\there\x00null", "rtl \u202eevil\u202c"],
)
def test_sanitising_keeps_every_offset_in_place(text: str) -> None:
    clean = sanitise(text)
    assert len(clean) == len(text)
    for index, char in enumerate(clean):
        assert char == " " or char == text[index]


def test_stage_directions_in_brackets_are_not_mistaken_for_rich_markup() -> None:
    assert sanitise("[silent]") == "[silent]"
    assert sanitise("[bold]hi[/]") == "      hi   "


def test_a_number_reads_the_same_with_or_without_its_thousands_separators():
    """A scenario writes "refund the $1,800"; a rep types "refund the 1800": the same words."""
    from simulator.detect import default_detector
    from simulator.detect.normalise import number_word
    from simulator.detect.results import ReplyContext

    assert number_word("1,800") == number_word("1800") == number_word("1.800") == "1800"
    assert number_word("3.5") == "3.5" and number_word("24/03") == "24/03" and number_word("10,50") == "10,50"
    context = ReplyContext(extra_phrases={"compensates": ["refund the $1,800"]})
    found = default_detector().detect("and I'll refund the 1800 for the session", context)
    assert any(e.behaviour == "compensates" and e.layer == "scenario" for e in found.evidence)
