"""Terminal tables of `list`, `history`, `cohort`, `team` and `eval`, drawn with rich and returned as text.

rich is imported here only, by the commands that print a table, so `replay` and the app's start stay
light. Every cell that came from a file or a user goes through `visible()` and into a `Text`, so it
is never read as markup and never writes a control character to the terminal.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from simulator.catalogue import behaviour_name
from simulator.records.cohort import Cohort, behaviour_rows, trainee_rows
from simulator.records.history import TREND_CALLS, HistorySummary, ScenarioStats
from simulator.records.record import CallRecord
from simulator.status import CallStatus
from simulator.text import visible, visible_lines

if TYPE_CHECKING:
    from simulator.content.loader import Library
    from simulator.detect.evaluate import EvalReport
    from simulator.records.team import Figures, TeamView  # numpy: loaded by `team` only, not `list` or `history`

# Tables are drawn this wide when the output is not a terminal (a file, a pipe, a test).
DEFAULT_WIDTH = 100
# How a call where the trainee said nothing is shown: listed, never averaged.
NO_REPLY = "no reply: not counted"
WEAK = "weak spots"


def cell(value: object) -> Text:
    """Any value as an inert table cell: control characters shown as escapes, markup as typed."""
    return Text(visible(str(value)))


def _table(
    title: str,
    columns: Sequence[str | tuple[str, str]],
    rows: Iterable[Sequence[object]],
    *,
    wrapping: str | None = None,
) -> Table:
    """A table; with `wrapping`, only that column wraps and every other keeps its cells on one line."""
    table = Table(title=cell(title), title_justify="left", box=None, header_style="bold", pad_edge=False)
    for column in columns:
        name, justify = column if isinstance(column, tuple) else (column, "left")
        table.add_column(cell(name), justify=justify,  # type: ignore[arg-type]
                         no_wrap=wrapping is not None and name != wrapping, ratio=1 if name == wrapping else None)
    for row in rows:
        table.add_row(*(value if isinstance(value, Text) else cell(value) for value in row))
    return table


def draw(*parts: Table | str) -> str:
    """Tables and lines of text, drawn as plain text at the terminal's width (or DEFAULT_WIDTH)."""
    width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False)
    for part in parts:
        console.print(Text(visible_lines(part)) if isinstance(part, str) else part)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def library_table(library: Library) -> str:
    """`badnews list`: the scenarios and the personas."""
    scenarios = _table(
        "Scenarios", ["id", "difficulty", "buyer", "title"],
        ([s.id, s.difficulty, s.buyer.name, s.title] for s in library.scenarios.values()),
    )
    personas = _table("Personas", ["id", "description"], ([p.id, p.description] for p in library.personas.values()))
    return draw(scenarios, "", personas)


def _verdict(call: CallRecord) -> str:
    if call.ended and call.score is not None and call.replied:
        return f"{call.score:>3} {call.grade or '?'} {'pass' if call.passed else 'fail'}"
    return "  -"


def _state(call: CallRecord) -> str:
    if call.ended and not call.replied:
        return NO_REPLY
    if call.ended:
        outcome = (call.outcome or "").replace("_", " ")
        return f"{outcome} (hung up)" if call.status is CallStatus.HUNG_UP else outcome
    state = call.status.replace("_", " ")
    return f"{state}: badnews resume {call.id}" if call.resumable else state


