"""A LightGBM student that minimizes Hinton's distillation loss natively.

LightGBM grows each tree on the gradient and Hessian of a loss with respect
to the raw scores ``F`` (the student's logits). A soft-target matrix cannot
travel as LightGBM's label, so the loss lives in a callable objective that
holds the targets; this module provides

- :func:`distillation_loss` and :func:`distillation_gradient_hessian`, the
  pure math of Hinton's loss in the raw scores;
- :class:`SoftLGBMClassifier`, an :class:`lightgbm.LGBMClassifier` whose
  ``fit_soft_targets`` trains on that loss (the
  :class:`~skdistill.SoftTargetStudent` protocol) and whose ``fit`` is
  LightGBM's own.

The module uses LightGBM's public scikit-learn API only; the few facts about
LightGBM that are not part of that API are gathered in the section "What
this module relies on in LightGBM" below, each checked by
``test_lightgbm_internals_still_exist`` in ``tests/students/test_lgbm.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np
from lightgbm import LGBMClassifier
from lightgbm.basic import LightGBMError
from numpy.typing import ArrayLike, NDArray
from sklearn.utils.validation import _check_sample_weight, _num_samples

from ..soft_targets import (
    _check_classes,
    _check_temperature,
    blend_targets,
    check_soft_targets,
    log_softmax,
    logits_from_decision,
    logits_from_proba,
    softmax,
)

__all__ = [
    "SoftLGBMClassifier",
    "distillation_gradient_hessian",
    "distillation_loss",
    "objective_conflict",
]

# Floor of the per-row Hessian: s * (1 - s) underflows to 0 for a saturated
# softmax, and LightGBM divides by the Hessian sum of a leaf. XGBoost's
# softmax objective uses the same floor.
_HESSIAN_FLOOR = 1e-16

# Objectives whose loss the soft-target objective generalizes: training on
# them and on one-hot soft targets (alpha = 1) is the same problem.
_COMPATIBLE_OBJECTIVES = {
    "binary": ("binary", "cross_entropy", "xentropy"),
    "multiclass": ("multiclass", "softmax"),
}

# Fit parameters that mean the same with soft targets. The others refer to
# LightGBM's label (eval_set and its metrics), to its init score (which
# fit_soft_targets sets) or to another model (init_model).
_SOFT_FIT_PARAMS = ("callbacks", "categorical_feature", "feature_name")


# -- what this module relies on in LightGBM -----------------------------------------
#
# SoftLGBMClassifier uses LightGBM's public scikit-learn API only, and no
# private name of LightGBM. fit_soft_targets calls LGBMClassifier.fit with a
# callable objective ``objective(y_true, y_pred, weight) -> (grad, hess)``
# that holds the soft targets, set with ``set_params`` for the fit (and the
# user's ``objective`` and ``class_weight`` set back after it), labels that
# give LightGBM the number of classes, and the start as ``init_score``; the
# fitted model's ``decision_function`` (LightGBM 4.7+), ``booster_`` and
# ``n_classes_`` are read afterwards and ``classes_`` and ``objective_``
# overridden.
#
# The behaviour of LightGBM this relies on beyond its documentation is below,
# each item checked by test_lightgbm_internals_still_exist in
# tests/students/test_lgbm.py, which names the item that a LightGBM release
# changed:
#
# - _OBJECTIVE_ALIASES, _IS_UNBALANCE_ALIASES: the aliases of two parameters,
#   which LightGBM keeps in its private ``lightgbm.basic._ConfigAliases``;
#   written out here so that a change to that class cannot break the import;
# - _lightgbm_multiclass_hessian_factor: the factor by which LightGBM's
#   built-in ``multiclass`` objective scales the Hessian (in its C++ code);
# - _PREDICT_PARAMS: that prediction parameters override the estimator's,
#   and the objective "custom" lets a multiclass booster predict;
# - that setting ``objective`` and ``class_weight`` with ``set_params`` and
#   back leaves ``get_params()`` as it was;
# - that a callable objective receives the raw scores as an
#   ``(n_samples, n_classes)`` array (multiclass) or a 1D array (binary), the
#   first time equal to ``init_score``, which the booster does not store;
# - that ``classes_``, ``objective_``, ``n_classes_`` and ``booster_`` are
#   properties of ``LGBMClassifier`` (not attributes that ``fit`` sets).

# LightGBM's aliases of "objective" (other than itself) and of "is_unbalance",
# as ``_ConfigAliases.get`` returns them; "scale_pos_weight" has none.
_OBJECTIVE_ALIASES = frozenset({"app", "application", "loss", "objective_type"})
_IS_UNBALANCE_ALIASES = frozenset({"is_unbalance", "unbalance", "unbalanced_sets"})

# LightGBM's scikit-learn predict passes the estimator's objective parameter
# to the booster. Set back to None after a soft-target fit, it describes a
# single-output model, which a multiclass booster refuses ("Number of classes
# must be 1 for non-multiclass training"; so does a plain LGBMClassifier
# after set_params(objective=None)). These prediction parameters override
# the estimator's: the objective trained on, LightGBM's "custom".
_PREDICT_PARAMS = {"objective": "custom"}


def _lightgbm_multiclass_hessian_factor(n_classes: int) -> float:
    """``K / (K - 1)``: LightGBM's ``multiclass`` objective scales ``s (1 - s)`` by it.

    Friedman's correction for the redundant softmax parametrization; using it
    too makes the soft-target objective grow LightGBM's own trees at
    ``alpha = 1, T = 1``.
    """
    return n_classes / (n_classes - 1.0)


# -- the loss ---------------------------------------------------------------------


def _class_weighted_targets(
    y: NDArray[np.intp],
    soft_targets: NDArray[np.float64],
    alpha: float,
    class_weight: NDArray[np.float64] | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The two targets of Hinton's loss, each column scaled by its class weight.

    ``hard[i] = c * alpha_i * onehot(y_i)`` and
    ``soft[i] = c * (1 - alpha_i) * p_T,i`` where ``alpha_i`` is ``alpha``
    for a labelled row and 0 for a row with ``y_i = -1``; their sum is the
    class-weighted blended target ``c * q_i``.
    """
    n_samples, n_classes = soft_targets.shape
    labelled = np.flatnonzero(y >= 0)
    hard = np.zeros((n_samples, n_classes))
    hard[labelled, y[labelled]] = alpha
    soft_weight = np.ones(n_samples)
    soft_weight[labelled] = 1.0 - alpha
    soft = soft_weight[:, None] * soft_targets
    if class_weight is not None:
        hard *= class_weight
        soft *= class_weight
    return hard, soft


