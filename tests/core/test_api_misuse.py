"""Misusing the API gives a RoutiluxError that names the argument, never a raw
TypeError from deep inside, and never a silent acceptance that fails later."""

from __future__ import annotations

import inspect

import pytest

from routilux import (
    Flow,
    JobState,
    NotSerializableError,
    RoutiluxError,
    Routine,
    SerializationError,
    UsageError,
)
from routilux.cli import main
from routilux.payload import MAX_PAYLOAD_DEPTH


class Node(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_slot("input", handler=lambda **kw: None)
        self.define_event("out", ["value"])

    def go(self, depth: int = 0, **kw: object) -> None:
        value: object = 0
        for _ in range(depth):
            value = [value]
        self.emit("out", value=value)


def two(make_flow) -> Flow:
    flow = make_flow(flow_id="misuse")
    flow.add_routine(Node(), "a")
    flow.add_routine(Node(), "b")
    return flow


def test_connect_with_a_list_for_a_name(make_flow):
    flow = two(make_flow)
    with pytest.raises(UsageError, match="target_slot must be a str.*list"):
        flow.connect("a", "out", "b", ["input"])
    with pytest.raises(UsageError, match="source_event must be a str"):
        flow.connect("a", ["out"], "b", "input")


def test_param_mapping_must_be_a_dict(make_flow):
    flow = two(make_flow)
    with pytest.raises(UsageError, match="param_mapping of a.out -> b.input must be a dict"):
        flow.connect("a", "out", "b", "input", param_mapping=["x"])


def test_execute_with_a_list_of_params(make_flow):
    flow = two(make_flow)
    with pytest.raises(UsageError, match="entry_params of 'a' must be a dict.*list"):
        flow.execute("a", [1, 2])
    with pytest.raises(UsageError, match="entry routine id must be a str"):
        flow.execute(["a"])


def test_define_slot_checks_its_arguments():
    routine = Routine()
    with pytest.raises(UsageError, match="timeout must be a number of seconds.*str '1'"):
        routine.define_slot("s", handler=print, timeout="1")
    with pytest.raises(UsageError, match="slot name must be a non-empty str.*int 123"):
        routine.define_slot(123)
    with pytest.raises(UsageError, match="slot 'a' of Routine: handler must be a callable"):
        routine.define_slot("a", handler="str")
    with pytest.raises(RoutiluxError, match="positive"):
        routine.define_slot("s", handler=print, timeout=0)
    assert routine.slots == {}  # nothing half-defined


def test_define_event_checks_its_arguments():
    routine = Routine()
    with pytest.raises(UsageError, match="event name must be a non-empty str.*int 5"):
        routine.define_event(5)
    with pytest.raises(UsageError, match="params must be a list of key names"):
        routine.define_event("e", "value")


def test_deeply_nested_payloads_fail_at_emit_naming_the_limit(make_flow):
    flow = two(make_flow)
    flow.connect("a", "out", "b", "input")
    job = flow.run("a", {"depth": MAX_PAYLOAD_DEPTH - 1})  # just within the limit
    assert job.status == "completed"
    JobState.from_dict(job.serialize())  # and it can be saved and read back
    for depth in (MAX_PAYLOAD_DEPTH + 1, 1000):
        job = flow.run("a", {"depth": depth})
        assert job.status == "failed"
        error = job.get_routine_state("a")["error"]
        assert f"more than {MAX_PAYLOAD_DEPTH} levels deep" in error
        assert "a.out['value'][0][0]" in error
        assert "recursion" not in error


def test_nested_entry_params_are_refused_at_execute(make_flow):
    flow = two(make_flow)
    value: object = 0
    for _ in range(1000):
        value = [value]
    with pytest.raises(NotSerializableError, match="entry_params"):
        flow.execute("a", {"value": value})


def test_corrupt_documents_name_the_document_keys():
    data = JobState().serialize()
    # pending tasks in routilux's form: serialize() writes the version with them
    data["schema_version"] = 1
    data["pending_tasks"] = [{"seq": "x", "routine_id": "a", "slot": 5, "data": {}}]
    with pytest.raises(SerializationError) as caught:
        JobState.from_dict(data)
    message = str(caught.value)
    assert "pending_tasks[0].seq" in message and "pending_tasks[0].slot" in message
    assert "_pending" not in message and "$" not in message and "slot_name" not in message


def test_wait_for_completion_refuses_unknown_keywords():
    job = JobState()
    with pytest.raises(UsageError, match="'timout'.*did you mean 'timeout'") as caught:
        JobState.wait_for_completion(None, job, timout=0.2)
    assert isinstance(caught.value, TypeError)
    parameters = inspect.signature(JobState.wait_for_completion).parameters.values()
    assert all(p.kind is not p.VAR_KEYWORD for p in parameters)
    done = JobState(status="completed")  # 0.10's own arguments are still accepted
    assert JobState.wait_for_completion(None, done, 1.0, check_interval=0.1, stability_checks=2)


def test_cli_show_with_a_very_long_id_on_the_file_store(tmp_path, capsys):
    code = main(["show", "x" * 300, "--store", f"file://{tmp_path}"])
    assert code == 2
    err = capsys.readouterr().err
    assert "300 characters long" in err and "Traceback" not in err


def test_cli_jobs_with_a_misspelt_status(tmp_path, capsys):
    code = main(["jobs", "--status", "runing", "--store", f"file://{tmp_path}"])
    assert code == 2
    assert "did you mean 'running'" in capsys.readouterr().err
