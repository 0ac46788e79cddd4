"""The title screen: pick a scenario, a buyer persona and train or exam mode.

Kept to a table and two lines of text (no dropdowns or radio sets): it is the screen `badnews` opens
on, and every widget here is start-up time. The buyer and the mode change with one key each.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from simulator.status import Mode
from simulator.text import visible
from simulator.tui.messages import BriefingRequested, HistoryRequested
from simulator.tui.plan import MODE_HELP, Plan

if TYPE_CHECKING:
    from simulator.content.loader import Library

# Column widths of the scenario table; the title gets the rest of the screen.
LEVEL_WIDTH, BUYER_WIDTH, MIN_TITLE = 6, 16, 20
# Screen padding and the table's margin, cell padding of four columns, the scrollbar, and the fixed columns.
TABLE_OVERHEAD = 4 + 8 + 2 + LEVEL_WIDTH + BUYER_WIDTH + 4
NO_SCORE = "\u2014"
LEAD = "Pick a call (\u2191\u2193, Enter). Every point is explained by your own words."
COLUMNS = ("Scenario", "Level", "Buyer", "Best")
LOADING = "Loading scenarios\u2026"
HOW_IT_WORKS = (
    "How it works: read the briefing and make the before-call choices, then phone the buyer. Type what you "
    "would say; an empty Enter stays silent. The buyer's temperature and trust move with every reply, and the "
    "debrief explains each point with your own words. F1 shows the rubric."
)


def _cell(text: str, width: int) -> Text:
    """A table cell of literal text, cut with an ellipsis to `width`."""
    cell = Text(visible(text), no_wrap=True)
    cell.truncate(width, overflow="ellipsis")
    return cell


class HomeScreen(Screen):
    """Bad News Drill's title screen."""

    AUTO_FOCUS = "#scenarios"
    BINDINGS = [
        Binding("b", "brief", "Brief me"),
        Binding("p", "next_persona", "Buyer"),
        Binding("m", "toggle_mode", "Mode"),
        Binding("h", "history", "History"),
    ]

    def __init__(self, library: Library | None = None) -> None:
        super().__init__()
        self.best_scores: dict[str, int] = {}  # filled from the calls database when it has been read
        self.library = library
        self.persona_choice: str | None = None  # None: the scenario's default buyer
        self.mode: Mode = Mode.TRAIN

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(LEAD, id="lead")
        yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
        yield Static(LOADING, id="settings", markup=False)
        yield Static("", id="about", markup=False)
        yield Static(HOW_IT_WORKS, id="how-it-works", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scenarios", DataTable).add_columns(*COLUMNS)
        if self.library is not None:
            self.show_library(self.library)

    def show_library(self, library: Library) -> None:
        """Fill the table once the scenarios and personas are loaded."""
        self.library = library
        self._fill_table()
        self._describe()

    def show_best_scores(self, best_scores: dict[str, int]) -> None:
        """Show the trainee's best score so far next to each scenario."""
        self.best_scores = dict(best_scores)
        self._fill_table()

    def _fill_table(self) -> None:
        """One row per scenario, titles cut to the width there is, the cursor kept where it was."""
        if self.library is None:
            return
        table = self.query_one("#scenarios", DataTable)
        row = table.cursor_row
        # Columns only ever widen as rows are added: after the terminal shrinks they must be made anew.
        table.clear(columns=True)
        table.add_columns(*COLUMNS)
        title_width = max(MIN_TITLE, (self.size.width or self.app.size.width) - TABLE_OVERHEAD)
        for scenario_id, scenario in self.library.scenarios.items():
            best = self.best_scores.get(scenario_id)
            table.add_row(
                _cell(scenario.title, title_width),
                _cell(scenario.difficulty, LEVEL_WIDTH),
                _cell(scenario.buyer.name, BUYER_WIDTH),
                Text(NO_SCORE if best is None else str(best), justify="right"),
                key=scenario_id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        table.refresh(layout=True)  # the header takes the new column widths in the same frame as the rows

    def on_resize(self) -> None:
        self._fill_table()

    # --- what is picked ----------------------------------------------------------------
    def selected_scenario(self) -> str | None:
        """The id of the highlighted scenario, if any."""
        table = self.query_one("#scenarios", DataTable)
        if self.library is None or not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def selected_persona(self, scenario_id: str) -> str:
        """The chosen buyer persona, or the scenario's default one."""
        if self.persona_choice is not None:
            return self.persona_choice
        assert self.library is not None
        return self.library.scenarios[scenario_id].default_persona

    def _describe(self) -> None:
        """Say who the buyer will be and how feedback comes, since both change the whole call."""
        if self.library is None:
            return
        settings = self.query_one("#settings", Static)
        about = self.query_one("#about", Static)
        scenario_id = self.selected_scenario()
        if scenario_id is None:
            settings.update(Content("No scenarios found. Add YAML files with --scenarios DIR."))
            about.update("")
            return
        scenario = self.library.scenarios[scenario_id]
        persona_id = self.selected_persona(scenario_id)
        persona = self.library.personas.get(persona_id)
        persona_name = visible(persona.name) if persona else f"'{visible(persona_id)}' (missing)"
        default = " (the scenario's default)" if self.persona_choice is None else ""
        settings.update(
            Content.assemble(
                # Gaps end the run before them (see widgets/chart.py on leading spaces).
                ("Buyer ", "$accent bold"),
                (f"{persona_name}{default}   ", "bold"),
                ("p: another buyer", "$accent"),
                "\n",
                ("Mode  ", "$accent bold"),
                (f"{MODE_HELP[self.mode]}   ", "bold"),
                ("m: switch", "$accent"),
            )
        )
        who = visible(f"{scenario.buyer.name}, {scenario.buyer.role} at {scenario.buyer.company}")
        described = visible(persona.description) if persona else "Pick another buyer with p."
        about.update(Content.assemble((who, "bold"), f" \u2014 {described}"))

    @on(DataTable.RowHighlighted, "#scenarios")
    def _highlighted(self) -> None:
        self._describe()

    @on(DataTable.RowSelected, "#scenarios")
    def _selected(self) -> None:
        self.action_brief()

    def action_next_persona(self) -> None:
        """Cycle the buyer: the scenario's default, then each persona in turn."""
        if self.library is None:
            return
        scenario_id = self.selected_scenario()
        default = self.library.scenarios[scenario_id].default_persona if scenario_id else None
        # The scenario's own buyer comes once, as the default, not again under its own name.
        order: list[str | None] = [None, *(p for p in self.library.personas if p != default)]
        current = self.persona_choice if self.persona_choice in order else None
        self.persona_choice = order[(order.index(current) + 1) % len(order)]
        self._describe()

    def action_toggle_mode(self) -> None:
        """Switch between train mode (coaching after each reply) and exam mode (feedback at the end)."""
        self.mode = Mode.EXAM if self.mode is Mode.TRAIN else Mode.TRAIN
        self._describe()

    def action_brief(self) -> None:
        """Open the briefing of the highlighted scenario with the chosen buyer and mode."""
        scenario_id = self.selected_scenario()
        if scenario_id is None:
            waiting = "The scenarios are still loading." if self.library is None else "There is no scenario to play."
            self.notify(waiting, severity="warning")
            return
        persona_id = self.selected_persona(scenario_id)
        assert self.library is not None
        if persona_id not in self.library.personas:
            self.notify(f"No buyer persona '{persona_id}': press p for another.", severity="error", markup=False)
            return
        self.post_message(BriefingRequested(Plan(scenario_id, persona_id, self.mode)))

    def action_history(self) -> None:
        """Your calls, scores and trends, weak spots and the next drill."""
        self.post_message(HistoryRequested())

    def commands(self) -> Iterable[SystemCommand]:
        """What the command palette offers on this screen."""
        yield SystemCommand("Brief me", "Open the briefing of the highlighted scenario", self.action_brief)
        yield SystemCommand(
            "History", "Your calls, scores and trends, weak spots and the next drill", self.action_history
        )
        yield SystemCommand("Next buyer", "Play the scenario with another buyer persona", self.action_next_persona)
        yield SystemCommand(
            "Switch mode", "Train (coaching after each reply) or exam (feedback at the end)", self.action_toggle_mode
        )
