"""Tests of the transfer-set generators in ``skdistill._augment``."""

import re
from functools import partial

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from pandas.testing import assert_frame_equal
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.datasets import make_blobs

from skdistill._augment import (
    MUNGE,
    Augmenter,
    FunctionAugmenter,
    RandomPerturbation,
    _Columns,
    _distance_space,
    _nearest_neighbors,
    check_augmenter,
)

AUGMENTERS = [
    pytest.param(MUNGE, id="MUNGE"),
    pytest.param(partial(MUNGE, neighbor_search="approximate"), id="MUNGE-approx"),
    pytest.param(RandomPerturbation, id="RandomPerturbation"),
]
CONTINUOUS = ["float", "float32", "int", "uint8", "Int64", "Float64"]
NOMINAL = ["category", "object", "str", "string", "bool", "boolean"]


def _frame(n_rows=40, seed=0):
    """A DataFrame with every supported column type, most with missing values."""
    rng = np.random.default_rng(seed)
    missing = rng.random((n_rows, 9)) < 0.15
    floats = rng.normal(size=n_rows)
    floats[missing[:, 0]] = np.nan
    colors = rng.choice(["red", "green", "blue"], size=n_rows).astype(object)
    colors[missing[:, 1]] = None
    words = pd.array(rng.choice(["x", "y", "zz"], size=n_rows), dtype="string")
    words[missing[:, 2]] = pd.NA
    counts = pd.array(rng.integers(0, 5, size=n_rows), dtype="Int64")
    counts[missing[:, 3]] = pd.NA
    fractions = pd.array(rng.random(n_rows), dtype="Float64")
    fractions[missing[:, 4]] = pd.NA
    flags = pd.array(rng.random(n_rows) < 0.5, dtype="boolean")
    flags[missing[:, 5]] = pd.NA
    index = [f"row{i}" for i in range(n_rows)]
    sizes = pd.Categorical(
        rng.choice(["S", "M", "L"], size=n_rows), categories=["S", "M", "L", "XL"]
    )
    sizes[missing[:, 6]] = np.nan
    return pd.DataFrame(
        {
            "float": floats,
            "float32": rng.normal(size=n_rows).astype(np.float32),
            "int": rng.integers(-50, 50, size=n_rows),
            "uint8": rng.integers(0, 256, size=n_rows).astype(np.uint8),
            "Int64": counts,
            "Float64": fractions,
            "category": sizes,
            "object": pd.Series(colors, dtype=object, index=index),
            "str": pd.Series(colors, index=index),
            "string": words,
            "bool": rng.random(n_rows) < 0.3,
            "boolean": flags,
        },
        index=index,
    )


def _numpy(kind, n_rows=30, seed=0):
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(n_rows, 3))
    if kind == "float64":
        values[rng.random(values.shape) < 0.1] = np.nan
        return values
    if kind == "float32":
        return values.astype(np.float32)
    if kind == "int64":
        return np.rint(values * 10).astype(np.int64)
    if kind == "uint8":
        return rng.integers(0, 256, size=(n_rows, 3)).astype(np.uint8)
    if kind == "bool":
        return values > 0
    if kind == "str":
        return rng.choice(["a", "b", "c"], size=(n_rows, 3))
    values = rng.choice(["a", "b"], size=(n_rows, 3)).astype(object)
    values[0, 0], values[1, 1] = None, np.nan
    return values


def _encode(X):
    """The continuous values and nominal codes that MUNGE measures distance on."""
    columns = _Columns(X)
    return columns.continuous, columns.nominal_codes()


def _valid_values(column):
    return set(column.dropna().tolist())


def _rows(X):
    """The rows of an array as a set of tuples."""
    return {tuple(row) for row in np.asarray(X).tolist()}


# -- type, shape and dtype preservation -------------------------------------------


