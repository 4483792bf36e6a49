"""Tree students: splits from the teacher, leaves from the blended targets."""

import re

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import clone
from sklearn.datasets import make_classification, make_friedman1
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
    export_graphviz,
    export_text,
)
from sklearn.tree._tree import Tree

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.soft_targets import blend_targets, logits_from_proba, softmax
from skdistill.students._tree import fit_logit_tree


def _data(n_classes, n_samples=600, random_state=0):
    return make_classification(
        n_samples=n_samples,
        n_features=8,
        n_informative=5,
        n_classes=n_classes,
        n_clusters_per_class=1,
        random_state=random_state,
    )


def _teacher():
    return LGBMClassifier(n_estimators=30, verbose=-1, random_state=0, n_jobs=1)


def test_scikit_learn_tree_state_is_what_the_route_builds_on():
    """The pickling state of sklearn's Tree has the fields the route rebuilds.

    If scikit-learn changes it, this test fails first, with the reason.
    """
    X, y = _data(3)
    state = DecisionTreeRegressor(max_depth=2).fit(X, y).tree_.__getstate__()
    assert set(state) >= {"max_depth", "node_count", "nodes", "values"}, (
        "sklearn.tree._tree.Tree's pickling state changed: update "
        "skdistill/students/_tree.py::_set_classifier_tree"
    )
    assert {"impurity", "left_child", "threshold"} <= set(state["nodes"].dtype.names)
    Tree(X.shape[1], np.array([3], dtype=np.intp), 1)  # the constructor it calls


def test_multiclass_tree_takes_its_splits_from_the_teacher_logits():
    """With three classes the splits are the logit regression tree's own."""
    X, y = _data(3)
    model = DistilledClassifier(
        _teacher(), DecisionTreeClassifier(max_depth=3, random_state=0)
    ).fit(X, y)
    assert model.fit_strategy_ == "logit_tree"
    assert type(model.student_) is DecisionTreeClassifier
    assert model.temperature_ == 2.0
    teacher = model.teacher_
    logits = logits_from_proba(teacher.predict_proba(X))
    reference = DecisionTreeRegressor(max_depth=3, random_state=0).fit(
        X, logits - logits.mean(axis=1, keepdims=True)
    )
    np.testing.assert_array_equal(model.student_.tree_.feature, reference.tree_.feature)
    np.testing.assert_allclose(
        model.student_.tree_.threshold, reference.tree_.threshold
    )


def test_leaves_hold_the_mean_blended_target_of_their_rows():
    """predict_proba of a leaf is the mean of q = alpha*onehot + (1-alpha)*p_T."""
    X, y = _data(4)
    model = DistilledClassifier(
        _teacher(),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        temperature=3.0,
        alpha=0.3,
    ).fit(X, y)
    p_T = softmax(logits_from_proba(model.teacher_.predict_proba(X)), 3.0)
    q = blend_targets(y, p_T, 0.3)
    leaves = model.student_.apply(X)
    proba = model.predict_proba(X)
    for leaf in np.unique(leaves):
        rows = leaves == leaf
        np.testing.assert_allclose(proba[rows][0], q[rows].mean(axis=0), atol=1e-12)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # the impurity a classifier tree shows is the Gini index of its values
    values = model.student_.tree_.value[:, 0, :]
    np.testing.assert_allclose(
        model.student_.tree_.impurity, 1 - np.square(values).sum(axis=1)
    )


def test_the_tree_is_a_usable_decision_tree():
    """It exports, plots' data, keeps feature names and importances."""
    X, y = _data(3)
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    model = DistilledClassifier(
        _teacher(), DecisionTreeClassifier(max_depth=3, random_state=0)
    ).fit(frame, y)
    student = model.student_
    assert list(student.feature_names_in_) == list(frame.columns)
    assert "f" in export_text(student, feature_names=list(frame.columns))
    assert "digraph" in export_graphviz(student)
    assert student.get_depth() <= 3
    assert student.feature_importances_.sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(student.predict(frame), model.predict(frame))
    np.testing.assert_array_equal(student.classes_, np.unique(y))


