"""Tests of the displays of skdistill.plotting, drawn with the Agg backend."""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import calibration_curve
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.metrics import distillation_report, make_fidelity_scorer
from skdistill.metrics._outputs import teacher_proba
from skdistill.plotting import (
    CompressionDisplay,
    ReliabilityDisplay,
    TemperatureCurveDisplay,
)

plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _teacher():
    return LGBMClassifier(n_estimators=10, verbose=-1, n_jobs=1, random_state=0)


def _classification(n_classes=2):
    X, y = make_classification(
        n_samples=240,
        n_features=6,
        n_informative=4,
        n_classes=n_classes,
        random_state=0,
    )
    return train_test_split(X, y, random_state=0)


@pytest.fixture(scope="module")
def binary():
    return _classification()


@pytest.fixture(scope="module")
def multiclass():
    return _classification(n_classes=3)


@pytest.fixture(scope="module")
def regression():
    X, y = make_regression(n_samples=200, n_features=5, noise=10.0, random_state=0)
    return train_test_split(X, y, random_state=0)


@pytest.fixture(scope="module")
def fitted_binary(binary):
    X_train, _, y_train, _ = binary
    return DistilledClassifier(_teacher(), LogisticRegression()).fit(X_train, y_train)


class CountingTeacher(LogisticRegression):
    """A logistic-regression teacher that counts the fits of all its clones."""

    n_fits = 0

    def fit(self, X, y, sample_weight=None):
        type(self).n_fits += 1
        return super().fit(X, y, sample_weight=sample_weight)


class SearchingDistiller(DistilledClassifier):
    """A distiller that searches its temperatures, like DistilledClassifierCV."""

    def __init__(self, teacher=None, student=None, *, temperatures=(1.0, 2.0)):
        self.teacher = teacher
        self.student = student
        self.temperatures = temperatures


class ReversedClassifier(ClassifierMixin, BaseEstimator):
    """A fitted classifier whose classes_ (and columns) are in reverse order."""

    def __init__(self, estimator=None):
        self.estimator = estimator

    def fit(self, X, y):
        self.classes_ = self.estimator.classes_[::-1]
        return self

    def predict_proba(self, X):
        return self.estimator.predict_proba(X)[:, ::-1]


def _legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


MATPLOTLIB_MISSING = (
    "requires matplotlib, which is not installed. "
    'Install it with: pip install "skdistill[plots]"'
)


# -- TemperatureCurveDisplay ---------------------------------------------------
def test_temperature_curve_lines_match_refitted_students(binary):
    """Each line holds the scores and fidelities of students fit at that point."""
    X_train, X_test, y_train, y_test = binary
    model = DistilledClassifier(_teacher(), LogisticRegression())
    display = TemperatureCurveDisplay.from_estimator(
        model,
        X_train,
        y_train,
        X_test,
        y_test,
        temperatures=[1, 2, 4],
        alphas=[0.0, 0.5],
    )
    teacher = FrozenEstimator(clone(_teacher()).fit(X_train, y_train))
    reference = teacher.predict(X_test)
    for i, alpha in enumerate([0.0, 0.5]):
        scores, fidelities = [], []
        for temperature in [1, 2, 4]:
            student = clone(model).set_params(
                teacher=teacher, temperature=temperature, alpha=alpha
            )
            predictions = student.fit(X_train, y_train).predict(X_test)
            scores.append(accuracy_score(y_test, predictions))
            fidelities.append(accuracy_score(reference, predictions))
        np.testing.assert_allclose(display.scores[i], scores)
        np.testing.assert_allclose(display.fidelities[i], fidelities)
        np.testing.assert_allclose(display.score_lines_[i].get_ydata(), scores)
        np.testing.assert_allclose(display.fidelity_lines_[i].get_ydata(), fidelities)
    for line in display.score_lines_ + display.fidelity_lines_:
        np.testing.assert_array_equal(line.get_xdata(), [1.0, 2.0, 4.0])


def test_temperature_curve_axes_labels_and_legend(binary):
    """Solid score lines on ax_, dashed fidelity lines on a twin axis, one legend."""
    X_train, X_test, y_train, y_test = binary
    display = TemperatureCurveDisplay.from_estimator(
        DistilledClassifier(_teacher(), LogisticRegression(), alpha=0.3),
        X_train,
        y_train,
        X_test,
        y_test,
        temperatures=[1, 8],
    )
    assert display.ax_.get_xlabel() == "Temperature"
    assert display.ax_.get_ylabel() == "Accuracy"
    assert display.fidelity_ax_.get_ylabel() == "Agreement with the teacher"
    assert display.ax_.get_xscale() == "log"
    assert [t.get_text() for t in display.ax_.get_xticklabels()] == ["1", "8"]
    assert len(display.ax_.get_lines()) == 1
    assert len(display.fidelity_ax_.get_lines()) == 1
    assert display.score_lines_[0].get_linestyle() == "-"
    assert display.fidelity_lines_[0].get_linestyle() == "--"
    assert display.fidelity_lines_[0].get_color() == display.score_lines_[0].get_color()
    assert display.figure_ is display.ax_.figure
    assert _legend_texts(display.fidelity_ax_) == [
        "Accuracy, alpha=0.3",
        "Agreement with the teacher, alpha=0.3",
    ]
    assert display.fidelity_ax_.get_shared_x_axes().joined(
        display.ax_, display.fidelity_ax_
    )


@pytest.mark.parametrize("fitted", [False, True])
def test_temperature_curve_fits_the_teacher_once(binary, fitted):
    """An unfitted teacher is fit once; a fitted estimator's teacher_ is reused."""
    X_train, X_test, y_train, y_test = binary
    model = DistilledClassifier(CountingTeacher(), LogisticRegression())
    if fitted:
        model.fit(X_train, y_train)
    CountingTeacher.n_fits = 0
    display = TemperatureCurveDisplay.from_estimator(
        model, X_train, y_train, X_test, y_test, alphas=[0.2, 0.8]
    )
    assert CountingTeacher.n_fits == (0 if fitted else 1)
    assert display.scores.shape == (2, 4)
    np.testing.assert_array_equal(display.temperatures, [1, 2, 4, 8])


def test_temperature_curve_frozen_teacher_is_not_refit(binary):
    """A teacher already wrapped in FrozenEstimator is used as is."""
    X_train, X_test, y_train, y_test = binary
    CountingTeacher.n_fits = 0
    teacher = CountingTeacher().fit(X_train, y_train)
    model = DistilledClassifier(FrozenEstimator(teacher), LogisticRegression())
    TemperatureCurveDisplay.from_estimator(
        model, X_train, y_train, X_test, y_test, temperatures=[1, 2]
    )
    assert CountingTeacher.n_fits == 1


