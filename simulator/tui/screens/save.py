"""Where to save the report: the current folder or the documents folder, each shown in full."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from simulator.text import visible
from simulator.tui.report import SaveTarget


class SaveScreen(ModalScreen[Path | None]):
    """Pick a folder for the Markdown report; Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, targets: list[SaveTarget]) -> None:
        super().__init__()
        self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Save the report as Markdown in:", classes="question")
            for index, target in enumerate(self.targets):
                yield Button(Content(f"{target.label}: {visible(str(target.folder))}"), id=f"target-{index}")
            yield Button("Cancel", id="cancel")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("target-"):
            self.dismiss(self.targets[int(button_id.removeprefix("target-"))].folder)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
