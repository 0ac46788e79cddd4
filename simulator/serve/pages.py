"""The HTML pages `badnews serve` writes itself: the room is full, the trainer's sign-in, and the trainer's board.

Every value put in a page goes through `escaped`: names and groups are typed by reps, and scenario titles come
from files a trainer may have been sent. The templates (in `templates/`) hold only `$name` placeholders.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from string import Template

from simulator.records.board import Board, LiveCall, RepScores, WeakBehaviour
from simulator.text import visible

TEMPLATES = Path(__file__).with_name("templates")


def escaped(value: object) -> str:
    """Any text, safe inside HTML: control characters shown as escapes (`text.visible`), markup as typed."""
    return html.escape(visible(str(value)), quote=True)


@cache
def template(name: str) -> Template:
    """A page template of `templates/`, read once."""
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def page(title: str, body: str) -> str:
    """A whole page around `body` (HTML already escaped where it needs to be)."""
    return template("page.html").substitute(title=escaped(title), body=body)


def room_full(sessions: int) -> str:
    """What a rep sees when every session of the class is taken."""
    return page("The room is full", template("room_full.html").substitute(sessions=escaped(sessions)))


def trainer_sign_in(problem: str = "") -> str:
    """The form that asks for the trainer's code; `problem` says why the last try failed."""
    said = f'<p class="problem" role="alert">{escaped(problem)}</p>' if problem else ""
    return page("Trainer's board", template("trainer_sign_in.html").substitute(problem=said))


def trainer_board(board: str) -> str:
    """The trainer's board page around a board fragment (`board_fragment`), and the script that refreshes it."""
    return page("Trainer's board", template("trainer.html").substitute(board=board))


def board_fragment(board: Board | None, *, sessions: int, max_sessions: int, problem: str = "") -> str:
    """The board itself: who is in a call, the class's scores, its weak behaviours, and when it was read."""
    if board is None:
        return f'<p class="problem">The calls could not be read: {escaped(problem)}</p>'
    parts = [_in_call(board), _reps(board.reps), _weak(board.weak)]
    shown = [f"Read at {escaped(board.at.astimezone().strftime('%H:%M:%S'))}",
             f"group {escaped(board.group)}" if board.group else "every group",
             f"{sessions} of {max_sessions} browser sessions open",
             f"{board.counted} ended call{'' if board.counted == 1 else 's'} scored"]
    parts.append(f'<p class="meta">{" · ".join(shown)}</p>')
    parts.extend(f'<p class="problem">{escaped(line)}</p>' for line in board.problems)
    return "\n".join(parts)


def _in_call(board: Board) -> str:
    title = f"<h2>In a call now: {len(board.in_call)}</h2>"
    if not board.in_call:
        return title + '\n<p class="empty">Nobody is in a call right now.</p>'
    head = ("<tr><th>Rep</th><th>Scenario</th><th>Buyer</th><th>Mode</th><th class=\"number\">Replies</th>"
            "<th>Last saved</th><th class=\"number\">Last score</th></tr>")
    rows = "\n".join(_live_row(call, board.at) for call in board.in_call)
    return f"{title}\n<table>\n<thead>{head}</thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _live_row(call: LiveCall, now: datetime) -> str:
    cells = (escaped(call.trainee), escaped(call.scenario_title), escaped(call.persona_name), escaped(call.mode))
    return ("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells)
            + f'<td class="number">{call.replies}</td><td>{_ago(call.quiet_for(now))}</td>'
            + f'<td class="number">{_score(call.last_score)}</td></tr>')


def _reps(reps: tuple[RepScores, ...]) -> str:
    title = "<h2>The class</h2>"
    if not reps:
        return title + '\n<p class="empty">No calls yet.</p>'
    head = ("<tr><th>Rep</th><th class=\"number\">Calls scored</th><th class=\"number\">Latest</th>"
            "<th class=\"number\">Best</th><th class=\"number\">Average</th></tr>")
    rows = "\n".join(
        f'<tr><td>{escaped(rep.trainee)}</td><td class="number">{rep.counted}</td>'
        f'<td class="number">{_score(rep.latest)}</td><td class="number">{_score(rep.best)}</td>'
        f'<td class="number">{"-" if rep.average is None else f"{rep.average:.1f}"}</td></tr>'
        for rep in reps
    )
    return f"{title}\n<table>\n<thead>{head}</thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _weak(weak: tuple[WeakBehaviour, ...]) -> str:
    title = "<h2>What the class finds hardest</h2>"
    if not weak:
        return title + '\n<p class="empty">Nothing stands out yet: it shows once calls have ended and been scored.</p>'
    items = "\n".join(
        f"<li><strong>{escaped(item.summary)}</strong> {escaped(item.stats.describe())};"
        f" {item.stats.points_lost:.1f} points a call</li>"
        for item in weak
    )
    return f"{title}\n<ol>\n{items}\n</ol>"


def _score(score: int | None) -> str:
    return "-" if score is None else str(score)


def _ago(quiet: timedelta) -> str:
    minutes = int(quiet.total_seconds()) // 60
    return "just now" if minutes < 1 else f"{minutes} min ago"
