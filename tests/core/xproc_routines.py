"""Routines for the cross-process resume test (imported by its subprocess too)."""

from __future__ import annotations

from routilux import Routine


class Ask(Routine):
    """Stores a deferred event with the question and pauses the job."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.ask)
        self.define_event("answered", ["question", "n"])

    def ask(self, question: str, n: int) -> None:
        ctx = self.get_execution_context()
        assert ctx is not None
        ctx.job_state.update_shared_data("asked", question)
        self.emit_deferred_event("answered", question=question, n=n)
        ctx.flow.pause(ctx.job_state, reason="waiting")


class Collect(Routine):
    """Accumulates n values (append merge) and outputs the running total."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.collect, merge_strategy="append")

    def collect(self, n: list[int], **_: object) -> None:
        self.send_output("total", total=sum(n))
