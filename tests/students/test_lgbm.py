"""Tests of ``skdistill.students._lgbm``: Hinton's loss and SoftLGBMClassifier."""

import gc
import inspect
import pickle
import re
import weakref

import lightgbm
import numpy as np
import pytest
from lightgbm import LGBMClassifier
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import log_softmax, softmax
from sklearn.base import clone
from sklearn.metrics import log_loss

from skdistill import SoftLGBMClassifier
from skdistill.soft_targets import blend_targets
from skdistill.students import _lgbm
from skdistill.students._lgbm import (
    _IS_UNBALANCE_ALIASES,
    _OBJECTIVE_ALIASES,
    _PREDICT_PARAMS,
    _SoftTargetObjective,
    distillation_gradient_hessian,
    distillation_loss,
    objective_conflict,
)

# n_jobs=1: LightGBM's threads only slow these tiny fits down.
FAST = dict(n_estimators=20, num_leaves=7, min_child_samples=5, verbose=-1, n_jobs=1)


def _problem(n_classes=3, n_samples=300, seed=0):
    """Features, a linear teacher's logits and labels sampled from it."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 4))
    weights = rng.normal(scale=1.5, size=(4, n_classes))
    logits = X @ weights
    proba = softmax(logits, axis=1)
    y = np.array([rng.choice(n_classes, p=p) for p in proba])
    return X, logits, y


def _loss_inputs(n_classes, seed=0, n_samples=6):
    """Random raw scores, labels (two rows unlabelled), soft targets, weights."""
    rng = np.random.default_rng(seed)
    shape = (n_samples,) if n_classes == 2 else (n_samples, n_classes)
    raw = rng.normal(scale=2.0, size=shape)
    y = rng.integers(0, n_classes, size=n_samples)
    y[:2] = -1
    soft = rng.dirichlet(np.ones(n_classes), size=n_samples)
    sample_weight = rng.uniform(0.5, 2.0, size=n_samples)
    class_weight = rng.uniform(0.5, 2.0, size=n_classes)
    return raw, y, soft, sample_weight, class_weight


LOSS_CASES = [
    pytest.param(
        n_classes,
        temperature,
        alpha,
        weighted,
        id=f"K{n_classes}-T{temperature}-a{alpha}-w{weighted}",
    )
    for n_classes in (2, 4)
    for temperature, alpha in ((1.0, 0.5), (3.0, 0.0), (0.5, 1.0), (2.0, 0.3))
    for weighted in (False, True)
]


# -- the loss and its derivatives --------------------------------------------------


@pytest.mark.parametrize("n_classes, temperature, alpha, weighted", LOSS_CASES)
def test_gradient_matches_finite_differences(n_classes, temperature, alpha, weighted):
    """Each gradient entry is the central difference of the loss."""
    raw, y, soft, sample_weight, class_weight = _loss_inputs(n_classes)
    extra = (
        dict(sample_weight=sample_weight, class_weight=class_weight) if weighted else {}
    )
    kwargs = dict(temperature=temperature, alpha=alpha, **extra)
    grad, _ = distillation_gradient_hessian(raw, y, soft, **kwargs)
    assert grad.shape == raw.shape
    eps = 1e-6
    numeric = np.zeros_like(raw)
    for index in np.ndindex(raw.shape):
        step = np.zeros_like(raw)
        step[index] = eps
        numeric[index] = (
            distillation_loss(raw + step, y, soft, **kwargs)
            - distillation_loss(raw - step, y, soft, **kwargs)
        ) / (2 * eps)
    assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("n_classes, temperature, alpha, weighted", LOSS_CASES)
def test_hessian_is_the_exact_diagonal(n_classes, temperature, alpha, weighted):
    """The Hessian is the central difference of the gradient, and >= 0."""
    raw, y, soft, sample_weight, class_weight = _loss_inputs(n_classes, seed=1)
    extra = (
        dict(sample_weight=sample_weight, class_weight=class_weight) if weighted else {}
    )
    kwargs = dict(temperature=temperature, alpha=alpha, **extra)
    _, hess = distillation_gradient_hessian(raw, y, soft, **kwargs)
    eps = 1e-6
    numeric = np.zeros_like(raw)
    for index in np.ndindex(raw.shape):
        step = np.zeros_like(raw)
        step[index] = eps
        numeric[index] = (
            distillation_gradient_hessian(raw + step, y, soft, **kwargs)[0][index]
            - distillation_gradient_hessian(raw - step, y, soft, **kwargs)[0][index]
        ) / (2 * eps)
    assert_allclose(hess, numeric, rtol=1e-5, atol=1e-8)
    assert np.all(hess >= 0)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 4.0])
def test_loss_is_hintons_formula(temperature):
    """alpha * CE + (1 - alpha) * T**2 * KL per row, soft term only for y = -1."""
    raw, y, soft, sample_weight, _ = _loss_inputs(3, seed=2)
    alpha = 0.3
    log_s = log_softmax(raw, axis=1)
    log_s_t = log_softmax(raw / temperature, axis=1)
    ce = -log_s[np.arange(len(y)), np.maximum(y, 0)]
    kl = np.sum(soft * (np.log(soft) - log_s_t), axis=1)
    per_row = np.where(
        y >= 0, alpha * ce + (1 - alpha) * temperature**2 * kl, temperature**2 * kl
    )
    loss = distillation_loss(
        raw, y, soft, temperature=temperature, alpha=alpha, sample_weight=sample_weight
    )
    assert loss == pytest.approx(np.sum(sample_weight * per_row), rel=1e-12)


def test_gradient_is_hintons_formula():
    """Without class weights: alpha (s - onehot) + (1 - alpha) T (s_T - p_T)."""
    raw, y, soft, _, _ = _loss_inputs(3, seed=3)
    y[:] = np.abs(y)  # all labelled
    temperature, alpha = 2.5, 0.4
    grad, hess = distillation_gradient_hessian(
        raw, y, soft, temperature=temperature, alpha=alpha
    )
    s, s_t = softmax(raw, axis=1), softmax(raw / temperature, axis=1)
    expected = alpha * (s - np.eye(3)[y]) + (1 - alpha) * temperature * (s_t - soft)
    assert_allclose(grad, expected, rtol=1e-12)
    assert_allclose(hess, alpha * s * (1 - s) + (1 - alpha) * s_t * (1 - s_t))


def test_loss_is_zero_at_the_teacher_and_log_two_at_uniform_logits():
    """No loss where the student's logits are the teacher's; CE of 1/2 is log 2."""
    p_t = np.array([[0.8, 0.2]])
    at_teacher = distillation_loss(np.log(p_t), [-1], p_t, temperature=1.0, alpha=0.5)
    assert at_teacher == pytest.approx(0.0, abs=1e-15)
    uniform = distillation_loss([[0.0, 0.0]], [0], p_t, temperature=1.0, alpha=1.0)
    assert uniform == pytest.approx(np.log(2.0), rel=1e-15)


def test_gradient_hessian_of_a_binary_score():
    """A 1D score f (logits [0, f]): at f = 0 with label 1, -1/2 and 1/4."""
    grad, hess = distillation_gradient_hessian(
        [0.0], [1], [[0.5, 0.5]], temperature=2.0, alpha=1.0
    )
    assert_allclose(grad, [-0.5], rtol=1e-15)
    assert_allclose(hess, [0.25], rtol=1e-15)


def test_class_weighted_loss_at_temperature_one_is_the_weighted_strategy():
    """At T = 1, class weights give the cross-entropy with c * q, row by row.

    That is the loss of the "weighted" strategy: row i repeated per class k
    with weight q_ik, and the student's class weight c_k on top.
    """
    raw, y, soft, _, class_weight = _loss_inputs(3, seed=4)
    grad, _ = distillation_gradient_hessian(
        raw, y, soft, temperature=1.0, alpha=0.6, class_weight=class_weight
    )
    target = class_weight * blend_targets(y, soft, 0.6)
    s = softmax(raw, axis=1)
    assert_allclose(grad, target.sum(axis=1, keepdims=True) * s - target, rtol=1e-12)


def test_objective_is_the_scaled_floored_weighted_gradient():
    """The LightGBM objective: Hessian * K/(K-1) (multiclass), floored, weighted."""
    raw, y, soft, sample_weight, _ = _loss_inputs(4, seed=5)
    raw[0] = [800.0, 0.0, 0.0, 0.0]  # saturated: s * (1 - s) underflows to 0
    temperature, alpha = 1.0, 0.5
    hard = np.zeros_like(soft)
    labelled = y >= 0
    hard[labelled, y[labelled]] = alpha
    soft_part = np.where(labelled, 1 - alpha, 1.0)[:, None] * soft
    objective = _SoftTargetObjective(hard, soft_part, temperature)
    grad, hess = objective(y.astype(np.float32), raw, sample_weight)
    exact_grad, exact_hess = distillation_gradient_hessian(
        raw, y, soft, temperature=temperature, alpha=alpha
    )
    assert_allclose(grad, exact_grad * sample_weight[:, None], rtol=1e-12)
    scaled = np.maximum(exact_hess * 4 / 3, 1e-16) * sample_weight[:, None]
    assert_allclose(hess, scaled, rtol=1e-12)
    assert exact_hess[0, 1] == 0.0 and hess[0, 1] > 0.0


def test_binary_objective_uses_the_exact_hessian():
    """For a 1D score the objective's Hessian is the loss's, not rescaled."""
    raw, y, soft, _, _ = _loss_inputs(2, seed=6)
    hard = np.zeros_like(soft)
    labelled = y >= 0
    hard[labelled, y[labelled]] = 0.5
    soft_part = np.where(labelled, 0.5, 1.0)[:, None] * soft
    grad, hess = _SoftTargetObjective(hard, soft_part, 3.0)(y, raw, None)
    expected = distillation_gradient_hessian(raw, y, soft, temperature=3.0, alpha=0.5)
    assert_allclose(grad, expected[0], rtol=1e-12)
    assert_allclose(hess, expected[1], rtol=1e-12)


@pytest.mark.parametrize(
    "raw, class_weight, match",
    [
        (np.zeros((5, 3)), None, "raw_score has 5 rows but soft_targets has 6."),
        (
            np.zeros((6, 3)),
            [1.0, 2.0],
            "class_weight must hold one non-negative weight",
        ),
        (np.zeros((6, 3)), [1.0, -1.0, 1.0], "class_weight must hold one non-negative"),
        (
            np.zeros((6, 2)),
            None,
            "soft_targets has 3 columns; expected one per class (2)",
        ),
    ],
)
def test_loss_rejects_inconsistent_inputs(raw, class_weight, match):
    """Mismatched shapes and negative class weights are reported."""
    _, y, soft, _, _ = _loss_inputs(3)
    for function in (distillation_loss, distillation_gradient_hessian):
        with pytest.raises(ValueError, match=re.escape(match)):
            function(
                raw, y, soft, temperature=1.0, alpha=0.5, class_weight=class_weight
            )


# -- SoftLGBMClassifier: fitting and predicting --------------------------------------


@pytest.mark.parametrize(
    "n_classes, temperature", [(3, 1.0), (3, 2.0), (2, 1.0), (2, 2.0)]
)
def test_predict_proba_is_probabilities_not_raw_scores(n_classes, temperature):
    """Rows sum to 1, equal softmax(decision_function), and differ from it."""
    X, logits, y = _problem(n_classes)
    soft = softmax(logits / temperature, axis=1)
    model = SoftLGBMClassifier(**FAST).fit_soft_targets(
        X, y, soft, classes=np.arange(n_classes), temperature=temperature, alpha=0.5
    )
    proba = model.predict_proba(X)
    scores = model.decision_function(X)
    assert proba.shape == (len(y), n_classes)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert np.all((proba > 0) & (proba < 1))
    raw = model.booster_.predict(X, raw_score=True) + model.init_score_
    assert_allclose(scores, raw)
    logit_matrix = raw if n_classes > 2 else np.column_stack([np.zeros_like(raw), raw])
    assert_allclose(proba, softmax(logit_matrix, axis=1))
    assert_allclose(model.predict_proba(X, raw_score=True), scores)
    assert np.abs(scores).max() > 1.0  # so proba != scores is a real check
    assert_array_equal(model.predict(X), np.argmax(proba, axis=1))
    assert model.objective_ == "custom"


@pytest.mark.parametrize("n_classes", [2, 3])
def test_hard_labels_at_temperature_one_reproduce_lightgbm(n_classes):
    """alpha = 1, T = 1: the loss, the Hessian and the start are LightGBM's own."""
    X, logits, y = _problem(n_classes)
    soft = softmax(logits, axis=1)
    model = SoftLGBMClassifier(**FAST).fit_soft_targets(
        X, y, soft, classes=np.arange(n_classes), temperature=1.0, alpha=1.0
    )
    reference = LGBMClassifier(**FAST).fit(X, y)
    ours, theirs = model.predict_proba(X), reference.predict_proba(X)
    assert log_loss(y, ours) == pytest.approx(log_loss(y, theirs), abs=1e-6)
    assert_allclose(ours, theirs, atol=1e-6)


