"""to_c: the student as C99, compiled and compared with predict_proba.

Each source is compiled with ``cc -std=c99 -O2 -Wall -Wextra -Werror
-pedantic`` and run on 1,000 held-out rows: its probabilities must match
``predict_proba`` within 1e-5 (they match to about 1e-15) and its labels
``predict`` exactly.
"""

import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from export._cc import ATOL, assert_matches, compiled_outputs, needs_cc
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import (
    LinearRegression,
    LogisticRegression,
    Ridge,
    SGDRegressor,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    RobustScaler,
    StandardScaler,
)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import (
    DistilledClassifier,
    DistilledRegressor,
    LogitMatchingClassifier,
    SoftLGBMClassifier,
    SoftLogisticRegression,
)
from skdistill.cli._console import Progress
from skdistill.cli._models import ModelOptions
from skdistill.cli._train import Settings, distil
from skdistill.export import UnsupportedModelError, student_pipeline, to_c
from skdistill.export._c import c_inputs
from skdistill.export._c_harness import compile_harness, time_harness
from skdistill.export._c_models import float32_cut
from skdistill.preprocessing import TableSchema, make_preprocessor

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import _data

N_TRAIN, N_TEST = 600, 1000


def _lgbm(cls=LGBMClassifier, **params):
    return cls(
        **{"n_estimators": 8, "num_leaves": 8, "verbose": -1, "n_jobs": 1, **params}
    )


def _split(X, y):
    return X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:]


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(
        N_TRAIN + N_TEST, n_features=6, n_informative=4, random_state=0
    )
    return _split(X, y)


@pytest.fixture(scope="module")
def multiclass():
    X, y = make_classification(
        N_TRAIN + N_TEST,
        n_features=8,
        n_informative=5,
        n_classes=4,
        n_clusters_per_class=1,
        random_state=1,
    )
    X[np.random.default_rng(0).random(X.shape) < 0.05] = np.nan  # missing values
    return _split(X, np.array(["ant", "bee", "cat", "dog"])[y])


@pytest.fixture(scope="module")
def regression():
    X, y = make_regression(N_TRAIN + N_TEST, n_features=6, noise=5.0, random_state=2)
    return _split(X, y)


def _numeric(model):
    return make_pipeline(SimpleImputer(), StandardScaler(), model)


CLASSIFIERS = {
    "tree": lambda: DecisionTreeClassifier(max_depth=8, random_state=0),
    "forest": lambda: RandomForestClassifier(
        n_estimators=5, max_depth=6, random_state=0, n_jobs=1
    ),
    "logistic": lambda: _numeric(LogisticRegression(max_iter=1000)),
    "soft_logistic": lambda: _numeric(SoftLogisticRegression()),
    "lgbm": lambda: _lgbm(),
    "soft_lgbm": lambda: DistilledClassifier(
        _lgbm(n_estimators=20), SoftLGBMClassifier(**_lgbm().get_params())
    ),
    "distilled_tree": lambda: DistilledClassifier(
        _lgbm(n_estimators=20), DecisionTreeClassifier(max_depth=6, random_state=0)
    ),
    "logit_matching_ridge": lambda: _numeric(LogitMatchingClassifier(Ridge())),
    "logit_matching_tree": lambda: LogitMatchingClassifier(
        DecisionTreeRegressor(max_depth=6, random_state=0)
    ),
    "logit_matching_lgbm": lambda: LogitMatchingClassifier(_lgbm(LGBMRegressor)),
}


@needs_cc
@pytest.mark.parametrize("data", ["binary", "multiclass"])
@pytest.mark.parametrize("family", list(CLASSIFIERS))
def test_classifier_matches_predict_proba(family, data, request, tmp_path):
    """Every classifier family, two and four classes (NaN in the latter)."""
    X_train, y_train, X_test = request.getfixturevalue(data)
    model = CLASSIFIERS[family]().fit(X_train, y_train)
    assert assert_matches(model, X_test, tmp_path) < ATOL


