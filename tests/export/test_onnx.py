"""to_onnx and onnx_inputs: the student in onnxruntime, as scikit-learn predicts.

Parity is measured on held-out rows with categories not seen in fit and
missing values injected, in onnxruntime (CPUExecutionProvider). The graph
computes in float32, as skl2onnx's converters do, except on the path into
LightGBM's trees (double inputs and thresholds, as LightGBM compares them:
rows placed at every threshold and 1 ulp around it take LightGBM's
branches). Tolerances:

- classifiers: probabilities within ``PROBA_ATOL = 1e-5`` (absolute) of
  ``predict_proba``, labels equal to ``predict``;
- regressors: predictions within ``REGRESSION_TOL = 1e-5`` of ``predict``,
  relative to the largest prediction (absolute when it is below 1): a
  prediction near 0 made of terms of size 1e4 carries a float32 error of
  about 1e-3.

Each test's docstring gives the largest error measured.
"""

import re
import subprocess
import sys
import warnings
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.impute import SimpleImputer
from sklearn.linear_model import (
    LinearRegression,
    LogisticRegression,
    Ridge,
    SGDRegressor,
)
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    StandardScaler,
)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import (
    BornAgainClassifier,
    DistilledClassifier,
    DistilledRegressor,
    LogitMatchingClassifier,
    SoftLGBMClassifier,
    SoftLogisticRegression,
)
from skdistill.export import (
    UnsupportedModelError,
    onnx_inputs,
    teacher_pipeline,
    to_onnx,
)
from skdistill.preprocessing import TableSchema, make_preprocessor

onnxruntime = pytest.importorskip("onnxruntime")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import _data  # noqa: E402

#: Largest absolute difference allowed between ONNX and predict_proba.
PROBA_ATOL = 1e-5
#: Largest difference between ONNX and a regressor's predict, relative to
#: the largest prediction (or absolute, below 1).
REGRESSION_TOL = 1e-5

UNSEEN = "__not_seen_in_fit__"

#: ONNX element types of the inputs: float32, float64.
FLOAT, DOUBLE = 1, 11

needs_datasets = pytest.mark.skipif(
    not _data.available(),
    reason=f"shared datasets folder not found at {_data.DATASETS_DIR}",
)


# -- helpers -----------------------------------------------------------------------


def _lgbm(cls=LGBMClassifier, n_estimators=20, **params):
    return cls(
        n_estimators=n_estimators,
        num_leaves=15,
        verbose=-1,
        n_jobs=1,
        random_state=0,
        **params,
    )


def _run(onnx_model, X):
    session = onnxruntime.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, onnx_inputs(onnx_model, X))


def _classifier_errors(model, X, onnx_model=None):
    """(max |ONNX - predict_proba|, number of labels that differ)."""
    onnx_model = onnx_model or to_onnx(model, X)
    label, probabilities = _run(onnx_model, X)
    error = np.abs(probabilities - model.predict_proba(X)).max()
    return error, int(np.sum(label != model.predict(X)))


def _check_classifier(model, X, onnx_model=None):
    error, wrong = _classifier_errors(model, X, onnx_model)
    assert error <= PROBA_ATOL, error
    assert wrong == 0
    return error


def _check_regressor(model, X, onnx_model=None):
    onnx_model = onnx_model or to_onnx(model, X)
    (variable,) = _run(onnx_model, X)
    assert variable.shape == (len(X), 1)
    expected = model.predict(X)
    scale = max(1.0, np.abs(expected).max())
    assert np.abs(variable[:, 0] - expected).max() <= REGRESSION_TOL * scale
    return np.abs(variable[:, 0] - expected).max()


def _inject(X, *, every=7, seed=0):
    """A copy of ``X`` with unseen categories and missing values in its rows."""
    X = X.copy()
    rng = np.random.default_rng(seed)
    for name in X.columns:
        rows = rng.random(len(X))
        if isinstance(
            X[name].dtype, pd.CategoricalDtype
        ) or not pd.api.types.is_numeric_dtype(X[name]):
            X[name] = X[name].astype(object)
            X.loc[rows < 1 / every, name] = UNSEEN
            X.loc[rows > 1 - 1 / every, name] = None
        else:
            X[name] = X[name].astype(np.float64)
            X.loc[rows < 1 / every, name] = np.nan
    return X


def _table(n_classes=3, n_samples=600, seed=0):
    """Numbers, a text column and missing values; labels 0, 1, ..."""
    X, y = make_classification(
        n_samples=n_samples,
        n_features=5,
        n_informative=3,
        n_classes=n_classes,
        random_state=seed,
    )
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d", "e"])
    frame["color"] = np.where(
        X[:, 0] > 0, "red", np.where(X[:, 1] > 0, "blue", "green")
    )
    frame.loc[rng.random(n_samples) < 0.1, "color"] = None
    frame.loc[rng.random(n_samples) < 0.1, "a"] = np.nan
    return frame, y


def _split(X, y):
    X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.3, random_state=0)
    return X_train, y_train, _inject(X_test)


def _with_preprocessing(model, typed, schema):
    """``model`` after its encoding of the schema's output, as the command line."""
    encoder = make_preprocessor(model, typed, schema=schema)
    if isinstance(encoder, FunctionTransformer) and encoder.func is None:
        return model
    return Pipeline([("encode", encoder), ("model", model)])


