"""MUNGE: pairs of an example and its nearest neighbour, swapped and perturbed."""

import re

import numpy as np
import pandas as pd
import pytest
from augment._data import _frame, _rows, _valid_values
from numpy.testing import assert_allclose
from pandas.testing import assert_frame_equal

from skdistill.augment import MUNGE


def test_munge_p0_pairs_each_example_with_its_nearest_neighbour():
    """With p=0 the rows are copies: each example then its nearest neighbour."""
    X = np.array([[0.0], [1.0], [3.0], [10.0]])
    X_synthetic = MUNGE(size=5.0, p=0.0, random_state=0).generate(X)[:, 0]
    pairs = set(zip(X_synthetic[0::2], X_synthetic[1::2], strict=True))
    assert pairs == {(0.0, 1.0), (1.0, 0.0), (3.0, 1.0), (10.0, 3.0)}


def test_munge_p1_infinite_s_is_an_exact_swap():
    """p=1, s=inf swaps every attribute: the pair comes out as (e', e)."""
    X = pd.DataFrame(
        {
            "x": [0.0, 1.0, 100.0, 104.0],
            "y": [5, 6, -5, -9],
            "c": pd.Categorical(["a", "b", "c", "d"]),
        }
    )
    X_synthetic = MUNGE(size=4.0, p=1.0, s=np.inf, random_state=0).generate(X)
    assert _rows(X_synthetic) <= _rows(X)
    pairs = set(zip(X_synthetic["x"][0::2], X_synthetic["x"][1::2], strict=True))
    assert pairs == {(1.0, 0.0), (0.0, 1.0), (104.0, 100.0), (100.0, 104.0)}


def test_munge_huge_s_takes_the_neighbour_values_within_the_pair():
    """s huge: each attribute takes e's or e''s value, from the same pair only."""
    X = np.array([[0.0, 0.0], [1.0, 1.0], [100.0, 200.0], [101.0, 201.0]])
    X_synthetic = MUNGE(size=50.0, p=0.5, s=1e12, random_state=0).generate(X)
    low = X_synthetic[:, 0] < 50
    assert_allclose(X_synthetic[low], np.rint(X_synthetic[low]), atol=1e-9)
    assert set(np.rint(X_synthetic[low]).ravel()) <= {0.0, 1.0}
    assert set(np.rint(X_synthetic[~low] - [100, 200]).ravel()) <= {0.0, 1.0}
    mixed = np.rint(X_synthetic[low, 0]) != np.rint(X_synthetic[low, 1])
    assert 0 < mixed.mean() < 1


@pytest.mark.parametrize("s", [1.0, 4.0])
def test_munge_draws_are_normal_around_the_neighbour_value(s):
    """e_a ~ Normal(e'_a, |e_a - e'_a| / s) and e'_a ~ Normal(e_a, same sd)."""
    # With p=1 the nominal "row" is swapped too: the copy of A takes B's
    # label and a draw around B's value 10, and the other way round.
    X = pd.DataFrame({"x": [0.0, 10.0], "row": ["A", "B"]})
    X_synthetic = MUNGE(size=2000.0, p=1.0, s=s, random_state=0).generate(X)
    sd = 10.0 / s
    for label, centre in [("B", 10.0), ("A", 0.0)]:
        values = X_synthetic.loc[X_synthetic["row"] == label, "x"]
        assert values.size == 2000
        assert abs(values.mean() - centre) < 0.1 * sd
        assert abs(values.std() - sd) < 0.1 * sd


def test_munge_nominal_swap_and_values_from_the_column():
    """Each attribute is swapped with probability p; nominal values are X's."""
    X = pd.DataFrame({"x": [0.0, 0.1, 9.0, 9.1], "c": ["a", "b", "c", "d"]})
    X_synthetic = MUNGE(size=100.0, p=0.2, s=np.inf, random_state=0).generate(X)
    assert set(X_synthetic["c"]) == {"a", "b", "c", "d"}
    pairs = X_synthetic["c"].to_numpy().reshape(-1, 2)
    assert {frozenset(pair) for pair in pairs.tolist()} == {
        frozenset("ab"),
        frozenset("cd"),
    }
    # A row is a training row when both or neither attribute was swapped.
    original = X_synthetic.merge(X, how="left", indicator=True)["_merge"] == "both"
    assert abs(original.mean() - (0.2**2 + 0.8**2)) < 0.07


def test_munge_missing_cell_of_either_row_is_left_as_is():
    """When e_a or e'_a is missing, neither row's attribute a changes."""
    X = pd.DataFrame(
        {
            "x": [np.nan, 2.0],
            "y": [1.0, np.nan],
            "c": pd.Series([None, "u"], dtype=object),
            "d": ["p", "q"],
        }
    )
    X_synthetic = MUNGE(size=2.0, p=1.0, s=np.inf, random_state=0).generate(X)
    expected = pd.DataFrame(
        {
            "x": [np.nan, 2.0],
            "y": [1.0, np.nan],
            "c": pd.Series([None, "u"], dtype=object),
            "d": ["q", "p"],
        }
    )
    for first in (0, 2):
        pair = X_synthetic.iloc[first : first + 2].reset_index(drop=True)
        if pair["y"].isna().iloc[0]:
            pair = pair.iloc[::-1].reset_index(drop=True)
        assert_frame_equal(pair, expected)


def test_munge_chunk_size_changes_nothing_but_the_draws():
    """Small chunks give valid rows of the same shape."""
    X = _frame()
    X_synthetic = MUNGE(size=2.0, chunk_size=3, random_state=0).generate(X)
    assert X_synthetic.shape == (80, X.shape[1])
    assert _valid_values(X_synthetic["category"]) <= _valid_values(X["category"])


def test_munge_needs_two_rows():
    """A single row has no neighbour."""
    with pytest.raises(ValueError, match=re.escape("MUNGE needs at least 2 rows in X")):
        MUNGE().generate(np.ones((1, 3)))
