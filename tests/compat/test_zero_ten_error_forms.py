"""Errors and warnings whose form routilux 0.10 programs catch or print: the class they
catch (a 0.10 built-in one, through ours), the message they print, the warning."""

from __future__ import annotations

import json
import warnings

import pytest

from routilux import Flow, JobState, OutputHandler, Routine
from routilux.errors import message_with_notes


class Failing(OutputHandler):
    def handle(self, job_id, routine_id, output_type, data, timestamp):
        raise RuntimeError("disk full")


def test_a_failing_output_handler_warns_and_the_output_is_still_logged():
    job = JobState(flow_id="f")
    job.set_output_handler(Failing())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        job.send_output("r1", "status", {"ok": True})
    assert [(w.category, str(w.message)) for w in caught] == [
        (UserWarning, "Output handler failed: disk full")
    ]
    assert [o["data"] for o in job.output_log] == [{"ok": True}]


def test_a_shared_log_entry_that_is_not_a_dict_is_a_value_error_as_in_0_10():
    job = JobState(flow_id="f")
    with pytest.raises(ValueError, match="^Entry must be a dictionary") as raised:
        job.append_to_shared_log("text")
    assert isinstance(raised.value, TypeError)  # what ours raised before: still caught
    assert str(raised.value) == "Entry must be a dictionary"
    assert "not str" in message_with_notes(raised.value)
    assert job.shared_log == []


def test_loading_a_missing_or_foreign_file_raises_what_0_10_raised(tmp_path):
    missing = tmp_path / "nothere.json"
    with pytest.raises(FileNotFoundError, match="^JobState file not found: ") as raised:
        JobState.load(missing)
    assert str(missing) in str(raised.value)
    foreign = tmp_path / "bad.json"
    foreign.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ValueError, match="^Invalid JobState file format: "):
        JobState.load(foreign)
    saved = tmp_path / "job.json"
    JobState(flow_id="f").save(saved)
    assert JobState.load(saved).flow_id == "f"


class Quick(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=lambda: None)


@pytest.mark.parametrize(
    ("with_job", "start"),
    [
        (True, "Flow.wait_for_completion() is deprecated. Use JobState.wait_for_completion("),
        (False, "Flow.wait_for_completion() without job_state is deprecated and does not check"),
    ],
)
def test_flow_wait_for_completion_warns_in_0_10s_words(with_job, start):
    flow = Flow(flow_id="w")
    flow.add_routine(Quick(), "q")
    job = flow.execute("q")
    with pytest.warns(DeprecationWarning) as caught:
        assert flow.wait_for_completion(timeout=60, job_state=job if with_job else None)
    assert str(caught[0].message).startswith(start)
    flow.shutdown()
