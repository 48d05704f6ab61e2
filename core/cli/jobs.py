"""``routilux jobs``, ``routilux show JOB_ID`` and ``routilux rm JOB_ID``: the store's jobs."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from typing import Any

from ..records import JobStatus
from ..serialization import unstructure_job_state
from ..times import utc_iso
from .run import add_store_options, no_store_here, open_existing_store, store_url_of


def register(subparsers: Any) -> None:
    jobs = subparsers.add_parser("jobs", help="list the jobs in a store")
    jobs.add_argument("--status", help="only jobs with this status (running finds crashed ones)")
    jobs.add_argument("--flow", help="only jobs of this flow id")
    jobs.add_argument("--limit", type=int, default=50, help="at most N jobs (default 50)")
    add_store_options(jobs)
    jobs.add_argument("--json", action="store_true", help="machine-readable output")
    jobs.set_defaults(func=cmd_jobs)

    show = subparsers.add_parser("show", help="show one job: status, routines, history, outputs")
    show.add_argument("job_id")
    show.add_argument("--history", type=int, default=10, metavar="N", help="last N history records")
    add_store_options(show)
    show.add_argument("--json", action="store_true", help="the whole serialized JobState")
    show.set_defaults(func=cmd_show)

    rm = subparsers.add_parser("rm", help="delete a job from a store")
    rm.add_argument("job_id")
    add_store_options(rm)
    rm.set_defaults(func=cmd_rm)


def cmd_jobs(args: argparse.Namespace) -> int:
    from ..store import open_store

    if args.status is not None:
        check_status(args.status)
    url = store_url_of(args)
    missing = no_store_here(url)
    if missing is not None:
        print("[]" if args.json else f"no jobs: {missing}")
        return 0
    with open_store(url) as store:
        summaries = store.list(flow_id=args.flow, status=args.status, limit=args.limit)
        where = getattr(store, "safe_url", store.url)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "job_id": s.job_id,
                        "flow_id": s.flow_id,
                        "status": s.status,
                        "created_at": s.created_at.isoformat(),
                        "updated_at": s.updated_at.isoformat(),
                        "owner": s.owner,
                        "lease_until": s.lease_until.isoformat() if s.lease_until else None,
                        "problem": s.problem,
                    }
                    for s in summaries
                ],
                indent=2,
            )
        )
        return 0
    if not summaries:
        # name the store: a mistyped --store or $ROUTILUX_STORE opens a new, empty one
        status = f"{args.status} " if args.status else ""
        flow = f" of flow {args.flow!r}" if args.flow else ""
        print(f"no {status}jobs{flow} in {where}")
        return 0
    width = max(len(s.flow_id) for s in summaries)
    print(f"{'job id':36}  {'flow'.ljust(width)}  {'status':10}  {'updated (UTC)':19}  owner")
    for s in summaries:
        updated = s.updated_at.strftime("%Y-%m-%d %H:%M:%S")
        if s.problem:
            note = f"cannot be read: {s.problem}"
        elif s.owner:
            until = s.lease_until.strftime("%H:%M:%S") if s.lease_until else "?"
            ended = s.lease_until is not None and s.lease_until < datetime.now(timezone.utc)
            note = f"{s.owner} (lease {'ended' if ended else 'until'} {until})"
        else:
            note = "-"
        print(f"{s.job_id:36}  {s.flow_id.ljust(width)}  {s.status:10}  {updated:19}  {note}")
    return 0


def check_status(status: str) -> None:
    """Refuse a status no job can have (``--status runing`` would list nothing)."""
    import difflib

    from ..errors import UsageError
    from ..records import JOB_STATUSES

    if status not in JOB_STATUSES:
        close = difflib.get_close_matches(status, sorted(JOB_STATUSES), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise UsageError(
            f"--status {status!r} is not a job status; {hint}"
            f"use one of {', '.join(sorted(JOB_STATUSES))}"
        )


def cmd_show(args: argparse.Namespace) -> int:
    with open_existing_store(store_url_of(args)) as store:
        job = store.load(args.job_id)
    if args.json:
        print(json.dumps(unstructure_job_state(job, full=True), indent=2))
        return 0
    print(f"job {job.job_id}  flow {job.flow_id}  {job.status}")
    # in UTC, as `routilux jobs` lists them (a JobState shows local times, as 0.10 did)
    print(f"created {utc_iso(job.created_at)}  updated {utc_iso(job.updated_at)}")
    waiting = job.waiting_pause_points
    if waiting:
        print("waiting for answers (routilux resume JOB --answer PAUSE_ID FIELD=VALUE):")
        for point in waiting:
            fields = ", ".join(point["fields"]) or "any fields"
            print(
                f"  {point['id']}  [{point['routine_id']}]  {point['prompt']}  (fields: {fields})"
            )
    elif job.status == JobStatus.PAUSED and job.pause_points:
        print(f"paused: {job.pause_points[-1].get('reason', '')}")
    print("routines:")
    for rid, status, counts, rest, trace in _routine_rows(job):
        tallies = f"  ({counts['activations']} activations, {counts['emits']} emits, "
        tallies += f"{counts['errors']} errors)"
        print(f"  {rid}: {status}{tallies}" + (f"  {rest}" if rest else ""))
        if trace:
            print("\n".join(f"      {line}" for line in trace.rstrip().splitlines()))
    history = job.execution_history
    print(f"history ({len(history)} records, last {min(args.history, len(history))}):")
    for record in history[-args.history :]:
        print(
            f"  {record.timestamp.isoformat()}  {record.routine_id} -> {record.event_name}  {record.data}"
        )
    if job.pending_tasks:
        print(f"pending activations: {len(job.pending_tasks)}")
    if job.deferred_events:
        print(f"deferred events: {[e['event_name'] for e in job.deferred_events]}")
    outputs = job.output_log
    if outputs:
        print(f"outputs ({len(outputs)}):")
        for output in outputs[-10:]:
            print(f"  [{output['routine_id']}] {output['output_type']}: {output['data']}")
    return 0


def _routine_rows(job: Any) -> list[tuple[str, str, dict[str, int], dict[str, Any], str]]:
    """Every routine the job has touched: it ran, holds state, waits at a pause point
    or has an activation pending, as ``(id, status, counts, other state, traceback)``."""
    states = job.routine_states
    counts = job.routine_counts
    waiting = {point["routine_id"] for point in job.waiting_pause_points}
    pending = {task["routine_id"] for task in job.pending_tasks}
    rows = []
    for rid in dict.fromkeys([*states, *counts, *waiting, *pending]):
        if rid.startswith("_"):  # not a routine: "_cancellation" (0.10's reason record)
            continue
        state = states.get(rid, {})
        status = state.get("status")
        if rid in waiting:
            status = "waiting for an answer"
        elif status is None:
            status = "activation pending" if rid in pending else "completed"
        rest = {k: v for k, v in state.items() if k not in ("status", "traceback")}
        trace = state.get("traceback") or job.traceback_of(rid)
        zero = {"activations": 0, "emits": 0, "errors": 0}
        rows.append(
            (rid, str(status), counts.get(rid, zero), rest, trace if isinstance(trace, str) else "")
        )
    return rows


def cmd_rm(args: argparse.Namespace) -> int:
    with open_existing_store(store_url_of(args)) as store:
        store.delete(args.job_id)
    print(f"deleted job {args.job_id}")
    return 0