REGRESSORS = {
    "ridge": lambda: make_pipeline(StandardScaler(), Ridge()),
    "linear": lambda: LinearRegression(),
    "sgd": lambda: make_pipeline(StandardScaler(), SGDRegressor(random_state=0)),
    "tree": lambda: DecisionTreeRegressor(max_depth=8, random_state=0),
    "forest": lambda: RandomForestRegressor(
        n_estimators=5, max_depth=6, random_state=0, n_jobs=1
    ),
    "lgbm": lambda: _lgbm(LGBMRegressor),
    "lgbm_sqrt": lambda: _lgbm(LGBMRegressor, reg_sqrt=True),
    "lgbm_rf": lambda: _lgbm(
        LGBMRegressor, boosting_type="rf", bagging_freq=1, bagging_fraction=0.7
    ),
    "distilled_tree": lambda: DistilledRegressor(
        _lgbm(LGBMRegressor, n_estimators=20),
        DecisionTreeRegressor(max_depth=6, random_state=0),
    ),
}


@needs_cc
@pytest.mark.parametrize("family", list(REGRESSORS))
def test_regressor_matches_predict(family, regression, tmp_path):
    """Every regressor family: double NAME_predict(const double *x)."""
    X_train, y_train, X_test = regression
    model = REGRESSORS[family]().fit(X_train, y_train)
    assert_matches(model, X_test, tmp_path)


@needs_cc
def test_poisson_lightgbm_takes_the_exponential(tmp_path):
    """A log-link objective: exp of the raw score, as LightGBM's predict."""
    X, y = make_regression(N_TRAIN + N_TEST, n_features=4, random_state=3)
    y = np.exp(y / np.abs(y).max())
    model = _lgbm(LGBMRegressor, objective="poisson").fit(X[:N_TRAIN], y[:N_TRAIN])
    assert_matches(model, X[N_TRAIN:], tmp_path)


# -- tables: the command line's models ----------------------------------------


def _table(n_rows, seed):
    rng = np.random.default_rng(seed)
    colors = np.array(["red", "green", "blue", "ochre", "teal"])
    table = pd.DataFrame(
        {
            "size": rng.normal(size=n_rows),
            "color": colors[rng.integers(0, 5, n_rows)],
            "count": rng.integers(0, 9, n_rows).astype(float),
            "shop": np.array(["a", "b", "c"])[rng.integers(0, 3, n_rows)],
        }
    )
    logit = (
        table["size"]
        + table["color"].isin(["red", "teal"]) * 1.5
        - 0.3 * table["count"]
        + (table["shop"] == "b")
    )
    y = np.where(logit + rng.normal(size=n_rows) > 0.2, "yes", "no")
    table.loc[rng.random(n_rows) < 0.1, "size"] = np.nan
    table.loc[rng.random(n_rows) < 0.1, "color"] = None
    return table, y


@pytest.fixture(scope="module")
def table():
    X_train, y_train = _table(N_TRAIN, 0)
    X_test, _ = _table(N_TEST, 1)
    X_test.loc[::7, "color"] = "purple"  # unseen: missing after the schema
    return X_train, y_train, X_test


def _command_line_model(student, X, y):
    """The command line's shape: TableSchema, then a distiller whose student
    (and teacher) has make_preprocessor's encoding, built on the schema."""
    schema = TableSchema().fit(X)
    typed = schema.transform(X)

    def encoded(model):
        preprocessor = make_preprocessor(model, typed, schema=schema)
        if isinstance(preprocessor, FunctionTransformer):  # nothing to do
            return model
        return Pipeline([("encode", preprocessor), ("model", model)])

    distiller = DistilledClassifier(
        encoded(_lgbm(n_estimators=20)), encoded(student), random_state=0
    )
    return Pipeline([("schema", schema), ("distiller", distiller.fit(typed, y))])


STUDENTS = {
    "tree": lambda: DecisionTreeClassifier(max_depth=6, random_state=0),
    "logreg": lambda: LogisticRegression(max_iter=1000),
    "lgbm-small": lambda: _lgbm(),
}


@needs_cc
@pytest.mark.parametrize("student", list(STUDENTS))
def test_command_line_models_on_a_table(student, table, tmp_path):
    """Text categories, missing and unseen ones, through TableSchema codes."""
    X_train, y_train, X_test = table
    model = _command_line_model(STUDENTS[student](), X_train, y_train)
    assert assert_matches(model, X_test, tmp_path) < ATOL
    if student == "lgbm-small":  # LightGBM's own splits on the category codes
        assert "skdistill_model_category_bits" in to_c(model)