def test_binary_tree_is_weighted_unless_asked():
    """Two classes: the weighted route by default, logit_tree on request."""
    X, y = _data(2)
    student = DecisionTreeClassifier(max_depth=3, random_state=0)
    auto = DistilledClassifier(_teacher(), student).fit(X, y)
    assert auto.fit_strategy_ == "weighted"
    asked = DistilledClassifier(_teacher(), student, fit_strategy="logit_tree").fit(
        X, y
    )
    assert asked.fit_strategy_ == "logit_tree"
    assert asked.predict_proba(X).shape == (X.shape[0], 2)


@pytest.mark.parametrize("strategy", ["auto", "weighted", "logit_tree"])
def test_alpha_one_is_the_hard_label_twin(strategy):
    """alpha=1: exactly the student fitted on the labels, whatever the route."""
    X, y = _data(3)
    student = DecisionTreeClassifier(max_depth=4, random_state=0)
    model = DistilledClassifier(
        _teacher(), student, alpha=1.0, fit_strategy=strategy
    ).fit(X, y)
    twin = clone(student).fit(X, y)
    np.testing.assert_array_equal(model.predict_proba(X), twin.predict_proba(X))


def test_alpha_one_lgbm_student_is_its_twin():
    """The native route at alpha=1 is LightGBM's own fit on the labels."""
    X, y = _data(3)
    student = LGBMClassifier(n_estimators=5, verbose=-1, random_state=0, n_jobs=1)
    model = DistilledClassifier(_teacher(), student, alpha=1.0).fit(X, y)
    twin = clone(student).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), twin.predict_proba(X))


def test_pipeline_ending_in_a_tree():
    """The steps before the tree are fitted, the tree by the logit route."""
    X, y = _data(3)
    student = make_pipeline(
        StandardScaler(), DecisionTreeClassifier(max_depth=3, random_state=0)
    )
    model = DistilledClassifier(_teacher(), student).fit(X, y)
    assert model.fit_strategy_ == "logit_tree"
    scaler, tree = model.student_[0], model.student_[-1]
    np.testing.assert_allclose(scaler.mean_, X.mean(axis=0))
    assert type(tree) is DecisionTreeClassifier
    np.testing.assert_array_equal(model.predict(X), tree.predict(scaler.transform(X)))
    assert student[-1] is not tree  # the user's student is untouched
    assert not hasattr(student[-1], "tree_")


def test_extra_tree_and_class_weight_and_sample_weight():
    """An ExtraTree stays one; class_weight and sample_weight are honoured."""
    X, y = _data(3)
    weights = np.where(y == 0, 0.0, 1.0)  # class 0 rows weigh nothing
    model = DistilledClassifier(
        _teacher(), ExtraTreeClassifier(max_depth=4, random_state=0)
    ).fit(X, y, sample_weight=weights)
    assert type(model.student_) is ExtraTreeClassifier
    balanced = DistilledClassifier(
        _teacher(),
        DecisionTreeClassifier(max_depth=2, class_weight="balanced", random_state=0),
    ).fit(
        X[y != 2][:300].tolist() + X[y == 2][:30].tolist(),
        y[y != 2][:300].tolist() + y[y == 2][:30].tolist(),
    )
    plain = DistilledClassifier(
        _teacher(), DecisionTreeClassifier(max_depth=2, random_state=0)
    ).fit(
        X[y != 2][:300].tolist() + X[y == 2][:30].tolist(),
        y[y != 2][:300].tolist() + y[y == 2][:30].tolist(),
    )
    X_test = X[y == 2]
    # balancing moves probability towards the rare class 2
    assert (
        balanced.predict_proba(X_test)[:, 2].mean()
        > plain.predict_proba(X_test)[:, 2].mean()
    )


def test_missing_values_reach_the_tree():
    """NaN in X: the regression tree that finds the splits handles it."""
    X, y = _data(3)
    X = X.copy()
    X[::7, 0] = np.nan
    model = DistilledClassifier(
        _teacher(), DecisionTreeClassifier(max_depth=3, random_state=0)
    ).fit(X, y)
    assert np.isfinite(model.predict_proba(X)).all()


