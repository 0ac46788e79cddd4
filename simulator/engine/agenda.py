"""The buyer's agenda: what they still need to know, filled by what the rep says (Schatzmann's agenda user).

A slot (`news`, `when`, `why`, `options`, `cost`, `prevention`, `position`, `next_steps`, plus any a
scenario adds) is filled by a reply that shows one of its behaviours, names one of its scenario facts
or offers, or says one of its phrases, and stays filled. The buyer asks for the most pressing open
slot and never for a filled one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from simulator.content.arc import Arc
from simulator.content.models import LineWhen, Offer, Persona, Scenario, Slot, StageLines
from simulator.content.offers import says

# The priority of a slot that gives none: after every slot of the default agenda.
UNRANKED = 5
# Offer words that stand for every option or every compensation offer of the scenario.
ALL_OPTIONS, ALL_COMPENSATION = "options", "compensation"


@dataclass(frozen=True)
class SlotPlan:
    """One slot of this call's agenda: the default's, the scenario's and the persona's parts merged."""

    id: str
    priority: int
    when: LineWhen
    filled_by: frozenset[str]
    facts: tuple[str, ...]  # the fact values that fill it
    offers: tuple[Offer, ...]
    phrases: tuple[str, ...]
    ask: tuple[tuple[int, StageLines], ...]  # (source rank, lines): scenario 2, persona 1, default 0
    heard: tuple[tuple[int, StageLines], ...]
    asked_by: tuple[str, ...]

    def filled_by_reply(self, text: str, behaviours: frozenset[str], offered: frozenset[str]) -> bool:
        """Whether this reply (with the ids of the offers it names) fills the slot."""
        return bool(
            self.filled_by & behaviours
            or offered.intersection(offer.id for offer in self.offers)
            or any(says(text, fact) for fact in self.facts)
            or any(says(text, phrase) for phrase in self.phrases)
        )


@dataclass
class Agenda:
    """The slots of one call, and which are filled."""

    slots: tuple[SlotPlan, ...]
    known: list[str] = field(default_factory=list)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every slot id, most pressing first."""
        return tuple(slot.id for slot in self.slots)

    @property
    def open(self) -> tuple[SlotPlan, ...]:
        """The open slots, most pressing first."""
        return tuple(slot for slot in self.slots if slot.id not in self.known)

    def fill(self, text: str, behaviours: frozenset[str], offered: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """Fill every open slot this reply answers (`offered`: the ids of the options and offers it names);
        returns the ids newly filled, most pressing first."""
        filled = tuple(slot.id for slot in self.open if slot.filled_by_reply(text, behaviours, offered))
        self.known.extend(filled)
        return filled

    def slot(self, slot_id: str) -> SlotPlan | None:
        """The slot with this id."""
        return next((slot for slot in self.slots if slot.id == slot_id), None)


def build_agenda(arc: Arc, scenario: Scenario, persona: Persona) -> Agenda:
    """The agenda of a call: the arc's slots, extended and added to by the scenario, weighted by the persona."""
    default = {slot.id: slot for slot in arc.agenda}
    added = {slot.id: slot for slot in scenario.agenda}
    order = [*default, *(slot_id for slot_id in added if slot_id not in default)]
    plans = []
    for slot_id in order:
        parts = [part for part in (default.get(slot_id), added.get(slot_id)) if part is not None]
        priority = next((p.priority for p in reversed(parts) if p.priority is not None), UNRANKED)
        priority = persona.priorities.get(slot_id, priority)
        plans.append(_plan(slot_id, priority, parts, scenario, persona))
    plans.sort(key=lambda plan: -plan.priority)  # stable: ties keep the written order
    return Agenda(tuple(plans))


def _plan(slot_id: str, priority: int, parts: list[Slot], scenario: Scenario, persona: Persona) -> SlotPlan:
    facts = tuple(scenario.facts[key] for part in parts for key in part.facts if key in scenario.facts)
    offers = tuple(_offers(scenario, (name for part in parts for name in part.offers)))
    default, own = parts[0], parts[-1]
    ask = [(2, own.ask)] if own is not default and own.ask else []
    if slot_id in persona.asks:
        ask.append((1, persona.asks[slot_id]))
    ask.append((0, default.ask))
    heard = [(2, own.heard)] if own is not default and own.heard else []
    heard.append((0, default.heard))
    return SlotPlan(
        id=slot_id,
        priority=priority,
        when=parts[-1].when if parts[-1].when.specificity else parts[0].when,
        filled_by=frozenset(b for part in parts for b in part.filled_by),
        facts=facts,
        offers=offers,
        phrases=tuple(p for part in parts for p in part.phrases),
        ask=tuple((rank, lines) for rank, lines in ask if lines),
        heard=tuple((rank, lines) for rank, lines in heard if lines),
        asked_by=tuple(p for part in parts for p in part.asked_by),
    )


def _offers(scenario: Scenario, names: Iterable[str]) -> Iterable[Offer]:
    by_id: Mapping[str, Offer] = {offer.id: offer for offer in (*scenario.options, *scenario.compensation)}
    seen: set[str] = set()
    for name in names:
        group = (
            scenario.options if name == ALL_OPTIONS
            else scenario.compensation if name == ALL_COMPENSATION
            else [by_id[name]] if name in by_id else []
        )
        for offer in group:
            if offer.id not in seen:
                seen.add(offer.id)
                yield offer
