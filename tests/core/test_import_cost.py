"""`import routilux` stays cheap: pluggy, cattrs and entry points load on first use.

Checked by what a fresh interpreter has imported (a behavioural guard, not a
timing test; benchmarks measure the time).
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pluggy", "cattrs", "importlib_metadata", "routilux.plugins", "routilux.registry")


def imported_after(code: str) -> list[str]:
    """The HEAVY modules (and their submodules) imported after running `code` afresh."""
    probe = (
        f"{code}\nimport json, sys\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({HEAVY!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_import_routilux_loads_no_plugin_machinery() -> None:
    assert imported_after("import routilux") == []


def test_building_a_flow_loads_no_plugin_machinery() -> None:
    code = """
from routilux import Flow, JobState, Routine

class Hello(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", lambda: None)
        self.define_event("out")

flow = Flow("f")
flow.add_routine(Hello(), "a")
flow.add_routine(Hello(), "b")
flow.connect("a", "out", "b", "trigger")
JobState(flow_id="f")
"""
    assert imported_after(code) == []


def test_the_first_run_loads_the_registry_and_only_the_plugins_it_names() -> None:
    code = """
from routilux import Flow, Routine

class Hello(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", lambda: None)

flow = Flow("f")
flow.add_routine(Hello(), "a")
assert flow.run("a").status == "completed"
"""
    loaded = imported_after(code)
    assert "pluggy" in loaded and "importlib_metadata" in loaded
    plugins = [m for m in loaded if m.startswith("routilux.plugins.")]
    assert plugins == ["routilux.plugins.executors"]  # the `inline` executor, nothing else


#: Modules that log on another module's logger on purpose (split out of it).
SHARED_LOGGERS = {
    "routilux.failures": "routilux.activation",
    "routilux.cancellation": "routilux.activation",
}


def test_loggers_are_named_after_their_module():
    import importlib
    import logging
    import pkgutil

    import routilux

    for info in pkgutil.iter_modules(routilux.__path__, "routilux."):
        if info.name in ("routilux.__main__", "routilux.testing"):
            continue
        module = importlib.import_module(info.name)
        log = getattr(module, "log", None)
        if isinstance(log, logging.Logger):
            expected = SHARED_LOGGERS.get(module.__name__, module.__name__)
            assert log.name == expected, module.__name__
