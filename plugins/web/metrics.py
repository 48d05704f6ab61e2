"""Prometheus metrics for `routilux serve`, built on the lifecycle observer hooks.

`MetricsObserver` is registered only while a server with metrics runs, so a
process that does not serve pays nothing (no observer means no call at all on
the activation path). Counters and histograms cover the jobs this process
runs; the gauges read the store (jobs by status, every process) and the jobs
running here (queued activations) when ``/metrics`` is scraped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from routilux import Flow, JobState, hookimpl

DURATION_BUCKETS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300, 1800)


class MetricsObserver:
    """Counts activations, failures and retries and times them (an observer plugin)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        labels = ["flow", "routine"]
        self.activations = Counter(
            "routilux_activations", "Slot handler runs finished", labels, registry=registry
        )
        self.failures = Counter(
            "routilux_activation_failures",
            "Slot handler runs that raised",
            labels,
            registry=registry,
        )
        self.retries = Counter(
            "routilux_activation_retries",
            "Slot handler runs that were retries of a failed one",
            labels,
            registry=registry,
        )
        self.durations = Histogram(
            "routilux_activation_duration_seconds",
            "How long slot handlers ran",
            labels,
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.jobs_finished = Counter(
            "routilux_jobs_finished",
            "Jobs that stopped, by how",
            ["flow", "status"],
            registry=registry,
        )
        self.job_durations = Histogram(
            "routilux_job_duration_seconds",
            "From a job's start (or resume) to its stop",
            ["flow"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self._lock = threading.Lock()
        self._started: dict[tuple[str, int], float] = {}
        self._jobs: dict[str, float] = {}

    @hookimpl
    def routilux_job_started(self, job_state: JobState) -> None:
        with self._lock:
            self._jobs[job_state.job_id] = time.perf_counter()

    @hookimpl
    def routilux_routine_started(self, job_state: JobState, activation_id: int) -> None:
        with self._lock:
            self._started[(job_state.job_id, activation_id)] = time.perf_counter()

    @hookimpl
    def routilux_routine_finished(
        self,
        job_state: JobState,
        routine_id: str,
        error: BaseException | None,
        activation_id: int,
        attempt: int,
    ) -> None:
        with self._lock:
            started = self._started.pop((job_state.job_id, activation_id), None)
        labels = (job_state.flow_id, routine_id)
        self.activations.labels(*labels).inc()
        if error is not None:
            self.failures.labels(*labels).inc()
        if attempt > 0:
            self.retries.labels(*labels).inc()
        if started is not None:
            self.durations.labels(*labels).observe(time.perf_counter() - started)

    @hookimpl
    def routilux_job_finished(self, job_state: JobState, flow: Flow) -> None:
        with self._lock:
            started = self._jobs.pop(job_state.job_id, None)
        self.jobs_finished.labels(flow.flow_id, job_state.status).inc()
        if started is not None:
            self.job_durations.labels(flow.flow_id).observe(time.perf_counter() - started)


class StateCollector(Collector):
    """Gauges read at scrape time: jobs by status in the store, queued activations here."""

    def __init__(
        self,
        count_jobs: Callable[[], dict[tuple[str, str], int]],
        live_jobs: Callable[[], list[JobState]],
    ) -> None:
        self.count_jobs = count_jobs
        self.live_jobs = live_jobs

    def collect(self) -> Iterator[Any]:
        jobs = GaugeMetricFamily(
            "routilux_jobs", "Jobs in the store, by flow and status", labels=["flow", "status"]
        )
        for (flow_id, status), n in sorted(self.count_jobs().items()):
            jobs.add_metric([flow_id, status], n)
        yield jobs
        depth = GaugeMetricFamily(
            "routilux_queue_depth",
            "Activations waiting or running, per job running in this server",
            labels=["flow"],
        )
        totals: dict[str, int] = {}
        for job in self.live_jobs():
            totals[job.flow_id] = totals.get(job.flow_id, 0) + len(job.pending_tasks)
        for flow_id, n in sorted(totals.items()):
            depth.add_metric([flow_id], n)
        yield depth


def make_metrics(
    count_jobs: Callable[[], dict[tuple[str, str], int]],
    live_jobs: Callable[[], list[JobState]],
) -> tuple[CollectorRegistry, MetricsObserver]:
    """A registry with every routilux metric, and the observer that feeds it."""
    registry = CollectorRegistry(auto_describe=True)
    observer = MetricsObserver(registry)
    registry.register(StateCollector(count_jobs, live_jobs))
    return registry, observer
