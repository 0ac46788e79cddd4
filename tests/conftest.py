"""Shared fixtures: the bundled library, loaded once per test session."""

from __future__ import annotations

import pytest

from simulator.content.loader import Library, load_library


@pytest.fixture(scope="session")
def library() -> Library:
    """Every bundled scenario and persona."""
    return load_library()
