"""Detector speed: bank load time, replies per second, and p50/p95 latency over the labelled dev set.

Run: /work/venv/bin/python benchmarks/bench_detect.py [FILE.yaml]   (not a timed test; prints figures)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from simulator.detect import Detector
from simulator.detect.evaluate import load_labelled

DEFAULT_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "detector_dev.yaml"
ROUNDS = 5


def main(path: Path = DEFAULT_SET) -> None:
    """Print load time, throughput and latency percentiles."""
    started = time.perf_counter()
    detector = Detector.load()
    load_seconds = time.perf_counter() - started
    texts = [item.text for item in load_labelled(path)]
    for text in texts:  # warm the per-word caches, as a long session would be
        detector.detect(text)
    latencies = []
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for text in texts:
            begin = time.perf_counter()
            detector.detect(text)
            latencies.append(time.perf_counter() - begin)
    total = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)]
    print(f"replies:        {len(texts)} x {ROUNDS} rounds from {path.name}")
    print(f"bank load:      {load_seconds * 1000:.0f} ms")
    print(f"throughput:     {len(latencies) / total:,.0f} replies/s")
    print(f"latency p50:    {statistics.median(latencies) * 1000:.2f} ms")
    print(f"latency p95:    {p95 * 1000:.2f} ms")
    print(f"latency max:    {latencies[-1] * 1000:.2f} ms")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SET)
