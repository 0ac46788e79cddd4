"""Which replies leave the buyer with a question (engine/call.py `question_in`): one with a question mark, or one typed
without it that opens like a question; a statement typed in lower case is not one ("were adding a 2nd port")."""

from __future__ import annotations

import re

import pytest

from simulator.content.loader import load_library
from simulator.detect.results import Detection, Evidence
from simulator.engine.call import ASKS_HER_MIND, CHOICE, Call, _proposes, question_in
from tests.playing import laid_out, past_the_news

LIBRARY = load_library()  # once, as the other test modules load it


@pytest.mark.parametrize(("reply", "asks"), [
    ("Can you take half on Friday?", True),
    ("can you take half on friday", True),
    ("when can i ring you back", True),
    ("do u want the note", True),
    ("any questions", True),
    ("The port reopens Monday. Who should I send it to?", True),
    ("were adding a 2nd port of loading so one port closing cant stop ur orders again", False),
    ("I book the engineer today. When your own instrument arrives we swap it.", False),
    ("what happened was the port closed", False),
    ("Who pays? We do.", False),
    ("Should it assist, I would be pleased to attend the progress meeting.", False),
    ("should we send it tonight", True),
])
def test_a_question_is_told_from_a_statement(reply, asks):
    assert bool(question_in(reply)) is asks


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_a_plan_typed_in_lower_case_is_not_answered_as_a_question(library, persona):
    call = past_the_news(library, "late-shipment", persona)
    unsure = {line if isinstance(line, str) else line.text for line in library.persona(persona).reactions.unsure}
    answer = call.reply("were adding a 2nd port of loading so one port closing cant stop ur orders again")
    assert not any(line in answer.text for line in unsure), answer.text


def her_word(text: str, scenario_words: frozenset[str]) -> str | None:
    """A word of hers of six letters or more that the scenario's facts and options do not use."""
    from simulator.detect.facts import word_key

    words = [w.strip(".,?!:;'\"").lower() for w in text.split()]
    return next((w for w in words if len(w) >= 6 and w.isalpha() and word_key(w) not in scenario_words), None)


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_her_own_words_said_back_are_never_off_topic(library, persona):
    from simulator.engine.call import _scenario_words

    scolded = []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        call = past_the_news(library, scenario_id, persona)
        word = her_word(call.transcript[-1].text, _scenario_words(scenario))
        if word is None or call.over:
            continue
        off_topic = {line if isinstance(line, str) else line.text
                     for line in library.persona(persona).reactions.off_topic}
        answer = call.reply(f"right, the {word} part, got it, noted down here")
        if any(line in answer.text for line in off_topic):
            scolded.append((scenario_id, word, answer.text))
    assert not scolded, scolded[:3]


def _unsure(library, persona: str) -> set[str]:
    return {str(line) for line in library.persona(persona).reactions.unsure}


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
@pytest.mark.parametrize("asked", ["Is there anything else you need from me?", "did i forget something you need?",
                                   "What else do you need for your team?"])
def test_anything_else_gets_what_is_still_open_never_a_shrug(library, persona, asked):
    """"Did I forget something you need?" had got "Not my number to give. Yours." and "You tell me."."""
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, persona)
        if call.over or not call.agenda.open:
            continue
        answer = call.reply(asked)
        assert not any(line in answer.text for line in _unsure(library, persona)), (scenario_id, answer.text)
        assert set(answer.asks) & {slot.id for slot in call.agenda.open}, (scenario_id, answer.text)


def test_anything_else_with_nothing_open_is_covered(library):
    call = past_the_news(library, "late-shipment", "calm")
    call.agenda.known.extend(slot.id for slot in call.agenda.open)
    answer = call.reply("Anything else you need from me?")
    assert any(str(line) in answer.text for line in library.persona("calm").reactions.covered), answer.text


@pytest.mark.parametrize("asked", ["Is this okay for you?", "Would this help?", "is that fine?"])
def test_asking_whether_an_offer_suits_her_is_answered_as_an_offer(library, asked):
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, "calm")
        if call.over:
            continue
        answer = call.reply(f"I can send you a written summary of the plan tonight. {asked}")
        assert not any(line in answer.text for line in _unsure(library, "calm")), (scenario_id, answer.text)


