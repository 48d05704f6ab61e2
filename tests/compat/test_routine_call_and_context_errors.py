"""Two corners of 0.10's Routine that old programs touch.

Calling a routine instance, ``routine(**kw)``, was deprecated in 0.10 and did
nothing (without a warning): programs that still call one go on unchanged. And
``send_output`` / ``emit_deferred_event`` outside a handler raised RuntimeError,
which programs catch as such.
"""

from __future__ import annotations

import warnings

import pytest

from routilux import ExecutionContextError, Routine
from routilux.errors import message_with_notes


class Worker(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.ran: list[dict] = []
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])

    def go(self, **kw: object) -> None:
        self.ran.append(kw)


def test_calling_a_routine_does_nothing_and_warns_nothing():
    worker = Worker()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert worker(a=1) is None
    assert caught == []
    assert worker.ran == []  # its handlers run only in a job


def test_a_routines_own_call_method_still_wins():
    class Callable(Worker):
        def __call__(self, **kwargs: object) -> str:
            return "mine"

    assert Callable()() == "mine"


@pytest.mark.parametrize(
    "outside",
    [
        lambda r: r.send_output("progress", step=1),
        lambda r: r.emit_deferred_event("out", x=1),
    ],
)
def test_job_only_calls_outside_a_handler_raise_runtime_error(outside):
    with pytest.raises(RuntimeError) as raised:
        outside(Worker())
    assert isinstance(raised.value, ExecutionContextError)
    # 0.10's words, which programs print; what to do is in the note
    assert str(raised.value).endswith(
        "not in execution context. This method can only be called during flow execution."
    )
    assert "outside a running job; call it from a slot handler" in message_with_notes(raised.value)


def test_deferring_outside_a_handler_is_a_context_error_whatever_the_event():
    # 0.10 asked for the running job first: a routine without the event, called
    # outside a handler, says it is outside a job (RuntimeError), not that the event
    # is missing (ValueError); programs catch the RuntimeError
    with pytest.raises(RuntimeError) as raised:
        Worker().emit_deferred_event("no_such_event", x=1)
    assert isinstance(raised.value, ExecutionContextError)
