"""Big inputs: io.read_lines reads as it emits, batches flow through text and data routines."""

from __future__ import annotations

import json

from conftest import outputs_of
from hypothesis import given, settings
from hypothesis import strategies as st

from routilux import Flow, Routine
from routilux.plugins.routines.io import STEP_LINES
from routilux.plugins.routines.text import Normalize, NormalizeConfig


def reader_spec(path, **config):
    return {
        "entry": "read",
        "routines": {"read": {"type": "io.read_lines", "config": {"path": str(path), **config}}},
    }


def test_batches_carry_lists_of_lines_and_their_numbers(tmp_path, run_spec):
    source = tmp_path / "in.txt"
    source.write_text("one\n\n two \nthree\r\nfour")
    _, job = run_spec(reader_spec(source, batch=2))
    lines = [d for d in outputs_of(job, "read") if "text" in d]
    assert lines == [
        {"text": ["one", " two "], "number": [1, 3]},
        {"text": ["three", "four"], "number": [4, 5]},
    ]


class Watch(Routine):
    """Records, for each line it receives, how many activations the job has pending."""

    pending: list[int] = []

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take)

    def take(self, text: str, number: int) -> None:
        job = self.get_execution_context().job_state
        Watch.pending.append(len(job.pending_tasks))


def test_the_file_is_read_as_lines_are_processed_not_all_at_once(tmp_path):
    source = tmp_path / "big.txt"
    count = 6 * STEP_LINES
    source.write_text("".join(f"line {n}\n" for n in range(count)))
    Watch.pending = []
    flow = Flow(flow_id="stream", history="off")
    flow.add_routine("io.read_lines", "read", config={"path": str(source)})
    flow.add_routine(Watch(), "watch")
    flow.connect("read", "line", "watch", "input")
    job = flow.run("read")
    flow.shutdown()
    assert job.status == "completed"
    assert len(Watch.pending) == count
    # never more than one step of lines (and the reader's next step) waits at once
    assert max(Watch.pending) <= STEP_LINES + 1
    assert job.routine_counts["read"]["emits"] == count + 5  # lines, and 5 "more" steps


class PauseAt(Routine):
    """Collects line numbers in shared data; pauses the job at line `at`."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at = at
        self.define_slot("input", handler=self.take)

    def take(self, text: str, number: int) -> None:
        ctx = self.get_execution_context()
        seen = ctx.job_state.get_shared_data("seen", [])
        ctx.job_state.update_shared_data("seen", [*seen, number])
        if number == self.at:
            ctx.flow.pause(ctx.job_state, reason="halfway")


def test_a_paused_read_resumes_where_it_stopped(tmp_path):
    source = tmp_path / "in.txt"
    count = 3 * STEP_LINES + 10
    source.write_text("".join(f"{n}\n" for n in range(count)))
    store = f"sqlite:///{tmp_path}/jobs.db"
    flow = Flow(flow_id="resume-read", store=store)
    flow.add_routine("io.read_lines", "read", config={"path": str(source)})
    flow.add_routine(PauseAt(STEP_LINES + 5), "sink")
    flow.connect("read", "line", "sink", "input")
    job = flow.run("read")
    assert job.status == "paused"
    flow.shutdown()
    again = Flow(flow_id="resume-read", store=store)
    again.add_routine("io.read_lines", "read", config={"path": str(source)})
    again.add_routine(PauseAt(-1), "sink")
    again.connect("read", "line", "sink", "input")
    resumed = again.resume(job.job_id)
    assert again.wait_for_completion(timeout=60)
    again.shutdown()
    assert resumed.status == "completed"
    assert resumed.get_shared_data("seen") == list(range(1, count + 1))  # each line once
    progress = resumed.get_routine_state("read")["progress"]
    assert progress["done"] == progress["total"] == source.stat().st_size


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"])), max_size=8))
def test_normalizing_a_batch_is_normalizing_each_text(texts):
    routine = Normalize()
    config = NormalizeConfig()
    expected = [routine.transform(text, config)["text"] for text in texts]
    assert routine.transform_batch(texts, config) == {"text": expected}


def test_the_text_and_data_routines_take_batches(run_spec):
    spec = {
        "entry": "clean",
        "routines": {
            "clean": {"type": "text.normalize"},
            "clip": {"type": "text.clip", "config": {"max_len": 4}},
            "count": {"type": "data.count_words"},
        },
        "connections": [
            {"from": "clean.output", "to": "clip.input"},
            {"from": "clean.output", "to": "count.input"},
        ],
    }
    _, job = run_spec(spec, {"text": ["Hello, World!", "hello  there"]})
    assert outputs_of(job, "clean") == [{"text": ["hello world", "hello there"]}]
    assert outputs_of(job, "clip") == [{"text": ["hel…", "hel…"], "clipped": [True, True]}]
    assert outputs_of(job, "count") == [{"words": {"hello": 2, "world": 1, "there": 1}, "total": 4}]


def test_the_wordcount_example_counts_like_plain_python(tmp_path):
    import collections
    import pathlib
    import re
    import unicodedata

    examples = pathlib.Path(__file__).parents[3] / "examples"
    source = tmp_path / "in.txt"
    source.write_text((examples / "alice.txt").read_text() * 20)
    out = tmp_path / "out.json"
    flow = Flow.from_file(
        str(examples / "wordcount.toml"), params={"input": str(source), "output": str(out)}
    )
    job = flow.run(flow.entry)
    flow.shutdown()
    assert job.status == "completed"
    punctuation = re.compile(r"[^\w\s']+|(?<!\w)'|'(?!\w)")
    counts: collections.Counter[str] = collections.Counter()
    for line in source.read_text().splitlines():
        text = punctuation.sub(" ", unicodedata.normalize("NFKC", line).lower())
        counts.update(re.findall(r"[\w']+", text))
    top = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10])
    assert json.loads(out.read_text()) == top
    assert len(job.execution_history) <= 50  # the example's history bound
