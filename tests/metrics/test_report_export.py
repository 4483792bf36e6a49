"""distillation_report(onnx=True): the exported models' size and latency."""

import json
import re
import sys

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestCentroid
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.export import (
    UnsupportedModelError,
    onnx_inputs,
    student_pipeline,
    teacher_pipeline,
    to_onnx,
)
from skdistill.metrics import _deploy, _report, distillation_report
from skdistill.preprocessing import TableSchema, make_preprocessor

pytest.importorskip("onnxruntime")
pytest.importorskip("skl2onnx")
pytest.importorskip("onnxmltools")

ONNX_KEYS = ("onnx_size_bytes", "onnx_latency_us_1row", "onnx_latency_ms_batch")
ONNX_RATIOS = ("onnx_size_reduction", "onnx_speedup_1row", "onnx_speedup_batch")
LATENCY_ROWS = 100


def _teacher(cls=LGBMClassifier):
    return cls(n_estimators=60, num_leaves=15, verbose=-1, n_jobs=1, random_state=0)


@pytest.fixture(scope="module")
def split():
    X, y = make_classification(600, 8, n_informative=5, n_classes=3, random_state=0)
    return X[:400], X[400:], y[:400], y[400:]


@pytest.fixture(scope="module")
def fitted(split):
    X_train, _, y_train, _ = split
    student = DecisionTreeClassifier(max_depth=4, random_state=0)
    return DistilledClassifier(_teacher(), student, random_state=0).fit(
        X_train, y_train
    )


@pytest.fixture(scope="module")
def report(fitted, split):
    X_train, X_test, y_train, y_test = split
    return distillation_report(
        fitted,
        X_test,
        y_test,
        X_train=X_train,
        y_train=y_train,
        n_repeats=1,
        latency_rows=LATENCY_ROWS,
        onnx=True,
    )


def test_onnx_figures_are_positive_for_the_teacher_and_the_student(report):
    """With onnx=True, the teacher and the student get finite positive figures."""
    for name in ("teacher", "distilled"):
        for key in ONNX_KEYS:
            value = report.models[name][key]
            assert np.isfinite(value) and value > 0, (name, key, value)


def test_baseline_is_not_exported(report):
    """The baseline's ONNX figures are NaN, shown n/a and null in JSON."""
    baseline = report.models["baseline"]
    assert all(np.isnan(baseline[key]) for key in ONNX_KEYS)
    as_json = json.loads(json.dumps(report.to_dict()))
    assert all(as_json["models"]["baseline"][key] is None for key in ONNX_KEYS)
    line = next(x for x in str(report).splitlines() if x.startswith("ONNX size"))
    assert line.split()[-2] == "n/a"


def test_onnx_size_is_the_exported_students_bytes(report, fitted, split):
    """The ONNX size is that of to_onnx's model of the student (or the teacher)."""
    X_test = split[1]
    student = to_onnx(student_pipeline(fitted), X_test)
    teacher = to_onnx(teacher_pipeline(fitted), X_test)
    assert report.models["distilled"]["onnx_size_bytes"] == len(
        student.SerializeToString()
    )
    assert report.models["teacher"]["onnx_size_bytes"] == len(
        teacher.SerializeToString()
    )


def test_student_is_smaller_than_the_lgbm_teacher(report):
    """A depth-4 tree is far smaller in ONNX than 60 boosted trees x 3 classes."""
    assert report.ratios["onnx_size_reduction"] > 10


def test_ratios_are_teacher_over_student(report):
    """Each ONNX ratio divides the teacher's figure by the student's."""
    teacher, student = report.models["teacher"], report.models["distilled"]
    for ratio, key in zip(ONNX_RATIOS, ONNX_KEYS, strict=True):
        assert report.ratios[ratio] == pytest.approx(teacher[key] / student[key])
    # the cost ratios come before the shares of the score, in the text too
    assert list(report.ratios) == [
        "size_reduction",
        "speedup_1thread",
        "speedup_default",
        *ONNX_RATIOS,
        "score_kept",
        "gap_closed",
    ]


