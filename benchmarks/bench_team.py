"""`badnews team` over 100,000 stored calls: how long the trainer's view takes, and its peak memory (target: under 2 s).

Stores N synthetic calls (default 100,000: 200 reps in 10 groups, every bundled scenario, three buyers, both
modes, spread over 90 days, a few unfinished and a few with no reply) in a temporary SQLite store, inserted
in batches straight into the store's own tables, then:

- runs `badnews team --json` and `badnews team --plain` three times each in a fresh process, as a trainer
  would, and prints their wall times and peak memory (the child's maximum resident set); the first run reads a
  file the page cache may not hold yet (a reader no longer checks the whole file first: `connect.open_connection`);
- times each stage in this process (the best of three): reading the calls (`CallStore.call_table`), reading
  the rubric lines summed at save (`CallStore.line_sums`), summing the rest (`team_view`) and writing the JSON
  (`TeamView.json_text`).

Each call carries a debrief snapshot, `lean` by default (the rubric lines the view reads, about 3 KB: what the
summing costs), or `full` (the whole debrief of a played call, transcript and evidence, 20-40 KB: what reading
real debriefs costs; about 140 KB of memory a call once read, so keep N to a few thousand and scale up).
Figures only, no asserts: this machine's load changes them.

    python benchmarks/bench_team.py [--calls 100000] [--snapshot lean|full] [--keep | --store FOLDER] [--postgres URL]
"""

from __future__ import annotations

import argparse
import compileall
import gc
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.content.loader import load_library  # noqa: E402
from simulator.records import sums  # noqa: E402
from simulator.records.filters import CallFilter  # noqa: E402
from simulator.records.packed import pack  # noqa: E402
from simulator.records.store import _SUMMARY_COLUMNS, DB_NAME, open_store  # noqa: E402
from simulator.records.team import LISTING_SQL, team_view  # noqa: E402

TARGET_SECONDS = 2.0
REPS, GROUPS = 200, 10
PERSONAS = ("calm", "angry", "numbers")
REPLIES_PER_CALL = 8
BATCH = 5_000
DAYS = 90
START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
# Debrief keys the lean snapshot keeps: the top of `replay --json` and each rubric line's figures.
LEAN_LINE_KEYS = ("hit", "points", "weight", "good", "section", "available", "lost")
LEAN_TOP_KEYS = ("scenario", "persona", "seed", "score", "grade", "passed", "pass_mark", "outcome", "ended_by",
                 "choices", "mode", "status", "available", "replies", "scenario_title", "persona_name", "buyer")


def played_debrief() -> dict:
    """A real debrief: a good call played through the engine and scored."""
    from tests.playing import play_into
    from tests.tui.drive import GOOD_CALL, GOOD_CHOICES

    library = load_library()
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder)) as store:
        recorder = play_into(store, library, GOOD_CALL, choices=GOOD_CHOICES)
        snapshot = store.get(recorder.call_id).snapshot
    assert snapshot is not None
    return snapshot


def varied(template: dict, rng: random.Random, score: int, lean: bool) -> dict:
    """The template debrief with this call's score and its own hits and misses."""
    lines = {}
    for behaviour, line in template["behaviours"].items():
        line = {k: line[k] for k in LEAN_LINE_KEYS if k in line} if lean else dict(line)
        hit = rng.random() < score / 100 if line["good"] else rng.random() < (100 - score) / 300
        lost = 0.0 if hit == line["good"] else (line["available"] if line["good"] else line["weight"])
        lines[behaviour] = {**line, "hit": hit, "lost": round(float(lost), 2)}
    top = {k: template[k] for k in LEAN_TOP_KEYS if k in template} if lean else dict(template)
    return {**top, "score": score, "passed": score >= 70, "behaviours": lines}


