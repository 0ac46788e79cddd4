"""A stored call as a report for the trainee or a coach: transcript with the rubric beside it, evidence, mood, tips.

Reports are built from the debrief snapshot saved with the call, never by scoring it again, so a
report shows what the trainee was told at the time and needs no scenario files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from simulator.catalogue import BY_ID, Section
from simulator.records.history import call_summary, rubric_losses, sparkline
from simulator.records.store import CallRecord
from simulator.text import visible

# Characters that would turn text (always mid-line in a report) into Markdown links, emphasis, HTML or table cells.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
MAX_TIPS = 5
MAX_EVIDENCE = 3
# A missed line must cost at least this many points to earn a tip.
MIN_TIP_POINTS = 0.5
SECTION_TITLES = {
    Section.BEFORE_CALL.value: "Before the call",
    Section.CONVERSATION.value: "The conversation",
    Section.REPLY.value: "Your replies",
}


def md_escape(text: object) -> str:
    """Any stored text, harmless in Markdown: control characters shown, markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible(str(text)))


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def transcript(record: CallRecord) -> list[Mapping[str, Any]]:
    """The snapshot's turns (each a dict); empty when no debrief was saved."""
    return [_dict(turn) for turn in _list(_dict(record.snapshot).get("transcript"))]


def reply_numbers(record: CallRecord) -> dict[int, int]:
    """Transcript index -> the trainee's reply number (1, 2, ...)."""
    numbers: dict[int, int] = {}
    for index, turn in enumerate(transcript(record)):
        if turn.get("speaker") == "seller":
            numbers[index] = len(numbers) + 1
    return numbers


def mood_series(record: CallRecord) -> list[dict[str, Any]]:
    """The buyer's mood when the call opened and after each reply."""
    numbers = reply_numbers(record)
    series = []
    for index, turn in enumerate(transcript(record)):
        mood = _dict(turn.get("mood"))
        if index == 0 or index in numbers:
            series.append({
                "after": "opening" if index == 0 else f"reply {numbers[index]}",
                "temperature": mood.get("temperature"),
                "trust": mood.get("trust"),
                "band": mood.get("band"),
            })
    return series


def tips(record: CallRecord) -> list[dict[str, Any]]:
    """What would have scored most, costliest first: the missed good lines and the penalties, with a better way."""
    found = []
    for behaviour, (hit, lost) in rubric_losses(record.snapshot).items():
        if lost < MIN_TIP_POINTS:
            continue
        info = BY_ID[behaviour]
        found.append({
            "behaviour": behaviour,
            "points_lost": round(lost, 1),
            "what": ("committed" if hit else "avoided") if not info.good else ("partly" if hit else "missed"),
            "why": info.principle,
            "try": info.better,
        })
    return sorted(found, key=lambda t: (-t["points_lost"], t["behaviour"]))[:MAX_TIPS]


def report_json(record: CallRecord) -> dict[str, Any]:
    """The report as one JSON object: the call, its saved debrief (the `replay --json` shape), mood and tips."""
    return {
        "call": {**call_summary(record), "scenario_title": record.scenario_title,
                 "persona_name": record.persona_name, "seed": record.seed, "choices": record.choices},
        "debrief": record.snapshot,
        "mood": mood_series(record),
        "tips": tips(record),
    }


