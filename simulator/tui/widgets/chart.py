"""A bar chart of the buyer's temperature and trust after each reply, drawn in text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

# Rows of bars; each row holds eight steps, so six rows show 48 levels of 0-100.
CHART_ROWS = 6
EIGHTHS = " \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
GUTTER = 5  # "100 \u2502"
# Columns per point: two bars and a gap when they fit, two bars when they do not.
WIDE, NARROW = 3, 2


def bar_cell(value: int, row_from_bottom: int, rows: int = CHART_ROWS) -> str:
    """The block character of a 0-100 bar in one row of the chart."""
    eighths = round(value * rows * 8 / 100)
    return EIGHTHS[max(0, min(8, eighths - row_from_bottom * 8))]


class MoodChart(Widget):
    """Temperature and trust side by side for the start of the call and after each reply."""

    DEFAULT_CSS = """
    MoodChart { height: auto; width: 1fr; }
    MoodChart > .moodchart--temperature { color: $error; }
    MoodChart > .moodchart--trust { color: $success; }
    MoodChart > .moodchart--axis { color: $foreground-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"moodchart--temperature", "moodchart--trust", "moodchart--axis"}

    def __init__(self, points: Sequence[tuple[str, int, int]], *, id: str | None = None) -> None:
        """`points` are (label, temperature, trust): the start, then one per reply."""
        super().__init__(id=id)
        self.points = list(points)

    def get_content_height(self, container, viewport, width: int) -> int:
        return CHART_ROWS + 2

    def _fitting(self, width: int) -> tuple[list[tuple[str, int, int]], int]:
        """The points that fit in `width` (the latest ones) and the columns each takes."""
        room = max(NARROW, width - GUTTER)
        step = WIDE if len(self.points) * WIDE <= room else NARROW
        return self.points[-max(1, room // step) :], step

    def render(self) -> Text:
        axis = self.get_component_rich_style("moodchart--axis")
        hot = self.get_component_rich_style("moodchart--temperature")
        trust = self.get_component_rich_style("moodchart--trust")
        points, step = self._fitting(self.size.width)
        out = Text(no_wrap=True, overflow="crop")
        for row in range(CHART_ROWS):
            from_bottom = CHART_ROWS - 1 - row
            label = "100" if row == 0 else (" 50" if row == CHART_ROWS // 2 else "   ")
            out.append(f"{label} \u2502", axis)
            for _, temperature, confidence in points:
                out.append(bar_cell(temperature, from_bottom), hot)
                out.append(bar_cell(confidence, from_bottom), trust)
                out.append(" " * (step - 2))
            out.append("\n")
        out.append("  0 \u2514", axis)
        for label, *_ in points:
            out.append(label[:step].ljust(step), axis)
        out.append("\n")
        out.append("     ")
        # Each gap ends the run before it rather than starting the next: renderers of the SVG snapshots
        # drop a run's leading spaces, which drew "trust0 is the pick-up".
        out.append("\u2588 temperature  ", hot)
        out.append("\u2588 trust   ", trust)
        shown = "" if len(points) == len(self.points) else f", last {len(points)} of {len(self.points)}"
        out.append(f"0 is the pick-up, then each reply{shown}", axis)
        return out
