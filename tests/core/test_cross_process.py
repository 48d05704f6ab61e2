"""A job paused in one process resumes in a fresh process from the serialized flow and
JobState alone (no store): the second half runs in a subprocess."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

from xproc_routines import Ask, Collect

from routilux import Flow

HERE = pathlib.Path(__file__).parent

SECOND_HALF = """
import json, sys
sys.path.insert(0, sys.argv[1])
import xproc_routines  # the routine classes must be imported: data never imports code
from routilux import Flow, JobState
flow_data, job_data = json.load(open(sys.argv[2]))
flow = Flow().deserialize(flow_data)
job = JobState.from_dict(job_data)
flow.resume(job)
JobState.wait_for_completion(flow, job, timeout=30)
print(json.dumps(job.serialize()))
"""


def test_paused_job_finishes_in_a_fresh_process(tmp_path):
    flow = Flow(flow_id="xproc")
    flow.add_routine(Ask(), "ask")
    flow.add_routine(Collect(), "collect")
    flow.connect("ask", "answered", "collect", "input")
    job = flow.run("ask", {"question": "ready?", "n": 5})
    assert job.status == "paused"
    documents = tmp_path / "documents.json"
    documents.write_text(json.dumps([flow.serialize(), job.serialize()]))

    result = subprocess.run(
        [sys.executable, "-c", SECOND_HALF, str(HERE), str(documents)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    finished = json.loads(result.stdout)
    assert finished["job_id"] == job.job_id and finished["status"] == "completed"
    assert finished["shared_data"] == {"asked": "ready?"}
    assert [o["data"] for o in finished["output_log"]] == [{"total": 5}]
    assert finished["slot_buffers"] == {"collect": {"input": {"question": ["ready?"], "n": [5]}}}
    # what happened before the pause came along unchanged
    assert finished["execution_history"][0] == job.serialize()["execution_history"][0]
    flow.shutdown()


def test_deserializing_without_the_routine_module_says_what_to_import(tmp_path):
    flow = Flow(flow_id="xproc")
    flow.add_routine(Ask(), "ask")
    data = json.dumps(flow.serialize())
    script = (
        "import json, sys\nfrom routilux import Flow, FlowSpecError\n"
        "try:\n    Flow().deserialize(json.loads(sys.argv[1]))\n"
        "except FlowSpecError as e:\n    print(e)\n"
        "print('xproc_routines' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, data], capture_output=True, text=True, timeout=60
    )
    assert (
        "routines.ask._type: no Routine subclass named 'Ask' is defined in this process"
        in result.stdout
    )
    assert "import the module that defines it" in result.stdout
    assert result.stdout.strip().endswith("False")  # nothing was imported by the data
