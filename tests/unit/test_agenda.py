"""The buyer's agenda and how she answers (issue 11), on late-shipment with the real detector."""

from __future__ import annotations

import pytest

from simulator.content.arc import default_arc
from simulator.content.models import Line, LineWhen
from simulator.engine.agenda import build_agenda
from simulator.engine.call import Call
from simulator.engine.lines import DEFAULT, PERSONA, SCENARIO, Candidate, LinePicker, Moment
from simulator.engine.mood import Mood

NEWS_AND_DATE = "Dana, I have bad news: PO 4471 won't arrive on 3 March. The full order now lands on 24 March."
NEWS_ONLY = "Dana, I have bad news: your MCU-220s on PO 4471 won't arrive on 3 March."
ALL_OPTIONS = ("I have three options: we air-freight 2,000 units at our cost within 5 working days, we ship the "
               "pin-compatible MCU-221 from Taiwan this week, or we send weekly partial shipments as stock arrives.")


def call_with(library, persona="calm", seed=0) -> Call:
    call = Call(library.scenario("late-shipment"), library.persona(persona), seed=seed)
    call.open()
    return call


def buyer_turns(call: Call):
    return [t for t in call.transcript if t.speaker == "buyer"]


def test_the_default_agenda_has_the_contract_slot_ids_most_pressing_first(library):
    contract = ("news", "when", "why", "options", "cost", "prevention", "position", "next_steps")
    for scenario in library.scenarios.values():
        ids = build_agenda(default_arc(), scenario, library.persona("calm")).ids
        assert tuple(i for i in ids if i in contract) == contract


def test_a_persona_can_press_a_slot_harder(library):
    calm = build_agenda(default_arc(), library.scenario("late-shipment"), library.persona("calm")).ids
    numbers = build_agenda(default_arc(), library.scenario("late-shipment"), library.persona("numbers")).ids
    assert calm.index("cost") > calm.index("options") and numbers.index("cost") < numbers.index("options")


def test_a_date_given_with_the_news_is_never_asked_for(library):
    call = call_with(library)
    for reply in (NEWS_AND_DATE, "...", "...", "A typhoon closed the port of Osaka.", "...", "..."):
        call.reply(reply)
    assert "when" in call.agenda.known
    assert not any("when" in t.asks for t in buyer_turns(call))


def test_when_the_date_was_not_given_she_asks_for_it_and_then_refers_back_to_it(library):
    call = call_with(library)
    call.reply(NEWS_ONLY)
    call.reply("...")
    asking = buyer_turns(call)[-1]
    assert asking.stage == "questions" and asking.asks == ("when",)
    answer = call.reply("The full order will now arrive on 24 March.")
    assert "24 March" in answer.text and "when" in answer.known


def test_a_question_about_impact_is_answered_from_the_scenarios_facts(library):
    call = call_with(library)
    call.reply(NEWS_AND_DATE)
    answer = call.reply("How does this affect your line?")
    assert answer.answers == "impact"
    assert any(line in answer.text for line in library.scenario("late-shipment").impact)


def test_checking_understanding_gets_a_yes_and_the_next_open_question(library):
    call = call_with(library)
    for reply in (NEWS_AND_DATE, "...", "A typhoon closed the port of Osaka."):
        call.reply(reply)
    answer = call.reply("Does that make sense so far?")
    assert answer.answers == "understanding"
    assert answer.asks and set(answer.asks).isdisjoint(answer.known)


def test_small_talk_after_the_news_is_steered_back_not_answered(library):
    call = call_with(library)
    call.reply(NEWS_AND_DATE)
    call.reply("...")
    answer = call.reply("By the way, how was your weekend? Did you get away anywhere nice?")
    assert answer.answers is None and answer.asks


def test_an_abbreviation_does_not_cut_a_question_in_two(library):
    call = call_with(library)
    call.reply(NEWS_AND_DATE)
    call.reply("...")
    answer = call.reply("Would it help if I wrote a one-page note you can give Dr. Brenner?")
    assert answer.answers == "question"
    assert any(line in answer.text for line in library.persona("calm").reactions.agree), answer.text


def test_a_question_she_cannot_answer_gets_an_honest_i_dont_know(library):
    call = call_with(library)
    call.reply(NEWS_AND_DATE)
    answer = call.reply("Did you get my email about the MCU-220 order last week?")
    assert answer.answers == "question"
    assert any(line in answer.text for line in library.persona("calm").reactions.unsure)


@pytest.mark.parametrize(("persona", "taken"), [("angry", "air freight"), ("numbers", "MCU-221"), ("calm", "partials")])
def test_offered_options_are_weighed_by_what_the_buyer_prefers(library, persona, taken):
    call = call_with(library, persona)
    call.reply(NEWS_AND_DATE)
    for _ in range(4):
        if call.stage in ("questions", "negotiating"):
            break
        call.reply("...")
    answer = call.reply(ALL_OPTIONS)
    assert answer.answers == "choice" and taken.lower() in answer.text.lower(), answer.text
    assert call.chosen is not None


def test_saying_the_same_thing_again_is_noticed(library):
    call = call_with(library)
    call.reply(NEWS_AND_DATE)
    call.reply("...")
    call.reply("We're already rerouting your order through Busan to get it moving sooner.")
    answer = call.reply("We're already rerouting your order through Busan to get it moving sooner.")
    assert any(line in answer.text for line in library.persona("calm").reactions.repeated)