def test_unlabelled_rows_use_the_soft_target_only():
    """Rows marked unlabeled enter the leaves with p_T, labelled ones with q."""
    X, y = _data(3)
    teacher = _teacher().fit(X, y)
    y_partial = y.copy()
    y_partial[::2] = -1
    model = DistilledClassifier(
        FrozenEstimator(teacher),
        DecisionTreeClassifier(max_depth=3, random_state=0),
        unlabeled=-1,
        alpha=1.0,
        temperature=1.0,
    ).fit(X, y_partial)
    assert model.fit_strategy_ == "logit_tree"
    p_T = teacher.predict_proba(X)
    q = np.where(y_partial[:, None] >= 0, np.eye(3)[np.maximum(y_partial, 0)], p_T)
    leaves = model.student_.apply(X)
    proba = model.predict_proba(X)
    for leaf in np.unique(leaves):
        rows = leaves == leaf
        np.testing.assert_allclose(proba[rows][0], q[rows].mean(axis=0), atol=1e-9)


def test_sample_weight_weighs_the_leaves():
    """A row's weight counts in its leaf's mean (zero weight: not at all)."""
    X, y = _data(3)
    weights = np.random.default_rng(0).integers(0, 3, size=y.size).astype(float)
    model = DistilledClassifier(
        _teacher(), DecisionTreeClassifier(max_depth=3, random_state=0), alpha=1e-9
    ).fit(X, y, sample_weight=weights)
    p_T = softmax(logits_from_proba(model.teacher_.predict_proba(X)), 2.0)
    leaves = model.student_.apply(X)
    proba = model.predict_proba(X)
    for leaf in np.unique(leaves[weights > 0]):
        rows = (leaves == leaf) & (weights > 0)
        expected = np.average(p_T[rows], axis=0, weights=weights[rows])
        np.testing.assert_allclose(proba[leaves == leaf][0], expected, atol=1e-6)


def test_teacher_with_zero_probabilities_is_floored():
    """A random forest's exact zeros do not become logits near -708 T."""
    X, y = _data(4)
    teacher = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    assert (teacher.predict_proba(X) == 0).any()
    model = DistilledClassifier(
        FrozenEstimator(teacher), DecisionTreeClassifier(max_depth=3, random_state=0)
    ).fit(X, y)
    floored = np.log(np.maximum(teacher.predict_proba(X), 1e-12))
    floored -= floored.mean(axis=1, keepdims=True)
    reference = DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, floored)
    np.testing.assert_array_equal(model.student_.tree_.feature, reference.tree_.feature)


def test_invalid_tree_parameters_are_reported():
    """The tree's own parameters are checked, though its fit is not called."""
    X, y = _data(3)
    with pytest.raises(ValueError, match="max_depth"):
        DistilledClassifier(_teacher(), DecisionTreeClassifier(max_depth=-1)).fit(X, y)
    with pytest.raises(ValueError, match=re.escape("class_weight are not in")):
        DistilledClassifier(
            _teacher(), DecisionTreeClassifier(class_weight={7: 2.0})
        ).fit(X, y)


def test_logit_tree_errors_name_the_student():
    """fit_strategy='logit_tree' needs a decision tree."""
    X, y = _data(3)
    with pytest.raises(ValueError, match=re.escape("fit_strategy='logit_tree' needs")):
        DistilledClassifier(
            _teacher(), LogisticRegression(), fit_strategy="logit_tree"
        ).fit(X, y)


def test_fit_logit_tree_does_not_modify_inputs():
    """The function fits the student it is given and leaves the arrays alone."""
    X, y = _data(3)
    soft = softmax(np.random.default_rng(0).normal(size=(X.shape[0], 3)))
    X_before, soft_before = X.copy(), soft.copy()
    tree = fit_logit_tree(
        DecisionTreeClassifier(max_depth=2),
        X,
        y,
        soft,
        classes=np.arange(3),
        temperature=1.0,
        alpha=0.5,
        sample_weight=None,
        fit_params={},
    )
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(soft, soft_before)
    assert tree.tree_.value.shape[1:] == (1, 3)


