"""Calling a slot handler with a time limit (the slot's or its error handler's timeout).

Kept apart from `routilux.activation` because only activations with a timeout take
this path: a helper thread runs the handler in a copy of the caller's context, and
the activation is cancelled if it runs too long.
"""

from __future__ import annotations

import contextvars
import threading
from typing import TYPE_CHECKING, Any

from .errors import HandlerTimeoutError

if TYPE_CHECKING:
    from .activation import LocalWork
    from .slot import Slot


def call_with_timeout(slot: Slot, data: dict[str, Any], timeout: float, scope: LocalWork) -> Any:
    """Run the handler in a helper thread; give up on it after `timeout` seconds.

    A thread cannot be killed: the abandoned handler runs on, but its activation
    is cancelled, so whatever it writes or emits afterwards is refused instead of
    reaching the job (or overlapping with a retry of it).
    """
    context = contextvars.copy_context()
    outcome: list[BaseException] = []
    returned: list[Any] = []
    done = threading.Event()

    def target() -> None:
        try:
            returned.append(context.run(slot.call, data))
        except BaseException as exc:
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(
        target=target, daemon=True, name=f"routilux-{scope.routine_id}.{scope.slot_name}"
    ).start()
    if not done.wait(timeout):
        scope.cancel(f"timed out after {timeout}s")
        raise HandlerTimeoutError(
            f"handler of {scope.routine_id}.{scope.slot_name} ran longer than its timeout "
            f"of {timeout}s; raise the timeout (define_slot(timeout=...) or "
            "ErrorHandler(timeout=...)) or make the handler faster"
        )
    if outcome:
        raise outcome[0]
    return returned[0] if returned else None
