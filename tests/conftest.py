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
        yield


@pytest.fixture(scope="session")
def library(no_user_content) -> Library:
    """Every bundled scenario and persona."""
    return load_library()
