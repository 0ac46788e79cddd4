"""The debrief: score, grade, outcome, every rubric line with the trainee's words, the mood chart, the transcript."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Digits, Footer, Header, Static

from simulator.engine.call import Call
from simulator.render.coaching import three_fixes, verdict_sentence
from simulator.render.report import ReportHeader, record_markdown, report_markdown
from simulator.render.rubric import sections
from simulator.scoring.result import CallResult, call_result
from simulator.text import visible
from simulator.tui.messages import BriefingRequested, HomeRequested
from simulator.tui.plan import Plan
from simulator.tui.report import report_filename, save_targets, write_report
from simulator.tui.screens.save import SaveScreen
from simulator.tui.widgets.chart import MoodChart
from simulator.tui.widgets.rubric import fix_content, rubric_line_content, turn_content

if TYPE_CHECKING:
    from simulator.tui.keeper import CallKeeper
    from simulator.tui.review import Review


def mood_points(result: CallResult) -> list[tuple[str, int, int]]:
    """The buyer's mood when they picked up, then after each reply."""
    turns = result.transcript
    points = [("0", turns[0].mood.temperature, turns[0].mood.trust)] if turns else []
    for turn in result.seller_turns:
        points.append((str(turn.reply), turn.mood.temperature, turn.mood.trust))
    return points