@pytest.mark.parametrize("asked", ["You mean for the first part of the order?", "do you mean in working days?",
                                   "So you mean a copy for your finance director too?"])
def test_checking_what_she_meant_gets_a_yes_never_a_shrug(library, asked):
    """"You mean also a copy for your finance director?" had got "You tell me."."""
    confirms = {str(line) for line in library.persona("numbers").reactions.confirms}
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, "numbers")
        if call.over:
            continue
        answer = call.reply(asked)
        assert not any(line in answer.text for line in _unsure(library, "numbers")), (scenario_id, answer.text)
        assert any(line in answer.text for line in confirms), (scenario_id, answer.text)


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_a_question_said_over_her_venting_is_not_answered_in_the_same_breath(library, persona):
    """"Hold on, I haven't finished. I'm not sure. What would you suggest?": she is not finished, so no answer yet."""
    reactions = library.persona(persona).reactions
    unsure = _unsure(library, persona)
    checked = 0
    for scenario_id in sorted(library.scenarios):
        scenario = library.scenario(scenario_id)
        call = Call(scenario, library.persona(persona), seed=0)
        call.open()
        call.reply(scenario.tips["states_the_news"])
        if call.over or not call.stage_info.venting:
            continue
        answer = call.reply(f"The cause was that {scenario.facts.get('cause', 'our process failed')}. Whats your view on that?")
        turn = call.seller_turns[-1]
        if not turn.talked_over:
            continue
        checked += 1
        assert not any(line in answer.text for line in unsure), (scenario_id, answer.text)
        said = {str(line) for line in (*reactions.defended, *reactions.interrupted)}
        assert any(line in answer.text for line in said), (scenario_id, answer.text)
    assert checked >= 3


@pytest.mark.parametrize(("asked", "proposes"), [
    ("works?", True),
    ("want to walk it with me this week?", True),
    ("And for Linda, would it help if I write a short note you can give her, with the dates?", True),
    ("and shall I send it tonight?", True),
    ("Can I ask when you need them?", False),
    ("Do you want to go with the air freight or the partials?", False),
    ("What date works for your line?", False),
])
def test_a_proposal_is_heard_in_any_clause_of_the_question(asked, proposes):
    assert _proposes(asked) is proposes


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_a_check_that_she_understood_gets_understood_even_in_words_the_detector_misses(library, persona):
    """"Is this clear for you, or you need something more?" had got "Not my number to give. Yours."."""
    understood = {str(line) for line in library.persona(persona).reactions.understood}
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, persona)
        if call.over:
            continue
        answer = call.reply("I send you all of it in writing today. Is this clear for you, or you need something more?")
        assert not any(line in answer.text for line in _unsure(library, persona)), (scenario_id, answer.text)
        if not call.seller_turns[-1].talked_over:
            assert any(line in answer.text for line in understood), (scenario_id, answer.text)


def test_anything_else_at_the_close_gets_an_answer_never_silence(library):
    """"Is there anything else I can help you with today?" got "(silence)" from seven buyers of ten at the close."""
    closing = 0
    for scenario_id in sorted(library.scenarios):
        scenario = library.scenario(scenario_id)
        call = past_the_news(library, scenario_id, "calm")
        for reply in (f"Three options: {laid_out(scenario)}. Which suits you?", "I'm sorry.", ""):
            if not call.over:
                call.reply(reply)
        if call.over or call.stage != "closing":
            continue
        closing += 1
        answer = call.reply("Is there anything else I can help you with today?")
        assert answer.text.strip(), scenario_id
        assert not any(line in answer.text for line in _unsure(library, "calm")), (scenario_id, answer.text)
    assert closing >= 3


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
@pytest.mark.parametrize("asked", [
    # "Can I count on your support?" after she had forgiven got "Okay. Apology accepted." a second time.
    "Thank you. Can I count on your support?",
    # So had "I'd really value your continued trust. Is there anything else I can do?" at the close.
    "Can you forgive us and keep working with me? Is there anything else I can do for you?",
])
def test_once_she_has_forgiven_she_does_not_forgive_again(library, persona, asked):
    forgives = _lines(library, persona, "forgives")
    checked = 0
    for scenario_id in sorted(library.scenarios):
        scenario = library.scenario(scenario_id)
        call = past_the_news(library, scenario_id, persona)
        call.reply(f"Three options: {laid_out(scenario)}. Which suits you?")
        facts = scenario.facts
        answer = f"Yes. What happened: {facts['cause']}." + (f" The new date is {facts['new_date']}, in writing today."
                                                              if "new_date" in facts else "")
        for _ in range(3):  # her questions answered first: she does not forgive while one stands
            if call.over or not (call.open_question or call.transcript[-1].asks):
                break
            call.reply(answer)
        if not call.over:
            call.reply("I'm sorry. Will you forgive me?")
        if call.over or not any(line in call.transcript[-1].text for line in forgives):
            continue
        checked += 1
        answer = call.reply(asked)
        assert not any(line in answer.text for line in forgives), (scenario_id, answer.text)
    assert checked >= 3


