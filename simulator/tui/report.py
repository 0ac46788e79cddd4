"""The debrief as a Markdown file the trainee keeps: where it may go, what it says, and writing it safely."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from simulator.catalogue import BY_ID, Section
from simulator.debrief import SECTION_TITLES
from simulator.engine.call import Call, Turn
from simulator.scoring import RubricLine, ScoreReport
from simulator.text import visible

# Characters that would turn the trainee's words into Markdown links, emphasis or HTML.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
# Evidence quoted per rubric line: enough to show the pattern, short enough to read.
MAX_EVIDENCE = 3


@dataclass(frozen=True)
class SaveTarget:
    """A folder the report may be saved in, with the name the trainee sees for it."""

    label: str
    folder: Path


def save_targets(cwd: Path | None = None) -> list[SaveTarget]:
    """The current folder, then the user's documents folder (from platformdirs)."""
    from platformdirs import user_documents_dir

    return [
        SaveTarget("Current folder", (cwd or Path.cwd()).resolve()),
        SaveTarget("Documents", Path(user_documents_dir())),
    ]


def md_escape(text: str) -> str:
    """The trainee's words, harmless in Markdown: control characters shown, markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible(text))


def reply_numbers(call: Call) -> dict[int, int]:
    """Transcript index -> the trainee's reply number (1, 2, ...), as the debrief numbers replies."""
    return {turn.index: number for number, turn in enumerate(call.seller_turns, start=1)}


def line_mark(line: RubricLine) -> str:
    """A one-glance verdict for a rubric line: earned, partly, missed, penalty or avoided."""
    if not line.good:
        return "penalty" if line.hit else "avoided"
    if line.hit:
        return "earned"
    return "partly" if line.points > 0 else "missed"


def report_filename(call: Call, now: datetime) -> str:
    """A file name that sorts by date and says which call it was."""
    return f"badnews-{call.scenario.id}-{now:%Y%m%d-%H%M%S}.md"


def write_report(text: str, folder: Path, name: str) -> Path:
    """Write the report in `folder` without overwriting an older one; returns the path written."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    counter = 2
    while path.exists():
        path = folder / f"{Path(name).stem}-{counter}{Path(name).suffix}"
        counter += 1
    path.write_text(text, encoding="utf-8")
    return path


def _speaker(call: Call, turn: Turn) -> str:
    return call.scenario.buyer.first_name if turn.speaker == "buyer" else "You"


def _line_md(line: RubricLine, numbers: dict[int, int]) -> list[str]:
    info = BY_ID[line.behaviour]
    out = [f"- **{line.behaviour}** ({line_mark(line)}, {line.points + 0.0:+.1f}): {md_escape(line.note)}"]
    for evidence in line.evidence[:MAX_EVIDENCE]:
        words = md_escape(evidence.words).strip() or "(silence)"
        match = ""
        if evidence.strength is not None and evidence.threshold is not None:
            phrase = md_escape(evidence.phrase)
            match = f" (matched \u201c{phrase}\u201d, strength {evidence.strength:.2f} \u2265 {evidence.threshold:.2f})"
        out.append(f"  - reply {numbers.get(evidence.turn, evidence.turn)}: \u201c{words}\u201d{match}")
    out.append(f"  - why: {info.principle}")
    if (line.good and not line.hit and line.weight) or (not line.good and line.hit):
        out.append(f"  - try: {info.better}")
    return out


def report_markdown(call: Call, report: ScoreReport, mode: str, now: datetime) -> str:
    """The whole debrief: score, outcome, every rubric line with evidence, the mood and the transcript."""
    verdict = "passed" if report.passed else "not passed"
    ended = f" ({md_escape(report.ended_by)})" if report.ended_by else ""
    out = [
        f"# Bad News Drill: {md_escape(call.scenario.title)}",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M}",
        f"- Buyer: {md_escape(call.scenario.buyer.name)} ({md_escape(call.persona.name)} persona), "
        f"seed {call.seed}, {mode} mode",
        f"- **Score {report.score}/100, grade {report.grade}, {verdict}** (pass mark {report.pass_mark})",
        f"- Outcome: {report.outcome.replace('_', ' ')}{ended}",
    ]
    numbers = reply_numbers(call)
    for section in (Section.BEFORE_CALL, Section.CONVERSATION, Section.REPLY):
        lines = [line for line in report.lines if line.section is section and (line.weight or line.hit)]
        if lines:
            out += ["", f"## {SECTION_TITLES[section]}", ""]
            for line in lines:
                out += _line_md(line, numbers)
    out += ["", "## The buyer's mood", "", "| after | temperature | trust |", "|---|---:|---:|"]
    if call.transcript:
        start = call.transcript[0].mood
        out.append(f"| the call opened | {start.temperature} | {start.trust} |")
    for turn in call.seller_turns:
        out.append(f"| reply {numbers[turn.index]} | {turn.mood.temperature} | {turn.mood.trust} |")
    out += ["", "## The call", ""]
    for turn in call.transcript:
        text = md_escape(turn.text).strip() or "*(silence)*"
        if turn.speaker == "seller":
            shown = ", ".join(turn.behaviours) or "nothing detected"
            flag = "; talked over the buyer" if turn.interrupted else ""
            out.append(f"**You (reply {numbers[turn.index]}):** {text}  \n\u2192 {shown}{flag}")
        else:
            out.append(f"> **{md_escape(_speaker(call, turn))}:** {text}")
        out.append("")
    return "\n".join(out)
