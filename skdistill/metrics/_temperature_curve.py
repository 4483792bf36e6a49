"""Held-out score and fidelity of a distilled student against the temperature.

:func:`temperature_curve` computes what
:meth:`skdistill.plotting.TemperatureCurveDisplay.from_estimator` draws, as
:func:`sklearn.model_selection.validation_curve` computes what
:class:`~sklearn.model_selection.ValidationCurveDisplay` draws. The teacher is
fitted (or taken) once and frozen; the students of the grid are then fitted
by :func:`skdistill._search.score_candidates`, the sweep of the distillers'
own searches, on the frozen teacher's outputs read once.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import check_scoring
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .._base import prepare, teach
from .._classifier import DistilledClassifier
from .._fit_params import _caller_stacklevel, scorer_accepts_sample_weight
from .._regressor import DistilledRegressor
from .._search import DistilledClassifierCV, DistilledRegressorCV, score_candidates
from .._teacher import is_frozen
from .._validation import check_grid_values, final_estimator
from ._fidelity import fidelity_score, teacher_r2_score

__all__ = ["TemperatureCurve", "temperature_curve"]

DEFAULT_TEMPERATURES = (1.0, 2.0, 4.0, 8.0)
DEFAULT_REGRESSION_ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True, eq=False)
class TemperatureCurve:
    """Held-out scores and fidelities of students fitted over temperature and alpha.

    Made by :func:`temperature_curve`; drawn by
    :class:`~skdistill.plotting.TemperatureCurveDisplay`, whose constructor
    takes these fields.

    Attributes
    ----------
    temperatures : ndarray of shape (n_temperatures,) or None
        The temperatures; ``None`` for a
        :class:`~skdistill.DistilledRegressor`, which has none (its curve is
        against ``alphas``).
    alphas : ndarray of shape (n_alphas,)
        The alphas: one curve each, or the x-axis of a regressor's curve.
    scores : ndarray of shape (n_alphas, n_temperatures) or (n_alphas,)
        Held-out score of the student at each ``(alpha, temperature)``; one
        per alpha for a regressor.
    fidelities : ndarray of the same shape as ``scores``
        The student's fidelity to the teacher on the held-out rows: the
        share of rows on which it predicts the teacher's class
        (:func:`fidelity_score`), or the R² of its predictions against the
        teacher's (:func:`teacher_r2_score`) for a regressor.
    fit_times : ndarray of the same shape as ``scores``
        Seconds taken by each student's fit (the teacher's, shared by all,
        is not included).
    score_name : str
        Name of the score: ``"Accuracy"`` or ``"R²"`` (the estimator's own
        ``score``), the scorer's name, or ``"Score"`` for a callable.
    fidelity_name : str
        Name of the fidelity: ``"Agreement with the teacher"`` or ``"R²
        against the teacher"``.
    """

    temperatures: NDArray[np.float64] | None
    alphas: NDArray[np.float64]
    scores: NDArray[np.float64]
    fidelities: NDArray[np.float64]
    fit_times: NDArray[np.float64]
    score_name: str
    fidelity_name: str


def temperature_curve(
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
) -> TemperatureCurve:
    """Score one student per temperature and alpha, on one frozen teacher.

    The teacher is fitted once: a fitted estimator's ``teacher_`` is
    reused, a teacher wrapped in :class:`~sklearn.frozen.FrozenEstimator`
    is used as is, and otherwise the estimator's teacher is fitted on
    ``(X_train, y_train)`` as the estimator's ``fit`` would fit it. It is
    then frozen and read once on the training rows; for each ``(alpha,
    temperature)`` a student is fitted on these outputs, as a clone of the
    estimator with the frozen teacher would be by ``fit(X_train, y_train)``,
    and scored on ``(X_test, y_test)``. At ``alpha=1`` a student that is its
    hard-label twin is the same at every temperature: it is fitted once.

    The soft targets are therefore the frozen teacher's in-sample outputs:
    the estimator's ``teacher_cv`` (out-of-fold soft targets) is ignored
    with a warning, since a frozen teacher cannot be cross-fitted. To
    compare temperatures with out-of-fold targets, run
    :class:`~sklearn.model_selection.GridSearchCV` over ``temperature`` and
    ``alpha`` and plot it with
    :meth:`~skdistill.plotting.TemperatureCurveDisplay.from_cv_results`.

    Parameters
    ----------
    estimator : DistilledClassifier, DistilledRegressor or Pipeline
        A distiller, fitted or not, or a Pipeline ending in one (its other
        steps are fitted once on ``X_train``, or reused when the distiller
        is fitted).
    X_train, y_train : array-like
        Training data of the students (and of the teacher unless it is
        reused).
    X_test, y_test : array-like
        Held-out data of the scores and fidelities.
    temperatures : sequence of float > 0, default=None
        The temperatures; ``None`` means ``(1, 2, 4, 8)``. A regressor has
        no temperature: its curve is against ``alphas``, and passing
        temperatures is an error.
    alphas : sequence of float in [0, 1], default=None
        One curve per alpha. ``None`` means the estimator's own alpha for a
        classifier and ``(0, 0.25, 0.5, 0.75, 1)`` for a regressor.
    scoring : str or callable, default=None
        A scikit-learn scorer name (``"neg_log_loss"``, ...) or a callable
        ``scorer(estimator, X, y)``; ``None`` uses the estimator's
        ``score``: accuracy for a classifier, R² for a regressor.
    sample_weight : array-like of shape (n_train_samples,), default=None
        Weights of the training rows, for the fit of each student (and of
        the teacher when it is fitted here), as ``estimator.fit(X_train,
        y_train, sample_weight=sample_weight)`` would use them. A
        Pipeline's other steps are fitted without them.
    test_sample_weight : array-like of shape (n_test_samples,), default=None
        Weights of the held-out rows, in the fidelities and in the scores:
        passed as ``sample_weight`` to the scorer when it accepts one
        (scorers made by scikit-learn, and the estimator's ``score``); the
        scores of a callable without a ``sample_weight`` parameter are
        unweighted, with a warning.

    Returns
    -------
    curve : TemperatureCurve
        The temperatures, alphas, scores and fidelities.

    See Also
    --------
    skdistill.plotting.TemperatureCurveDisplay.from_estimator : Draws it.
    skdistill.DistilledClassifierCV : Chooses temperature and alpha by
        cross-validation, with the same sweep on each fold.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import train_test_split
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.metrics import temperature_curve
    >>> X, y = make_classification(n_samples=300, random_state=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = DistilledClassifier(
    ...     LogisticRegression(C=10.0), LogisticRegression(C=0.01)
    ... )
    >>> curve = temperature_curve(
    ...     model, X_train, y_train, X_test, y_test,
    ...     temperatures=[1, 4], alphas=[0.0, 1.0],
    ... )
    >>> curve.scores.shape
    (2, 2)
    >>> curve.score_name, curve.fidelity_name
    ('Accuracy', 'Agreement with the teacher')
    >>> bool(curve.scores[1, 0] == curve.scores[1, 1])  # alpha=1: the twin
    True
    """
    distiller, preprocessing = _split_pipeline(estimator)
    classifier = isinstance(distiller, DistilledClassifier)
    temperatures, alphas = _check_grid(distiller, temperatures, alphas)
    scorer = _score_scorer(distiller, scoring, test_sample_weight)
    fitted = _is_fitted(distiller)
    X_train, X_test = _preprocess(preprocessing, fitted, X_train, y_train, X_test)
    if distiller.teacher_cv is not None:
        warnings.warn(
            "The curve uses the teacher's in-sample outputs: "
            f"teacher_cv={distiller.teacher_cv!r} "
            "is ignored, because the teacher is fitted once and frozen, and a "
            "frozen teacher cannot be cross-fitted. To compare temperatures "
            "with out-of-fold soft targets, run GridSearchCV over temperature "
            "and alpha and use TemperatureCurveDisplay.from_cv_results.",
            UserWarning,
            stacklevel=_caller_stacklevel(),
        )
    teacher = _frozen_teacher(distiller, fitted, X_train, y_train, sample_weight)
    base = clone(distiller).set_params(teacher=teacher, teacher_cv=None)

    # The sweep of the searches: the frozen teacher read once on the
    # training rows, then one student per (alpha, temperature).
    setup, rows = prepare(base, X_train, y_train, sample_weight, {})
    transfer = teach(base, setup, rows, augmenter=setup.augmenter)
    reference = teacher.predict(X_test)  # the same for every student
    agreement = fidelity_score if classifier else teacher_r2_score
    scorers = {
        "score": scorer,
        "fidelity": partial(
            _fidelity, reference, agreement, sample_weight=test_sample_weight
        ),
    }
    grid = temperatures.tolist() if classifier else [None]
    candidates = [
        {"alpha": alpha}
        if temperature is None
        else {"alpha": alpha, "temperature": temperature}
        for alpha in alphas.tolist()
        for temperature in grid
    ]
    scores, fit_times, _ = score_candidates(
        base, setup, rows, {None: transfer}, candidates, X_test, y_test, scorers, {}
    )
    shape = (alphas.size, len(grid)) if classifier else (alphas.size,)
    return TemperatureCurve(
        temperatures=temperatures if classifier else None,
        alphas=alphas,
        scores=scores["score"].reshape(shape),
        fidelities=scores["fidelity"].reshape(shape),
        fit_times=fit_times.reshape(shape),
        score_name=_scorer_name(scoring, classifier),
        fidelity_name=(
            "Agreement with the teacher" if classifier else "R² against the teacher"
        ),
    )


def _fidelity(
    reference: NDArray[Any],
    agreement: Any,
    estimator: Any,
    X: Any,
    y: Any,
    *,
    sample_weight: ArrayLike | None,
) -> float:
    """The scorer of the fidelity: ``reference`` is the teacher's prediction."""
    return float(
        agreement(reference, estimator.predict(X), sample_weight=sample_weight)
    )


def _split_pipeline(estimator: Any) -> tuple[Any, Any]:
    """The distiller and the Pipeline steps before it (or None)."""
    preprocessing = None
    distiller = estimator
    if isinstance(estimator, Pipeline):
        distiller = final_estimator(estimator)
        if len(estimator.steps) > 1:
            preprocessing = estimator[:-1]
    if isinstance(distiller, DistilledClassifierCV | DistilledRegressorCV):
        raise TypeError(
            f"{type(distiller).__name__} searches its own temperature and alpha: "
            "fit it and plot its cv_results_ with "
            "TemperatureCurveDisplay.from_cv_results."
        )
    if not isinstance(distiller, DistilledClassifier | DistilledRegressor):
        raise TypeError(
            "estimator must be a DistilledClassifier or DistilledRegressor (or a "
            f"Pipeline ending in one); got {type(distiller).__name__}."
        )
    return distiller, preprocessing


def _is_fitted(estimator: Any) -> bool:
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


def _check_grid(
    distiller: Any, temperatures: Any, alphas: Any
) -> tuple[NDArray[np.float64] | None, NDArray[np.float64]]:
    """The temperatures (None for a regressor) and alphas, checked."""
    if isinstance(distiller, DistilledClassifier):
        if temperatures is None:
            temperatures = DEFAULT_TEMPERATURES
        temperatures = np.asarray(
            check_grid_values(temperatures, "temperatures", 0.0, None, False)
        )
        if alphas is None:
            alphas = [distiller.alpha]
    else:
        if temperatures is not None:
            raise ValueError(
                "A DistilledRegressor has no temperature: its curve is drawn "
                "against alpha. Leave temperatures=None and pass alphas=[...]."
            )
        if alphas is None:
            alphas = DEFAULT_REGRESSION_ALPHAS
    alphas = np.asarray(check_grid_values(alphas, "alphas", 0.0, 1.0, True))
    return temperatures, alphas


def _preprocess(
    preprocessing: Any, fitted: bool, X_train: Any, y_train: Any, X_test: Any
) -> tuple[Any, Any]:
    """X_train and X_test through the Pipeline steps before the distiller."""
    if preprocessing is None:
        return X_train, X_test
    if not fitted:
        preprocessing = clone(preprocessing).fit(X_train, y_train)
    return preprocessing.transform(X_train), preprocessing.transform(X_test)


def _frozen_teacher(
    distiller: Any, fitted: bool, X_train: Any, y_train: Any, sample_weight: Any
) -> Any:
    """The distiller's teacher, fitted once and wrapped in FrozenEstimator."""
    if fitted:
        teacher = distiller.teacher_
    elif is_frozen(distiller.teacher):
        teacher = distiller.teacher
    else:
        # The distiller's own first two fit steps train the teacher as its
        # fit would (default teacher, unlabeled rows, weights, routing).
        fitting = clone(distiller).set_params(teacher_cv=None, augment=None)
        setup, rows = prepare(fitting, X_train, y_train, sample_weight, {})
        teacher = teach(fitting, setup, rows, augmenter=None).teacher
    return teacher if is_frozen(teacher) else FrozenEstimator(teacher)


def _score_scorer(distiller: Any, scoring: Any, test_sample_weight: Any) -> Any:
    """The scorer of the scores, with the held-out weights when it takes them."""
    if isinstance(scoring, (list, tuple, set, dict)):
        raise ValueError(
            "A temperature curve draws one score, so scoring must be a single "
            f"metric (a string, a callable scorer or None); got {scoring!r}."
        )
    scorer = check_scoring(distiller, scoring=scoring)
    if test_sample_weight is None:
        return scorer
    if scorer_accepts_sample_weight(scorer):
        return partial(scorer, sample_weight=test_sample_weight)
    warnings.warn(
        "The scorer takes no sample_weight: the scores are unweighted, "
        "only the fidelities use test_sample_weight.",
        UserWarning,
        stacklevel=_caller_stacklevel(),
    )
    return scorer


def _scorer_name(scoring: Any, classifier: bool) -> str:
    if scoring is None:
        return "Accuracy" if classifier else "R²"
    if isinstance(scoring, str):
        return scoring
    return "Score"
