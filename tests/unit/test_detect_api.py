"""The public API the engine and CLI are written against: results, evidence, scenario context, determinism."""

from __future__ import annotations

import json

from simulator.catalogue import REPLY_IDS
from simulator.detect import (
    MAX_REPLY_CHARS,
    Detection,
    Evidence,
    ReplyContext,
    default_detector,
    phrase_detector,
)


def test_default_detector_is_loaded_once() -> None:
    assert default_detector() is default_detector()


def test_behaviours_are_unique_and_in_catalogue_order() -> None:
    detection = default_detector().detect("I'm sorry. Your order is late. I'm so sorry.")
    assert detection.behaviours == ("states_the_news", "apologizes")
    assert list(detection.behaviours) == [b for b in REPLY_IDS if b in detection.behaviours]


def test_evidence_for_returns_the_strongest_and_has_checks_presence() -> None:
    evidence = (
        Evidence("apologizes", "sory", "sorry", 0.9, 0.8, 0, 4),
        Evidence("apologizes", "sorry", "sorry", 1.0, 0.8, 5, 10),
    )
    detection = Detection("sory sorry", evidence)
    assert detection.evidence_for("apologizes") == evidence[1]
    assert detection.evidence_for("owns_it") is None
    assert detection.has("apologizes") and not detection.has("owns_it")


def test_to_json_is_plain_data() -> None:
    data = default_detector().detect("I'm sorry.").to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["behaviours"] == ["apologizes"]
    assert set(data["evidence"][0]) >= {"behaviour", "clause", "phrase", "strength", "threshold", "start", "end"}
    assert data["evidence"][0]["layer"] in ("phrase", "rule", "scenario", "example", "model")


def test_evidence_strength_reaches_its_threshold() -> None:
    for evidence in default_detector().detect("We're sory, the shipmnet is delayd, we'll expedite it.").evidence:
        assert 0.0 <= evidence.threshold <= evidence.strength <= 1.0


def test_detection_is_deterministic() -> None:
    text = "Sorry, the 2,000 units are late because of a storm; we can air freight or wait."
    first = default_detector().detect(text)
    assert all(default_detector().detect(text) == first for _ in range(3))


def test_scenario_phrases_extend_a_behaviour_for_that_call_only() -> None:
    context = ReplyContext(extra_phrases={"compensates": ["a pallet of spare filters"]})
    text = "We'll add a pallet of spare filters."
    assert phrase_detector().detect(text, context).has("compensates")
    assert not phrase_detector().detect(text).has("compensates")
    found = default_detector().detect(text, context).evidence_for("compensates")
    assert found is not None and found.layer == "scenario"


def test_scenario_phrases_are_matched_loosely_when_long() -> None:
    context = ReplyContext(extra_phrases={"corrective_action": ["we are moving your run to the Leipzig line"]})
    assert default_detector().detect("We're moving your run to our Leipzig line.", context).has("corrective_action")


def test_a_loose_match_must_keep_the_phrases_words_that_say_something() -> None:
    context = ReplyContext(extra_phrases={"helps_position_news": ["note for your client"]})
    dropped = "I understand, this is very bad for your study and for your client."  # no note: it is not the offer
    assert not phrase_detector().detect(dropped, context).has("helps_position_news")
    assert phrase_detector().detect("I can write a nte for your client today.", context).has("helps_position_news")


def test_scenario_phrases_follow_the_behaviours_negation_rule() -> None:
    context = ReplyContext(extra_phrases={"compensates": ["a pallet of spare filters"]})
    assert not default_detector().detect("We can't add a pallet of spare filters.", context).has("compensates")


def test_bad_scenario_phrases_and_unknown_ids_never_raise() -> None:
    context = ReplyContext(extra_phrases={"compensates": ["{unclosed", "<nope>", "~"], "not_a_behaviour": ["x"]})
    assert default_detector().detect("hello", context).behaviours == ()


def test_compiled_scenario_phrases_are_cached() -> None:
    detector = default_detector()
    context = ReplyContext(extra_phrases={"compensates": ["free widgets"]})
    detector.detect("a", context)
    first = detector._context(context)
    assert detector._context(ReplyContext(extra_phrases={"compensates": ["free widgets"]})) is first


def test_a_huge_reply_is_read_up_to_the_cap() -> None:
    text = "x " * MAX_REPLY_CHARS + "I'm sorry."
    detection = default_detector().detect(text)
    assert detection.text == text
    assert not detection.has("apologizes")


def test_of_two_equally_strong_clauses_the_evidence_quoted_is_the_one_with_more_of_the_reply():
    from simulator.detect.results import Detection, Evidence

    teaser = Evidence("states_the_news", "I have bad news", "bad news", 1.0, 0.8, 0, 15)
    news = Evidence("states_the_news", "the pallets will not ship on Friday.", "will not ship", 1.0, 0.8, 17, 53)
    weaker = Evidence("states_the_news", "the pallets will not ship on Friday, I think.", "ship", 0.9, 0.8, 17, 62)
    detection = Detection("I have bad news: the pallets will not ship on Friday.", (teaser, news, weaker))
    assert detection.evidence_for("states_the_news") is news
