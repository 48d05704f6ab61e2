"""Malformed and truncated JobState documents: loading raises a RoutiluxError, nothing else."""

from __future__ import annotations

import json
import sqlite3
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routilux import JobState, RoutiluxError, open_store
from routilux.store_conformance import sample_job

VALID = sample_job(pause=True).serialize()
JOB_ID = VALID["job_id"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def paths(value, prefix=()):
    """Every path into a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


ALL_PATHS = list(paths(VALID))[1:]


@st.composite
def mutated_documents(draw):
    """The valid document with a few values replaced, deleted, or its lists cut short."""
    doc = json.loads(json.dumps(VALID))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = draw(st.sampled_from(["replace", "delete", "truncate"]))
            if action == "replace":
                parent[path[-1]] = draw(json_values)
            elif action == "delete" and isinstance(parent, dict):
                del parent[path[-1]]
            elif isinstance(parent[path[-1]], list):
                parent[path[-1]] = parent[path[-1]][: draw(st.integers(0, 2))]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this path
    return doc


def loads_or_routilux_error(load):
    try:
        job = load()
    except RoutiluxError:
        return
    assert isinstance(job, JobState)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(mutated_documents())
def test_deserialize_mutated_documents(doc):
    loads_or_routilux_error(lambda: JobState().deserialize(doc))


@FUZZ
@given(json_values)
def test_deserialize_arbitrary_json(doc):
    loads_or_routilux_error(lambda: JobState.from_dict(doc))


TEXT = json.dumps(VALID)


@FUZZ
@given(st.integers(0, len(TEXT) - 1))
def test_file_store_load_of_truncated_documents(tmp_path_factory, cut):
    directory = tmp_path_factory.mktemp("jobs")
    (directory / f"{JOB_ID}.json").write_text(TEXT[:cut])
    with open_store(f"file://{directory}") as store:
        loads_or_routilux_error(lambda: store.load(JOB_ID))


@FUZZ
@given(mutated_documents())
def test_file_store_load_of_mutated_documents(tmp_path_factory, doc):
    directory = tmp_path_factory.mktemp("jobs")
    (directory / f"{JOB_ID}.json").write_text(json.dumps(doc))
    with open_store(f"file://{directory}") as store:
        loads_or_routilux_error(lambda: store.load(JOB_ID))


@FUZZ
@given(
    mutated_documents(), st.integers(0, 200), st.sampled_from(["document", "history", "pending"])
)
def test_sqlite_store_load_of_corrupt_rows(tmp_path_factory, doc, cut, part):
    path = tmp_path_factory.mktemp("db") / "jobs.db"
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        store.save(JobState.from_dict(VALID))
    connection = sqlite3.connect(path)
    with connection:
        if part == "document":
            connection.execute(
                "UPDATE jobs SET document = ?", (json.dumps(doc)[: cut * 10 or None],)
            )
        elif part == "history":
            connection.execute(
                "UPDATE history SET body = ? WHERE idx = 0", (json.dumps(doc)[:cut],)
            )
        else:
            connection.execute("UPDATE pending_chunks SET body = ?", (json.dumps(doc)[:cut],))
    connection.close()
    with open_store(url) as store:
        loads_or_routilux_error(lambda: store.load(JOB_ID))


@FUZZ
@given(mutated_documents(), st.sampled_from(["document", "history"]))
def test_memory_store_load_of_corrupt_parts(doc, part):
    with open_store(f"memory://{uuid.uuid4()}") as store:
        store.save(JobState.from_dict(VALID))
        stored = store._space.jobs[JOB_ID]  # corrupt what the store holds, in place
        if part == "document":
            stored["document"] = json.dumps(doc)
        else:
            stored["history"][0] = json.dumps(doc)
        loads_or_routilux_error(lambda: store.load(JOB_ID))
