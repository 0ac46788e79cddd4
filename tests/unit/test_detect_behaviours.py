"""The phrase layer: each reply behaviour is found in how people really say it, and not where it is negated, asked or faked.

Every sentence here was written for this file (none is copied from the labelled dev set), so
these are specifications of the detector's general mechanisms, not a memory of one data set.
"""

from __future__ import annotations

import pytest

from simulator.catalogue import BY_ID
from simulator.detect import default_detector, phrase_detector


def behaviours(text: str) -> set[str]:
    return set(phrase_detector().detect(text).behaviours)


@pytest.mark.parametrize(
    ("text", "behaviour"),
    [
        ("Marta, straight to it: your gaskets won't ship this week.", "states_the_news"),
        ("We shipped you the 10mm bolts instead of the 12mm.", "states_the_news"),
        ("Nothing has shipped yet.", "states_the_news"),
        ("The press that makes your brackets broke down on Tuesday.", "explains_cause"),
        ("It's late because a storm closed the port for two days.", "explains_cause"),
        ("That's entirely our fault and I take full responsibility.", "owns_it"),
        ("It's not the supplier's fault, it's mine.", "owns_it"),
        ("I realise you were counting on these for the launch.", "acknowledges_impact"),
        ("You have every right to be angry about this.", "acknowledges_impact"),
        ("How is this going to hit your deliveries to your own customers?", "asks_about_impact"),
        ("I apologise, truly.", "apologizes"),
        ("Please accept our sincere apologies for the delay.", "apologizes"),
        ("Can you find it in you to forgive us?", "asks_forgiveness"),
        ("Will you accept my apology and keep working with us?", "asks_forgiveness"),
        ("We've got two ways forward: half now by air, or everything by sea.", "offers_options"),
        ("You can choose between a replacement or a full refund.", "offers_options"),
        ("Our plant is running a Saturday shift to catch up on your order.", "corrective_action"),
        ("I've asked logistics to book air freight for the first pallets.", "corrective_action"),
        ("We've added a second inspection step so a bad batch can't leave again.", "prevents_recurrence"),
        ("You'll have the complete order on 14 May.", "resets_expectations"),
        ("Realistically, the earliest we can deliver is 2 June.", "resets_expectations"),
        ("To make up for it, we'll waive the freight charges on this order.", "compensates"),
        ("Thanks so much for being patient with us.", "thanks_patience"),
        ("thx for bearing w us", "thanks_patience"),
        ("I'll send you a status update every Wednesday until it's delivered.", "keeps_informed"),
        ("Let me check and get back to you.", "keeps_informed"),
        ("Is everything I've said clear?", "checks_understanding"),
        ("Happy to answer any questions.", "checks_understanding"),
        ("I'm happy to jump on a call with your planning team if that would help.", "helps_position_news"),
        ("The courier lost it, so blame them, not me.", "blames_others"),
        ("If you hadn't changed the drawings twice we'd be on time.", "blames_others"),
        ("To be honest our warehouse has been a shambles since we lost three staff.", "airs_dirty_laundry"),
        ("It's just a couple of days, honestly not a big deal.", "minimizes"),
        ("Calm down, please, there's no need to raise your voice.", "dismisses_feelings"),
        ("I can guarantee it will be there Friday, 100%.", "overpromises"),
        ("Hey, how was the holiday? Get some sun?", "stalls"),
        ("I'm going to ring your managing director about this myself.", "goes_over_their_head"),
    ],
)
def test_a_plain_example_of_each_behaviour_is_found(text: str, behaviour: str) -> None:
    assert behaviour in behaviours(text)


@pytest.mark.parametrize(
    ("text", "behaviour"),
    [
        ("I'm not going to apologise for the weather.", "apologizes"),
        ("There's no need to apologise.", "apologizes"),
        ("I won't blame anyone for this.", "blames_others"),
        ("This isn't anyone's fault.", "blames_others"),
        ("Nobody is to blame here.", "blames_others"),
        ("I can't guarantee anything until the supplier confirms.", "overpromises"),
        ("I won't make promises I can't keep.", "overpromises"),
        ("I'm not saying it's a small delay.", "minimizes"),
        ("I won't pretend three weeks is a small thing.", "minimizes"),
        ("I'd never tell you to calm down.", "dismisses_feelings"),
        ("I'm not going to go over your head.", "goes_over_their_head"),
        ("We can't offer a discount this time.", "compensates"),
        ("There are no other options, I'm afraid.", "offers_options"),
        ("It is not our fault.", "owns_it"),
    ],
)
def test_a_negated_or_refused_behaviour_does_not_count(text: str, behaviour: str) -> None:
    assert behaviour not in behaviours(text)


