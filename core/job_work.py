"""JobWork: a job's work in progress: its pending activations, slot merge buffers and
the idle slots already activated.

The engine's single steps on them (queue, drop, journal a change, read or
replace a buffer), each made with the job's lock held as part of a larger change
(see `routilux.job_state`'s transactions). While a store checkpoints the job,
changes of the pending activations are journaled, so that a checkpoint saves
only what changed (`JobState.changes_since`). And `control_lock`, which orders the
resumes, pauses and cancels of a job that does not run.

A base class of `JobState`, which declares the fields.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from .payload import check_payload
from .records import SlotActivation

if TYPE_CHECKING:
    from .slot import Slot


class JobWork:
    """The pending activations and slot buffers of a `JobState` (see the module
    docstring). Every method but `control_lock` is called with the job's lock held."""

    if not TYPE_CHECKING:  # no __dict__ for JobState
        __slots__ = ()

    # Declared by JobState; named here for type checkers (and imported at run time,
    # for tools that read them from the source).
    if TYPE_CHECKING:
        json_only: bool  # JobData's property
        _pending: dict[int, SlotActivation]
        _next_seq: int
        _pending_journal: list[tuple[int, SlotActivation | None]] | None
        _journal_epoch: int
        _slot_buffers: dict[str, dict[str, dict[str, Any]]]
        _idle_activated: list[str]
        _lock: threading.Lock
        _control: Any  # a threading.RLock or None (a function: not a type to evaluate)

    @property
    def control_lock(self) -> threading.RLock:
        """Held while this job is resumed, or paused or cancelled where it does not run,
        from its first check until the run it starts is registered: such calls from
        several threads take turns, so each acts on the job as the last one left it (with
        a store, the job's claim also orders them across processes). Held across the
        store's I/O and the observers' ``job_started``; taken before, never while, the
        job's `lock` is held."""
        control: threading.RLock | None = self._control
        if control is None:
            with self._lock:
                if self._control is None:
                    self._control = threading.RLock()
                control = self._control
        assert control is not None
        return control

    def add_pending(self, activation: SlotActivation) -> SlotActivation:
        """Give `activation` a seq and track it as pending; call with the lock held."""
        seq = self._next_seq
        self._next_seq = seq + 1
        activation.seq = seq
        self._pending[seq] = activation
        if self._pending_journal is not None:
            self._pending_journal.append((seq, activation))
        return activation

    def add_pending_batch(self, activations: list[SlotActivation]) -> list[SlotActivation]:
        """`add_pending` for each of `activations` (an emit's deliveries, in route
        order); returns them. Call with the lock held."""
        pending = self._pending
        journal = self._pending_journal
        seq = self._next_seq
        for activation in activations:
            activation.seq = seq
            pending[seq] = activation
            if journal is not None:
                journal.append((seq, activation))
            seq += 1
        self._next_seq = seq
        return activations

    def drop_pending(self, activation: SlotActivation) -> None:
        """Forget a completed activation; call with the lock held."""
        if (
            self._pending.pop(activation.seq, None) is not None
            and self._pending_journal is not None
        ):
            self._pending_journal.append((activation.seq, None))

    def clear_pending(self) -> None:
        """Forget every pending activation; call with the lock held."""
        if self._pending_journal is not None:
            self._pending_journal.extend((seq, None) for seq in self._pending)
        self._pending.clear()

    def slot_buffer(self, routine_id: str, slot_name: str) -> dict[str, Any] | None:
        """The job's merge buffer of a slot, if any (the live dict); call with the lock held."""
        buffers = self._slot_buffers.get(routine_id)
        return buffers.get(slot_name) if buffers else None

    def set_slot_buffer(self, routine_id: str, slot_name: str, buffer: dict[str, Any]) -> None:
        """Replace the job's merge buffer of a slot (`buffer` already checked); lock held."""
        self._slot_buffers.setdefault(routine_id, {})[slot_name] = buffer

    def pending_activations(self) -> list[SlotActivation]:
        """The pending activations (the live objects), oldest first; call with the lock held."""
        return list(self._pending.values())

    def is_pending(self, seq: int) -> bool:
        """Whether the activation numbered `seq` is still pending; call with the lock held."""
        return seq in self._pending

    def journal_pending(self, activation: SlotActivation) -> None:
        """Note that a pending activation changed (a retry's attempt) for the next
        checkpoint delta; call with the lock held."""
        if self._pending_journal is not None:
            self._pending_journal.append((activation.seq, activation))

    def start_pending_journal(self, epoch: int) -> None:
        """Keep a journal of pending changes from now (numbered `epoch`) so checkpoints
        save deltas; no-op if one is kept already. Call with the lock held."""
        if self._pending_journal is None:
            self._pending_journal = []
            self._journal_epoch = epoch

    def mark_idle_activated(self, key: str) -> bool:
        """Mark the idle slot ``"routine_id.slot"`` activated in this job; False if it
        already was. Call with the lock held."""
        if key in self._idle_activated:
            return False
        self._idle_activated.append(key)
        return True

    def merge_delivery(
        self, routine_id: str, slot: Slot, activation: SlotActivation
    ) -> dict[str, Any]:
        """Merge a delivery into the job's buffer of `slot` (lock held); returns what the
        handler gets, the job's own objects (the caller copies them where it must): with
        ``append`` the keys of this delivery, each with the buffer's list of all its values;
        else the buffer.

        The activation keeps its data as delivered and is marked merged: a retry, or the job
        resumed from a checkpoint, is not merged again and gets the buffer as it is then.
        So what is saved of a pending activation never changes after it is merged.
        """
        buffer = self.slot_buffer(routine_id, slot.name)
        if not activation.merged:
            new = (
                activation.data
            )  # possibly shared (`make_deliveries`): a merge function gets a copy
            buffer = slot.merge(buffer, dict(new) if callable(slot.merge_strategy) else new)
            if callable(slot.merge_strategy) and self.json_only:  # the others merge checked data
                check_payload(buffer, f"slot buffer {routine_id}.{slot.name}")
            self.set_slot_buffer(routine_id, slot.name, buffer)
            activation.merged = True
            self.journal_pending(activation)
        if buffer is None:  # merged before, buffer lost (a job saved by an older version)
            return dict(activation.data)
        if slot.merge_strategy == "append":  # as in 0.10: the keys of this delivery, each
            return {key: buffer.get(key, []) for key in activation.data}  # with all its values
        return buffer
