"""The elapsed time of the call, mm:ss."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

LABEL = "elapsed "


def mm_ss(seconds: float) -> str:
    """Seconds as minutes:seconds."""
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


class ElapsedClock(Static):
    """Counts up from the moment the buyer picks up; stops when the call ends."""

    DEFAULT_CSS = """
    ElapsedClock { width: auto; height: 1; padding: 0 1; }
    """

    def __init__(self, clock: Callable[[], float], *, id: str | None = None) -> None:
        super().__init__(Text(f"{LABEL}{mm_ss(0)}"), id=id)
        self._clock = clock
        self._started: float | None = None
        self._timer: Timer | None = None

    def start(self) -> None:
        """Start counting now."""
        self._started = self._clock()
        self._timer = self.set_interval(1, self._tick)

    def stop(self) -> None:
        """Freeze the time shown."""
        self._tick()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @property
    def seconds(self) -> float:
        """Seconds since the call started (0 before it does)."""
        return 0.0 if self._started is None else self._clock() - self._started

    def _tick(self) -> None:
        self.update(Text(f"{LABEL}{mm_ss(self.seconds)}"))
