"""Named pause points: parallel approvals answered by id, in any order, with checked answers."""

from __future__ import annotations

import json
import pathlib

import pytest

from routilux import Flow, JobState, PauseAnswerError, Routine, open_store

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"
STRATEGIES = ["sequential", "concurrent"]


def approvals_flow(tmp_path: pathlib.Path, strategy: str, **kwargs: object) -> Flow:
    flow = Flow.from_file(
        str(EXAMPLES / "two_approvals.toml"), params={"output": str(tmp_path / "out.json")}
    )
    flow.execution_strategy = strategy
    for key, value in kwargs.items():
        setattr(flow, key, value)
    return flow


def written(tmp_path: pathlib.Path) -> object:
    return json.loads((tmp_path / "out.json").read_text())


def waiting_ids(job: JobState) -> list[str]:
    return [p["id"] for p in job.waiting_pause_points]


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("order", [("budget", "legal"), ("legal", "budget")])
def test_two_approvals_answered_by_id_in_either_order(tmp_path, strategy, order):
    flow = approvals_flow(tmp_path, strategy)
    job = flow.run("request", {"title": "laptop"}, timeout=30)
    assert job.status == "paused"
    assert sorted(waiting_ids(job)) == ["budget", "legal"]
    points = {p["id"]: p for p in job.pause_points}
    assert points["legal"]["routine_id"] == "legal"
    assert points["legal"]["prompt"] == "Are the terms acceptable?"
    assert points["legal"]["fields"] == ["approved", "note"]
    answers = {"budget": {"approved": "no"}, "legal": {"approved": "yes", "note": "std"}}

    first, second = order
    flow.resume(job, answers={first: answers[first]})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "paused" and waiting_ids(job) == [second]
    # the answered branch ran; the writer (an idle slot) waits for the other branch
    assert [r.routine_id for r in job.get_execution_history(f"{first}_decision")]
    assert not (tmp_path / "out.json").exists()

    flow.resume(job, answers={second: answers[second]})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed" and waiting_ids(job) == []
    assert sorted(written(tmp_path)) == ["budget: no", "legal: yes (std)"]
    answered = {p["id"]: p["answer"] for p in job.pause_points}
    assert answered == answers
    flow.shutdown()


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_both_answers_in_one_resume(tmp_path, strategy):
    flow = approvals_flow(tmp_path, strategy)
    job = flow.run("request", {"title": "laptop"}, timeout=30)
    flow.resume(
        job,
        answers={"legal": {"approved": "no", "note": "x"}, "budget": {"approved": "yes"}},
    )
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed"
    assert sorted(written(tmp_path)) == ["budget: yes", "legal: no (x)"]
    flow.shutdown()


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"budget": {"aproved": "yes"}}, "unknown field(s) 'aproved'"),
        ({"legal": {"approved": "yes"}}, "missing field(s) 'note'"),
        ({"budgte": {"approved": "yes"}}, "'budgte' is not a pause point"),
        ({"budget": "yes"}, "must be a mapping"),
    ],
)
def test_a_wrong_answer_is_refused_and_the_job_stays_answerable(tmp_path, answers, expected):
    flow = approvals_flow(tmp_path, "sequential")
    job = flow.run("request", {"title": "laptop"})
    before = job.serialize()
    with pytest.raises(PauseAnswerError) as caught:
        flow.resume(job, answers=answers)
    message = str(caught.value)
    assert expected in message and "approved" in message
    assert job.serialize() == before  # nothing consumed
    flow.resume(job, answers={"budget": {"approved": "yes"}})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    flow.resume(job, answers={"legal": {"approved": "yes", "note": "ok"}})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed"
    flow.shutdown()


def test_input_answers_only_when_exactly_one_pause_point_waits(tmp_path):
    flow = approvals_flow(tmp_path, "sequential")
    job = flow.run("request", {"title": "laptop"})
    with pytest.raises(PauseAnswerError, match="waits at 2 pause points: 'budget'"):
        flow.resume(job, input={"approved": "yes"})
    flow.resume(job, answers={"budget": {"approved": "yes"}})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert waiting_ids(job) == ["legal"]
    with pytest.raises(PauseAnswerError, match="'budget' was already answered"):
        flow.resume(job, answers={"budget": {"approved": "no"}})
    with pytest.raises(PauseAnswerError, match="expects exactly: approved, note"):
        flow.resume(job, input={"approved": "yes"})
    flow.resume(job, input={"approved": "yes", "note": "fine"})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed"
    flow.shutdown()


def test_resume_without_answers_refuses_when_only_answers_can_continue(tmp_path):
    flow = approvals_flow(tmp_path, "sequential")
    job = flow.run("request", {"title": "laptop"})
    with pytest.raises(PauseAnswerError, match="'legal' \\(fields: approved, note\\)"):
        flow.resume(job)
    assert job.status == "paused"
    flow.shutdown()


def test_pause_ids_survive_the_store_and_another_flow_instance(tmp_path):
    url = f"sqlite:///{tmp_path}/jobs.db"
    flow = approvals_flow(tmp_path, "concurrent")
    flow.set_store(url)
    job = flow.run("request", {"title": "laptop"}, timeout=30)
    flow.shutdown()
    with open_store(url) as store:
        stored = store.load(job.job_id)
    assert stored.pause_points == job.pause_points and sorted(waiting_ids(stored)) == [
        "budget",
        "legal",
    ]

    other = approvals_flow(tmp_path, "sequential")  # "another host": a new flow from the spec
    other.set_store(url)
    other.resume(job.job_id, answers={"legal": {"approved": "yes", "note": "n"}})
    other.shutdown()
    third = approvals_flow(tmp_path, "sequential")
    third.set_store(url)
    again = third.resume(job.job_id, answers={"budget": {"approved": "yes"}})
    third.shutdown()
    assert again.status == "completed"
    assert sorted(written(tmp_path)) == ["budget: yes", "legal: yes (n)"]


