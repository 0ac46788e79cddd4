"""Validated models of scenario and persona files: what a trainer may write, checked at load time."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulator.catalogue import BEFORE_CALL_IDS, BY_ID, REPLY_IDS

Difficulty = Literal["easy", "medium", "hard"]
Outcome = Literal["won_back", "strained", "lost"]
MoodBand = Literal["calm", "tense", "angry", "furious"]
MOOD_BANDS: tuple[MoodBand, ...] = ("calm", "tense", "angry", "furious")

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Identifier = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Percent = Annotated[int, Field(ge=0, le=100)]

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def _known_behaviour(value: str, allowed: tuple[str, ...], what: str) -> str:
    from simulator.content.validation import did_you_mean

    if value not in allowed:
        raise ValueError(f"'{value}' is not a {what} id{did_you_mean(value, allowed)}")
    return value


def reply_behaviour(value: str) -> str:
    """A reply-behaviour id of the catalogue (section 1)."""
    return _known_behaviour(value, REPLY_IDS, "reply behaviour")


class Strict(BaseModel):
    """Base of every file model: unknown keys are errors, so a typo never goes unnoticed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Person(Strict):
    """Someone on the call."""

    name: Text
    role: Text
    company: Text

    @property
    def first_name(self) -> str:
        """What a colleague would call them on the phone."""
        return self.name.split()[0]


class Offer(Strict):
    """An approved option or a compensation the seller may put on the table."""

    id: Identifier
    text: Text
    phrases: list[Text] = Field(default_factory=list, description="Words that show this offer was made.")
    name: str = Field(default="", max_length=200, description="A short name the buyer can say ('the air freight').")
    traits: list[Literal["fastest", "cheapest", "surest"]] = Field(
        default_factory=list, description="What makes it attractive, for a buyer who `prefers` one of these."
    )
    picked: list[Text] = Field(default_factory=list, description="What the buyer says on choosing it.")

    @property
    def spoken_name(self) -> str:
        """What the buyer calls it."""
        return self.name or "the " + self.id.replace("-", " ").replace("_", " ")


class ChoiceOption(Strict):
    """One answer to a before-call question."""

    id: Identifier
    text: Text
    correct: bool
    feedback: str = ""


class BeforeCallChoice(Strict):
    """A decision the seller makes in the briefing (catalogue section 3)."""

    prompt: Text
    options: list[ChoiceOption] = Field(min_length=2)

    @model_validator(mode="after")
    def _one_right_answer(self) -> BeforeCallChoice:
        if not any(option.correct for option in self.options):
            raise ValueError("at least one option must be marked correct: true")
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("option ids must be unique")
        return self


class Condition(Strict):
    """When a transition fires: every key given must hold (an empty condition always holds)."""

    any: list[str] = Field(default_factory=list, description="This reply shows at least one of these.")
    all: list[str] = Field(default_factory=list, description="This reply shows every one of these.")
    none: list[str] = Field(default_factory=list, description="This reply shows none of these.")
    so_far: list[str] = Field(default_factory=list, description="Each was shown at some point in the call.")
    silent: bool | None = None
    vent_over: bool | None = None
    goodbye: bool | None = Field(default=None, description="This reply ends with a goodbye ('talk Monday, bye').")
    question: bool | None = Field(default=None, description="This reply ends by asking something ('Who should I send "
                                  "them to?'): false keeps a call open that the rep is not closing.")
    temperature_at_least: Percent | None = None
    temperature_below: Percent | None = None
    trust_at_least: Percent | None = None
    trust_below: Percent | None = None
    turns_in_stage_at_least: Annotated[int, Field(ge=1, le=100)] | None = None

    @field_validator("any", "all", "none", "so_far")
    @classmethod
    def _behaviours(cls, values: list[str]) -> list[str]:
        return [reply_behaviour(v) for v in values]


class Transition(Strict):
    """A move to another stage, taken on the first reply that meets its condition."""

    to: Identifier
    when: Condition = Field(default_factory=Condition)


class Stage(Strict):
    """A step of the call; `ending` makes it the last one."""

    description: str = ""
    venting: bool = Field(default=False, description="The buyer is venting here: replies are judged for let_them_vent.")
    ending: Outcome | Literal["by_mood"] | None = None
    transitions: list[Transition] = Field(default_factory=list)


