"""Test doubles: a detector that returns what a table says, so engine tests don't depend on matching."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from simulator.detect import Detection, Evidence, ReplyContext


class TableDetector:
    """Each reply is looked up in a table of `text -> behaviour ids`; silence is an empty reply."""

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self.table = dict(table)

    def detect(self, text: str, context: ReplyContext | None = None) -> Detection:
        """The table's behaviours for `text`, each with the whole reply as evidence."""
        if not text.strip():
            ids: Sequence[str] = ("stays_silent",)
        else:
            ids = self.table.get(text, ())
        evidence = tuple(Evidence(b, text, "table", 1.0, 0.5, 0, len(text)) for b in ids)
        return Detection(text, evidence)