def test_text_shows_the_onnx_rows_and_ratios(report):
    """The table has the three ONNX rows, the ratios their three lines."""
    text = str(report)
    teacher, student = report.models["teacher"], report.models["distilled"]
    size = f"{int(teacher['onnx_size_bytes']):,}"
    assert re.search(
        rf"^ONNX size \(bytes\) +{size} +n/a +{int(student['onnx_size_bytes']):,}$",
        text,
        flags=re.MULTILINE,
    )
    for label, key in (
        ("ONNX latency µs / 1 row, 1 thread", "onnx_latency_us_1row"),
        ("ONNX latency ms / 100 rows, 1 thread", "onnx_latency_ms_batch"),
    ):
        line = next(x for x in text.splitlines() if x.startswith(label))
        assert line.split()[-3:] == [
            f"{teacher[key]:.2f}",
            "n/a",
            f"{student[key]:.2f}",
        ]
    ratios = report.ratios
    assert (
        f"ONNX size reduction (teacher / distilled): "
        f"{ratios['onnx_size_reduction']:.1f}x" in text
    )
    assert (
        f"ONNX speed-up, 1 row (teacher / distilled): "
        f"{ratios['onnx_speedup_1row']:.1f}x" in text
    )
    assert (
        f"ONNX speed-up, 100 rows (teacher / distilled): "
        f"{ratios['onnx_speedup_batch']:.1f}x" in text
    )


def test_onnx_figures_are_not_deltas(report):
    """Costs are compared by ratios, not by the deltas of quality."""
    for row in report.deltas.values():
        assert not set(ONNX_KEYS) & set(row)


def test_timings_count_the_onnx_work(report):
    """The export and its timing are a share of the report's time of their own."""
    t = report.timings
    assert t["onnx"] > 0 and t["overhead"] >= 0
    assert t["total"] == pytest.approx(
        t["baseline_fit"]
        + t["predictions"]
        + t["serialization"]
        + t["onnx"]
        + t["overhead"]
    )


def test_no_onnx_figures_by_default(fitted, split):
    """Without onnx=True, no ONNX key in the models, the ratios or the text."""
    _, X_test, _, y_test = split
    plain = distillation_report(fitted, X_test, y_test, n_repeats=1, latency_rows=20)
    for row in plain.models.values():
        assert not set(ONNX_KEYS) & set(row)
    assert not set(ONNX_RATIOS) & set(plain.ratios)
    assert "ONNX" not in str(plain)
    assert plain.timings["onnx"] == 0


def test_pipeline_exports_the_preprocessing_too(split):
    """For a Pipeline, the exported models take the rows as the Pipeline does."""
    X_train, X_test, y_train, y_test = split
    model = make_pipeline(
        StandardScaler(),
        DistilledClassifier(_teacher(), LogisticRegression(), random_state=0),
    ).fit(X_train, y_train)
    result = distillation_report(
        model, X_test, y_test, n_repeats=1, latency_rows=LATENCY_ROWS, onnx=True
    )
    exported = to_onnx(student_pipeline(model), X_test)
    assert result.models["distilled"]["onnx_size_bytes"] == len(
        exported.SerializeToString()
    )
    # the timed model scales the rows itself: it takes X_test as the Pipeline does
    session = _deploy.onnx_session(exported)
    labels = session.run(["label"], onnx_inputs(exported, X_test))[0]
    np.testing.assert_array_equal(labels, model.predict(X_test))
    assert result.ratios["onnx_size_reduction"] > 10


def test_command_line_model_with_categories_and_missing_values():
    """The command line's model: a TableSchema, then a distiller of encoded models.

    The command line reports the distiller on the typed table; the ONNX
    models then take its columns, categories and missing values included.
    """
    rng = np.random.default_rng(0)
    n = 300
    X = pd.DataFrame(
        {
            "size": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
            "weight": rng.normal(size=n),
            "color": rng.choice(["red", "green", "blue"], size=n),
        }
    )
    y = ((X["size"].fillna(0) + (X["color"] == "red")) > 0.5).astype(int).to_numpy()
    schema = TableSchema().fit(X)
    typed = schema.transform(X)
    student = DecisionTreeClassifier(max_depth=4, random_state=0)
    encode = make_preprocessor(student, typed, schema=schema)
    distiller = DistilledClassifier(
        _teacher(), Pipeline([("encode", encode), ("model", student)]), random_state=0
    )
    model = Pipeline([("schema", schema), ("distiller", distiller)]).fit(X, y)
    result = distillation_report(
        model[-1], typed, y, n_repeats=1, latency_rows=50, onnx=True
    )
    for name in ("teacher", "distilled"):
        assert all(result.models[name][key] > 0 for key in ONNX_KEYS)
    assert result.ratios["onnx_size_reduction"] > 10


