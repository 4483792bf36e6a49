"""Tests of ``skdistill.students._logit_matching``: LogitMatchingClassifier."""

import pickle
import re
import warnings

import numpy as np
import pytest
from lightgbm import LGBMRegressor
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit, softmax
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.multioutput import MultiOutputRegressor
from sklearn.neighbors import KNeighborsRegressor
from sklearn.neural_network import MLPRegressor
from sklearn.svm import SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils._param_validation import InvalidParameterError

from skdistill.students._logit_matching import LogitMatchingClassifier, target_logits


def _problem(n_classes=3, n_samples=200, seed=0):
    """Features, a fitted LogisticRegression teacher, and the labels."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 4))
    weights = rng.normal(scale=1.5, size=(4, n_classes))
    proba = softmax(X @ weights, axis=1)
    y = np.array([rng.choice(n_classes, p=p) for p in proba])
    teacher = LogisticRegression(max_iter=1000).fit(X, y)
    return X, y, teacher


def _teacher_logits(teacher, X):
    """The teacher's logit matrix, centered ([-d/2, d/2] for binary)."""
    decision = teacher.decision_function(X)
    if decision.ndim == 1:
        decision = np.column_stack([np.zeros_like(decision), decision])
    return decision - decision.mean(axis=1, keepdims=True)


def _fit_soft(model, X, y, teacher, *, temperature=2.0, alpha=0.0, **kwargs):
    soft = softmax(_teacher_logits(teacher, X) / temperature, axis=1)
    return model.fit_soft_targets(
        X,
        y,
        soft,
        classes=teacher.classes_,
        temperature=temperature,
        alpha=alpha,
        **kwargs,
    )


# -- target_logits ------------------------------------------------------------------


@pytest.mark.parametrize("temperature", [0.5, 1.0, 4.0])
def test_target_logits_without_labels_are_teacher_logits(temperature):
    """alpha = 0: the teacher's centered logits, whatever the temperature."""
    z = np.random.default_rng(0).normal(scale=3.0, size=(10, 4))
    targets = target_logits(
        np.zeros(10, dtype=int),
        softmax(z / temperature, axis=1),
        alpha=0.0,
        temperature=temperature,
        label_smoothing=0.1,
    )
    assert_allclose(targets, z - z.mean(axis=1, keepdims=True), atol=1e-10)


def test_target_logits_blend_smoothed_labels_and_soft_targets():
    """alpha * centered log(smoothed onehot) + (1 - alpha) * centered T log p."""
    soft = np.array([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4]])
    y = np.array([1, -1])
    temperature, alpha, smoothing = 2.0, 0.4, 0.3
    targets = target_logits(
        y, soft, alpha=alpha, temperature=temperature, label_smoothing=smoothing
    )

    def centered(z):
        return z - z.mean(axis=-1, keepdims=True)

    smoothed = (1 - smoothing) * np.eye(3)[1] + smoothing / 3
    teacher = centered(temperature * np.log(soft))
    expected = np.vstack(
        [alpha * centered(np.log(smoothed)) + (1 - alpha) * teacher[0], teacher[1]]
    )
    assert_allclose(targets, expected)
    assert_allclose(targets.sum(axis=1), 0.0, atol=1e-12)


def test_target_logits_alpha_one_ignores_temperature():
    """With alpha = 1 the targets are the smoothed labels' logits for any T."""
    soft = np.array([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4]])
    y = np.array([1, 2])
    ref = target_logits(y, soft, alpha=1.0, temperature=1.0, label_smoothing=0.1)
    hot = target_logits(y, soft, alpha=1.0, temperature=5.0, label_smoothing=0.1)
    assert_allclose(hot, ref)


# -- matching a teacher -------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3, 4])
@pytest.mark.parametrize("temperature", [1.0, 3.0])
def test_ridge_recovers_a_linear_teachers_logits(n_classes, temperature):
    """A linear teacher's logits are linear: Ridge recovers them nearly exactly."""
    X, y, teacher = _problem(n_classes)
    student = _fit_soft(
        LogitMatchingClassifier(Ridge(alpha=1e-8)),
        X,
        y,
        teacher,
        temperature=temperature,
    )
    X_new = np.random.default_rng(1).normal(size=(50, 4))
    expected = _teacher_logits(teacher, X_new)
    if n_classes == 2:
        expected = teacher.decision_function(X_new)
    assert_allclose(student.decision_function(X_new), expected, atol=1e-5)
    assert_allclose(
        student.predict_proba(X_new), teacher.predict_proba(X_new), atol=1e-6
    )
    assert_array_equal(student.predict(X_new), teacher.predict(X_new))
    assert_array_equal(student.classes_, teacher.classes_)


