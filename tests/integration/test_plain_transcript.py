"""Plain mode as a screen reader hears it: a whole call at a real terminal, kept as a transcript snapshot.

The call runs in a pseudo-terminal, so `badnews play --plain` sees a terminal exactly as a rep's
screen reader does: it asks "You: " before each reply, the typed words are echoed, and every event
(the buyer's lines, the end of the call, the score, the three fixes) has a line of its own. The
transcript is compared with the stored one (`--snapshot-update` writes it anew after a deliberate
change; read the difference first).
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest

REPLIES = [
    "Dana, I have bad news: PO 4471, all 10,000 MCU-220s, will not arrive on 3 March.",
    "",
    "A typhoon closed the port of Osaka. The full order will now arrive on 24 March.",
    "I have three options: air-freight 2,000 units at our cost, the MCU-221 from Taiwan, or weekly partials.",
    "I'm sorry. Will you forgive me?",
    "",
    "Thank you for your patience. I'll call you every Friday. Bye for now.",
]
PROMPT = b"You: "
QUESTION = b"or Enter to skip): "
ANSWERS = ["1", "3", "", "2"]  # late-shipment's four questions: by number, and one left unanswered
PATIENCE = 60.0  # seconds a loaded shared machine may take to start the process and answer


def read_until(fd: int, marker: bytes | None, out: bytearray) -> bool:
    """Read from the terminal until `marker` has appeared after what was read so far (None: to the end)."""
    start = len(out)
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the other side closed: the program ended
            return marker is None
        if not chunk:
            return marker is None
        out += chunk
        if marker is not None and marker in out[start:]:
            return True
    return False


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_whole_plain_call_at_a_terminal_reads_as_the_stored_transcript(tmp_path, snapshot):
    parent, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "HOME": str(tmp_path)}
    argv = [sys.executable, "-m", "simulator", "--data-dir", str(tmp_path / "data"), "play", "late-shipment",
            "--plain", "--persona", "calm", "--seed", "1"]
    process = subprocess.Popen(argv, stdin=child, stdout=child, stderr=child, env=env, close_fds=True)
    os.close(child)
    out = bytearray()
    try:
        for answer in ANSWERS:  # the before-call questions, asked at a terminal as the app's briefing asks them
            assert read_until(parent, QUESTION, out), out.decode(errors="replace")[-2000:]
            os.write(parent, answer.encode() + b"\n")
        for reply in REPLIES:
            assert read_until(parent, PROMPT, out), out.decode(errors="replace")[-2000:]
            os.write(parent, reply.encode() + b"\n")
        assert read_until(parent, None, out), "the call did not end after the goodbye"
    finally:
        process.wait(timeout=PATIENCE)
        os.close(parent)
    transcript = out.decode("utf-8").replace("\r\n", "\n")
    assert process.returncode == 0, transcript[-2000:]
    assert "\x1b" not in transcript, "no terminal codes: a screen reader reads every character"
    assert transcript.count("You: ") == len(REPLIES) and transcript.count("Before the call: ") == len(ANSWERS)
    assert "The call has ended (you said goodbye)." in transcript
    assert transcript == snapshot
