"""Two or more of the scenario's own options named in one reply are offers_options (engine/call.py `_options_named`),
however they are laid out. Play-tested debriefs had said "3 options offered (...)" and, first among what to change,
"Offer options: You never did this" about the same reply."""

from __future__ import annotations

import pytest

from simulator.engine.call import SCENARIO_OPTIONS
from simulator.scoring.rubric import score_call
from tests.playing import past_the_news


def listed(scenario, shape: str) -> str:
    """The scenario's first two options by their first phrase, laid out as a rep might type them."""
    first, second = (o.phrases[0] if o.phrases else o.text for o in scenario.options[:2])
    return shape.format(first=first, second=second)


SHAPES = ["1) {first} 2) {second}", "opt A: {first}. opt B: {second}.", "{first}; {second}"]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_two_options_named_are_options_offered_on_every_scenario(library, persona, shape):
    missed = []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        if len(scenario.options) < 2:
            continue
        call = past_the_news(library, scenario_id, persona)
        if call.over:
            continue
        reply = listed(scenario, shape)
        call.reply(reply)
        detection = call.transcript[-2].detection
        line = score_call(call).line("offers_options")
        if not detection.has("offers_options") or line is None or not line.hit:
            missed.append((scenario_id, reply))
    assert not missed, missed


def test_the_evidence_names_the_options_when_the_detector_heard_none(library):
    scenario = library.scenario("late-shipment")
    call = past_the_news(library, "late-shipment", "calm")
    call.reply(listed(scenario, SHAPES[0]))
    evidence = call.transcript[-2].detection.evidence_for("offers_options")
    assert evidence is not None
    if evidence.layer == "scenario":  # the detector did not hear it: the scenario's options did
        assert evidence.phrase.startswith(SCENARIO_OPTIONS)


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_one_option_named_alone_is_not_options_offered_by_the_scenario(library, persona):
    """One option is a proposal, not a choice: only the detector may read it as offering options."""
    for scenario_id, scenario in sorted(library.scenarios.items()):
        call = past_the_news(library, scenario_id, persona)
        if call.over:
            continue
        option = scenario.options[0]
        call.reply(option.phrases[0] if option.phrases else option.text)
        found = call.transcript[-2].detection.evidence_for("offers_options")
        assert found is None or not found.phrase.startswith(SCENARIO_OPTIONS), scenario_id


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_two_options_offered_one_reply_apart_are_options_offered_on_every_scenario(library, persona):
    """A play-tested debrief said "2 options offered" and, as its third thing to change, "Offer options: You never
    did this": the rep had offered one option a reply. The reply that puts a second option on the table offers
    options, and its evidence names the one offered before."""
    missed = []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        if len(scenario.options) < 2:
            continue
        call = past_the_news(library, scenario_id, persona)
        first, second = (o.phrases[0] if o.phrases else o.text for o in scenario.options[:2])
        for reply in (f"One thing we can do: {first}.", f"Another way: {second}."):
            if not call.over:
                call.reply(reply)
        if call.over:
            continue
        evidence = call.transcript[-2].detection.evidence_for("offers_options")
        line = score_call(call).line("offers_options")
        if evidence is None or line is None or not line.hit:
            missed.append(scenario_id)
        elif evidence.layer == "scenario":
            assert "(offered before)" in evidence.phrase, scenario_id
    assert not missed, missed


def test_the_same_option_said_again_is_not_a_second_option(library):
    scenario = library.scenario("late-shipment")
    call = past_the_news(library, "late-shipment", "calm")
    option = scenario.options[0].phrases[0]
    call.reply(f"We can {option}.")
    call.reply(f"Again: we can {option}.")
    found = call.transcript[-2].detection.evidence_for("offers_options")
    assert found is None or not found.phrase.startswith(SCENARIO_OPTIONS)
