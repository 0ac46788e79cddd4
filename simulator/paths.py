"""The app's name and folders: bundled content, the trainer's own content, the calls database, the trainee."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP_NAME = "bad-news-drill"
# Tests and portable setups point the trainer's own folder elsewhere with this variable...
CONFIG_DIR_ENV = "BADNEWS_CONFIG_DIR"
# ...and the folder of the calls database with this one.
DATA_DIR_ENV = "BADNEWS_DATA_DIR"
# A team's shared store (`--store postgresql://...`) and the group calls are played in (`--group NAME`).
STORE_ENV = "BADNEWS_STORE"
GROUP_ENV = "BADNEWS_GROUP"
# Who a call is recorded under when the OS has no user name to give (some containers and services).
FALLBACK_TRAINEE = "trainee"


def bundled_dir(kind: str) -> Path:
    """Where the bundled `scenarios` or `personas` live: inside an installed wheel, else the repo's top level."""
    packaged = Path(str(resources.files("simulator"))) / "_bundled" / kind
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[1] / kind


def user_dir(kind: str) -> Path:
    """Where a trainer keeps their own `scenarios` or `personas`: in $BADNEWS_CONFIG_DIR, else the config folder."""
    root = os.environ.get(CONFIG_DIR_ENV)
    if not root:
        from platformdirs import user_config_dir

        root = user_config_dir(APP_NAME)
    return Path(root) / kind


def data_dir(override: Path | None = None) -> Path:
    """Where calls are kept: `override` (`--data-dir`), else $BADNEWS_DATA_DIR, else the user's data folder."""
    if override is not None:
        return override
    root = os.environ.get(DATA_DIR_ENV)
    if root:
        return Path(root)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


def store_url() -> str | None:
    """The team store's address (`--store`, which sets $BADNEWS_STORE), or None for the SQLite file."""
    return os.environ.get(STORE_ENV) or None


def group_name() -> str:
    """The group calls are recorded in (`--group`, which sets $BADNEWS_GROUP); "" when none."""
    return os.environ.get(GROUP_ENV, "").strip()


def default_trainee() -> str:
    """The OS user name, which calls are recorded under unless --trainee says otherwise."""
    import getpass

    try:
        return getpass.getuser() or FALLBACK_TRAINEE
    except (OSError, KeyError, ImportError):  # no login name in some containers and services
        return FALLBACK_TRAINEE
