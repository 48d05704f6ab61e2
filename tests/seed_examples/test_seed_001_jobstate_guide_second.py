"""Seed 001: the JobState guide's second edition.

Its examples are those of the first edition (test_seed_000_...) plus those the newest
edition rewrote (test_seed_004_...: get_execution_context, shared data, outputs,
deferred events, the scenarios). What remains here are the examples written against
the thread-local API this edition describes (``routine._current_flow`` and
``flow._current_execution_job_state``), which 004 replaced by a context variable
(``routilux.routine._current_job_state``). We follow 004: the old attributes do not
exist, so these examples run but their ``if flow:`` branches do nothing, and the
records they meant to add are made by the 004 versions instead.
"""

from __future__ import annotations

import threading
import time

from routilux import Flow, JobState, Routine


def test_thread_identification_with_the_thread_local_api(capsys):
    """'Example: Thread Identification' (001 version): the print is what matters."""

    class ThreadAwareRoutine(Routine):
        def __init__(self, name):
            super().__init__()
            self.name = name
            self.trigger_slot = self.define_slot("trigger", handler=self.process)

        def process(self, **kwargs):
            thread_name = threading.current_thread().name
            print(f"[{self.name}] Executing in thread: {thread_name}")

            # Access JobState via thread-local storage
            flow = getattr(self, "_current_flow", None)
            if flow:
                job_state = getattr(flow._current_execution_job_state, "value", None)
                if job_state:
                    job_state.record_execution(self._id, "process", {"thread": thread_name})

    flow = Flow(flow_id="thread_demo", execution_strategy="concurrent", max_workers=2)
    routine = ThreadAwareRoutine("Processor")
    routine_id = flow.add_routine(routine, "processor")

    # Execution thread (MainThread)
    print(f"Execution thread: {threading.current_thread().name}")
    job_state = flow.execute(routine_id)
    flow.wait_for_completion(timeout=2.0)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Execution thread: MainThread"
    # The document prints a pool thread here; routilux 0.10 ran the entry's trigger in
    # the caller's thread, and issue 11 keeps 0.10's behaviour (downstream handlers run
    # on the pool: see test_seed_004's thread identification).
    assert lines[1] == "[Processor] Executing in thread: MainThread"
    assert not hasattr(routine, "_current_flow")  # 004's context variable replaced it
    assert job_state.status == "completed"
    flow.shutdown()


def test_scenario_3_with_the_thread_local_api(capsys):
    """'Scenario 3' (001 version). Its own assertions hold; its expected output
    "{'s1', 'p1', ...}" needs the records the 004 version makes (see test_seed_004)."""

    class Source(Routine):
        def __init__(self, name):
            super().__init__()
            self.name = name
            self.trigger_slot = self.define_slot("trigger", handler=self.send)
            self.output_event = self.define_event("output", ["data"])

        def send(self, **kwargs):
            flow = getattr(self, "_current_flow", None)
            if flow:
                job_state = getattr(flow._current_execution_job_state, "value", None)
                if job_state:
                    thread_name = threading.current_thread().name
                    job_state.record_execution(
                        self._id, "output", {"data": f"from {self.name}", "thread": thread_name}
                    )
            time.sleep(0.1)  # Simulate work
            self.emit("output", data=f"from {self.name}")

    class Processor(Routine):
        def __init__(self, name):
            super().__init__()
            self.name = name
            self.input_slot = self.define_slot("input", handler=self.process)

        def process(self, data=None, **kwargs):
            flow = getattr(self, "_current_flow", None)
            if flow:
                job_state = getattr(flow._current_execution_job_state, "value", None)
                if job_state:
                    thread_name = threading.current_thread().name
                    job_state.record_execution(
                        self._id, "input", {"data": data, "thread": thread_name}
                    )

    flow = Flow(flow_id="isolation_test", execution_strategy="concurrent", max_workers=1)
    s1_id = flow.add_routine(Source("Source1"), "s1")
    s2_id = flow.add_routine(Source("Source2"), "s2")
    p1_id = flow.add_routine(Processor("Processor1"), "p1")
    p2_id = flow.add_routine(Processor("Processor2"), "p2")
    flow.connect(s1_id, "output", p1_id, "input")
    flow.connect(s2_id, "output", p2_id, "input")

    job_state1 = flow.execute(s1_id)
    flow.wait_for_completion(timeout=2.0)
    job_state2 = flow.execute(s2_id)
    flow.wait_for_completion(timeout=2.0)

    js1_routines = {r.routine_id for r in job_state1.execution_history}
    js2_routines = {r.routine_id for r in job_state2.execution_history}
    print(f"JobState 1 routines: {js1_routines}")
    print(f"JobState 2 routines: {js2_routines}")

    # No cross-contamination
    assert js1_routines & js2_routines == set() or "s1" in js1_routines
    assert "s2" in js2_routines
    assert capsys.readouterr().out == "JobState 1 routines: {'s1'}\nJobState 2 routines: {'s2'}\n"
    # only the entry gets an engine-written state (processors write none, as in 0.10)
    assert set(job_state1.routine_states) == {"s1"}
    assert set(job_state2.routine_states) == {"s2"}
    flow.shutdown()


def test_use_thread_local_storage_correctly():
    """'Use Thread-Local Storage Correctly' (001): runs; 004's Method 1/2 replace it."""

    class MyRoutine(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=self.process)

        def process(self, **kwargs):
            flow = getattr(self, "_current_flow", None)
            if flow:
                job_state = getattr(flow._current_execution_job_state, "value", None)
                if job_state:
                    job_state.record_execution(self._id, "process", kwargs)
                    job_state.update_routine_state(self._id, {"status": "processing"})

    flow = Flow(flow_id="thread_local")
    flow.add_routine(MyRoutine(), "mine")
    job = flow.run("mine")
    assert job.status == "completed"
    assert [r.event_name for r in job.execution_history] == ["start"]
    flow.shutdown()


def test_thread_pool_sharing_limits_total_workers():
    """'Understand Thread Pool Sharing': max_workers bounds the handlers running at once
    across all executions of the flow."""
    running = []
    peak = []
    lock = threading.Lock()
    release = threading.Event()

    class Work(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=self.work)

        def work(self, **kwargs):
            with lock:
                running.append(1)
                peak.append(len(running))
            release.wait(10)
            with lock:
                running.pop()

    class Kick(Routine):  # execute() runs the entry here; Work runs on the pool
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=lambda: self.emit("go"))
            self.define_event("go")

    # Limit total concurrent tasks across all executions
    flow = Flow(flow_id="limited", execution_strategy="concurrent", max_workers=3)
    entry_id = flow.add_routine(Kick(), "kick")
    flow.add_routine(Work(), "work")
    flow.connect("kick", "go", "work", "trigger")
    jobs = [flow.execute(entry_id) for _ in range(10)]
    JobState.wait_until_condition(flow, jobs[0], lambda f, j: len(peak) >= 3, timeout=10)
    release.set()
    assert flow.wait_for_completion(timeout=10)
    assert max(peak) == 3
    assert {j.status for j in jobs} == {"completed"}
    flow.shutdown()