def _command_line_model(student, X, y, *, regression=False):
    """``Pipeline([schema, distiller])``, each model with its own encoding."""
    schema = TableSchema().fit(X)
    typed = schema.transform(X)
    teacher = _lgbm(LGBMRegressor if regression else LGBMClassifier)
    distiller_class = DistilledRegressor if regression else DistilledClassifier
    distiller = distiller_class(
        _with_preprocessing(teacher, typed, schema),
        _with_preprocessing(student, typed, schema),
        random_state=0,
    ).fit(typed, y)
    return Pipeline([("schema", schema), ("distiller", distiller)])


def _students():
    """The student families, by name (fresh instances)."""
    return {
        "tree": DecisionTreeClassifier(max_depth=6, random_state=0),
        "logistic": LogisticRegression(max_iter=500),
        "soft_logistic": SoftLogisticRegression(),
        "soft_lgbm": SoftLGBMClassifier(
            n_estimators=10, num_leaves=8, verbose=-1, n_jobs=1, random_state=0
        ),
        "logit_ridge": LogitMatchingClassifier(Ridge()),
        "logit_lgbm": LogitMatchingClassifier(_lgbm(LGBMRegressor, n_estimators=8)),
        "logit_tree": LogitMatchingClassifier(
            DecisionTreeRegressor(max_depth=5, random_state=0)
        ),
        "mlp": MLPClassifier(hidden_layer_sizes=(16,), max_iter=100, random_state=0),
    }


def _regressors():
    return {
        "tree": DecisionTreeRegressor(max_depth=6, random_state=0),
        "ridge": Ridge(),
        "linear": LinearRegression(),
        "sgd": SGDRegressor(random_state=0),
        "lgbm": _lgbm(LGBMRegressor, n_estimators=10),
    }


# -- parity on synthetic tables ----------------------------------------------------


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("family", list(_students()))
def test_classifier_parity_on_a_table(family, n_classes):
    """Every student family, behind make_preprocessor, matches predict_proba.

    A text column with missing values; held-out rows with unseen
    categories and missing values in every column. Tolerance
    ``PROBA_ATOL = 1e-5``, labels equal; measured: at most 1.5e-7 (MLP).
    """
    X, y = _table(n_classes)
    X_train, y_train, X_test = _split(X, y)
    distiller = DistilledClassifier(_lgbm(), _students()[family], random_state=0)
    model = make_pipeline(make_preprocessor(distiller, X_train), distiller)
    model.fit(X_train, y_train)
    onnx_model = to_onnx(model, X_train)
    assert [i.name for i in onnx_model.graph.input] == list(X.columns)
    assert [o.name for o in onnx_model.graph.output] == ["label", "probabilities"]
    _check_classifier(model, X_test, onnx_model)


@pytest.mark.parametrize("family", list(_regressors()))
def test_regressor_parity_on_a_table(family):
    """DistilledRegressor's students give ``variable``, as predict.

    Tolerance ``REGRESSION_TOL = 1e-5`` (predictions up to about 10, so
    1e-4 absolute); measured: at most 1.3e-6 absolute (linear models).
    """
    X, y = _table(3)
    target = X["b"].to_numpy() * 3 + y + 0.5 * (X["color"] == "red")
    X_train, y_train, X_test = _split(X, target)
    distiller = DistilledRegressor(
        _lgbm(LGBMRegressor), _regressors()[family], random_state=0
    )
    model = make_pipeline(make_preprocessor(distiller, X_train), distiller)
    model.fit(X_train, y_train)
    onnx_model = to_onnx(model, X_train)
    assert [o.name for o in onnx_model.graph.output] == ["variable"]
    _check_regressor(model, X_test, onnx_model)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("family", ["tree", "soft_lgbm", "logit_ridge"])
def test_string_class_labels(family, n_classes):
    """String labels come out as the same strings; probabilities as before."""
    X, y = _table(n_classes)
    labels = np.array(["cat", "dog", "emu"])[y]
    X_train, y_train, X_test = _split(X, labels)
    distiller = DistilledClassifier(_lgbm(), _students()[family], random_state=0)
    model = make_pipeline(make_preprocessor(distiller, X_train), distiller)
    model.fit(X_train, y_train)
    label, _ = _run(to_onnx(model, X_train), X_test)
    assert label.dtype == object
    assert set(label) <= set(model.classes_)
    _check_classifier(model, X_test)


def test_soft_lgbm_adds_its_initial_score():
    """SoftLGBMClassifier's probabilities include init_score_, binary and not.

    With unbalanced classes the initial score is far from 0, so the
    probabilities would be off by far more than ``PROBA_ATOL`` without it.
    """
    for n_classes, weights in ((2, [0.85]), (3, [0.7, 0.25])):
        X, y = make_classification(
            n_samples=600, n_features=5, n_classes=n_classes, n_informative=3,
            weights=weights, random_state=1,
        )  # fmt: skip
        distiller = DistilledClassifier(
            _lgbm(), _students()["soft_lgbm"], random_state=0
        ).fit(X, y)
        assert np.abs(distiller.student_.init_score_).max() > 0.5
        _check_classifier(distiller, X)