@pytest.mark.parametrize("make", AUGMENTERS)
@pytest.mark.parametrize(
    "kind", ["float64", "float32", "int64", "uint8", "bool", "str", "object"]
)
def test_numpy_in_numpy_out_same_dtype(make, kind):
    """A numpy array gives a numpy array of the same dtype and columns."""
    X = _numpy(kind)
    X_synthetic = make(size=1.5, random_state=0).generate(X)
    assert isinstance(X_synthetic, np.ndarray)
    assert X_synthetic.dtype == X.dtype
    assert X_synthetic.shape == (45, 3)


@pytest.mark.parametrize("make", AUGMENTERS)
def test_dataframe_in_dataframe_out_same_columns_and_dtypes(make):
    """A DataFrame gives a DataFrame with its columns, dtypes and categories."""
    X = _frame()
    X_synthetic = make(size=2.0, random_state=0).generate(X)
    assert isinstance(X_synthetic, pd.DataFrame)
    assert list(X_synthetic.columns) == list(X.columns)
    assert X_synthetic.dtypes.to_dict() == X.dtypes.to_dict()
    assert_array_equal(
        X_synthetic["category"].cat.categories, X["category"].cat.categories
    )
    pd.testing.assert_index_equal(X_synthetic.index, pd.RangeIndex(80))


@pytest.mark.parametrize("make", AUGMENTERS)
def test_values_stay_valid_with_missing_values(make):
    """Nominal values come from the column; missing values never become garbage."""
    X = _frame()
    X_synthetic = make(size=3.0, random_state=1).generate(X)
    for name in NOMINAL:
        assert _valid_values(X_synthetic[name]) <= _valid_values(X[name]), name
    for name in CONTINUOUS:
        values = X_synthetic[name].to_numpy(dtype=np.float64, na_value=np.nan)
        assert np.isfinite(values[~np.isnan(values)]).all(), name
        if not X[name].isna().any():
            assert not np.isnan(values).any(), name
    for name in ["int", "uint8", "Int64"]:
        values = X_synthetic[name].dropna().to_numpy(dtype=np.float64)
        assert_array_equal(values, np.rint(values))
    assert X_synthetic["uint8"].between(0, 255).all()


@pytest.mark.parametrize("make", AUGMENTERS)
def test_columns_without_any_value(make):
    """Columns that are entirely missing stay missing."""
    X = pd.DataFrame(
        {
            "x": [np.nan] * 5,
            "c": pd.Series([None] * 5, dtype=object),
            "k": pd.Categorical([None] * 5, categories=["a"]),
            "y": np.arange(5.0),
        }
    )
    X_synthetic = make(size=2.0, random_state=0).generate(X)
    assert X_synthetic[["x", "c", "k"]].isna().all().all()
    assert X_synthetic.dtypes.to_dict() == X.dtypes.to_dict()


@pytest.mark.parametrize("make", AUGMENTERS)
def test_dataframe_with_duplicate_column_names(make):
    """Columns are rebuilt by position, so repeated names survive."""
    X = pd.DataFrame(np.arange(12.0).reshape(4, 3), columns=["a", "a", "b"])
    X_synthetic = make(random_state=0).generate(X)
    assert list(X_synthetic.columns) == ["a", "a", "b"]
    assert X_synthetic.shape == (4, 3)


