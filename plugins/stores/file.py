"""``file://DIR``: one JSON document per job in a directory.

Each save writes the whole document to a temporary file, fsyncs it and renames
it over the old one, so a process killed at any instant leaves the old or the
new version, never a torn file. Simple and inspectable; a save rewrites the
job's whole document, so for ``checkpoint="every_activation"`` on long jobs
prefer ``sqlite://``, whose saves write only what changed.

Crash recovery is at-least-once: a job resumed from its last checkpoint runs
again the activations that were pending at that checkpoint.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from typing import Any

import routilux
from routilux import JobNotFoundError, JobState, JobSummary, SerializationError, StoreError
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of
from routilux.serialization import read_json_file, write_json_atomic

_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


class FileJobStore:
    """Jobs as ``DIR/<job_id>.json`` documents."""

    incremental = False

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

    def _path(self, job_id: str) -> str:
        if not _SAFE_ID.match(job_id) or job_id.startswith("."):
            raise StoreError(f"job id {job_id!r} cannot be a file name in {self.url}")
        return os.path.join(self.directory, f"{job_id}.json")

    def save(self, job_state: JobState) -> None:
        try:
            write_json_atomic(self._path(job_state.job_id), job_state.serialize())
        except OSError as exc:
            raise StoreError(f"cannot save job {job_state.job_id} to {self.url}: {exc}") from None

    def load(self, job_id: str) -> JobState:
        path = self._path(job_id)
        try:
            data = read_json_file(path)
        except JobNotFoundError:
            raise JobNotFoundError(f"no job {job_id!r} in {self.url}") from None
        return JobState.from_dict(data)

    def list(
        self, flow_id: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[JobSummary]:
        summaries = []
        for name in os.listdir(self.directory):
            if not name.endswith(".json") or name.startswith("."):
                continue
            try:
                with open(os.path.join(self.directory, name), encoding="utf-8") as handle:
                    data = json.load(handle)
                job = JobState.from_dict(data)
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
        try:
            os.unlink(self._path(job_id))
        except FileNotFoundError:
            raise JobNotFoundError(f"no job {job_id!r} in {self.url}") from None
        shutil.rmtree(self._checkpoint_dir(job_id), ignore_errors=True)

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
        kept = self._kept(job_state.job_id)
        seq = kept[-1] + 1 if kept else 1
        info, data = snapshot_of(job_state, seq)
        try:
            os.makedirs(directory, exist_ok=True)
            write_json_atomic(
                os.path.join(directory, f"{seq}.json"), {"info": info.to_dict(), "job": data}
            )
            for old in [*kept, seq][:-keep]:
                os.unlink(os.path.join(directory, f"{old}.json"))
        except OSError as exc:
            raise StoreError(
                f"cannot keep checkpoint {seq} of job {job_state.job_id} in {self.url}: {exc}"
            ) from None
        return seq

    def history(self, job_id: str) -> list[CheckpointInfo]:
        """The job's kept checkpoints, oldest first."""
        kept = self._kept(job_id)
        if not kept and not os.path.exists(self._path(job_id)):
            raise JobNotFoundError(f"no job {job_id!r} in {self.url}")
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

    def close(self) -> None:
        return None

    def __enter__(self) -> FileJobStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"file": FileJobStore}
