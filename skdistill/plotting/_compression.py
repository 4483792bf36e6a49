"""Compression trade-off: a model's quality against its size or latency."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..metrics._report import METRICS, distillation_report
from ._base import axes_and_figure, check_matplotlib_support, line_style, prefixed

COSTS = ("size_bytes", "latency_ms_1thread", "latency_ms_default")


class CompressionDisplay:
    """Quality against cost (size or latency) of a teacher and its students.

    One labelled point per model: its held-out accuracy (or any metric of a
    :class:`~skdistill.metrics.DistillationReport`) against its serialized
    size or prediction latency, on a log x-axis. A distilled student that
    sits left of the teacher and above its hard-label baseline is the
    trade-off distillation promises.

    Create it with :meth:`from_estimator`, :meth:`from_report` or
    :meth:`from_reports` (several students of one teacher); the constructor
    only stores the values.

    Parameters
    ----------
    models : sequence of str
        Name of each point, written next to it; each name once.
    costs : array-like of shape (n_models,)
        Values on the x-axis (positive: the axis is logarithmic).
    scores : array-like of shape (n_models,)
        Values on the y-axis. A NaN cost or score is an error when plotting.
    cost_name : str, default="Serialized size (bytes)"
        Label of the x-axis.
    score_name : str, default="Accuracy"
        Label of the y-axis.
    name : str, default=None
        Prefix of every point's label, to tell apart displays drawn on the
        same axes.

    Attributes
    ----------
    points_ : dict of str to matplotlib Line2D
        The marker of each model.
    annotations_ : dict of str to matplotlib Annotation
        The text next to each marker.
    ax_ : matplotlib Axes
        Axes with the points.
    figure_ : matplotlib Figure
        Figure containing the axes.

    See Also
    --------
    skdistill.metrics.distillation_report : The measurements behind the plot.

    Examples
    --------
    >>> from skdistill.plotting import CompressionDisplay
    >>> display = CompressionDisplay(
    ...     ["teacher", "distilled"], [250_000, 1_200], [0.95, 0.93]
    ... ).plot()
    >>> [text.get_text() for text in display.annotations_.values()]
    ['teacher', 'distilled']
    >>> display.ax_.get_xscale()
    'log'
    """

    def __init__(
        self,
        models: Sequence[str],
        costs: ArrayLike,
        scores: ArrayLike,
        *,
        cost_name: str = "Serialized size (bytes)",
        score_name: str = "Accuracy",
        name: str | None = None,
    ) -> None:
        self.models = models
        self.costs = costs
        self.scores = scores
        self.cost_name = cost_name
        self.score_name = score_name
        self.name = name

    def plot(
        self, ax: Any = None, *, name: str | None = None, **kwargs: Any
    ) -> CompressionDisplay:
        """Draw one annotated point per model.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        name : str, default=None
            Prefix of the labels; ``None`` uses the display's ``name``.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every point.

        Returns
        -------
        display : CompressionDisplay
            This display, with ``ax_``, ``figure_``, ``points_`` and
            ``annotations_`` set.
        """
        models = list(self.models)
        costs = np.asarray(self.costs, dtype=float)
        scores = np.asarray(self.scores, dtype=float)
        if not (costs.shape == scores.shape == (len(models),)):
            raise ValueError(
                "models, costs and scores must have one entry per model; got "
                f"{len(models)} models, costs of shape {costs.shape} and scores "
                f"of shape {scores.shape}."
            )
        repeated = sorted({m for m in models if models.count(m) > 1}, key=str)
        if repeated:
            raise ValueError(
                f"models must name each point once; {repeated} appear several "
                "times, and points_ and annotations_ are keyed by name."
            )
        for model, cost, score in zip(models, costs, scores, strict=True):
            if not (np.isfinite(cost) and np.isfinite(score)):
                raise ValueError(
                    f"The point of {model!r} is not finite ({self.cost_name}: "
                    f"{cost}, {self.score_name}: {score}), so it cannot be drawn."
                )
        self.ax_, self.figure_ = axes_and_figure(ax, f"{type(self).__name__}.plot")
        name = self.name if name is None else name

        self.points_, self.annotations_ = {}, {}
        for index, (model, cost, score) in enumerate(
            zip(models, costs, scores, strict=True)
        ):
            label = prefixed(name, model)
            style = line_style(
                {"marker": "o", "linestyle": "", "markersize": 8, "label": label},
                kwargs,
            )
            (self.points_[model],) = self.ax_.plot([cost], [score], **style)
            self.annotations_[model] = self.ax_.annotate(
                label,
                (cost, score),
                textcoords="offset points",
                # alternate above and below: neighbouring models (a baseline
                # and its distilled twin) often sit on the same spot
                xytext=(6, 6) if index % 2 == 0 else (6, -12),
                color=self.points_[model].get_color(),
            )
        self.ax_.set_xscale("log")
        self.ax_.margins(x=0.15, y=0.1)  # room for the annotations
        self.ax_.set(xlabel=self.cost_name, ylabel=self.score_name)
        return self

    @classmethod
    def from_report(
        cls,
        report: Any,
        *,
        x: str = "size_bytes",
        metric: str | None = None,
        name: str | None = None,
        ax: Any = None,
        **kwargs: Any,
    ) -> CompressionDisplay:
        """Plot the models of a distillation report.

        Parameters
        ----------
        report : DistillationReport
            From :func:`~skdistill.metrics.distillation_report`; its models
            (``"teacher"``, ``"baseline"`` if any, ``"distilled"``) are the
            points.
        x : {"size_bytes", "latency_ms_1thread", "latency_ms_default"}, \
