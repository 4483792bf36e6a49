"""make_preprocessor and TableSchema: a table of strings, categories and NaN."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from lightgbm import LGBMClassifier, LGBMRegressor
from numpy.testing import assert_allclose, assert_array_equal
from pandas.testing import assert_frame_equal
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestRegressor,
)
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import (
    DistilledClassifier,
    DistilledClassifierCV,
    DistilledRegressor,
    DistilledRegressorCV,
    LogitMatchingClassifier,
    SoftLGBMClassifier,
)
from skdistill.preprocessing import TableSchema, make_preprocessor

FAST_LGBM = {"n_estimators": 5, "min_child_samples": 5, "verbose": -1, "n_jobs": 1}


def table(n=120, seed=0):
    """Numbers (one as text), strings, a pandas category, booleans, missing values."""
    rng = np.random.RandomState(seed)
    x = rng.normal(size=n)
    color = rng.choice(["red", "green", "blue"], size=n).astype(object)
    shop = pd.Categorical(rng.choice(["north", "south"], size=n))
    X = pd.DataFrame(
        {
            "x": x,
            "count": rng.randint(0, 5, size=n),
            "price": [f"{v:.2f}" for v in rng.uniform(1, 9, size=n)],
            "color": color,
            "shop": shop,
            "member": rng.choice([True, False], size=n),
        }
    )
    X.loc[::9, "x"] = np.nan
    X.loc[::7, "color"] = None
    y = np.where(x + (color == "red") > 0.3, "yes", "no")
    return X, y


# -- TableSchema -----------------------------------------------------------------
def test_table_schema_types():
    """Numbers as float64, the rest as categories; unseen categories missing."""
    raw = pd.DataFrame(
        {"n": ["1", "2.5", None], "c": ["x", None, "y"], "b": [True, False, True]}
    )
    schema = TableSchema().fit(raw)
    assert schema.numeric_columns_ == ["n"]
    assert schema.categories_ == {"c": ["x", "y"], "b": ["False", "True"]}
    typed = schema.transform(
        pd.DataFrame({"b": ["True"], "c": ["z"], "n": [3], "other": [0]})
    )
    assert list(typed.columns) == ["n", "c", "b"]
    assert typed["n"].dtype == np.float64
    assert typed["c"].isna().all()
    assert typed["b"].tolist() == ["True"]
    with pytest.raises(
        ValueError, match=re.escape("X lacks 1 column(s) seen in fit: b")
    ):
        schema.transform(raw[["n", "c"]])


def test_table_schema_column_types_of_python_values():
    """A pandas category stays a category, even of numbers; nullable numbers."""
    X = pd.DataFrame(
        {
            "level": pd.Categorical([1, 2, 3, 2]),
            "k": pd.array([1, None, 3, 4], dtype="Int64"),
            "name": pd.array(["a", "b", None, "a"], dtype="string"),
            "ok": pd.array([True, None, False, True], dtype="boolean"),
        }
    )
    schema = TableSchema().fit(X)
    assert schema.numeric_columns_ == ["k"]
    assert schema.categories_ == {
        "level": ["1", "2", "3"],
        "name": ["a", "b"],
        "ok": ["False", "True"],
    }
    typed = schema.transform(X)
    assert_allclose(typed["k"], [1.0, np.nan, 3.0, 4.0])
    assert typed["name"].isna().tolist() == [False, False, True, False]
    assert typed["ok"].isna().tolist() == [False, True, False, False]


def test_table_schema_errors():
    """Sparse, 1D or wrongly shaped X; text in a column that held numbers."""
    with pytest.raises(
        TypeError,
        match=re.escape("TableSchema takes a DataFrame or a dense 2D array; got a"),
    ):
        TableSchema().fit(sp.csr_matrix(np.ones((2, 2))))
    with pytest.raises(ValueError, match=re.escape("Reshape your data")):
        TableSchema().fit(np.zeros(3))
    fitted = TableSchema().fit(np.zeros((2, 2)))
    with pytest.raises(
        ValueError,
        match=re.escape("X has 3 features, but TableSchema is expecting 2 features"),
    ):
        fitted.transform(np.zeros((2, 3)))
    schema = TableSchema().fit(pd.DataFrame({"n": [1.0, 2.0]}))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "Column 'n' held numbers in fit but now holds values that are not "
            "numbers, e.g. 'many'."
        ),
    ):
        schema.transform(pd.DataFrame({"n": ["1", "many"]}))


# -- one preprocessing per model family ------------------------------------------
LIGHTGBM = [
    LGBMClassifier(**FAST_LGBM),
    SoftLGBMClassifier(**FAST_LGBM),
    DistilledClassifier(LGBMClassifier(**FAST_LGBM), LGBMClassifier(**FAST_LGBM)),
]
TREES = [
    DecisionTreeClassifier(max_depth=3, random_state=0),
    ExtraTreesClassifier(n_estimators=5, random_state=0),
    HistGradientBoostingClassifier(max_iter=5),
    make_pipeline(DecisionTreeClassifier(max_depth=3)),
    FrozenEstimator(DecisionTreeClassifier()),
    GridSearchCV(DecisionTreeClassifier(), {"max_depth": [2, 3]}, cv=2),
    LogitMatchingClassifier(DecisionTreeRegressor(max_depth=3)),
    DistilledClassifier(LGBMClassifier(**FAST_LGBM), DecisionTreeClassifier()),
    DistilledClassifierCV(LGBMClassifier(**FAST_LGBM), DecisionTreeClassifier()),
]
ONE_HOT = [
    LogisticRegression(),
    KNeighborsClassifier(n_neighbors=3),
    make_pipeline(StandardScaler(), LogisticRegression()),
    LogitMatchingClassifier(),  # a Ridge regressor
    DistilledClassifier(),  # a LightGBM teacher, a logistic-regression student
    DistilledClassifier(DecisionTreeClassifier(), LogisticRegression()),
    DistilledClassifierCV(LGBMClassifier(**FAST_LGBM), LogisticRegression()),
]


def _name(estimator):
    return type(estimator).__name__


@pytest.mark.parametrize("estimator", LIGHTGBM, ids=_name)
def test_lightgbm_takes_the_categories_natively(estimator):
    """LightGBM: the typed table as it is, categories and NaN."""
    X, _ = table()
    preprocessor = make_preprocessor(estimator, X)
    assert [name for name, _ in preprocessor.steps] == ["schema"]
    Xt = preprocessor.fit_transform(X)
    assert Xt.dtypes.astype(str).tolist() == [
        "float64",
        "float64",
        "float64",
        "category",
        "category",
        "category",
    ]
    assert Xt["x"].isna().sum() == X["x"].isna().sum()
    assert Xt["color"].isna().sum() == X["color"].isna().sum()
    assert list(Xt["color"].cat.categories) == ["blue", "green", "red"]


@pytest.mark.parametrize("estimator", TREES, ids=_name)
def test_trees_get_ordinal_codes_and_nan(estimator):
    """Trees: ordinal codes, a missing or unseen category and numbers NaN."""
    X, _ = table()
    preprocessor = make_preprocessor(estimator, X)
    assert [name for name, _ in preprocessor.steps] == ["schema", "encode"]
    Xt = preprocessor.set_output(transform="pandas").fit_transform(X)
    assert list(Xt.columns) == ["color", "shop", "member", "x", "count", "price"]
    assert Xt.dtypes.astype(str).unique().tolist() == ["float64"]
    color = X["color"].map({"blue": 0.0, "green": 1.0, "red": 2.0})
    assert_allclose(Xt["color"], color)  # None -> NaN
    assert_allclose(Xt["x"], X["x"])
    assert_allclose(Xt["price"], X["price"].astype(float))
    unseen = X.head(2).assign(color="purple", shop="east")
    assert np.isnan(preprocessor.transform(unseen)[["color", "shop"]]).all(axis=None)


def test_trees_without_nan_get_medians_and_a_code_for_missing():
    """A tree ensemble that refuses NaN: code -1 and median-imputed numbers."""
    X, _ = table()
    preprocessor = make_preprocessor(GradientBoostingClassifier(), X)
    Xt = preprocessor.set_output(transform="pandas").fit_transform(X)
    assert not Xt.isna().any(axis=None)
    assert (Xt["color"][X["color"].isna()] == -1).all()
    assert (Xt["x"][X["x"].isna()] == X["x"].median()).all()
    unseen = preprocessor.transform(X.head(1).assign(color="purple"))
    assert unseen["color"].tolist() == [-1]


@pytest.mark.parametrize("estimator", ONE_HOT, ids=_name)
def test_linear_and_other_models_get_one_hot_and_scaled_numbers(estimator):
    """Any other model: one-hot categories, scaled numbers, nothing missing."""
    X, _ = table()
    preprocessor = make_preprocessor(estimator, X)
    assert [name for name, _ in preprocessor.steps] == ["schema", "encode"]
    Xt = preprocessor.fit_transform(X)
    Xt = Xt.toarray() if sp.issparse(Xt) else Xt
    names = preprocessor.get_feature_names_out().tolist()
    assert names == [
        *["color_blue", "color_green", "color_red"],
        *["shop_north", "shop_south", "member_False", "member_True"],
        *["x", "count", "price"],
    ]
    assert not np.isnan(Xt).any()
    assert_allclose(Xt[:, 7:].mean(axis=0), 0, atol=1e-12)
    # A missing or unseen category counts as the most frequent one.
    most_frequent = ["blue", "green", "red"].index(X["color"].mode()[0])
    for color in ("purple", None):
        unseen = preprocessor.transform(X.head(1).assign(color=color))
        unseen = unseen.toarray() if sp.issparse(unseen) else unseen
        assert_array_equal(unseen[0, :3], np.eye(3)[most_frequent])


@pytest.mark.parametrize(
    "estimator",
    [
        *LIGHTGBM[:2],
        *TREES[:3],
        GradientBoostingClassifier(n_estimators=5),
        *ONE_HOT[:3],
    ],
    ids=_name,
)
def test_every_family_fits_and_predicts_through_its_preprocessor(estimator):
    """The preprocessor and the model in a pipeline, on new rows too."""
    X, y = table()
    model = make_pipeline(make_preprocessor(estimator, X), clone(estimator))
    model.fit(X, y)
    new = X.head(5).assign(color=["purple", None, "red", "blue", "green"])
    assert set(model.predict(new)) <= {"yes", "no"}
    assert (model.predict(X) == y).mean() > 0.7


def test_a_numeric_table_needs_no_encoding_for_trees():
    """A tree on numbers only: the schema alone; a linear model: impute, scale."""
    X = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0], "b": [1, 2, 3, 4]})
    tree = make_preprocessor(DecisionTreeRegressor(), X)
    assert [name for name, _ in tree.steps] == ["schema"]
    assert_allclose(tree.fit_transform(X), X.astype(float))
    linear = make_preprocessor(Ridge(), X)
    encode = linear.named_steps["encode"]
    assert [name for name, _ in encode.steps] == ["impute", "scale"]
    assert_allclose(
        linear.fit_transform(X)[:, 1], StandardScaler().fit_transform(X)[:, 1]
    )


def test_many_categories():
    """A column of many categories: one code, or one column, per category."""
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {"city": [f"city{k:02d}" for k in rng.randint(0, 60, size=300)], "x": 1.0}
    )
    n_cities = X["city"].nunique()
    codes = make_preprocessor(DecisionTreeClassifier(), X).fit_transform(X)
    assert_array_equal(np.unique(codes[:, 0]), np.arange(n_cities))
    one_hot = make_preprocessor(LogisticRegression(), X).fit_transform(X)
    assert one_hot.shape == (300, n_cities + 1)


@pytest.mark.parametrize(
    "estimator",
    [LogisticRegression(), DecisionTreeClassifier(), GradientBoostingClassifier()],
    ids=_name,
)
def test_integer_column_names(estimator):
    """A DataFrame of an array (integer names): columns picked by position."""
    X, y = table()
    X.columns = [6, 4, 2, 0, 1, 3]
    model = make_pipeline(make_preprocessor(estimator, X), clone(estimator))
    assert (model.fit(X, y).predict(X) == y).mean() > 0.7
    names = model[0].get_feature_names_out().tolist()
    assert names[-3:] == ["6", "4", "2"]  # the numbers, after the categories


# -- arrays ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "X",
    [
        np.array([[1.0, np.nan], [2.0, 0.5], [3.0, 1.5]]),
        [[1.0, np.nan], [2.0, 0.5], [3.0, 1.5]],
        np.array([[1, None], [2, 0.5], [3, 1.5]], dtype=object),
    ],
    ids=["float", "list", "object"],
)
def test_arrays_of_numbers(X):
    """An array: every column numeric, no schema step."""
    expected = np.array([[1.0, np.nan], [2.0, 0.5], [3.0, 1.5]])
    for estimator in (LGBMRegressor(), DecisionTreeRegressor()):
        identity = make_preprocessor(estimator, X)
        assert isinstance(identity, FunctionTransformer)
        assert identity.func is None
        assert_allclose(np.asarray(identity.fit_transform(X), dtype=float), expected)
    imputer = make_preprocessor(GradientBoostingClassifier(), X)
    assert isinstance(imputer, SimpleImputer)
    assert_allclose(imputer.fit_transform(X), [[1.0, 1.0], [2.0, 0.5], [3.0, 1.5]])
    linear = make_preprocessor(Ridge(), X)
    assert [name for name, _ in linear.steps] == ["impute", "scale"]
    assert not np.isnan(linear.fit_transform(X)).any()


def test_dataframe_and_array_of_the_same_numbers_agree():
    """A numeric DataFrame and its array give the same encoded values."""
    X, _ = table()
    numbers = X[["x", "count"]]
    for estimator in (DecisionTreeClassifier(), LogisticRegression()):
        from_frame = make_preprocessor(estimator, numbers).fit_transform(numbers)
        array = numbers.to_numpy()
        from_array = make_preprocessor(estimator, array).fit_transform(array)
        assert_allclose(np.asarray(from_frame, dtype=float), from_array)


# -- a shared schema -------------------------------------------------------------
def test_with_a_shared_schema():
    """With a fitted schema: the encoding of its output, no schema step."""
    X, _ = table()
    schema = TableSchema().fit(X)
    typed = schema.transform(X)
    native = make_preprocessor(LGBMClassifier(), typed, schema=schema)
    assert isinstance(native, FunctionTransformer)
    assert native.func is None
    tree = make_preprocessor(DecisionTreeClassifier(), typed, schema=schema)
    assert isinstance(tree, ColumnTransformer)
    assert tree.transformers[0][2] == ["color", "shop", "member"]
    assert tree.transformers[1][2] == ["x", "count", "price"]
    assert tree.fit_transform(typed).shape == (len(X), 6)
    numbers = X[["x", "count"]]
    numeric_schema = TableSchema().fit(numbers)
    tree = make_preprocessor(DecisionTreeClassifier(), numbers, schema=numeric_schema)
    assert isinstance(tree, FunctionTransformer)
    linear = make_preprocessor(Ridge(), numbers, schema=numeric_schema)
    assert [name for name, _ in linear.steps] == ["impute", "scale"]


def test_shared_schema_in_front_of_a_distiller_with_two_encodings():
    """The command line's layout: one schema, then teacher and student encodings."""
    X, y = table()
    schema = TableSchema().fit(X)
    typed = schema.transform(X)
    teacher = LGBMClassifier(**FAST_LGBM)
    student = LogisticRegression()
    distiller = DistilledClassifier(
        make_pipeline(make_preprocessor(teacher, typed, schema=schema), teacher),
        make_pipeline(make_preprocessor(student, typed, schema=schema), student),
        random_state=0,
    )
    model = make_pipeline(schema, distiller).fit(X, y)
    assert_allclose(model.predict_proba(X.head(3)).sum(axis=1), 1.0)


