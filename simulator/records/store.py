"""The calls database: one SQLite file in the user's data folder, written after every turn.

Every write is its own short `BEGIN IMMEDIATE` transaction in WAL mode with a busy timeout, so a
crash loses at most the reply being typed and two badnews windows writing at once lose nothing.
A damaged file is never fatal: it is moved aside (kept, not deleted), a new one is started, and
`CallStore.notices` says so for the caller to show. A damaged row (a hand edit) is skipped when the
calls are read, and `CallStore.skipped` says which and why; the other calls read as usual.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from simulator.paths import data_dir, group_name, store_url
from simulator.records import sums
from simulator.records.connect import StoreError, explain, open_connection
from simulator.records.packed import pack
from simulator.records.record import CallRecord, Reply, json_or_none, parse_time, stamp
from simulator.records.schema import (
    COLUMN_KINDS,
    STATUSES,
    TEXT,
    TEXT_OR_NULL,
    WHOLE,
    WHOLE_OR_NULL,
)
from simulator.status import CallStatus, Mode

if TYPE_CHECKING:
    from simulator.records.postgres import PostgresConnection
    from simulator.records.sums import LineSums
    from simulator.records.table import CallTable

DB_NAME = "calls.db"


class ReplyConflict(StoreError):
    """Another badnews window added replies to this call since this one last saved it."""


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def open_store(
    folder: Path | None = None, *, clock: Callable[[], datetime] = utc_now, read_only: bool = False
) -> CallStore:
    """The calls database in `folder` (default: `data_dir()`), created or upgraded as needed.

    `read_only` is for commands that only read: a database that cannot be written is still read, and
    one that is not there reads as empty and is not created.
    """
    url = store_url()
    if url is not None:
        return open_team_store(url, folder, clock=clock, read_only=read_only, keep_locally=not read_only)
    return CallStore.open(data_dir(folder) / DB_NAME, clock=clock, read_only=read_only)


def open_team_store(
    url: str,
    folder: Path | None,
    *,
    clock: Callable[[], datetime] = utc_now,
    read_only: bool = False,
    keep_locally: bool = True,
) -> CallStore:
    """The team's PostgreSQL store, the calls kept on this computer sent to it first (unless `read_only`).

    While it is away, `keep_locally` gives the local file instead, marked to keep new calls for it; else
    StoreUnreachable says why.
    """
    from simulator.records.postgres import PostgresConnection, StoreUnreachable, store_key

    try:
        connection = PostgresConnection(url)
    except StoreUnreachable as error:
        if not keep_locally:
            raise
        local = CallStore.open(data_dir(folder) / DB_NAME, clock=clock)
        local.outbox_for = store_key(url)
        local.notices.append(
            f"{error}. Calls are kept on this computer and sent when it is back (`badnews sync`, or at the next start)."
        )
        return local
    store = CallStore(data_dir(folder) / DB_NAME, connection, [], clock, read_only)  # type: ignore[arg-type]
    store.where, store.team = connection.name, True
    if not read_only:
        said = send_kept_calls(store, folder, clock=clock)
        if said:
            store.notices.append(said)
    return store


def send_kept_calls(team: CallStore, folder: Path | None, *, clock: Callable[[], datetime] = utc_now) -> str | None:
    """Send the calls this computer kept while the team store was away; what to tell the user, if anything."""
    from simulator.records.postgres import store_key
    from simulator.records.sync import send_kept

    path = data_dir(folder) / DB_NAME
    if not path.exists():
        return None
    try:
        with CallStore.open(path, clock=clock) as local:
            return send_kept(local, team, store_key(team.where)).summary(team.where)
    except StoreError as error:
        return f"the calls kept on this computer could not be sent yet: {error}"


class CallStore:
    """Reads and writes calls in one SQLite file; open with `open_store` or `CallStore.open`."""

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        notices: list[str],
        clock: Callable[[], datetime],
        read_only: bool = False,
    ):
        self.path = path
        self.notices = notices  # what happened on opening that the user must be told (a damaged file set aside)
        self.read_only = read_only  # opened by a command that only reads: every write is refused
        self.skipped: list[str] = []  # the damaged rows the last read skipped: "call 4 in PATH: why; skipped"
        self.where = str(path)  # what messages name: the file, or the team store's address without its password
        self.team = False  # the team's PostgreSQL store (`--store`), not this computer's file
        # Set while the team store is away: the key (user@host:port/db) of the store new calls are for.
        self.outbox_for: str | None = None
        self._db = connection
        self._clock = clock
        self._apart: bool | None = None  # see _debriefs_apart
        self._counted: bool | None = None  # see _counts_kept

    @classmethod
    def open(cls, path: Path, *, clock: Callable[[], datetime] = utc_now, read_only: bool = False) -> CallStore:
        """Open or create the database at `path`; a damaged file is moved aside and a new one started."""
        if not read_only:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create the folder {path.parent}: {error.strerror or error}") from None
        connection, notices = open_connection(path, read_only=read_only)
        return cls(path, connection, notices, clock, read_only)

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
        uid: str | None = None,
        started_at: datetime | None = None,
        group: str | None = None,
    ) -> int:
        """A new call, in progress with no replies yet; returns its id.

        `uid` and `started_at` are given for a call kept elsewhere first (`badnews import`); new ones otherwise.
        """
        now = self._now()
        started = stamp(started_at) if started_at else now
        uid = uid or new_uid()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO calls (uid, trainee, scenario, persona, seed, choices, status, started_at, updated_at,"
                " scenario_title, persona_name, mode, group_name)"
                " VALUES (?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, ?, ?)",
                (uid, trainee, scenario, persona, seed, json.dumps(dict(choices)), started, now,
                 scenario_title, persona_name, mode, group_name() if group is None else group),
            )
            if self.outbox_for is not None:
                db.execute("INSERT OR REPLACE INTO outbox (uid, store) VALUES (?, ?)", (uid, self.outbox_for))
            return int(cursor.lastrowid or 0)

    def save(
        self,
        call_id: int,
        *,
        replies: Sequence[Reply],
        saved: int,
        status: str,
        choices: Mapping[str, str],
        snapshot: Mapping[str, Any] | None,
    ) -> None:
        """Append `replies[saved:]` and the call's state in one transaction.

        `saved` is how many replies this writer knows are stored; if another window stored more
        meanwhile, nothing is written and ReplyConflict is raised so the caller can keep its replies elsewhere.
        `snapshot` None (a long call scored only when it ends): the stored debrief and score are cleared,
        never left behind the replies.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        now = self._now()
        with self._write() as db:
            stored = db.execute("SELECT COUNT(*) FROM replies WHERE call_id = ?", (call_id,)).fetchone()[0]
            if stored != saved:
                raise ReplyConflict(f"call {call_id} has {stored} stored replies, this window expected {saved}")
            new = replies[saved:]
            before = db.execute(f"SELECT {sums.ROW} FROM calls WHERE id = ?", (call_id,)).fetchone()
            db.executemany(
                "INSERT INTO replies (call_id, number, text, interrupted, said_at) VALUES (?, ?, ?, ?, ?)",
                [(call_id, number, r.text, int(r.interrupted), now) for number, r in enumerate(new, start=saved + 1)],
            )
            scored = snapshot or {}
            passed = scored.get("passed")
            rubric = pack(snapshot)
            updated = db.execute(
                "UPDATE calls SET status = ?, choices = ?, outcome = ?, ended_by = ?, score = ?, grade = ?,"
                " passed = ?, pass_mark = ?, updated_at = ?, rubric = ?, replies_made = ? WHERE id = ?",
                (status, json.dumps(dict(choices)), scored.get("outcome"), scored.get("ended_by"),
                 scored.get("score"), scored.get("grade"), None if passed is None else int(bool(passed)),
                 scored.get("pass_mark"), now, rubric, saved + len(new), call_id),
            )
            if updated.rowcount != 1:
                raise StoreError(f"there is no call {call_id} in {self.where}")
            sums.keep(db, before, status=status, score=scored.get("score"), replies_made=saved + len(new), rubric=rubric)
            if snapshot is None:
                db.execute("DELETE FROM debriefs WHERE call_id = ?", (call_id,))
            else:
                db.execute(
                    "INSERT INTO debriefs (call_id, snapshot) VALUES (?, ?)"
                    " ON CONFLICT (call_id) DO UPDATE SET snapshot = excluded.snapshot",
                    (call_id, json.dumps(snapshot, ensure_ascii=False)),
                )

    def set_status(self, call_id: int, status: str) -> None:
        """Change a call's status only (a call picked up again is in progress)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self._write() as db:
            before = db.execute(f"SELECT {sums.ROW} FROM calls WHERE id = ?", (call_id,)).fetchone()
            db.execute("UPDATE calls SET status = ?, updated_at = ? WHERE id = ?", (status, self._now(), call_id))
            sums.keep(db, before, status=status)

    def discard_unstarted(self, call_id: int) -> bool:
        """Take away a call in which nothing was said (no reply stored): left before its first reply, it is nothing
        to resume or to count, only a line in `history`. Whether it was taken away; a call with a reply stays."""
        with self._write() as db:
            found = db.execute("SELECT uid FROM calls WHERE id = ? AND replies_made = 0 AND NOT EXISTS"
                               " (SELECT 1 FROM replies WHERE replies.call_id = calls.id)", (call_id,)).fetchone()
            if found is None:
                return False
            db.execute("DELETE FROM debriefs WHERE call_id = ?", (call_id,))
            db.execute("DELETE FROM calls WHERE id = ?", (call_id,))
            if not self.team:
                db.execute("DELETE FROM outbox WHERE uid = ?", (found[0],))
        return True

    def sent(self, uid: str) -> None:
        """Take a call off the outbox: the team store holds all of it now."""
        with self._write() as db:
            db.execute("DELETE FROM outbox WHERE uid = ?", (uid,))

    def outbox(self, store: str) -> list[Any]:
        """The outbox rows (uid) of calls kept here for the team store `store`; none in a file without one."""
        try:
            return list(self._read("SELECT uid FROM outbox WHERE store = ? ORDER BY rowid", (store,)).fetchall())
        except StoreError:  # an old file opened read-only has no outbox
            return []

    # --- reading -----------------------------------------------------------------------
    def get(self, call_id: int) -> CallRecord:
        """One call; StoreError names the id when there is none, and says what is wrong when it cannot be read."""
        found = self._records("WHERE id = ?", (call_id,))
        if self.skipped:
            raise StoreError(self.skipped[0].removesuffix("; skipped") + ": it cannot be read")
        if not found:
            raise StoreError(f"there is no call {call_id} in {self.where} (`badnews history` lists the calls)")
        return found[0]

    def find(self, uid: str) -> CallRecord | None:
        """The call with this uid (an export's `call_uid`), if it is stored and can be read."""
        found = self._records("WHERE uid = ?", (uid,))
        return found[0] if found else None

    def latest_id(self) -> int | None:
        """The id of the most recently started call, if any."""
        row = self._read("SELECT id FROM calls ORDER BY started_at DESC, id DESC LIMIT 1", ()).fetchone()
        return int(row[0]) if row else None

    def calls(self, trainee: str | None = None) -> list[CallRecord]:
        """Every call, oldest first; only one trainee's when `trainee` is given."""
        if trainee is None:
            return self._records("", ())
        return self._records("WHERE trainee = ?", (trainee,))

    def summaries(self, trainee: str | None = None, *, group: str | None = None) -> list[CallRecord]:
        """Every call like `calls` (only one trainee's, or one group's, when given), for the trainer's view of a
        whole store: replies counted, not read, and no debrief where the rubric lines were packed at save (a call
        saved by an older version keeps its debrief)."""
        return list(self.call_table(trainee, group=group))

    def call_table(self, trainee: str | None = None, *, group: str | None = None, lean: bool = False,
                   listing: str | None = None) -> CallTable:
        """The calls `summaries` reads, as columns (`table.py`): how `badnews team` reads a whole team's store.

        `lean` reads only what the trainer's view lists and sums (a third less to hand over, and no rubric text
        kept): the rubric lines are read when the view first needs them and a call is read whole when it is looked
        at, so the store must stay open while the table is used. `listing` (SQLite only) is an SQL expression that
        writes each call's line of `team --json` (`team.LISTING_SQL`), run aside while the table is read.
        """
        from simulator.records.table import CallTable

        self.skipped = []
        if not self._debriefs_apart():  # a file too old to upgrade, opened read-only
            return CallTable.of(r for r in self.calls(trainee) if group is None or r.group == group)
        conditions = [(column, value) for column, value in (("trainee", trainee), ("group_name", group))
                      if value is not None]
        where = "WHERE " + " AND ".join(f"{column} = ?" for column, _ in conditions) if conditions else ""
        params = tuple(value for _, value in conditions)
        counted = "replies_made" if self._counts_kept() else "(SELECT COUNT(*) FROM replies WHERE replies.call_id = calls.id)"

        def whole(unpacked: bool) -> str:
            """Every value of a call; a call saved before v5 has its debrief read with it; when there is none, the
            join is left out (a tenth of the read). Sorted by the table, not by SQLite: its sort of 100,000 rows
            took as long as reading them."""
            return (f"SELECT {', '.join(_SUMMARY_COLUMNS)}, rubric, "
                    + ("debriefs.snapshot AS snapshot" if unpacked else "NULL AS snapshot")
                    + f", {counted} AS reply_count FROM calls"
                    + (" LEFT JOIN debriefs ON debriefs.call_id = calls.id AND calls.rubric IS NULL" if unpacked else ""))

        names = [*_SUMMARY_COLUMNS, "rubric", "snapshot", "reply_count"]
        choices: dict[str, dict[str, str]] = {}  # a class answers the same questions the same ways: parsed once each

        def record(values: Sequence[Any]) -> CallRecord:
            made = _summary(values, choices)
            if made is None:
                made = _record(dict(zip(names, values, strict=True)), ())
            return made

        # A lean table holds no debrief: there is none to read where every call's rubric lines were packed at save
        # (SQLite has that checked aside, with the values).
        if lean and self._counts_kept() and not (self.team and self._read(f"SELECT {_UNPACKED}", ()).fetchone()[0]):
            lean_rows, sound, lines = self._lean_rows(where, params, listing)
            table = CallTable.from_rows([*_LISTED_COLUMNS, "packed", "reply_count"], lean_rows, record,
                                        read_later=lambda column, ids: self._read_later(whole(False), column, ids),
                                        listed=lines, checked=sound)
            if table is not None:
                return table
        rows = self._rows(f"{whole(self._read(f'SELECT {_UNPACKED}', ()).fetchone()[0])} {where}", params)
        table = CallTable.from_rows(names, rows, record)
        if table is not None:
            return table
        records = []  # a value somewhere is not of its kind: row by row, to skip the damaged ones with why
        for values in rows:
            try:
                records.append(record(values))
            except _Unreadable as why:
                self.skipped.append(f"call {values[0]} in {self.where}: {why}; skipped")
        return CallTable.of(records)

    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        """Every row of a query as a plain tuple."""
        if self.team:  # plain tuples from the driver itself
            return cast("PostgresConnection", self._db).rows(sql, params)
        cursor = self._read(sql, params)
        if isinstance(cursor, sqlite3.Cursor):
            cursor.row_factory = None  # plain tuples
        try:
            rows = cursor.fetchall()
        except sqlite3.Error as error:  # a damaged page met while reading
            raise StoreError(explain(self.path, error)) from None
        return [row if isinstance(row, tuple) else tuple(row.values()) for row in rows]

    def _aside(self, queries: Sequence[str], params: Sequence[object]) -> _Aside:
        """`queries` run by SQLite on a connection of its own, one after the other, while this one reads the calls
        and Python sums them: on the second core, since SQLite lets go of the GIL while it works out a row."""
        version = self._read("PRAGMA data_version", ()).fetchone()[0]
        return _Aside(self, self.path, queries, params, version)

    def _lean_rows(self, where: str, params: Sequence[object], listing: str | None
                   ) -> tuple[list[tuple[Any, ...]], Callable[[], bool | None],
                              Callable[[Sequence[int]], list[str] | None] | None]:
        """The lean table's rows; whether SQLite found every call's values of their kinds (None on PostgreSQL, whose
        columns hold only their kinds: the table checks the few that could be wrong); and, given `listing`
        (SQLite), the calls' lines of `team --json` for the ids the table read, oldest first, or None when they are
        not to be trusted."""
        select = (f"SELECT {', '.join(_LISTED_COLUMNS)}, rubric IS NOT NULL AS packed, replies_made AS reply_count"
                  f" FROM calls {where}")
        if self.team:
            return self._rows(select, params), lambda: None, None
        odd = f"SELECT EXISTS (SELECT 1 FROM calls {where} {'AND' if where else 'WHERE'} ({_ODD})) OR {_UNPACKED}"
        queries = [odd]
        if listing is not None:
            queries.append(f"SELECT count(*), total(id), group_concat(line, char(10)) FROM (SELECT id, {listing} AS"
                           f" line FROM calls {where} ORDER BY started_at DESC, id DESC)")
        aside = self._aside(queries, params)
        rows = self._rows(select, params)

        def sound() -> bool:
            found = aside.result(0)
            if found is None:  # its connection could not be opened (a read-only folder): asked here instead
                found = self._read(odd, params).fetchone()
            return not found[0]

        def lines(ids: Sequence[int]) -> list[str] | None:
            found = aside.result(1)
            if found is None or aside.changed():
                return None
            count, total, text = found
            written = text.split("\n")[::-1] if text else []
            if count != len(ids) or len(written) != len(ids) or total != sum(ids):
                return None  # another call, or a value with a line break (written in Python)
            return written

        return rows, sound, None if listing is None else lines

    def _read_later(self, whole: str, column: str, ids: Sequence[int]) -> list[Any]:
        """What a lean table left here: the calls' packed rubric lines ("rubric"), or their whole rows ("row"), in
        the order of `ids`; a call no longer stored reads as None."""
        select = f"{whole} WHERE calls.id IN" if column == "row" else "SELECT id, rubric FROM calls WHERE id IN"
        found: dict[int, Any] = {}
        for start in range(0, len(ids), _IDS_AT_ONCE):
            chunk = ids[start:start + _IDS_AT_ONCE]
            for row in self._rows(f"{select} ({', '.join('?' * len(chunk))})", chunk):
                found[row[0]] = row if column == "row" else row[1]
        return [found.get(call_id) for call_id in ids]

    def line_sums(self) -> LineSums | None:
        """Every counted call's rubric lines as summed at save, per trainee and per drill (`sums.py`); None where
        the store keeps none (a file too old to upgrade, opened read-only) or a value in them is not of its kind."""
        if not (self.team or self._read("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'drill_lines'",
                                        ()).fetchone()):
            return None
        try:
            self._db.execute("BEGIN")  # one snapshot for both tables
            try:
                trainees, drills = [self._rows(f"SELECT {', '.join(key)}, behaviour, calls, hits, lost FROM {table}", ())
                                    for key, table in ((sums.TRAINEE_KEY, "trainee_lines"), (sums.DRILL_KEY, "drill_lines"))]
            finally:
                self._db.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(explain(self.path, error)) from None
        return sums.LineSums.of_rows(trainees, drills)

    # --- inside ------------------------------------------------------------------------
    def _debriefs_apart(self) -> bool:
        """Whether the debriefs have their own table (schema v5); not in an older file opened read-only."""
        if self._apart is None:
            self._apart = self.team or self._read(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'debriefs'", ()).fetchone() is not None
        return self._apart

    def _counts_kept(self) -> bool:
        """Whether each call keeps its count of replies (schema v6); not in an older file opened read-only."""
        if self._counted is None:
            self._counted = self.team or any(
                row[1] == "replies_made" for row in self._read("PRAGMA table_info(calls)", ()).fetchall())
        return self._counted

    def _now(self) -> str:
        return stamp(self._clock())

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One immediate transaction: the write lock is taken up front, so a busy database waits, not fails."""
        if self.read_only:
            raise StoreError(f"{self.where} was opened for reading only")
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
                rows = self._db.execute(
                    "SELECT calls.*, debriefs.snapshot AS snapshot FROM calls"
                    f" LEFT JOIN debriefs ON debriefs.call_id = calls.id {where} ORDER BY started_at, id"
                    if self._debriefs_apart() else f"SELECT * FROM calls {where} ORDER BY started_at, id",
                    params,
                ).fetchall()
                reply_rows = self._db.execute(
                    "SELECT call_id, number, text, interrupted FROM replies"
                    f" WHERE call_id IN (SELECT id FROM calls {where}) ORDER BY call_id, number",
                    params,
                ).fetchall()
            finally:
                self._db.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(explain(self.path, error)) from None
        replies: dict[int, list[Reply]] = {row["id"]: [] for row in rows}
        unreadable: dict[int, str] = {}
        for row in reply_rows:
            if not isinstance(row["text"], str):
                unreadable.setdefault(row["call_id"], f"reply {row['number']} is not text")
            else:
                replies[row["call_id"]].append(Reply(row["text"], bool(row["interrupted"])))
        records, self.skipped = [], []
        for row in _as_dicts(rows):
            try:
                if row["id"] in unreadable:
                    raise _Unreadable(unreadable[row["id"]])
                records.append(_record(row, tuple(replies[row["id"]])))
            except _Unreadable as why:
                self.skipped.append(f"call {row['id']} in {self.where}: {why}; skipped")
        return records


class _Aside(threading.Thread):
    """Queries run on a connection of their own (`CallStore._aside`); `result(i)` waits for the i-th one's row: None
    if it failed, and then the caller does without (checks the values in Python, writes the lines in Python)."""

    def __init__(self, store: CallStore, path: Path, queries: Sequence[str], params: Sequence[object],
                 version: int) -> None:
        super().__init__(name="badnews-aside", daemon=True)
        self._store, self._path, self._queries, self._params, self._version = store, path, queries, params, version
        self._found: list[Any] = []
        self.start()

    def run(self) -> None:
        try:
            db = sqlite3.connect(f"{self._path.absolute().as_uri()}?mode=ro", uri=True)
            try:
                for query in self._queries:
                    self._found.append(db.execute(query, self._params).fetchone())
            finally:
                db.close()
        except sqlite3.Error:
            pass  # done without, in Python

    def result(self, index: int) -> Any:
        self.join()
        return self._found[index] if index < len(self._found) else None

    def changed(self) -> bool:
        """Whether a call was saved since the queries were started (the store's own connection can tell)."""
        try:
            return bool(self._store._read("PRAGMA data_version", ()).fetchone()[0] != self._version)
        except (StoreError, sqlite3.Error):
            return True  # the store is closed: nothing can tell


# A call's values as `_summary` would not read them, in SQL: the check a lean table has SQLite make (whose columns
# hold anything a hand edit put there), of the kinds `schema.COLUMN_KINDS` names, rather than Python, a column at a time.
_SQL_KINDS = {TEXT: "typeof({}) <> 'text'", TEXT_OR_NULL: "typeof({}) NOT IN ('text', 'null')",
              WHOLE: "typeof({}) <> 'integer'", WHOLE_OR_NULL: "typeof({}) NOT IN ('integer', 'null')"}
_ODD = " OR ".join((
    *(_SQL_KINDS[kind].format("replies_made" if name == "reply_count" else name) for name, kind in COLUMN_KINDS.items()),
    "typeof(passed) NOT IN ('integer', 'null') OR passed NOT IN (0, 1)",
    f"status NOT IN ({', '.join(repr(str(status)) for status in CallStatus)})",
    f"mode NOT IN ({', '.join(repr(str(mode)) for mode in Mode)})",
))

# Whether a call's debrief is to be read for its rubric lines (saved before v5, when they were not packed at save).
_UNPACKED = "EXISTS (SELECT 1 FROM calls JOIN debriefs ON debriefs.call_id = calls.id WHERE calls.rubric IS NULL)"

# What a lean table reads of each call (`call_table(lean=True)`), besides whether its rubric lines were packed and
# its count of replies: what `badnews team` lists and sums.
_LISTED_COLUMNS = ("id", "uid", "trainee", "scenario", "persona", "choices", "status", "outcome", "score", "grade",
                   "passed", "started_at", "scenario_title", "persona_name", "mode", "group_name")
# Ids in one `IN (...)` when a lean table reads what it left in the store: well under SQLite's 32,766 parameters.
_IDS_AT_ONCE = 900

# What a summary reads besides the rubric, the snapshot where it is not packed, and the count of replies.
_SUMMARY_COLUMNS = ("id", "uid", "trainee", "scenario", "persona", "seed", "choices", "status", "outcome", "ended_by",
                    "score", "grade", "passed", "pass_mark", "started_at", "updated_at", "scenario_title",
                    "persona_name", "mode", "group_name")


def _as_dicts(rows: Any) -> list[dict[str, Any]]:
    """Rows as plain dicts: a `sqlite3.Row` finds a column by name with a scan of every name, case-blind;
    over a team's 100,000 calls and twenty columns each, that scan was a third of the read."""
    if isinstance(rows, sqlite3.Cursor):
        names = [column[0] for column in rows.description]
        return [dict(zip(names, row, strict=True)) for row in rows.fetchall()]
    fetched = rows if isinstance(rows, list) else rows.fetchall()
    return [row if isinstance(row, dict) else dict(zip(row.keys(), row, strict=True)) for row in fetched]


_STATUS_OF = {str(status): status for status in CallStatus}
_MODE_OF = {str(mode): mode for mode in Mode}


def _summary(values: Sequence[Any], choices: dict[str, dict[str, str]]) -> CallRecord | None:
    """A row of `summaries` as a call, the quick way, or None: then `_record` reads it and says what is wrong.

    Over a team's 100,000 calls `_record`'s checks, one helper call a column, took longer than SQLite took to
    read the rows. The same checks are made here in one expression; any row they do not pass (a hand edit, a
    call saved before v5, a server that answers with datetimes) goes the slow way, which reads it the same or
    skips it with its reason.
    """
    (id_, uid, trainee, scenario, persona, seed, chosen, status, outcome, ended_by, score, grade, passed, pass_mark,
     started_at, updated_at, title, name, mode, group, rubric, snapshot, reply_count) = values
    status, mode = _STATUS_OF.get(status), _MODE_OF.get(mode)
    if not (
        type(id_) is int and type(seed) is int and type(uid) is str and type(trainee) is str
        and type(scenario) is str and type(persona) is str and type(title) is str and type(name) is str
        and type(group) is str and type(started_at) is str and type(updated_at) is str and type(chosen) is str
        and type(reply_count) is int and snapshot is None and status is not None and mode is not None
        and (rubric is None or type(rubric) is str) and (score is None or type(score) is int)
        and (pass_mark is None or type(pass_mark) is int) and (passed is None or passed == 0 or passed == 1)
        and type(passed) is not float and (outcome is None or type(outcome) is str)
        and (ended_by is None or type(ended_by) is str) and (grade is None or type(grade) is str)
    ):
        return None
    answers = choices.get(chosen)
    if answers is None:
        parsed = {} if chosen == "{}" else json_or_none(chosen)
        if not isinstance(parsed, dict):
            return None
        answers = choices[chosen] = {str(k): str(v) for k, v in parsed.items()}
    return CallRecord(
        id=id_, uid=uid, trainee=trainee, scenario=scenario, scenario_title=title, persona=persona,
        persona_name=name, seed=seed, choices=dict(answers), replies=(), status=status, outcome=outcome,
        ended_by=ended_by, score=score, grade=grade, passed=None if passed is None else bool(passed),
        pass_mark=pass_mark, started_at=parse_time(started_at), updated_at=parse_time(updated_at), snapshot=None, mode=mode,
        group=group, reply_count=reply_count, rubric=rubric,
    )


class _Unreadable(Exception):
    """A stored value no call can have (a hand edit, or a row that breaks a constraint); the message says which."""


def _record(row: Mapping[str, Any], replies: tuple[Reply, ...]) -> CallRecord:
    """One row as a call; _Unreadable when a value the call needs is of the wrong kind.

    Columns a later schema added read as their defaults: a database that could not be upgraded
    (read-only) is still read.
    """
    column = row.get
    choices = {} if row["choices"] == "{}" else json_or_none(row["choices"])
    snapshot = json_or_none(row["snapshot"])
    if row["status"] not in STATUSES:
        raise _Unreadable(f"status {row['status']!r} is not a call status")
    passed = row["passed"]
    if passed not in (None, 0, 1) or isinstance(passed, float):
        raise _Unreadable(f"passed {passed!r} is not 0 or 1")
    title, name = column("scenario_title", ""), column("persona_name", "")
    return CallRecord(
        id=row["id"],
        uid=_text(row, "uid"),
        trainee=_text(row, "trainee"),
        scenario=_text(row, "scenario"),
        scenario_title=title if isinstance(title, str) else "",
        persona=_text(row, "persona"),
        persona_name=name if isinstance(name, str) else "",
        seed=_whole(row, "seed", required=True),
        choices={str(k): str(v) for k, v in choices.items()} if isinstance(choices, dict) else {},
        replies=replies,
        status=CallStatus(row["status"]),
        outcome=_text(row, "outcome", required=False),
        ended_by=_text(row, "ended_by", required=False),
        score=_whole(row, "score"),
        grade=_text(row, "grade", required=False),
        passed=None if passed is None else bool(passed),
        pass_mark=_whole(row, "pass_mark"),
        started_at=parse_time(row["started_at"]),
        updated_at=parse_time(row["updated_at"]),
        snapshot=snapshot if isinstance(snapshot, dict) else None,
        mode=_enum(Mode, column("mode", Mode.TRAIN), Mode.TRAIN),
        group=group if isinstance(group := column("group_name", ""), str) else "",
        reply_count=_count(column("reply_count")),
        rubric=rubric if isinstance(rubric := column("rubric"), str) else None,
    )


def _count(value: object) -> int | None:
    """A count of replies a summary read; None for a whole call (its replies are all there)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(row: Mapping[str, Any], name: str, *, required: bool = True) -> Any:
    value = row[name]
    if isinstance(value, str) or (value is None and not required):
        return value
    raise _Unreadable(f"{name} {value!r} is not text")


def _whole(row: Mapping[str, Any], name: str, *, required: bool = False) -> Any:
    value = row[name]
    if (isinstance(value, int) and not isinstance(value, bool)) or (value is None and not required):
        return value
    raise _Unreadable(f"{name} {value!r} is not a whole number")


def new_uid() -> str:
    """A new call's uid: unique across every trainee's store, so exports merge and imports match."""
    return str(uuid.uuid4())


E = TypeVar("E", CallStatus, Mode)


def _enum(kind: type[E], value: object, otherwise: E) -> E:
    """A stored status or mode; a hand-edited, unknown one reads as `otherwise` rather than failing the listing."""
    try:
        return kind(str(value))
    except ValueError:
        return otherwise