@pytest.mark.parametrize("make", AUGMENTERS)
def test_list_input_gives_array(make):
    """Array-likes other than DataFrames come back as numpy arrays."""
    X_synthetic = make(random_state=0).generate([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    assert isinstance(X_synthetic, np.ndarray)
    assert X_synthetic.shape == (3, 2)


@pytest.mark.parametrize(
    "augmenter",
    [
        MUNGE(size=2.0, p=1.0, random_state=0),
        MUNGE(size=2.0, p=1.0, neighbor_search="approximate", random_state=0),
        RandomPerturbation(size=2.0, fraction=1.0, noise=1.0, random_state=0),
    ],
)
@pytest.mark.parametrize("as_frame", [False, True])
def test_input_not_modified(augmenter, as_frame):
    """generate never writes into X."""
    X = _frame() if as_frame else _numpy("float64")
    before = X.copy()
    augmenter.generate(X)
    if as_frame:
        assert_frame_equal(X, before)
    else:
        assert_array_equal(X, before)


# -- size and reproducibility -------------------------------------------------------


@pytest.mark.parametrize("make", AUGMENTERS)
@pytest.mark.parametrize("size", [0.5, 1, 2.5, 3.3, 10])
def test_size_gives_rounded_number_of_rows(make, size):
    """size is a multiple of the training-set size: round(size * n) rows."""
    X = _numpy("float64", n_rows=7)
    assert make(size=size, random_state=0).generate(X).shape == (round(size * 7), 3)


@pytest.mark.parametrize("make", AUGMENTERS)
def test_zero_rows_keep_columns(make):
    """A size rounding to no row gives an empty result with X's columns."""
    X = _frame(n_rows=10)
    X_synthetic = make(size=0.01, random_state=0).generate(X)
    assert X_synthetic.shape == (0, X.shape[1])
    assert X_synthetic.dtypes.to_dict() == X.dtypes.to_dict()


@pytest.mark.parametrize("make", AUGMENTERS)
def test_same_seed_same_rows_other_seed_other_rows(make):
    """The augmenter's random_state, or generate's, fixes the rows."""
    X = _frame()
    first = make(random_state=3).generate(X)
    assert_frame_equal(first, make(random_state=3).generate(X))
    assert_frame_equal(first, make(random_state=99).generate(X, random_state=3))
    assert_frame_equal(first, make().generate(X, random_state=np.random.RandomState(3)))
    assert not first.equals(make(random_state=4).generate(X))


# -- MUNGE semantics ------------------------------------------------------------------


def test_munge_p0_pairs_each_example_with_its_nearest_neighbour():
    """With p=0 the rows are copies: each example then its nearest neighbour."""
    X = np.array([[0.0], [1.0], [3.0], [10.0]])
    X_synthetic = MUNGE(size=5.0, p=0.0, random_state=0).generate(X)[:, 0]
    pairs = set(zip(X_synthetic[0::2], X_synthetic[1::2], strict=True))
    assert pairs == {(0.0, 1.0), (1.0, 0.0), (3.0, 1.0), (10.0, 3.0)}


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


# -- RandomPerturbation semantics ---------------------------------------------------


def test_perturbation_without_noise_takes_values_from_the_columns():
    """With noise=0 every cell is a value of its column in X."""
    X = _frame()
    X_synthetic = RandomPerturbation(
        size=3.0, fraction=1.0, noise=0.0, random_state=0
    ).generate(X)
    for name in X.columns:
        assert _valid_values(X_synthetic[name]) <= _valid_values(X[name]), name


def test_perturbation_replaces_a_fraction_of_the_cells():
    """About `fraction` of a row's cells come from other rows."""
    X = np.repeat(np.arange(50.0)[:, None], 20, axis=1)
    X_synthetic = RandomPerturbation(
        size=40.0, fraction=0.3, noise=0.0, random_state=0
    ).generate(X)
    base = np.array([np.bincount(row.astype(int)).argmax() for row in X_synthetic])
    replaced = (X_synthetic != base[:, None]).mean()
    assert abs(replaced - 0.3 * 49 / 50) < 0.01


def test_perturbation_noise_is_a_multiple_of_the_column_std():
    """Continuous cells get Normal(0, noise * std) noise; nominal cells none."""
    X = pd.DataFrame({"x": [0.0, 1.0] * 10, "c": ["a", "b"] * 10})
    X_synthetic = RandomPerturbation(
        size=500.0, fraction=0.5, noise=0.1, random_state=0
    ).generate(X)
    residual = X_synthetic["x"] - np.rint(X_synthetic["x"])
    assert abs(residual.std() - 0.1 * 0.5) < 0.005
    assert set(X_synthetic["c"]) == {"a", "b"}


# -- custom generators and check_augmenter ------------------------------------------


def test_function_augmenter_calls_the_callable():
    """The callable gets X, the number of rows and a RandomState."""
    calls = []

    def bootstrap(X, n_samples, random_state):
        calls.append((X, n_samples, random_state))
        return X[random_state.randint(X.shape[0], size=n_samples)]

    X = _numpy("float32", n_rows=10)
    X_synthetic = FunctionAugmenter(bootstrap, size=2.0, random_state=0).generate(X)
    assert X_synthetic.shape == (20, 3)
    assert calls[0][0] is X and calls[0][1] == 20
    assert isinstance(calls[0][2], np.random.RandomState)
    assert _rows(X_synthetic) <= _rows(X)


def _first_row(X, n_samples, random_state):
    return X[:1]


def _as_array(X, n_samples, random_state):
    return X.to_numpy()


def _renamed(X, n_samples, random_state):
    return X.rename(columns={"a": "b"})


@pytest.mark.parametrize(
    "func, X, message",
    [
        (
            _first_row,
            np.ones((4, 2)),
            "The func '_first_row' of FunctionAugmenter must return 4 rows of 2 "
            "columns, shape (4, 2); got shape (1, 2).",
        ),
        (
            _as_array,
            pd.DataFrame({"a": [1.0, 2.0]}),
            "The func '_as_array' of FunctionAugmenter must return a DataFrame "
            "for a DataFrame X; got ndarray.",
        ),
        (
            _renamed,
            pd.DataFrame({"a": [1.0, 2.0]}),
            "The func '_renamed' of FunctionAugmenter must return the columns of "
            "X, ['a']; got ['b'].",
        ),
    ],
)
def test_function_augmenter_checks_the_result(func, X, message):
    """A result of the wrong shape, type or columns is an error."""
    with pytest.raises(ValueError, match=re.escape(message)):
        FunctionAugmenter(func).generate(X)


def test_subclass_implementing_generate():
    """A subclass only implements _generate; params, clone and validation work."""

    class Bootstrap(Augmenter):
        def _generate(self, X, n_samples, rng):
            return X.iloc[rng.randint(X.shape[0], size=n_samples)]

    X = _frame(n_rows=10)
    augmenter = clone(Bootstrap(size=0.5, random_state=0))
    assert augmenter.get_params() == {"size": 0.5, "random_state": 0}
    assert augmenter.generate(X).shape == (5, X.shape[1])
    with pytest.raises(ValueError, match="The 'size' parameter of Bootstrap"):
        Bootstrap(size=-1).generate(X)


def test_augmenter_is_abstract():
    """The base class itself generates nothing."""
    with pytest.raises(TypeError, match="abstract"):
        Augmenter()


def test_check_augmenter_conversions():
    """None, names, instances and callables become augmenters."""
    assert check_augmenter(None) is None
    assert isinstance(check_augmenter("munge"), MUNGE)
    assert isinstance(check_augmenter("perturb"), RandomPerturbation)
    augmenter = MUNGE(p=0.2)
    assert check_augmenter(augmenter) is augmenter

    def func(X, n_samples, random_state):
        return X[:n_samples]

    wrapped = check_augmenter(func)
    assert isinstance(wrapped, FunctionAugmenter) and wrapped.func is func


@pytest.mark.parametrize(
    "augment, hint",
    [
        ("smote", ""),
        (3, ""),
        (MUNGE, " (pass an instance, e.g. MUNGE())"),
    ],
)
def test_check_augmenter_error_names_the_parameter(augment, hint):
    """Other values raise a ValueError listing the valid ones."""
    message = (
        "The augment parameter must be None, 'munge', 'perturb', an Augmenter "
        "instance or a callable f(X, n_samples, random_state) -> X_synthetic; "
        f"got {augment!r}{hint}."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        check_augmenter(augment)


# -- scikit-learn parameter API ------------------------------------------------------


def test_get_params_set_params_clone():
    """Augmenters are BaseEstimators: params, clone and nested set_params work."""
    augmenter = MUNGE(size=2.0, p=0.3, random_state=1)
    assert augmenter.get_params() == {
        "chunk_size": 10_000,
        "neighbor_search": "auto",
        "p": 0.3,
        "random_state": 1,
        "s": 1.0,
        "size": 2.0,
    }
    cloned = clone(augmenter)
    assert cloned is not augmenter and cloned.get_params() == augmenter.get_params()
    assert augmenter.set_params(size=0.5) is augmenter and augmenter.size == 0.5

    class Holder(BaseEstimator):
        def __init__(self, augment=None):
            self.augment = augment

    holder = Holder(augment=RandomPerturbation()).set_params(augment__size=3.0)
    assert holder.augment.size == 3.0
    assert holder.get_params()["augment__fraction"] == 0.3
    assert holder.augment.generate(np.ones((4, 2))).shape == (12, 2)


@pytest.mark.parametrize(
    "augmenter, parameter",
    [
        (MUNGE(size=0), "size"),
        (MUNGE(size=-1.0), "size"),
        (MUNGE(size=float("nan")), "size"),
        (MUNGE(p=-0.1), "p"),
        (MUNGE(p=1.5), "p"),
        (MUNGE(s=0), "s"),
        (MUNGE(s=-2.0), "s"),
        (MUNGE(neighbor_search="kd_tree"), "neighbor_search"),
        (MUNGE(chunk_size=0), "chunk_size"),
        (MUNGE(random_state="seed"), "random_state"),
        (RandomPerturbation(size=0.0), "size"),
        (RandomPerturbation(fraction=0), "fraction"),
        (RandomPerturbation(fraction=1.2), "fraction"),
        (RandomPerturbation(noise=-0.1), "noise"),
        (RandomPerturbation(chunk_size=0.5), "chunk_size"),
        (FunctionAugmenter("not callable"), "func"),
    ],
)
def test_bad_parameters_raise_naming_the_parameter(augmenter, parameter):
    """Parameters are validated by generate, with the parameter's name."""
    name = type(augmenter).__name__
    with pytest.raises(
        ValueError, match=re.escape(f"The '{parameter}' parameter of {name} must be")
    ):
        augmenter.generate(np.ones((4, 2)))


@pytest.mark.parametrize(
    "X, error, message",
    [
        (sparse.csr_matrix(np.ones((3, 2))), TypeError, "Sparse input is not"),
        (np.ones(3), ValueError, "X must be 2D of shape (n_samples, n_features)"),
        (np.ones((0, 2)), ValueError, "X must have at least one row and one column"),
        (np.array([[1.0, np.inf], [0.0, 1.0]]), ValueError, "X contains infinite"),
        (np.ones((3, 2), dtype=complex), ValueError, "X has dtype complex128"),
    ],
)
@pytest.mark.parametrize("make", AUGMENTERS)
def test_bad_input_raises(make, X, error, message):
    """Inputs the augmenters cannot handle raise a clear error."""
    with pytest.raises(error, match=re.escape(message)):
        make().generate(X)


def test_n_samples_rounds_half_to_even():
    """round(size * n) is Python's round."""
    X = np.arange(4.0).reshape(2, 2)
    assert RandomPerturbation(size=1.25).generate(X).shape[0] == 2  # round(2.5)
    assert RandomPerturbation(size=1.75).generate(X).shape[0] == 4  # round(3.5)


def test_function_augmenter_output_takes_the_dtypes_of_x():
    """A user generator's columns are converted to X's dtypes and categories."""
    import pandas as pd

    from skdistill._augment import FunctionAugmenter

    X = pd.DataFrame(
        {"num": [1.0, 2.0, 3.0, 4.0], "cat": pd.Categorical(["a", "b", "c", "a"])}
    )

    def gen(X, n, rs):
        return pd.DataFrame(
            {"num": rs.normal(size=n), "cat": rs.choice(["a", "b"], size=n)},
            index=np.arange(10, 10 + n),
        )

    out = FunctionAugmenter(gen, random_state=0).generate(X)
    assert out["cat"].dtype == X["cat"].dtype
    assert list(out.index) == list(range(len(out)))

    def bad(X, n, rs):
        return pd.DataFrame({"num": np.zeros(n), "cat": ["z"] * n})

    with pytest.raises(ValueError, match="column 'cat'"):
        FunctionAugmenter(bad).generate(X)
