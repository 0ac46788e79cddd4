"""Calls kept on this computer while the team store was away, sent to it once it is back.

A call goes to the local SQLite file, with its uid in the `outbox` table, when the team's PostgreSQL
store cannot be reached at its start or goes away in the middle. `send_kept` copies each such call to
the team store by its uid: a call the store has never seen is added whole; a call it has (the first
replies went there before it went away) gets the replies it is missing and its latest state. Sending
twice changes nothing, and a call is taken off the outbox only once the store holds all of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from simulator.records.connect import StoreError


class Store(Protocol):
    """What sending needs of a store (a `CallStore`; named here so the store can send without an import cycle)."""

    def find(self, uid: str) -> Any: ...
    def outbox(self, store: str) -> list[Any]: ...
    def sent(self, uid: str) -> None: ...
    def start_call(self, *, trainee: str, scenario: str, persona: str, seed: int, choices: Mapping[str, str],
                   scenario_title: str = "", persona_name: str = "", mode: str = "train", uid: str | None = None,
                   started_at: datetime | None = None, group: str | None = None) -> int: ...
    def save(self, call_id: int, *, replies: Sequence[Any], saved: int, status: str, choices: Mapping[str, str],
             snapshot: Mapping[str, Any] | None) -> None: ...


@dataclass
class Sent:
    """What one sending did: calls and replies the team store took, and the calls it could not."""

    calls: int = 0
    replies: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self, where: str) -> str | None:
        """One line for the user; None when there was nothing to send."""
        if not self.calls and not self.problems:
            return None
        text = f"sent {self.calls} call(s) kept on this computer to {where} ({self.replies} replies)"
        return text + "".join(f"; {p}" for p in self.problems)


def kept_for(local: Store, key: str) -> list[str]:
    """The uids of the calls in the local outbox for the team store `key`."""
    return [row["uid"] for row in local.outbox(key)]


def send_kept(local: Store, team: Store, key: str) -> Sent:
    """Send every call kept in `local` for the team store `key`; never raises for one call that fails."""
    sent = Sent()
    for uid in kept_for(local, key):
        record = local.find(uid)
        if record is None:  # deleted or unreadable here: nothing to send
            local.sent(uid)
            continue
        try:
            added = _send(record, team)
        except StoreError as error:
            sent.problems.append(f"call {record.id} not sent: {error}")
            continue
        if added is None:
            sent.problems.append(
                f"call {record.id} not sent: the team store holds more replies of it than this computer"
            )
            continue
        local.sent(uid)
        sent.calls += 1
        sent.replies += added
    return sent


def _send(record: Any, team: Store) -> int | None:
    """Copy one call to the team store; the replies added, or None if the store's copy is ahead of ours."""
    there = team.find(record.uid)
    if there is None:
        call_id = team.start_call(
            trainee=record.trainee, scenario=record.scenario, persona=record.persona, seed=record.seed,
            choices=record.choices, scenario_title=record.scenario_title, persona_name=record.persona_name,
            mode=record.mode, uid=record.uid, started_at=record.started_at, group=record.group,
        )
        saved = 0
    else:
        call_id, saved = there.id, len(there.replies)
        if saved > len(record.replies):
            return None
    team.save(call_id, replies=record.replies, saved=saved, status=record.status, choices=record.choices,
              snapshot=record.snapshot)
    return len(record.replies) - saved