@needs_cc
def test_unseen_and_invalid_codes_are_missing(table, tmp_path):
    """Any code other than a category's index counts as missing (NAN)."""
    X_train, y_train, X_test = table
    model = _command_line_model(_lgbm(), X_train, y_train)
    rows = c_inputs(model, X_test)
    color = list(X_train.columns).index("color")
    missing = rows.copy()
    missing[:, color] = np.nan
    invalid = rows.copy()
    invalid[:, color] = np.tile([-1.0, 5.0, 0.5, 1e300], N_TEST // 4)
    _, expected, _ = compiled_outputs(model, X_test, tmp_path / "a", rows=missing)
    _, outputs, _ = compiled_outputs(model, X_test, tmp_path / "b", rows=invalid)
    np.testing.assert_array_equal(outputs, expected)
    X_missing = X_test.assign(color=None)
    np.testing.assert_allclose(
        expected, student_pipeline(model).predict_proba(X_missing), atol=ATOL
    )


def test_c_inputs_are_the_schema_codes(table):
    """c_inputs: numbers as they are, categories as codes, missing as NaN."""
    X_train, y_train, X_test = table
    model = _command_line_model(_lgbm(), X_train, y_train)
    rows = c_inputs(model, X_test.head(8))
    schema = model.named_steps["schema"]
    colors = schema.categories_["color"]
    expected_color = [
        colors.index(c) if c in colors else np.nan for c in X_test["color"].head(8)
    ]
    np.testing.assert_array_equal(rows[:, 1], expected_color)
    np.testing.assert_array_equal(rows[:, 0], X_test["size"].head(8))
    assert list(X_test.columns) == ["size", "color", "count", "shop"]


def test_the_header_documents_inputs_and_classes(table):
    """Columns in order, the code of each category, the classes."""
    X_train, y_train, _ = table
    model = _command_line_model(LogisticRegression(max_iter=1000), X_train, y_train)
    source = to_c(model, name="shop_model")
    header = source[: source.index("*/")]
    assert " *   x[0] size: number" in header
    assert (
        ' *   x[1] color: category code,\n *       0 = "blue", 1 = "green", ' in header
    )
    assert ' *   0: "no", 1: "yes"' in header
    assert "#define shop_model_N_FEATURES 4\n#define shop_model_N_CLASSES 2" in source
    assert "void shop_model_predict_proba(const double *x, double *proba)\n{" in source
    assert "int shop_model_predict(const double *x)\n{" in source


@needs_cc
def test_categorical_steps_after_a_schema(table, tmp_path):
    """Imputed, one-hot and ordinal codes of categories, missing ones included."""
    X_train, y_train, X_test = table
    schema = TableSchema().fit(X_train)
    encode = ColumnTransformer(
        [
            (
                "filled",
                make_pipeline(
                    SimpleImputer(strategy="constant", fill_value="none"),
                    OneHotEncoder(handle_unknown="ignore"),
                ),
                ["color"],
            ),
            (
                "one_hot",
                OneHotEncoder(handle_unknown="ignore", drop="first"),
                ["color"],
            ),
            (
                "ordinal",
                OrdinalEncoder(
                    handle_unknown="use_encoded_value",
                    unknown_value=-1,
                    encoded_missing_value=-2,
                ),
                ["color", "shop"],
            ),
            ("numbers", SimpleImputer(), ["size", "count"]),
        ]
    )
    model = make_pipeline(schema, encode, LogisticRegression(max_iter=1000))
    model.fit(X_train, y_train)
    assert assert_matches(model, X_test, tmp_path) < ATOL


# -- LightGBM's categorical splits --------------------------------------------


@needs_cc
def test_lightgbm_categorical_feature_on_an_array(tmp_path):
    """Integer codes, also negative, fractional, huge and missing: as LightGBM."""
    rng = np.random.default_rng(4)
    X = np.column_stack([rng.normal(size=2000), rng.integers(0, 40, 2000)])
    y = ((X[:, 1] % 3 == 0) + (X[:, 0] > 0.5)).astype(int)
    X[rng.random(2000) < 0.05, 1] = np.nan
    model = _lgbm(min_data_per_group=5, cat_smooth=1.0).fit(
        X[:N_TRAIN], y[:N_TRAIN], categorical_feature=[1]
    )
    assert "==" in str(model.booster_.dump_model())  # categorical splits
    X_test = X[N_TRAIN : N_TRAIN + N_TEST].copy()
    X_test[:40, 1] = [-1.0, -0.5, 0.5, 1e12, 64.0, 35.9, -2.0, 100.0] * 5
    assert_matches(model, X_test, tmp_path)


@needs_cc
def test_lightgbm_on_a_dataframe_of_categories(table, tmp_path):
    """No TableSchema: a category's code is its index in LightGBM's categories."""
    X_train, y_train, X_test = table
    frame = X_train.astype({"color": "category", "shop": "category"})
    model = _lgbm(min_data_per_group=5).fit(frame, y_train)
    colors = frame["color"].cat.categories
    test = X_test.assign(color=X_test["color"].where(X_test["color"].isin(colors)))
    test = test.astype(
        {
            "color": pd.CategoricalDtype(colors),
            "shop": pd.CategoricalDtype(frame["shop"].cat.categories),
        }
    )
    assert_matches(model, test, tmp_path)
    source = to_c(model)
    assert ' *   x[1] color: category code,\n *       0 = "blue",' in source
    assert "skdistill_model_category_bits" in source


# -- preprocessing ------------------------------------------------------------


@needs_cc
@pytest.mark.filterwarnings("ignore:Found unknown categories:UserWarning")
def test_preprocessing_steps(tmp_path):
    """Encoders of integer codes, imputers, scalers, column selections."""
    rng = np.random.default_rng(5)
    n = N_TRAIN + N_TEST
    X = np.column_stack(
        [
            rng.integers(1, 6, n),  # codes 1..5
            rng.integers(0, 4, n),
            rng.normal(size=n),
            rng.exponential(size=n),
            rng.normal(size=n),
        ]
    ).astype(float)
    y = (X[:, 0] % 2 + (X[:, 2] > 0) + (X[:, 1] == 2)).astype(int)
    X[rng.random(n) < 0.05, 2] = np.nan
    X[rng.random(n) < 0.05, 0] = np.nan
    encode = ColumnTransformer(
        [
            ("one_hot", OneHotEncoder(drop="first", handle_unknown="ignore"), [0]),
            (
                "ordinal",
                OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
                [1],
            ),
            (
                "numbers",
                make_pipeline(
                    SimpleImputer(strategy="constant", fill_value=0.0),
                    MinMaxScaler(clip=True),
                ),
                slice(2, 3),
            ),
            ("robust", RobustScaler(), np.array([False, False, False, True, False])),
        ],
        remainder=MaxAbsScaler(),
    )
    model = make_pipeline(encode, LogisticRegression(max_iter=1000))
    model.fit(X[:N_TRAIN], y[:N_TRAIN])
    X_test = X[N_TRAIN:].copy()
    X_test[:10, 0] = 7.0  # unseen by the one-hot encoder: all zeros
    X_test[10:20, 1] = 9.0  # unseen by the ordinal encoder: -1
    X_test[20:30, 2] = 50.0  # clipped
    assert_matches(model, X_test, tmp_path)


@needs_cc
def test_columns_selected_by_name(table, tmp_path):
    """A ColumnTransformer on a DataFrame of numbers, by column names."""
    X_train, y_train, X_test = table
    columns = ["size", "count"]
    model = make_pipeline(
        ColumnTransformer(
            [("scale", _numeric(StandardScaler()), ["count", "size"])],
        ),
        DecisionTreeClassifier(max_depth=5, random_state=0),
    ).fit(X_train[columns], y_train)
    assert_matches(model, X_test[columns], tmp_path)


# -- exact thresholds ---------------------------------------------------------


@settings(derandomize=True, max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False))
@example(0.0, 33554431.0)  # ties round to the even float32
@example(1.0, np.inf)  # scikit-learn's split of the missing values
@example(-1e39, -np.inf)
@example(3.4028235e38, 3.4028234663852886e38)  # FLT_MAX
@example(1e39, 1e39)
@example(-1e39, -1e39)
@example(0.0, -0.0)
@example(1e-46, 1e-45)  # subnormal float32
def test_float32_cut_is_scikit_learns_comparison(value, threshold):
    """v < cut (or <=) exactly when float32(v) <= threshold, compared as doubles."""
    cut, strict = float32_cut(threshold)
    for v in (value, cut, np.nextafter(cut, np.inf), np.nextafter(cut, -np.inf)):
        with np.errstate(over="ignore"):
            expected = float(np.float32(v)) <= threshold  # as scikit-learn's C
        assert (v < cut if strict else v <= cut) == expected, (v, threshold)