@pytest.mark.parametrize(
    "n_classes, class_weight",
    [(3, "balanced"), (3, {0: 3.0, 2: 0.5}), (2, "balanced"), (2, {1: 4.0})],
)
def test_class_weight_with_hard_labels_is_lightgbms(n_classes, class_weight):
    """alpha = 1, T = 1 with class_weight: LightGBM's class-weighted model."""
    X, logits, y = _problem(n_classes, seed=3)
    soft = softmax(logits, axis=1)
    params = dict(FAST, class_weight=class_weight)
    model = SoftLGBMClassifier(**params).fit_soft_targets(
        X, y, soft, classes=np.arange(n_classes), temperature=1.0, alpha=1.0
    )
    reference = LGBMClassifier(**params).fit(X, y)
    unweighted = LGBMClassifier(**FAST).fit(X, y)
    assert_allclose(model.predict_proba(X), reference.predict_proba(X), atol=1e-6)
    assert not np.allclose(
        reference.predict_proba(X), unweighted.predict_proba(X), atol=1e-2
    )
    assert model.class_weight == class_weight  # restored after the fit


def test_class_weight_must_be_balanced_or_a_dict():
    """An unknown class_weight string is reported."""
    X, logits, y = _problem(3)
    model = SoftLGBMClassifier(class_weight="even", **FAST)
    with pytest.raises(
        ValueError,
        match=re.escape("class_weight must be 'balanced', a dict or None; got 'even'."),
    ):
        model.fit_soft_targets(
            X,
            y,
            softmax(logits, axis=1),
            classes=np.arange(3),
            temperature=1.0,
            alpha=0.5,
        )


