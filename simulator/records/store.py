"""The calls database: one SQLite file in the user's data folder, written after every turn.

Every write is its own short `BEGIN IMMEDIATE` transaction in WAL mode with a busy timeout, so a
crash loses at most the reply being typed and two badnews windows writing at once lose nothing.
A damaged file is never fatal: it is moved aside (kept, not deleted), a new one is started, and
`CallStore.notices` says so for the caller to show.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from simulator.paths import data_dir
from simulator.records.connect import StoreError, explain, open_connection
from simulator.records.schema import (
    STATUSES,
)
from simulator.scoring.result import CallResult
from simulator.status import CallStatus, Mode

DB_NAME = "calls.db"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ReplyConflict(StoreError):
    """Another badnews window added replies to this call since this one last saved it."""


@dataclass(frozen=True)
class Reply:
    """One seller reply as stored: enough to play it again through a fresh `Call`."""

    text: str
    interrupted: bool = False


@dataclass(frozen=True)
class CallRecord:
    """One stored call: how to play it again, where it got to, and the debrief it showed."""

    id: int
    uid: str
    trainee: str
    scenario: str
    scenario_title: str
    persona: str
    persona_name: str
    seed: int
    choices: dict[str, str]
    replies: tuple[Reply, ...]
    status: CallStatus
    outcome: str | None
    ended_by: str | None
    score: int | None
    grade: str | None
    passed: bool | None
    pass_mark: int | None
    started_at: datetime
    updated_at: datetime
    snapshot: dict[str, Any] | None  # the `replay --json` object at the last save; final once ended
    mode: Mode = Mode.TRAIN  # train (coaching after each reply) or exam (feedback only at the end)

    @property
    def ended(self) -> bool:
        """Whether the call came to an end (finished or the buyer hung up) and its score counts."""
        return self.status.ended

    @property
    def resumable(self) -> bool:
        """Whether the call can be picked up where it stopped."""
        return self.status.resumable

    @cached_property
    def result(self) -> CallResult | None:
        """The saved result (the debrief the trainee was shown), with the record's status and mode; None if unreadable."""
        if self.snapshot is None:
            return None
        try:
            result = CallResult.model_validate(self.snapshot)
        except ValidationError:
            return None
        return result.model_copy(update={"status": self.status, "mode": self.mode})


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def open_store(folder: Path | None = None, *, clock: Callable[[], datetime] = utc_now) -> CallStore:
    """The calls database in `folder` (default: `data_dir()`), created or upgraded as needed."""
    return CallStore.open(data_dir(folder) / DB_NAME, clock=clock)


