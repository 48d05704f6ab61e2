"""A cycle that never ends fails its job at the per-job activation limit, with a
message naming the limit and the busiest routines; `routilux validate` notes cycles."""

from __future__ import annotations

import pytest

from routilux import Flow, FlowError, FlowSpecError, JobState, Routine
from routilux.cli import main
from routilux.flow_options import DEFAULT_MAX_ACTIVATIONS
from routilux.routine import class_key

WAIT = 60


class Ping(Routine):
    """Passes `n` on, forever (A -> B -> A)."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda **kw: self.emit("out", n=0))
        self.define_slot("input", handler=lambda n: self.emit("out", n=n + 1))
        self.define_event("out", ["n"])


def loop(make_flow, strategy, **options):
    flow = make_flow(flow_id="loop", execution_strategy=strategy, **options)
    flow.add_routine(Ping(), "a")
    flow.add_routine(Ping(), "b")
    flow.connect("a", "out", "b", "input")
    flow.connect("b", "out", "a", "input")
    return flow


@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_a_cycle_fails_the_job_at_the_limit(make_flow, strategy):
    flow = loop(make_flow, strategy, max_activations=500)
    job = flow.run("a", timeout=WAIT)
    assert job.status == "failed"
    errors = {rid: s["error"] for rid, s in job.routine_states.items() if "error" in s}
    (message,) = errors.values()
    assert "max_activations=500" in message
    assert "a (250)" in message and "b (250)" in message
    assert "busiest routines" in message
    assert len(job.get_execution_history()) < 1_000  # it stopped at the limit
    assert job.pending_tasks  # the next activation stays pending for a resume


def test_a_resumed_run_counts_only_its_own_activations(make_flow):
    """The limit and the busiest routines are per run: a resume starts from zero
    (the job's exact routine counts keep the total)."""
    flow = loop(make_flow, "sequential", max_activations=500)
    job = flow.run("a", timeout=WAIT)
    assert job.status == "failed"
    resumed = flow.resume(job)
    assert JobState.wait_for_completion(flow, resumed, timeout=WAIT)
    assert resumed.status == "failed"
    message = resumed.get_routine_state("a").get("error") or resumed.get_routine_state("b")["error"]
    assert "a (250)" in message and "b (250)" in message
    counts = resumed.routine_counts
    assert counts["a"]["activations"] + counts["b"]["activations"] == 1_000


def test_a_fan_out_beyond_the_limit_with_retries_waiting_still_ends(make_flow):
    """Concurrent workers and a queue longer than the limit: the job ends (no hang)."""

    class Burst(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.go)
            self.define_slot("input", handler=lambda i: None)
            self.define_event("out", ["i"])

        def go(self):
            for i in range(100):
                self.emit("out", i=i)

    flow = make_flow(flow_id="burst", execution_strategy="concurrent", max_activations=20)
    flow.add_routine(Burst(), "burst")
    flow.add_routine(Burst(), "sink")
    flow.connect("burst", "out", "sink", "input")
    job = flow.execute("burst")
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert job.status == "failed"
    assert "max_activations=20" in job.get_routine_state("sink")["error"]


def test_the_default_limit_and_no_limit():
    assert Flow().max_activations == DEFAULT_MAX_ACTIVATIONS == 1_000_000
    assert Flow(max_activations=None).max_activations is None
    for bad in (0, -1, 2.5, "10"):
        with pytest.raises(FlowError, match="max_activations"):
            Flow(max_activations=bad)


def test_the_spec_key(tmp_path):
    spec = {
        "flow_id": "s",
        "max_activations": 42,
        "routines": {"a": {"class": class_key(Ping)}},
    }
    flow = Flow.from_spec(spec)
    assert flow.max_activations == 42
    assert flow.to_spec()["max_activations"] == 42
    assert Flow.from_spec(flow.to_spec()).max_activations == 42
    assert "max_activations" not in Flow.from_spec({**spec, "max_activations": 1_000_000}).to_spec()
    assert Flow.from_spec({**spec, "max_activations": None}).max_activations is None
    with pytest.raises(FlowSpecError, match="max_activations: must be a positive integer"):
        Flow.from_spec({**spec, "max_activations": 0})


def test_validate_notes_cycles(tmp_path, capsys):
    spec = tmp_path / "loop.toml"
    spec.write_text(
        'flow_id = "loop"\nentry = "a"\nmax_activations = 1000\n'
        f'[routines.a]\nclass = "{class_key(Ping)}"\n'
        f'[routines.b]\nclass = "{class_key(Ping)}"\n'
        '[[connections]]\nfrom = "a.out"\nto = "b.input"\n'
        '[[connections]]\nfrom = "b.out"\nto = "a.input"\n'
    )
    assert main(["validate", str(spec)]) == 0
    out = capsys.readouterr().out
    assert "cycle a -> b -> a" in out and "1,000 activations (max_activations)" in out

    spec.write_text(
        'flow_id = "line"\nentry = "a"\n'
        f'[routines.a]\nclass = "{class_key(Ping)}"\n'
        f'[routines.b]\nclass = "{class_key(Ping)}"\n'
        '[[connections]]\nfrom = "a.out"\nto = "b.input"\n'
    )
    assert main(["validate", str(spec)]) == 0
    assert "note:" not in capsys.readouterr().out
