"""A trainer's phrase can never hang a call: gaps match in bounded work, and each reply has a step budget."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.detect import ReplyContext, phrase_detector
from simulator.detect import detector as detector_module
from simulator.detect.patterns import (
    MAX_PHRASE_GAPS,
    SCENARIO_REGEX_GAP_WAYS,
    PatternCompiler,
    gap_columns,
)

GAP_HEAVY = "we " + "~~ " * 12 + "late for sure"
# An ordinary reply of 36 words that never says "late for sure": the case that took minutes.
LONG_REPLY = (
    "we are calling about the order you placed last month because the shipment from the port has been held "
    "and the carrier told us that the containers will not move until next week at the earliest"
)


@pytest.fixture(scope="module")
def compiler() -> PatternCompiler:
    return phrase_detector()._set.compiler


def test_a_run_of_gaps_compiles_to_one_gap_so_the_regex_cannot_backtrack_through_them(compiler):
    compiled = compiler.compile(GAP_HEAVY, regex_ways=SCENARIO_REGEX_GAP_WAYS)
    assert re.compile(compiled.pattern).groups == 1  # twelve "~~" are one gap of up to 300 words
    assert compiled.program is not None  # 301 ways to size it: matched by the linear matcher
    assert len(LONG_REPLY.split()) == 36
    assert compiled.search(f" {LONG_REPLY} ") is None
    found = compiled.search(f" {LONG_REPLY} and we are late for sure ")
    assert found is not None and found.groups()[0].split()[:2] == ["are", "calling"]


def test_a_phrase_whose_gaps_could_split_a_reply_many_ways_costs_work_linear_in_the_reply(compiler):
    compiled = compiler.compile("we ~~ the ~~ the ~~ the ~~ the ~~ late", regex_ways=SCENARIO_REGEX_GAP_WAYS)
    assert compiled.gap_ways == 26**5 and compiled.program is not None
    short, long = " the" * 20 + " ", " the" * 400 + " "
    assert compiled.cost(long) <= 25 * compiled.cost(short)  # 20 times the words, at most 25 times the work
    assert compiled.search(" we" + " the" * 30 + " late ") is not None


def test_the_bank_phrases_keep_their_regular_expressions(compiler):
    banks = phrase_detector()._set.banks.values()
    phrases = [p.compiled for bank in banks for p in bank.phrases] + [v for bank in banks for v in bank.vetoes]
    assert phrases and all(p.program is None for p in phrases)


_WORDS = ["we", "are", "late", "not", "the", "sorry"]
_PIECES = st.sampled_from([*_WORDS, "~", "...", "~~", "{we|the}", "{late|}", "s*", "<digits>"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pieces=st.lists(_PIECES, min_size=1, max_size=7),
    words=st.lists(st.sampled_from([*_WORDS, "12", "sure"]), max_size=14),
    start=st.integers(0, 20),
)
def test_the_linear_matcher_finds_exactly_what_the_regular_expression_finds(compiler, pieces, words, start):
    source = " ".join(pieces)
    if all(p in ("~", "...", "~~") for p in pieces):
        return  # "the phrase has no words"
    linear = compiler.compile(source, regex_ways=0)
    assert linear.program is not None
    text = " " + " ".join(words) + " "
    expected = linear.regex.search(text, start)
    got = linear.search(text, start)
    if expected is None:
        assert got is None
        return
    assert got is not None and (got.start(), got.end()) == (expected.start(), expected.end())
    assert sorted(w for g in got.groups() if g for w in g.split()) == sorted(
        w for g in expected.groups() if g for w in g.split())


_GAP_REGEX = {"~": r"((?: [^ ]+){0,3}?)", "...": r"((?: [^ ]+){0,8}?)", "~~": r"((?: [^ ]+){0,25}?)"}


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(["we", "are", "late", "not", "~", "...", "~~"]), min_size=2, max_size=8),
    words=st.lists(st.sampled_from(["we", "are", "late", "not", "sure"]), max_size=30),
)
def test_gaps_side_by_side_match_as_they_did_when_each_was_its_own_gap(compiler, pieces, words):
    if all(p in _GAP_REGEX for p in pieces):
        return
    one_by_one = re.compile("(?:" + "".join(_GAP_REGEX.get(p, " " + p) for p in pieces) + ")(?= )")
    merged = compiler.compile(" ".join(pieces)).regex
    text = " " + " ".join(words) + " "
    before, after = one_by_one.search(text), merged.search(text)
    assert (before is None) == (after is None)
    if before is not None and after is not None:
        assert before.span() == after.span()
        assert [w for g in before.groups() if g for w in g.split()] == [w for g in after.groups() if g for w in g.split()]


def test_matching_stops_at_the_step_budget_and_the_reply_is_still_judged(monkeypatch):
    phrases = [f"we ~ {word} ~ the ~ order" for word in ("moved", "shipped", "packed", "labelled")]
    context = ReplyContext(extra_phrases={"corrective_action": phrases})
    reply = "I'm sorry. We have moved the whole order and shipped the order today."
    detector = phrase_detector()
    assert detector.detect(reply, context).phrases_not_tried == 0
    monkeypatch.setattr(detector_module, "MATCH_STEP_BUDGET", 1)
    detection = detector.detect(reply, context)
    assert detection.phrases_not_tried > 0
    assert detection.has("apologizes")  # the banks still judge the reply


def test_scenario_phrases_are_tried_only_on_sentences_with_their_words(monkeypatch):
    phrases = [f"we will recheck {{pallet|crate}} {n}" for n in range(500)] + ["{free|spare} filters"]
    context = ReplyContext(extra_phrases={"compensates": phrases})
    tried = []
    real = detector_module._hits

    def counting(entry, sentence, text=None):
        if entry.layer == "scenario":
            tried.append(entry.phrase.compiled.source)
        return real(entry, sentence, text)

    monkeypatch.setattr(detector_module, "_hits", counting)
    detection = phrase_detector().detect("We can send you some spare filters.", context)
    assert detection.has("compensates")
    assert tried == ["{free|spare} filters"]


def test_gap_columns_name_every_gap_of_a_phrase():
    assert gap_columns("thank ~ your ... patience ~~") == [7, 14, 27]
    assert len(gap_columns(GAP_HEAVY)) > MAX_PHRASE_GAPS


def test_a_bank_phrase_with_too_many_gaps_is_reported_at_the_gap_too_many(tmp_path):
    import shutil

    from simulator.content.errors import ContentError
    from simulator.detect.banks import DEFAULT_BANK_DIR, load_banks

    shutil.copytree(DEFAULT_BANK_DIR, tmp_path / "banks")
    (tmp_path / "banks" / "apologizes.yaml").write_text(f"behaviour: apologizes\nphrases:\n  - '{GAP_HEAVY}'\n")
    with pytest.raises(ContentError) as caught:
        load_banks(tmp_path / "banks")
    [problem] = [str(p) for p in caught.value.problems]
    assert f":3:27: error: phrase '{GAP_HEAVY}': 12 gaps; a phrase may have at most {MAX_PHRASE_GAPS}" in problem


def test_the_bundled_scenarios_phrases_find_what_they_found_before_they_were_indexed_and_matched_linearly(
    monkeypatch, library
):
    """Every bundled scenario's phrases, on its examples' replies and on each phrase's own sample sentence: picked by
    their words and matched linearly, as against tried on every sentence by their regular expressions."""
    from simulator.authoring.polarity import phrase_places, sample_text
    from simulator.engine.call import scenario_phrases

    def detections() -> list[dict]:
        detector = detector_module.Detector(phrase_detector()._set)  # a fresh cache of compiled scenario phrases
        return [detector.detect(text, context).to_json() for text, context in cases]

    cases = []
    for scenario in library.scenarios.values():
        context = ReplyContext(
            extra_phrases={k: tuple(v) for k, v in scenario_phrases(scenario).items()},
            facts=tuple(scenario.facts.values()),
        )
        texts = [reply for example in scenario.examples for reply in example.replies]
        texts += [sample_text(phrase) + " today" for _, _, phrase in phrase_places(scenario)]
        cases += [(text, context) for text in texts if text]
    now = detections()
    monkeypatch.setattr(detector_module._ScenarioPhrases, "for_sentence", lambda self, sentence, budget: list(self.entries))
    monkeypatch.setattr(detector_module, "SCENARIO_REGEX_GAP_WAYS", 10**9)
    before = detections()
    assert len(cases) > 200 and now == before
