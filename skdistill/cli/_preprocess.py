"""Default preprocessing of raw table columns for the teachers and students.

A CSV file holds text. :class:`TableSchema` decides once, on the training
rows, which columns are numbers (every value parses as one) and which are
categories, and gives every later table the same types: numbers as
``float64``, the rest as pandas ``category`` columns with the training
categories (a value not seen in training becomes missing). Each model then
gets what suits it:

- LightGBM takes the category columns natively and missing values as they are;
- trees get the categories ordinal-encoded, and missing values as ``NaN``,
  which scikit-learn trees route natively;
- linear models get one-hot categories (most frequent value imputed) and
  scaled numbers (median imputed).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.utils.validation import check_is_fitted


def _as_text(column: pd.Series) -> pd.Series:
    """Non-missing values as ``str``, missing ones as ``NaN`` (object dtype)."""
    present = column.notna()
    text = pd.Series(np.nan, index=column.index, dtype=object)
    text[present] = column[present].map(str)
    return text


def _parses_as_numbers(column: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(column):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    present = column.dropna()
    numbers = pd.to_numeric(present.map(str), errors="coerce")
    return bool(numbers.notna().all())


class TableSchema(TransformerMixin, BaseEstimator):
    """Give a table the column types seen in ``fit``: numbers or categories.

    A column is numeric when every non-missing value parses as a number
    (and it is not boolean); any other column is categorical, with the
    sorted distinct values of its text as categories. ``transform``
    returns the columns seen in ``fit``, in that order, numeric ones as
    ``float64`` and categorical ones as pandas ``category`` columns with
    the fitted categories; an unseen category becomes missing.

    Attributes
    ----------
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Columns seen in ``fit``.
    n_features_in_ : int
        Number of columns seen in ``fit``.
    numeric_columns_ : list of str
        The numeric columns.
    categories_ : dict of str to list of str
        Categories of each categorical column.

    Examples
    --------
    >>> import pandas as pd
    >>> from skdistill.cli._preprocess import TableSchema
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
        X : DataFrame of shape (n_samples, n_features)
            The raw table, as read from a file.
        y : None
            Ignored.

        Returns
        -------
        self : TableSchema
            The fitted transformer.
        """
        X = self._check_frame(X)
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
        X : DataFrame of shape (n_samples, n_columns)
            A raw table holding at least the fitted columns; other columns
            are ignored.

        Returns
        -------
        X_typed : DataFrame of shape (n_samples, n_features_in_)
            Numeric columns as ``float64``, categorical ones as ``category``.
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
        """Names of the output columns: the fitted columns.

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self)
        return self.feature_names_in_.copy()

    @staticmethod
    def _check_frame(X: Any) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            raise TypeError(
                f"TableSchema takes a pandas DataFrame, got {type(X).__name__}."
            )
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        return tags


def _split_columns(schema: TableSchema) -> tuple[list[str], list[str]]:
    return list(schema.numeric_columns_), list(schema.categories_)


def _numeric_pipeline() -> Pipeline:
    return Pipeline(
        [("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]
    )


def linear_preprocessor(schema: TableSchema) -> Any:
    """One-hot categories and scaled numbers, missing values imputed.

    Categories: most frequent value imputed, then one-hot encoded (an
    unseen category encodes as all zeros). Numbers: median imputed, then
    standardized.

    Parameters
    ----------
    schema : TableSchema
        Fitted schema of the table the model receives.

    Returns
    -------
    preprocessor : Pipeline or ColumnTransformer
        Unfitted; a plain Pipeline when every column is numeric.
    """
    numeric, categorical = _split_columns(schema)
    if not categorical:
        return _numeric_pipeline()
    categories = Pipeline(
        [
            ("impute", SimpleImputer(strategy="most_frequent")),
            ("one_hot", OneHotEncoder(handle_unknown="ignore")),
        ]
    )
    return ColumnTransformer(
        [
            ("categorical", categories, categorical),
            ("numeric", _numeric_pipeline(), numeric),
        ],
        verbose_feature_names_out=False,
    )


def tree_preprocessor(schema: TableSchema) -> ColumnTransformer | None:
    """Ordinal-coded categories, numbers as they are; missing values stay NaN.

    An unseen or missing category is coded ``NaN``, which scikit-learn's
    trees route to the side that suits the training data best.

    Parameters
    ----------
    schema : TableSchema
        Fitted schema of the table the model receives.

    Returns
    -------
    preprocessor : ColumnTransformer or None
        Unfitted; None when every column is numeric (nothing to do).
    """
    numeric, categorical = _split_columns(schema)
    if not categorical:
        return None
    return ColumnTransformer(
        [
            (
                "categorical",
                OrdinalEncoder(
                    handle_unknown="use_encoded_value",
                    unknown_value=np.nan,
                    encoded_missing_value=np.nan,
                ),
                categorical,
            ),
            ("numeric", "passthrough", numeric),
        ],
        verbose_feature_names_out=False,
    )
