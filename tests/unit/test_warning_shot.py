"""A warning shot ("I'm afraid I have some bad news.") announces the news without telling it (engine/call.py
`_only_announced`): the buyer asks what has happened, and reacts to the news only once it is told. She had answered
"Three weeks. That's our whole March build." to a rep who had not yet said a word about a delay."""

from __future__ import annotations

import pytest

from simulator.engine.call import Call

# Warning shots the detector reads as states_the_news (each test checks it still does): those the buyer had taken
# for the news itself. One it reads as nothing, or as stalling, was already asked about.
WARNING_SHOTS = [
    "Hi {name}, it's Sam. I'm afraid I have some bad news about your order.",
    "hi {name} its sam. bad news im afraid",
    # The rep's company is in the scenario's own words, but names no part of the news.
    "{name}, it's Sam from {company}. I'm afraid I have some bad news about your order.",
]


def texts(lines) -> set[str]:
    return {line if isinstance(line, str) else line.text for line in lines}


@pytest.mark.parametrize("shot", WARNING_SHOTS)
@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_a_warning_shot_gets_asked_what_happened_on_every_scenario(library, persona, shot):
    wrong = []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        call = Call(scenario, library.persona(persona), seed=0)
        call.open()
        answer = call.reply(shot.format(name=scenario.buyer.first_name, company=scenario.seller.company))
        assert call.transcript[-2].detection.has("states_the_news"), (scenario_id, "read as the news no longer")
        if call.news_given or "news" in call.agenda.known or "news" not in answer.asks:
            wrong.append((scenario_id, answer.text, answer.asks))
    assert not wrong, wrong


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_the_news_told_after_the_warning_shot_is_heard(library, persona):
    announced = texts(library.persona(persona).reactions.announced)
    for scenario_id, scenario in sorted(library.scenarios.items()):
        call = Call(scenario, library.persona(persona), seed=0)
        call.open()
        first = call.reply(WARNING_SHOTS[0].format(name=scenario.buyer.name.split()[0]))
        assert first.text in announced, (scenario_id, first.text)
        call.reply(scenario.tips["states_the_news"])
        assert call.news_given and "news" in call.agenda.known, scenario_id


@pytest.mark.parametrize("reply", [
    "Dana, I have bad news: PO 4471 will be three weeks late.",
    "I'm afraid I have some bad news: the typhoon closed the port of Osaka.",
    "There's an issue with your order: it won't arrive on 3 March.",
    "bad news sorry, the MCU-220s are stuck in Osaka",
])
def test_news_said_with_the_warning_is_the_news(library, reply):
    call = Call(library.scenario("late-shipment"), library.persona("calm"), seed=0)
    call.open()
    call.reply(reply)
    assert call.news_given, reply


def test_the_warning_shot_still_counts_in_the_debrief_as_the_detector_read_it(library):
    """Only the buyer's side changes: the transcript keeps the detector's reading, which the scoring uses."""
    call = Call(library.scenario("late-shipment"), library.persona("calm"), seed=0)
    call.open()
    call.reply(WARNING_SHOTS[0].format(name="Dana"))
    assert call.transcript[-2].detection.has("states_the_news")


def test_naming_what_the_news_is_about_in_the_warning_is_still_only_the_warning(library):
    """"... I'm ringing with some difficult news about lot 24-0871, and I thought you should hear it from me." named
    the lot, so the buyer took it for the news and vented about a failed test nobody had mentioned."""
    call = Call(library.scenario("batch-failed-release"), library.persona("numbers"), seed=0)
    call.open()
    call.reply("Ingrid, good afternoon; I'm afraid I'm ringing with some difficult news about lot 24-0871, and I "
               "thought it important that you should hear it from me today.")
    if call.transcript[-2].detection.has("states_the_news"):  # only then could she mistake it for the news
        assert not call.news_given and "news" in call.transcript[-1].asks, call.transcript[-1].text
    call.reply("Lot 24-0871 has failed its dissolution test and cannot be released.")
    assert call.news_given
