"""Tests of TemperatureCurveDisplay, drawn with the Agg backend.

What the curve's values are (the students fitted, the teacher reused) is
tested with :func:`skdistill.metrics.temperature_curve` in
``tests/metrics/test_temperature_curve.py``; these tests check that the
display draws those values.
"""

import re

import numpy as np
import pytest
from lightgbm import LGBMRegressor
from plotting._data import legend_texts, make_teacher
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.metrics import make_fidelity_scorer, temperature_curve
from skdistill.plotting import TemperatureCurveDisplay

plt = pytest.importorskip("matplotlib.pyplot")


def test_temperature_curve_from_estimator_draws_temperature_curve(binary):
    """from_estimator draws the values of temperature_curve: one line per alpha."""
    X_train, X_test, y_train, y_test = binary
    model = DistilledClassifier(make_teacher(), LogisticRegression())
    grid = {"temperatures": [1, 2, 4], "alphas": [0.0, 0.5]}
    display = TemperatureCurveDisplay.from_estimator(
        model, X_train, y_train, X_test, y_test, **grid
    )
    curve = temperature_curve(model, X_train, y_train, X_test, y_test, **grid)
    np.testing.assert_array_equal(display.temperatures, curve.temperatures)
    np.testing.assert_array_equal(display.alphas, curve.alphas)
    np.testing.assert_array_equal(display.scores, curve.scores)
    np.testing.assert_array_equal(display.fidelities, curve.fidelities)
    for i in range(2):
        np.testing.assert_array_equal(
            display.score_lines_[i].get_ydata(), curve.scores[i]
        )
        np.testing.assert_array_equal(
            display.fidelity_lines_[i].get_ydata(), curve.fidelities[i]
        )
    for line in display.score_lines_ + display.fidelity_lines_:
        np.testing.assert_array_equal(line.get_xdata(), [1.0, 2.0, 4.0])


def test_temperature_curve_from_estimator_forwards_its_arguments(binary):
    """Scoring and both weights reach temperature_curve; score_name relabels."""
    X_train, X_test, y_train, y_test = binary
    w_train = np.where(np.arange(len(y_train)) % 3 == 0, 5.0, 0.2)
    w_test = np.where(np.arange(len(y_test)) % 2 == 0, 4.0, 0.5)
    model = DistilledClassifier(make_teacher(), LogisticRegression())
    options = {
        "temperatures": [1, 4],
        "scoring": "neg_log_loss",
        "sample_weight": w_train,
        "test_sample_weight": w_test,
    }
    display = TemperatureCurveDisplay.from_estimator(
        model, X_train, y_train, X_test, y_test, score_name="Log-likelihood", **options
    )
    curve = temperature_curve(model, X_train, y_train, X_test, y_test, **options)
    np.testing.assert_array_equal(display.scores, curve.scores)
    np.testing.assert_array_equal(display.fidelities, curve.fidelities)
    assert display.ax_.get_ylabel() == "Log-likelihood"
    assert legend_texts(display.fidelity_ax_)[0] == "Log-likelihood, alpha=0.5"


def test_temperature_curve_scoring_name(binary):
    """A scorer name labels the y-axis."""
    X_train, X_test, y_train, y_test = binary
    display = TemperatureCurveDisplay.from_estimator(
        DistilledClassifier(make_teacher(), LogisticRegression()),
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
    """A regressor's x-axis is alpha, its fidelity axis R² against the teacher."""
    X_train, X_test, y_train, y_test = regression
    teacher = LGBMRegressor(n_estimators=10, verbose=-1, n_jobs=1)
    model = DistilledRegressor(teacher, Ridge())
    display = TemperatureCurveDisplay.from_estimator(
        model, X_train, y_train, X_test, y_test
    )
    curve = temperature_curve(model, X_train, y_train, X_test, y_test)
    alphas = [0.0, 0.25, 0.5, 0.75, 1.0]
    assert display.temperatures is None
    assert len(display.score_lines_) == len(display.fidelity_lines_) == 1
    np.testing.assert_array_equal(display.score_lines_[0].get_xdata(), alphas)
    np.testing.assert_array_equal(display.score_lines_[0].get_ydata(), curve.scores)
    np.testing.assert_array_equal(
        display.fidelity_lines_[0].get_ydata(), curve.fidelities
    )
    assert display.ax_.get_xlabel() == "alpha (weight of the true labels)"
    assert display.ax_.get_xscale() == "linear"
    assert display.ax_.get_ylabel() == "R²"
    assert display.fidelity_ax_.get_ylabel() == "R² against the teacher"
    assert legend_texts(display.fidelity_ax_) == ["R²", "R² against the teacher"]


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
            LogisticRegression(),
            {},
            TypeError,
            "estimator must be a DistilledClassifier or DistilledRegressor (or a "
            "Pipeline ending in one); got LogisticRegression.",
        ),
    ],
)
def test_temperature_curve_from_estimator_errors(
    binary, estimator, kwargs, error, message
):
    """The errors of temperature_curve come through, before any drawing."""
    X_train, X_test, y_train, y_test = binary
    with pytest.raises(error, match=re.escape(message)):
        TemperatureCurveDisplay.from_estimator(
            estimator, X_train, y_train, X_test, y_test, **kwargs
        )
    assert plt.get_fignums() == []


def test_temperature_curve_axes_labels_and_legend(binary):
    """Solid score lines on ax_, dashed fidelity lines on a twin axis, one legend."""
    X_train, X_test, y_train, y_test = binary
    display = TemperatureCurveDisplay.from_estimator(
        DistilledClassifier(make_teacher(), LogisticRegression(), alpha=0.3),
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
    assert legend_texts(display.fidelity_ax_) == [
        "Accuracy, alpha=0.3",
        "Agreement with the teacher, alpha=0.3",
    ]
    assert display.fidelity_ax_.get_shared_x_axes().joined(
        display.ax_, display.fidelity_ax_
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
    assert legend_texts(first_fidelity_ax) == [
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
    assert legend_texts(first.fidelity_ax_) == [
        "Score, alpha=0.5",
        "tree: Score, alpha=0.5",
        "Fidelity, alpha=0.5",
        "tree: Fidelity, alpha=0.5",
    ]

    # a display without fidelities joins the one legend on the twin
    TemperatureCurveDisplay([1, 2], [[0.6, 0.65]], name="third").plot(ax=ax)
    assert len(fig.axes) == 2
    assert ax.get_legend() is None
    assert legend_texts(first.fidelity_ax_)[2] == "third: Score"

    # and a display with fidelities drawn after one without them
    fig, ax = plt.subplots()
    TemperatureCurveDisplay([1, 2], [[0.6, 0.65]]).plot(ax=ax)
    last = TemperatureCurveDisplay([1, 2], [[0.7, 0.72]], [[0.8, 0.82]]).plot(ax=ax)
    assert len(fig.axes) == 2
    assert ax.get_legend() is None
    assert legend_texts(last.fidelity_ax_) == ["Score", "Score", "Fidelity"]

    # a twin removed from the figure is not reused
    last.fidelity_ax_.remove()
    again = TemperatureCurveDisplay([1, 2], [[0.7, 0.72]], [[0.8, 0.82]]).plot(ax=ax)
    assert again.fidelity_ax_ is not last.fidelity_ax_
    assert len(fig.axes) == 2


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
        DistilledClassifier(make_teacher(), LogisticRegression()),
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
    assert legend_texts(display.fidelity_ax_) == [
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
    assert legend_texts(display.ax_) == [
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
    assert legend_texts(display.ax_) == ["Mean test score"]

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
