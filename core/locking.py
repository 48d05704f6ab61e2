"""Taking a lock back after a wait, whatever interrupts it.

A condition-style wait releases a lock, blocks, then takes the lock back; its caller
(a ``with`` block) releases the lock afterwards. If Ctrl-C arrives while the waiting
thread blocks to take the lock back, the acquire raises without the lock, and the
caller's ``with`` then releases a lock that another thread holds: whatever it guards is
unguarded from then on. `retake` keeps such an interrupt and tries again, so the lock is
held when it returns; the caller raises the interrupt once its state is consistent.
(An interrupt raised in the instant after a successful acquire cannot be caught by any
Python code; this closes the wait, which is where a blocked thread spends its time.)
"""

from __future__ import annotations

import threading


def retake(lock: threading.Lock) -> BaseException | None:
    """Acquire `lock`, blocking until it is held; the first exception an interrupted
    acquire raised meanwhile (for the caller to raise), or None."""
    interrupt: BaseException | None = None
    while True:
        try:
            lock.acquire()
            return interrupt
        except BaseException as error:  # not taken: an interrupt in the main thread
            if interrupt is None:
                interrupt = error


__all__ = ["retake"]
