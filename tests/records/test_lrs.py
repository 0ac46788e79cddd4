"""Sending statements to an LRS: batched, tried again when the LRS is busy, idempotent, and one clear line when it fails.

The LRS here is a small fake on 127.0.0.1 (http.server in a thread) that keeps statements by id as
an LRS must; `test_lrs_roundtrip.py` does the same against a real one.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from simulator.cli import main
from simulator.records import lrs
from simulator.records.lrs import LrsError, LrsTarget, send_statements, statements_endpoint

from .conftest import BLAMING_REPLIES, GOOD_REPLIES

KEY, SECRET = "badnews-key", "s3cret-never-shown"


class FakeLrs:
    """Keeps statements by id. `answers` are statuses to give before storing (503, 429...); `duplicates` is how
    it answers a batch it already holds: "ralph" (204 when nothing is new, else 200 with the new ids) or "list"
    (200 with every id, as the xAPI text reads)."""

    def __init__(self, duplicates: str = "ralph") -> None:
        self.statements: dict[str, dict] = {}
        self.answers: list[int] = []
        self.down_after: int | None = None  # answer 503 to every POST after this many
        self.retry_after: str | None = None
        self.duplicates = duplicates
        self.batches: list[int] = []  # the size of each POST, refused ones included
        self.headers: list[dict[str, str]] = []
        self.lock = threading.Lock()

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        with self.lock:
            self.headers.append({name.lower(): value for name, value in handler.headers.items()})
            if handler.path == "/old/statements":
                return _reply(handler, 301, None, {"Location": "https://lrs.example.com/xapi/statements"})
            if handler.path != "/xapi/statements":
                return _reply(handler, 404, {"detail": "Not Found"})
            expected = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
            if handler.headers.get("Authorization") != expected:
                return _reply(handler, 401, {"detail": "Invalid authentication credentials"})
            batch = json.loads(body)
            self.batches.append(len(batch))
            if self.down_after is not None and len(self.batches) > self.down_after:
                return _reply(handler, 503, {"detail": "down"})
            if self.answers:
                status = self.answers.pop(0)
                extra = {"Retry-After": self.retry_after} if self.retry_after else {}
                return _reply(handler, status, {"detail": "busy"}, extra)
            if any(s["id"] in self.statements and self.statements[s["id"]] != s for s in batch):
                return _reply(handler, 409, {"detail": "Differing statements already exist with the same ID"})
            new = [s["id"] for s in batch if s["id"] not in self.statements]
            for statement in batch:
                self.statements.setdefault(statement["id"], statement)
            if self.duplicates == "list":
                return _reply(handler, 200, [s["id"] for s in batch])
            if not new:
                return _reply(handler, 204, None)
            return _reply(handler, 200, new)


def _reply(handler: BaseHTTPRequestHandler, status: int, payload: object, headers: dict | None = None) -> None:
    body = b"" if payload is None else json.dumps(payload).encode()
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def fake_lrs() -> Iterator[tuple[FakeLrs, str]]:
    """A fake LRS listening on a free port of 127.0.0.1, and its xAPI address."""
    fake = FakeLrs()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            fake.handle(self)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}/xapi"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def some_statements(count: int) -> list[dict]:
    return [
        {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:ana@example.com"},
         "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}, "object": {"id": f"https://x.invalid/{n}"}}
        for n in range(count)
    ]


def target(url: str, secret: str = SECRET) -> LrsTarget:
    return LrsTarget(statements_endpoint(url), KEY, secret)


def closed_port() -> int:
    """A port nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(argv, capsys, monkeypatch, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def play_two_calls(capsys, monkeypatch) -> None:
    for replies in (GOOD_REPLIES, BLAMING_REPLIES):
        code, _, _ = run(["play", "late-shipment", "--plain"], capsys, monkeypatch, "\n".join(replies) + "\n")
        assert code == 0


@pytest.fixture(autouse=True)
def no_lrs_settings(monkeypatch):
    """The developer's own LRS settings never leak into these tests, and a retry does not wait."""
    for name in (lrs.URL_ENV, lrs.KEY_ENV, lrs.SECRET_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(lrs, "RETRY_DELAYS", (0.0, 0.0, 0.0))


def test_the_statements_endpoint_is_the_xapi_address_plus_statements():
    assert statements_endpoint("https://lrs.example.com/xapi") == "https://lrs.example.com/xapi/statements"
    assert statements_endpoint("https://lrs.example.com/xapi/") == "https://lrs.example.com/xapi/statements"
    assert statements_endpoint("http://127.0.0.1:8100/xAPI/statements") == "http://127.0.0.1:8100/xAPI/statements"
    assert statements_endpoint(" https://lrs.example.com ") == "https://lrs.example.com/statements"


@pytest.mark.parametrize(("url", "reason"), [
    ("lrs.example.com/xapi", "must start with https://"),
    ("ftp://lrs.example.com", "must start with https://"),
    ("https://", "must start with https://"),
    ("https://key:pass@lrs.example.com/xapi", "not inside the address"),
    ("https://lrs.example.com/xapi?x=1", "no ?query"),
    ("https://lrs.example.com:port/xapi", "not a web address"),
])
def test_an_address_that_is_no_lrs_is_refused_with_the_reason(url, reason):
    with pytest.raises(ValueError, match=reason.replace("?", r"\?")):
        statements_endpoint(url)


def test_statements_go_in_batches_with_the_xapi_version_header_and_basic_auth(fake_lrs):
    fake, url = fake_lrs
    sent = some_statements(120)
    report = send_statements(sent, target(url), batch_size=50)
    assert fake.batches == [50, 50, 20]
    assert set(fake.statements) == {s["id"] for s in sent}
    assert all(h["x-experience-api-version"] == "1.0.3" and h["content-type"].startswith("application/json")
               for h in fake.headers)
    assert (report.sent, report.stored, report.already, report.conflicts) == (120, 120, 0, 0)
    assert report.summary(30) == f"sent 120 statements for 30 calls to {url}/statements: 120 stored"


def test_a_503_is_tried_again_after_a_growing_pause_and_then_goes_through(fake_lrs):
    fake, url = fake_lrs
    fake.answers = [503, 503]
    pauses: list[float] = []
    report = send_statements(some_statements(3), target(url), delays=(0.5, 2.0, 5.0), sleep=pauses.append)
    assert pauses == [0.5, 2.0]  # the pauses asked for, not the time they took
    assert report.stored == 3 and len(fake.statements) == 3 and report.requests == 3


def test_a_429_waits_as_long_as_the_lrs_asks_within_a_limit(fake_lrs):
    fake, url = fake_lrs
    fake.answers, fake.retry_after = [429, 429], "7"
    pauses: list[float] = []
    send_statements(some_statements(1), target(url), delays=(0.5, 2.0, 5.0), sleep=pauses.append)
    assert pauses == [7.0, 7.0]
    fake.answers, fake.retry_after = [429], "3600"
    pauses.clear()
    send_statements(some_statements(1), target(url), delays=(0.5,), sleep=pauses.append)
    assert pauses == [lrs.MAX_RETRY_AFTER]


def test_an_lrs_that_stays_down_stops_the_sending_and_counts_what_was_not_sent(fake_lrs):
    fake, url = fake_lrs
    fake.down_after = 1  # the first batch lands, then the LRS goes down
    with pytest.raises(LrsError) as failed:
        send_statements(some_statements(70), target(url), batch_size=50, delays=(0, 0, 0))
    assert failed.value.unsent == 20 and len(fake.statements) == 50 and fake.batches == [50, 20, 20, 20, 20]
    assert str(failed.value) == (f"the LRS at {url}/statements answered 503 Service Unavailable: down (4 tries); "
                                 "20 statements not sent (50 sent before)")


@pytest.mark.parametrize("duplicates", ["ralph", "list"])
def test_sending_twice_stores_nothing_new_whether_the_lrs_answers_204_or_lists_the_ids(fake_lrs, duplicates):
    fake, url = fake_lrs
    fake.duplicates = duplicates
    sent = some_statements(60)
    first = send_statements(sent, target(url))
    again = send_statements(sent, target(url))
    assert len(fake.statements) == 60
    assert first.stored == 60
    if duplicates == "ralph":  # an LRS that says which are new: nothing new the second time
        assert (again.stored, again.already) == (0, 60)
        assert again.summary(15).endswith(": 60 already there")
    else:  # one that lists every id it keeps: all accepted again, none stored twice
        assert again.sent == 60


def test_half_new_half_known_is_counted_as_such(fake_lrs):
    _, url = fake_lrs
    sent = some_statements(10)
    send_statements(sent[:4], target(url))
    report = send_statements(sent, target(url))
    assert (report.stored, report.already) == (6, 4)
    assert report.summary(3).endswith(": 6 stored, 4 already there")


def test_a_statement_already_there_with_other_content_is_left_and_the_rest_still_land(fake_lrs):
    fake, url = fake_lrs
    sent = some_statements(5)
    changed = dict(sent[2], object={"id": "https://elsewhere.invalid/1"})
    send_statements([changed], target(url))
    report = send_statements(sent, target(url))
    assert fake.statements[sent[2]["id"]] == changed  # never replaced
    assert set(fake.statements) == {s["id"] for s in sent}
    assert (report.stored, report.already, report.conflicts) == (4, 0, 1)
    assert "1 already there with other content" in report.summary(2)


def test_a_wrong_secret_is_one_line_that_never_shows_the_secret(fake_lrs):
    _, url = fake_lrs
    with pytest.raises(LrsError) as failed:
        send_statements(some_statements(2), target(url, secret="wrong-one"))
    message = str(failed.value)
    assert "refused the key and secret (401" in message and "wrong-one" not in message and "\n" not in message


def test_a_wrong_path_says_there_is_no_statements_endpoint(fake_lrs):
    _, url = fake_lrs
    with pytest.raises(LrsError, match=r"no statements endpoint at .*/nothing/statements \(404\)"):
        send_statements(some_statements(1), target(url.replace("/xapi", "/nothing")))


def test_a_redirect_is_named_not_followed_so_the_statements_are_never_turned_into_a_get(fake_lrs):
    fake, url = fake_lrs
    with pytest.raises(LrsError) as failed:
        send_statements(some_statements(1), target(url.replace("/xapi", "/old")))
    assert "answered 301, moved to https://lrs.example.com/xapi/statements: give that" in str(failed.value)
    assert len(fake.headers) == 1 and not fake.statements


def test_https_to_a_plain_http_lrs_is_one_line_about_tls(fake_lrs):
    fake, url = fake_lrs
    with pytest.raises(LrsError, match="no TLS connection to the LRS") as failed:
        send_statements(some_statements(1), target(url.replace("http://", "https://")))
    assert "\n" not in str(failed.value) and not fake.statements


def test_a_refused_connection_is_tried_again_then_one_line():
    pauses: list[float] = []
    url = f"http://127.0.0.1:{closed_port()}/xapi"
    with pytest.raises(LrsError) as failed:
        send_statements(some_statements(3), target(url), delays=(0.5, 2.0), sleep=pauses.append)
    assert pauses == [0.5, 2.0]
    assert str(failed.value) == f"cannot reach the LRS at {url}/statements: connection refused (3 tries); 3 statements not sent"


def test_the_target_never_shows_its_secret():
    assert SECRET not in repr(target("https://lrs.example.com/xapi"))


# The command as a trainer types it.

def test_export_xapi_lrs_sends_every_call_then_a_second_send_finds_them_there(capsys, monkeypatch, fake_lrs):
    fake, url = fake_lrs
    play_two_calls(capsys, monkeypatch)
    argv = ["export", "--xapi", "--lrs", url, "--lrs-key", KEY, "--lrs-secret", SECRET]
    code, out, err = run(argv, capsys, monkeypatch)
    assert code == 0, err
    assert out == f"sent 8 statements for 2 calls to {url}/statements: 8 stored\n"
    assert sorted(s["verb"]["display"]["en-US"] for s in fake.statements.values()) == sorted(
        ["initialized", "completed", "passed", "terminated", "initialized", "completed", "failed", "terminated"])
    assert {s["context"]["extensions"]["https://bad-news-drill.invalid/extensions/mode"]
            for s in fake.statements.values()} == {"exam"}  # a plain call is played as an exam
    code, out, _ = run(argv, capsys, monkeypatch)
    assert code == 0 and out == f"sent 8 statements for 2 calls to {url}/statements: 8 already there\n"
    assert len(fake.statements) == 8
    assert SECRET not in out + err


def test_the_lrs_address_key_and_secret_may_come_from_the_environment(capsys, monkeypatch, fake_lrs):
    fake, url = fake_lrs
    play_two_calls(capsys, monkeypatch)
    monkeypatch.setenv(lrs.URL_ENV, url)
    monkeypatch.setenv(lrs.KEY_ENV, KEY)
    monkeypatch.setenv(lrs.SECRET_ENV, SECRET)
    code, out, _ = run(["export", "--lrs"], capsys, monkeypatch)  # --lrs alone: the address from the environment
    assert code == 0 and out.endswith(": 8 stored\n") and len(fake.statements) == 8


def test_sending_can_also_keep_the_statements_in_a_file(capsys, monkeypatch, fake_lrs, tmp_path):
    fake, url = fake_lrs
    play_two_calls(capsys, monkeypatch)
    kept = tmp_path / "statements.json"
    argv = ["export", "--xapi", "--lrs", url, "--lrs-key", KEY, "--lrs-secret", SECRET, "-o", str(kept)]
    code, out, _ = run(argv, capsys, monkeypatch)
    assert code == 0 and out.endswith(": 8 stored\n")
    assert {s["id"] for s in json.loads(kept.read_text())} == set(fake.statements)


def one_line_failure(argv, capsys, monkeypatch) -> str:
    code, out, err = run(argv, capsys, monkeypatch)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("badnews: ") and "Traceback" not in err
    assert SECRET not in err
    return err


def test_a_wrong_secret_on_the_command_line_is_one_clear_line(capsys, monkeypatch, fake_lrs):
    _, url = fake_lrs
    play_two_calls(capsys, monkeypatch)
    err = one_line_failure(["export", "--xapi", "--lrs", url, "--lrs-key", KEY, "--lrs-secret", "nope"],
                           capsys, monkeypatch)
    assert "refused the key and secret (401" in err and "8 statements not sent" in err and "nope" not in err


def test_a_refused_connection_on_the_command_line_is_one_clear_line(capsys, monkeypatch):
    play_two_calls(capsys, monkeypatch)
    url = f"http://127.0.0.1:{closed_port()}/xapi"
    err = one_line_failure(["export", "--xapi", "--lrs", url, "--lrs-key", KEY, "--lrs-secret", SECRET],
                           capsys, monkeypatch)
    assert f"cannot reach the LRS at {url}/statements: connection refused (4 tries); 8 statements not sent" in err


def test_an_lrs_down_for_good_on_the_command_line_is_one_clear_line(capsys, monkeypatch, fake_lrs):
    fake, url = fake_lrs
    play_two_calls(capsys, monkeypatch)
    fake.answers = [503] * 4
    err = one_line_failure(["export", "--xapi", "--lrs", url, "--lrs-key", KEY, "--lrs-secret", SECRET],
                           capsys, monkeypatch)
    assert "answered 503 Service Unavailable: busy (4 tries); 8 statements not sent" in err


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "--lrs"], "--lrs needs the LRS's xAPI address"),
    (["export", "--lrs", "lrs.example.com"], "must start with https://"),
    (["export", "--lrs", "https://lrs.example.com/xapi"], "--lrs needs the LRS's key and secret"),
    (["export", "--lrs", "https://lrs.example.com/xapi", "--lrs-key", KEY], "--lrs needs the LRS's key and secret"),
    (["export", "--lrs", "https://lrs.example.com/xapi", "--format", "csv", "--lrs-key", KEY, "--lrs-secret", SECRET],
     "leave out --format"),
])
def test_missing_or_bad_lrs_settings_are_one_clear_line_before_anything_is_read(argv, message, capsys, monkeypatch):
    assert message in one_line_failure(argv, capsys, monkeypatch)


