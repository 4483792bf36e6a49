"""Preparing a table for a model: strings, categories and missing values.

Tables hold text, pandas categories and missing values that most models do
not take as they are: LightGBM refuses text columns ("pandas dtypes must be
int, float or bool"), a linear model refuses text and ``NaN``.
:func:`make_preprocessor` builds, for a model and a table, an unfitted
transformer that turns the table into what that model takes:

- :class:`TableSchema` gives the columns the types learned in ``fit``:
  numbers as ``float64``, any other column as a pandas ``category`` column
  with the categories seen in ``fit`` (an unseen category becomes missing);
- then each model family gets its own encoding:

  - LightGBM takes the category columns natively, and missing values as
    they are;
  - scikit-learn's trees and tree ensembles get ordinal-coded categories,
    and missing values as ``NaN``, which they route natively (those that do
    not take ``NaN``, such as ``GradientBoostingClassifier``, get the
    median of a number and the code ``-1`` for a missing category);
  - linear models and any other estimator get one-hot categories (a missing
    or unseen category counted as the most frequent one) and standardized
    numbers (the median imputed).

The command line prepares its tables this way, and its model files record
the fitted :class:`TableSchema` of the training table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from lightgbm import LGBMModel
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    OrdinalEncoder,
    StandardScaler,
)
from sklearn.tree import BaseDecisionTree
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from ._base import BaseDistiller
from ._search import _BaseDistillerSearch
from ._validation import final_estimator
from .students import LogitMatchingClassifier

__all__ = ["TableSchema", "make_preprocessor"]


def _as_text(column: pd.Series) -> pd.Series:
    """Non-missing values as ``str``, missing ones as ``NaN`` (object dtype)."""
    present = column.notna()
    text = pd.Series(np.nan, index=column.index, dtype=object)
    text[present] = column[present].map(str)
    return text


def _parses_as_numbers(column: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(column) or isinstance(
        column.dtype, pd.CategoricalDtype
    ):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    present = column.dropna()
    numbers = pd.to_numeric(present.map(str), errors="coerce")
    return bool(numbers.notna().all())


def _has_known_type(column: pd.Series) -> bool:
    """Numbers (real), booleans, text (or Python objects) or categories."""
    dtype = column.dtype
    if isinstance(dtype, pd.SparseDtype):
        return False
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(dtype):
        return True
    if pd.api.types.is_numeric_dtype(dtype):
        return not pd.api.types.is_complex_dtype(dtype)
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def _check_table(X: pd.DataFrame) -> None:
    """Raise a ValueError naming ``X`` unless its columns can be typed."""
    if X.shape[1] == 0:
        raise ValueError(
            f"X has no columns: found 0 feature(s) (shape={X.shape}) while a "
            "minimum of 1 is required."
        )
    if X.shape[0] == 0:
        raise ValueError(
            "X has no rows; the type of each column is decided from its values."
        )
    duplicated = X.columns[X.columns.duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(
            f"X has duplicate column names: {', '.join(map(repr, duplicated))}. "
            "Give every column its own name."
        )
    name_types = sorted({type(name).__name__ for name in X.columns})
    if len(name_types) > 1 and "str" in name_types:
        raise ValueError(
            f"X has column names of mixed types ({', '.join(name_types)}), which "
            "scikit-learn refuses; make them all strings, for example with "
            "X.columns = X.columns.astype(str)."
        )
    unknown = [name for name in X.columns if not _has_known_type(X[name])]
    if unknown:
        shown = ", ".join(f"{name!r} ({X[name].dtype})" for name in unknown)
        complex_ = any(pd.api.types.is_complex_dtype(X[name]) for name in unknown)
        raise ValueError(
            ("Complex data not supported. " if complex_ else "")
            + f"X has {len(unknown)} column(s) of a type that is neither numbers, "
            f"text, booleans nor categories: {shown}. Convert them (a date to "
            "numbers such as its year or day of the week, for example) or drop "
            "them."
        )


class TableSchema(TransformerMixin, BaseEstimator):
    """Give a table the column types seen in ``fit``: numbers or categories.

    A column is numeric when it is not boolean nor categorical and every
    non-missing value is a number or text that parses as one (``"2.5"``);
    any other column is categorical, with the sorted distinct values of its
    text as categories. ``transform`` returns the columns seen in ``fit``,
    in that order, numeric ones as ``float64`` and categorical ones as
    pandas ``category`` columns with the fitted categories; a category not
    seen in ``fit`` becomes missing. So every table gets the same types
    whichever rows it holds, as text read from a CSV file or as Python
    values.

    :func:`make_preprocessor` puts a ``TableSchema`` in front of the
    encoding of each model family; model files written by ``skdistill fit``
    record the fitted one.

    Attributes
    ----------
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Columns seen in ``fit``.
    n_features_in_ : int
        Number of columns seen in ``fit``.
    numeric_columns_ : list
        The numeric columns.
    categories_ : dict
        Categories (a list of str) of each categorical column.

    See Also
    --------
    make_preprocessor : A TableSchema, then an encoding suited to a model.

    Examples
    --------
    >>> import pandas as pd
    >>> from skdistill.preprocessing import TableSchema
    >>> raw = pd.DataFrame({"size": ["1.5", "2", None], "color": ["red", "blue", "b"]})
    >>> schema = TableSchema().fit(raw)
    >>> schema.numeric_columns_, schema.categories_
    (['size'], {'color': ['b', 'blue', 'red']})
    >>> schema.transform(pd.DataFrame({"color": ["green"], "size": ["3"]})).dtypes
    size      float64
    color    category
    dtype: object
    """

    def fit(self, X: pd.DataFrame, y: Any = None) -> TableSchema:
        """Learn which columns are numeric and the categories of the others.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The training table: numbers, booleans, text or categories, with
            missing values. It is not modified. A 2D array is read as a
            table whose columns are named ``0, 1, ...``.
        y : None
            Ignored.

        Returns
        -------
        self : TableSchema
            The fitted transformer.

        Raises
        ------
        TypeError
            ``X`` is a sparse matrix.
        ValueError
            ``X`` is not 2D, has no columns, no rows, duplicate column names, column
            names of mixed types (such as ``0`` and ``"a"``), or a column of
            another type (dates, durations, complex numbers, ...).
        """
        X = self._check_frame(X)
        _check_table(X)
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = X.shape[1]
        self.numeric_columns_ = [
            name for name in X.columns if _parses_as_numbers(X[name])
        ]
        self.categories_ = {
            name: sorted(_as_text(X[name]).dropna().unique().tolist())
            for name in X.columns
            if name not in self.numeric_columns_
        }
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """The fitted columns with their fitted types.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns) or array-like
            A table holding at least the fitted columns; other columns are
            ignored (an array: the same number of columns as in ``fit``). It
            is not modified.

        Returns
        -------
        X_typed : DataFrame of shape (n_samples, n_features_in_)
            Numeric columns as ``float64``, categorical ones as ``category``.

        Raises
        ------
        ValueError
            ``X`` lacks fitted columns, or a numeric column holds a value
            that is not a number.
        """
        check_is_fitted(self)
        X = self._check_frame(X)
        missing = [name for name in self.feature_names_in_ if name not in X.columns]
        if missing:
            raise ValueError(
                f"X lacks {len(missing)} column(s) seen in fit: "
                f"{', '.join(map(str, missing))}."
            )
        columns = {}
        for name in self.feature_names_in_:
            column = X[name]
            if name in self.categories_:
                categories = self.categories_[name]
                text = _as_text(column)
                known = text.where(text.isin(categories))  # unseen: missing
                columns[name] = pd.Categorical(known, categories=categories)
                continue
            if pd.api.types.is_bool_dtype(column):
                column = column.astype(np.float64)
            numbers = pd.to_numeric(column, errors="coerce").astype(np.float64)
            bad = column.notna() & numbers.isna()
            if bad.any():
                raise ValueError(
                    f"Column {name!r} held numbers in fit but now holds values "
                    f"that are not numbers, e.g. {column[bad].iloc[0]!r}."
                )
            columns[name] = numbers
        return pd.DataFrame(columns, index=X.index)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns: the fitted columns, as strings.

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self)
        return np.asarray([str(name) for name in self.feature_names_in_], dtype=object)

    def _check_frame(self, X: Any) -> pd.DataFrame:
        """``X`` as a DataFrame: as it is, or a 2D array with columns 0, 1, ..."""
        if isinstance(X, pd.DataFrame):
            return X
        if sp.issparse(X):
            raise TypeError(
                "TableSchema takes a DataFrame or a dense 2D array; got a sparse "
                "matrix. Densify X (X.toarray()) first."
            )
        try:
            array = np.asarray(X)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"TableSchema takes a DataFrame or a 2D array; {type(X).__name__} "
                f"could not be read as one: {error}"
            ) from None
        if array.ndim != 2:
            raise ValueError(
                f"Expected a 2D array or a DataFrame, got an array of shape "
                f"{array.shape}. Reshape your data: X.reshape(-1, 1) for a single "
                "feature, X.reshape(1, -1) for a single row."
            )
        fitted = getattr(self, "n_features_in_", None)
        if fitted is not None and array.shape[1] != fitted:
            raise ValueError(
                f"X has {array.shape[1]} features, but TableSchema is expecting "
                f"{fitted} features as input."
            )
        return pd.DataFrame(array)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        # A DataFrame of float64 and category columns: no dtype to preserve.
        tags.transformer_tags.preserves_dtype = []
        return tags


# -- model families ---------------------------------------------------------------
# How a model takes a table, from the most particular to the most general:
# each route's output suits every model of the routes before it (LightGBM
# takes ordinal codes, and any model takes one-hot codes and scaled numbers).
_NATIVE = "native"  # LightGBM: categories natively, NaN kept
_ORDINAL = "ordinal"  # trees that take NaN: ordinal codes, NaN kept
_ORDINAL_IMPUTED = "ordinal_imputed"  # trees that do not: codes, medians
_ONE_HOT = "one_hot"  # linear models and any other: one-hot, scaled, imputed
_ROUTES = (_NATIVE, _ORDINAL, _ORDINAL_IMPUTED, _ONE_HOT)

_TREES = (
    BaseDecisionTree,
    RandomForestClassifier,
    RandomForestRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)


def _route(estimator: Any) -> str:
    """How ``estimator`` takes a table: one of ``_ROUTES``."""
    if isinstance(estimator, Pipeline):
        final = final_estimator(estimator)
        return _ONE_HOT if final in (None, "passthrough") else _route(final)
    if isinstance(estimator, FrozenEstimator):
        return _route(estimator.estimator)
    if isinstance(estimator, (GridSearchCV, RandomizedSearchCV)):
        return _route(estimator.estimator)
    if isinstance(estimator, _BaseDistillerSearch):
        estimator = estimator._distiller()
    if isinstance(estimator, BaseDistiller):
        routes = (
            _route(estimator._resolved_teacher()),
            _route(estimator._resolved_student()),
        )
        return max(routes, key=_ROUTES.index)
    if isinstance(estimator, LogitMatchingClassifier):
        return _route(estimator._resolved_regressor())
    if isinstance(estimator, LGBMModel):
        return _NATIVE
    if isinstance(estimator, _TREES):
        return (
            _ORDINAL if get_tags(estimator).input_tags.allow_nan else _ORDINAL_IMPUTED
        )
    return _ONE_HOT


def _numeric_pipeline() -> Pipeline:
    return Pipeline(
        [("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]
    )


def _encoder(route: str, numeric: list[Any], categorical: list[Any]) -> Any | None:
    """The unfitted encoding of a typed table for ``route``; None: nothing to do."""
    if route == _NATIVE or (route == _ORDINAL and not categorical):
        return None
    if route == _ONE_HOT:
        if not categorical:
            return _numeric_pipeline()
        categories = Pipeline(
            [
                ("impute", SimpleImputer(strategy="most_frequent")),
                ("one_hot", OneHotEncoder(handle_unknown="ignore")),
            ]
        )
        numbers: Any = _numeric_pipeline()
    elif route == _ORDINAL:
        # A missing or unseen category is coded NaN, which the trees route to
        # the side that suits the training data best.
        categories = OrdinalEncoder(
            handle_unknown="use_encoded_value",
            unknown_value=np.nan,
            encoded_missing_value=np.nan,
        )
        numbers = "passthrough"
    else:  # _ORDINAL_IMPUTED: a missing or unseen category is its own code
        if not categorical:
            return SimpleImputer(strategy="median")
        categories = OrdinalEncoder(
            handle_unknown="use_encoded_value",
            unknown_value=-1,
            encoded_missing_value=-1,
        )
        numbers = SimpleImputer(strategy="median")
    return ColumnTransformer(
        [("categorical", categories, categorical), ("numeric", numbers, numeric)],
        verbose_feature_names_out=False,
    )


def _typed_encoder(route: str, schema: TableSchema) -> Any | None:
    """The encoding of ``schema``'s output, its columns by name or by position.

    Columns are selected by name when every name is a string, else by their
    position in the schema's output (scikit-learn reads integer names as
    positions, and refuses names of mixed types).
    """
    columns = list(schema.feature_names_in_)
    numeric, categorical = list(schema.numeric_columns_), list(schema.categories_)
    if not all(isinstance(name, str) for name in columns):
        numeric = [columns.index(name) for name in numeric]
        categorical = [columns.index(name) for name in categorical]
    return _encoder(route, numeric, categorical)


def _identity() -> FunctionTransformer:
    return FunctionTransformer(feature_names_out="one-to-one")


def _check_estimator(estimator: Any) -> None:
    if not hasattr(estimator, "fit") or isinstance(estimator, type):
        raise TypeError(
            "estimator must be a scikit-learn estimator instance (an object with "
            f"a fit method), such as DecisionTreeClassifier(); got {estimator!r}."
        )


def _check_array(X: Any) -> int:
    """The number of columns of an array-like of numbers, or a ValueError."""
    if sp.issparse(X):
        raise ValueError(
            "X is a sparse matrix; make_preprocessor takes a pandas DataFrame or "
            "a dense 2-D array of numbers."
        )
    if isinstance(X, pd.Series):
        raise ValueError(
            "X is a pandas Series; make_preprocessor takes a table: pass a "
            "DataFrame (for one column: X.to_frame())."
        )
    try:
        array = np.asarray(X)
    except Exception as exc:  # ragged nested lists, ...
        raise ValueError(
            f"X must be a pandas DataFrame or a 2-D array; cannot read "
            f"{type(X).__name__} as an array: {exc}"
        ) from None
    if array.ndim != 2:
        raise ValueError(
            f"X must be 2-D, of shape (n_samples, n_features); got an array of "
            f"shape {array.shape}. Reshape a single feature with "
            "X.reshape(-1, 1)."
        )
    if array.shape[1] == 0:
        raise ValueError(
            f"X has no columns: found 0 feature(s) (shape={X.shape}) while a "
            "minimum of 1 is required."
        )
    if array.shape[0] == 0:
        raise ValueError(
            "X has no rows; the type of each column is decided from its values."
        )
    if array.dtype.kind in "biuf":
        return array.shape[1]
    if array.dtype.kind == "O":
        try:
            array.astype(np.float64)
        except (TypeError, ValueError):
            pass
        else:
            return array.shape[1]
    example = next(
        (
            value
            for value in array.ravel()
            if not isinstance(value, (int, float, np.number, bool))
        ),
        array.ravel()[0],
    )
    if isinstance(example, np.generic):
        example = example.item()  # 'a', not np.str_('a')
    raise ValueError(
        f"X is an array holding values that are not numbers (e.g. {example!r}); "
        "make_preprocessor types and encodes text, booleans and categories in a "
        "pandas DataFrame only: pass X as a DataFrame (for example "
        "pd.DataFrame(X, columns=names))."
    )


def make_preprocessor(
    estimator: Any, X: Any, *, schema: TableSchema | None = None
) -> BaseEstimator:
    """An unfitted transformer of the table ``X`` into what ``estimator`` takes.

    The preprocessing depends on the model family of ``estimator``:

    - LightGBM (``lightgbm.LGBMModel``, such as
      :class:`~skdistill.SoftLGBMClassifier`) takes the categories natively,
      as pandas ``category`` columns, and missing values as they are;
    - scikit-learn's trees and tree ensembles (decision and extra trees,
      random forests, gradient boosting) get ordinal-coded categories, a
      missing or unseen category coded ``NaN``, and numbers as they are; a
      tree model that does not take ``NaN`` (``GradientBoostingClassifier``,
      ``GradientBoostingRegressor``) gets the code ``-1`` for a missing or
      unseen category and the median for a missing number;
    - any other estimator (linear models, neighbours, SVMs, networks, ...)
      gets one-hot categories (a missing or unseen category counted as the
      most frequent one) and standardized numbers (the median imputed).

    With a DataFrame ``X``, the preprocessor is a :class:`~sklearn.pipeline.Pipeline`
    whose first step, ``"schema"``, is a new :class:`TableSchema`: it gives
    the columns their types (numbers or categories) when the preprocessor is
    fitted; the encoding follows as step ``"encode"``, unless the typed table
    suits the estimator as it is (LightGBM; a tree on numbers only). Put the
    preprocessor in front of the model in a pipeline, such as
    ``make_pipeline(make_preprocessor(student, X), student)``, or in front of
    a distiller.

    Parameters
    ----------
    estimator : estimator instance
        The model that takes the preprocessor's output. A
        :class:`~sklearn.pipeline.Pipeline` is read by its final step,
        :class:`~sklearn.frozen.FrozenEstimator`, ``GridSearchCV`` and
        ``RandomizedSearchCV`` by the estimator they hold, and a distiller
        (:class:`~skdistill.DistilledClassifier`, ...) by its teacher and
        its student: the preprocessing then suits both (one-hot codes and
        scaled numbers if either needs them). It is not modified.
    X : DataFrame or array-like of shape (n_samples, n_features)
        The training table (or rows of it): the values of its columns
        decide which are numbers and which categories, as :class:`TableSchema`
        decides. It is neither fitted on nor modified. A DataFrame may hold
        numbers, booleans, text, pandas categories and missing values; an
        array, numbers only (with ``NaN``): its columns are all numeric, and
        the preprocessor has no schema step.
    schema : TableSchema, default=None
        A fitted schema that types the table before the preprocessor, which
        then takes the schema's output and has no schema step of its own;
        ``X`` is then the table the schema types (its input or its output).
        This shares one schema between several models, each with its own
        encoding: the command line puts one schema in front of a distiller,
        whose teacher and student each get a preprocessor.
        By default the preprocessor types the columns itself.

    Returns
    -------
    preprocessor : transformer
        Unfitted. With a DataFrame ``X`` and no ``schema``: a Pipeline of a
        :class:`TableSchema` (step ``"schema"``) and the encoding (step
        ``"encode"``, a :class:`~sklearn.compose.ColumnTransformer` when
        there are categories). Otherwise the encoding, or an identity
        :class:`~sklearn.preprocessing.FunctionTransformer` when the table
        suits the estimator as it is.

    Raises
    ------
    TypeError
        ``estimator`` is not an estimator instance, or ``schema`` not a
        :class:`TableSchema`.
    ValueError
        ``X`` is not a DataFrame or a 2-D array of numbers, has no rows or no
        columns, duplicate column names, column names of mixed types, or a
        column of another type than numbers, booleans, text and categories
        (such as dates); ``schema`` is not fitted (``NotFittedError``), or
        ``X`` lacks its columns.

    See Also
    --------
    TableSchema : The column types of a table, learned in fit.

    Examples
    --------
    A table with a text column, a categorical column and missing values,
    which a linear student (after one-hot encoding, imputation and scaling)
    and a LightGBM teacher (on the same encoded table) both take:

    >>> import numpy as np
    >>> import pandas as pd
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.preprocessing import make_preprocessor
    >>> X = pd.DataFrame(
    ...     {
    ...         "size": [1.0, 2.5, np.nan, 4.0, 3.5, 0.5, 2.0, 3.0] * 3,
    ...         "color": ["red", "blue", "red", None, "green", "blue", "red", "ok"] * 3,
    ...         "shop": pd.Categorical(["a", "b", "a", "b", "b", "a", "a", "b"] * 3),
    ...     }
    ... )
    >>> y = np.array([1, 0, 1, 0, 0, 1, 1, 0] * 3)
    >>> student = LogisticRegression()
    >>> preprocessor = make_preprocessor(student, X)
    >>> [name for name, _ in preprocessor.steps]
    ['schema', 'encode']
    >>> teacher = LGBMClassifier(
    ...     n_estimators=5, min_child_samples=2, verbose=-1, n_jobs=1
    ... )
    >>> model = make_pipeline(
    ...     preprocessor, DistilledClassifier(teacher, student, random_state=0)
    ... ).fit(X, y)
    >>> model.predict(X.head(3))
    array([1, 0, 1])

    LightGBM takes the typed table as it is, with its category columns:

    >>> make_preprocessor(teacher, X).fit_transform(X).dtypes
    size      float64
    color    category
    shop     category
    dtype: object

    A decision tree gets ordinal codes, missing values kept as ``NaN``:

    >>> from sklearn.tree import DecisionTreeClassifier
    >>> tree_preprocessor = make_preprocessor(DecisionTreeClassifier(), X)
    >>> tree_preprocessor.set_output(transform="pandas").fit_transform(X).head(3)
       color  shop  size
    0    3.0   0.0   1.0
    1    0.0   1.0   2.5
    2    3.0   0.0   NaN
    """
    _check_estimator(estimator)
    route = _route(estimator)
    if schema is not None:
        if not isinstance(schema, TableSchema):
            raise TypeError(
                "schema must be a fitted TableSchema (or None), got "
                f"{type(schema).__name__}."
            )
        check_is_fitted(
            schema,
            msg="schema is not fitted: fit it on the training table "
            "(TableSchema().fit(X)) before passing it, or leave schema=None.",
        )
        if not isinstance(X, pd.DataFrame):
            raise ValueError(
                "X must be a pandas DataFrame when schema is given (the table "
                f"that schema types); got {type(X).__name__}."
            )
        missing = [name for name in schema.feature_names_in_ if name not in X.columns]
        if missing:
            raise ValueError(
                f"X lacks {len(missing)} column(s) of schema: "
                f"{', '.join(map(repr, missing))}."
            )
        encoder = _typed_encoder(route, schema)
        return _identity() if encoder is None else encoder
    if isinstance(X, pd.DataFrame):
        # The types that the schema step will learn when fitted on X.
        encoder = _typed_encoder(route, TableSchema().fit(X))
        steps = [("schema", TableSchema())]
        if encoder is not None:
            steps.append(("encode", encoder))
        return Pipeline(steps)
    n_features = _check_array(X)
    encoder = _encoder(route, list(range(n_features)), [])
    return _identity() if encoder is None else encoder
