"""Fixtures of the app tests: the app as the CLI builds it, without speech pacing or a running clock.

The Pilot tests are `async def`; this conftest runs each in its own event loop, so the suite needs no
asyncio plugin beyond pytest itself. Each test keeps its calls in a folder of its own, so a best score
or a history never leaks from one test into another.
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from simulator.paths import DATA_DIR_ENV
from simulator.tui.app import BadNewsApp, make_app


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run a coroutine test function to completion in a fresh event loop."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


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
