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

SCENARIO_DEFAULT = ""  # the persona Select's value for "whoever the scenario says"
NO_SCORE = "\u2014"


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
                with Vertical(classes="field"):
                    yield Label("Buyer")
                    yield Select([(Text("Scenario default"), SCENARIO_DEFAULT)], allow_blank=False, id="persona")
                with Vertical(classes="field"):
                    yield Label("Mode")
                    with RadioSet(id="mode"):
                        yield RadioButton(MODE_HELP["train"], value=True, id="train")
                        yield RadioButton(MODE_HELP["exam"], id="exam")
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
        table = self.query_one("#scenarios", DataTable)
        table.clear()
        for scenario_id, scenario in library.scenarios.items():
            best = self.best_scores.get(scenario_id)
            table.add_row(
                Text(scenario.title),
                Text(scenario.difficulty),
                Text(scenario.buyer.name),
                Text(NO_SCORE if best is None else str(best), justify="right"),
                key=scenario_id,
            )
        personas = [(Text("Scenario default"), SCENARIO_DEFAULT)]
        personas += [(Text(persona.name), persona_id) for persona_id, persona in library.personas.items()]
        self.query_one("#persona", Select).set_options(personas)
        self.query_one("#persona", Select).value = SCENARIO_DEFAULT
        self._describe()

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
