"""Tests of distillation_report and its pieces (size, latency)."""

import json
import re

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, log_loss, r2_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.metrics import DistillationReport, distillation_report
from skdistill.metrics._footprint import (
    sample_rows,
    serialized_size,
    single_threaded,
)
from skdistill.metrics._outputs import teacher_proba
from skdistill.metrics._report import _ratios


def _teacher():
    return LGBMClassifier(n_estimators=60, num_leaves=15, verbose=-1, n_jobs=1)


@pytest.fixture(scope="module")
def split():
    X, y = make_classification(600, 8, n_informative=5, n_classes=3, random_state=0)
    labels = np.array(["low", "mid", "high"])[y]
    return X[:400], X[400:], labels[:400], labels[400:]


@pytest.fixture(scope="module")
def fitted(split):
    X_train, _, y_train, _ = split
    student = DecisionTreeClassifier(max_depth=3, random_state=0)
    return DistilledClassifier(_teacher(), student).fit(X_train, y_train)


@pytest.fixture(scope="module")
def report(fitted, split):
    X_train, X_test, y_train, y_test = split
    return distillation_report(
        fitted, X_test, y_test, X_train=X_train, y_train=y_train, n_repeats=2
    )


def test_report_metrics_match_direct_computation(fitted, split, report):
    """Every quality and fidelity figure equals its direct computation."""
    _, X_test, _, y_test = split
    proba = fitted.predict_proba(X_test)
    row = report.models["distilled"]
    assert row["accuracy"] == pytest.approx(
        accuracy_score(y_test, fitted.predict(X_test))
    )
    assert row["log_loss"] == pytest.approx(
        log_loss(y_test, proba, labels=fitted.classes_)
    )
    assert row["roc_auc"] == pytest.approx(
        roc_auc_score(y_test, proba, multi_class="ovr", labels=fitted.classes_)
    )
    t = teacher_proba(fitted, X_test)
    teacher_pred = fitted.classes_[t.argmax(axis=1)]
    assert report.models["teacher"]["accuracy"] == pytest.approx(
        accuracy_score(y_test, teacher_pred)
    )
    assert row["fidelity"] == pytest.approx(
        np.mean(fitted.predict(X_test) == teacher_pred)
    )
    assert report.models["teacher"]["fidelity"] == 1.0
    assert report.models["teacher"]["kl_divergence"] == pytest.approx(0.0, abs=1e-12)
    assert row["kl_divergence"] > 0
    assert report.n_samples == 200
    assert report.task == "classification"
    assert report.primary_metric == "accuracy"


def test_baseline_is_the_student_on_hard_labels(fitted, split, report):
    """The fitted baseline equals the same student trained on y alone."""
    X_train, X_test, y_train, y_test = split
    twin = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X_train, y_train)
    assert report.models["baseline"]["accuracy"] == pytest.approx(
        accuracy_score(y_test, twin.predict(X_test))
    )
    assert report.models["baseline"]["log_loss"] == pytest.approx(
        log_loss(y_test, twin.predict_proba(X_test), labels=fitted.classes_)
    )
    assert report.timings["baseline_fit"] > 0


def test_sizes_and_ratios(fitted, report):
    """Sizes are pickled sizes of what ships; ratios are their quotients."""
    teacher, baseline, distilled = (
        report.models[k] for k in ("teacher", "baseline", "distilled")
    )
    assert teacher["size_bytes"] == serialized_size(fitted.teacher_)
    assert distilled["size_bytes"] == serialized_size(fitted.student_)
    r = report.ratios
    assert r["size_reduction"] == pytest.approx(
        teacher["size_bytes"] / distilled["size_bytes"]
    )
    assert r["size_reduction"] > 10  # 60 trees x 3 classes vs a depth-3 tree
    assert r["speedup_1thread"] == pytest.approx(
        teacher["latency_ms_1thread"] / distilled["latency_ms_1thread"]
    )
    assert r["speedup_default"] == pytest.approx(
        teacher["latency_ms_default"] / distilled["latency_ms_default"]
    )
    assert r["score_kept"] == pytest.approx(distilled["accuracy"] / teacher["accuracy"])
    gap = teacher["accuracy"] - baseline["accuracy"]
    assert gap > 0
    assert r["gap_closed"] == pytest.approx(
        (distilled["accuracy"] - baseline["accuracy"]) / gap
    )
    for row in report.models.values():
        assert row["latency_ms_1thread"] > 0 and row["latency_ms_default"] > 0


