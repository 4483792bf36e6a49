"""Drawing held-out score and fidelity of a distilled student against temperature.

The values come from :func:`skdistill.metrics.temperature_curve` (which fits
the students) or from a search's ``cv_results_``; this module only draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..metrics._temperature_curve import temperature_curve
from ._base import axes_and_figure, check_matplotlib_support, line_style, prefixed


class TemperatureCurveDisplay:
    """Held-out score and fidelity of a distilled student against temperature.

    One solid line per ``alpha`` shows the held-out score against the
    temperature (on a log2 axis), and one dashed line of the same colour the
    fidelity, the student's agreement with its teacher, on a second y-axis
    to the right. For a :class:`~skdistill.DistilledRegressor`, which has no
    temperature, the x-axis is ``alpha`` instead and there is one line of
    each kind.

    Create it with :meth:`from_estimator` (which computes the values with
    :func:`skdistill.metrics.temperature_curve`) or :meth:`from_cv_results`
    (which reads a grid search); the constructor only stores the values,
    for instance the fields of a
    :class:`~skdistill.metrics.TemperatureCurve` computed beforehand.

    Parameters
    ----------
    temperatures : array-like of shape (n_temperatures,) or None
        The x-axis. ``None`` for a regressor: the x-axis is then ``alphas``.
    scores : array-like of shape (n_alphas, n_temperatures)
        Held-out scores, one row per alpha (a 1D array when ``alphas`` is
        None). Of shape ``(n_alphas,)`` when ``temperatures`` is None.
    fidelities : array-like of the same shape as ``scores``, default=None
        Fidelity to the teacher at each point; ``None`` draws none.
    alphas : array-like of shape (n_alphas,), default=None
        The alpha of each row of ``scores`` (or the x-axis when
        ``temperatures`` is None); ``None`` for a single unlabelled row.
    score_name : str, default="Score"
        Label of the score axis and lines.
    fidelity_name : str, default="Fidelity"
        Label of the fidelity axis and lines.
    name : str, default=None
        Prefix of every legend label (``"tree: Accuracy, alpha=0.5"``), to
        tell apart several displays drawn on the same axes.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the score lines.
    fidelity_ax_ : matplotlib Axes or None
        Twin axes (sharing the x-axis) with the fidelity lines and the
        legend; ``None`` without fidelities (the legend is then on ``ax_``,
        unless an earlier display drew a fidelity axes on it). Displays
        drawn on the same ``ax`` share one fidelity axes.
    figure_ : matplotlib Figure
        Figure containing the axes.
    score_lines_ : list of matplotlib Line2D
        One score line per alpha.
    fidelity_lines_ : list of matplotlib Line2D or None
        One fidelity line per alpha, ``None`` without fidelities.

    See Also
    --------
    skdistill.metrics.fidelity_score : Agreement of student and teacher.
    CompressionDisplay : Accuracy against model size or latency.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import train_test_split
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.plotting import TemperatureCurveDisplay
    >>> X, y = make_classification(n_samples=300, random_state=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = DistilledClassifier(
    ...     LGBMClassifier(n_estimators=20, verbose=-1, n_jobs=1),
    ...     LogisticRegression(),
    ... )
    >>> display = TemperatureCurveDisplay.from_estimator(
    ...     model, X_train, y_train, X_test, y_test, temperatures=[1, 2, 4]
    ... )
    >>> display.score_lines_[0].get_xdata().tolist()
    [1.0, 2.0, 4.0]
    >>> [line.get_label() for line in display.fidelity_lines_]
    ['Agreement with the teacher, alpha=0.5']
    >>> display.ax_.get_xlabel()
    'Temperature'
    """

    def __init__(
        self,
        temperatures: ArrayLike | None,
        scores: ArrayLike,
        fidelities: ArrayLike | None = None,
        *,
        alphas: ArrayLike | None = None,
        score_name: str = "Score",
        fidelity_name: str = "Fidelity",
        name: str | None = None,
    ) -> None:
        self.temperatures = temperatures
        self.scores = scores
        self.fidelities = fidelities
        self.alphas = alphas
        self.score_name = score_name
        self.fidelity_name = fidelity_name
        self.name = name

    def plot(
        self,
        ax: Any = None,
        *,
        fidelity_ax: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> TemperatureCurveDisplay:
        """Draw the score lines (and the fidelity lines on a twin y-axis).

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes of the score lines; ``None`` creates a new figure.
        fidelity_ax : matplotlib Axes, default=None
            Axes of the fidelity lines. ``None`` reuses the fidelity axes of
            a display already drawn on ``ax`` (so that several displays on
            one ``ax`` share one fidelity scale and one legend), and
            otherwise creates ``ax.twinx()``.
        name : str, default=None
            Prefix of the legend labels; ``None`` uses the display's
            ``name``.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every line.

        Returns
        -------
        display : TemperatureCurveDisplay
            This display, with ``ax_``, ``figure_`` and the lines set.
        """
        x, x_label, log2_axis, row_alphas, scores, fidelities = self._curves()
        self.ax_, self.figure_ = axes_and_figure(ax, f"{type(self).__name__}.plot")
        name = self.name if name is None else name

        self.score_lines_ = []
        for alpha, row in zip(row_alphas, scores, strict=True):
            label = prefixed(name, _label(self.score_name, alpha))
            style = line_style({"marker": "o", "label": label}, kwargs)
            self.score_lines_.extend(self.ax_.plot(x, row, **style))
        self.ax_.set_xlabel(x_label)
        self.ax_.set_ylabel(self.score_name)
        if log2_axis:
            from matplotlib.ticker import NullLocator

            self.ax_.set_xscale("log", base=2)
            self.ax_.set_xticks(x, labels=[f"{value:g}" for value in x])
            self.ax_.xaxis.set_minor_locator(NullLocator())

        legend_ax = self.ax_
        self.fidelity_ax_ = self.fidelity_lines_ = None
        twin = _fidelity_twin(self.ax_)  # of a display drawn on ax_ before
        if fidelities is not None:
            if fidelity_ax is None:
                fidelity_ax = self.ax_.twinx() if twin is None else twin
            self.fidelity_ax_ = twin = fidelity_ax
            setattr(self.ax_, _TWIN_ATTRIBUTE, fidelity_ax)
            self.fidelity_lines_ = []
            for alpha, row, score_line in zip(
                row_alphas, fidelities, self.score_lines_, strict=True
            ):
                label = prefixed(name, _label(self.fidelity_name, alpha))
                defaults = {
                    "marker": "s",
                    "linestyle": "--",
                    "color": score_line.get_color(),
                    "label": label,
                }
                style = line_style(defaults, kwargs)
                self.fidelity_lines_.extend(self.fidelity_ax_.plot(x, row, **style))
            self.fidelity_ax_.set_ylabel(self.fidelity_name)

        handles, labels = self.ax_.get_legend_handles_labels()
        if twin is not None:
            # one legend for both axes, on the twin, drawn on top of ax_
            more_handles, more_labels = twin.get_legend_handles_labels()
            handles, labels = handles + more_handles, labels + more_labels
            legend_ax = twin
            if self.ax_.get_legend() is not None:
                self.ax_.get_legend().remove()
        legend_ax.legend(handles, labels, loc="best")
        return self

    def _curves(self) -> tuple[Any, ...]:
        """x values, axis label, log scale, row alphas, scores and fidelities.

        ``scores`` and ``fidelities`` come back as 2D arrays, one row per
        line, after their shapes are checked against the x-axis.
        """
        alphas = None if self.alphas is None else np.asarray(self.alphas, dtype=float)
        if self.temperatures is None:
            if alphas is None:
                raise ValueError(
                    "TemperatureCurveDisplay needs temperatures or alphas for its "
                    "x-axis; both are None."
                )
            x = alphas
            x_label, log2_axis = "alpha (weight of the true labels)", False
            row_alphas = [None]
            expected: tuple[int, ...] = (alphas.size,)
        else:
            x = np.asarray(self.temperatures, dtype=float)
            x_label, log2_axis = "Temperature", True
            row_alphas = [None] if alphas is None else alphas.tolist()
            expected = (len(row_alphas), x.size)
        scores = _as_rows(self.scores, expected, "scores")
        fidelities = (
            None
            if self.fidelities is None
            else _as_rows(self.fidelities, expected, "fidelities")
        )
        return x, x_label, log2_axis, row_alphas, scores, fidelities

    @classmethod
    def from_estimator(
        cls,
        estimator: Any,
        X_train: ArrayLike,
        y_train: ArrayLike,
        X_test: ArrayLike,
        y_test: ArrayLike,
        *,
        temperatures: Sequence[float] | None = None,
        alphas: Sequence[float] | None = None,
        scoring: str | Any = None,
        sample_weight: ArrayLike | None = None,
        test_sample_weight: ArrayLike | None = None,
        score_name: str | None = None,
        name: str | None = None,
        ax: Any = None,
        **kwargs: Any,
    ) -> TemperatureCurveDisplay:
        """Plot the temperature curve of a distiller, fitting its students.

        The values are those of :func:`skdistill.metrics.temperature_curve`
        with the same arguments, which documents how they are computed: the
        teacher is fitted (or taken) once and frozen, and a student is
        fitted on ``(X_train, y_train)`` for each ``(alpha, temperature)``
        and scored on ``(X_test, y_test)``. The estimator's ``teacher_cv``
        is ignored with a warning, since a frozen teacher cannot be
        cross-fitted: to compare temperatures with out-of-fold soft
        targets, run :class:`~sklearn.model_selection.GridSearchCV` over
        ``temperature`` and ``alpha`` and plot it with
        :meth:`from_cv_results`.

        Parameters
        ----------
        estimator : DistilledClassifier, DistilledRegressor or Pipeline
            A distiller, fitted or not, or a Pipeline ending in one (its
            other steps are fitted once, or reused when fitted).
        X_train, y_train : array-like
            Training data of the students (and of the teacher unless it is
            reused).
        X_test, y_test : array-like
            Held-out data of the scores and fidelities.
        temperatures : sequence of float > 0, default=None
            The x-axis; ``None`` means ``(1, 2, 4, 8)``. A regressor has no
            temperature: its x-axis is ``alphas``, and passing temperatures
            is an error.
        alphas : sequence of float in [0, 1], default=None
            One line per alpha. ``None`` means the estimator's own alpha for
            a classifier and ``(0, 0.25, 0.5, 0.75, 1)`` for a regressor.
        scoring : str or callable, default=None
            A scikit-learn scorer name (``"neg_log_loss"``, ...) or a
            callable ``scorer(estimator, X, y)``; ``None`` uses the
            estimator's ``score``: accuracy for a classifier, R² for a
            regressor.
        sample_weight : array-like of shape (n_train_samples,), default=None
            Weights of the training rows, for the fit of each grid point's
            student (and of the teacher when it is fitted here), as
            ``estimator.fit(X_train, y_train, sample_weight=sample_weight)``
            would use them. A Pipeline's other steps are fitted without
            them.
        test_sample_weight : array-like of shape (n_test_samples,), \
default=None
            Weights of the held-out rows, in the fidelities and in the
            scores: passed as ``sample_weight`` to the scorer when it
            accepts one (scorers made by scikit-learn, and the estimator's
            ``score``); the scores of a callable without a
            ``sample_weight`` parameter are unweighted, with a warning.
        score_name : str, default=None
            Label of the scores; ``None`` names the scorer.
        name : str, default=None
            Prefix of the legend labels.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every line.

        Returns
        -------
        display : TemperatureCurveDisplay
            The plotted display. Fidelity is the share of test rows on
            which the student predicts the teacher's class (classifier),
            or the R² of the student's predictions against the teacher's
            (regressor).
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        curve = temperature_curve(
            estimator,
            X_train,
            y_train,
            X_test,
            y_test,
            temperatures=temperatures,
            alphas=alphas,
            scoring=scoring,
            sample_weight=sample_weight,
            test_sample_weight=test_sample_weight,
        )
        display = cls(
            curve.temperatures,
            curve.scores,
            curve.fidelities,
            alphas=curve.alphas,
            score_name=curve.score_name if score_name is None else score_name,
            fidelity_name=curve.fidelity_name,
            name=name,
        )
        return display.plot(ax=ax, **kwargs)

    @classmethod
    def from_cv_results(
        cls,
        cv_results: Mapping[str, Any],
        *,
        metric: str = "score",
        fidelity: str | None = "fidelity",
        param_prefix: str | None = None,
        score_name: str | None = None,
        name: str | None = None,
        ax: Any = None,
        **kwargs: Any,
    ) -> TemperatureCurveDisplay:
        """Plot the mean test scores of a search over temperature and alpha.

        ``cv_results`` is the ``cv_results_`` of
        :class:`~sklearn.model_selection.GridSearchCV` (or of any search
        with the same keys): ``param_temperature``, ``param_alpha`` and
        ``mean_test_<metric>``. Without a temperature parameter (a
        regressor's search) the x-axis is alpha; without an alpha parameter
        there is one line. When other parameters vary too, each point is
        the best mean test score over them (and the fidelity is that of the
        same candidate). A combination missing from the search leaves a gap.

        Parameters
        ----------
        cv_results : dict
            The search's ``cv_results_``.
        metric : str, default="score"
            The scores are ``cv_results["mean_test_<metric>"]``: ``"score"``
            for a single scorer, a scorer's name for several.
        fidelity : str or None, default="fidelity"
            When ``cv_results`` holds ``mean_test_<fidelity>`` (a search
            scored with ``scoring={..., "fidelity":
            skdistill.metrics.make_fidelity_scorer()}``), it is drawn as
            the fidelity; ``None`` never draws one.
        param_prefix : str, default=None
            Prefix of the distiller's parameters in the search, for example
            ``"distilledclassifier__"`` in a Pipeline. ``None`` finds
            ``param_temperature`` or the one ``param_<step>__temperature``
            (else ``alpha``) key, where ``<step>`` names the Pipeline steps
            down to the distiller: the parameters of its student, teacher
            or augmenter (``param_student__alpha`` of a Ridge student,
            ``param_<step>__student__alpha``, ...) are never taken for the
            distiller's.
        score_name : str, default=None
            Label of the scores; ``None`` gives ``"Mean test <metric>"``.
        name : str, default=None
            Prefix of the legend labels.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every line.

        Returns
        -------
        display : TemperatureCurveDisplay
            The plotted display.

        Examples
        --------
        >>> from lightgbm import LGBMClassifier
        >>> from sklearn.datasets import make_classification
        >>> from sklearn.linear_model import LogisticRegression
        >>> from sklearn.model_selection import GridSearchCV
        >>> from skdistill import DistilledClassifier
        >>> from skdistill.plotting import TemperatureCurveDisplay
        >>> X, y = make_classification(n_samples=200, random_state=0)
        >>> search = GridSearchCV(
        ...     DistilledClassifier(
        ...         LGBMClassifier(n_estimators=10, verbose=-1, n_jobs=1),
        ...         LogisticRegression(),
        ...     ),
        ...     {"temperature": [1, 4], "alpha": [0.0, 0.5]},
        ...     cv=2,
        ... ).fit(X, y)
        >>> display = TemperatureCurveDisplay.from_cv_results(search.cv_results_)
        >>> [line.get_label() for line in display.score_lines_]
        ['Mean test score, alpha=0', 'Mean test score, alpha=0.5']
        """
        check_matplotlib_support(f"{cls.__name__}.from_cv_results")
        score_key = f"mean_test_{metric}"
        if score_key not in cv_results:
            available = sorted(k for k in cv_results if k.startswith("mean_test_"))
            raise ValueError(
                f"cv_results has no {score_key!r} key; its mean test scores are "
                f"{available}. Pass metric=<scorer name> for a search with "
                "several scorers."
            )
        temperature_key, alpha_key = _param_keys(cv_results, param_prefix)
        fidelity_key = None
        if fidelity is not None and f"mean_test_{fidelity}" in cv_results:
            fidelity_key = f"mean_test_{fidelity}"

        score_column = np.asarray(cv_results[score_key], dtype=float)
        usable = np.ones(score_column.size, dtype=bool)
        columns = {}
        for key in (temperature_key, alpha_key):
            if key is not None:
                usable &= ~np.ma.getmaskarray(cv_results[key])
                columns[key] = np.ma.getdata(cv_results[key])
        rows = np.flatnonzero(usable)
        temperatures = alphas = None
        if temperature_key is not None:
            row_temperatures = columns[temperature_key][rows].astype(float)
            temperatures = np.unique(row_temperatures)
        if alpha_key is not None:
            row_alphas = columns[alpha_key][rows].astype(float)
            alphas = np.unique(row_alphas)

        shape = (
            1 if alphas is None else alphas.size,
            1 if temperatures is None else temperatures.size,
        )
        scores = np.full(shape, np.nan)
        fidelities = np.full(shape, np.nan)
        for position, row in enumerate(rows):
            i = 0 if alphas is None else np.searchsorted(alphas, row_alphas[position])
            j = (
                0
                if temperatures is None
                else np.searchsorted(temperatures, row_temperatures[position])
            )
            if np.isnan(scores[i, j]) or score_column[row] > scores[i, j]:
                scores[i, j] = score_column[row]
                if fidelity_key is not None:
                    fidelities[i, j] = float(cv_results[fidelity_key][row])

        display = cls(
            temperatures,
            scores if temperatures is not None else scores[:, 0],
            None
            if fidelity_key is None
            else (fidelities if temperatures is not None else fidelities[:, 0]),
            alphas=alphas,
            score_name=f"Mean test {metric}" if score_name is None else score_name,
            fidelity_name=f"Mean test {fidelity}",
            name=name,
        )
        return display.plot(ax=ax, **kwargs)


# The attribute of a score Axes holding the fidelity Axes drawn next to it.
_TWIN_ATTRIBUTE = "_skdistill_fidelity_ax"


def _fidelity_twin(ax: Any) -> Any:
    """The fidelity axes a display drew next to ``ax`` (if still in its figure)."""
    twin = getattr(ax, _TWIN_ATTRIBUTE, None)
    if twin is None or twin not in ax.figure.axes:
        return None
    return twin


def _label(base: str, alpha: float | None) -> str:
    return base if alpha is None else f"{base}, alpha={alpha:g}"


def _as_rows(
    values: ArrayLike, expected: tuple[int, ...], what: str
) -> NDArray[np.float64]:
    """``values`` as a 2D array of one row per line, or a shape error."""
    given = np.asarray(values, dtype=float)
    array = given
    if len(expected) == 2 and expected[0] == 1 and given.ndim == 1:
        array = given[np.newaxis, :]
    if array.shape != expected:
        raise ValueError(
            f"{what} must have shape {expected} (one row per alpha, one column "
            f"per temperature; one value per alpha without temperatures); got "
            f"shape {given.shape}."
        )
    return array if len(expected) == 2 else array[np.newaxis, :]


def _param_keys(
    cv_results: Mapping[str, Any], param_prefix: str | None
) -> tuple[str | None, str | None]:
    """The cv_results keys of the distiller's temperature and alpha (or None)."""
    if param_prefix is None:
        temperature_key = _find_param_key(cv_results, "temperature")
        if temperature_key is not None:
            param_prefix = temperature_key[len("param_") : -len("temperature")]
    if param_prefix is not None:
        keys = (f"param_{param_prefix}temperature", f"param_{param_prefix}alpha")
        temperature_key, alpha_key = (k if k in cv_results else None for k in keys)
    else:
        alpha_key = _find_param_key(cv_results, "alpha")
    if temperature_key is None and alpha_key is None:
        params = sorted(k for k in cv_results if k.startswith("param_"))
        raise ValueError(
            "cv_results holds no temperature or alpha parameter of a distiller "
            "(param_temperature, param_alpha, or param_<step>__temperature and "
            "param_<step>__alpha in a Pipeline; the parameters of its student, "
            "teacher or augment, such as param_student__alpha, are not the "
            f"distiller's); its parameters are {params}."
        )
    return temperature_key, alpha_key


# Parameters of a distiller holding estimators, whose own parameters (a Ridge
# student's alpha, ...) are never the distiller's temperature or alpha.
_NESTED = ("student", "teacher", "augment")


def _is_distiller_param(key: str, param: str) -> bool:
    """Whether ``key`` is ``param_<param>`` or ``param_<steps>__<param>``.

    The steps are those of a Pipeline down to the distiller: none of them is
    a student, a teacher or an augmenter (``student``, ``my_student``, ...).
    """
    if not key.startswith("param_"):
        return False
    *steps, last = key[len("param_") :].split("__")
    suffixes = tuple(f"_{name}" for name in _NESTED)
    return last == param and not any(
        step in _NESTED or step.endswith(suffixes) for step in steps
    )


def _find_param_key(cv_results: Mapping[str, Any], param: str) -> str | None:
    if f"param_{param}" in cv_results:
        return f"param_{param}"
    found = sorted(k for k in cv_results if _is_distiller_param(k, param))
    if len(found) > 1:
        raise ValueError(
            f"cv_results holds several {param} parameters, {found}; pass "
            "param_prefix to say which is the distiller's (for example "
            "param_prefix='distilledregressor__')."
        )
    return found[0] if found else None