def fill(path: Path, calls: int, lean: bool, packed: bool = True, seed: int = 7) -> float:
    """Insert `calls` synthetic calls and their replies; returns the seconds it took."""
    rng = random.Random(seed)
    template = played_debrief()
    scenarios = sorted((s.id or "", s.title) for s in load_library().scenarios.values())
    open_store(path.parent).close()  # the schema, at this version
    db = sqlite3.connect(path)
    columns = {row[1] for row in db.execute("PRAGMA table_info(calls)")}
    grouped = "group_name" in columns
    packing = packed and "rubric" in columns
    counting = "replies_made" in columns  # schema v6: each call keeps its count of replies
    apart = "snapshot" not in columns  # schema v5: the debriefs in a table of their own
    names = ["id", "uid", "trainee", "scenario", "persona", "seed", "choices", "status", "outcome", "ended_by", "score",
             "grade", "passed", "pass_mark", "started_at", "updated_at", *([] if apart else ["snapshot"]), "scenario_title",
             "persona_name", "mode", *(["group_name"] if grouped else []), *(["rubric"] if packing else []),
             *(["replies_made"] if counting else [])]
    insert_call = f"INSERT INTO calls ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    began = time.perf_counter()
    call_id = 0
    for first in range(0, calls, BATCH):
        rows, replies, debriefs = [], [], []
        for _ in range(min(BATCH, calls - first)):
            call_id += 1
            rep = rng.randrange(REPS)
            scenario, title = scenarios[rng.randrange(len(scenarios))]
            persona = PERSONAS[rng.randrange(len(PERSONAS))]
            mode = "exam" if rng.random() < 0.3 else "train"
            when = START + timedelta(minutes=rng.randrange(DAYS * 24 * 60))
            fate = rng.random()
            status = "abandoned" if fate < 0.02 else "in_progress" if fate < 0.03 else (
                "hung_up" if fate < 0.1 else "finished")
            said = 0 if rng.random() < 0.02 else REPLIES_PER_CALL
            ended = status in ("finished", "hung_up")
            score = max(0, min(100, int(rng.gauss(55 + rep % 30, 15)))) if said else 0
            snapshot = varied(template, rng, score, lean) if ended or said else None
            stamp = when.isoformat(timespec="milliseconds")
            debrief = json.dumps(snapshot, ensure_ascii=False) if snapshot else None
            row = [call_id, str(uuid.UUID(int=rng.getrandbits(128))), f"rep-{rep:03d}", scenario, persona, 0,
                   json.dumps(template.get("choices", {})), status, "won_back" if ended else None,
                   "" if ended else None, score if ended else None, ("B" if score >= 70 else "F") if ended else None,
                   int(score >= 70) if ended else None, 70, stamp, stamp, *([] if apart else [debrief]),
                   title, persona.title(), mode]
            if apart and debrief:
                debriefs.append((call_id, debrief))
            if grouped:
                row.append(f"class-{rep % GROUPS:02d}")
            if packing:
                row.append(pack(snapshot))
            if counting:
                row.append(said)
            rows.append(row)
            replies += [(call_id, n, f"reply {n} of call {call_id}", 0, stamp) for n in range(1, said + 1)]
        with db:
            db.executemany(insert_call, rows)
            db.executemany("INSERT INTO replies (call_id, number, text, interrupted, said_at) VALUES (?, ?, ?, ?, ?)",
                           replies)
            db.executemany("INSERT INTO debriefs (call_id, snapshot) VALUES (?, ?)", debriefs)
    if "drill_lines" in {row[0] for row in db.execute("SELECT name FROM sqlite_master")}:  # schema v7
        with db:
            sums.backfill(db)  # what each call's last save adds to the sums, added once for all
    db.close()
    return time.perf_counter() - began


def to_postgres(folder: Path, url: str) -> float:
    """The calls of the SQLite file in `folder` and their sums copied to the PostgreSQL database at `url` (made empty
    first, then given this version's schema by `open_store`); the seconds it took."""
    import psycopg

    began = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")
    os.environ["BADNEWS_STORE"] = url
    try:
        open_store(folder).close()  # the schema, at this version
    finally:
        del os.environ["BADNEWS_STORE"]
    source = sqlite3.connect(folder / DB_NAME)
    with psycopg.connect(url) as db:
        for table in ("calls", "trainee_lines", "drill_lines"):
            columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
            with db.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                    copy.write_row(row)
        db.execute("ANALYZE")
    source.close()
    return time.perf_counter() - began


def command(folder: Path, shape: str = "--json", store: str | None = None) -> tuple[float, float, int]:
    """`badnews team --json` (or `--plain`) in a fresh process, on the file in `folder` or the PostgreSQL `store`:
    wall seconds, the child's peak memory in MB, bytes printed."""
    env = {**os.environ, "BADNEWS_DATA_DIR": str(folder)}
    env.pop("BADNEWS_STORE", None)
    if store is not None:
        env["BADNEWS_STORE"] = store
    out = folder / "team.out"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    began = time.perf_counter()
    with out.open("wb") as handle:
        subprocess.run([sys.executable, "-m", "simulator", "team", shape], env=env, cwd=ROOT, stdout=handle,
                       check=True)
    took = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux; the largest child so far
    return took, max(peak, before) / 1024, out.stat().st_size


