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

from .errors import ExecutionContextError

if TYPE_CHECKING:
    from .flow import Flow
    from .job_state import JobState
    from .routine import Routine


class _ContextFields(NamedTuple):
    flow: Flow
    job_state: JobState
    routine_id: str


class ExecutionContext(_ContextFields):
    """What a running handler may need: its flow, its job and its routine id.

    A tuple, so ``flow, job_state, routine_id = ctx`` works. `cancelled` tells a
    long-running handler that its activation timed out or was cancelled (or its
    job ended): whatever it writes or emits from then on is refused, so it should
    return::

        for item in items:
            if self.get_execution_context().cancelled:
                return
            ...
    """

    def __new__(
        cls,
        flow: Flow,
        job_state: JobState,
        routine_id: str,
        activation: Cancellable | None = None,
    ) -> ExecutionContext:
        self = super().__new__(cls, flow, job_state, routine_id)
        self.__dict__["_activation"] = activation
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # the activation belongs to this process: a copy elsewhere is never cancelled
        return (ExecutionContext, tuple(self))

    @property
    def cancelled(self) -> bool:
        """True once the handler's activation has timed out or been cancelled."""
        activation = self.__dict__.get("_activation")
        return activation is not None and activation.cancelled


class Cancellable(Protocol):
    """An activation that can be cancelled (see `ActivationScope.cancelled`)."""

    @property
    def cancelled(self) -> bool:
        """True once the activation timed out or was cancelled."""


class ActivationScope(Protocol):
    """What routines call into while one of their handlers runs.

    The scheduler's local scope applies effects to the live JobState at once; a
    distributed executor's recording scope records them and ships them back.
    """

    @property
    def job_state(self) -> JobState:
        """The job the handler belongs to."""

    def emit(
        self, routine: Routine, event_name: str, data: dict[str, Any], record: bool = True
    ) -> None:
        """Route `data` from `routine`'s event to the connected slots; `record` False
        leaves it out of the job's history (`Event.emit`, as routilux 0.10 did)."""

    def send_output(self, routine: Routine, output_type: str, data: dict[str, Any]) -> None:
        """Send an output of this job."""

    def defer(self, routine: Routine, event_name: str, data: dict[str, Any]) -> None:
        """Store an event to be emitted when the job resumes."""

    def context_for(self, routine: Routine) -> ExecutionContext | None:
        """The ExecutionContext for `routine` (None if it is not part of the flow)."""

    @property
    def cancelled(self) -> bool:
        """True once the activation timed out or was cancelled, or its job ended.

        From then on the handler's writes to its JobState and its emits are
        refused (`ExecutionContextError`, logged). An executor that gives up on
        a handler (a timeout, a cancelled job) makes it so with ``cancel``.
        """


current_scope: ContextVar[ActivationScope | None] = ContextVar("routilux_scope", default=None)

#: The JobState of the handler running in this context; the seed API imports it as
#: ``from routilux.routine import _current_job_state``.
current_job_state: ContextVar[JobState | None] = ContextVar("_current_job_state", default=None)


def check_not_cancelled(job_state: object, what: str) -> None:
    """Refuse `what` (a write to `job_state`) if it comes from a cancelled activation.

    Called by JobState's public writers with the job's lock held, so a write is
    either applied before the activation is cancelled or refused after it.
    Writes from outside any handler, or to another job, are not affected.
    """
    scope = current_scope.get()
    if scope is None or not scope.cancelled or scope.job_state is not job_state:
        return
    refuse = getattr(scope, "refuse", None)
    if refuse is not None:
        raise refuse(what)
    raise ExecutionContextError(
        f"{what} refused: the activation writing it was cancelled; "
        "check get_execution_context().cancelled and return"
    )
