"""The crash harness's job: runs (or resumes) it; the harness kills this process with SIGKILL.

python harness_runner.py start URL JOB_ID SINK STRATEGY CHECKPOINT COUNT
python harness_runner.py resume URL JOB_ID SINK STRATEGY CHECKPOINT COUNT

``start`` runs a new job with the given id; ``resume`` resumes it from the store once a
killed owner's lease has ended (or starts it again if the store never saw it, as with
``on_pause``). Writes the final JobState to ``SINK.final.json`` and prints its status.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone

from store_routines import Double, FileSink, Items

from routilux import Flow, JobClaimedError, JobNotFoundError, JobState


def build(url: str | None, sink_file: str, strategy: str, checkpoint: str) -> Flow:
    flow = Flow(
        flow_id="harness",
        store=url,
        checkpoint=checkpoint,
        execution_strategy=strategy,
        max_workers=4,
    )
    flow.add_routine(Items(), "items")
    flow.add_routine(Double(), "double")
    sink = FileSink()
    sink.set_config(path=sink_file)
    flow.add_routine(sink, "sink")
    flow.connect("items", "item", "double", "input")
    flow.connect("double", "item", "sink", "input")
    return flow


def resume(flow: Flow, job_id: str, count: int) -> JobState:
    for _ in range(100):
        try:
            return flow.resume(job_id)
        except JobClaimedError as exc:  # the killed owner's lease: wait for its end
            remaining = (exc.lease_until - datetime.now(timezone.utc)).total_seconds()
            time.sleep(min(max(remaining, 0.0) + 0.05, 10.0))
        except JobNotFoundError:  # never checkpointed (on_pause): run it again
            return flow.execute("items", {"count": count}, job_state=JobState(job_id=job_id))
    raise SystemExit(f"job {job_id} stayed claimed")


def main() -> None:
    command, url, job_id, sink, strategy, checkpoint, count = sys.argv[1:8]
    flow = build(url, sink, strategy, checkpoint)
    if command == "start":
        job = flow.execute("items", {"count": int(count)}, job_state=JobState(job_id=job_id))
    else:
        job = resume(flow, job_id, int(count))
    JobState.wait_for_completion(flow, job)
    flow.shutdown()
    job.save(f"{sink}.final.json")  # the end state, also when the store never saw the job
    print(job.status, flush=True)


if __name__ == "__main__":
    main()