def test_temperature_curve_ignores_cv_with_a_warning(binary):
    """cv cannot be used with the frozen teacher: warned, and no extra fits."""
    X_train, X_test, y_train, y_test = binary
    CountingTeacher.n_fits = 0
    model = DistilledClassifier(CountingTeacher(), LogisticRegression(), teacher_cv=3)
    message = (
        "The curve uses the teacher's in-sample outputs: teacher_cv=3 is ignored, because "
        "the teacher is fitted once and frozen, and a frozen teacher cannot be "
        "cross-fitted."
    )
    with pytest.warns(UserWarning, match=re.escape(message)):
        TemperatureCurveDisplay.from_estimator(
            model, X_train, y_train, X_test, y_test, temperatures=[1, 2]
        )
    assert CountingTeacher.n_fits == 1


@pytest.mark.parametrize("fitted", [False, True])
def test_temperature_curve_pipeline(binary, fitted):
    """A Pipeline's first steps are fitted once; scores use the whole pipeline."""
    X_train, X_test, y_train, y_test = binary
    model = make_pipeline(
        StandardScaler(), DistilledClassifier(CountingTeacher(), LogisticRegression())
    )
    if fitted:
        model.fit(X_train, y_train)
    CountingTeacher.n_fits = 0
    display = TemperatureCurveDisplay.from_estimator(
        model, X_train, y_train, X_test, y_test, temperatures=[2]
    )
    assert CountingTeacher.n_fits == (0 if fitted else 1)
    model.set_params(distilledclassifier__temperature=2).fit(X_train, y_train)
    np.testing.assert_allclose(display.scores, [[model.score(X_test, y_test)]])


def test_temperature_curve_scoring_name(binary):
    """A scorer name labels the y-axis and gives the scores."""
    X_train, X_test, y_train, y_test = binary
    display = TemperatureCurveDisplay.from_estimator(
        DistilledClassifier(_teacher(), LogisticRegression()),
        X_train,
        y_train,
        X_test,
        y_test,
        temperatures=[1, 4],
        scoring="neg_log_loss",
    )
    assert display.ax_.get_ylabel() == "neg_log_loss"
    assert np.all(display.scores < 0)


def test_temperature_curve_regressor_plots_against_alpha(regression):
    """A regressor's x-axis is alpha, and fidelity is R² against the teacher."""
    X_train, X_test, y_train, y_test = regression
    teacher = LGBMRegressor(n_estimators=10, verbose=-1, n_jobs=1)
    model = DistilledRegressor(teacher, Ridge())
    display = TemperatureCurveDisplay.from_estimator(
        model, X_train, y_train, X_test, y_test
    )
    alphas = [0.0, 0.25, 0.5, 0.75, 1.0]
    assert display.temperatures is None
    assert len(display.score_lines_) == len(display.fidelity_lines_) == 1
    np.testing.assert_array_equal(display.score_lines_[0].get_xdata(), alphas)
    frozen = FrozenEstimator(clone(teacher).fit(X_train, y_train))
    reference = frozen.predict(X_test)
    predictions = [
        clone(model).set_params(teacher=frozen, alpha=a).fit(X_train, y_train)
        for a in alphas
    ]
    predictions = [student.predict(X_test) for student in predictions]
    np.testing.assert_allclose(
        display.score_lines_[0].get_ydata(),
        [r2_score(y_test, p) for p in predictions],
    )
    np.testing.assert_allclose(
        display.fidelity_lines_[0].get_ydata(),
        [r2_score(reference, p) for p in predictions],
    )
    assert display.ax_.get_xlabel() == "alpha (weight of the true labels)"
    assert display.ax_.get_xscale() == "linear"
    assert display.ax_.get_ylabel() == "R²"
    assert display.fidelity_ax_.get_ylabel() == "R² against the teacher"
    assert _legend_texts(display.fidelity_ax_) == ["R²", "R² against the teacher"]


@pytest.mark.parametrize(
    "estimator, kwargs, error, message",
    [
        (
            DistilledRegressor(),
            {"temperatures": [1, 2]},
            ValueError,
            "A DistilledRegressor has no temperature: its curve is drawn against "
            "alpha. Leave temperatures=None and pass alphas=[...].",
        ),
        (
            DistilledClassifier(),
            {"temperatures": [0, 1]},
            ValueError,
            "temperatures must be a non-empty list of numbers in (0, inf]; got [0, 1].",
        ),
        (
            DistilledClassifier(),
            {"temperatures": []},
            ValueError,
            "temperatures must be a non-empty list of numbers in (0, inf]; got [].",
        ),
        (
            DistilledClassifier(),
            {"alphas": [0.5, 1.5]},
            ValueError,
            "alphas must be a non-empty list of numbers in [0, 1]; got [0.5, 1.5].",
        ),
        (
            DistilledClassifier(),
            {"alphas": ["high"]},
            ValueError,
            "alphas must be a non-empty list of numbers in [0, 1]; got ['high'].",
        ),
        (
            LogisticRegression(),
            {},
            TypeError,
            "estimator must be a DistilledClassifier or DistilledRegressor (or a "
            "Pipeline ending in one); got LogisticRegression.",
        ),
        (
            SearchingDistiller(),
            {},
            TypeError,
            "SearchingDistiller searches its own temperature and alpha: fit it and "
            "plot its cv_results_ with TemperatureCurveDisplay.from_cv_results.",
        ),
        (
            make_pipeline(StandardScaler(), LogisticRegression()),
            {},
            TypeError,
            "estimator must be a DistilledClassifier or DistilledRegressor (or a "
            "Pipeline ending in one); got LogisticRegression.",
        ),
    ],
)
def test_temperature_curve_errors(binary, estimator, kwargs, error, message):
    """Bad grids and estimators are reported before anything is fitted."""
    X_train, X_test, y_train, y_test = binary
    with pytest.raises(error, match=re.escape(message)):
        TemperatureCurveDisplay.from_estimator(
            estimator, X_train, y_train, X_test, y_test, **kwargs
        )


