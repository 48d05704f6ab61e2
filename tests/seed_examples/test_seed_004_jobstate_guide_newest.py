"""Seed 004: the newest JobState guide (it wins where the editions disagree).

The examples it shares with the first edition (creating a JobState, history, routine
states, pause/resume/cancel, serialization, best practices, pitfalls) are run in
test_seed_000_jobstate_guide.py; this module runs what 004 adds or changes:
get_execution_context, shared data and log, output handlers, deferred events,
JobState.wait_for_completion and its error detection, the thread pool and context
variables, the concurrent scenarios, and the thread-safety notes.
"""

from __future__ import annotations

import itertools
import threading
import time
from datetime import datetime

import pytest
from seedkit import Gate, normalize

from routilux import Flow, JobState, QueueOutputHandler, Routine
from routilux.routine import _current_job_state


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        self.emit("output", data="test")


def chain(flow, *routines):
    """Add routines named r0, r1, ... and connect each 'output' to the next 'input'."""
    ids = [flow.add_routine(r, f"r{i}") for i, r in enumerate(routines)]
    for a, b in itertools.pairwise(ids):
        flow.connect(a, "output", b, "input")
    return ids


def test_get_execution_context(capsys):
    """'Using get_execution_context() for Convenient Access' (the Processor, run)."""

    class Processor(Routine):
        def __init__(self):  # added: the document shows only the handler
            super().__init__()
            self.define_slot("input", handler=self.process)

        def process(self, data=None, **kwargs):
            # Get execution context (flow, job_state, routine_id)
            ctx = self.get_execution_context()
            if ctx:
                # Update routine state
                ctx.job_state.update_routine_state(ctx.routine_id, {"processed": True})

                # Store business data
                ctx.job_state.update_shared_data("last_item", data)

                # Send output
                self.send_output("user_data", message="Processed", value=data)

    flow = Flow(flow_id="ctx")
    source_id, processor_id = chain(flow, Source(), Processor())
    job = flow.run(source_id)
    assert job.get_routine_state(processor_id) == {"processed": True}  # the handler's own
    assert job.get_shared_data("last_item") == "test"
    assert job.output_log[0]["data"] == {"message": "Processed", "value": "test"}
    assert Processor().get_execution_context() is None  # outside a run
    flow.shutdown()