@needs_cc
def test_trees_at_their_thresholds(multiclass, tmp_path):
    """Rows exactly at the cuts and their neighbours: same leaves as in Python."""
    X_train, y_train, _ = multiclass
    tree = DecisionTreeClassifier(max_depth=8, random_state=0).fit(X_train, y_train)
    lgbm = _lgbm().fit(X_train, y_train)
    rows = []
    split = (tree.tree_.children_left >= 0) & np.isfinite(tree.tree_.threshold)
    for feature, threshold in zip(
        tree.tree_.feature[split], tree.tree_.threshold[split], strict=True
    ):
        cut, _ = float32_cut(threshold)
        for value in (cut, np.nextafter(cut, np.inf), np.nextafter(cut, -np.inf)):
            row = np.nan_to_num(X_train[len(rows) % N_TRAIN]).copy()
            row[feature] = value
            rows.append(row)
    for tree_info in lgbm.booster_.dump_model()["tree_info"]:
        stack = [tree_info["tree_structure"]]
        while stack:
            node = stack.pop()
            if "split_feature" not in node:
                continue
            stack += [node["left_child"], node["right_child"]]
            threshold = float(node["threshold"])
            for value in (threshold, np.nextafter(threshold, np.inf)):
                row = np.nan_to_num(X_train[len(rows) % N_TRAIN]).copy()
                row[node["split_feature"]] = value
                rows.append(row)
    X = np.array(rows)
    assert_matches(tree, X, tmp_path / "tree")
    assert_matches(lgbm, X, tmp_path / "lgbm")


