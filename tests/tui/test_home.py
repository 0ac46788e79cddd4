"""The title screen: every scenario with its level, buyer and best score; the buyer and mode keys."""

from __future__ import annotations

from simulator.tui.app import make_app
from simulator.tui.screens.home import HomeScreen
from tests.tui.drive import finish_work, open_briefing, screen_text


async def test_home_is_titled_and_lists_every_scenario_with_level_buyer_and_no_best_score(app, library):
    async with app.run_test(size=(80, 24)) as pilot:
        home = pilot.app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#scenarios")
        assert table.row_count == len(library.scenarios)
        text = screen_text(home)
        assert "Bad News Drill" in text
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert sorted(str(row[2]) for row in rows) == sorted(s.buyer.name for s in library.scenarios.values())
        assert str(rows[0][2]) in text, "the first scenarios are on screen; the rest scroll"
        assert {str(row[1]) for row in rows} <= {"easy", "medium", "hard"}
        assert all(str(row[3]) == "\u2014" for row in rows)


async def test_the_persona_key_cycles_from_the_scenario_default_through_every_other_persona(app, library):
    async with app.run_test(size=(80, 24)) as pilot:
        home = pilot.app.screen
        await finish_work(pilot)
        assert home.persona_choice is None
        default = library.scenario(home.selected_scenario()).default_persona
        others = [p for p in library.personas if p != default]
        seen = []
        for _ in others:
            await pilot.press("p")
            seen.append(home.persona_choice)
        assert seen == others, "the scenario's own buyer is not offered twice"
        await pilot.press("p")
        assert home.persona_choice is None


async def test_the_mode_key_switches_between_train_and_exam(app):
    async with app.run_test(size=(80, 24)) as pilot:
        home = pilot.app.screen
        await pilot.press("m")
        assert home.mode == "exam" and "Exam" in screen_text(home)
        await pilot.press("m")
        assert home.mode == "train"


async def test_enter_opens_the_briefing_with_the_chosen_buyer_and_mode(app, library):
    async with app.run_test(size=(80, 24)) as pilot:
        angry_presses = list(library.personas).index("angry") + 1
        briefing = await open_briefing(pilot, "late-shipment", persona_presses=angry_presses, exam=True)
        assert briefing.plan.scenario_id == "late-shipment"
        assert briefing.plan.persona_id == "angry"
        assert briefing.plan.mode == "exam"


async def test_a_library_given_as_a_loader_is_loaded_after_the_first_paint(library):
    app = make_app(lambda: library, pace=False)
    async with app.run_test(size=(80, 24)) as pilot:
        home = pilot.app.screen
        await finish_work(pilot)
        assert home.selected_scenario() is not None
        assert home.query_one("#scenarios").row_count == len(library.scenarios)


async def test_a_loader_that_fails_is_reported_in_the_app_not_as_a_traceback():
    def broken():
        raise OSError("disk on fire")

    app = make_app(broken, pace=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_work(pilot)
        assert any("disk on fire" in n.message for n in pilot.app._notifications)
        assert pilot.app.is_running
