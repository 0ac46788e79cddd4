"""One practice call: takes the seller's replies, returns the buyer's turns, keeps the transcript.

The `Call` is the headless core that the plain mode, `replay` and the Textual app all drive. It is
deterministic: the same scenario, persona, seed and replies always give the same transcript.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Literal

from simulator.catalogue import BY_ID
from simulator.content.arc import default_arc
from simulator.content.models import MOOD_BANDS, MoodBand, Outcome, Persona, Scenario, Stage, StageLines
from simulator.content.placeholders import fill, placeholder_values
from simulator.detect import Detection, Detector, ReplyContext, default_detector
from simulator.detect.facts import distinctive
from simulator.engine.machine import HUNG_UP, ReplyFacts, StageMachine
from simulator.engine.mood import Mood, MoodMove, band_at_least, effect_of

Speaker = Literal["buyer", "seller"]

# Replies that only acknowledge: what a seller may say while the buyer vents without interrupting.
VENT_SAFE = frozenset({"stays_silent", "acknowledges_impact", "apologizes"})
# A few words with no behaviour in them ("ok", "right") are listening noises, not an interruption.
LISTENING_NOISE_WORDS = 3
# Heat added by each reply that still has not told the buyer what is wrong.
IMPATIENCE_HEAT = 6
# Extra lines of venting an interruption earns ("let me finish!"), at most this many in a call.
MAX_EXTRA_VENT = 2
# How many of the buyer's latest lines are not said again while there is another to say.
RECENT_LINES_AVOIDED = 4
# The facts that say what went wrong: a reply that restates one is the news (detect/facts.py).
NEWS_FACTS = frozenset({"cause"})
# Either tells the buyer what went wrong: a plain statement, or a new date that replaces the promised one.
NEWS = frozenset({"states_the_news", "resets_expectations"})
# Outcome when the call ends by mood.
WON_BACK_TRUST, WON_BACK_BELOW = 60, 55
LOST_TRUST_BELOW, LOST_AT = 30, 80


@dataclass(frozen=True)
class Turn:
    """One line of the transcript."""

    index: int
    speaker: Speaker
    text: str
    stage: str
    mood: Mood
    detection: Detection | None = None
    move: MoodMove | None = None
    interrupted: bool = False
    during_vent: bool = False

    @property
    def behaviours(self) -> tuple[str, ...]:
        """The reply behaviours this seller turn showed (none for the buyer)."""
        return self.detection.behaviours if self.detection else ()

    @property
    def silent(self) -> bool:
        """Whether this seller turn was silence."""
        return self.detection is not None and self.detection.has("stays_silent")


class CallOver(RuntimeError):
    """A reply was sent after the call had ended."""


@dataclass
class Call:
    """A call between the trainee (seller) and a persona (buyer) in a scenario."""

    scenario: Scenario
    persona: Persona
    seed: int = 0
    choices: dict[str, str] = field(default_factory=dict)
    detector: Detector | None = None
    transcript: list[Turn] = field(default_factory=list, init=False)
    outcome: Outcome | None = field(default=None, init=False)
    ended_by: str | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        arc = default_arc()
        self._default_lines = arc.lines
        stages = self.scenario.stages if self.scenario.stages is not None else arc.stages
        first = self.scenario.start_stage if self.scenario.stages is not None else arc.start_stage
        self._machine = StageMachine(stages, first)
        self._detector = self.detector or default_detector()
        self._rng = random.Random(self.seed)
        self._values = placeholder_values(self.scenario)
        self._context = ReplyContext(
            extra_phrases={k: tuple(v) for k, v in scenario_phrases(self.scenario).items()},
            facts=tuple(self.scenario.facts.values()),
            news=tuple(v for k, v in self.scenario.facts.items() if k in NEWS_FACTS),
            examples={k: tuple(v) for k, v in self.scenario.counts_as.items()},
        )
        self.mood = Mood(self.persona.start.temperature, self.persona.start.trust)
        self._so_far: set[str] = set()
        self._turns_in_stage = 0
        self._vent_lines = 0
        self._extra_vent = 0
        self._replies_without_news = 0
        self._warned = False  # the buyer has already said "one more like that and I hang up"
        self._on_topic = False  # something about the problem has been said (news or not)
        self._scenario_words = _scenario_words(self.scenario)
        self._recent_lines: tuple[str, ...] = ()

    # --- reading the call --------------------------------------------------------------
    @property
    def stage(self) -> str:
        """The stage the call is in."""
        return self._machine.state

    @property
    def stage_info(self) -> Stage:
        """The definition of the current stage."""
        return self._machine.stage

    @property
    def over(self) -> bool:
        """Whether the call has ended (an ending stage, a hang-up, or the trainee stopped)."""
        return self.outcome is not None

    @property
    def buyer_is_venting(self) -> bool:
        """Whether the buyer is venting: the next reply is judged for let_them_vent."""
        return self.stage_info.venting

    @property
    def news_given(self) -> bool:
        """Whether the buyer has been told what went wrong."""
        return bool(NEWS & self._so_far)

    @property
    def seller_turns(self) -> list[Turn]:
        """The trainee's replies, in order."""
        return [t for t in self.transcript if t.speaker == "seller"]

    # --- playing the call --------------------------------------------------------------
    def open(self) -> Turn:
        """The buyer picks up: their first line."""
        if self.transcript:
            raise RuntimeError("the call is already open")
        return self._buyer_says(self._stage_line())

    def reply(self, text: str, *, interrupted: bool = False) -> Turn:
        """The seller says `text` ("" is silence); returns the buyer's answer.

        `interrupted` marks a reply sent while the buyer was still talking (the app knows, a script cannot).
        """
        if self.over:
            raise CallOver("the call has ended")
        if not self.transcript:
            self.open()
        detection = self._detector.detect(text, self._context)
        behaviours = frozenset(detection.behaviours)
        during_vent = self.stage_info.venting
        # Silence never talks over anyone, whatever the app saw.
        interrupting = during_vent and not detection.has("stays_silent") and (
            interrupted or not _only_listening(detection)
        )
        move = self._move_for(behaviours, interrupting)
        self.mood = self.mood.moved(move.temperature, move.trust)
        self._so_far |= behaviours
        self._turns_in_stage += 1
        unclear = False
        if not self.news_given:
            if self._off_topic(text, behaviours):
                self._replies_without_news += 1
            else:
                unclear = not (NEWS & behaviours)  # about the problem, but the buyer still has not heard it
        self.transcript.append(
            Turn(len(self.transcript), "seller", text, self.stage, self.mood, detection, move, interrupting, during_vent)
        )
        if interrupting and self._extra_vent < MAX_EXTRA_VENT:
            self._extra_vent += 1
        return self._answer(behaviours, detection, interrupting, unclear)

    def stop(self, reason: str = "trainee") -> None:
        """End the call now (the trainee hung up, or the script ran out); it is scored on what happened."""
        if not self.over:
            self.outcome = self._outcome_by_mood()
            self.ended_by = reason

    # --- the buyer's side --------------------------------------------------------------
    def _answer(self, behaviours: frozenset[str], detection: Detection, interrupting: bool, unclear: bool) -> Turn:
        boiling = self.mood.temperature >= self.persona.hang_up_at
        if self._replies_without_news > self.persona.patience or (boiling and self._warned):
            self._machine.hang_up_now()
            self.outcome, self.ended_by = "lost", "buyer hung up"
            return self._buyer_says(self._pick(self.persona.reactions.hang_up))
        # The first time they boil over they warn; a trainee who hears it can still save the call.
        warning = boiling and not self._warned
        self._warned = self._warned or boiling
        facts = ReplyFacts(
            behaviours=behaviours,
            so_far=frozenset(self._so_far),
            silent="stays_silent" in behaviours,
            vent_over=self._vent_over(),
            mood=self.mood,
            turns_in_stage=self._turns_in_stage,
        )
        changed = self._machine.advance(facts)
        if changed:
            self._turns_in_stage = 0
        ending = self.stage_info.ending
        if ending:
            self.outcome = self._outcome_by_mood() if ending == "by_mood" else ending
            self.ended_by = f"reached stage '{self.stage}'"
        if warning:
            reaction = self._pick(self.persona.reactions.last_warning)
        else:
            reaction = self._reaction(behaviours, interrupting, changed)
        # A reply about the problem that did not say what went wrong: the buyer asks, rather than moving on.
        line = self._pick(self.persona.reactions.clarify) if unclear and not ending else self._stage_line()
        text = " ".join(part for part in (reaction, line) if part)
        if self._processing(detection) and not text.startswith(("...", "\u2026")):
            text = "... " + text
        return self._buyer_says(text)

    def _buyer_says(self, text: str) -> Turn:
        if self.stage_info.venting:
            self._vent_lines += 1
        turn = Turn(len(self.transcript), "buyer", self._speak(fill(text, self._values)), self.stage, self.mood)
        self.transcript.append(turn)
        return turn

    def _stage_line(self) -> str:
        """The buyer's line for this stage and mood: the band's own lines first, and before saying
        one again, a fresh line of this stage written for `any` mood or the nearest band."""
        band = self.mood.band
        for source in (self.scenario.lines, self.persona.lines, self._default_lines):
            lines = source.get(self.stage) or {}
            candidates = lines.get(band) or lines.get("any") or _nearest_band(lines, band)
            if not candidates:
                continue
            if all(c in self._recent_lines for c in candidates):
                nearby = [*lines.get("any", []), *(_nearest_band(lines, band, exclude=band) or [])]
                candidates = [c for c in nearby if c not in self._recent_lines] or candidates
            return self._pick(candidates)
        return ""

    def _reaction(self, behaviours: frozenset[str], interrupting: bool, stage_changed: bool) -> str:
        reactions = self.persona.reactions
        if interrupting and reactions.interrupted and self.stage_info.venting:
            return self._pick(reactions.interrupted)
        # The worst thing said gets the answer: bad behaviours before good ones, heaviest penalty first.
        ordered = sorted(behaviours, key=lambda b: (BY_ID[b].good, -BY_ID[b].default_weight, b))
        for behaviour in ordered:
            if behaviour in reactions.by_behaviour and (not BY_ID[behaviour].good or not ordered_bad(ordered)):
                return self._pick(reactions.by_behaviour[behaviour])
            if not BY_ID[behaviour].good and reactions.bad:
                return self._pick(reactions.bad)
        if not stage_changed and behaviours - {"stays_silent"} and reactions.good and self.stage != HUNG_UP:
            return self._pick(reactions.good)
        return ""

    def _pick(self, candidates: list[str]) -> str:
        """A seeded choice that avoids the buyer's most recent lines when it can."""
        fresh = [c for c in candidates if c not in self._recent_lines] or list(candidates)
        line = fresh[self._rng.randrange(len(fresh))]
        self._recent_lines = (*self._recent_lines, line)[-RECENT_LINES_AVOIDED:]
        return line

    def _speak(self, text: str) -> str:
        """The persona's voice at this mood: fewer sentences when angry, capitals when furious."""
        speech = self.persona.speech
        band = self.mood.band
        sentences = list(dict.fromkeys(re.split(r"(?<=[.!?])\s+", text)))  # a reaction may repeat the line
        if band_at_least(band, speech.short_when):
            sentences = sentences[:2]
        text = " ".join(sentences)
        if band_at_least(band, speech.shout_when):
            sentences = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)
            sentences[0] = sentences[0].upper()
            text = " ".join(sentences)
        return text

    def _processing(self, detection: Detection) -> bool:
        """The seller apologised and then hushed: the buyer takes a moment before answering."""
        if not self.persona.speech.pause_when_processing or not detection.has("stays_silent"):
            return False
        replies = self.seller_turns
        return len(replies) >= 2 and bool({"apologizes", "asks_forgiveness"} & set(replies[-2].behaviours))

    # --- the rules ---------------------------------------------------------------------
    def _move_for(self, behaviours: frozenset[str], interrupting: bool) -> MoodMove:
        causes: list[tuple[str, int, int]] = []
        for behaviour in sorted(behaviours):
            if behaviour == "stays_silent":
                continue
            effect = effect_of(self.persona, behaviour)
            if effect.temperature or effect.trust:
                causes.append((behaviour, effect.temperature, effect.trust))
        if "stays_silent" in behaviours and not self.stage_info.venting:
            silence = self.persona.silence
            if silence.temperature or silence.trust:
                causes.append(("silence", silence.temperature, silence.trust))
        if interrupting:
            effect = self.persona.interrupting
            causes.append(("interrupting the vent", effect.temperature, effect.trust))
        if not (NEWS & (self._so_far | behaviours)) and self._off_topic_so_far(behaviours):
            causes.append(("still no news", IMPATIENCE_HEAT, 0))
        if self.persona.cooling:
            causes.append(("time to cool down", -self.persona.cooling, 0))
        return MoodMove(sum(c[1] for c in causes), sum(c[2] for c in causes), tuple(causes))

    def _off_topic(self, text: str, behaviours: frozenset[str]) -> bool:
        """Whether a reply before the news tries the buyer's patience: stalling, or nothing about the problem.

        A reply the detector could not classify but that is about the problem (it shows a good behaviour or
        uses the scenario's own words) does not; nor does silence once something about the problem was said.
        """
        if "stays_silent" in behaviours:
            return not self._on_topic
        if "stalls" in behaviours:
            return True
        if any(BY_ID[b].good for b in behaviours) or self._uses_scenario_words(text):
            self._on_topic = True
            return False
        return True

    def _off_topic_so_far(self, behaviours: frozenset[str]) -> bool:
        """Whether the buyer is still waiting with nothing about the problem said (impatience heats them up)."""
        return "stalls" in behaviours or not (self._on_topic or any(BY_ID[b].good for b in behaviours))

    def _uses_scenario_words(self, text: str) -> bool:
        return bool(distinctive(text) & self._scenario_words)

    def _vent_over(self) -> bool:
        return self._vent_lines >= max(1, self.persona.vent_turns + self._extra_vent)

    def _outcome_by_mood(self) -> Outcome:
        mood = self.mood
        if not self.news_given or mood.trust < LOST_TRUST_BELOW or mood.temperature >= LOST_AT:
            return "lost"
        if mood.trust >= WON_BACK_TRUST and mood.temperature < WON_BACK_BELOW:
            return "won_back"
        return "strained"