default="size_bytes"
            The cost on the x-axis: serialized size, or the median time to
            predict the report's latency rows with one thread or the default
            number of threads.
        metric : str, default=None
            The report's metric on the y-axis (``"log_loss"``,
            ``"roc_auc"``, ``"rmse"``, ...); ``None`` is its primary metric,
            accuracy or R². A metric that is NaN for a model is an error:
            ``log_loss``, ``roc_auc`` and ``kl_divergence`` need a model
            with ``predict_proba``, and ``roc_auc`` rows of several classes.
        name : str, default=None
            Prefix of the labels.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every point.

        Returns
        -------
        display : CompressionDisplay
            The plotted display.
        """
        return cls.from_reports(
            [report], names=[None], x=x, metric=metric, name=name, ax=ax, **kwargs
        )

    @classmethod
    def from_reports(
        cls,
        reports: Sequence[Any],
        *,
        names: Sequence[str | None] | None = None,
        x: str = "size_bytes",
        metric: str | None = None,
        name: str | None = None,
        ax: Any = None,
        **kwargs: Any,
    ) -> CompressionDisplay:
        """Plot several students of one teacher, one report each.

        The teacher's point comes from the first report; each report adds
        its ``"baseline (<name>)"`` (when it has one) and
        ``"distilled (<name>)"`` points.

        Parameters
        ----------
        reports : sequence of DistillationReport
            Reports of students of the same teacher on the same rows.
        names : sequence of str, default=None
            One distinct name per report (``"tree"``, ``"logistic"``, ...);
            ``None`` gives ``"student 1"``, ``"student 2"``, ... A name of
            ``None`` leaves the points of a single report unsuffixed, and
            is ``"student <i>"`` for the i-th of several reports.
        x : {"size_bytes", "latency_ms_1thread", "latency_ms_default"}, \