@pytest.mark.parametrize(
    "temperatures, scores, alphas, message",
    [
        (
            [1, 2],
            [0.9, 0.8, 0.7],
            None,
            "scores must have shape (1, 2) (one row per alpha, one column per "
            "temperature; one value per alpha without temperatures); got shape (3,).",
        ),
        (
            [1, 2],
            [0.9, 0.8],
            [0.1, 0.5],
            "scores must have shape (2, 2) (one row per alpha, one column per "
            "temperature; one value per alpha without temperatures); got shape (2,).",
        ),
        (
            None,
            [0.9, 0.8],
            [0.1, 0.5, 0.9],
            "scores must have shape (3,) (one row per alpha, one column per "
            "temperature; one value per alpha without temperatures); got shape (2,).",
        ),
        (
            None,
            [0.9],
            None,
            "TemperatureCurveDisplay needs temperatures or alphas for its x-axis; "
            "both are None.",
        ),
    ],
)
def test_temperature_curve_constructor_shapes(temperatures, scores, alphas, message):
    """plot checks the stored values' shapes against the x-axis."""
    display = TemperatureCurveDisplay(temperatures, scores, alphas=alphas)
    with pytest.raises(ValueError, match=re.escape(message)):
        display.plot()


def test_temperature_curve_ax_name_kwargs_and_plot_twice():
    """ax= is used, plot() can be repeated, name prefixes labels, kwargs style."""
    display = TemperatureCurveDisplay(
        [1, 2, 4], [[0.8, 0.85, 0.83]], [[0.9, 0.95, 0.97]], alphas=[0.5]
    )
    fig, ax = plt.subplots()
    assert display.plot(ax=ax) is display
    assert display.ax_ is ax
    assert display.figure_ is fig
    first_fidelity_ax = display.fidelity_ax_

    other = TemperatureCurveDisplay(
        [1, 2, 4], [[0.7, 0.72, 0.71]], [[0.8, 0.82, 0.84]], alphas=[0.5], name="tree"
    )
    other.plot(ax=ax, fidelity_ax=first_fidelity_ax, ls=":")
    assert other.fidelity_ax_ is first_fidelity_ax
    assert len(ax.get_lines()) == 2
    assert len(first_fidelity_ax.get_lines()) == 2
    assert other.fidelity_lines_[0].get_linestyle() == ":"
    assert _legend_texts(first_fidelity_ax) == [
        "Score, alpha=0.5",
        "tree: Score, alpha=0.5",
        "Fidelity, alpha=0.5",
        "tree: Fidelity, alpha=0.5",
    ]

    display.plot()
    assert display.ax_ is not ax
    assert len(display.ax_.get_lines()) == 1


def test_temperature_curve_displays_on_one_ax_share_the_fidelity_axes():
    """Without fidelity_ax, a second display on ax reuses the first one's twin."""
    fig, ax = plt.subplots()
    first = TemperatureCurveDisplay(
        [1, 2], [[0.8, 0.85]], [[0.9, 0.95]], alphas=[0.5]
    ).plot(ax=ax)
    second = TemperatureCurveDisplay(
        [1, 2], [[0.7, 0.72]], [[0.8, 0.82]], alphas=[0.5], name="tree"
    ).plot(ax=ax)
    assert len(fig.axes) == 2
    assert second.fidelity_ax_ is first.fidelity_ax_
    assert len(first.fidelity_ax_.get_lines()) == 2
    assert _legend_texts(first.fidelity_ax_) == [
        "Score, alpha=0.5",
        "tree: Score, alpha=0.5",
        "Fidelity, alpha=0.5",
        "tree: Fidelity, alpha=0.5",
    ]

    # a display without fidelities joins the one legend on the twin
    TemperatureCurveDisplay([1, 2], [[0.6, 0.65]], name="third").plot(ax=ax)
    assert len(fig.axes) == 2
    assert ax.get_legend() is None
    assert _legend_texts(first.fidelity_ax_)[2] == "third: Score"

    # and a display with fidelities drawn after one without them
    fig, ax = plt.subplots()
    TemperatureCurveDisplay([1, 2], [[0.6, 0.65]]).plot(ax=ax)
    last = TemperatureCurveDisplay([1, 2], [[0.7, 0.72]], [[0.8, 0.82]]).plot(ax=ax)
    assert len(fig.axes) == 2
    assert ax.get_legend() is None
    assert _legend_texts(last.fidelity_ax_) == ["Score", "Score", "Fidelity"]

    # a twin removed from the figure is not reused
    last.fidelity_ax_.remove()
    again = TemperatureCurveDisplay([1, 2], [[0.7, 0.72]], [[0.8, 0.82]]).plot(ax=ax)
    assert again.fidelity_ax_ is not last.fidelity_ax_
    assert len(fig.axes) == 2


def test_temperature_curve_sample_weight(binary):
    """sample_weight weights every fit, test_sample_weight scores and fidelities."""
    X_train, X_test, y_train, y_test = binary
    w_train = np.where(np.arange(len(y_train)) % 3 == 0, 5.0, 0.2)
    w_test = np.where(np.arange(len(y_test)) % 2 == 0, 4.0, 0.5)
    model = DistilledClassifier(_teacher(), LogisticRegression())
    display = TemperatureCurveDisplay.from_estimator(
        model,
        X_train,
        y_train,
        X_test,
        y_test,
        temperatures=[1, 4],
        sample_weight=w_train,
        test_sample_weight=w_test,
    )
    teacher = FrozenEstimator(
        clone(_teacher()).fit(X_train, y_train, sample_weight=w_train)
    )
    reference = teacher.predict(X_test)
    scores, fidelities = [], []
    for temperature in [1, 4]:
        student = clone(model).set_params(teacher=teacher, temperature=temperature)
        predictions = student.fit(X_train, y_train, w_train).predict(X_test)
        scores.append(accuracy_score(y_test, predictions, sample_weight=w_test))
        fidelities.append(accuracy_score(reference, predictions, sample_weight=w_test))
    np.testing.assert_allclose(display.scores, [scores])
    np.testing.assert_allclose(display.fidelities, [fidelities])
    unweighted = TemperatureCurveDisplay.from_estimator(
        model, X_train, y_train, X_test, y_test, temperatures=[1, 4]
    )
    assert not np.allclose(unweighted.scores, display.scores)


def test_temperature_curve_test_sample_weight_with_unweighted_scorer(binary):
    """A scorer without sample_weight gives unweighted scores, with a warning."""
    X_train, X_test, y_train, y_test = binary
    w_test = np.where(np.arange(len(y_test)) % 2 == 0, 4.0, 0.5)

    def scorer(estimator, X, y):
        return accuracy_score(y, estimator.predict(X))

    message = (
        "The scorer takes no sample_weight: the scores are unweighted, only the "
        "fidelities use test_sample_weight."
    )
    with pytest.warns(UserWarning, match=re.escape(message)):
        display = TemperatureCurveDisplay.from_estimator(
            DistilledClassifier(_teacher(), LogisticRegression()),
            X_train,
            y_train,
            X_test,
            y_test,
            temperatures=[2],
            scoring=scorer,
            test_sample_weight=w_test,
        )
    plain = TemperatureCurveDisplay.from_estimator(
        DistilledClassifier(_teacher(), LogisticRegression()),
        X_train,
        y_train,
        X_test,
        y_test,
        temperatures=[2],
    )
    np.testing.assert_allclose(display.scores, plain.scores)


