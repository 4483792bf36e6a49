"""Fit parameters: sample weights that reach a Pipeline's steps, row-aligned
parameters that follow their rows, and warnings that point at the user's code."""

from __future__ import annotations

import os
import sys
from inspect import signature
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing
from sklearn.utils.metadata_routing import _routing_enabled
from sklearn.utils.validation import _num_samples, has_fit_parameter

from ._validation import final_estimator


def accepts_sample_weight(student: Any) -> bool:
    """Whether ``student.fit`` takes ``sample_weight`` (a Pipeline: its last step)."""
    final = final_estimator(student)
    return final not in (None, "passthrough") and has_fit_parameter(
        final, "sample_weight"
    )


def fit_with_sample_weight(
    estimator: Any, X: Any, y: Any, sample_weight: Any, **fit_params: Any
) -> Any:
    """Fit ``estimator`` with ``sample_weight``, reaching a Pipeline's steps.

    Without metadata routing a Pipeline takes ``step__sample_weight``; the
    weights go to every step whose ``fit`` accepts them (a ``StandardScaler``
    computes weighted moments, the final estimator a weighted loss).
    """
    if sample_weight is None:
        return estimator.fit(X, y, **fit_params)
    if isinstance(estimator, Pipeline):
        steps = [
            (name, step)
            for name, step in estimator.steps
            if step not in (None, "passthrough")
            and has_fit_parameter(step, "sample_weight")
        ]
        if not _routing_enabled():
            for name, _ in steps:
                fit_params[f"{name}__sample_weight"] = sample_weight
            return estimator.fit(X, y, **fit_params)
        # With routing on, a Pipeline passes sample_weight only to steps that
        # request it; the weights are ours (soft-target expansion), so the
        # steps that accept them and have no request yet are set to request.
        for _, step in steps:
            request = step.get_metadata_routing().fit.requests.get("sample_weight")
            if request is None:
                step.set_fit_request(sample_weight=True)
            elif request is not True and step is estimator.steps[-1][1]:
                raise ValueError(
                    f"The final step {type(step).__name__} of the student Pipeline "
                    f"has a sample_weight request of {request!r}, so the soft-target "
                    "weights could not reach it. Leave its request unset, set it "
                    "with set_fit_request(sample_weight=True), or use "
                    "fit_strategy='hard'."
                )
    return estimator.fit(X, y, sample_weight=sample_weight, **fit_params)


def _is_row_aligned(value: Any, n_rows: int) -> bool:
    """Whether a fit parameter has one value per training row."""
    try:
        return value is not None and _num_samples(value) == n_rows
    except TypeError:
        return False


def _index_params(params: dict[str, Any], rows: NDArray[np.intp], n: int) -> dict:
    """Fit parameters for ``rows``: row-aligned ones follow their rows."""
    return {
        key: _safe_indexing(value, rows) if _is_row_aligned(value, n) else value
        for key, value in params.items()
    }


def check_student_params_for_augment(
    student_params: dict[str, Any], n_rows: int
) -> None:
    """Student fit parameters with one value per row cannot cover synthetic rows.

    Per-feature parameters (``categorical_feature``, ...) are fine; those
    aligned with the ``n_rows`` training rows are an error.
    """
    aligned = [k for k, v in student_params.items() if _is_row_aligned(v, n_rows)]
    if aligned:
        raise ValueError(
            f"Fit parameters {sorted(aligned)} are routed to the student with one "
            "value per training row, but augment adds synthetic rows they do not "
            "cover. Drop them or set augment=None."
        )


def scorer_accepts_sample_weight(scorer: Any) -> bool:
    """Whether a scorer (or a ``scorer(estimator, X, y)`` callable) takes weights."""
    if hasattr(scorer, "_accept_sample_weight"):
        return bool(scorer._accept_sample_weight())
    func = getattr(scorer, "_score_func", scorer)
    try:
        return "sample_weight" in signature(func).parameters
    except (TypeError, ValueError):
        return False


def _caller_stacklevel() -> int:
    """``stacklevel`` of a warning raised here that points at the user's code.

    The first frame, going up from the caller of this function, outside
    skdistill, scikit-learn (the ``_fit_context`` wrapper, a search's fits)
    and joblib.
    """
    import joblib
    import sklearn

    packages = tuple(
        os.path.dirname(module.__file__) + os.sep
        for module in (sys.modules[__package__], sklearn, joblib)
    )
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(packages):
        frame, level = frame.f_back, level + 1
    return level
