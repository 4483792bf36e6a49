"""The distillation report: teacher vs hard-label student vs distilled student."""

from __future__ import annotations

import time
from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import clone, is_classifier
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import (
    accuracy_score,
    log_loss,
    r2_score,
    roc_auc_score,
    root_mean_squared_error,
)
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, validate_params
from sklearn.utils.validation import _num_samples, check_consistent_length

from ._fidelity import fidelity_score, teacher_divergence, teacher_r2_score
from ._footprint import prediction_latency, sample_rows, serialized_size
from ._outputs import teacher_proba, unwrap_distiller

__all__ = ["DistillationReport", "distillation_report"]

MODEL_NAMES = ("teacher", "baseline", "distilled")

# What each metric means and whether greater is better, for the text table.
METRICS = {
    "accuracy": ("accuracy", True),
    "log_loss": ("log-loss", False),
    "roc_auc": ("ROC AUC", True),
    "rmse": ("RMSE", False),
    "r2": ("R²", True),
    "fidelity": ("fidelity (agreement with teacher)", True),
    "kl_divergence": ("KL divergence from teacher", False),
    "fidelity_r2": ("fidelity (R² against teacher)", True),
    "size_bytes": ("serialized size (bytes)", False),
    "latency_ms_1thread": ("latency ms / {rows} rows, 1 thread", False),
    "latency_ms_default": ("latency ms / {rows} rows, default threads", False),
}

RATIOS = {
    "size_reduction": "size reduction (teacher / distilled)",
    "speedup_1thread": "speed-up, 1 thread (teacher / distilled)",
    "speedup_default": "speed-up, default threads (teacher / distilled)",
    "score_kept": "share of teacher {metric} kept (distilled / teacher)",
    "gap_closed": "share of baseline-to-teacher {metric} gap closed",
}


