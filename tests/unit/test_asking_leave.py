"""A rep who asks leave to do something ("..., can I walk you through them?") is given it; one who asks leave to ask
a question ("Can I ask when you need them?") is not answered as if offering (engine/call.py `_proposes`)."""

from __future__ import annotations

import pytest

from simulator.engine.call import SUPPORT_REQUEST, Call, _proposes
from tests.playing import past_the_news

NEWS = {
    "late-shipment": "Dana, bad news: PO 4471 will not arrive on 3 March; the full order now lands on 24 March.",
    "key-engineer-leaving": "Joel, Priya resigned this morning; she is moving to Toronto and her last day is 27 June.",
}


@pytest.mark.parametrize(("question", "offers"), [
    ("Shall I send the plan tonight?", True),
    ("i have three options for you, can i walk you thru them?", True),
    ("There are two ways to do this - shall I go through them?", True),
    ("Would a one-page summary for your board help?", True),
    ("Do you want I send you this in a short email so you can forward?", True),  # a rep typing in a second language
    ("My question was: you want a short email for your controller with all this?", True),
    ("Do you want the air freight or the substitute?", False),  # which option: a choice, not an offer
    ("Can I ask when you need them?", False),
    ("sorry, could i ask what your line needs first?", False),
    ("If we ship half on Friday, can you take them?", False),
    ("", False),
])
def test_an_offer_is_found_at_the_start_or_in_the_last_clause_of_a_question(question, offers):
    assert _proposes(question) is offers


def lines(items) -> set[str]:
    return {item if isinstance(item, str) else item.text for item in items}


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
@pytest.mark.parametrize("scenario", sorted(NEWS))
def test_asking_leave_to_walk_her_through_the_options_is_given_it(library, scenario, persona):
    call = Call(library.scenario(scenario), library.persona(persona), seed=0)
    call.open()
    for reply in (NEWS[scenario], "", ""):
        call.reply(reply)
        if call.over:
            break
    reactions = library.persona(persona).reactions
    answer = call.reply("I'm sorry. I have three options for you on how we fix it, can I walk you through them?")
    assert any(line in answer.text for line in lines(reactions.agree)), answer.text
    assert not any(line in answer.text for line in lines(reactions.unsure)), answer.text


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
@pytest.mark.parametrize("scenario", sorted(NEWS))
def test_a_request_for_her_support_is_answered_as_she_feels_not_as_an_offer(library, scenario, persona):
    call = Call(library.scenario(scenario), library.persona(persona), seed=0)
    call.open()
    for reply in (NEWS[scenario], "", "I'm sorry.", ""):
        call.reply(reply)
        if call.over:
            break
    reactions = library.persona(persona).reactions
    answer = call.reply("Thanks for hearing me out. I'll call you Friday. Can I count on your support until then?")
    assert any(line in answer.text for line in lines(reactions.forgives) | lines(reactions.not_yet)), answer.text
    assert not any(line in answer.text for line in lines(reactions.agree)), answer.text


@pytest.mark.parametrize(("question", "support"), [
    ("can i count on your support for monday?", True),
    ("Thanks, Helen. Do I still have your backing?", True),
    ("Can I have your PO number?", False),
    ("Can I send it tonight?", False),
])
def test_a_request_for_support_is_told_from_an_offer_and_from_a_request_for_something_else(question, support):
    assert bool(SUPPORT_REQUEST.search(question)) is support
    if support:
        assert not _proposes(question)


@pytest.mark.parametrize("question", ["what hurts most right now?", "Whats your biggest concern here?"])
def test_a_question_about_what_it_does_to_her_gets_her_impact_in_every_scenario(library, question):
    from simulator.content.placeholders import fill, placeholder_values

    unanswered = []
    persona = library.persona("calm")
    for scenario_id, scenario in sorted(library.scenarios.items()):
        answer = past_the_news(library, scenario_id, "calm").reply(question)
        values = placeholder_values(scenario)
        impact = {fill(line, values) for line in lines(scenario.impact) | lines(persona.reactions.impact)}
        if not any(line in answer.text for line in impact):
            unanswered.append((scenario_id, answer.text))
    assert not unanswered, unanswered[:3]
