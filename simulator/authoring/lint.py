"""Authoring warnings: what loads without error but will not play the way the trainer meant.

Like ink's and Yarn Spinner's checks for unreachable knots, these read the whole file at once:

- stages that can never be reached, stages with no way to an ending, endings with transitions;
- transitions that can never fire: their condition contradicts itself, or an earlier transition
  of the same stage holds whenever they do;
- stage lines that leave a mood band uncovered: the engine then says the line of the nearest
  band the author wrote, which reads fine one band away ("tense" for "angry") but not two
  (a calm line to a furious buyer). A band counts when some loaded persona can speak in it;
- scenario phrases that the detector also reads as a behaviour of the other polarity, and (an error)
  phrases with more gaps than the phrase language allows;
- examples that name a persona, choice or option that does not exist, or can never pass;
- the buyer's agenda: a slot the buyer has no line to ask for, no `impact:` to answer "how does this
  affect you?", and lines or slots that name a slot or option the scenario does not have.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.authoring.sources import Source, load_persona_source, load_scenario_source
from simulator.authoring.stagegraph import call_stages, live_edges, reachable, stage_findings
from simulator.catalogue import BEFORE_CALL_IDS
from simulator.content.errors import ContentError, Problem
from simulator.content.models import MOOD_BANDS, MoodBand, Persona, Scenario
from simulator.content.validation import did_you_mean
from simulator.engine.machine import HUNG_UP
from simulator.engine.mood import band_of

if TYPE_CHECKING:
    from simulator.detect import Detector

# A buyer one band away from the lines written ("tense" lines for an "angry" buyer) still sounds
# right; further away (a calm line to a furious buyer) it does not.
MAX_BAND_GAP = 1


@dataclass
class LintContext:
    """What warnings are judged against: the personas that may play a scenario, and the detector."""

    personas: Mapping[str, Persona] = field(default_factory=dict)
    detector: Detector | None = None  # None: phrase checks are skipped


def default_context(scenario_dirs: Sequence[Path] = (), persona_dirs: Sequence[Path] = ()) -> LintContext:
    """The loaded personas (bundled, the trainer's own, and any extra folders) and the phrase-bank detector.

    Phrase clashes are a question about the phrase language (does this phrase also match a bank of the
    other polarity?), so they are judged by the banks and rules alone: the learned model, asked about a
    three-word fragment out of any reply, would flag guesses rather than clashes.
    """
    from simulator.content.loader import load_library
    from simulator.detect import phrase_detector

    library = load_library(scenario_dirs, persona_dirs)
    return LintContext(dict(library.personas), phrase_detector())


def check_file(path: Path, kind: str, context: LintContext) -> list[Problem]:
    """Every error of a scenario or persona file, or, when it loads, every warning."""
    try:
        if kind == "persona":
            return lint_persona(load_persona_source(path))
        return lint_scenario(load_scenario_source(path), context)
    except ContentError as error:
        return list(error.problems)


# --- scenarios -----------------------------------------------------------------------------
def lint_scenario(source: Source[Scenario], context: LintContext) -> list[Problem]:
    """The authoring warnings of a scenario that loaded without errors."""
    scenario = source.item
    problems: list[Problem] = []
    start, stages, own = call_stages(scenario)
    if own:
        problems += [source.key_problem(f.loc, f.message) for f in stage_findings(start, stages)]
        problems += _silent_stages(source, start, stages, context)
    problems += _band_gaps(source, context)
    problems += _gap_problems(source)
    if context.detector is not None:
        from simulator.authoring.polarity import phrase_clashes

        problems += phrase_clashes(source, context.detector)
    problems += _example_problems(source, context)
    problems += _agenda_problems(source, context)
    problems += _persona_problems(source, context)
    problems += _offers_in_facts(source)
    return sorted(problems)


# A fact most of whose words the offer's own text uses is the offer's own ("beta_cap: 150 events a second").
OWN_FACT_SHARE = 0.6


def _offers_in_facts(source: Source[Scenario]) -> list[Problem]:
    """Offer phrases heard in a fact, as written or in the plural, when the fact is not the offer's own: "DC-140S" is
    "DC-140s" once case is dropped, and "DC-140S enclosure" is heard in "DC-140 enclosures", so a rep talking about
    the ordered DC-140s was offering the thinner-wall version."""
    from simulator.content.offers import plain, says

    scenario = source.item
    problems = []
    for kind, offers in (("options", scenario.options), ("compensation", scenario.compensation)):
        for index, offer in enumerate(offers):
            own = set(plain(offer.text).split())
            for key, value in scenario.facts.items():
                fact = str(value)
                words = set(plain(fact).split())
                if len(words & own) >= OWN_FACT_SHARE * len(words) or says(offer.text, fact):
                    continue  # the fact is what this offer gives ("substitute: MCU-221", "phase_in_price: $19.23")
                # The fact in the plural, and each of its product codes ("DC-140 enclosure": "DC-140s").
                plurals = [f"{fact}s", *(f"{word}s" for word in fact.split() if any(c.isdigit() for c in word))]
                for number, phrase in enumerate(offer.phrases):
                    # The fact as written too: "DC-140S enclosure" is heard in "the 4,000 DC-140 enclosures".
                    heard = next((p for p in (fact, *plurals) if says(p, phrase)), None)
                    if heard is not None:
                        said = "as written" if heard == fact else "said in the plural"
                        problems.append(source.problem(
                            (kind, index, "phrases", number),
                            f"phrase '{phrase}' of {kind} '{offer.id}' is heard in fact '{key}' {said} "
                            f"('{heard}'): a rep talking about it would be offering {offer.id}; make the phrase longer",
                        ))
    return problems


def _gap_problems(source: Source[Scenario]) -> list[Problem]:
    """Phrases with more gaps than MAX_PHRASE_GAPS: an error, at the phrase, naming the first gap too many."""
    from simulator.authoring.polarity import phrase_places
    from simulator.detect.patterns import MAX_PHRASE_GAPS, gap_columns

    problems = []
    for loc, behaviour, phrase in phrase_places(source.item):
        columns = gap_columns(phrase)
        if len(columns) > MAX_PHRASE_GAPS:
            problems.append(source.problem(
                loc,
                f"phrase for {behaviour} has {len(columns)} gaps; a phrase may have at most {MAX_PHRASE_GAPS} "
                f"(the gap at character {columns[MAX_PHRASE_GAPS]} of the phrase is one too many): "
                "split it into shorter phrases",
                "error",
            ))
    return problems


def _persona_problems(source: Source[Scenario], context: LintContext) -> list[Problem]:
    """A `default_persona` that no loaded persona file defines: the call could not be played."""
    wanted = source.item.default_persona
    if not context.personas or wanted in context.personas:
        return []
    from simulator.content.validation import did_you_mean

    hint = did_you_mean(wanted, context.personas) or f" (known: {', '.join(sorted(context.personas))})"
    return [source.problem(("default_persona",), f"default_persona '{wanted}' is not a loaded persona{hint}", "error")]


def _agenda_problems(source: Source[Scenario], context: LintContext) -> list[Problem]:
    """Slots with no way to be asked for, no answer to an impact question, names of slots or options that do not exist."""
    from simulator.content.arc import default_arc

    scenario = source.item
    arc = default_arc()
    slots = {slot.id for slot in arc.agenda} | {slot.id for slot in scenario.agenda}
    offers = {offer.id for offer in (*scenario.options, *scenario.compensation)} | {"options", "compensation"}
    default_asked = {slot.id for slot in arc.agenda if slot.ask}
    problems: list[Problem] = []
    if not scenario.impact:
        problems.append(source.key_problem(
            ("title",),
            "no `impact:` lines: a rep who asks how this affects the buyer gets the persona's generic answer; "
            "add what the problem costs them",
        ))
    for index, slot in enumerate(scenario.agenda):
        at = ("agenda", index)
        asked_by_persona = [pid for pid, persona in context.personas.items() if slot.id in persona.asks]
        if not slot.ask and slot.id not in default_asked and not asked_by_persona:
            problems.append(source.problem(
                (*at, "id"), f"slot '{slot.id}' has no `ask:` lines: the buyer can never ask for it",
            ))
        if slot.id not in default_asked and not (slot.filled_by or slot.facts or slot.offers or slot.phrases):
            problems.append(source.problem(
                (*at, "id"),
                f"slot '{slot.id}' has no `filled_by`, `facts`, `offers` or `phrases`: nothing the rep says fills it",
            ))
        for key in slot.facts:
            if key not in scenario.facts:
                problems.append(source.problem(
                    (*at, "facts"), f"slot '{slot.id}' names fact '{key}', which this scenario does not have"
                    f"{did_you_mean(key, scenario.facts)}",
                ))
        for name in slot.offers:
            if name not in offers:
                problems.append(source.problem(
                    (*at, "offers"), f"slot '{slot.id}' names offer '{name}', which is not an option or compensation"
                    f"{did_you_mean(name, offers)}",
                ))
    for loc, slot_names, offer_names in _line_references(source):
        for name in slot_names:
            if name not in slots:
                problems.append(source.problem(loc, f"no agenda slot '{name}'{did_you_mean(name, slots)}"))
        for name in offer_names:
            if name not in offers:
                problems.append(source.problem(loc, f"no option or offer '{name}'{did_you_mean(name, offers)}"))
    return problems


def _line_references(source: Source[Scenario]) -> Iterator[tuple[tuple[str | int, ...], list[str], list[str]]]:
    """(where, slot ids, offer ids) named by each conditioned line of the scenario."""
    from simulator.content.models import Line, LineItem

    scenario = source.item
    groups: list[tuple[tuple[str | int, ...], list[LineItem]]] = [
        (("lines", stage, band), lines) for stage, by_band in scenario.lines.items() for band, lines in by_band.items()
    ]
    for index, slot in enumerate(scenario.agenda):
        groups += [(("agenda", index, key, band), lines) for key in ("ask", "heard")
                   for band, lines in getattr(slot, key).items()]
    for where, lines in groups:
        for position, item in enumerate(lines):
            if isinstance(item, Line):
                slots = [*item.when.open, *item.when.filled, *(item.asks or [])]
                yield (*where, position), slots, list(item.when.offered)
    for index, slot in enumerate(scenario.agenda):
        yield ("agenda", index, "when"), [*slot.when.open, *slot.when.filled], list(slot.when.offered)


def _silent_stages(source: Source[Scenario], start: str, stages: Mapping, context: LintContext) -> list[Problem]:
    """Reachable stages that no line source covers: the buyer would say nothing there."""
    from simulator.content.arc import default_arc

    default_lines = default_arc().lines
    reached = reachable(start, live_edges(stages)) if start in stages else set()
    problems = []
    for name in stages:
        if name == HUNG_UP or name not in reached or source.item.lines.get(name) or default_lines.get(name):
            continue
        without = sorted(pid for pid, persona in context.personas.items() if not persona.lines.get(name))
        if without or not context.personas:
            who = "" if len(without) == len(context.personas) else f" (personas {', '.join(without)} have none)"
            problems.append(source.key_problem(
                ("stages", name),
                f"stage '{name}' has no buyer lines in `lines:`, the default arc or the personas{who}: "
                "the buyer says nothing there",
            ))
    return problems


def spoken_bands(persona: Persona) -> tuple[MoodBand, ...]:
    """The mood bands this buyer can speak a stage line in: from calm up to just below hanging up."""
    hottest = max(persona.hang_up_at - 1, persona.start.temperature, 0)
    return MOOD_BANDS[: MOOD_BANDS.index(band_of(hottest)) + 1]


def band_gaps(lines: Collection[str], bands: tuple[MoodBand, ...]) -> list[tuple[MoodBand, MoodBand]]:
    """(band, nearest written band) for each band whose lines would come from too far away.

    `lines` is a stage's lines by band (or just the bands written): only which bands are there matters.
    """
    if "any" in lines or not lines:
        return []
    written = [MOOD_BANDS.index(b) for b in MOOD_BANDS if b in lines]
    gaps = []
    for band in bands:
        index = MOOD_BANDS.index(band)
        nearest = min(written, key=lambda w: (abs(w - index), w))
        if abs(nearest - index) > MAX_BAND_GAP:
            gaps.append((band, MOOD_BANDS[nearest]))
    return gaps


def _gap_words(gaps: list[tuple[MoodBand, MoodBand]]) -> tuple[str, str]:
    """'angry, furious' and 'an angry buyer would say a calm line, a furious buyer ...'."""
    bands = ", ".join(band for band, _ in gaps)
    said = ", ".join(f"{_article(band)} {band} buyer would say {_article(near)} {near} line" for band, near in gaps)
    return bands, said


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _band_gaps(source: Source[Scenario], context: LintContext) -> list[Problem]:
    reach: dict[MoodBand, list[str]] = {}
    for pid, persona in sorted(context.personas.items()):
        for band in spoken_bands(persona):
            reach.setdefault(band, []).append(pid)
    bands = tuple(b for b in MOOD_BANDS if b in reach) if reach else MOOD_BANDS
    problems = []
    for stage, lines in source.item.lines.items():
        gaps = band_gaps(lines, bands)
        if not gaps:
            continue
        names, said = _gap_words(gaps)
        who = sorted({pid for band, _ in gaps for pid in reach.get(band, [])})
        reached_by = f", which persona {', '.join(who)} reaches" if who else ""
        problems.append(source.key_problem(
            ("lines", stage),
            f"lines of stage '{stage}' have no `any` and nothing near {names}{reached_by}: {said}; "
            "add those bands or `any:`",
        ))
    return problems


def _example_problems(source: Source[Scenario], context: LintContext) -> list[Problem]:
    """Examples that cannot run, or whose expectations can never all hold."""
    scenario = source.item
    problems = []
    seen: set[str] = set()
    for index, example in enumerate(scenario.examples):
        at = ("examples", index)
        if example.name in seen:
            problems.append(source.problem((*at, "name"), f"two examples are named '{example.name}'"))
        seen.add(example.name)
        if context.personas and example.persona not in context.personas:
            hint = did_you_mean(example.persona, context.personas)
            message = f"example persona '{example.persona}' is not loaded{hint}"
            problems.append(source.problem((*at, "persona"), message))
        problems += _choice_problems(source, index)
        expect = example.expect
        if expect.score is not None and expect.score[0] > expect.score[1]:
            low, high = expect.score
            message = f"score range [{low}, {high}] is empty: put the lowest first"
            problems.append(source.problem((*at, "expect", "score"), message))
        for behaviour in sorted(set(expect.hit) & set(expect.missed)):
            problems.append(source.problem((*at, "expect", "missed"), f"'{behaviour}' is expected both hit and missed"))
        for behaviour in expect.hit:
            if behaviour in BEFORE_CALL_IDS and behaviour not in example.choices:
                problems.append(source.problem(
                    (*at, "expect", "hit"),
                    f"'{behaviour}' is only scored when the example makes that choice: add it to `choices:`",
                ))
    return problems


def _choice_problems(source: Source[Scenario], index: int) -> list[Problem]:
    scenario = source.item
    problems = []
    for choice_id, option_id in scenario.examples[index].choices.items():
        loc = ("examples", index, "choices", choice_id)
        if choice_id not in scenario.choices:
            known = ", ".join(scenario.choices) or "none"
            hint = did_you_mean(choice_id, scenario.choices) or f" (this scenario has: {known})"
            problems.append(source.problem(loc, f"no before-call choice '{choice_id}'{hint}"))
            continue
        options = [option.id for option in scenario.choices[choice_id].options]
        if option_id not in options:
            hint = did_you_mean(option_id, options) or f" (options: {', '.join(options)})"
            problems.append(source.problem(loc, f"choice '{choice_id}' has no option '{option_id}'{hint}"))
    return problems


# --- personas ------------------------------------------------------------------------------
def lint_persona(source: Source[Persona]) -> list[Problem]:
    """The authoring warnings of a persona that loaded without errors."""
    persona = source.item
    problems = []
    if persona.hang_up_at <= persona.start.temperature:
        problems.append(source.problem(
            ("hang_up_at",),
            f"the buyer starts at temperature {persona.start.temperature} and hangs up at {persona.hang_up_at}: "
            "every call ends at the first reply",
        ))
    from simulator.content.arc import default_arc

    arc = default_arc()
    slots = [slot.id for slot in arc.agenda]
    for key, where in ((k, "asks") for k in persona.asks):
        if key not in slots:
            problems.append(source.key_problem(
                (where, key),
                f"'{key}' is not a slot of the default agenda{did_you_mean(key, slots)}: these lines are said only "
                "in a scenario that adds that slot (a stage's lines go under `lines:`)",
            ))
    for key in persona.priorities:
        if key not in slots:
            problems.append(source.key_problem(
                ("priorities", key), f"'{key}' is not a slot of the default agenda{did_you_mean(key, slots)}",
            ))
    bands = spoken_bands(persona)
    for stage, lines in persona.lines.items():
        gaps = band_gaps(lines, bands)
        if gaps:
            names, said = _gap_words(gaps)
            problems.append(source.key_problem(
                ("lines", stage),
                f"lines of stage '{stage}' have no `any` and nothing near {names}, which this buyer reaches: "
                f"{said}; add those bands or `any:`",
            ))
    return sorted(problems)