# -- end to end ------------------------------------------------------------------
def test_lightgbm_teacher_on_strings_end_to_end():
    """The issue: LightGBM refuses text columns; through the preprocessor it works."""
    X, y = table()
    teacher = LGBMClassifier(**FAST_LGBM)
    student = DecisionTreeClassifier(max_depth=4, random_state=0)
    with pytest.raises(ValueError, match="pandas dtypes must be int, float or bool"):
        DistilledClassifier(teacher, student).fit(X, y)
    distiller = DistilledClassifier(teacher, student, random_state=0)
    model = make_pipeline(make_preprocessor(distiller, X), distiller).fit(X, y)
    assert list(model.classes_) == ["no", "yes"]
    assert (model.predict(X) == y).mean() > 0.8
    new = X.head(4).assign(color=["purple", None, "red", "blue"], x=np.nan)
    assert_allclose(model.predict_proba(new).sum(axis=1), 1.0)


def test_many_classes_end_to_end():
    """A six-class target, a LightGBM teacher and a linear student."""
    rng = np.random.RandomState(0)
    n = 240
    X = pd.DataFrame(
        {
            "x": rng.uniform(0, 6, size=n),
            "shop": rng.choice(["a", "b"], size=n),
        }
    )
    X.loc[::11, "shop"] = None
    label = (np.floor(X["x"]).astype(int) + (X["shop"] == "b")) % 6
    y = np.array([f"class_{k}" for k in label])
    distiller = DistilledClassifier(
        LGBMClassifier(**FAST_LGBM), LogisticRegression(max_iter=500), random_state=0
    )
    model = make_pipeline(make_preprocessor(distiller, X), distiller).fit(X, y)
    assert model.predict_proba(X).shape == (n, 6)
    assert (model.predict(X) == y).mean() > 0.4


