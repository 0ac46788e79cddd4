"""`badnews` starts as a user starts it, in a real terminal (tmux), and shows its title screen."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SOCKET = "badnews-tests"  # a private tmux server: the user's own sessions are never touched
TIMEOUT_SECONDS = 30.0


def tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False)


def wait_for(session: str, text: str) -> str:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    pane = ""
    while time.monotonic() < deadline:
        pane = tmux("capture-pane", "-p", "-t", session).stdout
        if text in pane:
            return pane
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never showed; the pane was:\n{pane}")


def test_badnews_opens_on_the_title_screen_and_quits_with_ctrl_q(tmp_path):
    session = f"title-{uuid.uuid4().hex[:8]}"
    command = f"cd {shlex.quote(str(tmp_path))} && {shlex.quote(sys.executable)} -m simulator; sleep 5"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    try:
        pane = wait_for(session, "Pick a call")
        assert "Bad News Drill" in pane
        wait_for(session, "Brief me")
        tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while "Bad News Drill" in tmux("capture-pane", "-p", "-t", session).stdout:
            assert time.monotonic() < deadline, "ctrl+q did not quit the app"
            time.sleep(0.1)
    finally:
        tmux("kill-session", "-t", session)
