"""The soft-target protocol: students that learn soft targets natively."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray


@runtime_checkable
class SoftTargetStudent(Protocol):
    """Protocol for a student that learns from soft targets natively.

    A classifier implements it by defining ``fit_soft_targets``; the
    ``"auto"`` strategy of :class:`~skdistill.DistilledClassifier` then
    calls that method instead of ``fit`` (also with ``alpha = 1``; only
    skdistill's own native students are then fitted by their ``fit``).

    ``fit_soft_targets(X, y, soft_targets, *, classes, temperature, alpha,
    sample_weight=None, **fit_params)`` must fit the student so that
    afterwards ``classes_`` equals ``classes`` and ``predict_proba`` returns
    one column per class, in that order, at temperature 1. Its arguments:

    - ``y``: ndarray of shape (n_samples,), hard labels encoded as column
      indices into ``classes``; ``-1`` marks a row without a hard label
      (unlabeled or synthetic), for which only the soft term applies.
    - ``soft_targets``: ndarray of shape (n_samples, n_classes), the
      teacher's softened distribution ``p_T = softmax(z_t / T)``; rows sum
      to 1.
    - ``temperature``: the ``T`` used to soften the teacher.
    - ``alpha``: weight of the hard-label term.

    The loss to minimize (Hinton, Vinyals & Dean, 2015), with ``z`` the
    student's logits and ``w_i`` the sample weights, is::

        sum_i w_i * [alpha * CE(y_i, softmax(z_i))
                     + (1 - alpha) * T**2 * KL(p_T,i || softmax(z_i / T))]

    where rows with ``y_i = -1`` keep only the second term, with weight 1
    instead of ``1 - alpha``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdistill import SoftTargetStudent
    >>> isinstance(LogisticRegression(), SoftTargetStudent)
    False
    """

    def fit_soft_targets(
        self,
        X: Any,
        y: NDArray[np.intp],
        soft_targets: NDArray[np.float64],
        *,
        classes: NDArray[Any],
        temperature: float,
        alpha: float,
        sample_weight: NDArray[np.float64] | None = None,
        **fit_params: Any,
    ) -> Any: ...


def supports_soft_targets(student: Any) -> bool:
    """Whether ``student`` implements the soft-target protocol."""
    return callable(getattr(student, "fit_soft_targets", None))
