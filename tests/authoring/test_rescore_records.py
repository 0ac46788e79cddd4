"""`badnews rescore --records` re-scores the calls kept in the database, so a rubric change can be calibrated."""

from __future__ import annotations

import io
import sys

from simulator.cli import main


def test_rescore_records_lists_every_ended_call_with_old_and_new_score(tmp_path, capsys, monkeypatch):
    data = str(tmp_path / "data")
    monkeypatch.setattr(sys, "stdin", io.StringIO("Dana, PO 4471 will arrive on 24 March, not 3 March.\n\n"))
    assert main(["--data-dir", data, "play", "late-shipment", "--plain"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "rescore", "--records"]) == 0
    out = capsys.readouterr().out
    assert "call 1  late-shipment/calm" in out and "->" in out and "1 call(s) re-scored" in out


def test_rescore_with_nothing_to_read_is_an_error(capsys):
    assert main(["rescore"]) == 1
    assert "--records" in capsys.readouterr().err
