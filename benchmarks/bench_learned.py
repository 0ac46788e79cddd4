"""The learned layer's costs against the phrase banks alone: load time, p50/p95 per reply, memory, disk.

Run: python benchmarks/bench_learned.py   (not a timed test; prints figures; compare within one run)
Budgets (issue 10): p95 under 16 ms per reply with the model; resident memory +150 MB at most per
process; installed size +120 MB at most (numpy and the weights).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

import simulator.detect.detector as detector_module
from simulator.detect import Detector
from simulator.detect.evaluate import load_labelled
from simulator.detect.learned.model import WEIGHTS

ROOT = Path(__file__).resolve().parents[1]
REPLIES = ROOT / "tests" / "data" / "detector_dev2.yaml"
LONG_REPLIES = ROOT / "tests" / "data" / "playtest_replies.jsonl"


def rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def latencies(detector: Detector, texts: list[str]) -> list[float]:
    for text in texts[:50]:  # warm the per-word caches, as a long call would
        detector.detect(text)
    out = []
    for text in texts:
        started = time.perf_counter()
        detector.detect(text)
        out.append(time.perf_counter() - started)
    return sorted(out)


def main() -> int:
    texts = [item.text for item in load_labelled(REPLIES)]
    before = rss_mb()
    started = time.perf_counter()
    banks = Detector.load(learned=False)
    banks_load = time.perf_counter() - started
    after_banks = rss_mb()
    started = time.perf_counter()
    learned = Detector.load(learned=True)
    learned_load = time.perf_counter() - started
    after_learned = rss_mb()
    for name, detector, load in (("banks only", banks, banks_load), ("banks + learned", learned, learned_load)):
        times = latencies(detector, texts)
        p50, p95 = statistics.median(times), times[int(len(times) * 0.95)]
        print(f"{name:<16} load {load * 1000:6.0f} ms   p50 {p50 * 1000:5.1f} ms   p95 {p95 * 1000:5.1f} ms"
              f"   max {times[-1] * 1000:5.1f} ms   ({len(times)} replies)")
    # Play-tested replies (51 words on average): a reply of LONG_REPLY_WORDS or more is also read in pieces.
    long_texts = [json.loads(line)["text"] for line in LONG_REPLIES.read_text(encoding="utf-8").splitlines()]
    for name, words in (("long, whole only", 10**9), ("long, in pieces", detector_module.LONG_REPLY_WORDS)):
        kept, detector_module.LONG_REPLY_WORDS = detector_module.LONG_REPLY_WORDS, words
        times = latencies(learned, long_texts)
        detector_module.LONG_REPLY_WORDS = kept
        p50, p95 = statistics.median(times), times[int(len(times) * 0.95)]
        print(f"{name:<16} {'':14}p50 {p50 * 1000:5.1f} ms   p95 {p95 * 1000:5.1f} ms   max {times[-1] * 1000:5.1f} ms"
              f"   ({len(times)} play-tested replies)")
    print(f"memory (peak RSS): start {before:.0f} MB, banks {after_banks:.0f} MB, "
          f"with the learned layer {after_learned:.0f} MB (+{after_learned - after_banks:.0f} MB)")
    size = sum(p.stat().st_size for p in WEIGHTS.rglob("*") if p.is_file())
    print(f"weights on disk: {size / 2**20:.1f} MB in {WEIGHTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
