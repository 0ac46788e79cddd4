"""The briefing: the situation, the facts and options in hand, the buyer, and the choices made before dialling."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, RadioButton, RadioSet, Static

from simulator.content.models import ChoiceOption, Persona, Scenario
from simulator.content.placeholders import fill, placeholder_values
from simulator.content.quiz import shown_options
from simulator.status import Mode
from simulator.text import visible
from simulator.tui.messages import CallRequested, HomeRequested
from simulator.tui.plan import MODE_HELP, Plan

BULLET = "\u2022 "
PROMPT_SHOWN = 90  # characters of an open question named in the notice
READ_ON = (
    "Read the brief, then answer the questions at the end: Tab to the first, \u2191\u2193 to an answer, Enter to "
    "choose it (the next question follows). Then press s to dial."
)


class AnswerButton(RadioButton):
    """A before-call answer whose text wraps onto as many lines as it needs (a RadioButton keeps to one)."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.render().wrap(width)))


def _plain(text: str) -> Content:
    """Scenario text as literal content: a trainer's '[' is a bracket, not markup."""
    return Content(visible(text))


def _bullets(items: Iterable[str]) -> Content:
    return Content("\n").join([Content.assemble(BULLET, _plain(item)) for item in items])


class BriefingScreen(Screen):
    """What the seller knows before the call, and the before-call choices (catalogue section 3)."""

    BINDINGS = [
        Binding("s", "start", "Start the call"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, scenario: Scenario, persona: Persona, plan: Plan, choices: dict[str, str] | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.persona = persona
        self.plan = plan
        self.dialling = False
        self.choices: dict[str, str] = {k: v for k, v in (choices or {}).items() if k in scenario.choices}

    def compose(self) -> ComposeResult:
        scenario = self.scenario
        values = placeholder_values(scenario)
        buyer = scenario.buyer
        yield Header()
        with VerticalScroll(id="briefing"):
            yield Static(_plain(scenario.title), classes="title")
            buyer_kind = visible(self.persona.name)
            yield Static(
                Content(f"{scenario.difficulty} \u00b7 buyer: {buyer_kind} \u00b7 {MODE_HELP[self.plan.mode]}"),
                classes="subtitle",
            )
            if scenario.choices:
                yield Static(READ_ON, classes="hint")
            yield Static("The situation", classes="heading")
            yield Static(_plain(fill(scenario.brief, values)))
            if scenario.facts:
                yield Static("Facts in hand", classes="heading")
                yield Static(_bullets(f"{key.replace('_', ' ')}: {value}" for key, value in scenario.facts.items()))
            if scenario.options:
                yield Static("Approved options", classes="heading")
                yield Static(_bullets(fill(o.text, values) for o in scenario.options))
            if scenario.compensation:
                yield Static("You may also offer", classes="heading")
                yield Static(_bullets(fill(o.text, values) for o in scenario.compensation))
            if scenario.prevention:
                yield Static("So it cannot happen again", classes="heading")
                yield Static(_plain(fill(scenario.prevention, values)))
            seller = scenario.seller
            yield Static("You", classes="heading")
            yield Static(Content.assemble(
                (visible(f"{seller.name}, {seller.role} at {seller.company}"), "bold"),
                "\n",
                _plain(f"{buyer.first_name} knows you by this name; introduce yourself by another and "
                       f"{buyer.first_name} will use that one."),
            ))
            yield Static("The buyer", classes="heading")
            yield Static(
                Content.assemble(
                    (visible(f"{buyer.name}, {buyer.role} at {buyer.company}"), "bold"),
                    "\n",
                    _plain(f"{self.persona.name}: {self.persona.description}"),
                )
            )
            if scenario.choices:
                yield Static("Before the call", classes="heading")
            for choice_id, choice in scenario.choices.items():
                yield Static(_plain(fill(choice.prompt, values)), id=f"prompt-{choice_id}", classes="prompt")
                with RadioSet(id=f"choice-{choice_id}", classes="choice"):
                    for option in self.options_of(choice_id):
                        yield AnswerButton(
                            _plain(fill(option.text, values)), value=self.choices.get(choice_id) == option.id
                        )
                feedback = Static("", id=f"feedback-{choice_id}", classes="feedback")
                feedback.display = False
                yield feedback
            yield Button("Start the call \u25b8", id="start", variant="success")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = visible(self.scenario.title)
        for choice_id in self.choices:
            self._show_feedback(choice_id)

    @on(RadioSet.Changed, ".choice")
    def _chosen(self, event: RadioSet.Changed) -> None:
        choice_id = (event.radio_set.id or "").removeprefix("choice-")
        self.choices[choice_id] = self.options_of(choice_id)[event.index].id
        self._show_feedback(choice_id)
        self._advance()

    def options_of(self, choice_id: str) -> list[ChoiceOption]:
        """A question's options in the order shown (shuffled once per scenario, the same every time)."""
        return shown_options(self.scenario.id or "", choice_id, self.scenario.choices[choice_id])

    def _advance(self) -> None:
        """Keyboard flow: after an answer, on to the next open question, then to the start button."""
        missing = [c for c in self.scenario.choices if c not in self.choices]
        target = self.query_one(f"#choice-{missing[0]}", RadioSet) if missing else self.query_one("#start", Button)
        target.focus()

    def _show_feedback(self, choice_id: str) -> None:
        """In train mode, say at once whether a before-call choice was right, and why."""
        if self.plan.mode is not Mode.TRAIN:
            return
        option = next(o for o in self.scenario.choices[choice_id].options if o.id == self.choices[choice_id])
        verdict = ("\u2713 Right. ", "$success bold") if option.correct else ("\u2717 Think again. ", "$error bold")
        feedback = self.query_one(f"#feedback-{choice_id}", Static)
        feedback.update(Content.assemble(verdict, _plain(option.feedback)))
        feedback.display = True

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Dial, once every before-call question has an answer."""
        missing = [c for c in self.scenario.choices if c not in self.choices]
        if missing:
            self._ask_for(missing)
            return
        if self.dialling:
            return
        self.dialling = True
        self.query_one("#start", Button).label = "Dialling\u2026"
        self.post_message(CallRequested(self.plan, self.choices))

    def _ask_for(self, missing: list[str]) -> None:
        """Say which before-call question is still open, with it on screen and its answers in focus."""
        first = missing[0]
        prompt = visible(fill(self.scenario.choices[first].prompt, placeholder_values(self.scenario)))
        if len(prompt) > PROMPT_SHOWN:
            prompt = prompt[: PROMPT_SHOWN - 1].rstrip() + "\u2026"
        more = f" ({len(missing) - 1} more after it)" if len(missing) > 1 else ""
        self.notify(f"Answer this before you dial: \u201c{prompt}\u201d{more}", title="Before the call",
                    severity="warning", markup=False)
        self.query_one(f"#prompt-{first}", Static).scroll_visible(top=True, animate=False)
        self.query_one(f"#choice-{first}", RadioSet).focus(scroll_visible=False)

    def action_back(self) -> None:
        """Back to the scenario list."""
        self.post_message(HomeRequested())

    def commands(self) -> Iterable[SystemCommand]:
        """What the command palette offers on this screen."""
        yield SystemCommand("Start the call", "Dial the buyer", self.action_start)
        yield SystemCommand("Back to the scenarios", "Pick another call", self.action_back)
