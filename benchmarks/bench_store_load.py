"""A room of reps writing to one store at once: no call lost, and how long a save takes.

Run: python benchmarks/bench_store_load.py [--reps 200] [--every 2] [--minutes 10] [--store URL]

Each simulated rep opens the store as a badnews process would (a connection of its own), starts a
call, then saves one more reply every `--every` seconds (jittered) with a debrief snapshot of the
real size, for `--minutes`. Without `--store` the reps share one SQLite file in a temp folder; with
a postgresql:// URL they share that server (it must allow `--reps` connections: PostgreSQL's default
`max_connections` is 100). Prints the saves made, the p50/p95/max save time, and checks that every
call holds exactly the replies saved.

Reps are threads (200 interpreters would measure this 2-core machine, not the store); what a save
costs here is the store's own work plus some waiting for the interpreter lock, so compare the two
stores within one run rather than against a target in the abstract.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from simulator.paths import STORE_ENV
from simulator.records.store import CallStore, Reply, open_store

SNAPSHOT = {"score": 64, "passed": False, "outcome": "strained", "transcript": [{"text": "x" * 200}] * 60}


def rep(number: int, folder: Path, stop_at: float, every: float, times: list[float], counts: dict, errors: list):
    random.seed(number)
    try:
        store: CallStore = open_store(folder)
        call_id = store.start_call(trainee=f"rep-{number:03d}", scenario="late-shipment", persona="calm",
                                   seed=number, choices={}, group="load-test")
        replies: list[Reply] = []
        time.sleep(random.uniform(0, every))
        while time.monotonic() < stop_at:
            replies.append(Reply(f"reply {len(replies) + 1} of rep {number}"))
            started = time.perf_counter()
            store.save(call_id, replies=replies, saved=len(replies) - 1, status="in_progress", choices={},
                       snapshot=SNAPSHOT)
            times.append(time.perf_counter() - started)
            time.sleep(max(0.0, every * random.uniform(0.8, 1.2)))
        counts[call_id] = len(replies)
        store.close()
    except Exception as error:  # reported, not raised: the other reps go on
        errors.append(f"rep {number}: {type(error).__name__}: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--every", type=float, default=2.0)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--store", help="a postgresql:// URL (default: one SQLite file in a temp folder)")
    args = parser.parse_args()
    if args.store:
        os.environ[STORE_ENV] = args.store
    else:
        os.environ.pop(STORE_ENV, None)
    with tempfile.TemporaryDirectory() as folder:
        times: list[float] = []
        counts: dict[int, int] = {}
        errors: list[str] = []
        stop_at = time.monotonic() + args.minutes * 60
        threads = [threading.Thread(target=rep, args=(n, Path(folder), stop_at, args.every, times, counts, errors))
                   for n in range(args.reps)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with open_store(Path(folder)) as store:
            stored = {c.id: len(c.replies) for c in store.calls() if c.group == "load-test"}
        lost = sum(counts[i] - stored.get(i, 0) for i in counts)
        where = "PostgreSQL" if args.store else "one SQLite file"
        print(f"{where}: {args.reps} reps, a reply every {args.every:g} s for {args.minutes:g} min")
        print(f"  saves: {len(times)}  calls: {len(stored)}  replies lost: {lost}  errors: {len(errors)}")
        if times:
            ordered = sorted(times)
            p95 = ordered[int(0.95 * (len(ordered) - 1))]
            print(f"  save time: p50 {statistics.median(ordered) * 1000:.1f} ms  p95 {p95 * 1000:.1f} ms"
                  f"  max {ordered[-1] * 1000:.1f} ms")
        for line in errors[:5]:
            print("  " + line)
        if args.store:  # leave the shared database as it was
            import psycopg

            with psycopg.connect(args.store, autocommit=True) as db:
                db.execute("DELETE FROM calls WHERE group_name = 'load-test'")


if __name__ == "__main__":
    main()