def test_regression_end_to_end():
    """A regression distiller on a table of strings and NaN."""
    X, _ = table()
    y = X["x"].fillna(0).to_numpy() + (X["color"] == "red")
    distiller = DistilledRegressor(
        RandomForestRegressor(n_estimators=5, random_state=0), Ridge()
    )
    assert _steps(make_preprocessor(distiller, X)) == ["schema", "encode"]
    model = make_pipeline(make_preprocessor(distiller, X), distiller).fit(X, y)
    assert model.predict(X.head(3)).shape == (3,)
    regressor_cv = DistilledRegressorCV(LGBMRegressor(**FAST_LGBM), Ridge())
    one_hot = make_preprocessor(regressor_cv, X).named_steps["encode"]
    assert isinstance(one_hot, ColumnTransformer)


def _steps(pipeline):
    return [name for name, _ in pipeline.steps]


# -- the user's data and estimator are left alone ----------------------------------
def test_x_and_the_estimator_are_not_modified():
    """make_preprocessor, fitting and predicting leave X and the estimator as is."""
    X, y = table()
    before = X.copy(deep=True)
    estimator = DecisionTreeClassifier(max_depth=3)
    params = estimator.get_params()
    preprocessor = make_preprocessor(estimator, X)
    assert_frame_equal(X, before)
    make_pipeline(preprocessor, estimator).fit(X, y).predict(X)
    make_preprocessor(LogisticRegression(), X).fit_transform(X)
    make_preprocessor(LGBMClassifier(), X).fit_transform(X)
    assert_frame_equal(X, before)
    array = np.array([[1.0, np.nan], [2.0, 3.0]])
    array_before = array.copy()
    make_preprocessor(LogisticRegression(), array).fit_transform(array)
    assert_array_equal(array, array_before)
    assert make_preprocessor(estimator, X).get_params(deep=False)
    assert estimator.get_params() == params