def test_with_no_ended_call_nothing_is_sent(capsys, monkeypatch, fake_lrs):
    fake, url = fake_lrs
    code, out, _ = run(["export", "--lrs", url, "--lrs-key", KEY, "--lrs-secret", SECRET], capsys, monkeypatch)
    assert code == 0 and out == f"nothing to send to {url}/statements: no ended calls\n" and not fake.batches


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test's self-signed certificate")
def test_a_certificate_this_computer_does_not_trust_is_one_line_and_never_retried(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    pauses: list[float] = []
    try:
        with pytest.raises(LrsError) as failed:
            send_statements(some_statements(2), target(f"https://127.0.0.1:{server.server_address[1]}/xapi"),
                            sleep=pauses.append)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert "failed the TLS check (self-signed certificate)" in str(failed.value) and "2 statements not sent" in str(failed.value)
    assert pauses == []


def test_sent_under_the_placeholder_address_the_admin_is_told_once(capsys, monkeypatch, fake_lrs):
    """The default base, https://bad-news-drill.invalid, is a placeholder an LMS admin should replace (issue 14)."""
    from simulator.records.xapi import DEFAULT_BASE

    fake, url = fake_lrs
    play_two_calls(capsys, monkeypatch)
    code, out, err = run(["export", "--lrs", url, "--lrs-key", KEY, "--lrs-secret", SECRET], capsys, monkeypatch)
    assert code == 0 and out.endswith(": 8 stored\n") and len(fake.statements) == 8
    assert err.count(DEFAULT_BASE) == 1 and "--xapi-base" in err
    base = "https://training.example.com/badnews"
    code, out, err = run(["export", "--lrs", url, "--lrs-key", KEY, "--lrs-secret", SECRET, "--xapi-base", base],
                         capsys, monkeypatch)
    assert DEFAULT_BASE not in err  # refused or not, nothing about the placeholder
