"""Trainer-tool tests never see the real user's config folder: each test gets an empty one."""

from __future__ import annotations

import pytest

from simulator.paths import CONFIG_DIR_ENV


@pytest.fixture(autouse=True)
def empty_user_folder(tmp_path_factory, monkeypatch):
    """Point BADNEWS_CONFIG_DIR at a fresh, empty folder."""
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path_factory.mktemp("config")))
