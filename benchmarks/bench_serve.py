"""A served class's cost per browser: start time and memory of each tab's app process, for 1, 10 and 30 tabs at once.

Run: .venv/bin/python benchmarks/bench_serve.py [COUNT ...] [--where]   (needs the serve extra; prints figures only)

It starts `badnews serve --port 0 --max-sessions 40` over a throwaway folder and, for each count, opens that many
websockets at once as textual.js does (`/ws?width=100&height=30`); each makes the server start one app process.

- start: from the websocket's connect to the app's first screen (its first kilobyte of output), median and max;
- memory: once every app has gone idle (the sign-in screen drawn and the detector loaded behind it, as a rep sees
  the app before signing in), RSS and PSS of each app process from /proc/PID/smaps_rollup, median per session and
  the total with the server's own process. PSS counts a page shared by n processes as 1/n: it is what one more
  session costs. The tabs are closed before the next count.

`--where` then shows where one app process's memory goes: its mappings grouped (anonymous memory, the heap, the
libraries, the detector's weight files) and the largest allocations made while the detector loads (tracemalloc).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

COUNTS = (1, 10, 30)
MAX_SESSIONS = 40
SIZE = "width=100&height=30"
FIRST_SCREEN_BYTES = 1000  # the first screen of the app (the sign-in form) is several kilobytes; setup codes are less
IDLE_SECONDS = 2.0  # an app that used under IDLE_SHARE of a core over this long has finished starting
IDLE_SHARE = 0.05
SETTLE_LIMIT_SECONDS = 180.0
START_LIMIT_SECONDS = 180.0
TICKS = os.sysconf("SC_CLK_TCK")
MB = 1024.0  # smaps figures are in kB
SHOWN = 12


def start_server(folder: Path) -> tuple[subprocess.Popen[str], str]:
    """`badnews serve` on a free port; the process and the address it prints."""
    command = [sys.executable, "-m", "simulator", "--data-dir", str(folder / "data"), "serve", "--port", "0",
               "--max-sessions", str(MAX_SESSIONS)]
    env = {k: v for k, v in os.environ.items() if k != "BADNEWS_STORE"}
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                              start_new_session=True)
    assert server.stdout is not None
    for line in server.stdout:
        found = re.search(r"Reps join at (http://\S+)", line)
        if found:
            return server, found.group(1)
    raise SystemExit(f"badnews serve did not start (exit code {server.wait()})")


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (the server's app processes: each tab's shell execs the app)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process, in clock ticks (-1 once it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def memory(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process in MB, from smaps_rollup."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if parts and parts[0] in ("Rss:", "Pss:"):
            values[parts[0]] = int(parts[1]) / MB
    return values["Rss:"], values["Pss:"]


async def open_tab(client, url: str) -> tuple[object, asyncio.Task[None], float]:
    """One websocket as a browser tab opens it; its reader (kept draining) and the seconds to the first screen."""
    import aiohttp

    started = time.perf_counter()
    websocket = await client.ws_connect(url.replace("http://", "ws://") + f"ws?{SIZE}")
    drawn = asyncio.Event()

    async def read() -> None:
        received = 0
        async for message in websocket:
            if message.type is aiohttp.WSMsgType.BINARY:
                received += len(message.data)
                if received >= FIRST_SCREEN_BYTES:
                    drawn.set()
        drawn.set()  # closed before drawing: counted, and reported as no session below

    reader = asyncio.create_task(read())
    await asyncio.wait_for(drawn.wait(), START_LIMIT_SECONDS)
    return websocket, reader, time.perf_counter() - started


async def wait_idle(pids: list[int]) -> float:
    """Wait until every app is idle (under IDLE_SHARE of a core over IDLE_SECONDS: a blinking cursor is idle);
    the seconds it took."""
    started = time.monotonic()
    last = {pid: cpu_ticks(pid) for pid in pids}
    while time.monotonic() - started < SETTLE_LIMIT_SECONDS:
        await asyncio.sleep(IDLE_SECONDS)
        now = {pid: cpu_ticks(pid) for pid in pids}
        if all(now[pid] - last[pid] <= IDLE_SHARE * IDLE_SECONDS * TICKS for pid in pids):
            break
        last = now
    return time.monotonic() - started


async def measure(url: str, server_pid: int, count: int) -> None:
    """Open `count` tabs at once, print their start times and memory, and close them."""
    import aiohttp

    async with aiohttp.ClientSession() as client:
        tabs = await asyncio.gather(*(open_tab(client, url) for _ in range(count)))
        starts = [seconds for _, _, seconds in tabs]
        pids = children(server_pid)
        settle = await wait_idle(pids)
        figures = [memory(pid) for pid in pids]
        server_rss, server_pss = memory(server_pid)
        rss, pss = [f[0] for f in figures], [f[1] for f in figures]
        print(f"{count:>5} {len(pids):>6} {statistics.median(starts):>8.2f} {max(starts):>7.2f} {settle:>7.1f} "
              f"{statistics.median(rss):>8.1f} {statistics.median(pss):>8.1f} "
              f"{sum(rss) + server_rss:>9.0f} {sum(pss) + server_pss:>9.0f} {server_rss:>7.1f}", flush=True)
        if count == 1 and "--where" in sys.argv:
            where(pids[0])
        for websocket, reader, _ in tabs:
            await websocket.close()  # type: ignore[attr-defined]
            reader.cancel()
    deadline = time.monotonic() + SETTLE_LIMIT_SECONDS
    while children(server_pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)


def where(pid: int) -> None:
    """One app process's memory by mapping, largest first: what is private, and what is shared."""
    groups: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    name = "[anon]"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        parts = line.split()
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            path = parts[5] if len(parts) > 5 else "[anon]"
            name = "weights: " + Path(path).name if "/weights/" in path else re.sub(r".*/site-packages/", "", path)
        elif parts and parts[0] in ("Rss:", "Pss:"):
            groups[name][0 if parts[0] == "Rss:" else 1] += int(parts[1]) / MB
    ranked = sorted(groups.items(), key=lambda item: -item[1][0])
    print(f"\nwhere one app's memory goes (pid {pid}), MB:   RSS      PSS")
    for mapping, (rss, pss) in ranked[:SHOWN]:
        print(f"  {mapping[-44:]:<44} {rss:>8.1f} {pss:>8.1f}")
    rest = ranked[SHOWN:]
    print(f"  {f'({len(rest)} more mappings)':<44} {sum(v[0] for _, v in rest):>8.1f} {sum(v[1] for _, v in rest):>8.1f}")
    detector_allocations()
    print()