class LineWhen(Strict):
    """When a buyer line may be said: every key given must hold (an empty condition always holds).

    The more keys a line's condition gives, the more specific it is: of the lines that may be said,
    the most specific wins, and the call's seed only breaks ties.
    """

    open: list[Identifier] = Field(default_factory=list, description="These agenda slots are still open.")
    filled: list[Identifier] = Field(default_factory=list, description="These agenda slots have been filled.")
    offered: list[Identifier] = Field(default_factory=list, description="These options or offers have been made.")
    offered_at_least: Annotated[int, Field(ge=1, le=20)] | None = Field(
        default=None, description="At least this many of the scenario's options have been named."
    )
    chosen: list[Identifier] = Field(default_factory=list, description="The buyer has taken one of these options.")
    rep: list[str] = Field(default_factory=list, description="The reply just said shows one of these behaviours.")
    rep_said: list[Text] = Field(
        default_factory=list, description="The reply just said contains one of these words (case and hyphens ignored)."
    )
    said: list[Text] = Field(
        default_factory=list,
        description="Some reply of the call so far (this one too) contains one of these words: a line that repeats a "
                    "figure or a date only the rep can give is said once the rep has given it. Like `not_said`, it "
                    "narrows a line without making it more specific.",
    )
    not_said: list[Text] = Field(
        default_factory=list,
        description="No reply of the call so far (this one too), nor what the buyer has just said in this turn, "
                    "contains any of these words: a follow-up question the rep has already answered is not asked. It "
                    "narrows a line without making it more specific.",
    )
    temperature_at_least: Percent | None = None
    temperature_below: Percent | None = None
    trust_at_least: Percent | None = None
    trust_below: Percent | None = None

    @field_validator("rep")
    @classmethod
    def _behaviours(cls, values: list[str]) -> list[str]:
        return [reply_behaviour(v) for v in values]

    @property
    def specificity(self) -> int:
        """How many things this condition asks for."""
        sizes = (self.open, self.filled, self.offered, self.chosen, self.rep, self.rep_said)
        bounds = (self.offered_at_least, self.temperature_at_least, self.temperature_below, self.trust_at_least,
                  self.trust_below)
        return sum(1 for size in sizes if size) + sum(1 for bound in bounds if bound is not None)


class Line(Strict):
    """A buyer line with a condition, and the agenda slots it asks about. A plain string is a Line with neither."""

    text: Text
    when: LineWhen = Field(default_factory=LineWhen)
    asks: list[Identifier] | None = Field(
        default=None,
        description="The agenda slots this line asks about; leave out to let the engine read it from the words.",
    )


LineItem = Text | Line
StageLines = dict[Literal["calm", "tense", "angry", "furious", "any"], list[LineItem]]


class Slot(Strict):
    """One thing the buyer needs to know (an agenda slot), what fills it, and how the buyer asks for it."""

    id: Identifier
    priority: Annotated[int, Field(ge=0, le=1000)] | None = Field(
        default=None, description="Higher is asked first; a slot of the default agenda keeps its own when left out."
    )
    filled_by: list[str] = Field(default_factory=list, description="Reply behaviours that fill this slot.")
    when: LineWhen = Field(
        default_factory=LineWhen, description="The buyer needs this only when this holds (say, an option was offered)."
    )
    facts: list[Identifier] = Field(
        default_factory=list, description="Scenario facts: a reply that names one fills this slot."
    )
    offers: list[Identifier] = Field(
        default_factory=list,
        description="Option or compensation ids that fill this slot when offered; `options` or `compensation` for any.",
    )
    phrases: list[Text] = Field(default_factory=list, description="Words in a reply that fill this slot.")
    ask: StageLines = Field(default_factory=dict, description="What the buyer says to ask for it, per mood band.")
    heard: StageLines = Field(
        default_factory=dict, description="What the buyer says just after it is filled (may refer back to the reply)."
    )
    asked_by: list[Text] = Field(
        default_factory=list,
        description="Words that show a plain buyer line (one written without `asks:`) asks for this slot.",
    )

    @field_validator("filled_by")
    @classmethod
    def _behaviours(cls, values: list[str]) -> list[str]:
        return [reply_behaviour(v) for v in values]


class Answer(Strict):
    """The buyer's answer to a question the rep may ask, found by its words."""

    about: list[Text] = Field(min_length=1, description="Words of the rep's question this answers.")
    text: Text


