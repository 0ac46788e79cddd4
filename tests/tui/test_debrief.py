"""The debrief: verdict, every rubric line with the trainee's words and doctrine, the chart, and what comes next."""

from __future__ import annotations

from pathlib import Path

from simulator.catalogue import BY_ID
from simulator.cli import main
from simulator.tui.report import SaveTarget
from simulator.tui.screens import debrief as debrief_module
from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.widgets.chart import MoodChart
from tests.tui.drive import (
    BAD_CALL,
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


async def bad_call_debrief(pilot) -> DebriefScreen:
    await open_briefing(pilot, "late-shipment")
    await answer_choices(pilot, GOOD_CHOICES)
    await start_call(pilot)
    await play(pilot, BAD_CALL)
    return await to_debrief(pilot)


async def test_every_scored_rubric_line_shows_with_its_evidence_principle_and_a_better_way(app):
    async with app.run_test(size=(120, 200)) as pilot:
        debrief = await bad_call_debrief(pilot)
        text = " ".join(screen_text(debrief).split())
        for heading in (
            "Before the call",
            "The conversation",
            "Your replies",
            "The buyer's mood",
            "The call, annotated",
        ):
            assert heading in text
        blame = debrief.result.line("blames_others")
        assert blame.hit
        evidence = blame.evidence[0]
        assert " ".join(evidence.words.split()) in text
        # how the match was made, and the rubric ids, wait behind the details key
        assert f"{evidence.strength:.2f}" not in text and "blames_others" not in text
        await pilot.press("d")
        await pilot.pause()
        detailed = " ".join(screen_text(debrief).split())
        assert f"{evidence.strength:.2f}" in detailed and "(blames_others)" in detailed
        await pilot.press("d")
        await pilot.pause()
        assert f"{evidence.strength:.2f}" not in " ".join(screen_text(debrief).split())
        assert BY_ID["blames_others"].principle in text and " ".join(blame.better.split()) in text
        missed = debrief.result.line("offers_options")
        # The better way is written from this scenario's own options, not the catalogue's placeholders.
        assert not missed.hit and missed.better.startswith("I have three options for you: air-freight 2,000 units")
        assert " ".join(missed.better.split()) in text and BY_ID["offers_options"].better not in text
        assert "penalty" in text and "missed" in text


async def test_the_chart_has_the_pick_up_and_one_point_per_reply(app):
    async with app.run_test(size=(80, 24)) as pilot:
        debrief = await bad_call_debrief(pilot)
        chart = debrief.query_one(MoodChart)
        assert len(chart.points) == len(debrief.call.seller_turns) + 1
        temperatures = [t for _, t, _ in chart.points[1:]]
        assert temperatures == [turn.mood.temperature for turn in debrief.call.seller_turns]


async def test_saving_asks_where_writes_markdown_there_and_says_where(app, tmp_path, monkeypatch):
    targets = [SaveTarget("Current folder", tmp_path / "here"), SaveTarget("Documents", tmp_path / "docs")]
    monkeypatch.setattr(debrief_module, "save_targets", lambda: targets)
    async with app.run_test(size=(80, 24)) as pilot:
        debrief = await bad_call_debrief(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("tab", "enter")  # the second place: Documents
        await pilot.pause()  # the dialog's answer reaches the debrief, which writes the report
        assert debrief.saved_to is not None
        saved: Path = debrief.saved_to
        assert saved.parent == tmp_path / "docs" and saved.suffix == ".md"
        report = saved.read_text(encoding="utf-8")
        assert f"Score {debrief.result.score}/100" in report and "blames_others" in report
        assert any(str(saved) in n.message for n in pilot.app._notifications)


async def test_escape_in_the_save_dialog_saves_nothing(app, tmp_path, monkeypatch):
    monkeypatch.setattr(debrief_module, "save_targets", lambda: [SaveTarget("Here", tmp_path)])
    async with app.run_test(size=(80, 24)) as pilot:
        debrief = await bad_call_debrief(pilot)
        await pilot.press("s", "escape")
        await pilot.pause()
        assert pilot.app.screen is debrief and debrief.saved_to is None
        assert not list(tmp_path.iterdir())


async def test_in_a_browser_the_report_is_downloaded_and_nothing_is_written_on_the_server(app, tmp_path, monkeypatch):
    monkeypatch.setattr(debrief_module, "save_targets", lambda: [SaveTarget("Here", tmp_path)])
    delivered = []
    monkeypatch.setattr(type(app), "is_web", property(lambda self: True))
    monkeypatch.setattr(type(app), "deliver_text", lambda self, file, **how: delivered.append((file.read(), how)))
    async with app.run_test(size=(80, 24)) as pilot:
        debrief = await bad_call_debrief(pilot)
        await pilot.press("s")
        await finish_work(pilot)
        assert pilot.app.screen is debrief and debrief.saved_to is None
        ((text, how),) = delivered
        assert f"Score {debrief.result.score}/100" in text and how["save_filename"].endswith(".md")
        assert any("sent to your browser" in n.message for n in pilot.app._notifications)
    assert not list(tmp_path.iterdir())


async def test_retry_briefs_the_same_call_again_with_the_next_seed_and_the_same_answers(app):
    async with app.run_test(size=(80, 24)) as pilot:
        debrief = await bad_call_debrief(pilot)
        await pilot.press("r")
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert briefing.plan == debrief.plan.next_attempt()
        assert briefing.choices == GOOD_CHOICES
        call_screen = await start_call(pilot)
        assert call_screen.call.seed == debrief.call.seed + 1


async def test_another_scenario_goes_back_home(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await bad_call_debrief(pilot)
        await pilot.press("n")
        await finish_work(pilot)
        assert pilot.app.screen is pilot.app.home
        assert len(pilot.app.screen_stack) == 1


async def test_the_saved_report_is_byte_for_byte_what_badnews_report_prints(app, tmp_path, monkeypatch, capsys):
    """One call, one report: the app's file and `badnews report last` are the same text."""
    monkeypatch.setattr(debrief_module, "save_targets", lambda: [SaveTarget("Here", tmp_path)])
    async with app.run_test(size=(80, 24)) as pilot:
        debrief = await bad_call_debrief(pilot)
        await pilot.press("s", "enter")
        await finish_work(pilot)
        assert debrief.saved_to is not None
        saved = debrief.saved_to.read_text(encoding="utf-8")
    assert main(["report", "last"]) == 0
    printed = capsys.readouterr().out
    assert printed == saved


def visible_text(app) -> str:
    """What is on the terminal now (the first screen, not what the scroll hides), as plain text."""
    import html
    import re

    svg = app.export_screenshot()
    words = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", w)).replace("\xa0", " ") for w in words)


async def test_the_first_screen_at_80x24_is_the_score_and_the_three_fixes_in_plain_words(app):
    from simulator.render.coaching import three_fixes

    async with app.run_test(size=(80, 24)) as pilot:
        debrief = await bad_call_debrief(pilot)
        await pilot.pause()
        shown = " ".join(visible_text(pilot.app).split())
        assert f"Score {debrief.result.score}/100" in shown
        assert "What to change first" in shown
        for fix in three_fixes(debrief.result):
            assert fix.title in shown, (fix.title, shown)
        for detail in (".yaml", "strength", "seed", "\u2265"):
            assert detail not in shown, detail
