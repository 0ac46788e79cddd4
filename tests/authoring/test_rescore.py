"""`badnews rescore` plays saved calls again under today's rubric, so a rubric change is seen before it ships."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from simulator.authoring.rescore import (
    SavedCallError,
    read_replay_json,
    saved_call_from_json,
)
from simulator.cli import main
from simulator.paths import bundled_dir

SCRIPT = "\n".join([
    "Dana, I have bad news: PO 4471, all 10,000 MCU-220s, will not arrive on 3 March.",
    "",
    "It's the shipping line's fault, they messed up.",
    "I have three options: we air-freight 2,000 units at our cost, we ship the MCU-221 from Taiwan, or weekly partials.",
    "I'm sorry. Will you forgive me?",
]) + "\n"


@pytest.fixture
def own_scenario(tmp_path) -> Path:
    """A copy of late-shipment under another id, in a folder passed with --scenarios, so a test may change its rubric."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    text = (bundled_dir("scenarios") / "late-shipment.yaml").read_text(encoding="utf-8")
    (folder / "my-late.yaml").write_text(text, encoding="utf-8")
    return folder


def replay_to(path: Path, argv: list[str], capsys, monkeypatch) -> dict:
    monkeypatch.setattr(sys, "stdin", io.StringIO(SCRIPT))
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    path.write_text(json.dumps(data), encoding="utf-8")
    return data


def test_an_unchanged_rubric_gives_every_call_its_old_score(tmp_path, capsys, monkeypatch):
    calm = tmp_path / "calm.json"
    angry = tmp_path / "angry.json"
    old_calm = replay_to(calm, ["replay", "late-shipment", "--seed", "3"], capsys, monkeypatch)["score"]
    old_angry = replay_to(angry, ["replay", "late-shipment", "--persona", "angry"], capsys, monkeypatch)["score"]
    assert main(["rescore", str(calm), str(angry)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{calm}  late-shipment/calm  {old_calm} -> {old_calm} (+0)"
    assert out[1] == f"{angry}  late-shipment/angry  {old_angry} -> {old_angry} (+0)"
    assert out[2] == "2 call(s) re-scored: 0 changed, mean delta +0.0, 0 verdict(s) flipped"


def test_a_heavier_penalty_shows_as_a_lower_new_score(tmp_path, own_scenario, capsys, monkeypatch):
    saved = tmp_path / "call.json"
    old = replay_to(saved, ["--scenarios", str(own_scenario), "replay", "my-late"], capsys, monkeypatch)
    assert old["behaviours"]["blames_others"]["hit"]
    rubric = own_scenario / "my-late.yaml"
    heavier = rubric.read_text().replace("scoring:\n", "scoring:\n  weights: {blames_others: 40}\n")
    rubric.write_text(heavier, encoding="utf-8")
    assert main(["--scenarios", str(own_scenario), "rescore", "--json", str(saved)]) == 0
    result = json.loads(capsys.readouterr().out)
    [call] = result["calls"]
    assert call["old_score"] == old["score"] and call["new_score"] < old["score"]
    assert call["delta"] == call["new_score"] - call["old_score"]
    assert result["summary"] == {"count": 1, "changed": 1, "mean_delta": float(call["delta"]), "flipped": 0}


def test_bad_files_are_reported_one_line_each_and_fail_the_run(tmp_path, capsys, monkeypatch):
    good = tmp_path / "good.json"
    replay_to(good, ["replay", "late-shipment"], capsys, monkeypatch)
    not_json = tmp_path / "notes.json"
    not_json.write_text("score: 80\n")
    assert main(["rescore", str(good), str(not_json), str(tmp_path / "gone.json")]) == 1
    out, err = capsys.readouterr()
    assert f"{not_json}:1:1: not JSON" in err and "gone.json" in err and "Traceback" not in err
    assert out.splitlines()[-1].endswith("0 changed, mean delta +0.0, 0 verdict(s) flipped, 2 error(s)")


# What every `replay --json` object has besides the call's ids and turns.
VERDICT = {"grade": "F", "pass_mark": 70, "outcome": "lost"}
MOOD = {"temperature": 20, "trust": 50, "band": "calm"}


def test_a_saved_call_must_look_like_replay_json():
    with pytest.raises(SavedCallError, match="missing 'seed'"):
        saved_call_from_json({"scenario": "late-shipment", "persona": "calm", "score": 3, "transcript": []}, "x")
    with pytest.raises(SavedCallError, match="'score' should be int"):
        saved_call_from_json(
            {"scenario": "s", "persona": "p", "seed": 0, "score": "80", "transcript": []}, "x"
        )
    with pytest.raises(SavedCallError, match="expected a JSON object"):
        saved_call_from_json([1, 2], "x")


def test_only_the_sellers_turns_are_replayed_in_order(tmp_path):
    path = tmp_path / "call.json"
    path.write_text(json.dumps({
        "scenario": "late-shipment", "persona": "calm", "seed": 2, "score": 40, "passed": False, **VERDICT,
        "choices": {"tell_them_first": "call-now"},
        "transcript": [
            {"speaker": "buyer", "text": "Hi", "mood": MOOD}, {"speaker": "seller", "text": "one", "mood": MOOD},
            {"speaker": "buyer", "text": "Hm", "mood": MOOD}, {"speaker": "seller", "text": "", "mood": MOOD},
        ],
    }))
    saved = read_replay_json(path)
    assert saved.replies == ("one", "")
    assert saved.seed == 2 and saved.choices == {"tell_them_first": "call-now"} and saved.passed is False


def test_a_call_whose_scenario_or_choice_is_gone_is_an_error(tmp_path, capsys):
    path = tmp_path / "call.json"
    base = {"scenario": "late-shipment", "persona": "calm", "seed": 0, "score": 40, "passed": False, **VERDICT,
            "transcript": []}
    path.write_text(json.dumps({**base, "scenario": "late-shipmnt"}))
    assert main(["rescore", str(path)]) == 1
    assert "no scenario 'late-shipmnt' -- did you mean 'late-shipment'?" in capsys.readouterr().err
    path.write_text(json.dumps({**base, "choices": {"tell_them_first": "tomorrow"}}))
    assert main(["rescore", str(path)]) == 1
    assert "no longer has choice tell_them_first=tomorrow" in capsys.readouterr().err
