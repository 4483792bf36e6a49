"""SoftLogisticRegression: a logistic regression that learns soft targets natively.

The student's logits are linear, ``z = X @ coef_.T + intercept_``, and its
weights minimize Hinton's distillation loss (see
:func:`distillation_loss_gradient`) plus scikit-learn's L2 penalty::

    0.5 * ||coef_||^2 + C * sum_i [a_i * CE(y_i, softmax(z_i))
                                   + b_i * T**2 * KL(p_i || softmax(z_i / T))]

with ``a_i = alpha * w_i`` (times the class weight of ``y_i``) and
``b_i = (1 - alpha) * w_i`` for a labelled row, ``a_i = 0`` and ``b_i = w_i``
for a row without a label. With ``alpha = 1`` this is exactly the objective of
:class:`sklearn.linear_model.LogisticRegression`, which ``fit`` minimizes.

Online (``partial_fit``, ``partial_fit_soft_targets``), the same objective is
minimized batch after batch by a diagonal Laplace approximation (an online
Newton method with a diagonal curvature): the penalty is a Gaussian prior
entered once, and each batch solves::

    C * sum_{i in batch} loss_i(theta)
        + 0.5 * sum_j h_j * (theta_j - theta_prev_j)**2

by a few warm-started L-BFGS iterations, where ``h`` (``curvature_``) is the
prior's precision (1 on the coefficients, as the L2 penalty) plus ``C`` times
the diagonal of the Hessian of the loss on every earlier batch, each at the
solution of its own step. The past batches are summarized by ``h`` and
``theta_prev`` alone, so memory does not grow with the number of batches,
and the steps shrink as evidence accumulates, as an online Newton method's
do: one pass over many batches ends close to ``fit`` on all their rows
(exactly so for a quadratic loss with a diagonal Hessian).
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy import optimize
from scipy.special import xlogy
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.optimize import _check_optimize_result
from sklearn.utils.validation import (
    _check_sample_weight,
    check_consistent_length,
    check_is_fitted,
    check_scalar,
    column_or_1d,
    validate_data,
)

from ..soft_targets import (
    _check_classes,
    _check_temperature,
    check_soft_targets,
    log_softmax,
    softmax,
)


def _shifted_softmax(
    shifted: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Softmax of row-shifted logits (row maximum 0) and its log-normalizer."""
    proba = np.exp(shifted)
    norm = proba.sum(axis=1)
    proba /= norm[:, None]
    return proba, np.log(norm)