def test_class_weight_key_not_a_class_raises():
    """A class_weight key that is no class is reported."""
    X, logits, y = _problem(3)
    model = SoftLGBMClassifier(class_weight={7: 2.0}, **FAST)
    with pytest.raises(
        ValueError,
        match=re.escape("class_weight has keys [7] that are not among the classes"),
    ):
        model.fit_soft_targets(
            X,
            y,
            softmax(logits, axis=1),
            classes=np.arange(3),
            temperature=1.0,
            alpha=0.5,
        )


@pytest.mark.parametrize("n_classes, temperature", [(3, 2.0), (2, 1.0), (2, 3.0)])
def test_init_score_is_log_of_mean_target(n_classes, temperature):
    """init_score_ is the centered log (binary: logit) of the weighted mean target.

    It is not part of the booster: the scores are the booster's plus it.
    """
    X, logits, y = _problem(n_classes, seed=1)
    y[::7] = -1
    soft = softmax(logits / temperature, axis=1)
    sample_weight = np.random.default_rng(0).uniform(0.5, 2.0, size=len(y))
    model = SoftLGBMClassifier(**FAST).fit_soft_targets(
        X,
        y,
        soft,
        classes=np.arange(n_classes),
        temperature=temperature,
        alpha=0.4,
        sample_weight=sample_weight,
    )
    mean = np.average(blend_targets(y, soft, 0.4), axis=0, weights=sample_weight)
    if n_classes == 2:
        assert model.init_score_ == pytest.approx(np.log(mean[1] / mean[0]), rel=1e-10)
    else:
        assert_allclose(
            model.init_score_, np.log(mean) - np.log(mean).mean(), rtol=1e-10
        )
    booster_raw = model.booster_.predict(X, raw_score=True)
    assert_allclose(
        model.decision_function(X) - booster_raw,
        np.broadcast_to(model.init_score_, booster_raw.shape),
    )
    assert np.any(np.abs(np.asarray(model.init_score_)) > 0.05)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_soft_student_tracks_teacher_better_than_hard_twin(n_classes):
    """alpha = 0: held-out KL(teacher || student) is lower than with hard labels."""
    X, logits, y = _problem(n_classes, n_samples=1000, seed=2)
    train, test = slice(0, 600), slice(600, None)
    temperature = 2.0
    params = dict(FAST, n_estimators=100)
    soft = softmax(logits[train] / temperature, axis=1)
    student = SoftLGBMClassifier(**params).fit_soft_targets(
        X[train],
        y[train],
        soft,
        classes=np.arange(n_classes),
        temperature=temperature,
        alpha=0.0,
    )
    twin = LGBMClassifier(**params).fit(X[train], y[train])
    teacher = softmax(logits[test], axis=1)

    def kl(proba):
        return np.mean(np.sum(teacher * (np.log(teacher) - np.log(proba)), axis=1))

    assert kl(student.predict_proba(X[test])) < 0.3 * kl(twin.predict_proba(X[test]))


