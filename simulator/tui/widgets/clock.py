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
        self._paused_at: float | None = None
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

    def pause(self) -> None:
        """Stop counting until `resume` (the rep is reading the help, not on the call)."""
        if self._paused_at is None and self._started is not None:
            self._paused_at = self._clock()

    def resume(self) -> None:
        """Count on from where `pause` stopped."""
        if self._paused_at is not None and self._started is not None:
            self._started += self._clock() - self._paused_at
            self._paused_at = None
            self._tick()

    @property
    def seconds(self) -> float:
        """Seconds since the call started (0 before it does), less any pause."""
        if self._started is None:
            return 0.0
        now = self._paused_at if self._paused_at is not None else self._clock()
        return now - self._started

    def _tick(self) -> None:
        self.update(Text(f"{LABEL}{mm_ss(self.seconds)}"))