class Scoring(Strict):
    """How a call is marked: the pass mark and the weights that differ from the catalogue's."""

    pass_mark: Percent = 70
    weights: dict[str, Annotated[float, Field(ge=0, le=50)]] = Field(default_factory=dict)
    solution_before_apology: bool = Field(
        default=True, description="Seeds 001 and 003 disagree on when to apologise; false drops this rubric line."
    )
    options_target: Annotated[int, Field(ge=1, le=10)] = 3

    @field_validator("weights")
    @classmethod
    def _known_ids(cls, weights: dict[str, float]) -> dict[str, float]:
        from simulator.content.validation import did_you_mean

        for key in weights:
            if key not in BY_ID:
                raise ValueError(f"'{key}' is not a behaviour id{did_you_mean(key, BY_ID)}")
        return weights

    def weight(self, behaviour: str) -> float:
        """The weight in force for a behaviour: the scenario's, else the catalogue's default."""
        if behaviour == "solution_before_apology" and not self.solution_before_apology:
            return 0.0
        return self.weights.get(behaviour, BY_ID[behaviour].default_weight)


class Expectation(Strict):
    """What an example call must come to; every key given is checked."""

    outcome: Outcome | None = None
    score: Annotated[list[Percent], Field(min_length=2, max_length=2)] | None = Field(
        default=None, description="[lowest, highest] score accepted, inclusive."
    )
    passed: bool | None = None
    hit: list[str] = Field(default_factory=list, description="Rubric lines that must be hit.")
    missed: list[str] = Field(default_factory=list, description="Rubric lines that must not be hit.")

    @field_validator("hit", "missed")
    @classmethod
    def _known_ids(cls, values: list[str]) -> list[str]:
        for value in values:
            _known_behaviour(value, tuple(BY_ID), "behaviour")
        return values


class Example(Strict):
    """A scripted call a scenario carries as a test: the replies and what they must score."""

    name: Text
    persona: Identifier = "calm"
    seed: int = 0
    choices: dict[str, str] = Field(default_factory=dict)
    replies: list[str] = Field(min_length=1, description='One reply per item; "" or "..." is silence.')
    expect: Expectation = Field(default_factory=Expectation)


class TrainerExamples(Strict):
    """A trainer's labelled example replies for every scenario (`counts_as.yaml` in their config folder)."""

    counts_as: dict[str, list[Text]] = Field(default_factory=dict)

    @field_validator("counts_as")
    @classmethod
    def _ids(cls, examples: dict[str, list[str]]) -> dict[str, list[str]]:
        for key in examples:
            reply_behaviour(key)
        return examples


class Scenario(Strict):
    """A bad-news call to practise: the situation, the buyer, the facts, and how the buyer talks."""

    id: Identifier | None = Field(default=None, description="Optional; must equal the file name without .yaml.")
    title: Text
    difficulty: Difficulty
    default_persona: Identifier = "calm"
    brief: Text
    seller: Person
    buyer: Person
    facts: dict[Identifier, Text] = Field(default_factory=dict)
    options: list[Offer] = Field(default_factory=list)
    compensation: list[Offer] = Field(default_factory=list)
    prevention: str = ""
    choices: dict[str, BeforeCallChoice] = Field(default_factory=dict)
    phrases: dict[str, list[Text]] = Field(
        default_factory=dict, description="Extra detector phrases per reply behaviour, for this scenario's words."
    )
    counts_as: dict[str, list[Text]] = Field(
        default_factory=dict,
        description="Labelled example replies per reply behaviour: a reply like one of them shows that behaviour here.",
    )
    stages: dict[Identifier, Stage] | None = Field(
        default=None, description="The call's own stage machine; leave out to use the engine's default arc."
    )
    start_stage: Identifier = "opening"
    lines: dict[Identifier, StageLines] = Field(default_factory=dict)
    agenda: list[Slot] = Field(
        default_factory=list,
        description="Agenda slots this scenario adds, or additions (facts, offers, lines) to the default ones.",
    )
    impact: list[Text] = Field(
        default_factory=list, description="What the problem costs the buyer: how they answer a question about impact."
    )
    answers: list[Answer] = Field(default_factory=list, description="The buyer's answers to other questions.")
    tips: dict[str, Text] = Field(
        default_factory=dict, description="A better phrasing per behaviour, in this scenario's own words."
    )
    scoring: Scoring = Field(default_factory=Scoring)
    examples: list[Example] = Field(default_factory=list, description="Example calls run by `badnews test`.")

    @field_validator("choices")
    @classmethod
    def _choice_ids(cls, choices: dict[str, BeforeCallChoice]) -> dict[str, BeforeCallChoice]:
        for key in choices:
            _known_behaviour(key, BEFORE_CALL_IDS, "before-call choice")
        return choices

    @field_validator("tips")
    @classmethod
    def _tip_ids(cls, tips: dict[str, str]) -> dict[str, str]:
        from simulator.content.validation import did_you_mean

        for key in tips:
            if key not in BY_ID:
                raise ValueError(f"'{key}' is not a behaviour id{did_you_mean(key, BY_ID)}")
        return tips

    @field_validator("phrases", "counts_as")
    @classmethod
    def _phrase_ids(cls, phrases: dict[str, list[str]]) -> dict[str, list[str]]:
        for key in phrases:
            reply_behaviour(key)
        return phrases

    @model_validator(mode="after")
    def _offer_ids_unique(self) -> Scenario:
        ids = [offer.id for offer in (*self.options, *self.compensation)]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"option and compensation ids must be unique: {', '.join(duplicates)}")
        return self