def test_plain_lightgbm_on_pandas_categories():
    """LightGBM fitted on a DataFrame with a category column, with no schema.

    Its inputs are the DataFrame's columns; the category's codes are
    LightGBM's own (``pandas_categorical``); SoftLGBMClassifier fitted with
    ``fit`` exports as LightGBM's classifier.
    """
    X, y = _table(3)
    X["color"] = X["color"].astype("category")
    for model in (_lgbm(), SoftLGBMClassifier(n_estimators=10, verbose=-1, n_jobs=1)):
        model.fit(X, y)
        onnx_model = to_onnx(model, X)
        assert [i.name for i in onnx_model.graph.input] == list(X.columns)
        X_test = X.copy()
        X_test.loc[::4, "color"] = None
        X_test.loc[::5, "b"] = np.nan
        _check_classifier(model, X_test, onnx_model)


def test_lightgbm_regressor_on_an_array():
    """A bare regressor and an array: one float input ``X``."""
    X, y = make_classification(n_samples=300, n_features=4, random_state=0)
    model = _lgbm(LGBMRegressor).fit(X, y.astype(float))
    onnx_model = to_onnx(model)
    (graph_input,) = onnx_model.graph.input
    assert graph_input.name == "X"
    assert [d.dim_value for d in graph_input.type.tensor_type.shape.dim] == [0, 4]
    _check_regressor(model, X, onnx_model)


def test_numeric_dataframe_without_schema():
    """A numeric DataFrame: one input per column, joined before the scaler."""
    X, y = _table(2)
    X = X.drop(columns="color").fillna(0.0)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    onnx_model = to_onnx(model, X)
    assert [i.name for i in onnx_model.graph.input] == list(X.columns)
    _check_classifier(model, X, onnx_model)
    label, probabilities = _run(onnx_model, X.to_numpy())  # columns by position
    assert np.abs(probabilities - model.predict_proba(X)).max() <= PROBA_ATOL
    np.testing.assert_array_equal(label, model.predict(X))


def test_missing_values_follow_the_trees_routing():
    """A NaN goes where the scikit-learn tree sends it, left or right.

    skl2onnx's tree converter sends every NaN right (sklearn-onnx issue
    #1253); the export writes ``missing_go_to_left`` into the ONNX trees.
    """
    X, y = _table(3, n_samples=800)
    tree = DecisionTreeClassifier(max_depth=6, random_state=0)
    model = make_pipeline(make_preprocessor(tree, X), tree).fit(X, y)
    split = tree.tree_.children_left >= 0
    assert tree.tree_.missing_go_to_left[split].any()
    assert not tree.tree_.missing_go_to_left[split].all()
    onnx_model = to_onnx(model, X)
    (ensemble,) = [n for n in onnx_model.graph.node if n.op_type.startswith("Tree")]
    tracks = next(
        a.ints
        for a in ensemble.attribute
        if a.name == "nodes_missing_value_tracks_true"
    )
    assert 1 in tracks
    X_missing = X.copy()
    X_missing[["a", "b", "c"]] = np.nan
    X_missing["color"] = None
    _check_classifier(model, X_missing, onnx_model)


# -- LightGBM's thresholds, exactly (double inputs) --------------------------------


def _lightgbm_thresholds(booster):
    """``(feature, threshold)`` of every numeric split of a LightGBM booster."""
    splits = []

    def walk(node):
        if "split_feature" in node:
            if node["decision_type"] == "<=":
                splits.append((node["split_feature"], float(node["threshold"])))
            walk(node["left_child"])
            walk(node["right_child"])

    for tree in booster.dump_model()["tree_info"]:
        walk(tree["tree_structure"])
    return splits


def _at_thresholds(rows, boosters, columns=None):
    """Copies of ``rows`` with one feature at a threshold, and 1 ulp around it.

    Row ``k`` of the result is ``rows[k % len(rows)]`` with the feature of a
    split set to its threshold, to the next double above, or below: in
    float32 the three round to the same value, so a float32 graph sends
    the one above down the wrong branch. ``columns`` maps LightGBM's
    feature index to a column of ``rows`` (a DataFrame).
    """
    out = []
    splits = [split for booster in boosters for split in _lightgbm_thresholds(booster)]
    assert len(splits) > 20
    for k, (feature, threshold) in enumerate(splits):
        for value in (
            threshold,
            np.nextafter(threshold, np.inf),
            np.nextafter(threshold, -np.inf),
        ):
            if columns is None:
                row = rows[k % len(rows)].copy()
                row[feature] = value
            else:
                row = rows.iloc[[k % len(rows)]].copy()
                row[columns[feature]] = value
            out.append(row)
    return np.array(out) if columns is None else pd.concat(out, ignore_index=True)


def _float32_flips(model, X, columns=None):
    """Largest change of predict_proba (or predict) when X is rounded to float32.

    ``columns``: the numeric columns of a DataFrame ``X`` to round.
    """
    predict = getattr(model, "predict_proba", model.predict)
    if columns is None:
        rounded = X.astype(np.float32).astype(np.float64)
    else:
        rounded = X.copy()
        rounded[columns] = X[columns].astype(np.float32).astype(np.float64)
    return np.abs(predict(rounded) - predict(X)).max()


