"""Tests of DistilledRegressor and its pure helpers."""

from __future__ import annotations

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMRegressor
from sklearn import config_context
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import make_friedman1
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, KFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

import skdistill._teacher as teacher_module
from skdistill._regressor import DistilledRegressor, blend_regression_targets
from skdistill.augment import MUNGE


class RecordingRegressor(RegressorMixin, BaseEstimator):
    """A least-squares regressor that records what it was fit on."""

    def fit(self, X, y, sample_weight=None):
        self.X_ = np.asarray(X, dtype=float)
        self.y_ = np.asarray(y, dtype=float)
        self.sample_weight_ = sample_weight
        self.model_ = LinearRegression().fit(X, y, sample_weight=sample_weight)
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class NoWeightRegressor(RegressorMixin, BaseEstimator):
    """A regressor whose fit takes no sample_weight."""

    def fit(self, X, y):
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


def _small_teacher():
    return LGBMRegressor(n_estimators=20, num_leaves=7, verbose=-1, n_jobs=1)


@pytest.fixture
def data():
    X, y = make_friedman1(n_samples=200, noise=1.0, random_state=0)
    return X, y


@pytest.fixture
def frozen_ridge(data):
    X, y = data
    return FrozenEstimator(Ridge().fit(X, y))


def test_blend_regression_targets_formula():
    """alpha * y + (1 - alpha) * t on labelled rows, t alone on the others."""
    y = np.array([0.0, 2.0, 4.0])
    t = np.array([1.0, 1.0, 1.0])
    out = blend_regression_targets(y, t, 0.25, np.array([True, True, False]))
    np.testing.assert_allclose(out, [0.75, 1.25, 1.0])
    np.testing.assert_allclose(blend_regression_targets(y, t, 1.0), y)


def test_defaults_fit_predict_score(data):
    """The default teacher and student fit and predict sensibly."""
    X, y = data
    model = DistilledRegressor().fit(X, y)
    assert isinstance(model.teacher_, LGBMRegressor)
    assert isinstance(model.student_, Ridge)
    assert model.predict(X).shape == (200,)
    assert model.score(X, y) > 0.6
    assert model.n_features_in_ == 10
    assert model.n_synthetic_ == 0
    assert 0.5 < model.training_fidelity_ <= 1.0


def test_alpha_one_is_the_student_on_y(data):
    """With alpha=1 the teacher plays no role."""
    X, y = data
    model = DistilledRegressor(_small_teacher(), Ridge(), alpha=1.0).fit(X, y)
    np.testing.assert_allclose(model.predict(X), Ridge().fit(X, y).predict(X))


def test_alpha_zero_with_frozen_teacher_copies_it(data, frozen_ridge):
    """With alpha=0 a linear student fits a linear teacher exactly."""
    X, y = data
    model = DistilledRegressor(frozen_ridge, LinearRegression(), alpha=0.0).fit(
        X, y + 100.0
    )
    assert model.teacher_ is frozen_ridge
    np.testing.assert_allclose(model.predict(X), frozen_ridge.predict(X), atol=1e-8)
    assert model.training_fidelity_ == pytest.approx(1.0)


@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.0])
def test_student_target_is_the_blend(data, frozen_ridge, alpha):
    """The student is fit on alpha * y + (1 - alpha) * teacher prediction."""
    X, y = data
    model = DistilledRegressor(frozen_ridge, RecordingRegressor(), alpha=alpha)
    model.fit(X, y)
    expected = alpha * y + (1 - alpha) * frozen_ridge.predict(X)
    np.testing.assert_allclose(model.student_.y_, expected)


@pytest.mark.parametrize("n_jobs", [None, 2])
@pytest.mark.parametrize("cv", [5, KFold(4, shuffle=True, random_state=0)])
def test_cv_targets_are_out_of_fold(data, cv, n_jobs):
    """With cv the teacher's targets equal cross_val_predict; teacher_ is refit."""
    X, y = data
    model = DistilledRegressor(
        Ridge(), RecordingRegressor(), alpha=0.0, teacher_cv=cv, n_jobs=n_jobs
    ).fit(X, y)
    np.testing.assert_allclose(
        model.student_.y_, cross_val_predict(Ridge(), X, y, cv=cv)
    )
    np.testing.assert_allclose(model.teacher_.coef_, Ridge().fit(X, y).coef_)


