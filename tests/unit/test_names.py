"""The buyer calls the rep by the name the rep gave, not by the scenario's seller name (engine/names.py)."""

from __future__ import annotations

import re

import pytest

from simulator.engine.call import Call
from simulator.engine.names import introduced_name


@pytest.mark.parametrize(("reply", "name"), [
    ("morning helen, its priyanka over at ledgerline, bad news about yesterday", "Priyanka"),
    ("Good afternoon Viktor. My name is Tomasz; I look after your account now.", "Tomasz"),
    ("hey graham, call me jo, everyone does", "Jo"),
    ("Karen, it's Amir Haddad. The curtain wall is three weeks late.", "Amir"),
    ("Sorry, one thing: it's Lena, not Karen's usual contact.", "Lena"),
    ("Ingrid, Bea from Halvorsen here.", "Bea"),
    ("hi karen its tom, bad news on the wall", "Tom"),  # lower case, no company: a play-tester was called "Sam"
    ("karen its dev here", "Dev"),
])
def test_a_name_clearly_given_is_heard(reply, name):
    companies = {"Halvorsen": "Halvorsen Pharma Services", "ledgerline": "Ledgerline"}
    company = next((c for key, c in companies.items() if key in reply), "Brightwater Components")
    assert introduced_name(reply, company, "Karen") == name


@pytest.mark.parametrize("reply", [
    "It's late, and I'm sorry.",
    "this is bad news, I'm afraid",
    "It's Monday that worries me.",
    "Karen, it's about the curtain wall.",
    "we at brightwater let you down",
    "I'm calling from Brightwater about your order.",
    "It's Osaka: the port is closed.",  # a place the scenario names
    "hi Karen it's me",
    "Karen, Priya resigned; her final day with Brightwater is 27 June.",  # a word before 'with' is not a name
    "The shipment from Brightwater is late.",
    "hi karen its delayed, sorry",  # an English word, not a name
    "hey its sorted.",
    "its tom",  # no greeting and no name of hers before it: too little to go on
])
def test_no_name_is_heard_where_none_was_given(reply):
    assert introduced_name(reply, "Brightwater Components", "Karen", frozenset({"osaka", "port"})) is None


def test_every_scenarios_buyer_calls_the_rep_what_they_called_themselves(library):
    for scenario in library.scenarios.values():
        call = Call(scenario, library.persona("calm"), seed=1)
        call.open()
        seller = scenario.seller.first_name
        call.reply(f"{scenario.buyer.first_name}, it's Quentin from {scenario.seller.company}. "
                   f"{scenario.tips.get('states_the_news', '')}")
        for reply in ("", "", "", scenario.tips.get("corrective_action", ""), "I'm sorry.", "", "Thank you.", "", ""):
            if call.over:
                break
            call.reply(reply)
        said = " ".join(t.text for t in call.transcript[2:] if t.speaker == "buyer")
        assert not re.search(rf"\b{re.escape(seller)}\b", said), (scenario.id, said)