@pytest.mark.parametrize(
    ("student", "expected"),
    [
        (DecisionTreeClassifier(), 2.0),
        (make_pipeline(StandardScaler(), DecisionTreeClassifier()), 2.0),
        (LogisticRegression(), 1.0),
        (LGBMClassifier(n_estimators=5, verbose=-1), 1.0),
    ],
)
def test_auto_temperature_by_student_family(student, expected):
    """temperature='auto' is 2 for a tree and 1 for the others."""
    X, y = _data(3, n_samples=200)
    model = DistilledClassifier(_teacher(), student).fit(X, y)
    assert model.temperature_ == expected
    assert model.temperature == "auto"
    explicit = DistilledClassifier(_teacher(), student, temperature=3.0).fit(X, y)
    assert explicit.temperature_ == 3.0


# -- regression ---------------------------------------------------------------


def _regression(alpha, **params):
    X, y = make_friedman1(n_samples=400, noise=1.0, random_state=0)
    teacher = LGBMRegressor(n_estimators=30, verbose=-1, random_state=0, n_jobs=1)
    model = DistilledRegressor(
        teacher,
        DecisionTreeRegressor(max_depth=4, random_state=0),
        alpha=alpha,
        **params,
    ).fit(X, y)
    return model, X, y


def test_regression_tree_splits_on_the_teacher():
    """The splits are the tree fitted on the teacher's predictions."""
    model, X, y = _regression(0.5)
    assert model.fit_strategy_ == "teacher_splits"
    assert type(model.student_) is DecisionTreeRegressor
    reference = DecisionTreeRegressor(max_depth=4, random_state=0).fit(
        X, model.teacher_.predict(X)
    )
    np.testing.assert_array_equal(model.student_.tree_.feature, reference.tree_.feature)
    leaves = model.student_.apply(X)
    target = 0.5 * y + 0.5 * model.teacher_.predict(X)
    pred = model.predict(X)
    for leaf in np.unique(leaves):
        rows = leaves == leaf
        assert pred[rows][0] == pytest.approx(target[rows].mean())


def test_regression_predictions_are_linear_in_alpha():
    """The structure does not move with alpha: the error changes smoothly."""
    p0 = _regression(0.0)[0].predict(_regression(0.0)[1])
    p_half, X, _ = _regression(0.5)
    p_quarter = _regression(0.25)[0].predict(X)
    np.testing.assert_allclose(p_quarter, (p0 + p_half.predict(X)) / 2)


def test_regression_alpha_one_is_the_twin_and_blend_is_available():
    """alpha=1 fits the labels; fit_strategy='blend' fits the blended target."""
    model, X, y = _regression(1.0)
    twin = DecisionTreeRegressor(max_depth=4, random_state=0).fit(X, y)
    np.testing.assert_array_equal(model.predict(X), twin.predict(X))
    blend, X, y = _regression(0.5, fit_strategy="blend")
    assert blend.fit_strategy_ == "blend"
    target = 0.5 * y + 0.5 * blend.teacher_.predict(X)
    direct = DecisionTreeRegressor(max_depth=4, random_state=0).fit(X, target)
    np.testing.assert_allclose(blend.predict(X), direct.predict(X))


def test_teacher_splits_needs_a_tree():
    """The error names the parameter and the student."""
    X, y = make_friedman1(n_samples=100, random_state=0)
    with pytest.raises(
        ValueError, match=re.escape("fit_strategy='teacher_splits' needs")
    ):
        DistilledRegressor(
            LGBMRegressor(n_estimators=5, verbose=-1),
            Ridge(),
            fit_strategy="teacher_splits",
        ).fit(X, y)
    assert (
        DistilledRegressor(LGBMRegressor(n_estimators=5, verbose=-1), Ridge())
        .fit(X, y)
        .fit_strategy_
        == "blend"
    )
    # a median tree's nodes are not means: it is fitted on the blend
    median_tree = DecisionTreeRegressor(max_depth=2, criterion="absolute_error")
    model = DistilledRegressor(
        LGBMRegressor(n_estimators=5, verbose=-1), median_tree
    ).fit(X, y)
    assert model.fit_strategy_ == "blend"
