"""MUNGE's nearest-neighbour search and its distance space.

Tests of ``skdistill.augment._neighbors``: the distance space, the exact and
approximate searches, and the switch of ``neighbor_search="auto"``.
"""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import make_blobs

from skdistill.augment import MUNGE
from skdistill.augment._columns import _Columns
from skdistill.augment._neighbors import _distance_space, _nearest_neighbors


def _encode(X):
    """The continuous values and nominal codes that MUNGE measures distance on."""
    columns = _Columns(X)
    return columns.continuous, columns.nominal_codes()


@pytest.mark.parametrize("neighbor_search", ["exact", "approximate"])
def test_munge_duplicate_row_is_a_neighbour_the_row_itself_is_not(neighbor_search):
    """A duplicate is a neighbour at distance 0; the row itself never is."""
    Z = np.array([[0.0], [0.0], [0.0], [5.0], [7.0]], dtype=np.float32)
    neighbors = _nearest_neighbors(
        Z, neighbor_search=neighbor_search, chunk_size=2, rng=np.random.RandomState(0)
    )
    assert np.all(neighbors != np.arange(5))
    assert set(neighbors[:3]) <= {0, 1, 2}
    assert neighbors[3] == 4 and neighbors[4] == 3


def test_distance_space_scales_continuous_and_counts_mismatches():
    """Squared distance = sum of scaled differences**2 + nominal mismatches."""
    X = pd.DataFrame(
        {
            "x": [0.0, 10.0, 5.0, np.nan],
            "c": pd.Categorical(["a", "a", "b", None]),
        }
    )
    Z = _distance_space(*_encode(X)).astype(np.float64)
    squared = ((Z[:, None, :] - Z[None, :, :]) ** 2).sum(axis=2)
    # x scales to 0, 1, 0.5 and its missing value to the median 0.5;
    # a missing category is a level of its own.
    expected = np.array(
        [
            [0.0, 1.0, 1.25, 1.25],
            [1.0, 0.0, 1.25, 1.25],
            [1.25, 1.25, 0.0, 1.0],
            [1.25, 1.25, 1.0, 0.0],
        ]
    )
    assert_allclose(squared, expected, atol=1e-6)


def test_distance_space_bounds_the_width_of_many_levels():
    """A nominal column with many levels takes at most 32 slots."""
    ids = [f"user{i}" for i in list(range(32)) * 3 + list(range(32, 50))]
    X = pd.DataFrame({"id": ids})
    Z = _distance_space(*_encode(X))
    assert Z.shape == (len(ids), 32)
    # The 32 most frequent levels are apart: a mismatch among them counts 1.
    top = X["id"].isin(X["id"].value_counts().index[:32]).to_numpy()
    first, others = np.flatnonzero(top)[0], np.flatnonzero(top)[1:]
    differ = X["id"].to_numpy()[others] != X["id"].to_numpy()[first]
    distance = ((Z[others] - Z[first]) ** 2).sum(axis=1)
    assert_allclose(distance[differ], 1.0, atol=1e-6)
    assert_allclose(distance[~differ], 0.0, atol=1e-6)


def test_approximate_search_finds_close_neighbours():
    """The random-projection forest finds the exact neighbour for most rows."""
    Z, _ = make_blobs(n_samples=3000, n_features=4, centers=20, random_state=0)
    Z = Z.astype(np.float32)
    exact = _nearest_neighbors(Z, neighbor_search="exact", chunk_size=1000, rng=None)
    approximate = _nearest_neighbors(
        Z, neighbor_search="approximate", chunk_size=500, rng=np.random.RandomState(0)
    )
    assert np.all(approximate != np.arange(3000))
    found = np.linalg.norm(Z - Z[approximate], axis=1)
    best = np.linalg.norm(Z - Z[exact], axis=1)
    assert np.mean(np.isclose(found, best)) > 0.9
    assert found.mean() < 1.05 * best.mean()


def test_munge_auto_uses_the_approximate_search_on_many_rows():
    """Past 20,000 rows, "auto" searches approximately and still pairs correctly."""
    X = np.arange(25_000.0)[:, None] * [1.0, 2.0]
    X_synthetic = MUNGE(p=0.0, random_state=0).generate(X)
    gap = np.abs(X_synthetic[0::2, 0] - X_synthetic[1::2, 0])
    assert np.all(gap >= 1) and np.mean(gap == 1) > 0.99