def test_rows_without_label_use_the_soft_target_only():
    """y = -1 rows ignore alpha: all unlabelled equals alpha = 0."""
    X, logits, y = _problem(3)
    soft = softmax(logits / 2.0, axis=1)
    kwargs = dict(classes=np.arange(3), temperature=2.0)
    unlabelled = SoftLGBMClassifier(**FAST).fit_soft_targets(
        X, np.full_like(y, -1), soft, alpha=0.8, **kwargs
    )
    soft_only = SoftLGBMClassifier(**FAST).fit_soft_targets(
        X, y, soft, alpha=0.0, **kwargs
    )
    mixed = SoftLGBMClassifier(**FAST).fit_soft_targets(X, y, soft, alpha=0.8, **kwargs)
    assert_allclose(unlabelled.predict_proba(X), soft_only.predict_proba(X))
    assert not np.allclose(mixed.predict_proba(X), soft_only.predict_proba(X))


def test_sample_weight_is_used():
    """A constant weight changes nothing; unequal weights change the model."""
    X, logits, y = _problem(3)
    soft = softmax(logits / 2.0, axis=1)
    kwargs = dict(classes=np.arange(3), temperature=2.0, alpha=0.5)
    plain = SoftLGBMClassifier(**FAST).fit_soft_targets(X, y, soft, **kwargs)
    doubled = SoftLGBMClassifier(**FAST).fit_soft_targets(
        X, y, soft, sample_weight=np.full(len(y), 2.0), **kwargs
    )
    skewed = SoftLGBMClassifier(**FAST).fit_soft_targets(
        X, y, soft, sample_weight=np.where(y == 0, 5.0, 1.0), **kwargs
    )
    assert_allclose(doubled.predict_proba(X), plain.predict_proba(X), rtol=1e-6)
    assert (
        skewed.predict_proba(X)[:, 0].mean()
        > plain.predict_proba(X)[:, 0].mean() + 0.05
    )


def test_classes_become_classes_and_labels_are_predicted():
    """classes_ is `classes` (any labels, their order); predict returns them."""
    X, logits, y = _problem(3)
    classes = np.array(["c", "a", "b"])
    model = SoftLGBMClassifier(**FAST).fit_soft_targets(
        X, y, softmax(logits, axis=1), classes=classes, temperature=1.0, alpha=0.5
    )
    assert_array_equal(model.classes_, classes)
    assert model.n_classes_ == 3
    proba = model.predict_proba(X)
    assert_array_equal(model.predict(X), classes[np.argmax(proba, axis=1)])
    assert np.mean(model.predict(X) == classes[y]) > 0.7