def detector_allocations() -> None:
    """The largest allocations the detector makes while it loads, in this process (the app's run the same code)."""
    from simulator.content.loader import load_library

    load_library()
    import numpy  # noqa: F401  (imported before tracing: its own start-up is not the detector's)

    tracemalloc.start()
    from simulator.detect import default_detector

    default_detector()
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    stats = snapshot.statistics("lineno")
    print(f"\nthe detector's allocations at load: {sum(s.size for s in stats) / 2**20:.1f} MB traced; the largest:")
    for stat in stats[:8]:
        frame = stat.traceback[0]
        where_from = re.sub(r".*/(simulator|site-packages|python3\.\d+)/", r"\1/", frame.filename)
        print(f"  {stat.size / 2**20:>6.1f} MB  {stat.count:>7} blocks  {where_from}:{frame.lineno}")


def main() -> None:
    """Serve, measure each count, stop the server."""
    counts = [int(a) for a in sys.argv[1:] if a.isdigit()] or list(COUNTS)
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        server, url = start_server(Path(folder))
        try:
            print(f"badnews serve at {url}, {os.cpu_count()} cores; times in s, memory in MB")
            print(f"{'tabs':>5} {'apps':>6} {'start50':>8} {'max':>7} {'settle':>7} {'RSS/app':>8} {'PSS/app':>8} "
                  f"{'RSS all':>9} {'PSS all':>9} {'server':>7}")
            for count in counts:
                asyncio.run(measure(url, server.pid, count))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
