"""One LocalCluster with 2 worker processes for the whole session.

The workers import the routine classes from this directory: it is put on their
PYTHONPATH before they start.
"""

from __future__ import annotations

import os
import pathlib

import pytest

HERE = pathlib.Path(__file__).parent


@pytest.fixture(scope="session")
def cluster():
    import dask
    from distributed import LocalCluster

    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(HERE), os.environ.get("PYTHONPATH", "")) if p
    )
    # a worker that dies fails the activation at once, as the executor's own cluster does
    dask.config.set({"distributed.scheduler.allowed-failures": 0})
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


@pytest.fixture
def dask_options(cluster):
    return {"address": cluster.scheduler_address}
