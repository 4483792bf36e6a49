"""How closely a student follows its teacher: agreement, divergence, R².

Each score compares the teacher's output with the student's on the same
rows. The functions take the two outputs directly, in the
``score(y_true, y_pred)`` form of :mod:`sklearn.metrics`, so
:func:`sklearn.metrics.make_scorer` accepts them. To select a distiller by
fidelity in a grid search, :func:`make_fidelity_scorer` builds a scorer that
reads the teacher's output from the fitted distiller itself.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import is_classifier
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.validation import _check_sample_weight, check_consistent_length

from ..soft_targets import log_softmax
from ._outputs import teacher_predict, teacher_proba, unwrap_distiller

__all__ = [
    "fidelity_score",
    "make_fidelity_scorer",
    "teacher_divergence",
    "teacher_r2_score",
]


_EPS = np.finfo(np.float64).eps  # log_loss's clipping of probabilities


def _weights(sample_weight: ArrayLike | None, n: int) -> NDArray[np.float64]:
    return _check_sample_weight(
        sample_weight, np.empty((n, 0)), ensure_non_negative=True
    )


@validate_params(
    {
        "y_teacher": ["array-like"],
        "y_student": ["array-like"],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def fidelity_score(
    y_teacher: ArrayLike,
    y_student: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Share of rows on which the student predicts the teacher's label.

    ``fidelity = sum_i w_i [y_student_i == y_teacher_i] / sum_i w_i``.

    Parameters
    ----------
    y_teacher : array-like of shape (n_samples,)
        Labels predicted by the teacher.
    y_student : array-like of shape (n_samples,)
        Labels predicted by the student.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.

    Returns
    -------
    fidelity : float
        In [0, 1]; 1 means the student always agrees with the teacher.

    See Also
    --------
    make_fidelity_scorer : The same score read from a fitted distiller.

    Examples
    --------
    >>> from skdistill.metrics import fidelity_score
    >>> fidelity_score(["a", "b", "b", "c"], ["a", "b", "c", "c"])
    0.75
    """
    y_teacher = np.asarray(y_teacher)
    y_student = np.asarray(y_student)
    check_consistent_length(y_teacher, y_student, sample_weight)
    if y_teacher.ndim != 1 or y_student.ndim != 1:
        raise ValueError(
            "fidelity_score compares predicted labels: y_teacher and y_student "
            f"must be 1D; got shapes {y_teacher.shape} and {y_student.shape}. "
            "For probabilities use teacher_divergence, for regression "
            "teacher_r2_score."
        )
    if y_teacher.size == 0:
        raise ValueError("fidelity_score needs at least one row; got 0.")
    textual = [a.dtype.kind in "OUS" for a in (y_teacher, y_student)]
    if textual[0] != textual[1]:
        raise ValueError(
            "y_teacher and y_student hold labels of different types "
            f"({y_teacher.dtype} and {y_student.dtype}), so no label could "
            "agree; pass the labels of both models in the same type."
        )
    weights = _weights(sample_weight, y_teacher.size)
    return float(np.average(y_teacher == y_student, weights=weights))


def _as_proba(p: ArrayLike, name: str) -> NDArray[np.float64]:
    p = np.asarray(p, dtype=np.float64)
    if p.ndim == 1:  # binary: probability of the positive class
        p = np.column_stack([1.0 - p, p])
    if p.ndim != 2 or p.shape[1] < 2:
        raise ValueError(
            f"{name} must hold class probabilities of shape (n_samples, "
            f"n_classes) (or (n_samples,) for the positive class of a binary "
            f"problem); got shape {p.shape}."
        )
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError(f"{name} must hold finite, non-negative probabilities.")
    sums = p.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-6):
        raise ValueError(
            f"The rows of {name} must sum to 1 (they are probabilities); the "
            f"first row sums to {sums[0]:.6g}. Pass predict_proba output, not "
            "decision values or logits."
        )
    return p