def _standardized(n_classes=3, n_samples=500):
    """Standardized numbers (thresholds that float32 does not hold); labels."""
    X, y = make_classification(
        n_samples=n_samples, n_features=6, n_informative=4, n_classes=n_classes,
        random_state=0,
    )  # fmt: skip
    X = StandardScaler().fit_transform(X * [1.0, 3.0, 0.1, 7.0, 1.0, 2.0] + 0.3)
    return X[:400], y[:400], X[400:]


def _tree_thresholds_are_double(onnx_model):
    ensembles = [n for n in onnx_model.graph.node if n.op_type.startswith("TreeEns")]
    assert ensembles
    for node in ensembles:
        names = {attribute.name for attribute in node.attribute}
        assert "nodes_values_as_tensor" in names
        assert "nodes_values" not in names
        (tensor,) = [a.t for a in node.attribute if a.name == "nodes_values_as_tensor"]
        assert tensor.data_type == DOUBLE


def _lightgbm_students():
    return {
        "lgbm": _lgbm(n_estimators=8),
        "lgbm_regressor": _lgbm(LGBMRegressor, n_estimators=8),
        "soft_lgbm": SoftLGBMClassifier(
            n_estimators=8, num_leaves=15, verbose=-1, n_jobs=1, random_state=0
        ),
        "logit_lgbm": LogitMatchingClassifier(_lgbm(LGBMRegressor, n_estimators=8)),
    }


def _boosters(model):
    if isinstance(model, LogitMatchingClassifier):
        return [r.booster_ for r in getattr(model.regressor_, "estimators_", [])] or [
            model.regressor_.booster_
        ]
    return [model.booster_]


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("family", list(_lightgbm_students()))
def test_lightgbm_at_its_thresholds(family, n_classes):
    """Rows at every threshold and 1 ulp around it take LightGBM's branches.

    Standardized features, as the vowel benchmark's (where a float32 graph
    was off by 0.044: a held-out value 1 ulp above a threshold rounded onto
    it). The input ``X`` is double and the trees' thresholds a double
    tensor. Rounding the rows to float32 changes predict_proba by more
    than 1e-3 (so a float32 graph would fail); the export is within
    ``PROBA_ATOL`` (regressor: ``REGRESSION_TOL``) with equal labels.
    Measured (333 to 1,008 rows): at most 8.7e-8 (probabilities), 9.5e-8
    (regression); in a float32 graph (or with double inputs but float
    thresholds) up to 0.48 and 28 wrong labels.
    """
    X_train, y_train, X_test = _standardized(n_classes)
    student = _lightgbm_students()[family]
    if family.startswith("lgbm"):  # bare (a distiller makes LGBMClassifier soft)
        model = student.fit(X_train, y_train)
        boosters = [model.booster_]
    else:
        model = DistilledClassifier(_lgbm(), student, random_state=0)
        model.fit(X_train, y_train)
        boosters = _boosters(model.student_)
    rows = _at_thresholds(X_test, boosters)
    assert _float32_flips(model, rows) > 1e-3
    onnx_model = to_onnx(model)
    assert onnx_model.graph.input[0].type.tensor_type.elem_type == DOUBLE
    assert onnx_inputs(onnx_model, rows)["X"].dtype == np.float64
    _tree_thresholds_are_double(onnx_model)
    ml = {o.domain: o.version for o in onnx_model.opset_import}["ai.onnx.ml"]
    assert ml >= 3
    if family == "lgbm_regressor":
        _check_regressor(model, rows, onnx_model)
    else:
        _check_classifier(model, rows, onnx_model)


@pytest.mark.parametrize("scaler", [StandardScaler, MinMaxScaler, MaxAbsScaler])
def test_lightgbm_after_a_scaler_at_its_thresholds(scaler):
    """A scaler in front of LightGBM converts in double too: exact branches.

    The raw rows are placed so that the scaled value lands at a threshold
    and a few ulps around it. Measured: at most 1e-7.
    """
    X_train, y_train, X_test = _standardized(3)
    X_train, X_test = X_train * 3.7 + 1.3, X_test * 3.7 + 1.3
    model = make_pipeline(scaler(), _lgbm(n_estimators=8))
    model.fit(X_train, y_train)
    rows = []
    for k, (feature, threshold) in enumerate(_lightgbm_thresholds(model[-1].booster_)):
        point = np.zeros((1, X_train.shape[1]))
        point[0, feature] = threshold
        value = np.nextafter(model[0].inverse_transform(point)[0, feature], -np.inf)
        for _ in range(3):
            row = X_test[k % len(X_test)].copy()
            row[feature] = value
            rows.append(row)
            value = np.nextafter(value, np.inf)
    rows = np.array(rows)
    assert _float32_flips(model, rows) > 1e-3
    onnx_model = to_onnx(model)
    assert onnx_model.graph.input[0].type.tensor_type.elem_type == DOUBLE
    _check_classifier(model, rows, onnx_model)


