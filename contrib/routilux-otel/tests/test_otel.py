"""routilux-otel, installed next to routilux (tox -e otel), with the SDK's in-memory exporter."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from routilux_otel import TracingObserver

from routilux import ErrorHandler, Flow, JobState, Routine
from routilux.registry import list_plugins
from routilux.testing import plugin

WAIT = 60  # seconds; generous, never reached when things work

# The entry point's observer records to the global provider: one for the session.
GLOBAL_EXPORTER = InMemorySpanExporter()
_global = TracerProvider()
_global.add_span_processor(SimpleSpanProcessor(GLOBAL_EXPORTER))
trace.set_tracer_provider(_global)


class Source(Routine):
    """Emits `count` numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.go)
        self.define_event("number", ["n"])

    def go(self, count: int = 3) -> None:
        for n in range(count):
            self.emit("number", n=n)


class Check(Routine):
    """Fails the first `fail` times it sees n == 0; records the threads it ran in."""

    def __init__(self, fail: int = 0) -> None:
        super().__init__()
        self.fail = fail
        self.lock = threading.Lock()
        self.threads: set[int] = set()
        self.define_slot("input", self.go)

    def go(self, n: int) -> None:
        with self.lock:
            self.threads.add(threading.get_ident())
            failing = n == 0 and self.fail > 0
            if failing:
                self.fail -= 1
        if failing:
            raise ValueError(f"not yet: {n}")


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    """Spans of a `TracingObserver` registered for the test, on its own provider."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with plugin(TracingObserver(tracer_provider=provider)):
        yield exporter


class Sink(Routine):
    """Takes numbers (and can be pickled for Dask: no lock)."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", self.go)

    def go(self, n: int) -> None:
        pass


def make_flow(fail: int = 0, **options: Any) -> tuple[Flow, Routine]:
    # strict, as a flow from a spec: the flow's error handler applies to `check` and a
    # failure without one fails the job (not 0.10's tolerated downstream error)
    options.setdefault("tolerate_downstream_errors", False)
    flow = Flow("traced", **options)
    flow.add_routine(Source(), "source")
    check: Routine = Sink() if options.get("execution_strategy") == "dask" else Check(fail)
    flow.add_routine(check, "check")
    flow.connect("source", "number", "check", "input")
    return flow, check


def job_span(spans: tuple[ReadableSpan, ...], job: JobState) -> ReadableSpan:
    [span] = [
        s
        for s in spans
        if s.name == "routilux job traced" and s.attributes["routilux.job_id"] == job.job_id
    ]
    return span


def children(spans: tuple[ReadableSpan, ...], parent: ReadableSpan) -> list[ReadableSpan]:
    return [s for s in spans if s.parent is not None and s.parent.span_id == parent.context.span_id]


def test_a_job_span_with_a_child_per_activation_and_retries(
    exporter: InMemorySpanExporter,
) -> None:
    flow, _ = make_flow(
        fail=1, error_handler=ErrorHandler(strategy="retry", max_retries=2, retry_delay=0)
    )
    job = flow.run("source", {"count": 2}, timeout=WAIT)
    flow.shutdown()
    assert job.status == "completed"

    spans = exporter.get_finished_spans()
    root = job_span(spans, job)
    assert root.parent is None
    assert root.attributes["routilux.flow_id"] == "traced"
    assert root.attributes["routilux.status"] == "completed"
    kids = children(spans, root)
    assert len(kids) == len(spans) - 1  # every other span is an activation of this job
    rows = sorted(
        (s.name, s.attributes["routilux.attempt"], s.attributes["routilux.status"]) for s in kids
    )
    assert rows == [
        ("check.input", 0, "completed"),  # n == 1
        ("check.input", 0, "failed"),  # n == 0, first attempt
        ("check.input", 1, "completed"),  # n == 0, the retry
        ("source.trigger", 0, "completed"),
    ]
    [failed] = [s for s in kids if s.attributes["routilux.status"] == "failed"]
    assert failed.status.status_code is StatusCode.ERROR
    [event] = failed.events
    assert event.name == "exception"
    assert event.attributes["exception.type"] == "ValueError"
    [retry] = [s for s in kids if s.attributes["routilux.attempt"] == 1]
    # the retry is the same activation, one attempt later
    assert retry.attributes["routilux.activation_id"] == failed.attributes["routilux.activation_id"]


