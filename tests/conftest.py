"""Fixtures shared by several test modules (each opts in with usefixtures)."""

import pytest
from _helpers import reset_counts
from threadpoolctl import threadpool_limits


@pytest.fixture
def one_thread_per_library():
    """Tiny models: extra BLAS/OpenMP threads only cost spin-waiting."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def fresh_counts():
    """The counting teachers start every test at zero fits."""
    reset_counts()
