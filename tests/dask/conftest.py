"""A real cluster for the tests of skdistill.dask: 2 worker processes.

The cluster starts once per session (a few seconds) and its Client is not
the default one: a test that needs it takes the ``client`` fixture, which
makes it current for the test; the others run without any Client (the
local scheduler), as a user without a cluster would.
"""

import warnings

import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask_ml")


@pytest.fixture(scope="session")
def cluster_client():
    """A LocalCluster of 2 single-threaded worker processes, and its Client."""
    with warnings.catch_warnings():
        # its HTTP server (no dashboard) moves to a free port if 8787 is taken
        warnings.filterwarnings("ignore", "Port 8787 is already in use")
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            worker_dashboard_address=None,
        )
    with cluster, distributed.Client(cluster, set_as_default=False) as client:
        yield client


@pytest.fixture
def client(cluster_client):
    """The cluster's Client, current for the test (dask, joblib and
    lightgbm.dask find it)."""
    with cluster_client.as_current():
        yield cluster_client