class MoodStart(Strict):
    """Where the buyer's mood starts, 0-100."""

    temperature: Percent
    trust: Percent


class MoodEffect(Strict):
    """How one behaviour moves the buyer: points of temperature (heat) and trust."""

    temperature: Annotated[int, Field(ge=-100, le=100)] = 0
    trust: Annotated[int, Field(ge=-100, le=100)] = 0


class Speech(Strict):
    """How the buyer's words change with mood."""

    shout_when: MoodBand | None = Field(default="furious", description="From this band up, key words come in capitals.")
    short_when: MoodBand | None = Field(default="angry", description="From this band up, only the first sentences.")
    pause_when_processing: bool = Field(
        default=True, description="Pauses ('...') when the seller has apologised and hushed."
    )


def spoken(*texts: str) -> Callable[[], list[LineItem]]:
    """A default list of buyer lines."""
    return lambda: list[LineItem](texts)


class Reactions(Strict):
    """What the buyer says on top of the stage line when a reply is good or bad, and how they answer."""

    good: list[LineItem] = Field(default_factory=list)
    bad: list[LineItem] = Field(default_factory=list)
    by_behaviour: dict[str, list[LineItem]] = Field(default_factory=dict)
    interrupted: list[LineItem] = Field(default_factory=list)
    defended: list[LineItem] = Field(
        default_factory=spoken("I'm not finished. I don't need the explanation right now."),
        description="Said when the seller explains or defends while the buyer vents.",
    )
    dodged: list[LineItem] = Field(
        default_factory=spoken("That's not what I asked.", "You haven't answered my question."),
        description="Said when a reply leaves the buyer's question unanswered; she then asks it again.",
    )
    repeated: list[LineItem] = Field(
        default_factory=spoken("You said that already.", "Yes, I heard that the first time."),
        description="Said when the seller repeats an earlier reply that added nothing new.",
    )
    unsure: list[LineItem] = Field(
        default_factory=spoken("I don't know. You tell me.", "I can't answer that. You're the one who knows."),
        description="The answer to a question the buyer has no answer for.",
    )
    greeting: list[LineItem] = Field(
        default_factory=spoken("Fine, thanks. What's up?", "Sure. What is it?"),
        description="The answer to a courtesy question before the news ('How are you?', 'Have you got a minute?').",
    )
    either: list[LineItem] = Field(
        default_factory=spoken("Either works. You choose.", "Whichever you can do properly."),
        description="The answer to two things put to the buyer that are not the scenario's options ('Would you want a "
                    "call too, or is the written notice enough?').",
    )
    understood: list[LineItem] = Field(
        default_factory=spoken("Yes, that's clear.", "I follow. Go on."),
        description="The answer to 'does that make sense?' when the buyer has nothing open.",
    )
    own_side: list[LineItem] = Field(
        default_factory=spoken("Leave that with me.", "That's on my side. I'll handle it."),
        description="The answer to a question about the buyer's own people, dates or numbers she has no line for "
                    "('When do you next report to your director?').",
    )
    confirms: list[LineItem] = Field(
        default_factory=spoken("Yes, that's what I mean.", "Yes. That."),
        description="The answer to a rep checking what the buyer meant ('you mean the first part of the order?').",
    )
    announced: list[LineItem] = Field(
        default_factory=spoken("Okay. What's happened?", "What is it?"),
        description="The answer to news announced but not yet told ('I'm afraid I have some bad news.').",
    )
    covered: list[LineItem] = Field(
        default_factory=spoken("No, that covers it.", "That's everything for now."),
        description="The answer to 'anything else you need?' when the buyer has nothing left open.",
    )
    impact: list[LineItem] = Field(
        default_factory=spoken("It hurts us. That's all you need to know right now."),
        description="The answer to a question about impact when the scenario gives none left to say.",
    )
    agree: list[LineItem] = Field(
        default_factory=spoken("Yes, please do.", "Yes. Do that.", "That works."),
        description="The answer to a question that proposes something ('shall I call you Friday?').",
    )
    off_topic: list[LineItem] = Field(
        default_factory=spoken("Can we stay on this, please?", "Let's stick to the problem."),
        description="Said when a reply after the news has nothing to do with the problem.",
    )
    choose: list[LineItem] = Field(
        default_factory=spoken("Let's go with {option}.", "{option}, then. Set it up."),
        description="What the buyer says on taking an option that has no `picked:` lines; {option} is its name.",
    )
    chosen_already: list[LineItem] = Field(
        default_factory=spoken("I've said: {option}.", "{option}, as I said."),
        description="Said when asked again which option they want; {option} is the one they took.",
    )
    forgives: list[LineItem] = Field(
        default_factory=spoken("...Yes. Thank you for saying it.", "Okay. Apology accepted."),
        description="The answer to 'will you forgive me?' when the call has gone well enough.",
    )
    not_yet: list[LineItem] = Field(
        default_factory=spoken("Not yet. Show me first.", "Let's see if you deliver this time."),
        description="The answer to 'will you forgive me?' when trust is low or the buyer is still hot.",
    )
    clarify: list[LineItem] = Field(
        default_factory=spoken("Hang on. What are you telling me: is there a problem or not?"),
        description="Said when a reply is about the problem but the buyer still has not heard what went wrong.",
    )
    hang_up: list[LineItem] = Field(default_factory=spoken("I'm done with this call. Goodbye."))
    last_warning: list[LineItem] = Field(
        default_factory=spoken("One more like that and I'm hanging up."),
        description="Said the first time the buyer's temperature reaches hang_up_at; the second time, they hang up.",
    )

    @field_validator("by_behaviour")
    @classmethod
    def _ids(cls, values: dict[str, list[LineItem]]) -> dict[str, list[LineItem]]:
        for key in values:
            reply_behaviour(key)
        return values


