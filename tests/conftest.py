"""Shared fixtures: the bundled library, and a user folder that is always empty unless a test fills it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.content.loader import Library, load_library
from simulator.paths import CONFIG_DIR_ENV


@pytest.fixture(scope="session", autouse=True)
def no_user_content(tmp_path_factory) -> Iterator[None]:
    """A developer's own scenarios, calls and cache must never change, or be changed by, a test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CONFIG_DIR_ENV, str(tmp_path_factory.mktemp("user-config")))
        patch.setenv("BADNEWS_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))
        patch.setenv("BADNEWS_CACHE_DIR", str(tmp_path_factory.mktemp("user-cache")))
        # A developer's team store, class, LRS and served room are theirs: a test sets what it needs itself.
        for name in ("BADNEWS_STORE", "BADNEWS_GROUP", "BADNEWS_LRS_URL", "BADNEWS_LRS_KEY", "BADNEWS_LRS_SECRET",
                     "BADNEWS_JOIN_CODE_SHA256", "BADNEWS_SESSIONS_DIR"):
            patch.delenv(name, raising=False)
        yield


@pytest.fixture(scope="session")
def library(no_user_content) -> Library:
    """Every bundled scenario and persona."""
    return load_library()


@pytest.fixture(scope="session")
def played_script(library):
    """`play_script` with the default detector, each call played once per test run: the coach-rated calls are read
    by the listening-buyer checks and the rank correlations alike (a played call is only read, never changed)."""
    from simulator.engine.script import play_script

    played: dict[tuple[str, str, tuple[str, ...]], object] = {}

    def play(scenario_id: str, persona_id: str, replies: list[str]):
        key = (scenario_id, persona_id, tuple(replies))
        if key not in played:
            played[key] = play_script(library.scenario(scenario_id), library.persona(persona_id), replies)
        return played[key]

    return play
