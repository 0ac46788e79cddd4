"""A reply is cut into clauses so negation stays inside its clause and evidence shows the words that carried it."""

from __future__ import annotations

from simulator.detect import default_detector
from simulator.detect.clauses import analyse


def clauses(text: str) -> list[tuple[str, bool]]:
    analysis = analyse(text, default_detector()._set.normaliser)
    return [(text[c.start : c.end], c.question) for s in analysis.sentences for c in s.clauses]


def test_sentences_commas_and_conjunctions_start_new_clauses() -> None:
    assert [c for c, _ in clauses("I'm sorry, but the order is late and we are fixing it.")] == [
        "I'm sorry",
        "but the order is late",
        "and we are fixing it.",
    ]


def test_so_before_an_adjective_does_not_split_a_clause() -> None:
    assert [c for c, _ in clauses("I'm so sorry.")] == ["I'm so sorry."]


def test_abbreviations_do_not_end_a_sentence() -> None:
    assert len(clauses("Mr. Okafor, it's P.O. 4471, e.g. the valves.")) == 3


def test_a_clause_knows_when_it_is_a_question() -> None:
    assert clauses("Sorry, could you repeat that?") == [("Sorry", False), ("could you repeat that?", True)]
    assert clauses("how does this affect your line") == [("how does this affect your line", True)]
    assert clauses("what happened was the port closed") == [("what happened was the port closed", False)]


def test_negation_does_not_reach_past_a_clause_boundary() -> None:
    found = default_detector().detect("It's not ideal, and I'm sorry.").behaviours
    assert "apologizes" in found


def test_evidence_is_a_slice_of_the_original_text() -> None:
    text = "Honestly?  \x1b[1mWe\u2019re SO sorry\x1b[0m about this!!"
    for evidence in default_detector().detect(text).evidence:
        assert text[evidence.start : evidence.end] == evidence.clause
