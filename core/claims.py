"""The claims one store holds in this process: numbered, renewed, and found lost.

`JobStoreBase` keeps the backend side (taking, renewing and releasing a claim in
the database); `HeldClaims` keeps what this process knows of its own claims:

- Each claim gets a number. A job released and claimed again (pause, then
  resume) gets a new one, so a renewal that raced with both never takes the new
  claim for a lost one, and a callback bound to the old claim never fires for it.
- A claim is held until its lease runs out by this process's own clock unless
  renewed: once a renewal is overdue, `refusal` refuses the job's saves, since
  another owner may have taken it (a stalled process must not overwrite the new
  owner's saves). A claim a renewal did not renew is lost for good.
- `when_lost` callbacks run on a thread of their own, never on the lease thread
  (whose renewals keep the other jobs' claims).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

#: ``renew(job_ids, now, until) -> the ids renewed`` (the backend's renewal).
Renew = Callable[[list[str], float, float], Iterable[str]]


#: `HeldClaims.refusal` of a claim whose renewal is overdue: ask the backend first.
OVERDUE = "overdue"


class HeldClaims:
    """What one store knows of the claims it holds (thread-safe).

    A claim's local deadline is kept on the monotonic clock (a wall-clock step
    neither refuses a healthy job's saves nor lengthens the lease here)."""

    def __init__(self, lease: float, renew: Renew, where: str, owner: str) -> None:
        self.lease = lease
        self._renew = renew
        self._where, self._owner = where, owner
        self._lock = threading.Lock()
        #: job id -> (claim number, `time.monotonic()` its lease runs out unless renewed)
        self._held: dict[str, tuple[int, float]] = {}
        self._claiming: set[str] = set()
        #: job id -> why this process may no longer save the job (until claimed again)
        self._lost: dict[str, str] = {}
        #: Jobs in `_lost` because another owner took them (not given up by `close`).
        self._taken: set[str] = set()
        self._on_lost: dict[str, tuple[int, Callable[[str], object]]] = {}
        self._made = 0
        #: One renewal in flight at a time (the background one or a save's `confirm`):
        #: the local deadline then never outlasts the expiry the backend kept last.
        self._renewing = threading.Lock()
        self._renewer: threading.Thread | None = None
        self._renewer_stop: threading.Event | None = None

    def begin(self, job_id: str) -> bool:
        """Start taking the job's claim; False if this process holds or takes it already."""
        with self._lock:
            if job_id in self._held or job_id in self._claiming:
                return False
            self._claiming.add(job_id)
            return True

    def end(self, job_id: str, deadline: float | None) -> None:
        """The claim begun was taken, held here until `deadline` (monotonic) unless
        renewed, or was not (None)."""
        with self._lock:
            self._claiming.discard(job_id)
            if deadline is None:
                return
            self._made += 1
            self._held[job_id] = (self._made, deadline)
            self._lost.pop(job_id, None)
            self._taken.discard(job_id)
            if self._renewer is None:
                stop = threading.Event()
                thread = threading.Thread(
                    target=self._renew_loop,
                    args=(stop,),
                    name=f"routilux-lease-{self._owner}",
                    daemon=True,
                )
                self._renewer, self._renewer_stop = thread, stop
                try:
                    thread.start()
                except BaseException:
                    self._renewer = self._renewer_stop = None
                    del self._held[job_id]
                    raise

    def release(self, job_id: str) -> bool:
        """Forget the job's claim (and its `when_lost` callback); whether one was held."""
        with self._lock:
            self._on_lost.pop(job_id, None)
            return self._held.pop(job_id, None) is not None

    def holds(self, job_id: str) -> bool:
        with self._lock:
            return job_id in self._held

    def taken(self, job_id: str) -> bool:
        """Whether another owner took the claim this process held on the job."""
        with self._lock:
            return job_id in self._taken

    def refusal(self, job_id: str) -> str | None:
        """Why this process may not save the job now: None if it may, `OVERDUE` if its
        lease ran out here before a renewal (ask the backend: `confirm`), else why not."""
        with self._lock:
            held = self._held.get(job_id)
            if held is not None:
                return None if time.monotonic() < held[1] else OVERDUE
            return self._lost.get(job_id)

    def confirm(self, job_id: str) -> bool:
        """Renew an overdue claim now, before a save: whether it is held again with time
        left (False if the backend no longer has it for this owner, then it is lost, or
        could not be asked)."""
        # a renewal in flight is waited for up to one lease, not forever (a hung backend
        # call must not hold every save of the store): then the save is refused
        if not self._renewing.acquire(timeout=self.lease):
            return False
        try:
            with self._lock:
                held = self._held.get(job_id)
            if held is not None and time.monotonic() >= held[1]:  # not renewed meanwhile
                self._renew_once({job_id: held[0]})
        finally:
            self._renewing.release()
        with self._lock:
            held = self._held.get(job_id)
        return held is not None and time.monotonic() < held[1]

    def when_lost(self, job_id: str, callback: Callable[[str], object]) -> bool:
        """Call ``callback(job_id)`` once if the claim held now on the job is lost (at
        once if it already was); never after `release`, nor for a later claim. False
        if this process neither holds nor lost a claim of the job."""
        with self._lock:
            held = self._held.get(job_id)
            if held is not None:
                self._on_lost[job_id] = (held[0], callback)
                return True
            if job_id not in self._lost:
                return False
        _call_off_thread(callback, job_id)
        return True

    def close(self) -> list[str]:
        """Stop renewing; returns the jobs whose claims were held (to release). A job
        still running here may not save from then on: its claim is given up."""
        with self._lock:
            renewer, stop = self._renewer, self._renewer_stop
            self._renewer = self._renewer_stop = None
            held = sorted(self._held)
            for job_id in held:
                self._lost[job_id] = "this process's store was closed while it ran here"
            self._held.clear()
            self._on_lost.clear()
        if stop is not None:
            stop.set()
        if renewer is not None and renewer is not threading.current_thread():
            renewer.join(timeout=30)
        return held

    def _renew_loop(self, stop: threading.Event) -> None:
        me = threading.current_thread()
        try:
            while not stop.wait(self.lease / 3):
                with self._lock:
                    if not self._held:  # decided and cleared in one step: a claim
                        if self._renewer is me:  # made after this starts a new renewer
                            self._renewer = self._renewer_stop = None
                        return
                    held = {job_id: claim[0] for job_id, claim in self._held.items()}
                with self._renewing:
                    self._renew_once(held)
        finally:
            with self._lock:
                if self._renewer is me:
                    self._renewer = self._renewer_stop = None

    def _renew_once(self, held: dict[str, int]) -> None:
        """Renew `held` (job id -> claim number) with the backend; `_renewing` held."""
        started = time.monotonic()
        now = time.time()
        try:
            renewed = set(self._renew(sorted(held), now, now + self.lease))
        except Exception as exc:
            log.warning("could not renew leases in %s: %s", self._where, exc)
            return
        callbacks = []
        with self._lock:
            lost = []
            for job_id, number in held.items():
                current = self._held.get(job_id)
                if current is None or current[0] != number:
                    continue  # released, or claimed again, meanwhile
                if job_id in renewed:
                    self._held[job_id] = (number, started + self.lease)
                    continue
                lost.append(job_id)
                del self._held[job_id]
                self._lost[job_id] = "another owner took its claim after its lease ran out here"
                self._taken.add(job_id)
                watcher = self._on_lost.pop(job_id, None)
                if watcher is not None and watcher[0] == number:
                    callbacks.append((job_id, watcher[1]))
        for job_id in sorted(lost):
            log.error(
                "lost the claim of job %s in %s (its lease ended before renewal and another "
                "owner took it); this process's saves of it are refused",
                job_id,
                self._where,
            )
        for job_id, callback in callbacks:
            _call_off_thread(callback, job_id)


class FlowClaims:
    """The jobs whose claim one flow took, for runs of its own (thread-safe).

    A pause, cancel or resume through that flow that finds the claim held by this
    process waits for the flow's own run to start or end (`routilux.jobs`); through
    another flow sharing the store, it is refused at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: claims taken less claims given up, per job: a run's end that releases the
        #: claim may forget it after a resume or pause here took it again
        self._counts: dict[str, int] = {}

    def add(self, job_id: str) -> None:
        with self._lock:
            self._counts[job_id] = self._counts.get(job_id, 0) + 1

    def discard(self, job_id: str) -> None:
        with self._lock:
            count = self._counts.pop(job_id, 0) - 1
            if count > 0:
                self._counts[job_id] = count

    def __contains__(self, job_id: object) -> bool:
        with self._lock:
            return job_id in self._counts


def _call_off_thread(callback: Callable[[str], object], job_id: str) -> None:
    """Run a loss callback on a thread of its own (it ends a job: it may take a while)."""
    threading.Thread(
        target=callback, args=(job_id,), name=f"routilux-lost-{job_id}", daemon=True
    ).start()
