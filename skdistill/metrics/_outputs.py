"""What a fitted distiller's teacher and student say about new rows.

The metrics compare the teacher with the student on the same rows, in the
same class order: these helpers read both from a fitted
:class:`~skdistill.DistilledClassifier` or
:class:`~skdistill.DistilledRegressor`, also when it is the last step of a
:class:`~sklearn.pipeline.Pipeline`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .._teacher import resolve_teacher_output, teacher_column_order, teacher_logits
from ..soft_targets import softmax


def unwrap_distiller(estimator: Any, X: Any, *, name: str = "estimator"):
    """The fitted distiller inside ``estimator`` and ``X`` as it receives it.

    ``estimator`` is a fitted distiller (anything with ``teacher_`` and
    ``student_``), a search whose ``best_estimator_`` is one (such as
    :class:`~skdistill.DistilledClassifierCV`, which holds the refit
    distiller), or a Pipeline ending in one, in which case ``X`` is passed
    through the preceding steps.
    """
    check_is_fitted(estimator)
    while True:
        if isinstance(estimator, Pipeline):
            X = estimator[:-1].transform(X)
            estimator = estimator[-1]
        elif hasattr(estimator, "best_estimator_"):
            estimator = estimator.best_estimator_
        else:
            break
    if not (hasattr(estimator, "teacher_") and hasattr(estimator, "student_")):
        raise TypeError(
            f"{name} must be a fitted DistilledClassifier or DistilledRegressor "
            f"(or a Pipeline ending in one); got {type(estimator).__name__}, "
            "which has no fitted teacher_ and student_."
        )
    return estimator, X


def teacher_proba(model: Any, X: Any) -> NDArray[np.float64]:
    """Teacher probabilities at temperature 1, one column per ``model.classes_``.

    A teacher with only ``decision_function`` gives the softmax of its
    decision values, the same reading the distiller trained on. A class the
    teacher does not know gets probability 0.
    """
    method = resolve_teacher_output(model.teacher_, model.teacher_output)
    order = teacher_column_order(
        model.teacher_.classes_, model.classes_, allow_missing=True
    )
    return softmax(teacher_logits(model.teacher_, X, method, order))


def teacher_predict(model: Any, X: Any) -> NDArray[Any]:
    """The teacher's predictions: labels for a classifier, values for a regressor.

    Its own ``predict``, so that a thresholded teacher is read as it is used.
    """
    return model.teacher_.predict(X)