def test_regressor_gets_onnx_figures():
    """A DistilledRegressor's teacher and student are exported and timed too."""
    X, y = make_regression(300, 5, noise=5.0, random_state=0)
    model = DistilledRegressor(
        _teacher(LGBMRegressor), DecisionTreeRegressor(max_depth=4, random_state=0)
    ).fit(X[:200], y[:200])
    result = distillation_report(
        model, X[200:], y[200:], n_repeats=1, latency_rows=50, onnx=True
    )
    for name in ("teacher", "distilled"):
        assert all(result.models[name][key] > 0 for key in ONNX_KEYS)
    assert result.ratios["onnx_size_reduction"] > 10


def test_model_onnx_cannot_represent_fails_before_the_baseline(split, monkeypatch):
    """A student without an ONNX converter fails at once, before the baseline fit."""
    X_train, X_test, y_train, y_test = split
    model = DistilledClassifier(
        _teacher(), NearestCentroid(), fit_strategy="hard", random_state=0
    ).fit(X_train, y_train)

    def no_baseline(*args, **kwargs):
        raise AssertionError("the baseline was fitted before the export")

    monkeypatch.setattr(_report, "fit_hard_label_baseline", no_baseline)
    with pytest.raises(
        UnsupportedModelError,
        match=re.escape("NearestCentroid cannot be exported to ONNX"),
    ):
        distillation_report(
            model, X_test, y_test, X_train=X_train, y_train=y_train, onnx=True
        )


def test_import_error_names_the_extra(fitted, split, monkeypatch):
    """Without onnxruntime, onnx=True says what to install, before any work."""
    _, X_test, _, y_test = split
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    message = (
        "distillation_report(onnx=True) exports the models to ONNX and times "
        "them in onnxruntime, which needs the optional libraries onnx, "
        "skl2onnx, onnxmltools, onnxruntime (missing: onnxruntime); install "
        'them with `pip install "skdistill[export]"`, or leave onnx=False.'
    )
    with pytest.raises(ImportError, match=re.escape(message)):
        distillation_report(fitted, X_test, y_test, onnx=True)


def test_onnx_must_be_a_bool(fitted, split):
    """onnx is validated like the other parameters."""
    _, X_test, _, y_test = split
    with pytest.raises(
        ValueError,
        match=re.escape("The 'onnx' parameter of distillation_report must be"),
    ):
        distillation_report(fitted, X_test, y_test, onnx="yes")


def test_session_runs_on_one_thread(fitted, split):
    """The timed session: CPU only, one thread, every graph optimization."""
    import onnxruntime as ort

    session = _deploy.onnx_session(to_onnx(student_pipeline(fitted), split[1][:5]))
    options = session.get_session_options()
    assert session.get_providers() == ["CPUExecutionProvider"]
    assert options.intra_op_num_threads == 1
    assert options.inter_op_num_threads == 1
    assert options.graph_optimization_level == ort.GraphOptimizationLevel.ORT_ENABLE_ALL


def test_single_row_latency_is_the_median_of_single_calls(monkeypatch):
    """Calls are timed one by one, MIN_SINGLE_CALLS of them here, median kept.

    A fake clock makes 60 calls last 1 s and 40 last 1,000 s: the median
    is 1 s, where a mean over a batch would be over 400 s.
    """
    n_calls = _deploy.MIN_SINGLE_CALLS
    durations = [1.0] * (n_calls * 3 // 5) + [1000.0] * (n_calls - n_calls * 3 // 5)
    # start and end of each call: [0, d0, d0, d0 + d1, d0 + d1, ...]
    steps = np.column_stack([durations, np.zeros(n_calls)]).ravel()
    readings = iter(np.cumsum([0.0, *steps]))
    monkeypatch.setattr(_deploy.time, "perf_counter", lambda: next(readings))
    calls = []
    median = _deploy.median_call_time(lambda: calls.append(1), n_repeats=1)
    assert len(calls) == 1 + n_calls  # one untimed warm-up call first
    assert median == 1.0
