"""How long `badnews validate` takes to refuse hostile files (target: under 2 s each, exit 1), and how the
costs that hostile content could blow up grow.

Run: python benchmarks/bench_hostile.py [files] [saving] [phrases] [gaps] (all four when none is named).

- files: one row per hostile file: exit code, wall time of the whole command (interpreter start
  included) and of the in-process load alone;
- saving: seconds to save 100 and 1,000 replies of a call that never ends (the engine's own time
  apart), and the milliseconds of one save around reply 10 and around reply 1,000: they should match;
- phrases: seconds for `validate`'s checks of a scenario with 100, 250 and 500 phrases of its own;
- gaps: seconds to judge a 15-, 25- and 36-word reply against the gap-heavy phrase
  "we ~~ ~~ ... ~~ late for sure" (twelve gaps), which took over 100 s at 25 words before issue 13.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simulator.content.errors import ContentError
from simulator.content.loader import load_scenario

BOMB = b"a: &a [x,x,x,x,x,x,x,x,x]\n" + b"".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode() for i in range(8)
)
HOSTILE = {
    "not_yaml": b"title: [unclosed\n  - : :\n",
    "list_not_map": b"- title: x\n- difficulty: easy\n",
    "unknown_keys": b"title: T\ndifficulty: easy\nbrief: b\ntilte: oops\n",
    "python_tag": b"title: !!python/object/apply:os.system ['true']\n",
    "alias_bomb": BOMB,
    "duplicate_keys": b"title: A\ndifficulty: easy\ntitle: B\n",
    "invalid_utf8": b"title: caf\xe9\n",
    "binary": b"\x00\x01\x02\x03PK\x03\x04" * 20,
    "deep_nesting": b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "50_MB": b"title: x\n# " + b"x" * (50 * 1024 * 1024) + b"\n",
}


def hostile_files() -> None:
    """Write each hostile file, then time the CLI and the loader on it."""
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'file':<16}{'exit':>5}{'command s':>11}{'load ms':>10}")
        for name, content in HOSTILE.items():
            path = Path(folder) / f"{name}.yaml"
            path.write_bytes(content)
            started = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "simulator", "validate", str(path)], capture_output=True)
            command = time.perf_counter() - started
            started = time.perf_counter()
            with contextlib.suppress(ContentError):
                load_scenario(path)
            load = (time.perf_counter() - started) * 1000
            print(f"{name:<16}{result.returncode:>5}{command:>11.2f}{load:>10.1f}")


ENDLESS = """\
title: "Endless"
difficulty: easy
brief: The order is late.
seller: {name: Sam Keller, role: Account manager, company: Northgate}
buyer: {name: Dana Whitfield, role: Buyer, company: Larkspur}
start_stage: talk
stages:
  talk:
    transitions:
      - to: done
        when: {all: [asks_forgiveness, goes_over_their_head]}
  done:
    ending: won_back
"""
NEUTRAL_REPLY = "We will ship on Friday, I promise."  # never ends the call, never angers the calm buyer
GAP_HEAVY = "we " + "~~ " * 12 + "late for sure"
REPLY_WORDS = (
    "we are calling about the order you placed last month because the shipment from the port has been held "
    "and the carrier told us that the containers will not move until next week at the earliest"
).split()


def saving() -> None:
    """Seconds to save the replies of a never-ending call, and the cost of one save early and late."""
    from simulator.content.loader import load_library
    from simulator.detect import phrase_detector
    from simulator.engine.call import Call
    from simulator.records.recorder import CallRecorder
    from simulator.records.store import open_store

    persona = load_library().persona("calm")
    print(f"\n{'replies saved':<16}{'saving s':>10}{'ms/save ~10':>13}{'ms/save last':>14}")
    for count in (100, 1000):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "endless.yaml"
            path.write_text(ENDLESS, encoding="utf-8")
            call = Call(load_scenario(path), persona, detector=phrase_detector())
            call.open()
            with open_store(Path(folder) / "data") as store:
                recorder = CallRecorder.start(store, call, "bench")
                each = []
                for _ in range(count):
                    call.reply(NEUTRAL_REPLY)
                    started = time.perf_counter()
                    recorder.save()
                    each.append(time.perf_counter() - started)
            early, late = each[5:15], each[-10:]
            print(f"{count:<16}{sum(each):>10.2f}{1000 * sum(early) / len(early):>13.1f}"
                  f"{1000 * sum(late) / len(late):>14.1f}")


def _phrases(count: int) -> list[str]:
    """Distinct scenario phrases, some with a group or a gap, as a trainer might write them."""
    import random

    rng = random.Random(13)

    def word() -> str:
        return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))

    phrases = []
    for index in range(count):
        shape = index % 3
        if shape == 0:
            phrases.append(f"we will {word()} the {word()}")
        elif shape == 1:
            phrases.append(f"{{{word()}|{word()}}} the {word()} ~ today")
        else:
            phrases.append(f"our {word()} {word()} is {word()}")
    return phrases


def phrases() -> None:
    """Seconds for validate's checks of a scenario with many phrases of its own."""
    from simulator.authoring.lint import check_file, default_context

    context = default_context()
    source = (Path(__file__).resolve().parent.parent / "scenarios" / "late-shipment.yaml").read_text(encoding="utf-8")
    print(f"\n{'phrases':<16}{'validate s':>11}")
    for count in (100, 250, 500):
        listed = ", ".join(f'"{phrase}"' for phrase in _phrases(count))
        text = source.replace("phrases:\n", f"phrases:\n  corrective_action: [{listed}]\n", 1)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "many-phrases.yaml"
            path.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            check_file(path, "scenario", context)
            print(f"{count:<16}{time.perf_counter() - started:>11.2f}")


def gaps() -> None:
    """Seconds to judge replies of 15, 25 and 36 words against the gap-heavy phrase."""
    from simulator.detect import ReplyContext, phrase_detector

    detector = phrase_detector()
    context = ReplyContext(extra_phrases={"resets_expectations": [GAP_HEAVY]})
    detector.detect("warm up", context)
    print(f"\n{'reply words':<16}{'detect s':>10}")
    for count in (15, 25, 36):
        reply = " ".join(REPLY_WORDS[:count])
        started = time.perf_counter()
        detector.detect(reply, context)
        print(f"{count:<16}{time.perf_counter() - started:>10.3f}")


SECTIONS = {"files": hostile_files, "saving": saving, "phrases": phrases, "gaps": gaps}


def main(names: list[str]) -> int:
    """Run the sections named (all of them when none is)."""
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        print(f"unknown section {unknown[0]!r} (sections: {', '.join(SECTIONS)})", file=sys.stderr)
        return 2
    for name in names or SECTIONS:
        SECTIONS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