@pytest.mark.parametrize(
    "regressor, fitted_type",
    [
        (Ridge(), Ridge),
        (DecisionTreeRegressor(random_state=0), DecisionTreeRegressor),
        (
            MLPRegressor(hidden_layer_sizes=(8,), max_iter=300, random_state=0),
            MultiOutputRegressor,
        ),
        (LGBMRegressor(n_estimators=10, verbose=-1, n_jobs=1), MultiOutputRegressor),
        (SVR(), MultiOutputRegressor),
    ],
    ids=["ridge", "tree", "mlp", "lgbm", "svr"],
)
def test_multiclass_uses_one_multi_output_fit_when_possible(regressor, fitted_type):
    """Regressors whose tags declare multi-output are fit once, others per class.

    The tags decide (no trial fit): MLPRegressor, which does not declare
    multi-output support, is fit once per class.
    """
    X, y, teacher = _problem(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        student = _fit_soft(LogitMatchingClassifier(regressor), X, y, teacher)
    assert type(student.regressor_) is fitted_type
    if fitted_type is MultiOutputRegressor:
        assert len(student.regressor_.estimators_) == 3
    proba = student.predict_proba(X)
    assert proba.shape == (len(y), 3)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert np.mean(student.predict(X) == teacher.predict(X)) > 0.7


def test_unrestricted_tree_reproduces_its_targets():
    """A tree that fits its training targets exactly returns the target logits."""
    X, y, teacher = _problem(3)
    student = _fit_soft(
        LogitMatchingClassifier(DecisionTreeRegressor(random_state=0)),
        X,
        y,
        teacher,
        alpha=0.5,
    )
    soft = softmax(_teacher_logits(teacher, X) / 2.0, axis=1)
    expected = target_logits(
        np.searchsorted(teacher.classes_, y),
        soft,
        alpha=0.5,
        temperature=2.0,
        label_smoothing=0.1,
    )
    assert_allclose(student.decision_function(X), expected, atol=1e-10)


def test_binary_has_one_output_the_log_odds():
    """Binary: a single-output fit whose prediction is the log-odds of classes_[1]."""
    X, y, teacher = _problem(2)
    labels = np.array(["neg", "pos"])[y]
    teacher = LogisticRegression(max_iter=1000).fit(X, labels)
    student = _fit_soft(LogitMatchingClassifier(SVR()), X, y, teacher)
    assert type(student.regressor_) is SVR
    scores = student.decision_function(X)
    assert scores.shape == (len(y),)
    assert_allclose(student.predict_proba(X)[:, 1], expit(scores))
    assert_array_equal(student.predict(X), np.where(scores > 0, "pos", "neg"))
    assert_allclose(
        np.exp(student.predict_log_proba(X)), student.predict_proba(X), rtol=1e-12
    )


def test_rows_without_label_are_fit_on_the_soft_target():
    """y = -1 rows: the target is the teacher's logits even with alpha = 1."""
    X, y, teacher = _problem(3)
    unlabelled = np.full_like(y, -1)
    student = _fit_soft(
        LogitMatchingClassifier(Ridge(alpha=1e-8)), X, unlabelled, teacher, alpha=1.0
    )
    assert_allclose(
        student.decision_function(X), _teacher_logits(teacher, X), atol=1e-5
    )


# -- plain fit ----------------------------------------------------------------------


@pytest.mark.parametrize("label_smoothing", [0.1, 0.5])
def test_plain_fit_regresses_on_smoothed_label_logits(label_smoothing):
    """fit(X, y): targets are the centered log of the label-smoothed one-hot."""
    X, y, _ = _problem(3)
    labels = np.array(["a", "b", "c"])[y]
    model = LogitMatchingClassifier(
        DecisionTreeRegressor(random_state=0), label_smoothing=label_smoothing
    ).fit(X, labels)
    smoothed = np.log((1 - label_smoothing) * np.eye(3)[y] + label_smoothing / 3)
    expected = smoothed - smoothed.mean(axis=1, keepdims=True)
    assert_allclose(model.decision_function(X), expected, atol=1e-10)
    assert_array_equal(model.classes_, ["a", "b", "c"])
    assert_array_equal(model.predict(X), labels)


def test_plain_fit_is_a_usable_classifier():
    """With the default Ridge, held-out accuracy is close to the teacher's."""
    X, y, _ = _problem(3, n_samples=600)
    X_train, X_test, y_train, y_test = X[:400], X[400:], y[:400], y[400:]
    model = LogitMatchingClassifier().fit(X_train, y_train)
    reference = LogisticRegression(max_iter=1000).fit(X_train, y_train)
    assert model.score(X_test, y_test) > reference.score(X_test, y_test) - 0.05
    assert type(model.regressor_) is Ridge


# -- parameters and errors -------------------------------------------------------------


@pytest.mark.parametrize("method", ["fit", "fit_soft_targets"])
def test_classifier_as_regressor_is_rejected(method):
    """A classifier passed as regressor raises a clear ValueError."""
    X, y, teacher = _problem(3)
    model = LogitMatchingClassifier(DecisionTreeClassifier())
    match = re.escape(
        "regressor must be a regressor; got the classifier DecisionTreeClassifier."
    )
    with pytest.raises(ValueError, match=match):
        if method == "fit":
            model.fit(X, y)
        else:
            _fit_soft(model, X, y, teacher)


def test_invalid_label_smoothing_is_rejected():
    """label_smoothing must be in (0, 1]: 0 would give infinite logits."""
    X, y, _ = _problem(3)
    with pytest.raises(
        InvalidParameterError,
        match=re.escape("The 'label_smoothing' parameter of LogitMatchingClassifier"),
    ):
        LogitMatchingClassifier(label_smoothing=0.0).fit(X, y)


def test_sample_weight_reaches_the_regressor():
    """Integer weights equal repeated rows; a regressor without weights raises."""
    X, y, teacher = _problem(3)
    weights = np.random.default_rng(0).integers(1, 4, size=len(y))
    weighted = _fit_soft(
        LogitMatchingClassifier(), X, y, teacher, alpha=0.5, sample_weight=weights
    )
    rows = np.repeat(np.arange(len(y)), weights)
    repeated = _fit_soft(
        LogitMatchingClassifier(), X[rows], y[rows], teacher, alpha=0.5
    )
    unweighted = _fit_soft(LogitMatchingClassifier(), X, y, teacher, alpha=0.5)
    assert_allclose(weighted.decision_function(X), repeated.decision_function(X))
    assert not np.allclose(
        weighted.decision_function(X), unweighted.decision_function(X)
    )
    with pytest.raises(
        ValueError,
        match=re.escape(
            "sample_weight was given but the regressor KNeighborsRegressor does not "
            "accept sample_weight in fit"
        ),
    ):
        LogitMatchingClassifier(KNeighborsRegressor()).fit(X, y, sample_weight=weights)


def test_fit_params_reach_the_regressor():
    """Further fit_soft_targets parameters go to the regressor's fit."""
    X, y, teacher = _problem(2)
    student = _fit_soft(
        LogitMatchingClassifier(LGBMRegressor(n_estimators=5, verbose=-1, n_jobs=1)),
        X,
        y,
        teacher,
        feature_name=["w", "x", "y", "z"],
    )
    assert student.regressor_.feature_name_ == ["w", "x", "y", "z"]


def _soft_kwargs(**overrides):
    X, y, teacher = _problem(3, n_samples=40)
    kwargs = dict(
        X=X,
        y=np.searchsorted(teacher.classes_, y),
        soft_targets=teacher.predict_proba(X),
        classes=teacher.classes_,
        temperature=1.0,
        alpha=0.5,
    )
    kwargs.update(overrides)
    return kwargs


@pytest.mark.parametrize(
    "overrides, match",
    [
        ({"temperature": -1.0}, "temperature must be a finite number > 0; got -1.0"),
        ({"alpha": -0.5}, "alpha must be a number in [0, 1]; got -0.5"),
        ({"soft_targets": np.full((40, 3), 0.2)}, "Each row of soft_targets must sum"),
        (
            {"soft_targets": np.full((40, 2), 0.5)},
            "soft_targets has 2 columns; expected one per class (3)",
        ),
        (
            {"soft_targets": np.full((41, 3), 1 / 3)},
            "soft_targets has 41 rows; expected 40",
        ),
        ({"classes": np.array([5])}, "classes must be a 1D array of at least two"),
        ({"y": np.full(40, -2)}, "y must hold encoded labels"),
    ],
)
def test_invalid_soft_target_arguments_are_reported(overrides, match):
    """Every invalid argument of fit_soft_targets raises a ValueError naming it."""
    kwargs = _soft_kwargs(**overrides)
    X, y, soft = kwargs.pop("X"), kwargs.pop("y"), kwargs.pop("soft_targets")
    with pytest.raises(ValueError, match=re.escape(match)):
        LogitMatchingClassifier().fit_soft_targets(X, y, soft, **kwargs)


def test_one_class_is_rejected():
    """fit needs two classes."""
    X = np.zeros((5, 2))
    with pytest.raises(ValueError, match=re.escape("y contains only one class (7)")):
        LogitMatchingClassifier().fit(X, [7] * 5)


def test_clone_and_pickle_round_trip():
    """clone keeps the parameters; a pickled model predicts the same."""
    model = LogitMatchingClassifier(
        DecisionTreeRegressor(max_depth=3), label_smoothing=0.2
    )
    cloned = clone(model)
    assert cloned.get_params()["label_smoothing"] == 0.2
    assert cloned.regressor is not model.regressor
    assert cloned.regressor.get_params() == model.regressor.get_params()
    X, y, teacher = _problem(3)
    _fit_soft(model, X, y, teacher)
    restored = pickle.loads(pickle.dumps(model))
    assert_allclose(restored.predict_proba(X), model.predict_proba(X))
    assert not hasattr(model.regressor, "tree_")  # the template stays unfitted


def test_dataframe_keeps_feature_names():
    """A DataFrame goes to the regressor as is; its names are recorded."""
    pd = pytest.importorskip("pandas")
    X, y, _ = _problem(3)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    model = LogitMatchingClassifier().fit(frame, y)
    assert_array_equal(model.feature_names_in_, ["a", "b", "c", "d"])
    assert_array_equal(model.regressor_.feature_names_in_, ["a", "b", "c", "d"])
    assert_allclose(
        model.predict_proba(frame), LogitMatchingClassifier().fit(X, y).predict_proba(X)
    )