def test_the_preprocessor_is_unfitted_and_clonable():
    """An unfitted scikit-learn transformer: clone works, transform needs fit."""
    X, _ = table()
    preprocessor = make_preprocessor(LogisticRegression(), X)
    assert isinstance(preprocessor, Pipeline)
    with pytest.raises(NotFittedError):
        preprocessor.transform(X)
    cloned = clone(preprocessor).fit(X)
    assert_allclose(
        sp.csr_matrix(cloned.transform(X)).toarray(),
        sp.csr_matrix(preprocessor.fit(X).transform(X)).toarray(),
    )


# -- errors ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "X, message",
    [
        (
            pd.DataFrame(index=range(3)),
            "X has no columns: found 0 feature(s)",
        ),
        (
            pd.DataFrame({"a": pd.Series([], dtype=float)}),
            "X has no rows; the type of each column is decided from its values.",
        ),
        (
            np.zeros((3, 0)),
            "X has no columns: found 0 feature(s)",
        ),
        (
            np.zeros((0, 2)),
            "X has no rows; the type of each column is decided from its values.",
        ),
        (
            pd.DataFrame([[1, 2]], columns=["a", 0]),
            "X has column names of mixed types (int, str), which scikit-learn "
            "refuses; make them all strings, for example with X.columns = "
            "X.columns.astype(str).",
        ),
        (
            pd.DataFrame([[1, 2]], columns=["a", "a"]),
            "X has duplicate column names: 'a'. Give every column its own name.",
        ),
        (
            pd.DataFrame(
                {
                    "when": pd.to_datetime(["2024-01-01", "2024-02-01"]).astype(
                        "datetime64[ns]"
                    ),
                    "z": [1j, 2j],
                    "ok": [1, 2],
                }
            ),
            "Complex data not supported. X has 2 column(s) of a type that is "
            "neither numbers, text, booleans "
            "nor categories: 'when' (datetime64[ns]), 'z' (complex128). Convert "
            "them (a date to numbers such as its year or day of the week, for "
            "example) or drop them.",
        ),
        (
            np.array([[1.0, "red"], [2.0, "blue"]], dtype=object),
            "X is an array holding values that are not numbers (e.g. 'red'); "
            "make_preprocessor types and encodes text, booleans and categories in "
            "a pandas DataFrame only: pass X as a DataFrame (for example "
            "pd.DataFrame(X, columns=names)).",
        ),
        (
            np.array([["a", "b"]]),
            "X is an array holding values that are not numbers (e.g. 'a')",
        ),
        (
            sp.csr_matrix(np.eye(2)),
            "X is a sparse matrix; make_preprocessor takes a pandas DataFrame or a "
            "dense 2-D array of numbers.",
        ),
        (
            pd.Series([1.0, 2.0]),
            "X is a pandas Series; make_preprocessor takes a table: pass a "
            "DataFrame (for one column: X.to_frame()).",
        ),
        (
            np.array([1.0, 2.0]),
            "X must be 2-D, of shape (n_samples, n_features); got an array of "
            "shape (2,). Reshape a single feature with X.reshape(-1, 1).",
        ),
        (
            [[1.0, 2.0], [3.0]],
            "X must be a pandas DataFrame or a 2-D array; cannot read list as an "
            "array:",
        ),
    ],
    ids=[
        "frame-no-columns",
        "frame-no-rows",
        "array-no-columns",
        "array-no-rows",
        "mixed-names",
        "duplicate-columns",
        "dates-and-complex",
        "array-of-strings",
        "array-of-str",
        "sparse",
        "series",
        "1-d",
        "ragged",
    ],
)
def test_bad_x(X, message):
    """Every bad X: a ValueError naming X."""
    with pytest.raises(ValueError, match=re.escape(message)):
        make_preprocessor(LogisticRegression(), X)


