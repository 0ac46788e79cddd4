"""Playing calls: `list`, `play` (the app, or --plain line by line), `replay` and `resume`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, TextIO

from simulator.cli.common import (
    OK,
    UserError,
    call_id_text,
    load_library,
    note,
    open_records,
    parse_choices,
    require_terminal,
    scenario_and_persona,
    seed_number,
    store_options,
    stored_call,
)
from simulator.status import NOT_KEPT
from simulator.text import safe_json

if TYPE_CHECKING:
    from pathlib import Path

    from simulator.content.models import Persona, Scenario
    from simulator.engine.call import Call, Turn
    from simulator.records.recorder import CallRecorder

CUT_SHOWN_CHARS = 24  # of a reply cut at the length limit, this much of the part left out is quoted
START_HINT = "One reply per line. An empty line is staying silent. End of input (Ctrl-D) ends the call.\n"
PLAIN_MODE_HINT = "Plain mode gives its coaching in the debrief at the end, as exam mode does (it is saved as exam mode)."


def register(sub: argparse._SubParsersAction) -> None:
    """Add the commands that play calls."""
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
        p.add_argument("--seed", type=seed_number, default=0, metavar="N",
                       help="seed for the buyer's choice of words (a whole number, 0 or more)")
        p.add_argument("--choose", action="append", default=[], metavar="ID=OPTION",
                       help="a before-call choice, scored (the app asks them in the briefing)")
        p.add_argument("--details", action="store_true",
                       help="the debrief with rubric ids and how each match was made (for trainers)")
        p.set_defaults(func=func)
        if name == "play":
            p.add_argument("--plain", action="store_true", help="line-based call on stdin/stdout")
            p.add_argument("--exam", action="store_true", help="in the app: feedback only at the end")
        else:
            p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("resume", help="go on with an unfinished call, line by line (like play --plain)")
    p.add_argument("call_id", type=call_id_text, metavar="CALL_ID", help="a call number from `badnews history`, or 'last'")
    store_options(p)
    p.set_defaults(func=cmd_resume)


def replies_from(stream: TextIO, prompt: str = "") -> Iterator[str]:
    """One reply per line; an empty line or '...' is silence. `prompt` is shown before each line is read.

    A line over MAX_REPLY_CHARS is kept to that length, and a note on stderr says how much was left out.
    """
    from simulator.engine.script import as_reply
    from simulator.text import MAX_REPLY_CHARS

    while True:
        if prompt:
            print(prompt, end="", flush=True)
        raw = stream.readline()
        if not raw:
            return
        line = raw.rstrip("\n")
        if len(line) > MAX_REPLY_CHARS:
            cut = line[MAX_REPLY_CHARS:]
            note(f"a reply holds at most {MAX_REPLY_CHARS:,} characters: the last {len(cut):,} of this one "
                 f"(from \"{cut[:CUT_SHOWN_CHARS].strip()}...\") were left out")
        yield as_reply(line)


def cmd_list(args: argparse.Namespace) -> int:
    """Scenarios and personas, with title and difficulty."""
    from simulator.render.tables import library_table

    library = load_library(args.scenarios, args.personas)
    scenarios = [
        {"id": s.id, "title": s.title, "difficulty": s.difficulty, "buyer": s.buyer.name,
         "company": s.buyer.company, "default_persona": s.default_persona}
        for s in library.scenarios.values()
    ]
    personas = [{"id": p.id, "name": p.name, "description": p.description} for p in library.personas.values()]
    if args.json:
        print(safe_json({"scenarios": scenarios, "personas": personas}))
    else:
        print(library_table(library), end="")
    return OK


def cmd_play(args: argparse.Namespace) -> int:
    """A live call: the Textual app, or a line-based call on stdin/stdout with --plain, saved after every turn."""
    from simulator.engine.call import Call
    from simulator.scoring.result import Mode

    library = load_library(args.scenarios, args.personas)
    scenario, persona = scenario_and_persona(library, args.scenario, args.persona)
    choices = parse_choices(scenario, args.choose)
    if not args.plain:
        from simulator.tui.app import (
            run_app,  # imported here: the core never loads textual
        )

        require_terminal()

        mode = Mode.EXAM if args.exam else Mode.TRAIN
        call = Call(scenario, persona, seed=args.seed, choices=choices)
        return run_app(library, call=call, data_dir=args.data_dir, trainee=args.trainee, mode=mode)
    from simulator.render.brief import format_brief

    print(visible_header(scenario, persona))
    print()
    print(format_brief(scenario, persona))
    print()
    if sys.stdin.isatty() and set(scenario.choices) - set(choices):
        # At a terminal the questions are asked, as the app's briefing asks them; from a pipe, --choose answers them.
        choices = ask_choices(scenario, choices, sys.stdin)
    call = Call(scenario, persona, seed=args.seed, choices=choices)
    recorder = start_recording(call, args.data_dir, args.trainee)
    print(PLAIN_MODE_HINT)
    print(START_HINT)
    print(_said(call, call.open()), flush=True)
    return play_plain(call, recorder, details=args.details)


def ask_choices(scenario: Scenario, chosen: Mapping[str, str], stream: TextIO) -> dict[str, str]:
    """The before-call questions `--choose` did not answer, asked one by one: a number or an option's id answers,
    an empty line leaves it unanswered (and unscored), the end of input leaves the rest unanswered."""
    from simulator.content.quiz import shown_options
    from simulator.text import visible

    answers = dict(chosen)
    for choice_id, choice in scenario.choices.items():
        if choice_id in answers:
            continue
        shown = shown_options(scenario.id or "", choice_id, choice)
        print(f"Before the call: {visible(choice.prompt)}")
        for number, option in enumerate(shown, 1):
            print(f"  {number}) {visible(option.text)}")
        while True:
            print(f"Your answer (1-{len(shown)}, or Enter to skip): ", end="", flush=True)
            raw = stream.readline()
            if not raw:
                print()
                return answers
            text = raw.strip()
            if not text:
                break
            pick = (shown[int(text) - 1] if text.isdigit() and 1 <= int(text) <= len(shown)
                    else next((o for o in shown if o.id == text), None))
            if pick is not None:
                answers[choice_id] = pick.id
                break
            print(visible(f"'{text}' is not one of the answers."))
        print()
    return answers


def visible_header(scenario: Scenario, persona: Persona, extra: str = "") -> str:
    """The first line of a plain call: the scenario and the buyer, made harmless to print."""
    from simulator.text import visible

    return visible(f"{scenario.title}  (buyer: {persona.name}){extra}")


def _said(call: Call, turn: Turn) -> str:
    from simulator.render.plain import turn_line
    from simulator.scoring.result import turn_result

    return turn_line(call.scenario.buyer.first_name, turn_result(turn))


def start_recording(call: Call, data_dir: Path | None, trainee: str | None) -> CallRecorder | None:
    """Keep a live plain call in the store; when the store cannot be used, say so and play on unsaved."""
    from simulator.paths import default_trainee
    from simulator.records.recorder import CallRecorder
    from simulator.records.store import StoreError
    from simulator.scoring.result import Mode

    try:
        store = open_records(data_dir)
        # A plain call shows no coaching until the debrief: it is played as in exam mode.
        return CallRecorder.start(store, call, trainee or default_trainee(), mode=Mode.EXAM)
    except (UserError, StoreError) as error:
        note(f"{error}; this call will not be saved")
        return None


def play_plain(call: Call, recorder: CallRecorder | None, *, details: bool = False) -> int:
    """The line-based call: each reply is saved before the buyer's answer is shown; Ctrl-C keeps it as abandoned.

    At a terminal each reply is asked for with "You: " (a screen reader says whose turn it is); every
    event gets a line of its own: the buyer hanging up, the call ending, the score."""
    from simulator.render.plain import format_debrief
    from simulator.scoring.result import call_result

    prompt = "You: " if sys.stdin.isatty() else ""
    try:
        for reply in replies_from(sys.stdin, prompt):
            answer = call.reply(reply)
            if recorder:
                note(recorder.save())
            print(_said(call, answer), flush=True)
            if call.over:
                break
    except KeyboardInterrupt:
        if recorder:
            note(recorder.abandon())  # when the store could not take it, this says where the call is kept instead
            if recorder.discarded:
                note(NOT_KEPT)
            elif recorder.saved:
                note(f"call {recorder.call_id} kept; go on with: badnews resume {recorder.call_id}")
        raise
    call.stop("input ended")
    if recorder:
        note(recorder.save())
    print()
    print(_ending_line(call))
    print()
    print(format_debrief(recorder.result() if recorder else call_result(call), details=details))
    if recorder:
        note(recorder.unsaved_note() or f"saved as call {recorder.call_id}: badnews report {recorder.call_id}")
    return OK


def _ending_line(call: Call) -> str:
    """How the call ended, in a sentence of its own."""
    from simulator.text import visible

    buyer = visible(call.scenario.buyer.first_name)
    if call.ended_by == "buyer hung up":
        return f"{buyer} hung up. The call has ended."
    if call.ended_by == "input ended":
        return "You stopped the call. It is scored on what was said."
    return f"The call has ended ({visible(call.ended_by or 'finished')})."


def cmd_replay(args: argparse.Namespace) -> int:
    """Play a scripted call from stdin and print the transcript and debrief, or one JSON object."""
    from simulator.engine.script import play_script
    from simulator.render.plain import format_debrief, format_transcript
    from simulator.scoring.result import call_result

    library = load_library(args.scenarios, args.personas)
    scenario, persona = scenario_and_persona(library, args.scenario, args.persona)
    choices = parse_choices(scenario, args.choose)
    call = play_script(scenario, persona, replies_from(sys.stdin), seed=args.seed, choices=choices)
    result = call_result(call)
    if args.json:
        print(safe_json(result.to_json()))
    else:
        print(format_transcript(result))
        print()
        print(format_debrief(result, details=args.details))
    return OK


def cmd_resume(args: argparse.Namespace) -> int:
    """Rebuild a stored unfinished call from its replies and go on with it line by line."""
    from simulator.records.recorder import ResumeError, resume_call, same_as_stored

    store = open_records(getattr(args, "data_dir", None))
    record = stored_call(store, args.call_id)
    library = load_library(args.scenarios, args.personas)
    try:
        recorder = resume_call(store, record, library)
    except ResumeError as error:
        raise UserError(str(error)) from None
    call = recorder.call
    if not same_as_stored(record, call):
        note("the scenario or persona changed since this call was played: the buyer's lines may differ")
    count = len(record.replies)
    print(visible_header(call.scenario, call.persona, f"  call {record.id}, resumed after {count} repl{'y' if count == 1 else 'ies'}"))
    print(START_HINT)
    for turn in call.transcript:
        print(_said(call, turn))
    sys.stdout.flush()
    return play_plain(call, recorder, details=getattr(args, "details", False))
