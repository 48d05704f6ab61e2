"""The ``dask`` executor: routilux slot handlers on a Dask distributed cluster.

The coordinator keeps the scheduler and the JobStates. A dispatcher thread pulls
activations (`WorkSource.next_work`), turns each into a `RemoteActivation` (merged
on the coordinator, with a snapshot of the job as of dispatch), submits its
``run`` to the cluster, and hands the `RemoteOutcome` back with
``work.complete``; a lost worker becomes ``work.lost(error)``. At most
``max_in_flight`` activations are out at once.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import attrs
import cloudpickle

import routilux
from routilux import RemoteUnavailable, RoutiluxError
from routilux.executor import WorkSource
from routilux.remote import RemoteActivation

__version__ = "0.1.0"

log = logging.getLogger(__name__)


class UnpicklableRoutineError(RoutiluxError, TypeError):
    """A routine of the flow cannot be sent to Dask workers."""


def _run(activation: RemoteActivation, routine: routilux.Routine) -> Any:
    """What a Dask worker runs (module level, so it pickles by reference). The routine
    comes separately: it was scattered to the workers once, not shipped per task."""
    return attrs.evolve(activation, routine=routine).run()


class DaskExecutor:
    """Runs activations on a Dask cluster, at most `max_in_flight` at a time."""

    runs_inline = False

    def __init__(
        self,
        max_workers: int = 2,
        address: str | None = None,
        client: Any = None,
        max_in_flight: int | None = None,
        threads_per_worker: int = 1,
    ) -> None:
        if address is not None and client is not None:
            raise routilux.FlowError("executor 'dask' takes an address or a client, not both")
        self.address = address
        self._client = client
        self._own_cluster: Any = None
        self.n_workers = max_workers
        self.threads_per_worker = threads_per_worker
        # two per worker thread by default: a worker has its next task queued when it
        # finishes one, instead of waiting a round trip to the coordinator
        self.capacity = max_in_flight or 2 * max_workers * threads_per_worker
        self._slots = threading.BoundedSemaphore(self.capacity)
        self._dispatcher: threading.Thread | None = None
        self._checked: set[int] = set()
        self._routines: dict[int, Any] = {}
        self._own_client = False

    # -------------------------------------------------------------- lifecycle

    @property
    def client(self) -> Any:
        if self._client is None:
            import dask
            from distributed import Client, LocalCluster

            if self.address:
                self._client = Client(self.address)
                self._own_client = True
            else:
                log.warning(
                    "routilux-dask: no address given; starting a LocalCluster of %d worker "
                    "processes",
                    self.n_workers,
                )
                # a worker that dies fails its activation at once (no silent re-run by Dask)
                dask.config.set({"distributed.scheduler.allowed-failures": 0})
                self._own_cluster = LocalCluster(
                    n_workers=self.n_workers,
                    threads_per_worker=self.threads_per_worker,
                    processes=True,
                    dashboard_address=None,
                )
                self._client = Client(self._own_cluster)
                self._own_client = True
        return self._client

    def start(self, source: WorkSource) -> None:
        self.client  # noqa: B018 - connect (or start the cluster) before work arrives
        self._dispatcher = threading.Thread(
            target=self._dispatch, args=(source,), name="routilux-dask-dispatcher", daemon=True
        )
        self._dispatcher.start()

    def shutdown(self, wait: bool = True) -> None:
        if wait and self._dispatcher is not None:
            self._dispatcher.join()
        self._routines.clear()
        if self._own_client and self._client is not None:
            self._client.close()
            self._client = None
        if self._own_cluster is not None:
            self._own_cluster.close()
            self._own_cluster = None

    # ------------------------------------------------------------- dispatching

    def _dispatch(self, source: WorkSource) -> None:
        while True:
            self._slots.acquire()
            work = source.next_work()
            if work is None:
                self._slots.release()
                return
            try:
                activation = work.remote()
            except RemoteUnavailable:
                self._slots.release()
                continue
            except Exception as exc:  # an unpicklable payload, say: the activation fails
                self._slots.release()
                work.lost(exc)
                continue
            try:
                routine = self._scattered(activation.routine)
                # The routine travels separately (scattered once); _run puts it back.
                shipped = attrs.evolve(activation, routine=None)  # type: ignore[arg-type]
                future = self.client.submit(_run, shipped, routine, pure=False, retries=0)
            except Exception as exc:
                self._slots.release()
                work.lost(exc)
                continue
            future.add_done_callback(lambda f, work=work: self._done(f, work))

    def _done(self, future: Any, work: Any) -> None:
        try:
            try:
                outcome = future.result()
            except Exception as exc:  # KilledWorker, CancelledError, a lost connection
                work.lost(exc)
            else:
                work.complete(outcome)
        except Exception:  # applying the outcome must not kill Dask's callback thread
            log.exception("routilux-dask: could not apply the outcome of %s", work.routine_id)
        finally:
            self._slots.release()

    def _scattered(self, routine: routilux.Routine) -> Any:
        """A Dask future of `routine` held by every worker (sent once per routine)."""
        future = self._routines.get(id(routine))
        if future is None:
            future = self.client.scatter(routine, broadcast=True, hash=False)
            self._routines[id(routine)] = future
        return future

    # --------------------------------------------------------------- checking

    def check_flow(self, flow: routilux.Flow) -> None:
        """Every routine of `flow` must pickle: fail before anything is sent."""
        for routine_id, routine in flow.routines.items():
            if id(routine) in self._checked:
                continue
            try:
                cloudpickle.dumps(routine)
            except Exception as exc:
                raise UnpicklableRoutineError(
                    f"routine {routine_id!r} ({type(routine).__name__}) cannot be sent to Dask "
                    f"workers: {_culprit(routine)}cannot be pickled ({type(exc).__name__}: {exc}); "
                    "keep such objects out of the routine (open them in the handler, or pass "
                    "settings through set_config)"
                ) from None
            self._checked.add(id(routine))


def _culprit(routine: routilux.Routine) -> str:
    # The routine's own attributes first: its slots refer back to the routine, so
    # they fail to pickle whenever anything else in it does.
    base = set(vars(routilux.Routine()))
    names = sorted(vars(routine), key=lambda name: name in base)
    for name in names:
        value = vars(routine)[name]
        try:
            cloudpickle.dumps(value)
        except Exception:
            return f"its attribute {name!r} ({type(value).__name__}) "
    return ""


@routilux.hookimpl
def routilux_executors() -> dict[str, Any]:
    return {"dask": DaskExecutor}
