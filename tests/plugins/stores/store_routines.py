"""Routines shared by the store tests (importable by their subprocesses)."""

from __future__ import annotations

import os
import threading

from routilux import Routine

#: Set by tests to block an entry handler until they release it.
GATES: dict[str, threading.Event] = {}
#: Set by the entry handler when it starts waiting at its gate.
ARRIVED: dict[str, threading.Event] = {}


class Items(Routine):
    """Emits items 0..count-1 on "item"."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("item", ["n"])

    def send(self, count: int = 3, gate: str = "") -> None:
        if gate:
            ARRIVED.setdefault(gate, threading.Event()).set()
            if not GATES[gate].wait(30):  # a test that never opens it waits for nothing
                raise TimeoutError(f"the test never opened the gate {gate!r}")
        for n in range(count):
            self.emit("item", n=n)


class Double(Routine):
    """Emits 2*n for each n."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.double)
        self.define_event("item", ["n"])

    def double(self, n: int) -> None:
        self.emit("item", n=2 * n)


class FileSink(Routine):
    """Appends each n to the file named in its config ("path"), one line each.

    The line is written before the activation completes: a crash between the
    write and the checkpoint makes the item reach the sink again on resume.
    """

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.write)

    def write(self, n: int) -> None:
        with open(self.get_config("path"), "a", encoding="utf-8") as handle:
            handle.write(f"{n}\n")
            handle.flush()
            os.fsync(handle.fileno())
