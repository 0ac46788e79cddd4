"""The History screen and the best scores on home come from the calls database, and lead back into practice."""

from __future__ import annotations

import json
import sqlite3

from simulator.records.store import DB_NAME
from simulator.tui.app import make_app
from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.history import HistoryScreen
from tests.tui.drive import (
    GOOD_CALL,
    GOOD_CHOICES,
    answer_choices,
    finish_work,
    open_briefing,
    play,
    screen_text,
    start_call,
    to_debrief,
    wait_for_screen,
)
from tests.tui.stored import TRAINEE, a_history, played, store_at


def best_shown(app, scenario: str) -> str:
    return str(app.home.query_one("#scenarios").get_row(scenario)[3])


async def open_history(pilot) -> HistoryScreen:
    await pilot.press("h")
    history = await wait_for_screen(pilot, HistoryScreen)
    assert history.loaded
    return history


def select(history: HistoryScreen, call_id: int):
    table = history.query_one("#calls")
    table.move_cursor(row=table.get_row_index(str(call_id)))


async def test_home_shows_the_trainees_best_ended_score_per_scenario(library, data_dir):
    with store_at(data_dir) as store:
        calls = a_history(store, library)
    mine = [c.score for c in calls if c.trainee == TRAINEE and c.ended]
    app = make_app(library, pace=False, trainee=TRAINEE)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_work(pilot)
        assert best_shown(pilot.app, "late-shipment") == str(max(mine))
        assert best_shown(pilot.app, "quote-missing-costs") == "\u2014"