def _scenario_words(scenario: Scenario) -> frozenset[str]:
    """The distinctive words of a scenario's facts, options and title, to tell a reply about the problem."""
    texts = [scenario.title, *scenario.facts.values(), *(o.text for o in (*scenario.options, *scenario.compensation))]
    return frozenset(word for text in texts for word in distinctive(str(text)))


def _only_listening(detection: Detection) -> bool:
    """True when a reply during venting only listens or acknowledges."""
    behaviours = set(detection.behaviours)
    if behaviours:
        return behaviours <= VENT_SAFE
    return len(detection.text.split()) <= LISTENING_NOISE_WORDS


def ordered_bad(behaviours: list[str]) -> bool:
    """Whether any of these behaviours is a bad one."""
    return any(not BY_ID[b].good for b in behaviours)


def _nearest_band(lines: StageLines, band: MoodBand, exclude: MoodBand | None = None) -> list[str] | None:
    """Lines for the closest mood band the author wrote, cooler first, when the exact band has none."""
    index = MOOD_BANDS.index(band)
    written = (b for b in MOOD_BANDS if b in lines and b != exclude)
    order = sorted(written, key=lambda b: (abs(MOOD_BANDS.index(b) - index), MOOD_BANDS.index(b)))
    return lines[order[0]] if order else None


def scenario_phrases(scenario: Scenario) -> dict[str, list[str]]:
    """Detector phrases this scenario adds: its own, plus the words of its compensation offers."""
    phrases = {k: list(v) for k, v in scenario.phrases.items()}
    for offer in scenario.compensation:
        phrases.setdefault("compensates", []).extend(offer.phrases)
    return phrases
