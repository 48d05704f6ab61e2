"""A bounded crash harness for job stores: SIGKILL a job's process at random points,
resume it from another process each time, and check what a user relies on.

`run_trial` runs one job (``items`` -> ``double`` -> a sink that appends each value to
a file, a side effect outside routilux) in a child process, kills it with SIGKILL after
a random number of side effects, resumes it in a new process (once the killed owner's
lease has ended), and so on ``kills`` times; then it checks:

- no wrong result: the job completes, every item reached the sink, and its history
  (as a multiset) is the one of an uninterrupted run of the same input;
- no regressed checkpoint: the stored checkpoint sequence never went down between kills;
- with ``every_activation``, at most one repeated side effect per kill.

Used by routilux's own tests over every store x strategy x checkpoint policy, and by
`StoreConformance` (one trial), so a third-party store inherits it. The child process
is ``python -m routilux.crash_harness start|resume URL JOB_ID SINK STRATEGY CHECKPOINT
COUNT``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import attrs

from .errors import JobClaimedError, JobNotFoundError
from .flow import Flow
from .job_state import JobState, JobStatus
from .routine import Routine
from .store import open_store


class HarnessItems(Routine):
    """Emits 0..count-1 on ``item``."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("item", ["n"])

    def send(self, count: int = 3) -> None:
        for n in range(count):
            self.emit("item", n=n)


class HarnessDouble(Routine):
    """Emits 2*n for each n."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.double)
        self.define_event("item", ["n"])

    def double(self, n: int) -> None:
        self.emit("item", n=2 * n)


class HarnessSink(Routine):
    """Appends each n to the file of its ``path`` config (fsynced): a side effect done
    before the activation completes, so a kill after it repeats it on resume."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.write)

    def write(self, n: int) -> None:
        with open(self.get_config("path"), "a", encoding="utf-8") as handle:
            handle.write(f"{n}\n")
            handle.flush()
            os.fsync(handle.fileno())


def build(url: str | None, strategy: str, checkpoint: str, sink: str) -> Flow:
    """The harness's flow on the store at `url`, its sink writing to the file `sink`."""
    flow = Flow(
        flow_id="crash-harness",
        store=url,
        checkpoint=checkpoint,
        execution_strategy=strategy,
        max_workers=4,
    )
    flow.add_routine(HarnessItems(), "items")
    flow.add_routine(HarnessDouble(), "double")
    writer = HarnessSink()
    writer.set_config(path=sink)
    flow.add_routine(writer, "sink")
    flow.connect("items", "item", "double", "input")
    flow.connect("double", "item", "sink", "input")
    return flow


def _resume(flow: Flow, job_id: str, count: int) -> JobState:
    for _ in range(100):
        try:
            return flow.resume(job_id)
        except JobClaimedError as exc:  # the killed owner's lease: wait for its end
            remaining = (exc.lease_until - datetime.now(timezone.utc)).total_seconds()
            time.sleep(min(max(remaining, 0.0) + 0.05, 10.0))
        except JobNotFoundError:  # never checkpointed (on_pause): run it again
            return flow.execute("items", {"count": count}, job_state=JobState(job_id=job_id))
    raise SystemExit(f"job {job_id} stayed claimed")


def main(argv: list[str]) -> None:
    """The child process: start or resume the job, then write its end state."""
    command, url, job_id, sink, strategy, checkpoint, count = argv
    flow = build(url, strategy, checkpoint, sink)
    if command == "start":
        job = flow.execute("items", {"count": int(count)}, job_state=JobState(job_id=job_id))
    else:
        job = _resume(flow, job_id, int(count))
    JobState.wait_for_completion(flow, job)
    flow.shutdown()
    job.save(f"{sink}.final.json")  # the end state, also when the store never saw the job
    print(job.status, flush=True)


# ------------------------------------------------------------------ the trial


@attrs.frozen
class TrialResult:
    """What one trial saw: kills done, stored sequences after each, repeats."""

    kills: int
    sequences: list[int]
    repeated: int


