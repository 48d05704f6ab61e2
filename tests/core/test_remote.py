"""core/remote.py, driven by a small executor that pickles each activation and runs it
in a thread of its own, as a distributed executor would on another machine."""

from __future__ import annotations

import pickle
import threading

import routilux
from routilux import Flow, JobState, Routine
from routilux.remote import RemoteHandlerError, RemoteUnavailable


class PicklingExecutor:
    runs_inline = False
    capacity = 4

    def __init__(self, max_workers=4):
        self.thread = None

    def start(self, source):
        self.thread = threading.Thread(target=self._dispatch, args=(source,), daemon=True)
        self.thread.start()

    def _dispatch(self, source):
        while (work := source.next_work()) is not None:
            try:
                shipped = pickle.dumps(work.remote())
            except RemoteUnavailable:
                continue
            except Exception as exc:  # cannot be shipped: the activation fails
                work.lost(exc)
                continue
            threading.Thread(target=self._run, args=(work, shipped), daemon=True).start()

    def _run(self, work, shipped):
        outcome = pickle.loads(shipped).run()  # "on the worker"
        work.complete(pickle.loads(pickle.dumps(outcome)))

    def shutdown(self, wait=True):
        if wait and self.thread is not None:
            self.thread.join()


class Plugin:
    @routilux.hookimpl
    def routilux_executors(self):
        return {"pickling": PicklingExecutor}


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("n", ["n"])

    def send(self, count):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("seen", "before dispatch")
        for n in range(count):
            self.emit("n", n=n)


class Worker(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.work)
        self.define_event("done", ["n"])

    def work(self, n):
        ctx = self.get_execution_context()
        seen = ctx.job_state.get_shared_data("seen")  # the state as of dispatch
        ctx.job_state.update_shared_data(f"saw-{n}", seen)
        ctx.job_state.append_to_shared_log({"n": n})
        self.send_output("progress", n=n)
        self.emit("done", n=n)
        ctx.job_state.update_routine_state(ctx.routine_id, {"last": n})
        if n == 99:
            ctx.flow.pause(ctx.job_state, reason="from a worker", checkpoint={"at": n})


def test_effects_come_back_in_order_and_reads_see_the_dispatch_snapshot(routilux_plugin):
    routilux_plugin(Plugin())
    flow = Flow(flow_id="remote", execution_strategy="pickling")
    flow.add_routine(Source(), "source")
    flow.add_routine(Worker(), "worker")
    flow.connect("source", "n", "worker", "input")
    job = flow.execute("source", {"count": 3})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed"
    assert {job.get_shared_data(f"saw-{n}") for n in range(3)} == {"before dispatch"}
    assert sorted(e["n"] for e in job.get_shared_log()) == [0, 1, 2]
    assert sorted(o["data"]["n"] for o in job.output_log) == [0, 1, 2]
    assert [r.event_name for r in job.get_execution_history("worker")].count("done") == 3
    state = job.get_routine_state("worker")
    assert state["last"] in (0, 1, 2)  # the handler's own state, as it wrote it
    flow.shutdown()


def test_a_pause_requested_by_a_remote_handler_pauses_the_job(routilux_plugin):
    routilux_plugin(Plugin())
    flow = Flow(flow_id="remote-pause", execution_strategy="pickling")
    flow.add_routine(Source(), "source")
    flow.add_routine(Worker(), "worker")
    flow.connect("source", "n", "worker", "input")
    job = flow.execute("source", {"count": 100})
    assert JobState.wait_for_completion(flow, job, timeout=60)
    assert job.status == "paused"
    assert job.pause_points[-1]["reason"] == "from a worker"
    assert set(job.pause_points[-1]["checkpoint"]) == {"at"}  # routilux 0.10's checkpoint=
    flow.shutdown()


RELEASE = threading.Event()
LATE: list[str] = []
LATE_DONE = threading.Event()


class Hangs(Routine):
    """Reports an output, then blocks until RELEASE; then tries to emit."""

    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.hang, timeout=0.2)
        self.define_event("out", [])

    def hang(self):
        self.send_output("before", n=1)
        RELEASE.wait(60)
        try:
            self.emit("out")
        except routilux.ExecutionContextError:
            LATE.append("refused")
        LATE_DONE.set()


def test_a_remote_handler_past_its_timeout_fails_keeping_what_it_did_before(routilux_plugin):
    routilux_plugin(Plugin())
    flow = Flow(flow_id="remote-timeout", execution_strategy="pickling")
    flow.add_routine(Hangs(), "hangs")
    job = flow.run("hangs", timeout=60)
    assert job.status == "failed"
    assert "hangs.trigger timed out after 0.2s" in job.get_routine_state("hangs")["error"]
    assert [o["output_type"] for o in job.output_log] == ["before"]
    RELEASE.set()
    assert LATE_DONE.wait(60)
    assert LATE == ["refused"]
    flow.shutdown()


def test_a_remote_handler_error_travels_back_from_the_worker():
    error = RemoteHandlerError("Unpicklable", "boom", "Traceback ...")
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.type_name, again.remote_traceback) == (
        "Unpicklable: boom",
        "Unpicklable",
        "Traceback ...",
    )


class RemoteAsk(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.ask)
        self.define_event("answer", ["n", "ok"])

    def ask(self, n):
        if n == 1:
            self.pause_for_input("answer", {"n": n}, prompt="ok?", fields=["ok"])


def test_a_pause_point_made_by_a_remote_handler_waits_for_its_answer(routilux_plugin):
    routilux_plugin(Plugin())
    flow = Flow(flow_id="remote-ask", execution_strategy="pickling")
    flow.add_routine(Source(), "source")
    flow.add_routine(RemoteAsk(), "ask")
    flow.add_routine(Worker(), "worker")
    flow.connect("source", "n", "ask", "input")
    flow.connect("ask", "answer", "worker", "input")
    job = flow.execute("source", {"count": 3})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "paused"
    assert [(p["id"], p["routine_id"], p["fields"]) for p in job.waiting_pause_points] == [
        ("ask", "ask", ["ok"])
    ]
    flow.resume(job, answers={"ask": {"ok": "yes"}})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed" and [o["data"]["n"] for o in job.output_log] == [1]
    flow.shutdown()


class EmitsThroughTheEvent(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.work)
        self.out = self.define_event("done", ["n"])

    def work(self, n):
        self.out.emit(n=n)  # delivered, not recorded (as routilux 0.10's Event.emit)
        self.emit("done", n=n + 100)


def test_a_remote_event_emit_is_delivered_but_not_recorded(routilux_plugin):
    routilux_plugin(Plugin())
    flow = Flow(flow_id="remote-event-emit", execution_strategy="pickling")
    flow.add_routine(Source(), "source")
    flow.add_routine(EmitsThroughTheEvent(), "worker")
    flow.add_routine(Worker(), "sink")
    flow.connect("source", "n", "worker", "input")
    flow.connect("worker", "done", "sink", "input")
    job = flow.execute("source", {"count": 1})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed"
    assert [r.data for r in job.get_execution_history("worker")] == [{"n": 100}]
    assert sorted(e["n"] for e in job.get_shared_log()) == [0, 100]  # both arrived
    flow.shutdown()
