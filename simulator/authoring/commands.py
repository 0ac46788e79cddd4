"""The trainer commands of `badnews`, registered on the main parser: test, schema, graph, new, rescore.

`register` only declares arguments: every handler imports what it needs when it runs, so these
commands add nothing to the start-up time of `badnews`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

OK, FAILED = 0, 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add the trainer commands to `badnews`."""
    p = sub.add_parser("test", help="run the example calls of scenarios and check their scores")
    p.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders (default: every scenario)")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("schema", help="write the JSON Schema of scenario (or persona) files, for editors")
    p.add_argument("--persona", action="store_true", help="the persona schema instead of the scenario one")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("graph", help="print a scenario's stages as a Mermaid state diagram")
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or the id of a loaded scenario")
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


def _user_error(message: str) -> Exception:
    from simulator.cli import UserError

    return UserError(message)


def _library(args: argparse.Namespace):
    from simulator.content.loader import load_library

    library = load_library(args.scenarios or (), args.personas or ())
    for problem in library.problems:
        print(problem, file=sys.stderr)
    return library


def scenario_files(paths: list[str]) -> list[Path]:
    """The scenario files named: each file as given, each folder's .yaml files; by default every loaded scenario."""
    from simulator.content.loader import bundled_dir, user_dir, yaml_files

    if not paths:
        return yaml_files(bundled_dir("scenarios")) + yaml_files(user_dir("scenarios"))
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = yaml_files(path) or yaml_files(path / "scenarios")
            if not found:
                raise _user_error(f"{raw}: no .yaml files in this folder")
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise _user_error(f"{raw}: no such file or folder")
    return files


def cmd_test(args: argparse.Namespace) -> int:
    """Run every example of the scenarios named; one PASS/FAIL line each and a summary."""
    from simulator.authoring.examples import result_line, run_source, summary_line
    from simulator.authoring.sources import load_scenario_source
    from simulator.content.errors import ContentError
    from simulator.detect import default_detector

    files = scenario_files(args.paths)
    library = _library(args)
    detector = default_detector()
    results = []
    broken = without = 0
    for path in files:
        try:
            source = load_scenario_source(path)
        except ContentError as error:
            broken += 1
            print(f"ERROR {path}")
            print("\n".join(f"    {problem}" for problem in error.problems))
            continue
        if not source.item.examples:
            without += 1
            continue
        for result in run_source(source, library.personas, detector):
            results.append(result)
            print(result_line(result), flush=True)
    print(summary_line(results, broken, without))
    return OK if results and not broken and all(r.passed for r in results) else FAILED


def cmd_schema(args: argparse.Namespace) -> int:
    """Print or write the JSON Schema of scenario or persona files."""
    from simulator.authoring.schema import json_schema

    kind = "persona" if args.persona else "scenario"
    text = json.dumps(json_schema(kind), indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise _user_error(f"{args.output}: {error.strerror or error}") from None
    print(f"wrote {args.output}; first line of a {kind} file for editor completion:", file=sys.stderr)
    print(f"# yaml-language-server: $schema=./{args.output.name}", file=sys.stderr)
    return OK


def cmd_graph(args: argparse.Namespace) -> int:
    """Print the stage machine of a scenario file or loaded scenario as Mermaid."""
    from simulator.authoring.graph import mermaid
    from simulator.content.loader import load_scenario

    path = Path(args.scenario)
    if path.is_file():
        scenario = load_scenario(path)
    else:
        try:
            scenario = _library(args).scenario(args.scenario)
        except LookupError as error:
            raise _user_error(f"{error.args[0]}, and no file '{args.scenario}'") from None
    sys.stdout.write(mermaid(scenario))
    return OK


def cmd_new(args: argparse.Namespace) -> int:
    """Write NAME.yaml from the commented template; refuses to overwrite."""
    from simulator.authoring.scaffold import ScaffoldError, write_template
    from simulator.content.loader import user_dir

    try:
        path = write_template(args.kind, args.name, args.output)
    except ScaffoldError as error:
        raise _user_error(str(error)) from None
    print(f"wrote {path}")
    print(f"next: edit it, then `badnews validate {path}` and `badnews test {path}`" if args.kind == "scenario"
          else f"next: edit it, then `badnews validate {path}`")
    print(f"to use it with every command, move it to {user_dir(args.kind + 's')}")
    return OK


def _saved_calls(args: argparse.Namespace, read_replay_json):
    """Each saved call to rescore, as a thunk so a broken file is reported where it is read."""
    for raw in args.files:
        yield lambda raw=raw: read_replay_json(Path(raw))
    if args.records:
        from simulator.records.commands import open_records
        from simulator.records.recorder import saved_calls

        with_store = open_records(args)
        for saved in saved_calls(with_store.calls()):
            yield lambda saved=saved: saved


def cmd_rescore(args: argparse.Namespace) -> int:
    """Play saved calls again with today's rubric; print old -> new per call and a summary."""
    from simulator.authoring.rescore import (
        SavedCallError,
        read_replay_json,
        rescore,
        result_line,
        summary_json,
        summary_line,
    )
    from simulator.detect import default_detector

    if not args.files and not args.records:
        raise _user_error("give saved call files (replay --json output) or --records")
    library = _library(args)
    detector = default_detector()
    results, errors = [], []
    for saved in _saved_calls(args, read_replay_json):
        try:
            result = rescore(saved(), library, detector)
        except SavedCallError as error:
            errors.append(str(error))
            if not args.json:
                print(f"badnews: {error}", file=sys.stderr)
            continue
        results.append(result)
        if not args.json:
            print(result_line(result))
    if args.json:
        print(json.dumps(summary_json(results, errors), indent=2))
    else:
        print(summary_line(results, len(errors)))
    return FAILED if errors else OK
