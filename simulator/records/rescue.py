"""A call the store could not take: kept in a file of its own, and taken back in by `badnews import`.

When a call's last save fails (a full disk, a store that became read-only), the recorder writes the
whole call as one line of `badnews export` JSON Lines, beside the calls database or else in the temp
folder, so nothing the trainee said is lost. `import_calls` reads such a file, or any export, back into
a store: a call stored with fewer replies gets the ones it is missing, a call not stored is added, and a
call stored as it is in the file is left alone. Nothing stored is ever overwritten: a call whose stored
replies differ from the file's is added as a new call.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.files import UnreadableFile, check_regular
from simulator.records.cohort import MAX_PROBLEMS_PER_FILE, numbered_lines
from simulator.records.export import EXPORT_FORMAT, jsonl_lines, write_text
from simulator.records.schema import SQLITE_INT_MAX, STATUSES
from simulator.records.store import CallRecord, CallStore, Reply, StoreError
from simulator.status import Mode

# The keys `badnews export` adds to the `replay --json` object; the rest is the debrief snapshot as stored
# (which has its own status, mode, scenario title and persona name).
EXPORT_KEYS = frozenset({"format", "call_id", "call_uid", "trainee", "started_at", "updated_at"})


def kept_name(record: CallRecord) -> str:
    """The file a call the store could not take is kept in: named for the call, so a later save of it replaces it."""
    return f"badnews-unsaved-call-{record.id}-{record.uid[:8]}.jsonl"


def keep_aside(record: CallRecord, beside: Path) -> tuple[Path | None, str]:
    """Write the call as one export line to the first folder that takes it: `beside`, then the temp folder.

    Returns the file and the line; no file when neither folder could take it (then the line is all there is).
    """
    line = "".join(jsonl_lines([record]))
    for folder in (beside, Path(tempfile.gettempdir())):
        path = folder / kept_name(record)
        try:
            write_text([line], path, None)  # whole or not at all: a half-written line is never left
        except (OSError, ValueError):  # ValueError: text the file system cannot encode
            continue
        return path, line
    return None, line


@dataclass
class Imported:
    """What `import_calls` did with a file: one line per call taken in, and the lines it could not use."""

    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _ExportedCall:
    """One export line, checked: everything a store needs to hold the call."""

    uid: str
    trainee: str
    scenario: str
    persona: str
    seed: int
    choices: dict[str, str]
    replies: tuple[Reply, ...]
    status: str
    mode: str
    started_at: datetime | None
    scenario_title: str
    persona_name: str
    snapshot: dict[str, Any]
    group: str = ""  # the class the call was played in; "" in an export written before groups were kept


def import_calls(store: CallStore, path: Path) -> Imported:
    """Take the calls of an export file into `store`; every problem is `file:line: why`, never raised."""
    imported = Imported()
    try:
        check_regular(path)
    except UnreadableFile as error:
        imported.problems.append(f"{path}: cannot read: {error}")
        return imported
    try:
        for number, text in numbered_lines(path, imported.problems):
            if not text.strip():
                continue
            where = f"{path}:{number}"
            try:
                call = _exported_call(_json(text))
            except ValueError as why:
                imported.problems.append(f"{where}: {why}; skipped")
                continue
            try:
                imported.done.append(f"{where}: {_take(store, call)}")
            except StoreError as error:
                imported.problems.append(f"{where}: not imported: {error}")
    except OSError as error:
        imported.problems.append(f"{path}: cannot read: {error.strerror or error}")
    if len(imported.problems) > MAX_PROBLEMS_PER_FILE:  # a wrong file is a few lines, not thousands
        extra = len(imported.problems) - MAX_PROBLEMS_PER_FILE
        imported.problems[MAX_PROBLEMS_PER_FILE:] = [f"{path}: {extra} more problem(s) skipped"]
    return imported


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg} at column {error.colno})") from None
    except RecursionError:
        raise ValueError("not JSON (nested too deeply)") from None
    except ValueError:
        raise ValueError("not JSON (a number too long to read)") from None


def _exported_call(data: object) -> _ExportedCall:
    """The call an export line holds; ValueError says what is missing or wrong."""
    if not isinstance(data, dict):
        raise ValueError("not a call (expected a JSON object)")
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("holds text that is not valid Unicode (a lone surrogate)") from None
    if data.get("format") != EXPORT_FORMAT:
        raise ValueError(f"not a line of `badnews export` (format {data.get('format')!r}, not {EXPORT_FORMAT!r})")
    texts = {key: data.get(key) for key in ("call_uid", "trainee", "scenario", "persona")}
    for key, value in texts.items():
        if not isinstance(value, str) or not value:
            raise ValueError(f"'{key}' is missing or not text")
    seed = data.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool) or not -SQLITE_INT_MAX - 1 <= seed <= SQLITE_INT_MAX:
        raise ValueError(f"'seed' is not a whole number SQLite can hold: {seed!r}")
    if data.get("status") not in STATUSES:
        raise ValueError(f"'status' is not one of {', '.join(STATUSES)}")
    for key in ("score", "pass_mark"):
        value = data.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or abs(value) > SQLITE_INT_MAX):
            raise ValueError(f"'{key}' is not a whole number: {value!r}")
    if data.get("passed") is not None and not isinstance(data.get("passed"), bool):
        raise ValueError("'passed' is not true, false or null")
    for key in ("outcome", "ended_by", "grade"):
        if not isinstance(data.get(key), str | None):
            raise ValueError(f"'{key}' is not text")
    return _ExportedCall(
        uid=str(texts["call_uid"]),
        trainee=str(texts["trainee"]),
        scenario=str(texts["scenario"]),
        persona=str(texts["persona"]),
        seed=seed,
        choices=_choices(data.get("choices")),
        replies=_replies(data.get("transcript")),
        status=str(data["status"]),
        mode=str(data["mode"]) if data.get("mode") in {str(mode) for mode in Mode} else Mode.TRAIN,
        started_at=_when(data.get("started_at")),
        scenario_title=_text_or_blank(data.get("scenario_title")),
        persona_name=_text_or_blank(data.get("persona_name")),
        snapshot={key: value for key, value in data.items() if key not in EXPORT_KEYS},
        group=_text_or_blank(data.get("group")),
    )


def _choices(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError("'choices' is not an object of texts")
    return dict(value)


def _replies(transcript: object) -> tuple[Reply, ...]:
    """The seller's replies of a transcript, with the talked-over flag."""
    if not isinstance(transcript, list):
        raise ValueError("'transcript' is missing or not a list")
    replies = []
    for index, turn in enumerate(transcript, start=1):
        if not isinstance(turn, dict) or not isinstance(turn.get("text"), str):
            raise ValueError(f"turn {index} of the transcript has no text")
        if turn.get("speaker") == "seller":
            replies.append(Reply(turn["text"], turn.get("interrupted") is True))
    return tuple(replies)


