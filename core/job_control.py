"""Pausing and cancelling a job: `Flow.pause` and `Flow.cancel`.

A job running in the flow is stopped through its scheduler. A job that does not run
there (it ended, it is paused, or it was loaded) is changed as it stands and saved,
as routilux 0.10 paused or cancelled any job; with a store, only while this process
holds the job's claim and only if this copy is the newest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .jobs import check_not_stale, checkpoint, claim_or_find_run, release_job, run_of
from .payload import check_payload, copy_json
from .records import JobStatus

if TYPE_CHECKING:
    from .flow import Flow
    from .job_run import JobRun
    from .job_state import JobState


def pause_job(
    flow: Flow,
    job_state: JobState,
    reason: str,
    wait: bool,
    pause_data: dict[str, Any] | None = None,
) -> None:
    """See `Flow.pause`."""
    if pause_data is not None:
        check_payload(pause_data, "pause checkpoint")
        pause_data = copy_json(pause_data)
    inside = _in_own_handler(job_state)
    _apply(
        flow,
        job_state,
        inside,
        lambda run: run.scheduler.pause(run, reason, wait=wait and not inside, data=pause_data),
        lambda: _pause_idle_job(flow, job_state, reason, pause_data),
    )


def _pause_idle_job(
    flow: Flow, job_state: JobState, reason: str, pause_data: dict[str, Any] | None
) -> JobRun | None:
    """Pause a job that did not run in `flow` when looked at; the run a resume started
    meanwhile is returned instead, to be paused as it runs."""
    with job_state.control_lock:  # a resume, pause or cancel of the job at a time
        run = run_of(flow, job_state)
        if run is not None:
            return run
        if job_state.status == JobStatus.PAUSED:
            # recorded again, as routilux 0.10 did; in this copy only: the stored job may
            # be another process's by now (its next save here, a resume, writes it)
            with job_state.lock:
                job_state.add_manual_pause(reason, pause_data)
                job_state.touch()
            return None
        # Not running here (it ended, say, before the caller got to pause it, as a
        # short job does right after execute()): paused as it stands, as routilux
        # 0.10 paused any job; resume() then runs what it still has pending.
        return _change_idle_job(flow, job_state, _paused(reason, pause_data))


def cancel_job(flow: Flow, job_state: JobState, reason: str) -> None:
    """See `Flow.cancel`."""
    _apply(
        flow,
        job_state,
        _in_own_handler(job_state),
        lambda run: run.scheduler.cancel(run, reason),
        lambda: _cancel_idle_job(flow, job_state, reason),
    )


def _apply(
    flow: Flow,
    job_state: JobState,
    inside: bool,
    to_run: Callable[[JobRun], bool],
    to_idle_job: Callable[[], JobRun | None],
) -> None:
    """Carry out a pause or cancel: on the job's run in `flow` if it has one (`to_run`;
    False if the run ended before the call reached it), else on the job as it stands
    (`to_idle_job`, which returns the run a resume started meanwhile instead). From one
    of the job's own handlers (`inside`) a job whose run has ended is left as it is."""
    while True:
        run = run_of(flow, job_state)
        if run is None:
            if inside:  # a handler left over from the job's run, which ended (cancelled)
                return
            run = to_idle_job()
            if run is None:
                return
        if to_run(run):
            return
        # the run ended after it was found: the job is changed as it stands now


def _cancel_idle_job(flow: Flow, job_state: JobState, reason: str) -> JobRun | None:
    """Cancel a job that did not run in `flow` when looked at; the run a resume started
    meanwhile is returned instead, to be cancelled as it runs."""
    with job_state.control_lock:  # a resume, pause or cancel of the job at a time
        run = run_of(flow, job_state)
        if run is not None:
            return run
        if job_state.status == JobStatus.CANCELLED:
            return None
        # a paused, never started or already ended job: cancelled now, as routilux
        # 0.10 cancelled any job (its pending work is dropped)
        return _change_idle_job(flow, job_state, _cancelled(reason))


def _in_own_handler(job_state: JobState) -> bool:
    """Whether this is one of `job_state`'s own handlers. Once the job's run has ended
    (cancelled while the handler ran), such a handler's pause or cancel changes nothing,
    as its writes and emits are refused: the job stays as its end left it."""
    from .context import current_scope

    scope = current_scope.get()
    return scope is not None and scope.job_state is job_state


def _paused(reason: str, pause_data: dict[str, Any] | None) -> Callable[[JobState], None]:
    def pause(job_state: JobState) -> None:
        job_state.add_manual_pause(reason, pause_data)
        job_state.end(JobStatus.PAUSED)

    return pause


def _cancelled(reason: str) -> Callable[[JobState], None]:
    def cancel(job_state: JobState) -> None:
        job_state.end(JobStatus.CANCELLED, reason)

    return cancel


def _change_idle_job(
    flow: Flow, job_state: JobState, change: Callable[[JobState], None]
) -> JobRun | None:
    """Apply `change` (lock held) to a job that does not run in this flow, and save it.

    With a store, the job is changed only while this process holds its claim, and only
    if no newer checkpoint of it is stored: a job another process runs, or that changed
    there since this copy was taken, is refused (`JobClaimedError` names the owner)
    before this copy changes. This process's own run of the job, starting (a resume)
    or ending (its final save), is waited for: a run that starts is returned, to be
    paused or cancelled as it runs.
    """
    store = flow.store
    claimed = False
    if store is not None:
        claimed, run = claim_or_find_run(flow, job_state.job_id)
        if run is not None:
            return run
    try:
        if claimed:
            check_not_stale(flow, job_state)
        if store is not None:
            # one holding its own values (loaded, or made by hand) becomes a saved job, as
            # resume makes it; after the checks, so that a refused call leaves it as it was
            job_state.require_json(True)
        with job_state.lock:
            change(job_state)
            job_state.touch_status()
        checkpoint(flow, job_state, final=True)
    finally:
        if claimed:
            release_job(flow, job_state)
    return None
