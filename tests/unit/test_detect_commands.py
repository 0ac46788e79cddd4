"""`badnews detect` explains its evidence; `--jsonl` streams one object per input line and survives bad lines."""

from __future__ import annotations

import io
import json

from simulator.detect.commands import NO_BEHAVIOURS, detect_jsonl, detect_text


def test_detect_text_shows_clause_phrase_and_strength() -> None:
    out = detect_text("I'm sorry, your order is late.")
    assert "apologizes" in out and "states_the_news" in out
    assert "clause:   \"I'm sorry\"" in out
    assert "strength: 1.00 (threshold 0.80)" in out


def test_detect_text_says_so_when_nothing_is_found() -> None:
    assert detect_text("What time works for you?") == NO_BEHAVIOURS


def test_detect_jsonl_writes_one_object_per_line_in_order() -> None:
    lines = ['"I am sorry"', json.dumps({"text": "the order is late"}), "not json", '{"x": 1}', '""']
    out = io.StringIO()
    status = detect_jsonl(io.StringIO("\n".join(lines) + "\n"), out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert status == 1
    assert [r["behaviours"] for r in records] == [["apologizes"], ["states_the_news"], [], [], ["stays_silent"]]
    assert records[2] == {"text": None, "behaviours": [], "evidence": [], "error": records[2]["error"]}
    assert records[2]["error"].startswith("line 3: ")
    assert records[3]["error"].startswith("line 4: ")


def test_detect_jsonl_returns_zero_when_every_line_is_valid() -> None:
    out = io.StringIO()
    assert detect_jsonl(io.StringIO('"a"\n"b"\n'), out) == 0
    assert len(out.getvalue().splitlines()) == 2


def test_detect_jsonl_handles_thousands_of_lines() -> None:
    source = io.StringIO("".join(json.dumps(f"reply {i}: sorry, it's late") + "\n" for i in range(1000)))
    out = io.StringIO()
    assert detect_jsonl(source, out) == 0
    assert len(out.getvalue().splitlines()) == 1000


def test_detect_jsonl_writes_c1_del_and_bidi_controls_as_u_escapes_and_keeps_the_text() -> None:
    hostile = "sorry \x1b]52;c;aGk=\x07 \x9b31m \x7f \u202e \u2066 \u200f \u061c Zoë"
    out = io.StringIO()
    detect_jsonl(io.StringIO(json.dumps(hostile) + "\n"), out)
    written = out.getvalue()
    assert not any(char in written for char in "\x1b\x07\x9b\x7f\u202e\u2066\u200f\u061c")
    assert "Zoë" in written  # non-ASCII letters stay as they are
    assert json.loads(written)["text"] == hostile