def test_renderings(report):
    """Dict (JSON-ready), DataFrame and text carry the same figures."""
    d = report.to_dict()
    json.dumps(d)
    assert (
        d["models"]["distilled"]["accuracy"] == report.models["distilled"]["accuracy"]
    )
    frame = report.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == ["teacher", "baseline", "distilled"]
    assert frame.loc["baseline", "log_loss"] == report.models["baseline"]["log_loss"]
    text = str(report)
    assert text.startswith("Distillation report (classification, 200 rows)")
    assert f"{report.models['distilled']['accuracy']:.4f}" in text
    assert "size reduction (teacher / distilled):" in text
    assert "share of baseline-to-teacher accuracy gap closed:" in text
    assert "latency ms / 1,000 rows, 1 thread" in text
    assert repr(report).startswith("DistillationReport(task='classification'")


def test_report_without_baseline_and_with_given_baseline(fitted, split):
    """No baseline row without training data; a fitted baseline is used as is."""
    X_train, X_test, y_train, y_test = split
    plain = distillation_report(fitted, X_test, y_test, n_repeats=1)
    assert list(plain.models) == ["teacher", "distilled"]
    assert "gap_closed" not in plain.ratios
    assert "gap closed" not in str(plain)
    given = LogisticRegression(max_iter=500).fit(X_train, y_train)
    with_given = distillation_report(
        fitted, X_test, y_test, baseline=given, n_repeats=1
    )
    assert with_given.models["baseline"]["accuracy"] == pytest.approx(
        given.score(X_test, y_test)
    )
    assert with_given.models["baseline"]["size_bytes"] == serialized_size(given)


def test_report_on_pipeline_and_dataframe_with_weights():
    """A Pipeline ending in a distiller, DataFrame input and weighted metrics."""
    X, y = make_classification(300, 5, random_state=1)
    X = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)])
    model = make_pipeline(
        StandardScaler().set_output(transform="pandas"),
        DistilledClassifier(_teacher(), LogisticRegression()),
    ).fit(X[:200], y[:200])
    w = np.random.default_rng(0).uniform(0.2, 3.0, size=100)
    report = distillation_report(
        model,
        X[200:],
        y[200:],
        X_train=X[:200],
        y_train=y[:200],
        sample_weight=w,
        n_repeats=1,
        latency_rows=50,
    )
    pred = model.predict(X[200:])
    assert report.models["distilled"]["accuracy"] == pytest.approx(
        accuracy_score(y[200:], pred, sample_weight=w)
    )
    proba = model.predict_proba(X[200:])[:, 1]
    assert report.models["distilled"]["roc_auc"] == pytest.approx(
        roc_auc_score(y[200:], proba, sample_weight=w)
    )
    assert report.models["distilled"]["roc_auc"] != pytest.approx(
        roc_auc_score(y[200:], proba)
    )
    assert report.latency_rows == 50
    twin = make_pipeline(StandardScaler(), LogisticRegression()).fit(X[:200], y[:200])
    assert report.models["baseline"]["accuracy"] == pytest.approx(
        accuracy_score(y[200:], twin.predict(X[200:]), sample_weight=w)
    )
    assert report.models["baseline"]["log_loss"] == pytest.approx(
        log_loss(y[200:], twin.predict_proba(X[200:]), sample_weight=w)
    )
    given = distillation_report(model, X[200:], y[200:], baseline=twin, n_repeats=1)
    assert given.models["baseline"]["accuracy"] == pytest.approx(
        accuracy_score(y[200:], twin.predict(X[200:]))
    )