def test_user_parameters_are_kept_and_reach_the_booster():
    """num_leaves, n_estimators, learning_rate, ... survive and shape the trees."""
    user = LGBMClassifier(
        num_leaves=5,
        n_estimators=7,
        learning_rate=0.3,
        min_child_samples=4,
        reg_lambda=0.5,
        verbose=-1,
        n_jobs=1,
        max_bin=63,
    )
    model = SoftLGBMClassifier(**user.get_params())
    assert model.get_params() == user.get_params()
    X, logits, y = _problem(3)
    model.fit_soft_targets(
        X,
        y,
        softmax(logits / 2.0, axis=1),
        classes=np.arange(3),
        temperature=2.0,
        alpha=0.5,
    )
    assert model.get_params() == user.get_params()  # objective still None
    params = model.booster_.params
    assert params["num_leaves"] == 5
    assert params["learning_rate"] == 0.3
    assert params["max_bin"] == 63
    assert model.booster_.num_trees() == 7 * 3
    leaves = [tree["num_leaves"] for tree in model.booster_.dump_model()["tree_info"]]
    assert max(leaves) == 5
    assert model.objective_ == "custom"


def _custom_objective(y_true, y_pred):
    return y_pred - y_true, np.ones_like(y_pred)


@pytest.mark.parametrize(
    "params, n_classes, match",
    [
        (
            {"objective": _custom_objective},
            3,
            "which would replace objective=<function",
        ),
        ({"objective": "multiclassova"}, 3, "replace objective='multiclassova'"),
        ({"objective": "regression"}, 2, "replace objective='regression'"),
        ({"objective": "binary"}, 3, "one of 'multiclass', 'softmax'"),
        (
            {"objective": "multiclass"},
            2,
            "one of 'binary', 'cross_entropy', 'xentropy'",
        ),
        ({"loss": "binary"}, 2, "remove the objective alias 'loss'"),
        ({"is_unbalance": True}, 2, "does not read is_unbalance or scale_pos_weight"),
        ({"unbalance": True}, 2, "does not read is_unbalance or scale_pos_weight"),
        ({"scale_pos_weight": 3.0}, 2, "set class_weight (for example 'balanced'"),
    ],
)
def test_own_objective_conflicts(params, n_classes, match):
    """fit_soft_targets refuses to replace the user's objective silently."""
    X, logits, y = _problem(n_classes)
    model = SoftLGBMClassifier(**params, **FAST)
    with pytest.raises(ValueError, match=re.escape(match)):
        model.fit_soft_targets(
            X,
            y,
            softmax(logits, axis=1),
            classes=np.arange(n_classes),
            temperature=2.0,
            alpha=0.5,
        )
    assert model.get_params()["objective"] == params.get("objective")
    assert objective_conflict(model.get_params(), n_classes) is not None


def test_objective_conflict_explains_itself():
    """No conflict with LightGBM's defaults; a conflict says what to do instead."""
    assert objective_conflict(LGBMClassifier().get_params(), n_classes=3) is None
    assert objective_conflict({"objective": "multiclassova"}, n_classes=3) == (
        "fit_soft_targets trains LightGBM on Hinton's distillation loss (a "
        "softmax cross-entropy with the teacher's soft targets), which would "
        "replace objective='multiclassova'. Use objective=None (or one of "
        "'multiclass', 'softmax', which it generalizes) to distil into this "
        "model, or keep your objective and fit on hard labels (or with "
        "DistilledClassifier's 'weighted' fit strategy)."
    )


@pytest.mark.parametrize(
    "objective, n_classes",
    [
        (None, 3),
        ("multiclass", 3),
        ("softmax", 3),
        (None, 2),
        ("binary", 2),
        ("cross_entropy", 2),
        ("xentropy", 2),
    ],
)
def test_compatible_objectives_are_accepted_and_kept(objective, n_classes):
    """A generalized objective is accepted, kept, and plain fit still uses it."""
    X, logits, y = _problem(n_classes)
    model = SoftLGBMClassifier(objective=objective, **FAST)
    assert objective_conflict(model.get_params(), n_classes) is None
    model.fit_soft_targets(
        X,
        y,
        softmax(logits / 2.0, axis=1),
        classes=np.arange(n_classes),
        temperature=2.0,
        alpha=0.5,
    )
    assert model.objective == objective
    assert model.init_score_ is not None
    if objective in (None, "binary", "multiclass"):
        refit = model.fit(X, y)
        reference = LGBMClassifier(objective=objective, **FAST).fit(X, y)
        assert_allclose(refit.predict_proba(X), reference.predict_proba(X))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_plain_fit_is_lightgbms_even_after_fit_soft_targets(n_classes):
    """fit(X, y) gives LightGBM's model, also after a soft-target fit."""
    X, logits, y = _problem(n_classes)
    labels = np.array(["no", "yes", "maybe"])[:n_classes][y]
    reference = LGBMClassifier(**FAST).fit(X, labels)
    model = SoftLGBMClassifier(**FAST).fit(X, labels)
    assert model.init_score_ is None
    assert_array_equal(model.classes_, reference.classes_)
    assert_array_equal(model.predict(X), reference.predict(X))
    assert_allclose(model.predict_proba(X), reference.predict_proba(X))
    model.fit_soft_targets(
        X,
        y,
        softmax(logits / 3.0, axis=1),
        classes=np.arange(n_classes),
        temperature=3.0,
        alpha=0.2,
    )
    assert not np.allclose(model.predict_proba(X), reference.predict_proba(X))
    model.fit(X, labels)
    assert model.init_score_ is None
    assert model.objective_ == reference.objective_
    assert_array_equal(model.classes_, reference.classes_)
    assert_allclose(model.predict_proba(X), reference.predict_proba(X))
    assert_allclose(model.decision_function(X), reference.decision_function(X))
    assert_array_equal(model.predict(X), reference.predict(X))


