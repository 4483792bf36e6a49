"""The distillation report: teacher vs hard-label student vs distilled student."""

from __future__ import annotations

import time
from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import is_classifier
from sklearn.metrics import (
    accuracy_score,
    log_loss,
    r2_score,
    root_mean_squared_error,
)
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, validate_params
from sklearn.utils.validation import (
    _num_samples,
    check_consistent_length,
    check_is_fitted,
)
from threadpoolctl import ThreadpoolController

from .._teacher import resolve_teacher_output
from ._baseline import fit_hard_label_baseline
from ._deploy import ONNX_KEYS, onnx_footprint, require_export
from ._fidelity import fidelity_score, teacher_divergence, teacher_r2_score
from ._footprint import prediction_latency, sample_rows, serialized_size
from ._outputs import teacher_predict, teacher_proba, unwrap_distiller

__all__ = ["DistillationReport", "distillation_report"]

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
    "onnx_size_bytes": ("ONNX size (bytes)", False),
    "onnx_latency_us_1row": ("ONNX latency µs / 1 row, 1 thread", False),
    "onnx_latency_ms_batch": ("ONNX latency ms / {rows} rows, 1 thread", False),
}

RATIOS = {
    "size_reduction": "size reduction (teacher / distilled)",
    "speedup_1thread": "speed-up, 1 thread (teacher / distilled)",
    "speedup_default": "speed-up, default threads (teacher / distilled)",
    "onnx_size_reduction": "ONNX size reduction (teacher / distilled)",
    "onnx_speedup_1row": "ONNX speed-up, 1 row (teacher / distilled)",
    "onnx_speedup_batch": "ONNX speed-up, {rows} rows (teacher / distilled)",
    "score_kept": "share of teacher {metric} kept (distilled / teacher)",
    "gap_closed": "share of baseline-to-teacher {metric} gap closed",
}

# What the baseline is, in the text: the headline, the table and its legend.
BASELINE_LABEL = "same student, labels only"
BASELINE_LEGEND = (
    f"baseline = {BASELINE_LABEL}: trained on the hard labels alone, no teacher"
)

# The metrics of the headline: (key, name in the text, points or plain, sense).
# Points are hundredths of a score (accuracy, R², fidelity); sense
# is whether greater is better, or None for a figure without a verdict.
HEADLINE_METRICS = {
    "classification": (
        ("accuracy", "accuracy", True, True),
        ("log_loss", "log-loss", False, False),
        ("fidelity", "fidelity to the teacher", True, None),
    ),
    "regression": (
        ("r2", "R²", True, True),
        ("rmse", "RMSE", False, False),
        ("fidelity_r2", "fidelity to the teacher (R²)", True, None),
    ),
}

# The ratios of the ONNX figures, one per key of ONNX_KEYS.
ONNX_RATIOS = ("onnx_size_reduction", "onnx_speedup_1row", "onnx_speedup_batch")

# Figures of the table whose differences are not quality: their ratios say it.
_COST_KEYS = ("size_bytes", "latency_ms_1thread", "latency_ms_default", *ONNX_KEYS)