def test_lightgbm_after_an_imputer_stays_float32():
    """SimpleImputer (float-only in onnxruntime) in front keeps float32 inputs."""
    X_train, y_train, X_test = _standardized(3)
    model = make_pipeline(SimpleImputer(), _lgbm(n_estimators=8))
    model.fit(X_train, y_train)
    onnx_model = to_onnx(model)
    assert onnx_model.graph.input[0].type.tensor_type.elem_type == FLOAT
    _check_classifier(model, X_test, onnx_model)


def test_command_line_lightgbm_student_at_its_thresholds():
    """skdistill fit's model with the bare LightGBM student, after TableSchema.

    Its numeric inputs are double, the category's codes cast to double;
    rows at every numeric threshold and 1 ulp around it, with unseen
    categories and missing values, take LightGBM's branches. Measured: at
    most 2e-7.
    """
    X, y = _table(3)
    numbers = ["a", "b", "c", "d", "e"]
    X[numbers] = (X[numbers] - X[numbers].mean()) / X[numbers].std()
    X_train, y_train, X_test = _split(X, y)
    model = _command_line_model(_lgbm(n_estimators=8), X_train, y_train)
    student = model[-1].student_
    assert isinstance(student, LGBMClassifier)
    rows = _at_thresholds(X_test, [student.booster_], columns=list(X.columns))
    assert _float32_flips(model, rows, numbers) > 1e-3
    onnx_model = to_onnx(model)
    types = {i.name: i.type.tensor_type.elem_type for i in onnx_model.graph.input}
    assert types == dict.fromkeys(numbers, DOUBLE) | {"color": 8}
    assert onnx_inputs(onnx_model, rows)["a"].dtype == np.float64
    _tree_thresholds_are_double(onnx_model)
    _check_classifier(model, rows, onnx_model)


# -- the command line's model ------------------------------------------------------


@pytest.mark.parametrize("student", ["tree", "logreg", "lgbm-small"])
def test_command_line_model(student):
    """skdistill fit's model: raw columns in, as the command line predicts.

    One input per column (float for numbers, string for the text column);
    the teacher (teacher_pipeline) exports the same way.
    """
    from skdistill.cli._console import Progress
    from skdistill.cli._models import ModelOptions
    from skdistill.cli._train import Settings, distil

    X, y = _table(3)
    X_train, y_train, X_test = _split(X, y)
    schema = TableSchema().fit(X_train)
    settings = Settings(
        student=student,
        teacher_cv=None,
        options=ModelOptions(n_estimators=10, n_jobs=1),
    )
    model = distil(
        X_train, y_train, "classification", schema, settings, Progress(quiet=True),
        with_baseline=False,
    ).model  # fmt: skip
    onnx_model = to_onnx(model)
    types = {i.name: i.type.tensor_type.elem_type for i in onnx_model.graph.input}
    assert list(types) == list(X.columns)
    number = DOUBLE if student == "lgbm-small" else FLOAT  # LightGBM: double
    assert types == {"a": number, "b": number, "c": number, "d": number} | {
        "e": number,
        "color": 8,
    }
    _check_classifier(model, X_test, onnx_model)
    _check_classifier(teacher_pipeline(model), X_test)


def test_command_line_regressor():
    """A regression of the command line's shape, LightGBM student."""
    X, y = _table(3)
    target = X["c"].to_numpy() + y
    X_train, y_train, X_test = _split(X, target)
    model = _command_line_model(
        _lgbm(LGBMRegressor, n_estimators=10), X_train, y_train, regression=True
    )
    _check_regressor(model, X_test, to_onnx(model))


# -- inputs ------------------------------------------------------------------------


def test_inputs_are_named_after_any_column_name():
    """Names that skl2onnx would rewrite (``x-box``, spaces, numbers) are kept."""
    X, y = _table(2)
    X.columns = ["x-box", "y box", "c", "d", "e", "colour (text)"]
    tree = DecisionTreeClassifier(max_depth=4, random_state=0)
    model = make_pipeline(make_preprocessor(tree, X), tree).fit(X, y)
    onnx_model = to_onnx(model)
    assert [i.name for i in onnx_model.graph.input] == list(X.columns)
    _check_classifier(model, _inject(X), onnx_model)
    X_numbered = X.set_axis(range(6), axis=1)
    model = make_pipeline(make_preprocessor(tree, X_numbered), tree)
    model.fit(X_numbered, y)
    onnx_model = to_onnx(model)
    assert [i.name for i in onnx_model.graph.input] == [str(i) for i in range(6)]
    _check_classifier(model, _inject(X_numbered), onnx_model)


def test_onnx_inputs_encode_missing_values_and_text():
    """NaN and None become "" in text inputs, NaN in numbers; X is unchanged."""
    X = pd.DataFrame(
        {
            "size": ["1.5", None, 3, "4"],
            "color": ["red", None, np.nan, "blue"],
            "count": pd.array([1, None, 3, 4], dtype="Int64"),
            "flag": [True, False, True, False],
        }
    )
    model = LogisticRegression()
    pipeline = make_pipeline(make_preprocessor(model, X), model).fit(X, [0, 1, 0, 1])
    onnx_model = to_onnx(pipeline)
    before = X.copy()
    inputs = onnx_inputs(onnx_model, X)
    pd.testing.assert_frame_equal(X, before)
    assert list(inputs) == ["size", "color", "count", "flag"]
    np.testing.assert_array_equal(inputs["size"].ravel(), [1.5, np.nan, 3.0, 4.0])
    assert inputs["size"].dtype == np.float32
    assert inputs["size"].shape == (4, 1)
    assert inputs["color"].ravel().tolist() == ["red", "", "", "blue"]
    assert inputs["flag"].ravel().tolist() == ["True", "False", "True", "False"]
    _check_classifier(pipeline, X, onnx_model)


