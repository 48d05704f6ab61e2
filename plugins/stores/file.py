"""``file://DIR``: one JSON document per job in a directory.

Each save writes the whole document to a temporary file, fsyncs it and renames
it over the old one, so a process killed at any instant leaves the old or the
new version, never a torn file. Documents are readable by their owner only
(0600). Simple and inspectable; a save rewrites the job's whole document, so for
``checkpoint="every_activation"`` on long jobs prefer ``sqlite://``, whose saves
write only what changed.

Ordered checkpoints and claims (see `routilux.store_base`): a document carries
its checkpoint sequence first (``"checkpoint_seq"``), a job's claim is
``DIR/.claims/<job_id>.json``, and saves, claims and renewals of a job hold an
exclusive ``flock`` on one of 64 lock files in ``DIR/.locks`` (chosen by the
job id), so they are atomic between threads and processes.

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
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import routilux
from routilux import JobNotFoundError, JobState, JobSummary, RoutiluxError, StoreError
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of
from routilux.serialization import read_json_file, write_json_atomic, write_text_atomic
from routilux.store_base import JobStoreBase, utc

_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")
#: File names are at most 255 bytes; the document and its temporary file add suffixes.
MAX_ID_LENGTH = 200
_SEQ_HEAD = re.compile(rb'^\{\s*"schema_version":\s*\d+,\s*"checkpoint_seq":\s*(\d+)')
_STRIPES = 64


class FileJobStore(JobStoreBase):
    """Jobs as ``DIR/<job_id>.json`` documents."""

    incremental = False

    def _open(self) -> None:
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

    def _save_document(self, job_id: str, seq: int, document: dict[str, Any], now: float) -> bool:
        path = self._path(job_id)
        ordered = {"schema_version": document["schema_version"], "checkpoint_seq": seq}
        ordered.update(document)
        with self._locked(job_id):
            holder = self._read_claim(job_id)
            if holder is not None and not self.may_write(holder[0], holder[1], now):
                raise self.claimed_error(job_id, holder[0], holder[1], now)
            if self._stored_seq(path) >= seq:
                return False
            write_json_atomic(path, ordered)
        return True

    def _stored_seq(self, path: str) -> int:
        """The sequence of the stored document (-1: none or unreadable)."""
        try:
            with open(path, "rb") as handle:
                head = handle.read(256)
        except FileNotFoundError:
            return -1
        match = _SEQ_HEAD.match(head)
        if match:
            return int(match.group(1))
        try:  # written without the sequence first: read it all
            seq = read_json_file(path).get("checkpoint_seq", 0)
        except (RoutiluxError, AttributeError):
            return -1  # unreadable: a save replaces it
        return seq if type(seq) is int else -1

    def _load(self, job_id: str) -> JobState:
        path = self._path(job_id)
        try:
            data = read_json_file(path)
        except JobNotFoundError:
            raise self.not_found(job_id) from None
        return JobState.from_dict(data)

    def _list(self, flow_id: str | None, status: str | None, limit: int | None) -> list[JobSummary]:
        summaries = []
        for name in os.listdir(self.directory):
            if not name.endswith(".json") or name.startswith("."):
                continue
            path = os.path.join(self.directory, name)
            job_id = name[: -len(".json")]
            try:
                job = JobState.from_dict(read_json_file(path))
            except JobNotFoundError:
                continue  # deleted meanwhile
            except RoutiluxError as exc:
                if flow_id is None and status in (None, "unreadable"):
                    summaries.append(self._unreadable(job_id, path, str(exc)))
                continue
            if (flow_id is None or job.flow_id == flow_id) and (
                status is None or job.status == status
            ):
                holder = self._read_claim(job.job_id)
                summaries.append(
                    JobSummary(
                        job.job_id,
                        job.flow_id,
                        job.status,
                        job.created_at,
                        job.updated_at,
                        owner=None if holder is None else holder[0],
                        lease_until=None if holder is None else utc(holder[1]),
                    )
                )
        summaries.sort(key=lambda s: s.updated_at, reverse=True)
        return summaries if limit is None else summaries[:limit]

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


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"file": FileJobStore}
