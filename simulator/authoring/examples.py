"""Scenario tests: play each `examples:` call of a scenario and check it comes to what the trainer expects.

An example is a scripted call (persona, seed, before-call choices, replies) with expectations on the
outcome, the score range, pass or fail, and rubric lines hit or missed. It is played exactly like
`badnews replay`: same silence markers, same clipping, stops when the call ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from simulator.authoring.sources import Source
from simulator.content.errors import Problem
from simulator.content.models import Example, Persona, Scenario
from simulator.content.validation import did_you_mean

if TYPE_CHECKING:
    from simulator.detect import Detector
    from simulator.scoring import RubricLine, ScoreReport

MAX_WORDS_QUOTED = 12  # a failure quotes the trainee's words, cut to this many


@dataclass(frozen=True)
class ExampleResult:
    """One example's verdict: what the call came to, and every expectation it missed."""

    scenario: str
    name: str
    persona: str
    seed: int
    failures: tuple[Problem, ...]
    score: int | None = None
    outcome: str | None = None
    replies_used: int = 0
    replies_given: int = 0

    @property
    def passed(self) -> bool:
        """Whether every expectation held."""
        return not self.failures

    @property
    def label(self) -> str:
        """How the runner names this example: scenario::name."""
        return f"{self.scenario}::{self.name}"


def run_example(
    source: Source[Scenario],
    index: int,
    personas: Mapping[str, Persona],
    detector: Detector | None = None,
) -> ExampleResult:
    """Play example number `index` of a scenario and check its expectations."""
    from simulator.engine.script import play_script
    from simulator.scoring import score_call

    scenario = source.item
    example = scenario.examples[index]
    at = ("examples", index)
    unplayed = ExampleResult(
        scenario=scenario.id or "?", name=example.name, persona=example.persona, seed=example.seed, failures=()
    )
    setup = _setup_problems(source, index, personas)
    if setup:
        return replace(unplayed, failures=tuple(setup), replies_given=len(example.replies))
    persona = personas[example.persona]
    call = play_script(
        scenario, persona, example.replies, seed=example.seed, choices=example.choices, detector=detector
    )
    used = len(call.seller_turns)
    report = score_call(call)
    failures = [source.problem((*at, *loc), message, "error") for loc, message in _unmet(example, report)]
    return replace(
        unplayed,
        failures=tuple(failures),
        score=report.score,
        outcome=report.outcome,
        replies_used=used,
        replies_given=len(example.replies),
    )


def _setup_problems(source: Source[Scenario], index: int, personas: Mapping[str, Persona]) -> list[Problem]:
    """What stops an example from being played at all: an unknown persona, choice or option."""
    scenario = source.item
    example = scenario.examples[index]
    at = ("examples", index)
    problems = []
    if example.persona not in personas:
        hint = did_you_mean(example.persona, personas) or f" (loaded: {', '.join(sorted(personas)) or 'none'})"
        problems.append(source.problem((*at, "persona"), f"no persona '{example.persona}'{hint}", "error"))
    for choice_id, option_id in example.choices.items():
        choice = scenario.choices.get(choice_id)
        if choice is None:
            hint = did_you_mean(choice_id, scenario.choices)
            message = f"no before-call choice '{choice_id}'{hint}"
            problems.append(source.problem((*at, "choices", choice_id), message, "error"))
        elif option_id not in [o.id for o in choice.options]:
            options = [o.id for o in choice.options]
            hint = did_you_mean(option_id, options) or f" (options: {', '.join(options)})"
            problems.append(source.problem(
                (*at, "choices", choice_id), f"choice '{choice_id}' has no option '{option_id}'{hint}", "error"
            ))
    return problems


def _unmet(example: Example, report: ScoreReport) -> list[tuple[tuple[str | int, ...], str]]:
    """(place under the example, why) for each expectation the call did not meet."""
    expect = example.expect
    unmet: list[tuple[tuple[str | int, ...], str]] = []
    if expect.outcome is not None and report.outcome != expect.outcome:
        got = f"{report.outcome} ({report.ended_by})"
        unmet.append((("expect", "outcome"), f"expected outcome {expect.outcome}, got {got}"))
    if expect.score is not None:
        low, high = expect.score
        if not low <= report.score <= high:
            unmet.append((("expect", "score"), f"expected a score in [{low}, {high}], got {report.score}"))
    if expect.passed is not None and report.passed != expect.passed:
        verdict = "pass" if expect.passed else "fail"
        unmet.append((
            ("expect", "passed"),
            f"expected the call to {verdict} (pass mark {report.pass_mark}), but it scored {report.score}",
        ))
    for position, behaviour in enumerate(expect.hit):
        line = report.line(behaviour)
        if line is None:
            unmet.append((("expect", "hit", position), f"expected {behaviour} hit, but it was not scored in this call"))
        elif not line.hit:
            unmet.append((("expect", "hit", position), f"expected {behaviour} hit, but it was not: {line.note}"))
    for position, behaviour in enumerate(expect.missed):
        line = report.line(behaviour)
        if line is not None and line.hit:
            unmet.append((("expect", "missed", position), f"expected {behaviour} missed, but it was hit{_where(line)}"))
    return unmet


def _where(line: RubricLine) -> str:
    """Where a rubric line was hit, in the trainee's words."""
    if not line.evidence:
        return ""
    first = line.evidence[0]
    words = first.words.split()
    quoted = " ".join(words[:MAX_WORDS_QUOTED]) + (" ..." if len(words) > MAX_WORDS_QUOTED else "")
    return f" at turn {first.turn}: '{quoted}'"


def run_source(
    source: Source[Scenario], personas: Mapping[str, Persona], detector: Detector | None = None
) -> list[ExampleResult]:
    """Every example of one scenario, in file order."""
    return [run_example(source, index, personas, detector) for index in range(len(source.item.examples))]


def result_line(result: ExampleResult) -> str:
    """The runner's line for one example, then one indented line per failure."""
    head = f"{'PASS' if result.passed else 'FAIL'} {result.label} ({result.persona}, seed {result.seed})"
    if result.score is not None:
        head += f": score {result.score}, {result.outcome}"
        if result.replies_used < result.replies_given:
            head += f", call ended after reply {result.replies_used} of {result.replies_given}"
    return "\n".join([head, *(f"    {failure}" for failure in result.failures)])


def summary_line(results: list[ExampleResult], broken_files: int = 0, without_examples: int = 0) -> str:
    """'N passed, M failed', plus files that did not load and scenarios with no examples."""
    passed = sum(1 for r in results if r.passed)
    parts = [f"{passed} passed", f"{len(results) - passed} failed"]
    if broken_files:
        parts.append(f"{broken_files} file(s) with errors")
    if without_examples:
        parts.append(f"{without_examples} scenario(s) without examples")
    return ", ".join(parts)
