"""The detector's results: what it found in a reply, and the trainee's words that carried it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from simulator.catalogue import REPLY_IDS

_ORDER = {behaviour: index for index, behaviour in enumerate(REPLY_IDS)}


# Which part of the detector decided: a phrase bank, a rule (silence, specifics, sentence shapes), the
# scenario's own phrases or facts, a trainer's example line, or the learned model.
LAYERS = ("phrase", "rule", "scenario", "example", "model")


@dataclass(frozen=True)
class Evidence:
    """One behaviour found in one clause, with what found it: a phrase or rule, or the model and what it resembles.

    `strength` is the match strength of a phrase or rule, or the model's probability when the model
    decided; `confidence` is the model's probability for the behaviour whatever decided (None when
    no model ran); `similar` holds the labelled lines the reply is most like, with their similarity.
    """

    behaviour: str
    clause: str
    phrase: str
    strength: float
    threshold: float
    start: int
    end: int
    layer: str = "phrase"
    confidence: float | None = None
    similar: tuple[tuple[str, float], ...] = ()

    def to_json(self) -> dict:
        """A plain dict for `badnews detect --json` and the records."""
        return {
            "behaviour": self.behaviour,
            "clause": self.clause,
            "phrase": self.phrase,
            "strength": round(self.strength, 3),
            "threshold": round(self.threshold, 3),
            "start": self.start,
            "end": self.end,
            "layer": self.layer,
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "similar": [{"text": text, "similarity": similarity} for text, similarity in self.similar],
        }


@dataclass(frozen=True)
class Detection:
    """Every behaviour found in one reply, each with its evidence."""

    text: str
    evidence: tuple[Evidence, ...]
    phrases_not_tried: int = 0  # scenario phrases left when the reply's matching budget was spent
    # A phrase bank's or a rule's finds that the learned model overruled: not shown, never scored. The call may still
    # let the buyer hear them ("Our supplier missed a component." gives her a reason, whatever it is worth).
    overruled: tuple[Evidence, ...] = field(default=(), compare=False)

    @property
    def behaviours(self) -> tuple[str, ...]:
        """The ids found, each once, in catalogue order."""
        found = {e.behaviour for e in self.evidence}
        return tuple(sorted(found, key=lambda b: _ORDER.get(b, len(_ORDER))))

    def has(self, behaviour: str) -> bool:
        """Whether the reply shows this behaviour."""
        return any(e.behaviour == behaviour for e in self.evidence)

    def evidence_for(self, behaviour: str) -> Evidence | None:
        """The strongest evidence for a behaviour, or None.

        Of two as strong, the one that quotes more of the reply ("will not arrive on 3 March" rather
        than the "I have bad news" before it), then the earliest.
        """
        best: Evidence | None = None
        for e in self.evidence:
            if e.behaviour == behaviour and (
                best is None or (e.strength, len(e.clause)) > (best.strength, len(best.clause))
            ):
                best = e
        return best

    def to_json(self) -> dict:
        """A plain dict: the text, the ids found, and every piece of evidence."""
        return {
            "text": self.text,
            "behaviours": list(self.behaviours),
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class ReplyContext:
    """What a scenario adds to detection: its own phrases per behaviour, and its facts."""

    extra_phrases: Mapping[str, Sequence[str]] = field(default_factory=dict)
    facts: Sequence[str] = ()
    news: Sequence[str] = ()  # facts that say what went wrong (a scenario's `cause`): restating one is the news
    # A trainer's own labelled lines, per behaviour ("this counts as states_the_news here"): a reply like one counts.
    examples: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # The scenario's own "try:" lines per good behaviour (what its debrief tells the trainee to say): a reply that
    # nearly repeats one shows it. Held to a closer likeness than a trainer's examples, since one scenario's tips share
    # its names and dates (`learned.judge.TIP_SIMILARITY`).
    tips: Mapping[str, Sequence[str]] = field(default_factory=dict)