def test_clone_get_params_and_pickle_round_trip():
    """clone keeps every parameter (LightGBM kwargs too); pickling keeps the fit."""
    model = SoftLGBMClassifier(max_bin=31, **dict(FAST, num_leaves=6))
    params = model.get_params()
    assert params["max_bin"] == 31 and params["num_leaves"] == 6
    cloned = clone(model)
    assert type(cloned) is SoftLGBMClassifier
    assert cloned.get_params() == params
    X, logits, y = _problem(3)
    model.fit_soft_targets(
        X,
        y,
        softmax(logits / 2.0, axis=1),
        classes=np.arange(3),
        temperature=2.0,
        alpha=0.5,
    )
    restored = pickle.loads(pickle.dumps(model))
    assert_allclose(restored.init_score_, model.init_score_)
    assert_allclose(restored.predict_proba(X), model.predict_proba(X))
    assert_array_equal(restored.predict(X), model.predict(X))
    assert clone(model).get_params() == params
    assert not hasattr(clone(model), "init_score_")


def test_dataframe_input_keeps_feature_names():
    """A DataFrame goes to LightGBM as is: names recorded, same model as arrays."""
    pd = pytest.importorskip("pandas")
    X, logits, y = _problem(3)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    kwargs = dict(classes=np.arange(3), temperature=1.0, alpha=0.5)
    soft = softmax(logits, axis=1)
    model = SoftLGBMClassifier(**FAST).fit_soft_targets(frame, y, soft, **kwargs)
    from_array = SoftLGBMClassifier(**FAST).fit_soft_targets(X, y, soft, **kwargs)
    assert_array_equal(model.feature_names_in_, ["a", "b", "c", "d"])
    assert_allclose(model.predict_proba(frame), from_array.predict_proba(X))


def test_fit_params_reach_lightgbm():
    """feature_name and callbacks are passed to LightGBM."""
    X, logits, y = _problem(3)
    calls = []
    model = SoftLGBMClassifier(**FAST).fit_soft_targets(
        X,
        y,
        softmax(logits, axis=1),
        classes=np.arange(3),
        temperature=1.0,
        alpha=0.5,
        feature_name=["f0", "f1", "f2", "f3"],
        callbacks=[lambda env: calls.append(env.iteration)],
    )
    assert model.booster_.feature_name() == ["f0", "f1", "f2", "f3"]
    assert calls == list(range(FAST["n_estimators"]))


def _fit_kwargs(**overrides):
    X, logits, y = _problem(3, n_samples=60)
    kwargs = dict(
        X=X,
        y=y,
        soft_targets=softmax(logits, axis=1),
        classes=np.arange(3),
        temperature=2.0,
        alpha=0.5,
    )
    kwargs.update(overrides)
    return kwargs


@pytest.mark.parametrize(
    "overrides, match",
    [
        ({"temperature": 0.0}, "temperature must be a finite number > 0; got 0.0"),
        ({"alpha": 1.5}, "alpha must be a number in [0, 1]; got 1.5"),
        (
            {"soft_targets": np.full((60, 3), 0.5)},
            "Each row of soft_targets must sum to 1",
        ),
        (
            {"soft_targets": np.full((60, 2), 0.5)},
            "soft_targets has 2 columns; expected one per class (3)",
        ),
        (
            {"soft_targets": np.full((59, 3), 1 / 3)},
            "soft_targets has 59 rows; expected 60",
        ),
        (
            {"classes": np.array([0, 0, 1])},
            "classes must be a 1D array of at least two distinct labels",
        ),
        (
            {"y": np.full(60, 3)},
            "y must hold encoded labels: integers in [0, n_classes) or -1",
        ),
        (
            {"sample_weight": -np.ones(60)},
            "Negative values in data passed to `sample_weight`",
        ),
        (
            {"eval_set": [(np.zeros((2, 4)), [0, 1])]},
            "does not support the fit parameters ['eval_set']",
        ),
        (
            {"init_score": np.zeros(60)},
            "does not support the fit parameters ['init_score']",
        ),
    ],
)
def test_invalid_arguments_are_reported(overrides, match):
    """Every invalid argument of fit_soft_targets raises a ValueError naming it."""
    kwargs = _fit_kwargs(**overrides)
    X, y, soft_targets = kwargs.pop("X"), kwargs.pop("y"), kwargs.pop("soft_targets")
    with pytest.raises(ValueError, match=re.escape(match)):
        SoftLGBMClassifier(**FAST).fit_soft_targets(X, y, soft_targets, **kwargs)


