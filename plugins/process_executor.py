"""The ``processes`` executor: handlers in worker processes that can be stopped.

A thread cannot be killed, so a sync handler that overruns its timeout on
``threads`` can only be abandoned. Here each of `max_workers` lanes owns one
worker process and runs one activation at a time in it, the way the Dask
executor does (`routilux.remote`): the delivery is merged on the coordinator,
the worker runs the handler against a recording context, and its effects
(emits, outputs, state updates) are shipped back and applied in order. When
the handler's timeout expires, or `Flow.cancel` ends its job, the lane kills
the worker process (the handler stops at once, whatever it is doing) and the
next activation gets a fresh one; the activation fails with
`HandlerTimeoutError` ("timed out after 1.0s") or ends with the cancelled job.

Costs: a pickle round trip of the routine, its input and its effects per
activation (about a millisecond), and a process start (tens of milliseconds)
after each kill. Routines must pickle (checked before a job starts, naming
the routine); with ``cloudpickle`` installed, routines defined in ``__main__``
or a notebook pickle too. ``async def`` handlers need the ``asyncio`` executor.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import pickle
import signal
import threading
import time
from multiprocessing.connection import Connection, wait
from typing import Any

import attrs

import routilux
from routilux import HandlerCancelledError, HandlerTimeoutError, RoutiluxError
from routilux.executor import ActivationWork, WorkSource
from routilux.remote import RemoteActivation, RemoteHandlerError, RemoteOutcome, RemoteUnavailable

from .executors import join_all_but_current

log = logging.getLogger(__name__)
_numbers = itertools.count()

try:  # pickles classes and functions defined in __main__ / notebooks by value
    import cloudpickle

    _dumps = cloudpickle.dumps
except ImportError:  # pragma: no cover - depends on the environment
    _dumps = pickle.dumps


class UnpicklableRoutineError(RoutiluxError, TypeError):
    """A routine of the flow cannot be sent to a worker process."""


class WorkerDiedError(RoutiluxError):
    """A worker process ended while it ran a handler (crash, os._exit, OOM kill)."""


def _worker_main(conn: Connection) -> None:
    """A worker process: run each activation received, send back its outcome."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
    try:
        conn.send_bytes(_READY)  # the main module, if re-imported here, did not fail
    except OSError:  # the coordinator shut down while this process started: nothing to do
        return
    while True:
        try:
            payload = conn.recv_bytes()
        except (EOFError, OSError):
            return
        # first byte: 1 if the coordinator times the handler (then it wants to know
        # when the handler starts), 0 if not (one message fewer per activation)
        timed = payload[:1] == _TIMED
        try:
            # from our coordinator only
            activation: RemoteActivation = pickle.loads(memoryview(payload)[1:])
        except Exception as exc:  # a class this process cannot import, say
            conn.send_bytes(pickle.dumps(RemoteOutcome([], _unloadable(exc))))
            continue
        if timed:
            conn.send_bytes(b"")  # started: the handler's time limit counts from here
        outcome = activation.run()
        try:
            data = pickle.dumps(outcome)
        except Exception as exc:  # an effect that cannot travel
            data = pickle.dumps(RemoteOutcome([], RemoteHandlerError(type(exc).__name__, str(exc))))
        conn.send_bytes(data)


_TIMED, _UNTIMED = b"\x01", b"\x00"
#: A worker's first message: it started (the coordinator then knows a later death is
#: the handler's doing, not a main module that failed to import).
_READY = b"ready"

#: Why a worker that died before it was ready most likely did.
_NOT_READY = (
    "it exited before it was ready; its stderr says why. Most often the main script "
    "runs flows when it is imported: each worker process imports it again, so build and "
    'run flows under `if __name__ == "__main__":`'
)


def _importing_main_in_worker() -> bool:
    """Whether this process is a multiprocessing child still importing its parent's
    main module (the flag multiprocessing itself checks before starting a process)."""
    return bool(getattr(multiprocessing.current_process(), "_inheriting", False))


def _unloadable(error: Exception) -> RemoteHandlerError:
    return RemoteHandlerError(
        type(error).__name__,
        f"the worker process could not load the activation ({error}); define the routine "
        "in an importable module (not __main__ or a notebook), or install cloudpickle",
    )