class DistillationReport:
    """Teacher, hard-label baseline and distilled student, side by side.

    Made by :func:`distillation_report`; read it as a dict
    (:meth:`to_dict`), a DataFrame (:meth:`to_frame`) or text (``str``).

    Attributes
    ----------
    task : {"classification", "regression"}
        The kind of model reported on.
    primary_metric : str
        ``"accuracy"`` or ``"r2"``: the metric behind ``score_kept`` and
        ``gap_closed``.
    models : dict of str to dict
        ``{"teacher": {...}, "baseline": {...}, "distilled": {...}}``
        (``"baseline"`` only when one was fitted or given), each a dict of
        metric name to value. Classification metrics: ``accuracy``,
        ``log_loss``, ``roc_auc``, ``fidelity``, ``kl_divergence``;
        regression: ``rmse``, ``r2``, ``fidelity_r2``; both:
        ``size_bytes``, ``latency_ms_1thread``, ``latency_ms_default``.
    ratios : dict of str to float
        ``size_reduction``, ``speedup_1thread``, ``speedup_default``,
        ``score_kept`` and, with a baseline, ``gap_closed`` (NaN when the
        teacher does not beat the baseline, so there is no gap to close).
    n_samples : int
        Rows the quality metrics were computed on.
    latency_rows : int
        Rows per timed prediction call.
    timings : dict of str to float
        Seconds spent by the report: ``total``, ``baseline_fit``,
        ``predictions`` (every predict call, timed ones included),
        ``serialization`` (pickling the models to measure their size) and
        ``overhead`` (the rest: input checks, metrics, copies).
    """

    def __init__(
        self,
        *,
        task: str,
        models: dict[str, dict[str, float]],
        ratios: dict[str, float],
        n_samples: int,
        latency_rows: int,
        timings: dict[str, float],
    ) -> None:
        self.task = task
        self.primary_metric = "accuracy" if task == "classification" else "r2"
        self.models = models
        self.ratios = ratios
        self.n_samples = n_samples
        self.latency_rows = latency_rows
        self.timings = timings

    def to_dict(self) -> dict[str, Any]:
        """The report as plain Python types (JSON-serializable).

        Returns
        -------
        report : dict
            Keys ``task``, ``primary_metric``, ``n_samples``,
            ``latency_rows``, ``models``, ``ratios`` and ``timings``.
        """
        return {
            "task": self.task,
            "primary_metric": self.primary_metric,
            "n_samples": self.n_samples,
            "latency_rows": self.latency_rows,
            "models": {name: dict(row) for name, row in self.models.items()},
            "ratios": dict(self.ratios),
            "timings": dict(self.timings),
        }

    def to_frame(self):
        """The per-model metrics as a DataFrame, one row per model.

        Returns
        -------
        frame : pandas.DataFrame
            Index: the model names; columns: the metrics.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is optional
            raise ImportError(
                "DistillationReport.to_frame needs pandas; install it with "
                "`pip install pandas` or use to_dict()."
            ) from exc
        frame = pd.DataFrame.from_dict(self.models, orient="index")
        frame.index.name = "model"
        return frame

    def __str__(self) -> str:
        names = list(self.models)
        label = {
            key: text.format(rows=f"{self.latency_rows:,}")
            for key, (text, _) in METRICS.items()
        }
        keys = [k for k in METRICS if k in self.models[names[0]]]
        width = max(len(label[k]) for k in keys)
        lines = [
            f"Distillation report ({self.task}, {self.n_samples:,} rows)",
            " " * width + "".join(f"{name:>14}" for name in names),
        ]
        for key in keys:
            cells = "".join(_format(self.models[n][key], key) for n in names)
            lines.append(f"{label[key]:<{width}}{cells}")
        lines.append("")
        for key, value in self.ratios.items():
            text = RATIOS[key].format(metric=self.primary_metric)
            shown = (
                f"{value:.1f}x"
                if key.startswith(("size", "speed"))
                else (f"{value:.1%}" if np.isfinite(value) else "n/a (no gap)")
            )
            lines.append(f"{text}: {shown}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"DistillationReport(task={self.task!r}, models={list(self.models)}, "
            f"n_samples={self.n_samples})"
        )


def _format(value: float, key: str) -> str:
    if key == "size_bytes":
        return f"{int(value):>14,}"
    if not np.isfinite(value):
        return f"{'n/a':>14}"
    if key.startswith("latency"):
        return f"{value:>14.2f}"
    return f"{value:>14.4f}"


def _roc_auc(y: NDArray[Any], proba: NDArray[np.float64], classes: NDArray[Any]):
    """Binary ROC AUC, or the macro one-vs-rest mean over the classes in ``y``.

    A class absent from ``y`` (or the only class in it) has no AUC and is
    left out of the mean; NaN when no class has one.
    """
    if classes.size == 2:
        positive = y == classes[1]
        if positive.all() or not positive.any():
            return float("nan")
        return float(roc_auc_score(positive, proba[:, 1]))
    scores = [
        roc_auc_score(y == c, proba[:, k])
        for k, c in enumerate(classes)
        if 0 < np.sum(y == c) < y.size
    ]
    return float(np.mean(scores)) if scores else float("nan")


class _Timer:
    """Accumulates the seconds spent inside the calls it wraps."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, func, *args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def _fit_baseline(model: Any, X_train: Any, y_train: Any) -> Any:
    """The same distiller with a frozen teacher and ``alpha=1``: hard labels only.

    ``alpha=1`` drops the soft part of the loss, so the student is fitted on
    the true labels by the same route (same student, same strategy) as the
    distilled one; the frozen teacher is not refit. Unlabeled rows, which
    have no hard label, are left out.
    """
    params: dict[str, Any] = {
        "teacher": FrozenEstimator(model.teacher_),
        "alpha": 1.0,
        "cv": None,
        "augment": None,
    }
    baseline = clone(model).set_params(**params)
    y_train = np.asarray(y_train)
    marker = getattr(model, "unlabeled", None)
    if marker is not None:
        labelled = np.flatnonzero(y_train != marker)
        X_train, y_train = _safe_indexing(X_train, labelled), y_train[labelled]
    return baseline.fit(X_train, y_train)


def _size(estimator: Any, *, student: bool) -> int:
    """Bytes to ship: a fitted distiller's student, else the model itself."""
    if student and hasattr(estimator, "student_"):
        return serialized_size(estimator.student_)
    return serialized_size(estimator)


