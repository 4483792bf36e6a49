"""Column handling: X's type, dtypes, categories and missing values survive.

Every built-in augmenter gives back rows of X's type, columns and dtypes
(see ``skdistill.augment._columns``), whatever the column types.
"""

import numpy as np
import pandas as pd
import pytest
from augment._data import AUGMENTERS, _frame, _numpy, _valid_values
from numpy.testing import assert_array_equal

CONTINUOUS = ["float", "float32", "int", "uint8", "Int64", "Float64"]
NOMINAL = ["category", "object", "str", "string", "bool", "boolean"]


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


def test_huge_values_give_finite_rows():
    """Values near the float range: finite synthetic rows (found by the fuzz tests).

    The spread of values beyond 1e154 overflowed (its squares), and so did
    MUNGE's |e - e'| / s near 1e308.
    """
    from skdistill.augment import MUNGE, RandomPerturbation

    X = np.array([[0.0], [1.6e154], [0.0]])
    for noise in (0.0, 0.1):
        out = RandomPerturbation(noise=noise, random_state=0).generate(X)
        assert np.isfinite(out).all()
    out = MUNGE(p=1.0, s=0.5, random_state=0).generate(np.array([[0.0], [9e307]]))
    assert np.isfinite(out).all()


@pytest.mark.parametrize("frame", [False, True])
def test_integers_beyond_float_precision_are_copied_exactly(frame):
    """Integers past 2**53 (or near the int64 maximum) are copied, not floated."""
    from skdistill.augment import MUNGE

    big = 2**63 - 512
    values = [big, big, 2**53 + 1]
    X = (
        pd.DataFrame({"a": pd.array(values, dtype="Int64")})
        if frame
        else np.array([values], dtype=np.int64).T
    )
    out = MUNGE(p=0.0, random_state=0).generate(X)
    column = out["a"] if frame else out[:, 0]
    assert set(np.asarray(column, dtype=object).tolist()) <= set(values)