def _lines(library, persona: str, reaction: str) -> set[str]:
    return {str(line) for line in getattr(library.persona(persona).reactions, reaction)}


def _answers_never_a_shrug(library, persona: str, said: str):
    """(scenario id, her answer) to `said` in every scenario, once the news is told and she has vented (the rep
    silent meanwhile), each checked not to be her shrug ("I'm not sure. What would you suggest?")."""
    unsure = _unsure(library, persona)
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, persona)
        for _ in range(4):  # the angry buyer vents longer than the two silences past_the_news keeps
            if call.over or not call.buyer_is_venting:
                break
            call.reply("")
        if call.over or call.buyer_is_venting:
            continue
        answer = call.reply(said)
        assert not any(line in answer.text for line in unsure), (scenario_id, answer.text)
        yield scenario_id, answer


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_an_offer_followed_by_a_question_about_her_side_gets_a_yes(library, persona):
    """"Would it help if I wrote a short note for Linda? When do you next report to her?" had got "I don't know
    offhand. What do you think?": the offer went unanswered and the question came back at the rep."""
    agree = _lines(library, persona, "agree")
    offered = "Would it also help if I wrote a short summary of the plan for your manager? When do you next meet them?"
    for scenario_id, answer in _answers_never_a_shrug(library, persona, offered):
        assert any(line in answer.text for line in agree), (scenario_id, answer.text)


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
@pytest.mark.parametrize("asked", ["When do you next report to your director?",
                                   "how many of your people will be on it the first morning?",
                                   "Who should our engineer ask for when he arrives?"])
def test_a_question_about_her_own_side_is_never_thrown_back(library, persona, asked):
    """"When do you next speak to your client?" had got "How would I know? You tell me!"."""
    assert len(list(_answers_never_a_shrug(library, persona, asked))) >= len(library.scenarios) // 2


@pytest.mark.parametrize("asked", ["Is that right?", "Have I understood your timing correctly?",
                                   "did i get that right?"])
def test_a_recap_checked_gets_understood_never_a_shrug(library, asked):
    """A numbers buyer had answered a recap's "Is that right?" with "You tell me."."""
    for scenario_id in sorted(library.scenarios):
        call = past_the_news(library, scenario_id, "numbers")
        if call.over or call.buyer_is_venting:
            continue
        answer = call.reply(f"So: the new date, the credit, and a call every Friday. {asked}")
        assert not any(line in answer.text for line in _unsure(library, "numbers")), (scenario_id, answer.text)


def test_which_day_suits_her_is_not_a_choice_between_the_options(library):
    """"Which day would suit you best for the engineer to install it?" had got "I've said: the demo unit."."""
    for scenario_id in sorted(library.scenarios):
        scenario = library.scenario(scenario_id)
        call = past_the_news(library, scenario_id, "calm")
        call.reply(f"We could do {scenario.options[0].phrases[0] if scenario.options[0].phrases else 'the first'}.")
        if call.over or call.chosen is not None:
            continue
        answer = call.reply("Which day would suit you best for our engineer to come out?")
        assert call.chosen is None and answer.answers != "choice", (scenario_id, answer.text)


