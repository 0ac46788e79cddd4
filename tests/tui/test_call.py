"""Whole calls played through the UI: good and bad calls, silence, interrupting a vent, hang-ups, coaching."""

from __future__ import annotations

import pytest

from simulator.engine.call import Call
from simulator.engine.script import play_script
from simulator.scoring import score_call
from simulator.tui.app import make_app
from simulator.tui.screens import call as call_screen_module
from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.debrief import DebriefScreen
from tests.tui.drive import (
    BAD_CALL,
    GOOD_CALL,
    GOOD_CHOICES,
    SPEECH,
    answer_choices,
    finish_work,
    open_briefing,
    play,
    say,
    screen_text,
    start_call,
    to_debrief,
    wait_for_screen,
)


def replayed(library, plan, choices, replies: list[tuple[str, bool]]) -> Call:
    """The same call played straight on the engine, for comparing what the app scored."""
    scenario, persona = library.scenario(plan.scenario_id), library.persona(plan.persona_id)
    return play_script(scenario, persona, replies, seed=plan.seed, choices=choices, stop_reason=None)


def bubbles(screen, kind: str) -> list[str]:
    """The text of each chat bubble of a kind, as drawn, with its wrapped lines joined."""
    drawn = [
        " ".join(s.text for y in range(b.size.height) for s in b.render_line(y)) for b in screen.query(f"Bubble.{kind}")
    ]
    return [" ".join(text.split()) for text in drawn]


async def test_a_good_call_reaches_the_debrief_with_the_score_the_engine_gives_the_same_replies(app, library):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await play(pilot, GOOD_CALL)
        assert screen.call.over and screen.call.outcome == "won_back"
        assert "The call has ended." in screen_text(screen)
        debrief = await to_debrief(pilot)
        expected = score_call(replayed(library, screen.plan, GOOD_CHOICES, [(r, False) for r in GOOD_CALL]))
        assert debrief.result.score == expected.score
        shown = [(behaviour, line.points) for behaviour, line in debrief.result.behaviours.items()]
        assert shown == [(line.behaviour, round(line.points, 2)) for line in expected.lines]
        assert debrief.result.passed and expected.score >= 70
        assert f"Score {expected.score}/100" in screen_text(debrief)


async def test_a_bad_call_in_exam_mode_fails_and_shows_no_coaching_during_the_call(app, library):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment", exam=True)
        await answer_choices(pilot, {**GOOD_CHOICES, "call_not_email": "email", "solution_ready": "nothing-yet"})
        screen = await start_call(pilot)
        await play(pilot, BAD_CALL)
        assert not screen.query("Bubble.coach")
        debrief = await to_debrief(pilot)
        said = [t.text for t in screen.call.seller_turns]
        expected = score_call(replayed(library, screen.plan, screen.call.choices, [(r, False) for r in said]))
        assert debrief.result.score == expected.score
        assert not debrief.result.passed
        for penalty in ("blames_others", "minimizes", "dismisses_feelings"):
            line = debrief.result.line(penalty)
            assert line.hit and line.points < 0
        assert "NOT PASSED" in screen_text(debrief)


