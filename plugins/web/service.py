"""The jobs `routilux serve` shows and steers, without any web framework.

Jobs are read from the store; the jobs this process runs (started, resumed or
answered here) are read from memory while they run, so their state is live
whatever the flow's checkpoint mode. Each action on a job takes that job's
lock, so two answers to one pause cannot both be applied by this server.

Specs are started only from the directory given at start: a name is resolved
inside it and refused if it leads outside (``..``, absolute paths, symlinks).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from routilux import Flow, JobState, JobStatus, JobSummary, open_store
from routilux.errors import FlowSpecError, JobStateError, RoutiluxError

from . import pauses

log = logging.getLogger("routilux.serve")

SPEC_SUFFIXES = (".toml", ".json", ".yaml", ".yml")
FINAL = ("completed", "failed", "cancelled")


class SpecNotFoundError(RoutiluxError):
    """A spec name that is not a spec file inside the served specs directory."""


class ConflictError(JobStateError):
    """An action the job's current state does not allow (HTTP 409)."""


class _Live:
    """A job running in this process and the flow that runs it."""

    __slots__ = ("flow", "job")

    def __init__(self, flow: Flow, job: JobState) -> None:
        self.flow = flow
        self.job = job


class JobService:
    """Reads and steers the jobs of one store."""

    def __init__(
        self,
        store_url: str,
        specs_dir: str | None = None,
        on_change: Callable[[str], None] | None = None,
    ) -> None:
        self.store_url = store_url
        self.store = open_store(store_url)
        self.specs_dir = Path(specs_dir).resolve() if specs_dir else None
        self.on_change = on_change or (lambda job_id: None)
        self._lock = threading.Lock()
        self._live: dict[str, _Live] = {}
        self._job_locks: dict[str, threading.Lock] = {}

    def close(self) -> None:
        """Stop the flows of the jobs still running here (they stay resumable) and
        close the store."""
        with self._lock:
            live = list(self._live.values())
        for entry in live:
            entry.flow.shutdown(wait=False)
        self.store.close()

    # ------------------------------------------------------------- reading

    def live_jobs(self) -> list[JobState]:
        with self._lock:
            return [entry.job for entry in self._live.values()]

    def list_jobs(
        self,
        status: str | None = None,
        flow_id: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[list[JobSummary | JobState], bool]:
        """A page of jobs, most recently updated first, and whether more follow."""
        summaries = self.store.list(flow_id=flow_id, status=status, limit=offset + limit + 1)
        with self._lock:
            live = dict((job_id, e.job) for job_id, e in self._live.items())
        rows: list[JobSummary | JobState] = [live.get(s.job_id, s) for s in summaries]
        if status is not None:  # a job running here may have moved on from its stored status
            rows = [row for row in rows if row.status == status]
        return rows[offset : offset + limit], len(rows) > offset + limit

    def get(self, job_id: str) -> JobState:
        """The job: live if it runs here, else as stored (`JobNotFoundError` if none)."""
        with self._lock:
            entry = self._live.get(job_id)
        return entry.job if entry is not None else self.store.load(job_id)

    def flow_for(self, job: JobState) -> Flow | None:
        """The flow a stored job ran (rebuilt from the spec its metadata names), or None."""
        with self._lock:
            entry = self._live.get(job.job_id)
        if entry is not None:
            return entry.flow
        spec = job.metadata.get("spec")
        if not isinstance(spec, str) or not os.path.isfile(spec):
            return None
        params = job.metadata.get("params")
        return Flow.from_file(spec, params=params if isinstance(params, dict) else {})

    def graph(self, job: JobState) -> tuple[list[str], list[tuple[str, str]], dict[str, str]]:
        """Routine ids, edges and each routine's status for drawing the job's flow."""
        try:
            flow = self.flow_for(job)
        except RoutiluxError:
            flow = None
        states = job.routine_states
        history = job.execution_history
        statuses: dict[str, str] = {}
        if flow is not None:
            nodes = list(flow.routines)
            edges = [(str(c.source_routine_id), str(c.target_routine_id)) for c in flow.connections]
            # a routine's state belongs to its handlers (as in routilux 0.10), so what ran
            # is read from the history: the entry, and every target of an emitted event
            routes: dict[tuple[str, str], list[str]] = {}
            for c in flow.connections:
                event = getattr(c, "source_event_name", None) or str(c.source_event)
                routes.setdefault((str(c.source_routine_id), event), []).append(
                    str(c.target_routine_id)
                )
            for record in history:
                if record.event_name == "start":
                    statuses[record.routine_id] = "completed"
                for target in routes.get((record.routine_id, record.event_name), ()):
                    statuses[target] = "completed"
        else:
            nodes, edges = [r for r in states if not r.startswith("_")], []
        for rid, state in states.items():
            status = str(state.get("status", ""))
            if status and (status != "pending" or rid not in statuses):
                statuses[rid] = status
        for point in pauses.pause_points(job):
            statuses[point["routine_id"]] = "waiting"
        if job.status == JobStatus.RUNNING:
            for task in job.pending_tasks:
                if statuses.get(task["routine_id"], "pending") in ("pending", "completed"):
                    statuses[task["routine_id"]] = "running"
        return nodes, edges, statuses

    # ------------------------------------------------------------- specs

    def specs(self) -> list[str]:
        """Spec files (relative names) that may be started."""
        root = self.specs_dir
        if root is None:
            return []
        names = []
        for path in sorted(root.rglob("*")):
            if path.suffix in SPEC_SUFFIXES and path.is_file():
                resolved = path.resolve()
                if resolved.is_relative_to(root):
                    names.append(path.relative_to(root).as_posix())
        return names

    def resolve_spec(self, name: Any) -> Path:
        """The spec file `name` names inside the specs directory; refuses anything else."""
        root = self.specs_dir
        if root is None:
            raise SpecNotFoundError(
                "this server was started without --specs DIR, so no spec can be started here"
            )
        if not isinstance(name, str) or not name or "\x00" in name or os.path.isabs(name):
            raise SpecNotFoundError(
                f"spec {name!r} must be a relative file name inside {root} (see GET /api/specs)"
            )
        path = (root / name).resolve()
        if not path.is_relative_to(root) or path.suffix not in SPEC_SUFFIXES:
            raise SpecNotFoundError(
                f"spec {name!r} is not a spec file inside {root}; choose one of GET /api/specs"
            )
        if not path.is_file():
            raise SpecNotFoundError(f"no spec {name!r} in {root}; choose one of GET /api/specs")
        return path

    # ------------------------------------------------------------- actions

    def _job_lock(self, job_id: str) -> threading.Lock:
        with self._lock:
            return self._job_locks.setdefault(job_id, threading.Lock())

    def start(self, spec: Any, params: Any = None, entry: Any = None) -> JobState:
        """Start a job of the spec `spec` (a name inside the specs directory)."""
        path = self.resolve_spec(spec)
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise FlowSpecError([("params", "must be an object of name -> value")], str(path))
        flow = Flow.from_file(str(path), params=params)
        entry = entry or flow.entry
        if not isinstance(entry, str) or not entry:
            raise FlowSpecError(
                [("entry", "the spec names no entry routine; pass entry")], str(path)
            )
        job = JobState(flow_id=flow.flow_id)
        job.update_metadata(spec=str(path), params=params)
        flow.set_store(self.store)
        return self._launch(flow, job, lambda: flow.execute(entry, params, job_state=job))

    def _stored_flow(self, job: JobState, action: str) -> Flow:
        with self._lock:
            if job.job_id in self._live:
                raise ConflictError(f"job {job.job_id} is already running in this server")
        flow = self.flow_for(job)
        if flow is None:
            raise ConflictError(
                f"cannot {action} job {job.job_id}: its metadata names no spec file that "
                "exists here (jobs started by `routilux run` or this server record it)"
            )
        flow.set_store(self.store)
        return flow

    def _stopped(self, job_id: str, action: str) -> JobState:
        job = self.get(job_id)
        if job.status == JobStatus.RUNNING:
            with self._lock:
                here = job_id in self._live
            if here or action != "resume":
                where = "in this server" if here else "in another process"
                raise ConflictError(f"cannot {action} job {job_id}: it is running {where}")
            # stored as running: its process may have died. The job's claim decides:
            # resume refuses (JobClaimedError) while the owner's lease lives.
        if job.status in ("completed", "cancelled"):
            raise ConflictError(f"cannot {action} job {job_id}: it is {job.status}")
        return job

    def resume(self, job_id: str, input: Any = None) -> JobState:
        """Resume a paused or failed job, or one whose process died while running it
        (once its claim's lease has expired), optionally with input for what waits."""
        if input is not None and not isinstance(input, dict):
            raise pauses.AnswerError("input must be an object of field -> value")
        with self._job_lock(job_id):
            job = self._stopped(job_id, "resume")
            flow = self._stored_flow(job, "resume")
            return self._launch(flow, job, lambda: flow.resume(job, input=input or None))

    def answer(self, job_id: str, pause_id: Any, values: Any) -> JobState:
        """Answer one pause point of a paused job (checked before anything changes)."""
        with self._job_lock(job_id):
            job = self._stopped(job_id, "answer")
            pauses.check_answer(job, pause_id, values)
            flow = self._stored_flow(job, "answer")
            return self._launch(flow, job, lambda: pauses.answer(flow, job, pause_id, values))

    def cancel(self, job_id: str) -> JobState:
        """Cancel a job running here, or a paused one in the store."""
        with self._job_lock(job_id):
            with self._lock:
                entry = self._live.get(job_id)
            if entry is not None:
                entry.flow.cancel(entry.job, reason="cancelled from routilux serve")
                return entry.job
            job = self._stopped(job_id, "cancel")
            flow = Flow(flow_id=job.flow_id)
            flow.set_store(self.store)
            flow.cancel(job, reason="cancelled from routilux serve")
            self.on_change(job_id)
            return job

    def _launch(self, flow: Flow, job: JobState, start: Callable[[], JobState]) -> JobState:
        """Run `start` and follow the job until it stops; then drop its flow."""
        with self._lock:
            self._live[job.job_id] = _Live(flow, job)
        try:
            job = start()
        except BaseException:
            with self._lock:
                self._live.pop(job.job_id, None)
            flow.shutdown(wait=False)
            raise
        waiter = threading.Thread(
            target=self._follow, args=(flow, job), name=f"routilux-serve-{job.job_id[:8]}"
        )
        waiter.daemon = True
        waiter.start()
        self.on_change(job.job_id)
        return job

    def _follow(self, flow: Flow, job: JobState) -> None:
        try:
            JobState.wait_for_completion(flow, job, timeout=None)
            flow.shutdown(wait=True)
        except Exception:
            log.exception("routilux serve: following job %s failed", job.job_id)
        finally:
            with self._lock:
                self._live.pop(job.job_id, None)
            self.on_change(job.job_id)
