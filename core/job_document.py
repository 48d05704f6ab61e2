"""JobDocument: a JobState as a saved document (serialize, deserialize, save, load).

A base class of `JobState`. `routilux.serialization` does the work: it never
imports `routilux.job_state` (JobState's class is passed, or registered by that
module), so saving and loading form no import cycle.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, cast

from .errors import SerializationError, with_hint
from .json_files import read_json_file, write_json_atomic
from .payload import check_payload
from .serialization import DOCUMENT_WRAPPING, structure_job_state, unstructure_job_state

if TYPE_CHECKING:
    from .job_state import JobState


class JobDocument:
    """The saving and loading side of a `JobState` (see the module docstring)."""

    if not TYPE_CHECKING:  # no __dict__ for JobState
        __slots__ = ()

    if TYPE_CHECKING:  # defined by JobState

        @property
        def json_only(self) -> bool: ...

        def take_content(self, other: JobState) -> None: ...

    def serialize(self) -> dict[str, Any]:
        """JSON-compatible data with routilux 0.10's keys, and each of routilux's own
        (``schema_version``, ``routine_counts``, ``history_limit`` ...) only when
        loading could not infer it (`routilux.job_keys`); `deserialize` restores an
        equal JobState."""
        return unstructure_job_state(cast("JobState", self))

    def deserialize(self, data: dict[str, Any]) -> JobState:
        """Replace this JobState's content with `data` (from `serialize`); returns self.

        Raises `SerializationError` (or `SchemaVersionError`) on malformed data.
        The output handler is kept: it is not part of the serialized state.
        """
        job = cast("JobState", self)
        self.take_content(structure_job_state(data, type(job)))
        return job

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobState:
        """A new JobState from serialized data."""
        return structure_job_state(data, cast("type[JobState]", cls))

    def save(self, filepath: str | os.PathLike[str]) -> None:
        """Write the JobState to a JSON file atomically (temporary file, fsync, rename).

        A job run without a store may hold any Python object: one that JSON cannot
        hold is a `NotSerializableError` naming where it is, and nothing is written.
        """
        document = self.serialize()
        if not self.json_only:
            check_payload(document, "job", -DOCUMENT_WRAPPING)
        write_json_atomic(os.fspath(filepath), document)

    @classmethod
    def load(cls, filepath: str | os.PathLike[str]) -> JobState:
        """Read a JobState written by `save` (a document marked ``"_type": "JobState"``,
        as `save` and routilux 0.10 write them)."""
        path = os.fspath(filepath)
        document = read_json_file(path)
        if not isinstance(document, dict) or document.get("_type") != "JobState":
            raise with_hint(
                SerializationError(f"Invalid JobState file format: {path}"),
                'it is not a JobState document (no "_type": "JobState"); load files '
                "that JobState.save wrote",
            )
        return cls.from_dict(document)
