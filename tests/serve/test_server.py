"""`badnews serve` as a trainer starts it: the page that starts the app, the trainer's board behind its code, a room
that fills up, a clean stop that leaves no app process behind, and one clear line when it cannot start.

Each test runs the real server (`python -m simulator --data-dir DIR serve`, the `served_class` fixture) and talks to
it over HTTP and websockets with aiohttp's client; no browser (tests/serve/test_browser*.py drive one).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from argparse import Namespace
from importlib.util import find_spec
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.cli import build_parser
from simulator.cli.serve import access_code, join_code_digest, session_command
from simulator.records.store import open_store
from simulator.text import visible
from tests.playing import play_into

needs_serve = pytest.mark.skipif(find_spec("textual_serve") is None, reason="textual-serve (the serve extra) is absent")
TRAINER_CODE = "board-7731"
# Upper bounds for what happens in another process (an app starting on a busy machine), never asserted timings.
APP_START_SECONDS = 90.0
ROOM_FREES_SECONDS = 60.0


def aiohttp_client():
    """An aiohttp client session that keeps cookies from a numeric host (the server is at 127.0.0.1)."""
    import aiohttp

    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def open_app(client, url: str):
    """A websocket to the server's app as textual.js opens it, once the app has drawn its first screen."""
    import aiohttp

    websocket = await client.ws_connect(url.replace("http://", "ws://") + "ws?width=80&height=24")
    received = 0
    async with asyncio.timeout(APP_START_SECONDS):
        while received < 1000:  # the app's first frame: the sign-in screen
            message = await websocket.receive()
            assert message.type is aiohttp.WSMsgType.BINARY, f"the app ended before it drew: {message}"
            received += len(message.data)
    return websocket


@needs_serve
async def test_the_page_starts_the_app_over_a_websocket_at_the_address_the_browser_used(served_class):
    served = served_class()
    async with aiohttp_client() as client, client.get(served.url) as response:
        page = await response.text()
        assert response.status == 200
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
    assert 'src="/static/js/textual.js"' in page
    assert "fonts.googleapis.com" not in page  # the font comes from the server: no request leaves the room


@needs_serve
def test_serve_prints_where_reps_join_and_where_the_trainers_board_is(served_class):
    served = served_class()
    log = served.log()
    assert f"Reps join at http://127.0.0.1:{served.port}/\n" in log
    assert f"Trainer's board: http://127.0.0.1:{served.port}/trainer\n" in log


@needs_serve
async def test_the_trainers_board_asks_for_its_code_refuses_a_wrong_one_and_opens_with_the_right_one(served_class):
    served = served_class("--trainer-code", TRAINER_CODE)
    board = served.url + "trainer"
    async with aiohttp_client() as client:
        async with client.get(board) as response:
            page = await response.text()
            assert response.status == 200 and '<form method="post" action="/trainer">' in page
            assert "In a call now" not in page
        async with client.get(board + "/board.json") as response:
            assert response.status == 403
        async with client.post(board, data={"code": "board-7732"}) as response:
            assert response.status == 403 and "not the trainer" in await response.text()
        async with client.get(board, params={"code": "nope"}) as response:
            assert response.status == 403
        async with client.post(board, data={"code": TRAINER_CODE}) as response:  # redirected back, with the cookie
            page = await response.text()
            assert response.status == 200 and "In a call now: 0" in page and "<form" not in page
        async with client.get(board + "/board.json") as response:
            assert response.status == 200 and (await response.json())["in_call"] == []
    async with aiohttp_client() as stranger, stranger.get(board + "/board.html") as response:
        assert response.status == 403  # the cookie is the only way in besides the code


@needs_serve
async def test_without_a_trainer_code_serve_makes_one_up_and_prints_it(served_class):
    served = served_class()
    (code,) = re.findall(r"Trainer's code: (\S+)", served.log())
    async with aiohttp_client() as client, client.get(served.url + "trainer", params={"code": code}) as response:
        assert response.status == 200 and "In a call now" in await response.text()


