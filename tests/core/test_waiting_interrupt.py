"""Ctrl-C in the main thread just after a notify, while `JobCondition.wait` (every
`wait_for_completion` and `flow.run` with a worker goes through it) takes the job's lock
back from the thread that notified, is raised only once the lock is held again: the
waiter's ``with`` never releases the job lock that the other thread holds."""

from __future__ import annotations

import inspect
import signal
import sys
import threading
import time

import pytest

from routilux import Flow, JobState, Routine
from routilux.locking import retake
from routilux.waiting import JobCondition


def _last_line_of(function, text: str) -> int:
    lines, first = inspect.getsourcelines(function)
    found = [first + i for i, line in enumerate(lines) if text in line]
    assert found, text
    return found[-1]


def _frame_of(thread_id: int, code):
    frame = sys._current_frames().get(thread_id)
    while frame is not None and frame.f_code is not code:
        frame = frame.f_back
    return frame


def _until_the_interrupt_is_taken(main: int, interrupted: threading.Event) -> None:
    """Until the main thread took the SIGINT: it raised (`interrupted` is set), or it
    keeps the KeyboardInterrupt while it takes the lock back (in `retake`)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not interrupted.is_set():
        if _frame_of(main, retake.__code__) is not None:
            return
        time.sleep(0.001)


class Blocks(Routine):
    def __init__(self, gate: threading.Event) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda **kw: self.emit("go"))
        self.define_slot("hold", handler=lambda **kw: gate.wait(60))
        self.define_event("go")


@pytest.mark.skipif(sys.platform == "win32", reason="pthread_kill")
def test_ctrl_c_in_wait_for_completion_after_a_notify_keeps_the_job_lock_held_elsewhere():
    assert threading.current_thread() is threading.main_thread()
    gate = threading.Event()
    flow = Flow(flow_id="review8-wait", execution_strategy="concurrent", max_workers=2)
    flow.add_routine(Blocks(gate), "b")
    flow.connect("b", "go", "b", "hold")
    job = flow.execute("b")
    retake = _last_line_of(JobCondition.wait, "self._lock.acquire()")
    code = JobCondition.wait.__code__
    main = threading.main_thread().ident
    interrupted = threading.Event()
    seen: dict[str, object] = {}

    def notifier() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _frame_of(main, code) is None:
            time.sleep(0.001)
        try:
            with job.lock:  # as every status change does: notify with the job's lock held
                job.condition().notify_all()
                while time.monotonic() < deadline:
                    frame = _frame_of(main, code)
                    if frame is not None and frame.f_lineno == retake:
                        break
                    time.sleep(0.001)
                signal.pthread_kill(main, signal.SIGINT)
                _until_the_interrupt_is_taken(main, interrupted)
                seen["held_while_inside_with"] = job.lock.locked()
        except RuntimeError as error:  # release unlocked lock
            seen["exit_error"] = repr(error)

    thread = threading.Thread(target=notifier, daemon=True)
    # Ctrl-C must raise here, whatever handler an earlier test left installed
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    thread.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            JobState.wait_for_completion(flow, job, timeout=60)
    finally:
        interrupted.set()
        thread.join(30)
        signal.signal(signal.SIGINT, previous)
        gate.set()
        JobState.wait_for_completion(flow, job, timeout=60)
        flow.shutdown()
    assert seen.get("held_while_inside_with") is True, seen
    assert "exit_error" not in seen, seen
