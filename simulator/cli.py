"""The `badnews` command line: parses, calls the core, prints. Exit codes: 0 ok, 1 invalid input, 2 usage."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from simulator.content.errors import ContentError, Problem

# The heavy parts (pydantic models, the detector, the engine) are imported by the commands that need
# them, so `badnews` reaches the app's first screen as fast as a bare Textual app.
if TYPE_CHECKING:
    from simulator.content.loader import Library
    from simulator.content.models import Persona, Scenario
    from simulator.engine.call import Call
    from simulator.records.recorder import CallRecorder

OK, INVALID, USAGE = 0, 1, 2
class UserError(Exception):
    """Bad input the user can fix: printed as one message, exit code 1."""


def _library(args: argparse.Namespace) -> Library:
    from simulator.content.loader import load_library

    library = load_library(args.scenarios or (), args.personas or ())
    for problem in library.problems:
        print(problem, file=sys.stderr)
    return library


def _scenario_and_persona(args: argparse.Namespace, library: Library) -> tuple[Scenario, Persona]:
    try:
        scenario = library.scenario(args.scenario)
        return scenario, library.persona(args.persona or scenario.default_persona)
    except LookupError as error:
        raise UserError(str(error.args[0])) from None


def _call_from_args(args: argparse.Namespace, library: Library) -> Call:
    from simulator.engine.call import Call

    scenario, persona = _scenario_and_persona(args, library)
    return Call(scenario, persona, seed=args.seed)


def _parse_choices(scenario_choices: dict, pairs: Sequence[str]) -> dict[str, str]:
    from simulator.content.validation import did_you_mean

    chosen: dict[str, str] = {}
    for pair in pairs:
        choice_id, sep, option_id = pair.partition("=")
        if not sep:
            raise UserError(f"--choose takes ID=OPTION, got '{pair}'")
        if choice_id not in scenario_choices:
            hint = did_you_mean(choice_id, scenario_choices) or f" (this scenario has: {', '.join(scenario_choices)})"
            raise UserError(f"no before-call choice '{choice_id}'{hint}")
        options = [o.id for o in scenario_choices[choice_id].options]
        if option_id not in options:
            hint = did_you_mean(option_id, options) or f" (options: {', '.join(options)})"
            raise UserError(f"choice '{choice_id}' has no option '{option_id}'{hint}")
        chosen[choice_id] = option_id
    return chosen


def _replies(stream: TextIO) -> Iterator[str]:
    """One reply per line; an empty line or '...' is silence."""
    from simulator.engine.script import as_reply

    for raw in stream:
        yield as_reply(raw.rstrip("\n"))


# --- commands --------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    """Scenarios and personas, with title and difficulty."""
    library = _library(args)
    scenarios = [
        {
            "id": s.id,
            "title": s.title,
            "difficulty": s.difficulty,
            "buyer": s.buyer.name,
            "company": s.buyer.company,
            "default_persona": s.default_persona,
        }
        for s in library.scenarios.values()
    ]
    personas = [{"id": p.id, "name": p.name, "description": p.description} for p in library.personas.values()]
    if args.json:
        print(json.dumps({"scenarios": scenarios, "personas": personas}, indent=2))
        return OK
    print("Scenarios")
    for s in scenarios:
        print(f"  {s['id']:<24} {s['difficulty']:<7} {s['title']}")
    print("\nPersonas")
    for p in personas:
        print(f"  {p['id']:<24} {p['description']}")
    return OK


def cmd_play(args: argparse.Namespace) -> int:
    """A live call: the Textual app, or a line-based call on stdin/stdout with --plain, saved after every turn."""
    library = _library(args)
    call = _call_from_args(args, library)
    call.choices.update(_parse_choices(call.scenario.choices, args.choose or ()))
    from simulator.debrief import turn_line

    if not args.plain:
        from simulator.tui.app import run_app  # imported here: the core never loads textual

        mode = "exam" if args.exam else "train"
        return run_app(library, call=call, data_dir=args.data_dir, trainee=args.trainee, mode=mode)
    from simulator.records.commands import start_recording

    print(f"{call.scenario.title}  (buyer: {call.persona.name})")
    print("One reply per line. An empty line is staying silent. End of input (Ctrl-D) ends the call.\n")
    print(turn_line(call, call.open()), flush=True)
    return play_plain(call, start_recording(args, call))


def play_plain(call: Call, recorder: CallRecorder | None) -> int:
    """The line-based call: each reply is saved before the buyer's answer is shown; Ctrl-C keeps it as abandoned."""
    from simulator.debrief import format_debrief, turn_line
    from simulator.scoring import score_call

    def note(message: str | None) -> None:
        if message:
            print(f"badnews: {message}", file=sys.stderr)

    try:
        for reply in _replies(sys.stdin):
            answer = call.reply(reply)
            if recorder:
                note(recorder.save())
            print(turn_line(call, answer), flush=True)
            if call.over:
                break
    except KeyboardInterrupt:
        if recorder:
            note(recorder.abandon())
            note(f"call {recorder.call_id} kept; go on with: badnews resume {recorder.call_id}")
        raise
    call.stop("input ended")
    if recorder:
        note(recorder.save())
    print()
    print(format_debrief(score_call(call)))
    if recorder:
        note(f"saved as call {recorder.call_id}: badnews report {recorder.call_id}")
    return OK


