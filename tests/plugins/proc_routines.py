"""Routines for the ``processes`` executor tests: importable by worker processes."""

from __future__ import annotations

import os
import pathlib

from routilux import Routine


class Spin(Routine):
    """Writes its worker's pid to `pid_file`, then burns CPU forever."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.spin)

    def spin(self, pid_file: str) -> None:
        pathlib.Path(pid_file).write_text(str(os.getpid()))
        while True:
            pass


class Square(Routine):
    """Emits the square of `n` and reports it as an output and in shared data."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.square)
        self.define_slot("inp", self.square)
        self.define_event("out", ["n", "square", "pid"])

    def square(self, n: int) -> None:
        context = self.get_execution_context()
        assert context is not None
        context.job_state.update_shared_data(f"square_{n}", n * n)
        self.send_output("square", n=n, square=n * n)
        self.emit("out", n=n, square=n * n, pid=os.getpid())


class Exits(Routine):
    """Kills its own worker process without a word."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.exit)

    def exit(self) -> None:
        os._exit(3)