def test_fewer_rows_than_classes_is_reported():
    """LightGBM learns the number of classes from labels: one row per class."""
    soft = np.full((2, 3), 1 / 3)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "fit_soft_targets needs at least one row per class: got 2 rows for "
            "3 classes."
        ),
    ):
        SoftLGBMClassifier(**FAST).fit_soft_targets(
            np.zeros((2, 4)),
            [0, 1],
            soft,
            classes=np.arange(3),
            temperature=1.0,
            alpha=0.5,
        )


def test_parameters_are_set_back_when_lightgbm_fails():
    """An error inside LightGBM's fit leaves objective and class_weight as set."""
    X, logits, y = _problem(3, n_samples=60)
    model = SoftLGBMClassifier(class_weight="balanced", max_bin=31, **FAST)
    params = model.get_params()

    def fail(env):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        model.fit_soft_targets(
            X,
            y,
            softmax(logits, axis=1),
            classes=np.arange(3),
            temperature=2.0,
            alpha=0.5,
            callbacks=[fail],
        )
    assert model.get_params() == params


def test_fitted_model_keeps_no_soft_targets(monkeypatch):
    """The objective (holding n_samples x n_classes targets) is freed after fit.

    So pickled models do not carry the training targets.
    """
    objectives = []

    class Recorded(_SoftTargetObjective):
        def __init__(self, *args):
            super().__init__(*args)
            objectives.append(weakref.ref(self))

    monkeypatch.setattr(_lgbm, "_SoftTargetObjective", Recorded)
    for n_classes in (2, 3):
        X, logits, y = _problem(n_classes, n_samples=60)
        model = SoftLGBMClassifier(**FAST).fit_soft_targets(
            X,
            y,
            softmax(logits / 2.0, axis=1),
            classes=np.arange(n_classes),
            temperature=2.0,
            alpha=0.5,
        )
        gc.collect()
        assert objectives and all(ref() is None for ref in objectives)
        assert model.get_params()["objective"] is None


# -- LightGBM's internals -------------------------------------------------------------
#
# SoftLGBMClassifier relies on a few facts about LightGBM beyond its
# documented API (the section "what this module relies on in LightGBM" of
# skdistill/students/_lgbm.py). Each check below fails with a message naming
# the fact that a LightGBM release changed.


def _multiclass_problem(n_samples=120, n_classes=3):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_samples, 3))
    y = np.argmax(X @ rng.normal(size=(3, n_classes)), axis=1)
    return X, y


_SMALL = dict(n_estimators=3, num_leaves=4, min_child_samples=5, verbose=-1, n_jobs=1)


def _recorder():
    """A callable objective (softmax cross-entropy) and the list of its inputs.

    A function, not an object: LightGBM's train deep-copies its parameters,
    and with them an object, but not a function.
    """
    calls = []

    def objective(y_true, y_pred, weight):
        calls.append((np.array(y_true), np.array(y_pred), weight))
        if y_pred.ndim == 1:
            proba = 1.0 / (1.0 + np.exp(-y_pred))
            return proba - y_true, proba * (1.0 - proba)
        proba = softmax(y_pred, axis=1)
        onehot = np.eye(y_pred.shape[1])[y_true.astype(int)]
        return proba - onehot, proba * (1.0 - proba)

    return objective, calls


def _check_aliases():
    from lightgbm.basic import _ConfigAliases

    for name, ours in (
        ("objective", _OBJECTIVE_ALIASES | {"objective"}),
        ("is_unbalance", _IS_UNBALANCE_ALIASES),
        ("scale_pos_weight", {"scale_pos_weight"}),
    ):
        theirs = _ConfigAliases.get(name)
        assert theirs == ours, (
            f"LightGBM's aliases of {name!r} are {sorted(theirs)}, "
            f"skdistill's {sorted(ours)}"
        )


def _check_multiclass_hessian_factor():
    X, y = _multiclass_problem()
    builtin = LGBMClassifier(
        objective="multiclass", boost_from_average=False, **_SMALL
    ).fit(X, y)
    onehot = np.eye(3)[y]
    ours = _SoftTargetObjective(onehot, np.zeros_like(onehot), 1.0)
    custom = LGBMClassifier(objective=ours, **_SMALL).fit(X, y)
    assert_allclose(
        custom.booster_.predict(X, raw_score=True),
        builtin.booster_.predict(X, raw_score=True),
        atol=1e-6,
        err_msg="the built-in multiclass objective's Hessian is not K/(K-1) s(1-s)",
    )


def _check_predict_params():
    X, y = _multiclass_problem()
    model = LGBMClassifier(objective=_recorder()[0], **_SMALL).fit(X, y)
    model.set_params(objective=None)
    assert_allclose(
        model.decision_function(X, **_PREDICT_PARAMS),
        model.booster_.predict(X, raw_score=True),
    )


