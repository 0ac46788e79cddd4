"""The calls database's schema: ordered migrations, numbered by `PRAGMA user_version`.

A database at version N gets migrations N+1.. applied in order, each in its own transaction, so an
interrupted upgrade leaves a database at a known version. Never edit a shipped migration: add one.

    v1  calls (one row per call, the debrief snapshot as JSON) and replies (one row per seller reply)
    v2  the scenario title and persona name, so reports and xAPI need no content files;
        an index for history by scenario
    v3  the mode the call was played in (train or exam), so a resumed call goes on in it
    v4  the group (class or team) the call was played in; the outbox of calls kept on this computer while
        the team's PostgreSQL store was away, to send when it is back (`badnews sync`)
    v5  the debriefs move to a table of their own, and each call keeps its rubric lines packed (`packed.py`):
        the trainer's view of a whole store reads narrow rows and no debriefs (a debrief is 20-40 KB of JSON;
        reading the columns after it in a row meant reading it). Calls saved before keep no packed lines:
        the trainer's view reads their debriefs.
    v6  each call keeps how many replies it has (`replies_made`), so the trainer's view of a whole store
        does not count them: a count over the replies table was a quarter of reading 100,000 calls.
    v7  each counted call's rubric lines summed per trainee and per drill as the call is saved (`sums.py`),
        so the trainer's view of a whole store reads a few thousand sums, not millions of lines; the
        calls already stored are summed by the migration itself (a step in Python, `sums.backfill`).

The same migrations build the team store on PostgreSQL (`postgres.for_postgres` writes them for it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.records.sums import backfill

STATUSES = ("in_progress", "finished", "abandoned", "hung_up")
# SQLite keeps an INTEGER in 8 signed bytes: a seed or a call id past this cannot be stored.
SQLITE_INT_MAX = 2**63 - 1

# A migration step: SQL written for SQLite (`postgres.for_postgres` rewrites it), or Python given the connection.
Step = str | Callable[[Any], None]

MIGRATIONS: tuple[tuple[Step, ...], ...] = (
    (  # v1
        f"""
        CREATE TABLE IF NOT EXISTS calls (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            trainee TEXT NOT NULL,
            scenario TEXT NOT NULL,
            persona TEXT NOT NULL,
            seed INTEGER NOT NULL,
            choices TEXT NOT NULL DEFAULT '{{}}',
            status TEXT NOT NULL CHECK (status IN {STATUSES!r}),
            outcome TEXT,
            ended_by TEXT,
            score INTEGER,
            grade TEXT,
            passed INTEGER,
            pass_mark INTEGER,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            snapshot TEXT
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS replies (
            call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            interrupted INTEGER NOT NULL DEFAULT 0,
            said_at TEXT NOT NULL,
            PRIMARY KEY (call_id, number)
        )
        """,
    ),
    (  # v2
        "ALTER TABLE calls ADD COLUMN scenario_title TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE calls ADD COLUMN persona_name TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX IF NOT EXISTS calls_by_scenario ON calls (scenario, started_at)",
    ),
    (  # v3
        "ALTER TABLE calls ADD COLUMN mode TEXT NOT NULL DEFAULT 'train'",
    ),
    (  # v4
        "ALTER TABLE calls ADD COLUMN group_name TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX IF NOT EXISTS calls_by_trainee ON calls (trainee, started_at)",
        "CREATE TABLE IF NOT EXISTS outbox (uid TEXT PRIMARY KEY, store TEXT NOT NULL)",
    ),
    (  # v5
        """
        CREATE TABLE IF NOT EXISTS debriefs (
            call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
            snapshot TEXT NOT NULL
        )
        """,
        "INSERT INTO debriefs (call_id, snapshot) SELECT id, snapshot FROM calls WHERE snapshot IS NOT NULL",
        "ALTER TABLE calls DROP COLUMN snapshot",
        "ALTER TABLE calls ADD COLUMN rubric TEXT",
    ),
    (  # v6
        "ALTER TABLE calls ADD COLUMN replies_made INTEGER NOT NULL DEFAULT 0",
        "UPDATE calls SET replies_made = (SELECT COUNT(*) FROM replies WHERE replies.call_id = calls.id)",
    ),
    (  # v7
        """
        CREATE TABLE IF NOT EXISTS trainee_lines (
            trainee TEXT NOT NULL,
            group_name TEXT NOT NULL,
            behaviour TEXT NOT NULL,
            calls INTEGER NOT NULL,
            hits INTEGER NOT NULL,
            lost INTEGER NOT NULL,
            PRIMARY KEY (trainee, group_name, behaviour)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS drill_lines (
            group_name TEXT NOT NULL,
            scenario TEXT NOT NULL,
            persona TEXT NOT NULL,
            mode TEXT NOT NULL,
            behaviour TEXT NOT NULL,
            calls INTEGER NOT NULL,
            hits INTEGER NOT NULL,
            lost INTEGER NOT NULL,
            PRIMARY KEY (group_name, scenario, persona, mode, behaviour)
        )
        """,
        backfill,
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)

# What a database at SCHEMA_VERSION must have; anything less is not a calls database we can use.
EXPECTED_COLUMNS: dict[str, frozenset[str]] = {
    "calls": frozenset({
        "id", "uid", "trainee", "scenario", "persona", "seed", "choices", "status", "outcome", "ended_by",
        "score", "grade", "passed", "pass_mark", "started_at", "updated_at",
        "scenario_title", "persona_name", "mode", "group_name", "rubric", "replies_made",
    }),
    "replies": frozenset({"call_id", "number", "text", "interrupted", "said_at"}),
    "debriefs": frozenset({"call_id", "snapshot"}),
    "trainee_lines": frozenset({"trainee", "group_name", "behaviour", "calls", "hits", "lost"}),
    "drill_lines": frozenset({"group_name", "scenario", "persona", "mode", "behaviour", "calls", "hits", "lost"}),
}
# The tables a calls database has had since v1: a file at any version without them is not one of ours.
CORE_TABLES = frozenset({"calls", "replies"})


def whole_number(text: str, most: int = SQLITE_INT_MAX) -> int | None:
    """`text` as a whole number from 0 to `most`, written in ASCII digits only; None for anything else.

    The one reader of the numbers a user types or a file gives for ids, seeds and scores: `str.isdigit()`
    takes '²' (which `int()` then refuses), `int()` takes '٣', ' 7' and '+7', and SQLite refuses more than 2**63-1.
    """
    if not text or len(text) > len(str(most)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= most else None


# What each stored column of a call holds, named as a summary row names it: the quick read checks these a column at a
# time (`table._CHECKS`); a lean read has SQLite check them instead (`store._ODD`).
TEXT, TEXT_OR_NULL, WHOLE, WHOLE_OR_NULL = "text", "text or null", "whole", "whole or null"
COLUMN_KINDS: dict[str, str] = {
    **dict.fromkeys(("uid", "trainee", "scenario", "persona", "scenario_title", "persona_name", "group_name",
                     "started_at", "updated_at", "choices"), TEXT),
    **dict.fromkeys(("outcome", "ended_by", "grade", "rubric"), TEXT_OR_NULL),
    **dict.fromkeys(("seed", "reply_count"), WHOLE),
    **dict.fromkeys(("score", "pass_mark"), WHOLE_OR_NULL),
}