class DistillationReport:
    """Teacher, hard-label baseline and distilled student, side by side.

    Made by :func:`distillation_report`; read it as a dict
    (:meth:`to_dict`), a DataFrame (:meth:`to_frame`), one sentence
    (:attr:`headline`) or text (``str``).

    The baseline is the *same student, labels only*: the student trained on
    the hard labels alone, without the teacher. The text says so in full; its
    key in :attr:`models`, :attr:`deltas` and :meth:`to_dict` stays
    ``"baseline"``.

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
        ``size_bytes``, ``latency_ms_1thread``, ``latency_ms_default``, and
        with ``onnx=True`` the exported models' ``onnx_size_bytes``,
        ``onnx_latency_us_1row`` and ``onnx_latency_ms_batch`` (NaN for the
        baseline, which is not exported).
    ratios : dict of str to float
        ``size_reduction``, ``speedup_1thread``, ``speedup_default``, with
        ``onnx=True`` ``onnx_size_reduction``, ``onnx_speedup_1row`` and
        ``onnx_speedup_batch``, then ``score_kept`` and, with a baseline,
        ``gap_closed`` (NaN when the teacher does not beat the baseline, so
        there is no gap to close).
    n_samples : int
        Rows the quality metrics were computed on.
    latency_rows : int
        Rows per timed prediction call.
    timings : dict of str to float
        Seconds spent by the report: ``total``, ``baseline_fit``,
        ``predictions`` (every predict call, timed ones included),
        ``serialization`` (pickling the models to measure their size),
        ``onnx`` (importing the export libraries, exporting the models to
        ONNX and timing them in onnxruntime; 0 without ``onnx=True``) and
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

    @property
    def deltas(self) -> dict[str, dict[str, float]]:
        """What distillation changed: the distilled student minus each model.

        ``{"baseline": {...}, "teacher": {...}}`` (``"baseline"`` only with
        a baseline), each a dict of metric name to ``distilled - model`` for
        the quality and fidelity metrics of :attr:`models` (size and latency
        are compared by :attr:`ratios`). Scores (accuracy, R², fidelity) are
        fractions, not points; a negative log-loss, RMSE or KL divergence
        delta is an improvement. NaN when either figure is NaN.
        """
        distilled = self.models["distilled"]
        return {
            name: {
                key: distilled[key] - row[key]
                for key in distilled
                if key not in _COST_KEYS and key in row
            }
            for name, row in self.models.items()
            if name in ("baseline", "teacher")
        }

    @property
    def headline(self) -> str:
        """One sentence: what the distilled student gained and lost.

        With a baseline, against the *same student, labels only*: the change
        in accuracy (or R²) in points (hundredths), in log-loss (or RMSE),
        each with its verdict (better or worse), and in fidelity to the
        teacher; for instance ``"Distilled vs same student, labels only:
        accuracy +0.44 pts (0.9211 -> 0.9254, better), log-loss -0.4590
        (0.6485 -> 0.1895, better), fidelity to the teacher +0.44 pts
        (0.9430 -> 0.9474)."``. Without a baseline, against the teacher:
        the change in accuracy (or R²), the share of it kept and the
        fidelity. Figures have the table's four decimals; a change that
        rounds to zero reads ``unchanged``.
        """
        prefix, clauses = self._headline_clauses()
        return f"{prefix} {', '.join(clauses)}."

    def _headline_clauses(self) -> tuple[str, list[str]]:
        """The headline as its opening words and its comma-separated clauses."""
        distilled = self.models["distilled"]
        metrics = HEADLINE_METRICS[self.task]
        if "baseline" in self.models:
            baseline = self.models["baseline"]
            clauses = [
                _change(name, baseline[key], distilled[key], points, sense)
                for key, name, points, sense in metrics
            ]
            return f"Distilled vs {BASELINE_LABEL}:", clauses
        teacher = self.models["teacher"]
        key, name, points, _ = metrics[0]
        kept = self.ratios["score_kept"]
        share = (
            f"{kept:.1%} of the teacher's {name} kept"
            if np.isfinite(kept)
            else f"share of the teacher's {name} kept n/a (the teacher's "
            f"{name}, {_number(teacher[key])}, is not positive)"
        )
        fidelity_key, fidelity_name = metrics[2][:2]
        return "Distilled vs teacher:", [
            _change(name, teacher[key], distilled[key], points, None),
            share,
            f"{fidelity_name} {_number(distilled[fidelity_key])}",
        ]

    def to_dict(self) -> dict[str, Any]:
        """The report as plain Python types (JSON-serializable).

        A figure that does not exist (NaN: for instance the log-loss of a
        student without ``predict_proba``) becomes ``None``.

        Returns
        -------
        report : dict
            Keys ``task``, ``primary_metric``, ``n_samples``,
            ``latency_rows``, ``models``, ``ratios``, ``timings``,
            ``headline`` (the sentence of :attr:`headline`) and ``deltas``
            (:attr:`deltas`: the distilled student minus the baseline and
            minus the teacher, per metric).
        """
        return {
            "task": self.task,
            "primary_metric": self.primary_metric,
            "n_samples": self.n_samples,
            "latency_rows": self.latency_rows,
            "models": {
                name: {key: _json_number(v) for key, v in row.items()}
                for name, row in self.models.items()
            },
            "ratios": {key: _json_number(v) for key, v in self.ratios.items()},
            "timings": dict(self.timings),
            "headline": self.headline,
            "deltas": {
                name: {key: _json_number(v) for key, v in row.items()}
                for name, row in self.deltas.items()
            },
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
        # the baseline's column heading, on two lines to fit the column
        heading = {name: ("", name) for name in names}
        if "baseline" in heading:
            first, second = BASELINE_LABEL.split(", ")
            heading["baseline"] = (f"{first},", second)
        header = [
            " " * width + "".join(f"{heading[n][row]:>14}" for n in names).rstrip()
            for row in (0, 1)
        ]
        prefix, clauses = self._headline_clauses()
        lines = [
            f"Distillation report ({self.task}, {self.n_samples:,} rows)",
            *_wrap(prefix, clauses, max(width + 14 * len(names), 72)),
            "",
            *[line for line in header if line.strip()],
        ]
        for key in keys:
            cells = "".join(_format(self.models[n][key], key) for n in names)
            lines.append(f"{label[key]:<{width}}{cells}")
        if "baseline" in self.models:
            lines.append(BASELINE_LEGEND)
        lines.append("")
        metric = {"r2": "R²"}.get(self.primary_metric, self.primary_metric)
        for key, value in self.ratios.items():
            text = RATIOS[key].format(metric=metric, rows=f"{self.latency_rows:,}")
            if key.startswith(("size", "speed", "onnx")) and np.isfinite(value):
                shown = f"{value:.1f}x"
            elif np.isfinite(value):
                shown = f"{value:.1%}"
            elif key == "gap_closed":
                shown = self._no_gap()
            else:
                shown = "n/a"
            lines.append(f"{text}: {shown}")
        return "\n".join(lines)

    def _no_gap(self) -> str:
        """Why the share of the gap closed is n/a: no gap, or a missing figure."""
        metric = self.primary_metric
        teacher = self.models["teacher"][metric]
        baseline = self.models["baseline"][metric]
        if not (np.isfinite(teacher) and np.isfinite(baseline)):
            return "n/a"
        verb = "matches" if baseline == teacher else "beats"
        return (
            f"n/a (the student on labels alone already {verb} the teacher: "
            f"{_number(baseline)} vs {_number(teacher)})"
        )

    def __repr__(self) -> str:
        return (
            f"DistillationReport(task={self.task!r}, models={list(self.models)}, "
            f"n_samples={self.n_samples})"
        )


def _json_number(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _format(value: float, key: str) -> str:
    if not np.isfinite(value):
        return f"{'n/a':>14}"
    if key.endswith("size_bytes"):
        return f"{int(value):>14,}"
    if "latency" in key:
        return f"{value:>14.2f}"
    return f"{value:>14.4f}"


def _number(value: float) -> str:
    """A quality figure as the table shows it: four decimals, or n/a."""
    return f"{value:.4f}" if np.isfinite(value) else "n/a"


def _change(
    name: str, before: float, after: float, points: bool, sense: bool | None
) -> str:
    """``name``'s change from ``before`` to ``after``, as in the headline.

    In points (hundredths) for a score, else with the table's four decimals;
    with ``sense`` (whether greater is better), the verdict. A change that
    rounds to zero in the shown precision is ``unchanged``.
    """
    if not (np.isfinite(before) and np.isfinite(after)):
        return f"{name} n/a"
    shown = round((after - before) * 100, 2) if points else round(after - before, 4)
    if shown == 0:
        return f"{name} unchanged ({_number(after)})"
    delta = f"{shown:+.2f} pts" if points else f"{shown:+.4f}"
    verdict = (
        "" if sense is None else (", better" if (shown > 0) == sense else ", worse")
    )
    return f"{name} {delta} ({_number(before)} -> {_number(after)}{verdict})"


def _wrap(prefix: str, clauses: list[str], width: int) -> list[str]:
    """``prefix`` and the comma-separated ``clauses`` in lines of ``width``.

    Lines break between clauses only, so a clause longer than the width
    overflows; continuation lines are indented by two spaces.
    """
    lines, line = [], prefix
    for i, clause in enumerate(clauses):
        piece = clause + ("," if i < len(clauses) - 1 else ".")
        if len(line) + 1 + len(piece) > width:
            lines.append(line)
            line = "  " + piece
        else:
            line = f"{line} {piece}"
    lines.append(line)
    return lines


def _binary_auc(positive, score, weight) -> float:
    """ROC AUC as the weighted Mann-Whitney statistic (ties count one half).

    Equal to :func:`sklearn.metrics.roc_auc_score`, in one sort and without
    its per-call input checks (the report calls it once per class).
    """
    order = np.argsort(score, kind="mergesort")
    score, positive, weight = score[order], positive[order], weight[order]
    starts = np.flatnonzero(np.r_[True, score[1:] != score[:-1]])
    pos = np.add.reduceat(np.where(positive, weight, 0.0), starts)
    neg = np.add.reduceat(np.where(positive, 0.0, weight), starts)
    neg_below = np.cumsum(neg) - neg
    return float(np.sum(pos * (neg_below + 0.5 * neg)) / (pos.sum() * neg.sum()))


def _roc_auc(y, proba, classes, sample_weight) -> float:
    """Binary ROC AUC, or the macro one-vs-rest mean over the classes in ``y``.

    A class absent from ``y`` (or the only class in it) has no AUC and is
    left out of the mean; NaN when no class has one.
    """
    weight = (
        np.ones(y.shape[0])
        if sample_weight is None
        else np.asarray(sample_weight, dtype=np.float64)
    )
    columns = [1] if classes.size == 2 else range(classes.size)
    scores = []
    for k in columns:
        positive = y == classes[k]
        if weight[positive].sum() > 0 and weight[~positive].sum() > 0:
            scores.append(_binary_auc(positive, proba[:, k], weight))
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


def _check_given_baseline(baseline: Any, model: Any) -> None:
    """A user's baseline must be the same kind of model, with known classes."""
    check_is_fitted(baseline)
    if is_classifier(model) != is_classifier(baseline):
        kind = "classifier" if is_classifier(model) else "regressor"
        raise ValueError(
            f"baseline must be a fitted {kind} like the model; got "
            f"{type(baseline).__name__}."
        )
    if is_classifier(model):
        unknown = np.setdiff1d(np.asarray(baseline.classes_), model.classes_)
        if unknown.size:
            raise ValueError(
                f"The baseline knows classes {unknown.tolist()[:10]} that the "
                f"model does not (its classes_ are {model.classes_.tolist()[:10]}"
                "); fit the baseline on the same labels as the model."
            )


