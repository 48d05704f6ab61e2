"""The execution context that follows a slot handler into any thread or executor.

While a handler runs, two context variables are set: `current_scope` holds the
`ActivationScope` (what `Routine.emit` and friends talk to) and
``routilux.routine._current_job_state`` holds the JobState (the seed API).
Context variables, not thread-locals: two handlers of different jobs running at
once in one pool never see each other's job.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from .flow import Flow
    from .job_state import JobState
    from .routine import Routine


class ExecutionContext(NamedTuple):
    """What a running handler may need: its flow, its job and its routine id.

    A tuple, so ``flow, job_state, routine_id = ctx`` works.
    """

    flow: Flow
    job_state: JobState
    routine_id: str


class ActivationScope(Protocol):
    """What routines call into while one of their handlers runs.

    The scheduler's local scope applies effects to the live JobState at once; a
    distributed executor's recording scope records them and ships them back.
    """

    @property
    def job_state(self) -> JobState:
        """The job the handler belongs to."""

    def emit(self, routine: Routine, event_name: str, data: dict[str, Any]) -> None:
        """Route `data` from `routine`'s event to the connected slots."""

    def send_output(self, routine: Routine, output_type: str, data: dict[str, Any]) -> None:
        """Send an output of this job."""

    def defer(self, routine: Routine, event_name: str, data: dict[str, Any]) -> None:
        """Store an event to be emitted when the job resumes."""

    def context_for(self, routine: Routine) -> ExecutionContext | None:
        """The ExecutionContext for `routine` (None if it is not part of the flow)."""


current_scope: ContextVar[ActivationScope | None] = ContextVar("routilux_scope", default=None)

#: The JobState of the handler running in this context; the seed API imports it as
#: ``from routilux.routine import _current_job_state``.
current_job_state: ContextVar[JobState | None] = ContextVar("_current_job_state", default=None)
