"""What the team store says when PostgreSQL turns a rep away, tested without a server (psycopg's connect refuses)."""

from __future__ import annotations

import pytest

from simulator.records.postgres import PostgresConnection, StoreUnreachable

psycopg = pytest.importorskip("psycopg")


def refuse(message: str):
    def connect(*args, **kwargs):
        raise psycopg.OperationalError(message)

    return connect


def test_a_full_server_says_how_to_make_room(monkeypatch):
    monkeypatch.setattr(psycopg, "connect", refuse("connection failed: FATAL:  sorry, too many clients already"))
    with pytest.raises(StoreUnreachable) as caught:
        PostgresConnection("postgresql://coach:secret@db.example:5432/drill")
    said = str(caught.value)
    assert "too many clients" in said and "max_connections" in said and "PgBouncer" in said
    assert "secret" not in said  # the password is never shown


def test_a_server_that_is_away_is_told_as_it_is(monkeypatch):
    monkeypatch.setattr(psycopg, "connect", refuse("connection refused"))
    with pytest.raises(StoreUnreachable) as caught:
        PostgresConnection("postgresql://coach@db.example/drill")
    assert "connection refused" in str(caught.value) and "max_connections" not in str(caught.value)
