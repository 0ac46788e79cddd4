"""Fixtures of the app tests: the app as the CLI builds it, without speech pacing or a running clock.

The Pilot tests are `async def`; pytest-asyncio (auto mode, set in pyproject.toml) runs each in its own
event loop. Each test keeps its calls in a folder of its own, so a best score or a history never leaks
from one test into another.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.paths import DATA_DIR_ENV
from simulator.tui.app import BadNewsApp, make_app


@pytest.fixture
def app(library) -> BadNewsApp:
    """The real app on the bundled content; buyer lines appear at once, the clock stands at 00:00."""
    return make_app(library, pace=False, clock=lambda: 0.0)


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory, monkeypatch) -> Path:
    """Where this test's app keeps its calls (every app the test builds, through $BADNEWS_DATA_DIR).

    Not under `tmp_path`, which tests use as a place that must stay empty (a cancelled report save).
    """
    folder = tmp_path_factory.mktemp("calls") / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder
