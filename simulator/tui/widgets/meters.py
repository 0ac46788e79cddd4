"""One-line meters of the buyer's mood: a temperature gauge and a trust bar, coloured by the theme."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

# Upper bounds of the trust words; like mood bands, a word reads faster than a number.
TRUST_LEVELS: tuple[tuple[int, str, str], ...] = ((30, "low", "bad"), (60, "fair", "warn"), (101, "high", "good"))
# Temperature bands (from the engine) and how they read: cool is good, hot is bad.
TEMPERATURE_TONES: dict[str, str] = {"calm": "good", "tense": "warn", "angry": "bad", "furious": "bad"}
FULL, EMPTY = "\u2588", "\u2591"


class Meter(Widget):
    """A labelled 0-100 bar with the value, a word for it, and the last change."""

    DEFAULT_CSS = """
    Meter { height: 1; width: 1fr; }
    Meter > .meter--label { text-style: bold; }
    Meter > .meter--empty { color: $foreground 25%; }
    Meter > .meter--good { color: $success; }
    Meter > .meter--warn { color: $warning; }
    Meter > .meter--bad { color: $error; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "meter--label",
        "meter--empty",
        "meter--good",
        "meter--warn",
        "meter--bad",
    }

    RISING_IS_GOOD = True
    """Whether a rise of this meter is good news (trust) or bad news (temperature); it colours the change."""

    value: reactive[int] = reactive(0)
    """The level shown, 0-100."""
    change: reactive[int] = reactive(0)
    """How much the last reply moved it."""

    def __init__(self, label: str, value: int = 0, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.set_reactive(Meter.value, value)

    def level(self, value: int) -> tuple[str, str]:
        """The word for a value and its tone (good, warn or bad)."""
        raise NotImplementedError

    def show(self, value: int, change: int = 0) -> None:
        """Move the meter to a new value, remembering the change."""
        self.value, self.change = value, change

    def render(self) -> Text:
        word, tone = self.level(self.value)
        change = f" {self.change:+d}" if self.change else ""
        change_tone = "good" if (self.change > 0) == self.RISING_IS_GOOD else "bad"
        suffix = f" {self.value:>3} {word}{change}"
        width = max(0, self.size.width - len(self.label) - 1 - len(suffix))
        filled = round(width * self.value / 100)
        return Text.assemble(
            (self.label, self.get_component_rich_style("meter--label")),
            " ",
            (FULL * filled, self.get_component_rich_style(f"meter--{tone}")),
            (EMPTY * (width - filled), self.get_component_rich_style("meter--empty")),
            (f" {self.value:>3} {word}", self.get_component_rich_style(f"meter--{tone}")),
            (change, self.get_component_rich_style(f"meter--{change_tone}")),
        )


class TemperatureGauge(Meter):
    """How hot the buyer is: calm, tense, angry, furious."""

    RISING_IS_GOOD = False

    def __init__(self, value: int = 0, *, id: str | None = None) -> None:
        super().__init__("Temperature", value, id=id)

    def level(self, value: int) -> tuple[str, str]:
        from simulator.engine.mood import band_of

        band = band_of(value)
        return band, TEMPERATURE_TONES[band]


class TrustBar(Meter):
    """How much the buyer trusts the seller: low, fair, high."""

    def __init__(self, value: int = 0, *, id: str | None = None) -> None:
        super().__init__("Trust", value, id=id)

    def level(self, value: int) -> tuple[str, str]:
        return next((word, tone) for ceiling, word, tone in TRUST_LEVELS if value < ceiling)