def _check_set_params_round_trip():
    X, y = _multiclass_problem()
    model = LGBMClassifier(class_weight="balanced", max_bin=31, **_SMALL)
    params = model.get_params()
    objective, calls = _recorder()
    model.set_params(objective=objective, class_weight=None)
    assert model.get_params()["objective"] is objective
    model.fit(X, y)
    assert calls, "fit did not call the objective set with set_params"
    model.set_params(objective=params["objective"], class_weight=params["class_weight"])
    assert model.get_params() == params


def _check_callable_objective_and_init_score():
    X, y = _multiclass_problem()
    weight = np.linspace(0.5, 2.0, len(y))
    for n_classes, shape in ((3, (len(y), 3)), (2, (len(y),))):
        labels = y % n_classes
        init = np.random.default_rng(1).normal(size=shape)
        objective, calls = _recorder()
        model = LGBMClassifier(**_SMALL)
        model.set_params(objective=objective)
        model.fit(X, labels, sample_weight=weight, init_score=init)
        assert model.n_classes_ == n_classes
        assert model.booster_.num_model_per_iteration() == (
            n_classes if n_classes > 2 else 1
        )
        y_true, y_pred, seen_weight = calls[0]
        assert y_pred.shape == shape, f"raw scores of shape {y_pred.shape}"
        assert_allclose(y_pred, init, err_msg="the start is not init_score")
        assert_array_equal(y_true, labels)
        assert_allclose(seen_weight, weight, rtol=1e-6)
    # A shift of all classes' start leaves softmax gradients, so the trees,
    # unchanged: the booster's scores are equal if it does not store the start.
    boosters = []
    for shift in (0.0, 3.0):
        model = LGBMClassifier(objective=_recorder()[0], **_SMALL)
        model.fit(X, y, init_score=np.full((len(y), 3), shift))
        boosters.append(model.booster_.predict(X, raw_score=True))
    assert_allclose(boosters[1], boosters[0], atol=1e-9, err_msg="init_score is stored")


def _check_properties():
    for name in ("classes_", "objective_", "n_classes_", "booster_"):
        attribute = inspect.getattr_static(LGBMClassifier, name, None)
        assert isinstance(attribute, property), f"LGBMClassifier.{name}"
    assert callable(getattr(LGBMClassifier, "decision_function", None))


LIGHTGBM_INTERNALS = {
    "the aliases of 'objective', 'is_unbalance' and 'scale_pos_weight' "
    "(lightgbm.basic._ConfigAliases; _OBJECTIVE_ALIASES, "
    "_IS_UNBALANCE_ALIASES)": _check_aliases,
    "the Hessian factor K / (K - 1) of the built-in multiclass objective "
    "(_lightgbm_multiclass_hessian_factor)": _check_multiclass_hessian_factor,
    "prediction parameters overriding the estimator's, objective='custom' "
    "(_PREDICT_PARAMS)": _check_predict_params,
    "set_params(objective=..., class_weight=...) and back keeping "
    "get_params() (SoftLGBMClassifier._fit_lightgbm)": _check_set_params_round_trip,
    "the callable objective's inputs, num_class from the labels, init_score "
    "as the unstored start (SoftLGBMClassifier._fit_lightgbm)": (
        _check_callable_objective_and_init_score
    ),
    "the properties classes_, objective_, n_classes_, booster_ and "
    "decision_function of LGBMClassifier (overridden or read by "
    "SoftLGBMClassifier)": _check_properties,
}


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(
    "internal", list(LIGHTGBM_INTERNALS), ids=lambda name: name.split(" (")[0]
)
def test_lightgbm_internals_still_exist(internal):
    """Each fact about LightGBM that SoftLGBMClassifier relies on still holds."""
    try:
        LIGHTGBM_INTERNALS[internal]()
    except Exception as error:
        failure = f"{type(error).__name__}: {error}"
    else:
        return
    pytest.fail(
        f"LightGBM {lightgbm.__version__} changed {internal}: {failure}\n"
        "SoftLGBMClassifier in skdistill/students/_lgbm.py relies on it and "
        "must be updated (see its section 'what this module relies on in "
        "LightGBM'), or the bound on lightgbm in pyproject.toml tightened.",
        pytrace=False,
    )


def test_no_feature_to_split_on_is_a_clear_error():
    """Three rows, one of them a constant column: LightGBM's internal check
    failure (callable objective) becomes a ValueError saying what to change.

    Found by the fuzz tests (tests/fuzz).
    """
    X = np.array([[-4.0, 0.0], [-59.0, 0.0], [3.0, 0.0]])
    soft = np.array([[0.3, 0.7], [0.2, 0.8], [0.6, 0.4]])
    student = SoftLGBMClassifier(
        n_estimators=5, num_leaves=4, min_child_samples=2, verbose=-1
    )
    with pytest.raises(ValueError, match="LightGBM found no feature it can split on"):
        student.fit_soft_targets(
            X,
            np.array([1, 1, 0]),
            soft,
            classes=np.array([0, 1]),
            temperature=1.0,
            alpha=0.0,
        )
