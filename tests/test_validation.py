"""Input checks shared by the estimators (skdistill/_validation.py)."""

import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdistill._validation import (
    _allows_nan,
    _has_nan,
    _is_dataframe,
    _object_to_float,
    check_grid_values,
    final_estimator,
)


def test_has_nan_in_every_container():
    """NaN, None and pandas NA are found in arrays, objects, sparse and frames."""
    assert _has_nan(np.array([[1.0, np.nan]]))
    assert not _has_nan(np.array([[1.0, 2.0]]))
    assert _has_nan(np.array([["a", None]], dtype=object))
    assert _has_nan(sp.csr_matrix(np.array([[0.0, np.nan]])))
    assert not _has_nan(np.array([[1, 2]]))
    assert _has_nan(pd.DataFrame({"a": pd.array([1, None], dtype="Int64")}))
    assert _is_dataframe(pd.DataFrame({"a": [1]}))
    assert not _is_dataframe(np.zeros((1, 1)))


def test_allows_nan_reads_a_pipeline_by_its_steps():
    """Scalers pass NaN on, so their final step decides; an imputer is trusted."""
    assert _allows_nan(HistGradientBoostingClassifier())
    assert not _allows_nan(LogisticRegression())
    assert not _allows_nan(make_pipeline(StandardScaler(), LogisticRegression()))
    assert _allows_nan(make_pipeline(SimpleImputer(), LogisticRegression()))
    lr = LogisticRegression()
    assert final_estimator(make_pipeline(StandardScaler(), lr)) is lr
    assert final_estimator(lr) is lr


def test_allows_nan_looks_inside_a_frozen_estimator():
    """A frozen imputing Pipeline (a prefit teacher) takes NaN; a frozen
    logistic regression does not: FrozenEstimator's own tags say neither."""
    X = np.array([[0.0, 1.0], [np.nan, 2.0], [1.0, np.nan], [2.0, 3.0]])
    y = np.array([0, 1, 0, 1])
    imputing = make_pipeline(SimpleImputer(), LogisticRegression()).fit(X, y)
    assert _allows_nan(FrozenEstimator(imputing))
    plain = LogisticRegression().fit(np.nan_to_num(X), y)
    assert not _allows_nan(FrozenEstimator(plain))


def test_object_to_float_keeps_strings():
    """Numbers held as objects become floats; strings stay as they are."""
    assert _object_to_float(np.array([[1, 2.5]], dtype=object)).dtype == np.float64
    strings = np.array([["a", "b"]], dtype=object)
    assert _object_to_float(strings) is strings


@pytest.mark.parametrize(
    "values, low, high, low_closed, bounds",
    [
        ([], 0.0, 1.0, True, "in [0, 1]"),
        ([0.5, 2.0], 0.0, 1.0, True, "in [0, 1]"),
        ([0.0, 1.0], 0.0, None, False, "> 0"),
        ([[1.0]], 0.0, None, True, ">= 0"),
        (["a"], 0.0, None, True, ">= 0"),
        ([np.inf], 0.0, None, False, "> 0"),
    ],
)
def test_check_grid_values_names_the_parameter(values, low, high, low_closed, bounds):
    """A bad grid is an error that names it and its bounds."""
    with pytest.raises(
        ValueError,
        match=re.escape(f"alphas must be a non-empty list of numbers {bounds}; got"),
    ):
        check_grid_values(values, "alphas", low, high, low_closed)
    assert check_grid_values([1, 0.5], "alphas", 0.0, 1.0, True) == [1.0, 0.5]