def test_talk_off_the_subject_after_the_news_is_steered_back(library):
    call = call_with(library)
    call.reply(NEWS_AND_DATE)
    call.reply("...")
    answer = call.reply("Anyway, did you catch the match at the weekend with the lads?")
    assert any(line in answer.text for line in library.persona("calm").reactions.off_topic)
    assert answer.asks, "and she asks for what she still needs"


@pytest.mark.parametrize("goodbye", ["Talk to you Monday. Bye.", "thanks, talk at 4.",
                                     # typed with commas only, the goodbye in its last clause (a rep in the app)
                                     "thanks dana, the schedule goes out today, talk thursday"])
def test_a_goodbye_ends_the_call(library, goodbye):
    """"thanks, talk at 4." had been answered "Alright. That much is clear." (a play-tester, 2026-12-03)."""
    call = call_with(library)
    for reply in (NEWS_AND_DATE, "...", ALL_OPTIONS):
        call.reply(reply)
    call.reply(goodbye)
    assert call.over and call.stage == "ended"


def test_a_long_reply_that_only_mentions_talking_to_them_later_is_not_a_goodbye(library):
    call = call_with(library)
    call.reply(NEWS_AND_DATE)
    call.reply("I'll talk to you again once I know which ship the containers are on and what it means for the line.")
    assert not call.over
    call.reply("ok, the schedule goes out today, and I'll talk to the carrier about the rest of the week then")
    assert not call.over


def test_forgiveness_is_answered_and_the_call_goes_on_for_the_silence(library):
    call = call_with(library)
    for reply in (NEWS_AND_DATE, "...", "A typhoon closed the port of Osaka. That's on me to fix.", ALL_OPTIONS):
        call.reply(reply)
    answer = call.reply("Thank you for your patience. I'm sorry. Will you forgive me?")
    assert answer.answers == "forgiveness" and not call.over
    call.reply("...")
    assert not call.over


def test_forgiveness_waits_when_trust_is_low(library):
    call = call_with(library, "angry")
    call.reply(NEWS_AND_DATE)
    call.reply("Honestly it's the shipping line's fault, not ours.")
    answer = call.reply("I'm sorry. Will you forgive me?")
    if answer.stage == "hung_up":
        pytest.skip("she hung up first")
    assert answer.answers == "forgiveness"
    assert any(line in answer.text for line in library.persona("angry").reactions.not_yet), answer.text


@pytest.mark.parametrize(("reply", "talked_over"), [
    ("I know, and I'm so sorry. This leaves your March build exposed.", ""),
    ("Let me explain: a typhoon closed the port of Osaka.", "explained"),
    ("Honestly it's the shipping line's fault, not ours.", "defended"),
    ("Calm down, it's only three weeks.", "defended"),
])
def test_talking_over_the_vent_means_explaining_or_defending_not_acknowledging(library, reply, talked_over):
    call = call_with(library, "angry")
    call.reply(NEWS_AND_DATE)
    assert call.buyer_is_venting
    call.reply(reply)
    assert call.seller_turns[-1].talked_over == talked_over


def test_cutting_in_while_the_line_is_still_coming_is_talking_over_whatever_is_said(library):
    call = call_with(library, "angry")
    call.reply(NEWS_AND_DATE)
    call.reply("I hear you.", interrupted=True)
    assert call.seller_turns[-1].talked_over == "cut_off" and call.seller_turns[-1].cut_off


def test_a_reaction_about_days_comes_only_when_the_rep_spoke_of_days(library):
    call = call_with(library, "angry")
    call.reply(NEWS_AND_DATE)
    answer = call.reply("It's not a big deal really, a small hiccup.")
    assert "few days" not in answer.text.lower()
    call = call_with(library, "angry")
    call.reply(NEWS_AND_DATE)
    answer = call.reply("It's only a few days late, no big deal.")
    assert "few days" in answer.text.lower()


def moment(**kwargs) -> Moment:
    base = dict(known=frozenset(), agenda=frozenset({"news", "when"}), offered=frozenset(), behaviours=frozenset(),
                reply="", mood=Mood(20, 50))
    return Moment(**{**base, **kwargs})


def candidate(text, rank=SCENARIO, **when) -> Candidate:
    return Candidate(text, LineWhen(**when), None, rank, False)


def test_the_most_specific_line_wins_and_the_seed_only_breaks_ties():
    plain, specific = candidate("plain"), candidate("specific", offered=["air"], filled=["when"])
    now = moment(offered=frozenset({"air"}), known=frozenset({"when"}))
    assert all(LinePicker(seed).best([plain, specific], now).text == "specific" for seed in range(10))
    tied = {LinePicker(seed).best([plain, candidate("other")], now).text for seed in range(20)}
    assert tied == {"plain", "other"}


def test_a_line_whose_condition_fails_is_never_said():
    picker = LinePicker(0)
    assert picker.best([candidate("needs air", offered=["air"])], moment()) is None


def test_the_scenario_or_persona_line_comes_before_the_default_arcs():
    defaults = candidate("default", rank=DEFAULT, temperature_below=90)
    persona = candidate("persona", rank=PERSONA)
    assert LinePicker(0).best([defaults, persona], moment()).text == "persona"


def test_a_line_once_said_is_not_picked_again():
    picker = LinePicker(0)
    first = picker.best([candidate("a"), candidate("b")], moment())
    picker.take(first)
    assert picker.best([candidate("a"), candidate("b")], moment()).text != first.text


def test_a_plain_line_and_a_line_object_read_the_same():
    assert Line(text="When?").asks is None and Line(text="x", asks=[]).asks == []