@validate_params(
    {
        "teacher_proba": ["array-like"],
        "student_proba": ["array-like"],
        "kind": [StrOptions({"kl", "js"})],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def teacher_divergence(
    teacher_proba: ArrayLike,
    student_proba: ArrayLike,
    *,
    kind: str = "kl",
    temperature: float = 1.0,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Mean divergence of the student's class probabilities from the teacher's.

    Both distributions are first softened by the temperature ``T``,
    ``p_T = softmax(log(p) / T)``, as in distillation. Then, averaged over
    rows (in nats):

    - ``kind="kl"``: ``KL(t || s) = sum_k t_k (log t_k - log s_k)``, the soft
      part of the distillation loss (up to the teacher's entropy);
    - ``kind="js"``: ``JS(t, s) = KL(t || m) / 2 + KL(s || m) / 2`` with
      ``m = (t + s) / 2``, symmetric and bounded by ``log 2``.

    Probabilities are clipped to ``[eps, 1]`` (``eps`` the float64 machine
    epsilon), as :func:`sklearn.metrics.log_loss` does, so a student that
    rules out a class the teacher allows gets a large (about 36 nats times
    the teacher's probability) but finite KL divergence.

    Parameters
    ----------
    teacher_proba : array-like of shape (n_samples, n_classes) or (n_samples,)
        The teacher's probabilities (1D: positive-class probability).
    student_proba : array-like of the same shape
        The student's probabilities, columns in the same class order.
    kind : {"kl", "js"}, default="kl"
        Kullback-Leibler or Jensen-Shannon divergence.
    temperature : float, default=1.0
        Softening applied to both distributions before comparing them.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.

    Returns
    -------
    divergence : float
        0 when the distributions agree on every row; lower is better.

    Examples
    --------
    >>> from skdistill.metrics import teacher_divergence
    >>> teacher = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]
    >>> round(teacher_divergence(teacher, teacher), 6)
    0.0
    >>> student = [[0.6, 0.3, 0.1], [0.2, 0.7, 0.1]]
    >>> round(teacher_divergence(teacher, student), 4)
    0.0322
    >>> round(teacher_divergence(teacher, student, kind="js", temperature=4), 5)
    0.00073
    """
    t = _as_proba(teacher_proba, "teacher_proba")
    s = _as_proba(student_proba, "student_proba")
    if t.shape != s.shape:
        raise ValueError(
            "teacher_proba and student_proba must have the same shape (the "
            f"same rows and classes); got {t.shape} and {s.shape}."
        )
    check_consistent_length(t, sample_weight)
    weights = _weights(sample_weight, t.shape[0])
    log_t = log_softmax(np.log(np.maximum(t, _EPS)), temperature)
    log_s = log_softmax(np.log(np.maximum(s, _EPS)), temperature)
    if kind == "kl":
        per_row = np.sum(np.exp(log_t) * (log_t - log_s), axis=1)
    else:
        p_t, p_s = np.exp(log_t), np.exp(log_s)
        log_m = np.log(np.maximum((p_t + p_s) / 2.0, _EPS))
        per_row = 0.5 * np.sum(p_t * (log_t - log_m), axis=1) + 0.5 * np.sum(
            p_s * (log_s - log_m), axis=1
        )
    return float(np.average(np.maximum(per_row, 0.0), weights=weights))


@validate_params(
    {
        "y_teacher": ["array-like"],
        "y_student": ["array-like"],
        "sample_weight": ["array-like", None],
        "multioutput": [
            StrOptions({"raw_values", "uniform_average", "variance_weighted"}),
            "array-like",
        ],
    },
    prefer_skip_nested_validation=True,
)
def teacher_r2_score(
    y_teacher: ArrayLike,
    y_student: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str | ArrayLike = "uniform_average",
) -> float | NDArray[np.float64]:
    """R² of a regression student's predictions against the teacher's.

    ``1 - sum (y_student - y_teacher)^2 / sum (y_teacher - mean(y_teacher))^2``:
    the share of the teacher's variation the student reproduces. It is
    :func:`sklearn.metrics.r2_score` with the teacher's predictions in place
    of the true values.

    Parameters
    ----------
    y_teacher : array-like of shape (n_samples,) or (n_samples, n_outputs)
        The teacher's predictions.
    y_student : array-like of the same shape
        The student's predictions.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.
    multioutput : {"raw_values", "uniform_average", "variance_weighted"} or \
            array-like, default="uniform_average"
        How several outputs are combined, as in :func:`~sklearn.metrics.r2_score`.

    Returns
    -------
    score : float or ndarray
        1 when the student reproduces the teacher exactly.

    Examples
    --------
    >>> from skdistill.metrics import teacher_r2_score
    >>> teacher_r2_score([1.0, 2.0, 3.0, 4.0], [1.1, 1.9, 3.2, 3.9])
    0.986
    """
    return r2_score(
        y_teacher, y_student, sample_weight=sample_weight, multioutput=multioutput
    )


_FIDELITY_KINDS = {"agreement", "kl", "js", "r2"}


class _FidelityScorer:
    """A scorer ``(estimator, X, y=None) -> float`` comparing student and teacher.

    Built by :func:`make_fidelity_scorer`; ``y`` is ignored because the
    reference is the teacher's output, which the scorer reads from the
    fitted distiller. Divergences are negated so that greater is better.
    """

    def __init__(self, kind: str, temperature: float) -> None:
        self.kind = kind
        self.temperature = temperature

    def __repr__(self) -> str:
        return (
            f"make_fidelity_scorer(kind={self.kind!r}, "
            f"temperature={self.temperature!r})"
        )

    def __call__(
        self,
        estimator: Any,
        X: Any,
        y: Any = None,
        sample_weight: ArrayLike | None = None,
    ) -> float:
        model, X_model = unwrap_distiller(estimator, X)
        classifier = is_classifier(model)
        if classifier == (self.kind == "r2"):
            expected = "regressor" if self.kind == "r2" else "classifier"
            raise ValueError(
                f"make_fidelity_scorer(kind={self.kind!r}) scores a distilled "
                f"{expected}, but got {type(model).__name__}. Use kind='r2' for "
                "a DistilledRegressor and 'agreement', 'kl' or 'js' for a "
                "DistilledClassifier."
            )
        if self.kind in ("agreement", "r2"):
            ref = teacher_predict(model, X_model)
            pred = model.predict(X_model)
            if self.kind == "agreement":
                return fidelity_score(ref, pred, sample_weight=sample_weight)
            return float(teacher_r2_score(ref, pred, sample_weight=sample_weight))
        return -teacher_divergence(
            teacher_proba(model, X_model),
            model.predict_proba(X_model),
            kind=self.kind,
            temperature=self.temperature,
            sample_weight=sample_weight,
        )


@validate_params(
    {
        "kind": [StrOptions(_FIDELITY_KINDS)],
        "temperature": [Interval(Real, 0, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def make_fidelity_scorer(
    kind: str = "agreement", *, temperature: float = 1.0
) -> _FidelityScorer:
    """A scorer that rates a fitted distiller by how closely it follows its teacher.

    The scorer has the ``scorer(estimator, X, y)`` signature that
    ``scoring=`` accepts in :class:`~sklearn.model_selection.GridSearchCV`,
    :func:`~sklearn.model_selection.cross_validate` and
    :class:`~skdistill.DistilledClassifierCV`, alone or in a dict of
    scorers. It reads the teacher's output from the fitted distiller
    (``teacher_``), so ``y`` is not used; ``estimator`` may also be a
    Pipeline ending in a distiller.

    Parameters
    ----------
    kind : {"agreement", "kl", "js", "r2"}, default="agreement"
        - ``"agreement"``: :func:`fidelity_score` of predicted labels;
        - ``"kl"``, ``"js"``: minus :func:`teacher_divergence` of the
          probabilities (negated so that greater is better);
        - ``"r2"``: :func:`teacher_r2_score`, for a distilled regressor.
    temperature : float, default=1.0
        Softening of both distributions for ``"kl"`` and ``"js"``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None, sample_weight=None) -> float``.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.metrics import make_fidelity_scorer
    >>> X, y = load_iris(return_X_y=True)
    >>> model = DistilledClassifier(
    ...     LGBMClassifier(n_estimators=20, verbose=-1, n_jobs=1),
    ...     LogisticRegression(max_iter=1000),
    ... )
    >>> search = GridSearchCV(
    ...     model, {"temperature": [1, 4]}, scoring=make_fidelity_scorer(), cv=3
    ... ).fit(X, y)
    >>> bool(search.best_score_ > 0.8)
    True
    """
    return _FidelityScorer(kind, float(temperature))