@needs_cc
def test_harness_times_a_prediction_and_reports_compiler_errors(binary, tmp_path):
    """The benchmarks' harness: a time per call; the compiler's own message."""
    X_train, y_train, X_test = binary
    source = to_c(DecisionTreeClassifier(max_depth=4).fit(X_train, y_train))
    harness = compile_harness(source, tmp_path / "ok")
    assert (harness.n_features, harness.n_classes) == (6, 2)
    assert 0 < time_harness(harness, X_test[:50], repeat=3) < 1e-3
    broken = source.replace("return best;", "return best")
    with pytest.raises(RuntimeError, match=re.escape("-pedantic")) as info:
        compile_harness(broken, tmp_path / "broken")
    assert "error" in str(info.value) and "return best" in str(info.value)


# -- names and errors ---------------------------------------------------------


@needs_cc
def test_name_prefixes_every_identifier(binary, tmp_path):
    """Every file-scope identifier starts with the name."""
    X_train, y_train, X_test = binary
    model = _lgbm().fit(X_train, y_train)
    assert_matches(model, X_test, tmp_path, name="churn_v2")
    source = to_c(model, name="churn_v2")
    declared = re.findall(r"^[a-z][\w ]*?\**(\w+)(?:\[\d*\])? *[(=]", source, re.M)
    declared += re.findall(r"^} (\w+);", source, re.M)  # the typedef
    assert {"churn_v2_predict", "churn_v2_predict_proba", "churn_v2_node"} <= set(
        declared
    )
    assert all(name.startswith("churn_v2_") for name in declared), declared


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "name must be a valid C identifier"),
        ("2fast", "such as 'skdistill_model'; got '2fast'."),
        ("my-model", "got 'my-model'."),
        (None, "got None."),
        ("int", "name 'int' is a C keyword"),
        ("_model", "name '_model' is a C keyword or starts with '_'"),
    ],
)
def test_invalid_name(binary, name, message):
    X_train, y_train, _ = binary
    model = DecisionTreeClassifier(max_depth=2).fit(X_train, y_train)
    with pytest.raises(ValueError, match=re.escape(message)):
        to_c(model, name=name)