class _Lane:
    """One worker process and the thread that feeds it, one activation at a time."""

    def __init__(self, context: Any, name: str) -> None:
        self.context = context
        self.name = name
        self.process: Any = None
        self.conn: Connection | None = None
        self.lock = threading.Lock()
        self.ready = False  # the worker process said it started
        self.job_id: str | None = None  # of the activation running now
        self.cancel_requested = False
        self.wake_reader, self.wake_writer = context.Pipe(duplex=False)

    def ensure_process(self) -> None:
        if self.process is not None and self.process.is_alive():
            return
        self.stop_process()
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_worker_main, args=(child,), name=self.name, daemon=True
        )
        process.start()
        child.close()
        self.process, self.conn, self.ready = process, parent, False

    def stop_process(self, kill: bool = False) -> int | None:
        """End the worker (at once with `kill`); returns its exit code."""
        process, conn = self.process, self.conn
        self.process = self.conn = None
        if conn is not None:
            conn.close()  # a healthy worker sees EOF and exits
        if process is None:
            return None
        if kill:
            process.kill()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
        code: int | None = process.exitcode
        process.close()
        return code

    def request_cancel(self, job_id: str) -> None:
        with self.lock:
            if self.job_id != job_id:
                return
            self.cancel_requested = True
        self.wake_writer.send_bytes(b"c")


