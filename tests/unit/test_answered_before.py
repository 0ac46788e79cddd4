"""The buyer does not ask what the rep has already answered (`not_said:`), and never answers a reply with nothing.

Play-tested: after "with your 1,800 plus the 2,000 by air, your line can work until middle of March", Dana asked
"If you fly 2,000, that covers us for what, two weeks?"; and once every follow-up of hers had been answered, she
met the rep's next reply with silence.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from simulator.content.arc import default_arc
from simulator.content.models import LineWhen
from simulator.content.placeholders import fill, placeholder_values
from simulator.engine.call import Call
from simulator.engine.lines import Moment, holds
from simulator.engine.mood import Mood
from tests.integration.test_bundled_calls import good_call
from tests.playing import past_the_news

PERSONAS = ("calm", "angry", "numbers")


LUCIA = [  # her late-shipment call with the angry buyer, as typed (2026-12-03)
    ("Hi Dana, is Sam from Northgate. I am calling for tell you a bad news, sorry. We have a problem with the delivery "
     "of you PO 4471, the 10,000 MCU-220 is not possible to arrive the 3 of March."),
    ("Yes, I am very sorry, the new date is 24 of March. The reason is a typhoon, it closed the port of Osaka and all "
     "the ships is stopped. But I don't want to leave you without parts, we have some options for you."),
    ("I understand, you gave the date to your people and now you are in a bad position because of us. Is our fault "
     "and I am sorry. Tell me, what is the most urgent for you?"),
    ("Ok, so the 10th is the key. We can to send 2,000 units by air freight, we pay it, they arrive in 5 working days. "
     "So you have parts before the 10th. Is this helping you?"),
    ("You are right. With your 1,800 plus the 2,000 by air, your line can work until middle of March more or less. "
     "Also we have the MCU-221, is pin-compatible, we can ship it this week from our warehouse in Taiwan. And "
     "eventually weekly partial shipments when the stock arrives."),
    ("I book it today, I send you the confirmation this afternoon. For the future, we are adding a second port of "
     "loading, so if one port is closing the order is not stopped. And for the trouble we give you a credit of 5% on "
     "the order."),
    ("Like I said, more or less until the middle of March, depends how many you use per day. For the rest until 24, "
     "we can send the MCU-221 this week if your engineers approve it, or partials every week. What you prefer?"),
    ("Good question. Actually the port authority says it reopens next week, but if it stays closed, I call you "
     "immediately, the same day, and we move the order by the other port. I don't let you find out by surprise."),
    ("You can tell him: 2,000 units arrive by air in 5 working days at our cost, so the line don't stop on the 10th, "
     "the full order arrives 24 March, and we give 5% credit. If you want, I write you an email with all this, so you "
     "can forward to him."),
]


def moment(*replies: str) -> Moment:
    return Moment(known=frozenset(), agenda=frozenset(), offered=frozenset(), behaviours=frozenset(),
                  reply=replies[-1] if replies else "", mood=Mood(40, 40), replies=replies[:-1])


def test_a_line_is_not_said_once_any_reply_of_the_call_has_said_its_words():
    when = LineWhen(not_said=["until", "mid March"])
    assert holds(when, moment("We can air-freight 2,000.", "That's all I have for now."))
    assert not holds(when, moment("That keeps your line going until the 12th.", "Anything else?"))
    assert not holds(when, moment("Nothing yet.", "It covers you to mid-March."))  # this reply counts too
    assert not holds(when, moment("It covers you to mid march, roughly."))


def test_not_said_narrows_a_line_without_making_it_more_specific():
    # More specific lines win over others: a line an author narrows must not start crowding out the rest.
    assert LineWhen(not_said=["until"]).specificity == LineWhen().specificity
    assert LineWhen(offered=["air"], not_said=["until"]).specificity == LineWhen(offered=["air"]).specificity


def test_a_line_waits_until_some_reply_of_the_call_has_said_its_words():
    """`said:` (2026-12-04): "Who eats the $15,050?" had been asked of a rep who never gave the figure."""
    when = LineWhen(said=["15,050", "fifteen thousand"])
    assert not holds(when, moment("The quote was wrong, sorry.", "We left out freight and installation."))
    assert holds(when, moment("It left out $15,050 of freight and installation.", "I'm sorry."))  # an earlier reply
    assert holds(when, moment("The quote was wrong.", "About fifteen thousand dollars, all in."))  # this one
    assert LineWhen(said=["15,050"]).specificity == LineWhen().specificity


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_buyer_never_names_the_missing_figure_before_the_rep_has(persona: str) -> None:
    """quote-missing-costs: a rep who owns the error without the figure never hears it back from Graham."""
    from simulator.content.loader import load_library

    library = load_library()
    scenario = library.scenario("quote-missing-costs")
    figure = scenario.facts["missing_total"]
    for seed in range(4):
        call = Call(scenario, library.persona(persona), seed=seed)
        call.open()
        for reply in ("graham bad news, quote q-2291 was wrong, my mistake. sorry", "", "", "how does this hit you?",
                      "we can split the freight and install with you or bill part after go-live", "", "what else?"):
            if call.over:
                break
            call.reply(reply)
        said = [turn.text for turn in call.transcript if turn.speaker == "buyer" and figure in turn.text]
        assert not said, said


def narrowed_lines(node: Any) -> list[tuple[str, list[str]]]:
    """Every buyer line with a `not_said:` in a scenario, persona or arc: (text, its words)."""
    found = []
    if isinstance(node, dict):
        when = node.get("when")
        if isinstance(node.get("text"), str) and isinstance(when, dict) and when.get("not_said"):
            found.append((node["text"], list(when["not_said"])))
        for value in node.values():
            found += narrowed_lines(value)
    elif isinstance(node, list):
        for value in node:
            found += narrowed_lines(value)
    return found


def heard_in(line: str, values: dict[str, str], said: str) -> bool:
    """Whether the buyer said this line (filled in; case aside, as a furious buyer shouts her first sentence)."""
    return fill(line, values)[:40].lower() in said.lower()  # its punctuation too: "In writing?" is not "In writing."


def buyer_text(call: Call, after: int = 0) -> str:
    return " ".join(t.text for t in call.transcript[after:] if t.speaker == "buyer")


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_follow_up_is_asked_once_the_rep_has_answered_it_in_any_scenario(library, persona):
    arc_lines = narrowed_lines(default_arc().model_dump(mode="json"))
    persona_lines = narrowed_lines(library.persona(persona).model_dump(mode="json"))
    asked_anyway, asked_unanswered = [], 0
    for scenario_id, scenario in sorted(library.scenarios.items()):
        lines = narrowed_lines(scenario.model_dump(mode="json")) + persona_lines + arc_lines
        values = placeholder_values(scenario)
        textbook = good_call(scenario)
        # Played as written, some of these questions come up: they are live lines, not dead ones.
        plain = play(scenario, library.persona(persona), textbook)
        asked_unanswered += sum(heard_in(text, values, buyer_text(plain)) for text, _ in lines)
        # The same call, with every one of their answers said in the first reply: none of them is asked.
        answers = "; ".join(words[0] for _, words in lines)
        answered = play(scenario, library.persona(persona), [f"{textbook[0]} Also: {answers}.", *textbook[1:]])
        said = buyer_text(answered)
        asked_anyway += [(scenario_id, text[:50]) for text, _ in lines if heard_in(text, values, said)]
    assert asked_unanswered >= 3, "the narrowed lines were never said: this test would check nothing"
    assert not asked_anyway, asked_anyway[:5]


def play(scenario, persona, replies: list[str]) -> Call:
    call = Call(scenario, persona, seed=3)
    call.open()
    for reply in replies:
        if call.over:
            break
        call.reply(reply)
    return call


def test_the_coverage_question_comes_only_while_the_rep_has_not_said_how_long_it_covers(library):
    """Lucía's call (a second-language rep, 2026-12-03), up to the reply after she offered the air freight."""
    told = "With your 1,800 plus the 2,000 by air, your line can work until middle of March more or less."
    asked = "that covers us for what, two weeks"
    for last, expected in ((told, False), ("We are also adding a second port of loading for the future.", True)):
        scenario, persona = library.scenario("late-shipment"), library.persona("angry")
        call = play(scenario, persona, [*LUCIA[:4], last, "I book it today and send you a note you can show him."])
        assert (asked in buyer_text(call).lower()) is expected, [t.text for t in call.transcript]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_reply_is_never_met_with_silence_once_her_questions_are_answered(library, persona):
    quiet = []
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, persona)
        scenario = library.scenario(scenario_id)
        for reply in [
            *good_call(scenario)[2:-1],
            "To sum up: the options stand as I said, and I'll follow up on each of them.",
            "You can tell your boss we have a plan and a date, and I'll send you a note you can forward to him.",
            "I'll call you every Friday with an update until this is closed.",
            "We'll cover the extra costs this causes you.",
            "I've noted everything you told me and I'll make sure it's covered.",
        ]:
            if call.over:
                break
            before = len(call.transcript)
            call.reply(reply)
            answer = [t.text for t in call.transcript[before:] if t.speaker == "buyer"]
            if reply and not call.over and not any(text.strip() for text in answer):
                quiet.append((scenario_id, reply[:40]))
    assert not quiet, quiet[:5]