def test_invalid_name_message(binary):
    X_train, y_train, _ = binary
    model = DecisionTreeClassifier(max_depth=2).fit(X_train, y_train)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "name must be a valid C identifier (letters, digits and '_', not "
            "starting with a digit), such as 'skdistill_model'; got 'my-model'."
        ),
    ):
        to_c(model, name="my-model")
    with pytest.raises(
        ValueError,
        match=re.escape(
            "name 'int' is a C keyword or starts with '_' (reserved for the C "
            "implementation); choose another, such as 'skdistill_model'."
        ),
    ):
        to_c(model, name="int")


def test_unsupported_student_names_to_onnx(binary):
    """A model C cannot write: its type, 'C', what C supports, and to_onnx."""
    X_train, y_train, _ = binary
    model = DistilledClassifier(
        _lgbm(), MLPClassifier(hidden_layer_sizes=(4,), max_iter=20, random_state=0)
    )
    with pytest.warns(Warning):  # MLP's convergence warning
        model.fit(X_train, y_train)
    with pytest.raises(UnsupportedModelError) as info:
        to_c(model)
    message = str(info.value)
    assert message.startswith(
        "MLPClassifier: the C export (format 'C') does not support MLPClassifier. "
        "C supports decision trees and random forests"
    )
    assert message.endswith(
        "to_onnx supports MLPClassifier: export it with skdistill.export.to_onnx."
    )


def test_text_categories_need_a_table_schema(table):
    """Text cannot be a C input: the message says what to do."""
    X_train, y_train, _ = table
    model = make_pipeline(
        ColumnTransformer(
            [("one_hot", OneHotEncoder(handle_unknown="ignore"), ["shop"])],
        ),
        LogisticRegression(),
    ).fit(X_train, y_train)
    with pytest.raises(
        UnsupportedModelError,
        match=re.escape(
            "OneHotEncoder: the step 'columntransformer > one_hot' holds the text "
            "value 'a' for a column that C takes as a number: text categories "
            "need a TableSchema as the first step"
        ),
    ) as info:
        to_c(model)
    assert "to_onnx supports text inputs" in str(info.value)


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            FunctionTransformer(np.log1p),
            "FunctionTransformer: the FunctionTransformer 'functiontransformer' "
            "applies <ufunc 'log1p'>, a Python function that C cannot run",
        ),
        (
            SimpleImputer(add_indicator=True),
            "SimpleImputer: the SimpleImputer 'simpleimputer' has "
            "add_indicator=True, which the C export does not support",
        ),
    ],
)
def test_unsupported_steps(binary, step, message):
    X_train, y_train, _ = binary
    model = make_pipeline(step, LogisticRegression()).fit(np.abs(X_train), y_train)
    with pytest.raises(UnsupportedModelError, match=re.escape(message)):
        to_c(model)


def test_unsupported_lightgbm_settings(regression):
    """Linear trees, and several outputs of a regressor."""
    X_train, y_train, _ = regression
    linear = _lgbm(LGBMRegressor, linear_tree=True).fit(X_train, y_train)
    with pytest.raises(
        UnsupportedModelError,
        match=re.escape(
            "LGBMRegressor: the LightGBM model 'student' has linear trees "
            "(linear_tree=True), which the C export does not support"
        ),
    ):
        to_c(linear)
    two = DecisionTreeRegressor(max_depth=3).fit(
        X_train, np.column_stack([y_train] * 2)
    )
    with pytest.raises(
        UnsupportedModelError,
        match=re.escape(
            "DecisionTreeRegressor: the regressor 'student' has 2 outputs; C "
            "supports one"
        ),
    ):
        to_c(two)


def test_gaussian_nb_is_unsupported_by_c_but_not_by_onnx(binary):
    X_train, y_train, _ = binary
    with pytest.raises(
        UnsupportedModelError, match=re.escape("to_onnx supports GaussianNB")
    ):
        to_c(GaussianNB().fit(X_train, y_train))


