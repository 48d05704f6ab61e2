"""Output handlers: where ``Routine.send_output`` data goes for one job.

Outputs are execution-specific data (progress, results for a user) as opposed
to events, which flow to connected slots. Each JobState has its own handler and
also keeps every output in ``output_log``. More handlers are registered by name
through the ``routilux_output_handlers`` hook.
"""

from __future__ import annotations

import queue as queue_module
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .times import now_local


class OutputHandler(ABC):
    """Receives the outputs of one job."""

    @abstractmethod
    def handle(
        self,
        job_id: str,
        routine_id: str,
        output_type: str,
        data: dict[str, Any],
        timestamp: datetime | None = None,
    ) -> None:
        """Handle one output (called in the thread that ran the handler).

        `timestamp` is local time without zone, like every time a JobState shows
        (as in routilux 0.10); handlers given none stamp the output with the time now.
        """


class QueueOutputHandler(OutputHandler):
    """Puts each output as a dict on a queue (a new `queue.Queue` if none is given)."""

    def __init__(self, queue: Any = None) -> None:
        self.queue = queue if queue is not None else queue_module.Queue()

    def handle(
        self,
        job_id: str,
        routine_id: str,
        output_type: str,
        data: dict[str, Any],
        timestamp: datetime | None = None,
    ) -> None:
        self.queue.put(
            {
                "job_id": job_id,
                "routine_id": routine_id,
                "output_type": output_type,
                "data": data,
                "timestamp": (timestamp or now_local()).isoformat(),
            }
        )


class CallbackOutputHandler(OutputHandler):
    """Calls ``callback(job_id, routine_id, output_type, data, timestamp)``."""

    def __init__(self, callback: Callable[[str, str, str, dict[str, Any], datetime], Any]) -> None:
        self.callback = callback

    def handle(
        self,
        job_id: str,
        routine_id: str,
        output_type: str,
        data: dict[str, Any],
        timestamp: datetime | None = None,
    ) -> None:
        self.callback(job_id, routine_id, output_type, data, timestamp or now_local())


class NullOutputHandler(OutputHandler):
    """Discards outputs (they are still kept in ``output_log``)."""

    def handle(
        self,
        job_id: str,
        routine_id: str,
        output_type: str,
        data: dict[str, Any],
        timestamp: datetime | None = None,
    ) -> None:
        return None


# 0.10's module path: the default repr (and pickle) name it; it imports routilux.output_handler
for _cls in (OutputHandler, QueueOutputHandler, CallbackOutputHandler, NullOutputHandler):
    _cls.__module__ = "routilux.output_handler"
del _cls
