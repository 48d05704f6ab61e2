"""Object-level wiring, as routilux 0.10 had it: deliveries outside a flow's jobs.

``event.connect(slot)``, ``Connection(event, slot, mapping)``, ``slot.receive(data)``
and ``routine.emit(..., flow=flow)`` called outside a handler deliver data at
once, in the calling thread, to the slot's own merge buffer and handler. This is
how routines are tried out and tested by hand. Jobs run by a flow never come
here: their deliveries are queued per job and their slot buffers live in the
JobState, so one routine serves any number of jobs.

Like 0.10, `receive` logs a handler's exception instead of raising it (there is
no job whose error strategy could handle it), and records it in `job_state`
when one is passed.
"""

from __future__ import annotations

import logging
import warnings
from typing import TYPE_CHECKING, Any

from .context import current_job_state

if TYPE_CHECKING:
    from .event import Event
    from .flow import Flow
    from .job_state import JobState
    from .routine import Routine
    from .slot import Slot

log = logging.getLogger("routilux.wiring")


def receive(
    slot: Slot,
    data: dict[str, Any],
    job_state: JobState | None = None,
    flow: Flow | None = None,
) -> None:
    """See `Slot.receive`."""
    merged = slot.merge_received(dict(data))
    token = current_job_state.set(job_state) if job_state is not None else None
    try:
        slot.call(merged)
    except Exception as exc:
        log.exception("handler of %r raised outside a job", slot)
        _record_error(slot, exc, job_state, flow)
    finally:
        if token is not None:
            current_job_state.reset(token)


def _record_error(
    slot: Slot, exc: Exception, job_state: JobState | None, flow: Flow | None
) -> None:
    routine = slot.routine
    if job_state is None or flow is None or routine is None:
        return
    routine_id = flow.find_routine_id(routine)
    if routine_id is None:
        return
    job_state.record_execution(routine_id, "error", {"slot": slot.name, "error": str(exc)})
    handler = routine.get_error_handler()
    if handler is not None and handler.strategy_name == "stop":
        job_state.update_routine_state(routine_id, {"status": "failed", "error": str(exc)})


def emit_outside_job(
    routine: Routine, event: Event, flow: Flow | None, data: dict[str, Any]
) -> None:
    """Deliver an emission made outside any job: to the slots wired to `event`
    object-level, and to the slots `flow.connect` wired it to: `flow`'s, or without
    `flow` every flow's (as 0.10, whose `flow.connect` wired the event object-level
    too), each renamed by its connection's mapping."""
    delivered = event.wired_slots
    for slot in delivered:
        slot.receive(data)
    if flow is None:
        for target, connection in event.flow_links:
            if target not in delivered:  # once a slot, as 0.10's list held it once
                delivered.append(target)
                target.receive(connection.apply_mapping(data))
        _warn_if_flows_run(routine, event)
        return
    routine_id = flow.routine_id_of(routine)
    for connection in flow.connections:
        target = connection.target_slot
        if (
            connection.source_routine_id == routine_id
            and connection.source_event_name == event.name
            and target is not None
            and target not in delivered
        ):
            target.receive(connection.apply_mapping(data))


def _warn_if_flows_run(routine: Routine, event: Event) -> None:
    """Warn when an emission made outside any job went past jobs that the flows wiring
    `event` are running: most likely a handler emitted from a thread it started, which
    does not carry the handler's job (its context), so the data went to the slots here
    and then, outside the job, where 0.10 would have queued it into the flow. The text
    names the flows, not their jobs, so that Python shows it once per place, not once
    per job (the jobs are logged at debug level)."""
    running: dict[str, list[str]] = {}
    for _, connection in event.flow_links:
        flow = connection.flow
        live = getattr(flow, "live_job_ids", None)
        if live is not None and flow.flow_id not in running:
            ids = live()
            if ids:
                running[flow.flow_id] = ids
    if not running:
        return
    log.debug("emit outside any job while jobs run: %s", running)
    flows = ", ".join(repr(flow_id) for flow_id in running)
    warnings.warn(
        f"{type(routine).__name__}.emit({event.name!r}) was called outside any job while "
        f"flow {flows} runs jobs: it was delivered at once, in this thread, outside every "
        "job. If a thread a handler started made this emit, run that thread in the "
        "handler's context and join it before the handler returns: "
        "threading.Thread(target=contextvars.copy_context().run, args=(work,))",
        RuntimeWarning,
        stacklevel=4,
    )
