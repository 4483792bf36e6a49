"""Tests of the report's hard-label baseline: the student's twin on the labels."""

import re

import numpy as np
import pandas as pd
import pytest
from _helpers import CountingRegressor, CountingTeacher, reset_counts
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledRegressor, SoftLogisticRegression
from skdistill.metrics import distillation_report
from skdistill.metrics._baseline import fit_hard_label_baseline


@pytest.fixture(scope="module")
def multiclass():
    X, y = make_classification(300, 6, n_informative=4, n_classes=3, random_state=0)
    return X[:200], X[200:], y[:200], y[200:]


@pytest.fixture(scope="module")
def regression():
    X, y = make_regression(240, 5, noise=10.0, random_state=0)
    return X[:160], X[160:], y[:160], y[160:]


def _assert_same_classifier(baseline, twin, X):
    np.testing.assert_array_equal(baseline.predict(X), twin.predict(X))
    if hasattr(twin, "predict_proba"):
        np.testing.assert_array_equal(baseline.predict_proba(X), twin.predict_proba(X))


@pytest.mark.parametrize(
    "student, strategy",
    [
        (LogisticRegression(), "weighted"),
        (DecisionTreeClassifier(max_depth=3, random_state=0), "logit_tree"),
        (SoftLogisticRegression(), "native"),
        (make_pipeline(StandardScaler(), LinearSVC()), "hard"),
    ],
)
def test_baseline_is_the_student_fitted_on_the_labels(multiclass, student, strategy):
    """Whatever the route, the baseline is clone(student).fit(X, y) exactly."""
    X_train, X_test, y_train, _ = multiclass
    model = DistilledClassifier(CountingTeacher(), student, alpha=0.3, temperature=4)
    if strategy == "hard":
        model.set_params(fit_strategy="hard")
    model.fit(X_train, y_train)
    assert model.fit_strategy_ == strategy
    reset_counts()
    baseline = fit_hard_label_baseline(model, X_train, y_train, {})
    assert CountingTeacher.n_fits == 0  # the fitted teacher is frozen, not refit
    assert baseline.alpha_ == 1.0 and baseline.fit_strategy_ == strategy
    twin = clone(student).fit(X_train, y_train)
    _assert_same_classifier(baseline.student_, twin, X_test)
    np.testing.assert_array_equal(baseline.classes_, model.classes_)


def test_baseline_uses_the_model_teacher_frozen(multiclass):
    """The twin's teacher is the model's fitted teacher, frozen; the model is intact."""
    X_train, _, y_train, _ = multiclass
    model = DistilledClassifier(CountingTeacher(), LogisticRegression())
    model.fit(X_train, y_train)
    params = model.get_params(deep=False)
    baseline = fit_hard_label_baseline(model, X_train, y_train, {})
    assert isinstance(baseline.teacher_, FrozenEstimator)
    assert baseline.teacher_.estimator is model.teacher_
    assert model.get_params(deep=False) == params
    frozen = DistilledClassifier(FrozenEstimator(model.teacher_), LogisticRegression())
    frozen.fit(X_train, y_train)
    again = fit_hard_label_baseline(frozen, X_train, y_train, {})
    assert again.teacher_ is frozen.teacher_  # not frozen twice


def test_baseline_ignores_teacher_cv_augment_and_memory(multiclass, tmp_path):
    """No out-of-fold teacher, no synthetic rows, no cache: the labels alone."""
    X_train, X_test, y_train, _ = multiclass
    model = DistilledClassifier(
        CountingTeacher(),
        LogisticRegression(),
        teacher_cv=3,
        augment="munge",
        memory=str(tmp_path),
        random_state=0,
    ).fit(X_train, y_train)
    reset_counts()
    baseline = fit_hard_label_baseline(model, X_train, y_train, {})
    assert CountingTeacher.n_fits == 0
    assert baseline.n_synthetic_ == 0
    assert baseline.get_params()["memory"] is None
    twin = LogisticRegression().fit(X_train, y_train)
    _assert_same_classifier(baseline.student_, twin, X_test)


def test_baseline_fit_params_reach_the_student(multiclass):
    """fit_params (sample_weight) are those of the student's own fit."""
    X_train, X_test, y_train, _ = multiclass
    w = np.where(np.arange(len(y_train)) % 3 == 0, 4.0, 0.5)
    model = DistilledClassifier(CountingTeacher(), LogisticRegression())
    model.fit(X_train, y_train, sample_weight=w)
    baseline = fit_hard_label_baseline(model, X_train, y_train, {"sample_weight": w})
    twin = LogisticRegression().fit(X_train, y_train, sample_weight=w)
    _assert_same_classifier(baseline.student_, twin, X_test)
    unweighted = LogisticRegression().fit(X_train, y_train)
    assert not np.allclose(
        baseline.predict_proba(X_test), unweighted.predict_proba(X_test)
    )


