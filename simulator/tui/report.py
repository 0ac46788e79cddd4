"""Saving the debrief as a Markdown file the trainee keeps: where it may go, its name, and writing it safely.

What the file says is `render.report`'s, the same text `badnews report` prints for the same call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


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


def report_filename(scenario_id: str, now: datetime) -> str:
    """A file name that sorts by date and says which call it was."""
    return f"badnews-{scenario_id}-{now:%Y%m%d-%H%M%S}.md"


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
