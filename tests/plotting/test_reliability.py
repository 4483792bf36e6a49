"""Tests of ReliabilityDisplay, drawn with the Agg backend."""

import re

import numpy as np
import pytest
from lightgbm import LGBMRegressor
from plotting._data import legend_texts, make_teacher
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import calibration_curve
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.metrics._outputs import teacher_proba
from skdistill.plotting import ReliabilityDisplay

plt = pytest.importorskip("matplotlib.pyplot")


class ReversedClassifier(ClassifierMixin, BaseEstimator):
    """A fitted classifier whose classes_ (and columns) are in reverse order."""

    def __init__(self, estimator=None):
        self.estimator = estimator

    def fit(self, X, y):
        self.classes_ = self.estimator.classes_[::-1]
        return self

    def predict_proba(self, X):
        return self.estimator.predict_proba(X)[:, ::-1]


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
    assert legend_texts(display.ax_) == [
        "Perfectly calibrated",
        "teacher",
        "baseline",
        "distilled",
    ]
    assert len(display.ax_.get_lines()) == 4


def test_reliability_multiclass_confidence(multiclass):
    """Multiclass: the top-class probability against whether the top class is right."""
    X_train, X_test, y_train, y_test = multiclass
    model = DistilledClassifier(make_teacher(), LogisticRegression()).fit(
        X_train, y_train
    )
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
        StandardScaler(), DistilledClassifier(make_teacher(), LogisticRegression())
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
    assert legend_texts(ax) == ["Perfectly calibrated", "student", "other: student"]
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


@pytest.mark.parametrize("pipeline", [False, True])
def test_reliability_student_without_predict_proba(binary, fitted_svc, pipeline):
    """A student without probabilities is named, with CalibratedClassifierCV."""
    X_train, X_test, y_train, y_test = binary
    model = fitted_svc
    if pipeline:
        model = make_pipeline(
            StandardScaler(), DistilledClassifier(make_teacher(), LinearSVC())
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
