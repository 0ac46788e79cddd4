"""Help: how a call is scored, the keys, and every rubric line with the doctrine behind it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from simulator.catalogue import BEHAVIOURS, Behaviour, Section, behaviour_name

SCORING = (
    "Each reply is matched against the rubric below; the engine also judges the order of your replies and "
    "what the buyer did, and the briefing scores your before-call choices.\n"
    "Score = 100 \u00d7 (points earned \u2212 penalties) \u00f7 points available, from 0 to 100. "
    "A bad behaviour costs its weight each time, up to 3 times. The same replies always get the same score, "
    "and the debrief shows the words that earned or lost every point."
)

KEYS = (
    (
        "Everywhere",
        "F1 help \u00b7 Ctrl+P command palette (themes too) \u00b7 Ctrl+Q quit \u00b7 Tab moves between fields",
    ),
    ("Home", "\u2191\u2193 pick a scenario \u00b7 Enter or b: the briefing \u00b7 h your history"),
    ("Briefing", "\u2191\u2193 and Enter answer a question \u00b7 s start the call \u00b7 Esc back"),
    ("Call", "Enter sends \u00b7 empty Enter or Ctrl+S stays silent \u00b7 F2 the facts at hand \u00b7 Esc hangs up"),
    ("Debrief", "\u2191\u2193 PgUp PgDn scroll \u00b7 r retry \u00b7 n another scenario \u00b7 s save the report"),
    (
        "History",
        ("\u2191\u2193 pick a call \u00b7 Enter review it \u00b7 r resume an unfinished one \u00b7 d the next drill "
         "\u00b7 Tab your figures \u00b7 Esc home"),
    ),
)

GROUPS: tuple[tuple[str, Section, bool | None], ...] = (
    ("Replies that earn points", Section.REPLY, True),
    ("Replies that cost points", Section.REPLY, False),
    ("The conversation as a whole", Section.CONVERSATION, None),
    ("Before the call", Section.BEFORE_CALL, None),
)


def behaviour_help(behaviour: Behaviour) -> Content:
    """One rubric line: its name and weight, what it means, the principle and an example."""
    sign = "+" if behaviour.good else "\u2212"
    return Content.assemble(
        (behaviour_name(behaviour.id), "bold"),
        (f"  {sign}{behaviour.default_weight:g}", "$success" if behaviour.good else "$error"),
        f"  {behaviour.summary}\n",
        ("  why: ", "dim"),
        (behaviour.principle, "italic"),
        "\n",
        ("  e.g. ", "$accent"),
        (behaviour.better, "$accent"),
    )


class HelpScreen(Screen):
    """The rubric and the doctrine, reachable from every screen with F1."""

    AUTO_FOCUS = "#help"
    BINDINGS = [Binding("escape,f1", "app.pop_screen", "Close help")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help"):
            yield Static("How a call is scored", classes="heading")
            yield Static(SCORING)
            yield Static("Keys", classes="heading")
            for where, keys in KEYS:
                yield Static(Content.assemble((f"{where}: ", "bold"), keys))
            for title, section, good in GROUPS:
                yield Static(title, classes="heading")
                for behaviour in BEHAVIOURS:
                    if behaviour.section is section and (good is None or behaviour.good is good):
                        yield Static(behaviour_help(behaviour), classes="rubric-line")
            yield Static(
                "Sources: five coaching articles on delivering bad news to a customer (seeds 000-004).",
                classes="dim",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Help: the rubric and the doctrine behind it"