@pytest.mark.parametrize("weighted", [False, True])
def test_baseline_leaves_out_unlabeled_rows(multiclass, weighted):
    """Rows marked unlabeled have no label: the twin learns the others, with
    their weights."""
    X_train, X_test, y_train, _ = multiclass
    y = y_train.copy()
    y[::3] = -1
    labelled = y != -1
    w = np.linspace(0.5, 2.0, len(y))
    fit_params = {"sample_weight": w} if weighted else {}
    student = DecisionTreeClassifier(max_depth=4, random_state=0)
    model = DistilledClassifier(CountingTeacher(), student, unlabeled=-1)
    model.fit(X_train, y, **fit_params)
    reset_counts()
    baseline = fit_hard_label_baseline(model, X_train, y, fit_params)
    assert CountingTeacher.n_fits == 0
    twin = clone(student).fit(
        X_train[labelled], y[labelled], sample_weight=w[labelled] if weighted else None
    )
    _assert_same_classifier(baseline.student_, twin, X_test)
    # at alpha=1 the distiller itself would still teach the unlabelled rows
    taught = clone(model).set_params(alpha=1.0, teacher=FrozenEstimator(model.teacher_))
    taught.fit(X_train, y, **fit_params)
    assert not np.array_equal(
        taught.predict_proba(X_test), baseline.predict_proba(X_test)
    )


def test_baseline_unlabeled_marker_is_checked_by_the_distiller(multiclass):
    """The marker is the distiller's: its checks apply to the baseline's rows."""
    X_train, _, y_train, _ = multiclass
    y = y_train.copy()
    y[::4] = -1
    model = DistilledClassifier(
        CountingTeacher(), LogisticRegression(), unlabeled=-1
    ).fit(X_train, y)
    message = "unlabeled=-1 cannot mark rows of y, whose labels are of dtype <U"
    with pytest.raises(ValueError, match=re.escape(message)):
        fit_hard_label_baseline(model, X_train, y.astype(str), {})


def test_regression_baseline(regression):
    """A regressor's twin: the student on the labels, whatever the route."""
    X_train, X_test, y_train, _ = regression
    for student in (Ridge(), DecisionTreeRegressor(max_depth=4, random_state=0)):
        model = DistilledRegressor(CountingRegressor(), student, alpha=0.2)
        model.fit(X_train, y_train)
        reset_counts()
        baseline = fit_hard_label_baseline(model, X_train, y_train, {})
        assert CountingRegressor.n_fits == 0
        twin = clone(student).fit(X_train, y_train)
        np.testing.assert_array_equal(
            baseline.student_.predict(X_test), twin.predict(X_test)
        )


def test_regression_baseline_leaves_out_unlabeled_rows(regression):
    """Several outputs: a row is unlabelled when all of them carry the marker."""
    X_train, X_test, y_train, _ = regression
    y = np.column_stack([y_train, 2 * y_train])
    y[::4] = -999.0
    y[1::4, 0] = -999.0  # one output only: still labelled
    labelled = ~(y == -999.0).all(axis=1)
    model = DistilledRegressor(Ridge(alpha=10.0), Ridge(), unlabeled=-999.0)
    model.fit(X_train, y)
    baseline = fit_hard_label_baseline(model, X_train, y, {})
    twin = Ridge().fit(X_train[labelled], y[labelled])
    np.testing.assert_array_equal(baseline.predict(X_test), twin.predict(X_test))


def test_report_baseline_with_unlabeled_rows_and_a_dataframe():
    """The report's baseline row is the twin's, on the labelled rows only."""
    X, y = make_classification(300, 5, random_state=1)
    X = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)])
    labels = np.array(["no", "yes"], dtype=object)[y]
    y_train = labels[:200].copy()
    y_train[::5] = "?"
    model = DistilledClassifier(
        LGBMClassifier(n_estimators=20, verbose=-1, n_jobs=1),
        make_pipeline(StandardScaler(), LogisticRegression()),
        unlabeled="?",
    ).fit(X[:200], y_train)
    report = distillation_report(
        model, X[200:], labels[200:], X_train=X[:200], y_train=y_train, n_repeats=1
    )
    labelled = y_train != "?"
    twin = make_pipeline(StandardScaler(), LogisticRegression())
    twin.fit(X[:200][labelled], y_train[labelled])
    assert report.models["baseline"]["accuracy"] == twin.score(X[200:], labels[200:])
