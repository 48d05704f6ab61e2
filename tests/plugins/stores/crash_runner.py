"""Runs (or resumes) the crash-test job; the test kills this process with SIGKILL.

python crash_runner.py start URL SINK_FILE   -> prints the job id, then runs the job
python crash_runner.py resume URL JOB_ID SINK_FILE
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone

from store_routines import FileSink, Items

from routilux import Flow, JobClaimedError, JobState

ITEMS = 499  # with the entry activation: 500 activations


def build(url: str, sink_file: str) -> Flow:
    flow = Flow(flow_id="crash", store=url, checkpoint="every_activation")
    flow.add_routine(Items(), "items")
    sink = FileSink()
    sink.set_config(path=sink_file)
    flow.add_routine(sink, "sink")
    flow.connect("items", "item", "sink", "input")
    return flow


def resume_when_free(flow: Flow, job_id: str) -> JobState:
    """Resume the job once the killed owner's lease has ended (bounded)."""
    for _ in range(100):
        try:
            return flow.resume(job_id)
        except JobClaimedError as exc:  # the killed process's lease: wait for its end
            remaining = (exc.lease_until - datetime.now(timezone.utc)).total_seconds()
            time.sleep(min(max(remaining, 0.0) + 0.05, 10.0))
    raise SystemExit(f"job {job_id} stayed claimed")


def main() -> None:
    command, url = sys.argv[1], sys.argv[2]
    if command == "start":
        flow = build(url, sys.argv[3])
        job = flow.execute("items", {"count": ITEMS})
        print(job.job_id, flush=True)
    else:
        flow = build(url, sys.argv[4])
        job = resume_when_free(flow, sys.argv[3])
    JobState.wait_for_completion(flow, job)
    print(job.status, flush=True)


if __name__ == "__main__":
    main()