class Fan(Routine):
    """Emits `n` items; each is asked about, so one routine makes n pause points."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("item", ["n"])

    def send(self, n: int) -> None:
        for i in range(n):
            self.emit("item", n=i)


class Ask(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.ask)
        self.define_event("answer", ["n", "ok"])

    def ask(self, n: int) -> None:
        self.pause_for_input("answer", {"n": n}, prompt=f"ok {n}?", fields=["ok"])


class Busy(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.work)

    def work(self, n: int) -> None:
        self.send_output("worked", n=n)


class Echo(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.echo)

    def echo(self, n: int, ok: str) -> None:
        self.send_output("answered", n=n, ok=ok)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_pause_point_parks_only_its_branch(make_flow, strategy):
    flow = make_flow(flow_id="branches", execution_strategy=strategy)
    flow.add_routine(Fan(), "fan")
    flow.add_routine(Ask(), "ask")
    flow.add_routine(Busy(), "busy")
    flow.add_routine(Echo(), "echo")
    flow.connect("fan", "item", "ask", "input")  # asked first, in emission order
    flow.connect("fan", "item", "busy", "input")
    flow.connect("ask", "answer", "echo", "input")
    job = flow.run("fan", {"n": 3}, timeout=30)
    assert job.status == "paused"
    # the other branch ran to its end while the asks waited
    assert sorted(o["data"]["n"] for o in job.output_log) == [0, 1, 2]
    assert sorted(waiting_ids(job)) == ["ask", "ask-2", "ask-3"]  # numbered as they were made
    by_prompt = {p["prompt"]: p["id"] for p in job.waiting_pause_points}
    assert sorted(by_prompt) == ["ok 0?", "ok 1?", "ok 2?"]
    flow.resume(job, answers={by_prompt["ok 2?"]: {"ok": "yes"}})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "paused"
    assert sorted(waiting_ids(job)) == sorted([by_prompt["ok 0?"], by_prompt["ok 1?"]])
    flow.resume(job, answers={by_prompt["ok 0?"]: {"ok": "a"}, by_prompt["ok 1?"]: {"ok": "b"}})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed"
    answered = sorted(
        (o["data"]["n"], o["data"]["ok"]) for o in job.output_log if "ok" in o["data"]
    )
    assert answered == [(0, "a"), (1, "b"), (2, "yes")]


def test_flow_pause_still_stops_everything_and_is_listed(make_flow):
    class Stop(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.stop)
            self.define_event("item", ["n"])

        def stop(self) -> None:
            self.emit("item", n=1)
            ctx = self.get_execution_context()
            ctx.flow.pause(ctx.job_state, reason="hold")

    flow = make_flow(flow_id="hold")
    flow.add_routine(Stop(), "stop")
    flow.add_routine(Busy(), "busy")
    flow.connect("stop", "item", "busy", "input")
    job = flow.run("stop")
    assert job.status == "paused" and job.output_log == [] and len(job.pending_tasks) == 1
    # recorded as routilux 0.10 recorded it: no id, no status, nothing to answer
    flow_record, job_record = job.pause_points
    assert (flow_record["reason"], flow_record["pending_tasks_count"]) == ("hold", 1)
    assert (job_record["reason"], job_record["current_routine_id"]) == ("hold", "stop")
    assert job.waiting_pause_points == []
    flow.resume(job)
    assert JobState.wait_for_completion(flow, job, timeout=30) and job.status == "completed"
    assert len(job.pause_points) == 2


def test_cancelling_a_job_cancels_its_waiting_pause_points(tmp_path):
    flow = approvals_flow(tmp_path, "sequential")
    job = flow.run("request", {"title": "laptop"})
    flow.cancel(job, reason="no longer needed")
    assert job.status == "cancelled" and job.waiting_pause_points == []
    assert {p["status"] for p in job.pause_points} == {"cancelled"}
    flow.shutdown()


def test_a_paused_job_loaded_from_the_store_and_cancelled_is_saved_cancelled(tmp_path):
    flow = approvals_flow(tmp_path, "sequential")
    flow.set_store(f"sqlite:///{tmp_path}/jobs.db")
    job = flow.run("request", {"title": "laptop"})
    assert job.status == "paused"
    loaded = flow.store.load(job.job_id)  # as `routilux cancel` or a web request does
    flow.cancel(loaded, reason="no longer needed")
    assert flow.store.load(job.job_id).status == "cancelled"
    flow.shutdown()


def test_pause_ids_can_be_chosen_and_must_be_unique(make_flow):
    class Named(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.ask)
            self.define_event("answer", ["ok"])

        def ask(self, ids: list[str]) -> None:
            for pause_id in ids:
                self.pause_for_input("answer", {}, prompt="?", fields=["ok"], pause_id=pause_id)

    flow = make_flow(flow_id="named")
    flow.add_routine(Named(), "named")
    job = flow.run("named", {"ids": ["first", "second"]})
    assert waiting_ids(job) == ["first", "second"]
    again = flow.run("named", {"ids": ["twice", "twice"]})
    assert again.status == "failed"
    assert "pause id 'twice', which this job already has" in str(again.routine_states["named"])
    with pytest.raises(Exception, match="outside a running job"):
        Named().pause_for_input("answer", {})
    with pytest.raises(Exception, match="fields must be a list"):
        Named().pause_for_input("answer", {}, fields="ok")