class Persona(Strict):
    """How a buyer feels and talks; any scenario plays with any persona."""

    id: Identifier | None = Field(default=None, description="Optional; must equal the file name without .yaml.")
    name: Text
    description: Text
    start: MoodStart
    patience: Annotated[int, Field(ge=1, le=20)] = Field(
        default=3, description="Replies without the news they will sit through."
    )
    vent_turns: Annotated[int, Field(ge=0, le=10)] = Field(
        default=2, description="Buyer lines of venting when the news lands."
    )
    hang_up_at: Percent = Field(default=100, description="Temperature at which the buyer hangs up.")
    cooling: Annotated[int, Field(ge=0, le=20)] = Field(
        default=2, description="Temperature lost each turn as they calm down."
    )
    silence: MoodEffect = Field(default_factory=MoodEffect, description="Effect of a silent reply outside venting.")
    interrupting: MoodEffect = Field(
        default_factory=lambda: MoodEffect(temperature=8, trust=-4),
        description="Effect of talking over the buyer while they vent.",
    )
    dodged: MoodEffect = Field(
        default_factory=lambda: MoodEffect(temperature=3, trust=-4),
        description="Effect of a reply that leaves the buyer's question unanswered: she asked for something, and the "
                    "rep said something else (not silence, not a question back, not 'let me check').",
    )
    effects: dict[str, MoodEffect] = Field(default_factory=dict)
    speech: Speech = Field(default_factory=Speech)
    reactions: Reactions = Field(default_factory=Reactions)
    lines: dict[Identifier, StageLines] = Field(
        default_factory=dict, description="Persona-flavoured stage lines, used when the scenario has none."
    )
    priorities: dict[Identifier, Annotated[int, Field(ge=0, le=1000)]] = Field(
        default_factory=dict, description="Agenda slots this buyer presses harder or softer than the default."
    )
    asks: dict[Identifier, StageLines] = Field(
        default_factory=dict, description="How this buyer asks for an agenda slot, in their own voice."
    )
    prefers: Literal["fastest", "cheapest", "surest"] | None = Field(
        default=None, description="Which kind of option this buyer picks when offered several."
    )

    @field_validator("effects")
    @classmethod
    def _effect_ids(cls, effects: dict[str, MoodEffect]) -> dict[str, MoodEffect]:
        for key in effects:
            reply_behaviour(key)
        return effects