def test_onnx_inputs_take_an_array_or_a_frame_for_a_matrix_input():
    """One input X: an array or a DataFrame, cast to float32; X is unchanged."""
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    onnx_model = to_onnx(model)
    X_int = (X * 10).astype(np.int64)
    before = X_int.copy()
    from_array = onnx_inputs(onnx_model, X_int)["X"]
    from_frame = onnx_inputs(onnx_model, pd.DataFrame(X_int))["X"]
    np.testing.assert_array_equal(X_int, before)
    assert from_array.dtype == np.float32
    assert from_array.shape == (100, 4)
    np.testing.assert_array_equal(from_array, from_frame)
    np.testing.assert_array_equal(from_array, X_int.astype(np.float32))


# -- models are not modified -------------------------------------------------------


def test_export_does_not_modify_the_model_or_the_sample():
    """The model (every step) and X_sample are the same after the export."""
    X, y = _table(3)
    X_train, y_train, X_test = _split(X, y)
    models = [
        _command_line_model(_students()["logistic"], X_train, y_train),
        _command_line_model(_students()["logit_tree"], X_train, y_train),
        _command_line_model(_students()["soft_lgbm"], X_train, y_train),
    ]
    for model in models:
        before_model, before_sample = joblib.hash(model), X_test.copy()
        proba = model.predict_proba(X_test)
        to_onnx(model, X_test)
        assert joblib.hash(model) == before_model
        pd.testing.assert_frame_equal(X_test, before_sample)
        np.testing.assert_array_equal(model.predict_proba(X_test), proba)


# -- errors ------------------------------------------------------------------------


class _MajorityClassifier(ClassifierMixin, BaseEstimator):
    """A classifier that skl2onnx has no converter for."""

    def fit(self, X, y, sample_weight=None):
        self.classes_, counts = np.unique(y, return_counts=True)
        self.prior_ = counts / counts.sum()
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict_proba(self, X):
        return np.tile(self.prior_, (len(X), 1))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class _MeanRegressor(RegressorMixin, BaseEstimator):
    """A regressor that skl2onnx has no converter for."""

    def fit(self, X, y, sample_weight=None):
        self.mean_ = np.mean(y, axis=0)
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        return np.tile(self.mean_, (len(X), 1)).squeeze()


_NO_CONVERTER = (
    "{} cannot be exported to ONNX: skl2onnx has no converter for it. ONNX "
    "supports what skl2onnx converts (scikit-learn's trees, forests, linear and "
    "logistic models, MLPs, scalers, imputers, encoders, ColumnTransformer, ...), "
    "LightGBM's LGBMClassifier and LGBMRegressor, and skdistill's TableSchema, "
    "SoftLogisticRegression, SoftLGBMClassifier and LogitMatchingClassifier (with "
    "a regressor of those)."
)


def test_unsupported_student_is_refused():
    """A student without converter: UnsupportedModelError naming it and ONNX."""
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    distiller = DistilledClassifier(_lgbm(), _MajorityClassifier(), random_state=0).fit(
        X, y
    )
    message = _NO_CONVERTER.format("_MajorityClassifier")
    with pytest.raises(UnsupportedModelError, match=re.escape(message)):
        to_onnx(distiller)
    with pytest.raises(UnsupportedModelError, match=re.escape(message)):
        to_onnx(make_pipeline(StandardScaler(), _MajorityClassifier()).fit(X, y))


def test_python_function_step_is_refused():
    """A FunctionTransformer of a Python function has no ONNX form."""
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    model = make_pipeline(FunctionTransformer(np.log1p), LogisticRegression())
    model.fit(np.abs(X), y)
    message = (
        "FunctionTransformer(func=log1p) cannot be exported to ONNX: a Python "
        "function has no ONNX converter (only the identity, func=None, converts)."
    )
    with pytest.raises(UnsupportedModelError, match=re.escape(message)):
        to_onnx(model)


def test_unfitted_model_is_refused():
    """An unfitted model: scikit-learn's NotFittedError."""
    with pytest.raises(NotFittedError):
        to_onnx(DistilledClassifier(_lgbm(), LogisticRegression()))


def test_logit_matching_with_an_unsupported_regressor_is_refused():
    """LogitMatchingClassifier exports only with a regressor that converts."""
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    model = LogitMatchingClassifier(_MeanRegressor()).fit(X, y)
    message = _NO_CONVERTER.format("_MeanRegressor")
    with pytest.raises(UnsupportedModelError, match=re.escape(message)):
        to_onnx(model)


def test_average_of_several_students_is_refused():
    """predict_with="average" is not one student (student_pipeline's error)."""
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    model = BornAgainClassifier(
        DecisionTreeClassifier(max_depth=2, random_state=0),
        n_generations=1,
        predict_with="average",
        random_state=0,
    ).fit(X, y)
    message = (
        "BornAgainClassifier predicts with an average of several models "
        "(predict_with='average'), which is not one student to export."
    )
    with pytest.raises(UnsupportedModelError, match=re.escape(message)):
        to_onnx(model)


