"""Sending xAPI statements to a Learning Record Store: batched, retried, idempotent, and told in one line.

The statements go to the LRS's statements endpoint (`URL/statements`) as POSTs of up to
`BATCH_SIZE`, with the xAPI version header and HTTP Basic auth. A refused or dropped connection,
a timeout, a 5xx or a 429 is tried again after a growing pause (the LRS's Retry-After when it gives
one), `RETRY_DELAYS` times; anything else that goes wrong stops the sending with one plain line
that names what was not sent. Only the standard library is used: one POST with a header and a JSON
body needs nothing more, and the single-user install stays as small as it is.

Sending twice creates nothing new: statement ids are stable (see `xapi.statement_id`). An LRS
answers a batch it already holds with 204 (nothing new) or with 200 and only the ids it stored
(ralph does both), or keeps them once and lists every id (the xAPI text's 200); all three are
counted. A 409 means some statement with the same id but other content is there (sent before with
another `--xapi-base`, say): the batch is then sent one statement at a time, so every other
statement still lands, and those are counted as conflicts, never replaced (an LRS never replaces a
statement).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import json
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.client import HTTPException
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from simulator.records.xapi import XAPI_VERSION
from simulator.text import visible

# Where `badnews export --xapi --lrs` finds the address, key and secret when the options do not give them.
URL_ENV, KEY_ENV, SECRET_ENV = "BADNEWS_LRS_URL", "BADNEWS_LRS_KEY", "BADNEWS_LRS_SECRET"
# Statements per POST: small enough for any LRS's request limit (a call's four statements with every
# rubric line and its evidence come to ~12 KB, so a POST is ~150 KB), large enough that 1,000 calls take 80.
BATCH_SIZE = 50
# Pauses before the 2nd, 3rd and 4th try of a request that failed in a way that may pass.
RETRY_DELAYS: tuple[float, ...] = (0.5, 2.0, 5.0)
# The longest pause a Retry-After header can ask for before the next try.
MAX_RETRY_AFTER = 30.0
# Seconds to wait for the LRS to connect or answer one request.
TIMEOUT = 30.0
# HTTP statuses that may pass on their own: the LRS is busy or restarting.
RETRYABLE = frozenset({429, 500, 502, 503, 504})


class LrsError(Exception):
    """The statements could not all be sent: one line for the user, and how many were not sent."""

    def __init__(self, message: str, unsent: int = 0) -> None:
        super().__init__(message)
        self.unsent = unsent


@dataclass(frozen=True)
class LrsTarget:
    """Where to send: the statements endpoint and the Basic auth key and secret (never shown)."""

    endpoint: str
    key: str
    secret: str = field(repr=False)

    def authorization(self) -> str:
        """The Authorization header's value."""
        pair = f"{self.key}:{self.secret}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")


@dataclass
class SendReport:
    """What the LRS answered, statement by statement."""

    endpoint: str
    sent: int = 0  # statements the LRS took an answer for
    stored: int = 0  # new to the LRS (or listed as kept by an LRS that does not say which are new)
    already: int = 0  # the same statement was already there
    conflicts: int = 0  # a statement with the same id but other content was already there; left as it was
    requests: int = 0  # POSTs made, tries included

    def summary(self, calls: int) -> str:
        """`sent 24 statements for 6 calls to URL: 24 stored`, with what was already there."""
        parts = []
        if self.stored or not (self.already or self.conflicts):
            parts.append(f"{self.stored} stored")
        if self.already:
            parts.append(f"{self.already} already there")
        if self.conflicts:
            parts.append(
                f"{self.conflicts} already there with other content, left as they were (an LRS never replaces a "
                "statement: was it sent before with another --xapi-base?)"
            )
        return f"sent {_count(self.sent, 'statement')} for {_count(calls, 'call')} to {self.endpoint}: " + ", ".join(parts)


