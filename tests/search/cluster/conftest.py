"""The Dask cluster the cluster tests share: a LocalCluster of two worker processes over
TCP on 127.0.0.1, started once (starting one costs seconds)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def cluster():
    distributed = pytest.importorskip("distributed", reason="the cluster extra (distributed) is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as local:
        yield local
