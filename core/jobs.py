"""Starting, pausing, resuming and cancelling the jobs of a flow, and their checkpoints.

`Flow.execute`/`run`/`pause`/`cancel`/`resume` are thin entry points to these
functions; the flow's scheduler runs the jobs they start.
"""

from __future__ import annotations

import itertools
import logging
import sys
import time
from typing import TYPE_CHECKING, Any

from . import pause_points
from .connection import add_deliveries
from .entry import start_entry
from .errors import (
    FlowMismatchError,
    JobClaimedError,
    JobNotFoundError,
    JobStateError,
    PauseAnswerError,
    UsageError,
    describe,
    missing_member,
)
from .history import record_checkpoint
from .job_state import JobState
from .payload import check_payload, copy_any
from .records import JobStatus
from .retention import apply_retention

if TYPE_CHECKING:
    from .flow import Flow
    from .job_run import JobRun
    from .scheduler import Scheduler

log = logging.getLogger(__name__)
_journal_epochs = itertools.count(1)


def start_job(
    flow: Flow,
    entry_id: str,
    entry_params: dict[str, Any] | None,
    job_state: JobState | None,
    caller_driven: bool,
    inline_entry: bool = False,
    scheduler: Scheduler | None = None,
) -> tuple[JobState, JobRun]:
    """Create (or take) a JobState, queue the entry's trigger, save it, start it.

    With `inline_entry` the trigger handler runs in the calling thread before this
    returns (`routilux.entry`). An entry without a ``trigger`` slot is a failure of
    that routine, handled by its error strategy like any other (as routilux 0.10 does).
    `scheduler` is the flow's (`Flow.get_scheduler`), if the caller has it already.
    """
    if not isinstance(entry_id, str):
        raise UsageError(
            f"the entry routine id must be a str, not {type(entry_id).__name__} "
            f"{describe(entry_id)}"
        )
    flow.require_routine(entry_id, "entry")
    if entry_params is not None and not isinstance(entry_params, dict):
        raise UsageError(
            f"entry_params of {entry_id!r} must be a dict of the trigger's keyword data, "
            f"not {type(entry_params).__name__} {describe(entry_params)}"
        )
    params = dict(entry_params) if entry_params else {}
    store = flow.store
    json_only = store is not None  # a saved job holds JSON data only
    if params and json_only:
        check_payload(params, "entry_params")
    elif params:
        params = copy_any(params, "entry_params")
    given = job_state is not None
    if job_state is None:
        job_state = JobState(flow_id=flow.flow_id)
    elif job_state.status != JobStatus.PENDING:
        raise JobStateError(
            f"job {job_state.job_id} is {job_state.status}; execute() needs a new JobState "
            "(use resume() to continue a paused one)"
        )
    elif job_state.flow_id and job_state.flow_id != flow.flow_id:
        raise FlowMismatchError(
            f"JobState flow_id {job_state.flow_id!r} does not match flow {flow.flow_id!r}"
        )
    if scheduler is None:
        scheduler = flow.get_scheduler()
    if given or json_only:  # (a new JobState holds nothing and is not JSON-only yet)
        job_state.require_json(json_only)  # before the claim: it may refuse the job's data
    claimed = store is not None and flow.checkpoint != "on_pause" and claim_job(flow, job_state)
    try:
        with job_state.lock:
            job_state.start(flow.flow_id, entry_id, params, flow.history_limit)
        if store is not None:
            begin_checkpoints(flow, job_state)
        run = scheduler.start_run(
            job_state, entry_id, caller_driven=caller_driven or inline_entry, claimed=claimed
        )
    except BaseException:
        if claimed:
            release_job(flow, job_state)
        raise
    if inline_entry:
        start_entry(scheduler, run)
    return job_state, run