def test_cv_must_partition_rows(data):
    """A splitter that does not hold out every row once is rejected."""
    X, y = data
    splits = [(np.arange(100, 200), np.arange(100))]
    with pytest.raises(ValueError, match="hold out every training row exactly once"):
        DistilledRegressor(Ridge(), Ridge(), teacher_cv=splits).fit(X, y)


def test_cv_with_frozen_teacher_errors(data, frozen_ridge):
    """A frozen teacher cannot be cross-fitted."""
    X, y = data
    with pytest.raises(ValueError, match="cannot be cross-fitted"):
        DistilledRegressor(frozen_ridge, Ridge(), teacher_cv=3).fit(X, y)


def test_unfitted_frozen_teacher_errors(data):
    """A frozen teacher must be fitted."""
    X, y = data
    with pytest.raises(ValueError, match="wrapped in FrozenEstimator is not fitted"):
        DistilledRegressor(FrozenEstimator(Ridge()), Ridge()).fit(X, y)


def test_augment_adds_rows_labelled_by_teacher(data):
    """Synthetic rows are added, with the teacher's prediction as target."""
    X, y = data
    model = DistilledRegressor(
        Ridge(),
        RecordingRegressor(),
        alpha=0.7,
        augment=MUNGE(size=0.5),
        random_state=0,
    ).fit(X, y)
    assert model.n_synthetic_ == 100
    student = model.student_
    assert student.X_.shape == (300, 10)
    np.testing.assert_allclose(student.X_[:200], X)
    np.testing.assert_allclose(
        student.y_[200:], model.teacher_.predict(student.X_[200:])
    )
    np.testing.assert_allclose(
        student.y_[:200], 0.7 * y + 0.3 * model.teacher_.predict(X)
    )


def test_augment_is_seeded(data):
    """random_state makes the synthetic rows reproducible."""
    X, y = data
    fits = [
        DistilledRegressor(
            Ridge(), RecordingRegressor(), augment="perturb", random_state=3
        )
        .fit(X, y)
        .student_.X_
        for _ in range(2)
    ]
    np.testing.assert_array_equal(fits[0], fits[1])


def test_augment_gives_synthetic_rows_the_mean_weight(data):
    """Synthetic rows get the mean sample weight of the real rows."""
    X, y = data
    w = np.linspace(1.0, 3.0, 200)
    model = DistilledRegressor(
        Ridge(), RecordingRegressor(), augment=MUNGE(size=0.25), random_state=0
    ).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(model.student_.sample_weight_[:200], w)
    np.testing.assert_allclose(model.student_.sample_weight_[200:], 2.0)


def test_unlabeled_rows_are_not_used_by_the_teacher(data):
    """Marked rows are left out of the teacher fit and get its prediction."""
    X, y = data
    y_marked = y.copy()
    y_marked[150:] = -999
    model = DistilledRegressor(
        Ridge(), RecordingRegressor(), alpha=0.5, unlabeled=-999
    ).fit(X, y_marked)
    np.testing.assert_allclose(
        model.teacher_.coef_, Ridge().fit(X[:150], y[:150]).coef_
    )
    teacher_pred = model.teacher_.predict(X)
    np.testing.assert_allclose(model.student_.y_[150:], teacher_pred[150:])
    np.testing.assert_allclose(
        model.student_.y_[:150], 0.5 * y[:150] + 0.5 * teacher_pred[:150]
    )


def test_unlabeled_rows_with_cv(data):
    """With cv, unlabeled rows are predicted by the teacher refit on all labels."""
    X, y = data
    y_marked = y.copy()
    y_marked[150:] = -1
    model = DistilledRegressor(
        Ridge(), RecordingRegressor(), alpha=0.0, teacher_cv=3, unlabeled=-1
    ).fit(X, y_marked)
    np.testing.assert_allclose(
        model.student_.y_[:150], cross_val_predict(Ridge(), X[:150], y[:150], cv=3)
    )
    np.testing.assert_allclose(model.student_.y_[150:], model.teacher_.predict(X[150:]))


def test_unlabeled_marker_errors(data):
    """NaN cannot be a marker; all rows unlabeled is an error."""
    X, y = data
    with pytest.raises(ValueError, match=re.escape("unlabeled=nan cannot mark rows")):
        DistilledRegressor(Ridge(), Ridge(), unlabeled=float("nan")).fit(X, y)
    with pytest.raises(ValueError, match="Every row of y is marked unlabeled"):
        DistilledRegressor(Ridge(), Ridge(), unlabeled=0).fit(X, np.zeros(200))


