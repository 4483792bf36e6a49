"""The model to ship: a fitted distiller's student, with its preprocessing.

A fitted distiller holds a teacher and a student; only the student is
shipped. :func:`student_pipeline` finds it and keeps the preprocessing
that comes before it, so that the result takes the rows the distiller
took:

- a distiller (anything with a fitted ``student_``, the searches included)
  gives its ``student_``;
- :class:`~skdistill.BornAgainClassifier` and
  :class:`~skdistill.BornAgainRegressor` give their last generation, and
  :class:`~skdistill.MutualDistillationClassifier` the member behind its
  ``predict``; an average of several models is not one student, and is
  refused;
- a :class:`~sklearn.pipeline.Pipeline` whose last step is one of those
  keeps its other steps in front of the student, and nested pipelines are
  flattened into one;
- a :class:`~sklearn.frozen.FrozenEstimator` gives the model it wraps;
- any other fitted estimator is the student itself.
"""

from __future__ import annotations

from typing import Any

from sklearn.base import BaseEstimator
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

__all__ = ["UnsupportedModelError", "student_pipeline", "teacher_pipeline"]


class UnsupportedModelError(TypeError):
    """A model that an export format cannot represent.

    The message names the model's type, the format asked for, and the
    formats that do support it (if any).
    """


def _average_error(model: Any) -> UnsupportedModelError:
    return UnsupportedModelError(
        f"{type(model).__name__} predicts with an average of several models "
        f"(predict_with={model.predict_with!r}), which is not one student to "
        "export. Refit it with predict_with set to one model (such as "
        "predict_with='last' or a member's name), or export one of its fitted "
        "models directly."
    )


def _own_student(model: Any) -> Any | None:
    """The student held by a fitted distiller or variant, or None if not one."""
    name = type(model).__name__
    if name in ("BornAgainClassifier", "BornAgainRegressor"):
        check_is_fitted(model, "generations_")
        if model.predict_with != "last":
            raise _average_error(model)
        return model.generations_[-1]
    if name == "MutualDistillationClassifier":
        check_is_fitted(model, "predictor_")
        if model.predictor_ == "average":
            raise _average_error(model)
        return model.named_estimators_[model.predictor_]
    if name == "TeacherEnsemble":
        raise UnsupportedModelError(
            "TeacherEnsemble is a teacher (an average of several models), not a "
            "student: distill it into a student with DistilledClassifier, and "
            "export the distiller."
        )
    if hasattr(model, "student") or hasattr(model, "student_"):
        check_is_fitted(model, "student_")
        return model.student_
    return None


def _own_teacher(model: Any) -> Any | None:
    """The teacher held by a fitted distiller or variant, or None if not one."""
    if type(model).__name__ == "MutualDistillationClassifier":
        raise UnsupportedModelError(
            "MutualDistillationClassifier has no teacher: its members teach each "
            "other. Export one of named_estimators_ instead."
        )
    if hasattr(model, "teacher") or hasattr(model, "teacher_"):
        check_is_fitted(model, "teacher_")
        return model.teacher_
    return None


def _steps(model: Any, name: str, role: str = "student") -> list[tuple[str, Any]]:
    """``model`` as a flat list of pipeline steps, its ``role`` model last."""
    if isinstance(model, FrozenEstimator):
        return _steps(model.estimator, name, role)
    if isinstance(model, Pipeline):
        steps: list[tuple[str, Any]] = []
        for step_name, step in model.steps[:-1]:
            if step is None or step == "passthrough":
                continue
            steps.extend(_steps(step, step_name, role))
        last_name, last = model.steps[-1]
        if last is None or last == "passthrough":
            raise UnsupportedModelError(
                "the pipeline's last step is 'passthrough': there is no model to export"
            )
        return steps + _steps(last, last_name, role)
    held = _own_student(model) if role == "student" else _own_teacher(model)
    if held is not None:
        return _steps(held, role, role)
    return [(name, model)]


def student_pipeline(model: Any) -> Any:
    """The student of a fitted model, with the preprocessing in front of it.

    Parameters
    ----------
    model : estimator
        A fitted distiller (:class:`~skdistill.DistilledClassifier`, a
        search, a variant), a :class:`~sklearn.pipeline.Pipeline` ending
        with one, or a fitted student on its own.

    Returns
    -------
    student : estimator
        The student itself when nothing comes before it, else a
        :class:`~sklearn.pipeline.Pipeline` of the preprocessing steps and
        the student (the fitted objects themselves, not copies; ``model``
        is not modified).

    Raises
    ------
    UnsupportedModelError
        ``model`` predicts with an average of several models
        (``predict_with="average"``), or is a
        :class:`~skdistill.TeacherEnsemble`.
    sklearn.exceptions.NotFittedError
        ``model`` is not fitted.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.export import student_pipeline
    >>> X, y = load_iris(return_X_y=True)
    >>> distiller = DistilledClassifier(
    ...     LGBMClassifier(n_estimators=20, verbose=-1),
    ...     DecisionTreeClassifier(max_depth=3, random_state=0),
    ... )
    >>> model = make_pipeline(StandardScaler(), distiller).fit(X, y)
    >>> student_pipeline(model)
    Pipeline(steps=[('standardscaler', StandardScaler()),
                    ('student',
                     DecisionTreeClassifier(max_depth=3, random_state=0))])
    """
    return _pipeline(model, "student")


def teacher_pipeline(model: Any) -> Any:
    """The teacher of a fitted distiller, with the preprocessing in front of it.

    The counterpart of :func:`student_pipeline`, to export or measure the
    teacher the same way (the report compares the two exported models).

    Parameters
    ----------
    model : estimator
        A fitted distiller, a search, a variant with a teacher, or a
        :class:`~sklearn.pipeline.Pipeline` ending with one.

    Returns
    -------
    teacher : estimator
        ``teacher_`` itself when nothing comes before it, else a
        :class:`~sklearn.pipeline.Pipeline` of the preprocessing steps and
        the teacher. A model that is not a distiller is returned as it is.

    Raises
    ------
    UnsupportedModelError
        ``model`` is a :class:`~skdistill.MutualDistillationClassifier`,
        which has no teacher.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.export import teacher_pipeline
    >>> X, y = load_iris(return_X_y=True)
    >>> distiller = DistilledClassifier(
    ...     LGBMClassifier(n_estimators=20, verbose=-1),
    ...     DecisionTreeClassifier(max_depth=3, random_state=0),
    ... ).fit(X, y)
    >>> teacher_pipeline(distiller)
    LGBMClassifier(n_estimators=20, verbose=-1)
    """
    return _pipeline(model, "teacher")


def _pipeline(model: Any, role: str) -> Any:
    if not isinstance(model, BaseEstimator):
        raise TypeError(
            f"model must be a fitted scikit-learn estimator, got {type(model).__name__}"
        )
    check_is_fitted(model)
    steps = _steps(model, role, role)
    if len(steps) == 1:
        return steps[0][1]
    names = _unique([name for name, _ in steps])
    return Pipeline(list(zip(names, [step for _, step in steps], strict=True)))


def _unique(names: list[str]) -> list[str]:
    """Step names made unique (``encode``, ``encode_2``, ...), order kept."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return result
