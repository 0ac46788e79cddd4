"""Shared set-up for the records tests: a private data folder per test, a ticking clock, and calls played into a store."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from simulator.paths import DATA_DIR_ENV
from simulator.records.store import open_store
from tests.playing import Ticker, play_into  # noqa: F401 - play_into is shared with the records tests

GOOD_REPLIES = (
    "Dana, I have bad news: PO 4471, all 10,000 MCU-220s, will not arrive on 3 March.",
    "",
    "A typhoon closed the port of Osaka, and the full order will now arrive on 24 March. That's on me to fix.",
    ("I have three options: we air-freight 2,000 units at our cost within 5 working days, we ship the "
    "pin-compatible MCU-221 from Taiwan this week, or we send weekly partial shipments."),
    "I'm sorry. Will you forgive me?",
    "",
    "Thank you for your patience. I'll update you every Friday, and I'd value your continued support.",
)
BLAMING_REPLIES = (
    "Hi Dana, how are you doing today?",
    "It's the shipping line's fault, they messed up, not us.",
)


def minute_clock() -> Ticker:
    """A clock that moves one minute on each reading, so calls have distinct, ordered times."""
    return Ticker(datetime(2025, 3, 1, 9, 0, tzinfo=UTC), timedelta(minutes=1))


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch) -> Path:
    """Every test keeps its calls in its own folder, never in the developer's."""
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def store(data_folder):
    """An empty calls database with a ticking clock."""
    with open_store(data_folder, clock=minute_clock()) as opened:
        yield opened



class DiskShortage:
    """Every store opened while this is in place writes to a disk that fills up: from the `full_from`-th write
    transaction on (counted over all stores), each write raises what SQLite raises on a full disk.
    Setting `full_from` to None gives the space back."""

    def __init__(self, full_from: int | None) -> None:
        self.full_from, self.writes = full_from, 0

    def connection(self, real: sqlite3.Connection) -> FillingDisk:
        return FillingDisk(real, self)


class FillingDisk:
    """A store's SQLite connection on the disk of a DiskShortage."""

    def __init__(self, connection: sqlite3.Connection, shortage: DiskShortage) -> None:
        self.connection, self.shortage = connection, shortage

    def execute(self, sql: str, *args):
        if sql.startswith("BEGIN IMMEDIATE"):
            self.shortage.writes += 1
            if self.shortage.full_from is not None and self.shortage.writes >= self.shortage.full_from:
                raise sqlite3.OperationalError("database or disk is full")
        return self.connection.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.connection, name)


def fill_the_disk(monkeypatch, full_from: int | None) -> DiskShortage:
    """From now on the stores this test opens write to a disk that is full from the `full_from`-th write on."""
    from simulator.records import store as store_module

    shortage = DiskShortage(full_from)
    real_open = store_module.open_connection

    def opened(path, *args, **kwargs):
        connection, notices = real_open(path, *args, **kwargs)
        return shortage.connection(connection), notices

    monkeypatch.setattr(store_module, "open_connection", opened)
    return shortage