def _cv_results(**columns):
    """A cv_results_-like dict whose param_ columns are masked arrays."""
    results = {}
    for key, values in columns.items():
        if key.startswith("param_"):
            mask = [v is None for v in values]
            results[key] = np.ma.MaskedArray(np.array(values, dtype=object), mask=mask)
        else:
            results[key] = np.asarray(values, dtype=float)
    return results


def test_temperature_curve_from_grid_search(binary):
    """GridSearchCV's cv_results_: one line per alpha of the mean test scores."""
    X_train, _, y_train, _ = binary
    search = GridSearchCV(
        DistilledClassifier(_teacher(), LogisticRegression()),
        {"temperature": [1, 4], "alpha": [0.0, 1.0]},
        scoring={"accuracy": "accuracy", "fidelity": make_fidelity_scorer()},
        refit=False,
        cv=2,
    ).fit(X_train, y_train)
    display = TemperatureCurveDisplay.from_cv_results(
        search.cv_results_, metric="accuracy"
    )
    results = search.cv_results_
    for i, alpha in enumerate([0.0, 1.0]):
        rows = [
            np.flatnonzero(
                (results["param_alpha"] == alpha)
                & (results["param_temperature"] == temperature)
            )[0]
            for temperature in [1, 4]
        ]
        np.testing.assert_array_equal(display.score_lines_[i].get_xdata(), [1, 4])
        np.testing.assert_allclose(
            display.score_lines_[i].get_ydata(), results["mean_test_accuracy"][rows]
        )
        np.testing.assert_allclose(
            display.fidelity_lines_[i].get_ydata(), results["mean_test_fidelity"][rows]
        )
    assert _legend_texts(display.fidelity_ax_) == [
        "Mean test accuracy, alpha=0",
        "Mean test accuracy, alpha=1",
        "Mean test fidelity, alpha=0",
        "Mean test fidelity, alpha=1",
    ]
    assert display.ax_.get_ylabel() == "Mean test accuracy"


def test_temperature_curve_from_cv_results_best_over_other_params():
    """Other varying parameters: the best score per cell, gaps left as NaN."""
    results = _cv_results(
        param_temperature=[1, 1, 2, 4, None],
        param_alpha=[0.5, 0.5, 0.5, 0.0, None],
        param_student__C=[0.1, 1.0, 1.0, 1.0, 1.0],
        mean_test_score=[0.7, 0.8, 0.75, 0.6, 0.99],
    )
    display = TemperatureCurveDisplay.from_cv_results(results)
    assert display.fidelity_ax_ is None
    assert display.fidelity_lines_ is None
    np.testing.assert_array_equal(display.temperatures, [1, 2, 4])
    np.testing.assert_array_equal(display.alphas, [0.0, 0.5])
    np.testing.assert_allclose(
        display.scores, [[np.nan, np.nan, 0.6], [0.8, 0.75, np.nan]]
    )
    assert _legend_texts(display.ax_) == [
        "Mean test score, alpha=0",
        "Mean test score, alpha=0.5",
    ]


def test_temperature_curve_from_cv_results_pipeline_and_alpha_only():
    """Pipeline prefixes are found; without temperature the x-axis is alpha."""
    results = _cv_results(
        param_distilledclassifier__temperature=[1, 2],
        param_distilledclassifier__student__alpha=[1e-3, 1e-3],
        mean_test_score=[0.7, 0.8],
    )
    display = TemperatureCurveDisplay.from_cv_results(results)
    assert display.alphas is None
    assert _legend_texts(display.ax_) == ["Mean test score"]

    results = _cv_results(
        param_distilledregressor__alpha=[0.0, 0.5, 1.0],
        mean_test_score=[0.5, 0.7, 0.6],
    )
    display = TemperatureCurveDisplay.from_cv_results(results, score_name="R²")
    np.testing.assert_array_equal(display.score_lines_[0].get_xdata(), [0, 0.5, 1])
    np.testing.assert_allclose(display.score_lines_[0].get_ydata(), [0.5, 0.7, 0.6])
    assert display.ax_.get_xlabel() == "alpha (weight of the true labels)"


NO_DISTILLER_PARAM = (
    "cv_results holds no temperature or alpha parameter of a distiller "
    "(param_temperature, param_alpha, or param_<step>__temperature and "
    "param_<step>__alpha in a Pipeline; the parameters of its student, teacher "
    "or augment, such as param_student__alpha, are not the distiller's); its "
    "parameters are "
)


@pytest.mark.parametrize(
    "columns, temperatures, alphas",
    [
        # a Ridge student's alpha is not the distiller's
        (
            {
                "param_distilledregressor__alpha": [0.0, 1.0, 0.0, 1.0],
                "param_distilledregressor__student__alpha": [0.1, 0.1, 10.0, 10.0],
            },
            None,
            [0.0, 1.0],
        ),
        (
            {
                "param_alpha": [0.0, 1.0, 0.0, 1.0],
                "param_student__alpha": [0.1, 0.1, 10.0, 10.0],
            },
            None,
            [0.0, 1.0],
        ),
        (
            {
                "param_ridge_student__alpha": [0.1, 0.1, 10.0, 10.0],
                "param_distilledregressor__alpha": [0.0, 1.0, 0.0, 1.0],
            },
            None,
            [0.0, 1.0],
        ),
        # a temperature of the student (itself a distiller) or of the teacher
        (
            {
                "param_student__temperature": [1, 2, 1, 2],
                "param_teacher__temperature": [3, 3, 4, 4],
                "param_alpha": [0.25, 0.25, 0.75, 0.75],
            },
            None,
            [0.25, 0.75],
        ),
        (
            {
                "param_pipeline__distilledclassifier__student__temperature": [
                    1,
                    2,
                    1,
                    2,
                ],
                "param_pipeline__distilledclassifier__temperature": [4, 4, 8, 8],
                "param_pipeline__distilledclassifier__student__alpha": [
                    0.0,
                    0.5,
                    0.0,
                    0.5,
                ],
            },
            [4, 8],
            None,
        ),
    ],
)
def test_temperature_curve_from_cv_results_ignores_nested_params(
    columns, temperatures, alphas
):
    """Only the distiller's own temperature and alpha make the axes and lines."""
    results = _cv_results(**columns, mean_test_score=[0.5, 0.6, 0.7, 0.8])
    display = TemperatureCurveDisplay.from_cv_results(results)
    if temperatures is None:
        assert display.temperatures is None
        assert display.ax_.get_xlabel() == "alpha (weight of the true labels)"
    else:
        np.testing.assert_array_equal(display.temperatures, temperatures)
        assert display.ax_.get_xlabel() == "Temperature"
    if alphas is None:
        assert display.alphas is None
    else:
        np.testing.assert_array_equal(display.alphas, alphas)


