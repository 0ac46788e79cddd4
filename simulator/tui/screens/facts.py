"""The facts at hand during a call: the brief, the facts and the options, over the call, which goes on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from simulator.content.models import Persona, Scenario
from simulator.render.brief import brief_sections


class FactsScreen(ModalScreen[None]):
    """The brief, facts, options and compensation, shown over the call; the clock keeps running."""

    DEFAULT_CSS = """
    FactsScreen { align: center middle; }
    FactsScreen > VerticalScroll {
        width: 90%; height: 85%; border: thick $accent; background: $surface; padding: 0 1;
    }
    FactsScreen .heading { text-style: bold; color: $accent; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,f2", "dismiss", "Back to the call")]

    def __init__(self, scenario: Scenario, persona: Persona) -> None:
        super().__init__()
        self._sections = brief_sections(scenario, persona)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="facts"):
            yield Static(Content("The facts at hand (F2 or Esc: back to the call; the clock keeps running)"),
                         classes="dim")
            for heading, lines in self._sections:
                yield Static(Content(heading), classes="heading")
                yield Static(Content("\n".join(lines)))