def test_refusing_to_apologise_for_an_outside_cause_is_blaming_it() -> None:
    assert behaviours("I'm not going to apologise for a storm.") == {"blames_others"}


@pytest.mark.parametrize(
    ("text", "behaviour"),
    [
        ("What options do you have on your side?", "offers_options"),
        ("sorry, what was that?", "apologizes"),
        ("Sorry, could you repeat that?", "apologizes"),
        ("Is the order late?", "states_the_news"),
    ],
)
def test_a_question_is_not_the_statement_it_resembles(text: str, behaviour: str) -> None:
    assert behaviour not in behaviours(text)


def test_a_question_that_offers_a_choice_is_offering_options() -> None:
    assert "offers_options" in behaviours("Would you rather have half on Friday or all of it on the 20th?")


def test_asking_about_their_situation_needs_a_question_or_a_request() -> None:
    assert "asks_about_impact" in behaviours("Could you tell us how this has affected your business?")
    assert "asks_about_impact" not in behaviours("This has affected your business.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm SO sorry you feel that way.", {"dismisses_feelings"}),
        ("well im sorry if ur upset but thats just how it is", {"dismisses_feelings"}),
        ("I'm sorry if you took offence.", {"dismisses_feelings"}),
    ],
)
def test_a_sarcastic_or_conditional_sorry_dismisses_instead_of_apologising(text: str, expected: set[str]) -> None:
    assert behaviours(text) == expected


def test_sorry_about_the_call_itself_is_not_an_apology_for_the_problem() -> None:
    assert "apologizes" not in behaviours("Sorry to bother you, have you got a minute?")
    assert "apologizes" not in behaviours("Sorry, wrong extension, I'll call you back.")


def test_a_sorry_that_hands_the_fault_on_is_blame_not_apology() -> None:
    assert behaviours("sorry but it was the warehouse guys who messed up, not me") == {"blames_others"}


def test_a_cause_given_as_someones_fault_is_not_also_a_neutral_cause() -> None:
    found = behaviours("It's late because the carrier messed up the booking.")
    assert "blames_others" in found and "explains_cause" not in found


def test_asking_permission_to_brief_their_boss_helps_rather_than_going_over_their_head() -> None:
    found = behaviours("Would it help if I came with you to brief your boss?")
    assert found == {"helps_position_news"}


def test_a_promise_within_the_sellers_control_keeps_them_informed_without_overpromising() -> None:
    found = behaviours("I promise I'll call you Friday with the new date.")
    assert "keeps_informed" in found and "overpromises" not in found


def test_a_new_date_with_a_guarantee_is_both_a_reset_and_an_overpromise() -> None:
    assert {"resets_expectations", "overpromises"} <= behaviours("I guarantee the full order will arrive on 3 June.")


def test_choices_that_contain_dates_offer_options_rather_than_a_commitment() -> None:
    found = behaviours("You can take 200 on the 5th, or the full 500 on the 19th.")
    assert "offers_options" in found and "resets_expectations" not in found


def test_a_hint_instead_of_the_news_is_stalling() -> None:
    found = behaviours("Just calling with a quick update on your order.")
    assert "stalls" in found and "states_the_news" not in found


def test_a_one_line_greeting_is_not_stalling() -> None:
    assert "stalls" not in behaviours("How are you doing today?")


def test_saying_dont_worry_about_the_problem_dismisses_their_feelings() -> None:
    assert "dismisses_feelings" in behaviours("Don't worry about it, these things happen.")


