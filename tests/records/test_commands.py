"""The records commands as a user types them: play is saved, history/report/export/cohort answer, bad input never tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from simulator.cli import main
from simulator.records.store import DB_NAME, open_store

from .conftest import BLAMING_REPLIES, GOOD_REPLIES


def run(argv, capsys, monkeypatch, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def play(capsys, monkeypatch, replies=GOOD_REPLIES, *extra):
    return run([*extra, "play", "late-shipment", "--plain"], capsys, monkeypatch, "\n".join(replies) + "\n")


def test_a_plain_call_is_saved_and_says_where(capsys, monkeypatch, data_folder):
    code, out, err = play(capsys, monkeypatch, GOOD_REPLIES, "--trainee", "ana")
    assert code == 0 and "Score" in out
    assert "saved as call 1: badnews report 1" in err
    with open_store(data_folder) as store:
        (record,) = store.calls()
    assert (record.trainee, record.status, len(record.replies)) == ("ana", "finished", len(GOOD_REPLIES))


def test_data_dir_may_come_before_or_after_the_command(capsys, monkeypatch, tmp_path):
    play(capsys, monkeypatch, GOOD_REPLIES, "--data-dir", str(tmp_path / "elsewhere"))
    assert (tmp_path / "elsewhere" / DB_NAME).exists()
    code, out, _ = run(["history", "--data-dir", str(tmp_path / "elsewhere")], capsys, monkeypatch)
    assert code == 0 and "1 call(s), 1 ended" in out


def test_history_lists_the_calls_and_json_gives_the_same(capsys, monkeypatch):
    play(capsys, monkeypatch, GOOD_REPLIES)
    play(capsys, monkeypatch, BLAMING_REPLIES)
    code, out, _ = run(["history"], capsys, monkeypatch)
    assert code == 0 and "2 call(s), 2 ended" in out and "Weak spots" in out and "Next drill" in out
    code, out, _ = run(["history", "--json"], capsys, monkeypatch)
    assert [c["id"] for c in json.loads(out)["calls"]] == [2, 1]


def test_an_empty_history_suggests_a_first_call(capsys, monkeypatch):
    code, out, _ = run(["history"], capsys, monkeypatch)
    assert code == 0 and out.startswith("No calls yet.") and "badnews play " in out


def test_report_last_in_markdown_and_json_to_a_file(capsys, monkeypatch, tmp_path):
    play(capsys, monkeypatch, GOOD_REPLIES)
    code, out, _ = run(["report", "last"], capsys, monkeypatch)
    assert code == 0 and out.startswith("# Bad News Drill:") and "(call 1)" in out
    target = tmp_path / "report.json"
    code, out, err = run(["report", "1", "--format", "json", "-o", str(target)], capsys, monkeypatch)
    assert code == 0 and out == "" and f"wrote {target}" in err
    assert json.loads(target.read_text())["call"]["id"] == 1


@pytest.mark.parametrize(("call_id", "message"), [
    ("7", "there is no call 7"),
    ("abc", "CALL_ID is a call number from `badnews history`, or 'last'"),
    ("last", "no calls yet"),
])
def test_a_bad_call_id_is_one_clear_message(call_id, message, capsys, monkeypatch):
    code, out, err = run(["report", call_id], capsys, monkeypatch)
    assert code == 1 and out == "" and message in err and "Traceback" not in err


def test_export_writes_jsonl_by_default_csv_on_request_and_xapi_for_an_lrs(capsys, monkeypatch, tmp_path):
    play(capsys, monkeypatch, GOOD_REPLIES)
    play(capsys, monkeypatch, BLAMING_REPLIES, "--trainee", "ben")
    code, out, _ = run(["export"], capsys, monkeypatch)
    assert code == 0 and [json.loads(line)["call_id"] for line in out.splitlines()] == [1, 2]
    code, out, _ = run(["--trainee", "ben", "export", "--format", "csv"], capsys, monkeypatch)
    assert len(out.splitlines()) == 2 and out.startswith("call_uid,")
    code, out, _ = run(["export", "--xapi", "--xapi-base", "https://lms.example.com/bnd"], capsys, monkeypatch)
    assert code == 0 and len(json.loads(out)) == 4


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "--xapi", "--format", "csv"], "leave out --format"),
    (["export", "--xapi", "--xapi-base", "lms"], "--xapi-base must be an http(s) address"),
    (["export", "-o", "/nonexistent-folder/x.jsonl"], "/nonexistent-folder"),
])
def test_bad_export_options_are_one_clear_message(argv, message, capsys, monkeypatch):
    code, _, err = run(argv, capsys, monkeypatch)
    assert code == 1 and message in err and "Traceback" not in err


def test_cohort_reads_exports_reports_bad_lines_and_fails_only_when_nothing_was_read(capsys, monkeypatch, tmp_path):
    play(capsys, monkeypatch, BLAMING_REPLIES)
    export = tmp_path / "ana.jsonl"
    run(["export", "-o", str(export)], capsys, monkeypatch)
    with export.open("a") as handle:
        handle.write("not json\n")
    code, out, err = run(["cohort", str(export)], capsys, monkeypatch)
    assert code == 0 and "Per trainee" in out and f"{export}:2: not JSON" in err
    code, out, _ = run(["cohort", str(export), "--json"], capsys, monkeypatch)
    assert json.loads(out)["calls"] == 1
    code, _, err = run(["cohort", str(tmp_path / "missing.jsonl")], capsys, monkeypatch)
    assert code == 1 and "cannot read" in err


def test_a_corrupt_database_is_set_aside_the_user_is_told_and_the_command_goes_on(capsys, monkeypatch, data_folder):
    data_folder.mkdir(parents=True)
    (data_folder / DB_NAME).write_bytes(b"\x00garbage" * 1000)
    code, out, err = run(["history"], capsys, monkeypatch)
    assert code == 0 and "Traceback" not in err
    (aside,) = data_folder.glob(f"{DB_NAME}.corrupt-*")
    assert f"It was kept as {aside}" in err and "new, empty calls database" in err
    assert out.startswith("No calls yet.")


def test_resume_refuses_a_finished_call_with_the_way_to_see_it(capsys, monkeypatch):
    play(capsys, monkeypatch, GOOD_REPLIES)
    code, _, err = run(["resume", "last"], capsys, monkeypatch)
    assert code == 1 and "call 1 is finished; `badnews report 1` shows it" in err


def test_a_database_that_cannot_be_used_does_not_stop_a_plain_call(capsys, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, out, err = play(capsys, monkeypatch, GOOD_REPLIES, "--data-dir", str(blocker / "sub"))
    assert code == 0 and "Score" in out and "this call will not be saved" in err


def test_registering_the_records_commands_costs_no_start_up_time():
    code = (
        "import sys\n"
        "from simulator.cli import build_parser\n"
        "build_parser().parse_args(['history'])\n"
        "heavy = [m for m in sys.modules if m.startswith(('pydantic', 'transitions', 'rapidfuzz', 'yaml', 'sqlite3',"
        " 'platformdirs', 'rich', 'simulator.records.', 'simulator.engine', 'simulator.render'))]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_records_modules_never_import_textual():
    code = (
        "import sys\n"
        "import simulator.records.store, simulator.records.recorder, simulator.records.history, "
        "simulator.records.export, simulator.records.xapi, simulator.records.cohort, "
        "simulator.render.report, simulator.render.plain, simulator.render.rubric\n"
        "assert 'textual' not in sys.modules and 'rich' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