def test_a_reply_that_answers_her_last_open_question_gets_an_answer_not_silence(library):
    call = play(library.scenario("late-shipment"), library.persona("angry"), LUCIA)
    last = call.transcript[-1]
    assert last.speaker == "buyer" and last.text.strip(), [t.text for t in call.transcript[-4:]]
    # Nor does she ask for it in writing, or what happens if it slips: the rep has just said both.
    assert "writing" not in last.text.lower() and "slips" not in last.text.lower()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("courtesy", ["um how are you doing today?", "do you have a few minutes?", "is now an ok time?"])
def test_a_courtesy_question_before_the_news_gets_a_courtesy_answer_in_every_scenario(library, persona, courtesy):
    """Play-tested: "how are you doing today?" got "I'm not sure. What would you suggest?"."""
    buyer = library.persona(persona)
    shrugs = {fill(str(line), {}) for line in buyer.reactions.unsure}
    for scenario_id, scenario in sorted(library.scenarios.items()):
        call = play(scenario, buyer, [f"Hi {scenario.buyer.first_name}, it's Sam. {courtesy}"])
        answer = call.transcript[-1].text
        assert not any(shrug in answer for shrug in shrugs), (scenario_id, answer)
        assert answer.rstrip().endswith("?"), (scenario_id, answer)  # and she asks what it is about


