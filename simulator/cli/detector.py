"""The detector's commands: `detect` (one reply, or JSON lines) and `eval` (figures on a labelled file)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.cli.common import OK, UserError
from simulator.text import safe_json


def register(sub: argparse._SubParsersAction) -> None:
    """Add the detector commands."""
    p = sub.add_parser("detect", help="show the behaviours detected in a reply")
    p.add_argument("text", nargs="?", metavar="TEXT")
    p.add_argument("--jsonl", action="store_true", help="read JSON lines from stdin, write JSON lines")
    p.set_defaults(func=cmd_detect)

    p = sub.add_parser("eval", help="measure the detector on a labelled YAML file")
    p.add_argument("file", metavar="FILE.yaml")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_eval)


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
    from simulator.detect.evaluate import eval_json, evaluate, load_labelled

    report = evaluate(load_labelled(Path(args.file)), default_detector())
    if args.json:
        print(safe_json(eval_json(report)))
    else:
        from simulator.render.tables import eval_table

        print(eval_table(report), end="")
    return OK
