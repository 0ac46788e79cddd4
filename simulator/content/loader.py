"""Find, load and cross-check scenario and persona files: an explicit call, never an import-time side effect."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from simulator.content.arc import default_arc
from simulator.content.errors import ContentError, Problem
from simulator.content.models import PLACEHOLDER, Persona, Scenario, TrainerExamples
from simulator.content.placeholders import PERSONA_PLACEHOLDERS, placeholder_values
from simulator.content.validation import did_you_mean, validate_model
from simulator.content.yamlsafe import Located, load_yaml_file
from simulator.paths import bundled_dir, user_dir

Model = TypeVar("Model", Scenario, Persona)
# A trainer's labelled example replies for every scenario, in their config folder beside `scenarios/`.
TRAINER_EXAMPLES = "counts_as.yaml"
OPTION_PLACEHOLDER = "option"  # a persona's `reactions.choose` lines name the option taken


def _cross_check_scenario(scenario: Scenario, located: Located, stem: str) -> list[Problem]:
    """What a schema cannot see: ids against the file name, stage targets, placeholders."""
    problems: list[Problem] = []

    def problem(loc: Sequence[str | int], message: str) -> None:
        line, column = located.position(loc)
        problems.append(Problem(located.path, line, column, message))

    if scenario.id is not None and scenario.id != stem:
        problem(("id",), f"id '{scenario.id}' must match the file name '{stem}.yaml'")
    arc = default_arc()
    stages = scenario.stages if scenario.stages is not None else arc.stages
    stage_start = scenario.start_stage if scenario.stages is not None else arc.start_stage
    if stage_start not in stages:
        problem(("start_stage",), f"start_stage '{stage_start}' is not a stage{did_you_mean(stage_start, stages)}")
    elif stages[stage_start].ending:
        problem(("start_stage",), f"start_stage '{stage_start}' is an ending: the call would be over before it began")
    if scenario.stages is not None:
        for name, stage in scenario.stages.items():
            for index, transition in enumerate(stage.transitions):
                if transition.to not in stages:
                    problem(
                        ("stages", name, "transitions", index, "to"),
                        f"transition to unknown stage '{transition.to}'{did_you_mean(transition.to, stages)}",
                    )
        if not any(stage.ending for stage in stages.values()):
            problem(("stages",), "no stage has an `ending`: the call could never finish")
    for name in scenario.lines:
        if name not in stages:
            problem(("lines", name), f"lines for unknown stage '{name}'{did_you_mean(name, stages)}")
    known = placeholder_values(scenario)
    for loc, text in _texts(located.data, ()):
        for match in PLACEHOLDER.finditer(text):
            if match.group(1) not in known:
                line, column = located.text_position(loc, match.group(0))
                message = f"placeholder '{{{match.group(1)}}}' names no fact{did_you_mean(match.group(1), known)}"
                problems.append(Problem(located.path, line, column, message))
    return problems


def _texts(data: object, loc: tuple[str | int, ...]) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Every string in a loaded document, with where it sits."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*loc, index))


def _cross_check_persona(persona: Persona, located: Located, stem: str) -> list[Problem]:
    """The id against the file name, and placeholders a persona can fill in any scenario."""
    problems: list[Problem] = []

    def problem(loc: Sequence[str | int], message: str) -> None:
        line, column = located.position(loc)
        problems.append(Problem(located.path, line, column, message))

    if persona.id is not None and persona.id != stem:
        problem(("id",), f"id '{persona.id}' must match the file name '{stem}.yaml'")
    for loc, text in _texts(located.data, ()):
        for match in PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name == OPTION_PLACEHOLDER and loc[:2] in (("reactions", "choose"), ("reactions", "chosen_already")):
                continue  # the option the buyer takes, filled in when they take it
            if name not in PERSONA_PLACEHOLDERS:
                hint = did_you_mean(name, PERSONA_PLACEHOLDERS) or (
                    " (a persona plays in every scenario: it may name only {buyer.*} and {seller.*})"
                )
                line, column = located.text_position(loc, match.group(0))
                message = f"placeholder '{{{name}}}' cannot be filled in every scenario{hint}"
                problems.append(Problem(located.path, line, column, message))
    return problems


def load_scenario(path: Path) -> Scenario:
    """Load and check one scenario file; raises ContentError with every problem found."""
    return _load(path, Scenario, _cross_check_scenario)


def load_persona(path: Path) -> Persona:
    """Load and check one persona file; raises ContentError with every problem found."""
    return _load(path, Persona, _cross_check_persona)


def _load(path: Path, model: type[Model], cross_check: Callable[[Model, Located, str], list[Problem]]) -> Model:
    located = load_yaml_file(path)
    item = validate_model(model, located)
    problems = cross_check(item, located, path.stem)
    if problems:
        raise ContentError(problems)
    return item.model_copy(update={"id": path.stem})


@dataclass
class Library:
    """Every scenario and persona that loaded, and the problems of the files that did not."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    personas: dict[str, Persona] = field(default_factory=dict)
    sources: dict[tuple[str, str], Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def scenario(self, scenario_id: str) -> Scenario:
        """The scenario with this id, or a LookupError that suggests the nearest one."""
        return _lookup(self.scenarios, scenario_id, "scenario")

    def persona(self, persona_id: str) -> Persona:
        """The persona with this id, or a LookupError that suggests the nearest one."""
        return _lookup(self.personas, persona_id, "persona")


def _lookup(items: dict[str, Model], wanted: str, kind: str) -> Model:
    if wanted in items:
        return items[wanted]
    hint = did_you_mean(wanted, items) or f" (known: {', '.join(sorted(items)) or 'none'})"
    raise LookupError(f"no {kind} '{wanted}'{hint}")


def yaml_files(folder: Path, problems: list[Problem] | None = None) -> list[Path]:
    """The YAML files of a folder, sorted, so loading order never changes a result.

    With `problems`, what cannot be read is reported there instead of raising: a folder that cannot
    be listed, and each `.yaml` entry that is not a file (a folder, a pipe, a dangling or looping link).
    """
    if not folder.is_dir():
        return []
    try:
        entries = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    except OSError as error:
        if problems is None:
            raise
        problems.append(Problem(str(folder), 1, 1, f"cannot read the folder: {error.strerror or error}; skipped"))
        return []
    files = []
    for path in entries:
        if path.is_file():
            files.append(path)
        elif problems is not None:
            problems.append(Problem(str(path), 1, 1, f"{_not_a_file(path)}; skipped"))
    return files


def _not_a_file(path: Path) -> str:
    """Why an entry named like a YAML file is not one, in words."""
    if path.is_symlink() and not path.exists():
        return "a link that leads nowhere (or round in a loop)"
    if path.is_dir():
        return "a folder named like a YAML file"
    return "not a regular file (a pipe, a device or a socket)"


def _distinct(folders: Iterable[Path]) -> list[Path]:
    """The folders in order, each once: naming the user folder again with --scenarios must not report clashes."""
    seen: set[Path] = set()
    kept = []
    for folder in folders:
        try:
            key = folder.resolve()
        except (OSError, RuntimeError):  # a link that loops: it is still listed, and reported there
            key = folder.absolute()
        if key not in seen:
            seen.add(key)
            kept.append(folder)
    return kept


def load_library(scenario_dirs: Sequence[Path] = (), persona_dirs: Sequence[Path] = ()) -> Library:
    """Load the bundled content, then the trainer's own folder, then each extra folder.

    Broken files are reported and skipped; a file whose id is already taken (a user file named like a
    bundled one) is reported and skipped too, never merged, so bundled content always means the same.
    """
    library = Library()
    _load_kind(library, "scenarios", load_scenario, scenario_dirs, library.scenarios)
    _load_kind(library, "personas", load_persona, persona_dirs, library.personas)
    _drop_unplayable(library)
    _add_trainer_examples(library, user_dir("scenarios").parent / TRAINER_EXAMPLES)
    return library


def _drop_unplayable(library: Library) -> None:
    """A scenario whose default persona no file defines cannot be played: it is reported and skipped."""
    for key, scenario in list(library.scenarios.items()):
        if scenario.default_persona not in library.personas:
            path = library.sources[("scenarios", key)]
            hint = did_you_mean(scenario.default_persona, library.personas)
            message = f"default_persona '{scenario.default_persona}' is not a loaded persona{hint}; skipped"
            library.problems.append(Problem(str(path), 1, 1, message))
            del library.scenarios[key]


def _add_trainer_examples(library: Library, path: Path) -> None:
    """A trainer's `counts_as.yaml` adds its labelled lines to every scenario; a broken file is reported, not fatal."""
    if not path.is_file():
        return
    try:
        examples = validate_model(TrainerExamples, load_yaml_file(path)).counts_as
    except ContentError as error:
        library.problems.extend(error.problems)
        return
    for key, scenario in library.scenarios.items():
        merged = {b: [*scenario.counts_as.get(b, []), *lines] for b, lines in examples.items()}
        library.scenarios[key] = scenario.model_copy(update={"counts_as": {**scenario.counts_as, **merged}})


def _load_kind(
    library: Library, kind: str, loader: Callable[[Path], Model], extra: Sequence[Path], target: dict[str, Model]
) -> None:
    """Load one kind of file into `target`, reporting broken files and taken ids in the library's problems."""
    for folder in _distinct((bundled_dir(kind), user_dir(kind), *extra)):
        for path in yaml_files(folder, library.problems):
            try:
                item = loader(path)
            except ContentError as error:
                library.problems.extend(error.problems)
                continue
            item_id = item.id or path.stem
            if item_id in target:
                first = library.sources[(kind, item_id)]
                library.problems.append(
                    Problem(str(path), 1, 1, f"{kind[:-1]} id '{item_id}' is already defined by {first}; skipped")
                )
                continue
            target[item_id] = item
            library.sources[(kind, item_id)] = path
