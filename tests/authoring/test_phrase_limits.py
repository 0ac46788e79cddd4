"""`validate` refuses a phrase with too many gaps, and its phrase checks grow with the phrases, not their square."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

from simulator.authoring.lint import LintContext, check_file
from simulator.content.loader import load_library
from simulator.detect import detector as detector_module
from simulator.detect import phrase_detector
from simulator.detect.patterns import MAX_PHRASE_GAPS

HEAD = """\
title: Parts are late
difficulty: easy
brief: Tell {buyer.first_name} the parts are late.
seller: {name: Sam Keller, role: Account manager, company: Northgate}
buyer: {name: Dana Whitfield, role: Buyer, company: Larkspur}
impact: ["Our line stops on the 10th."]
"""
GAP_HEAVY = "we " + "~~ " * 12 + "late for sure"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "parts.yaml"
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_phrase_with_too_many_gaps_is_an_error_at_its_line_and_column(tmp_path):
    path = write(tmp_path, f"""\
        phrases:
          corrective_action: ["we reship today", "{GAP_HEAVY}"]
        compensation:
          - id: credit
            text: A credit on the order.
            phrases: ["credit ~ ~ ~ ~ ~ ~ ~ order"]
        """)
    problems = check_file(path, "scenario", LintContext(load_library().personas, None))
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.line, p.column) for p in errors] == [(8, 42), (12, 15)]  # where each phrase starts
    assert f"12 gaps; a phrase may have at most {MAX_PHRASE_GAPS}" in errors[0].message
    assert "7 gaps" in errors[1].message


def test_a_phrase_with_a_few_gaps_is_no_error(tmp_path):
    path = write(tmp_path, """\
        phrases:
          corrective_action: ["we ~ reship ... today ~~ sure"]
        """)
    problems = check_file(path, "scenario", LintContext(load_library().personas, None))
    assert not [p for p in problems if p.severity == "error"]


def _pseudo_words(count: int) -> list[str]:
    rng = random.Random(13)
    return ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4)) for _ in range(count)]


def test_checking_many_phrases_tries_each_phrase_a_bounded_number_of_times(tmp_path, monkeypatch):
    words = _pseudo_words(900)
    phrases = [f"we {{{words[3 * i]}|{words[3 * i + 1]}}} the {words[3 * i + 2]}" for i in range(300)]
    path = write(tmp_path, f"""\
        phrases:
          corrective_action: [{", ".join(f'"{p}"' for p in phrases)}]
        """)
    tried = []
    real = detector_module._hits

    def counting(entry, sentence, text=None):
        if entry.layer == "scenario":
            tried.append(entry.phrase.compiled.source)
        return real(entry, sentence, text)

    monkeypatch.setattr(detector_module, "_hits", counting)
    check_file(path, "scenario", LintContext(load_library().personas, phrase_detector()))
    assert len(tried) <= 2 * len(phrases)  # each phrase is tried on its own sample, not on all 300
