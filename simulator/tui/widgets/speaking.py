"""The "Dana is speaking..." line shown while a buyer's line is still being said."""

from __future__ import annotations

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

# How often the dots move; slow enough to read as speech, not a spinner.
DOT_SECONDS = 0.4
MAX_DOTS = 3


class TypingIndicator(Static):
    """Shows who is speaking, with moving dots; blank when nobody is."""

    DEFAULT_CSS = """
    TypingIndicator { height: 1; padding: 0 2; color: $accent; text-style: italic; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._name = ""
        self._dots = 0
        self._timer: Timer | None = None

    def start(self, name: str) -> None:
        """Show that `name` is speaking."""
        self._name, self._dots = name, 0
        if self._timer is None:
            self._timer = self.set_interval(DOT_SECONDS, self._tick)
        self._paint()

    def stop(self) -> None:
        """Nobody is speaking."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._name = ""
        self.update("")

    def _tick(self) -> None:
        self._dots = (self._dots + 1) % (MAX_DOTS + 1)
        self._paint()

    def _paint(self) -> None:
        self.update(Text(f"{self._name} is speaking{'.' * self._dots}"))
