"""History: every call of the trainee, best and average per scenario with a trend, the weak spots, the next drill.

The figures come from the debriefs stored with the calls (what the trainee was told at the time);
the summary is read on the records thread and filled in when it arrives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from simulator.catalogue import behaviour_name
from simulator.content.loader import Library
from simulator.records.history import (
    TREND_CALLS,
    BehaviourStats,
    HistorySummary,
    ScenarioStats,
)
from simulator.records.record import CallRecord
from simulator.status import CallStatus, Mode
from simulator.text import visible
from simulator.tui.keeper import CallKeeper
from simulator.tui.messages import (
    BriefingRequested,
    HomeRequested,
    ResumeRequested,
    ReviewRequested,
)
from simulator.tui.plan import Plan

COLUMNS = ("#", "Date", "Scenario", "Buyer", "Mode", "Score", "Result")
# Widest each column of the calls table may be; the scenario title gets the rest of the screen.
COLUMN_LIMITS = {"#": 5, "Date": 12, "Buyer": 10, "Mode": 5, "Score": 5, "Result": 14}
MIN_TITLE = 16
# Around the calls table: its margins, the padding of its seven columns, and its scrollbar.
TABLE_MARGINS = 2 + len(COLUMNS) * 2 + 2
# Around the figures: their margins, padding and scrollbar. Their columns: calls, best, average, the trend.
FIGURES_MARGINS = 2 + 2 + 2
STATS_WIDTH = len(" calls  best   avg  ")
TREND_WIDTH = TREND_CALLS + len(" +100")
BEHAVIOUR_WIDTH = 24
# A behaviour costing less than this per call is shown as costing nothing.
NEGLIGIBLE_POINTS = 0.05
DATE_FORMAT = "%d %b %H:%M"
NO_SCORE = "\u2014"
LOADING = "Loading your calls\u2026"
LEGEND = "\u25c6 weak spot: costs you the most  \u00b7 costs points  \u2713 never cost any"
HOW_TO = "Enter: review \u00b7 r: resume \u00b7 d: next drill \u00b7 Tab: figures"


def _cut(text: str, width: int) -> str:
    """User text made harmless and cut with an ellipsis to `width`."""
    shown = " ".join(visible(text).split())
    return shown if len(shown) <= width else shown[: width - 1] + "\u2026"


def _cell(text: str, width: int, justify: str = "left") -> Text:
    """A table cell of literal text (never markup)."""
    return Text(_cut(text, width), no_wrap=True, justify=justify)  # type: ignore[arg-type]


def result_of(record: CallRecord) -> str:
    """How a call went: its outcome, that the buyer hung up, that the trainee said nothing (not counted), or that it
    is unfinished and r resumes it."""
    if record.ended and not record.replied:
        return "no reply"
    if record.status is CallStatus.HUNG_UP:
        return "buyer hung up"  # always lost
    if record.ended:
        return (record.outcome or "ended").replace("_", " ")
    state = "abandoned" if record.status is CallStatus.ABANDONED else "unfinished"
    return f"{state}: r"


def score_of(record: CallRecord) -> str:
    """'78 C' for an ended call, a dash for one without a score or without a reply (it is not counted)."""
    if record.ended and record.score is not None and record.replied:
        return f"{record.score} {record.grade or '?'}"
    return NO_SCORE


def scenario_lines(scenarios: Iterable[ScenarioStats], title_width: int) -> Content:
    """Per scenario: ended calls, best, average and the trend of the latest scores on a 0-100 scale."""
    header = Content.styled(
        f"{'Scenario':<{title_width}} {'calls':>5} {'best':>5} {'avg':>5}  trend (last {TREND_CALLS})", "dim"
    )
    rows = [header]
    for stats in scenarios:
        change = f" {stats.change:+d}" if len(stats.compared) > 1 else ""  # like with like: see records/filters.py
        rows.append(
            Content.assemble(
                Content(f"{_cut(stats.title, title_width):<{title_width}} {stats.calls:>5} "),
                (f"{stats.best:>5}", "bold"),
                f" {stats.average:>5.1f}  ",
                (stats.trend, "$accent"),
                (change, "dim"),
            )
        )
    return Content("\n").join(rows)


def behaviour_lines(behaviours: Iterable[BehaviourStats], weak: set[str]) -> Content:
    """Per behaviour, costliest first: how often it was shown (or committed) and the points it costs a call."""
    rows = []
    for stats in behaviours:
        verb = "shown" if stats.good else "committed"
        rate = f"{verb} in {stats.hits} of {stats.calls}"
        costly = stats.points_lost >= NEGLIGIBLE_POINTS
        cost = f"{-stats.points_lost:+.1f} a call" if costly else ""
        if stats.behaviour in weak:
            mark, name_style, cost_style = ("\u25c6 ", "$error bold"), "bold", "$error"
        else:
            mark, name_style, cost_style = ("\u00b7 " if costly else "\u2713 ", "dim"), "", "dim"
        rows.append(
            Content.assemble(
                mark,
                (f"{behaviour_name(stats.behaviour):<{BEHAVIOUR_WIDTH}}", name_style),
                f"{rate:<20}",
                (f"{cost:>12}", cost_style),
            )
        )
    if not rows:
        return Content("No ended calls yet.")
    rows.append(Content.styled(LEGEND, "dim"))
    return Content("\n").join(rows)


class HistoryScreen(Screen):
    """The trainee's calls and how they are doing; Enter reviews a call, r resumes one, d starts the next drill."""

    AUTO_FOCUS = "#calls"
    BINDINGS = [
        Binding("enter", "review", "Review"),
        Binding("r", "resume", "Resume"),
        Binding("d", "drill", "Next drill"),
        Binding("escape", "home", "Home"),
    ]

    def __init__(self, keeper: CallKeeper, library: Library | None) -> None:
        super().__init__()
        self.keeper = keeper
        self.library = library
        self.summary: HistorySummary | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(LOADING, id="history-lead", markup=False)
        yield DataTable(id="calls", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="figures"):
            yield Static("Per scenario", classes="heading")
            yield Static("", id="per-scenario")
            yield Static("Next drill", classes="heading")
            yield Static("", id="next-drill")
            yield Static("Weak spots and hit rates", classes="heading")
            yield Static("", id="behaviours")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "History"
        self.query_one("#calls", DataTable).add_columns(*COLUMNS)
        self.query_one("#figures").display = False
        self._load()

    @work(group="history", exclusive=True)
    async def _load(self) -> None:
        """The summary, read on the records thread."""
        self.show(await asyncio.wrap_future(self.keeper.history(self.library)))

    def show(self, summary: HistorySummary | None) -> None:
        """Fill the screen with a summary; None: calls are not being saved, and why."""
        self.summary, self.loaded = summary, True
        lead = self.query_one("#history-lead", Static)
        if summary is None:
            lead.update(Content(f"Calls are not being saved: {visible(self.keeper.problem or 'unknown reason')}"))
            return
        if summary.calls:
            count = f"{len(summary.calls)} call{'s' if len(summary.calls) != 1 else ''}, {summary.ended} ended"
            lead.update(Content(f"{count} \u00b7 {HOW_TO}"))
        else:
            lead.update(Content("No calls yet: press Esc and play one. Every call you play is kept here."))
        self.query_one("#figures").display = True
        self._fill()

    def _fill(self) -> None:
        """The table and the figures, cut to the width there is."""
        summary = self.summary
        if summary is None:
            return
        width = self.size.width or self.app.size.width
        table = self.query_one("#calls", DataTable)
        row = table.cursor_row
        rows = [
            {
                "#": str(record.id),
                "Date": record.started_at.astimezone().strftime(DATE_FORMAT),
                "Buyer": record.persona_name or record.persona,
                "Mode": str(record.mode),
                "Score": score_of(record),
                "Result": result_of(record),
            }
            for record in summary.calls
        ]
        # The fixed columns take what their widest cell needs, within their limit; the title the rest.
        widths = {
            name: min(limit, max([len(name), *(len(visible(cells[name])) for cells in rows)]))
            for name, limit in COLUMN_LIMITS.items()
        }
        title_width = max(MIN_TITLE, width - TABLE_MARGINS - sum(widths.values()))
        titles = [_cell(record.scenario_title or record.scenario, title_width) for record in summary.calls]
        widths["Scenario"] = max([len("Scenario"), *(title.cell_len for title in titles)])
        # Every column made anew with the width its cells were cut to: a column left to size itself from its
        # rows widens only after they are laid out, and the header row was sometimes drawn before that, with
        # the labels' own widths, and kept (a snapshot test caught it once in a few dozen runs).
        table.clear(columns=True)
        for name in COLUMNS:
            table.add_column(name, width=widths[name])
        for record, cells, title in zip(summary.calls, rows, titles, strict=False):
            table.add_row(
                _cell(cells["#"], widths["#"], "right"),
                _cell(cells["Date"], widths["Date"]),
                title,
                _cell(cells["Buyer"], widths["Buyer"]),
                _cell(cells["Mode"], widths["Mode"]),
                _cell(cells["Score"], widths["Score"], "right"),
                _cell(cells["Result"], widths["Result"]),
                key=str(record.id),
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        table.refresh(layout=True)  # the header takes the new column widths in the same frame as the rows
        figures_width = max(MIN_TITLE, width - FIGURES_MARGINS - STATS_WIDTH - TREND_WIDTH)
        per_scenario = self.query_one("#per-scenario", Static)
        if summary.scenarios:
            per_scenario.update(scenario_lines(summary.scenarios, figures_width))
        else:
            per_scenario.update(Content("No ended calls yet: only finished calls count."))
        self.query_one("#next-drill", Static).update(self._drill_content())
        weak = {stats.behaviour for stats in summary.weak_spots}
        self.query_one("#behaviours", Static).update(behaviour_lines(summary.behaviours, weak))

    def _drill_content(self) -> Content:
        drill = self.summary.next_drill if self.summary else None
        if drill is None:
            return Content("Play a call first.")
        scenario = self.library.scenarios.get(drill.scenario) if self.library else None
        persona = self.library.personas.get(drill.persona) if self.library else None
        title = scenario.title if scenario else drill.scenario
        buyer = persona.name if persona else drill.persona
        return Content.assemble(
            (visible(title), "bold"),
            f" with the {visible(buyer)} buyer   ",  # the gap ends this run: see chart.py on leading spaces
            ("d: start it", "$accent bold"),
            "\n",
            (visible(drill.reason), "dim"),
        )

    def on_resize(self) -> None:
        self._fill()

    # --- what is picked ----------------------------------------------------------------
    def selected_call(self) -> CallRecord | None:
        """The highlighted call, if any."""
        table = self.query_one("#calls", DataTable)
        if self.summary is None or not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((r for r in self.summary.calls if str(r.id) == row_key.value), None)

    @on(DataTable.RowSelected, "#calls")
    def _selected(self) -> None:
        self.action_review()

    def action_review(self) -> None:
        """Show the highlighted call's debrief again."""
        record = self.selected_call()
        if record is None:
            self.notify("There is no call to review yet." if self.loaded else LOADING, severity="warning")
            return
        self.post_message(ReviewRequested(record))

    def action_resume(self) -> None:
        """Go on with the highlighted call, if it was left unfinished."""
        record = self.selected_call()
        if record is None:
            self.notify("There is no call to resume." if self.loaded else LOADING, severity="warning")
            return
        if not record.resumable:
            self.notify(f"Call {record.id} has ended; Enter reviews it.", severity="warning")
            return
        self.post_message(ResumeRequested(record))

    def action_drill(self) -> None:
        """Open the briefing of the suggested next drill."""
        drill = self.summary.next_drill if self.summary else None
        if drill is None:
            self.notify("No drill to suggest yet." if self.loaded else LOADING, severity="warning")
            return
        self.post_message(BriefingRequested(Plan(drill.scenario, drill.persona, Mode.TRAIN)))

    def action_home(self) -> None:
        """Back to the scenario list."""
        self.post_message(HomeRequested())

    def commands(self) -> Iterable[SystemCommand]:
        """What the command palette offers on this screen."""
        yield SystemCommand("Review call", "Show the highlighted call's debrief again", self.action_review)
        yield SystemCommand("Resume call", "Go on with the highlighted unfinished call", self.action_resume)
        yield SystemCommand("Next drill", "Open the briefing of the suggested drill", self.action_drill)
        yield SystemCommand("Back to the scenarios", "The home screen", self.action_home)