@pytest.mark.parametrize(("question", "asking"), [
    ("the 96 people who already booked, we move them ourselves, now what's your boss going to ask you first?",
     "now what's your boss going to ask you first?"),
    ("Would a credit note suit your AP team, or would they prefer a corrected invoice?",
     "Would a credit note suit your AP team, or would they prefer a corrected invoice?"),
    ("three, we fund a second dry-lining gang up to sixty grand to claw it back, does any of that work for you?",
     "does any of that work for you?"),
    ("And the installation, where do things stand there?", "And the installation, where do things stand there?"),
])
def test_the_asking_part_of_a_long_question_starts_where_it_asks(question, asking):
    from simulator.engine.call import _asking_part

    assert _asking_part(question) == asking


def test_a_scenario_answer_is_given_to_what_was_asked_not_to_what_was_said_before_the_question(library):
    """"..., the 96 people who already booked through your link, we move them ourselves, now what's your boss going
    to ask you first?" had got the scenario's answer to "how many have booked?"."""
    given = []
    for scenario_id, scenario in sorted(library.scenarios.items()):
        for answer in scenario.answers:
            call = past_the_news(library, scenario_id, "calm")
            if call.over or call.buyer_is_venting:
                continue
            reply = f"and the {answer.about[0]} we have in hand, it's sorted, now what's your boss going to ask you first?"
            said = call.reply(reply).text
            if answer.text.split(".")[0] in said:
                given.append((scenario_id, answer.about[0], said))
    assert not given, given


def test_a_statement_she_says_again_in_other_words_in_the_same_turn_is_said_once():
    from simulator.engine.call import _said_again

    earlier = ["So far 96 have booked rooms through your link.", "The other 84 book by 18 April."]
    assert _said_again("I have 96 people who've already booked rooms through your link.", earlier)
    assert not _said_again("What happens to their reservations?", earlier)  # a question is kept
    assert not _said_again("The Riverside has a ballroom for 250.", earlier)


@pytest.mark.parametrize("persona", ["calm", "numbers"])
@pytest.mark.parametrize(("said", "reaction"), [
    ("so: the credit, the new date, and i call u fri. right?", "understood"),
    ("so that's the credit and a call on friday. correct?", "understood"),
    ("I'll write a short note you can forward. today ok?", "agree"),
    ("I'll email you the dates tonight. that work?", "agree"),
])
def test_a_terse_recap_or_offer_ending_on_a_bare_tag_is_answered(library, persona, said, reaction):
    """"so: flat bundle by fri, $19,000 credit, email by 3. right?" had got "Not my number to give. Yours."."""
    expected = _lines(library, persona, reaction)
    for scenario_id, answer in _answers_never_a_shrug(library, persona, said):
        # An offer may get her line about what it gives her ("A note I can forward would help.") instead of a yes.
        assert any(line in answer.text for line in expected) or (reaction == "agree" and answer.answers), (
            scenario_id, answer.text)


HER_MIND = ["u ok w this?", "are you ok with that?", "Are you happy with this plan, Joel?",
            "refs tmrw, ana by 3, handover plan fri. sorry again, u ok w this?", "is that alright with you?"]


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_asked_where_she_stands_she_says_so_and_does_not_throw_it_back(persona: str) -> None:
    """"u ok w this?" had drawn "How would I know? You tell me!" (a play-tester, 2026-12-04): it asks her mind, not a
    fact the rep should know; a question of fact is not one."""
    library = LIBRARY
    unsure = {str(line) for line in library.persona(persona).reactions.unsure}
    for scenario_id in sorted(library.scenarios):
        for question in HER_MIND:
            call = past_the_news(library, scenario_id, persona)
            turn = call.reply(question)
            assert not any(line in turn.text for line in unsure), (scenario_id, question, turn.text)
    for fact in ("When does the port reopen?", "How many units do you have left?", "Who signs off the credit?"):
        assert not ASKS_HER_MIND.search(fact)


