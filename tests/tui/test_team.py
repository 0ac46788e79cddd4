"""The Team screen shows a team's calls per trainee and per drill without cutting anything off at 80 columns, and
Enter on a call opens the annotated debrief the trainee saw."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, TabbedContent

from simulator.records.filters import CallFilter
from simulator.records.team import team_view
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.team import FULL_BLOCK, TeamScreen
from simulator.tui.team_app import make_team_app
from tests.tui.drive import finish_work, screen_text, wait_for_screen
from tests.tui.stored import TRAINEE, a_history, played, store_at

SIZES = [(80, 24), (120, 40)]


def a_team(data_dir, library, filters: CallFilter | None = None):
    """Ana's history (a bad call, a good one, a hang-up, one left half-way), someone else's call, and a call of
    Ben's where he said nothing."""
    with store_at(data_dir) as store:
        a_history(store, library)
        played(store, library, [], trainee="ben")
        return team_view(store.calls(), filters)


def row_texts(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def show(pilot, tab: str) -> DataTable:
    await pilot.press(tab[0])
    await finish_work(pilot)
    table = pilot.app.screen.query_one(f"#team-{tab}", DataTable)
    assert pilot.app.screen.query_one(TabbedContent).active == f"tab-{tab}"
    return table


@pytest.mark.parametrize("size", SIZES)
async def test_every_table_fits_the_screen_with_its_headings_whole(library, data_dir, size):
    view = a_team(data_dir, library)
    app = make_team_app(view, library)
    async with app.run_test(size=size) as pilot:
        await finish_work(pilot)
        for tab in ("trainees", "scenarios", "calls"):
            table = await show(pilot, tab)
            assert table.row_count == len({"trainees": view.trainees, "scenarios": view.scenarios,
                                            "calls": view.calls}[tab])
            region = table.scrollable_content_region
            assert 0 < table.virtual_size.width <= region.width, f"{tab} is wider than the screen at {size}"
            assert table.region.right <= size[0]
            headings = [str(column.label).strip() for column in table.ordered_columns]
            assert not any(h.endswith("\u2026") for h in headings), headings
            text = screen_text(pilot.app.screen)
            assert all(h in text for h in headings)


async def test_the_trainees_tab_shows_a_bar_of_each_average_and_the_detail_of_the_highlighted_one(library, data_dir):
    view = a_team(data_dir, library)
    app = make_team_app(view, library)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_work(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TeamScreen)
        rows = {cells[0].strip(): cells for cells in row_texts(screen.query_one("#team-trainees", DataTable))}
        assert set(rows) == {TRAINEE, "ben", "someone-else"}
        ana = next(r for r in view.trainees if r.trainee == TRAINEE)
        other = next(r for r in view.trainees if r.trainee == "someone-else")
        assert f"{ana.figures.average:.1f}" in rows[TRAINEE][2]
        assert rows["someone-else"][2].count(FULL_BLOCK) > rows[TRAINEE][2].count(FULL_BLOCK)
        assert other.figures.average > ana.figures.average
        assert rows["ben"][2].strip() == "-"  # said nothing: no average to draw
        text = " ".join(screen_text(screen).split())
        assert f"{len(view.calls)} calls from 3 trainees, {view.counted} counted" in text
        first = view.trainees[0]
        assert f"{first.trainee} \u00b7 {first.figures.calls} calls" in text and "Weak spots:" in text


async def test_a_call_with_no_reply_is_listed_without_a_score(library, data_dir):
    view = a_team(data_dir, library)
    silent = next(c for c in view.calls if not c.replies)
    app = make_team_app(view, library)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await show(pilot, "calls")
        row = next(cells for cells in row_texts(table) if cells[0].strip() == str(silent.id))
        assert row[6].strip() == "\u2014" and row[7].strip() == "no reply"


async def test_enter_lists_a_trainees_calls_then_opens_one_and_esc_comes_back(library, data_dir):
    view = a_team(data_dir, library)
    ana = next(r for r in view.trainees if r.trainee == TRAINEE)
    good = next(c for c in view.calls if c.trainee == TRAINEE and c.ended and c.passed)
    app = make_team_app(view, lambda: library)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_work(pilot)
        screen = pilot.app.screen
        table = screen.query_one("#team-trainees", DataTable)
        table.move_cursor(row=table.get_row_index(TRAINEE))
        await pilot.press("enter")
        await finish_work(pilot)
        calls = screen.query_one("#team-calls", DataTable)
        assert screen.query_one(TabbedContent).active == "tab-calls"
        assert [int(cells[0]) for cells in row_texts(calls)] == list(ana.call_ids)
        calls.move_cursor(row=calls.get_row_index(str(good.id)))
        await pilot.press("enter")
        debrief = await wait_for_screen(pilot, DebriefScreen)
        assert debrief.result.score == good.score and debrief.review is not None
        assert [t.text for t in debrief.call.transcript] == [t["text"] for t in good.snapshot["transcript"]]
        assert f"Call {good.id} of" in screen_text(debrief)
        await pilot.press("escape")
        await finish_work(pilot)
        assert pilot.app.screen is screen
        await pilot.press("escape")  # every call again
        await finish_work(pilot)
        assert calls.row_count == len(view.calls)


async def test_the_filters_are_named_above_the_tables(library, data_dir):
    view = a_team(data_dir, library, CallFilter(trainee=TRAINEE, persona="angry"))
    app = make_team_app(view, library)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_work(pilot)
        text = " ".join(screen_text(pilot.app.screen).split())
        assert "filters: trainee ana, persona angry" in text
        assert "1 call from 1 trainee, 1 counted" in text


async def test_the_calls_tab_lists_the_newest_calls_and_says_how_many_there_are_in_all(library, data_dir, monkeypatch):
    from simulator.tui.screens import team as team_screen

    monkeypatch.setattr(team_screen, "SCREEN_CALLS", 2)  # a team's 100,000 calls, in small
    view = a_team(data_dir, library)
    ana = next(r for r in view.trainees if r.trainee == TRAINEE)
    app = make_team_app(view, lambda: library)
    async with app.run_test(size=(100, 30)) as pilot:
        await finish_work(pilot)
        calls = await show(pilot, "calls")
        assert [int(cells[0]) for cells in row_texts(calls)] == [c.id for c in view.calls[:2]]
        assert f"the latest 2 of {len(view.calls)} calls" in screen_text(pilot.app.screen)
        trainees = await show(pilot, "trainees")
        trainees.move_cursor(row=trainees.get_row_index(TRAINEE))
        await pilot.press("enter")
        await finish_work(pilot)
        assert [int(cells[0]) for cells in row_texts(calls)] == list(ana.call_ids[:2])
        assert f"the latest 2 of {len(ana.call_ids)} calls of {TRAINEE}" in screen_text(pilot.app.screen)