@pytest.mark.parametrize(("text", "dismisses"), [
    ("ok great, thanks dana, no worries, talk soon", False),  # the rep's own sign-off (a play-tester)
    ("Perfect, no worries at all, speak Friday.", False),
    ("No worries, these delays happen all the time.", True),
    ("Dana, no worries, it's only a few days.", True),
])
def test_no_worries_in_the_reps_own_sign_off_tells_her_nothing_about_how_to_feel(text: str, dismisses: bool) -> None:
    assert ("dismisses_feelings" in default_detector().detect(text).behaviours) is dismisses


@pytest.mark.parametrize("text", ["no", "no it doesn't", "no, it doesn't change", "can't promise that"])
def test_a_reply_of_a_few_words_is_not_charged_a_penalty_on_the_models_reading_alone(text: str) -> None:
    """"no it doesn't" to "Does the fix change the API?" had cost a play-tester 10.6 points as dismissing feelings."""
    found = default_detector().detect(text).evidence
    assert not [e for e in found if not BY_ID[e.behaviour].good], found


def test_a_short_reply_is_still_charged_what_a_phrase_bank_finds() -> None:
    assert "dismisses_feelings" in default_detector().detect("calm down").behaviours
    assert "blames_others" in default_detector().detect("not my problem").behaviours


def test_a_bare_i_understand_does_not_acknowledge_the_impact() -> None:
    assert "acknowledges_impact" not in behaviours("I understand.")
    assert "acknowledges_impact" in behaviours("I understand how frustrating this is for your team.")


def test_the_sorry_for_the_inconvenience_formula_apologises_without_naming_the_impact() -> None:
    assert behaviours("We apologize for any inconvenience.") == {"apologizes"}


def test_typos_shorthand_and_shouting_still_match() -> None:
    assert {"states_the_news", "apologizes"} <= behaviours("your ordr is delayd by 2 wks sory")
    assert "apologizes" in behaviours("WE ARE SOOOO SORRY")
    assert "thanks_patience" in behaviours("ty 4 ur patience")


def test_chat_ur_reads_as_you_are_before_a_state() -> None:
    assert "dismisses_feelings" in behaviours("ur overreacting tbh")


def test_every_reply_can_show_several_behaviours_at_once() -> None:
    found = behaviours(
        "Dana, I have bad news: your 10,000 MCU-220s won't arrive on 3 March. A typhoon closed the port of "
        "Osaka. I have three options for you. I'm really sorry."
    )
    assert found == {"states_the_news", "gives_specifics", "explains_cause", "offers_options", "apologizes"}


def test_a_reply_with_none_of_the_behaviours_shows_none() -> None:
    assert behaviours("What time works for a call tomorrow?") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your item is out of stock and will be shipped as soon as it becomes available.", {"states_the_news"}),
        ("We have escalated your case to our senior support team.", {"corrective_action"}),
        ("We've issued a full refund to your original payment method.", {"corrective_action"}),
        ("We're offering 15% off your next purchase as an apology.", {"compensates"}),
        ("We've updated our packaging process to prevent damage in future.", {"prevents_recurrence"}),
        ("It should arrive within the next 3-5 working days.", {"resets_expectations", "gives_specifics"}),
        ("Would you like us to send a replacement or issue a refund?", {"offers_options"}),
        ("A member of our team will be in touch within 48 hours.", {"keeps_informed"}),
        ("Is there anything else I can clarify for you?", {"checks_understanding"}),
        ("Honestly the whole department is in chaos after the merger.", {"airs_dirty_laundry"}),
        ("Please let us know if there is anything else we can help with.", set()),
    ],
)
def test_support_desk_messages_read_the_same_as_calls(text: str, expected: set[str]) -> None:
    assert behaviours(text) == expected


@pytest.mark.parametrize("text", [
    "Karen, I'm so sorry about the programme. I genuinely feel awful that your crews stood idle.",
    "we are sorry, we feel really responsible for the mess on site",
    "i feel pretty rotten about this one to be honest, sorry mate",
])
def test_the_reps_own_regret_is_an_apology_not_telling_her_how_to_feel(text: str) -> None:

    found = default_detector().detect(text).behaviours  # the learned layer too: it had read these as "sorry you feel"
    assert "dismisses_feelings" not in found and "apologizes" in found
    assert "dismisses_feelings" in default_detector().detect("I'm sorry you feel so strongly about it.").behaviours
