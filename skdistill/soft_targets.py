"""Soft targets: teacher outputs -> logits -> tempered softmax -> blend.

Every function here is pure: it takes arrays and returns new arrays, never
modifying its inputs. Together they compute the training targets of
knowledge distillation (Hinton, Vinyals & Dean, 2015):

1. the teacher's output becomes a logit matrix ``z`` of shape
   ``(n_samples, n_classes)`` (:func:`logits_from_proba`,
   :func:`logits_from_decision`);
2. the logits are softened by a temperature ``T``:
   ``p_T = softmax(z / T)`` (:func:`softmax`);
3. the soft targets are blended with the one-hot hard labels:
   ``q = alpha * onehot(y) + (1 - alpha) * p_T`` (:func:`blend_targets`).
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "blend_targets",
    "check_soft_targets",
    "log_softmax",
    "logits_from_decision",
    "logits_from_proba",
    "sharpen",
    "softmax",
]

# log(tiny) ~ -708: the most negative logit whose exp does not underflow.
# A probability of exactly 0 is the underflow of such an exp, so flooring
# there keeps the logit finite without inventing mass for the class.
_PROBA_FLOOR = np.finfo(np.float64).tiny


def _as_2d_float(a: ArrayLike, name: str) -> NDArray[np.float64]:
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2D array of shape (n_samples, n_classes); "
            f"got an array with shape {arr.shape}."
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


def _check_temperature(temperature: float) -> float:
    if (
        not isinstance(temperature, Real)
        or isinstance(temperature, bool)
        or not np.isfinite(temperature)
        or temperature <= 0
    ):
        raise ValueError(
            f"temperature must be a finite number > 0; got {temperature!r}. "
            "Use temperature=1 for the teacher's own probabilities and larger "
            "values (2-10) to soften them."
        )
    return float(temperature)


def _check_alpha(alpha: float) -> float:
    if (
        not isinstance(alpha, Real)
        or isinstance(alpha, bool)
        or not 0.0 <= float(alpha) <= 1.0
    ):
        raise ValueError(
            f"alpha must be a number in [0, 1]; got {alpha!r}. alpha=1 trains "
            "on the hard labels only, alpha=0 on the teacher's soft targets only."
        )
    return float(alpha)


def _check_classes(classes: ArrayLike) -> NDArray:
    """``classes`` as a 1D array of at least two distinct labels, or an error."""
    classes = np.asarray(classes)
    if classes.ndim != 1 or classes.size < 2 or np.unique(classes).size != classes.size:
        raise ValueError(
            "classes must be a 1D array of at least two distinct labels; got "
            f"{classes!r}."
        )
    return classes


def logits_from_proba(proba: ArrayLike) -> NDArray[np.float64]:
    """Turn class probabilities into logits: ``z = log(max(p, tiny))``.

    The logits of a softmax are defined up to an additive constant per row;
    ``log p`` is the representative whose softmax is ``p`` itself. Entries of
    exactly 0 (an underflowed ``exp``) are floored at the smallest positive
    float64, ``log(tiny) ~= -708``, so the result is always finite.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Probabilities, for example from a teacher's ``predict_proba``.

    Returns
    -------
    logits : ndarray of shape (n_samples, n_classes)
        Finite logits with ``softmax(logits) == proba`` up to rounding.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.soft_targets import logits_from_proba, softmax
    >>> z = logits_from_proba([[1.0, 0.0], [0.25, 0.75]])
    >>> bool(np.isfinite(z).all())
    True
    >>> np.round(softmax(z), 2)
    array([[1.  , 0.  ],
           [0.25, 0.75]])
    """
    p = _as_2d_float(proba, "proba")
    if np.any(p < 0):
        raise ValueError("proba contains negative entries; expected probabilities.")
    return np.log(np.clip(p, _PROBA_FLOOR, None))


def logits_from_decision(decision: ArrayLike) -> NDArray[np.float64]:
    """Turn ``decision_function`` output into a logit matrix.

    A binary classifier's decision function is one score ``d`` per sample,
    the log-odds of the positive class for a logistic model; its logits are
    ``[0, d]`` (so ``softmax([0, d])[1] = sigmoid(d)``). A multiclass
    decision function of shape ``(n_samples, n_classes)`` is used as the
    logits directly.

    Parameters
    ----------
    decision : array-like of shape (n_samples,), (n_samples, 1) or \
