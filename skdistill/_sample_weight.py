"""Sample weights that reach a student, a Pipeline's steps included."""

from __future__ import annotations

from typing import Any

from sklearn.pipeline import Pipeline
from sklearn.utils.metadata_routing import _routing_enabled
from sklearn.utils.validation import has_fit_parameter


def accepts_sample_weight(student: Any) -> bool:
    """Whether ``student.fit`` takes ``sample_weight`` (a Pipeline: its last step)."""
    if isinstance(student, Pipeline):
        final = student.steps[-1][1]
        return final not in (None, "passthrough") and has_fit_parameter(
            final, "sample_weight"
        )
    return has_fit_parameter(student, "sample_weight")


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