def test_she_does_not_tell_the_rep_the_same_thing_turn_after_turn(library):
    """A play-tester heard "My CFO reviews purchase-price variance line by line every month." three times."""
    replies = [
        "hi viktor, um its alicia from castell. sorry to bother you, is now an ok time?",
        ("ok sorry. so the invoice INV-20931 for PO 55-3308 that went out this morning is wrong, it's at 20.15 a unit "
         "instead of the 18.40 on your PO, so it's 7,000 over"),
        ("our costs went up 9.5% on april 1 with an aluminium surcharge and we were supposed to give you 60 days "
         "written notice and we never sent it. that's on us, i'm really sorry"),
        "sorry, go ahead",
        ("ok that makes sense. when's the next review with your cfo? like what would help you most for that, the "
         "invoice fixed or a plan for the price going forward?"),
        ("ok so first thing, we've raised a credit note for the full 7,000 so this invoice goes back to 18.40. does "
         "that fix the invoice side for you?"),
        ("ok so from here we have three options my director approved. one, phase it in, half from july 1 so 19.23 a "
         "unit and the full 20.15 from october 1"),
        ("two, we hold 18.40 to december 31 if you commit your second half volume of 8,000 units now. three, qualify "
         "the DC-140S, it's a thinner wall version of the same enclosure, at 18.95. which of those matters more to "
         "you, the price or not having to requalify?"),
        ("tbh i don't know what happens if it drops, i don't want to promise something i can't back. can i check with "
         "my director and get back to you today? is the worry more like a small dip or a big cut?"),
        ("from me. we changed it so every cost change from a supplier now opens a customer notice task in our crm, and "
         "every invoice price gets checked against your PO before it's sent"),
    ]
    call = play(library.scenario("price-increase"), library.persona("angry"), replies)
    said = [t.text for t in call.transcript if t.speaker == "buyer"]
    # Once as what it costs her, once more only to set up the question that points back to it ("What do I tell him?").
    told = [text for text in said if "line by line every month" in text]
    assert len(told) <= 2 and all("tell him" in text for text in told[1:]), told


def first_option(scenario) -> str:
    first = scenario.options[0]
    return first.phrases[0] if first.phrases else first.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_option_on_the_table_put_to_her_in_an_either_or_gets_her_choice_not_a_yes(library, persona):
    """Play-tested: "should i go through them or is riverside already the one you'd lean to?" got "Yes, please."."""
    unchosen, checked = [], 0
    for scenario_id, scenario in sorted(library.scenarios.items()):
        if len(scenario.options) < 2:
            continue
        first = first_option(scenario)
        call = past_the_news(library, scenario_id, persona)
        call.reply(f"One thing we can do is {first}.")
        if call.over or call.chosen is not None:
            continue
        checked += 1
        call.reply(f"Should I go through the other options, or is {first} the one you'd lean to?")
        if call.chosen is None:
            unchosen.append((scenario_id, call.transcript[-1].text))
    assert checked >= 6
    assert not unchosen, unchosen[:3]