class DebriefScreen(Screen):
    """What the call scored, and why, in the trainee's own words; retry, another scenario and save are keys.

    With a `review` it shows a stored call again, rebuilt from its replies, and says when today's content
    plays or scores it differently from what the trainee was told; Esc then goes back to the history.
    """

    AUTO_FOCUS = "#debrief"
    BINDINGS = [
        Binding("r", "retry", "Retry"),
        Binding("n", "another", "Another scenario"),
        Binding("s", "save", "Save report"),
        Binding("d", "toggle_details", "Details"),
        Binding("escape", "back", "Back", show=False),
    ]
    # Rubric ids and how each match was made (phrase, rule or model, and its strength): off by default.
    details: reactive[bool] = reactive(False, recompose=True)

    def __init__(
        self,
        call: Call,
        plan: Plan,
        review: Review | None = None,
        *,
        keeper: CallKeeper | None = None,
        call_id: int | None = None,
    ) -> None:
        super().__init__()
        self.call = call
        self.plan = plan
        self.review = review
        self.result: CallResult = call_result(call, mode=plan.mode)
        self.keeper = keeper
        self.call_id = review.call_id if review is not None else call_id  # the stored call, when it was saved
        self.saved_to: Path | None = None

    def compose(self) -> ComposeResult:
        report, call = self.result, self.call
        passed = "PASSED" if report.passed else "NOT PASSED"
        verdict = f"Score {report.score}/100 \u00b7 grade {report.grade} \u00b7 {passed} (pass mark {report.pass_mark})"
        outcome = report.outcome.replace("_", " ") + (f" ({report.ended_by})" if report.ended_by else "")
        setting = self.review.heading() if self.review else f"{self.plan.mode} mode"
        played = f"{visible(call.persona.name)} buyer \u00b7 {setting}"
        yield Header()
        with VerticalScroll(id="debrief"):
            if self.review is not None:
                yield from self._review_notes()
            with Horizontal(id="scoreline"):
                yield Digits(str(report.score), id="score")
                with Vertical(id="verdict-box"):
                    yield Static(Content(verdict), id="verdict", classes="passed" if report.passed else "failed")
                    yield Static(Content(f"Outcome: {visible(outcome)}"), id="outcome")
                    yield Static(Content(played), classes="dim")
            yield Static(Content(verdict_sentence(report)), id="reconcile")
            fixes = three_fixes(report)
            if fixes:
                yield Static("What to change first", classes="heading")
                for number, fix in enumerate(fixes, start=1):
                    yield Static(fix_content(number, fix), classes="fix")
            yield Static("The buyer's mood", classes="heading")
            yield MoodChart(mood_points(report), id="mood-chart")
            for title, views in sections(report):
                yield Static(title, classes="heading")
                for view in views:
                    yield Static(rubric_line_content(view, details=self.details), classes="rubric-line")
            yield Static("The call, annotated", classes="heading")
            for turn in report.transcript:
                yield Static(turn_content(turn, report.buyer, details=self.details), classes=f"turn {turn.speaker}")
        yield Footer()

    def _review_notes(self) -> ComposeResult:
        """Above a stored call: that it is a review, whether it is unfinished, and what changed since."""
        review = self.review
        assert review is not None
        notes = review.differences(self.result.score)
        if review.unfinished:
            state = review.status.replace("_", " ")
            notes.insert(0, f"This call is unfinished ({state}), scored so far: Esc, then r in the History resumes it.")
        for note in notes:
            yield Static(Content(note), classes="review-note")

    def on_mount(self) -> None:
        title = visible(self.call.scenario.title)
        self.sub_title = f"{self.review.heading()}: {title}" if self.review is not None else title

    def action_toggle_details(self) -> None:
        """Show or hide the rubric ids and how each match was made, keeping the place on the page."""
        scrolled = self.query_one("#debrief", VerticalScroll).scroll_y
        self.details = not self.details
        self.call_after_refresh(self._scroll_back, scrolled)
        self.notify("Details shown: ids and how each match was made." if self.details else "Details hidden.", timeout=3)

    def _scroll_back(self, y: float) -> None:
        self.query_one("#debrief", VerticalScroll).scroll_to(y=y, animate=False)

    def action_retry(self) -> None:
        """The same call again, other words from the buyer, the same before-call answers preselected."""
        self.post_message(BriefingRequested(self.plan.next_attempt(), self.call.choices))

    def action_another(self) -> None:
        """Back to the scenario list."""
        self.post_message(HomeRequested())

    def action_back(self) -> None:
        """Leave the debrief: back to the history for a review, else to the scenario list."""
        if self.review is not None:
            self.dismiss()
        else:
            self.action_another()

    def action_save(self) -> None:
        """Ask where, then write the Markdown report there and say where it went; in a browser, download it."""
        if self.app.is_web:  # served to a room (`badnews serve`): the report goes to the rep, never onto the server
            self.run_worker(self._download_report(), group="save-report", exit_on_error=False)
            return
        self.app.push_screen(SaveScreen(save_targets()), self._save_in)

    async def _download_report(self) -> None:
        text = await self._report_text()
        name = report_filename(self.call.scenario.id or "call", datetime.now())
        self.app.deliver_text(io.StringIO(text), save_filename=name, mime_type="text/markdown", encoding="utf-8")
        self.notify(f"Report sent to your browser as {name}", title="Saved", markup=False, timeout=10)

    def _save_in(self, folder: Path | None) -> None:
        if folder is not None:
            self.run_worker(self._save_report(folder), group="save-report", exit_on_error=False)

    async def _report_text(self) -> str:
        """The stored call's report, as `badnews report` prints it; the live call's when it was not saved."""
        if self.keeper is not None and self.call_id is not None:
            record = await asyncio.wrap_future(self.keeper.stored(self.call_id))
            if record is not None:
                return record_markdown(record)
        now = datetime.now().astimezone()
        trainee = self.keeper.trainee if self.keeper is not None else None
        return report_markdown(self.result, ReportHeader(None, trainee or "", now, now, self.result.status))

    async def _save_report(self, folder: Path) -> None:
        text = await self._report_text()
        try:
            path = write_report(text, folder, report_filename(self.call.scenario.id or "call", datetime.now()))
        except OSError as error:
            self.notify(
                f"Could not save the report in {folder}: {error.strerror or error}", severity="error", markup=False
            )
            return
        self.saved_to = path
        self.notify(f"Report saved to {path}", title="Saved", markup=False, timeout=10)

    def commands(self) -> Iterable[SystemCommand]:
        """What the command palette offers on this screen."""
        yield SystemCommand("Retry", "Play this call again", self.action_retry)
        yield SystemCommand("Another scenario", "Back to the scenario list", self.action_another)
        yield SystemCommand("Save report", "Save this debrief as Markdown", self.action_save)
        yield SystemCommand("Details", "Show or hide rubric ids and how each match was made", self.action_toggle_details)
