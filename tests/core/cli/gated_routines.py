"""Routines for the claim tests of ``routilux resume``, imported by the command's
processes (``python -c "import gated_routines; ...cli.main()"``).

`Send` emits ``count`` items; `GatedSink` appends each to the file ``$GATED_SINK``
once the file ``$GATED_GATE`` exists, so a test can hold a job running (and its
claim held) for as long as it needs, and then let it finish.
"""

from __future__ import annotations

import os
import time

from routilux import Routine


class Send(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("item", ["n"])

    def send(self, count: int = 3) -> None:
        for n in range(count):
            self.emit("item", n=n)


class GatedSink(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.write)

    def write(self, n: int) -> None:
        deadline = time.monotonic() + 300
        while not os.path.exists(os.environ["GATED_GATE"]):  # the test opens the gate
            if time.monotonic() > deadline:
                raise TimeoutError("the gate was never opened")
            time.sleep(0.01)
        with open(os.environ["GATED_SINK"], "a", encoding="utf-8") as handle:
            handle.write(f"{n}\n")
