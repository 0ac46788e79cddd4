"""Every "try:" is written in the scenario's own words, or in words that name no scenario at all (issue 11)."""

from __future__ import annotations

import re

import pytest

from simulator.catalogue import BEHAVIOURS, BY_ID
from simulator.content.models import Scenario
from simulator.content.tips import tip_for


def telling_words(scenario: Scenario) -> set[str]:
    """What only this scenario says: its people's full names, its companies, and facts such as part and order
    numbers or dates (a fact with letters and digits: "MCU-220", "TR-4402", "24 March"; a bare amount may recur)."""
    words = {scenario.buyer.name, scenario.seller.name, scenario.buyer.company, scenario.seller.company}
    words |= {v for v in scenario.facts.values() if re.search(r"\d", v) and re.search(r"[A-Za-z]", v) and len(v) < 30}
    return words


def test_no_tip_of_one_scenario_names_another_scenarios_facts(library):
    for scenario_id, scenario in library.scenarios.items():
        others = set().union(*(telling_words(s) for sid, s in library.scenarios.items() if sid != scenario_id))
        own = " ".join([scenario.brief, *scenario.facts.values(), *(o.text for o in scenario.options)])
        others = {w for w in others if w not in own}  # two scenarios may share a date; only a borrowed one counts
        for behaviour in BEHAVIOURS:
            tip = tip_for(behaviour.id, scenario)
            named = sorted(w for w in others if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", tip))
            assert not named, f"{scenario_id} {behaviour.id}: {tip!r} names {named}"


def test_the_catalogues_generic_tips_name_no_scenario(library):
    every = set().union(*(telling_words(s) for s in library.scenarios.values()))
    for behaviour in BEHAVIOURS:
        named = [w for w in every if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", behaviour.better)]
        assert not named, (behaviour.id, named)


def test_a_scenarios_own_tip_wins_and_its_placeholders_are_filled(library):
    scenario = library.scenario("late-shipment")
    assert tip_for("states_the_news", scenario).startswith("Dana, I have bad news: PO 4471")
    custom = scenario.model_copy(update={"tips": {"owns_it": "{buyer.first_name}, this one is on me."}})
    assert tip_for("owns_it", custom) == "Dana, this one is on me."


def test_tips_are_written_from_the_scenarios_options_cause_and_offers_when_it_has_no_tip(library):
    scenario = library.scenario("late-shipment").model_copy(update={"tips": {}})
    options = tip_for("offers_options", scenario)
    assert options.startswith("I have three options for you:") and "MCU-221" in options
    assert tip_for("explains_cause", scenario) == "A typhoon closed the port of Osaka."
    assert "5% credit" in tip_for("compensates", scenario)
    assert tip_for("blames_others", scenario) == BY_ID["blames_others"].better


def test_without_a_scenario_the_tip_is_the_generic_one():
    assert tip_for("stalls", None) == BY_ID["stalls"].better


@pytest.mark.parametrize("learned", [True, False])
def test_the_scenarios_own_try_said_word_for_word_is_credited_in_its_call(learned: bool) -> None:
    """The debrief's "try:" for a good behaviour, said as it stands, shows that behaviour in the scenario's call: a
    play-tester said subcontract-delay's acknowledges_impact tip and was told "You never did this. Instead: <the same
    sentence>" (2026-12-04). Every scenario, every good reply behaviour with a tip of the scenario's own, with the
    learned layer and without it. Saying one tip is never taken, by likeness to the tips, for another tip's behaviour
    (hotel-lost-booking's news tip is 0.86 like its resets_expectations tip)."""
    from simulator.catalogue import BY_ID, REPLY_IDS
    from simulator.content.loader import load_library
    from simulator.detect import default_detector
    from simulator.detect.detector import phrase_detector
    from simulator.engine.call import reply_context

    library, detector = load_library(), default_detector() if learned else phrase_detector()
    missed, borrowed, checked = [], [], 0
    for scenario_id in sorted(library.scenarios):
        scenario = library.scenario(scenario_id)
        context = reply_context(scenario)
        for behaviour in (b for b in REPLY_IDS if BY_ID[b].good and b != "stays_silent"):
            tip = tip_for(behaviour, scenario)
            if tip == BY_ID[behaviour].better:
                continue
            checked += 1
            detection = detector.detect(tip, context)
            if behaviour not in detection.behaviours:
                missed.append((scenario_id, behaviour, tip))
            borrowed += [(scenario_id, behaviour, e.behaviour) for e in detection.evidence
                         if e.phrase.startswith("like the scenario's own try") and e.behaviour != behaviour
                         and e.phrase.split(": ", 1)[1] != tip]
    assert checked >= 100 and not missed and not borrowed, (missed, borrowed)
