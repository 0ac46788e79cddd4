"""A reply that says what the scenario says went wrong is the news, however it is worded around the facts."""

from __future__ import annotations

from simulator.detect import Detector, ReplyContext
from simulator.detect.facts import restated

CAUSE = "the gearbox housing cracked during the pressure test and has to be recast"
CONTEXT = ReplyContext(facts=(CAUSE, "PO 7781"), news=(CAUSE,))


def test_most_of_the_cause_in_other_words_around_it_is_restated():
    assert restated("so the housing on your gearbox cracked in pressure testing, we're recasting it", [CAUSE])
    assert restated("we have an update on the gearbox", [CAUSE]) is None


def test_restating_the_cause_states_the_news_and_explains_it_with_the_fact_as_evidence():
    detector = Detector.load(learned=False)
    reply = "Your gearbox housing, the one from the pressure test: we are recasting it."
    detection = detector.detect(reply, CONTEXT)
    for behaviour in ("states_the_news", "explains_cause"):
        found = [e for e in detection.evidence if e.behaviour == behaviour]
        assert found and found[0].layer == "scenario" and CAUSE in found[0].phrase, detection.evidence


def test_without_the_scenario_the_same_words_are_judged_on_their_own():
    detector = Detector.load(learned=False)
    detection = detector.detect("The housing of the gearbox cracked in its pressure test, so we recast it.")
    assert all(e.layer != "scenario" for e in detection.evidence)


def test_a_trainers_example_line_makes_a_reply_like_it_count_without_retraining():
    detector = Detector.load(learned=False)
    said = "the cell won't make its acceptance test on the 28th"
    context = ReplyContext(examples={"states_the_news": ["The cell will not make its acceptance test on the 28th."]})
    detection = detector.detect(said, context)
    found = [e for e in detection.evidence if e.layer == "example"]
    assert found and found[0].behaviour == "states_the_news" and "acceptance test" in found[0].phrase


def test_a_trainers_counts_as_file_reaches_every_scenario_and_a_broken_one_is_reported(tmp_path, monkeypatch):
    from simulator.content.loader import load_library
    from simulator.paths import CONFIG_DIR_ENV

    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path))
    (tmp_path / "counts_as.yaml").write_text("counts_as:\n  owns_it:\n    - that one is on my desk\n")
    library = load_library()
    assert all("that one is on my desk" in s.counts_as.get("owns_it", []) for s in library.scenarios.values())
    (tmp_path / "counts_as.yaml").write_text("counts_as:\n  owns_itt:\n    - x\n")
    problems = load_library().problems
    assert any(p.path.endswith("counts_as.yaml") and p.line == 2 and "owns_it" in p.message for p in problems)


def test_the_fact_is_quoted_where_it_is_restated_not_from_the_greeting_before_it():
    reply = "hi its sam from gearco, sorry for the late call - your gearbox housing, the one from the pressure test: we are recasting it"
    detection = Detector.load(learned=False).detect(reply, CONTEXT)
    quoted = [e for e in detection.evidence if e.layer == "scenario"]
    assert quoted, detection.evidence
    for evidence in quoted:
        assert evidence.clause == reply[evidence.start:evidence.end]
        assert evidence.clause.startswith("your gearbox housing") and evidence.clause.endswith("recasting it")


def test_a_fact_restated_over_two_sentences_is_quoted_from_the_first_of_its_words_to_the_last():
    from simulator.detect.facts import restated_span

    reply = "Morning! Bad news, I'm afraid. The gearbox housing cracked in its pressure test. We'll recast it."
    start, end = restated_span(reply, CAUSE)
    assert reply[start:end] == "The gearbox housing cracked in its pressure test. We'll recast it"  # both in the fact
    assert restated_span("nothing of it here", CAUSE) == (0, len("nothing of it here"))


def test_the_restated_cause_stands_beside_a_news_phrase_the_model_vetoes(library):
    """A bank's news phrase in the same reply must not keep the scenario's fact out: the model may veto the phrase
    (a permission question before the news had "I have some difficult news ... Priya has resigned" read as nothing),
    never the fact. Every bundled scenario, its cause said after a question and a news phrase."""
    from simulator.detect import default_detector

    missed = []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        cause = scenario.facts.get("cause")
        if cause is None:
            continue
        reply = f"Hello, thank you for taking my call. Do you have a few minutes? I have some difficult news: {cause}."
        context = ReplyContext(facts=tuple(map(str, scenario.facts.values())), news=(cause,))  # as a call passes it
        detection = default_detector().detect(reply, context)
        if not any(e.behaviour == "states_the_news" and e.layer != "model" for e in detection.evidence):
            missed.append((scenario_id, [(e.behaviour, e.layer) for e in detection.evidence]))
    assert not missed, missed
