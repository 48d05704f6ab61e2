"""max_workers of 0 or less would hang every job, and more than 1024 would exhaust the
machine's threads or processes: they are rejected everywhere max_workers can be set."""

from __future__ import annotations

import pytest

from routilux import Flow, FlowError, FlowSpecError, Routine
from routilux.cli import main


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda **kw: None)


@pytest.mark.parametrize("bad", [0, -3, 1.5, True, "2", 1025, 10**20])
def test_flow_rejects_it(bad):
    with pytest.raises(FlowError, match="max_workers"):
        Flow(flow_id="w", execution_strategy="concurrent", max_workers=bad)


@pytest.mark.parametrize("bad", [0, -3])
def test_set_execution_strategy_and_the_attribute_reject_it(bad):
    flow = Flow(flow_id="w")
    with pytest.raises(FlowError, match="max_workers"):
        flow.set_execution_strategy("concurrent", max_workers=bad)
    assert flow.execution_strategy == "sequential"  # nothing changed
    with pytest.raises(FlowError, match="max_workers"):
        flow.max_workers = bad
    assert flow.max_workers == 1  # a sequential flow reports one worker, as in routilux 0.10


def test_a_spec_rejects_it():
    spec = {
        "flow_id": "w",
        "max_workers": 0,
        "routines": {"s": {"class": "tests.core.test_max_workers:Source"}},
    }
    with pytest.raises(FlowSpecError, match="max_workers"):
        Flow.from_spec(spec)


@pytest.mark.parametrize("workers", ["0", "-3", "100000"])
def test_the_cli_exits_2(tmp_path, capsys, workers):
    spec = tmp_path / "s.toml"
    spec.write_text(
        'flow_id = "w"\nentry = "r"\n[routines.r]\ntype = "io.read_lines"\n'
        'config = { path = "x" }\n'
    )
    code = main(["run", str(spec), "--no-store", "--strategy", "concurrent", "--workers", workers])
    assert code == 2
    assert "max_workers" in capsys.readouterr().err


def test_a_spec_cannot_start_more_workers_than_the_machine_has_threads():
    # before: max_workers = 1e20 passed, and the run died with a raw
    # "RuntimeError: can't start new thread" after starting thousands
    spec = {
        "flow_id": "w",
        "execution_strategy": "concurrent",
        "max_workers": 10**20,
        "routines": {"s": {"type": "text.clip"}},
    }
    with pytest.raises(FlowSpecError) as info:
        Flow.from_spec(spec)
    assert info.value.problems == [
        (
            "max_workers",
            f"max_workers {10**20} is more than 1024, the most a flow may start at once; "
            "use fewer workers",
        )
    ]
    assert Flow(execution_strategy="concurrent", max_workers=1024).max_workers == 1024
