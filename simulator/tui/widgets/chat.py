"""The call as a chat: the buyer's and the trainee's lines, coaching notes, and notices, newest at the bottom."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from simulator.text import visible

SILENCE = "(silence)"
CUT_OFF = " \u2014 (you cut in)"


def said(text: str) -> Content:
    """What someone said, as plain text that is never read as markup or as terminal escapes."""
    shown = visible(text).strip()
    return Content(shown) if shown else Content.styled(SILENCE, "italic")


class Bubble(Static):
    """One line of the call; its class (buyer, seller, coach, notice) sets its look."""


class ChatLog(VerticalScroll, can_focus=False):
    """The scrolling transcript of the call."""

    DEFAULT_CSS = """
    ChatLog { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    ChatLog > Bubble { width: 1fr; height: auto; padding: 0 1; }
    ChatLog > Bubble.buyer { margin: 1 8 0 0; background: $panel; }
    ChatLog > Bubble.seller { margin: 1 0 0 8; background: $primary-muted; }
    ChatLog > Bubble.coach { margin: 0 0 0 8; color: $foreground-muted; padding: 0 1; }
    ChatLog > Bubble.notice { margin: 1 0 0 0; text-align: center; color: $warning; text-style: bold; }
    """

    def on_mount(self) -> None:
        # Stay scrolled to the newest line as lines are added and laid out, until the trainee scrolls up:
        # a one-off scroll_end can run before a long line has its final height and stop short of it.
        self.anchor()

    def _add(self, content: Content, kind: str) -> Bubble:
        bubble = Bubble(content, classes=kind)
        self.mount(bubble)
        self.scroll_end(animate=False, immediate=False)
        return bubble

    def add_buyer(self, name: str, text: str, *, cut_off: bool = False) -> Bubble:
        """The buyer's line, marked when the trainee talked over it."""
        content = Content.assemble((visible(name), "bold"), ": ", said(text))
        if cut_off:
            content = Content.assemble(content, (CUT_OFF, "italic"))
        return self._add(content, "buyer")

    def add_seller(self, text: str) -> Bubble:
        """The trainee's reply, exactly as typed (made harmless), or (silence)."""
        return self._add(Content.assemble(("You", "bold"), ": ", said(text)), "seller")

    def add_coaching(self, content: Content) -> Bubble:
        """A coaching note under a reply (train mode)."""
        return self._add(content, "coach")

    def add_notice(self, text: str) -> Bubble:
        """Something that happened to the call itself: the buyer hung up, the call ended."""
        return self._add(Content(text), "notice")