def report_markdown(record: CallRecord) -> str:
    """The report as Markdown: header, transcript with the rubric beside it, rubric with evidence, mood, tips."""
    snapshot = _dict(record.snapshot)
    title = record.scenario_title or record.scenario
    out = [f"# Bad News Drill: {md_escape(title)} (call {record.id})", ""]
    out += [
        f"- Trainee: {md_escape(record.trainee)}",
        f"- Started: {record.started_at.astimezone():%Y-%m-%d %H:%M}, last saved "
        f"{record.updated_at.astimezone():%Y-%m-%d %H:%M}",
        f"- Buyer: {md_escape(record.persona_name or record.persona)} persona, seed {record.seed}",
        f"- Status: {record.status.replace('_', ' ')}, {len(record.replies)} repl{'y' if len(record.replies) == 1 else 'ies'}",
    ]
    if not snapshot:
        out += ["", "No debrief was saved with this call (it was stopped before the first save, or the saved"
                    " copy is unreadable)."]
        return "\n".join(out) + "\n"
    verdict = "passed" if snapshot.get("passed") else "not passed"
    ended_by = f" ({md_escape(snapshot['ended_by'])})" if snapshot.get("ended_by") else ""
    so_far = "" if record.ended else " so far"
    out += [
        f"- **Score{so_far} {snapshot.get('score')}/100, grade {snapshot.get('grade')}, {verdict}** "
        f"(pass mark {snapshot.get('pass_mark')})",
        f"- Outcome: {str(snapshot.get('outcome', '')).replace('_', ' ')}{ended_by}",
    ]
    out += ["", "## The call, with the rubric beside it", "", "| # | who | words | rubric | mood after |",
            "|---:|---|---|---|---|"]
    numbers = reply_numbers(record)
    for index, turn in enumerate(transcript(record)):
        out.append(_turn_row(index, turn, numbers))
    for section, heading in SECTION_TITLES.items():
        lines = [(b, _dict(line)) for b, line in _dict(snapshot.get("behaviours")).items()
                 if b in BY_ID and _dict(line).get("section") == section and (_dict(line).get("weight") or _dict(line).get("hit"))]
        if lines:
            out += ["", f"## {heading}", ""]
            for behaviour, line in lines:
                out += _rubric_lines(behaviour, line, numbers)
    series = mood_series(record)
    out += ["", "## The buyer's mood over the call", ""]
    temperatures = [m["temperature"] for m in series if isinstance(m["temperature"], int)]
    trusts = [m["trust"] for m in series if isinstance(m["trust"], int)]
    out += [f"    temperature {sparkline(temperatures)}", f"    trust       {sparkline(trusts)}", ""]
    out += ["| after | temperature | trust | band |", "|---|---:|---:|---|"]
    out += [f"| {m['after']} | {m['temperature']} | {m['trust']} | {m['band']} |" for m in series]
    advice = tips(record)
    if advice:
        out += ["", "## Tips", ""]
        for number, tip in enumerate(advice, start=1):
            out.append(f"{number}. **{tip['behaviour']}** ({tip['what']}, {tip['points_lost']} points): "
                       f"{md_escape(tip['why'])}  \n   Try: {md_escape(tip['try'])}")
    return "\n".join(out) + "\n"


def _turn_row(index: int, turn: Mapping[str, Any], numbers: dict[int, int]) -> str:
    words = md_escape(turn.get("text", "")).strip() or "*(silence)*"
    mood = _dict(turn.get("mood"))
    if turn.get("speaker") != "seller":
        return f"| {index} | Buyer | {words} |  | {mood.get('temperature')} / {mood.get('trust')} |"
    marks = [f"{'+' if BY_ID[b].good else '−'} {b}" for b in _list(turn.get("behaviours")) if b in BY_ID]
    if turn.get("interrupted"):
        marks.append("talked over the buyer")
    move = _dict(turn.get("mood_move"))
    change = f" ({_signed(move.get('temperature'))} / {_signed(move.get('trust'))})" if move else ""
    rubric = ", ".join(marks) or "nothing detected"
    return (f"| {index} | You (reply {numbers.get(index, '?')}) | {words} | {rubric} | "
            f"{mood.get('temperature')} / {mood.get('trust')}{change} |")


def _signed(value: object) -> str:
    return f"{value:+d}" if isinstance(value, int) else "?"


def _rubric_lines(behaviour: str, line: Mapping[str, Any], numbers: dict[int, int]) -> list[str]:
    good, hit = BY_ID[behaviour].good, bool(line.get("hit"))
    mark = ("earned" if hit else "missed") if good else ("penalty" if hit else "avoided")
    points = line.get("points") if isinstance(line.get("points"), (int, float)) else 0.0
    out = [f"- **{behaviour}** ({mark}, {points:+.1f}): {md_escape(line.get('note', ''))}"]
    for evidence in [_dict(e) for e in _list(line.get("evidence"))][:MAX_EVIDENCE]:
        words = md_escape(evidence.get("words", "")).strip() or "(silence)"
        match = ""
        strength, threshold = evidence.get("strength"), evidence.get("threshold")
        if isinstance(strength, (int, float)) and isinstance(threshold, (int, float)):
            match = f" (matched “{md_escape(evidence.get('phrase', ''))}”, strength {strength:.2f} ≥ {threshold:.2f})"
        turn = evidence.get("turn")
        out.append(f"  - reply {numbers.get(turn, turn) if isinstance(turn, int) else '?'}: “{words}”{match}")
    return out
