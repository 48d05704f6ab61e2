"""The built-in executors: ``inline`` (sequential) and ``threads`` (concurrent)."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import routilux
from routilux.executor import WorkSource

_pool_numbers = itertools.count()


def _reject(name: str, options: dict[str, Any]) -> None:
    if options:
        raise routilux.FlowError(
            f"executor {name!r} takes no options {sorted(options)}; remove them from "
            "executor_options"
        )


def join_all_but_current(threads: list[threading.Thread]) -> None:
    """Wait for `threads` to end, but not for the calling one (a worker may shut its
    executor down)."""
    current = threading.current_thread()
    for thread in threads:
        if thread is not current:
            thread.join()


class InlineExecutor:
    """One activation at a time, in emission order, on the flow's worker thread.

    `Flow.run` runs a job of this executor in the caller's thread instead.
    """

    runs_inline = True
    runs_entry_in_caller = True
    capacity = 1

    def __init__(self, max_workers: int = 1, **options: Any) -> None:
        _reject("inline", options)
        self._thread: threading.Thread | None = None

    def start(self, source: WorkSource) -> None:
        self._thread = threading.Thread(
            target=source.serve, name=f"routilux-worker-{next(_pool_numbers)}", daemon=True
        )
        self._thread.start()

    def shutdown(self, wait: bool = True) -> None:
        thread = self._thread
        if wait and thread is not None and thread is not threading.current_thread():
            thread.join()


class ThreadExecutor:
    """Up to `max_workers` activations at once on a pool of threads shared by the
    flow's jobs (fairly: the scheduler hands work round-robin between jobs)."""

    runs_inline = False
    runs_entry_in_caller = True

    def __init__(self, max_workers: int = 5, **options: Any) -> None:
        _reject("threads", options)
        if type(max_workers) is not int or max_workers < 1:
            raise routilux.FlowError(
                f"executor 'threads': max_workers must be a positive int, not {max_workers!r}"
            )
        self.capacity = max_workers
        self._threads: list[threading.Thread] = []

    def start(self, source: WorkSource) -> None:
        number = next(_pool_numbers)
        for index in range(self.capacity):
            thread = threading.Thread(
                target=source.serve, name=f"ThreadPoolExecutor-{number}_{index}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def shutdown(self, wait: bool = True) -> None:
        if wait:
            join_all_but_current(self._threads)


@routilux.hookimpl
def routilux_executors() -> dict[str, Any]:
    return {"inline": InlineExecutor, "threads": ThreadExecutor}