@pytest.mark.parametrize("missing", ["onnx", "skl2onnx", "onnxmltools"])
def test_missing_extra_says_how_to_install_it(monkeypatch, missing):
    """Without the export extra: an ImportError with the pip command.

    onnx_inputs needs onnx only.
    """
    X, y = make_classification(n_samples=50, n_features=4, random_state=0)
    model = LogisticRegression().fit(X, y)
    onnx_model = to_onnx(model)
    monkeypatch.setitem(sys.modules, missing, None)
    message = (
        f"to_onnx needs {missing}, an optional dependency of skdistill: pip "
        'install "skdistill[export]"'
    )
    with pytest.raises(ImportError, match=re.escape(message)):
        to_onnx(model)
    if missing == "onnx":
        message = message.replace("to_onnx", "onnx_inputs")
        with pytest.raises(ImportError, match=re.escape(message)):
            onnx_inputs(onnx_model, X)
    else:
        assert onnx_inputs(onnx_model, X)["X"].shape == (50, 4)


def test_import_without_the_export_extra():
    """``import skdistill.export`` needs none of the optional libraries."""
    code = (
        "import sys\n"
        "for name in ('onnx', 'skl2onnx', 'onnxmltools', 'onnxruntime'):\n"
        "    sys.modules[name] = None\n"
        "import skdistill.export\n"
        "try:\n"
        "    skdistill.export.to_onnx(None)\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert 'pip install "skdistill[export]"' in result.stdout


def _numeric_model():
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    return make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y), X


def test_x_sample_errors():
    """X_sample that does not fit the model: a ValueError saying how."""
    model, X = _numeric_model()
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X_sample has 3 columns but the model's first step, StandardScaler, "
            "takes 4."
        ),
    ):
        to_onnx(model, X[:, :3])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X_sample is an array of values that are not numbers; pass a "
            "DataFrame, whose text columns become text inputs."
        ),
    ):
        to_onnx(model, X.astype(str))
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(d="x")
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X_sample has text or category column(s) ('d') but the model's first "
            "step, StandardScaler, takes numbers: pass X_sample with the dtypes "
            "of the table the model was fitted on."
        ),
    ):
        to_onnx(model, frame)
    del model[0].n_features_in_
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X_sample is needed: the model's first step, StandardScaler, does not "
            "say how many features it takes (it has no n_features_in_). Pass a "
            "few rows of the model's input."
        ),
    ):
        to_onnx(model)


def test_x_sample_lacking_schema_columns():
    X, y = _table(2)
    tree = DecisionTreeClassifier(max_depth=3, random_state=0)
    model = make_pipeline(make_preprocessor(tree, X), tree).fit(X, y)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X_sample lacks 1 column(s) of the model's TableSchema: 'color'."
        ),
    ):
        to_onnx(model, X.drop(columns="color"))


def test_column_named_as_an_output():
    X, y = _table(2)
    X = X.rename(columns={"b": "label"})
    tree = DecisionTreeClassifier(max_depth=3, random_state=0)
    model = make_pipeline(make_preprocessor(tree, X), tree).fit(X, y)
    message = (
        "the model's input has a column named 'label', the name of an output of "
        "the ONNX model (label, probabilities), and ONNX names must be unique: "
        "rename the column in the table the model is fitted on (and in X_sample), "
        "then refit."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        to_onnx(model)


def test_empty_string_category_is_refused():
    """ "" is the missing text of ONNX inputs: a category "" cannot be told apart."""
    X = pd.DataFrame({"size": [1.0, 2.0, 3.0, 4.0], "color": ["red", "", "red", ""]})
    model = make_pipeline(TableSchema(), _lgbm(min_child_samples=1))
    model.fit(X, [0, 1, 0, 1])
    message = (
        "TableSchema: the column 'color' has the empty string among its "
        "categories, which ONNX inputs use for a missing text, so it cannot be "
        "exported to ONNX."
    )
    with pytest.raises(UnsupportedModelError, match=re.escape(message)):
        to_onnx(model)


def test_target_opset():
    """target_opset sets the graph's operator set; out of range is refused."""
    from skl2onnx import get_latest_tested_opset_version

    model, X = _numeric_model()
    onnx_model = to_onnx(model, target_opset=15)
    opsets = {o.domain: o.version for o in onnx_model.opset_import}
    assert opsets[""] == 15
    assert opsets["ai.onnx.ml"] <= 3
    _check_classifier(model, X, onnx_model)
    latest = get_latest_tested_opset_version()
    message = (
        f"target_opset must be between 13 and {latest} (the newest operator set "
        f"that skl2onnx supports), got 12."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        to_onnx(model, target_opset=12)
    with pytest.raises(
        TypeError,
        match=re.escape(
            "target_opset must be an int (the ONNX operator set) or None, got str."
        ),
    ):
        to_onnx(model, target_opset="15")


def test_onnx_inputs_errors():
    """Rows that do not fit the ONNX model's inputs: a ValueError saying how."""
    X, y = _table(2)
    tree = DecisionTreeClassifier(max_depth=3, random_state=0)
    table_model = to_onnx(make_pipeline(make_preprocessor(tree, X), tree).fit(X, y))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X lacks 1 column(s) that are inputs of the ONNX model: 'color'."
        ),
    ):
        onnx_inputs(table_model, X.drop(columns="color"))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "Column 'a' of X is a numeric input of the ONNX model but holds values "
            "that are not numbers, e.g. 'abc'."
        ),
    ):
        onnx_inputs(table_model, X.astype({"a": object}).assign(a="abc"))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X must hold one column per input of the ONNX model (6: a, b, c, d, e, "
            "color); got an array of shape (600, 5). Pass a DataFrame with these "
            "columns."
        ),
    ):
        onnx_inputs(table_model, X.drop(columns="color").to_numpy())
    model, X_numbers = _numeric_model()
    matrix_model = to_onnx(model)
    with pytest.raises(
        ValueError,
        match=re.escape("X has 3 columns but the ONNX model's input 'X' takes 4."),
    ):
        onnx_inputs(matrix_model, X_numbers[:, :3])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X must be a DataFrame or a 2-D array of rows; got an array of shape "
            "(4,). Reshape a single row with X.reshape(1, -1)."
        ),
    ):
        onnx_inputs(matrix_model, X_numbers[0])


