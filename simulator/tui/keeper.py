"""The app's link to the calls database: one records thread owns the SQLite connection and runs every read and write.

A SQLite connection belongs to the thread that opened it, and each Textual worker runs on a thread of its
own, so the store lives on one thread and the app hands it jobs. The jobs run in the order they were
given: a call's saves follow its start, and best scores read after a call include its last save. The
records package is imported on the records thread, when first needed, so start-up stays lean.
A job never raises into the app: what went wrong comes back as a message to show.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from simulator.status import Mode

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from simulator.content.loader import Library
    from simulator.engine.call import Call
    from simulator.records.history import HistorySummary
    from simulator.records.recorder import CallRecorder
    from simulator.records.store import CallRecord, CallStore

T = TypeVar("T")
NOT_SAVED = "Calls will not be saved"


class CallKeeper:
    """Opens the calls database off the UI thread, then keeps the trainee's calls in it, one job at a time."""

    def __init__(self, data_dir: Path | None = None, trainee: str | None = None, group: str | None = None) -> None:
        self.data_dir = data_dir
        self.trainee = trainee  # resolved to the user name on the records thread when None
        self.group = group  # the group new calls are stored in (a served class's sign-in); None: `--group`
        self.problem: str | None = None  # why calls are not being saved, once the store failed to open
        self._store: CallStore | None = None
        self._opened = False
        self._notices: list[str] = []  # what opening found, until `open()` hands it to the app
        self.parting: list[str] = []  # what to tell the trainee in the terminal once the app has closed
        self._thread: ThreadPoolExecutor | None = None  # started by the first job, after the first screen
        self._closed = False

    # --- jobs --------------------------------------------------------------------------
    def submit(self, job: Callable[[], T], fallback: T) -> Future[T]:
        """Run `job` on the records thread; once the keeper is closed, `fallback` at once."""
        if self._closed:
            return _done(fallback)
        try:
            return self._records_thread().submit(job)
        except RuntimeError:  # shut down between the check and the submit
            return _done(fallback)

    def open(self) -> Future[list[str]]:
        """Open the calls database; resolves to what the user must be told (a damaged file set aside, or no saving)."""
        return self.submit(self._open, [])

    def best_scores(self) -> Future[dict[str, int]]:
        """Per scenario, the trainee's best score among ended calls."""
        return self.submit(self._best_scores, {})

    def history(self, library: Library | None) -> Future[HistorySummary | None]:
        """The trainee's history (None when calls are not being saved)."""
        return self.submit(lambda: self._history(library), None)

    def stored(self, call_id: int) -> Future[CallRecord | None]:
        """One of the trainee's stored calls as it is now (None when it cannot be read, or is someone else's)."""
        return self.submit(lambda: self._stored(call_id), None)

    def unfinished(self) -> Future[list[CallRecord]]:
        """The trainee's calls that can be picked up where they stopped (left, or cut off by a crash)."""
        return self.submit(self._unfinished, [])

    def record(self, call: Call, mode: Mode = Mode.TRAIN) -> CallRecording:
        """A recording of a new call played in `mode`; start it once the call has opened."""
        return CallRecording(self, call, mode=mode)

    def resume(self, record: CallRecord, library: Library) -> Future[CallRecording]:
        """Pick a stored call up where it stopped; raises ResumeError or StoreError with a message to show."""
        if self._closed:
            return _failed(RuntimeError("the app is closing"))
        return self._records_thread().submit(lambda: self._resume(record, library))

    def close(self) -> None:
        """Finish the jobs already given, then close the database."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            self._thread.submit(self._close)
            self._thread.shutdown(wait=True)

    def _records_thread(self) -> ThreadPoolExecutor:
        if self._thread is None:
            from concurrent.futures import ThreadPoolExecutor

            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="badnews-records")
        return self._thread

    # --- on the records thread -----------------------------------------------------------
    def store(self) -> CallStore | None:
        """The database, opened by whichever job needs it first; None when calls are not being saved.

        Records thread only. A job given before `open()` (the trainee was quick) opens it just the same.
        """
        if not self._opened:
            self._opened = True
            self._notices = self._open_store()
        return self._store

    def _open_store(self) -> list[str]:
        from simulator.paths import default_trainee
        from simulator.records.store import StoreError, open_store

        self.trainee = self.trainee or default_trainee()
        try:
            self._store = open_store(self.data_dir)
        except StoreError as error:
            self.problem = str(error)
            return [f"{NOT_SAVED}: {error}"]
        return list(self._store.notices)

    def _open(self) -> list[str]:
        self.store()
        notices, self._notices = self._notices, []
        return notices

    def _best_scores(self) -> dict[str, int]:
        store = self.store()
        if store is None:
            return {}
        from simulator.records.store import StoreError

        best: dict[str, int] = {}
        try:
            records = store.calls(self.trainee)
        except StoreError:
            return best  # the home screen shows no best score; History says what is wrong
        for record in records:
            if record.ended and record.score is not None:
                best[record.scenario] = max(record.score, best.get(record.scenario, record.score))
        return best

    def _history(self, library: Library | None) -> HistorySummary | None:
        store = self.store()
        if store is None:
            return None
        from simulator.records.history import history_summary
        from simulator.records.store import StoreError

        try:
            return history_summary(store, library, trainee=self.trainee)
        except StoreError as error:
            self.problem = str(error)
            return None

    def _stored(self, call_id: int) -> CallRecord | None:
        from simulator.records.store import StoreError

        store = self.store()
        if store is None:
            return None
        try:
            record = store.get(call_id)
        except StoreError:
            return None
        return record if record.trainee == self.trainee else None

    def _unfinished(self) -> list[CallRecord]:
        from simulator.records.store import StoreError

        store = self.store()
        if store is None:
            return []
        try:
            return [record for record in store.summaries(self.trainee) if record.resumable]
        except StoreError:
            return []  # History says what is wrong

    def _resume(self, record: CallRecord, library: Library) -> CallRecording:
        from simulator.records.recorder import ResumeError, resume_call, same_as_stored

        store = self.store()
        if store is None:
            raise ResumeError(f"{NOT_SAVED.lower()}: {self.problem}")
        if record.trainee != self.trainee:  # only ever offered the trainee's own calls; never go on with another's
            raise ResumeError(f"call {record.id} is not one of your calls")
        recorder = resume_call(store, record, library)
        return CallRecording(
            self, recorder.call, recorder, changed=not same_as_stored(record, recorder.call), mode=record.mode
        )

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class CallRecording:
    """One call kept in the store: started once the call opens, saved after every turn, abandoned if left mid-way.

    Each method returns a future of the message to show (None: nothing to say). Saves never fail the
    call: a failed write is said once and the next save writes every reply still missing.
    """

    def __init__(
        self,
        keeper: CallKeeper,
        call: Call,
        recorder: CallRecorder | None = None,
        *,
        changed: bool = False,
        mode: Mode = Mode.TRAIN,
    ) -> None:
        self.keeper = keeper
        self.call = call
        self.mode = mode
        self.changed = changed  # a resumed call plays differently with today's content
        self.left = False  # the trainee left mid-call: every later write keeps it abandoned
        self._recorder = recorder
        self._started: Future[str | None] | None = _done(None) if recorder is not None else None

    @property
    def call_id(self) -> int | None:
        """The call's number in the store, once it is there; None while the store does not hold it as it stands
        (its last save failed: the debrief then reports the live call, and the save's message said where it is kept)."""
        if self._recorder is None or not self._recorder.saved:
            return None
        return self._recorder.call_id

    @property
    def discarded(self) -> bool:
        """Whether the call was left before a word was said, and so taken away from the store."""
        return self._recorder is not None and self._recorder.discarded

    def start(self) -> Future[str | None]:
        """Add the call to the store (once; later calls return the same future)."""
        if self._started is None:
            self._started = self.keeper.submit(self._start, None)
        return self._started

    def save(self) -> Future[str | None]:
        """Write the replies not yet stored and the call's state."""
        return self.keeper.submit(lambda: self._write(abandon=self.left), None)

    def abandon(self) -> Future[str | None]:
        """The trainee left before the end: keep the call as abandoned, to resume later."""
        self.left = True
        return self.keeper.submit(lambda: self._write(abandon=True), None)

    def _start(self) -> str | None:
        from simulator.records.recorder import CallRecorder
        from simulator.records.store import StoreError

        store = self.keeper.store()
        if store is None:
            return None  # the app said so when the store failed to open
        try:
            self._recorder = CallRecorder.start(store, self.call, self.keeper.trainee or "", self.mode, self.keeper.group)
        except StoreError as error:
            return f"This call will not be saved: {error}"
        except Exception as error:
            return f"This call will not be saved: {type(error).__name__}: {error}"
        return None

    def _write(self, *, abandon: bool) -> str | None:
        if self._recorder is None:
            return None
        try:
            return self._recorder.abandon() if abandon else self._recorder.save()
        except Exception as error:
            return f"This call could not be saved: {type(error).__name__}: {error}"


def _done(value: T) -> Future[T]:
    future: Future[T] = Future()
    future.set_result(value)
    return future


def _failed(error: BaseException) -> Future:
    future: Future = Future()
    future.set_exception(error)
    return future