def history_text(summary: HistorySummary, *, limit: int = 0, source: Path | str | None = None) -> str:
    """Every section of `badnews history`; `limit` keeps the latest calls only (0: all)."""
    where = f"  ({source})" if source else ""
    drill = summary.next_drill
    if not summary.calls:
        parts: list[Table | str] = [f"No calls yet.{where}"]
        if drill:
            parts += ["", "Start with", f"  badnews play {drill.scenario} --persona {drill.persona}",
                      f"  {drill.reason}"]
        return draw(*parts)
    shown = summary.calls[:limit] if limit > 0 else summary.calls
    more = f", latest {len(shown)} shown" if len(shown) < len(summary.calls) else ""
    calls = _table(
        f"{len(summary.calls)} call(s), {summary.ended} ended{more}{where}",
        [("id", "right"), "date", "scenario", "persona", "mode", ("replies", "right"), "score", "outcome"],
        ([c.id, c.started_at.astimezone().strftime("%Y-%m-%d %H:%M"), c.scenario, c.persona, c.mode, c.replies_made,
          _verdict(c), _state(c)] for c in shown),
    )
    out: list[Table | str] = [calls]
    if summary.scenarios:
        out += ["", _table(
            "Per scenario (ended calls)",
            ["scenario", ("calls", "right"), ("passed", "right"), ("best", "right"), ("average", "right"),
             f"trend (last {TREND_CALLS})"],
            ([s.scenario, s.calls, s.passed, s.best, f"{s.average:.1f}", _scenario_trend(s)]
             for s in summary.scenarios),
        )]
    if summary.weak_spots:
        out += ["", _table(
            "Weak spots (points lost per call, on average)", ["behaviour", ("points", "right"), "how often"],
            ([behaviour_name(s.behaviour), f"{-s.points_lost:+.1f}", s.describe()] for s in summary.weak_spots),
        )]
    if drill:
        out += ["", "Next drill", f"  badnews play {drill.scenario} --persona {drill.persona}", f"  {drill.reason}"]
    return draw(*out)


def _scenario_trend(stats: ScenarioStats) -> str:
    """The trend chart and change; when the scenario was played more than one way, which way it compares."""
    shown = stats.trend + (f"  {stats.change:+d}" if len(stats.compared) > 1 else "")
    if stats.drills > 1 and stats.trend_drill is not None:
        shown += f"  ({stats.trend_drill.label()})"
    return shown


def cohort_text(cohort: Cohort) -> str:
    """`badnews cohort`: a table per trainee and a table per behaviour."""
    rows = trainee_rows(cohort)
    if not rows:
        return draw("No calls found in these exports.")
    trainees = _table(
        "Per trainee (ended calls)",
        ["trainee", "mode", ("calls", "right"), ("passed", "right"), ("average", "right"), ("best", "right"),
         ("latest", "right"), "most often wrong"],
        ([r.trainee, r.mode, r.calls, r.passed, "-" if r.average is None else f"{r.average:.1f}", _num(r.best),
          _num(r.latest),
          (f"{r.weakest} ({r.weakest_rate:.0%})" if r.weakest and r.weakest_rate is not None else "-")
          + (f" (+{r.unfinished} unfinished)" if r.unfinished else "")] for r in rows),
    )
    names = list(dict.fromkeys(r.trainee for r in rows))  # a trainee with train and exam rows is one column
    per_behaviour = []
    for row in behaviour_rows(cohort):
        shares = []
        for name in names:
            wrong, total = row.per_trainee.get(name, (0, 0))
            shares.append(f"{wrong / total:.0%}" if total else "-")
        per_behaviour.append([row.behaviour + ("" if row.good else " (bad)"), *shares, f"{row.overall:.0%}"])
    behaviours = _table(
        "Per behaviour: share of each trainee's calls that went wrong on it (good: not shown; bad: committed)",
        ["behaviour", *((name, "right") for name in names), ("all", "right")],
        per_behaviour,
    )
    return draw(trainees, "", behaviours)


