"""Real processes: a killed call keeps every answered reply, and two badnews running at once lose nothing."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from simulator.records.store import open_store

from .conftest import GOOD_REPLIES

BADNEWS = [sys.executable, "-m", "simulator"]


def read_to_the_opening_line(player: subprocess.Popen) -> None:
    """Past the title, the brief and the instructions, to the buyer's first line."""
    for _ in range(200):
        if player.stdout.readline().startswith("Dana:"):
            return
    raise AssertionError("the buyer never picked up")


def test_a_call_killed_mid_way_keeps_every_answered_reply_and_resumes_to_the_same_score(data_folder):
    env_args = ["--data-dir", str(data_folder)]
    player = subprocess.Popen(
        [*BADNEWS, *env_args, "--trainee", "ana", "play", "late-shipment", "--plain"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    read_to_the_opening_line(player)
    answered = GOOD_REPLIES[:3]
    for reply in answered:
        player.stdin.write(reply + "\n")
        player.stdin.flush()
        assert player.stdout.readline().startswith("Dana:")  # the buyer answered: the reply is on disk
    player.kill()
    player.wait(timeout=10)

    with open_store(data_folder) as store:
        (record,) = store.calls()
    assert record.status == "in_progress"
    assert [r.text for r in record.replies] == list(answered)

    rest = "\n".join(GOOD_REPLIES[3:]) + "\n"
    resumed = subprocess.run([*BADNEWS, *env_args, "resume", str(record.id)], input=rest,
                             capture_output=True, text=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    straight = subprocess.run([*BADNEWS, "replay", "late-shipment", "--json"], input="\n".join(GOOD_REPLIES) + "\n",
                              capture_output=True, text=True, timeout=60)
    with open_store(data_folder) as store:
        finished = store.get(record.id)
    assert finished.status == "finished"
    assert [r.text for r in finished.replies] == list(GOOD_REPLIES)
    assert finished.score == json.loads(straight.stdout)["score"]


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from simulator.records.store import Reply, open_store
    folder, name, calls, replies, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
    store = open_store(folder)
    while not go.exists():
        time.sleep(0.001)
    for c in range(calls):
        call_id = store.start_call(trainee=name, scenario="late-shipment", persona="calm", seed=c, choices={})
        said = []
        for r in range(replies):
            said.append(Reply(f"{name} call {c} reply {r}"))
            store.save(call_id, replies=said, saved=r, status="in_progress", choices={},
                       snapshot={"score": r, "transcript": [s.text for s in said]})
""")


def test_two_processes_writing_at_once_lose_no_call_and_no_reply(data_folder, tmp_path):
    calls, replies = 25, 6
    go = tmp_path / "go"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(data_folder), name, str(calls), str(replies), str(go)],
                         stderr=subprocess.PIPE, text=True)
        for name in ("ana", "ben")
    ]
    time.sleep(0.5)  # both have opened the database and wait at the same line
    go.touch()
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read()
    with open_store(data_folder) as store:
        records = store.calls()
    assert len(records) == 2 * calls
    for name in ("ana", "ben"):
        theirs = [r for r in records if r.trainee == name]
        assert len(theirs) == calls
        for record in theirs:
            assert [r.text for r in record.replies] == [f"{name} call {record.seed} reply {i}" for i in range(replies)]
            assert record.snapshot == {"score": replies - 1, "transcript": [r.text for r in record.replies]}


def test_two_plain_calls_played_at_the_same_time_are_both_kept_whole(data_folder):
    script = "\n".join(GOOD_REPLIES) + "\n"
    players = [
        subprocess.Popen([*BADNEWS, "--data-dir", str(data_folder), "--trainee", name, "play", "late-shipment", "--plain"],
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for name in ("ana", "ben")
    ]
    for player in players:
        player.stdin.write(script)
        player.stdin.close()
    for player in players:
        assert player.wait(timeout=60) == 0, player.stderr.read()
    with open_store(data_folder) as store:
        records = store.calls()
    assert sorted(r.trainee for r in records) == ["ana", "ben"]
    assert all(r.status == "finished" and len(r.replies) == len(GOOD_REPLIES) for r in records)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is a POSIX signal")
def test_ctrl_c_keeps_the_call_as_abandoned_and_says_how_to_go_on(data_folder):
    # Ctrl-C as at a terminal: a suite started in the background (`bash .ci/run &`) ignores SIGINT, and so would
    # the child it starts, which then never ends.
    player = subprocess.Popen([*BADNEWS, "--data-dir", str(data_folder), "play", "late-shipment", "--plain"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    read_to_the_opening_line(player)
    player.stdin.write(GOOD_REPLIES[0] + "\n")
    player.stdin.flush()
    player.stdout.readline()
    player.send_signal(signal.SIGINT)
    assert player.wait(timeout=60) == 130
    assert "call 1 kept; go on with: badnews resume 1" in player.stderr.read()
    with open_store(data_folder) as store:
        record = store.get(1)
    assert record.status == "abandoned" and [r.text for r in record.replies] == [GOOD_REPLIES[0]]
