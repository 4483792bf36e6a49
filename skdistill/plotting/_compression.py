"""Compression trade-off: a model's quality against its size or latency.

The values come from a :class:`~skdistill.metrics.DistillationReport` or
from a compression search's results (its ``cv_results_``, ``frontier_``
and teacher's figures, read by :func:`search_frontiers`); this module only
draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import is_classifier
from sklearn.utils.validation import check_is_fitted

from ..compress import CompressedClassifierCV, CompressedRegressorCV, pareto_front
from ..metrics._report import METRICS, distillation_report
from ..metrics._temperature_curve import _scorer_name
from ._base import axes_and_figure, check_matplotlib_support, line_style, prefixed

COSTS = ("size_bytes", "latency_ms_1thread", "latency_ms_default")


class CompressionDisplay:
    """Quality against cost (size or latency) of a teacher and its students.

    One labelled point per model: its held-out accuracy (or any metric of a
    :class:`~skdistill.metrics.DistillationReport`) against its serialized
    size or prediction latency, on a log x-axis. A distilled student that
    sits left of the teacher and above its hard-label baseline is the
    trade-off distillation promises.

    A compression search (:meth:`from_search`) adds its frontiers: every
    student tried as a faint point, the Pareto frontier of the distilled
    students and that of their hard-label twins as step lines (the best
    score within each cost), the chosen student as a star, and the
    budget's quality floor and cost ceiling as lines.

    Create it with :meth:`from_estimator`, :meth:`from_report`,
    :meth:`from_reports` (several students of one teacher) or
    :meth:`from_search`; the constructor only stores the values.

    Parameters
    ----------
    models : sequence of str
        Name of each point, written next to it; each name once.
    costs : array-like of shape (n_models,)
        Values on the x-axis (positive: the axis is logarithmic).
    scores : array-like of shape (n_models,)
        Values on the y-axis. A NaN cost or score is an error when plotting,
        as in every value below.
    cost_name : str, default="Serialized size (bytes)"
        Label of the x-axis.
    score_name : str, default="Accuracy"
        Label of the y-axis.
    name : str, default=None
        Prefix of every label, to tell apart displays drawn on the same
        axes.
    students : tuple of two array-likes, default=None
        ``(costs, scores)`` of further students, drawn as faint unlabelled
        points (a search's students tried); ``None`` draws none.
    frontier : tuple of two array-likes, default=None
        ``(costs, scores)`` of the distilled students' frontier, from the
        cheapest up, drawn as a step line; ``None`` draws none.
    hard_label_frontier : tuple of two array-likes, default=None
        ``(costs, scores)`` of the hard-label twins' frontier, drawn as a
        second step line.
    chosen : str, default=None
        The model (one of ``models``) a search chose, drawn as a star and
        labelled ``"chosen: <model>"`` in the legend.
    min_score : float, default=None
        Quality floor of a budget, drawn as a horizontal line.
    max_cost : float, default=None
        Cost ceiling of a budget (in the x-axis' unit), drawn as a vertical
        line.

    Attributes
    ----------
    points_ : dict of str to matplotlib Line2D
        The marker of each model.
    annotations_ : dict of str to matplotlib Annotation
        The text next to each marker (empty when drawn with
        ``annotate=False``).
    students_ : matplotlib Line2D or None
        The faint points of ``students``.
    lines_ : dict of str to matplotlib Line2D
        The frontiers drawn: ``"distilled"`` (``frontier``) and
        ``"hard_label"`` (``hard_label_frontier``).
    budget_lines_ : dict of str to matplotlib Line2D
        The budget's lines drawn: ``"min_score"`` and ``"max_cost"``.
    ax_ : matplotlib Axes
        Axes with the points.
    figure_ : matplotlib Figure
        Figure containing the axes.

    See Also
    --------
    skdistill.metrics.distillation_report : The measurements behind the plot.
    skdistill.compress.CompressedClassifierCV : The search behind
        :meth:`from_search`.

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
        students: tuple[ArrayLike, ArrayLike] | None = None,
        frontier: tuple[ArrayLike, ArrayLike] | None = None,
        hard_label_frontier: tuple[ArrayLike, ArrayLike] | None = None,
        chosen: str | None = None,
        min_score: float | None = None,
        max_cost: float | None = None,
    ) -> None:
        self.models = models
        self.costs = costs
        self.scores = scores
        self.cost_name = cost_name
        self.score_name = score_name
        self.name = name
        self.students = students
        self.frontier = frontier
        self.hard_label_frontier = hard_label_frontier
        self.chosen = chosen
        self.min_score = min_score
        self.max_cost = max_cost

    def plot(
        self,
        ax: Any = None,
        *,
        name: str | None = None,
        annotate: bool = True,
        **kwargs: Any,
    ) -> CompressionDisplay:
        """Draw one annotated point per model, and the frontiers and budget.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        name : str, default=None
            Prefix of the labels; ``None`` uses the display's ``name``.
        annotate : bool, default=True
            Write each model's name next to its point.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every point of
            ``models``.

        Returns
        -------
        display : CompressionDisplay
            This display, with ``ax_``, ``figure_``, ``points_``,
            ``annotations_``, ``students_``, ``lines_`` and
            ``budget_lines_`` set.
        """
        models, costs, scores = self._points()
        students = _pair(self.students, "students")
        frontiers = {
            "distilled": _pair(self.frontier, "frontier"),
            "hard_label": _pair(self.hard_label_frontier, "hard_label_frontier"),
        }
        budget = {
            "min_score": _budget_value(self.min_score, "min_score"),
            "max_cost": _budget_value(self.max_cost, "max_cost"),
        }
        if self.chosen is not None and self.chosen not in models:
            raise ValueError(
                f"chosen={self.chosen!r} must be one of the models, {models}."
            )
        self.ax_, self.figure_ = axes_and_figure(ax, f"{type(self).__name__}.plot")
        name = self.name if name is None else name

        self.students_ = None
        if students is not None:
            (self.students_,) = self.ax_.plot(
                *students, **_STUDENT_STYLE, label=prefixed(name, "students tried")
            )
        self.lines_ = {}
        for key, values in frontiers.items():
            if values is not None:
                style = _FRONTIER_STYLES[key]
                label = prefixed(name, style["label"])
                (self.lines_[key],) = self.ax_.plot(
                    *values, **{**style, "label": label}
                )
        self._plot_points(models, costs, scores, name, annotate, kwargs)
        self.budget_lines_ = {}
        if budget["min_score"] is not None:
            self.budget_lines_["min_score"] = self.ax_.axhline(
                budget["min_score"],
                **_BUDGET_STYLE,
                label=prefixed(name, f"budget: score ≥ {budget['min_score']:.4g}"),
            )
        if budget["max_cost"] is not None:
            self.budget_lines_["max_cost"] = self.ax_.axvline(
                budget["max_cost"],
                **{**_BUDGET_STYLE, "linestyle": "-."},
                label=prefixed(name, f"budget: cost ≤ {budget['max_cost']:,.6g}"),
            )
        self.ax_.set_xscale("log")
        self.ax_.margins(x=0.15, y=0.1)  # room for the annotations
        self.ax_.set(xlabel=self.cost_name, ylabel=self.score_name)
        if students is not None or self.lines_ or self.budget_lines_:
            self.ax_.legend(loc="best", fontsize="small")
        return self

    def _points(self) -> tuple[list[str], NDArray[np.float64], NDArray[np.float64]]:
        """The models, costs and scores, checked: one each, each drawable."""
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
        return models, costs, scores

    def _plot_points(
        self,
        models: list[str],
        costs: NDArray[np.float64],
        scores: NDArray[np.float64],
        name: str | None,
        annotate: bool,
        kwargs: dict[str, Any],
    ) -> None:
        """One marker per model (a star for the chosen one), and its name."""
        self.points_, self.annotations_ = {}, {}
        for index, (model, cost, score) in enumerate(
            zip(models, costs, scores, strict=True)
        ):
            label = prefixed(name, model)
            defaults = {"marker": "o", "linestyle": "", "markersize": 8, "label": label}
            if model == self.chosen:
                chosen = prefixed(name, f"chosen: {model}")
                defaults.update(marker="*", markersize=16, zorder=3, label=chosen)
                if "distilled" in self.lines_:  # the colour of its frontier
                    defaults["color"] = self.lines_["distilled"].get_color()
            style = line_style(defaults, kwargs)
            (self.points_[model],) = self.ax_.plot([cost], [score], **style)
            if annotate:
                self.annotations_[model] = self.ax_.annotate(
                    label,
                    (cost, score),
                    textcoords="offset points",
                    # alternate above and below: neighbouring models (a
                    # baseline and its distilled twin) often sit on one spot
                    xytext=(6, 6) if index % 2 == 0 else (6, -12),
                    color=self.points_[model].get_color(),
                )

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

    @classmethod
    def from_search(
        cls,
        search: Any,
        *,
        cost: str = "size",
        annotate: bool = True,
        name: str | None = None,
        ax: Any = None,
        **kwargs: Any,
    ) -> CompressionDisplay:
        """Plot the frontiers of a compression search and its budget.

        Draws, quality (the search's mean cross-validated score) against
        cost on a log x-axis:

        - every student tried, as a faint point (one whose score is NaN is
          left out);
        - the frontier of the distilled students (``frontier_[cost]``: the
          students no other beats on score and cost at once) as a step
          line: the best score reached at each cost or less;
        - the frontier of their hard-label twins (the same students fit on
          the labels alone) as a second step line: where it lies below the
          first, distillation pays;
        - the teacher (its cross-validated score, the footprint of the
          first fold's teacher), labelled;
        - the chosen student (``best_index_``) as a star, annotated with
          its name (``"chosen: <name>"`` in the legend); a search whose
          ``fit`` raised :class:`~skdistill.compress.BudgetError` has none;
        - the budget: the quality floor ``min_score_`` (from ``keep`` or
          ``min_score``) as a horizontal line, and ``max_size`` (or
          ``max_latency``, in µs) as a vertical one, when set.

        The y-axis is named after the search's ``scoring`` (``"Accuracy"``
        or ``"R²"`` by default).

        Parameters
        ----------
        search : CompressedClassifierCV or CompressedRegressorCV
            A fitted search (or one whose ``fit`` raised ``BudgetError``).
        cost : {"size", "latency"}, default="size"
            The x-axis: ``"size"``, the pickled size of each student in
            bytes (``size_bytes``; of a hard-label twin,
            ``hard_label_size_bytes``); ``"latency"``, the time to predict
            one row on one thread, in µs (``predict_time_1row``; a twin,
            the same model fit on other targets, is given its student's).
        annotate : bool, default=True
            Write the teacher's and the chosen student's names next to
            their points.
        name : str, default=None
            Prefix of the labels.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for the teacher's
            and the chosen student's points.

        Returns
        -------
        display : CompressionDisplay
            The plotted display: ``points_`` holds ``"teacher"`` and the
            chosen student's name, ``lines_`` the ``"distilled"`` and
            ``"hard_label"`` frontiers, ``students_`` the students tried,
            ``budget_lines_`` the ``"min_score"`` and ``"max_cost"`` lines
            drawn.

        Examples
        --------
        >>> from lightgbm import LGBMClassifier
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.tree import DecisionTreeClassifier
        >>> from skdistill.compress import CompressedClassifierCV
        >>> from skdistill.plotting import CompressionDisplay
        >>> X, y = load_breast_cancer(return_X_y=True)
        >>> students = [
        ...     DecisionTreeClassifier(max_depth=d, random_state=0) for d in (1, 2, 3)
        ... ]
        >>> search = CompressedClassifierCV(
        ...     LGBMClassifier(n_estimators=30, verbose=-1, n_jobs=1),
        ...     students,
        ...     keep=0.95,
        ...     cv=3,
        ...     onnx=False,
        ...     latency_repeats=1,
        ... ).fit(X, y)
        >>> display = CompressionDisplay.from_search(search)
        >>> list(display.points_)
        ['teacher', 'DecisionTreeClassifier[max_depth=2]']
        >>> display.lines_["distilled"].get_xdata().tolist() == list(
        ...     search.cv_results_["size_bytes"][search.frontier_["size"]]
        ... )
        True
        >>> list(display.budget_lines_)
        ['min_score']
        >>> display.ax_.get_xlabel(), display.ax_.get_ylabel()
        ('Serialized size (bytes)', 'Accuracy')
        """
        check_matplotlib_support(f"{cls.__name__}.from_search")
        frontiers = search_frontiers(search, cost)
        models = ["teacher"]
        costs, scores = [frontiers.teacher_cost], [frontiers.teacher_score]
        chosen = None
        if frontiers.chosen is not None:
            chosen = str(frontiers.names[frontiers.chosen])
            models.append(chosen)
            costs.append(frontiers.costs[frontiers.chosen])
            scores.append(frontiers.scores[frontiers.chosen])
        tried = np.isfinite(frontiers.costs) & np.isfinite(frontiers.scores)
        display = cls(
            models,
            costs,
            scores,
            cost_name=frontiers.cost_name,
            score_name=frontiers.score_name,
            name=name,
            students=(frontiers.costs[tried], frontiers.scores[tried]),
            frontier=(
                frontiers.costs[frontiers.distilled],
                frontiers.scores[frontiers.distilled],
            ),
            hard_label_frontier=(
                frontiers.hard_label_costs[frontiers.hard_label],
                frontiers.hard_label_scores[frontiers.hard_label],
            ),
            chosen=chosen,
            min_score=frontiers.min_score,
            max_cost=frontiers.max_cost,
        )
        return display.plot(ax=ax, annotate=annotate, **kwargs)


def _check_cost(x: str) -> None:
    if x not in COSTS:
        raise ValueError(f"x must be one of {COSTS}; got {x!r}.")


def _axis_label(key: str, latency_rows: int) -> str:
    """The report's description of a metric, capitalized, as an axis label."""
    if key not in METRICS:
        return key
    text = METRICS[key][0].format(rows=f"{latency_rows:,}")
    return text[0].upper() + text[1:]


# What the cost of a search's plot reads: the column of the students and of
# their hard-label twins in cv_results_, the factor to the axis' unit, the
# axis label and the search's parameter of the cost ceiling (in seconds for
# the latency, as the column).
_SEARCH_COSTS = {
    "size": (
        "size_bytes",
        "hard_label_size_bytes",
        1.0,
        "Serialized size (bytes)",
        "max_size",
    ),
    "latency": (
        "predict_time_1row",
        "predict_time_1row",
        1e6,
        "Prediction time of one row, 1 thread (µs)",
        "max_latency",
    ),
}

_STUDENT_STYLE = {
    "marker": "o",
    "linestyle": "",
    "markersize": 4,
    "color": "0.55",
    "alpha": 0.5,
    "zorder": 1,
}
_FRONTIER_STYLES = {
    "distilled": {
        "label": "distilled frontier",
        "drawstyle": "steps-post",
        "marker": "o",
        "markersize": 5,
        "zorder": 2,
    },
    "hard_label": {
        "label": "hard-label frontier",
        "drawstyle": "steps-post",
        "linestyle": "--",
        "marker": "s",
        "markersize": 4,
        "zorder": 2,
    },
}
_BUDGET_STYLE = {"color": "0.3", "linestyle": ":", "linewidth": 1.2}


@dataclass(frozen=True)
class SearchFrontiers:
    """What :meth:`CompressionDisplay.from_search` draws, read off a search.

    Costs are in the axis' unit (bytes, or µs for the latency); indices
    point into the search's ``cv_results_``.
    """

    cost_name: str
    score_name: str
    names: NDArray[np.object_]
    costs: NDArray[np.float64]
    scores: NDArray[np.float64]
    distilled: NDArray[np.intp]
    hard_label_costs: NDArray[np.float64]
    hard_label_scores: NDArray[np.float64]
    hard_label: NDArray[np.intp]
    teacher_cost: float
    teacher_score: float
    chosen: int | None
    min_score: float | None
    max_cost: float | None


def search_frontiers(search: Any, cost: str = "size") -> SearchFrontiers:
    """The frontiers of a fitted compression search, against one cost.

    The distilled frontier is the search's ``frontier_[cost]``; the
    hard-label frontier is :func:`~skdistill.compress.pareto_front` of the
    twins' mean scores against their cost (their own pickled size, or for
    the latency their student's prediction time: a twin is the same model
    fit on other targets, and is not timed).

    Parameters
    ----------
    search : CompressedClassifierCV or CompressedRegressorCV
        A fitted search (or one whose ``fit`` raised ``BudgetError``, which
        has no chosen student).
    cost : {"size", "latency"}, default="size"
        Serialized size in bytes, or prediction time of one row in µs.

    Returns
    -------
    frontiers : SearchFrontiers
        The students' and twins' costs and scores, the frontiers' indices,
        the teacher's point, the chosen index and the budget's bounds.
    """
    if not isinstance(search, CompressedClassifierCV | CompressedRegressorCV):
        raise TypeError(
            "search must be a fitted CompressedClassifierCV or "
            f"CompressedRegressorCV; got {type(search).__name__}."
        )
    if cost not in _SEARCH_COSTS:
        raise ValueError(f"cost must be 'size' or 'latency'; got {cost!r}.")
    check_is_fitted(
        search,
        "cv_results_",
        msg=(
            "This %(name)s is not fitted yet: call fit before plotting its "
            "frontiers with CompressionDisplay.from_search."
        ),
    )
    column, twin_column, scale, cost_name, ceiling = _SEARCH_COSTS[cost]
    results = search.cv_results_
    costs = np.asarray(results[column], dtype=float) * scale
    if not np.isfinite(costs).any():
        raise ValueError(
            f"cost={cost!r} needs the students' prediction times, but the "
            "search measured none (latency_repeats=0). Plot cost='size', or "
            "fit the search with latency_repeats=1 or more."
        )
    scores = np.asarray(results["mean_test_score"], dtype=float)
    twin_costs = np.asarray(results[twin_column], dtype=float) * scale
    twin_scores = np.asarray(results["mean_hard_label_score"], dtype=float)
    max_cost = getattr(search, ceiling)
    best_index = getattr(search, "best_index_", None)
    return SearchFrontiers(
        cost_name=cost_name,
        score_name=_scorer_name(search.scoring, is_classifier(search)),
        names=np.asarray(results["student_name"], dtype=object),
        costs=costs,
        scores=scores,
        distilled=np.asarray(search.frontier_[cost], dtype=np.intp),
        hard_label_costs=twin_costs,
        hard_label_scores=twin_scores,
        hard_label=pareto_front(twin_costs, twin_scores),
        teacher_cost=float(search.teacher_footprint_[column]) * scale,
        teacher_score=float(search.teacher_score_),
        chosen=None if best_index is None else int(best_index),
        min_score=search.min_score_,
        max_cost=None if max_cost is None else float(max_cost) * scale,
    )


def _pair(
    values: tuple[ArrayLike, ArrayLike] | None, what: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """``(costs, scores)`` as two 1-d float arrays of one length, all finite."""
    if values is None:
        return None
    if len(values) != 2:
        raise ValueError(
            f"{what} must be a pair (costs, scores) of arrays; got {len(values)} "
            "arrays."
        )
    costs, scores = (np.asarray(v, dtype=float) for v in values)
    if costs.ndim != 1 or costs.shape != scores.shape:
        raise ValueError(
            f"{what} must be a pair (costs, scores) of 1-d arrays of one length; "
            f"got shapes {costs.shape} and {scores.shape}."
        )
    if not (np.isfinite(costs).all() and np.isfinite(scores).all()):
        raise ValueError(
            f"{what} holds values that are not finite (costs: {costs.tolist()}, "
            f"scores: {scores.tolist()}), so it cannot be drawn."
        )
    return costs, scores


def _budget_value(value: float | None, what: str) -> float | None:
    if value is None:
        return None
    if not np.isfinite(value):
        raise ValueError(f"{what} must be a finite number or None; got {value!r}.")
    return float(value)