def cmd_replay(args: argparse.Namespace) -> int:
    """Play a scripted call from stdin and print the transcript and debrief, or one JSON object."""
    from simulator.debrief import format_debrief, format_transcript
    from simulator.scoring import score_call

    from simulator.engine.script import play_script

    library = _library(args)
    scenario, persona = _scenario_and_persona(args, library)
    choices = _parse_choices(scenario.choices, args.choose or ())
    call = play_script(scenario, persona, _replies(sys.stdin), seed=args.seed, choices=choices)
    report = score_call(call)
    if args.json:
        print(json.dumps(replay_json(call, report), ensure_ascii=False, indent=2))
    else:
        print(format_transcript(call))
        print()
        print(format_debrief(report))
    return OK


def replay_json(call: Call, report) -> dict[str, object]:
    """The `replay --json` contract: keep these keys stable, add new ones only."""
    return {
        "scenario": call.scenario.id,
        "persona": call.persona.id,
        "seed": call.seed,
        "score": report.score,
        "grade": report.grade,
        "passed": report.passed,
        "pass_mark": report.pass_mark,
        "outcome": report.outcome,
        "ended_by": report.ended_by,
        "choices": dict(call.choices),
        "behaviours": {line.behaviour: line.to_json() for line in report.lines},
        "transcript": [turn.to_json() for turn in call.transcript],
    }


def _kind_of(path: Path) -> str:
    if path.parent.name == "personas":
        return "persona"
    if path.parent.name == "scenarios":
        return "scenario"
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return "scenario"
    return "persona" if "\nstart:" in f"\n{head}" and "\ntitle:" not in f"\n{head}" else "scenario"


def cmd_validate(args: argparse.Namespace) -> int:
    """Check scenario and persona files or folders: errors, then authoring warnings, each as path:line:column."""
    from simulator.authoring.lint import check_file, default_context
    from simulator.content.loader import yaml_files

    files: list[Path] = []
    problems: list[Problem] = []
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir():
            found = yaml_files(path) + [f for sub in ("scenarios", "personas") for f in yaml_files(path / sub)]
            if not found:
                problems.append(Problem(raw, 1, 1, "no .yaml files in this folder"))
            files.extend(found)
        else:
            files.append(path)
    context = default_context(args.scenarios or (), args.personas or ())
    checked = 0
    for path in files:
        found = check_file(path, _kind_of(path), context)
        checked += not any(p.severity == "error" for p in found)
        problems.extend(found)
    for problem in problems:
        print(problem)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    strict = " (--strict: warnings fail)" if args.strict and warnings else ""
    summary = f"{len(files)} file(s) checked, {checked} valid, {errors} error(s), {warnings} warning(s){strict}"
    print(summary, file=sys.stderr)
    return INVALID if errors or (args.strict and warnings) else OK


