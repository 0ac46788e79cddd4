"""The command-line contracts that checks outside the repo depend on: keys, ids and exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time

import pytest

from simulator.cli import main

GOOD_SCRIPT = "\n".join([
    "Dana, I have bad news: PO 4471, all 10,000 MCU-220s, will not arrive on 3 March.",
    "",
    "A typhoon closed the port of Osaka, and the full order will now arrive on 24 March. That's on me to fix.",
    "I have three options: we air-freight 2,000 units at our cost within 5 working days, we ship the pin-compatible MCU-221 from Taiwan this week, or we send weekly partial shipments.",
    "I'm sorry. Will you forgive me?",
    "...",
    "Thank you for your patience. I'll update you every Friday, and I'd value your continued support.",
]) + "\n"


def run(argv, stdin="", capsys=None, monkeypatch=None):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_has_the_contract_keys(capsys, monkeypatch):
    code, out, _ = run(["list", "--json"], capsys=capsys, monkeypatch=monkeypatch)
    data = json.loads(out)
    assert code == 0
    ids = {s["id"] for s in data["scenarios"]}
    assert "late-shipment" in ids
    assert all({"id", "title", "difficulty"} <= set(s) for s in data["scenarios"])
    assert {"calm", "angry"} <= {p["id"] for p in data["personas"]}


def test_replay_json_has_the_contract_keys(capsys, monkeypatch):
    code, out, _ = run(
        ["replay", "late-shipment", "--persona", "calm", "--seed", "4", "--json"], GOOD_SCRIPT, capsys, monkeypatch
    )
    data = json.loads(out)
    assert code == 0
    assert {"scenario", "persona", "seed", "score", "grade", "passed", "outcome", "behaviours", "transcript"} <= set(data)
    assert data["scenario"] == "late-shipment" and data["persona"] == "calm" and data["seed"] == 4
    assert isinstance(data["score"], int) and isinstance(data["passed"], bool)
    assert data["outcome"] in ("won_back", "strained", "lost")
    for line in data["behaviours"].values():
        assert {"hit", "points", "evidence"} <= set(line)
    for turn in data["transcript"]:
        assert {"speaker", "text", "behaviours", "mood"} <= set(turn)
    assert data["transcript"][0]["speaker"] == "buyer"


AGENDA_SLOTS = ["news", "when", "why", "options", "cost", "prevention", "position", "next_steps"]


def test_replay_json_shows_the_buyers_agenda(capsys, monkeypatch):
    """Issue 11's contract: the call's agenda, each buyer turn's asks and answers, every turn's known slots."""
    data = json.loads(run(["replay", "late-shipment", "--json"], GOOD_SCRIPT, capsys, monkeypatch)[1])
    assert set(AGENDA_SLOTS) <= set(data["agenda"])
    for turn in data["transcript"]:
        assert set(turn["known"]) <= set(data["agenda"])
        if turn["speaker"] == "buyer":
            assert isinstance(turn["asks"], list) and set(turn["asks"]) <= set(data["agenda"])
            assert turn["answers"] is None or isinstance(turn["answers"], str)
            assert not set(turn["asks"]) & set(turn["known"])
        else:
            assert "asks" not in turn and "answers" not in turn
    assert "news" in data["transcript"][1]["known"]
    forgiveness = next(i for i, t in enumerate(data["transcript"]) if "asks_forgiveness" in t["behaviours"])
    assert data["transcript"][forgiveness + 1]["answers"] == "forgiveness"


def test_replay_gives_the_same_json_every_time(capsys, monkeypatch):
    first = run(["replay", "late-shipment", "--persona", "angry", "--json"], GOOD_SCRIPT, capsys, monkeypatch)[1]
    second = run(["replay", "late-shipment", "--persona", "angry", "--json"], GOOD_SCRIPT, capsys, monkeypatch)[1]
    assert first == second


def test_replay_treats_dots_and_empty_lines_as_silence(capsys, monkeypatch):
    _, out, _ = run(["replay", "late-shipment", "--persona", "calm", "--json"], GOOD_SCRIPT, capsys, monkeypatch)
    sellers = [t for t in json.loads(out)["transcript"] if t["speaker"] == "seller"]
    assert "stays_silent" in sellers[1]["behaviours"] and "stays_silent" in sellers[5]["behaviours"]


def test_before_call_choices_are_scored_only_when_given(capsys, monkeypatch):
    plain = json.loads(run(["replay", "late-shipment", "--json"], GOOD_SCRIPT, capsys, monkeypatch)[1])
    chosen = json.loads(run(
        ["replay", "late-shipment", "--json", "--choose", "tell_them_first=call-now", "--choose", "call_not_email=email"],
        GOOD_SCRIPT, capsys, monkeypatch,
    )[1])
    assert "tell_them_first" not in plain["behaviours"]
    assert chosen["behaviours"]["tell_them_first"]["hit"] is True
    assert chosen["behaviours"]["call_not_email"]["hit"] is False


@pytest.mark.parametrize("choice", ["tell_them_frist=call-now", "tell_them_first=phone", "nonsense"])
def test_a_bad_choice_is_an_invalid_input_with_a_hint(capsys, monkeypatch, choice):
    code, _, err = run(["replay", "late-shipment", "--json", "--choose", choice], "", capsys, monkeypatch)
    assert code == 1 and "badnews:" in err


def test_an_unknown_scenario_suggests_the_nearest(capsys, monkeypatch):
    code, _, err = run(["replay", "late-shipmnet"], "", capsys, monkeypatch)
    assert code == 1 and "did you mean 'late-shipment'" in err


def test_plain_play_prints_buyer_lines_and_the_debrief(capsys, monkeypatch):
    code, out, _ = run(["play", "late-shipment", "--plain"], GOOD_SCRIPT, capsys, monkeypatch)
    assert code == 0
    assert "Dana:" in out and "Score" in out and "cut to the chase" in out
    assert "cut_to_the_chase" not in out and ".yaml:" not in out, "plain words by default, no phrase files"
    assert "The call has ended (Dana wrapped up the call)." in out


def test_plain_play_with_details_shows_ids_and_how_each_match_was_made(capsys, monkeypatch):
    _, out, _ = run(["play", "late-shipment", "--plain", "--details"], GOOD_SCRIPT, capsys, monkeypatch)
    assert "cut_to_the_chase" in out and ".yaml:" in out


def test_a_buyer_hanging_up_gets_a_line_of_its_own_in_plain_mode(capsys, monkeypatch):
    stalling = "\n".join(["Lovely weather.", "How was the weekend?", "Busy week?", "And the kids?", "Holidays?"])
    _, out, _ = run(["play", "late-shipment", "--plain"], stalling + "\n", capsys, monkeypatch)
    assert "Dana hung up. The call has ended." in out


def test_a_reply_full_of_escape_sequences_is_printed_harmlessly(capsys, monkeypatch):
    hostile = "\x1b[2J\x1b]0;pwned\x07 [bold]sorry[/] \u202eevil\n"
    _, out, _ = run(["play", "late-shipment", "--plain"], hostile, capsys, monkeypatch)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "[bold]sorry[/]" in out


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["replay"])
    assert exit_info.value.code == 2


def test_the_module_runs_like_the_console_script():
    result = subprocess.run([sys.executable, "-m", "simulator", "list", "--json"], capture_output=True, text=True)
    assert result.returncode == 0 and "late-shipment" in result.stdout


def test_validate_accepts_every_bundled_file(capsys, monkeypatch):
    from simulator.paths import bundled_dir

    code, out, err = run(["validate", str(bundled_dir("scenarios")), str(bundled_dir("personas"))], "", capsys, monkeypatch)
    assert code == 0, out + err


HOSTILE = {
    "not_yaml.yaml": b"title: [unclosed\n  - : :\n",
    "a_list.yaml": b"- title: x\n- difficulty: easy\n",
    "unknown_keys.yaml": b"title: T\ndifficulty: easy\nbrief: b\ntilte: oops\n",
    "wrong_types.yaml": b"title: [1, 2]\ndifficulty: 7\nbrief: {a: b}\n",
    "python_tag.yaml": b"title: !!python/object/apply:os.system ['touch MARKER']\n",
    "alias_bomb.yaml": b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n",
    "duplicate_keys.yaml": b"title: A\ndifficulty: easy\ntitle: B\n",
    "invalid_utf8.yaml": b"title: caf\xe9\n",
    "binary.yaml": b"\x00\x01\x02\x03PK\x03\x04" * 20,
    "deep.yaml": b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_gets_a_located_error_and_exit_1_quickly_without_a_traceback(tmp_path, name):
    path = tmp_path / "scenarios" / name
    path.parent.mkdir()
    path.write_bytes(HOSTILE[name].replace(b"MARKER", str(tmp_path / "pwned").encode()))
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "validate", str(path)], capture_output=True, text=True, timeout=30
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{path}:" in result.stdout and ": error: " in result.stdout
    assert elapsed < 10  # generous for a shared machine; the 2 s target is measured in benchmarks/
    assert not (tmp_path / "pwned").exists()


def test_a_50_mb_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"title: x\n")
        handle.write(b"# " + b"x" * (50 * 1024 * 1024) + b"\n")
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "validate", str(path)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{path}:1:1: error:" in result.stdout


def test_a_broken_user_scenario_is_reported_and_skipped_not_fatal(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.yaml").write_text("title: [oops\n")
    code, out, err = run(["--scenarios", str(folder), "list", "--json"], "", capsys, monkeypatch)
    assert code == 0
    assert "late-shipment" in out
    assert f"{folder / 'broken.yaml'}:" in err


def test_plain_play_puts_the_facts_at_hand_before_the_first_line(capsys, monkeypatch):
    _, out, _ = run(["play", "missed-training", "--plain"], "", capsys, monkeypatch)
    before_call = out[: out.index("Helen Park.") if "Helen Park." in out else out.index("I wondered if you'd call")]
    for heading in ("The situation:", "Facts:", "Approved options:", "Before the call:"):
        assert heading in before_call
    assert "rerun-thursday: Rerun the full session" in before_call
    assert "You:\n  Chris Adeyemi, Customer training lead, Ledgerline" in before_call  # the name she greets
    choose = next(line for line in before_call.splitlines() if "--choose tell_them_first=" in line)
    assert "first-thing" in choose and "after-rebooking" in choose
    assert "fee: $1,800" in before_call


def test_plain_play_scores_the_before_call_choices_given(capsys, monkeypatch):
    code, out, _ = run(["play", "late-shipment", "--plain", "--choose", "call_not_email=phone"], GOOD_SCRIPT,
                       capsys, monkeypatch)
    assert code == 0 and "call_not_email" in out and "Before the call" in out


def test_a_script_with_undecodable_bytes_is_replayed_without_a_traceback():
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "replay", "late-shipment", "--json"],
        input=b"Dana, PO 4471 is late \xff\xfe.\n\n", capture_output=True, env=env, timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    assert "\ufffd" in json.loads(result.stdout)["transcript"][1]["text"]


def test_a_bug_is_one_line_and_a_kept_file_never_a_traceback(capsys, monkeypatch, tmp_path):
    """The last guard: an unexpected exception in a command is reported in one line, its traceback kept in a file."""
    import simulator.cli.detector as detector_commands

    def broken(args):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(detector_commands, "cmd_detect", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    code, out, err = run(["detect", "hello"], "", capsys, monkeypatch)
    assert code == 1 and "Traceback" not in out + err
    assert "badnews: internal error (RuntimeError: something nobody foresaw)" in err
    [kept] = tmp_path.glob("badnews-crash-*.txt")
    assert "Traceback" in kept.read_text(encoding="utf-8") and str(kept) in err


def test_an_argument_with_a_nul_character_is_a_usage_error(capsys, monkeypatch):
    code, _, err = run(["cohort", "a\x00b"], "", capsys, monkeypatch)
    assert code == 2 and "NUL character" in err


class _Terminal(io.StringIO):
    """Typed input at a terminal."""

    def isatty(self) -> bool:
        return True


def test_plain_play_at_a_terminal_asks_the_before_call_questions_and_scores_the_answers(capsys, monkeypatch, tmp_path):
    """Two play-testers found the plain mode only listed the questions (as --choose hints) and never asked them."""
    from simulator.content.loader import load_library
    from simulator.content.quiz import shown_options

    scenario = load_library().scenario("late-shipment")
    (first, one), (second, two), *rest = scenario.choices.items()
    by_number = shown_options("late-shipment", first, one)[0]
    by_id = shown_options("late-shipment", second, two)[2]
    typed = f"1\nnot an answer\n{by_id.id}\n" + "\n" * len(rest)  # the rest left unanswered
    monkeypatch.setattr(sys, "stdin", _Terminal(typed + GOOD_SCRIPT))
    assert main(["--data-dir", str(tmp_path), "play", "late-shipment", "--plain"]) == 0
    out = capsys.readouterr().out
    assert f"Before the call: {one.prompt}" in out and "'not an answer' is not one of the answers." in out
    assert "Dana:" in out and "Score" in out
    saved = json.loads(run(["--data-dir", str(tmp_path), "report", "1", "--format", "json"], "", capsys, monkeypatch)[1])
    assert saved["call"]["choices"] == {first: by_number.id, second: by_id.id}


def test_plain_play_from_a_pipe_asks_nothing_before_the_call(capsys, monkeypatch):
    _, out, _ = run(["play", "late-shipment", "--plain"], GOOD_SCRIPT, capsys, monkeypatch)
    assert "Before the call: " not in out and "Your answer" not in out