def test_multi_output(data):
    """Two outputs with a Ridge teacher and student."""
    X, y = data
    Y = np.column_stack([y, -2.0 * y + X[:, 0]])
    model = DistilledRegressor(Ridge(), Ridge(), alpha=1.0).fit(X, Y)
    assert model.predict(X).shape == (200, 2)
    np.testing.assert_allclose(model.predict(X), Ridge().fit(X, Y).predict(X))
    model = DistilledRegressor(Ridge(), RecordingRegressor(), alpha=0.0, teacher_cv=3)
    model.fit(X, Y)
    np.testing.assert_allclose(
        model.student_.y_, cross_val_predict(Ridge(), X, Y, cv=3)
    )


def test_multi_output_needs_support(data):
    """A single-output teacher with two outputs gets a clear error."""
    X, y = data
    Y = np.column_stack([y, y])
    with pytest.raises(ValueError, match="supports a single output"):
        DistilledRegressor(_small_teacher(), Ridge()).fit(X, Y)


def test_sample_weight_plain(data):
    """Without routing, sample_weight reaches the teacher and the student."""
    X, y = data
    w = np.random.RandomState(0).uniform(0.1, 3.0, 200)
    model = DistilledRegressor(Ridge(), Ridge(), alpha=1.0).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(
        model.teacher_.coef_, Ridge().fit(X, y, sample_weight=w).coef_
    )
    np.testing.assert_allclose(
        model.predict(X), Ridge().fit(X, y, sample_weight=w).predict(X)
    )
    assert not np.allclose(model.predict(X), Ridge().fit(X, y).predict(X))


def test_sample_weight_with_routing(data):
    """With routing, sample_weight goes only where it was requested."""
    X, y = data
    w = np.random.RandomState(0).uniform(0.1, 3.0, 200)
    with config_context(enable_metadata_routing=True):
        model = DistilledRegressor(
            Ridge().set_fit_request(sample_weight=True),
            RecordingRegressor().set_fit_request(sample_weight=False),
        ).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(
        model.teacher_.coef_, Ridge().fit(X, y, sample_weight=w).coef_
    )
    assert model.student_.sample_weight_ is None


def test_student_without_sample_weight_errors(data):
    """sample_weight for a student that cannot take it is a clear error."""
    X, y = data
    with pytest.raises(ValueError, match="the student NoWeightRegressor does not"):
        DistilledRegressor(Ridge(), NoWeightRegressor()).fit(
            X, y, sample_weight=np.ones(200)
        )


def test_pandas_keeps_feature_names(data):
    """A DataFrame's column names are recorded and checked at predict."""
    X, y = data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(10)])
    model = DistilledRegressor(_small_teacher(), Ridge()).fit(df, y)
    np.testing.assert_array_equal(model.feature_names_in_, df.columns)
    with pytest.warns(UserWarning, match="feature names"):
        model.predict(X)


