"""Every call played in the app is kept: on disk after each reply, abandoned when left, never lost to a bad file."""

from __future__ import annotations

import subprocess
import sys

from simulator.records.store import DB_NAME, open_store
from simulator.status import NOT_KEPT
from simulator.tui.app import make_app
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.history import HistoryScreen
from tests.tui.drive import (
    GOOD_CALL,
    GOOD_CHOICES,
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
from tests.tui.stored import TRAINEE


def stored_calls(folder):
    with open_store(folder) as store:
        return store.calls()


def notified(app, text: str) -> bool:
    return any(text in notification.message for notification in app._notifications)


async def test_each_reply_is_on_disk_before_the_buyers_answer_shows(library, data_dir):
    app = make_app(library, pace=False, clock=lambda: 0.0, trainee=TRAINEE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        (record,) = stored_calls(data_dir)
        assert record.status == "in_progress" and record.replies == () and record.trainee == TRAINEE
        for count, reply in enumerate(GOOD_CALL[:4], start=1):
            await say(pilot, reply)
            (record,) = stored_calls(data_dir)
            assert [r.text for r in record.replies] == [t.text for t in screen.call.seller_turns]
            assert len(record.replies) == count and record.status == "in_progress"
            assert record.snapshot["transcript"][-1]["text"] == screen.call.transcript[-1].text
            assert record.choices == GOOD_CHOICES


async def test_a_finished_call_is_stored_with_the_score_its_debrief_shows(library, data_dir):
    app = make_app(library, pace=False, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await play(pilot, GOOD_CALL)
        debrief = await to_debrief(pilot)
    (record,) = stored_calls(data_dir)
    assert record.status == "finished" and record.outcome == "won_back"
    assert record.score == debrief.result.score and record.passed


async def test_hanging_up_keeps_the_call_as_finished_with_how_it_ended(library, data_dir):
    app = make_app(library, pace=False, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await say(pilot, GOOD_CALL[0])
        debrief = await to_debrief(pilot)
        await finish_work(pilot)  # the hang-up's save
        assert stored_calls(data_dir)[0].ended
    (record,) = stored_calls(data_dir)
    assert record.status == "finished" and record.ended_by == "you hung up"
    assert record.score == debrief.result.score and len(record.replies) == 1


async def test_quitting_mid_call_keeps_it_abandoned_and_r_in_the_history_resumes_it(library, data_dir):
    first = make_app(library, pace=False, clock=lambda: 0.0, trainee=TRAINEE)
    async with first.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await play(pilot, GOOD_CALL[:2])
        await pilot.press("ctrl+q")
    (record,) = stored_calls(data_dir)
    assert record.status == "abandoned" and record.resumable and len(record.replies) == 2

    again = make_app(library, pace=False, clock=lambda: 0.0, trainee=TRAINEE)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        history = await wait_for_screen(pilot, HistoryScreen)
        assert history.loaded
        await pilot.press("r")
        screen = await wait_for_screen(pilot, CallScreen)
        assert [t.text for t in screen.call.seller_turns] == list(GOOD_CALL[:2])
        text = screen_text(screen)
        assert "Resumed" in text and "PO 4471" in text  # the call so far is on screen
        assert len(screen.query("Bubble.seller")) == 2
        await say(pilot, GOOD_CALL[2])
        (resumed,) = stored_calls(data_dir)
        assert resumed.id == record.id and resumed.status == "in_progress"
        assert [r.text for r in resumed.replies] == list(GOOD_CALL[:3])


async def test_a_call_played_in_exam_mode_is_resumed_in_exam_mode(library, data_dir):
    first = make_app(library, pace=False, clock=lambda: 0.0, trainee=TRAINEE)
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")  # exam mode
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await play(pilot, GOOD_CALL[:2])
        await pilot.press("ctrl+q")
    (record,) = stored_calls(data_dir)
    assert record.mode == "exam"

    again = make_app(library, pace=False, clock=lambda: 0.0, trainee=TRAINEE)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        history = await wait_for_screen(pilot, HistoryScreen)
        assert history.loaded
        await pilot.press("r")
        screen = await wait_for_screen(pilot, CallScreen)
        assert screen.plan.mode == "exam"


async def test_a_damaged_database_is_set_aside_with_a_notice_and_the_app_plays_and_saves(library, data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / DB_NAME).write_bytes(b"this is not a database, it is a shopping list" * 100)
    app = make_app(library, pace=False, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_work(pilot)
        assert notified(pilot.app, "could not be read")
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await say(pilot, GOOD_CALL[0])
    assert len(list(data_dir.glob(f"{DB_NAME}.corrupt-*"))) == 1
    (record,) = stored_calls(data_dir)
    assert [r.text for r in record.replies] == [GOOD_CALL[0]]


async def test_a_data_folder_that_cannot_be_used_warns_and_the_call_plays_unsaved(library, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    app = make_app(library, pace=False, clock=lambda: 0.0, data_dir=blocked / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_work(pilot)
        assert notified(pilot.app, "Calls will not be saved")
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        screen = await start_call(pilot)
        await say(pilot, GOOD_CALL[0])
        assert len(screen.call.seller_turns) == 1 and not screen.call.over
        await to_debrief(pilot)
        await pilot.press("n", "h")
        history = await wait_for_screen(pilot, HistoryScreen)
        assert history.loaded
        assert "Calls are not being saved" in screen_text(history)


def test_starting_the_app_loads_nothing_of_the_calls_database():
    # The records package and sqlite3 load on the records thread, after the first screen: start-up stays lean.
    code = (
        "import sys\n"
        "from simulator.tui.app import make_app\n"
        "make_app(lambda: None)\n"
        "records = ('simulator.records', 'simulator.tui.keeper', 'sqlite3')\n"
        "loaded = [m for m in sys.modules if m.startswith(records)]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_quitting_before_a_word_says_the_call_is_not_kept(library, data_dir):
    app = make_app(library, pace=False, clock=lambda: 0.0, trainee=TRAINEE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await finish_work(pilot)  # the call is in the store
        await pilot.press("ctrl+q")
    assert stored_calls(data_dir) == []
    assert app.parting == [NOT_KEPT]
