"""Calls as xAPI 1.0.3 statements, for a Learning Record Store (POST the array to its /statements).

Each ended call gives two statements, as cmi5 does: `completed` (the call was played to its end)
and `passed` or `failed` with the score, the outcome and, per behaviour, a result extension whose
key is the behaviour's IRI. Calls in progress or abandoned are not sent: they are not attempts an
LMS can mark. Statement ids are UUIDs derived from the call's own UUID and the verb, so sending an
export twice gives the LRS the same statements, which it keeps once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC
from typing import Any
from urllib.parse import quote

from simulator.catalogue import BY_ID
from simulator.records.store import CallRecord

XAPI_VERSION = "1.0.3"
# A reserved, never-resolving domain: a trainer sets their own with --xapi-base so ids are theirs.
DEFAULT_BASE = "https://bad-news-drill.invalid"
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
PLATFORM = "Bad News Drill"
MAX_SCORE = 100
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_base_iri(text: str) -> bool:
    """Whether `text` can prefix activity ids and be an account's home page: an http(s) address."""
    return re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", text) is not None


def actor(trainee: str, base: str) -> dict[str, Any]:
    """The trainee as an xAPI Agent: by e-mail when the name is one, else an account on `base`."""
    if _EMAIL.match(trainee):
        return {"objectType": "Agent", "name": trainee, "mbox": f"mailto:{trainee}"}
    return {"objectType": "Agent", "name": trainee, "account": {"homePage": base, "name": trainee}}


def activity(record: CallRecord, base: str) -> dict[str, Any]:
    """The scenario as an xAPI Activity with an IRI id."""
    return {
        "objectType": "Activity",
        "id": f"{base.rstrip('/')}/scenarios/{quote(record.scenario, safe='')}",
        "definition": {
            "name": {"en-US": record.scenario_title or record.scenario},
            "type": SIMULATION,
        },
    }


def duration(record: CallRecord) -> str:
    """The call's length, first save to last, as an ISO 8601 duration (PT#H#M#S, to 0.01 s)."""
    seconds = max(0.0, (record.updated_at - record.started_at).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, rest = divmod(rest, 60)
    text = "PT" + (f"{int(hours)}H" if hours else "") + (f"{int(minutes)}M" if minutes else "")
    return text + f"{rest:.2f}".rstrip("0").rstrip(".") + "S"


def statement_id(record: CallRecord, verb: str) -> str:
    """A stable UUID for one statement about one call."""
    try:
        namespace = uuid.UUID(record.uid)
    except ValueError:
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"badnews-call:{record.uid}")
    return str(uuid.uuid5(namespace, verb))


def statements(records: Iterable[CallRecord], base: str = DEFAULT_BASE) -> list[dict[str, Any]]:
    """The statements for every ended call, `completed` then `passed` or `failed`, oldest call first."""
    out = []
    for record in records:
        if record.ended and record.score is not None:
            out += [_statement(record, "completed", base), _statement(record, "passed" if record.passed else "failed", base)]
    return out


def _statement(record: CallRecord, verb: str, base: str) -> dict[str, Any]:
    base = base.rstrip("/")
    result: dict[str, Any] = {"completion": True, "duration": duration(record)}
    if verb != "completed":
        score = max(0, min(MAX_SCORE, int(record.score or 0)))
        result.update({
            "score": {"scaled": score / MAX_SCORE, "raw": score, "min": 0, "max": MAX_SCORE},
            "success": bool(record.passed),
            "extensions": behaviour_extensions(record, base),
        })
    return {
        "id": statement_id(record, verb),
        "actor": actor(record.trainee, base),
        "verb": {"id": ADL_VERBS + verb, "display": {"en-US": verb}},
        "object": activity(record, base),
        "result": result,
        "context": {
            "registration": _registration(record),
            "platform": PLATFORM,
            "language": "en-US",
            "extensions": {
                f"{base}/extensions/persona": record.persona,
                f"{base}/extensions/seed": record.seed,
                f"{base}/extensions/outcome": record.outcome,
                f"{base}/extensions/pass-mark": record.pass_mark,
            },
        },
        "timestamp": record.updated_at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }


def behaviour_extensions(record: CallRecord, base: str) -> dict[str, Any]:
    """Per scored behaviour, keyed by its IRI: whether the call showed it and the points it moved."""
    lines = (record.snapshot or {}).get("behaviours")
    if not isinstance(lines, dict):
        return {}
    return {
        f"{base}/behaviours/{behaviour}": {"hit": bool(line.get("hit")), "points": line.get("points")}
        for behaviour, line in lines.items()
        if behaviour in BY_ID and isinstance(line, dict)
    }


def _registration(record: CallRecord) -> str:
    """The attempt's UUID: the call's own."""
    try:
        return str(uuid.UUID(record.uid))
    except ValueError:
        return statement_id(record, "registration")
