"""The trainer's commands: `validate`, `test`, `schema`, `graph`, `new` and `rescore`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.cli.common import INVALID, OK, UserError, load_library, open_records
from simulator.text import safe_json, visible

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from simulator.content.errors import Problem
    from simulator.engine.script import SavedCall

GRAPH_FORMATS = ("mermaid", "dot", "svg", "png")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the trainer commands."""
    p = sub.add_parser("validate", help="check scenario and persona files or folders (errors and warnings)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("test", help="run the example calls of scenarios and check their scores")
    p.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders (default: every scenario)")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("schema", help="write the JSON Schema of scenario or persona files, or of a call's result")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--persona", action="store_true", help="the persona schema instead of the scenario one")
    kind.add_argument("--result", action="store_true", help="the schema of `replay --json` (and each export line)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("graph", help="print a scenario's stages as a Mermaid or Graphviz diagram, or draw it")
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or the id of a loaded scenario")
    p.add_argument(
        "--format", choices=GRAPH_FORMATS, default="mermaid",
        help="mermaid or dot print text; svg or png draw a picture with Graphviz's dot or Mermaid's mmdc, "
        "whichever is installed (default: mermaid)",
    )
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write to FILE (svg and png default to SCENARIO-stages.svg or .png here)")
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("new", help="write a commented scenario or persona file to start from")
    p.add_argument("kind", choices=("scenario", "persona"))
    p.add_argument("name", metavar="NAME", help="the id, which is also the file name: e.g. late-invoice")
    p.add_argument("-o", "--output", type=Path, metavar="PATH", help="a folder, or the file to write")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("rescore", help="re-score saved calls (replay --json files, or --records) with the current rubric")
    p.add_argument("files", nargs="*", metavar="FILE")
    p.add_argument("--records", action="store_true", help="also every ended call in the calls database")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_rescore)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check scenario and persona files or folders: errors, then authoring warnings, each as path:line:column."""
    from simulator.authoring.lint import check_file, default_context
    from simulator.authoring.sources import kind_of
    from simulator.content.errors import Problem
    from simulator.content.loader import yaml_files
    from simulator.text import visible

    files: list[Path] = []
    problems: list[Problem] = []
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir():
            listed: list[Problem] = []
            found = yaml_files(path, listed) + [
                f for sub in ("scenarios", "personas") for f in yaml_files(path / sub, listed)
            ]
            problems.extend(listed)
            if not found and not listed:
                problems.append(Problem(raw, 1, 1, "no .yaml files in this folder"))
            files.extend(found)
        else:
            files.append(path)
    context = default_context(args.scenarios or (), args.personas or ())
    checked = 0
    for path in files:
        found_here = check_file(path, kind_of(path), context)
        checked += not any(p.severity == "error" for p in found_here)
        problems.extend(found_here)
    for problem in problems:
        print(visible(str(problem)))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    strict = " (--strict: warnings fail)" if args.strict and warnings else ""
    summary = f"{len(files)} file(s) checked, {checked} valid, {errors} error(s), {warnings} warning(s){strict}"
    print(summary, file=sys.stderr)
    return INVALID if errors or (args.strict and warnings) else OK


def scenario_files(paths: list[str]) -> list[Path]:
    """The scenario files named: each file as given, each folder's .yaml files; by default every loaded scenario."""
    from simulator.content.loader import yaml_files
    from simulator.paths import bundled_dir, user_dir

    if not paths:
        return yaml_files(bundled_dir("scenarios")) + yaml_files(user_dir("scenarios"))
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                found = yaml_files(path) or yaml_files(path / "scenarios")
            except OSError as error:
                raise UserError(f"{visible(raw)}: cannot read the folder: {error.strerror or error}") from None
            if not found:
                raise UserError(f"{raw}: no .yaml files in this folder")
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise UserError(f"{raw}: no such file or folder")
    return files


def cmd_test(args: argparse.Namespace) -> int:
    """Run every example of the scenarios named; one PASS/FAIL line each and a summary."""
    from simulator.authoring.examples import (
        ExampleResult,
        result_line,
        run_source,
        summary_line,
    )
    from simulator.authoring.sources import load_scenario_source
    from simulator.content.errors import ContentError
    from simulator.detect import default_detector
    from simulator.text import visible, visible_lines

    files = scenario_files(args.paths)
    library = load_library(args.scenarios, args.personas)
    detector = default_detector()
    results: list[ExampleResult] = []
    broken = without = 0
    for path in files:
        try:
            source = load_scenario_source(path)
        except ContentError as error:
            broken += 1
            print(visible(f"ERROR {path}"))
            print("\n".join(visible_lines(f"    {problem}") for problem in error.problems))
            continue
        if not source.item.examples:
            without += 1
            continue
        for result in run_source(source, library.personas, detector):
            results.append(result)
            print(visible_lines(result_line(result)), flush=True)
    print(summary_line(results, broken, without))
    return OK if results and not broken and all(r.passed for r in results) else INVALID


def cmd_schema(args: argparse.Namespace) -> int:
    """Print or write the JSON Schema of scenario or persona files, or of a call's result."""
    if args.result:
        from simulator.scoring.result import CallResult

        schema, kind = CallResult.model_json_schema(), "result"
    else:
        from simulator.authoring.schema import json_schema

        kind = "persona" if args.persona else "scenario"
        schema = json_schema(kind)
    text = safe_json(schema) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(f"{args.output}: {error.strerror or error}") from None
    if kind == "result":
        print(visible(f"wrote {args.output}"), file=sys.stderr)
    else:
        print(visible(f"wrote {args.output}; first line of a {kind} file for editor completion:"), file=sys.stderr)
        print(visible(f"# yaml-language-server: $schema=./{args.output.name}"), file=sys.stderr)
    return OK


def cmd_graph(args: argparse.Namespace) -> int:
    """Print the stage machine of a scenario file or loaded scenario as Mermaid or DOT, or draw it as SVG or PNG."""
    from simulator.authoring.graph import DrawError, draw, graphviz, mermaid
    from simulator.content.loader import load_scenario

    path = Path(args.scenario)
    if path.is_file():
        scenario = load_scenario(path)
    else:
        try:
            scenario = load_library(args.scenarios, args.personas).scenario(args.scenario)
        except LookupError as error:
            raise UserError(f"{error.args[0]}, and no file '{args.scenario}'") from None
    if args.format in ("mermaid", "dot"):
        text = mermaid(scenario) if args.format == "mermaid" else graphviz(scenario)
        if args.output is None:
            sys.stdout.write(text)
        else:
            _write_output(args.output, text.encode("utf-8"))
            print(f"wrote {visible(str(args.output))}", file=sys.stderr)
        return OK
    try:
        drawn = draw(scenario, args.format)
    except DrawError as error:
        raise UserError(str(error)) from None
    target = args.output or Path(f"{scenario.id or 'scenario'}-stages.{args.format}")
    _write_output(target, drawn.data)
    print(f"wrote {visible(str(target))} (drawn with {drawn.renderer})", file=sys.stderr)
    return OK


def _write_output(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise UserError(f"could not write {visible(str(path))}: {error.strerror or error}") from None


def cmd_new(args: argparse.Namespace) -> int:
    """Write NAME.yaml from the commented template; refuses to overwrite."""
    from simulator.authoring.scaffold import ScaffoldError, write_template
    from simulator.paths import user_dir

    try:
        path = write_template(args.kind, args.name, args.output)
    except ScaffoldError as error:
        raise UserError(str(error)) from None
    print(visible(f"wrote {path}"))
    print(visible(f"next: edit it, then `badnews validate {path}` and `badnews test {path}`" if args.kind == "scenario"
                  else f"next: edit it, then `badnews validate {path}`"))
    print(visible(f"to use it with every command, move it to {user_dir(args.kind + 's')}"))
    return OK


def _saved_calls(files: list[str], data_dir: Path | None, records: bool) -> Iterator[Callable[[], SavedCall]]:
    """Each saved call to rescore, as a thunk so a broken file is reported where it is read."""
    from simulator.authoring.rescore import read_replay_json

    for raw in files:
        yield lambda raw=raw: read_replay_json(Path(raw))  # type: ignore[misc]
    if records:
        from simulator.records.recorder import saved_calls

        for saved in saved_calls(open_records(data_dir).calls()):
            yield lambda saved=saved: saved  # type: ignore[misc]


def cmd_rescore(args: argparse.Namespace) -> int:
    """Play saved calls again with today's rubric; print old -> new per call and a summary."""
    from simulator.authoring.rescore import (
        Rescored,
        SavedCallError,
        rescore,
        result_line,
        summary_json,
        summary_line,
    )
    from simulator.detect import default_detector
    from simulator.text import visible, visible_lines

    if not args.files and not args.records:
        raise UserError("give saved call files (replay --json output) or --records")
    library = load_library(args.scenarios, args.personas)
    detector = default_detector()
    results: list[Rescored] = []
    errors: list[str] = []
    for saved in _saved_calls(args.files, args.data_dir, args.records):
        try:
            result = rescore(saved(), library, detector)
        except SavedCallError as error:
            errors.append(str(error))
            if not args.json:
                print(visible(f"badnews: {error}"), file=sys.stderr)
            continue
        results.append(result)
        if not args.json:
            print(visible_lines(result_line(result)))
    if args.json:
        print(safe_json(summary_json(results, errors)))
    else:
        print(summary_line(results, len(errors)))
    return INVALID if errors else OK
