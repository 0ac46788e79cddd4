"""The trainer's view: per trainee and per scenario × buyer × mode the scores, a bar of the average, the trend
and the weak spots; every call, and Enter on one opens its annotated debrief.

Three tabs (t, s, c), each a table cut to the width there is and a line of detail on the highlighted row.
Enter on a trainee or a drill lists its calls; Esc lists every call again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from simulator.catalogue import behaviour_name
from simulator.records.history import sparkline
from simulator.records.record import CallRecord
from simulator.records.team import DrillRow, Figures, TeamView, TraineeRow, call_state
from simulator.status import CallStatus
from simulator.text import visible
from simulator.tui.messages import ReviewRequested

# Around a table: its margins (1 each side), the padding of each column (1 each side), and its scrollbar.
TABLE_MARGINS = 2 + 2
CELL_PADDING = 2
BAR_EIGHTHS = " \u258f\u258e\u258d\u258c\u258b\u258a\u2589"
FULL_BLOCK = "\u2588"
NO_SCORE = "\u2014"
DATE_FORMAT = "%d %b %H:%M"
HOW_TO = "t s c: tabs \u00b7 Enter: open \u00b7 Esc: all calls \u00b7 q: quit"


@dataclass(frozen=True)
class Column:
    """A column of a Team table: its heading, how narrow and how wide it may be, and how its cells align."""

    name: str
    least: int
    most: int
    justify: str = "left"


def fit(columns: Sequence[Column], rows: Iterable[Sequence[str]], room: int) -> list[int]:
    """Column widths for `room` cells of text: each as wide as its widest cell, within its limits; while the table is
    wider than the room, the column with the most to spare above its least gives one cell."""
    widths = [max(c.least, min(c.most, len(c.name))) for c in columns]
    for row in rows:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], min(columns[i].most, len(text)))
    excess = sum(widths) - room
    while excess > 0:
        spare, index = max((w - c.least, i) for i, (w, c) in enumerate(zip(widths, columns, strict=True)))
        if spare <= 0:
            break
        widths[index] -= 1
        excess -= 1
    return widths


def cut(text: str, width: int, justify: str = "left") -> Text:
    """User text made harmless, on one line, cut with an ellipsis to `width`: a table cell (never markup)."""
    shown = " ".join(visible(text).split())
    if len(shown) > width:
        shown = shown[: max(0, width - 1)] + "\u2026"
    if justify == "right":
        shown = shown.rjust(width)  # a column of a set width lays its cells out from the left
    return Text(shown, no_wrap=True)


def bar(value: float | None, cells: int) -> str:
    """A score 0-100 as a bar of block characters `cells` wide, to eighths of a cell, on a fixed scale."""
    if value is None or cells <= 0:
        return " " * max(cells, 0)
    filled = max(0.0, min(100.0, value)) / 100 * cells
    whole = int(filled)
    part = int((filled - whole) * 8)
    text = FULL_BLOCK * whole + (BAR_EIGHTHS[part] if part and whole < cells else "")
    return text.ljust(cells)


def average_cell(figures: Figures, width: int) -> str:
    """The bar of the average and the average itself, `width` wide: '█████▍   72.5'."""
    number = "    -" if figures.average is None else f"{figures.average:5.1f}"
    return f"{bar(figures.average, width - len(number) - 1)} {number}"


def score_of(record: CallRecord) -> str:
    """'86 B' for a counted call, a dash for one that is not (unfinished, or no reply)."""
    if call_state(record) or record.score is None:
        return NO_SCORE
    return f"{record.score} {record.grade or '?'}"


def result_of(record: CallRecord) -> str:
    """How a call went, or why it is not counted."""
    state = call_state(record)
    if state:
        return state
    if record.status is CallStatus.HUNG_UP:
        return "buyer hung up"
    return (record.outcome or "ended").replace("_", " ")


def _weakest(figures: Figures) -> str:
    weak = figures.weak
    return behaviour_name(weak[0].behaviour) if weak else "-"


def figures_detail(name: str, figures: Figures) -> Content:
    """The highlighted row in full: what counts, the trend and what it compares, every weak spot."""
    left_out = []
    if figures.no_reply:
        left_out.append(f"{figures.no_reply} with no reply")
    if figures.unfinished:
        left_out.append(f"{figures.unfinished} unfinished")
    counted = f"{figures.calls} call{'s' if figures.calls != 1 else ''}, {figures.counted} counted"
    counted += f" ({', '.join(left_out)}: not counted)" if left_out else ""
    trend = figures.trend
    if trend.change is None:
        moved = "trend: no drill played twice yet"
    else:
        moved = f"trend {trend.label()} points (the mean of {trend.series} like-for-like series)"
    if trend.drill is not None and trend.recent:
        latest = trend.drill
        moved += f" \u00b7 latest: {latest.scenario}, {latest.label()} {sparkline(trend.recent)}"
    spots = "; ".join(f"{behaviour_name(b.behaviour)} {-b.points_lost:+.1f} a call ({b.describe()})"
                      for b in figures.weak)
    # Each gap ends the run before it: the SVG snapshots' renderer drops a run's leading spaces (see chart.py).
    return Content.assemble(
        (visible(name) + " ", "bold"), f"\u00b7 {counted} \u00b7 {figures.passed} passed\n",
        (visible(moved), "dim"), "\n",
        ("Weak spots: ", "bold"), visible(spots or "none costs a point a call"),
    )


def call_detail(record: CallRecord) -> Content:
    """The highlighted call: who, what, when, and how to open it."""
    when = record.started_at.astimezone().strftime("%d %b %Y %H:%M")
    buyer = record.persona_name or record.persona
    group = f" ({record.group})" if record.group else ""
    replies = f"{record.replies_made} repl{'y' if record.replies_made == 1 else 'ies'}"
    state = call_state(record)
    return Content.assemble(
        (f"Call {record.id} ", "bold"),
        visible(f"\u00b7 {record.trainee}{group} \u00b7 {record.scenario_title or record.scenario} with the {buyer} "
                f"buyer \u00b7 {record.mode} \u00b7 {replies} \u00b7 {when}"),
        ("\n" + (f"Not counted: {state}. " if state else ""), "dim"),
        ("Enter: the annotated debrief", "$accent"),
    )


# The Calls tab lists this many of the newest calls: a table of a team's 100,000 took over a minute to fill (and
# again at each resize). A trainee's or a scenario's calls are listed by Enter; `team --json` lists every one.
SCREEN_CALLS = 500


class TeamScreen(Screen):
    """Every call of a team, per trainee and per drill; Enter on a call opens its annotated debrief."""

    AUTO_FOCUS = "#team-trainees"
    BINDINGS = [
        Binding("t", "tab('trainees')", "Trainees"),
        Binding("s", "tab('scenarios')", "Scenarios"),
        Binding("c", "tab('calls')", "Calls"),
        Binding("escape", "all_calls", "All calls"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, view: TeamView, source: str = "") -> None:
        super().__init__()
        self.view = view
        self.source = source  # where the calls were read: the file, or the team store's address
        self.shown_calls: list[CallRecord] = view.latest(SCREEN_CALLS)
        self.calls_of = ""  # whose calls the Calls tab lists: '' for every call
        self.calls_in_all = view.call_count  # how many calls that is, of which the newest SCREEN_CALLS are listed

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._lead(), id="team-lead")
        with TabbedContent(id="team-tabs", initial="tab-trainees"):
            with TabPane("Trainees", id="tab-trainees"):
                yield DataTable(id="team-trainees", cursor_type="row", zebra_stripes=True, classes="team-table")
                yield Static("", id="trainee-detail", classes="team-detail")
            with TabPane("Scenarios", id="tab-scenarios"):
                yield DataTable(id="team-scenarios", cursor_type="row", zebra_stripes=True, classes="team-table")
                yield Static("", id="scenario-detail", classes="team-detail")
            with TabPane("Calls", id="tab-calls"):
                yield Static("", id="calls-lead")
                yield DataTable(id="team-calls", cursor_type="row", zebra_stripes=True, classes="team-table")
                yield Static("", id="call-detail", classes="team-detail")
        yield Footer()

    def _lead(self) -> Content:
        view = self.view
        if not view.call_count:
            said = "No calls match these filters." if view.filters.active else "No calls yet."
            return Content(said + (f" ({visible(self.source)})" if self.source else ""))
        count = (f"{view.call_count} call{'s' if view.call_count != 1 else ''} from {len(view.trainees)} "
                 f"trainee{'s' if len(view.trainees) != 1 else ''}, {view.counted} counted")
        filters = view.filters.shown()
        shown = f"\u00b7 filters: {visible(', '.join(filters))} " if filters else ""
        return Content.assemble(count + " ", (shown, "$accent"), (f"\u00b7 {HOW_TO}", "dim"))

    def on_mount(self) -> None:
        self.sub_title = "Team"
        self._fill()

    def on_resize(self) -> None:
        self._fill()

    # --- the tables ----------------------------------------------------------------------
    def _room(self, columns: int) -> int:
        width = self.size.width or self.app.size.width
        return width - TABLE_MARGINS - CELL_PADDING * columns

    def _fill(self) -> None:
        """Every table, cut to the width there is (columns only ever widen as rows come, so they are made anew)."""
        self._fill_trainees()
        self._fill_scenarios()
        self._fill_calls()

    def _table(self, table_id: str, columns: Sequence[Column], rows: list[tuple[str, list[str | None]]],
               *, bar_column: str | None = None, figures: Sequence[Figures] = ()) -> None:
        """Fill one table; a cell of None in the `bar_column` is the bar of that row's average."""
        table = self.query_one(table_id, DataTable)
        cursor = table.cursor_row
        bar_at = next((i for i, c in enumerate(columns) if c.name == bar_column), None)
        measured = [[c if c is not None else "x" * columns[i].most for i, c in enumerate(cells)] for _, cells in rows]
        widths = fit(columns, measured, self._room(len(columns)))
        table.clear(columns=True)
        for column, width in zip(columns, widths, strict=True):
            table.add_column(cut(column.name, width, column.justify), width=width, key=column.name)
        for index, (key, cells) in enumerate(rows):
            shown = []
            for i, (column, width) in enumerate(zip(columns, widths, strict=True)):
                text = average_cell(figures[index], width) if i == bar_at else cells[i] or ""
                shown.append(cut(text, width, column.justify))
            table.add_row(*shown, key=key)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        table.refresh(layout=True)

    def _fill_trainees(self) -> None:
        rows = self.view.trainees
        grouped = any(g for row in rows for g in row.groups)
        columns = [
            Column("Trainee", 7, 20),
            *([Column("Group", 5, 12)] if grouped else []),
            Column("Calls", 5, 5, "right"),
            Column("Average", 10, 26),
            Column("Best", 4, 4, "right"),
            Column("Latest", 6, 6, "right"),
            Column("Trend", 6, 6, "right"),
            Column("Weak spot", 9, 24),
        ]
        cells = [
            (row.trainee, [row.trainee, *([", ".join(g for g in row.groups if g) or "-"] if grouped else []),
                           str(row.figures.calls), None, _num(row.figures.best), _num(row.figures.latest),
                           row.figures.trend.label(), _weakest(row.figures)])
            for row in rows
        ]
        self._table("#team-trainees", columns, cells, bar_column="Average", figures=[r.figures for r in rows])
        self._show_trainee()

    def _fill_scenarios(self) -> None:
        rows = self.view.scenarios
        columns = [
            Column("Scenario", 10, 40),
            Column("Buyer", 5, 12),
            Column("Mode", 5, 5),
            Column("Reps", 4, 4, "right"),
            Column("Calls", 5, 5, "right"),
            Column("Average", 10, 22),
            Column("Best", 4, 4, "right"),
            Column("Trend", 6, 6, "right"),
            Column("Weak spot", 9, 24),
        ]
        cells = [
            (_drill_key(row), [row.scenario_title, row.persona_name, row.mode, str(row.trainees),
                               str(row.figures.calls), None, _num(row.figures.best), row.figures.trend.label(),
                               _weakest(row.figures)])
            for row in rows
        ]
        self._table("#team-scenarios", columns, cells, bar_column="Average", figures=[r.figures for r in rows])
        self._show_scenario()

    def _fill_calls(self) -> None:
        columns = [
            Column("#", 3, 7, "right"),
            Column("Date", 12, 12),
            Column("Trainee", 6, 16),
            Column("Scenario", 8, 40),
            Column("Buyer", 5, 10),
            Column("Mode", 5, 5),
            Column("Score", 5, 5, "right"),
            Column("Result", 8, 16),
        ]
        cells: list[tuple[str, list[str | None]]] = [
            (str(record.id), [str(record.id), record.started_at.astimezone().strftime(DATE_FORMAT), record.trainee,
                              record.scenario_title or record.scenario, record.persona_name or record.persona,
                              str(record.mode), score_of(record), result_of(record)])
            for record in self.shown_calls
        ]
        self._table("#team-calls", columns, cells)
        count, in_all = len(self.shown_calls), self.calls_in_all
        whose = (f"the latest {count} of {in_all} calls" if in_all > count else f"{count} call{'s' if count != 1 else ''}"
                 ) + (f" of {self.calls_of}" if self.calls_of else "")
        hint = "\u00b7 Esc: every call " if self.calls_of else ""
        self.query_one("#calls-lead", Static).update(
            Content.assemble((visible(whose) + " ", "bold"), (hint + "\u00b7 Enter: the annotated debrief", "dim"))
        )
        self._show_call()

    # --- what is highlighted ----------------------------------------------------------------
    def _picked(self, table_id: str) -> str | None:
        table = self.query_one(table_id, DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def selected_trainee(self) -> TraineeRow | None:
        """The highlighted trainee, if any."""
        key = self._picked("#team-trainees")
        return next((row for row in self.view.trainees if row.trainee == key), None)

    def selected_drill(self) -> DrillRow | None:
        """The highlighted scenario, buyer and mode, if any."""
        key = self._picked("#team-scenarios")
        return next((row for row in self.view.scenarios if _drill_key(row) == key), None)

    def selected_call(self) -> CallRecord | None:
        """The highlighted call, if any."""
        key = self._picked("#team-calls")
        return self.view.call(int(key)) if key is not None else None

    def _show_trainee(self) -> None:
        row = self.selected_trainee()
        self.query_one("#trainee-detail", Static).update(
            figures_detail(row.trainee, row.figures) if row else Content("No calls yet.")
        )

    def _show_scenario(self) -> None:
        row = self.selected_drill()
        name = f"{row.scenario_title} with the {row.persona_name} buyer, {row.mode}" if row else ""
        self.query_one("#scenario-detail", Static).update(
            figures_detail(name, row.figures) if row else Content("No calls yet.")
        )

    def _show_call(self) -> None:
        record = self.selected_call()
        self.query_one("#call-detail", Static).update(call_detail(record) if record else Content(""))

    @on(DataTable.RowHighlighted, "#team-trainees")
    def _trainee_highlighted(self) -> None:
        self._show_trainee()

    @on(DataTable.RowHighlighted, "#team-scenarios")
    def _scenario_highlighted(self) -> None:
        self._show_scenario()

    @on(DataTable.RowHighlighted, "#team-calls")
    def _call_highlighted(self) -> None:
        self._show_call()

    @on(DataTable.RowSelected, "#team-trainees")
    def _trainee_selected(self) -> None:
        row = self.selected_trainee()
        if row is not None:
            self.list_calls(self.view.calls_of(row.call_ids[:SCREEN_CALLS]), row.trainee, len(row.call_ids))

    @on(DataTable.RowSelected, "#team-scenarios")
    def _scenario_selected(self) -> None:
        row = self.selected_drill()
        if row is not None:
            self.list_calls(self.view.calls_of(row.call_ids[:SCREEN_CALLS]), f"{row.scenario}, {row.persona}, {row.mode}",
                            len(row.call_ids))

    @on(DataTable.RowSelected, "#team-calls")
    def _call_selected(self) -> None:
        self.action_review()

    # --- actions -----------------------------------------------------------------------------
    def list_calls(self, calls: list[CallRecord], whose: str, in_all: int | None = None) -> None:
        """List these calls (the newest `in_all`, when there are more) on the Calls tab and show it."""
        self.shown_calls, self.calls_of, self.calls_in_all = calls, whose, len(calls) if in_all is None else in_all
        self._fill_calls()
        self.action_tab("calls")

    def action_tab(self, tab: str) -> None:
        """Show a tab and put the keys on its table."""
        self.query_one("#team-tabs", TabbedContent).active = f"tab-{tab}"
        self.query_one(f"#team-{tab}", DataTable).focus()

    def action_all_calls(self) -> None:
        """List every call again."""
        if self.calls_of:
            self.list_calls(self.view.latest(SCREEN_CALLS), "", self.view.call_count)

    def action_review(self) -> None:
        """Open the highlighted call's annotated debrief."""
        record = self.selected_call()
        if record is None:
            self.notify("There is no call to open.", severity="warning")
            return
        self.post_message(ReviewRequested(record))

    def commands(self) -> Iterable[SystemCommand]:
        """What the command palette offers on this screen."""
        yield SystemCommand("Trainees", "Per trainee: average, best, latest, trend, weak spot", lambda: self.action_tab("trainees"))
        yield SystemCommand("Scenarios", "Per scenario, buyer and mode", lambda: self.action_tab("scenarios"))
        yield SystemCommand("Calls", "Every call; Enter opens its annotated debrief", lambda: self.action_tab("calls"))


def _num(value: int | None) -> str:
    return "-" if value is None else str(value)


def _drill_key(row: DrillRow) -> str:
    return f"{row.scenario}\x1f{row.persona}\x1f{row.mode}"
