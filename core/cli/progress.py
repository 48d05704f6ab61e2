"""Live progress of one job: counts from the lifecycle hooks, drawn on a terminal.

On a TTY the block of per-routine counts is redrawn in place (plain ANSI
escapes); otherwise a short progress line is printed every few seconds, so
logs stay readable. The counts come from an observer plugin registered for the
duration of the run.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import IO, TYPE_CHECKING, Any

from ..hookspecs import hookimpl
from ..records import JobStatus, RoutineStatus

if TYPE_CHECKING:
    from ..flow import Flow
    from ..job_state import JobState

log = logging.getLogger("routilux.cli")


class RoutineCounts:
    """Activations started, finished and failed for one routine."""

    __slots__ = ("errors", "finished", "started")

    def __init__(self) -> None:
        self.started = 0
        self.finished = 0
        self.errors = 0


class ProgressObserver:
    """Counts the activations of one job, per routine (an observer plugin); with `log`,
    also logs the job's start, end and failed activations (for ``--log-format json``)."""

    def __init__(self, routine_ids: list[str], log: bool = False) -> None:
        self.job_id: str | None = None
        self.counts = {rid: RoutineCounts() for rid in routine_ids}
        self.log = log
        self._lock = threading.Lock()

    def _mine(self, job_state: JobState) -> bool:
        return self.job_id is None or job_state.job_id == self.job_id

    @hookimpl
    def routilux_job_started(self, job_state: JobState) -> None:
        if self.log and self._mine(job_state):
            fields = {"job_id": job_state.job_id, "flow_id": job_state.flow_id}
            log.info("job %s started", job_state.job_id, extra=fields)

    @hookimpl
    def routilux_job_finished(self, job_state: JobState) -> None:
        if self.log and self._mine(job_state):
            fields = {
                "job_id": job_state.job_id,
                "flow_id": job_state.flow_id,
                "status": job_state.status,
            }
            level = logging.ERROR if job_state.status == JobStatus.FAILED else logging.INFO
            log.log(level, "job %s %s", job_state.job_id, job_state.status, extra=fields)

    @hookimpl
    def routilux_routine_started(self, job_state: JobState, routine_id: str, slot: str) -> None:
        if self._mine(job_state):
            with self._lock:
                self.counts.setdefault(routine_id, RoutineCounts()).started += 1

    @hookimpl
    def routilux_routine_finished(
        self,
        job_state: JobState,
        routine_id: str,
        slot: str,
        error: BaseException | None,
        attempt: int,
    ) -> None:
        if self._mine(job_state):
            with self._lock:
                counts = self.counts.setdefault(routine_id, RoutineCounts())
                counts.finished += 1
                counts.errors += error is not None
            if error is not None and self.log:
                fields = {
                    "job_id": job_state.job_id,
                    "flow_id": job_state.flow_id,
                    "routine_id": routine_id,
                    "slot": slot,
                    "attempt": attempt,
                    "error_type": type(error).__name__,
                }
                log.warning(
                    "%s.%s failed: %s", routine_id, slot, error, extra=fields, exc_info=error
                )

    def snapshot(self) -> dict[str, tuple[int, int, int]]:
        """``{routine_id: (finished, running, errors)}``."""
        with self._lock:
            return {
                rid: (c.finished, c.started - c.finished, c.errors)
                for rid, c in self.counts.items()
            }


def watch(
    flow: Flow, job: JobState, observer: ProgressObserver, stream: IO[str] | None = None
) -> float:
    """Show progress until the job stops running; returns the seconds it took.

    Routines that read inputs report ``progress`` in their state (bytes or lines
    done of a total): it is shown with its percentage and an ETA. Once the job has
    ended, the final save to the store is shown while it runs and when it is done.
    """
    from ..job_state import JobState

    out = stream or sys.stdout
    tty = out.isatty()
    start = time.monotonic()
    drawn = 0
    last_line = start
    saving = False
    while not JobState.wait_for_completion(flow, job, timeout=0.1 if tty else 2.0):
        elapsed = time.monotonic() - start
        inputs = input_progress(job, elapsed)
        if tty:
            drawn = _draw(
                out, flow.flow_id, job.status, elapsed, observer.snapshot(), inputs, drawn
            )
        elif time.monotonic() - last_line >= 2.0:
            done = sum(f for f, _, _ in observer.snapshot().values())
            reading = "".join(f"; {rid} {text}" for rid, text in inputs.items())
            print(
                f"[{elapsed:6.1f}s] {flow.flow_id}: {done} activations done{reading}",
                file=out,
                flush=True,
            )
            last_line = time.monotonic()
        if job.status != "running" and flow.store is not None and not saving:
            saving = True
            print(f"{flow.flow_id}: {job.status}; saving the job to the store ...", file=out)
    elapsed = time.monotonic() - start
    if tty:
        inputs = input_progress(job, elapsed)
        _draw(out, flow.flow_id, job.status, elapsed, observer.snapshot(), inputs, drawn)
    if flow.store is not None and saving:  # only after "saving ..." was announced
        took = max(time.time() - job.updated_at.timestamp(), 0.0)
        print(f"final save to the store took {took:.2f}s", file=out, flush=True)
    return elapsed