(n_samples, n_classes)
        Output of a classifier's ``decision_function``.

    Returns
    -------
    logits : ndarray of shape (n_samples, n_classes)
        With ``n_classes = 2`` for a binary decision function.

    Examples
    --------
    >>> from skdistill.soft_targets import logits_from_decision
    >>> logits_from_decision([-1.0, 2.0])
    array([[ 0., -1.],
           [ 0.,  2.]])
    """
    d = np.asarray(decision, dtype=np.float64)
    if d.ndim == 2 and d.shape[1] == 1:
        d = d[:, 0]
    if d.ndim == 1:
        d = _as_2d_float(d[:, None], "decision")[:, 0]
        return np.column_stack([np.zeros_like(d), d])
    return _as_2d_float(d, "decision").copy()


def log_softmax(logits: ArrayLike, temperature: float = 1.0) -> NDArray[np.float64]:
    """Tempered log-softmax ``log softmax(z / T)``, computed by log-sum-exp.

    ``log softmax(z / T)_k = z_k / T - logsumexp(z / T)``, evaluated after
    subtracting the row maximum so that no ``exp`` overflows.

    Parameters
    ----------
    logits : array-like of shape (n_samples, n_classes)
    temperature : float, default=1.0
        ``T > 0``; larger values give flatter distributions.

    Returns
    -------
    log_proba : ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.soft_targets import log_softmax
    >>> np.round(np.exp(log_softmax([[1000.0, 0.0]], temperature=1000.0)), 3)
    array([[0.731, 0.269]])
    """
    t = _check_temperature(temperature)
    z = _as_2d_float(logits, "logits") / t
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def softmax(logits: ArrayLike, temperature: float = 1.0) -> NDArray[np.float64]:
    """Tempered softmax ``p_T = softmax(z / T)``.

    ``p_T,k = exp(z_k / T) / sum_j exp(z_j / T)``. ``T = 1`` gives the
    ordinary softmax; ``T > 1`` softens the distribution towards uniform,
    revealing how the model ranks the wrong classes ("dark knowledge");
    ``T < 1`` sharpens it.

    Parameters
    ----------
    logits : array-like of shape (n_samples, n_classes)
    temperature : float, default=1.0

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
        Rows are non-negative and sum to 1.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.soft_targets import logits_from_proba, softmax
    >>> z = logits_from_proba([[0.7, 0.2, 0.1]])
    >>> np.round(softmax(z, temperature=3.0), 3)
    array([[0.458, 0.302, 0.24 ]])
    """
    return np.exp(log_softmax(logits, temperature))


def sharpen(proba: ArrayLike, temperature: float) -> NDArray[np.float64]:
    """Undo a softening: ``softmax(T * log p)``, the inverse of ``softmax(z / T)``.

    For any logits ``z``, ``sharpen(softmax(z, T), T) == softmax(z)``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
    temperature : float

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.soft_targets import sharpen, softmax
    >>> z = np.array([[2.0, 0.5, -1.0]])
    >>> bool(np.allclose(sharpen(softmax(z, 4.0), 4.0), softmax(z)))
    True
    """
    t = _check_temperature(temperature)
    return softmax(logits_from_proba(proba), 1.0 / t)


def check_soft_targets(
    soft_targets: ArrayLike,
    *,
    n_samples: int | None = None,
    n_classes: int | None = None,
    name: str = "soft_targets",
    atol: float = 1e-6,
) -> NDArray[np.float64]:
    """Validate a soft-target matrix and return it as a float64 array.

    Parameters
    ----------
    soft_targets : array-like of shape (n_samples, n_classes)
        Each row a probability distribution over the classes.
    n_samples, n_classes : int, default=None
        Expected shape, checked when given.
    name : str, default="soft_targets"
        Name of the argument, used in error messages.
    atol : float, default=1e-6
        Tolerance on the row sums.

    Returns
    -------
    soft_targets : ndarray of shape (n_samples, n_classes)

    Raises
    ------
    ValueError
        If the array is not 2D, has the wrong shape, contains NaN, infinite
        or negative entries, or rows that do not sum to 1.

    Examples
    --------
    >>> from skdistill.soft_targets import check_soft_targets
    >>> check_soft_targets([[0.5, 0.5], [1.0, 0.0]], n_classes=2)
    array([[0.5, 0.5],
           [1. , 0. ]])
    """
    q = _as_2d_float(soft_targets, name)
    if n_samples is not None and q.shape[0] != n_samples:
        raise ValueError(f"{name} has {q.shape[0]} rows; expected {n_samples}.")
    if n_classes is not None and q.shape[1] != n_classes:
        raise ValueError(
            f"{name} has {q.shape[1]} columns; expected one per class ({n_classes})."
        )
    if np.any(q < 0):
        raise ValueError(f"{name} contains negative entries; expected probabilities.")
    sums = q.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > atol)
    if bad.size:
        raise ValueError(
            f"Each row of {name} must sum to 1; row {bad[0]} sums to "
            f"{sums[bad[0]]:.6g} ({bad.size} rows in all)."
        )
    return q


def blend_targets(
    y: ArrayLike, soft_targets: ArrayLike, alpha: float
) -> NDArray[np.float64]:
    """Blend one-hot hard labels with soft targets: ``alpha*onehot(y) + (1-alpha)*p``.

    Rows whose label is ``-1`` have no hard label (unlabeled or synthetic
    rows); their target is the soft target alone.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Hard labels encoded as column indices ``0 .. n_classes - 1``, or
        ``-1`` for rows without a label.
    soft_targets : array-like of shape (n_samples, n_classes)
        Soft targets, each row summing to 1 (typically ``softmax(z / T)``).
    alpha : float in [0, 1]
        Weight of the hard labels. ``alpha = 1`` gives the one-hot labels,
        ``alpha = 0`` the soft targets.

    Returns
    -------
    targets : ndarray of shape (n_samples, n_classes)
        Rows sum to 1.

    Examples
    --------
    >>> from skdistill.soft_targets import blend_targets
    >>> blend_targets([0, 1], [[0.6, 0.4], [0.5, 0.5]], alpha=0.5)
    array([[0.8 , 0.2 ],
           [0.25, 0.75]])
    """
    alpha = _check_alpha(alpha)
    q = check_soft_targets(soft_targets)
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != q.shape[0]:
        raise ValueError(
            f"y must be 1D with one label per row of soft_targets ({q.shape[0]}); "
            f"got shape {y.shape}."
        )
    if not np.issubdtype(y.dtype, np.integer) or np.any((y < -1) | (y >= q.shape[1])):
        raise ValueError(
            "y must hold encoded labels: integers in [0, n_classes) or -1 for "
            "rows without a label."
        )
    out = (1.0 - alpha) * q
    labelled = np.flatnonzero(y >= 0)
    out[labelled, y[labelled]] += alpha
    unlabelled = y < 0
    out[unlabelled] = q[unlabelled]
    return out
