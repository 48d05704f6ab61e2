"""A handler's error keeps its traceback: in `JobState.traceback_of`, in `routilux show`
and in the log; a strict flow also in the routine state and the error record (a flow
under routilux 0.10's rules keeps those in 0.10's shape)."""

from __future__ import annotations

import logging

from routilux import ErrorHandler, JobState, Routine
from routilux.cli import main


def divide(x):
    return 1 / x  # the line the traceback must point at


class Divides(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)

    def go(self, x=0):
        divide(x)


def check_frames(trace):
    assert __file__ in trace and "return 1 / x" in trace and "in divide" in trace
    assert trace.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "activation.py" not in trace  # routilux's own frames are left out


def test_the_job_keeps_the_frames(make_flow):
    flow = make_flow(flow_id="tb")
    flow.add_routine(Divides(), "d")
    job = flow.run("d", {"x": 0})
    assert job.status == "failed"
    trace = job.traceback_of("d")
    check_frames(trace)
    # 0.10's state and record shapes stay as they were
    assert set(job.get_routine_state("d")) == {"status", "error", "error_time"}
    (record,) = [r for r in job.get_execution_history("d") if r.event_name == "error"]
    assert "traceback" not in record.data
    again = JobState.from_dict(job.serialize())  # stored with the job
    assert again.traceback_of("d") == trace and again.traceback_of("other") is None


def test_a_strict_flow_keeps_them_in_the_state_and_the_record(make_flow):
    flow = make_flow(flow_id="tb", tolerate_downstream_errors=False)
    flow.add_routine(Divides(), "d")
    job = flow.run("d", {"x": 0})
    trace = job.get_routine_state("d")["traceback"]
    check_frames(trace)
    (record,) = [r for r in job.get_execution_history("d") if r.event_name == "error"]
    assert record.data["traceback"] == trace == job.traceback_of("d")
    assert job.serialize()["routine_states"]["d"]["traceback"] == trace


def test_continue_keeps_it_too(make_flow):
    flow = make_flow(flow_id="tb")
    routine = Divides()
    routine.set_error_handler(ErrorHandler("continue"))
    flow.add_routine(routine, "d")
    job = flow.run("d", {"x": 0})
    assert job.get_routine_state("d")["status"] == "error_continued"
    assert "return 1 / x" in job.traceback_of("d")


def test_it_is_logged(make_flow, caplog):
    flow = make_flow(flow_id="tb")
    flow.add_routine(Divides(), "d")
    with caplog.at_level(logging.DEBUG, logger="routilux"):
        job = flow.run("d", {"x": 0})
    messages = [r.getMessage() for r in caplog.records if r.name == "routilux.activation"]
    assert any(job.job_id in m and "return 1 / x" in m for m in messages), messages


def test_routilux_show_prints_it(make_flow, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    flow = make_flow(flow_id="tb", store=url)
    flow.add_routine(Divides(), "d")
    job = flow.run("d", {"x": 0})
    flow.shutdown()
    assert main(["show", job.job_id, "--store", url]) == 0
    out = capsys.readouterr().out
    assert "ZeroDivisionError: division by zero" in out
    assert "return 1 / x" in out and __file__ in out


def test_routilux_run_prints_it_in_the_summary(tmp_path, capsys):
    lines = tmp_path / "in.txt"
    lines.write_text("12\nnot a number\n")
    spec = tmp_path / "ints.toml"
    spec.write_text(
        'flow_id = "ints"\nentry = "read"\n'
        f'[routines.read]\ntype = "io.read_lines"\nconfig = {{ path = "{lines}" }}\n'
        '[routines.parse]\ntype = "data.map"\nconfig = { field = "text", transform = "int" }\n'
        '[[connections]]\nfrom = "read.line"\nto = "parse.input"\n'
    )
    assert main(["run", str(spec), "--no-store"]) == 1
    out = capsys.readouterr().out
    assert "Traceback (most recent call last)" in out
    assert "data.py" in out and "ValueError: invalid literal for int()" in out
