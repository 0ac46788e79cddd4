"""A call as a report for the trainee or a coach: transcript with the rubric beside it, evidence, mood, tips.

One report, two formats (Markdown and JSON), built from the saved `CallResult`, never by scoring
again, so a report shows what the trainee was told at the time and needs no scenario files.
`badnews report` and the app's "Save report" both write `report_markdown(header_of(record), ...)`,
so the same call gives the same file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulator.catalogue import BY_ID
from simulator.records.history import call_summary, sparkline
from simulator.records.record import CallRecord
from simulator.render.coaching import three_fixes, verdict_sentence, what_happened
from simulator.render.rubric import LineView, sections
from simulator.scoring.result import CallResult, CallStatus, TurnResult
from simulator.text import visible

# Characters that would turn text (always mid-line in a report) into Markdown links, emphasis, HTML or table cells.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
MAX_TIPS = 5


def md_escape(text: object) -> str:
    """Any stored text, harmless in Markdown: control characters shown, markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible(str(text)))


@dataclass(frozen=True)
class ReportHeader:
    """Who played the call, when, and where it got to: what the result itself does not say."""

    call_id: int | None
    trainee: str
    started_at: datetime
    updated_at: datetime
    status: CallStatus


def header_of(record: CallRecord) -> ReportHeader:
    """The header of a stored call."""
    return ReportHeader(record.id, record.trainee, record.started_at, record.updated_at, record.status)


def mood_series(result: CallResult) -> list[dict[str, Any]]:
    """The buyer's mood when the call opened and after each reply."""
    series = []
    for index, turn in enumerate(result.transcript):
        if index == 0 or turn.reply is not None:
            series.append({
                "after": "opening" if index == 0 else f"reply {turn.reply}",
                "temperature": turn.mood.temperature,
                "trust": turn.mood.trust,
                "band": turn.mood.band,
            })
    return series


def tips(result: CallResult) -> list[dict[str, Any]]:
    """The report's JSON form of `three_fixes`: the costliest lines first, with the principle and a better way."""
    return [
        {
            "behaviour": fix.behaviour,
            "points_lost": fix.points,
            "what": result.behaviours[fix.behaviour].verdict if BY_ID[fix.behaviour].good else "committed",
            "why": result.behaviours[fix.behaviour].principle or BY_ID[fix.behaviour].principle,
            "try": fix.instead,
        }
        for fix in three_fixes(result, count=MAX_TIPS)
    ]


def report_json(record: CallRecord) -> dict[str, Any]:
    """The report as one JSON object: the call, its saved debrief (the `replay --json` shape), mood and tips."""
    result = record.result
    return {
        "call": {**call_summary(record), "scenario_title": record.scenario_title,
                 "persona_name": record.persona_name, "seed": record.seed, "choices": record.choices},
        "debrief": result.to_json() if result else record.snapshot,
        "mood": mood_series(result) if result else [],
        "tips": tips(result) if result else [],
    }


def record_markdown(record: CallRecord, *, details: bool = False) -> str:
    """A stored call's report as Markdown; says so when no readable debrief was saved with it."""
    if record.result is None:
        return _title(record.scenario_title or record.scenario, record.id) + "\n".join([
            f"- Trainee: {md_escape(record.trainee)}",
            f"- Status: {record.status.replace('_', ' ')}, {_replies(len(record.replies))}",
            "",
            ("No debrief was saved with this call (it was stopped before the first save, the saved copy is"
             " unreadable, or it is a long call, scored only once it ends)."),
        ]) + "\n"
    return report_markdown(record.result, header_of(record), details=details)


def _title(title: str, call_id: int | None) -> str:
    number = f" (call {call_id})" if call_id is not None else ""
    return f"# Bad News Drill: {md_escape(title)}{number}\n\n"


def _replies(count: int) -> str:
    return f"{count} repl{'y' if count == 1 else 'ies'}"