class ProcessExecutor:
    """`max_workers` worker processes; a timed-out or cancelled activation's process
    is killed and replaced. ``executor_options={"start_method": "spawn"}`` picks the
    multiprocessing start method (default: ``forkserver`` where available)."""

    runs_inline = False

    def __init__(self, max_workers: int = 2, start_method: str | None = None, **options: Any):
        if options:
            raise routilux.FlowError(
                f"executor 'processes' takes only the option 'start_method', not "
                f"{sorted(options)}; remove them from executor_options"
            )
        methods = multiprocessing.get_all_start_methods()
        if start_method is None:
            start_method = "forkserver" if "forkserver" in methods else "spawn"
        elif start_method not in methods:
            raise routilux.FlowError(
                f"executor 'processes': start_method {start_method!r} is not available "
                f"here; use one of {methods}"
            )
        self.capacity = max_workers
        self._context = multiprocessing.get_context(start_method)
        self._name = f"routilux-process-{next(_numbers)}"
        self._lanes: list[_Lane] = []  # made by start()
        self._threads: list[threading.Thread] = []
        self._checked: set[int] = set()

    # ------------------------------------------------------------ lifecycle

    def start(self, source: WorkSource) -> None:
        if _importing_main_in_worker():
            # A worker importing an unguarded main script reaches its flows: starting
            # processes from here would fail, and running the job again is wrong.
            raise routilux.FlowError(
                "a flow on the 'processes' executor was started while a worker process "
                "imported the main script: build and run flows under "
                '`if __name__ == "__main__":` (each worker process imports the main '
                "script again)"
            )
        self._lanes = [
            _Lane(self._context, f"{self._name}_{index}") for index in range(self.capacity)
        ]
        for lane in self._lanes:
            thread = threading.Thread(
                target=self._serve, args=(lane, source), name=f"{lane.name}-feeder", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def shutdown(self, wait: bool = True) -> None:
        if wait:
            join_all_but_current(self._threads)

    def cancel(self, job_id: str) -> None:
        """Kill the worker processes running activations of `job_id`."""
        for lane in self._lanes:
            lane.request_cancel(job_id)

    # -------------------------------------------------------------- running

    def _serve(self, lane: _Lane, source: WorkSource) -> None:
        try:
            try:
                lane.ensure_process()  # started before the first activation needs it
            except Exception:  # reported again, to the activation, when one needs it
                log.exception("routilux processes executor: cannot start a worker process")
            while True:
                work = source.next_work()
                if work is None:
                    return
                try:
                    self._run(lane, work)
                except Exception as exc:  # a bug must not strand the lane's jobs
                    log.exception("routilux processes executor: error running %s", work.routine_id)
                    lane.stop_process(kill=True)
                    work.lost(exc)
        finally:
            lane.stop_process()
            lane.wake_reader.close()
            lane.wake_writer.close()

    def _run(self, lane: _Lane, work: ActivationWork) -> None:
        try:
            activation = work.remote()
        except RemoteUnavailable:
            return
        except Exception as exc:
            work.lost(exc)
            return
        try:
            # the lane enforces the time limit by killing the process, not the worker
            payload = _dumps(attrs.evolve(activation, timeout=None))
        except Exception as exc:
            work.lost(
                UnpicklableRoutineError(
                    f"activation of {work.routine_id}.{work.slot_name} cannot be sent to a "
                    f"worker process: {type(exc).__name__}: {exc}"
                )
            )
            return
        lane.ensure_process()
        assert lane.conn is not None and lane.process is not None
        with lane.lock:
            lane.job_id = work.job_id
            lane.cancel_requested = False
        while lane.wake_reader.poll():  # a stale wake-up of an earlier job
            lane.wake_reader.recv_bytes()
        try:
            # A job cancelled before lane.job_id was set is ended already (flow.cancel
            # ends the job, then tells the executor): nothing to send.
            if work.cancelled:
                work.lost(HandlerCancelledError(f"job {work.job_id} was cancelled"))
                return
            self._await_outcome(lane, work, payload)
        finally:
            with lane.lock:
                lane.job_id = None

    def _await_outcome(self, lane: _Lane, work: ActivationWork, payload: bytes) -> None:
        conn, process = lane.conn, lane.process
        assert conn is not None and process is not None
        timeout = work.timeout
        try:
            conn.send_bytes((_UNTIMED if timeout is None else _TIMED) + payload)
        except OSError:  # the worker is gone: the sentinel below says how
            pass
        started: bool | None = None if timeout is None else False  # None: not told
        deadline: float | None = None  # set when the worker says the handler has started
        while True:
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0)
            ready = wait([conn, process.sentinel, lane.wake_reader], remaining)
            if conn in ready:
                try:
                    message = conn.recv_bytes()
                except (EOFError, OSError):
                    pass  # it died after all: the sentinel says so below
                else:
                    if message == _READY:
                        lane.ready = True
                        continue
                    if not message:  # started (the routine is unpickled, imports done)
                        started = True
                        if timeout is not None:
                            deadline = time.monotonic() + timeout
                        continue
                    work.complete(pickle.loads(message))  # from our own worker
                    return
            if process.sentinel in ready or conn in ready:
                process.join(5)  # it is gone or going: its exit code says how
                code = lane.stop_process(kill=True)
                if not lane.ready:
                    what = _NOT_READY
                elif started is False:
                    what = "it never started the handler (its stderr says why)"
                else:
                    what = "its handler did not finish"
                work.lost(
                    WorkerDiedError(
                        f"the worker process running {work.routine_id}.{work.slot_name} "
                        f"died (exit code {code}); {what}"
                    )
                )
                return
            if lane.wake_reader in ready:
                while lane.wake_reader.poll():
                    lane.wake_reader.recv_bytes()
                with lane.lock:
                    cancelled = lane.cancel_requested
                if cancelled:
                    lane.stop_process(kill=True)
                    work.lost(
                        HandlerCancelledError(
                            f"handler of {work.routine_id}.{work.slot_name} was stopped: its "
                            f"job {work.job_id} was cancelled (worker process killed)"
                        )
                    )
                    return
                continue
            if not ready:  # the deadline passed
                lane.stop_process(kill=True)
                work.lost(
                    HandlerTimeoutError(
                        f"handler of {work.routine_id}.{work.slot_name} timed out after "
                        f"{timeout}s; its worker process was killed. Raise the timeout "
                        "(define_slot(timeout=...) or ErrorHandler(timeout=...)) or make "
                        "the handler faster"
                    )
                )
                return

    # ------------------------------------------------------------- checking

    def check_flow(self, flow: routilux.Flow) -> None:
        """Every routine of `flow` must pickle: fail before anything is sent."""
        for routine_id, routine in flow.routines.items():
            if id(routine) in self._checked:
                continue
            try:
                _dumps(routine)
            except Exception as exc:
                hint = "" if _dumps is not pickle.dumps else " (or install cloudpickle)"
                raise UnpicklableRoutineError(
                    f"routine {routine_id!r} ({type(routine).__name__}) cannot be sent to a "
                    f"worker process: {type(exc).__name__}: {exc}; keep unpicklable objects "
                    "out of the routine (open them in the handler, pass settings through "
                    f"set_config){hint}"
                ) from None
            self._checked.add(id(routine))


@routilux.hookimpl
def routilux_executors() -> dict[str, Any]:
    return {"processes": ProcessExecutor}