def stages(folder: Path) -> dict[str, float]:
    """Seconds per stage of the same work, in this process (the best of three); first what SQLite alone takes."""
    timings: dict[str, float] = {}

    def timed(name: str, work: Any) -> Any:
        began = time.perf_counter()
        result = work()
        took = time.perf_counter() - began
        timings[name] = min(timings.get(name, took), took)
        return result

    gc.disable()  # as `badnews team` does while it reads, sums and writes
    db = sqlite3.connect(folder / DB_NAME)
    with open_store(folder, read_only=True) as store:
        for _ in range(3):
            timed("SQLite rows alone (every column)", lambda: db.execute(
                f"SELECT {', '.join(_SUMMARY_COLUMNS)}, rubric, replies_made FROM calls").fetchall())
            # As `team --json` reads: a lean table, its calls' lines written by SQLite on a second connection meanwhile.
            table = timed("read (CallStore.call_table, lean)",
                          lambda: store.call_table(lean=True, listing=LISTING_SQL))
            kept = timed("read the sums (CallStore.line_sums)", store.line_sums)
            view = timed("sum (team_view)", lambda: team_view(table, CallFilter(), (), kept))  # noqa: B023
            text = timed("JSON (TeamView.json_text)", view.json_text)
    db.close()
    gc.enable()
    timings["calls"] = view.call_count
    timings["JSON MB"] = len(text.encode()) / 1e6
    return timings


def runs(folder: Path, shape: str, times: int = 3, store: str | None = None) -> str:
    """`team` run `times` times: the first run after the file changed checks it whole (`connect._damage`)."""
    # As installed by pip: every module compiled once (this machine's PYTHONDONTWRITEBYTECODE would otherwise have
    # each run compile them all again, 0.1-0.2 s that no installed copy pays).
    compileall.compile_dir(ROOT / "simulator", quiet=1)
    took = [command(folder, shape, store) for _ in range(times)]
    walls = [t for t, _, _ in took]
    verdict = "under" if min(walls[1:]) < TARGET_SECONDS else "OVER"
    where = " on PostgreSQL" if store else ""
    return (f"badnews team {shape}{where}: first {walls[0]:.2f} s{'' if store else ' (first read)'}, then "
            f"{', '.join(f'{w:.2f}' for w in walls[1:])}"
            f" s wall ({verdict} the {TARGET_SECONDS:.0f} s target); peak memory {max(p for _, p, _ in took):,.0f} MB, "
            f"{took[-1][2] / 1e6:.1f} MB printed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--snapshot", choices=("lean", "full"), default="lean")
    parser.add_argument("--unpacked", action="store_true",
                        help="store no packed rubric lines, as a store written before schema v5 has")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store and print where it is")
    parser.add_argument("--store", type=Path, metavar="FOLDER",
                        help="time a store a --keep run left (its calls.db) instead of filling a new one")
    parser.add_argument("--postgres", metavar="URL",
                        help="also copy the calls to this PostgreSQL database (emptied first!) and time `team` there")
    args = parser.parse_args()
    folder = args.store or Path(tempfile.mkdtemp(prefix="badnews-bench-team-"))
    try:
        if args.store is None:
            inserted = fill(folder / DB_NAME, args.calls, args.snapshot == "lean", packed=not args.unpacked)
            packing = "no packed rubric lines" if args.unpacked else "rubric lines packed"
            print(f"stored {args.calls:,} calls ({args.snapshot} snapshots, {packing}) in {inserted:.1f} s")
        (folder / (DB_NAME + "-checked")).unlink(missing_ok=True)  # as after a save (a writer would check it whole)
        print(f"calls.db {(folder / DB_NAME).stat().st_size / 1e6:,.0f} MB")
        print(runs(folder, "--json"))
        print(runs(folder, "--plain"))
        if args.postgres:
            print(f"copied to PostgreSQL in {to_postgres(folder, args.postgres):.1f} s")
            print(runs(folder, "--json", store=args.postgres))
            print(runs(folder, "--plain", store=args.postgres))
        timings = stages(folder)
        for name, value in timings.items():
            print(f"  {name:<34} {value:,.2f}" + (" s" if "MB" not in name and name != "calls" else ""))
    finally:
        if args.keep or args.store is not None:  # a store given is never deleted
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