@pytest.mark.parametrize("persona", PERSONAS)
def test_two_other_things_put_to_her_get_what_she_would_rather(library, persona):
    """Not the scenario's options: "would you want a call too or is the written notice enough?" got "Yes, I get it."."""
    buyer = library.persona(persona)
    either = {fill(line if isinstance(line, str) else line.text, {}) for line in buyer.reactions.either}
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, persona)
        answer = call.reply("Would you want a call from me as well, or is the written summary enough?").text
        assert any(line in answer for line in either), (scenario_id, answer)
        call = past_the_news(library, scenario_id, persona)
        answer = call.reply("What matters more to you right now, the cost or the date?").text
        assert "both" in answer.lower(), (scenario_id, answer)


def test_checking_what_she_meant_after_a_sorry_is_still_checking_what_she_meant(library):
    reactions = library.persona("calm").reactions
    confirms = {fill(str(line), {}) for line in reactions.confirms}
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, "calm")
        answer = call.reply("sorry do you mean the whole order or just the first part of it?").text
        assert any(line in answer for line in confirms), (scenario_id, answer)


MARGARET = [  # her manufacturing-delay call with the calm buyer, as typed (2026-12-03)
    ('It is, Ingrid, and I wanted you to hear it from me today rather than later. The servo press module on the '
     "AC-410 failed its final force calibration on Tuesday and has to be rebuilt, so I can't confirm the FAT on 28"
     " April or delivery on 12 May yet. I don't have a firm date today, and I won't guess one: engineering will "
     "give me a firm date by Friday 25 April and I'll call you that day. I'm very sorry, I know your PPAP is on 2 "
     'June and SOP on 16 June. We have three ways to protect your launch: we can ship the cell on 12 May as '
     'planned with a manual press fixture in the press station and swap in the servo press on site once it passes;'
     ' we can build your PPAP parts on our own prototype cell in our test centre with your quality engineer '
     'present, at our cost; and we can put two commissioning engineers on your site on double shifts at our cost '
     "to take two weeks out of commissioning. We'll also waive the EUR 42,000 commissioning charge. And from now "
     'on every press module is force-calibrated at sub-assembly before it goes into the frame, and we hold spare '
     'load cells for every cell in build.'),
    ("I understand, and I'd rather tell you honestly that I don't have one than give you a date I can't keep. "
     "You'll have the firm date from me on Friday 25 April. In the meantime, the manual press fixture option keeps"
     ' the 12 May delivery whatever the press date turns out to be.'),
    ("Agreed, I'll book the test centre slot for your PPAP run before 2 June and send you the dates by end of "
     'today. For your plant director: the press module failed calibration and is being rebuilt, the PPAP parts '
     'will be built on our prototype cell with your quality engineer present, at our cost, so 2 June is protected,'
     " and you'll have a firm delivery date on Friday 25 April. I'm happy to speak to him with you if that helps."),
]


def test_what_she_asks_for_in_one_breath_she_does_not_ask_for_again_in_the_next(library):
    """"A note I can forward would help. Facts, dates, what you're doing." had been followed, in the same turn, by
    "Okay. Put that in writing for me."."""
    for seed in range(6):  # the seed picks among her lines: every pick is checked
        call = Call(library.scenario("manufacturing-delay"), library.persona("calm"), seed=seed)
        call.open()
        for reply in MARGARET:
            call.reply(reply)
        answer = call.transcript[-1].text
        assert "note I can forward" in answer, answer  # the position slot's line, as the test needs it
        assert "in writing" not in answer, (seed, answer)


def until_she_asks_when(library, scenario_id: str, persona: str) -> Call | None:
    """A call past the news, silent until the buyer asks when (None if she never does in a few turns)."""
    call = past_the_news(library, scenario_id, persona)
    for _ in range(4):
        if call.over:
            return None
        asked = call.transcript[-1]
        if "when" in asked.asks and re.search(r"\b(?:when|what date|how soon)\b[^?]*\?", asked.text, re.I):
            return call  # she asks when ("Mark, do 14 to 16 May still stand or not?" asks yes or no)
        call.reply("")
    return None


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_time_given_when_she_asks_when_is_a_new_commitment_in_every_scenario(library, persona):
    """A terse play-tester's "Today. Within the hour." to "When?" had been told "You never did this"."""
    from simulator.engine.call import ANSWERED

    checked = 0
    for scenario_id in sorted(library.scenarios):
        call = until_she_asks_when(library, scenario_id, persona)
        if call is None:
            continue
        checked += 1
        call.reply("Next week. Thursday.")
        heard = call.seller_turns[-1].detection
        assert heard is not None and heard.has("resets_expectations"), (scenario_id, call.transcript[-3].text)
        promise = until_she_asks_when(library, scenario_id, persona)
        assert promise is not None
        promise.reply("I'll call you tomorrow with an update.")  # a promise to come back is not a date
        evidence = promise.seller_turns[-1].detection.evidence
        assert not any(e.phrase.startswith(ANSWERED) for e in evidence), scenario_id
    assert checked >= 6


