"""Calls as xAPI 1.0.3 statements, for a Learning Record Store (POST the array to its /statements).

Each ended call gives four statements, in cmi5's order: `initialized` (when the call started),
`completed` (played to its end), `passed` or `failed` against the call's own pass mark, with the
score, the outcome and, per rubric line, a result extension keyed by the line's IRI that carries the
rep's words as evidence, then `terminated`. Calls in progress or abandoned are not sent: they are
not attempts an LMS can mark. Statement ids are UUIDs derived from the call's own UUID and the
verb, so sending an export twice gives the LRS the same statements, which it keeps once.

cmi5 is followed where it applies to a drill no LMS launched: the cmi5 category on every statement,
the moveOn category where a result says completion or success, a session id and the mastery score
(the pass mark, scaled) as context extensions. The registration is the call's own UUID, not one an
LMS handed out. One deliberate difference: `passed`/`failed` keep `result.completion` (true), as
every export since the first has, although cmi5 keeps completion to `completed`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC
from typing import Any
from urllib.parse import quote

from simulator.catalogue import BY_ID
from simulator.records.record import CallRecord

XAPI_VERSION = "1.0.3"
# A reserved, never-resolving domain: a trainer sets their own with --xapi-base so ids are theirs.
DEFAULT_BASE = "https://bad-news-drill.invalid"
# cmi5 (section 9.3) names all five verbs by their ADL IRIs, initialized and terminated included.
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
CMI5_VERBS = ("initialized", "completed", "passed", "failed", "terminated")
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
CMI5_SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
CMI5_MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
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
    """The statements for every ended call, oldest call first: initialized, completed, passed or failed, terminated."""
    out = []
    for record in records:
        if record.ended and record.score is not None:
            judged = "passed" if record.passed else "failed"
            out += [_statement(record, verb, base) for verb in ("initialized", "completed", judged, "terminated")]
    return out


def _statement(record: CallRecord, verb: str, base: str) -> dict[str, Any]:
    base = base.rstrip("/")
    statement: dict[str, Any] = {
        "id": statement_id(record, verb),
        "actor": actor(record.trainee, base),
        "verb": {"id": ADL_VERBS + verb, "display": {"en-US": verb}},
        "object": activity(record, base),
    }
    result = _result(record, verb, base)
    if result:
        statement["result"] = result
    statement["context"] = _context(record, verb, base)
    when = record.started_at if verb == "initialized" else record.updated_at
    statement["timestamp"] = when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return statement


def _result(record: CallRecord, verb: str, base: str) -> dict[str, Any]:
    """What the verb reports: nothing when the call starts, its length when it ends, completion, the score."""
    if verb == "initialized":
        return {}
    if verb == "terminated":
        return {"duration": duration(record)}
    result: dict[str, Any] = {"completion": True, "duration": duration(record)}
    if verb in ("passed", "failed"):
        score = max(0, min(MAX_SCORE, int(record.score or 0)))
        result.update({
            "score": {"scaled": score / MAX_SCORE, "raw": score, "min": 0, "max": MAX_SCORE},
            "success": bool(record.passed),
            "extensions": behaviour_extensions(record, base),
        })
    return result


def _context(record: CallRecord, verb: str, base: str) -> dict[str, Any]:
    """The attempt, the cmi5 categories, and who, how and against which pass mark the call was played."""
    category = [{"objectType": "Activity", "id": CMI5_CATEGORY}]
    if verb in ("completed", "passed", "failed"):  # cmi5 9.6.2.2: a result with completion or success
        category.append({"objectType": "Activity", "id": MOVEON_CATEGORY})
    extensions: dict[str, Any] = {
        f"{base}/extensions/persona": record.persona,
        f"{base}/extensions/seed": record.seed,
        f"{base}/extensions/outcome": record.outcome,
        f"{base}/extensions/pass-mark": record.pass_mark,
        f"{base}/extensions/mode": str(record.mode),
        f"{base}/extensions/group": record.group,
        CMI5_SESSION_ID: statement_id(record, "session"),
    }
    if verb in ("passed", "failed") and record.pass_mark is not None:
        extensions[CMI5_MASTERY_SCORE] = max(0, min(MAX_SCORE, record.pass_mark)) / MAX_SCORE
    return {
        "registration": _registration(record),
        "platform": PLATFORM,
        "language": "en-US",
        "contextActivities": {"category": category},
        "extensions": extensions,
    }


def behaviour_extensions(record: CallRecord, base: str) -> dict[str, Any]:
    """Per rubric line, keyed by its IRI: whether the call showed it, the points it moved, whether it is a good
    line, the points it lost (0-100 scale), and the evidence: each reply that showed it, in the rep's words."""
    lines = (record.snapshot or {}).get("behaviours")
    if not isinstance(lines, dict):
        return {}
    return {
        f"{base}/behaviours/{behaviour}": {
            "hit": bool(line.get("hit")),
            "points": line.get("points"),
            "good": line.get("good"),
            "lost": line.get("lost"),
            "evidence": _evidence(line.get("evidence")),
        }
        for behaviour, line in lines.items()
        if behaviour in BY_ID and isinstance(line, dict)
    }


def _evidence(found: object) -> list[dict[str, Any]]:
    """The rep's words that showed a line, with the reply they came from (1, 2, ...)."""
    if not isinstance(found, list):
        return []
    return [
        {"reply": item.get("reply"), "words": item.get("words")}
        for item in found
        if isinstance(item, dict) and isinstance(item.get("words"), str)
    ]


def _registration(record: CallRecord) -> str:
    """The attempt's UUID: the call's own."""
    try:
        return str(uuid.UUID(record.uid))
    except ValueError:
        return statement_id(record, "registration")