def input_progress(job: JobState, elapsed: float) -> dict[str, str]:
    """``{routine_id: "12.0 MB of 50.0 MB (24%), ETA 31s"}`` for routines reporting progress."""
    shown = {}
    for routine_id, state in job.routine_states.items():
        progress = state.get("progress")
        if not isinstance(progress, dict):
            continue
        done, total = progress.get("done"), progress.get("total")
        if not isinstance(done, (int, float)) or not isinstance(total, (int, float)):
            continue
        unit = progress.get("unit", "")
        text = f"{_amount(done, unit)} of {_amount(total, unit)}"
        if total > 0:
            text += f" ({100 * done / total:.0f}%)"
            if 0 < done < total:
                text += f", ETA {elapsed * (total - done) / done:.0f}s"
        if isinstance(progress.get("lines"), int):
            text += f", {progress['lines']} lines"
        shown[routine_id] = text
    return shown


def _amount(value: float, unit: str) -> str:
    if unit != "bytes":
        return f"{value:g} {unit}".strip()
    for size, name in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if value >= size:
            return f"{value / size:.1f} {name}"
    return f"{value:.0f} B"


def _draw(
    out: IO[str],
    flow_id: str,
    status: str,
    elapsed: float,
    snapshot: dict[str, tuple[int, int, int]],
    inputs: dict[str, str],
    previous: int,
) -> int:
    width = max([len(r) for r in snapshot] + [7])
    lines = [f"\x1b[1m{flow_id}\x1b[0m  {status}  {elapsed:6.1f}s"]
    for rid, (finished, running, errors) in snapshot.items():
        error_text = f"  \x1b[31m{errors} errors\x1b[0m" if errors else ""
        reading = f"  read {inputs[rid]}" if rid in inputs else ""
        lines.append(
            f"  {rid.ljust(width)}  {finished:7d} done  {running:3d} running{error_text}{reading}"
        )
    if previous:
        out.write(f"\x1b[{previous}F")
    out.write("".join(f"\x1b[2K{line}\n" for line in lines))
    out.flush()
    return len(lines)


def _routine_status(
    state: dict[str, Any], counts: tuple[int, int, int], waiting: bool, ran_before: bool
) -> str:
    """A routine's status for the summary: its recorded one (the entry's, failures), else
    from this run's activations (routine states belong to the handlers), ``waiting`` at an
    unanswered pause point; a routine this run did not activate is ``completed`` if the
    job's history shows it ran before (in the run that a resume continues), else
    ``pending``."""
    recorded = state.get("status")
    if isinstance(recorded, str):
        return recorded
    finished, running, _ = counts
    if running:
        return "running"
    if waiting:
        return "waiting"
    return "completed" if finished or ran_before else "pending"


def summary(
    job: JobState, observer: ProgressObserver, elapsed: float, **extra: Any
) -> dict[str, Any]:
    """The end-of-run summary as data (printed as text or JSON by the commands)."""
    counts = observer.snapshot()
    states = job.routine_states
    waiting = {point["routine_id"] for point in job.waiting_pause_points}
    ran = {record.routine_id for record in job.execution_history}
    routines = {
        rid: {
            "activations": counts.get(rid, (0, 0, 0))[0],
            "errors": counts.get(rid, (0, 0, 0))[2],
            "status": _routine_status(
                states.get(rid, {}), counts.get(rid, (0, 0, 0)), rid in waiting, rid in ran
            ),
            **{k: states[rid][k] for k in ("error", "traceback") if k in states.get(rid, {})},
        }
        for rid in dict.fromkeys([*counts, *states])
        if not rid.startswith("_")
    }
    result: dict[str, Any] = {
        "job_id": job.job_id,
        "flow_id": job.flow_id,
        "status": job.status,
        "duration_s": round(elapsed, 3),
        "routines": routines,
        "outputs": [
            {k: o[k] for k in ("routine_id", "output_type", "data")} for o in job.output_log
        ],
    }
    if job.status == JobStatus.PAUSED and job.pause_points:
        result["pause_reason"] = job.pause_points[-1].get("reason", "")
    result.update(extra)
    return result


def print_summary(result: dict[str, Any], out: IO[str] | None = None) -> None:
    """The summary as text."""
    out = out or sys.stdout
    print(
        f"job {result['job_id']} {result['status']} in {result['duration_s']:.2f}s "
        f"(flow {result['flow_id']})",
        file=out,
    )
    rows = result["routines"]
    if rows:
        width = max(len(r) for r in rows)
        print(f"  {'routine'.ljust(width)}  activations  errors  status", file=out)
        for rid, row in rows.items():
            print(
                f"  {rid.ljust(width)}  {row['activations']:11d}  {row['errors']:6d}  {row['status']}",
                file=out,
            )
            if row.get("error"):
                print(f"  {' ' * width}  error: {row['error']}", file=out)
            if row.get("traceback") and row["status"] == RoutineStatus.FAILED:
                for line in str(row["traceback"]).rstrip().splitlines():
                    print(f"  {' ' * width}    {line}", file=out)
    outputs = result["outputs"]
    if outputs:
        print(f"outputs ({len(outputs)}):", file=out)
        for output in outputs[-5:]:
            print(f"  [{output['routine_id']}] {output['output_type']}: {output['data']}", file=out)
    if result.get("pause_points"):
        print("waiting for answers:", file=out)
        for point in result["pause_points"]:
            fields = ", ".join(point["fields"]) or "any fields"
            print(f"  {point['id']}: {point['prompt']}  (fields: {fields})", file=out)
    elif result.get("pause_reason"):
        print(f"paused: {result['pause_reason']}", file=out)
    if result.get("interrupted"):
        print(f"interrupted: the job is {result['status']}", file=out)
    if result.get("resume_command"):
        print(f"resume with: {result['resume_command']}", file=out)
    if result.get("store"):
        print(f"store: {result['store']}", file=out)