def wait_for_async_entry(flow: Flow, run: JobRun) -> None:
    """With an ``async def`` entry handler, wait until the entry activation has run
    (retries included) on the executor's loop, as `execute` does for a sync one.

    Not from inside a running event loop: there it would block the loop (the
    executor's own, perhaps); async code uses ``await flow.arun(...)`` instead.
    """
    entry_id = run.entry_id
    routine = flow.get_routine(entry_id) if entry_id is not None else None
    slot = routine.get_slot("trigger") if routine is not None else None
    if slot is None or not slot.is_async or in_event_loop():
        return
    job_state = run.job_state
    with job_state.lock:
        entry = [
            a.seq
            for a in job_state.pending_activations()
            if a.routine_id == entry_id and a.slot_name == "trigger"
        ]
        if not entry:
            return
        seq = min(entry)
        condition = job_state.add_waiter()
        try:
            while job_state.is_pending(seq) and job_state.status == JobStatus.RUNNING:
                condition.wait()
        finally:
            job_state.remove_waiter()


def in_event_loop() -> bool:
    """Whether this thread runs an asyncio event loop (asyncio is not imported for it)."""
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return False
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def run_of(flow: Flow, job_state: JobState) -> JobRun | None:
    """The live run of `job_state` in `flow`, if any (after checking it belongs there)."""
    if job_state.flow_id != flow.flow_id:
        raise FlowMismatchError(  # routilux 0.10's words, which programs print
            f"JobState flow_id {job_state.flow_id!r} does not match Flow flow_id {flow.flow_id!r}"
        )
    return flow.live_run(job_state.job_id)


def resume_job(
    flow: Flow,
    job_state: JobState | str,
    input: dict[str, Any] | None,
    answers: dict[str, dict[str, Any]] | None = None,
) -> JobState:
    """See `Flow.resume`: claims the job in the flow's store first (one owner per job),
    then checks everything (answers included) before the job changes."""
    store = flow.store
    loaded = isinstance(job_state, str)
    if isinstance(job_state, str):
        if store is None:
            raise JobStateError(
                f"resume({job_state!r}) needs a store to load the job from; pass the "
                "JobState, or create the Flow with store=URL"
            )
        job_id = job_state
        claimed = _claim_to_resume(flow, job_id)  # before loading: the owner saves no more
        try:
            job_state = store.load(job_id)
        except BaseException:
            if claimed:
                release_job(flow, job_id)
            raise
    # One resume, pause or cancel of this JobState at a time: another one may have
    # started, ended or changed the job since the caller looked at it. Held until the
    # run is registered (from then on the others find it), not while observers hear of
    # its end: one of them may wait for another thread's pause of the job.
    with job_state.control_lock:
        if not loaded:
            if run_of(flow, job_state) is not None:
                raise _already_running(flow, job_state.job_id)
            claimed = store is not None and _claim_to_resume(flow, job_state.job_id)
        try:
            if claimed and not loaded:
                check_not_stale(flow, job_state)
            run, end = _resume_claimed(flow, job_state, input, answers, claimed)
        except BaseException:
            if claimed:
                release_job(flow, job_state)
            raise
    if end is not None:  # nothing left to run
        run.scheduler.end_run(run, end)
    return job_state


def _claim_to_resume(flow: Flow, job_id: str) -> bool:
    """`claim_or_find_run` for a resume: a run of the job found in `flow` is an error."""
    claimed, run = claim_or_find_run(flow, job_id)
    if run is not None:
        raise _already_running(flow, job_id)
    return claimed


def _already_running(flow: Flow, job_id: str) -> JobStateError:
    return JobStateError(f"job {job_id} is already running in flow {flow.flow_id!r}")


def check_not_stale(flow: Flow, job_state: JobState) -> None:
    """Refuse to resume a JobState older than the store's checkpoint of the job."""
    assert flow.store is not None
    try:
        stored = flow.store.load(job_state.job_id)
    except JobNotFoundError:
        return
    if stored.checkpoint_seq > job_state.checkpoint_seq:
        raise JobStateError(
            f"job {job_state.job_id} changed in {flow.store_url} since this JobState was "
            f"taken (checkpoint {stored.checkpoint_seq} there, {job_state.checkpoint_seq} "
            "here): another process ran or resumed it; load it again and check its status"
        )