async def test_train_mode_coaches_each_reply_with_what_was_detected_and_the_words_that_matched(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await say(pilot, "It's the carrier's fault, they messed up the booking.")
        notes = bubbles(screen, "coach")
        assert len(notes) == 1
        # the words quoted are the rep's own: one of the two clauses that put the fault on someone
        assert "blames others" in notes[0]
        assert "It's the carrier's fault" in notes[0] or "they messed up the booking" in notes[0]


async def test_an_empty_enter_and_the_silence_key_are_both_staying_silent(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await say(pilot, GOOD_CALL[0])
        await say(pilot, "")
        await pilot.press("ctrl+s")
        await finish_work(pilot)
        assert not screen.busy
        silent = [t for t in screen.call.seller_turns[1:]]
        assert len(silent) == 2 and all(t.silent for t in silent)
        assert bubbles(screen, "seller")[-1].endswith("(silence)")


async def test_replying_while_the_venting_buyer_is_still_speaking_is_an_interruption(library, monkeypatch):
    # The buyer takes a minute per line, so every reply lands while they are still talking.
    monkeypatch.setattr(call_screen_module, "MIN_SPEECH_SECONDS", 60.0)
    monkeypatch.setattr(call_screen_module, "MAX_SPEECH_SECONDS", 60.0)
    app = make_app(library, pace=True, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        assert screen.speaking  # the buyer is picking up
        await say(pilot, GOOD_CALL[0])
        assert screen.call.buyer_is_venting and screen.speaking
        await say(pilot, "Let me explain what happened with the port.")
        news, cut_in = screen.call.seller_turns
        assert not news.interrupted  # the opening line is not a vent
        assert cut_in.interrupted
        assert any("(you cut in)" in line for line in bubbles(screen, "buyer"))
        debrief = await to_debrief(pilot)
        line = debrief.result.line("let_them_vent")
        assert not line.hit
        expected = score_call(
            replayed(library, screen.plan, GOOD_CHOICES, [(GOOD_CALL[0], False), (cut_in.text, True)])
        )
        assert debrief.result.score == expected.score


async def test_silence_while_the_buyer_vents_is_never_an_interruption(library, monkeypatch):
    monkeypatch.setattr(call_screen_module, "MIN_SPEECH_SECONDS", 60.0)
    monkeypatch.setattr(call_screen_module, "MAX_SPEECH_SECONDS", 60.0)
    app = make_app(library, pace=True, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await say(pilot, GOOD_CALL[0])
        assert screen.speaking and screen.call.buyer_is_venting
        await say(pilot, "")
        assert not screen.call.seller_turns[-1].interrupted


async def test_a_reply_after_the_buyer_has_finished_speaking_is_not_flagged(library, monkeypatch):
    monkeypatch.setattr(call_screen_module, "MIN_SPEECH_SECONDS", 0.01)
    monkeypatch.setattr(call_screen_module, "MAX_SPEECH_SECONDS", 0.01)
    monkeypatch.setattr(call_screen_module, "PROCESSING_PAUSE_SECONDS", 0.0)
    app = make_app(library, pace=True, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await say(pilot, GOOD_CALL[0])
        await finish_work(pilot, SPEECH)  # the buyer's line, paced to take 0.01 s
        assert not screen.speaking
        await say(pilot, "I understand.")
        assert not screen.call.seller_turns[-1].interrupted
        assert "(you cut in)" not in screen_text(screen)


async def test_an_angry_buyer_hangs_up_on_repeated_small_talk(app, library):
    angry = list(library.personas).index("angry") + 1
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment", persona_presses=angry)
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await play(
            pilot,
            [
                "Hi Dana, how was your weekend?",
                "Lovely weather today, isn't it?",
                "How's the family?",
                "Did you catch the game last night?",
            ],
        )
        assert screen.call.over and screen.call.ended_by == "buyer hung up"
        assert "Dana hung up." in screen_text(screen)
        assert not screen.query_one("#reply").display
        await pilot.press("enter")  # the debrief button has the focus
        debrief = await wait_for_screen(pilot, DebriefScreen)
        assert debrief.result.outcome == "lost"


async def test_hanging_up_asks_first_and_no_keeps_the_call_going(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await say(pilot, GOOD_CALL[0])
        await pilot.press("escape")
        await pilot.press("n")
        assert pilot.app.screen is screen and not screen.call.over
        debrief = await to_debrief(pilot)
        assert debrief.call.ended_by == "you hung up"


async def test_an_engine_failure_ends_the_call_with_a_message_not_a_traceback(library):
    class BrokenDetector:
        def detect(self, text, context=None):
            raise RuntimeError("detector exploded")

    call = Call(library.scenario("late-shipment"), library.persona("calm"), detector=BrokenDetector())
    app = make_app(library, call=call, pace=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, BriefingScreen)
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await say(pilot, "Hello Dana.")
        assert screen.call.over
        assert any("detector exploded" in n.message for n in pilot.app._notifications)
        await pilot.press("enter")
        await wait_for_screen(pilot, DebriefScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_call_screen_shows_mood_stage_and_time_at_both_sizes(app, size):
    async with app.run_test(size=size) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await say(pilot, GOOD_CALL[0])
        text = screen_text(screen)
        for label in ("Temperature", "Trust", "Stage", "venting", "elapsed 00:00"):
            assert label in text
        assert isinstance(screen, CallScreen)


async def test_hanging_up_before_saying_anything_still_gives_a_debrief(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        debrief = await to_debrief(pilot)
        assert debrief.result.outcome == "lost" and not debrief.call.seller_turns
        assert f"Score {debrief.result.score}/100" in screen_text(debrief)


class FakeClock:
    """A clock the test moves by hand: the app reads it as its time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def call_on_screen(pilot):
    await open_briefing(pilot, "late-shipment")
    await answer_choices(pilot, GOOD_CHOICES)
    return await start_call(pilot)


async def test_f2_shows_the_facts_at_hand_over_the_call_and_the_clock_keeps_running(library):
    from simulator.tui.screens.facts import FactsScreen

    clock = FakeClock()
    async with make_app(library, pace=False, clock=clock).run_test(size=(100, 30)) as pilot:
        screen = await call_on_screen(pilot)
        await pilot.press("f2")
        facts = await wait_for_screen(pilot, FactsScreen)
        shown = screen_text(facts)
        assert "Approved options" in shown and "air-freight: Air-freight 2,000 units" in shown
        assert "po: 4471" in shown and "new date: 24 March" in shown
        clock.now += 65
        await pilot.pause(1.2)  # the clock ticks once a second, under the facts too
        assert "01:05" in str(screen.query_one("ElapsedClock").render()), "the call goes on while the facts are open"
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen and not screen.call.over, "Esc closes the facts, not the call"


async def test_the_clock_stops_while_help_is_open_and_goes_on_after(library):
    time = FakeClock()
    async with make_app(library, pace=False, clock=time).run_test(size=(100, 30)) as pilot:
        screen = await call_on_screen(pilot)
        clock = screen.query_one("ElapsedClock")
        time.now += 10
        await pilot.press("f1")
        await pilot.pause()
        time.now += 300  # five minutes reading the rubric
        assert clock.seconds == 10
        await pilot.press("escape")
        await pilot.pause()
        time.now += 5
        assert clock.seconds == 15, "help time is not call time"
