"""Logit matching: distillation into any regressor (Ba & Caruana, 2014).

Instead of a classification loss, the student regresses on the teacher's
logits. Any scikit-learn regressor becomes a distilled classifier: its
predictions are read as logits and turned into probabilities by a softmax.
"""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    _fit_context,
    clone,
    is_classifier,
)
from sklearn.linear_model import Ridge
from sklearn.multioutput import MultiOutputRegressor
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    _num_samples,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from .._fit_params import accepts_sample_weight, fit_with_sample_weight
from .._validation import _is_dataframe
from ..soft_targets import (
    _check_alpha,
    _check_classes,
    _check_temperature,
    blend_targets,
    check_soft_targets,
    log_softmax,
    logits_from_decision,
    logits_from_proba,
    softmax,
)

__all__ = ["LogitMatchingClassifier", "target_logits"]


# Floor of the blended target before its log (see target_logits).
_MIN_TARGET_PROBA = 1e-12


def target_logits(
    y: ArrayLike,
    soft_targets: ArrayLike,
    *,
    alpha: float,
    temperature: float,
    label_smoothing: float,
) -> NDArray[np.float64]:
    """Regression targets of logit matching: a blend of centered logits.

    The teacher's logits are recovered from its softened distribution,
    ``z_t = T * log(p_T)``, and the hard labels' from their label-smoothed
    one-hot vectors, ``z_y = log((1 - label_smoothing) * onehot(y) +
    label_smoothing / K)``; both are centered per row (a softmax does not see
    a constant shift) and blended by ``alpha``::

        z = alpha * center(z_y) + (1 - alpha) * center(z_t)

    Rows with ``y_i = -1`` keep ``center(z_t)`` alone. With ``alpha = 0`` this
    is the teacher's centered logits, the target of Ba & Caruana's logit
    regression, whatever the temperature (logit matching is the
    high-temperature limit of distillation, so ``T`` has no effect on it);
    with ``alpha = 1`` it is the smoothed labels' logits, as in :meth:`fit`.
    The smoothing keeps the logits of hard labels finite, and probabilities
    below ``1e-12`` are floored: a teacher's exact 0 (a random forest's, say)
    would otherwise be a logit near ``-708 * T``, which a squared loss would
    chase at the expense of every other target.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Hard labels encoded as column indices, ``-1`` for a row without one.
    soft_targets : array-like of shape (n_samples, n_classes)
        The softened distribution ``p_T``; rows sum to 1.
    alpha : float in [0, 1]
        Weight of the hard labels.
    temperature : float
        ``T > 0``, the temperature of ``soft_targets``.
    label_smoothing : float in (0, 1]
        Share of uniform mass mixed into the one-hot labels.

    Returns
    -------
    logits : ndarray of shape (n_samples, n_classes)
        Rows sum to 0.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.soft_targets import softmax
    >>> z_teacher = np.array([[3.0, 1.0, -1.0]])
    >>> z = target_logits([1], softmax(z_teacher, 3.0), alpha=0.0,
    ...                   temperature=3.0, label_smoothing=0.1)
    >>> bool(np.allclose(z, z_teacher - z_teacher.mean()))  # [[2, 0, -2]]
    True
    >>> np.round(target_logits([0], [[0.5, 0.5]], alpha=1.0, temperature=1.0,
    ...                        label_smoothing=0.1), 3)  # log(0.95 / 0.05) / 2
    array([[ 1.472, -1.472]])
    """
    temperature = _check_temperature(temperature)
    alpha = _check_alpha(alpha)
    p = check_soft_targets(soft_targets)
    y = np.asarray(y)
    # blend_targets validates y and alpha; its alpha = 1 output is onehot(y)
    # on labelled rows and p_T on unlabelled ones.
    onehot = blend_targets(y, p, 1.0) if alpha > 0 else p
    smoothed = (1.0 - label_smoothing) * onehot + label_smoothing / p.shape[1]
    teacher = _centered(
        temperature * logits_from_proba(np.maximum(p, _MIN_TARGET_PROBA))
    )
    if alpha == 0:
        return teacher
    labels = _centered(logits_from_proba(smoothed))
    out = alpha * labels + (1.0 - alpha) * teacher
    unlabelled = y < 0
    out[unlabelled] = teacher[unlabelled]
    return out


def _declares_multi_output(regressor: Any) -> bool:
    """Whether the regressor's tags say it fits a 2D target (False without tags)."""
    try:
        return bool(get_tags(regressor).target_tags.multi_output)
    except (AttributeError, TypeError):  # a third-party estimator without tags
        return False


