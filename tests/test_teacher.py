"""Teachers are checked: a frozen teacher's features, and every teacher's outputs."""

import re

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.compose import make_column_transformer
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline

from skdistill import DistilledClassifier, DistilledRegressor


def _lgbm(**params):
    return LGBMClassifier(n_estimators=20, verbose=-1, n_jobs=1, **params)


@pytest.fixture(scope="module")
def frame():
    X, y = make_classification(400, 5, n_informative=3, n_redundant=0, random_state=0)
    return pd.DataFrame(X, columns=list("abcde")), y


@pytest.mark.parametrize(
    "model, message",
    [
        (_lgbm(), "but in another order: column 0 of X is 'a', the teacher's is 'e'"),
        (LogisticRegression(), "Feature names must be in the same order"),
    ],
    ids=["lightgbm", "sklearn"],
)
def test_frozen_teacher_on_reordered_columns_is_an_error(frame, model, message):
    """A teacher fitted on e..a refuses X in a..e: LightGBM's by our check
    (LightGBM does not check), scikit-learn's by its own."""
    X, y = frame
    teacher = FrozenEstimator(model.fit(X[list("edcba")], y))
    with pytest.raises(ValueError, match=re.escape(message)):
        DistilledClassifier(teacher, LogisticRegression()).fit(X, y)
    # In the teacher's order, it distils.
    DistilledClassifier(teacher, LogisticRegression()).fit(X[list("edcba")], y)


def test_lightgbm_names_with_spaces_are_matched_as_lightgbm_stores_them(frame):
    """LightGBM turns 'my col' into 'my_col': the same columns are accepted."""
    X, y = frame
    X = X.rename(columns={"a": "my col", "b": "b\tc"})
    teacher = FrozenEstimator(_lgbm().fit(X, y))
    assert "my_col" in list(teacher.estimator.feature_names_in_)
    DistilledClassifier(teacher, LogisticRegression()).fit(X, y)


def test_column_selecting_pipeline_teacher_is_left_to_scikit_learn(frame):
    """A ColumnTransformer picks columns by name: reordered or extra columns work."""
    X, y = frame
    teacher = make_pipeline(
        make_column_transformer(("passthrough", ["a", "b", "c"])), _lgbm()
    )
    teacher = FrozenEstimator(teacher.fit(X, y))
    DistilledClassifier(teacher, LogisticRegression()).fit(X[list("edcba")], y)


def test_frozen_teacher_on_other_columns_names_them(frame):
    """Columns the teacher never saw and those it misses are both named."""
    X, y = frame
    teacher = FrozenEstimator(_lgbm().fit(X, y))
    other = X.rename(columns={"a": "z"})
    with pytest.raises(
        ValueError,
        match=re.escape("(not seen in its fit: ['z']; missing from X: ['a'])"),
    ):
        DistilledClassifier(teacher, LogisticRegression()).fit(other, y)


def test_frozen_teacher_feature_count_is_checked(frame):
    """A teacher fitted on an array of 5 columns refuses 4 columns."""
    X, y = frame
    teacher = FrozenEstimator(_lgbm().fit(X.to_numpy(), y))
    with pytest.raises(ValueError, match="X has 4 features, but the frozen teacher"):
        DistilledClassifier(teacher, LogisticRegression()).fit(X.to_numpy()[:, :4], y)


def test_frozen_teacher_with_names_warns_on_an_array(frame):
    """Names cannot be checked on an array: a warning says so."""
    X, y = frame
    teacher = FrozenEstimator(_lgbm().fit(X, y))
    with pytest.warns(UserWarning, match="X has no column names"):
        DistilledClassifier(teacher, LogisticRegression()).fit(X.to_numpy(), y)


def test_frozen_regressor_teacher_columns_are_checked(frame):
    """The regressor's frozen teacher is checked too."""
    X, y = frame
    teacher = FrozenEstimator(
        LGBMRegressor(n_estimators=5, verbose=-1, n_jobs=1).fit(X[list("edcba")], y)
    )
    with pytest.raises(ValueError, match="in another order"):
        DistilledRegressor(teacher, Ridge()).fit(X, y.astype(float))


class _BadProba(ClassifierMixin, BaseEstimator):
    """A classifier whose predict_proba returns what ``kind`` says."""

    def __init__(self, kind="ok"):
        self.kind = kind

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return self.classes_[np.zeros(len(X), dtype=int)]

    def predict_proba(self, X):
        n, k = len(X), self.classes_.size
        p = np.full((n, k), 1.0 / k)
        if self.kind == "extra_column":
            return np.full((n, k + 1), 1.0 / (k + 1))
        if self.kind == "unnormalized":
            return p * 8
        if self.kind == "nan":
            p[3, 0] = np.nan
        if self.kind == "negative":
            p[2] = [-0.5, 1.5]
        return p


@pytest.mark.parametrize(
    "kind, message",
    [
        ("extra_column", "returned an array of shape (400, 3) on 400 rows for its 2"),
        ("unnormalized", "returned rows that are not probabilities (row 0 sums to 8"),
        (
            "nan",
            "returned NaN or infinite values on 1 row(s) of X (the first at row 3)",
        ),
        ("negative", "returned rows that are not probabilities (row 2 sums to 1"),
    ],
)
def test_teacher_probabilities_are_checked(frame, kind, message):
    """Wrong shapes, NaN, negative or unnormalized probabilities name the teacher."""
    X, y = frame
    distiller = DistilledClassifier(_BadProba(kind), LogisticRegression())
    with pytest.raises(
        ValueError, match=re.escape("The teacher _BadProba's predict_proba " + message)
    ):
        distiller.fit(X, y)


def test_well_formed_teacher_passes_the_output_checks(frame):
    """The same toy teacher with uniform probabilities distils without error."""
    X, y = frame
    DistilledClassifier(_BadProba("ok"), LogisticRegression()).fit(X, y)


class _NaNRegressor(RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        return self

    def predict(self, X):
        out = np.zeros(len(X))
        out[-1] = np.inf
        return out


def test_teacher_predictions_must_be_finite(frame):
    """A regressor teacher predicting inf is named, with its method."""
    X, y = frame
    with pytest.raises(
        ValueError, match=re.escape("The teacher _NaNRegressor's predict returned NaN")
    ):
        DistilledRegressor(_NaNRegressor(), Ridge()).fit(X, y.astype(float))
