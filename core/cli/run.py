"""``routilux run SPEC`` and ``routilux resume JOB_ID``: run a job with live progress.

Both keep the job in a store (``--store URL``; default ``$ROUTILUX_STORE`` or
``sqlite:///.routilux/jobs.db``; ``--no-store`` keeps it in memory), show
progress, print a summary, and exit 0 (completed), 1 (failed or cancelled),
3 (paused), 2 (bad input) or 130 (Ctrl-C: the job is paused and saved, and the
command that resumes it is printed). ``run`` records the spec and params in the job's
metadata, so ``resume`` finds them again.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import sys
from typing import Any

from ..records import JobStatus
from . import EXIT_FAILED, EXIT_OK, EXIT_PAUSED

EXIT_INTERRUPTED = 130
#: How long Ctrl-C waits for running handlers before leaving the job as it is.
INTERRUPT_GRACE_S = 30.0


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _no_constant(text: str) -> Any:
    raise ValueError(text)


def parse_assignments(pairs: list[str] | None, option: str) -> dict[str, Any]:
    """``["k=v", ...]`` to a dict; values that parse as JSON (numbers, true, lists) are
    taken as such, anything else as a string.

    ``NaN``, ``Infinity`` and numbers too big for a float stay strings: JSON has no
    such values, and a job holding one could not be stored (``--param title=NaN``).
    """
    from ..errors import UsageError

    result: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise UsageError(
                f"{option} {pair!r}: give KEY=VALUE, e.g. {option} name=value "
                "(values are read as JSON when they parse, else as text)"
            )
        try:
            result[key] = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
        except ValueError:
            result[key] = text
    return result


def add_log_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="json: log records (job started/finished, errors) as JSON lines on stderr",
    )


def add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="URL",
        help="job store URL (default: $ROUTILUX_STORE or sqlite:///.routilux/jobs.db)",
    )


def store_url_of(args: argparse.Namespace) -> str:
    """The store URL of ``--store`` (default: `default_store_url`); an empty one is a
    UsageError, not silently the default store (``--store "$UNSET_VAR"``)."""
    from ..errors import UsageError
    from ..store import default_store_url

    if args.store is not None and not args.store.strip():
        raise UsageError(
            f"--store {args.store!r} is empty; give a store URL (e.g. --store "
            "sqlite:///path/jobs.db), or leave --store out for the default store "
            f"({default_store_url()})"
        )
    return str(args.store or default_store_url())


def no_store_here(url: str) -> str | None:
    """Why there is nothing to read at `url`, if it is the default store and that does
    not exist in this directory; None otherwise. Commands about stored jobs check
    this first: opening the default store would create ./.routilux/ wherever they run."""
    from ..store import DEFAULT_STORE_URL

    if url != DEFAULT_STORE_URL or os.path.exists(DEFAULT_STORE_URL.partition(":///")[2]):
        return None
    return (
        f"there is no job store here: {url} does not exist in {os.getcwd()} "
        "(`routilux run` creates it in the directory it runs in); run this from that "
        "directory, or pass --store URL"
    )


def open_existing_store(url: str) -> Any:
    """Open the store at `url` for a command that reads or changes stored jobs: a
    StoreError, not a new empty store, if it is the default one and does not exist."""
    from ..errors import StoreError
    from ..store import open_store

    missing = no_store_here(url)
    if missing is not None:
        raise StoreError(missing)
    return open_store(url)


def register(subparsers: Any) -> None:
    run = subparsers.add_parser("run", help="run a flow spec, showing progress")
    run.add_argument("spec", help="the flow spec file (.toml, .json, .yaml)")
    run.add_argument("--param", action="append", metavar="KEY=VALUE", help="a spec parameter")
    add_store_options(run)
    run.add_argument("--no-store", action="store_true", help="keep the job in memory only")
    run.add_argument("--strategy", help="execution strategy (sequential, concurrent, ...)")
    run.add_argument("--workers", type=int, metavar="N", help="max_workers for the strategy")
    run.add_argument(
        "--checkpoint",
        choices=("on_finish", "every_activation", "on_pause"),
        help="when the job is saved to the store (default: the spec's, else on_finish); "
        "every_activation makes a crash lose at most the activation that was running",
    )
    run.add_argument("--entry", help="entry routine (default: the spec's entry)")
    run.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_log_options(run)
    run.set_defaults(func=cmd_run)

    resume = subparsers.add_parser("resume", help="resume a paused or interrupted job")
    resume.add_argument("job_id")
    resume.add_argument("--spec", help="the flow spec (default: the one the job ran with)")
    resume.add_argument("--param", action="append", metavar="KEY=VALUE", help="a spec parameter")
    add_store_options(resume)
    resume.add_argument(
        "--answer",
        action="append",
        nargs="+",
        metavar="PAUSE_ID FIELD=VALUE",
        help="answer pause point PAUSE_ID (repeatable; `routilux show JOB` lists them)",
    )
    resume.add_argument(
        "--input",
        action="append",
        metavar="KEY=VALUE",
        help="answer the one pause point waiting (or input for its deferred events)",
    )
    resume.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_log_options(resume)
    resume.set_defaults(func=cmd_resume)


def cmd_run(args: argparse.Namespace) -> int:
    from ..errors import FlowSpecError
    from ..job_state import JobState
    from ..spec import flow_from_dict, load_spec_file

    store_url = None if args.no_store else store_url_of(args)
    params = parse_assignments(args.param, "--param")
    data = load_spec_file(args.spec)
    if args.strategy and isinstance(data, dict):
        # before the routines are built: an async handler is checked against it
        data = {**data, "execution_strategy": args.strategy}
    flow = flow_from_dict(data, source=args.spec, params=params)
    if args.workers is not None:
        flow.max_workers = args.workers  # FlowError (exit 2) unless 1 or more
    entry = args.entry or flow.entry
    if not entry:
        raise FlowSpecError(
            [("entry", 'the spec names no entry routine; add entry = "..." or pass --entry')],
            args.spec,
        )
    if args.checkpoint:
        flow.checkpoint = args.checkpoint
    if store_url:
        flow.set_store(store_url)
    job = JobState(flow_id=flow.flow_id)
    job.update_metadata(spec=os.path.abspath(args.spec), params=params)
    return _run(flow, args, store_url, job, lambda: flow.execute(entry, params, job_state=job))


def cmd_resume(args: argparse.Namespace) -> int:
    from ..errors import JobStateError, RoutineNotFoundError
    from ..flow import Flow

    store_url = store_url_of(args)
    with open_existing_store(store_url) as store:
        stored = store.load(args.job_id)
    metadata = stored.metadata
    spec = args.spec or metadata.get("spec")
    if not spec:
        raise JobStateError(f"job {args.job_id} does not say which spec it ran; pass --spec SPEC")
    params = {**metadata.get("params", {}), **parse_assignments(args.param, "--param")}
    flow = Flow.from_file(spec, params=params)
    flow.set_store(store_url)
    inputs = parse_assignments(args.input, "--input")
    answers = parse_answers(args.answer)
    args.spec = spec

    def start() -> Any:
        try:
            return flow.resume(stored, input=inputs or None, answers=answers or None)
        except (RoutineNotFoundError, JobStateError) as exc:
            raise _in_cli_terms(exc, stored, flow, spec) from None

    return _run(flow, args, store_url, stored, start)


def _in_cli_terms(exc: Exception, job: Any, flow: Any, spec: str) -> Exception:
    """The resume error `exc` reworded for a CLI user where its advice is Python's
    (``add_routine``, ``execute()``); any other error as it is."""
    from ..errors import JobStateError, RoutineNotFoundError

    if isinstance(exc, RoutineNotFoundError):
        missing = [r for r in _routines_named(job) if flow.get_routine(r) is None]
        if missing:
            names = ", ".join(repr(r) for r in missing)
            return JobStateError(
                f"the spec {spec} has no routine {names} that job {job.job_id} ran; resume "
                "with the spec the job was started from (--spec SPEC)"
            )
    elif type(exc) is JobStateError and job.status in (
        JobStatus.COMPLETED,
        JobStatus.CANCELLED,
        JobStatus.PENDING,
    ):
        return JobStateError(
            f"job {job.job_id} is {job.status}; there is nothing to resume: start a new run "
            f"with `routilux run {shlex.quote(spec)}`"
        )
    return exc


def _routines_named(job: Any) -> list[str]:
    """The routine ids a stored job refers to: its entry (current_routine_id), its queued
    activations, its pause points and deferred events."""
    with job.lock:
        tasks = job.pending_activations()
    named = [job.current_routine_id, *(t.routine_id for t in tasks)]
    named += [p.get("routine_id") for p in job.pause_points]
    named += [e.get("routine_id") for e in job.deferred_events]
    return [r for r in dict.fromkeys(named) if isinstance(r, str)]


def parse_answers(groups: list[list[str]] | None) -> dict[str, dict[str, Any]]:
    """``[["PAUSE_ID", "k=v", ...], ...]`` (from ``--answer``) to ``{pause_id: {k: v}}``."""
    from ..errors import PauseAnswerError

    answers: dict[str, dict[str, Any]] = {}
    for group in groups or []:
        pause_id, pairs = group[0], group[1:]
        if "=" in pause_id or not pairs or not all("=" in p[1:] for p in pairs):
            raise PauseAnswerError(
                f"--answer {' '.join(group)}: give a pause id, then FIELD=VALUE for each "
                "field (e.g. --answer budget approved=yes); `routilux show JOB` lists them"
            )
        answers.setdefault(pause_id, {}).update(parse_assignments(pairs, "--answer"))
    return answers


def _run(flow: Any, args: argparse.Namespace, store_url: str | None, job: Any, start: Any) -> int:
    """Start the job, show progress until it stops, print the summary.

    Ctrl-C pauses the job (running handlers finish, up to INTERRUPT_GRACE_S; a
    second Ctrl-C stops waiting), saves it, prints the resume command and exits
    130: an interrupted CLI run is resumable, not lost.
    """
    import time

    from ..registry import registered
    from .logs import configure
    from .progress import ProgressObserver, print_summary, summary, watch

    log_format = getattr(args, "log_format", "text")
    configure(log_format)
    observer = ProgressObserver(list(flow.routines), log=log_format == "json")
    observer.job_id = job.job_id
    began = time.monotonic()
    interrupted = False
    with registered(observer, name=f"routilux-cli-progress-{id(observer)}"):
        try:
            job = start()
            out = sys.stderr if args.json else sys.stdout
            elapsed = watch(flow, job, observer, out)
        except KeyboardInterrupt:
            interrupted = True
            _pause_interrupted(flow, job)
            elapsed = time.monotonic() - began
    flow.shutdown(wait=not interrupted)
    extra: dict[str, Any] = {}
    if store_url:
        extra["store"] = store_url
    if job.status in (JobStatus.PAUSED, JobStatus.RUNNING) and (store_url or not interrupted):
        command = ["routilux", "resume", job.job_id, "--spec", args.spec]
        if store_url:
            command += ["--store", store_url]
        waiting = job.waiting_pause_points
        if len(waiting) == 1:
            command += [arg for name in waiting[0]["fields"] for arg in ("--input", f"{name}=...")]
        else:
            for point in waiting:
                command += ["--answer", point["id"], *(f"{f}=..." for f in point["fields"])]
        extra["resume_command"] = shlex.join(command)
        if waiting:
            extra["pause_points"] = [
                {k: point[k] for k in ("id", "routine_id", "prompt", "fields")} for point in waiting
            ]
    if interrupted:
        extra["interrupted"] = True
    result = summary(job, observer, elapsed, **extra)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_summary(result)
    if interrupted:
        return EXIT_INTERRUPTED
    if job.status == JobStatus.COMPLETED:
        return EXIT_OK
    if job.status == JobStatus.PAUSED:
        return EXIT_PAUSED
    return EXIT_FAILED


def _pause_interrupted(flow: Any, job: Any) -> None:
    """Pause a job whose run was interrupted, so that it is saved resumable."""
    from ..errors import RoutiluxError, message_with_notes
    from ..job_state import JobState

    print(
        f"\nroutilux: interrupted; pausing job {job.job_id} (running handlers finish; "
        "Ctrl-C again to stop waiting)",
        file=sys.stderr,
        flush=True,
    )
    try:
        if job.status == JobStatus.RUNNING:
            flow.pause(job, "interrupted (Ctrl-C)", wait=False)
        JobState.wait_for_completion(flow, job, timeout=INTERRUPT_GRACE_S)
    except KeyboardInterrupt:
        pass  # the job stays as its last checkpoint saved it: still resumable
    except RoutiluxError as exc:  # it ended meanwhile, or never started
        print(f"routilux: {message_with_notes(exc)}", file=sys.stderr)