def _when(value: object) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return when if when.tzinfo else None


def _text_or_blank(value: object) -> str:
    return value if isinstance(value, str) else ""


def _take(store: CallStore, call: _ExportedCall) -> str:
    """Store the call, or the replies the stored one is missing; what was done, in words."""
    stored = store.find(call.uid)
    if stored is not None and call.replies[: len(stored.replies)] == stored.replies:
        missing = len(call.replies) - len(stored.replies)
        if missing == 0:
            return f"call {stored.id} is already stored as in this file ({_count(len(call.replies))}); left as it is"
        _save(store, stored.id, call, saved=len(stored.replies))
        return f"call {stored.id} now has all its {_count(len(call.replies))} ({missing} added)"
    uid = None if stored is not None else call.uid  # stored with other replies: keep both, under a new uid
    call_id = store.start_call(
        trainee=call.trainee, scenario=call.scenario, persona=call.persona, seed=call.seed, choices=call.choices,
        scenario_title=call.scenario_title, persona_name=call.persona_name, mode=call.mode, uid=uid,
        started_at=call.started_at, group=call.group,
    )
    _save(store, call_id, call, saved=0)
    if stored is not None:
        return f"call {stored.id} is stored with other replies; this one was added as call {call_id}"
    return f"added as call {call_id} with its {_count(len(call.replies))}"


def _count(replies: int) -> str:
    return "1 reply" if replies == 1 else f"{replies} replies"


def _save(store: CallStore, call_id: int, call: _ExportedCall, *, saved: int) -> None:
    store.save(call_id, replies=call.replies, saved=saved, status=call.status, choices=call.choices,
               snapshot=call.snapshot)
