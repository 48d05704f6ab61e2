"""Ctrl-C in the main thread while a woken waiter takes its lock back (`locking.retake`).

A thread woken from `JobCondition.wait` (every `wait_for_completion` and `flow.run` with
a worker goes through it) or from `Scheduler._sleep` (an executor serving in the main
thread) must take its lock back before it waits again or returns. Ctrl-C arriving while
it blocks there is raised only once the lock is held again, so its ``with`` never
releases the lock that the thread which woke it holds (a threading.Lock has no owner),
which would leave the job's state, or the scheduler's ring and sleepers, unguarded.
"""

from __future__ import annotations

import inspect
import signal
import sys
import threading
import time

import pytest

from routilux import Flow, JobState, Routine
from routilux.locking import retake
from routilux.scheduler import Scheduler
from routilux.waiting import JobCondition


def _last_line_of(function, text: str) -> int:
    """The last line of `function` holding `text`: where a woken waiter takes its lock back."""
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


@pytest.mark.skipif(sys.platform == "win32", reason="signal.pthread_kill is POSIX-only")
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


@pytest.mark.skipif(sys.platform == "win32", reason="signal.pthread_kill is POSIX-only")
def test_ctrl_c_while_a_woken_main_thread_retakes_the_lock_keeps_the_lock_held_elsewhere():
    assert threading.current_thread() is threading.main_thread()
    flow = Flow(flow_id="review8-sleep", execution_strategy="concurrent", max_workers=1)
    scheduler: Scheduler = flow.get_scheduler()
    retake = _last_line_of(Scheduler._sleep, "self._lock.acquire()")
    main = threading.main_thread().ident
    interrupted = threading.Event()
    seen: dict[str, object] = {}

    def waker() -> None:
        signalled = False
        try:
            deadline = time.monotonic() + 30
            # wait for the main thread to be asleep in _sleep, and find its waiter lock
            waiter = None
            while waiter is None and time.monotonic() < deadline:
                with scheduler._lock:  # held by main until its waiter is in _sleepers
                    frame = _frame_of(main, Scheduler._sleep.__code__)
                    if frame is not None and frame.f_lineno != retake:
                        candidate = frame.f_locals.get("waiter")
                        if candidate in scheduler._sleepers:
                            waiter = candidate
                if waiter is None:
                    time.sleep(0.001)
            if waiter is None:
                seen["error"] = "main thread never slept"
                return
            with scheduler._lock:  # as add_ready does: wake it while holding the lock
                scheduler._sleepers.remove(waiter)
                waiter.release()
                # main is now blocked taking the scheduler's lock back: interrupt it there
                while time.monotonic() < deadline:
                    frame = _frame_of(main, Scheduler._sleep.__code__)
                    if frame is not None and frame.f_lineno == retake:
                        break
                    time.sleep(0.001)
                signal.pthread_kill(main, signal.SIGINT)
                signalled = True
                _until_the_interrupt_is_taken(main, interrupted)
                seen["held_while_inside_with"] = scheduler._lock.locked()
        except RuntimeError as error:  # release unlocked lock
            seen["exit_error"] = repr(error)
        except BaseException as error:  # the test's own failure: reported, never a hang
            seen["error"] = repr(error)
        finally:  # never leave the main thread asleep (a no-op once it was interrupted)
            if not signalled or not interrupted.wait(10):
                scheduler.close(wait=False)

    thread = threading.Thread(target=waker, daemon=True)
    # Ctrl-C must raise here, whatever handler an earlier test left installed
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    thread.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            scheduler.next_work()  # (returns None if the waker failed: it closes)
    finally:
        interrupted.set()
        thread.join(30)
        signal.signal(signal.SIGINT, previous)
        flow.shutdown()
    assert "error" not in seen, seen
    # the waker was still inside its `with scheduler._lock:` — the lock must be held
    assert seen.get("held_while_inside_with") is True, seen
    assert "exit_error" not in seen, seen