def test_x_sample_is_checked(binary, table):
    X_train, y_train, _ = binary
    model = DecisionTreeClassifier(max_depth=2).fit(X_train, y_train)
    assert to_c(model, X_train[:5]) == to_c(model)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X_sample must have the model's 6 columns (rows like its input), got "
            "shape (5, 3)."
        ),
    ):
        to_c(model, X_train[:5, :3])
    frame, labels, _ = table
    schema_model = _command_line_model(_lgbm(), frame, labels)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X_sample lacks 1 column(s) that the model was fitted on: 'shop'."
        ),
    ):
        to_c(schema_model, frame.drop(columns="shop"))


def test_model_is_not_modified(table):
    X_train, y_train, _ = table
    model = _command_line_model(LogisticRegression(max_iter=1000), X_train, y_train)
    before = student_pipeline(model).predict_proba(X_train)
    params = repr(model.get_params())
    to_c(model)
    np.testing.assert_array_equal(
        student_pipeline(model).predict_proba(X_train), before
    )
    assert repr(model.get_params()) == params


# -- real datasets ------------------------------------------------------------

needs_datasets = pytest.mark.skipif(
    not _data.available(),
    reason=f"shared datasets folder not found at {_data.DATASETS_DIR}",
)


def _real(name, max_rows):
    X, y, _ = _data.load(name, max_rows=max_rows)
    n_train = len(X) - N_TEST
    return X.iloc[:n_train], y[:n_train], X.iloc[n_train:]


def _command_line_distillation(student, X, y):
    """skdistill fit's own training (skdistill.cli._train.distil), 20 teacher trees."""
    settings = Settings(
        student=student,
        teacher_cv=None,
        options=ModelOptions(n_estimators=20, n_jobs=1),
    )
    schema = TableSchema().fit(X)
    return distil(X, y, "classification", schema, settings, Progress(quiet=True)).model


@pytest.mark.slow
@needs_datasets
@needs_cc
@pytest.mark.parametrize("student", ["tree", "logreg", "lgbm-small"])
@pytest.mark.parametrize("dataset", ["adult", "telco_churn"])
def test_command_line_students_on_real_tables(dataset, student, tmp_path):
    """adult, telco_churn: text categories and missing values, as skdistill fit."""
    X_train, y_train, X_test = _real(dataset, 3000)
    assert X_test.isna().to_numpy().any() or dataset == "telco_churn"
    model = _command_line_distillation(student, X_train, y_train)
    assert assert_matches(model, X_test, tmp_path) < ATOL


@pytest.mark.slow
@needs_datasets
@needs_cc
@pytest.mark.parametrize("dataset", ["car", "letter"])
def test_integer_categories_and_many_classes(dataset, tmp_path):
    """car (integer-coded categories), letter (26 classes): tree and LightGBM."""
    X_train, y_train, X_test = _real(dataset, 2728)
    for student in ["tree", "lgbm-small"]:
        model = _command_line_distillation(student, X_train, y_train)
        assert assert_matches(model, X_test, tmp_path / student) < ATOL


@needs_cc
def test_lightgbm_columns_with_spaces_and_comment_marks(tmp_path):
    """LightGBM records "a b" as "a_b" but predicts on "a b": both are read.

    Names holding ``/*``, ``*/`` or ``??`` stay inside the header comment
    (the harness compiles with -Wall -Wextra -Werror -pedantic).
    """
    X, y = make_classification(n_samples=300, n_features=4, random_state=0)
    X = pd.DataFrame(X, columns=["a b", "x/*y", "p*/q", "what??"])
    model = LGBMClassifier(n_estimators=5, verbose=-1, n_jobs=1).fit(X, y)
    assert list(model.feature_names_in_) == ["a_b", "x/*y", "p*/q", "what??"]
    source, _, _ = compiled_outputs(model, X, tmp_path)
    assert "x/ *y" in source
    assert_matches(model, X, tmp_path)
    to_c(model, X)  # the sample's names are found too
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X_sample lacks 1 column(s) that the model was fitted on: 'a_b'"
        ),
    ):
        to_c(model, X.drop(columns="a b"))