def _gradient_hessian(
    logits: NDArray[np.float64],
    hard: NDArray[np.float64],
    soft: NDArray[np.float64],
    temperature: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gradient and exact Hessian diagonal of the loss in the logits (unweighted)."""
    proba = softmax(logits)
    proba_t = softmax(logits, temperature)
    hard_mass = hard.sum(axis=1, keepdims=True)
    soft_mass = soft.sum(axis=1, keepdims=True)
    gradient = (hard_mass * proba - hard) + temperature * (soft_mass * proba_t - soft)
    hessian = hard_mass * proba * (1.0 - proba) + soft_mass * proba_t * (1.0 - proba_t)
    return gradient, hessian


def _check_loss_inputs(
    raw_score: ArrayLike,
    y: ArrayLike,
    soft_targets: ArrayLike,
    temperature: float,
    alpha: float,
    class_weight: ArrayLike | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float]:
    """Validate the loss inputs; return logits, hard and soft targets, T."""
    temperature = _check_temperature(temperature)
    logits = logits_from_decision(raw_score)
    blend_targets(y, soft_targets, alpha)  # validates y, soft_targets, alpha
    soft_targets = check_soft_targets(soft_targets, n_classes=logits.shape[1])
    if logits.shape[0] != soft_targets.shape[0]:
        raise ValueError(
            f"raw_score has {logits.shape[0]} rows but soft_targets has "
            f"{soft_targets.shape[0]}."
        )
    if class_weight is not None:
        class_weight = np.asarray(class_weight, dtype=np.float64)
        if class_weight.shape != (logits.shape[1],) or np.any(class_weight < 0):
            raise ValueError(
                "class_weight must hold one non-negative weight per class "
                f"({logits.shape[1]}); got {class_weight!r}."
            )
    hard, soft = _class_weighted_targets(
        np.asarray(y, dtype=np.intp), soft_targets, float(alpha), class_weight
    )
    return logits, hard, soft, temperature


def distillation_loss(
    raw_score: ArrayLike,
    y: ArrayLike,
    soft_targets: ArrayLike,
    *,
    temperature: float,
    alpha: float,
    sample_weight: ArrayLike | None = None,
    class_weight: ArrayLike | None = None,
) -> float:
    """Hinton's distillation loss of a student's raw scores.

    With ``F_i`` the student's logits, ``p_T,i`` the teacher's softened
    distribution and ``w_i`` the sample weights::

        sum_i w_i * [alpha_i * CE(y_i, softmax(F_i))
                     + (1 - alpha_i) * T**2 * KL(p_T,i || softmax(F_i / T))]

    where ``alpha_i = alpha`` for a labelled row and ``alpha_i = 0`` for a row
    with ``y_i = -1`` (soft term only, with weight 1). With ``class_weight``
    ``c``, the term of class ``k`` in each cross-entropy and KL sum is
    multiplied by ``c_k``: the hard term becomes ``c_{y_i} * CE`` and the
    soft term ``T**2 * sum_k c_k p_T,ik log(p_T,ik / softmax(F_i / T)_k)``.

    Parameters
    ----------
    raw_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        The student's logits; a 1D array is a binary model's single score
        ``f``, whose logits are ``[0, f]``.
    y : array-like of shape (n_samples,)
        Hard labels encoded as column indices, ``-1`` for a row without one.
    soft_targets : array-like of shape (n_samples, n_classes)
        The teacher's softened distribution ``p_T``; rows sum to 1.
    temperature : float
        ``T > 0``.
    alpha : float in [0, 1]
        Weight of the hard-label term.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights ``w_i``; ``None`` means 1.
    class_weight : array-like of shape (n_classes,), default=None
        Per-class weights ``c_k``; ``None`` means 1.

    Returns
    -------
    loss : float

    See Also
    --------
    distillation_gradient_hessian : Its derivatives in the raw scores.
    """
    logits, hard, soft, temperature = _check_loss_inputs(
        raw_score, y, soft_targets, temperature, alpha, class_weight
    )
    hard_term = -(hard * log_softmax(logits)).sum(axis=1)
    # soft is zero wherever p_T is, so the floor of log p_T is never used.
    log_p = logits_from_proba(check_soft_targets(soft_targets))
    soft_term = temperature**2 * (
        soft * (log_p - log_softmax(logits, temperature))
    ).sum(axis=1)
    per_row = hard_term + soft_term
    if sample_weight is not None:
        per_row = per_row * np.asarray(sample_weight, dtype=np.float64)
    return float(per_row.sum())


def distillation_gradient_hessian(
    raw_score: ArrayLike,
    y: ArrayLike,
    soft_targets: ArrayLike,
    *,
    temperature: float,
    alpha: float,
    sample_weight: ArrayLike | None = None,
    class_weight: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gradient and Hessian diagonal of :func:`distillation_loss` in the raw scores.

    With ``s = softmax(F)``, ``s_T = softmax(F / T)`` and no class weights::

        grad_i = w_i * [alpha_i * (s_i - onehot(y_i))
                        + (1 - alpha_i) * T * (s_T,i - p_T,i)]
        hess_i = w_i * [alpha_i * s_i * (1 - s_i)
                        + (1 - alpha_i) * s_T,i * (1 - s_T,i)]

    The Hessian is the exact diagonal of the loss's Hessian: the ``T**2``
    in front of the KL term cancels the ``1 / T**2`` of its second
    derivative. Both terms are positive semi-definite, so each entry is
    ``>= 0``. With class weights ``c`` the targets ``alpha_i * onehot(y_i)``
    and ``(1 - alpha_i) * p_T,i`` are multiplied by ``c`` and ``s``,
    ``s_T`` by the resulting target masses (their sums over classes).

    Parameters
    ----------
    raw_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        The student's logits; a 1D array is a binary model's single score
        ``f`` (logits ``[0, f]``), differentiated in ``f``.
    y, soft_targets, temperature, alpha, sample_weight, class_weight
        As in :func:`distillation_loss`.

    Returns
    -------
    gradient, hessian : ndarray of the shape of ``raw_score``
    """
    logits, hard, soft, temperature = _check_loss_inputs(
        raw_score, y, soft_targets, temperature, alpha, class_weight
    )
    gradient, hessian = _gradient_hessian(logits, hard, soft, temperature)
    if sample_weight is not None:
        weight = np.asarray(sample_weight, dtype=np.float64)[:, None]
        gradient, hessian = gradient * weight, hessian * weight
    if np.ndim(raw_score) == 1:
        return gradient[:, 1], hessian[:, 1]
    return gradient, hessian


class _SoftTargetObjective:
    """LightGBM objective ``(y_true, y_pred, weight) -> (grad, hess)`` of Hinton's loss.

    ``y_true`` is LightGBM's label, the encoded hard labels; the class-
    weighted hard and soft targets are held here. For a multiclass model the
    Hessian is multiplied by ``K / (K - 1)``, as in LightGBM's own
    ``multiclass`` objective (Friedman's correction for the redundant
    softmax parametrization), so that with ``alpha = 1`` and ``T = 1`` the
    trees are LightGBM's. It is then floored at ``_HESSIAN_FLOOR`` and
    multiplied by the sample weight.
    """

    def __init__(
        self, hard: NDArray[np.float64], soft: NDArray[np.float64], temperature: float
    ) -> None:
        self.hard = hard
        self.soft = soft
        self.temperature = temperature

    def __call__(
        self,
        y_true: NDArray[Any],
        y_pred: NDArray[np.float64],
        weight: NDArray[Any] | None,
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        gradient, hessian = _gradient_hessian(
            logits_from_decision(y_pred), self.hard, self.soft, self.temperature
        )
        n_classes = self.hard.shape[1]
        if y_pred.ndim == 1:  # binary: the score of class 1, logits [0, f]
            gradient, hessian = gradient[:, 1], hessian[:, 1]
        else:
            hessian = hessian * _lightgbm_multiclass_hessian_factor(n_classes)
        hessian = np.maximum(hessian, _HESSIAN_FLOOR)
        if weight is not None:
            weight = np.asarray(weight, dtype=np.float64)
            weight = weight if y_pred.ndim == 1 else weight[:, None]
            gradient, hessian = gradient * weight, hessian * weight
        return gradient, hessian


# -- configuration checks -----------------------------------------------------------


def objective_conflict(params: Mapping[str, Any], n_classes: int) -> str | None:
    """Why ``fit_soft_targets`` cannot honour a LightGBM configuration, or None.

    ``fit_soft_targets`` trains on its own objective (Hinton's loss). That
    generalizes LightGBM's ``"binary"`` and ``"cross_entropy"`` objectives
    (binary) and ``"multiclass"`` (multiclass): with ``alpha = 1`` it is the
    same loss. Any other objective (a callable, ``"multiclassova"``, a
    regression or ranking objective, ``"binary"`` for more than two classes,
    ...) would be silently replaced, so it is a conflict, as is an alias of
    ``objective`` (``loss``, ``application``, ...) in the parameters. So are
    ``is_unbalance`` and ``scale_pos_weight``, which only LightGBM's
    ``"binary"`` objective reads (``class_weight`` is honoured instead).

    Parameters
    ----------
    params : mapping
        The estimator's parameters, ``get_params()``.
    n_classes : int
        Number of classes of the problem.

    Returns
    -------
    message : str or None
        An explanation of the conflict, ``None`` without one.
    """
    aliases = sorted(_OBJECTIVE_ALIASES & set(params))
    if aliases:
        return (
            f"fit_soft_targets sets LightGBM's objective itself; remove the "
            f"objective alias {aliases[0]!r} from the parameters (set "
            "objective=None)."
        )
    unbalance = sorted(_IS_UNBALANCE_ALIASES & set(params))
    if (
        any(params[key] for key in unbalance)
        or params.get("scale_pos_weight", 1.0) != 1.0
    ):
        return (
            "fit_soft_targets does not read is_unbalance or scale_pos_weight, "
            "which only LightGBM's 'binary' objective uses; set class_weight "
            "(for example 'balanced' or {1: weight}) instead."
        )
    objective = params.get("objective")
    family = "binary" if n_classes == 2 else "multiclass"
    compatible = _COMPATIBLE_OBJECTIVES[family]
    if objective is None or (isinstance(objective, str) and objective in compatible):
        return None
    link = "sigmoid" if family == "binary" else "softmax"
    return (
        f"fit_soft_targets trains LightGBM on Hinton's distillation loss (a "
        f"{link} cross-entropy with the teacher's soft targets), which would "
        f"replace objective={objective!r}. Use objective=None (or one of "
        f"{', '.join(map(repr, compatible))}, which it generalizes) to distil "
        "into this model, or keep your objective and fit on hard labels (or "
        "with DistilledClassifier's 'weighted' fit strategy)."
    )


def _class_weight_vector(
    class_weight: Mapping[Any, float] | str | None,
    classes: NDArray[Any],
    targets: NDArray[np.float64],
) -> NDArray[np.float64] | None:
    """LightGBM's ``class_weight`` as one weight per column of the targets.

    ``"balanced"`` uses the soft class counts ``sum_i q_ik`` of the blended
    targets in sklearn's formula ``n_samples / (n_classes * count_k)``; with
    one-hot targets these are the usual counts. A dict maps class labels to
    weights; classes it omits get weight 1.
    """
    if class_weight is None:
        return None
    n_samples, n_classes = targets.shape
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            raise ValueError(
                "class_weight must be 'balanced', a dict or None; got "
                f"{class_weight!r}."
            )
        counts = targets.sum(axis=0)
        out = np.ones(n_classes)
        np.divide(n_samples, n_classes * counts, out=out, where=counts > 0)
        return out
    unknown = [key for key in class_weight if key not in set(classes.tolist())]
    if unknown:
        raise ValueError(
            f"class_weight has keys {unknown!r} that are not among the classes "
            f"{classes.tolist()!r}."
        )
    return np.array([float(class_weight.get(c, 1.0)) for c in classes.tolist()])


class SoftLGBMClassifier(LGBMClassifier):
    """LightGBM classifier that learns a teacher's soft targets natively.

    Takes exactly the parameters of :class:`lightgbm.LGBMClassifier` (and
    ``SoftLGBMClassifier(**lgbm.get_params())`` converts one). ``fit`` is
    LightGBM's own; :meth:`fit_soft_targets` implements the
    :class:`~skdistill.SoftTargetStudent` protocol: it grows the trees on
    Hinton's distillation loss in the raw scores ``F``::

        sum_i w_i * [alpha * CE(y_i, softmax(F_i))
                     + (1 - alpha) * T**2 * KL(p_T,i || softmax(F_i / T))]

    (rows with ``y_i = -1`` keep only the second term, with weight 1), see
    :func:`distillation_loss`. Afterwards ``predict_proba`` returns the
    student's own probabilities, ``softmax(F)`` (``sigmoid(F)`` for binary),
    at temperature 1.

    Parameters
    ----------
    **params
        The parameters of :class:`lightgbm.LGBMClassifier` (``num_leaves``,
        ``n_estimators``, ``learning_rate``, ``objective``, ``class_weight``,
        ... and any LightGBM parameter as a keyword), with its defaults.

    Attributes
    ----------
    init_score_ : ndarray of shape (n_classes,), float or None
        After :meth:`fit_soft_targets`, the raw score the trees start from,
        added to their sum at prediction: the centered log of the mean
        blended target ``q = alpha * onehot(y) + (1 - alpha) * p_T``
        (multiclass), or its log-odds (binary). ``None`` after ``fit``, where
        LightGBM folds its own initial score into the first trees.
    classes_ : ndarray of shape (n_classes,)
        After :meth:`fit_soft_targets`, its ``classes`` in their order (the
        columns of ``predict_proba``); after ``fit``, LightGBM's.
    objective_ : str
        ``"custom"`` after :meth:`fit_soft_targets` (the soft-target
        objective); after ``fit``, LightGBM's.
    n_classes_, booster_, n_features_in_, feature_importances_ : \
see :class:`lightgbm.LGBMClassifier`

    See Also
    --------
    skdistill.DistilledClassifier : Converts an ``LGBMClassifier`` student into
        this class with ``fit_strategy="auto"``.
    skdistill.SoftTargetStudent : The protocol of ``fit_soft_targets``.

    Notes
    -----
    ``fit_soft_targets`` trains through LightGBM's public scikit-learn API:
    ``LGBMClassifier.fit`` with a callable objective that holds the targets,
    set with ``set_params`` for the duration of the fit, and the user's
    ``objective`` and ``class_weight`` set back afterwards.

    Multiclass: the objective's gradient is ``alpha * (softmax(F) -
    onehot(y)) + (1 - alpha) * T * (softmax(F / T) - p_T)`` and its Hessian
    the exact diagonal ``alpha * s * (1 - s) + (1 - alpha) * s_T * (1 -
    s_T)`` times ``K / (K - 1)``, the factor of LightGBM's own multiclass
    objective (so that ``alpha = 1, T = 1`` grows LightGBM's trees), floored
    at ``1e-16`` and multiplied by the sample weight.

    Binary: the same loss in the single score ``f`` (logits ``[0, f]``),
    with its exact Hessian; at ``T = 1`` it is the loss of LightGBM's
    ``cross_entropy`` objective with the blended probability ``q`` of class
    1 as the label.

    A custom objective starts from a raw score of 0 unless told otherwise;
    the initial score ``init_score_`` (the optimum of the loss for a
    constant model at ``T = 1``) is passed as LightGBM's ``init_score``,
    which it does not store, and added back at prediction.

    ``fit_soft_targets`` raises a ``ValueError`` when the model has its own
    ``objective``, other than ``None`` or one the soft-target loss
    generalizes (``"binary"``, ``"cross_entropy"``; ``"multiclass"``,
    ``"softmax"``), rather than silently replacing it (see
    :func:`objective_conflict`).

    ``class_weight`` multiplies each class's terms of the loss by its
    weight: with one-hot targets this is LightGBM's weighting, and at
    ``T = 1`` the loss equals that of the ``"weighted"`` fit strategy
    (rows repeated per class with weight ``q_ik``). ``"balanced"`` counts
    classes by their total target probability.

    ``predict_proba(..., raw_score=True)`` and ``decision_function`` return
    the raw scores including ``init_score_``; ``pred_leaf`` and
    ``pred_contrib`` are LightGBM's, without it.

    References
    ----------
    G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a Neural
    Network", 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdistill import SoftLGBMClassifier
    >>> from skdistill.soft_targets import logits_from_proba, softmax
    >>> X, y = load_iris(return_X_y=True)
    >>> teacher = LogisticRegression(max_iter=1000).fit(X, y)
    >>> soft_targets = softmax(logits_from_proba(teacher.predict_proba(X)), 2.0)
    >>> student = SoftLGBMClassifier(
    ...     n_estimators=30, num_leaves=4, verbose=-1, n_jobs=1)
    >>> student = student.fit_soft_targets(
    ...     X, y, soft_targets, classes=teacher.classes_, temperature=2.0,
    ...     alpha=0.5)
    >>> proba = student.predict_proba(X)
    >>> proba.shape, bool(np.allclose(proba.sum(axis=1), 1.0))
    ((150, 3), True)
    >>> bool(np.mean(student.predict(X) == teacher.predict(X)) > 0.9)
    True
    """

    @functools.wraps(LGBMClassifier.fit)
    def fit(self, *args: Any, **kwargs: Any) -> SoftLGBMClassifier:
        # LightGBM's fit on hard labels, undoing a previous fit_soft_targets.
        self.init_score_ = None
        self._soft_classes = None
        super().fit(*args, **kwargs)
        return self

    def fit_soft_targets(
        self,
        X: Any,
        y: ArrayLike,
        soft_targets: ArrayLike,
        *,
        classes: ArrayLike,
        temperature: float,
        alpha: float,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> SoftLGBMClassifier:
        """Fit on Hinton's loss with the teacher's soft targets.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, as accepted by LightGBM; at least one row per class.
        y : array-like of shape (n_samples,)
            Hard labels encoded as column indices into ``classes``; ``-1``
            marks a row without a label (soft term only, with weight 1).
        soft_targets : array-like of shape (n_samples, n_classes)
            The teacher's softened distribution ``p_T = softmax(z_t / T)``.
        classes : array-like of shape (n_classes,)
            The class labels, in the order of the columns of
            ``soft_targets``; they become ``classes_``.
        temperature : float
            ``T > 0``, the temperature of ``soft_targets``.
        alpha : float in [0, 1]
            Weight of the hard-label term.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights ``w_i``.
        **fit_params : dict
            ``callbacks``, ``categorical_feature`` or ``feature_name``,
            passed to LightGBM. Evaluation sets, ``init_score`` and
            ``init_model`` are not supported: their labels and scores would
            not match the soft-target objective.

        Returns
        -------
        self : SoftLGBMClassifier
            The fitted estimator.
        """
        temperature = _check_temperature(temperature)
        classes = _check_classes(classes)
        n_classes = classes.size
        conflict = objective_conflict(self.get_params(deep=False), n_classes)
        if conflict is not None:
            raise ValueError(conflict)
        unsupported = sorted(set(fit_params) - set(_SOFT_FIT_PARAMS))
        if unsupported:
            raise ValueError(
                f"fit_soft_targets does not support the fit parameters "
                f"{unsupported}; it accepts {list(_SOFT_FIT_PARAMS)}."
            )
        n_samples = _num_samples(X)
        soft_targets = check_soft_targets(
            soft_targets, n_samples=n_samples, n_classes=n_classes
        )
        targets = blend_targets(y, soft_targets, alpha)  # validates y and alpha
        if n_samples < n_classes:
            raise ValueError(
                f"fit_soft_targets needs at least one row per class: got "
                f"{n_samples} rows for {n_classes} classes."
            )
        y = np.asarray(y, dtype=np.intp)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, ensure_non_negative=True
            )
        class_weight = _class_weight_vector(self.class_weight, classes, targets)
        hard, soft = _class_weighted_targets(
            y, soft_targets, float(alpha), class_weight
        )
        mean_target = np.average(hard + soft, axis=0, weights=sample_weight)
        init = logits_from_proba(mean_target[None, :] / mean_target.sum())[0]
        init -= init.mean()
        if n_classes > 2:
            init_score_, init_score = init, np.tile(init, (n_samples, 1))
        else:
            init_score_ = float(init[1] - init[0])
            init_score = np.full(n_samples, init_score_)

        objective = _SoftTargetObjective(hard, soft, temperature)
        self._fit_lightgbm(
            X, objective, n_classes, sample_weight, init_score, fit_params
        )
        self.init_score_ = init_score_
        self._soft_classes = classes
        return self

    def _fit_lightgbm(
        self,
        X: Any,
        objective: _SoftTargetObjective,
        n_classes: int,
        sample_weight: NDArray[np.float64] | None,
        init_score: NDArray[np.float64],
        fit_params: dict[str, Any],
    ) -> None:
        """``LGBMClassifier.fit`` with ``objective`` as its (callable) objective.

        The user's ``objective`` and ``class_weight`` (already folded into
        the targets) are set aside with ``set_params`` for the fit and set
        back afterwards, so ``get_params()`` is unchanged. The callable holds
        the targets; LightGBM's label only tells it the classes (their
        number becomes ``num_class``): the column indices ``0, ..., K - 1``,
        each on some row, which the objective ignores.
        """
        saved = {"objective": self.objective, "class_weight": self.class_weight}
        label = np.arange(_num_samples(X)) % n_classes
        self.set_params(objective=objective, class_weight=None)
        try:
            super().fit(
                X,
                label,
                sample_weight=sample_weight,
                init_score=init_score,
                **fit_params,
            )
        except LightGBMError as exc:
            # With a callable objective LightGBM fails, rather than fitting a
            # constant model, when no feature can be split on.
            if "num_features()) > (0)" not in str(exc):
                raise
            raise ValueError(
                f"{type(self).__name__} cannot fit these {_num_samples(X)} rows: "
                "LightGBM found no feature it can split on (every feature is "
                "constant, or holds too few rows per value for "
                "min_child_samples / min_data_in_bin). Fit on more rows, lower "
                "min_child_samples, or use another student."
            ) from exc
        finally:
            self.set_params(**saved)

    # -- fitted attributes of a soft-target fit ----------------------------------

    def _soft_fitted(self) -> bool:
        return getattr(self, "init_score_", None) is not None

    @property
    def classes_(self) -> NDArray[Any]:
        """The class labels: after ``fit_soft_targets``, its ``classes``, in order.

        (LightGBM's own, the sorted labels of ``y``, after ``fit``.)
        """
        if self._soft_fitted():
            return self._soft_classes
        return super().classes_

    @property
    def objective_(self) -> Any:
        """The objective trained on: ``"custom"`` after ``fit_soft_targets``.

        (LightGBM's own after ``fit``.)
        """
        if self._soft_fitted():
            return "custom"
        return super().objective_

    # -- prediction ---------------------------------------------------------------

    def _predict_params(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """``kwargs`` for LightGBM's predict, over ``_PREDICT_PARAMS`` when soft."""
        return {**_PREDICT_PARAMS, **kwargs} if self._soft_fitted() else kwargs

    def decision_function(
        self,
        X: Any,
        *,
        start_iteration: int = 0,
        num_iteration: int | None = None,
        validate_features: bool = False,
        **kwargs: Any,
    ) -> NDArray[np.float64]:
        """Raw scores of the model: the logits ``F`` (binary: their difference).

        After :meth:`fit_soft_targets` they include ``init_score_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        start_iteration, num_iteration, validate_features, **kwargs
            As in :meth:`lightgbm.LGBMClassifier.decision_function`.

        Returns
        -------
        raw_score : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        raw = super().decision_function(
            X,
            start_iteration=start_iteration,
            num_iteration=num_iteration,
            validate_features=validate_features,
            **self._predict_params(kwargs),
        )
        return raw + self.init_score_ if self._soft_fitted() else raw

    def predict_proba(
        self,
        X: Any,
        raw_score: bool = False,
        start_iteration: int = 0,
        num_iteration: int | None = None,
        pred_leaf: bool = False,
        pred_contrib: bool = False,
        validate_features: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Class probabilities, one column per class of ``classes_``.

        After :meth:`fit_soft_targets`: ``softmax(F)`` (multiclass) or
        ``[1 - sigmoid(F), sigmoid(F)]`` (binary), ``F`` the raw scores
        including ``init_score_``; ``raw_score=True`` returns ``F``. After
        ``fit``, LightGBM's own ``predict_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        raw_score, start_iteration, num_iteration, pred_leaf, pred_contrib, \
validate_features, **kwargs
            As in :meth:`lightgbm.LGBMClassifier.predict_proba`.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1 (other shapes for ``raw_score``, ``pred_leaf`` or
            ``pred_contrib``).
        """
        if not self._soft_fitted() or pred_leaf or pred_contrib:
            return super().predict_proba(
                X,
                raw_score=raw_score,
                start_iteration=start_iteration,
                num_iteration=num_iteration,
                pred_leaf=pred_leaf,
                pred_contrib=pred_contrib,
                validate_features=validate_features,
                **self._predict_params(kwargs),
            )
        scores = self.decision_function(
            X,
            start_iteration=start_iteration,
            num_iteration=num_iteration,
            validate_features=validate_features,
            **kwargs,
        )
        if raw_score:
            return scores
        return softmax(logits_from_decision(scores))

    def predict(
        self,
        X: Any,
        raw_score: bool = False,
        start_iteration: int = 0,
        num_iteration: int | None = None,
        pred_leaf: bool = False,
        pred_contrib: bool = False,
        validate_features: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Predicted class labels: the most probable class of ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        raw_score, start_iteration, num_iteration, pred_leaf, pred_contrib, \
validate_features, **kwargs
            As in :meth:`lightgbm.LGBMClassifier.predict`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            (Other shapes for ``raw_score``, ``pred_leaf`` or ``pred_contrib``.)
        """
        options = dict(
            raw_score=raw_score,
            start_iteration=start_iteration,
            num_iteration=num_iteration,
            pred_leaf=pred_leaf,
            pred_contrib=pred_contrib,
            validate_features=validate_features,
            **kwargs,
        )
        if not self._soft_fitted():
            return super().predict(X, **options)
        result = self.predict_proba(X, **options)
        if raw_score or pred_leaf or pred_contrib:
            return result
        return self.classes_[np.argmax(result, axis=1)]