class _Entry:
    """One model of the report: how to get its outputs, what ships and is timed."""

    def __init__(self, shipped, timed, method, X_timed, labels, proba):
        self.shipped, self.timed, self.method = shipped, timed, method
        self.X_timed, self.labels, self.proba = X_timed, labels, proba


def _distiller_entry(distiller, X, classifier, predicting) -> _Entry:
    """Outputs of a fitted distiller; its student alone is shipped and timed."""
    student = distiller.student_
    if classifier:
        labels = predicting(distiller.predict, X)
        has_proba = hasattr(student, "predict_proba")
        proba = predicting(distiller.predict_proba, X) if has_proba else None
        method = "predict_proba" if has_proba else "predict"
    else:
        labels, proba, method = predicting(distiller.predict, X), None, "predict"
    # timed on the rows as given, as the teacher is: its own predict checks them
    return _Entry(student, student, method, X, labels, proba)


def _plain_entry(estimator, X, classes, classifier, predicting) -> _Entry:
    """Outputs of a user's fitted baseline, probabilities in ``classes`` order."""
    labels = predicting(estimator.predict, X)
    proba, method = None, "predict"
    if classifier and hasattr(estimator, "predict_proba"):
        raw = predicting(estimator.predict_proba, X)
        proba = np.zeros((raw.shape[0], classes.size))
        proba[:, np.searchsorted(classes, np.asarray(estimator.classes_))] = raw
        method = "predict_proba"
    return _Entry(estimator, estimator, method, X, labels, proba)