def test_storing_business_data(capsys):
    """'Storing Business Data': shared_data (DataCollector) and shared_log (Logger)."""

    class DataCollector(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("input", handler=self.process)

        def process(self, data=None, **kwargs):
            ctx = self.get_execution_context()
            if ctx:
                # Store data
                ctx.job_state.update_shared_data("items", data)

                # Read data
                items = ctx.job_state.get_shared_data("items", default=[])

                # Update data
                ctx.job_state.update_shared_data("count", len(items))

    class Logger(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("input", handler=self.process)

        def process(self, data=None, **kwargs):
            ctx = self.get_execution_context()
            if ctx:
                # Append to log
                ctx.job_state.append_to_shared_log(
                    {"timestamp": datetime.now().isoformat(), "action": "process", "data": data}
                )

                # Read log
                log = ctx.job_state.get_shared_log()
                print(f"Total log entries: {len(log)}")

    flow = Flow(flow_id="business")
    source_id = flow.add_routine(Source(), "source")
    flow.add_routine(DataCollector(), "collector")
    flow.add_routine(Logger(), "logger")
    flow.connect(source_id, "output", "collector", "input")
    flow.connect(source_id, "output", "logger", "input")
    job = flow.run(source_id)
    assert job.get_shared_data("items") == "test" and job.get_shared_data("count") == 4
    assert capsys.readouterr().out == "Total log entries: 1\n"
    assert job.get_shared_log()[0]["action"] == "process"
    flow.shutdown()


def test_sending_output():
    """'Sending Output'. The document sets a handler on a JobState it never runs;
    execute(job_state=...) runs that very JobState, so its outputs reach the queue."""

    class DataProcessor(Routine):
        def __init__(self):  # added: the document shows only the handler
            super().__init__()
            self.define_slot("trigger", handler=self.process)

        def process(self, data=None, **kwargs):
            # Send output via JobState
            self.send_output("user_data", message="Processing", value=data)
            self.send_output("status", progress=50, status="in_progress")

    flow = Flow(flow_id="my_flow")
    entry_id = flow.add_routine(DataProcessor(), "processor")

    # Set output handler on JobState
    job_state = JobState(flow_id="my_flow")
    job_state.set_output_handler(QueueOutputHandler())

    # Now all send_output() calls will be sent to the queue
    flow.execute(entry_id, {"data": 7}, job_state=job_state)
    JobState.wait_for_completion(flow, job_state, timeout=5)
    queue = job_state.output_handler.queue
    received = [queue.get_nowait() for _ in range(queue.qsize())]
    assert [(o["output_type"], o["data"]) for o in received] == [
        ("user_data", {"message": "Processing", "value": 7}),
        ("status", {"progress": 50, "status": "in_progress"}),
    ]
    assert [o["output_type"] for o in job_state.output_log] == ["user_data", "status"]
    flow.shutdown()


def test_deferred_events():
    """'Deferred Events': the event is emitted when flow.resume() is called."""

    class UserInteraction(Routine):
        def __init__(self):  # added: slots and the event
            super().__init__()
            self.define_slot("trigger", handler=self.process)
            self.define_event("user_input_required", ["question"])

        def process(self, data=None, **kwargs):
            # Emit a deferred event
            self.emit_deferred_event("user_input_required", question="What is your name?")

            # Pause the execution
            ctx = self.get_execution_context()
            if ctx:
                ctx.flow.pause(ctx.job_state, reason="Waiting for user input")

    class Ask(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("input", handler=self.ask)

        def ask(self, question):
            self.send_output("asked", question=question)

    flow = Flow(flow_id="deferred")
    flow.add_routine(UserInteraction(), "interaction")
    flow.add_routine(Ask(), "ask")
    flow.connect("interaction", "user_input_required", "ask", "input")
    job_state = flow.run("interaction")
    assert job_state.status == "paused"
    assert job_state.deferred_events[0]["event_name"] == "user_input_required"

    # Later: Resume execution
    # Deferred events are automatically emitted when flow.resume() is called
    flow.resume(job_state)
    JobState.wait_for_completion(flow, job_state, timeout=5)
    assert job_state.status == "completed" and job_state.deferred_events == []
    assert job_state.output_log[0]["data"] == {"question": "What is your name?"}
    flow.shutdown()


def test_status_transition_flow(capsys):
    """'Status Transition Flow': running after execute(), then JobState.wait_for_completion.
    The source waits at a gate until the first print (so "running" is not a race)."""
    gate = Gate()

    class GatedSource(Source):
        # execute() runs the trigger in the caller's thread: the gated emission is an
        # idle slot, run on the flow's worker once the trigger has returned
        def __init__(self):
            super().__init__()
            self.define_slot("held", handler=self.release, idle=True)

        def send(self, **kwargs):
            pass

        def release(self):
            gate.wait()
            super().send()

    flow = Flow(flow_id="transitions")
    source_id = flow.add_routine(GatedSource(), "source")
    job_state = flow.execute(source_id)

    # Status starts as "running"
    print(f"Initial status: {job_state.status}")  # "running"
    gate.opened.set()

    # Wait for completion using JobState static method
    from routilux.job_state import JobState

    JobState.wait_for_completion(flow, job_state, timeout=5.0)

    # Status becomes "completed" or "failed"
    print(f"Final status: {job_state.status}")  # "completed" or "failed"
    assert capsys.readouterr().out.splitlines() == [
        "Initial status: running",
        "Final status: completed",
    ]
    assert JobState().status == "pending"  # "pending": created but not yet started
    flow.shutdown()


@pytest.mark.parametrize(
    "strategy, status, routine_status",
    [
        # "Slot handler errors are logged to execution history but are tolerated":
        # the routine's state is untouched unless its own handler STOPs (0.10's rule:
        # CONTINUE and SKIP mark only an entry routine, see tests/compat)
        (None, "completed", None),
        ("stop", "failed", "failed"),
        ("continue", "completed", None),
        ("skip", "completed", None),
    ],
)
def test_error_detection(capsys, strategy, status, routine_status):
    """'Error Detection': failed routines fail the job; error_continued, skipped and
    tolerated slot errors (only in the history) don't."""
    from routilux import ErrorHandler

    class Broken(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("input", handler=self.fail)

        def fail(self, **kwargs):
            raise RuntimeError("boom")

    flow = Flow(flow_id="errors")
    broken = Broken()
    if strategy:
        broken.set_error_handler(ErrorHandler(strategy=strategy))
    entry_routine_id, _ = chain(flow, Source(), broken)

    job_state = flow.execute(entry_routine_id)
    completed = JobState.wait_for_completion(flow, job_state, timeout=60.0)

    if job_state.status == "failed":
        # Check which routine failed
        for routine_id, routine_state in job_state.routine_states.items():
            if routine_state.get("status") == "failed":
                print(f"Routine {routine_id} failed: {routine_state.get('error')}")
    assert completed and job_state.status == status
    state = job_state.get_routine_state("r1")
    assert (state and state["status"]) == routine_status
    errors = [r.data["error"] for r in job_state.get_execution_history("r1")]
    assert errors == ["boom"]  # the slot error is in the history in every case
    expected = "Routine r1 failed: boom\n" if status == "failed" else ""
    assert capsys.readouterr().out == expected
    flow.shutdown()


def test_thread_pool_and_thread_identification(capsys):
    """'Thread Pool Management' and 'Example: Thread Identification' (thread names aside)."""
    flow = Flow(flow_id="my_flow", execution_strategy="concurrent", max_workers=5)
    entry_id = flow.add_routine(Source(), "source")
    # First execution - thread pool is created; second - reuses the same thread pool
    job_state1 = flow.execute(entry_id)
    job_state2 = flow.execute(entry_id)
    flow.wait_for_completion(timeout=5)
    assert {job_state1.status, job_state2.status} == {"completed"}
    flow.shutdown()

    class ThreadAwareRoutine(Routine):
        def __init__(self, name):
            super().__init__()
            self.name = name
            self.trigger_slot = self.define_slot("trigger", handler=self.process)

        def process(self, **kwargs):
            thread_name = threading.current_thread().name
            print(f"[{self.name}] Executing in thread: {thread_name}")

            # Access JobState via context variable (thread-safe)
            from routilux.routine import _current_job_state

            job_state = _current_job_state.get(None)
            if job_state:
                job_state.record_execution(self._id, "process", {"thread": thread_name})

    flow = Flow(flow_id="thread_demo", execution_strategy="concurrent", max_workers=2)
    routine = ThreadAwareRoutine("Processor")
    routine_id = flow.add_routine(routine, "processor")

    # Execution thread (MainThread)
    print(f"Execution thread: {threading.current_thread().name}")
    job_state = flow.execute(routine_id)
    from routilux.job_state import JobState

    JobState.wait_for_completion(flow, job_state, timeout=2.0)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Execution thread: MainThread"
    # the entry's trigger runs in the caller's thread, as in routilux 0.10 (issue 11);
    # the document's pool thread is where downstream handlers run
    assert out[1] == "[Processor] Executing in thread: MainThread"
    assert [r.event_name for r in job_state.execution_history if r.routine_id == routine._id] == [
        "process"
    ]
    flow.shutdown()


def test_scenarios_1_and_2_sequential_and_concurrent_executions():
    """'Scenario 1' (same thread) and 'Scenario 2' (5 threads sharing the pool)."""
    flow = Flow(flow_id="scenarios", execution_strategy="concurrent", max_workers=3)
    entry_id = flow.add_routine(Source(), "source")

    job_state1 = flow.execute(entry_id, entry_params={"task": "A"})
    JobState.wait_for_completion(flow, job_state1, timeout=2.0)
    job_state2 = flow.execute(entry_id, entry_params={"task": "B"})
    JobState.wait_for_completion(flow, job_state2, timeout=2.0)
    assert job_state1.job_id != job_state2.job_id
    assert job_state1 is not job_state2

    def run_execution(flow, entry_id, task_name):
        from routilux.job_state import JobState

        job_state = flow.execute(entry_id, entry_params={"task": task_name})
        JobState.wait_for_completion(flow, job_state, timeout=3.0)
        return job_state

    threads = []
    job_states = {}
    for i in range(5):
        t = threading.Thread(
            target=lambda i=i: job_states.update({i: run_execution(flow, entry_id, f"Task{i}")}),
            name=f"ExecThread{i}",
        )
        threads.append(t)
        t.start()
    for t in threads:
        t.join()

    # Verify isolation
    job_ids = {js.job_id for js in job_states.values()}
    assert len(job_ids) == 5  # Each execution has unique JobState
    for i, job in job_states.items():
        assert job.execution_history[0].data == {"task": f"Task{i}"}
    flow.shutdown()


def test_scenario_3_same_worker_thread_different_executions(capsys):
    """'Scenario 3': one worker thread runs tasks of two executions; each JobState holds
    only its own records."""

    class Source(Routine):
        def __init__(self, name):
            super().__init__()
            self.name = name
            self.trigger_slot = self.define_slot("trigger", handler=self.send)
            self.output_event = self.define_event("output", ["data"])

        def send(self, **kwargs):
            # Access JobState via context variable (thread-safe)
            from routilux.routine import _current_job_state

            job_state = _current_job_state.get(None)
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
            from routilux.routine import _current_job_state

            job_state = _current_job_state.get(None)
            if job_state:
                thread_name = threading.current_thread().name
                job_state.record_execution(self._id, "input", {"data": data, "thread": thread_name})

    flow = Flow(flow_id="isolation_test", execution_strategy="concurrent", max_workers=1)
    source1, source2 = Source("Source1"), Source("Source2")
    processor1, processor2 = Processor("Processor1"), Processor("Processor2")
    s1_id = flow.add_routine(source1, "s1")
    s2_id = flow.add_routine(source2, "s2")
    p1_id = flow.add_routine(processor1, "p1")
    p2_id = flow.add_routine(processor2, "p2")
    flow.connect(s1_id, "output", p1_id, "input")
    flow.connect(s2_id, "output", p2_id, "input")

    job_state1 = flow.execute(s1_id)
    JobState.wait_for_completion(flow, job_state1, timeout=2.0)
    job_state2 = flow.execute(s2_id)
    JobState.wait_for_completion(flow, job_state2, timeout=2.0)

    js1_routines = {r.routine_id for r in job_state1.execution_history}
    js2_routines = {r.routine_id for r in job_state2.execution_history}
    print(f"JobState 1 routines: {js1_routines}")
    print(f"JobState 2 routines: {js2_routines}")

    # No cross-contamination
    assert js1_routines & js2_routines == set() or "s1" in js1_routines
    assert "s2" in js2_routines
    # "{'s1', 'p1', ...}": the "..." are the routines' _id values the example records with
    assert js1_routines == {"s1", source1._id, processor1._id}
    assert js2_routines == {"s2", source2._id, processor2._id}
    out = capsys.readouterr().out
    assert "JobState 1 routines: {" in out and "'s1'" in out.splitlines()[0]
    flow.shutdown()


def test_thread_safety_of_jobstate_updates():
    """'Thread Safety of JobState Updates': the two methods it shows, under 10 writer
    threads x 1,000 records and 2 readers ("10 threads concurrently updating 10,000
    records: No data loss"). Ours hold the JobState's lock instead of relying on the GIL."""
    job = JobState(flow_id="threads")
    stop = threading.Event()
    seen = [[], []]

    def writer(n):
        for i in range(1000):
            job.record_execution(f"w{n}", "output", {"i": i})
            job.update_routine_state(f"w{n}", {"last": i})

    def reader(mine):
        while not stop.is_set():
            state = job.get_routine_state("w0")
            mine.append(-1 if state is None else state["last"])

    readers = [threading.Thread(target=reader, args=(seen[k],)) for k in range(2)]
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(10)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join()
    assert len(job.execution_history) == 10_000
    assert {job.get_routine_state(f"w{n}")["last"] for n in range(10)} == {999}
    for mine in seen:  # each reader saw w0's state only move forward, never torn
        assert mine == sorted(mine)


def test_reading_jobstate_while_it_runs(capsys):
    """Best practices 1, 2 and 4: reading during execution, waiting for the final state,
    and both ways of reaching the JobState from a handler."""

    class MyRoutine(Routine):
        def __init__(self):  # added: a trigger slot
            super().__init__()
            self.define_slot("trigger", handler=self.process)

        def process(self, **kwargs):
            # Method 1: Use get_execution_context() (recommended)
            ctx = self.get_execution_context()
            if ctx:
                ctx.job_state.record_execution(ctx.routine_id, "process", kwargs)
                ctx.job_state.update_routine_state(ctx.routine_id, {"status": "processing"})

            # Method 2: Access context variable directly (thread-safe)
            from routilux.routine import _current_job_state

            job_state = _current_job_state.get(None)
            if job_state:
                job_state.record_execution(self._id, "process", kwargs)

    flow = Flow(flow_id="reading")
    entry_id = flow.add_routine(MyRoutine(), "mine")
    job_state = flow.execute(entry_id, {"n": 1})

    # You can safely read JobState anytime, even during execution
    print(f"Current status: {job_state.status}")
    print(f"History so far: {len(job_state.execution_history)} records")

    JobState.wait_for_completion(flow, job_state, timeout=5.0)
    print(f"Final status: {job_state.status}")
    print(f"Final history: {len(job_state.execution_history)} records")
    out = normalize(capsys.readouterr().out).splitlines()
    assert out[0] in ("Current status: running", "Current status: completed")
    assert out[2:] == ["Final status: completed", "Final history: 3 records"]
    assert [r.event_name for r in job_state.execution_history] == ["start", "process", "process"]
    assert _current_job_state.get(None) is None  # not set outside handlers
    flow.shutdown()


def test_store_jobstate_for_each_execution(capsys):
    """Best practice 3: track ten executions, wait for all, print each status."""
    flow = Flow(flow_id="limited", execution_strategy="concurrent", max_workers=3)
    entry_id = flow.add_routine(Source(), "source")
    executions = {}
    for i in range(10):
        job_state = flow.execute(entry_id, entry_params={"task_id": i})
        executions[i] = job_state
    for job_state in executions.values():
        JobState.wait_for_completion(flow, job_state, timeout=5.0)
    for task_id, job_state in executions.items():
        print(f"Task {task_id}: {job_state.status}")
    assert capsys.readouterr().out.splitlines() == [f"Task {i}: completed" for i in range(10)]
    flow.shutdown()
