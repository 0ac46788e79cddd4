"""Once the buyer has taken an option, she no longer asks about the ones she did not take ('If you fly 2,000, that
covers us for what, two weeks?' after she chose the weekly partial shipments) — every scenario and persona."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.content.models import LineWhen
from simulator.content.placeholders import fill, placeholder_values
from simulator.engine.call import Call
from simulator.engine.lines import Moment, holds
from simulator.engine.mood import Mood
from tests.playing import laid_out, past_the_news


def lines_about_options(node: Any, options: set[str]) -> list[tuple[str, set[str]]]:
    """Every buyer line in a scenario written for when some of its options have been offered: (text, those ids)."""
    found = []
    if isinstance(node, dict):
        when = node.get("when")
        if isinstance(node.get("text"), str) and isinstance(when, dict) and set(when.get("offered") or ()) & options:
            found.append((node["text"], set(when["offered"]) & options))
        for value in node.values():
            found += lines_about_options(value, options)
    elif isinstance(node, list):
        for value in node:
            found += lines_about_options(value, options)
    return found


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_no_line_about_an_option_she_did_not_take(library, persona):
    checked, wrong = 0, []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        options = {o.id for o in scenario.options}
        about = lines_about_options(scenario.model_dump(mode="json"), options)
        if not about or len(scenario.options) < 2:
            continue
        call = past_the_news(library, scenario_id, persona)
        call.reply(f"Three options: {laid_out(scenario)}. Which suits you?")
        if call.chosen is None:
            continue
        after = len(call.transcript)
        for reply in ("Understood.", "", "I'll confirm it in writing today.", "", "Okay.", ""):
            if call.over:
                break
            call.reply(reply)
        checked += 1
        said = " ".join(t.text for t in call.transcript[after:] if t.speaker == "buyer")
        values = placeholder_values(scenario)
        wrong += [(scenario_id, call.chosen, text[:60]) for text, ids in about
                  if call.chosen not in ids and fill(text, values)[:40] in said]
    assert checked >= 3
    assert not wrong, wrong[:3]


def moment(chosen: str | None) -> Moment:
    return Moment(known=frozenset(), agenda=frozenset(), offered=frozenset({"air", "partials", "credit"}),
                  behaviours=frozenset(), reply="", mood=Mood(20, 50), options_named=2, chosen=chosen,
                  options=frozenset({"air", "partials"}))


def test_a_line_for_an_offered_option_holds_until_she_takes_another():
    about_air = LineWhen(offered=["air"])
    assert holds(about_air, moment(None)) and holds(about_air, moment("air"))
    assert not holds(about_air, moment("partials"))
    assert holds(LineWhen(offered=["credit"]), moment("partials"))  # compensation goes with any option


# A whole call written by a rep voice unlike ours (a play-test, 2026-12-03): she took the weekly partials, and
# two replies later asked "If you fly 2,000, that covers us for what, two weeks?".
PARTIALS_CALL = [
    ("Hi Dana, it's Sam from Northgate. I'm afraid I have bad news: your PO 4471, the 10,000 MCU-220s, won't arrive"
    " on 3 March. The full order will now land on 24 March."),
    "",
    ("A typhoon hit Japan last week and the port of Osaka has been closed since, so nothing of ours can load. I know"
    " this puts your March build at risk and I'm really sorry."),
    "How badly does this hit your line? How much stock do you have on the shelf?",
    ("OK, so we need to cover you from the 10th. My manager has signed off three things. One, we fly 2,000 units in at"
    " our cost, they'd be with you within 5 working days. Two, we can ship the MCU-221 from our Taiwan warehouse this"
    " week, it's pin-compatible with the 220. Three, we send weekly partial shipments as stock comes in. Which of"
    " those works best for your line?"),
    ("Will do, I'll send you the partials schedule today. If the port stays shut past the 24th, I'll call you the same"
    " day and we switch some of it to air freight, still at our cost. And I'm adding a 5% credit on the order."),
    "Fair question. We're setting up a second loading port, so if one port shuts, your orders go out from the other.",
    "Would it help if I wrote him a short note with the new dates and the partials schedule?",
]


def test_the_partials_call_does_not_come_back_to_the_air_freight(library):
    call = Call(library.scenario("late-shipment"), library.persona("calm"), seed=0)
    call.open()
    for reply in PARTIALS_CALL:
        call.reply(reply)
    assert call.chosen == "partials"
    assert not any("If you fly" in t.text for t in call.transcript if t.speaker == "buyer")