def test_regression_report():
    """A regressor gets RMSE, R² and R² against the teacher."""
    X, y = make_regression(400, 6, noise=10, random_state=0)
    model = DistilledRegressor(
        LGBMRegressor(n_estimators=50, verbose=-1, n_jobs=1), Ridge()
    ).fit(X[:300], y[:300])
    report = distillation_report(
        model, X[300:], y[300:], X_train=X[:300], y_train=y[:300], n_repeats=1
    )
    assert report.task == "regression" and report.primary_metric == "r2"
    row = report.models["distilled"]
    assert row["r2"] == pytest.approx(r2_score(y[300:], model.predict(X[300:])))
    assert row["fidelity_r2"] == pytest.approx(
        r2_score(model.teacher_.predict(X[300:]), model.predict(X[300:]))
    )
    assert row["rmse"] == pytest.approx(
        np.sqrt(np.mean((y[300:] - model.predict(X[300:])) ** 2))
    )
    assert report.models["teacher"]["fidelity_r2"] == 1.0
    baseline = Ridge().fit(X[:300], y[:300])
    assert report.models["baseline"]["r2"] == pytest.approx(
        baseline.score(X[300:], y[300:])
    )
    assert "R²" in str(report)
    base = report.models["baseline"]
    points = 100 * (row["r2"] - base["r2"])
    rmse = row["rmse"] - base["rmse"]
    assert report.headline == (
        f"Distilled vs same student, labels only: R² {points:+.2f} pts "
        f"({base['r2']:.4f} -> {row['r2']:.4f}, "
        f"{'better' if points > 0 else 'worse'}), RMSE {rmse:+.4f} "
        f"({base['rmse']:.4f} -> {row['rmse']:.4f}, "
        f"{'better' if rmse < 0 else 'worse'}), fidelity to the teacher (R²) "
        f"{100 * (row['fidelity_r2'] - base['fidelity_r2']):+.2f} pts "
        f"({base['fidelity_r2']:.4f} -> {row['fidelity_r2']:.4f})."
    )
    assert report.to_dict()["deltas"]["baseline"]["rmse"] == pytest.approx(rmse)


def test_report_does_not_modify_the_model(fitted, split):
    """The teacher keeps its n_jobs and predictions after the report."""
    X_train, X_test, y_train, y_test = split
    model = clone(fitted).set_params(teacher__n_jobs=2).fit(X_train, y_train)
    before = model.predict_proba(X_test)
    distillation_report(
        model, X_test, y_test, X_train=X_train, y_train=y_train, n_repeats=1
    )
    assert model.teacher_.n_jobs == 2
    np.testing.assert_array_equal(model.predict_proba(X_test), before)


def test_single_threaded_copies_only_the_path():
    """The single-thread copy shares fitted boosters and leaves the original alone."""
    X, y = make_classification(100, 4, random_state=0)
    pipe = make_pipeline(StandardScaler(), _teacher().set_params(n_jobs=3)).fit(X, y)
    one = single_threaded(pipe)
    assert one[-1].n_jobs == 1 and pipe[-1].n_jobs == 3
    assert one[-1]._Booster is pipe[-1]._Booster
    np.testing.assert_array_equal(one.predict_proba(X), pipe.predict_proba(X))


def test_sample_rows_resamples_small_inputs():
    """Fewer rows than requested are drawn with replacement."""
    X = np.arange(10).reshape(5, 2)
    rows = sample_rows(X, 12, np.random.RandomState(0))
    assert rows.shape == (12,)
    assert set(rows) <= set(range(5))
    assert len(set(rows)) == 5  # 12 draws with replacement cover all 5 rows here
    few = sample_rows(X, 3, np.random.RandomState(0))
    assert few.shape == (3,) and len(set(few)) == 3  # without replacement


