"""The reply box: a one-line input where a pasted text of several lines becomes one reply, and nothing is cut unsaid."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


def one_line(text: str) -> str:
    """A pasted text as one reply: several lines are joined by spaces (blank ones dropped), one line kept as it is."""
    lines = text.splitlines()
    if len(lines) <= 1:
        return text
    return " ".join(line.strip() for line in lines if line.strip())


class ReplyInput(Input):
    """An Input whose paste keeps every line (Textual's keeps the first) and says what a full box left out."""

    def _on_paste(self, event: events.Paste) -> None:
        """Insert the pasted lines as one; what does not fit the box's `max_length` is named in a notice."""
        event.prevent_default()  # Input's own paste would keep the first line only, or refuse a long one silently
        event.stop()
        text = one_line(event.text)
        if not text:
            return
        start, end = sorted(self.selection)
        if self.max_length:
            room = max(0, self.max_length - (len(self.value) - (end - start)))
            if len(text) > room:
                self.notify(
                    f"The pasted text did not fit: a reply holds {self.max_length:,} characters, so its last "
                    f"{len(text) - room:,} characters were left out.",
                    title="Reply too long",
                    severity="warning",
                    markup=False,
                )
                text = text[:room]
        self.replace(text, start, end)