def distillation_loss_gradient(
    logits: NDArray[np.float64],
    y: NDArray[np.intp] | None,
    soft_targets: NDArray[np.float64] | None,
    *,
    hard_weight: NDArray[np.float64] | None,
    soft_weight: NDArray[np.float64] | None,
    temperature: float = 1.0,
    soft_negentropy: NDArray[np.float64] | None = None,
) -> tuple[float, NDArray[np.float64]]:
    """Hinton's distillation loss of softmax logits, and its gradient in them.

    With ``z`` the logits, ``p`` the soft targets, ``a`` and ``b`` the
    per-row weights of the hard and soft terms and ``T`` the temperature::

        loss = sum_i a_i * CE(y_i, softmax(z_i))
             + sum_i b_i * T**2 * KL(p_i || softmax(z_i / T))

        d loss / d z_i = a_i * (softmax(z_i) - onehot(y_i))
                       + b_i * T * (softmax(z_i / T) - p_i)

    where ``CE(y, s) = -log s_y`` and ``KL(p || s) = sum_k p_k log(p_k / s_k)``
    are evaluated by log-sum-exp, so large logits do not overflow. Memory is
    a few arrays of the shape of ``logits``; column-major (Fortran-ordered)
    arrays are the fastest, as the per-row sums then run along columns.

    Parameters
    ----------
    logits : ndarray of shape (n_samples, n_classes)
        The student's logits ``z``.
    y : ndarray of shape (n_samples,) or None
        Hard labels encoded as column indices; ``-1`` marks a row without a
        label, whose ``hard_weight`` must be 0. ``None`` drops the hard term.
    soft_targets : ndarray of shape (n_samples, n_classes) or None
        ``p``, rows summing to 1. ``None`` drops the soft term.
    hard_weight, soft_weight : ndarray of shape (n_samples,) or None
        ``a`` and ``b``; required with ``y`` and ``soft_targets`` respectively.
    temperature : float, default=1.0
        ``T > 0``.
    soft_negentropy : ndarray of shape (n_samples,), default=None
        ``sum_k p_ik log p_ik``, computed from ``soft_targets`` when None;
        pass it to save that work across repeated calls.

    Returns
    -------
    loss : float
    gradient : ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> import numpy as np
    >>> logits = np.array([[2.0, 0.0], [0.0, 0.0]])
    >>> loss, grad = distillation_loss_gradient(
    ...     logits, np.array([0, -1]), np.array([[0.5, 0.5], [0.5, 0.5]]),
    ...     hard_weight=np.array([1.0, 0.0]), soft_weight=np.array([0.0, 1.0]),
    ... )
    >>> round(loss, 4)  # -log(sigmoid(2)); the second row matches its target
    0.1269
    >>> np.round(grad, 4)
    array([[-0.1192,  0.1192],
           [ 0.    ,  0.    ]])
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    loss = 0.0
    gradient = None
    if y is not None:
        rows = np.arange(shifted.shape[0])
        labels = np.where(y >= 0, y, 0)
        proba, log_norm = _shifted_softmax(shifted)
        loss += float(hard_weight @ (log_norm - shifted[rows, labels]))
    if soft_targets is not None:
        if temperature == 1.0 and y is not None:
            scaled, proba_t, log_norm_t = shifted, proba, log_norm
        else:
            scaled = shifted if temperature == 1.0 else shifted / temperature
            proba_t, log_norm_t = _shifted_softmax(scaled)
        if soft_negentropy is None:
            soft_negentropy = xlogy(soft_targets, soft_targets).sum(axis=1)
        cross = np.einsum("ij,ij->i", soft_targets, scaled)
        loss += temperature**2 * float(
            soft_weight @ (log_norm_t - cross + soft_negentropy)
        )
        gradient = proba_t - soft_targets
        gradient *= (temperature * soft_weight)[:, None]
    if y is not None:
        proba[rows, labels] -= 1.0
        proba *= hard_weight[:, None]
        if gradient is None:
            gradient = proba
        else:
            gradient += proba
    if gradient is None:
        gradient = np.zeros_like(shifted)
    return loss, gradient


class _LinearDistillationObjective:
    """The penalized loss of a linear softmax model, for ``scipy.optimize``.

    Parameters are one vector: the rows of ``[coef | intercept]``, one row per
    logit (a single row for two classes, whose logits are ``[0, z]``). The
    value is divided by the total weight, like scikit-learn's
    ``LinearModelLoss``, so tolerances do not depend on the data size::

        (loss(X @ coef.T + intercept) + 0.5 / C * ||coef||^2) / sum_i (a_i + b_i)
    """

    def __init__(
        self,
        X: Any,
        y: NDArray[np.intp] | None,
        soft_targets: NDArray[np.float64] | None,
        hard_weight: NDArray[np.float64] | None,
        soft_weight: NDArray[np.float64] | None,
        *,
        temperature: float,
        C: float,
        fit_intercept: bool,
        n_classes: int,
        prior_mean: NDArray[np.float64] | None = None,
        prior_precision: NDArray[np.float64] | None = None,
    ) -> None:
        total = 0.0
        if y is not None:
            total += float(hard_weight.sum())
        if soft_targets is not None:
            total += float(soft_weight.sum())
        if not total > 0:
            raise ValueError(
                "Every row has a zero weight (sample_weight, times class_weight "
                "in the hard-label term); at least one needs a positive weight."
            )
        self.X = X
        self.y = y
        self.soft_targets = soft_targets
        self.hard_weight = hard_weight
        self.soft_weight = soft_weight
        self.temperature = temperature
        self.fit_intercept = fit_intercept
        self.n_classes = n_classes
        self.binary = n_classes == 2
        self.n_outputs = 1 if self.binary else n_classes
        self.n_features = X.shape[1]
        self.scale = 1.0 / total
        self.l2_reg_strength = 1.0 / C
        self.prior_mean = prior_mean
        self.prior_precision = prior_precision
        self.soft_negentropy = (
            None
            if soft_targets is None
            else xlogy(soft_targets, soft_targets).sum(axis=1)
        )

    @property
    def n_params(self) -> int:
        return self.n_outputs * (self.n_features + int(self.fit_intercept))

    def unpack(
        self, params: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """``(coef, intercept)`` of shapes (n_outputs, n_features), (n_outputs,)."""
        table = params.reshape(self.n_outputs, -1)
        coef = table[:, : self.n_features]
        if self.fit_intercept:
            return coef, table[:, -1]
        return coef, np.zeros(self.n_outputs)

    def pack(
        self, coef: NDArray[np.float64], intercept: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        if self.fit_intercept:
            return np.column_stack([coef, intercept]).ravel()
        return np.array(coef, dtype=np.float64).ravel()

    def __call__(
        self, params: NDArray[np.float64]
    ) -> tuple[float, NDArray[np.float64]]:
        coef, intercept = self.unpack(params)
        # Column-major logits: the reductions over classes of each row then
        # run along contiguous columns, many times faster than along rows.
        logits = np.empty((self.X.shape[0], self.n_classes), order="F")
        scores = logits[:, 1:] if self.binary else logits
        if self.binary:
            logits[:, 0] = 0.0
        if sp.issparse(self.X):
            scores[...] = self.X @ coef.T
        else:
            np.matmul(coef, self.X.T, out=scores.T)
        scores += intercept
        loss, grad_logits = distillation_loss_gradient(
            logits,
            self.y,
            self.soft_targets,
            hard_weight=self.hard_weight,
            soft_weight=self.soft_weight,
            temperature=self.temperature,
            soft_negentropy=self.soft_negentropy,
        )
        if self.binary:
            grad_logits = grad_logits[:, 1:]
        grad = np.empty((self.n_outputs, params.size // self.n_outputs))
        grad[:, : self.n_features] = np.asarray(self.X.T @ grad_logits).T
        if self.fit_intercept:
            grad[:, -1] = grad_logits.sum(axis=0)
        grad = grad.ravel()
        if self.prior_precision is None:
            loss += 0.5 * self.l2_reg_strength * float(np.vdot(coef, coef))
            grad.reshape(self.n_outputs, -1)[:, : self.n_features] += (
                self.l2_reg_strength * coef
            )
        else:
            shift = self.prior_precision * (params - self.prior_mean)
            loss += (
                0.5 * self.l2_reg_strength * float(shift @ (params - self.prior_mean))
            )
            grad += self.l2_reg_strength * shift
        return loss * self.scale, grad * self.scale

    def curvature(self, params: NDArray[np.float64]) -> NDArray[np.float64]:
        """Diagonal of the Hessian of the (unpenalized, unscaled) loss at ``params``.

        For a softmax output the second derivative of either term in its
        own logit ``z_k`` is ``s_k (1 - s_k)`` (``s = softmax(z)`` for the
        hard term, ``softmax(z / T)`` for the soft term, whose ``T**2``
        cancels), so the entry of ``coef[k, j]`` is
        ``sum_i x_ij**2 * (a_i s_ik (1 - s_ik) + b_i s_T,ik (1 - s_T,ik))``
        and that of ``intercept[k]`` the same without ``x_ij**2``. Same
        layout as ``params``.
        """
        coef, intercept = self.unpack(params)
        scores = np.asarray(self.X @ coef.T) + intercept
        logits = (
            np.column_stack([np.zeros(scores.shape[0]), scores])
            if self.binary
            else scores
        )
        row_curvature = np.zeros_like(logits)
        if self.y is not None:
            proba = softmax(logits)
            row_curvature += self.hard_weight[:, None] * proba * (1.0 - proba)
        if self.soft_targets is not None:
            proba = softmax(logits, self.temperature)
            row_curvature += self.soft_weight[:, None] * proba * (1.0 - proba)
        if self.binary:
            row_curvature = row_curvature[:, 1:]
        squared = self.X.multiply(self.X) if sp.issparse(self.X) else self.X**2
        out = np.empty((self.n_outputs, params.size // self.n_outputs))
        out[:, : self.n_features] = np.asarray(squared.T @ row_curvature).T
        if self.fit_intercept:
            out[:, -1] = row_curvature.sum(axis=0)
        return out.ravel()


def _row_class_weights(
    class_weight: dict | str | None,
    classes: NDArray[Any],
    y: NDArray[np.intp],
    sample_weight: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Class weight of each row's label (1 for rows without a label).

    ``"balanced"`` weighs a class by ``total / (n_classes * class_total)``
    over the labelled rows and the classes present among them, as
    :func:`sklearn.utils.class_weight.compute_class_weight` does.
    """
    out = np.ones(y.shape[0])
    labelled = y >= 0
    if class_weight is None or not labelled.any():
        return out
    present = np.unique(y[labelled])
    weights = np.ones(classes.shape[0])
    if class_weight == "balanced":
        weights[present] = compute_class_weight(
            "balanced",
            classes=present,
            y=y[labelled],
            sample_weight=sample_weight[labelled],
        )
    else:
        weights = compute_class_weight(
            class_weight, classes=classes, y=classes[y[labelled]]
        )
    out[labelled] = weights[y[labelled]]
    return out


class SoftLogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression that learns from a teacher's soft targets natively.

    A multinomial logistic regression (one coefficient vector for two classes,
    like :class:`sklearn.linear_model.LogisticRegression`) trained with
    L-BFGS on an analytic gradient. ``fit`` trains it on hard labels and
    reaches the same solution as ``LogisticRegression(C=C)``.
    ``fit_soft_targets`` implements :class:`~skdistill.SoftTargetStudent`:
    it minimizes Hinton's distillation loss directly::

        0.5 * ||coef_||^2 + C * sum_i w_i * [
            alpha * CE(y_i, softmax(z_i))
            + (1 - alpha) * T**2 * KL(p_T,i || softmax(z_i / T))]

        z_i = coef_ @ x_i + intercept_   ([0, coef_ @ x_i + intercept_] for
                                         two classes)

    so that :class:`~skdistill.DistilledClassifier` uses it through its
    ``"native"`` fit strategy, without repeating each row once per class as
    the ``"weighted"`` strategy does. Rows whose label is ``-1`` keep only the
    soft term, with weight ``w_i``. The intercept is not penalized.

    Parameters
    ----------
    C : float, default=1.0
        Inverse of the L2 regularization strength, as in scikit-learn: the
        summed (weighted) loss is multiplied by ``C``.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept per logit.
    class_weight : dict or "balanced", default=None
        Weights of the classes in the hard-label term, as in
        :class:`~sklearn.linear_model.LogisticRegression`: each row's hard
        term is multiplied by the weight of its label. ``"balanced"`` uses
        ``total / (n_classes * class_total)`` over the labelled rows. The
        soft term is not reweighted.
    max_iter : int, default=100
        Maximum number of L-BFGS iterations.
    tol : float, default=1e-4
        L-BFGS stops when every component of the projected gradient of the
        objective, divided by the total sample weight, is at most ``tol``.
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` when their shapes
        fit the new problem.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Coefficients; one row for two classes (the log-odds of
        ``classes_[1]``), else one row per class.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts (zeros when ``fit_intercept=False``).
    n_iter_ : int
        Number of L-BFGS iterations of the last fit.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    sklearn.linear_model.LogisticRegression : The same model on hard labels.
    skdistill.DistilledClassifier : Distils a teacher into a student such as
        this one.

    References
    ----------
    G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a Neural
    Network", 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdistill import SoftLogisticRegression
    >>> from skdistill.soft_targets import softmax
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> model = SoftLogisticRegression().fit(X, y)
    >>> model.coef_.shape, round(model.score(X, y), 3)
    ((3, 4), 0.973)

    Learn from a teacher's logits softened at ``T = 2``, with a quarter of the
    weight on the true labels:

    >>> teacher_logits = 3.0 * np.eye(3)[y] + np.random.RandomState(0).randn(150, 3)
    >>> student = SoftLogisticRegression().fit_soft_targets(
    ...     X, y, softmax(teacher_logits, temperature=2.0),
    ...     classes=np.array(["setosa", "versicolor", "virginica"]),
    ...     temperature=2.0, alpha=0.25,
    ... )
    >>> student.predict(X[:2]).tolist()
    ['setosa', 'setosa']
    >>> student.predict_proba(X[:2]).round(3)
    array([[0.889, 0.097, 0.014],
           [0.774, 0.211, 0.014]])
    """

    _parameter_constraints: ClassVar[dict] = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        C: float = 1.0,
        *,
        fit_intercept: bool = True,
        class_weight: dict | str | None = None,
        max_iter: int = 100,
        tol: float = 1e-4,
        warm_start: bool = False,
    ) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> SoftLogisticRegression:
        """Fit the model on hard labels, like ``LogisticRegression(C=C)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels (strings, integers in any order, ...).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights.

        Returns
        -------
        self : SoftLogisticRegression
            The fitted estimator.
        """
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        classes, y_encoded = np.unique(y, return_inverse=True)
        if classes.size < 2:
            raise ValueError(
                f"y contains only one class ({classes.tolist()[0]!r}); a classifier "
                "needs at least two classes in y."
            )
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float64, ensure_non_negative=True
        )
        hard_weight = sample_weight * _row_class_weights(
            self.class_weight, classes, y_encoded, sample_weight
        )
        self.classes_ = classes
        return self._minimize(
            X,
            y_encoded,
            None,
            hard_weight=hard_weight,
            soft_weight=None,
            temperature=1.0,
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_soft_targets(
        self,
        X: ArrayLike,
        y: ArrayLike,
        soft_targets: ArrayLike,
        *,
        classes: ArrayLike,
        temperature: float,
        alpha: float,
        sample_weight: ArrayLike | None = None,
    ) -> SoftLogisticRegression:
        """Fit on a blend of hard labels and a teacher's softened probabilities.

        Minimizes, with ``z`` the model's logits and ``T`` the temperature::

            0.5 * ||coef_||^2 + C * sum_i w_i * [
                alpha * CE(y_i, softmax(z_i))
                + (1 - alpha) * T**2 * KL(p_T,i || softmax(z_i / T))]

        where rows with ``y_i = -1`` keep only the second term, with weight
        ``w_i`` instead of ``(1 - alpha) * w_i``; ``class_weight`` multiplies
        the first term. Predictions are made at temperature 1. This is the
        :class:`~skdistill.SoftTargetStudent` protocol.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of int of shape (n_samples,)
            Hard labels encoded as column indices into ``classes``; ``-1``
            marks a row without a hard label.
        soft_targets : array-like of shape (n_samples, n_classes)
            The teacher's softened distribution ``p_T = softmax(z_t / T)``;
            non-negative rows summing to 1 (to within 1e-6; they are
            renormalized).
        classes : array-like of shape (n_classes,)
            The labels of the columns of ``soft_targets``, at least two,
            distinct; they become ``classes_``.
        temperature : float
            ``T > 0``, the temperature used to soften the teacher; the
            student's logits are divided by it in the soft term.
        alpha : float in [0, 1]
            Weight of the hard-label term.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights ``w_i``.

        Returns
        -------
        self : SoftLogisticRegression
            The fitted estimator.
        """
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64)
        classes = _check_classes(classes)
        y, soft_targets, hard_weight, soft_weight, temperature = self._soft_problem(
            X, y, soft_targets, classes, temperature, alpha, sample_weight
        )
        self.classes_ = classes
        return self._minimize(
            X,
            y if hard_weight.any() else None,
            soft_targets if soft_weight.any() else None,
            hard_weight=hard_weight,
            soft_weight=soft_weight,
            temperature=temperature,
        )

    def _soft_problem(
        self,
        X: Any,
        y: ArrayLike,
        soft_targets: ArrayLike,
        classes: NDArray[Any],
        temperature: float,
        alpha: float,
        sample_weight: ArrayLike | None,
    ) -> tuple[Any, ...]:
        """The checked arguments of a soft-target fit, and the rows' weights.

        Returns ``(y, soft_targets, hard_weight, soft_weight, temperature)``.
        """
        temperature = _check_temperature(temperature)
        alpha = check_scalar(
            alpha, "alpha", Real, min_val=0.0, max_val=1.0, include_boundaries="both"
        )
        soft_targets = check_soft_targets(
            soft_targets, n_samples=X.shape[0], n_classes=classes.size
        )
        soft_targets = np.asfortranarray(  # column-major, as the logits
            soft_targets / soft_targets.sum(axis=1, keepdims=True)
        )
        y = column_or_1d(y)
        check_consistent_length(X, y)
        if not np.issubdtype(y.dtype, np.integer) or np.any(
            (y < -1) | (y >= classes.size)
        ):
            raise ValueError(
                "y must hold encoded labels: integers in [0, len(classes)) or -1 "
                "for rows without a hard label."
            )
        y = y.astype(np.intp, copy=False)
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float64, ensure_non_negative=True
        )
        labelled = y >= 0
        hard_weight = np.where(labelled, alpha * sample_weight, 0.0)
        hard_weight *= _row_class_weights(self.class_weight, classes, y, sample_weight)
        soft_weight = np.where(labelled, (1.0 - alpha) * sample_weight, sample_weight)
        return y, soft_targets, hard_weight, soft_weight, temperature

    # -- online learning --------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        classes: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
    ) -> SoftLogisticRegression:
        """Learn one batch of hard labels, continuing from the batches before.

        One step of the online method of this module's docstring: a few
        L-BFGS iterations (at most ``max_iter``) on the batch's loss plus the
        curvature-weighted distance to the previous solution, then the
        batch's curvature is added to ``curvature_``. After :meth:`fit` it
        continues from the fitted model. ``warm_start`` plays no role.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            One batch of training data.
        y : array-like of shape (n_samples,)
            Class labels, each one of ``classes``.
        classes : array-like of shape (n_classes,), default=None
            Every class of the stream, at least two. Required on the first
            call (unless the model was fitted by :meth:`fit`); on later calls
            it may be omitted and must otherwise equal ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights.

        Returns
        -------
        self : SoftLogisticRegression
            The updated estimator.
        """
        if classes is not None:
            classes = np.unique(np.asarray(classes))
        first = self._check_online_classes(classes)
        X, y = validate_data(
            self, X, y, accept_sparse="csr", dtype=np.float64, reset=first
        )
        check_classification_targets(y)
        y_encoded = self._encode_batch_labels(y)
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float64, ensure_non_negative=True
        )
        hard_weight = sample_weight * _row_class_weights(
            self.class_weight, self.classes_, y_encoded, sample_weight
        )
        return self._minimize(
            X,
            y_encoded,
            None,
            hard_weight=hard_weight,
            soft_weight=None,
            temperature=1.0,
            online=not first,
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit_soft_targets(
        self,
        X: ArrayLike,
        y: ArrayLike,
        soft_targets: ArrayLike,
        *,
        classes: ArrayLike,
        temperature: float,
        alpha: float,
        sample_weight: ArrayLike | None = None,
    ) -> SoftLogisticRegression:
        """Learn one batch of blended hard labels and soft targets, online.

        The online counterpart of :meth:`fit_soft_targets`, with the same
        arguments and loss on the batch; the batch is learnt as
        :meth:`partial_fit` learns one (see the module's docstring). This
        is the online soft-target protocol that
        :class:`~skdistill.OnlineDistilledClassifier` calls.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            One batch of training data.
        y : array-like of int of shape (n_samples,)
            Hard labels encoded as column indices into ``classes``; ``-1``
            marks a row without a hard label.
        soft_targets : array-like of shape (n_samples, n_classes)
            The teacher's softened distribution ``p_T = softmax(z_t / T)``.
        classes : array-like of shape (n_classes,)
            Every class of the stream; must equal ``classes_`` after the
            first call.
        temperature : float
            ``T > 0``, the temperature used to soften the teacher.
        alpha : float in [0, 1]
            Weight of the hard-label term.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights ``w_i``.

        Returns
        -------
        self : SoftLogisticRegression
            The updated estimator.
        """
        first = self._check_online_classes(_check_classes(classes))
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=first)
        y, soft_targets, hard_weight, soft_weight, temperature = self._soft_problem(
            X, y, soft_targets, self.classes_, temperature, alpha, sample_weight
        )
        return self._minimize(
            X,
            y if hard_weight.any() else None,
            soft_targets if soft_weight.any() else None,
            hard_weight=hard_weight,
            soft_weight=soft_weight,
            temperature=temperature,
            online=not first,
        )

    def _check_online_classes(self, classes: NDArray[Any] | None) -> bool:
        """Set ``classes_`` on the first online call; whether it is the first.

        Later calls must pass the same classes (or None).
        """
        if self.class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' cannot be used online: it needs the "
                "counts of every label of the stream. Pass a dict of class "
                "weights (for example computed by "
                "sklearn.utils.class_weight.compute_class_weight on a sample), "
                "or use fit."
            )
        fitted = hasattr(self, "curvature_")
        if classes is None:
            if not fitted:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: "
                    "every class of the stream, as a batch may lack some."
                )
            return False
        if fitted:
            if not np.array_equal(classes, self.classes_):
                raise ValueError(
                    f"classes={classes.tolist()} differs from the classes of the "
                    f"earlier calls, {self.classes_.tolist()}. Pass the same "
                    "classes on every call, or call fit to start afresh."
                )
            return False
        if classes.size < 2:
            raise ValueError(
                f"classes has {classes.size} class(es); a classifier needs at "
                "least two."
            )
        self.classes_ = classes
        return True

    def _encode_batch_labels(self, y: NDArray[Any]) -> NDArray[np.intp]:
        """A batch's labels as indices into ``classes_``; unknown labels raise."""
        encoded = np.searchsorted(self.classes_, y)
        encoded = np.minimum(encoded, self.classes_.size - 1)
        unknown = self.classes_[encoded] != y
        if unknown.any():
            raise ValueError(
                f"y contains labels {np.unique(y[unknown]).tolist()[:10]} that are "
                f"not among classes {self.classes_.tolist()} given on the first "
                "call to partial_fit."
            )
        return encoded.astype(np.intp)

    def _minimize(
        self,
        X: Any,
        y: NDArray[np.intp] | None,
        soft_targets: NDArray[np.float64] | None,
        *,
        hard_weight: NDArray[np.float64],
        soft_weight: NDArray[np.float64] | None,
        temperature: float,
        online: bool | None = None,
    ) -> SoftLogisticRegression:
        """Minimize the objective on ``X``; set the weights and ``curvature_``.

        ``online=None`` is a fit (the plain L2 penalty, from zero or the warm
        start); ``False`` is the first online step (the L2 penalty as the
        prior, from zero); ``True`` a later one (from the previous weights,
        with ``curvature_`` as the prior's precision).
        """
        n_outputs = 1 if self.classes_.size == 2 else self.classes_.size
        n_params = n_outputs * (X.shape[1] + int(self.fit_intercept))
        prior_mean = prior_precision = None
        if online is not None:
            prior_precision = self._prior_precision(n_outputs, X.shape[1])
            prior_mean = np.zeros(n_params)
            if online:
                prior_precision = self.curvature_
                prior_mean = self._pack(self.coef_, self.intercept_)
        objective = _LinearDistillationObjective(
            X,
            y,
            soft_targets,
            hard_weight,
            soft_weight,
            temperature=temperature,
            C=self.C,
            fit_intercept=self.fit_intercept,
            n_classes=self.classes_.size,
            prior_mean=prior_mean,
            prior_precision=prior_precision,
        )
        start = np.zeros(objective.n_params) if prior_mean is None else prior_mean
        if online is None and self.warm_start and hasattr(self, "coef_"):
            if self.coef_.shape == (objective.n_outputs, objective.n_features):
                start = objective.pack(self.coef_, self.intercept_)
        result = optimize.minimize(
            objective,
            start,
            method="L-BFGS-B",
            jac=True,
            options={
                "maxiter": self.max_iter,
                "maxls": 50,
                "gtol": self.tol,
                "ftol": 64 * np.finfo(np.float64).eps,
            },
        )
        self.n_iter_ = int(_check_optimize_result("lbfgs", result, self.max_iter))
        coef, intercept = objective.unpack(result.x)
        self.coef_ = np.array(coef)
        self.intercept_ = np.array(intercept)
        if prior_precision is None:
            prior_precision = self._prior_precision(n_outputs, X.shape[1])
        self.curvature_ = prior_precision + self.C * objective.curvature(result.x)
        return self

    #: The prior precision of the intercept in the online method: weak (the
    #: L2 penalty leaves the intercept free), but it keeps the intercept
    #: finite when a first batch holds a single class.
    _INTERCEPT_PRIOR = 1e-4

    def _prior_precision(self, n_outputs: int, n_features: int) -> NDArray[np.float64]:
        """The L2 penalty as a prior: 1 on each coefficient, weak on intercepts."""
        table = np.ones((n_outputs, n_features + int(self.fit_intercept)))
        if self.fit_intercept:
            table[:, -1] = self._INTERCEPT_PRIOR
        return table.ravel()

    def _pack(
        self, coef: NDArray[np.float64], intercept: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """``coef_`` and ``intercept_`` as one vector (the objective's layout)."""
        if self.fit_intercept:
            return np.column_stack([coef, intercept]).ravel()
        return np.array(coef, dtype=np.float64).ravel()

    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """Logits ``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            For two classes, the log-odds of ``classes_[1]``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        scores = np.asarray(X @ self.coef_.T) + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def _logits(self, X: ArrayLike) -> NDArray[np.float64]:
        """One logit per class: ``[0, decision_function]`` for two classes."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return np.column_stack([np.zeros_like(scores), scores])
        return scores

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Most probable class of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        indices = self._logits(X).argmax(axis=1)
        return self.classes_[indices]

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities ``softmax(z)``, at temperature 1.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        return softmax(self._logits(X))

    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Log of the class probabilities, computed by log-sum-exp.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        return log_softmax(self._logits(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