def team_text(view: TeamView, *, limit: int = 0, source: str | None = None) -> str:
    """`badnews team`: per trainee, per scenario × persona × mode, then the calls (the latest `limit`; 0: all)."""
    where = f"  ({source})" if source else ""
    filters = view.filters.shown()
    said = f"\nFilters: {', '.join(filters)}" if filters else ""
    if not view.call_count:
        return draw(f"No calls{' match these filters' if filters else ' yet'}.{where}{said}")
    heading = f"{view.call_count} call(s) from {len(view.trainees)} trainee(s), {view.counted} counted{where}{said}"
    grouped = any(g for row in view.trainees for g in row.groups)
    trainees = _table(
        "Per trainee (counted: ended calls with a reply; trend: like with like)",
        ["trainee", *(["group"] if grouped else []), ("calls", "right"), ("counted", "right"), ("passed", "right"),
         ("best", "right"), ("latest", "right"), ("average", "right"), ("trend", "right"), WEAK],
        ([row.trainee, *([", ".join(g for g in row.groups if g) or "-"] if grouped else []),
          *_figure_cells(row.figures)] for row in view.trainees),
        wrapping=WEAK,
    )
    # Narrower than the trainees' (no latest score: of whichever rep played last), the weak spots below it.
    drills = _table(
        "Per scenario, persona and mode",
        ["scenario", "persona", "mode", ("reps", "right"), ("calls", "right"), ("counted", "right"),
         ("passed", "right"), ("best", "right"), ("average", "right"), ("trend", "right")],
        ([row.scenario, row.persona, row.mode, row.trainees, *_figure_cells(row.figures, latest=False, weak=False)]
         for row in view.scenarios),
    )
    drill_spots = _table(
        "Weak spots per scenario, persona and mode",
        ["scenario, persona, mode", WEAK],
        ([f"{row.scenario}, {row.persona}, {row.mode}", _weak_names(row.figures)]
         for row in view.scenarios if row.figures.weak),
        wrapping=WEAK,
    )
    shown = view.latest(limit) if limit > 0 else view.calls
    more = f", latest {len(shown)} shown" if len(shown) < view.call_count else ""
    calls = _table(
        f"Calls{more}",
        [("id", "right"), "date", "trainee", "scenario", "persona", "mode", ("replies", "right"), "score", "outcome"],
        ([c.id, c.started_at.astimezone().strftime("%Y-%m-%d %H:%M"), c.trainee, c.scenario, c.persona, c.mode,
          c.replies_made, _verdict(c), _state(c)] for c in shown),
    )
    return draw(heading, "", trainees, "", drills, "", drill_spots, "", calls)


def _figure_cells(figures: Figures, *, latest: bool = True, weak: bool = True) -> list[object]:
    """calls, counted, passed, best, latest, average, trend, weak spots."""
    return [
        figures.calls, figures.counted, figures.passed, _num(figures.best),
        *([_num(figures.latest)] if latest else []),
        "-" if figures.average is None else f"{figures.average:.1f}", figures.trend.label(),
        *([_weak_names(figures)] if weak else []),
    ]


def _weak_names(figures: Figures) -> str:
    return ", ".join(behaviour_name(b.behaviour) for b in figures.weak) or "-"


def _num(value: int | None) -> str:
    return "-" if value is None else str(value)


def eval_table(report: EvalReport, max_misses: int | None = None) -> str:
    """`badnews eval`: the figures per behaviour, then the misses (all unless `max_misses` is given)."""
    head = f"{report.items} items   micro-F1 {report.micro_f1:.3f}   macro-F1 {report.macro_f1:.3f}"
    scores = _table(
        "", ["behaviour", ("precision", "right"), ("recall", "right"), ("F1", "right"), ("support", "right")],
        ([s.behaviour, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", s.support]
         for s in report.scores if s.support or s.false_positives),
    )
    out: list[Table | str] = [head, "", scores]
    shown = report.misses if max_misses is None else report.misses[:max_misses]
    if shown:
        out += ["", f"misses ({len(report.misses)}):"]
        for miss in shown:
            where = f"line {miss.line}: " if miss.line else ""
            out.append(visible(f"- {where}{miss.text!r}"))
            if miss.missed:
                out.append(f"    missed: {', '.join(miss.missed)}")
            if miss.extra:
                out.append(f"    extra:  {', '.join(miss.extra)}")
    return draw(*out)
