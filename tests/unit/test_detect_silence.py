"""stays_silent is a reply with no spoken words: nothing, dots, or a stage direction about keeping quiet."""

from __future__ import annotations

import pytest

from simulator.detect import default_detector


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\t", "...", "…", ". . .", "—", "(pause)", "(silence)", "[silent]", "*waits*", "*nods*",
     "(says nothing)", "[no reply]", "(long pause)", "*lets her vent*", "(takes a breath and waits)",
     "[listening]", "*bites tongue, stays quiet*", "silence", "🤐", "\x1b[2m...\x1b[0m", "[bold]...[/bold]"],
)
def test_a_reply_without_spoken_words_is_silence(text: str) -> None:
    detection = default_detector().detect(text)
    assert detection.behaviours == ("stays_silent",)


@pytest.mark.parametrize(
    "text",
    ["mhm", "ok", "I see.", "uh", "silence is golden lol", "*explains the delay*", "*laughs*",
     "I'll stay quiet and let you talk."],
)
def test_any_word_the_buyer_hears_is_not_silence(text: str) -> None:
    assert not default_detector().detect(text).has("stays_silent")


def test_a_pause_before_words_is_judged_on_the_words() -> None:
    assert default_detector().detect("(pause) I'm sorry, Dana.").behaviours == ("apologizes",)


def test_silence_evidence_points_at_what_was_typed() -> None:
    evidence = default_detector().detect("  (pause)  ").evidence_for("stays_silent")
    assert evidence is not None
    assert (evidence.clause, evidence.start, evidence.end, evidence.phrase) == ("(pause)", 2, 9, "rule:silence")
