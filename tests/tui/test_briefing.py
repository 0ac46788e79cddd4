"""The briefing: the situation, facts, options and buyer; before-call choices answered before dialling."""

from __future__ import annotations

import pytest

from simulator.content.placeholders import fill, placeholder_values
from simulator.tui.screens.call import CallScreen
from tests.tui.drive import (
    GOOD_CHOICES,
    answer_choices,
    open_briefing,
    screen_text,
    start_call,
    wait_for_screen,
)


async def test_the_briefing_shows_the_situation_facts_options_and_buyer(app, library):
    scenario = library.scenario("late-shipment")
    async with app.run_test(size=(120, 80)) as pilot:
        briefing = await open_briefing(pilot, "late-shipment")
        text = screen_text(briefing)
        for heading in ("The situation", "Facts in hand", "Approved options", "The buyer", "Before the call"):
            assert heading in text
        assert "Dana Whitfield" in text and "Larkspur Controls" in text
        # Who the rep is: the name the buyer greets them by ("Hi Sam"); play-testers were never told it.
        assert "You\n" in text and scenario.seller.name in text and scenario.seller.company in text
        assert fill("{facts.new_date}", placeholder_values(scenario)) in text
        assert "{" not in text.replace("{}", "")  # every placeholder of the brief is filled


async def test_the_call_does_not_start_until_every_before_call_question_is_answered(app):
    async with app.run_test(size=(80, 24)) as pilot:
        briefing = await open_briefing(pilot, "late-shipment")
        await pilot.press("s")
        await pilot.pause()
        assert pilot.app.screen is briefing
        first = next(iter(briefing.scenario.choices))
        assert any(briefing.scenario.choices[first].prompt[:40] in n.message for n in pilot.app._notifications)
        await answer_choices(pilot, GOOD_CHOICES)
        assert briefing.choices == GOOD_CHOICES
        call_screen = await start_call(pilot)
        assert call_screen.call.choices == GOOD_CHOICES


async def test_train_mode_says_at_once_why_a_before_call_choice_is_wrong(app):
    async with app.run_test(size=(80, 24)) as pilot:
        briefing = await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, {**GOOD_CHOICES, "call_not_email": "email"})
        feedback = screen_text(briefing)
        assert "Think again" in feedback and "hides you behind technology" in feedback


async def test_exam_mode_keeps_before_call_feedback_for_the_debrief(app):
    async with app.run_test(size=(80, 24)) as pilot:
        briefing = await open_briefing(pilot, "late-shipment", exam=True)
        await answer_choices(pilot, {**GOOD_CHOICES, "call_not_email": "email"})
        assert "Think again" not in screen_text(briefing)


async def test_escape_goes_back_to_the_scenario_list(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is pilot.app.home


async def test_badnews_play_opens_straight_at_the_briefing_of_its_call(library):
    from simulator.engine.call import Call
    from simulator.tui.app import make_app
    from simulator.tui.screens.briefing import BriefingScreen

    call = Call(library.scenario("late-shipment"), library.persona("angry"), seed=7)
    app = make_app(library, call=call, pace=False)
    async with app.run_test(size=(80, 24)) as pilot:
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert (briefing.plan.scenario_id, briefing.plan.persona_id, briefing.plan.seed) == (
            "late-shipment",
            "angry",
            7,
        )
        await answer_choices(pilot, GOOD_CHOICES)
        await pilot.press("s")
        screen = await wait_for_screen(pilot, CallScreen)
        assert screen.call is call and call.choices == GOOD_CHOICES


async def test_badnews_play_exam_opens_its_call_in_exam_mode(library):
    from simulator.engine.call import Call
    from simulator.tui.app import make_app
    from simulator.tui.screens.briefing import BriefingScreen

    call = Call(library.scenario("late-shipment"), library.persona("calm"))
    app = make_app(library, call=call, pace=False, mode="exam")
    async with app.run_test(size=(80, 24)) as pilot:
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert briefing.plan.mode == "exam"


async def test_every_before_call_option_can_be_read_in_full_at_80_columns(app, library):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "quote-missing-costs")
        screen = pilot.app.screen
        await pilot.pause()
        shown = " ".join(screen_text(screen).split())
        for choice_id in screen.scenario.choices:
            for option in screen.options_of(choice_id):
                assert " ".join(option.text.split()) in shown, option.text


@pytest.mark.parametrize("scenario_id", ["late-shipment", "quote-missing-costs"])
async def test_dialling_with_a_question_left_names_it_and_puts_it_on_screen_with_its_answers_in_focus(app, scenario_id):
    """A rep who pressed Tab before Enter skipped a question; the notice says which, and it is in view."""
    async with app.run_test(size=(80, 24)) as pilot:
        briefing = await open_briefing(pilot, scenario_id)
        *answered, last = briefing.scenario.choices
        await pilot.press("tab")
        for _ in answered:
            await pilot.press("enter")  # the first answer shown
        await pilot.press("s")
        await pilot.pause()
        assert pilot.app.screen is briefing and set(briefing.choices) == set(answered)
        prompt = fill(briefing.scenario.choices[last].prompt, placeholder_values(briefing.scenario))
        *_, notice = pilot.app._notifications
        assert prompt[:60] in notice.message and "more after it" not in notice.message
        assert briefing.focused is briefing.query_one(f"#choice-{last}")
        scroll = briefing.query_one("#briefing")
        shown = briefing.query_one(f"#prompt-{last}").virtual_region
        assert scroll.scroll_y <= shown.y and shown.bottom <= scroll.scroll_y + scroll.size.height