def _teacher_entry(model, X, classifier, predicting) -> _Entry:
    teacher = model.teacher_
    labels = predicting(teacher_predict, model, X)
    if not classifier:
        return _Entry(teacher, teacher, "predict", X, labels, None)
    proba = predicting(teacher_proba, model, X)
    method = resolve_teacher_output(teacher, model.teacher_output)
    return _Entry(teacher, teacher, method, X, labels, proba)


@validate_params(
    {
        "model": [HasMethods(["fit", "predict"])],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "X_train": ["array-like", "sparse matrix", None],
        "y_train": ["array-like", None],
        "baseline": [HasMethods(["predict"]), None],
        "sample_weight": ["array-like", None],
        "fit_params": [dict, None],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "latency_rows": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "onnx": ["boolean"],
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
    fit_params: dict[str, Any] | None = None,
    n_repeats: int = 5,
    latency_rows: int = 1000,
    random_state: int | np.random.RandomState | None = 0,
    onnx: bool = False,
) -> DistillationReport:
    """Compare a distilled student with its teacher and its hard-label twin.

    On held-out rows ``(X, y)``, for the teacher, the distilled student and
    optionally a *baseline* (the same student trained on the hard labels
    alone), the report gives:

    - quality: accuracy, log-loss and ROC AUC (one-vs-rest macro mean for
      several classes) for a classifier; RMSE and R² for a regressor. A
      student without ``predict_proba`` gets NaN (``n/a``) for the
      probability-based figures;
    - fidelity to the teacher: agreement of the predicted labels and the KL
      divergence of the probabilities (:func:`fidelity_score`,
      :func:`teacher_divergence`), or R² against the teacher's predictions
      (:func:`teacher_r2_score`);
    - cost: the serialized (pickled) size of what would be shipped - the
      teacher, or the fitted student (``student_``) of a distiller - and
      its prediction time per ``latency_rows`` rows (median over
      ``n_repeats`` timed batches, each repeating the call for at least
      20 ms), once with a single thread and once with the default number
      of threads;
    - with ``onnx=True``, the cost once exported: the teacher and the
      distilled student, each with the preprocessing in front of it
      (:func:`skdistill.export.teacher_pipeline`,
      :func:`skdistill.export.student_pipeline`), exported by
      :func:`skdistill.export.to_onnx`, give their ONNX file size and their
      latency in onnxruntime on the CPU with one thread (intra- and
      inter-op) and every graph optimization: the median of single calls on
      one row, and the median time of a call on ``latency_rows`` rows
      (``session.run`` alone, the inputs built beforehand);
    - ratios: size reduction and speed-up of the distilled student over the
      teacher (also in ONNX with ``onnx=True``), share of the teacher's
      accuracy (or R²) kept, and share of the baseline-to-teacher gap the
      distillation closed;
    - a headline (:attr:`DistillationReport.headline`), first in the text:
      what the distilled student gained and lost against the *same student,
      labels only* (the baseline) in accuracy and log-loss (or R² and RMSE)
      and in fidelity to the teacher, or without a baseline, the share of
      the teacher's accuracy (or R²) it kept.

    Parameters
    ----------
    model : DistilledClassifier or DistilledRegressor
        The fitted distiller (or a Pipeline ending in one, a
        ``DistilledClassifierCV``, or a fitted search whose
        ``best_estimator_`` is one of these). For a Pipeline, sizes and
        latencies are those of the distiller's teacher and student on the
        transformed rows: the preprocessing, which both share, is left out.
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Held-out rows, as ``model`` takes them.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Their true targets.
    X_train, y_train : array-like, default=None
        Training data for the baseline. When both are given (and
        ``baseline`` is None), the baseline is the model's student fitted
        by the same route on the hard labels only: ``clone`` of the
        distiller with ``alpha=1``, its fitted teacher frozen and neither
        ``teacher_cv`` nor ``augment``, which fits the student with its own
        ``fit`` on the labels (its hard-label twin). Rows that the model's
        ``unlabeled`` marks are left out.
    baseline : fitted estimator, default=None
        A baseline fitted beforehand, used instead of fitting one. It
        receives ``X`` as given (for a Pipeline ``model``, before its
        preprocessing), so it is typically a Pipeline too.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the held-out rows in the quality and fidelity metrics.
    fit_params : dict, default=None
        Parameters for the baseline's ``fit``, for instance
        ``{"sample_weight": w_train}`` when the model was fitted with
        weights.
    n_repeats : int, default=5
        Timed batches per latency measurement (the median is kept).
    latency_rows : int, default=1000
        Rows per timed call, drawn from ``X`` (with replacement if ``X``
        has fewer).
    random_state : int, RandomState instance or None, default=0
        Draw of the timed rows.
    onnx : bool, default=False
        Add the ONNX figures of the teacher and the distilled student (see
        above; the baseline, the same student, is not exported, and its
        ONNX figures are NaN). Needs the optional extra
        ``skdistill[export]`` (an ImportError says so). A model that ONNX
        cannot represent raises :class:`skdistill.export.UnsupportedModelError`.

    Returns
    -------
    report : DistillationReport
        Read it with ``str(report)``, ``report.headline``,
        ``report.to_dict()`` or ``report.to_frame()``.

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
    >>> report.headline.startswith(
    ...     "Distilled vs same student, labels only: accuracy "
    ... )
    True
    >>> sorted(report.to_dict()["deltas"])
    ['baseline', 'teacher']
    >>> print(report)  # doctest: +SKIP

    With ``onnx=True`` (and the ``export`` extra), the teacher and the
    student are exported to ONNX and timed in onnxruntime too:

    >>> exported = distillation_report(model, X_test, y_test, onnx=True)
    >>> bool(exported.ratios["onnx_size_reduction"] > 10)
    True
    >>> [key for key in exported.models["distilled"] if key.startswith("onnx")]
    ['onnx_size_bytes', 'onnx_latency_us_1row', 'onnx_latency_ms_batch']
    """
    start = time.perf_counter()
    exporting = _Timer()
    if onnx:
        exporting(require_export, "distillation_report(onnx=True)")
    if (X_train is None) != (y_train is None):
        raise ValueError(
            "Pass both X_train and y_train to fit the hard-label baseline, or "
            "neither to report without a baseline."
        )
    if baseline is not None and X_train is not None:
        raise ValueError(
            "Pass either a fitted baseline or X_train and y_train to fit one, not both."
        )
    if fit_params and X_train is None:
        raise ValueError(
            "fit_params are for fitting the baseline; pass X_train and y_train "
            "too, or drop fit_params."
        )
    X_given = X  # what a baseline given by the user takes
    given = _final_model(model)  # what is exported, preprocessing included
    pipeline = given if isinstance(given, Pipeline) else None
    model, X = unwrap_distiller(model, X, name="model")
    if X_train is not None and pipeline is not None:
        # the baseline is fitted on what the distiller saw: X_train through
        # the pipeline's fitted preprocessing steps
        X_train = pipeline[:-1].transform(X_train)
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
    if baseline is not None:
        _check_given_baseline(baseline, model)
    # exported first, so that a model ONNX cannot represent fails early
    exported = exporting(_export_onnx, given, X_given) if onnx else {}

    fit_seconds = 0.0
    fitted_baseline = None
    if X_train is not None:
        fit_start = time.perf_counter()
        fitted_baseline = fit_hard_label_baseline(
            model, X_train, y_train, fit_params or {}
        )
        fit_seconds = time.perf_counter() - fit_start

    predicting, serializing = _Timer(), _Timer()
    classes = model.classes_ if classifier else None
    entries = {"teacher": _teacher_entry(model, X, classifier, predicting)}
    if fitted_baseline is not None:
        entries["baseline"] = _distiller_entry(
            fitted_baseline, X, classifier, predicting
        )
    elif baseline is not None:
        entries["baseline"] = _plain_entry(
            baseline, X_given, classes, classifier, predicting
        )
    entries["distilled"] = _distiller_entry(model, X, classifier, predicting)

    timed_rows = sample_rows(X, latency_rows, check_random_state(random_state))
    controller = ThreadpoolController()
    teacher = entries["teacher"]
    table: dict[str, dict[str, float]] = {}
    for name, entry in entries.items():
        if classifier:
            table[name] = _classification_metrics(
                y, entry, teacher, classes, sample_weight
            )
        else:
            table[name] = _regression_metrics(y, entry, teacher, sample_weight)
        table[name]["size_bytes"] = float(serializing(serialized_size, entry.shipped))
        table[name].update(
            prediction_latency(
                entry.timed,
                entry.method,
                _safe_indexing(entry.X_timed, timed_rows),
                n_repeats=n_repeats,
                timer=predicting,
                controller=controller,
            )
        )

    if onnx:
        X_timed = _safe_indexing(X_given, timed_rows)
        for row in table.values():
            row.update(dict.fromkeys(ONNX_KEYS, float("nan")))
        for name, onnx_model in exported.items():
            table[name].update(
                exporting(onnx_footprint, onnx_model, X_timed, n_repeats=n_repeats)
            )

    ratios = _ratios(table, "accuracy" if classifier else "r2")
    total = time.perf_counter() - start
    spent = {
        "baseline_fit": fit_seconds,
        "predictions": predicting.seconds,
        "serialization": serializing.seconds,
        "onnx": exporting.seconds,
    }
    timings = {"total": total, **spent, "overhead": total - sum(spent.values())}
    return DistillationReport(
        task="classification" if classifier else "regression",
        models=table,
        ratios=ratios,
        n_samples=int(y.shape[0]),
        latency_rows=int(latency_rows),
        timings=timings,
    )


def _final_model(model: Any) -> Any:
    """The Pipeline ending in the distiller, or the distiller (inside a search too).

    A distiller's own search (``DistilledClassifierCV``) is kept: it has a
    ``student_`` and a ``teacher_`` of its own.
    """
    while not (isinstance(model, Pipeline) or hasattr(model, "student_")) and hasattr(
        model, "best_estimator_"
    ):
        model = model.best_estimator_
    return model


def _export_onnx(model: Any, X: Any) -> dict[str, Any]:
    """The ONNX models of the teacher and the distilled student of ``model``.

    ``model`` is the fitted distiller or the Pipeline ending in it, and
    ``X`` rows as it takes them; each is exported with the preprocessing
    in front of it. The baseline is not exported.
    """
    from ..export import student_pipeline, teacher_pipeline, to_onnx

    return {
        "teacher": to_onnx(teacher_pipeline(model), X),
        "distilled": to_onnx(student_pipeline(model), X),
    }


def _classification_metrics(y, entry, teacher, classes, sample_weight):
    nan = float("nan")
    proba = entry.proba
    return {
        "accuracy": float(accuracy_score(y, entry.labels, sample_weight=sample_weight)),
        "log_loss": nan
        if proba is None
        else float(log_loss(y, proba, labels=classes, sample_weight=sample_weight)),
        "roc_auc": nan if proba is None else _roc_auc(y, proba, classes, sample_weight),
        "fidelity": fidelity_score(
            teacher.labels, entry.labels, sample_weight=sample_weight
        ),
        "kl_divergence": nan
        if proba is None
        else teacher_divergence(teacher.proba, proba, sample_weight=sample_weight),
    }


def _regression_metrics(y, entry, teacher, sample_weight):
    pred = np.asarray(entry.labels, dtype=np.float64)
    return {
        "rmse": float(root_mean_squared_error(y, pred, sample_weight=sample_weight)),
        "r2": float(r2_score(y, pred, sample_weight=sample_weight)),
        "fidelity_r2": float(
            teacher_r2_score(teacher.labels, pred, sample_weight=sample_weight)
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
    }
    if "onnx_size_bytes" in teacher:
        for ratio, key in zip(ONNX_RATIOS, ONNX_KEYS, strict=True):
            ratios[ratio] = teacher[key] / distilled[key]
    # a share of a score is meaningless when the teacher's is not positive
    ratios["score_kept"] = (
        distilled[metric] / teacher[metric] if teacher[metric] > 0 else float("nan")
    )
    if "baseline" in table:
        gap = teacher[metric] - table["baseline"][metric]
        ratios["gap_closed"] = (
            (distilled[metric] - table["baseline"][metric]) / gap
            if gap > 0
            else float("nan")
        )
    return ratios
