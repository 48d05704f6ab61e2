"""Errors raised where routilux 0.10 raised a built-in exception are named after that
built-in in ``type(e).__name__`` and ``repr(e)`` (0.10's programs print them), while
they stay routilux's own classes: caught by their own name, pickled as themselves,
and shown with their qualified name in tracebacks."""

from __future__ import annotations

import pickle
import traceback

import pytest

from routilux import (
    DuplicateRoutineError,
    EventNotFoundError,
    ExecutionContextError,
    Flow,
    JobState,
    JobStateError,
    Routine,
    RoutineNotFoundError,
    SlotNotFoundError,
)
from routilux.errors import JobFileNotFoundError, RoutiluxError, StoreError


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda: self.emit("out", x=1))
        self.define_event("out", ["x"])


class Sink(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=lambda x: None)


def flow_with_two() -> Flow:
    flow = Flow(flow_id="names")
    flow.add_routine(Source(), "src")
    flow.add_routine(Sink(), "sink")
    return flow


def completed_job(flow: Flow) -> JobState:
    job = flow.execute("src")
    assert JobState.wait_for_completion(flow, job, timeout=30)
    return job


CASES = [
    ("duplicate id", lambda: flow_with_two().add_routine(Sink(), "sink"),
     DuplicateRoutineError, "ValueError"),
    ("unknown source", lambda: flow_with_two().connect("nope", "out", "sink", "input"),
     RoutineNotFoundError, "ValueError"),
    ("unknown event", lambda: flow_with_two().connect("src", "nope", "sink", "input"),
     EventNotFoundError, "ValueError"),
    ("unknown slot", lambda: flow_with_two().connect("src", "out", "sink", "nope"),
     SlotNotFoundError, "ValueError"),
    ("output outside a handler", lambda: Source().send_output("result", x=1),
     ExecutionContextError, "RuntimeError"),
    ("resume a completed job", lambda: (f := flow_with_two()).resume(completed_job(f)),
     JobStateError, "ValueError"),
    ("load a missing file", lambda: JobState.load("/nonexistent/job.json"),
     JobFileNotFoundError, "FileNotFoundError"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make_error", "cls", "shown"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_named_as_the_builtin_0_10_raised_yet_our_own_class(make_error, cls, shown) -> None:
    with pytest.raises(cls) as info:
        make_error()
    error = info.value
    assert type(error).__name__ == shown
    assert repr(error).startswith(f"{shown}(")
    assert isinstance(error, RoutiluxError)
    assert type(error).__qualname__ == cls.__qualname__ != shown
    shown_line = traceback.format_exception_only(type(error), error)[0]
    assert shown_line.startswith(f"routilux.errors.{cls.__qualname__}: ")
    again = pickle.loads(pickle.dumps(error))  # as a remote worker sends it back
    assert type(again) is cls and str(again) == str(error)


def test_errors_0_10_never_raised_keep_their_own_names() -> None:
    assert StoreError.__name__ == "StoreError"
    assert type(StoreError("x")).__name__ == "StoreError"