def _centered(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return z - z.mean(axis=1, keepdims=True)


class LogitMatchingClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Classifier that regresses on logits: distillation into any regressor.

    Ba & Caruana (2014) train the student by regressing on the teacher's
    logits ``z_t`` with a squared loss, rather than on its probabilities.
    :meth:`fit_soft_targets` (the :class:`~skdistill.SoftTargetStudent`
    protocol) fits ``regressor`` on the centered logits of the blended
    target (see :func:`target_logits`); with ``alpha = 0`` these are the
    teacher's centered logits ``z_t - mean(z_t)``, whatever the temperature.
    The regressor's predictions are read as the student's logits:
    ``predict_proba`` is their softmax.

    A binary problem has one regression target, the logit difference
    ``z_1 - z_0`` (the log-odds of ``classes_[1]``). A multiclass problem has
    one per class: the regressor is fit on all of them at once when its
    ``target_tags.multi_output`` tag says it supports multi-output targets,
    and otherwise wrapped in
    :class:`sklearn.multioutput.MultiOutputRegressor`, one clone per class.

    On its own, ``fit(X, y)`` regresses on the logits of label-smoothed
    one-hot labels (``label_smoothing``), the same as ``fit_soft_targets``
    with ``alpha = 1`` and ``T = 1``: plain one-hot labels have infinite
    logits.

    Parameters
    ----------
    regressor : regressor, default=None
        Any scikit-learn regressor (``fit`` and ``predict``), cloned before
        fitting. ``None`` means :class:`~sklearn.linear_model.Ridge`.
        A classifier is rejected.
    label_smoothing : float in (0, 1], default=0.1
        Share of uniform mass mixed into the hard labels before their logits
        are taken: the target of a label ``k`` is ``log(1 - s + s / K)`` for
        class ``k`` and ``log(s / K)`` for the others (centered), so with the
        default and two classes the log-odds target is ``±log(19) ≈ ±2.94``.

    Attributes
    ----------
    regressor_ : regressor
        The fitted regressor (a ``MultiOutputRegressor`` when wrapped).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column
        names.

    See Also
    --------
    skdistill.DistilledClassifier : Wraps a regressor student in this class.
    skdistill.SoftTargetStudent : The protocol of ``fit_soft_targets``.

    References
    ----------
    J. Ba and R. Caruana, "Do Deep Nets Really Need to be Deep?", NIPS 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression, Ridge
    >>> from skdistill.soft_targets import logits_from_proba, softmax
    >>> from skdistill import LogitMatchingClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> teacher = LogisticRegression(max_iter=1000).fit(X, y)
    >>> soft_targets = softmax(teacher.decision_function(X), temperature=2.0)
    >>> student = LogitMatchingClassifier(Ridge(alpha=1e-6)).fit_soft_targets(
    ...     X, y, soft_targets, classes=teacher.classes_, temperature=2.0,
    ...     alpha=0.0)
    >>> bool(np.allclose(student.predict_proba(X), teacher.predict_proba(X)))
    True
    >>> bool(LogitMatchingClassifier().fit(X, y).score(X, y) > 0.8)
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        "label_smoothing": [Interval(Real, 0, 1, closed="right")],
    }

    def __init__(self, regressor: Any = None, *, label_smoothing: float = 0.1) -> None:
        self.regressor = regressor
        self.label_smoothing = label_smoothing

    def _resolved_regressor(self) -> Any:
        return Ridge() if self.regressor is None else self.regressor

    def _check_regressor(self) -> None:
        if is_classifier(self._resolved_regressor()):
            raise ValueError(
                "regressor must be a regressor; got the classifier "
                f"{type(self.regressor).__name__}. LogitMatchingClassifier "
                "regresses on logits: pass a regressor such as Ridge() or "
                "DecisionTreeRegressor(), or use the classifier as a student of "
                "DistilledClassifier directly."
            )

    # -- fitting ----------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> LogitMatchingClassifier:
        """Fit the regressor on the logits of label-smoothed hard labels.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed to the regressor.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, passed to the regressor's ``fit``, which must
            accept them.

        Returns
        -------
        self : LogitMatchingClassifier
            The fitted estimator.
        """
        self._check_regressor()
        X, y = self._validate_fit_data(X, y)
        check_classification_targets(y)
        classes, y_encoded = np.unique(y, return_inverse=True)
        if classes.size < 2:
            raise ValueError(
                f"y contains only one class ({classes.tolist()[0]!r}); a "
                "classifier needs at least two classes in y."
            )
        uniform = np.full((y_encoded.size, classes.size), 1.0 / classes.size)
        logits = target_logits(
            y_encoded,
            uniform,
            alpha=1.0,
            temperature=1.0,
            label_smoothing=self.label_smoothing,
        )
        return self._fit_logits(X, logits, classes, sample_weight, {})

    @_fit_context(prefer_skip_nested_validation=False)
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
        **fit_params: Any,
    ) -> LogitMatchingClassifier:
        """Fit the regressor on the logits of the blended target.

        The targets are :func:`target_logits` of
        ``alpha * smoothed_onehot(y) + (1 - alpha) * p_T``: with
        ``alpha = 0``, the teacher's centered logits.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed to the regressor.
        y : array-like of shape (n_samples,)
            Hard labels encoded as column indices into ``classes``; ``-1``
            marks a row without a label (its target is the soft one).
        soft_targets : array-like of shape (n_samples, n_classes)
            The teacher's softened distribution ``p_T = softmax(z_t / T)``.
        classes : array-like of shape (n_classes,)
            The class labels, in the order of the columns of
            ``soft_targets``; they become ``classes_``.
        temperature : float
            ``T > 0``, the temperature of ``soft_targets``.
        alpha : float in [0, 1]
            Weight of the hard labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, passed to the regressor's ``fit``.
        **fit_params : dict
            Further parameters of the regressor's ``fit``.

        Returns
        -------
        self : LogitMatchingClassifier
            The fitted estimator.
        """
        self._check_regressor()
        X = self._validate_X(X, reset=True)
        classes = _check_classes(classes)
        soft_targets = check_soft_targets(
            soft_targets, n_samples=_num_samples(X), n_classes=classes.size
        )
        logits = target_logits(
            y,
            soft_targets,
            alpha=alpha,
            temperature=temperature,
            label_smoothing=self.label_smoothing,
        )
        return self._fit_logits(X, logits, classes, sample_weight, fit_params)

    def _validate_X(self, X: Any, *, reset: bool) -> Any:
        # The regressor validates X itself; only shapes and names are checked.
        if _is_dataframe(X):
            validate_data(self, X, reset=reset, skip_check_array=True)
            return X
        return validate_data(
            self,
            X,
            reset=reset,
            accept_sparse=["csr", "csc"],
            dtype=None,
            ensure_all_finite=False,
        )

    def _validate_fit_data(self, X: Any, y: Any) -> tuple[Any, NDArray[Any]]:
        if _is_dataframe(X):
            X, _ = validate_data(self, X, y, skip_check_array=True)
            y = column_or_1d(y, warn=True)
            check_consistent_length(X, y)
            return X, y
        return validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            dtype=None,
            ensure_all_finite=False,
        )

    def _fit_logits(
        self,
        X: Any,
        logits: NDArray[np.float64],
        classes: NDArray[Any],
        sample_weight: ArrayLike | None,
        fit_params: dict[str, Any],
    ) -> LogitMatchingClassifier:
        """Fit a clone of the regressor on ``logits``; set the fitted attributes."""
        regressor = clone(self._resolved_regressor())
        name = type(regressor).__name__
        if sample_weight is not None:
            if not accepts_sample_weight(regressor):
                raise ValueError(
                    f"sample_weight was given but the regressor {name} does not "
                    "accept sample_weight in fit; drop sample_weight or use a "
                    "regressor that supports it."
                )
            sample_weight = _check_sample_weight(sample_weight, X)
        if classes.size == 2:
            # One target, the log-odds of classes[1].
            targets = logits[:, 1] - logits[:, 0]
            fitted = fit_with_sample_weight(
                regressor, X, targets, sample_weight, **fit_params
            )
        else:
            fitted = self._fit_multi_output(
                regressor, X, logits, sample_weight, fit_params
            )
        self.regressor_ = fitted
        self.classes_ = classes
        return self

    @staticmethod
    def _fit_multi_output(
        regressor: Any,
        X: Any,
        targets: NDArray[np.float64],
        sample_weight: NDArray[np.float64] | None,
        fit_params: dict[str, Any],
    ) -> Any:
        """Fit on all targets at once if the regressor says it can, else one per class.

        The regressor's ``target_tags.multi_output`` tag decides: a regressor
        that declares multi-output support is fit once on the 2D target;
        any other (LightGBM, HistGradientBoosting, MLPRegressor, a
        third-party regressor without tags) is wrapped in
        :class:`~sklearn.multioutput.MultiOutputRegressor`, which fits
        clones of it, one per class. No trial fit: whatever error the fit
        raises is the regressor's own.
        """
        if not _declares_multi_output(regressor):
            regressor = MultiOutputRegressor(regressor)
        return fit_with_sample_weight(
            regressor, X, targets, sample_weight, **fit_params
        )

    # -- prediction ---------------------------------------------------------------

    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predicted logits, centered per row; binary: the log-odds of ``classes_[1]``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        scores = np.asarray(self.regressor_.predict(X), dtype=np.float64)
        if self.classes_.size == 2:
            return scores.reshape(-1)
        return scores - scores.mean(axis=1, keepdims=True)

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities: the softmax of the predicted logits.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1.
        """
        return softmax(logits_from_decision(self.decision_function(X)))

    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Logarithm of :meth:`predict_proba`, computed by log-sum-exp.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        return log_softmax(logits_from_decision(self.decision_function(X)))

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Predicted class labels: the class of the largest predicted logit.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        logits = logits_from_decision(self.decision_function(X))
        return self.classes_[np.argmax(logits, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            regressor_tags = get_tags(self._resolved_regressor())
        except Exception:  # a third-party estimator without tags
            return tags
        tags.input_tags.sparse = regressor_tags.input_tags.sparse
        tags.input_tags.allow_nan = regressor_tags.input_tags.allow_nan
        return tags