@pytest.mark.parametrize(
    "columns, kwargs, message",
    [
        (
            {"param_alpha": [0.5], "mean_test_accuracy": [0.8]},
            {},
            "cv_results has no 'mean_test_score' key; its mean test scores are "
            "['mean_test_accuracy']. Pass metric=<scorer name> for a search with "
            "several scorers.",
        ),
        (
            {"param_student__C": [1.0], "mean_test_score": [0.8]},
            {},
            NO_DISTILLER_PARAM + "['param_student__C'].",
        ),
        (
            {"param_student__alpha": [0.1, 1.0], "mean_test_score": [0.8, 0.7]},
            {},
            NO_DISTILLER_PARAM + "['param_student__alpha'].",
        ),
        (
            {
                "param_distilledregressor__student__alpha": [0.1, 1.0],
                "param_teacher__alpha": [0.1, 1.0],
                "param_augment__alpha": [0.1, 1.0],
                "mean_test_score": [0.8, 0.7],
            },
            {},
            NO_DISTILLER_PARAM + "['param_augment__alpha', "
            "'param_distilledregressor__student__alpha', 'param_teacher__alpha'].",
        ),
        (
            {
                "param_a__alpha": [0.5],
                "param_b__alpha": [1.0],
                "param_a__student__alpha": [1.0],
                "mean_test_score": [0.8],
            },
            {},
            "cv_results holds several alpha parameters, ['param_a__alpha', "
            "'param_b__alpha']; pass param_prefix to say which is the "
            "distiller's (for example param_prefix='distilledregressor__').",
        ),
    ],
)
def test_temperature_curve_from_cv_results_errors(columns, kwargs, message):
    """Missing scores or parameters are explained."""
    with pytest.raises(ValueError, match=re.escape(message)):
        TemperatureCurveDisplay.from_cv_results(_cv_results(**columns), **kwargs)


def test_temperature_curve_param_prefix():
    """param_prefix picks the distiller's alpha among several."""
    results = _cv_results(
        param_a__alpha=[0.0, 1.0],
        param_a__student__alpha=[1.0, 1.0],
        mean_test_score=[0.8, 0.7],
    )
    display = TemperatureCurveDisplay.from_cv_results(results, param_prefix="a__")
    np.testing.assert_array_equal(display.alphas, [0.0, 1.0])


# -- ReliabilityDisplay --------------------------------------------------------
def test_reliability_binary_curves(binary, fitted_binary):
    """Three curves (teacher, baseline, distilled) recomputed by calibration_curve."""
    X_train, X_test, y_train, y_test = binary
    baseline = DecisionTreeClassifier(max_depth=3, random_state=0)
    baseline.fit(X_train, y_train)
    display = ReliabilityDisplay.from_estimator(
        fitted_binary, X_test, y_test, baseline=baseline, n_bins=5
    )
    probas = {
        "teacher": teacher_proba(fitted_binary, X_test),
        "baseline": baseline.predict_proba(X_test),
        "distilled": fitted_binary.predict_proba(X_test),
    }
    assert list(display.lines_) == ["teacher", "baseline", "distilled"]
    for name, proba in probas.items():
        prob_true, prob_pred = calibration_curve(y_test, proba[:, 1], n_bins=5)
        np.testing.assert_allclose(display.lines_[name].get_xdata(), prob_pred)
        np.testing.assert_allclose(display.lines_[name].get_ydata(), prob_true)
    assert display.kind == "positive"
    assert display.pos_label == 1
    assert display.ax_.get_xlabel() == "Mean predicted probability (positive class: 1)"
    assert display.ax_.get_ylabel() == "Fraction of positives (positive class: 1)"
    assert _legend_texts(display.ax_) == [
        "Perfectly calibrated",
        "teacher",
        "baseline",
        "distilled",
    ]
    assert len(display.ax_.get_lines()) == 4


def test_reliability_multiclass_confidence(multiclass):
    """Multiclass: the top-class probability against whether the top class is right."""
    X_train, X_test, y_train, y_test = multiclass
    model = DistilledClassifier(_teacher(), LogisticRegression()).fit(X_train, y_train)
    display = ReliabilityDisplay.from_estimator(model, X_test, y_test, n_bins=4)
    assert list(display.lines_) == ["teacher", "distilled"]
    proba = model.predict_proba(X_test)
    right = (model.classes_[proba.argmax(axis=1)] == y_test).astype(int)
    prob_true, prob_pred = calibration_curve(right, proba.max(axis=1), n_bins=4)
    np.testing.assert_allclose(display.lines_["distilled"].get_xdata(), prob_pred)
    np.testing.assert_allclose(display.lines_["distilled"].get_ydata(), prob_true)
    assert display.kind == "confidence"
    assert display.pos_label is None
    assert display.ax_.get_xlabel() == (
        "Mean confidence (probability of the predicted class)"
    )
    assert display.ax_.get_ylabel() == (
        "Accuracy (fraction of predicted classes that are right)"
    )

    one_vs_rest = ReliabilityDisplay.from_estimator(
        model, X_test, y_test, n_bins=4, pos_label=2, strategy="quantile"
    )
    prob_true, prob_pred = calibration_curve(
        y_test == 2, proba[:, 2], n_bins=4, strategy="quantile"
    )
    np.testing.assert_allclose(one_vs_rest.lines_["distilled"].get_xdata(), prob_pred)
    assert one_vs_rest.ax_.get_xlabel() == (
        "Mean predicted probability (positive class: 2)"
    )


def test_reliability_baseline_columns_follow_its_classes(binary, fitted_binary):
    """A baseline whose classes_ are in another order is read by label."""
    X_train, X_test, y_train, y_test = binary
    logistic = LogisticRegression().fit(X_train, y_train)
    reversed_baseline = ReversedClassifier(logistic).fit(X_train, y_train)
    straight = ReliabilityDisplay.from_estimator(
        fitted_binary, X_test, y_test, baseline=logistic
    )
    reversed_ = ReliabilityDisplay.from_estimator(
        fitted_binary, X_test, y_test, baseline=reversed_baseline
    )
    np.testing.assert_allclose(
        straight.prob_pred["baseline"], reversed_.prob_pred["baseline"]
    )


