"""Tests of CompressionDisplay, drawn with the Agg backend."""

import re

import numpy as np
import pytest
from lightgbm import LGBMRegressor
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import Ridge
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledRegressor
from skdistill.metrics import distillation_report
from skdistill.plotting import CompressionDisplay

plt = pytest.importorskip("matplotlib.pyplot")


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
