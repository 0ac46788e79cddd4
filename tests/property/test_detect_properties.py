"""Any string at all goes through the detector without error, and the same text always gets the same result."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.catalogue import REPLY_IDS
from simulator.detect import Detection, ReplyContext, default_detector

FRAGMENTS = st.sampled_from(
    [
        "sorry", "I'm not", "late", "PO 4471", "3 March", "$4,200", "100%", "(pause)", "[bold]", "[/]", "\x1b[31m",
        "\u202e", "\u200b", "🙏", "😂", "...", "…", "?", "!", ",", " or ", " but ", "won't", "ur", "b/c", "\n",
        "[silent]", "*waits*", "{", "}", "<", ">", "~", "مرحبا", "שלום", "İ", "ß", "\x00", "\t", "'", "\u2019",
    ]
)
TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",))),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.characters(), max_size=30),
    st.lists(FRAGMENTS | st.text(max_size=8), max_size=40).map("".join),
)


def check(detection: Detection, text: str) -> None:
    assert detection.text == text
    assert set(detection.behaviours) <= set(REPLY_IDS)
    for evidence in detection.evidence:
        assert 0 <= evidence.start <= evidence.end <= len(text)
        assert text[evidence.start : evidence.end] == evidence.clause
        assert evidence.strength >= evidence.threshold


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_returns_a_detection_whose_evidence_points_into_it(text: str) -> None:
    check(default_detector().detect(text), text)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_detection_is_deterministic(text: str) -> None:
    assert default_detector().detect(text) == default_detector().detect(text)


@settings(max_examples=20, deadline=None)
@given(st.lists(FRAGMENTS, min_size=1, max_size=5).map("".join), st.integers(min_value=2_000, max_value=20_000))
def test_huge_replies_are_handled(fragment: str, repeat: int) -> None:
    text = (fragment * repeat)[:200_000]
    check(default_detector().detect(text), text)


@settings(max_examples=100, deadline=None)
@given(
    TEXT,
    st.dictionaries(st.sampled_from([*REPLY_IDS, "unknown"]), st.lists(TEXT, max_size=3), max_size=3),
    st.lists(TEXT, max_size=3),
)
def test_any_scenario_context_is_safe(text: str, extra: dict, facts: list) -> None:
    check(default_detector().detect(text, ReplyContext(extra_phrases=extra, facts=tuple(facts))), text)
