"""The history as plain text for the terminal: the calls, per scenario, the weak spots and the next drill."""

from __future__ import annotations

from pathlib import Path

from simulator.records.history import TREND_CALLS, HistorySummary
from simulator.records.store import CallRecord
from simulator.text import visible


def call_verdict(call: CallRecord) -> str:
    """'78 C pass', or what an unscored call is waiting for."""
    if call.ended and call.score is not None:
        return f"{call.score:>3} {call.grade or '?'} {'pass' if call.passed else 'fail'}"
    return "  -"


def call_state(call: CallRecord) -> str:
    """The outcome of an ended call, or its status and how to go on with it."""
    if call.ended:
        outcome = (call.outcome or "").replace("_", " ")
        return f"{outcome} (hung up)" if call.status == "hung_up" else outcome
    state = call.status.replace("_", " ")
    return f"{state}: badnews resume {call.id}" if call.resumable else state


def format_history(summary: HistorySummary, *, limit: int = 0, source: Path | None = None) -> str:
    """Every section of `badnews history`; `limit` keeps the latest calls only (0: all)."""
    where = f"  ({source})" if source else ""
    if not summary.calls:
        out = [f"No calls yet.{where}"]
        if summary.next_drill:
            drill = summary.next_drill
            out += ["", "Start with", f"  badnews play {drill.scenario} --persona {drill.persona}", f"  {drill.reason}"]
        return "\n".join(out)
    shown = summary.calls[:limit] if limit > 0 else summary.calls
    more = f", latest {len(shown)} shown" if len(shown) < len(summary.calls) else ""
    out = [f"{len(summary.calls)} call(s), {summary.ended} ended{more}{where}", ""]
    width = max(8, *(len(c.scenario) for c in shown))
    out.append(f"  {'id':>4}  {'date':<16}  {'scenario':<{width}}  {'persona':<8}  {'replies':>7}  score       outcome")
    for call in shown:
        date = call.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        out.append(
            f"  {call.id:>4}  {date:<16}  {visible(call.scenario):<{width}}  {visible(call.persona):<8}  "
            f"{len(call.replies):>7}  {call_verdict(call):<10}  {call_state(call)}"
        )
    if summary.scenarios:
        width = max(8, *(len(s.scenario) for s in summary.scenarios))
        out += ["", "Per scenario (ended calls)",
                f"  {'scenario':<{width}}  calls  passed  best  average  trend (last {TREND_CALLS})"]
        for stats in summary.scenarios:
            change = f"  {stats.change:+d}" if stats.calls > 1 else ""
            out.append(
                f"  {visible(stats.scenario):<{width}}  {stats.calls:>5}  {stats.passed:>6}  {stats.best:>4}  "
                f"{stats.average:>7.1f}  {stats.trend}{change}"
            )
    if summary.weak_spots:
        out += ["", "Weak spots (points lost per call, on average)"]
        for spot in summary.weak_spots:
            out.append(f"  {spot.behaviour:<24} {-spot.points_lost:+6.1f}  {spot.describe()}")
    if summary.next_drill:
        drill = summary.next_drill
        out += ["", "Next drill", f"  badnews play {drill.scenario} --persona {drill.persona}", f"  {drill.reason}"]
    return "\n".join(out)