default="size_bytes"
            The cost on the x-axis, see :meth:`from_report`.
        metric : str, default=None
            The metric on the y-axis; ``None`` is the reports' primary
            metric. A metric that is NaN for a model (see
            :meth:`from_report`) is an error naming the model.
        name : str, default=None
            Prefix of the labels.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every point.

        Returns
        -------
        display : CompressionDisplay
            The plotted display.
        """
        check_matplotlib_support(f"{cls.__name__}.from_reports")
        _check_cost(x)
        reports = list(reports)
        if not reports:
            raise ValueError("reports must hold at least one DistillationReport.")
        if names is None:
            names = [f"student {i}" for i in range(1, len(reports) + 1)]
        names = list(names)
        if len(names) != len(reports):
            raise ValueError(
                f"names must give one name per report; got {len(names)} names "
                f"for {len(reports)} reports."
            )
        if len(names) > 1:
            names = [
                f"student {i}" if student is None else student
                for i, student in enumerate(names, start=1)
            ]
            repeated = sorted({n for n in names if names.count(n) > 1}, key=str)
            if repeated:
                raise ValueError(
                    f"names must tell the reports apart; {repeated} name several "
                    f"reports (names: {names})."
                )
        tasks = sorted({report.task for report in reports})
        if len(tasks) > 1:
            raise ValueError(
                f"The reports must all be of one task; got {tasks}. A classifier "
                "and a regressor cannot share a metric axis."
            )
        first = reports[0]
        metric = first.primary_metric if metric is None else metric
        available = list(first.models["teacher"])
        if metric not in available:
            raise ValueError(
                f"metric={metric!r} is not in the report; its metrics are {available}."
            )

        points = [("teacher", first.models["teacher"])]
        for report, student in zip(reports, names, strict=True):
            for role in ("baseline", "distilled"):
                if role in report.models:
                    label = role if student is None else f"{role} ({student})"
                    points.append((label, report.models[role]))
        for label, row in points:
            if not np.isfinite(row[metric]):
                defined = [
                    key
                    for key in available
                    if key not in COSTS and all(np.isfinite(r[key]) for _, r in points)
                ]
                raise ValueError(
                    f"metric={metric!r} is NaN for the {label!r} model, which "
                    "would leave it off the plot (log_loss, roc_auc and "
                    "kl_divergence need a model with predict_proba; roc_auc "
                    "needs rows of several classes). Plot another metric: "
                    f"{defined}."
                )
        display = cls(
            [label for label, _ in points],
            [row[x] for _, row in points],
            [row[metric] for _, row in points],
            cost_name=_axis_label(x, first.latency_rows),
            score_name=_axis_label(metric, first.latency_rows),
            name=name,
        )
        return display.plot(ax=ax, **kwargs)

    @classmethod
    def from_estimator(
        cls,
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
        random_state: Any = 0,
        x: str = "size_bytes",
        metric: str | None = None,
        name: str | None = None,
        ax: Any = None,
        **kwargs: Any,
    ) -> CompressionDisplay:
        """Measure a fitted distiller with a distillation report, then plot it.

        Parameters
        ----------
        model : DistilledClassifier, DistilledRegressor or Pipeline
            The fitted distiller (or a Pipeline ending in one).
        X, y : array-like
            Held-out rows and their targets.
        X_train, y_train : array-like, default=None
            Training data of the hard-label baseline that the report fits
            (the same student with ``alpha=1``); without them and without
            ``baseline`` there is no baseline point.
        baseline : fitted estimator, default=None
            A baseline fitted beforehand.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the held-out rows in the quality metrics.
        fit_params : dict, default=None
            Parameters of the baseline's ``fit``, for instance
            ``{"sample_weight": w_train}`` when the model was fitted with
            weights; needs ``X_train`` and ``y_train``.
        n_repeats : int, default=5
            Timed calls per latency measurement.
        latency_rows : int, default=1000
            Rows per timed call.
        random_state : int, RandomState instance or None, default=0
            Draw of the timed rows.
        x : {"size_bytes", "latency_ms_1thread", "latency_ms_default"}, \
default="size_bytes"
            The cost on the x-axis, see :meth:`from_report`.
        metric : str, default=None
            The metric on the y-axis; ``None`` is accuracy or R².
        name : str, default=None
            Prefix of the labels.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every point.

        Returns
        -------
        display : CompressionDisplay
            The plotted display.

        Examples
        --------
        >>> from lightgbm import LGBMClassifier
        >>> from sklearn.datasets import make_classification
        >>> from sklearn.model_selection import train_test_split
        >>> from sklearn.tree import DecisionTreeClassifier
        >>> from skdistill import DistilledClassifier
        >>> from skdistill.plotting import CompressionDisplay
        >>> X, y = make_classification(n_samples=400, random_state=0)
        >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        >>> model = DistilledClassifier(
        ...     LGBMClassifier(n_estimators=50, verbose=-1, n_jobs=1),
        ...     DecisionTreeClassifier(max_depth=4, random_state=0),
        ... ).fit(X_train, y_train)
        >>> display = CompressionDisplay.from_estimator(
        ...     model, X_test, y_test, X_train=X_train, y_train=y_train,
        ...     n_repeats=1, latency_rows=100,
        ... )
        >>> list(display.points_)
        ['teacher', 'baseline', 'distilled']
        >>> display.ax_.get_xlabel()
        'Serialized size (bytes)'
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        _check_cost(x)
        report = distillation_report(
            model,
            X,
            y,
            X_train=X_train,
            y_train=y_train,
            baseline=baseline,
            sample_weight=sample_weight,
            fit_params=fit_params,
            n_repeats=n_repeats,
            latency_rows=latency_rows,
            random_state=random_state,
        )
        return cls.from_report(report, x=x, metric=metric, name=name, ax=ax, **kwargs)


def _check_cost(x: str) -> None:
    if x not in COSTS:
        raise ValueError(f"x must be one of {COSTS}; got {x!r}.")


def _axis_label(key: str, latency_rows: int) -> str:
    """The report's description of a metric, capitalized, as an axis label."""
    if key not in METRICS:
        return key
    text = METRICS[key][0].format(rows=f"{latency_rows:,}")
    return text[0].upper() + text[1:]