@needs_serve
async def test_the_board_lists_a_rep_in_a_call_of_its_group_and_escapes_what_the_rep_typed(
        served_class, library, monkeypatch):
    served = served_class("--group", "monday", "--trainer-code", TRAINER_CODE)
    with open_store(served.data_dir) as store:
        monkeypatch.setenv("BADNEWS_GROUP", "monday")
        play_into(store, library, ["Dana, I have bad news.", "Your order is late."], trainee="<b>Ana</b>", end=False)
        monkeypatch.setenv("BADNEWS_GROUP", "tuesday")
        play_into(store, library, ["Hello."], trainee="Ben", end=False)
    async with aiohttp_client() as client:
        async with client.get(served.url + "trainer/board.json", params={"code": TRAINER_CODE}) as response:
            data = await response.json()
        async with client.get(served.url + "trainer/board.html", params={"code": TRAINER_CODE}) as response:
            fragment = await response.text()
    assert [(c["trainee"], c["group"], c["scenario"], c["replies"]) for c in data["in_call"]] == [
        ("<b>Ana</b>", "monday", "late-shipment", 2)]
    assert data["group"] == "monday" and data["sessions"] == {"open": 0, "max": 30}
    assert "&lt;b&gt;Ana&lt;/b&gt;" in fragment and "<b>Ana</b>" not in fragment
    assert "Ben" not in fragment


@needs_serve
async def test_a_full_room_answers_the_page_with_503_and_refuses_one_more_app_until_a_tab_closes(served_class):
    import aiohttp

    served = served_class("--max-sessions", "1")
    async with aiohttp_client() as client:
        first = await open_app(client, served.url)
        async with client.get(served.url) as response:
            assert response.status == 503 and "The room is full" in await response.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(served.url.replace("http://", "ws://") + "ws?width=80&height=24")
        assert refused.value.status == 503
        await first.close()
        deadline = time.monotonic() + ROOM_FREES_SECONDS
        while True:  # the seat is free once the app has quit
            async with client.get(served.url) as response:
                if response.status == 200:
                    break
            assert time.monotonic() < deadline, "the room stayed full after its only tab closed"
            await asyncio.sleep(0.2)


@needs_serve
async def test_a_malformed_message_from_a_browser_is_dropped_and_its_app_goes_on(served_class):
    import aiohttp

    served = served_class()
    async with aiohttp_client() as client:
        tab = await open_app(client, served.url)
        for junk in ("not json", "[", "{}", "[]", "[5]", '["stdin", 5]', '["resize", {"width": 1e9, "height": "x"}]',
                     '["resize", []]', "[" * 100_000 + "]" * 100_000, '["stdin", "\\ud800"]'):
            await tab.send_str(junk)
        await tab.send_str('["ping", "still there?"]')
        async with asyncio.timeout(APP_START_SECONDS):
            while True:
                message = await tab.receive()
                assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
                if message.type is aiohttp.WSMsgType.TEXT and message.json() == ["pong", "still there?"]:
                    break
        assert len(served.session_pids()) == 1
        await tab.close()
    assert "Traceback" not in served.log() and "Error handling request" not in served.log()


@needs_serve
async def test_sigterm_ends_every_app_process_and_the_server_exits_0(served_class):
    served = served_class()
    async with aiohttp_client() as client:
        tabs = [await open_app(client, served.url) for _ in range(2)]
        apps = served.session_pids()
        assert len(apps) >= 2
        assert served.stop() == 0
        for tab in tabs:
            await tab.close()
    for pid in apps:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert "Traceback" not in served.log()


@needs_serve
def test_a_port_in_use_is_one_line_and_exit_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "simulator", "--data-dir", str(tmp_path), "serve", "--port", str(port)],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"badnews: port {port} is in use on this computer (another badnews serve?); choose another with --port"]
    assert "Reps join" not in result.stdout