@validate_params(
    {
        "model": [HasMethods(["fit", "predict"])],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "X_train": ["array-like", "sparse matrix", None],
        "y_train": ["array-like", None],
        "baseline": [HasMethods(["predict"]), None],
        "sample_weight": ["array-like", None],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "latency_rows": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def distillation_report(
    model: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    X_train: ArrayLike | None = None,
    y_train: ArrayLike | None = None,
    baseline: Any = None,
    sample_weight: ArrayLike | None = None,
    n_repeats: int = 5,
    latency_rows: int = 1000,
    random_state: int | np.random.RandomState | None = 0,
) -> DistillationReport:
    """Compare a distilled student with its teacher and its hard-label twin.

    On held-out rows ``(X, y)``, for the teacher, the distilled student and
    optionally a *baseline* (the same student trained on the hard labels
    alone), the report gives:

    - quality: accuracy, log-loss and ROC AUC (one-vs-rest macro mean for
      several classes) for a classifier; RMSE and R² for a regressor;
    - fidelity to the teacher: label agreement and the KL divergence of the
      probabilities (:func:`fidelity_score`, :func:`teacher_divergence`),
      or R² against the teacher's predictions (:func:`teacher_r2_score`);
    - cost: the serialized (pickled) size of what would be shipped - the
      teacher, or the fitted student (``student_``) of a distiller - and
      the median wall time to predict ``latency_rows`` rows over
      ``n_repeats`` calls, once with a single thread and once with the
      default number of threads;
    - ratios: size reduction and speed-up of the distilled student over the
      teacher, share of the teacher's accuracy (or R²) kept, and share of
      the baseline-to-teacher gap the distillation closed.

    Parameters
    ----------
    model : DistilledClassifier or DistilledRegressor
        The fitted distiller (or a Pipeline ending in one, or a fitted
        search whose ``best_estimator_`` is one). For a Pipeline, sizes and
        latencies are those of the distiller's teacher and student on the
        transformed rows: the preprocessing, which both share, is left out.
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Held-out rows, as ``model`` takes them.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Their true targets.
    X_train, y_train : array-like, default=None
        Training data for the baseline. When both are given (and
        ``baseline`` is None), the baseline is the same distiller refitted
        on them with ``alpha=1`` and its fitted teacher frozen: the same
        student trained by the same route on the hard labels only.
    baseline : fitted estimator, default=None
        A baseline fitted beforehand, used instead of fitting one. It
        receives ``X`` as given (for a Pipeline ``model``, before its
        preprocessing), so it is typically a Pipeline too.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the held-out rows in the quality and fidelity metrics.
    n_repeats : int, default=5
        Timed calls per latency measurement (the median is kept).
    latency_rows : int, default=1000
        Rows per timed call, drawn from ``X`` (with replacement if ``X``
        has fewer).
    random_state : int, RandomState instance or None, default=0
        Draw of the timed rows.

    Returns
    -------
    report : DistillationReport
        Read it with ``str(report)``, ``report.to_dict()`` or
        ``report.to_frame()``.

    See Also
    --------
    skdistill.plotting.CompressionDisplay : The report as a picture.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.metrics import distillation_report
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = DistilledClassifier(
    ...     LGBMClassifier(n_estimators=100, verbose=-1, n_jobs=1),
    ...     make_pipeline(StandardScaler(), LogisticRegression()),
    ... ).fit(X_train, y_train)
    >>> report = distillation_report(
    ...     model, X_test, y_test, X_train=X_train, y_train=y_train
    ... )
    >>> list(report.models)
    ['teacher', 'baseline', 'distilled']
    >>> bool(report.ratios["size_reduction"] > 10)
    True
    >>> print(report)  # doctest: +SKIP
    """
    start = time.perf_counter()
    if X_train is not None and isinstance(model, Pipeline):
        # the baseline is fitted on what the distiller saw: X_train through
        # the pipeline's fitted preprocessing steps
        X_train = model[:-1].transform(X_train)
    X_given = X  # what a baseline given by the user takes
    model, X = unwrap_distiller(model, X, name="model")
    if (X_train is None) != (y_train is None):
        raise ValueError(
            "Pass both X_train and y_train to fit the hard-label baseline, or "
            "neither to report without a baseline."
        )
    if baseline is not None and X_train is not None:
        raise ValueError(
            "Pass either a fitted baseline or X_train and y_train to fit one, not both."
        )
    classifier = is_classifier(model)
    y = np.asarray(y)
    check_consistent_length(X, y, sample_weight)
    if _num_samples(X) == 0:
        raise ValueError("X has no rows; the report needs held-out rows.")
    if classifier:
        unknown = np.setdiff1d(np.unique(y), model.classes_)
        if unknown.size:
            raise ValueError(
                f"y contains labels {unknown.tolist()[:10]} that the model was "
                f"not trained on (its classes_ are {model.classes_.tolist()[:10]}"
                "); evaluate on rows whose labels the model knows."
            )

    fit_seconds = 0.0
    if X_train is not None:
        fit_start = time.perf_counter()
        baseline = _fit_baseline(model, X_train, y_train)
        fit_seconds = time.perf_counter() - fit_start

    predicting, serializing = _Timer(), _Timer()
    method = "predict_proba" if classifier else "predict"
    candidates = {"teacher": model.teacher_, "baseline": baseline, "distilled": model}
    models = {n: m for n, m in candidates.items() if m is not None}
    inputs = {name: X for name in models}
    if baseline is not None and X_train is None:
        inputs["baseline"] = X_given
    outputs = {}
    for name, estimator in models.items():
        if name == "teacher":
            outputs[name] = predicting(
                teacher_proba if classifier else _predict_teacher, model, X
            )
        else:
            outputs[name] = predicting(getattr(estimator, method), inputs[name])

    timed_rows = sample_rows(X, latency_rows, check_random_state(random_state))
    table: dict[str, dict[str, float]] = {}
    for name, estimator in models.items():
        out = outputs[name]
        if classifier:
            table[name] = _classification_metrics(
                y, out, outputs["teacher"], model.classes_, sample_weight
            )
        else:
            table[name] = _regression_metrics(y, out, outputs["teacher"], sample_weight)
        timed = estimator if name != "teacher" else model.teacher_
        table[name]["size_bytes"] = float(
            serializing(_size, timed, student=name != "teacher")
        )
        rows = _safe_indexing(inputs[name], timed_rows)
        table[name].update(
            predicting(prediction_latency, timed, method, rows, n_repeats=n_repeats)
        )

    ratios = _ratios(table, "accuracy" if classifier else "r2")
    total = time.perf_counter() - start
    timings = {
        "total": total,
        "baseline_fit": fit_seconds,
        "predictions": predicting.seconds,
        "serialization": serializing.seconds,
        "overhead": total - fit_seconds - predicting.seconds - serializing.seconds,
    }
    return DistillationReport(
        task="classification" if classifier else "regression",
        models=table,
        ratios=ratios,
        n_samples=int(y.shape[0]),
        latency_rows=int(latency_rows),
        timings=timings,
    )


def _predict_teacher(model: Any, X: Any) -> NDArray[np.float64]:
    return np.asarray(model.teacher_.predict(X), dtype=np.float64)


def _classification_metrics(y, proba, teacher, classes, sample_weight):
    pred = classes[np.argmax(proba, axis=1)]
    teacher_pred = classes[np.argmax(teacher, axis=1)]
    return {
        "accuracy": float(accuracy_score(y, pred, sample_weight=sample_weight)),
        "log_loss": float(
            log_loss(y, proba, labels=classes, sample_weight=sample_weight)
        ),
        "roc_auc": _roc_auc(y, proba, classes),
        "fidelity": fidelity_score(teacher_pred, pred, sample_weight=sample_weight),
        "kl_divergence": teacher_divergence(
            teacher, proba, sample_weight=sample_weight
        ),
    }


def _regression_metrics(y, pred, teacher, sample_weight):
    return {
        "rmse": float(root_mean_squared_error(y, pred, sample_weight=sample_weight)),
        "r2": float(r2_score(y, pred, sample_weight=sample_weight)),
        "fidelity_r2": float(
            teacher_r2_score(teacher, pred, sample_weight=sample_weight)
        ),
    }


def _ratios(table: dict[str, dict[str, float]], metric: str) -> dict[str, float]:
    teacher, distilled = table["teacher"], table["distilled"]
    ratios = {
        "size_reduction": teacher["size_bytes"] / distilled["size_bytes"],
        "speedup_1thread": teacher["latency_ms_1thread"]
        / distilled["latency_ms_1thread"],
        "speedup_default": teacher["latency_ms_default"]
        / distilled["latency_ms_default"],
        "score_kept": distilled[metric] / teacher[metric]
        if teacher[metric] != 0
        else float("nan"),
    }
    if "baseline" in table:
        gap = teacher[metric] - table["baseline"][metric]
        ratios["gap_closed"] = (
            (distilled[metric] - table["baseline"][metric]) / gap
            if gap > 0
            else float("nan")
        )
    return ratios
