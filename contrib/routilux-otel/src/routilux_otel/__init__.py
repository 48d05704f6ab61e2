"""OpenTelemetry traces of routilux jobs: a span per job run, a child span per activation.

`TracingObserver` implements routilux's lifecycle observer hooks. The module
itself is the plugin the ``observers.otel`` entry point names: its hooks
forward to one `TracingObserver` on the global tracer provider, made on first
use. Activation spans are started with the job's span as explicit parent, so
the parent is right whatever thread (or remote worker) the handler ran in; a
routine's ``started`` and ``finished`` hooks are paired by job and activation id.
"""

from __future__ import annotations

import threading
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, Status, StatusCode

import routilux

__all__ = ["TracingObserver"]
__version__ = "0.1.0"
#: The routine hooks' activation_id and attempt came with plugin API 2.
ROUTILUX_PLUGIN_API = 2

TRACER_NAME = "routilux"


class TracingObserver:
    """Records a span per job run and a child span per activation (an observer plugin)."""

    ROUTILUX_PLUGIN_API = 2

    def __init__(self, tracer_provider: trace.TracerProvider | None = None) -> None:
        self._tracer = trace.get_tracer(
            TRACER_NAME, routilux.__version__, tracer_provider=tracer_provider
        )
        self._lock = threading.Lock()
        self._jobs: dict[str, Span] = {}
        self._activations: dict[tuple[str, int], Span] = {}

    @routilux.hookimpl
    def routilux_job_started(self, job_state: Any, flow: Any) -> None:
        span = self._tracer.start_span(
            f"routilux job {flow.flow_id}",
            attributes={"routilux.job_id": job_state.job_id, "routilux.flow_id": flow.flow_id},
        )
        with self._lock:
            self._jobs[job_state.job_id] = span

    @routilux.hookimpl
    def routilux_routine_started(
        self, job_state: Any, routine_id: str, slot: str, activation_id: int, attempt: int
    ) -> None:
        span = self._start_activation(job_state, routine_id, slot, activation_id, attempt)
        with self._lock:
            self._activations[(job_state.job_id, activation_id)] = span

    @routilux.hookimpl
    def routilux_routine_finished(
        self,
        job_state: Any,
        routine_id: str,
        slot: str,
        error: BaseException | None,
        activation_id: int,
        attempt: int,
    ) -> None:
        with self._lock:
            span = self._activations.pop((job_state.job_id, activation_id), None)
        if span is None:  # a delivery that failed before its handler could start
            span = self._start_activation(job_state, routine_id, slot, activation_id, attempt)
        if error is None:
            span.set_attribute("routilux.status", "completed")
        else:
            span.set_attribute("routilux.status", "failed")
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
        span.end()

    @routilux.hookimpl
    def routilux_job_finished(self, job_state: Any, flow: Any) -> None:
        with self._lock:
            span = self._jobs.pop(job_state.job_id, None)
        if span is None:
            return
        status = job_state.status
        span.set_attribute("routilux.status", status)
        if status == "failed":
            span.set_status(Status(StatusCode.ERROR, f"job {job_state.job_id} failed"))
        span.end()

    def _start_activation(
        self, job_state: Any, routine_id: str, slot: str, activation_id: int, attempt: int
    ) -> Span:
        with self._lock:
            job_span = self._jobs.get(job_state.job_id)
        context = trace.set_span_in_context(job_span) if job_span is not None else None
        return self._tracer.start_span(
            f"{routine_id}.{slot}",
            context=context,
            attributes={
                "routilux.job_id": job_state.job_id,
                "routilux.routine_id": routine_id,
                "routilux.slot": slot,
                "routilux.attempt": attempt,
                "routilux.activation_id": activation_id,
            },
        )


_default: TracingObserver | None = None
_default_lock = threading.Lock()


def _observer() -> TracingObserver:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = TracingObserver()
    return _default


@routilux.hookimpl
def routilux_job_started(job_state: Any, flow: Any) -> None:
    _observer().routilux_job_started(job_state, flow)


@routilux.hookimpl
def routilux_routine_started(
    job_state: Any, routine_id: str, slot: str, activation_id: int, attempt: int
) -> None:
    _observer().routilux_routine_started(job_state, routine_id, slot, activation_id, attempt)


@routilux.hookimpl
def routilux_routine_finished(
    job_state: Any,
    routine_id: str,
    slot: str,
    error: BaseException | None,
    activation_id: int,
    attempt: int,
) -> None:
    _observer().routilux_routine_finished(
        job_state, routine_id, slot, error, activation_id, attempt
    )


@routilux.hookimpl
def routilux_job_finished(job_state: Any, flow: Any) -> None:
    _observer().routilux_job_finished(job_state, flow)
