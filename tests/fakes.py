"""Test doubles: a detector that returns what a table says, so engine tests don't depend on matching."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from simulator.detect import Detection, Evidence, ReplyContext


class TableDetector:
    """Each reply is looked up in a table of `text -> behaviour ids`; silence is an empty reply.

    The reply is cut into equal parts, one per behaviour in the table's order, so a test can say
    "an apology, then more talk" by listing the behaviours in that order.
    """

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self.table = dict(table)

    def detect(self, text: str, context: ReplyContext | None = None) -> Detection:
        """The table's behaviours for `text`, each with the whole reply as evidence."""
        if not text.strip():
            ids: Sequence[str] = ("stays_silent",)
        else:
            ids = self.table.get(text, ())
        size = max(1, len(text) // max(1, len(ids)))
        spans = [(i * size, len(text) if i == len(ids) - 1 else (i + 1) * size) for i in range(len(ids))]
        evidence = tuple(Evidence(b, text[s:e], "table", 1.0, 0.5, s, e) for b, (s, e) in zip(ids, spans, strict=False))
        return Detection(text, evidence)