def test_reliability_pipeline_model(binary):
    """A Pipeline ending in a distiller: the teacher reads the transformed rows."""
    X_train, X_test, y_train, y_test = binary
    model = make_pipeline(
        StandardScaler(), DistilledClassifier(_teacher(), LogisticRegression())
    ).fit(X_train, y_train)
    display = ReliabilityDisplay.from_estimator(model, X_test, y_test, n_bins=5)
    teacher = model[-1].teacher_.predict_proba(model[0].transform(X_test))[:, 1]
    np.testing.assert_allclose(
        display.prob_pred["teacher"], calibration_curve(y_test, teacher, n_bins=5)[1]
    )


def test_reliability_from_predictions_ax_name_and_plot_twice():
    """ax= is used, the diagonal is drawn once per axes, names prefix labels."""
    y = np.array(["no", "yes", "yes", "no", "yes", "no"])
    probas = {"student": np.array([[0.8, 0.2], [0.3, 0.7], [0.4, 0.6]] * 2)}
    fig, ax = plt.subplots()
    first = ReliabilityDisplay.from_predictions(
        y, probas, classes=["no", "yes"], n_bins=2, ax=ax
    )
    assert first.ax_ is ax
    assert first.figure_ is fig
    ReliabilityDisplay.from_predictions(
        y, probas, classes=["no", "yes"], n_bins=2, ax=ax, name="other", color="red"
    )
    assert _legend_texts(ax) == ["Perfectly calibrated", "student", "other: student"]
    assert ax.get_lines()[-1].get_color() == "red"
    assert first.plot() is first
    assert first.ax_ is not ax
    assert len(first.ax_.get_lines()) == 2
    assert first.ax_.get_xlabel() == (
        "Mean predicted probability (positive class: yes)"
    )


