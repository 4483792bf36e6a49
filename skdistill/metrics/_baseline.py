"""The hard-label baseline of a distilled student: its twin trained on the labels.

The report compares a distilled student with the same student trained on
the labels alone. That twin is the model's own distiller at ``alpha=1``,
built through the distillers' public parameters: with ``alpha=1`` and a
label on every row, a distiller fits its student with the student's own
``fit`` on the labels (see the fitting strategies of
:mod:`skdistill.students._strategies`), so the baseline is trained by the
same route as the distilled student and only the soft targets differ.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator

from .._base import distil, prepare, teach
from .._teacher import is_frozen

__all__ = ["fit_hard_label_baseline"]


def fit_hard_label_baseline(
    model: Any, X_train: Any, y_train: Any, fit_params: dict[str, Any]
) -> Any:
    """The student of a fitted distiller, refitted on the hard labels alone.

    ``clone(model)`` with ``alpha=1``, its fitted teacher frozen (so that it
    is not fitted again), and neither ``teacher_cv`` nor ``augment`` nor
    ``memory``, fitted on ``(X_train, y_train)`` with ``fit_params`` as
    ``model.fit`` would be. Rows that ``unlabeled`` marks have no hard label
    and are left out: at ``alpha=1`` a distiller still teaches them the
    teacher's soft targets, which would not be the twin.

    Parameters
    ----------
    model : DistilledClassifier or DistilledRegressor
        The fitted distiller.
    X_train : {array-like, sparse matrix, DataFrame}
        The rows ``model`` was fitted on, as it received them.
    y_train : array-like
        Their targets (with ``model.unlabeled`` marking unlabelled rows).
    fit_params : dict
        Parameters of ``fit`` (``sample_weight``, routed metadata).

    Returns
    -------
    baseline : DistilledClassifier or DistilledRegressor
        The fitted twin: its ``student_`` is the baseline.
    """
    teacher = model.teacher_
    twin = clone(model).set_params(
        alpha=1.0,
        teacher=teacher if is_frozen(teacher) else FrozenEstimator(teacher),
        teacher_cv=None,
        augment=None,
        memory=None,
    )
    if getattr(model, "unlabeled", None) is None:
        return twin.fit(X_train, y_train, **fit_params)
    # The distiller's own fit steps, without the rows its `unlabeled` marks
    # (found by the distiller itself, with its checks of the marker): the
    # row-aligned weights and fit parameters follow the rows kept.
    params = dict(fit_params)
    sample_weight = params.pop("sample_weight", None)
    setup, rows = prepare(twin, X_train, y_train, sample_weight, params)
    rows = rows.subset(np.flatnonzero(rows.labelled))
    transfer = teach(twin, setup, rows, augmenter=None)
    return distil(twin, setup, rows, transfer)