class CallStore:
    """Reads and writes calls in one SQLite file; open with `open_store` or `CallStore.open`."""

    def __init__(self, path: Path, connection: sqlite3.Connection, notices: list[str], clock: Callable[[], datetime]):
        self.path = path
        self.notices = notices  # what happened on opening that the user must be told (a damaged file set aside)
        self._db = connection
        self._clock = clock

    @classmethod
    def open(cls, path: Path, *, clock: Callable[[], datetime] = utc_now) -> CallStore:
        """Open or create the database at `path`; a damaged file is moved aside and a new one started."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the folder {path.parent}: {error.strerror or error}") from None
        connection, notices = open_connection(path)
        return cls(path, connection, notices, clock)

    def close(self) -> None:
        """Close the database; every write is already committed."""
        self._db.close()

    def __enter__(self) -> CallStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -----------------------------------------------------------------------
    def start_call(
        self,
        *,
        trainee: str,
        scenario: str,
        persona: str,
        seed: int,
        choices: Mapping[str, str],
        scenario_title: str = "",
        persona_name: str = "",
        mode: str = "train",
    ) -> int:
        """A new call, in progress with no replies yet; returns its id."""
        now = self._now()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO calls (uid, trainee, scenario, persona, seed, choices, status, started_at, updated_at,"
                " scenario_title, persona_name, mode) VALUES (?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), trainee, scenario, persona, seed, json.dumps(dict(choices)), now, now,
                 scenario_title, persona_name, mode),
            )
            return int(cursor.lastrowid or 0)

    def save(
        self,
        call_id: int,
        *,
        replies: Sequence[Reply],
        saved: int,
        status: str,
        choices: Mapping[str, str],
        snapshot: Mapping[str, Any],
    ) -> None:
        """Append `replies[saved:]` and the call's state in one transaction.

        `saved` is how many replies this writer knows are stored; if another window stored more
        meanwhile, nothing is written and ReplyConflict is raised so the caller can keep its replies elsewhere.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        now = self._now()
        with self._write() as db:
            stored = db.execute("SELECT COUNT(*) FROM replies WHERE call_id = ?", (call_id,)).fetchone()[0]
            if stored != saved:
                raise ReplyConflict(f"call {call_id} has {stored} stored replies, this window expected {saved}")
            db.executemany(
                "INSERT INTO replies (call_id, number, text, interrupted, said_at) VALUES (?, ?, ?, ?, ?)",
                [(call_id, number, r.text, int(r.interrupted), now)
                 for number, r in enumerate(replies[saved:], start=saved + 1)],
            )
            passed = snapshot.get("passed")
            updated = db.execute(
                "UPDATE calls SET status = ?, choices = ?, outcome = ?, ended_by = ?, score = ?, grade = ?,"
                " passed = ?, pass_mark = ?, updated_at = ?, snapshot = ? WHERE id = ?",
                (status, json.dumps(dict(choices)), snapshot.get("outcome"), snapshot.get("ended_by"),
                 snapshot.get("score"), snapshot.get("grade"), None if passed is None else int(bool(passed)),
                 snapshot.get("pass_mark"), now, json.dumps(snapshot, ensure_ascii=False), call_id),
            )
            if updated.rowcount != 1:
                raise StoreError(f"there is no call {call_id} in {self.path}")

    def set_status(self, call_id: int, status: str) -> None:
        """Change a call's status only (a call picked up again is in progress)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self._write() as db:
            db.execute("UPDATE calls SET status = ?, updated_at = ? WHERE id = ?", (status, self._now(), call_id))

    # --- reading -----------------------------------------------------------------------
    def get(self, call_id: int) -> CallRecord:
        """One call; StoreError names the id when there is none."""
        found = self._records("WHERE id = ?", (call_id,))
        if not found:
            raise StoreError(f"there is no call {call_id} in {self.path} (`badnews history` lists the calls)")
        return found[0]

    def latest_id(self) -> int | None:
        """The id of the most recently started call, if any."""
        row = self._read("SELECT id FROM calls ORDER BY started_at DESC, id DESC LIMIT 1", ()).fetchone()
        return int(row[0]) if row else None

    def calls(self, trainee: str | None = None) -> list[CallRecord]:
        """Every call, oldest first; only one trainee's when `trainee` is given."""
        if trainee is None:
            return self._records("", ())
        return self._records("WHERE trainee = ?", (trainee,))

    # --- inside ------------------------------------------------------------------------
    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat(timespec="milliseconds")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One immediate transaction: the write lock is taken up front, so a busy database waits, not fails."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(explain(self.path, error)) from None

    def _read(self, sql: str, params: Sequence[object]) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.Error as error:
            raise StoreError(explain(self.path, error)) from None

    def _records(self, where: str, params: Sequence[object]) -> list[CallRecord]:
        try:
            self._db.execute("BEGIN")  # one snapshot for both reads, so a call and its replies always agree
            try:
                rows = self._db.execute(f"SELECT * FROM calls {where} ORDER BY started_at, id", params).fetchall()
                reply_rows = self._db.execute(
                    f"SELECT call_id, text, interrupted FROM replies WHERE call_id IN (SELECT id FROM calls {where})"
                    " ORDER BY call_id, number",
                    params,
                ).fetchall()
            finally:
                self._db.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(explain(self.path, error)) from None
        replies: dict[int, list[Reply]] = {row["id"]: [] for row in rows}
        for row in reply_rows:
            replies[row["call_id"]].append(Reply(row["text"], bool(row["interrupted"])))
        return [_record(row, tuple(replies[row["id"]])) for row in rows]


def _record(row: sqlite3.Row, replies: tuple[Reply, ...]) -> CallRecord:
    choices = _json_or_none(row["choices"])
    snapshot = _json_or_none(row["snapshot"])
    return CallRecord(
        id=row["id"],
        uid=row["uid"],
        trainee=row["trainee"],
        scenario=row["scenario"],
        scenario_title=row["scenario_title"],
        persona=row["persona"],
        persona_name=row["persona_name"],
        seed=row["seed"],
        choices={str(k): str(v) for k, v in choices.items()} if isinstance(choices, dict) else {},
        replies=replies,
        status=_enum(CallStatus, row["status"], CallStatus.ABANDONED),
        outcome=row["outcome"],
        ended_by=row["ended_by"],
        score=row["score"],
        grade=row["grade"],
        passed=None if row["passed"] is None else bool(row["passed"]),
        pass_mark=row["pass_mark"],
        started_at=_time(row["started_at"]),
        updated_at=_time(row["updated_at"]),
        snapshot=snapshot if isinstance(snapshot, dict) else None,
        mode=_enum(Mode, row["mode"], Mode.TRAIN),
    )


E = TypeVar("E", CallStatus, Mode)


def _enum(kind: type[E], value: object, otherwise: E) -> E:
    """A stored status or mode; a hand-edited, unknown one reads as `otherwise` rather than failing the listing."""
    try:
        return kind(str(value))
    except ValueError:
        return otherwise


def _json_or_none(text: str | None) -> Any:
    """A JSON column's value; a hand-edited, unreadable one reads as missing rather than failing the listing."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _time(text: object) -> datetime:
    """A stored timestamp; a hand-edited, unreadable one reads as the epoch rather than failing the listing."""
    try:
        when = datetime.fromisoformat(str(text))
    except ValueError:
        return EPOCH
    return when if when.tzinfo else when.replace(tzinfo=UTC)