async def test_the_best_score_appears_on_home_after_the_first_call(library):
    app = make_app(library, pace=False, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await play(pilot, GOOD_CALL)
        debrief = await to_debrief(pilot)
        assert best_shown(pilot.app, "late-shipment") == "\u2014"
        await pilot.press("n")
        score = str(debrief.result.score)
        await finish_work(pilot)
        assert best_shown(pilot.app, "late-shipment") == score


async def test_history_lists_every_call_of_the_trainee_with_date_scenario_buyer_score_and_result(library, data_dir):
    with store_at(data_dir) as store:
        calls = a_history(store, library)
    mine = [c for c in calls if c.trainee == TRAINEE]
    app = make_app(library, pace=False, trainee=TRAINEE)
    async with app.run_test(size=(80, 24)) as pilot:
        history = await open_history(pilot)
        table = history.query_one("#calls")
        assert table.row_count == len(mine)
        rows = {int(str(table.get_row_at(i)[0])): [str(cell) for cell in table.get_row_at(i)] for i in range(4)}
        assert list(rows) == sorted((c.id for c in mine), reverse=True)  # newest first
        _bad, good, hung_up, unfinished = mine
        # Columns: #, date, scenario, buyer, mode (issue 14), score, result.
        assert rows[good.id][4] == "train"
        assert rows[good.id][5] == f"{good.score} {good.grade}" and rows[good.id][6] == "won back"
        assert rows[hung_up.id][3] == "Angry" and rows[hung_up.id][6] == "buyer hung up"
        assert rows[unfinished.id][5] == "\u2014" and rows[unfinished.id][6] == "abandoned: r"
        local = good.started_at.astimezone()
        assert rows[good.id][1] == local.strftime("%d %b %H:%M")


async def test_history_shows_best_average_and_trend_per_scenario_weak_spots_and_the_next_drill(library, data_dir):
    with store_at(data_dir) as store:
        calls = a_history(store, library)
    scores = [c.score for c in calls if c.trainee == TRAINEE and c.ended]
    app = make_app(library, pace=False, trainee=TRAINEE)
    async with app.run_test(size=(120, 80)) as pilot:
        history = await open_history(pilot)
        stats = history.summary.scenarios[0]
        assert (stats.best, stats.calls) == (max(scores), len(scores))
        text = screen_text(history)
        line = next(row for row in text.splitlines() if stats.trend in row)
        assert f" {max(scores)} " in line and f"{sum(scores) / len(scores):.1f}" in line
        weakest = history.summary.weak_spots[0]
        assert f"\u25c6 {weakest.behaviour.replace('_', ' ')}" in text
        assert f"of {weakest.calls}" in text
        drill = history.summary.next_drill
        assert library.scenarios[drill.scenario].title in text and "d: start it" in text


async def test_d_opens_the_briefing_of_the_suggested_drill(library, data_dir):
    with store_at(data_dir) as store:
        a_history(store, library)
    app = make_app(library, pace=False, trainee=TRAINEE)
    async with app.run_test(size=(80, 24)) as pilot:
        history = await open_history(pilot)
        drill = history.summary.next_drill
        await pilot.press("d")
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert (briefing.plan.scenario_id, briefing.plan.persona_id) == (drill.scenario, drill.persona)


async def test_enter_reviews_a_stored_call_with_its_score_and_esc_goes_back_to_the_history(library, data_dir):
    with store_at(data_dir) as store:
        good = a_history(store, library)[1]
    app = make_app(library, pace=False, trainee=TRAINEE)
    async with app.run_test(size=(80, 24)) as pilot:
        history = await open_history(pilot)
        select(history, good.id)
        await pilot.press("enter")
        debrief = await wait_for_screen(pilot, DebriefScreen)
        assert debrief.result.score == good.score
        assert [t.text for t in debrief.call.transcript] == [t["text"] for t in good.snapshot["transcript"]]
        assert not debrief.query(".review-note")  # nothing changed since
        assert f"Call {good.id} of" in screen_text(debrief)
        await pilot.press("escape")
        await finish_work(pilot)
        assert pilot.app.screen is history


async def test_a_review_says_so_when_the_call_scored_otherwise_at_the_time(library, data_dir):
    with store_at(data_dir) as store:
        good = played(store, library, GOOD_CALL)
    snapshot = dict(good.snapshot, score=12)
    snapshot["transcript"] = [dict(turn, text="Words from an older scenario.") for turn in snapshot["transcript"]]
    with sqlite3.connect(data_dir / DB_NAME) as db:
        db.execute("UPDATE calls SET score = 12 WHERE id = ?", (good.id,))
        db.execute("UPDATE debriefs SET snapshot = ? WHERE call_id = ?", (json.dumps(snapshot), good.id))
    app = make_app(library, pace=False, trainee=TRAINEE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        await pilot.press("enter")
        debrief = await wait_for_screen(pilot, DebriefScreen)
        notes = " ".join(" ".join(str(n.render()) for n in debrief.query(".review-note")).split())
        then = f"At the time this call scored 12 (grade {good.grade}); with today's rubric it scores {good.score}"
        assert then in notes
        assert "the buyer's lines shown here differ" in notes


async def test_r_on_an_ended_call_says_it_has_ended_instead_of_resuming(library, data_dir):
    with store_at(data_dir) as store:
        good = a_history(store, library)[1]
    app = make_app(library, pace=False, trainee=TRAINEE)
    async with app.run_test(size=(80, 24)) as pilot:
        history = await open_history(pilot)
        select(history, good.id)
        await pilot.press("r")
        await pilot.pause()
        assert pilot.app.screen is history
        assert any(f"Call {good.id} has ended" in n.message for n in pilot.app._notifications)


async def test_an_empty_history_says_so_and_suggests_a_first_call(app):
    async with app.run_test(size=(80, 24)) as pilot:
        history = await open_history(pilot)
        text = screen_text(history)
        assert "No calls yet" in text and "d: start it" in text
        assert history.summary.next_drill.behaviour is None


async def test_history_is_in_the_command_palette_of_the_home_screen(app):
    async with app.run_test(size=(80, 24)) as pilot:
        assert "History" in {command.title for command in pilot.app.get_system_commands(pilot.app.screen)}
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"History", "enter")
        await wait_for_screen(pilot, HistoryScreen)


async def test_stored_words_are_shown_as_typed_never_as_markup(library, data_dir):
    hostile = "[bold]loud[/] [link=https://x.example]click[/link] \x1b[31m"
    with store_at(data_dir) as store:
        record = played(store, library, [hostile, *GOOD_CALL[1:3]], end=False)
    with sqlite3.connect(data_dir / DB_NAME) as db:
        db.execute("UPDATE calls SET scenario_title = ?, persona_name = ? WHERE id = ?", (hostile, hostile, record.id))
    app = make_app(library, pace=False, trainee=TRAINEE)
    async with app.run_test(size=(200, 40)) as pilot:
        history = await open_history(pilot)
        text = screen_text(history)
        assert "[bold]loud[/]" in text and "\x1b" not in text
