"""The phrase language: alternatives, prefixes, macros and gaps compile to matches over normalised words."""

from __future__ import annotations

import pytest

from simulator.detect import default_detector
from simulator.detect.patterns import PatternCompiler, PatternError


@pytest.fixture(scope="module")
def compiler() -> PatternCompiler:
    return PatternCompiler({"we": ["i", "we", "our team"]}, default_detector()._set.normaliser)


def matches(compiler: PatternCompiler, pattern: str, text: str) -> bool:
    return compiler.compile(pattern).regex.search(f" {text} ") is not None


def test_words_are_normalised_like_the_trainees(compiler: PatternCompiler) -> None:
    assert matches(compiler, "I'm sorry", "i am sorry")
    assert matches(compiler, "apologise", "apologize")


def test_alternatives_and_optional_groups(compiler: PatternCompiler) -> None:
    assert matches(compiler, "{so|very|} sorry", "very sorry")
    assert matches(compiler, "{so|very|} sorry", "sorry")
    assert not matches(compiler, "{so|very} sorry", "sorry")


def test_a_prefix_matches_any_ending(compiler: PatternCompiler) -> None:
    assert matches(compiler, "apologi*", "we apologized")
    assert not matches(compiler, "apologi*", "an apology")


def test_gaps_allow_a_bounded_number_of_words(compiler: PatternCompiler) -> None:
    assert matches(compiler, "thank ~ patience", "thank you for your patience")
    assert not matches(compiler, "thank ~ patience", "thank you so much for your patience")
    assert matches(compiler, "thank ... patience", "thank you so much for your patience")


def test_macros_and_builtins(compiler: PatternCompiler) -> None:
    assert matches(compiler, "<we> will fix", "our team will fix")
    assert matches(compiler, "the <ordinal>", "on the 24th")
    assert matches(compiler, "<numdate>", "by 24/03")
    assert not matches(compiler, "<numdate>", "by 2403")


def test_a_match_must_end_on_a_word_boundary(compiler: PatternCompiler) -> None:
    assert not matches(compiler, "sorry", "sorryish")


@pytest.mark.parametrize(
    ("pattern", "message", "column"),
    [
        ("{so|very sorry", "never closed", 1),
        ("sorry }", "unexpected '}'", 7),
        ("<nope> sorry", "unknown macro <nope>", 1),
        ("", "no words", 1),
    ],
)
def test_a_bad_phrase_is_reported_with_its_column(compiler: PatternCompiler, pattern: str, message: str, column: int) -> None:
    with pytest.raises(PatternError) as caught:
        compiler.compile(pattern)
    assert message in str(caught.value)
    assert caught.value.column == column
