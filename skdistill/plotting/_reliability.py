"""Reliability diagram of a teacher, a baseline and a distilled student."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import is_regressor
from sklearn.calibration import calibration_curve
from sklearn.utils.validation import check_consistent_length, check_is_fitted

from ..metrics._outputs import teacher_proba, unwrap_distiller
from ._base import axes_and_figure, check_matplotlib_support, line_style, prefixed

KINDS = ("positive", "confidence")


class ReliabilityDisplay:
    """Reliability diagram (calibration curves) of several models on one axes.

    Each curve plots, per bin of predicted probability, the mean predicted
    probability (x) against the observed frequency (y); a calibrated model
    follows the diagonal. Like
    :class:`sklearn.calibration.CalibrationDisplay`, but for several models
    at once: typically the teacher, a baseline student trained on the
    labels alone, and the distilled student.

    Two readings:

    - ``kind="positive"``: the probability of one class (``pos_label``)
      against the fraction of rows of that class. The default for a binary
      problem, with the second class as positive.
    - ``kind="confidence"``: the confidence, the probability of the
      predicted (top) class, against the fraction of rows on which that
      class is right. The default for a multiclass problem.

    Create it with :meth:`from_estimator` or :meth:`from_predictions`; the
    constructor only stores the computed curves.

    Parameters
    ----------
    prob_true : dict of str to ndarray of shape (n_bins,)
        Per model, the observed frequency in each non-empty bin.
    prob_pred : dict of str to ndarray of shape (n_bins,)
        Per model, the mean predicted probability in each non-empty bin;
        same keys as ``prob_true``.
    kind : {"positive", "confidence"}, default="positive"
        Which probability the curves read (see above); sets the axis labels.
    pos_label : int, float, bool or str, default=None
        The positive class of ``kind="positive"``, shown in the axis labels.
    name : str, default=None
        Prefix of every legend label, to tell apart displays drawn on the
        same axes.

    Attributes
    ----------
    lines_ : dict of str to matplotlib Line2D
        The curve of each model.
    ax_ : matplotlib Axes
        Axes with the curves.
    figure_ : matplotlib Figure
        Figure containing the axes.

    See Also
    --------
    sklearn.calibration.CalibrationDisplay : One binary classifier's curve.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import train_test_split
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.plotting import ReliabilityDisplay
    >>> X, y = make_classification(n_samples=400, random_state=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = DistilledClassifier(
    ...     LGBMClassifier(n_estimators=20, verbose=-1, n_jobs=1),
    ...     LogisticRegression(),
    ... ).fit(X_train, y_train)
    >>> baseline = LogisticRegression().fit(X_train, y_train)
    >>> display = ReliabilityDisplay.from_estimator(
    ...     model, X_test, y_test, baseline=baseline, n_bins=5
    ... )
    >>> list(display.lines_)
    ['teacher', 'baseline', 'distilled']
    >>> display.ax_.get_xlabel()
    'Mean predicted probability (positive class: 1)'
    """

    def __init__(
        self,
        prob_true: Mapping[str, ArrayLike],
        prob_pred: Mapping[str, ArrayLike],
        *,
        kind: str = "positive",
        pos_label: Any = None,
        name: str | None = None,
    ) -> None:
        self.prob_true = prob_true
        self.prob_pred = prob_pred
        self.kind = kind
        self.pos_label = pos_label
        self.name = name

    def plot(
        self,
        ax: Any = None,
        *,
        name: str | None = None,
        ref_line: bool = True,
        **kwargs: Any,
    ) -> ReliabilityDisplay:
        """Draw one curve per model, and the diagonal.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        name : str, default=None
            Prefix of the legend labels; ``None`` uses the display's ``name``.
        ref_line : bool, default=True
            Draw the diagonal of a perfectly calibrated model (once per
            axes).
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every curve.

        Returns
        -------
        display : ReliabilityDisplay
            This display, with ``ax_``, ``figure_`` and ``lines_`` set.
        """
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}; got {self.kind!r}.")
        if set(self.prob_true) != set(self.prob_pred):
            raise ValueError(
                "prob_true and prob_pred must have the same models; got "
                f"{list(self.prob_true)} and {list(self.prob_pred)}."
            )
        self.ax_, self.figure_ = axes_and_figure(ax, f"{type(self).__name__}.plot")
        name = self.name if name is None else name

        ref_label = "Perfectly calibrated"
        if ref_line and ref_label not in self.ax_.get_legend_handles_labels()[1]:
            self.ax_.plot([0, 1], [0, 1], "k:", label=ref_label)
        self.lines_ = {}
        for model, prob_true in self.prob_true.items():
            style = line_style({"marker": "s", "label": prefixed(name, model)}, kwargs)
            (self.lines_[model],) = self.ax_.plot(
                self.prob_pred[model], prob_true, **style
            )

        if self.kind == "positive":
            suffix = (
                "" if self.pos_label is None else f" (positive class: {self.pos_label})"
            )
            x_label = f"Mean predicted probability{suffix}"
            y_label = f"Fraction of positives{suffix}"
        else:
            x_label = "Mean confidence (probability of the predicted class)"
            y_label = "Accuracy (fraction of predicted classes that are right)"
        self.ax_.set(xlabel=x_label, ylabel=y_label, xlim=(0, 1), ylim=(0, 1))
        self.ax_.legend(loc="lower right")
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true: ArrayLike,
        probas: Mapping[str, ArrayLike],
        *,
        classes: ArrayLike,
        n_bins: int = 10,
        strategy: str = "uniform",
        pos_label: Any = None,
        name: str | None = None,
        ax: Any = None,
        ref_line: bool = True,
        **kwargs: Any,
    ) -> ReliabilityDisplay:
        """Plot the reliability of several models' predicted probabilities.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            True labels, each one of ``classes``.
        probas : dict of str to array-like of shape (n_samples, n_classes)
            Per model (in legend order), its ``predict_proba`` output, one
            column per class of ``classes``.
        classes : array-like of shape (n_classes,)
            The class of each column.
        n_bins : int, default=10
            Number of bins of [0, 1].
        strategy : {"uniform", "quantile"}, default="uniform"
            Bins of equal width, or of equal counts (per model), as in
            :func:`sklearn.calibration.calibration_curve`.
        pos_label : int, float, bool or str, default=None
            The class whose probability the curves read (``kind="positive"``,
            one-vs-rest for a multiclass problem). ``None``: the second class
            of a binary problem; for a multiclass problem, the confidence
            (probability of the predicted class, ``kind="confidence"``).
        name : str, default=None
            Prefix of the legend labels.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        ref_line : bool, default=True
            Draw the diagonal of a perfectly calibrated model.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every curve.

        Returns
        -------
        display : ReliabilityDisplay
            The plotted display.

        Examples
        --------
        >>> from skdistill.plotting import ReliabilityDisplay
        >>> display = ReliabilityDisplay.from_predictions(
        ...     ["a", "b", "c", "a"],
        ...     {"student": [[0.8, 0.1, 0.1], [0.3, 0.6, 0.1],
        ...                  [0.5, 0.2, 0.3], [0.9, 0.05, 0.05]]},
        ...     classes=["a", "b", "c"],
        ...     n_bins=2,
        ... )
        >>> display.kind
        'confidence'
        >>> display.prob_true["student"].tolist()
        [0.0, 1.0]
        """
        check_matplotlib_support(f"{cls.__name__}.from_predictions")
        classes = np.asarray(classes)
        y_true = np.asarray(y_true)
        if classes.ndim != 1 or classes.size < 2:
            raise ValueError(
                f"classes must list at least two classes; got {classes.tolist()!r}."
            )
        if not probas:
            raise ValueError("probas must hold at least one model's probabilities.")
        known = set(classes.tolist())
        unknown = [label for label in np.unique(y_true).tolist() if label not in known]
        if unknown:
            raise ValueError(
                f"y_true contains labels {unknown[:10]} that are not in classes "
                f"{classes.tolist()[:10]}; classes must name the labels of y_true, "
                "one per column of the probabilities, in the same order."
            )
        if pos_label is None and classes.size == 2:
            pos_label = classes[1]
        if pos_label is not None and pos_label not in classes.tolist():
            raise ValueError(
                f"pos_label={pos_label!r} is not one of the classes {classes.tolist()}."
            )
        kind = "confidence" if pos_label is None else "positive"

        prob_true, prob_pred = {}, {}
        for model, proba in probas.items():
            proba = _check_proba(proba, classes, model)
            check_consistent_length(y_true, proba)
            hit, probability = _reading(y_true, proba, classes, pos_label)
            prob_true[model], prob_pred[model] = calibration_curve(
                hit, probability, n_bins=n_bins, strategy=strategy, pos_label=1
            )
        display = cls(prob_true, prob_pred, kind=kind, pos_label=pos_label, name=name)
        return display.plot(ax=ax, ref_line=ref_line, **kwargs)

    @classmethod
    def from_estimator(
        cls,
        model: Any,
        X: ArrayLike,
        y: ArrayLike,
        *,
        baseline: Any = None,
        n_bins: int = 10,
        strategy: str = "uniform",
        pos_label: Any = None,
        name: str | None = None,
        ax: Any = None,
        ref_line: bool = True,
        **kwargs: Any,
    ) -> ReliabilityDisplay:
        """Plot the reliability of a distiller's teacher and student (and a baseline).

        The curves are ``"teacher"`` (the teacher's probabilities at
        temperature 1, in ``model.classes_`` order), ``"baseline"`` when
        given, and ``"distilled"`` (``model.predict_proba``).

        Parameters
        ----------
        model : DistilledClassifier or Pipeline
            A fitted distilled classifier, or a fitted Pipeline ending in one,
            whose student has ``predict_proba`` (wrap one without in
            :class:`~sklearn.calibration.CalibratedClassifierCV`).
        X : array-like of shape (n_samples, n_features)
            Held-out data, as ``model`` takes it.
        y : array-like of shape (n_samples,)
            True labels.
        baseline : classifier, default=None
            A fitted classifier with ``predict_proba`` on the same classes
            (for example the student trained on the labels alone), given
            ``X`` as is.
        n_bins : int, default=10
            Number of bins of [0, 1].
        strategy : {"uniform", "quantile"}, default="uniform"
            Bins of equal width, or of equal counts.
        pos_label : int, float, bool or str, default=None
            See :meth:`from_predictions`: ``None`` reads the second class of
            a binary problem and the confidence of a multiclass one.
        name : str, default=None
            Prefix of the legend labels.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        ref_line : bool, default=True
            Draw the diagonal of a perfectly calibrated model.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every curve.

        Returns
        -------
        display : ReliabilityDisplay
            The plotted display.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        if is_regressor(model):
            raise ValueError(
                "A reliability diagram needs class probabilities, but "
                f"{type(model).__name__} is a regressor. Use a DistilledClassifier."
            )
        distiller, X_model = unwrap_distiller(model, X, name="model")
        if not hasattr(model, "predict_proba"):
            student = type(distiller.student_).__name__
            raise ValueError(
                f"The distilled student {student} has no predict_proba, so it has "
                "no probabilities to draw a reliability diagram of. Give it "
                "calibrated probabilities by wrapping it in "
                f"sklearn.calibration.CalibratedClassifierCV({student}(...)) as "
                "the student."
            )
        probas = {"teacher": teacher_proba(distiller, X_model)}
        if baseline is not None:
            probas["baseline"] = _baseline_proba(baseline, X, distiller.classes_)
        probas["distilled"] = model.predict_proba(X)
        return cls.from_predictions(
            y,
            probas,
            classes=distiller.classes_,
            n_bins=n_bins,
            strategy=strategy,
            pos_label=pos_label,
            name=name,
            ax=ax,
            ref_line=ref_line,
            **kwargs,
        )


def _check_proba(
    proba: ArrayLike, classes: NDArray[Any], model: str
) -> NDArray[np.float64]:
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or proba.shape[1] != classes.size:
        raise ValueError(
            f"The probabilities of {model!r} must have one column per class "
            f"({classes.size}); got shape {proba.shape}."
        )
    return proba


def _reading(
    y_true: NDArray[Any],
    proba: NDArray[np.float64],
    classes: NDArray[Any],
    pos_label: Any,
) -> tuple[NDArray[np.int_], NDArray[np.float64]]:
    """Per row, whether the event happened (0/1) and its predicted probability.

    The event is "the row is of class ``pos_label``", or, with
    ``pos_label=None``, "the predicted class is right".
    """
    if pos_label is None:
        top = proba.argmax(axis=1)
        return (classes[top] == y_true).astype(int), proba[np.arange(len(top)), top]
    column = classes.tolist().index(pos_label)
    return (y_true == pos_label).astype(int), proba[:, column]


def _baseline_proba(
    baseline: Any, X: Any, classes: NDArray[Any]
) -> NDArray[np.float64]:
    """The baseline's probabilities, columns in the order of ``classes``."""
    check_is_fitted(baseline)
    if not hasattr(baseline, "predict_proba"):
        raise ValueError(
            f"baseline must have predict_proba; {type(baseline).__name__} has not. "
            "Wrap it in sklearn.calibration.CalibratedClassifierCV for calibrated "
            "probabilities."
        )
    baseline_classes = np.asarray(baseline.classes_).tolist()
    if sorted(baseline_classes) != sorted(classes.tolist()):
        raise ValueError(
            f"baseline was fitted on the classes {baseline_classes}, but the model "
            f"has the classes {classes.tolist()}; both must know the same classes."
        )
    order = [baseline_classes.index(c) for c in classes.tolist()]
    return np.asarray(baseline.predict_proba(X), dtype=float)[:, order]
