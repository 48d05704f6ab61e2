"""JobState and ExecutionRecord: everything that changes during one run of a flow.

A JobState is created by every ``flow.execute()``. It holds the run's status,
history, routine states, shared data, outputs, deferred events, pause points,
pending activations and the slots' merge buffers. The Flow holds none of it.

Thread safety does not lean on the GIL: every mutation and every read of a
container goes through the JobState's own lock, and readers get copies. Waiting
(`wait_for_completion`, `wait_until_condition`) uses a condition variable that
is notified when the state changes; nothing polls.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime
from time import time as _time
from typing import Any

import attrs

from .job_checkpoint import JobCheckpoint
from .job_data import JobData
from .job_document import JobDocument
from .job_lifecycle import JobLifecycle
from .job_work import JobWork
from .output import OutputHandler
from .payload import copy_json
from .records import (
    DEFAULT_HISTORY_LIMIT,
    ExecutionRecord,
    HistoryEntry,
    JobStatus,
    RoutineStatus,
    SlotActivation,
    _bounded,
    _history_entries,
    as_log,
    copy_counts,
    copy_pending,
    history_limit_of,
    job_status,
    new_job_id,
    recorded_by_str,
)
from .saved_fields import runtime, saved
from .serialization import register_job_state_class
from .times import now_local
from .waiting import JobCondition, JobWaiting

#: A routine state dict holds its status as a plain str (it prints and serializes
#: like any JSON data) that compares equal to the member.
_COMPLETED: str = RoutineStatus.COMPLETED.value
_FAILED: str = RoutineStatus.FAILED.value


@recorded_by_str
@attrs.define(slots=True, repr=False, eq=False, on_setattr=attrs.setters.NO_OP)
class JobState(JobWork, JobData, JobWaiting, JobDocument, JobCheckpoint, JobLifecycle):
    """The state of one execution of a flow.

    Construct it as ``JobState()`` or ``JobState(flow_id="...")``; ``flow.execute``
    makes one for you. Container properties (``execution_history``,
    ``routine_states``, ``shared_data`` ...) return copies taken under the lock:
    change the state through the methods, not by mutating what they return.

    The fields and the engine's transactions on them are here; the pending
    activations and slot buffers are `JobWork`'s part, what handlers and programs
    read and write `JobData`'s, waiting `JobWaiting`'s, saving and loading
    `JobDocument`'s, what a store's checkpoint reads `JobCheckpoint`'s.
    """

    # Saved fields carry saved(...): serialization, checkpoints and remote snapshots
    # are derived from these declarations (routilux.saved_fields).
    flow_id: str = attrs.field(default="", metadata=saved())
    job_id: str = attrs.field(factory=new_job_id, metadata=saved())
    _status: JobStatus = attrs.field(
        default=JobStatus.PENDING, converter=job_status, metadata=saved(remote=True)
    )
    created_at: datetime = attrs.field(factory=now_local, metadata=saved())
    _updated_at: datetime = attrs.field(
        default=attrs.Factory(lambda job: job.created_at, takes_self=True),
        metadata=saved(read="updated_at"),
    )
    #: The entry routine of the job's run, from ``execute()`` on (as in routilux
    #: 0.10): kept when the job pauses or ends, and across a resume. It does not
    #: follow the activations; `last_activated_id` does.
    current_routine_id: str | None = attrs.field(default=None, metadata=saved())
    _routine_states: dict[str, dict[str, Any]] = attrs.field(
        factory=dict, metadata=saved(copy=copy_json, remote=True)
    )
    #: The history as ``(routine_id, event_name, data, time.time())`` tuples:
    #: cheap to append on the emit path; `ExecutionRecord`s are made on read.
    #: The most recent `history_limit` of them (a deque; `_history_total` counts all).
    _execution_history: deque[HistoryEntry] = attrs.field(
        default=(), converter=_history_entries, metadata=saved("log", list)
    )
    _pause_points: list[dict[str, Any]] = attrs.field(factory=list, metadata=saved(copy=list))
    #: Activations not yet completed (queued, running or waiting to retry), by seq.
    _pending: dict[int, SlotActivation] = attrs.field(
        factory=dict, metadata=saved("pending", copy_pending, key="pending_tasks")
    )
    _deferred_events: list[dict[str, Any]] = attrs.field(factory=list, metadata=saved(copy=list))
    _shared_data: dict[str, Any] = attrs.field(factory=dict, metadata=saved(copy=dict, remote=True))
    _shared_log: deque[dict[str, Any]] = attrs.field(
        default=(), converter=as_log, metadata=saved("log", list)
    )
    _output_log: deque[dict[str, Any]] = attrs.field(
        default=(), converter=as_log, metadata=saved("log", list)
    )
    _metadata: dict[str, Any] = attrs.field(factory=dict, metadata=saved(copy=dict, remote=True))
    #: Per-slot merge buffers of this job: ``{routine_id: {slot_name: buffer}}``.
    _slot_buffers: dict[str, dict[str, dict[str, Any]]] = attrs.field(
        factory=dict, metadata=saved(copy=copy_json)
    )
    #: Idle slots already activated in this job, as ``"routine_id.slot"``.
    _idle_activated: list[str] = attrs.field(factory=list, metadata=saved(copy=list))
    #: Bumped by every checkpoint snapshot; a store never replaces a checkpoint
    #: with one of a lower sequence (saves of a job never go backwards).
    _checkpoint_seq: int = attrs.field(default=0, metadata=saved())
    output_handler: OutputHandler | None = attrs.field(
        default=None, kw_only=True, metadata=runtime()
    )
    #: How many history records (and shared-log and output-log entries) are kept:
    #: the most recent ones; None keeps everything. Set from the Flow's ``history``.
    history_limit: int | None = attrs.field(
        default=DEFAULT_HISTORY_LIMIT, kw_only=True, metadata=saved()
    )
    #: Records ever made (kept or not): history indexes in stores count from 0 by these.
    _history_total: int = attrs.field(default=0, kw_only=True, metadata=saved())
    _shared_log_total: int = attrs.field(default=0, kw_only=True, metadata=saved())
    _output_log_total: int = attrs.field(default=0, kw_only=True, metadata=saved())
    #: Exact per-routine ``[activations, emits, errors]``, whatever the history keeps.
    _routine_counts: dict[str, list[int]] = attrs.field(
        factory=dict, kw_only=True, metadata=saved(copy=copy_counts)
    )
    #: The routine whose trigger started the job (what a resume reports as its entry).
    entry_routine_id: str | None = attrs.field(default=None, kw_only=True, metadata=saved())
    #: The traceback of each routine's latest failed activation (`traceback_of`).
    _tracebacks: dict[str, str] = attrs.field(factory=dict, kw_only=True, metadata=saved(copy=dict))
    _lock: threading.Lock = attrs.field(init=False, factory=threading.Lock)
    #: Whether what the job stores must be JSON data (`require_json`).
    _json_only: bool = attrs.field(init=False)
    #: Created when the first waiter arrives (most jobs never have one).
    _changed: JobCondition | None = attrs.field(init=False)
    #: Threads waiting for any change (wait_until_condition): notified on every change.
    _watchers: int = attrs.field(init=False)
    #: Threads waiting for a status change (wait_for_completion): notified only then.
    _status_waiters: int = attrs.field(init=False)
    #: The job ended and its end is being saved: status waiters keep waiting.
    _end_saving: bool = attrs.field(init=False)
    #: Bumped by every change; lets waiters re-check without polling.
    _version: int = attrs.field(init=False)
    #: time.time() of the last change (cheaper to keep than a datetime).
    _mtime: float = attrs.field(init=False)
    _next_seq: int = attrs.field(init=False)
    #: Changes of `_pending` since the last checkpoint, kept only while a store
    #: checkpoints this job: ``(seq, activation)`` added, ``(seq, None)`` removed.
    _pending_journal: list[tuple[int, SlotActivation | None]] | None = attrs.field(init=False)
    _journal_base: int = attrs.field(init=False)
    #: Identifies the current journal: a store's mark from another journal (an
    #: earlier content of this JobState, another object) is stale.
    _journal_epoch: int = attrs.field(init=False)
    #: Whether this JobState was resumed: only a run after a resume can make good an
    #: earlier failure of a routine (see `activation_succeeded`).
    _resumed: bool = attrs.field(init=False)
    #: The routine whose activation started last in this process (not saved): what
    #: a kept checkpoint names as the routine it follows.
    last_activated_id: str | None = attrs.field(init=False)
    #: `control_lock`, made on first use (most jobs are never resumed, paused or
    #: cancelled). A threading.RLock, typed Any: cattrs evaluates the annotations of
    #: JobState, and threading.RLock is a function.
    _control: Any = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        # The run-time fields (init=False) start as these constants, set here rather than
        # by attrs' __init__, which looks each default up (one JobState per job).
        self._json_only = False
        self._changed = None
        self._watchers = 0
        self._status_waiters = 0
        self._end_saving = False
        self._version = 0
        self._mtime = 0.0
        self._next_seq = 0
        self._pending_journal = None
        self._journal_base = 0
        self._journal_epoch = 0
        self._resumed = False
        self.last_activated_id = None
        self._control = None
        if self._pending:
            self._next_seq = max(self._pending) + 1
        history, shared, outputs = self._execution_history, self._shared_log, self._output_log
        if (
            self.history_limit == DEFAULT_HISTORY_LIMIT
            and type(self.history_limit) is int
            and not (history or shared or outputs)
        ):
            # a new JobState (one per job): its logs were made with this bound
            if not history.maxlen == shared.maxlen == outputs.maxlen == DEFAULT_HISTORY_LIMIT:
                self._bound_logs(DEFAULT_HISTORY_LIMIT)
            return
        limit = self.history_limit = history_limit_of(self.history_limit, "history_limit")
        self._history_total = max(self._history_total, len(self._execution_history))
        self._shared_log_total = max(self._shared_log_total, len(self._shared_log))
        self._output_log_total = max(self._output_log_total, len(self._output_log))
        if not (history.maxlen == shared.maxlen == outputs.maxlen == limit):
            self._bound_logs(limit)

    def _bound_logs(self, limit: int | None) -> None:
        """Keep the most recent `limit` entries of the history and the logs (None: all)."""
        self._execution_history = _bounded(self._execution_history, limit)
        self._shared_log = _bounded(self._shared_log, limit)
        self._output_log = _bounded(self._output_log, limit)

    def set_history_limit(self, limit: int | str | None) -> None:
        """Keep at most `limit` history records (and shared-log and output-log entries),
        the most recent; ``"full"``/None keeps all, ``"off"``/0 none. Counts stay exact."""
        value = history_limit_of(limit, "history_limit")
        with self._lock:
            self.apply_history_limit(value)
            self.touch()

    def apply_history_limit(self, limit: int | None) -> None:
        """`set_history_limit` with the lock held and `limit` checked."""
        if limit == self.history_limit:
            return
        self.history_limit = limit
        self._bound_logs(limit)

    def __repr__(self) -> str:
        return f"JobState[{self.job_id}:{self._status}]"

    # ------------------------------------------------------------------ status

    @property
    def status(self) -> JobStatus:
        """``pending``, ``running``, ``completed``, ``failed``, ``paused`` or ``cancelled``.

        A `JobStatus`, which is a str: ``job.status == "completed"`` works.
        """
        return self._status

    @status.setter
    def status(self, value: JobStatus | str) -> None:
        status = job_status(value)
        with self._lock:
            self._status = status
            self.touch_status()

    @property
    def lock(self) -> threading.Lock:
        """The lock guarding this job's state. Engine modules hold it around one change
        made with the methods documented "call with the lock held"; never across a
        handler call or I/O."""
        return self._lock

    def touch(self) -> None:
        """Record a change; call with the lock held. Wakes waiters only if any."""
        self._mtime = _time()
        self._version += 1
        if self._watchers:
            self.condition().notify_all()

    def touch_status(self) -> None:
        """Record a status change; call with the lock held. Wakes every waiter."""
        self._mtime = _time()
        self._version += 1
        if self._watchers or self._status_waiters:
            self.condition().notify_all()

    @property
    def updated_at(self) -> datetime:
        """When the JobState last changed."""
        mtime = self._mtime
        if mtime:
            return datetime.fromtimestamp(mtime)
        return self._updated_at

    @updated_at.setter
    def updated_at(self, value: datetime) -> None:
        self._updated_at = value
        self._mtime = 0.0

    # --------------------------------------------------- routine states (engine)

    def set_routine_status(self, routine_id: str, status: RoutineStatus, **extra: Any) -> None:
        """Merge `status` (and `extra`) into a routine's state; call with the lock held.

        Routine state dicts are changed in place: everything that hands them out
        (getters, serialization) copies them under the lock.
        """
        value = status.value  # state dicts hold plain JSON values
        state = self._routine_states.get(routine_id)
        if state is None:
            self._routine_states[routine_id] = {"status": value, **extra}
        else:
            state["status"] = value
            if extra:
                state.update(extra)

    def set_traceback(self, routine_id: str, text: str) -> None:
        """Keep `text` as the traceback of `routine_id`'s latest failure (lock held)."""
        self._tracebacks[routine_id] = text

    # ---------------------------------------------------------- history (engine)

    def append_record(self, routine_id: str, event_name: str, data: dict[str, Any]) -> None:
        """Append an already checked record; call with the lock held."""
        self._execution_history.append((routine_id, event_name, data, _time()))
        self._history_total += 1

    # ------------------------------------------------------ hot-path transactions
    # Each is one change of the job on the emit/activation path, made by the
    # scheduler with this JobState's lock held (it is also the job run's lock).

    def record_emit(
        self,
        routine_id: str,
        event_name: str,
        data: dict[str, Any],
        now: float,
        deliveries: list[SlotActivation],
        record: bool = True,
    ) -> None:
        """An emit (lock held): its history record (if `record`), the routine's count,
        and `deliveries` (one activation per connected slot) made pending.
        The emit path's one JobState change, written out because it runs once per event.
        """
        if record:
            self._execution_history.append((routine_id, event_name, data, now))
            self._history_total += 1
        counts = self._routine_counts.get(routine_id)
        if counts is None:
            self._routine_counts[routine_id] = [0, 1, 0]
        else:
            counts[1] += 1
        if deliveries:  # `add_pending_batch`, written out
            seq = self._next_seq
            for activation in deliveries:
                activation.seq = seq
                self._pending[seq] = activation
                if self._pending_journal is not None:
                    self._pending_journal.append((seq, activation))
                seq += 1
            self._next_seq = seq
        self._mtime = now
        self._version += 1
        if self._watchers:
            self.condition().notify_all()

    def activation_started(
        self, routine_id: str, done: SlotActivation | None = None, entry_id: str | None = None
    ) -> None:
        """An activation of `routine_id` starts (lock held): its count and `last_activated_id`;
        `current_routine_id` stays the entry routine, the routine's state its handlers' (as
        in routilux 0.10). With `done`: ``activation_succeeded(done, entry_id)`` first, in
        this call (a worker going on to the job's next activation, once per activation)."""
        if done is not None:
            seq = done.seq
            if self._pending.pop(seq, None) is not None and self._pending_journal is not None:
                self._pending_journal.append((seq, None))
            if self._resumed or (done.routine_id == entry_id and done.slot_name == "trigger"):
                self.activation_succeeded(done, entry_id)  # the routine state's part
        counts = self._routine_counts.get(routine_id)
        if counts is None:
            self._routine_counts[routine_id] = [1, 0, 0]
        else:
            counts[0] += 1
        self.last_activated_id = routine_id
        self._version += 1
        if self._watchers:
            self.condition().notify_all()

    def activation_succeeded(self, activation: SlotActivation, entry_id: str | None) -> None:
        """An activation's handler returned (lock held): it is no longer pending, and
        the routine's state records the success.

        As in routilux 0.10, a routine's state belongs to its handlers
        (``update_routine_state``): the engine writes only the entry routine's
        ``{"status": "completed"}`` once its trigger handler returns (`entry_id`;
        with ``"execution_time"`` and ``"retry_count"``, and a ``completed`` record,
        when it succeeded after retries), failure statuses,
        and ``completed`` over an earlier failure that a run after a resume made good.
        """
        seq = activation.seq
        if self._pending.pop(seq, None) is not None and self._pending_journal is not None:
            self._pending_journal.append((seq, None))
        routine_id = activation.routine_id
        if routine_id == entry_id and activation.slot_name == "trigger":
            state = self._routine_states.get(routine_id)
            if state is None:
                state = self._routine_states[routine_id] = {"status": _COMPLETED}
            else:  # what the handler stored stays (the seeds' "Source generated: 5")
                state["status"] = _COMPLETED
            if activation.attempt:  # succeeded after retries: 0.10 said how many, and when
                took = max(_time() - self.created_at.timestamp(), 0.0)
                state["execution_time"] = took
                state["retry_count"] = activation.attempt
                self.append_record(
                    routine_id, "completed", {"execution_time": took, "retried": True}
                )
        elif self._resumed:
            # a resume ran the failed activation again; within one run, a routine
            # that failed (its strategy let the rest run on) stays failed
            state = self._routine_states.get(routine_id)
            if state is not None and state.get("status") in ("failed", "error"):
                state["status"] = _COMPLETED

    def add_count(self, routine_id: str, which: int) -> None:
        """Count an activation or error of `routine_id`; call with the lock held."""
        counts = self._routine_counts.get(routine_id)
        if counts is None:
            counts = self._routine_counts[routine_id] = [0, 0, 0]
        counts[which] += 1

    def activation_counts(self) -> dict[str, int]:
        """``{routine_id: activations started}`` of this job; call with the lock held."""
        counts = self._routine_counts
        return {rid: c[0] for rid, c in counts.items() if c[0]} if counts else {}

    # ---------------------------------------------------------- loading (engine)

    def take_content(self, other: JobState) -> None:
        """Replace this JobState's saved content with `other`'s, keeping its output
        handler and waiters (`deserialize`; takes the lock)."""
        with self._lock:
            for field in attrs.fields(JobState):
                if field.init and field.name != "output_handler":
                    setattr(self, field.name, getattr(other, field.name))
            self._next_seq = max(self._pending, default=-1) + 1  # as __attrs_post_init__
            self._pending_journal = None  # a store's marks no longer describe this content
            self._journal_epoch = 0
            self.touch_status()


register_job_state_class(JobState)

__all__ = ["ExecutionRecord", "JobState", "JobStatus", "RoutineStatus", "SlotActivation"]