def cmd_detect(args: argparse.Namespace) -> int:
    """What the detector finds in a reply, and why."""
    from simulator.detect.commands import detect_jsonl, detect_text

    if args.jsonl:
        return detect_jsonl(sys.stdin, sys.stdout)
    if args.text is None:
        raise UserError("give a TEXT to analyse, or --jsonl to read JSON lines from stdin")
    print(detect_text(args.text))
    return OK


def cmd_eval(args: argparse.Namespace) -> int:
    """Precision, recall and F1 of the detector on a labelled file."""
    from simulator.detect import default_detector
    from simulator.detect.evaluate import eval_json, evaluate, format_eval, load_labelled

    report = evaluate(load_labelled(Path(args.file)), default_detector())
    print(json.dumps(eval_json(report), indent=2) if args.json else format_eval(report))
    return OK


# --- parser ----------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """Every command and option of `badnews`."""
    parser = argparse.ArgumentParser(prog="badnews", description="Bad News Drill: practise delivering bad news.")
    parser.add_argument("--scenarios", action="append", type=Path, metavar="DIR", help="also load scenarios from DIR")
    parser.add_argument("--personas", action="append", type=Path, metavar="DIR", help="also load personas from DIR")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="keep the calls database in DIR (default: your data folder)")
    parser.add_argument("--trainee", metavar="NAME", help="record calls under NAME (default: your user name); filters history and export")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="list scenarios and personas")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)

    for name, func, help_text in (
        ("play", cmd_play, "play a call (the app, or --plain for a line-based call)"),
        ("replay", cmd_replay, "replay a scripted call from stdin (one reply per line)"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("scenario", metavar="SCENARIO")
        p.add_argument("--persona", metavar="P", help="buyer persona (default: the scenario's)")
        p.add_argument("--seed", type=int, default=0, metavar="N", help="seed for the buyer's choice of words")
        p.add_argument("--choose", action="append", metavar="ID=OPTION", help="a before-call choice, scored (the app asks them in the briefing)")
        p.set_defaults(func=func)
        if name == "play":
            p.add_argument("--plain", action="store_true", help="line-based call on stdin/stdout")
            p.add_argument("--exam", action="store_true", help="in the app: feedback only at the end")
        else:
            p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("validate", help="check scenario and persona files or folders (errors and warnings)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("detect", help="show the behaviours detected in a reply")
    p.add_argument("text", nargs="?", metavar="TEXT")
    p.add_argument("--jsonl", action="store_true", help="read JSON lines from stdin, write JSON lines")
    p.set_defaults(func=cmd_detect)

    p = sub.add_parser("eval", help="measure the detector on a labelled YAML file")
    p.add_argument("file", metavar="FILE.yaml")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_eval)

    from simulator.authoring.commands import register as register_trainer_commands

    register_trainer_commands(sub)

    from simulator.records.commands import register as register_records_commands

    register_records_commands(sub)
    return parser


def _tolerant_streams() -> None:
    """Undecodable input bytes become U+FFFD instead of a traceback: a script may be in any encoding."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass  # a stream that cannot change (a closed or replaced one) is left as it is


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; never lets a traceback reach the user for bad input."""
    _tolerant_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from simulator.tui.app import run_app

        # The library loads off the critical path, after the first screen draws; so does the calls database.
        return run_app(lambda: _library(args), data_dir=args.data_dir, trainee=args.trainee)
    try:
        return args.func(args)
    except UserError as error:
        print(f"badnews: {error}", file=sys.stderr)
        return INVALID
    except ContentError as error:
        print(error, file=sys.stderr)
        return INVALID
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return OK