@pytest.mark.parametrize(
    "estimator, shown",
    [("tree", "'tree'"), (None, "None"), (LogisticRegression, "<class ")],
)
def test_bad_estimator(estimator, shown):
    """The estimator must be an estimator instance."""
    X, _ = table()
    with pytest.raises(
        TypeError,
        match=re.escape(
            "estimator must be a scikit-learn estimator instance (an object with "
            "a fit method), such as DecisionTreeClassifier(); got " + shown
        ),
    ):
        make_preprocessor(estimator, X)


def test_bad_schema():
    """schema: a fitted TableSchema, with X a DataFrame holding its columns."""
    X, _ = table()
    with pytest.raises(
        TypeError,
        match=re.escape("schema must be a fitted TableSchema (or None), got dict."),
    ):
        make_preprocessor(LogisticRegression(), X, schema={})
    with pytest.raises(
        NotFittedError,
        match=re.escape(
            "schema is not fitted: fit it on the training table "
            "(TableSchema().fit(X)) before passing it, or leave schema=None."
        ),
    ):
        make_preprocessor(LogisticRegression(), X, schema=TableSchema())
    schema = TableSchema().fit(X)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X must be a pandas DataFrame when schema is given (the table that "
            "schema types); got ndarray."
        ),
    ):
        make_preprocessor(LogisticRegression(), X.to_numpy(), schema=schema)
    with pytest.raises(
        ValueError, match=re.escape("X lacks 2 column(s) of schema: 'x', 'shop'.")
    ):
        make_preprocessor(
            LogisticRegression(), X.drop(columns=["x", "shop"]), schema=schema
        )


def test_user_guide_page_runs(capsys):
    """The Python blocks of docs/user_guide/preprocessing.md run as written."""
    page = Path(__file__).resolve().parents[1] / "docs/user_guide/preprocessing.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S)
    assert len(blocks) == 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(page), "exec"), namespace)
    model, X, y = namespace["model"], namespace["X"], namespace["y"]
    assert isinstance(model[0], TableSchema)
    assert (model.predict(X) == y).mean() > 0.9
    assert "churn" in capsys.readouterr().out


def test_table_schema_reads_an_array_as_numbered_columns():
    """A 2D array is a table with columns 0, 1, ...: numbers stay numbers."""
    X = np.array([[1.0, "a"], [2.0, "b"], [np.nan, "a"]], dtype=object)
    schema = TableSchema().fit(X)
    assert schema.numeric_columns_ == [0]
    assert schema.categories_ == {1: ["a", "b"]}
    typed = schema.transform(X)
    assert_allclose(typed[0], [1.0, 2.0, np.nan])
    assert typed[1].tolist() == ["a", "b", "a"]