def _resume_claimed(
    flow: Flow,
    job_state: JobState,
    input: dict[str, Any] | None,
    answers: dict[str, dict[str, Any]] | None,
    claimed: bool,
) -> tuple[JobRun, JobStatus | None]:
    """Check and resume the job; its run and the end to give it (see `begin_run`)."""
    if run_of(flow, job_state) is not None:
        raise _already_running(flow, job_state.job_id)
    if job_state.status in (JobStatus.COMPLETED, JobStatus.CANCELLED, JobStatus.PENDING):
        raise JobStateError(
            f"cannot resume job {job_state.job_id}: it is {job_state.status}; "
            "run the flow again with execute() instead"
        )
    current = job_state.current_routine_id
    if current is not None and flow.get_routine(current) is None:
        flow.require_routine(current, "current")
    with job_state.lock:
        tasks = job_state.pending_activations()
    for task in tasks:
        routine = flow.require_routine(task.routine_id, "pending task's")
        if routine.get_slot(task.slot_name) is None:
            raise missing_member(
                "slot", task.slot_name, task.routine_id, routine.slots, "define_slot"
            )
    points = job_state.pause_points
    waiting = [p for p in points if p.get("status") == pause_points.WAITING]
    deferred = job_state.deferred_events
    if input and answers:
        raise PauseAnswerError(f"resume job {job_state.job_id} with answers= or input=, not both")
    if input and waiting:
        if len(waiting) > 1:
            raise PauseAnswerError(
                f"job {job_state.job_id} waits at {len(waiting)} pause points: "
                f"{pause_points.describe(waiting)}; answer each by id with "
                "answers={pause_id: {...}} (CLI: --answer PAUSE_ID FIELD=VALUE)"
            )
        answers, input = {waiting[0]["id"]: input}, None
    checked = pause_points.check_answers(job_state.job_id, points, answers or {})
    if waiting and not checked and not deferred and not tasks:
        raise PauseAnswerError(
            f"job {job_state.job_id} waits for answers and has nothing else to run; answer "
            f"its pause points: {pause_points.describe(waiting)} (Python: "
            "resume(job, answers={pause_id: {...}}); CLI: --answer PAUSE_ID FIELD=VALUE)"
        )
    job_state.require_json(flow.store is not None)
    if input and flow.store is not None:
        check_payload(input, "resume input")
    if input:
        if not deferred:
            raise JobStateError(
                f"job {job_state.job_id} has no deferred event or pause point to receive the "
                f"input {sorted(input)}; resume it without input"
            )
        expected = [n for e in deferred for n in e["data"].get("expects", []) or []]
        if expected and set(input) != set(expected):  # paused by an older control.human_input
            raise PauseAnswerError(
                f"the input {sorted(input)} for job {job_state.job_id} does not match what it "
                f"waits for; it expects exactly: {', '.join(dict.fromkeys(expected))} "
                "(nothing was changed: the job still waits)"
            )
        for event in deferred:
            event["data"] = {**event["data"], **input}
    for point in waiting:  # an unanswered one too: the job could never finish without it
        if point["id"] in checked:
            flow.routes_from(point["routine_id"], point["event"])
        else:
            flow.require_routine(point["routine_id"], "pause point's")
    for event in deferred:
        flow.routes_from(event["routine_id"], event["event_name"])
    scheduler = flow.get_scheduler()
    with job_state.lock:
        answered = job_state.resume(checked, flow.history_limit)
        for routine_id, event_name, data in answered:  # each answer's emit is recorded
            job_state.append_record(routine_id, event_name, data)
            add_deliveries(job_state, flow.routes_from(routine_id, event_name), data)
        for event in deferred:  # not recorded: routilux 0.10 emitted them outside the job
            routes = flow.routes_from(event["routine_id"], event["event_name"])
            add_deliveries(job_state, routes, event["data"])
        job_state.touch_status()
    begin_checkpoints(flow, job_state)
    return scheduler.begin_run(job_state, entry_of(job_state), claimed=claimed)


# ------------------------------------------------------------------ claims


def claim_job(flow: Flow, job: JobState | str) -> bool:
    """Take the job's claim in the flow's store (one owner per job) for `flow`; False if
    the store has no claims. `JobClaimedError` names the owner if another holds it."""
    claim = getattr(flow.store, "claim", None)
    if claim is None:
        return False
    job_id = job if isinstance(job, str) else job.job_id
    claim(job_id)
    flow.held_claims.add(job_id)
    return True


