"""``file://DIR``: one JSON document per job in a directory, plus its journal.

A job is ``DIR/<job_id>.json`` (the serialized JobState: a snapshot, written to a
temporary file, fsynced and renamed over the old one) and ``DIR/<job_id>.journal``
(one line per save since that snapshot: what changed, appended and fsynced; see
`journal`). A save costs what changed; when the journal outgrows the snapshot, the
save writes a new snapshot instead. A process killed at any instant leaves the job
loadable: a line torn by the crash is ignored, and a snapshot is renamed in whole.

Crash recovery is at-least-once: a job resumed from its last checkpoint runs
again the activations that were pending at that checkpoint.
"""

from __future__ import annotations

import json
import os
import re
import threading
from typing import Any

import attrs

import routilux
from routilux import JobNotFoundError, JobState, JobSummary, SerializationError, StoreError
from routilux.checkpoint import CheckpointTracker, JobDelta, checkpoint_delta
from routilux.serialization import read_json_file, write_text_atomic

from .journal import replay

#: A journal is replaced by a new snapshot once it is both larger than this and
#: `COMPACT_RATIO` times the snapshot: a snapshot's cost is spread over many saves.
MIN_JOURNAL_BYTES = 1024 * 1024
COMPACT_RATIO = 4

_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


class FileJobStore:
    """Jobs as ``DIR/<job_id>.json`` documents."""

    incremental = True

    def __init__(self, url: str) -> None:
        self.url = url
        directory = url.partition("://")[2]
        if not directory:
            raise StoreError(f"store URL {url!r} names no directory; use file:///path/to/dir")
        self.directory = os.path.abspath(directory)
        try:
            os.makedirs(self.directory, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the directory of {url}: {exc}") from None
        self._tracker = CheckpointTracker()
        #: What the saves wrote (see CheckpointTracker).
        self.stats = self._tracker.stats
        self._lock = threading.Lock()
        #: Per job saved by this store: (snapshot bytes, journal bytes since).
        self._sizes: dict[str, tuple[int, int]] = {}

    def _path(self, job_id: str) -> str:
        if not _SAFE_ID.match(job_id) or job_id.startswith("."):
            raise StoreError(f"job id {job_id!r} cannot be a file name in {self.url}")
        return os.path.join(self.directory, f"{job_id}.json")

    def save(self, job_state: JobState) -> None:
        job_id = job_state.job_id
        path = self._path(job_id)
        with self._lock:
            sizes = self._sizes.get(job_id)
        if sizes is None or sizes[1] > max(COMPACT_RATIO * sizes[0], MIN_JOURNAL_BYTES):
            delta, mark = checkpoint_delta(job_state, None)  # a new snapshot
        else:
            delta, mark = self._tracker.delta(job_state)
        try:
            if delta.full:
                text = json.dumps(_snapshot_of(delta), ensure_ascii=False, indent=1)
                write_text_atomic(path, text)
                if os.path.exists(path[:-5] + ".journal"):
                    os.truncate(path[:-5] + ".journal", 0)  # a crash before: replays old lines
                sizes = (len(text), 0)
            else:
                assert sizes is not None
                line = json.dumps(attrs.asdict(delta), ensure_ascii=False) + "\n"
                _append(path[:-5] + ".journal", line.encode("utf-8"))
                sizes = (sizes[0], sizes[1] + len(line))
        except OSError as exc:
            self._tracker.forget(job_id)
            with self._lock:
                self._sizes.pop(job_id, None)
            raise StoreError(f"cannot save job {job_id} to {self.url}: {exc}") from None
        with self._lock:
            self._sizes[job_id] = sizes
        self._tracker.saved(delta, mark)

    def load(self, job_id: str) -> JobState:
        path = self._path(job_id)
        try:
            data = read_json_file(path)
        except JobNotFoundError:
            raise JobNotFoundError(f"no job {job_id!r} in {self.url}") from None
        return JobState.from_dict(self._replayed(path, data))

    def _replayed(self, path: str, data: Any) -> Any:
        """The snapshot `data` of `path` with its journal applied, if it has one."""
        try:
            with open(path[:-5] + ".journal", encoding="utf-8") as handle:
                journal = handle.read()
        except FileNotFoundError:
            return data
        except (OSError, UnicodeDecodeError) as exc:
            raise SerializationError(f"cannot read the journal of {path}: {exc}") from None
        if not isinstance(data, dict):
            return data  # from_dict reports it
        return replay(data, journal, path)

    def list(
        self, flow_id: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[JobSummary]:
        summaries = []
        for name in os.listdir(self.directory):
            if not name.endswith(".json") or name.startswith("."):
                continue
            try:
                path = os.path.join(self.directory, name)
                with open(path, encoding="utf-8") as handle:
                    data = json.load(handle)
                job = JobState.from_dict(self._replayed(path, data))
            except (OSError, ValueError, SerializationError):
                continue  # being replaced right now, or not a job document
            if (flow_id is None or job.flow_id == flow_id) and (
                status is None or job.status == status
            ):
                summaries.append(
                    JobSummary(job.job_id, job.flow_id, job.status, job.created_at, job.updated_at)
                )
        summaries.sort(key=lambda s: s.updated_at, reverse=True)
        return summaries if limit is None else summaries[:limit]

    def delete(self, job_id: str) -> None:
        path = self._path(job_id)
        self._tracker.forget(job_id)
        with self._lock:
            self._sizes.pop(job_id, None)
        try:
            os.unlink(path)
        except FileNotFoundError:
            raise JobNotFoundError(f"no job {job_id!r} in {self.url}") from None
        try:
            os.unlink(path[:-5] + ".journal")
        except FileNotFoundError:
            pass

    def close(self) -> None:
        self._tracker.forget()
        with self._lock:
            self._sizes.clear()

    def __enter__(self) -> FileJobStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _snapshot_of(delta: JobDelta) -> dict[str, Any]:
    """The serialized JobState a full delta describes."""
    return {
        **delta.document,
        "execution_history": delta.history,
        "shared_log": delta.shared_log,
        "output_log": delta.output_log,
        "pending_tasks": sorted(delta.pending_upserts, key=lambda t: t["seq"]),
    }


def _append(path: str, line: bytes) -> None:
    """Append `line` to `path` (created private) and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"file": FileJobStore}