def test_reliability_regressor_error(regression):
    """A regressor has no probabilities."""
    _, X_test, _, y_test = regression
    model = DistilledRegressor(
        LGBMRegressor(n_estimators=5, verbose=-1, n_jobs=1), Ridge()
    )
    message = (
        "A reliability diagram needs class probabilities, but DistilledRegressor "
        "is a regressor. Use a DistilledClassifier."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        ReliabilityDisplay.from_estimator(model, X_test, y_test)


def test_reliability_unfitted_and_bad_baselines(binary, fitted_binary):
    """An unfitted model, a baseline without probabilities or other classes."""
    X_train, X_test, y_train, y_test = binary
    with pytest.raises(
        NotFittedError,
        match=re.escape("This DistilledClassifier instance is not fitted yet."),
    ):
        ReliabilityDisplay.from_estimator(DistilledClassifier(), X_test, y_test)
    svc = LinearSVC().fit(X_train, y_train)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "baseline must have predict_proba; LinearSVC has not. Wrap it in "
            "sklearn.calibration.CalibratedClassifierCV for calibrated probabilities."
        ),
    ):
        ReliabilityDisplay.from_estimator(fitted_binary, X_test, y_test, baseline=svc)
    other = LogisticRegression().fit(X_train, y_train + 1)
    message = (
        "baseline was fitted on the classes [1, 2], but the model has the classes "
        "[0, 1]; both must know the same classes."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        ReliabilityDisplay.from_estimator(fitted_binary, X_test, y_test, baseline=other)


@pytest.mark.parametrize(
    "probas, classes, pos_label, message",
    [
        (
            {"m": [[0.5, 0.5]] * 4},
            [0],
            None,
            "classes must list at least two classes; got [0].",
        ),
        ({}, [0, 1], None, "probas must hold at least one model's probabilities."),
        (
            {"m": [[0.5, 0.5]] * 4},
            [0, 1],
            3,
            "pos_label=3 is not one of the classes [0, 1].",
        ),
        (
            {"m": [0.5] * 4},
            [0, 1],
            None,
            "The probabilities of 'm' must have one column per class (2); got "
            "shape (4,).",
        ),
    ],
)
def test_reliability_from_predictions_errors(probas, classes, pos_label, message):
    """Malformed classes, probabilities and positive class are explained."""
    with pytest.raises(ValueError, match=re.escape(message)):
        ReliabilityDisplay.from_predictions(
            [0, 1, 0, 1], probas, classes=classes, pos_label=pos_label
        )


@pytest.mark.parametrize(
    "y_true, unknown",
    [
        (["a", "b", "a", "b"], "['a', 'b']"),
        (["neg", "pos", "maybe", "pos"], "['maybe']"),
    ],
)
def test_reliability_from_predictions_labels_not_in_classes(y_true, unknown):
    """Labels of y_true outside classes are an error, not all-zero curves."""
    message = (
        f"y_true contains labels {unknown} that are not in classes ['neg', 'pos']; "
        "classes must name the labels of y_true, one per column of the "
        "probabilities, in the same order."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        ReliabilityDisplay.from_predictions(
            y_true, {"m": [[0.3, 0.7]] * 4}, classes=["neg", "pos"]
        )


@pytest.fixture(scope="module")
def fitted_svc(binary):
    """A distiller whose student (LinearSVC) has no predict_proba."""
    X_train, _, y_train, _ = binary
    return DistilledClassifier(_teacher(), LinearSVC()).fit(X_train, y_train)


@pytest.mark.parametrize("pipeline", [False, True])
def test_reliability_student_without_predict_proba(binary, fitted_svc, pipeline):
    """A student without probabilities is named, with CalibratedClassifierCV."""
    X_train, X_test, y_train, y_test = binary
    model = fitted_svc
    if pipeline:
        model = make_pipeline(
            StandardScaler(), DistilledClassifier(_teacher(), LinearSVC())
        ).fit(X_train, y_train)
    message = (
        "The distilled student LinearSVC has no predict_proba, so it has no "
        "probabilities to draw a reliability diagram of. Give it calibrated "
        "probabilities by wrapping it in "
        "sklearn.calibration.CalibratedClassifierCV(LinearSVC(...)) as the student."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        ReliabilityDisplay.from_estimator(model, X_test, y_test)


def test_reliability_constructor_errors():
    """plot checks kind and that both dicts name the same models."""
    with pytest.raises(
        ValueError,
        match=re.escape("kind must be one of ('positive', 'confidence'); got 'top'."),
    ):
        ReliabilityDisplay({"m": [0.5]}, {"m": [0.5]}, kind="top").plot()
    with pytest.raises(
        ValueError,
        match=re.escape(
            "prob_true and prob_pred must have the same models; got ['m'] and ['n']."
        ),
    ):
        ReliabilityDisplay({"m": [0.5]}, {"n": [0.5]}).plot()


# -- CompressionDisplay --------------------------------------------------------
@pytest.fixture(scope="module")
def reports(binary, fitted_binary):
    """Reports of a logistic and a tree student of the same teacher."""
    X_train, X_test, y_train, y_test = binary
    tree = clone(fitted_binary).set_params(
        teacher=FrozenEstimator(fitted_binary.teacher_),
        student=DecisionTreeClassifier(max_depth=3, random_state=0),
    )
    tree.fit(X_train, y_train)
    options = {
        "X_train": X_train,
        "y_train": y_train,
        "n_repeats": 1,
        "latency_rows": 50,
    }
    return [
        distillation_report(fitted_binary, X_test, y_test, **options),
        distillation_report(tree, X_test, y_test, **options),
    ]


def test_compression_from_estimator_points(binary, fitted_binary, reports):
    """One annotated point per model at (size, accuracy) of the report."""
    X_train, X_test, y_train, y_test = binary
    display = CompressionDisplay.from_estimator(
        fitted_binary,
        X_test,
        y_test,
        X_train=X_train,
        y_train=y_train,
        n_repeats=1,
        latency_rows=50,
    )
    models = reports[0].models
    assert list(display.points_) == ["teacher", "baseline", "distilled"]
    for model, point in display.points_.items():
        assert point.get_xdata().tolist() == [models[model]["size_bytes"]]
        assert point.get_ydata().tolist() == [models[model]["accuracy"]]
        assert point.get_label() == model
        assert display.annotations_[model].get_text() == model
        assert display.annotations_[model].xy == (
            models[model]["size_bytes"],
            models[model]["accuracy"],
        )
    assert display.ax_.get_xscale() == "log"
    assert display.ax_.get_xlabel() == "Serialized size (bytes)"
    assert display.ax_.get_ylabel() == "Accuracy"
    assert len(display.ax_.get_lines()) == 3


def test_compression_from_report_latency_and_metric(reports):
    """x= chooses the cost, metric= the quality; axis labels follow."""
    report = reports[0]
    display = CompressionDisplay.from_report(
        report, x="latency_ms_1thread", metric="log_loss"
    )
    for model, point in display.points_.items():
        assert point.get_xdata().tolist() == [
            report.models[model]["latency_ms_1thread"]
        ]
        assert point.get_ydata().tolist() == [report.models[model]["log_loss"]]
    assert display.ax_.get_xlabel() == "Latency ms / 50 rows, 1 thread"
    assert display.ax_.get_ylabel() == "Log-loss"


def test_compression_from_reports_several_students(reports):
    """One teacher point, then a baseline and a distilled point per report."""
    display = CompressionDisplay.from_reports(
        reports, names=["logistic", "tree"], x="latency_ms_default"
    )
    assert list(display.points_) == [
        "teacher",
        "baseline (logistic)",
        "distilled (logistic)",
        "baseline (tree)",
        "distilled (tree)",
    ]
    assert display.points_["distilled (tree)"].get_ydata().tolist() == [
        reports[1].models["distilled"]["accuracy"]
    ]
    assert display.ax_.get_xlabel() == "Latency ms / 50 rows, default threads"
    default = CompressionDisplay.from_reports(reports)
    assert list(default.points_)[1:3] == [
        "baseline (student 1)",
        "distilled (student 1)",
    ]


def test_compression_regression_report(regression):
    """A regression report plots R² by default."""
    X_train, X_test, y_train, y_test = regression
    model = DistilledRegressor(
        LGBMRegressor(n_estimators=10, verbose=-1, n_jobs=1), Ridge()
    ).fit(X_train, y_train)
    report = distillation_report(model, X_test, y_test, n_repeats=1, latency_rows=20)
    display = CompressionDisplay.from_report(report)
    assert list(display.points_) == ["teacher", "distilled"]
    assert display.ax_.get_ylabel() == "R²"
    assert display.points_["distilled"].get_ydata().tolist() == [
        report.models["distilled"]["r2"]
    ]


def test_compression_ax_name_and_plot_twice():
    """ax= is used, names prefix labels, kwargs style the points, plot repeats."""
    display = CompressionDisplay(["teacher", "distilled"], [1e5, 1e3], [0.9, 0.88])
    fig, ax = plt.subplots()
    display.plot(ax=ax, name="run 1", marker="^")
    assert display.ax_ is ax
    assert display.figure_ is fig
    assert [a.get_text() for a in display.annotations_.values()] == [
        "run 1: teacher",
        "run 1: distilled",
    ]
    assert display.points_["teacher"].get_marker() == "^"
    assert display.plot() is display
    assert display.ax_ is not ax
    assert len(display.ax_.get_lines()) == 2


def test_compression_errors(reports, regression):
    """Bad cost, metric, names, mixed tasks and shapes are explained."""
    with pytest.raises(
        ValueError,
        match=re.escape(
            "x must be one of ('size_bytes', 'latency_ms_1thread', "
            "'latency_ms_default'); got 'seconds'."
        ),
    ):
        CompressionDisplay.from_report(reports[0], x="seconds")
    with pytest.raises(
        ValueError,
        match=re.escape("metric='r2' is not in the report; its metrics are ["),
    ):
        CompressionDisplay.from_report(reports[0], metric="r2")
    with pytest.raises(
        ValueError,
        match=re.escape(
            "names must give one name per report; got 1 names for 2 reports."
        ),
    ):
        CompressionDisplay.from_reports(reports, names=["one"])
    with pytest.raises(
        ValueError,
        match=re.escape("reports must hold at least one DistillationReport."),
    ):
        CompressionDisplay.from_reports([])
    regression_report = type(reports[0])(
        task="regression",
        models={"teacher": {"r2": 0.9, "size_bytes": 10.0}},
        ratios={},
        n_samples=10,
        latency_rows=10,
        timings={},
    )
    with pytest.raises(
        ValueError,
        match=re.escape(
            "The reports must all be of one task; got ['classification', 'regression']."
        ),
    ):
        CompressionDisplay.from_reports([reports[0], regression_report])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "models, costs and scores must have one entry per model; got 2 models, "
            "costs of shape (1,) and scores of shape (2,)."
        ),
    ):
        CompressionDisplay(["a", "b"], [1.0], [0.5, 0.6]).plot()


def test_compression_from_reports_names_are_unique(reports):
    """Unnamed reports get default names; a repeated name is an error."""
    display = CompressionDisplay.from_reports(reports, names=[None, None])
    assert list(display.points_) == [
        "teacher",
        "baseline (student 1)",
        "distilled (student 1)",
        "baseline (student 2)",
        "distilled (student 2)",
    ]
    assert len(display.annotations_) == len(display.ax_.get_lines()) == 5
    mixed = CompressionDisplay.from_reports(reports, names=["tree", None])
    assert list(mixed.points_)[-1] == "distilled (student 2)"
    single = CompressionDisplay.from_reports(reports[:1], names=[None])
    assert list(single.points_) == ["teacher", "baseline", "distilled"]

    message = (
        "names must tell the reports apart; ['tree'] name several reports "
        "(names: ['tree', 'tree'])."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        CompressionDisplay.from_reports(reports, names=["tree", "tree"])
    message = (
        "names must tell the reports apart; ['student 2'] name several reports "
        "(names: ['student 2', 'student 2'])."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        CompressionDisplay.from_reports(reports, names=["student 2", None])


def test_compression_plot_rejects_repeated_models_and_nan():
    """points_ and annotations_ are keyed by model: each once, each drawable."""
    message = (
        "models must name each point once; ['a'] appear several times, and "
        "points_ and annotations_ are keyed by name."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        CompressionDisplay(["a", "b", "a"], [1.0, 2.0, 3.0], [0.5, 0.6, 0.7]).plot()
    message = (
        "The point of 'b' is not finite (Serialized size (bytes): 2.0, Accuracy: "
        "nan), so it cannot be drawn."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        CompressionDisplay(["a", "b"], [1.0, 2.0], [0.5, np.nan]).plot()


@pytest.fixture(scope="module")
def svc_report(binary, fitted_svc):
    """A report whose baseline and distilled students have no predict_proba."""
    X_train, X_test, y_train, y_test = binary
    return distillation_report(
        fitted_svc,
        X_test,
        y_test,
        X_train=X_train,
        y_train=y_train,
        n_repeats=1,
        latency_rows=20,
    )


@pytest.mark.parametrize("metric", ["log_loss", "roc_auc", "kl_divergence"])
def test_compression_nan_metric_of_a_student_without_proba(svc_report, metric):
    """A NaN metric names the model and the metrics that can be plotted."""
    assert np.isnan(svc_report.models["distilled"][metric])
    message = (
        f"metric={metric!r} is NaN for the 'baseline' model, which would leave it "
        "off the plot (log_loss, roc_auc and kl_divergence need a model with "
        "predict_proba; roc_auc needs rows of several classes). Plot another "
        "metric: ['accuracy', 'fidelity']."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        CompressionDisplay.from_report(svc_report, metric=metric)
    message = message.replace("'baseline' model", "'baseline (svc)' model")
    with pytest.raises(ValueError, match=re.escape(message)):
        CompressionDisplay.from_reports([svc_report], names=["svc"], metric=metric)


def test_compression_student_without_proba_plots_accuracy(svc_report):
    """The metrics such a student has are plotted as usual."""
    display = CompressionDisplay.from_report(svc_report)
    assert list(display.points_) == ["teacher", "baseline", "distilled"]
    assert display.points_["distilled"].get_ydata().tolist() == [
        svc_report.models["distilled"]["accuracy"]
    ]


def test_compression_from_estimator_forwards_weights(binary, fitted_binary):
    """sample_weight weights the held-out metrics, fit_params the baseline's fit."""
    X_train, X_test, y_train, y_test = binary
    w_train = np.where(np.arange(len(y_train)) % 3 == 0, 5.0, 0.2)
    w_test = np.where(np.arange(len(y_test)) % 2 == 0, 4.0, 0.5)
    options = {
        "X_train": X_train,
        "y_train": y_train,
        "n_repeats": 1,
        "latency_rows": 20,
    }
    display = CompressionDisplay.from_estimator(
        fitted_binary,
        X_test,
        y_test,
        sample_weight=w_test,
        fit_params={"sample_weight": w_train},
        metric="log_loss",
        **options,
    )
    weighted = distillation_report(
        fitted_binary,
        X_test,
        y_test,
        sample_weight=w_test,
        fit_params={"sample_weight": w_train},
        **options,
    )
    plain = distillation_report(fitted_binary, X_test, y_test, **options)
    unweighted_fit = distillation_report(
        fitted_binary, X_test, y_test, sample_weight=w_test, **options
    )
    for model in ["teacher", "baseline", "distilled"]:
        assert display.points_[model].get_ydata().tolist() == [
            weighted.models[model]["log_loss"]
        ]
        assert weighted.models[model]["log_loss"] != plain.models[model]["log_loss"]
    baseline_log_loss = unweighted_fit.models["baseline"]["log_loss"]
    assert weighted.models["baseline"]["log_loss"] != baseline_log_loss
    with pytest.raises(
        ValueError,
        match=re.escape(
            "fit_params are for fitting the baseline; pass X_train and y_train "
            "too, or drop fit_params."
        ),
    ):
        CompressionDisplay.from_estimator(
            fitted_binary, X_test, y_test, fit_params={"sample_weight": w_train}
        )


# -- matplotlib missing --------------------------------------------------------
def test_missing_matplotlib_error(monkeypatch, binary, fitted_binary, reports):
    """Without matplotlib, every entry point says how to install it, before work."""
    X_train, X_test, y_train, y_test = binary
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    calls = {
        "TemperatureCurveDisplay.plot": lambda: TemperatureCurveDisplay(
            [1], [0.5]
        ).plot(),
        "TemperatureCurveDisplay.from_estimator": lambda: (
            TemperatureCurveDisplay.from_estimator(
                DistilledClassifier(), X_train, y_train, X_test, y_test
            )
        ),
        "TemperatureCurveDisplay.from_cv_results": lambda: (
            TemperatureCurveDisplay.from_cv_results({})
        ),
        "ReliabilityDisplay.plot": lambda: ReliabilityDisplay({}, {}).plot(),
        "ReliabilityDisplay.from_estimator": lambda: ReliabilityDisplay.from_estimator(
            fitted_binary, X_test, y_test
        ),
        "ReliabilityDisplay.from_predictions": lambda: (
            ReliabilityDisplay.from_predictions([0], {}, classes=[0, 1])
        ),
        "CompressionDisplay.plot": lambda: CompressionDisplay([], [], []).plot(),
        "CompressionDisplay.from_estimator": lambda: CompressionDisplay.from_estimator(
            fitted_binary, X_test, y_test
        ),
        "CompressionDisplay.from_reports": lambda: CompressionDisplay.from_report(
            reports[0]
        ),
    }
    for caller, call in calls.items():
        with pytest.raises(ImportError, match=re.escape(MATPLOTLIB_MISSING)) as info:
            call()
        assert str(info.value).startswith(caller + " requires matplotlib")