LUCIA_RELEASE = [  # her batch-failed-release call with the numbers buyer, as typed (2026-12-03)
    ("Hi Ingrid. I am sorry, I don't call with the paperwork, I call with bad news: lot 24-0871 failed the "
     'dissolution test, QC confirmed yesterday. We cannot release it on 3 June. A full replacement lot can be '
     'released the 8 of July.'),
    ('I know. First important thing: lot 24-0655, the one your patients take actually, was made before the problem'
     ' and is not affected. And we have 12,000 tablets of 24-0655 released in our warehouse, we can ship them to '
     'your packager this week.'),
    ('The written statement for your QA you have it today. For the cost: we pay. The replacement lot is free, we '
     'waive the 186,000 dollars fee, and we credit you the API of the failed lot, 128,000 dollars.'),
    ('A sensor was drifting and the granulation run too long, so the tablets dissolve too slow. The investigation '
     'found it. We replace the sensor, every granulation now has a second independent end-point check, and we test'
     ' dissolution on the first tablets of the press before compress the full lot.'),
    ('The report you receive the same day is signed. For Paul, I prepare a one page note: what failed, why, the '
     'bridge with 24-0655, the new date and what we pay. But first let me give you two more options for the date, '
     'because 8 July is very close to your stock out of 12 July.'),
]


def test_the_words_for_her_boss_given_when_she_asks_what_to_tell_him_help_her_position_the_news(library):
    """Lucía's "For Paul, I prepare a one page note: ..." to "What do I give him?" had been told "You never did this",
    and the numbers buyer then asked "Who writes it?"."""
    from simulator.engine.call import ANSWERED

    call = play(library.scenario("batch-failed-release"), library.persona("numbers"), LUCIA_RELEASE)
    asked, answered = call.transcript[-3], call.seller_turns[-1]
    assert "position" in asked.asks and "give him" in asked.text, asked.text  # the moment, as she played it
    assert any(e.behaviour == "helps_position_news" and e.phrase.startswith(ANSWERED)
               for e in answered.detection.evidence), answered.detection.behaviours
    assert "position" in call.agenda.known and "Who writes it" not in call.transcript[-1].text


@pytest.mark.parametrize(("question", "reply", "given"), [
    ("What do I tell my boss?", "Tell him it's fixed by Friday.", True),
    ("What do I give him?", "For Paul, I prepare a one page note with the dates.", True),
    ("Who writes it?", "I'll write it, you have it today.", True),
    ("What do I tell my boss?", "I'm really sorry about this.", False),
    ("What do I tell my boss?", "What does he need to hear?", False),  # a question back
    ("When do I get my parts?", "Tell him it's fixed by Friday.", False),  # not what she asked
])
def test_the_words_given_for_her_boss_are_told_from_other_replies(question, reply, given):
    from simulator.engine.agenda import words_given

    assert bool(words_given(question, reply)) is given


SLOT = "other-lots"


@pytest.mark.parametrize("persona", PERSONAS)
def test_she_does_not_ask_in_writing_for_what_the_rep_just_promised_in_writing(persona: str) -> None:
    """batch-failed-release: "... it is not affected. I will put this in writing for your QA today." had drawn "Then put
    that in writing for our QA, today." (a play-tester, 2026-12-04); without the promise she asks for it."""
    from simulator.content.loader import load_library

    library = load_library()
    said: dict[str, str] = {}
    for promise in (" I will put this in writing for your QA today.", ""):
        call = past_the_news(library, "batch-failed-release", persona)
        for _ in range(8):  # until she asks about the lot her patients take
            if call.over or SLOT in call.transcript[-1].asks:
                break
            call.reply("")
        assert SLOT in call.transcript[-1].asks, call.transcript[-1].text
        said[promise] = call.reply("No. Lot 24-0655 was made before the sensor drifted, and it is not affected."
                                   + promise).text.lower()
    assert "in writing" not in said[" I will put this in writing for your QA today."], said
    assert "put that in writing" in said[""], said
