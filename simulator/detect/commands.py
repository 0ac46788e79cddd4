"""What `badnews detect` and `badnews detect --jsonl` print: readable evidence, or one JSON object per line."""

from __future__ import annotations

import json
from typing import TextIO

from simulator.detect.detector import Detector, default_detector
from simulator.detect.results import Detection
from simulator.text import MAX_REPLY_CHARS, safe_json, visible_lines

NO_BEHAVIOURS = "no behaviours detected"
LAYER_NAMES = {
    "phrase": "a phrase bank",
    "rule": "a rule",
    "scenario": "the scenario's own phrases or facts",
    "example": "a trainer's example line",
    "model": "the learned model (its probability, and the labelled lines it resembles)",
}


def detect_text(text: str, detector: Detector | None = None) -> str:
    """A readable account of a reply: each behaviour, the clause, the phrase matched, strength vs threshold."""
    detection = (detector or default_detector()).detect(text)
    return format_detection(detection)


def format_detection(detection: Detection) -> str:
    """The evidence of one detection, one block per behaviour, strongest evidence first."""
    if not detection.evidence:
        return NO_BEHAVIOURS
    lines = []
    for behaviour in detection.behaviours:
        items = sorted((e for e in detection.evidence if e.behaviour == behaviour), key=lambda e: -e.strength)
        lines.append(behaviour)
        for evidence in items:
            lines.append(f"  clause:   {_one_line(evidence.clause)!r}  [{evidence.start}:{evidence.end}]")
            lines.append(f"  decided:  {LAYER_NAMES.get(evidence.layer, evidence.layer)}")
            if evidence.layer == "model":
                lines.append(f"  model:    {evidence.strength:.3f} (threshold {evidence.threshold:.2f})")
            else:
                lines.append(f"  matched:  {_one_line(evidence.phrase)}")
                lines.append(f"  strength: {evidence.strength:.2f} (threshold {evidence.threshold:.2f})")
                if evidence.confidence is not None:
                    lines.append(f"  model:    {evidence.confidence:.3f}")
            for text, similarity in evidence.similar:
                lines.append(f"  like:     {_one_line(text)!r} ({similarity:.2f})")
    if len(detection.text) > MAX_REPLY_CHARS:
        lines.append(f"(only the first {MAX_REPLY_CHARS} characters of this reply were read)")
    return visible_lines("\n".join(lines))


def detect_jsonl(stdin: TextIO, stdout: TextIO, detector: Detector | None = None) -> int:
    """Read one JSON string or {"text": ...} per line; write one detection object per line, in order.

    A line that is not valid JSON (or has no text) writes an object with "error" and goes on.
    Returns 0, or 1 if any line was invalid.
    """
    detector = detector or default_detector()
    status = 0
    for number, line in enumerate(stdin, start=1):
        text, error = _parse_line(line, number)
        if error is not None:
            status = 1
            record: dict = {"text": None, "behaviours": [], "evidence": [], "error": error}
        else:
            record = detector.detect(text).to_json()
        _write_line(stdout, record)
    return status


def _write_line(stdout: TextIO, record: dict) -> None:
    try:
        # Readable letters, but C1, DEL and bidi controls written as \u escapes: stdout may be a terminal.
        stdout.write(safe_json(record, indent=None) + "\n")
    except UnicodeEncodeError:  # a narrow terminal encoding
        stdout.write(json.dumps(record) + "\n")
    stdout.flush()


def _parse_line(line: str, number: int) -> tuple[str, str | None]:
    try:
        value = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as error:
        message = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
        return "", f"line {number}: not valid JSON ({message})"
    if isinstance(value, str):
        return value, None
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return value["text"], None
    return "", f'line {number}: expected a JSON string or an object with a "text" string'


def _one_line(text: str) -> str:
    return " ".join(text.split())
