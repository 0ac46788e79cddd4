"""The records commands as a user types them: play is saved, history/report/export/cohort answer, bad input never tracebacks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from simulator.cli import main
from simulator.records.store import DB_NAME, open_store

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, fill_the_disk


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
    ("last", "no calls yet"),
])
def test_a_call_id_not_in_the_store_is_one_clear_message(call_id, message, capsys, monkeypatch):
    code, out, err = run(["report", call_id], capsys, monkeypatch)
    assert code == 1 and out == "" and message in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["report", "abc"], ["report", "²"], ["resume", "²"], ["report", "٣"], ["report", "-1"], ["report", "+1"],
    ["report", " 1"], ["report", "99999999999999999999999"], ["report", "9223372036854775808"],
    ["resume", "99999999999999999999999"],
])
def test_a_call_id_that_is_not_ascii_digits_within_sqlites_range_is_a_usage_error(argv, capsys, monkeypatch):
    with pytest.raises(SystemExit) as exited:
        run(argv, capsys, monkeypatch)
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "Traceback" not in err
    assert "CALL_ID is a call number from `badnews history`, or 'last'" in err


@pytest.mark.parametrize("seed", ["99999999999999999999999", "9223372036854775808", "-1", "-99999999999999999999999",
                                  "²", "1e3", "0x10", ""])
@pytest.mark.parametrize("command", ["play", "replay"])
def test_a_seed_that_is_not_ascii_digits_within_sqlites_range_is_a_usage_error(command, seed, capsys, monkeypatch):
    argv = [command, "late-shipment", "--seed", seed] + (["--plain"] if command == "play" else [])
    with pytest.raises(SystemExit) as exited:
        run(argv, capsys, monkeypatch, "Dana, bad news.\n")
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "Traceback" not in err
    assert "--seed takes a whole number from 0 to 9223372036854775807" in err


@pytest.mark.parametrize("limit", ["-3", "x", "", "1.5"])
@pytest.mark.parametrize("command", ["history", "team"])
def test_a_limit_that_is_not_a_whole_number_of_calls_is_a_usage_error(command, limit, capsys, monkeypatch):
    with pytest.raises(SystemExit) as exited:
        run([command, f"--limit={limit}"], capsys, monkeypatch)
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "Traceback" not in err
    assert "--limit takes a whole number of calls (0 for all)" in err


def test_the_largest_seed_sqlite_holds_is_played_and_stored(capsys, monkeypatch, data_folder):
    code, _, err = run(["play", "late-shipment", "--plain", "--seed", "9223372036854775807"], capsys, monkeypatch,
                       "Dana, bad news.\n")
    assert code == 0 and "saved as call 1" in err
    with open_store(data_folder) as store:
        assert store.get(1).seed == 2**63 - 1


def test_export_writes_jsonl_by_default_csv_on_request_and_xapi_for_an_lrs(capsys, monkeypatch, tmp_path):
    play(capsys, monkeypatch, GOOD_REPLIES)
    play(capsys, monkeypatch, BLAMING_REPLIES, "--trainee", "ben")
    code, out, _ = run(["export"], capsys, monkeypatch)
    assert code == 0 and [json.loads(line)["call_id"] for line in out.splitlines()] == [1, 2]
    code, out, _ = run(["--trainee", "ben", "export", "--format", "csv"], capsys, monkeypatch)
    assert len(out.splitlines()) == 2 and out.startswith("call_uid,")
    code, out, _ = run(["export", "--xapi", "--xapi-base", "https://lms.example.com/bnd"], capsys, monkeypatch)
    assert code == 0 and len(json.loads(out)) == 8  # initialized, completed, passed or failed, terminated per call


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


def kept_file(err: str):
    """The file a call that could not be saved was kept in, as the last message names it."""
    import re
    from pathlib import Path

    found = re.search(r"kept in (\S+\.jsonl)", err)
    assert found, err
    return Path(found.group(1))


def seller_lines(path) -> list[str]:
    (line,) = path.read_text(encoding="utf-8").splitlines()
    return [turn["text"] for turn in json.loads(line)["transcript"] if turn["speaker"] == "seller"]


def test_a_disk_full_to_the_end_of_a_call_says_it_was_not_saved_and_keeps_every_reply_for_import(
    capsys, monkeypatch, data_folder
):
    shortage = fill_the_disk(monkeypatch, full_from=5)  # start, opening, replies 1 and 2 are written; then full
    code, out, err = play(capsys, monkeypatch, GOOD_REPLIES)
    assert code == 0 and "Score" in out and "Traceback" not in err
    assert "saved as call" not in err
    assert "this call is not being saved" in err and "the disk is full" in err
    assert "call 1 could not be saved" in err.splitlines()[-1]
    kept = kept_file(err)
    assert f"badnews import {kept}" in err
    assert seller_lines(kept) == list(GOOD_REPLIES)
    with open_store(data_folder) as store:
        assert len(store.get(1).replies) == 2 and store.get(1).status == "in_progress"
    shortage.full_from = None  # space came back
    code, _, err = run(["import", str(kept)], capsys, monkeypatch)
    assert code == 0 and "call 1" in err
    with open_store(data_folder) as store:
        (record,) = store.calls()
    assert [r.text for r in record.replies] == list(GOOD_REPLIES) and record.status == "finished"
    assert record.score is not None and record.snapshot["transcript"][-1]["speaker"] == "buyer"


def test_a_call_that_can_be_kept_nowhere_prints_its_replies_for_import(capsys, monkeypatch):
    from simulator.records import rescue

    fill_the_disk(monkeypatch, full_from=5)

    def no_room(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rescue, "write_text", no_room)
    code, _, err = play(capsys, monkeypatch, GOOD_REPLIES)
    assert code == 0 and "saved as call" not in err and "nor kept in a file" in err.splitlines()[-1]
    (line,) = [json.loads(text) for text in err.splitlines() if text.startswith("{")]
    assert [t["text"] for t in line["transcript"] if t["speaker"] == "seller"] == list(GOOD_REPLIES)


def test_a_call_left_with_ctrl_c_on_a_full_disk_is_not_said_kept_in_the_store(capsys, monkeypatch):
    fill_the_disk(monkeypatch, full_from=3)

    class Interrupting(io.StringIO):
        def readline(self, *args):
            line = super().readline(*args)
            if not line:
                raise KeyboardInterrupt
            return line

    monkeypatch.setattr(sys, "stdin", Interrupting(GOOD_REPLIES[0] + "\n"))
    assert main(["play", "late-shipment", "--plain"]) == 130
    err = capsys.readouterr().err
    assert "go on with: badnews resume" not in err
    assert seller_lines(kept_file(err)) == [GOOD_REPLIES[0]]


@pytest.mark.parametrize("argv", [
    ["--data-dir", "", "history"], ["history", "--data-dir", ""], ["--data-dir", " ", "play", "late-shipment", "--plain"],
    ["report", "last", "--data-dir", ""],
])
def test_an_empty_data_dir_is_a_usage_error_and_creates_nothing(argv, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        run(argv, capsys, monkeypatch, "Dana, bad news.\n")
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "--data-dir needs a folder" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def cannot_write(monkeypatch, folder):
    """The data folder and what is in it read as not writable (as for a user without the rights; root has them all)."""
    import os
    from pathlib import Path

    real = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and Path(path).absolute().is_relative_to(folder.absolute()):
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def test_history_export_and_report_read_a_store_that_cannot_be_written(capsys, monkeypatch, data_folder, library):
    from .conftest import play_into

    with open_store(data_folder) as store:
        play_into(store, library, GOOD_REPLIES)
    database = (data_folder / DB_NAME).read_bytes()
    cannot_write(monkeypatch, data_folder)
    code, out, err = run(["history"], capsys, monkeypatch)
    assert code == 0 and "1 call(s), 1 ended" in out and err == ""
    code, out, err = run(["export"], capsys, monkeypatch)
    assert code == 0 and json.loads(out)["call_id"] == 1 and err == ""
    code, out, err = run(["report", "last"], capsys, monkeypatch)
    assert code == 0 and "(call 1)" in out and err == ""
    assert (data_folder / DB_NAME).read_bytes() == database
    assert sorted(p.name for p in data_folder.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [DB_NAME]


def test_a_store_that_cannot_be_written_is_opened_read_only_for_reading(monkeypatch, data_folder):
    import sqlite3

    from simulator.records.store import StoreError

    with open_store(data_folder) as store:
        store.start_call(trainee="ana", scenario="late-shipment", persona="calm", seed=0, choices={})
    cannot_write(monkeypatch, data_folder)
    with open_store(data_folder, read_only=True) as store:
        assert [c.id for c in store.calls()] == [1]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store._db.execute("DELETE FROM calls")
    with pytest.raises(StoreError, match=r"is read-only: calls cannot be saved there"):
        open_store(data_folder)


def test_reading_a_store_that_is_not_there_creates_nothing(capsys, monkeypatch, data_folder):
    code, out, _ = run(["history"], capsys, monkeypatch)
    assert code == 0 and out.startswith("No calls yet.")
    assert not data_folder.exists()


def test_a_call_on_a_store_that_cannot_be_written_says_plainly_it_is_not_saved(capsys, monkeypatch, data_folder):
    play(capsys, monkeypatch, GOOD_REPLIES[:1])
    cannot_write(monkeypatch, data_folder)
    code, out, err = play(capsys, monkeypatch, GOOD_REPLIES)
    assert code == 0 and "Score" in out
    assert f"{data_folder / DB_NAME} is read-only: calls cannot be saved there" in err
    assert "this call will not be saved" in err and "saved as call" not in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes any file")
def test_history_export_and_report_work_in_a_read_only_folder(capsys, monkeypatch, data_folder, library):
    from .conftest import play_into

    with open_store(data_folder) as store:
        play_into(store, library, GOOD_REPLIES)
    assert [p.name for p in data_folder.iterdir()] == [DB_NAME]  # closed: no -wal or -shm file left to lean on
    (data_folder / DB_NAME).chmod(0o444)
    data_folder.chmod(0o555)
    try:
        for argv in (["history"], ["export"], ["report", "last"]):
            code, out, err = run(argv, capsys, monkeypatch)
            assert code == 0 and out and "readonly" not in err, (argv, err)
        code, _, err = play(capsys, monkeypatch, GOOD_REPLIES)
        assert code == 0 and "is read-only: calls cannot be saved there" in err
    finally:
        data_folder.chmod(0o755)


def test_a_damaged_row_is_a_problem_on_stderr_and_the_other_calls_are_shown(capsys, monkeypatch, data_folder):
    import sqlite3

    play(capsys, monkeypatch, GOOD_REPLIES)
    play(capsys, monkeypatch, BLAMING_REPLIES)
    with sqlite3.connect(data_folder / DB_NAME) as db:
        db.execute("UPDATE calls SET score = 'abc' WHERE id = 2")
    problem = f"badnews: call 2 in {data_folder / DB_NAME}: score 'abc' is not a whole number; skipped"
    for argv in (["history"], ["export"], ["export", "--format", "csv"], ["export", "--xapi"]):
        code, out, err = run(argv, capsys, monkeypatch)
        assert code == 0 and out and problem in err and "Traceback" not in err, argv
    code, out, err = run(["report", "2"], capsys, monkeypatch)
    assert code == 1 and out == "" and "score 'abc' is not a whole number" in err


def test_a_damaged_store_that_cannot_be_written_is_named_and_left_as_it_is(capsys, monkeypatch, data_folder):
    data_folder.mkdir(parents=True)
    (data_folder / DB_NAME).write_bytes(b"\x00garbage" * 1000)
    cannot_write(monkeypatch, data_folder)
    code, out, err = run(["history"], capsys, monkeypatch)
    assert code == 1 and out == "" and "Traceback" not in err
    assert "is damaged" in err and "cannot be set aside, as it is read-only" in err
    assert [p.name for p in data_folder.iterdir()] == [DB_NAME]


def damage_pages(data_folder, capsys, monkeypatch) -> bytes:
    """A store of 30 calls whose data pages 3 to 5 are overwritten; returns the damaged bytes."""
    for _ in range(30):  # enough calls for the data to span many pages
        play(capsys, monkeypatch)
    path = data_folder / DB_NAME
    import sqlite3

    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray(path.read_bytes())
    data[3 * 4096: 6 * 4096] = b"\xff" * (3 * 4096)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_command_that_only_reads_names_damage_it_meets_and_leaves_the_file_for_the_next_writer(
        capsys, monkeypatch, data_folder):
    import simulator.records.connect as connect

    damaged = damage_pages(data_folder, capsys, monkeypatch)
    checked = []
    real = connect._damage
    monkeypatch.setattr(connect, "_damage", lambda db, path: checked.append(path) or real(db, path))
    code, out, err = run(["history"], capsys, monkeypatch)  # reads every call: it meets the damage
    assert code == 1 and out == "" and "is damaged" in err and "start badnews again to set it aside" in err
    for argv in (["team", "--json"], ["export", "--format", "csv"], ["report", "last"]):  # may miss the damaged pages
        code, out, err = run(argv, capsys, monkeypatch)
        assert "Traceback" not in err and (code == 0 or "is damaged" in err), (argv, err)
    assert checked == [], "a reader does not read the whole file first"
    assert (data_folder / DB_NAME).read_bytes() == damaged and not list(data_folder.glob("*.corrupt-*"))
    with open_store(data_folder) as store:  # the next command that writes checks it, and sets it aside
        assert store.calls() == [] and "could not be read" in store.notices[0]
    assert len([p for p in data_folder.glob(f"{DB_NAME}.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]) == 1