def report_markdown(result: CallResult, header: ReportHeader, *, details: bool = False) -> str:
    """The report as Markdown: header, transcript with the rubric beside it, rubric with evidence, mood, tips."""
    verdict = "passed" if result.passed else "not passed"
    ended_by = f" ({md_escape(result.ended_by)})" if result.ended_by else ""
    so_far = "" if header.status.ended else " so far"
    out = [
        f"- Trainee: {md_escape(header.trainee)}",
        (f"- Started: {header.started_at.astimezone():%Y-%m-%d %H:%M}, last saved "
         f"{header.updated_at.astimezone():%Y-%m-%d %H:%M}"),
        (f"- Buyer: {md_escape(result.persona_name or result.persona)} persona, seed {result.seed}, "
         f"{result.mode} mode"),
        f"- Status: {header.status.replace('_', ' ')}, {_replies(result.replies)}",
        f"- **Score{so_far} {result.score}/100, grade {result.grade}, {verdict}** (pass mark {result.pass_mark})",
        f"- Outcome: {result.outcome.replace('_', ' ')}{ended_by}",
        "",
        md_escape(verdict_sentence(result)),
    ]
    fixes = three_fixes(result)
    if fixes:
        out += ["", "## What to change first", ""]
        for number, fix in enumerate(fixes, start=1):
            out += [
                f"{number}. **{md_escape(fix.title)}** ({fix.points:.1f} points). {md_escape(what_happened(fix))}",
                f"   - Instead: {md_escape(fix.instead)}",
                f"   - Why: {md_escape(fix.why)}",
            ]
    out += ["", "## The call, with the rubric beside it", "", "| # | who | words | rubric | mood after |",
            "|---:|---|---|---|---|"]
    out += [_turn_row(index, turn) for index, turn in enumerate(result.transcript)]
    for title, views in sections(result):
        out += ["", f"## {title}", ""]
        for view in views:
            out += _rubric_lines(view, details)
    series = mood_series(result)
    out += ["", "## The buyer's mood over the call", ""]
    out += [f"    temperature {sparkline([m['temperature'] for m in series])}",
            f"    trust       {sparkline([m['trust'] for m in series])}", ""]
    out += ["| after | temperature | trust | band |", "|---|---:|---:|---|"]
    out += [f"| {m['after']} | {m['temperature']} | {m['trust']} | {m['band']} |" for m in series]
    return _title(result.scenario_title or result.scenario, header.call_id) + "\n".join(out) + "\n"


def _turn_row(index: int, turn: TurnResult) -> str:
    words = md_escape(turn.text).strip() or "*(silence)*"
    mood = f"{turn.mood.temperature} / {turn.mood.trust}"
    if turn.speaker != "seller":
        return f"| {index} | Buyer | {words} |  | {mood} |"
    marks = [f"{'+' if BY_ID[b].good else '−'} {b}" for b in turn.behaviours if b in BY_ID]
    if turn.interrupted:
        marks.append("talked over the buyer")
    move = turn.mood_move
    change = f" ({move.temperature:+d} / {move.trust:+d})" if move else ""
    rubric = ", ".join(marks) or "nothing detected"
    return f"| {index} | You (reply {turn.reply}) | {words} | {rubric} | {mood}{change} |"


def _rubric_lines(view: LineView, details: bool) -> list[str]:
    name = view.behaviour if details else view.name
    out = [f"- **{md_escape(name)}** ({view.verdict}, {view.points:+.1f}): {md_escape(view.note)}"]
    for evidence in view.evidence:
        words = md_escape(evidence.words).strip() or "(silence)"
        match = f" ({md_escape(evidence.how())})" if evidence.matched and details else ""
        out.append(f"  - reply {evidence.reply if evidence.reply is not None else '?'}: “{words}”{match}")
    if view.more:
        out.append(f"  - and {view.more} more")
    out.append(f"  - why: {md_escape(view.principle)}")
    if view.better:
        out.append(f"  - try: {md_escape(view.better)}")
    return out