def test_a_failed_job_span_is_an_error(exporter: InMemorySpanExporter) -> None:
    flow, _ = make_flow(fail=1)
    job = flow.run("source", {"count": 1}, timeout=WAIT)
    flow.shutdown()
    assert job.status == "failed"
    root = job_span(exporter.get_finished_spans(), job)
    assert root.attributes["routilux.status"] == "failed"
    assert root.status.status_code is StatusCode.ERROR


def test_activations_on_worker_threads_are_children_of_their_own_job(
    exporter: InMemorySpanExporter,
) -> None:
    flow, check = make_flow(execution_strategy="concurrent", max_workers=4)
    assert isinstance(check, Check)
    jobs = [flow.execute("source", {"count": 8}) for _ in range(4)]
    for job in jobs:
        assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    flow.shutdown()
    assert threading.get_ident() not in check.threads  # the checks ran on worker threads

    spans = exporter.get_finished_spans()
    for job in jobs:
        root = job_span(spans, job)
        kids = children(spans, root)
        assert len(kids) == 9  # the trigger and eight checks
        assert {s.context.trace_id for s in kids} == {root.context.trace_id}
        assert {s.attributes["routilux.job_id"] for s in kids} == {job.job_id}
    assert len({job_span(spans, job).context.trace_id for job in jobs}) == 4


def test_a_job_started_inside_a_span_is_its_child(exporter: InMemorySpanExporter) -> None:
    tracer = trace.get_tracer("test")
    flow, _ = make_flow()
    with tracer.start_as_current_span("request") as request:
        job = flow.run("source", {"count": 1}, timeout=WAIT)
    flow.shutdown()
    root = job_span(exporter.get_finished_spans(), job)
    assert root.parent is not None
    assert root.parent.span_id == request.get_span_context().span_id


def test_a_resume_is_a_new_job_span(exporter: InMemorySpanExporter) -> None:
    class Ask(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go)

        def go(self) -> None:
            context = self.get_execution_context()
            assert context is not None
            context.flow.pause(context.job_state, "wait")

    flow = Flow("traced")
    flow.add_routine(Ask(), "ask")
    job = flow.run("ask", timeout=WAIT)
    assert job.status == "paused"
    flow.resume(job)
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    flow.shutdown()
    runs = [s for s in exporter.get_finished_spans() if s.name == "routilux job traced"]
    assert [s.attributes["routilux.status"] for s in runs] == ["paused", "completed"]


def test_the_installed_plugin_traces_every_job_to_the_global_provider() -> None:
    [info] = [p for p in list_plugins() if p.distribution == "routilux-otel"]
    assert info.registers["observer"] == sorted(
        [
            "routilux_job_finished",
            "routilux_job_started",
            "routilux_routine_finished",
            "routilux_routine_started",
        ]
    )
    GLOBAL_EXPORTER.clear()
    flow, _ = make_flow()
    job = flow.run("source", {"count": 2}, timeout=WAIT)
    flow.shutdown()
    spans = GLOBAL_EXPORTER.get_finished_spans()
    root = job_span(spans, job)
    assert len(children(spans, root)) == 3


def test_activations_on_dask_workers_are_children_of_their_job(
    exporter: InMemorySpanExporter,
) -> None:
    pytest.importorskip("routilux_dask")
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        flow, _ = make_flow(
            execution_strategy="dask", executor_options={"address": cluster.scheduler_address}
        )
        job = flow.run("source", {"count": 3}, timeout=WAIT)
        flow.shutdown()
    assert job.status == "completed"
    spans = exporter.get_finished_spans()
    root = job_span(spans, job)
    kids = children(spans, root)
    assert sorted(s.name for s in kids) == ["check.input"] * 3 + ["source.trigger"]
