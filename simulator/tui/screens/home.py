"""The title screen: pick a scenario, a buyer persona and train or exam mode."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Label, RadioButton, RadioSet, Select, Static

from simulator.tui.messages import BriefingRequested
from simulator.tui.plan import MODE_HELP, Mode, Plan

if TYPE_CHECKING:
    from simulator.content.loader import Library

# Column widths of the scenario table; the title gets the rest of the screen.
LEVEL_WIDTH, BUYER_WIDTH, MIN_TITLE = 6, 16, 20
# Screen padding, cell padding of four columns, the scrollbar, and the fixed columns.
TABLE_OVERHEAD = 2 + 8 + 2 + LEVEL_WIDTH + BUYER_WIDTH + 4
SCENARIO_DEFAULT = ""  # the persona Select's value for "whoever the scenario says"
NO_SCORE = "\u2014"


def _cell(text: str, width: int) -> Text:
    """A table cell of literal text, cut with an ellipsis to `width`."""
    cell = Text(text, no_wrap=True)
    cell.truncate(width, overflow="ellipsis")
    return cell


class HomeScreen(Screen):
    """Bad News Drill's title screen."""

    AUTO_FOCUS = "#scenarios"
    BINDINGS = [Binding("b", "brief", "Brief me")]

    def __init__(self, library: Library | None = None, best_scores: Mapping[str, int] | None = None) -> None:
        super().__init__()
        self.best_scores = dict(best_scores or {})
        self.library = library

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("Pick a call to practise. Every point is explained by your own words.", classes="lead")
            yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="home-options"):
                with Vertical(classes="field buyer"):
                    yield Label("Buyer")
                    yield Select([(Text("Scenario default"), SCENARIO_DEFAULT)], allow_blank=False, id="persona")
                with Vertical(classes="field"):
                    yield Label("Mode")
                    with RadioSet(id="mode"):
                        yield RadioButton(MODE_HELP["train"], value=True, id="train")
                        yield RadioButton(MODE_HELP["exam"], id="exam")
            with Horizontal(id="home-go"):
                yield Static("Loading scenarios\u2026", id="about", markup=False)
                yield Button("Brief me \u25b8", id="brief", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#scenarios", DataTable)
        table.add_columns("Scenario", "Level", "Buyer", "Best")
        if self.library is not None:
            self.show_library(self.library)

    def show_library(self, library: Library) -> None:
        """Fill the lists once the scenarios and personas are loaded."""
        self.library = library
        self._fill_table()
        personas = [(Text("Scenario default"), SCENARIO_DEFAULT)]
        personas += [(Text(persona.name), persona_id) for persona_id, persona in library.personas.items()]
        self.query_one("#persona", Select).set_options(personas)
        self.query_one("#persona", Select).value = SCENARIO_DEFAULT
        self._describe()

    def _fill_table(self) -> None:
        """One row per scenario, titles cut to the width there is, the cursor kept where it was."""
        if self.library is None:
            return
        table = self.query_one("#scenarios", DataTable)
        row = table.cursor_row
        table.clear()
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

    def on_resize(self) -> None:
        self._fill_table()

    # --- what is picked ----------------------------------------------------------------
    def _scenario_id(self) -> str | None:
        table = self.query_one("#scenarios", DataTable)
        if self.library is None or not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def _persona_id(self, scenario_id: str) -> str:
        picked = self.query_one("#persona", Select).value
        if isinstance(picked, str) and picked != SCENARIO_DEFAULT:
            return picked
        assert self.library is not None
        return self.library.scenarios[scenario_id].default_persona

    def _mode(self) -> Mode:
        return "exam" if self.query_one("#exam", RadioButton).value else "train"

    def _describe(self) -> None:
        """Say who the buyer will be, since a persona changes the whole call."""
        about = self.query_one("#about", Static)
        scenario_id = self._scenario_id()
        if self.library is None:
            return
        if scenario_id is None:
            about.update(Content("No scenarios found. Add YAML files with --scenarios DIR."))
            return
        scenario = self.library.scenarios[scenario_id]
        persona_id = self._persona_id(scenario_id)
        persona = self.library.personas.get(persona_id)
        if persona is None:
            about.update(Content(f"This scenario's buyer persona '{persona_id}' is missing: pick another buyer."))
            return
        default = " (the scenario's default)" if persona_id == scenario.default_persona else ""
        about.update(
            Content.assemble(
                (f"{scenario.buyer.name}, {scenario.buyer.role} at {scenario.buyer.company}", "bold"),
                f" \u2014 {persona.name}{default}: {persona.description}",
            )
        )

    @on(DataTable.RowHighlighted, "#scenarios")
    @on(Select.Changed, "#persona")
    def _picked(self) -> None:
        self._describe()

    @on(DataTable.RowSelected, "#scenarios")
    @on(Button.Pressed, "#brief")
    def _go(self) -> None:
        self.action_brief()

    def action_brief(self) -> None:
        """Open the briefing of the highlighted scenario with the chosen buyer and mode."""
        scenario_id = self._scenario_id()
        if scenario_id is None:
            self.notify("There is no scenario to play yet.", severity="warning")
            return
        persona_id = self._persona_id(scenario_id)
        assert self.library is not None
        if persona_id not in self.library.personas:
            self.notify(f"No buyer persona '{persona_id}': pick another buyer.", severity="error", markup=False)
            return
        self.post_message(BriefingRequested(Plan(scenario_id, persona_id, self._mode())))

    def commands(self) -> Iterable[SystemCommand]:
        """What the command palette offers on this screen."""
        yield SystemCommand("Brief me", "Open the briefing of the highlighted scenario", self.action_brief)