def sink_lines(path: Path) -> list[int]:
    """The values the sink has written so far."""
    if not path.exists():
        return []
    return [int(line) for line in path.read_text().split("\n") if line.strip()]


def _child(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "routilux.crash_harness", *args],
        stdout=subprocess.PIPE,
        text=True,
    )


def _kill_at_random(
    proc: subprocess.Popen[str], sink: Path, items: int, rng: random.Random
) -> bool:
    """SIGKILL `proc` after a random number of new sink lines; False if it ended first."""
    target = len(sink_lines(sink)) + rng.randint(0, max(items // 3, 1))
    deadline = time.monotonic() + 120
    while len(sink_lines(sink)) < target:
        if proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            raise AssertionError("the job made no progress for 120 s")
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.01))
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def _stored(url: str, job_id: str) -> JobState | None:
    with open_store(url) as store:
        try:
            return store.load(job_id)
        except JobNotFoundError:
            return None


def history_multiset(job: JobState) -> Counter[tuple[str, str, tuple[tuple[str, object], ...]]]:
    """A job's history without order or timestamps."""
    return Counter(
        (r.routine_id, r.event_name, tuple(sorted(r.data.items()))) for r in job.execution_history
    )


def uninterrupted(strategy: str, items: int, workdir: Path) -> JobState:
    """The same job run without a store or a kill."""
    flow = build(None, strategy, "on_finish", str(workdir / "uninterrupted-sink.txt"))
    job = flow.run("items", {"count": items})
    flow.shutdown()
    return job


def run_trial(
    url: str,
    strategy: str,
    checkpoint: str,
    workdir: Path,
    rng: random.Random,
    items: int = 40,
    kills: int = 2,
) -> TrialResult:
    """One job killed up to `kills` times and resumed; raises AssertionError on a wrong
    result, a regressed checkpoint or (every_activation) more than one repeat per kill.
    `url` should carry a short ``lease`` (e.g. ``?lease=0.5``): each resume waits for the
    killed owner's lease to end."""
    job_id = f"harness-{rng.getrandbits(64):016x}"
    sink = workdir / f"{job_id}.sink"
    args = [url, job_id, str(sink), strategy, checkpoint, str(items)]
    proc = _child(["start", *args])
    done, sequences = 0, [0]
    while True:
        if done < kills and _kill_at_random(proc, sink, items, rng):
            done += 1
            stored = _stored(url, job_id)
            sequences.append(0 if stored is None else stored.checkpoint_seq)
            if stored is not None and stored.status == JobStatus.COMPLETED:
                final = stored  # killed after its last checkpoint: nothing to resume
                break
            proc = _child(["resume", *args])
            continue
        out, _ = proc.communicate(timeout=300)
        if not out.strip().endswith("completed"):
            raise AssertionError(f"the job did not complete: {out!r}")
        final = JobState.load(f"{sink}.final.json")
        break
    stored = _stored(url, job_id)
    sequences.append(0 if stored is None else stored.checkpoint_seq)
    if sequences != sorted(sequences):
        raise AssertionError(f"a stored checkpoint regressed: sequences {sequences}")
    if checkpoint == "on_pause":
        if stored is not None:
            raise AssertionError("with on_pause a job that never paused was stored")
    elif stored is None or stored.serialize() != final.serialize():
        raise AssertionError("the store does not hold the job's end state")
    delivered = sink_lines(sink)
    if final.status != JobStatus.COMPLETED or final.pending_tasks:
        raise AssertionError(f"the job ended {final.status} with {final.pending_tasks}")
    if set(delivered) != {2 * n for n in range(items)}:
        raise AssertionError(f"items lost: {sorted(set(range(0, 2 * items, 2)) - set(delivered))}")
    repeated = len(delivered) - items
    if checkpoint == "every_activation" and repeated > done:
        raise AssertionError(f"{repeated} repeated side effects after {done} kills")
    reference = uninterrupted(strategy, items, workdir)
    if history_multiset(final) != history_multiset(reference):
        raise AssertionError("the resumed job's history differs from an uninterrupted run's")
    return TrialResult(done, sequences, repeated)


if __name__ == "__main__":
    main(sys.argv[1:])
