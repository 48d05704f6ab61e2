"""The jobs, flows and helper processes the store conformance checks use.

`sample_job` gives a real JobState with every kind of saved data (history,
routine states, shared data, logs, outputs, and when paused, pending
activations and deferred events); store tests outside the suite use it too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from ..flow import Flow
from ..job_state import JobState
from ..routine import Routine
from ..store import JobStore, open_store


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("item", ["n"])

    def send(self, count: int = 3, pause: bool = False) -> None:
        ctx = self.get_execution_context()
        assert ctx is not None
        for n in range(count):
            self.emit("item", n=n)
        ctx.job_state.update_shared_data("sent", count)
        ctx.job_state.append_to_shared_log({"sent": count})
        self.send_output("progress", sent=count)
        if pause:
            self.emit_deferred_event("item", n=-1)
            ctx.flow.pause(ctx.job_state, reason="conformance")


class Sink(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take, merge_strategy="append")

    def take(self, n: list[int]) -> None:
        ctx = self.get_execution_context()
        assert ctx is not None
        ctx.job_state.update_routine_state(ctx.routine_id, {"seen": n})


def history_flow(store: JobStore, keep: int, flow_id: str = "history") -> Flow:
    """A source -> sink flow that checkpoints every activation and keeps `keep` of them."""
    flow = Flow(flow_id=flow_id, store=store, checkpoint="every_activation", keep_checkpoints=keep)
    flow.add_routine(Source(), "source")
    flow.add_routine(Sink(), "sink")
    flow.connect("source", "item", "sink", "input")
    return flow


def sample_job(flow_id: str = "conformance", count: int = 3, pause: bool = False) -> JobState:
    """A real JobState with history, routine states, shared data, logs, outputs and,
    when `pause`, pending activations and deferred events."""
    flow = Flow(flow_id=flow_id)
    flow.add_routine(Source(), "source")
    flow.add_routine(Sink(), "sink")
    flow.connect("source", "item", "sink", "input")
    job = flow.run("source", {"count": count, "pause": pause})
    job.update_metadata(owner="conformance")
    flow.shutdown()
    return job


def with_params(url: str, **params: str) -> str:
    """`url` with query parameters added."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}{'&' if '?' in url else '?'}{query}"


def same_space(store: JobStore) -> JobStore:
    """A second store on the same data in this process (same URL)."""
    return open_store(store.url)


CLAIMER = textwrap.dedent(
    """
    import sys
    from routilux import JobClaimedError, open_store
    store = open_store(sys.argv[1])
    try:
        store.claim(sys.argv[2])
        print("won", store.owner, flush=True)
    except JobClaimedError as exc:
        print("lost", exc.owner, flush=True)
    sys.stdin.read()  # hold the claim until the test closes stdin (or kills us)
    store.close()
    """
)


def claimer(url: str, job_id: str) -> subprocess.Popen[str]:
    """A process that tries to claim `job_id` and prints ``won OWNER`` or ``lost HOLDER``."""
    return subprocess.Popen(
        [sys.executable, "-c", CLAIMER, url, job_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