def test_without_the_serve_extra_serve_says_how_to_install_it_and_exits_1(tmp_path):
    code = ("import sys; sys.modules['textual_serve'] = None\n"
            "from simulator.cli import main\n"
            f"raise SystemExit(main(['--data-dir', {str(tmp_path)!r}, 'serve']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr == "badnews serve needs the serve extra: pip install 'bad-news-drill[serve]'\n"


@pytest.mark.parametrize("option", ["--port", "--max-sessions"])
def test_a_port_or_session_count_that_is_not_a_number_is_a_usage_error(option, tmp_path):
    result = subprocess.run([sys.executable, "-m", "simulator", "--data-dir", str(tmp_path), "serve", option, "1e3"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and option in result.stderr and "Traceback" not in result.stderr


def test_each_tabs_command_quotes_every_part_and_keeps_the_global_options(tmp_path):
    odd = tmp_path / "it's a $(folder)"
    args = Namespace(scenarios=[odd / "scenarios"], personas=[odd / "personas"])
    command = session_command(args, odd / "data")
    words = shlex.split(command)
    assert words[:4] == ["exec", sys.executable, "-m", "simulator"]
    assert words[4:11] == ["--data-dir", str(odd / "data"), "--scenarios", str(odd / "scenarios"),
                           "--personas", str(odd / "personas"), "serve-session"]
    assert words[11:] == [f"2>>{odd / 'data' / 'serve.log'}"]
    assert Path(words[5]).is_absolute()


def test_serve_session_run_by_hand_says_what_it_is_for_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    result = subprocess.run([sys.executable, "-m", "simulator", "--data-dir", str(tmp_path), "serve-session"],
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, env=env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("badnews: serve-session is what `badnews serve` runs") and result.stderr.count("\n") == 1


SERVE_WORDS = ["--host", "--port", "--group", "--code", "--trainer-code", "--max-sessions", "0", "1", "65535", "65536",
               "-1", "\u00b2", "", " ", "\x1b[2J", "\u202e", "x" * 65, "8771", "::", "0.0.0.0"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SERVE_WORDS) | st.text(max_size=12), max_size=6))
def test_serve_options_parse_into_valid_values_or_are_a_usage_error(words):
    try:
        args = build_parser().parse_args(["serve", *words])
    except SystemExit as stop:
        assert stop.code == 2
        return
    assert 0 <= args.port <= 65535 and 1 <= args.max_sessions <= 10_000
    for code in (args.code, args.trainer_code):
        assert code is None or (code == code.strip() and code and visible(code) == code and len(code) <= 64)


def session_process(command: str, session_env: dict[str, str | None] | None = None):
    """One tab's app process on its own, with no browser: what it writes is dropped."""
    from textual_serve.download_manager import DownloadManager

    from simulator.serve.server import SessionProcess

    async def drop(_data) -> None:
        return None

    async def hang_up() -> None:
        return None

    return SessionProcess(command, session_env or {}, write_bytes=drop, write_str=drop, close=hang_up,
                          download_manager=DownloadManager())


@needs_serve
def test_each_app_gets_the_class_variables_and_loses_the_ones_the_class_does_not_set(monkeypatch):
    monkeypatch.setenv("BADNEWS_JOIN_CODE_SHA256", "left over from the shell")
    app = session_process("true", {"BADNEWS_GROUP": "monday", "BADNEWS_JOIN_CODE_SHA256": None})
    environment = app._build_environment(width=100, height=30)
    assert environment["BADNEWS_GROUP"] == "monday" and "BADNEWS_JOIN_CODE_SHA256" not in environment
    assert environment["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
    assert (environment["COLUMNS"], environment["ROWS"]) == ("100", "30")


STUBBORN_APP = """
import os, signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
helper = subprocess.Popen(["sleep", "600"])
with open(sys.argv[1], "w") as ready:
    ready.write(str(helper.pid))
time.sleep(600)
"""


@needs_serve
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
async def test_an_app_that_ignores_quit_and_sigterm_is_killed_with_what_it_started(tmp_path, monkeypatch):
    from simulator.serve import server

    monkeypatch.setattr(server, "QUIT_SECONDS", 0.2)
    ready = tmp_path / "ready"
    script = tmp_path / "stubborn.py"
    script.write_text(STUBBORN_APP, encoding="utf-8")
    app = session_process(f"exec {shlex.quote(sys.executable)} {shlex.quote(str(script))} {shlex.quote(str(ready))}")
    await app.start(80, 24)
    deadline = time.monotonic() + APP_START_SECONDS
    while not ready.exists() or not ready.read_text():
        assert time.monotonic() < deadline, "the stand-in app never started"
        await asyncio.sleep(0.05)
    helper = int(ready.read_text())
    with contextlib.suppress(TimeoutError):  # as the server ends a tab: "quit" first, which this app ignores
        await asyncio.wait_for(app.stop(), server.QUIT_SECONDS)
    code = await app.end()
    assert code == -9  # SIGKILL, after the ignored SIGTERM
    deadline = time.monotonic() + ROOM_FREES_SECONDS
    while gone_or_zombie(helper) is False:  # the helper was in the app's process group: killed with it
        assert time.monotonic() < deadline, "the app's own child outlived it"
        await asyncio.sleep(0.05)


def gone_or_zombie(pid: int) -> bool:
    """Whether a process has ended (waiting to be reaped counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] == "Z"


def test_the_join_code_digest_serve_hands_its_apps_is_the_one_the_sign_in_checks():
    from simulator.tui.signin import code_matches

    code = access_code("  Tiger-42 été ")
    assert code_matches("Tiger-42 été", join_code_digest(code))
    assert not code_matches("tiger-42 été", join_code_digest(code))