def test_asked_whether_she_still_wants_an_option_once_she_chose_she_says_her_choice_again() -> None:
    """"ok so u dont want the thurs session at all?" after she took Monday on site had drawn "You tell me."."""
    from tests.unit.test_buyer_text import HELEN

    library = LIBRARY
    call = Call(library.scenario("missed-training"), library.persona("numbers"), choices=HELEN["choices"])
    call.open()
    replies = HELEN["replies"]
    for reply in replies[:replies.index("ok so u dont want the thurs session at all?")]:
        call.reply(reply)
    assert call.chosen is not None
    turn = call.reply("ok so u dont want the thurs session at all?")
    unsure = {str(line) for line in library.persona("numbers").reactions.unsure}
    assert not any(line in turn.text for line in unsure), turn.text
    assert turn.answers == CHOICE, turn.text  # her choice, said again


class ForgiveMe:
    """The shipped detector, with "forgive me" always read as asking forgiveness by a phrase, where it stands."""

    def detect(self, text: str, context: object = None) -> Detection:
        from simulator.detect import default_detector

        found = default_detector().detect(text, context)  # type: ignore[arg-type]
        match = re.search(r"forgive (?:me|us)", text, re.IGNORECASE)
        if match is None:
            return found
        plea = Evidence("asks_forgiveness", match[0], "forgive me", 1.0, 0.8, match.start(), match.end())
        return Detection(found.text, (*(e for e in found.evidence if e.behaviour != "asks_forgiveness"), plea))


@pytest.mark.parametrize("persona", ["calm", "angry", "numbers"])
def test_forgive_me_on_the_way_to_the_options_is_not_put_to_her(persona: str) -> None:
    """"You are right, forgive me. We have three possibilities. ..." (a second-language rep) had drawn "Okay. Apology
    accepted." mid-call (a play-tester, 2026-12-04); put to her as a question or as the last words, it is asked."""
    library = LIBRARY
    reactions = library.persona(persona).reactions
    lines = {str(line) for line in (*reactions.forgives, *reactions.not_yet)}
    for scenario_id in sorted(library.scenarios):
        scenario = library.scenario(scenario_id)
        for reply, put_to_her in ((f"You are right, forgive me. We have some possibilities: {laid_out(scenario)}.", False),
                                  (f"We can do this: {laid_out(scenario)}. I'm sorry. Please forgive me.", True),
                                  ("Can you forgive me? I know it's a lot to ask after this.", True)):
            call = Call(scenario, library.persona(persona), detector=ForgiveMe())  # type: ignore[arg-type]
            call.open()
            for news in (scenario.tips["states_the_news"], "", ""):
                if not call.over:
                    call.reply(news)
            call.mood = call.mood.moved(-100, 100)  # calm and trusting: she would forgive if asked
            turn = call.reply(reply)
            assert "asks_forgiveness" in call.seller_turns[-1].behaviours  # the rubric reads it either way
            assert any(line in turn.text for line in lines) is put_to_her, (scenario_id, reply, turn.text)


def test_asked_again_once_forgiven_she_does_not_throw_the_question_back() -> None:
    """"Will you forgive us?", asked after she had forgiven, had drawn "That's your job to find out, not mine."."""
    library = LIBRARY
    exercised = 0
    for persona in ("calm", "angry", "numbers"):
        reactions = library.persona(persona).reactions
        forgives, unsure = {str(x) for x in reactions.forgives}, {str(x) for x in reactions.unsure}
        for scenario_id in sorted(library.scenarios):
            scenario = library.scenario(scenario_id)
            call = Call(scenario, library.persona(persona), detector=ForgiveMe())  # type: ignore[arg-type]
            call.open()
            call.mood = call.mood.moved(-100, 100)  # before any question of hers stands
            plea = f"{scenario.tips['states_the_news']} I'm sorry. Please forgive me."
            answer = call.reply(plea).text
            if not any(line in answer for line in forgives):
                continue  # a question of hers stands: she does not forgive yet
            exercised += 1
            turn = call.reply("Once more, I am sincerely sorry. Will you forgive us?")
            assert turn.answers == "forgiveness" and not any(line in turn.text for line in unsure), turn.text
    assert exercised >= 10
