"""Throwaway plugin distributions, written to disk the way a third party would write them.

Each is a directory with a pyproject.toml (setuptools, one module, entry points in
the ``routilux`` group). `write_distributions` creates them; the registry tests
pip-install them next to routilux in a temporary virtualenv.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "throwaway routilux plugin for the registry tests"
requires-python = ">=3.10"
dependencies = ["routilux"]

[project.entry-points.routilux]
{entry_points}

[tool.setuptools]
py-modules = ["{module}"]
"""

ACME = '''
"""acme-pack: one of each kind of plugin, under the namespace ``acme``."""

import json
import threading

import attrs

import routilux
from routilux import ErrorAction, ErrorDecision, OutputHandler, Routine

ACTIVATIONS = []  # (routine_id, slot) of every activation the acme executor ran


@attrs.define
class SquareConfig:
    power: int = 2


class Square(Routine):
    """Raise a number to a configured power."""

    config_schema = SquareConfig

    def __init__(self):
        super().__init__()
        self.define_slot("trigger", self.compute)
        self.define_slot("input", self.compute)
        self.define_event("result", ["value"])

    def compute(self, value):
        if value < 0:
            raise ValueError(f"negative input {value}")
        result = value ** self.get_config("power", 2)
        self.send_output("square", value=result)
        self.emit("result", value=result)


class LinesOutputHandler(OutputHandler):
    """Append each output to a file as one JSON line."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def handle(self, job_id, routine_id, output_type, data, timestamp=None):
        with self.lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps([routine_id, output_type, data]) + "\\n")


class CircuitBreaker:
    """Carry on past failures until `threshold` of them, then fail the job."""

    def __init__(self, error_handler):
        self.threshold = error_handler.options.get("threshold", 3)
        self.failures = 0
        self.lock = threading.Lock()

    def decide(self, failure):
        with self.lock:
            self.failures += 1
            count = self.failures
        if count >= self.threshold:
            return ErrorDecision(ErrorAction.FAIL_JOB, reason=f"circuit open after {count}")
        return ErrorDecision(ErrorAction.CONTINUE, reason=f"failure {count} of {self.threshold}")


class CountingExecutor:
    """Run activations one at a time on one thread, recording each."""

    runs_inline = False
    capacity = 1

    def __init__(self, max_workers=1):
        self.thread = None

    def start(self, source):
        def serve():
            while True:
                work = source.next_work()
                if work is None:
                    return
                ACTIVATIONS.append((work.routine_id, work.slot_name))
                work.run_here()

        self.thread = threading.Thread(target=serve, name="acme-serial", daemon=True)
        self.thread.start()

    def shutdown(self, wait=True):
        if wait and self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join()


@routilux.hookimpl
def routilux_routines():
    return {"acme.square": Square}


@routilux.hookimpl
def routilux_output_handlers():
    return {"acme.lines": LinesOutputHandler}


@routilux.hookimpl
def routilux_error_strategies():
    return {"circuit_breaker": CircuitBreaker}


@routilux.hookimpl
def routilux_executors():
    return {"acme.serial": CountingExecutor}
'''

SIDEFX = '''
"""sidefx-pack: importing it leaves a mark, so a test can tell whether it was imported."""

import os

import routilux
from routilux import Routine

with open(os.environ["SIDEFX_MARKER"], "a", encoding="utf-8") as marker:
    marker.write("imported\\n")


class Noop(Routine):
    """Do nothing."""


@routilux.hookimpl
def routilux_routines():
    return {"sidefx.noop": Noop}
'''

DUP = '''
"""{name}: registers ``dup.thing``, as does another distribution."""

import routilux
from routilux import Routine


class Thing(Routine):
    """A thing from {name}."""


@routilux.hookimpl
def routilux_routines():
    return {{"dup.thing": Thing}}
'''

BROKEN = '''
"""broken-pack: fails on import, as a plugin with a missing dependency would."""

raise RuntimeError("broken-pack needs a licence key")
'''

WATCH = '''
"""watch-pack: an observer plugin (entry point ``observers.watch``) logging to a file."""

import json
import os

import routilux


def _log(*event):
    with open(os.environ["WATCH_LOG"], "a", encoding="utf-8") as out:
        out.write(json.dumps(event) + "\\n")


@routilux.hookimpl
def routilux_job_started(job_state):
    _log("job_started", job_state.job_id)


@routilux.hookimpl
def routilux_routine_finished(routine_id, slot, error):
    _log("routine_finished", routine_id, slot, None if error is None else str(error))


@routilux.hookimpl
def routilux_job_finished(job_state):
    _log("job_finished", job_state.job_id, job_state.status)
'''

TYPO = '''
"""typo-pack: an observer plugin whose hook name is misspelled (refused when loaded)."""

import routilux


@routilux.hookimpl
def routilux_job_startd(job_state):
    raise AssertionError("a hook that does not exist must never be called")
'''

FUTURE = '''
"""future-pack: needs a plugin API newer than any routilux serves (refused when loaded)."""

import routilux
from routilux import Routine

ROUTILUX_PLUGIN_API = 99


class Thing(Routine):
    """A thing from the future."""


@routilux.hookimpl
def routilux_routines():
    return {"future.thing": Thing}
'''

DISTRIBUTIONS = {
    "acme-pack": ("acme_pack", ACME, ["acme", "circuit_breaker"]),
    "sidefx-pack": ("sidefx_pack", SIDEFX, ["sidefx"]),
    "dup-one": ("dup_one", DUP.format(name="dup-one"), ["dup"]),
    "dup-two": ("dup_two", DUP.format(name="dup-two"), ["dup"]),
    "broken-pack": ("broken_pack", BROKEN, ["broken"]),
    "watch-pack": ("watch_pack", WATCH, ["observers.watch"]),
    "typo-pack": ("typo_pack", TYPO, ["observers.typo"]),
    "future-pack": ("future_pack", FUTURE, ["future"]),
}


def write_distributions(root: Path) -> list[Path]:
    """Write every throwaway distribution under `root`; returns their directories."""
    paths = []
    for name, (module, source, entry_points) in DISTRIBUTIONS.items():
        path = root / name
        path.mkdir(parents=True)
        eps = "\n".join(f'"{ep}" = "{module}"' for ep in entry_points)
        (path / "pyproject.toml").write_text(
            PYPROJECT.format(name=name, version="1.2.3", module=module, entry_points=eps),
            encoding="utf-8",
        )
        (path / f"{module}.py").write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
        paths.append(path)
    return paths
