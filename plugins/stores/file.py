"""``file://DIR``: one JSON document per job in a directory, plus its journal.

A job is ``DIR/<job_id>.json`` (the serialized JobState: a snapshot, written to a
temporary file, fsynced and renamed over the old one) and ``DIR/<job_id>.journal``
(one line per save since that snapshot: what changed, appended and fsynced; see
`journal`). A save costs what changed; when the journal outgrows the snapshot, the
save writes a new snapshot instead. A process killed at any instant leaves the job
loadable: a journal line torn by the crash is ignored, and a snapshot is renamed
in whole. Documents and journals are readable by their owner only (0600).

Ordered checkpoints and claims (see `routilux.store_base`): a snapshot carries
its checkpoint sequence first (``"checkpoint_seq"``), each journal line its own
(``"seq"``); a job's claim is ``DIR/.claims/<job_id>.json``, and saves, loads,
claims and renewals of a job hold an exclusive ``flock`` on one of 64 lock files
in ``DIR/.locks`` (chosen by the job id), so they are atomic between threads and
processes.

A document that cannot be read is listed with status ``unreadable`` and the
reason, never hidden.

Crash recovery is at-least-once: a job resumed from its last checkpoint runs
again the activations that were pending at that checkpoint.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import threading
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

import routilux
from routilux import (
    JobNotFoundError,
    JobState,
    JobSummary,
    RoutiluxError,
    SerializationError,
    StoreError,
)
from routilux.checkpoint import JobDelta
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of
from routilux.json_files import read_json_file, write_json_atomic, write_text_atomic
from routilux.store_base import JobStoreBase, utc

from .journal import JobParts, replay

_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")
#: File names are at most 255 bytes; the document and its temporary file add suffixes.
MAX_ID_LENGTH = 200
_SEQ_HEAD = re.compile(rb'^\{\s*"schema_version":\s*\d+,\s*"checkpoint_seq":\s*(\d+)')
_STRIPES = 64
#: A journal is replaced by a new snapshot once it is both larger than this and
#: `COMPACT_RATIO` times the snapshot: a snapshot's cost is spread over many saves.
MIN_JOURNAL_BYTES = 1024 * 1024
COMPACT_RATIO = 4


class FileJobStore(JobStoreBase):
    """Jobs as ``DIR/<job_id>.json`` documents."""

    incremental = True

    def _open(self) -> None:
        self._cache_lock = threading.Lock()
        #: Per job this store saved: (snapshot stat, snapshot bytes, journal bytes,
        #: last seq); a stat that differs means another process wrote meanwhile.
        self._cache: dict[str, tuple[tuple[int, int, int], int, int, int]] = {}
        directory = self.location
        if not directory:
            raise StoreError(f"store URL {self.url!r} names no directory; use file:///path/to/dir")
        self.directory = os.path.abspath(directory)
        self._claims = os.path.join(self.directory, ".claims")
        self._locks = os.path.join(self.directory, ".locks")
        for path in (self.directory, self._claims, self._locks):
            os.makedirs(path, mode=0o700, exist_ok=True)

    def _path(self, job_id: str) -> str:
        if len(job_id) > MAX_ID_LENGTH:
            raise StoreError(
                f"job id {job_id[:40]!r}... is {len(job_id)} characters long; job ids in "
                f"{self.url} are at most {MAX_ID_LENGTH} (one file name per job)"
            )
        if not _SAFE_ID.match(job_id) or job_id.startswith("."):
            raise StoreError(
                f"job id {job_id!r} cannot be a file name in {self.url}: use 1-200 letters, "
                "digits, '_', '-' or '.', not starting with '.'"
            )
        return os.path.join(self.directory, f"{job_id}.json")

    @contextlib.contextmanager
    def _locked(self, job_id: str) -> Iterator[None]:
        """Hold the job's stripe lock (exclusive between threads and processes)."""
        stripe = zlib.crc32(job_id.encode()) % _STRIPES
        fd = os.open(os.path.join(self._locks, f"{stripe:02d}"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    # ------------------------------------------------------------------ jobs

    def _save_delta(self, delta: JobDelta, now: float) -> bool:
        job_id = delta.job_id
        path = self._path(job_id)
        journal = path[: -len(".json")] + ".journal"
        with self._locked(job_id):
            holder = self._read_claim(job_id)
            if holder is not None and not self.may_write(holder[0], holder[1], now):
                raise self.claimed_error(job_id, holder[0], holder[1], now)
            snapshot_stat, journal_bytes = _stat(path), _size(journal)
            with self._cache_lock:
                cached = self._cache.get(job_id)
            if cached is None or cached[0] != snapshot_stat or cached[2] != journal_bytes:
                cached = None  # not this store's last write: read what is there
                stored_seq = self._stored_seq(path, journal)
            else:
                stored_seq = cached[3]
            if stored_seq >= delta.seq:
                return False
            if (
                delta.full
                or cached is None
                or journal_bytes > max(COMPACT_RATIO * cached[1], MIN_JOURNAL_BYTES)
            ):
                if delta.full:
                    data = _snapshot_of(delta)
                else:  # what is stored, with this delta: the whole job, as a new snapshot
                    if snapshot_stat == (0, 0, 0):
                        self._tracker.forget(job_id)  # deleted meanwhile: the next save is full
                        return False
                    parts = JobParts(replay(read_json_file(path), _read(journal), path))
                    parts.apply(_journal_entry(delta))
                    data = parts.serialized()
                ordered = {"schema_version": data["schema_version"], "checkpoint_seq": delta.seq}
                ordered.update(data)
                text = json.dumps(ordered, ensure_ascii=False, indent=1)
                write_text_atomic(path, text)
                if journal_bytes:
                    os.truncate(journal, 0)  # a crash before this replays old lines: no change
                entry = (_stat(path), len(text.encode("utf-8")), 0, delta.seq)
            else:
                line = (json.dumps(_journal_entry(delta), ensure_ascii=False) + "\n").encode()
                _append(journal, line)
                entry = (snapshot_stat, cached[1], journal_bytes + len(line), delta.seq)
            with self._cache_lock:
                self._cache[job_id] = entry
        return True

    def _stored_seq(self, path: str, journal: str) -> int:
        """The sequence of the stored job (-1: none or unreadable)."""
        seq = -1
        try:
            with open(path, "rb") as handle:
                head = handle.read(256)
        except FileNotFoundError:
            return -1
        match = _SEQ_HEAD.match(head)
        if match:
            seq = int(match.group(1))
        else:
            try:  # written without the sequence first: read it all
                stored = read_json_file(path).get("checkpoint_seq", 0)
                seq = stored if type(stored) is int else -1
            except (RoutiluxError, AttributeError):
                return -1  # unreadable: a save replaces it
        for line in reversed(_read(journal).split("\n")[:-1]):  # the last complete line
            try:
                line_seq = json.loads(line)["seq"]
            except (ValueError, KeyError, TypeError):
                return -1  # a corrupt journal: a save replaces the job
            return max(seq, line_seq) if type(line_seq) is int else -1
        return seq

    def _load(self, job_id: str) -> JobState:
        path = self._path(job_id)
        with self._locked(job_id):  # not between a new snapshot and its emptied journal
            try:
                data = read_json_file(path)
            except JobNotFoundError:
                raise self.not_found(job_id) from None
            return JobState.from_dict(self._replayed(path, data))

    @staticmethod
    def _replayed(path: str, data: Any) -> Any:
        """The snapshot `data` of `path` with its journal applied, if it has one."""
        journal = _read(path[: -len(".json")] + ".journal")
        if not journal or not isinstance(data, dict):
            return data  # from_dict reports a malformed snapshot
        return replay(data, journal, path)

    def _list(self, flow_id: str | None, status: str | None, limit: int | None) -> list[JobSummary]:
        summaries = []
        for name in os.listdir(self.directory):
            if not name.endswith(".json") or name.startswith("."):
                continue
            path = os.path.join(self.directory, name)
            job_id = name[: -len(".json")]
            try:
                job = JobState.from_dict(self._replayed(path, read_json_file(path)))
            except JobNotFoundError:
                continue  # deleted meanwhile
            except RoutiluxError as exc:
                if flow_id is None and status in (None, "unreadable"):
                    summaries.append(self._unreadable(job_id, path, str(exc)))
                continue
            if (flow_id is None or job.flow_id == flow_id) and (
                status is None or job.status == status
            ):
                summaries.append(self.summary_of(job, self._read_claim(job.job_id)))
        return self.newest_first(summaries, limit)

    @staticmethod
    def _unreadable(job_id: str, path: str, reason: str) -> JobSummary:
        try:
            mtime = utc(os.stat(path).st_mtime)
        except OSError:
            mtime = utc(0)
        return JobSummary(job_id, "", "unreadable", mtime, mtime, problem=reason)

    def _delete(self, job_id: str) -> bool:
        path = self._path(job_id)
        with self._locked(job_id):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._claim_path(job_id))
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path[: -len(".json")] + ".journal")
            with self._cache_lock:
                self._cache.pop(job_id, None)
            try:
                os.unlink(path)
            except FileNotFoundError:
                return False
        shutil.rmtree(self._checkpoint_dir(job_id), ignore_errors=True)
        return True

    # ---------------------------------------------------------------- claims

    def _claim_path(self, job_id: str) -> str:
        self._path(job_id)  # checks the id
        return os.path.join(self._claims, f"{job_id}.json")

    def _read_claim(self, job_id: str) -> tuple[str, float] | None:
        try:
            with open(self._claim_path(job_id), encoding="utf-8") as handle:
                data = json.load(handle)
            return str(data["owner"]), float(data["expires_at"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return None  # a torn claim cannot exist (atomic writes); treat junk as none

    def _write_claim(self, job_id: str, owner: str, until: float) -> None:
        text = json.dumps({"owner": owner, "expires_at": until})
        write_text_atomic(self._claim_path(job_id), text)

    def _claim(self, job_id: str, owner: str, now: float, until: float) -> tuple[str, float]:
        with self._locked(job_id):
            holder = self._read_claim(job_id)
            if holder is None or holder[0] == owner or holder[1] <= now:
                self._write_claim(job_id, owner, until)
                holder = (owner, until)
        return holder

    def _renew(self, job_ids: Iterable[str], owner: str, now: float, until: float) -> list[str]:
        renewed = []
        for job_id in job_ids:
            with self._locked(job_id):
                holder = self._read_claim(job_id)
                if holder is not None and holder[0] == owner:
                    self._write_claim(job_id, owner, until)
                    renewed.append(job_id)
        return renewed

    def _release(self, job_id: str, owner: str) -> None:
        with self._locked(job_id):
            holder = self._read_claim(job_id)
            if holder is not None and holder[0] == owner:
                os.unlink(self._claim_path(job_id))

    # ------------------------------------------------------ checkpoint history
    # Kept checkpoints: DIR/.checkpoints/<job_id>/<seq>.json, each written atomically.

    def _checkpoint_dir(self, job_id: str) -> str:
        self._path(job_id)  # checks the id
        return os.path.join(self.directory, ".checkpoints", job_id)

    def _kept(self, job_id: str) -> list[int]:
        try:
            names = os.listdir(self._checkpoint_dir(job_id))
        except FileNotFoundError:
            return []
        return sorted(int(n[:-5]) for n in names if n.endswith(".json") and n[:-5].isdigit())

    def save_checkpoint(self, job_state: JobState, keep: int) -> int:
        """Keep the job's current state as its next checkpoint; drop all but `keep`."""
        directory = self._checkpoint_dir(job_state.job_id)
        try:
            with self._locked(job_state.job_id):
                kept = self._kept(job_state.job_id)
                seq = kept[-1] + 1 if kept else 1
                info, data = snapshot_of(job_state, seq)
                os.makedirs(directory, exist_ok=True)
                write_json_atomic(
                    os.path.join(directory, f"{seq}.json"), {"info": info.to_dict(), "job": data}
                )
                for old in [*kept, seq][:-keep]:
                    os.unlink(os.path.join(directory, f"{old}.json"))
        except OSError as exc:
            raise StoreError(
                f"cannot keep a checkpoint of job {job_state.job_id} in {self.safe_url}: {exc}"
            ) from None
        return seq

    def history(self, job_id: str) -> list[CheckpointInfo]:
        """The job's kept checkpoints, oldest first."""
        kept = self._kept(job_id)
        if not kept and not os.path.exists(self._path(job_id)):
            raise self.not_found(job_id)
        infos = []
        for seq in kept:
            try:
                data = read_json_file(os.path.join(self._checkpoint_dir(job_id), f"{seq}.json"))
            except JobNotFoundError:
                continue  # dropped meanwhile
            infos.append(CheckpointInfo.from_dict(data["info"]))
        return infos

    def load_checkpoint(self, job_id: str, seq: int) -> JobState:
        """The job as it was at checkpoint `seq`."""
        try:
            data = read_json_file(os.path.join(self._checkpoint_dir(job_id), f"{int(seq)}.json"))
        except JobNotFoundError:
            raise missing_checkpoint(self, job_id, seq, self._kept(job_id)) from None
        return JobState.from_dict(data["job"])


def _journal_entry(delta: JobDelta) -> dict[str, Any]:
    """`delta` as a journal line holds it (what `journal.JobParts.apply` reads)."""
    entry = attrs.asdict(delta, filter=lambda a, _: a.name != "document_json")
    entry["document"] = delta.document
    return entry


def _snapshot_of(delta: JobDelta) -> dict[str, Any]:
    """The serialized JobState a full delta describes."""
    return {
        **delta.document,
        "execution_history": delta.history,
        "shared_log": delta.shared_log,
        "output_log": delta.output_log,
        "pending_tasks": sorted(delta.pending_upserts, key=lambda t: t["seq"]),
    }


def _stat(path: str) -> tuple[int, int, int]:
    """(inode, size, mtime in ns) of `path`; zeros if it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def _read(path: str) -> str:
    """The text of `path` ('' if it does not exist)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise SerializationError(f"cannot read {path}: {exc}") from None


def _append(path: str, line: bytes) -> None:
    """Append `line` to `path` (created private) and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"file": FileJobStore}