def claim_or_find_run(flow: Flow, job_id: str) -> tuple[bool, JobRun | None]:
    """Take the job's claim (`claim_job`), or find its live run in `flow`.

    A claim another owner holds, or another flow of this process, is refused at once.
    One `flow` holds belongs to its own run of the job that is starting (a resume
    between its claim and its run) or ending (between its end and its release): that
    takes milliseconds, so it is waited for, polling, up to one lease of the store.
    A claim found no longer held here after a refusal is tried once more: the run's
    end may have released it since (another owner's is refused again).
    """
    deadline = time.monotonic() + getattr(flow.store, "lease", 20.0)
    tried_again = False
    while True:
        try:
            return claim_job(flow, job_id), None
        except JobClaimedError:
            run = flow.live_run(job_id)
            if run is not None:
                return False, run
            holds = getattr(flow.store, "holds", None)
            if holds is None or time.monotonic() > deadline:
                raise
            if job_id not in flow.held_claims or not holds(job_id):
                if tried_again:
                    raise
                tried_again = True
                continue
        time.sleep(0.002)


def release_job(flow: Flow, job: JobState | str) -> None:
    """Give the job's claim up (after its final checkpoint); a failure is logged (the
    lease then ends by itself)."""
    release = getattr(flow.store, "release", None)
    if release is None:
        return
    job_id = job if isinstance(job, str) else job.job_id
    try:
        release(job_id)
    except Exception:
        log.warning("could not release the claim of job %s in %s", job_id, flow.store_url)
    finally:
        flow.held_claims.discard(job_id)


# ------------------------------------------------------------------ checkpoints


def checkpoint_each_activation(flow: Flow) -> bool:
    """Whether `flow` saves its jobs after every activation."""
    return flow.store is not None and flow.checkpoint == "every_activation"


def begin_checkpoints(flow: Flow, job_state: JobState) -> None:
    """Make the job durable before its first handler runs (the save may raise).

    With ``on_pause`` a new job is not saved; a resumed one is (so the store no
    longer shows it paused).
    """
    if flow.store is None:
        return
    if flow.checkpoint == "every_activation":
        # saves follow every activation, so the journal of pending changes stays short
        with job_state.lock:
            job_state.start_pending_journal(next(_journal_epochs))
    elif flow.checkpoint == "on_pause" and not job_state.pause_points:
        return
    flow.store.save(job_state)
    if flow.keep_checkpoints:
        record_checkpoint(flow, job_state)


def checkpoint(flow: Flow, job_state: JobState, final: bool = False) -> bool:
    """Save the job if the flow's checkpoint mode says so; a failed save is logged.
    True if the save was refused because another owner took the job's claim: the
    caller stops running it."""
    store = flow.store
    if store is None or not job_state.json_only:  # a store set while it ran: not this job
        return False
    if (
        final
        and flow.checkpoint == "on_pause"
        and job_state.status != JobStatus.PAUSED
        and not job_state.pause_points
    ):
        return False  # never paused, so never saved: nothing in the store to update
    lost = False
    try:
        store.save(job_state)
        if flow.keep_checkpoints:
            record_checkpoint(flow, job_state)
    except JobClaimedError as exc:  # another owner runs the job: its saves win
        log.error("did not checkpoint job %s: %s", job_state.job_id, exc)
        taken = getattr(store, "taken", None)
        lost = taken is not None and bool(taken(job_state.job_id))
    except Exception:
        log.exception("could not checkpoint job %s to %s", job_state.job_id, flow.store_url)
    if final and getattr(store, "retention", None) is not None:
        try:
            apply_retention(store)
        except Exception:  # pruning is housekeeping: it must not fail a job
            log.exception("could not prune %s by its retention policy", flow.store_url)
    return lost


def entry_of(job_state: JobState) -> str | None:
    """The entry routine of a job (its first history record is the entry's start)."""
    with job_state.lock:
        if job_state.entry_routine_id is not None:
            return job_state.entry_routine_id
        first = job_state.first_record()
    if first is not None and first[1] == "start":
        return first[0]
    return None
