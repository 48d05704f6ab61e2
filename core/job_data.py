"""JobData: what handlers and programs read and write in a JobState.

Routine states, the history, shared data and the shared log, outputs, deferred
events, pause points, metadata, and read-only views of pending activations and
slot buffers. Each write checks and copies its value, then changes the job
under its lock (and records the change, waking waiters); each read copies under
the lock, so callers never share a container with the running job.

It is a base class of `JobState` (which declares the fields): kept apart from
`routilux.job_state`, which holds the fields and the engine's transactions on
them, so that the public surface reads on its own.
"""

from __future__ import annotations

import threading
import warnings
from collections import deque
from collections.abc import Callable
from time import time as _time
from typing import TYPE_CHECKING, Any

from .context import check_not_cancelled
from .errors import WrongTypeError, with_hint
from .output import OutputHandler
from .pause_points import new_pause_point
from .payload import check_mapping, check_payload, copy_any, copy_json, snapshot
from .records import ExecutionRecord, HistoryEntry, SlotActivation, record_of
from .times import now_local
from .write_through import WriteThroughDict, WriteThroughList, refuse_unless_view


class JobData:
    """The user-facing reads and writes of a `JobState` (see the module docstring)."""

    if not TYPE_CHECKING:  # no __dict__ for JobState (mypy: the fields are declared below)
        __slots__ = ()

    # Declared by JobState; named here for type checkers. The names are imported at
    # run time too: tools that read these from the source (Sphinx) then resolve them.
    if TYPE_CHECKING:
        job_id: str
        output_handler: OutputHandler | None
        _lock: threading.Lock
        _routine_states: dict[str, dict[str, Any]]
        _tracebacks: dict[str, str]
        _json_only: bool
        _execution_history: deque[HistoryEntry]
        _history_total: int
        _routine_counts: dict[str, list[int]]
        _shared_data: dict[str, Any]
        _shared_log: deque[dict[str, Any]]
        _shared_log_total: int
        _output_log: deque[dict[str, Any]]
        _output_log_total: int
        _deferred_events: list[dict[str, Any]]
        _pause_points: list[dict[str, Any]]
        _pending: dict[int, SlotActivation]
        _metadata: dict[str, Any]
        _slot_buffers: dict[str, dict[str, dict[str, Any]]]

        def touch(self) -> None: ...

    # ---------------------------------------------------------- routine states

    @property
    def routine_states(self) -> dict[str, dict[str, Any]]:
        """``{routine_id: state}``; assigning a routine's state in it calls
        `update_routine_state` (as routilux 0.10 programs do). The states are copies
        in a saved job, the job's own in a job that is not (`get_routine_state`)."""
        with self._lock:
            if self._json_only:
                states = {rid: copy_json(state) for rid, state in self._routine_states.items()}
            else:
                states = dict(self._routine_states)
        return WriteThroughDict(states, self.update_routine_state, self.get_routine_state)

    @routine_states.setter
    def routine_states(self, states: dict[str, dict[str, Any]]) -> None:
        """Only ``job.routine_states |= {...}`` (its view, written through already)."""
        refuse_unless_view(states, self.update_routine_state, "routine_states")

    def update_routine_state(self, routine_id: str, state: dict[str, Any]) -> None:
        """Replace the state of `routine_id` with a copy of `state` (a shallow one in a
        job that is not saved, as routilux 0.10 made)."""
        if not isinstance(state, dict):
            raise TypeError(
                f"routine state for {routine_id!r} must be a dict, got {type(state).__name__}"
            )
        if self._json_only:
            state = snapshot(state, f"routine_states[{routine_id!r}]")
        else:
            state = dict(state)
        with self._lock:
            check_not_cancelled(self, f"update_routine_state({routine_id!r})")
            self._routine_states[routine_id] = state
            self.touch()

    def require_json(self, required: bool) -> None:
        """Whether the data this job stores must be JSON-compatible (checked where it
        enters): so when a store saves it (the default). A flow without a store runs
        its jobs with any Python objects, as routilux 0.10 did.

        A job that was not saved handed out its own values, which the program may still
        hold and change: made saved, it takes checked copies of them first (a
        `NotSerializableError` naming the value JSON cannot hold, nothing changed)."""
        if required and not self._json_only:  # all it holds, as JobState.save checks it
            from .serialization import DOCUMENT_WRAPPING

            check_payload(self.serialize(), "job", -DOCUMENT_WRAPPING)  # type: ignore[attr-defined]
        with self._lock:
            if required and not self._json_only:  # checked above: copies of its own
                for values in (self._routine_states, self._shared_data):
                    values.update({key: copy_json(value) for key, value in values.items()})
            self._json_only = required

    @property
    def json_only(self) -> bool:
        """Whether the data this job stores must be JSON-compatible (`require_json`)."""
        return self._json_only

    def _stored(self, value: Any, where: str) -> Any:
        """What the job keeps of `value`: checked and copied when the job is saved
        (JSON data only), else copied as it is: any object, as routilux 0.10 took."""
        return snapshot(value, where) if self._json_only else copy_any(value, where)

    # A job that is saved hands out copies: what a handler changes in place cannot
    # slip past the change tracking that checkpoints rely on, nor race a save. A job
    # that is never saved hands out its own values, as routilux 0.10 did (programs
    # count in place: ``get_routine_state(rid)["n"] += 1``); the JobState's own
    # structure stays under its lock, the values are the handlers' to share.

    def get_routine_state(self, routine_id: str) -> dict[str, Any] | None:
        """The state of `routine_id` (a copy if the job is saved), or None if it has
        none yet."""
        with self._lock:
            state = self._routine_states.get(routine_id)
            if state is None or not self._json_only:
                return state
            return copy_json(state)  # type: ignore[no-any-return]

    def traceback_of(self, routine_id: str) -> str | None:
        """The traceback of `routine_id`'s latest failed activation in this job, as text
        (from the handler's own frames on), or None if it has not failed.

        Kept for every flow; a strict flow also puts it in the routine's state and
        the error record, which routilux 0.10's record shapes have no room for.
        """
        with self._lock:
            return self._tracebacks.get(routine_id)

    # ----------------------------------------------------------------- history

    @property
    def execution_history(self) -> list[ExecutionRecord]:
        """A copy of the history, in the order it was recorded."""
        return self.get_execution_history()

    def record_execution(self, routine_id: str, event_name: str, data: dict[str, Any]) -> None:
        """Append a record to the history (a copy of `data` is stored)."""
        data = self._stored(data if data is not None else {}, f"history[{routine_id}.{event_name}]")
        with self._lock:
            check_not_cancelled(self, f"record_execution({routine_id!r}, {event_name!r})")
            self._execution_history.append((routine_id, event_name, data, _time()))
            self._history_total += 1
            self.touch()

    def first_record(self) -> tuple[str, str] | None:
        """``(routine_id, event_name)`` of the oldest history record, or None; call with
        the lock held."""
        if not self._execution_history:
            return None
        routine_id, event_name, _, _ = self._execution_history[0]
        return routine_id, event_name

    def get_execution_history(self, routine_id: str | None = None) -> list[ExecutionRecord]:
        """The history (records in the order they were made), optionally of one routine."""
        with self._lock:
            if routine_id is None:
                entries = list(self._execution_history)
            else:
                entries = [e for e in self._execution_history if e[0] == routine_id]
        return [record_of(e) for e in entries]

    @property
    def routine_counts(self) -> dict[str, dict[str, int]]:
        """Exact ``{routine_id: {"activations", "emits", "errors"}}`` of this job, kept
        whatever `history_limit` lets the history keep, and by stores. `serialize()`
        writes them only once the limit dropped records (`routilux.job_keys`)."""
        with self._lock:
            return {
                rid: {"activations": c[0], "emits": c[1], "errors": c[2]}
                for rid, c in self._routine_counts.items()
            }

    @property
    def history_total(self) -> int:
        """How many history records the job has made (kept or not)."""
        return self._history_total

    # ----------------------------------------------------- shared data and log

    @property
    def shared_data(self) -> dict[str, Any]:
        """The job's read/write data area; assigning a key in it calls
        `update_shared_data` (as routilux 0.10 programs do). Its values are copies in
        a saved job, the job's own in a job that is not (`get_routine_state`)."""
        with self._lock:
            data = copy_json(self._shared_data) if self._json_only else dict(self._shared_data)
        return WriteThroughDict(data, self.update_shared_data, self.get_shared_data)

    @shared_data.setter
    def shared_data(self, data: dict[str, Any]) -> None:
        """Only ``job.shared_data |= {...}`` (its view, written through already)."""
        refuse_unless_view(data, self.update_shared_data, "shared_data")

    def update_shared_data(self, key: str, value: Any) -> None:
        """Set ``shared_data[key]`` to a copy of `value` in a saved job, to `value`
        itself in a job that is not (as routilux 0.10 did)."""
        if self._json_only:
            value = snapshot(value, f"shared_data[{key!r}]")
        with self._lock:
            check_not_cancelled(self, f"update_shared_data({key!r})")
            self._shared_data[key] = value
            self.touch()

    def get_shared_data(self, key: str, default: Any = None) -> Any:
        """``shared_data[key]`` (a copy if the job is saved), or `default`."""
        with self._lock:
            if key not in self._shared_data:
                return default
            value = self._shared_data[key]
            return copy_json(value) if self._json_only else value

    @property
    def shared_log(self) -> list[dict[str, Any]]:
        """A copy of the job's append-only log; appending to it calls
        `append_to_shared_log` (as routilux 0.10 programs do)."""
        return WriteThroughList(self.get_shared_log(), self.append_to_shared_log)

    @shared_log.setter
    def shared_log(self, entries: list[dict[str, Any]]) -> None:
        """Only ``job.shared_log += [...]`` (its view, written through already): the log
        is append-only."""
        refuse_unless_view(entries, self.append_to_shared_log, "shared_log")

    def append_to_shared_log(self, entry: dict[str, Any]) -> None:
        """Append `entry` (a dict) to the shared log, adding a ``timestamp`` if missing."""
        if not isinstance(entry, dict):
            raise with_hint(
                WrongTypeError("Entry must be a dictionary"),
                f"append_to_shared_log takes a dict, not {type(entry).__name__}",
            )
        entry = self._stored(entry, "shared_log entry")
        if "timestamp" not in entry:
            entry["timestamp"] = now_local().isoformat()
        with self._lock:
            check_not_cancelled(self, "append_to_shared_log")
            self._shared_log.append(entry)
            self._shared_log_total += 1
            self.touch()

    def get_shared_log(
        self, filter_func: Callable[[dict[str, Any]], bool] | None = None
    ) -> list[dict[str, Any]]:
        """A copy of the shared log, optionally filtered by `filter_func(entry)`."""
        with self._lock:
            entries = [copy_json(e) for e in self._shared_log]
        if filter_func is None:
            return entries
        return [e for e in entries if filter_func(e)]

    # ----------------------------------------------------------------- outputs

    def set_output_handler(self, handler: OutputHandler | None) -> None:
        """Send this job's outputs to `handler` (None: only log them)."""
        self.output_handler = handler

    @property
    def output_log(self) -> list[dict[str, Any]]:
        """A copy of every output sent by this job."""
        with self._lock:
            return [copy_json(e) for e in self._output_log]

    def send_output(self, routine_id: str, output_type: str, data: dict[str, Any]) -> None:
        """Log an output and hand it to the output handler, if one is set.

        A failing output handler does not fail the job: the error is logged with
        the output in ``output_log`` (key ``handler_error``).
        """
        data = self._stored(data, f"output[{routine_id}.{output_type}]")
        timestamp = now_local()
        entry: dict[str, Any] = {
            "routine_id": routine_id,
            "output_type": output_type,
            "data": data,
            "timestamp": timestamp.isoformat(),
        }
        handler = self.output_handler
        if handler is not None:
            with self._lock:  # not handed to the sink either
                check_not_cancelled(self, f"send_output({output_type!r})")
            try:
                handler.handle(
                    job_id=self.job_id,
                    routine_id=routine_id,
                    output_type=output_type,
                    data=copy_json(data),
                    timestamp=timestamp,
                )
            except Exception as exc:  # a broken sink must not break the job
                entry["handler_error"] = f"{type(exc).__name__}: {exc}"
                # and is told, as routilux 0.10 told it
                warnings.warn(f"Output handler failed: {exc}", UserWarning, stacklevel=3)
        with self._lock:
            check_not_cancelled(self, f"send_output({output_type!r})")
            self._output_log.append(entry)
            self._output_log_total += 1
            self.touch()

    # --------------------------------------------------------- deferred events

    @property
    def deferred_events(self) -> list[dict[str, Any]]:
        """A copy of the events to emit when the job resumes."""
        with self._lock:
            return [copy_json(e) for e in self._deferred_events]

    def add_deferred_event(self, routine_id: str, event_name: str, data: dict[str, Any]) -> None:
        """Queue `event_name` of `routine_id` to be emitted when the job resumes."""
        data = self._stored(data, f"deferred_events[{routine_id}.{event_name}]")
        with self._lock:
            check_not_cancelled(self, f"emit_deferred_event({event_name!r})")
            self._deferred_events.append(
                {
                    "routine_id": routine_id,
                    "event_name": event_name,
                    "data": data,
                    "timestamp": now_local().isoformat(),
                }
            )
            self.touch()

    # ------------------------------------ pause points and pending activations

    @property
    def pause_points(self) -> list[dict[str, Any]]:
        """A copy of the job's pause points, oldest first (plain data, see
        `routilux.pause_points`): named ones with ``id``, ``routine_id``, ``prompt``,
        ``fields``, ``status``; a ``flow.pause()`` as routilux 0.10's two records."""
        with self._lock:
            return [copy_json(p) for p in self._pause_points]

    @property
    def waiting_pause_points(self) -> list[dict[str, Any]]:
        """A copy of the pause points waiting for an answer (``status == "waiting"``)."""
        return [p for p in self.pause_points if p.get("status") == "waiting"]

    def add_pause_point(
        self,
        routine_id: str,
        event_name: str,
        data: dict[str, Any],
        *,
        prompt: str = "",
        fields: list[str] | tuple[str, ...] = (),
        pause_id: str | None = None,
    ) -> str:
        """Park `routine_id`'s branch at a new pause point (answering it emits
        `event_name` with `data` plus the answer); returns its id."""
        data = self._stored(data, f"pause_points[{routine_id}.{event_name}]")
        with self._lock:
            point = new_pause_point(
                self._pause_points, routine_id, event_name, data, prompt, list(fields), pause_id
            )
            self._pause_points.append(point)
            self.touch()
        return str(point["id"])

    @property
    def pending_tasks(self) -> list[dict[str, Any]]:
        """The activations not yet completed: queued, running, or waiting to retry.

        Each is ``{"seq", "routine_id", "slot", "data", "attempt", "merged"}``.
        For a paused job these are what resume runs; for a job that died while
        running, what a resume from its last checkpoint runs again.
        """
        with self._lock:
            return [a.to_dict() for a in self._pending.values()]

    # ----------------------------------------------- metadata and slot buffers

    @property
    def metadata(self) -> dict[str, Any]:
        """A copy of the job's metadata; change it with `update_metadata`."""
        with self._lock:
            return copy_json(self._metadata)  # type: ignore[no-any-return]

    def update_metadata(self, values: dict[str, Any] | None = None, **kw: Any) -> None:
        """Merge `values` and keyword arguments into the metadata."""
        merged = {**(values or {}), **kw}
        if self._json_only:
            check_mapping(merged, "metadata")
        merged = copy_json(merged)
        with self._lock:
            check_not_cancelled(self, "update_metadata")
            self._metadata.update(merged)
            self.touch()

    @property
    def slot_buffers(self) -> dict[str, dict[str, dict[str, Any]]]:
        """A copy of the merge buffers of this job's slots (``append`` and custom merges)."""
        with self._lock:
            return copy_json(self._slot_buffers)  # type: ignore[no-any-return]