# -- parity on real datasets -------------------------------------------------------


def _real_split(name, *, train_rows=1500, test_rows=1000):
    """Training rows, their target, and held-out rows with injections.

    1,000 held-out rows, or a third of the rows of a smaller dataset.
    """
    X, y, _ = _data.load(name, max_rows=train_rows + test_rows)
    test_size = test_rows if len(X) >= train_rows + test_rows else len(X) // 3
    X_train, X_test, y_train, _ = train_test_split(
        X, y, test_size=test_size, random_state=0
    )
    return X_train, y_train, _inject(X_test, every=20)


@needs_datasets
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("family", list(_students()))
@pytest.mark.parametrize("name", ["adult", "car", "vowel"])
def test_classifier_parity_on_real_data(name, family):
    """The command line's model on real tables, each student family.

    adult (text categories, missing values, two string labels), car (4
    classes, integer-coded categories), vowel (11 classes); 1,000 held-out
    rows (car: 576, vowel: 330, a third of their rows), with unseen
    categories and missing values injected in one row in 20 of every column.
    Tolerance ``PROBA_ATOL = 1e-5``, labels equal; measured: at most 3.3e-7
    (vowel, logistic regression).
    """
    X_train, y_train, X_test = _real_split(name)
    model = _command_line_model(_students()[family], X_train, y_train)
    onnx_model = to_onnx(model)
    assert [i.name for i in onnx_model.graph.input] == list(X_train.columns)
    _check_classifier(model, X_test, onnx_model)


@needs_datasets
@pytest.mark.slow
@pytest.mark.parametrize("family", ["tree", "ridge", "lgbm"])
def test_regressor_parity_on_real_data(family):
    """diamonds (text categories, prices up to ~19,000): 1,000 held-out rows.

    Tolerance ``REGRESSION_TOL = 1e-5`` of the largest prediction;
    measured: at most 2.7e-3 absolute (ridge), 1.7e-7 of the largest
    prediction.
    """
    X_train, y_train, X_test = _real_split("diamonds")
    model = _command_line_model(
        _regressors()[family], X_train, y_train.astype(float), regression=True
    )
    _check_regressor(model, X_test, to_onnx(model))


@pytest.mark.parametrize(
    "student",
    [LogisticRegression(max_iter=500), DecisionTreeClassifier(max_depth=4)],
    ids=["logistic", "tree"],
)
def test_columns_without_any_value_are_dropped_as_in_scikit_learn(student):
    """A numeric and a text column with no value in fit: SimpleImputer drops them.

    skl2onnx's imputer keeps every column (the scaler after it then fails on
    the count); the export imputes them with a placeholder and leaves them
    out, as ``transform`` does.
    """
    X, y = _table(n_classes=2, n_samples=300)
    X = X.assign(empty=np.nan, no_text=None)
    model = make_pipeline(make_preprocessor(student, X), student)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Skipping features ..."
        model.fit(X, y)
        error = _check_classifier(model, X)
    assert error < 1e-6


def test_imputer_with_indicator_is_refused():
    X, y = make_classification(n_samples=80, n_features=4, random_state=0)
    X[::5, 0] = np.nan
    model = make_pipeline(SimpleImputer(add_indicator=True), LogisticRegression()).fit(
        X, y
    )
    with pytest.raises(
        UnsupportedModelError,
        match=re.escape("SimpleImputer(add_indicator=True) cannot be exported"),
    ):
        to_onnx(model, X)


def test_one_matrix_input_fed_from_a_frame_with_a_column_named_x():
    """A model of one input X, fed a DataFrame that has a column "X"."""
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"X": rng.normal(size=100), "Y": rng.normal(size=100)})
    y = (X["X"] > 0).astype(int)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    onnx_model = to_onnx(model)
    assert [i.name for i in onnx_model.graph.input] == ["X"]
    assert onnx_inputs(onnx_model, X)["X"].shape == (100, 2)
    _check_classifier(model, X, onnx_model)