def statements_endpoint(url: str) -> str:
    """The statements endpoint of an LRS given by its xAPI address: `URL/statements` unless URL ends with it.

    Raises ValueError with a plain reason for anything but an http(s) address with a host; a key or
    password written into the address is refused, so it can never be printed back.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise ValueError(f"'{visible(url)}' is not a web address") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the LRS address must start with https:// or http://, such as "
                         f"https://lrs.example.com/xapi; got '{visible(url)}'")
    if parts.username is not None or parts.password is not None:
        raise ValueError("give the LRS key and secret with --lrs-key and --lrs-secret (or BADNEWS_LRS_KEY and "
                         "BADNEWS_LRS_SECRET), not inside the address")
    if parts.query or parts.fragment:
        raise ValueError(f"the LRS address takes no ?query or #fragment; got '{visible(url)}'")
    path = parts.path.rstrip("/")
    if not path.endswith("/statements"):
        path += "/statements"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def send_statements(
    statements: Sequence[dict[str, Any]],
    target: LrsTarget,
    *,
    batch_size: int = BATCH_SIZE,
    delays: Sequence[float] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    timeout: float = TIMEOUT,
) -> SendReport:
    """POST `statements` to the LRS in batches; raises LrsError (counting what was not sent) when it cannot."""
    client = _Client(target, RETRY_DELAYS if delays is None else tuple(delays), sleep, timeout)
    report = SendReport(endpoint=target.endpoint)
    for start in range(0, len(statements), batch_size):
        batch = statements[start:start + batch_size]
        try:
            _send_batch(client, batch, report)
        except LrsError as error:
            unsent = len(statements) - report.sent
            raise LrsError(f"{error}; {_count(unsent, 'statement')} not sent"
                           + (f" ({report.sent} sent before)" if report.sent else ""), unsent) from None
        finally:
            report.requests = client.requests
    return report


def _send_batch(client: _Client, batch: Sequence[dict[str, Any]], report: SendReport) -> None:
    status, body = client.post(batch)
    if status == 409 and len(batch) > 1:
        # Which statement conflicts is not said, and the batch was refused whole: send them one by one.
        for statement in batch:
            _send_batch(client, [statement], report)
        return
    report.sent += len(batch)
    if status == 409:
        report.conflicts += 1
    elif status == 204:
        report.already += len(batch)
    else:
        ids = {s.get("id") for s in batch}
        listed = _listed_ids(body)
        stored = len(ids & listed) if listed is not None else len(batch)
        report.stored += stored
        report.already += len(batch) - stored


def _listed_ids(body: bytes) -> set[str] | None:
    """The statement ids a 200 answer lists; None when it lists none readable (then all count as stored)."""
    with contextlib.suppress(ValueError, UnicodeDecodeError):
        found = json.loads(body)
        if isinstance(found, list) and all(isinstance(i, str) for i in found):
            return set(found)
    return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is answered, not followed: urllib would turn the POST into a GET and lose the statements."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class _Client:
    """POSTs to one statements endpoint, trying again when a failure may pass."""

    def __init__(self, target: LrsTarget, delays: tuple[float, ...], sleep: Callable[[float], None],
                 timeout: float) -> None:
        self.target, self.delays, self.sleep, self.timeout = target, delays, sleep, timeout
        self.opener = urllib.request.build_opener(_NoRedirects)
        self.requests = 0

    def post(self, batch: Sequence[dict[str, Any]]) -> tuple[int, bytes]:
        """The status (2xx or 409) and body of the LRS's answer; LrsError for anything else, after the tries."""
        body = json.dumps(list(batch), ensure_ascii=True).encode("ascii")
        for attempt in range(len(self.delays) + 1):
            last = attempt == len(self.delays)
            try:
                return self._post_once(body)
            except _Retryable as failure:
                if last:
                    tries = len(self.delays) + 1
                    raise LrsError(f"{failure.reason} ({tries} tries)") from None
                self.sleep(min(MAX_RETRY_AFTER, max(self.delays[attempt], failure.retry_after)))
        raise AssertionError("unreachable")  # pragma: no cover

    def _post_once(self, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(self.target.endpoint, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Experience-API-Version": XAPI_VERSION,
            "Authorization": self.target.authorization(),
            "Accept": "application/json",
        })
        self.requests += 1
        where = self.target.endpoint
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as answer:
            with answer:
                text = _body_text(answer)
            return self._answer(answer.code, answer.reason, answer.headers.get("Retry-After"),
                                answer.headers.get("Location"), text)
        except urllib.error.URLError as error:
            raise self._unreachable(error.reason) from None
        except (TimeoutError, ConnectionError, HTTPException, OSError) as error:
            # A connection dropped mid-answer, or a timeout while reading it.
            raise _Retryable(f"the LRS at {where} did not answer ({_reason(error)})") from None

    def _answer(self, code: int, reason: str, retry_after: str | None, location: str | None,
                text: str) -> tuple[int, bytes]:
        where = self.target.endpoint
        if code == 409:
            return code, b""
        detail = f": {text}" if text else ""
        if code in RETRYABLE:
            raise _Retryable(f"the LRS at {where} answered {code} {visible(reason or '')}".rstrip() + detail,
                             _seconds(retry_after))
        if code in (401, 403):
            raise LrsError(f"the LRS at {where} refused the key and secret ({code} {visible(reason or '')}): check "
                           "--lrs-key and --lrs-secret, or BADNEWS_LRS_KEY and BADNEWS_LRS_SECRET")
        if code == 404:
            raise LrsError(f"the LRS has no statements endpoint at {where} (404): give its xAPI address, "
                           "such as https://lrs.example.com/xapi")
        if 300 <= code < 400:
            moved = f" to {visible(location)}" if location else ""
            raise LrsError(f"the LRS at {where} answered {code}, moved{moved}: give that address with --lrs")
        raise LrsError(f"the LRS at {where} refused the statements ({code} {visible(reason or '')}){detail}")

    def _unreachable(self, reason: object) -> Exception:
        where = self.target.endpoint
        if isinstance(reason, ssl.SSLCertVerificationError):
            return LrsError(f"the LRS at {where} failed the TLS check ({visible(str(reason.verify_message))}): "
                            "its certificate is not one this computer trusts")
        if isinstance(reason, ssl.SSLError):
            words = str(reason.reason or _reason(reason)).replace("_", " ").lower()
            return LrsError(f"no TLS connection to the LRS at {where} ({visible(words)}): "
                            "is it http:// rather than https://?")
        if isinstance(reason, socket.gaierror) and reason.errno != socket.EAI_AGAIN:
            host = urlsplit(where).hostname or where
            return LrsError(f"cannot find the LRS host '{visible(host)}': check the address")
        if isinstance(reason, ConnectionRefusedError) or getattr(reason, "errno", None) == errno.ECONNREFUSED:
            return _Retryable(f"cannot reach the LRS at {where}: connection refused")
        return _Retryable(f"cannot reach the LRS at {where} ({_reason(reason)})")


class _Retryable(Exception):
    """A failure that may pass: the connection, a timeout, a busy or restarting LRS."""

    def __init__(self, reason: str, retry_after: float = 0.0) -> None:
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


def _seconds(retry_after: str | None) -> float:
    """Retry-After in seconds (an HTTP date is not worth parsing here: then the usual pause)."""
    try:
        return max(0.0, float(retry_after or 0))
    except ValueError:
        return 0.0


def _body_text(answer: urllib.error.HTTPError) -> str:
    """The start of an error answer's body, on one line and safe to print (an LRS says why in it)."""
    try:
        raw = answer.read(2000)
    except (OSError, HTTPException):
        return ""
    text = raw.decode("utf-8", errors="replace")
    with contextlib.suppress(ValueError):
        found = json.loads(text)
        if isinstance(found, dict):
            text = str(found.get("detail") or found.get("message") or found.get("error") or text)
    return visible(" ".join(text.split()))[:200]


def _reason(error: object) -> str:
    """An OS or TLS error as a few words: its message without the errno prefix."""
    text = getattr(error, "strerror", None) or getattr(error, "reason", None) or str(error) or type(error).__name__
    return visible(str(text))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
