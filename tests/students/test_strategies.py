"""Which strategy each kind of student gets, and that it learns the targets."""

import numpy as np
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.multioutput import MultiOutputRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import (
    DistilledClassifier,
    LogitMatchingClassifier,
    SoftLGBMClassifier,
    SoftLogisticRegression,
)
from skdistill.soft_targets import blend_targets, logits_from_proba, softmax


@pytest.fixture(scope="module")
def problem():
    X, y = make_classification(
        n_samples=300,
        n_features=6,
        n_informative=4,
        n_classes=3,
        n_clusters_per_class=1,
        random_state=0,
    )
    teacher = LogisticRegression(max_iter=1000).fit(X, y)
    return X, y, FrozenEstimator(teacher)


def _targets(teacher, X, y, temperature, alpha):
    soft = softmax(logits_from_proba(teacher.predict_proba(X)), temperature)
    return blend_targets(y, soft, alpha)


@pytest.mark.parametrize(
    "student, strategy, fitted_type",
    [
        (SoftLogisticRegression(), "native", SoftLogisticRegression),
        (
            LGBMClassifier(n_estimators=5, num_leaves=4, verbose=-1, n_jobs=1),
            "native",
            SoftLGBMClassifier,
        ),
        (Ridge(), "logits", LogitMatchingClassifier),
        (DecisionTreeRegressor(max_depth=3), "logits", LogitMatchingClassifier),
        (DecisionTreeClassifier(max_depth=3), "logit_tree", DecisionTreeClassifier),
        (LogisticRegression(), "weighted", LogisticRegression),
    ],
    ids=lambda v: getattr(v, "__name__", type(v).__name__),
)
def test_auto_strategy_per_student(problem, student, strategy, fitted_type):
    """'auto' picks native / logits / weighted by what the student supports."""
    X, y, teacher = problem
    model = DistilledClassifier(teacher, student).fit(X, y)
    assert model.fit_strategy_ == strategy
    assert type(model.student_) is fitted_type
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert proba.shape == (len(y), 3)


def test_lgbm_student_keeps_user_parameters(problem):
    """A plain LGBMClassifier student becomes a SoftLGBMClassifier with its params."""
    X, y, teacher = problem
    lgbm = LGBMClassifier(
        n_estimators=7, num_leaves=5, learning_rate=0.2, verbose=-1, n_jobs=1
    )
    model = DistilledClassifier(teacher, lgbm, temperature=3.0).fit(X, y)
    params = model.student_.get_params()
    for key, value in lgbm.get_params().items():
        assert params[key] == value, key
    assert model.student_.booster_.num_trees() == 7 * 3


def test_lgbm_student_with_own_objective_is_an_error(problem):
    """'auto' does not silently replace a LightGBM student's own objective."""
    X, y, teacher = problem
    lgbm = LGBMClassifier(objective="multiclassova", n_estimators=3, verbose=-1)
    with pytest.raises(ValueError, match="multiclassova"):
        DistilledClassifier(teacher, lgbm).fit(X, y)
    # the weighted strategy keeps the user's objective
    model = DistilledClassifier(teacher, lgbm, fit_strategy="weighted").fit(X, y)
    assert model.student_.objective_ == "multiclassova"


def test_decision_tree_leaves_hold_the_soft_targets(problem):
    """A tree student (weighted) stores the weighted mean blended target per leaf.

    This is why DecisionTreeClassifier uses the weighted strategy: the row
    expansion fits a tree to the soft distribution exactly in its leaf values.
    """
    X, y, teacher = problem
    T, alpha = 3.0, 0.25
    model = DistilledClassifier(
        teacher,
        DecisionTreeClassifier(max_depth=3, random_state=0),
        temperature=T,
        alpha=alpha,
        weight_threshold=0.0,
    ).fit(X, y)
    targets = _targets(teacher, X, y, T, alpha)
    leaves = model.student_.apply(X)
    proba = model.predict_proba(X)
    for leaf in np.unique(leaves):
        rows = leaves == leaf
        np.testing.assert_allclose(proba[rows][0], targets[rows].mean(axis=0))


def test_regressor_student_needs_logits_strategy(problem):
    """A regressor cannot be fit on class labels; a classifier cannot fit logits."""
    X, y, teacher = problem
    with pytest.raises(ValueError, match="regressor"):
        DistilledClassifier(teacher, Ridge(), fit_strategy="weighted").fit(X, y)
    with pytest.raises(ValueError, match="fit_strategy='logits'"):
        DistilledClassifier(teacher, LogisticRegression(), fit_strategy="logits").fit(
            X, y
        )


def test_logit_matching_student_recovers_linear_teacher(problem):
    """With alpha=0, Ridge fitting a linear teacher's logits predicts like it."""
    X, y, teacher = problem
    model = DistilledClassifier(
        teacher, Ridge(alpha=1e-6), temperature=4.0, alpha=0.0
    ).fit(X, y)
    np.testing.assert_allclose(
        model.predict_proba(X), teacher.predict_proba(X), atol=1e-4
    )
    assert model.training_fidelity_ == 1.0


def test_multioutput_fallback_for_single_output_regressor(problem):
    """A single-output regressor (LGBMRegressor) is fit once per class."""
    X, y, teacher = problem
    model = DistilledClassifier(
        teacher, LGBMRegressor(n_estimators=10, verbose=-1, n_jobs=1)
    ).fit(X, y)
    assert model.fit_strategy_ == "logits"
    assert isinstance(model.student_.regressor_, MultiOutputRegressor)
    assert model.score(X, y) > 0.8


def test_native_student_uses_temperature_on_its_own_logits(problem):
    """Hinton's loss puts T on the student's logits: a native linear student
    recovers a linear teacher's own logits at T = 5, the weighted one (which
    matches the softened distribution itself) only z_t / T."""
    X, y, teacher = problem
    T = 5.0
    z_t = np.log(teacher.predict_proba(X))
    z_t -= z_t.mean(axis=1, keepdims=True)

    def centered_logits(student, strategy):
        model = DistilledClassifier(
            teacher, student, temperature=T, alpha=0.0, fit_strategy=strategy
        ).fit(X, y)
        z = np.log(model.predict_proba(X))
        return z - z.mean(axis=1, keepdims=True)

    native = centered_logits(SoftLogisticRegression(C=1e4, max_iter=1000), "native")
    weighted = centered_logits(LogisticRegression(C=1e4, max_iter=1000), "weighted")
    np.testing.assert_allclose(native, z_t, atol=0.05)
    np.testing.assert_allclose(weighted, z_t / T, atol=0.05)


def test_logit_matching_with_a_teacher_that_outputs_zeros(problem):
    """A forest's exact-zero probabilities do not become -708 logit targets."""
    from sklearn.ensemble import RandomForestClassifier

    X, y, _ = problem
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    model = DistilledClassifier(forest, Ridge(), temperature=1.0, alpha=0.0).fit(X, y)
    assert np.any(model.teacher_.predict_proba(X) == 0)
    # targets within 2/3 * 27.6 of 0 (log 1e-12); without the floor, 472
    assert np.abs(model.student_.decision_function(X)).max() < 60
    assert model.score(X, y) > 0.8