def test_pipeline_and_grid_search(data):
    """Inside a Pipeline, grid-searched over alpha and the augmenter's size."""
    X, y = data
    pipe = make_pipeline(
        StandardScaler(),
        DistilledRegressor(
            _small_teacher(), Ridge(), augment=MUNGE(size=1.0), random_state=0
        ),
    )
    grid = GridSearchCV(
        pipe,
        {
            "distilledregressor__alpha": [0.2, 0.8],
            "distilledregressor__augment__size": [0.5, 1.0],
        },
        cv=3,
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_estimator_[-1].n_synthetic_ == round(
        grid.best_params_["distilledregressor__augment__size"] * 200
    )


def test_transformed_target_regressor(data):
    """Works as the regressor of a TransformedTargetRegressor."""
    X, y = data
    model = TransformedTargetRegressor(
        DistilledRegressor(Ridge(), Ridge(), alpha=1.0),
        func=np.log1p,
        inverse_func=np.expm1,
    ).fit(X, y + 10)
    expected = np.expm1(Ridge().fit(X, np.log1p(y + 10)).predict(X))
    np.testing.assert_allclose(model.predict(X), expected)


def test_clone_and_nested_params():
    """Nested parameters of the teacher and student can be set and cloned."""
    model = DistilledRegressor(_small_teacher(), Ridge())
    model.set_params(teacher__n_estimators=7, student__alpha=3.0)
    copy = clone(model)
    assert copy.get_params()["teacher__n_estimators"] == 7
    assert copy.student.alpha == 3.0
    assert copy.teacher is not model.teacher


def test_pickle_round_trip(data):
    """A pickled model predicts the same."""
    X, y = data
    model = DistilledRegressor(_small_teacher(), DecisionTreeRegressor(max_depth=3))
    model.fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


def test_teacher_predictions_in_chunks(data, monkeypatch, capsys):
    """Chunked teacher predictions are the same, with verbose progress."""
    X, y = data
    expected = DistilledRegressor(Ridge(), RecordingRegressor()).fit(X, y).student_.y_
    monkeypatch.setattr(teacher_module, "CHUNK_ROWS", 64)
    model = DistilledRegressor(Ridge(), RecordingRegressor(), verbose=1).fit(X, y)
    np.testing.assert_allclose(model.student_.y_, expected)
    assert "teacher outputs: 200/200 rows" in capsys.readouterr().out


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_classifier_rejected(data, role):
    """A classifier as teacher or student is a clear error."""
    X, y = data
    params = {"teacher": Ridge(), "student": Ridge(), role: LogisticRegression()}
    with pytest.raises(
        ValueError, match=f"The {role} LogisticRegression is a classifier"
    ):
        DistilledRegressor(**params).fit(X, y)


def test_frozen_classifier_rejected(data):
    """A frozen classifier teacher is rejected too."""
    X, y = data
    frozen = FrozenEstimator(LogisticRegression().fit(X, y > y.mean()))
    with pytest.raises(ValueError, match="is a classifier"):
        DistilledRegressor(frozen, Ridge()).fit(X, y)


@pytest.mark.parametrize("alpha", [-0.1, 1.5])
def test_alpha_out_of_range(data, alpha):
    """alpha must lie in [0, 1]."""
    X, y = data
    with pytest.raises(ValueError, match=re.escape("The 'alpha' parameter")):
        DistilledRegressor(Ridge(), Ridge(), alpha=alpha).fit(X, y)


def test_nan_in_x_for_student_without_nan_support(data):
    """NaN in X with a Ridge student points to an imputer in a Pipeline."""
    X, y = data
    X = X.copy()
    X[0, 0] = np.nan
    with pytest.raises(
        ValueError, match="Put an imputer before the DistilledRegressor"
    ):
        DistilledRegressor(_small_teacher(), Ridge()).fit(X, y)
    model = DistilledRegressor(
        _small_teacher(), DecisionTreeRegressor(max_depth=3)
    ).fit(X, y)
    assert np.isfinite(model.predict(X)).all()


def test_y_of_wrong_shape_or_length(data):
    """y with the wrong length, dimensions or missing values is rejected."""
    X, y = data
    model = DistilledRegressor(Ridge(), Ridge())
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        model.fit(X, y[:-1])
    with pytest.raises(ValueError, match="Found array with dim 3"):
        model.fit(X, y.reshape(200, 1, 1))
    y_nan = y.copy()
    y_nan[3] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        model.fit(X, y_nan)
    with pytest.raises(ValueError, match="requires y to be passed"):
        model.fit(X, None)


def test_inputs_not_modified(data):
    """The caller's X, y and sample_weight are left as they were."""
    X, y = data
    y = y.copy()
    y[:20] = -1
    w = np.ones(200)
    copies = X.copy(), y.copy(), w.copy()
    DistilledRegressor(
        Ridge(), Ridge(), teacher_cv=3, augment="munge", unlabeled=-1, random_state=0
    ).fit(X, y, sample_weight=w)
    for original, copy in zip((X, y, w), copies, strict=True):
        np.testing.assert_array_equal(original, copy)


def test_pipeline_student_imputes_missing_values_at_predict():
    """A Pipeline student that imputes gets NaN rows at predict, as at fit."""
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = X @ np.array([1.0, -2.0, 0.5])
    X[::7, 1] = np.nan
    teacher = make_pipeline(SimpleImputer(), Ridge())
    student = make_pipeline(SimpleImputer(), Ridge(alpha=10.0))
    model = DistilledRegressor(teacher, student).fit(X, y)
    pred = model.predict(X)
    assert np.all(np.isfinite(pred))
    np.testing.assert_allclose(pred, model.student_.predict(X))