def test_timings_account_for_the_work(report):
    """Total time splits into baseline fit, predictions and overhead."""
    t = report.timings
    assert t["overhead"] >= 0
    assert t["total"] == pytest.approx(
        t["baseline_fit"] + t["predictions"] + t["serialization"] + t["overhead"]
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"X_train": "x"}, "Pass both X_train and y_train"),
        ({"y_train": "y"}, "Pass both X_train and y_train"),
    ],
)
def test_report_errors_on_training_data(fitted, split, kwargs, message):
    """Half the training data is refused."""
    X_train, X_test, y_train, y_test = split
    values = {"X_train": X_train, "y_train": y_train}
    kwargs = {k: values[k] for k in kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        distillation_report(fitted, X_test, y_test, **kwargs)


def test_report_errors(fitted, split):
    """Bad models and inputs get messages naming them."""
    X_train, X_test, y_train, y_test = split
    given = LogisticRegression().fit(X_train, y_train)
    with pytest.raises(ValueError, match=re.escape("Pass either a fitted baseline or")):
        distillation_report(
            fitted, X_test, y_test, X_train=X_train, y_train=y_train, baseline=given
        )
    bad = y_test.astype(object)
    bad[0] = "unseen"
    with pytest.raises(
        ValueError, match=re.escape("y contains labels ['unseen'] that the model")
    ):
        distillation_report(fitted, X_test, bad)
    with pytest.raises(
        TypeError, match=re.escape("model must be a fitted DistilledClassifier")
    ):
        distillation_report(given, X_test, y_test)
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        distillation_report(DistilledClassifier(), X_test, y_test)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        distillation_report(fitted, X_test, y_test[:5])
    with pytest.raises(ValueError, match="The 'n_repeats' parameter"):
        distillation_report(fitted, X_test, y_test, n_repeats=0)
    with pytest.raises(ValueError, match=re.escape("X has no rows")):
        distillation_report(fitted, X_test[:0], y_test[:0])


def test_report_class_is_public():
    """The result type is exported for isinstance checks and docs."""
    assert DistillationReport.__module__ == "skdistill.metrics._report"


def test_single_threaded_reaches_every_booster(monkeypatch):
    """LightGBM's num_threads alias and models inside wrappers predict on 1 thread."""
    import lightgbm
    from sklearn.calibration import CalibratedClassifierCV

    X, y = make_classification(200, 4, random_state=0)
    seen = []
    original = lightgbm.basic.Booster.predict

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("num_threads"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(lightgbm.basic.Booster, "predict", spy)
    for model in (
        LGBMClassifier(n_estimators=5, verbose=-1, num_threads=2),
        CalibratedClassifierCV(
            LGBMClassifier(n_estimators=5, verbose=-1, n_jobs=2), cv=2
        ),
    ):
        model.fit(X, y)
        seen.clear()
        single_threaded(model).predict_proba(X)
        assert seen and set(seen) == {1}
        seen.clear()
        model.predict_proba(X)
        assert set(seen) == {2}  # the original is untouched


def test_report_decision_function_teacher_and_student():
    """A teacher or student without predict_proba still gets a report."""
    from sklearn.svm import LinearSVC

    X, y = make_classification(300, 5, random_state=0)
    model = DistilledClassifier(LinearSVC(), LogisticRegression()).fit(X[:200], y[:200])
    report = distillation_report(model, X[200:], y[200:], n_repeats=1)
    assert report.models["teacher"]["accuracy"] == pytest.approx(
        model.teacher_.score(X[200:], y[200:])
    )
    model = DistilledClassifier(_teacher(), LinearSVC()).fit(X[:200], y[:200])
    report = distillation_report(
        model, X[200:], y[200:], X_train=X[:200], y_train=y[:200], n_repeats=1
    )
    row = report.models["distilled"]
    assert row["accuracy"] == pytest.approx(model.score(X[200:], y[200:]))
    assert np.isnan(row["log_loss"]) and np.isnan(row["kl_divergence"])
    assert report.to_dict()["models"]["distilled"]["log_loss"] is None
    json.dumps(report.to_dict(), allow_nan=False)
    assert "n/a" in str(report)
    assert report.to_dict()["deltas"]["baseline"]["log_loss"] is None
    assert ", log-loss n/a, " in report.headline


def test_report_uses_predict_not_argmax():
    """Labels come from predict(), so a thresholded classifier is scored as used."""
    from sklearn.model_selection import FixedThresholdClassifier

    X, y = make_classification(400, 5, random_state=0)
    teacher = FixedThresholdClassifier(_teacher(), threshold=0.2)
    student = FixedThresholdClassifier(LogisticRegression(), threshold=0.2)
    model = DistilledClassifier(teacher, student, fit_strategy="hard")
    model.fit(X[:200], y[:200])
    report = distillation_report(model, X[200:], y[200:], n_repeats=1)
    assert report.models["teacher"]["accuracy"] == pytest.approx(
        model.teacher_.score(X[200:], y[200:])
    )
    assert report.models["distilled"]["accuracy"] == pytest.approx(
        model.score(X[200:], y[200:])
    )
    agreement = np.mean(model.predict(X[200:]) == model.teacher_.predict(X[200:]))
    assert report.models["distilled"]["fidelity"] == pytest.approx(agreement)


def test_report_on_search_estimators_and_column_transformers():
    """CV distillers get a baseline; a search over a Pipeline is unwrapped."""
    from sklearn.compose import make_column_transformer
    from sklearn.model_selection import GridSearchCV
    from sklearn.preprocessing import OneHotEncoder

    from skdistill import DistilledClassifierCV

    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {"a": rng.normal(size=300), "c": rng.choice(["x", "y", "z"], size=300)}
    )
    y = ((X.a > 0) ^ (X.c == "x")).to_numpy().astype(int)
    prep = make_column_transformer((OneHotEncoder(), ["c"]), (StandardScaler(), ["a"]))
    student = DecisionTreeClassifier(max_depth=3, random_state=0)
    pipe = make_pipeline(prep, DistilledClassifier(_teacher(), student))
    pipe.fit(X[:200], y[:200])
    report = distillation_report(
        pipe, X[200:], y[200:], X_train=X[:200], y_train=y[:200], n_repeats=1
    )
    twin = make_pipeline(prep, clone(student)).fit(X[:200], y[:200])
    assert report.models["baseline"]["accuracy"] == pytest.approx(
        twin.score(X[200:], y[200:])
    )
    search = GridSearchCV(pipe, {"distilledclassifier__alpha": [0.0, 0.5]}, cv=2).fit(
        X[:200], y[:200]
    )
    report = distillation_report(
        search, X[200:], y[200:], X_train=X[:200], y_train=y[:200], n_repeats=1
    )
    assert report.models["baseline"]["accuracy"] == pytest.approx(
        twin.score(X[200:], y[200:])
    )
    A = prep.fit_transform(X)
    cv_model = DistilledClassifierCV(
        _teacher(), clone(student), temperatures=[1, 2], alphas=[0, 0.5], cv=2
    ).fit(A[:200], y[:200])
    report = distillation_report(
        cv_model, A[200:], y[200:], X_train=A[:200], y_train=y[:200], n_repeats=1
    )
    plain = clone(student).fit(A[:200], y[:200])
    assert report.models["baseline"]["accuracy"] == pytest.approx(
        plain.score(A[200:], y[200:])
    )


def test_given_baseline_classes_are_aligned_and_checked(fitted, split):
    """A baseline's probability columns are matched to the model's classes."""
    X_train, X_test, y_train, y_test = split
    given = LogisticRegression(max_iter=500).fit(X_train, y_train)
    report = distillation_report(fitted, X_test, y_test, baseline=given, n_repeats=1)
    assert report.models["baseline"]["log_loss"] == pytest.approx(
        log_loss(y_test, given.predict_proba(X_test), labels=given.classes_)
    )
    wrong = LogisticRegression(max_iter=500).fit(X_train, np.arange(400) % 3)
    with pytest.raises(
        ValueError, match=re.escape("The baseline knows classes [0, 1, 2] that the")
    ):
        distillation_report(fitted, X_test, y_test, baseline=wrong)
    with pytest.raises(
        ValueError, match=re.escape("baseline must be a fitted classifier like the")
    ):
        distillation_report(
            fitted, X_test, y_test, baseline=Ridge().fit(X_train, np.ones(400))
        )


def test_binary_auc_equals_sklearn_with_ties_and_weights():
    """The report's one-sort AUC is sklearn's roc_auc_score, ties and weights too."""
    from skdistill.metrics._report import _binary_auc

    rng = np.random.default_rng(0)
    for _ in range(50):
        y = rng.integers(0, 2, size=40)
        y[:2] = [0, 1]
        score = np.round(rng.random(40), 1)  # many ties
        weight = rng.uniform(0.0, 2.0, size=40)
        assert _binary_auc(y == 1, score, np.ones(40)) == pytest.approx(
            roc_auc_score(y, score)
        )
        assert _binary_auc(y == 1, score, weight) == pytest.approx(
            roc_auc_score(y, score, sample_weight=weight)
        )


def _flat(text):
    """``text`` with its line breaks and indents as single spaces."""
    return " ".join(text.split())


def _made_report(task, **models):
    """A report built from given figures, with the ratios of the real report."""
    cost = {"size_bytes": 100.0, "latency_ms_1thread": 1.0, "latency_ms_default": 1.0}
    models = {name: {**row, **cost} for name, row in models.items()}
    metric = "accuracy" if task == "classification" else "r2"
    return DistillationReport(
        task=task,
        models=models,
        ratios=_ratios(models, metric),
        n_samples=100,
        latency_rows=10,
        timings={},
    )


def _classif(accuracy, log_loss, fidelity):
    return {
        "accuracy": accuracy,
        "log_loss": log_loss,
        "roc_auc": 0.9,
        "fidelity": fidelity,
        "kl_divergence": 0.0 if fidelity == 1 else 0.1,
    }


def test_headline_says_what_distillation_changed(report):
    """The headline's signed changes and figures are those of the table."""
    base, dist = report.models["baseline"], report.models["distilled"]
    headline = report.headline
    assert headline.startswith("Distilled vs same student, labels only: accuracy ")
    assert headline.endswith(".")
    points = float(re.search(r"accuracy ([+-]\d+\.\d\d) pts", headline)[1])
    assert points == pytest.approx(
        100 * (dist["accuracy"] - base["accuracy"]), abs=5e-3
    )
    assert (
        f"({base['accuracy']:.4f} -> {dist['accuracy']:.4f}, "
        f"{'better' if points > 0 else 'worse'})" in headline
    )
    change = float(re.search(r"log-loss ([+-]\d+\.\d{4}) \(", headline)[1])
    assert change == pytest.approx(dist["log_loss"] - base["log_loss"], abs=5e-5)
    verdict = "better" if change < 0 else "worse"  # lower log-loss is better
    assert f"({base['log_loss']:.4f} -> {dist['log_loss']:.4f}, {verdict})" in headline
    fidelity = float(
        re.search(r"fidelity to the teacher ([+-]\d+\.\d\d) pts", headline)[1]
    )
    assert fidelity == pytest.approx(
        100 * (dist["fidelity"] - base["fidelity"]), abs=5e-3
    )
    assert f"({base['fidelity']:.4f} -> {dist['fidelity']:.4f})." in headline
    # the text opens with it, right after the title, wrapped between clauses
    text = str(report)
    lines = text.splitlines()
    assert lines[1].startswith("Distilled vs same student, labels only:")
    blank = lines.index("")
    assert _flat("\n".join(lines[1:blank])) == headline
    assert max(len(line) for line in lines[1:blank]) <= len(lines[blank + 2])


def test_headline_verdicts_and_unchanged_figures():
    """Worse log-loss, lower accuracy and changes that round to zero read so."""
    made = _made_report(
        "classification",
        teacher=_classif(0.95, 0.15, 1.0),
        baseline=_classif(0.9, 0.2, 0.9),
        distilled=_classif(0.88, 0.25, 0.9),
    )
    assert made.headline == (
        "Distilled vs same student, labels only: accuracy -2.00 pts "
        "(0.9000 -> 0.8800, worse), log-loss +0.0500 (0.2000 -> 0.2500, worse), "
        "fidelity to the teacher unchanged (0.9000)."
    )
    made = _made_report(
        "classification",
        teacher=_classif(0.95, 0.15, 1.0),
        baseline=_classif(0.9, float("nan"), 0.9),
        distilled=_classif(0.9 + 1e-6, 0.1, 0.95),
    )
    assert made.headline == (
        "Distilled vs same student, labels only: accuracy unchanged (0.9000), "
        "log-loss n/a, fidelity to the teacher +5.00 pts (0.9000 -> 0.9500)."
    )
    d = made.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["deltas"]["baseline"]["log_loss"] is None
    assert d["deltas"]["teacher"]["log_loss"] == pytest.approx(-0.05)


def test_headline_without_baseline(fitted, split):
    """Without a baseline the headline compares with the teacher: share kept."""
    _, X_test, _, y_test = split
    plain = distillation_report(fitted, X_test, y_test, n_repeats=1)
    teacher, dist = plain.models["teacher"], plain.models["distilled"]
    kept = dist["accuracy"] / teacher["accuracy"]
    assert plain.headline.startswith("Distilled vs teacher: accuracy ")
    assert f"({teacher['accuracy']:.4f} -> {dist['accuracy']:.4f})" in plain.headline
    assert f"{kept:.1%} of the teacher's accuracy kept" in plain.headline
    assert f"fidelity to the teacher {dist['fidelity']:.4f}." in plain.headline
    assert "same student" not in str(plain) and "labels only" not in str(plain)
    assert _flat(str(plain)).startswith(
        f"Distillation report (classification, 200 rows) {plain.headline}"
    )
    assert list(plain.to_dict()["deltas"]) == ["teacher"]
    made = _made_report(
        "regression",
        teacher={"rmse": 2.0, "r2": -0.1, "fidelity_r2": 1.0},
        distilled={"rmse": 1.5, "r2": 0.2, "fidelity_r2": -0.5},
    )
    assert made.headline == (
        "Distilled vs teacher: R² +30.00 pts (-0.1000 -> 0.2000), share of the "
        "teacher's R² kept n/a (the teacher's R², -0.1000, is not positive), "
        "fidelity to the teacher (R²) -0.5000."
    )


def test_baseline_is_labelled_same_student_labels_only(report):
    """Header, legend and headline name the baseline; its keys stay "baseline"."""
    lines = str(report).splitlines()
    header = lines.index("") + 1
    assert lines[header].rstrip().endswith("same student,")
    assert lines[header + 1].split() == ["teacher", "labels", "only", "distilled"]
    # each heading sits right-aligned over its column of figures
    accuracy = lines[header + 2]
    assert accuracy.startswith("accuracy") and len(accuracy) == len(lines[header + 1])
    assert len(lines[header].rstrip()) == len(accuracy) - 14
    assert (
        "baseline = same student, labels only: trained on the hard labels alone, "
        "no teacher" in lines
    )
    assert report.headline.startswith("Distilled vs same student, labels only:")
    d = report.to_dict()
    assert list(d["models"]) == ["teacher", "baseline", "distilled"]
    assert set(d["deltas"]) == {"teacher", "baseline"}
    base, dist = report.models["baseline"], report.models["distilled"]
    for key in ("accuracy", "log_loss", "roc_auc", "fidelity", "kl_divergence"):
        assert d["deltas"]["baseline"][key] == pytest.approx(dist[key] - base[key])
    assert "size_bytes" not in d["deltas"]["baseline"]
    assert d["headline"] == report.headline


def test_gap_closed_when_the_teacher_leads(report):
    """A teacher ahead of the baseline: the share closed, as a percentage."""
    teacher, base = report.models["teacher"], report.models["baseline"]
    assert teacher["accuracy"] > base["accuracy"]
    line = next(s for s in str(report).splitlines() if "gap closed" in s)
    assert line == (
        "share of baseline-to-teacher accuracy gap closed: "
        f"{report.ratios['gap_closed']:.1%}"
    )


@pytest.mark.parametrize(
    ("baseline_accuracy", "verb"), [(0.9737, "beats"), (0.9561, "matches")]
)
def test_gap_closed_when_the_baseline_already_matches(baseline_accuracy, verb):
    """No gap to close is said as such, with the two scores, not as a failure."""
    made = _made_report(
        "classification",
        teacher=_classif(0.9561, 0.15, 1.0),
        baseline=_classif(baseline_accuracy, 0.2, 0.9),
        distilled=_classif(0.9649, 0.12, 0.95),
    )
    assert np.isnan(made.ratios["gap_closed"])
    assert made.to_dict()["ratios"]["gap_closed"] is None
    line = next(s for s in str(made).splitlines() if "gap closed" in s)
    assert line == (
        "share of baseline-to-teacher accuracy gap closed: n/a (the student on "
        f"labels alone already {verb} the teacher: {baseline_accuracy:.4f} vs 0.9561)"
    )


def test_gap_closed_wording_on_a_real_report():
    """A stump teacher that the linear student beats on labels alone."""
    X, y = make_classification(400, 6, n_informative=4, random_state=0)
    model = DistilledClassifier(
        DecisionTreeClassifier(max_depth=1, random_state=0), LogisticRegression()
    ).fit(X[:250], y[:250])
    report = distillation_report(
        model, X[250:], y[250:], X_train=X[:250], y_train=y[:250], n_repeats=1
    )
    teacher, base = report.models["teacher"], report.models["baseline"]
    assert base["accuracy"] > teacher["accuracy"]
    assert (
        "share of baseline-to-teacher accuracy gap closed: n/a (the student on "
        f"labels alone already beats the teacher: {base['accuracy']:.4f} vs "
        f"{teacher['accuracy']:.4f})" in str(report).splitlines()
    )
