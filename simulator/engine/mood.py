"""The buyer's mood: how hot they are and how much they trust the seller, both 0-100."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.content.models import MOOD_BANDS, MoodBand, MoodEffect, Persona

# Upper bounds of each band of temperature; a trainer reads "angry" more easily than "71".
BAND_CEILINGS: tuple[tuple[int, MoodBand], ...] = ((30, "calm"), (55, "tense"), (80, "angry"))


def band_of(temperature: int) -> MoodBand:
    """The named band a temperature falls in."""
    for ceiling, band in BAND_CEILINGS:
        if temperature < ceiling:
            return band
    return "furious"


def band_at_least(band: MoodBand, floor: MoodBand | None) -> bool:
    """Whether `band` is as hot as `floor` or hotter (False when there is no floor)."""
    return floor is not None and MOOD_BANDS.index(band) >= MOOD_BANDS.index(floor)


def _clamp(value: int) -> int:
    return max(0, min(100, value))


@dataclass(frozen=True)
class Mood:
    """A snapshot of the buyer's feelings."""

    temperature: int
    trust: int

    @property
    def band(self) -> MoodBand:
        """The temperature as a word: calm, tense, angry or furious."""
        return band_of(self.temperature)

    def moved(self, temperature: int, trust: int) -> Mood:
        """This mood after a change, kept within 0-100."""
        return Mood(_clamp(self.temperature + temperature), _clamp(self.trust + trust))


@dataclass(frozen=True)
class MoodMove:
    """What one reply did to the mood, and why."""

    temperature: int
    trust: int
    causes: tuple[tuple[str, int, int], ...]  # (cause, temperature, trust) in the order applied


# What a behaviour does to a buyer when the persona does not say otherwise.
DEFAULT_EFFECTS: dict[str, MoodEffect] = {
    "states_the_news": MoodEffect(temperature=10, trust=8),
    "gives_specifics": MoodEffect(temperature=-2, trust=4),
    "explains_cause": MoodEffect(temperature=-1, trust=2),
    "owns_it": MoodEffect(temperature=-4, trust=6),
    "acknowledges_impact": MoodEffect(temperature=-6, trust=4),
    "asks_about_impact": MoodEffect(temperature=-3, trust=4),
    "apologizes": MoodEffect(temperature=-6, trust=5),
    "asks_forgiveness": MoodEffect(temperature=-4, trust=6),
    "offers_options": MoodEffect(temperature=-8, trust=8),
    "corrective_action": MoodEffect(temperature=-5, trust=6),
    "prevents_recurrence": MoodEffect(temperature=-3, trust=6),
    "resets_expectations": MoodEffect(temperature=-3, trust=5),
    "compensates": MoodEffect(temperature=-5, trust=4),
    "thanks_patience": MoodEffect(temperature=-2, trust=2),
    "keeps_informed": MoodEffect(temperature=-2, trust=4),
    "checks_understanding": MoodEffect(temperature=-1, trust=2),
    "helps_position_news": MoodEffect(temperature=-3, trust=4),
    "stays_silent": MoodEffect(),
    "blames_others": MoodEffect(temperature=12, trust=-10),
    "airs_dirty_laundry": MoodEffect(temperature=5, trust=-8),
    "minimizes": MoodEffect(temperature=12, trust=-8),
    "dismisses_feelings": MoodEffect(temperature=15, trust=-10),
    "overpromises": MoodEffect(temperature=0, trust=-8),
    "stalls": MoodEffect(temperature=6, trust=-4),
    "goes_over_their_head": MoodEffect(temperature=15, trust=-12),
}


def effect_of(persona: Persona, behaviour: str) -> MoodEffect:
    """How this persona reacts to a behaviour."""
    return persona.effects.get(behaviour) or DEFAULT_EFFECTS.get(behaviour, MoodEffect())
