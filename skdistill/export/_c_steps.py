"""The preprocessing steps of a student, written as C statements.

Each column flowing through the generated code is a :class:`Column`: a C
expression of its ``double`` value, and, for a categorical column, its
categories. A categorical column holds the *code* of its category, the
index in ``categories``, or ``NAN`` when the value is missing or unseen:
the code of any other value is turned into ``NAN`` where the column enters
(:func:`input_columns`), so every step after it can rely on that.

:func:`emit_step` writes one fitted transformer: it takes the columns it
receives, appends the statements that compute its output to the
:class:`~skdistill.export._c_writer.CSource`, and returns the output
columns. Each statement does in ``double`` the operations scikit-learn
does in ``float64``, in the same order, so that the results are the same
numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    RobustScaler,
    StandardScaler,
)

from ..preprocessing import TableSchema
from ._c_writer import CSource, c_double
from ._student import UnsupportedModelError

__all__ = ["Column", "emit_step", "input_columns", "is_missing_marker", "unsupported"]

#: What to_c supports, for the messages of UnsupportedModelError.
SUPPORTED = (
    "C supports decision trees and random forests (DecisionTree*, ExtraTree*, "
    "RandomForest*, ExtraTrees*), linear and logistic models (LogisticRegression, "
    "SoftLogisticRegression, Ridge, LinearRegression, SGDRegressor, Lasso, "
    "ElasticNet, ...), LightGBM (LGBMClassifier, LGBMRegressor, "
    "SoftLGBMClassifier) and LogitMatchingClassifier on any of those, after "
    "TableSchema, ColumnTransformer, StandardScaler, MinMaxScaler, MaxAbsScaler, "
    "RobustScaler, SimpleImputer, OneHotEncoder, OrdinalEncoder and identity "
    "FunctionTransformer steps"
)

# scikit-learn estimators that skl2onnx converts, which to_onnx then exports.
_ONNX_CONVERTS = frozenset(
    "AdaBoostClassifier AdaBoostRegressor BaggingClassifier BaggingRegressor "
    "Binarizer CalibratedClassifierCV FeatureUnion GammaRegressor GaussianNB "
    "BernoulliNB CategoricalNB ComplementNB MultinomialNB "
    "GradientBoostingClassifier GradientBoostingRegressor "
    "HistGradientBoostingClassifier HistGradientBoostingRegressor "
    "KBinsDiscretizer KNNImputer KNeighborsClassifier KNeighborsRegressor "
    "LinearSVC MLPClassifier MLPRegressor MultiOutputClassifier "
    "Normalizer OneVsOneClassifier OneVsRestClassifier PCA PoissonRegressor "
    "PolynomialFeatures PowerTransformer QuantileTransformer SGDClassifier SVC "
    "SVR StackingClassifier StackingRegressor TargetEncoder TruncatedSVD "
    "TweedieRegressor VarianceThreshold VotingClassifier VotingRegressor".split()
)


def unsupported(estimator: Any, what: str | None = None) -> UnsupportedModelError:
    """The error for a model or step that the C export cannot write.

    ``what`` says what is wrong when it is not the type itself.
    """
    name = type(estimator).__name__
    reason = what or f"the C export (format 'C') does not support {name}"
    onnx = (
        f" to_onnx supports {name}: export it with skdistill.export.to_onnx."
        if what is None and name in _ONNX_CONVERTS
        else ""
    )
    return UnsupportedModelError(f"{name}: {reason}. {SUPPORTED}.{onnx}")


@dataclass(frozen=True)
class Column:
    """One column of the generated code.

    Attributes
    ----------
    expr : str
        C expression of its value, a ``double``.
    name : str
        What it is called, for comments and messages.
    categories : tuple or None
        For a categorical column, its categories: its value is the index of
        one of them, or ``NAN``. None for a numeric column.
    """

    expr: str
    name: str
    categories: tuple[Any, ...] | None = None


def is_missing_marker(value: Any) -> bool:
    """Whether ``value`` is a missing-value marker: NaN, None or pandas.NA."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN; pandas.NA raises
    except TypeError:
        return True


def _category_helper(source: CSource) -> str:
    return source.helper(
        "category",
        """
/* A category code: an integer in [0, n); anything else is missing (NAN). */
static double {name}_category(double value, int n)
{
    if (value >= 0.0 && value < (double)n && value == floor(value)) {
        return value;
    }
    return NAN;
}
""",
    )


def categorical_inputs(
    source: CSource, columns: Sequence[Column], categories: dict[int, Sequence[Any]]
) -> list[Column]:
    """``columns`` where those in ``categories`` become categorical columns.

    The code of each such column is checked as it enters: anything that is
    not the index of one of its categories becomes ``NAN`` (missing).
    """
    if not categories:
        return list(columns)
    helper = _category_helper(source)
    buffer = source.buffer(len(columns), "the input, category codes checked")
    result = []
    for j, column in enumerate(columns):
        target = f"{buffer}[{j}]"
        if j in categories:
            labels = tuple(categories[j])
            source.emit(f"{target} = {helper}({column.expr}, {len(labels)});")
            result.append(Column(target, column.name, labels))
        else:
            source.emit(f"{target} = {column.expr};")
            result.append(Column(target, column.name))
    return result


def input_columns(
    first: Any, n_features: int, source: CSource
) -> tuple[list[Column], bool]:
    """The columns of ``x``, and whether ``first`` (a TableSchema) is done by them.

    With a fitted :class:`~skdistill.preprocessing.TableSchema` first, its
    categorical columns are categorical (their code checked as it enters).
    """
    names = getattr(first, "feature_names_in_", None)
    labels = (
        [str(name) for name in names]
        if names is not None
        else [f"feature {j}" for j in range(n_features)]
    )
    columns = [Column(f"x[{j}]", labels[j]) for j in range(n_features)]
    source.widths["x"] = n_features
    if not isinstance(first, TableSchema):
        return columns, False
    categories = {
        j: first.categories_[name]
        for j, name in enumerate(first.feature_names_in_)
        if name in first.categories_
    }
    return categorical_inputs(source, columns, categories), True


# -- dispatch -----------------------------------------------------------------


def emit_step(
    step: Any, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    """Write the fitted transformer ``step`` (called ``path``); its output columns."""
    if isinstance(step, str) and step == "passthrough":
        return columns
    for kind, emit in _EMITTERS:
        if isinstance(step, kind):
            return emit(step, columns, source, path)
    if isinstance(step, TableSchema):
        raise unsupported(
            step,
            f"the TableSchema {path!r} is not the first step; C takes the "
            "columns of a TableSchema only as the model's input",
        )
    raise unsupported(step)


def _numeric(step: Any, columns: Sequence[Column], path: str) -> None:
    for column in columns:
        if column.categories is not None:
            raise unsupported(
                step,
                f"the step {path!r} receives the categorical column "
                f"{column.name!r}, which only OneHotEncoder, OrdinalEncoder and "
                "SimpleImputer take in C",
            )


def _pipeline(
    step: Pipeline, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    for name, inner in step.steps:
        if inner is None:
            continue
        columns = emit_step(inner, columns, source, f"{path} > {name}")
    return columns


def _identity(
    step: FunctionTransformer, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    if step.func is not None:
        raise unsupported(
            step,
            f"the FunctionTransformer {path!r} applies {step.func!r}, a Python "
            "function that C cannot run (only the identity, func=None, is supported)",
        )
    return columns


def _affine(
    step: Any,
    columns: list[Column],
    source: CSource,
    path: str,
    operations: Sequence[tuple[str, Any]],
) -> list[Column]:
    """Columns through ``operations``: ``(operator, per-column values or None)``."""
    _numeric(step, columns, path)
    operations = [(op, values) for op, values in operations if values is not None]
    if not operations:
        return columns
    buffer = source.buffer(len(columns), f"{type(step).__name__} {path!r}")
    result = []
    for j, column in enumerate(columns):
        expr = column.expr
        for op, values in operations:
            value = np.ravel(values)[j]
            expr = f"({expr} {op} {c_double(value)})"
        source.emit(f"{buffer}[{j}] = {expr[1:-1]};")
        result.append(Column(f"{buffer}[{j}]", column.name))
    return result


def _standard_scaler(
    step: StandardScaler, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    # transform: X -= mean_ (with_mean); X /= scale_ (with_std)
    mean = step.mean_ if step.with_mean else None
    scale = step.scale_ if step.with_std else None
    return _affine(step, columns, source, path, [("-", mean), ("/", scale)])


def _robust_scaler(
    step: RobustScaler, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    # transform: X -= center_; X /= scale_ (each when enabled)
    center = step.center_ if step.with_centering else None
    scale = step.scale_ if step.with_scaling else None
    return _affine(step, columns, source, path, [("-", center), ("/", scale)])


def _max_abs_scaler(
    step: MaxAbsScaler, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    return _affine(step, columns, source, path, [("/", step.scale_)])


def _min_max_scaler(
    step: MinMaxScaler, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    # transform: X *= scale_; X += min_; then np.clip to feature_range if clip
    result = _affine(
        step, columns, source, path, [("*", step.scale_), ("+", step.min_)]
    )
    if step.clip:
        low, high = (c_double(v) for v in step.feature_range)
        for column in result:
            value = column.expr
            clipped = f"({value} > {high} ? {high} : {value})"
            source.emit(f"{value} = {value} < {low} ? {low} : {clipped};")
    return result


# -- imputation ---------------------------------------------------------------


def _simple_imputer(
    step: SimpleImputer, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    if step.add_indicator:
        raise unsupported(
            step,
            f"the SimpleImputer {path!r} has add_indicator=True, which the C "
            "export does not support",
        )
    statistics = list(np.ravel(step.statistics_))
    marker = step.missing_values
    kept = [
        j
        for j, statistic in enumerate(statistics)
        if step.strategy == "constant" or not is_missing_marker(statistic)
    ]
    buffer = source.buffer(len(kept), f"SimpleImputer {path!r}")
    result = []
    for k, j in enumerate(kept):
        column, statistic = columns[j], statistics[j]
        target = f"{buffer}[{k}]"
        if column.categories is None:
            test = (
                f"isnan({column.expr})"
                if is_missing_marker(marker)
                else f"{column.expr} == {c_double(_number(step, marker, path))}"
            )
            fill = c_double(_number(step, statistic, path))
            source.emit(f"{target} = {test} ? {fill} : {column.expr};")
            result.append(Column(target, column.name))
            continue
        categories = column.categories
        if statistic not in categories:  # a constant that is no category
            categories = (*categories, statistic)
        fill = c_double(categories.index(statistic))
        if is_missing_marker(marker):
            test = f"isnan({column.expr})"
        elif marker in column.categories:
            test = f"{column.expr} == {c_double(column.categories.index(marker))}"
        else:  # a marker that no code stands for: nothing to impute
            test = "0"
        source.emit(f"{target} = {test} ? {fill} : {column.expr};")
        result.append(Column(target, column.name, categories))
    return result


def _number(step: Any, value: Any, path: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise _text_error(step, path, value) from None


def _text_error(step: Any, path: str, value: Any) -> UnsupportedModelError:
    return unsupported(
        step,
        f"the step {path!r} holds the text value {value!r} for a column that C "
        "takes as a number: text categories need a TableSchema as the first "
        "step (as make_preprocessor and the command line build), so that C "
        "receives each category as its code. to_onnx supports text inputs: "
        "export it with skdistill.export.to_onnx",
    )


# -- encoders -----------------------------------------------------------------


def _check_frequent(step: Any, path: str) -> None:
    infrequent = getattr(step, "infrequent_categories_", None)
    if infrequent is not None and any(c is not None for c in infrequent):
        raise unsupported(
            step,
            f"the encoder {path!r} groups infrequent categories "
            "(min_frequency or max_categories), which the C export does not support",
        )


def _category_tests(
    step: Any, column: Column, categories: Sequence[Any], path: str
) -> list[str]:
    """C conditions, one per category of an encoder: the value is that category."""
    tests = []
    for category in categories:
        if is_missing_marker(category):
            tests.append(f"isnan({column.expr})")
        elif column.categories is None:
            tests.append(f"{column.expr} == {c_double(_number(step, category, path))}")
        elif category in column.categories:
            tests.append(
                f"{column.expr} == {c_double(column.categories.index(category))}"
            )
        else:  # a category the column cannot hold
            tests.append("0")
    return tests


def _one_hot_encoder(
    step: OneHotEncoder, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    _check_frequent(step, path)
    drop = step.drop_idx_
    outputs = []
    for j, (column, categories) in enumerate(
        zip(columns, step.categories_, strict=True)
    ):
        tests = _category_tests(step, column, categories, path)
        dropped = None if drop is None or drop[j] is None else int(drop[j])
        for i, (test, category) in enumerate(zip(tests, categories, strict=True)):
            if i != dropped:
                outputs.append((test, f"{column.name}={category}"))
    buffer = source.buffer(len(outputs), f"OneHotEncoder {path!r}")
    result = []
    for k, (test, label) in enumerate(outputs):
        source.emit(f"{buffer}[{k}] = {test} ? 1.0 : 0.0;")
        result.append(Column(f"{buffer}[{k}]", label))
    return result


def _ordinal_helper(source: CSource) -> str:
    return source.helper(
        "ordinal",
        """
/* The index of value in categories[0..n), or unknown if absent; missing if NAN. */
static double {name}_ordinal(double value, const double *categories, int n,
                             double missing, double unknown)
{
    int i;
    if (isnan(value)) {
        return missing;
    }
    for (i = 0; i < n; ++i) {
        if (value == categories[i]) {
            return (double)i;
        }
    }
    return unknown;
}
""",
    )


def _ordinal_encoder(
    step: OrdinalEncoder, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    _check_frequent(step, path)
    # An unknown value is unknown_value; with handle_unknown="error" C cannot
    # raise, and gives NAN. Missing is encoded_missing_value when NaN is a
    # category, else it counts as unknown.
    unknown = (
        step.unknown_value if step.handle_unknown == "use_encoded_value" else math.nan
    )
    buffer = source.buffer(len(columns), f"OrdinalEncoder {path!r}")
    result = []
    for j, (column, categories) in enumerate(
        zip(columns, step.categories_, strict=True)
    ):
        categories = list(categories)
        nan_index = next(
            (i for i, c in enumerate(categories) if is_missing_marker(c)), None
        )
        missing = step.encoded_missing_value if nan_index is not None else unknown
        known = [c for c in categories if not is_missing_marker(c)]
        target = f"{buffer}[{j}]"
        if column.categories is None:
            values = source.doubles(
                "categories",
                (_number(step, c, path) for c in known),
                comment=f"categories of {column.name!r} in {path}",
            )
            source.emit(
                f"{target} = {_ordinal_helper(source)}({column.expr}, {values}, "
                f"{len(known)}, {c_double(missing)}, {c_double(unknown)});"
            )
        else:
            codes = source.doubles(
                "ordinal",
                (
                    categories.index(label) if label in known else unknown
                    for label in column.categories
                ),
                comment=f"{path}: the ordinal code of each category of {column.name!r}",
            )
            source.emit(
                f"{target} = isnan({column.expr}) ? {c_double(missing)} : "
                f"{codes}[(int){column.expr}];"
            )
        result.append(Column(target, column.name))
    return result


# -- columns ------------------------------------------------------------------


def _column_indices(
    spec: Any, names: Sequence[Any] | None, n_columns: int, step: Any, path: str
) -> list[int]:
    """The positions that a ColumnTransformer's column ``spec`` selects."""
    positions = list(range(n_columns))

    def position(key: Any) -> int:
        if isinstance(key, str):
            if names is None or key not in names:
                raise unsupported(
                    step,
                    f"the ColumnTransformer {path!r} selects the unknown "
                    f"column {key!r}",
                )
            return list(names).index(key)
        return positions[int(key)]

    if isinstance(spec, (str, int, np.integer)):
        return [position(spec)]
    if isinstance(spec, slice):
        if isinstance(spec.start, str) or isinstance(spec.stop, str):  # by label
            start = 0 if spec.start is None else position(spec.start)
            stop = n_columns if spec.stop is None else position(spec.stop) + 1
            return positions[start:stop]
        return positions[spec]
    keys = np.asarray(spec)
    if keys.dtype == bool:
        return [int(i) for i in np.flatnonzero(keys)]
    return [position(key) for key in keys.tolist()]


def _column_transformer(
    step: ColumnTransformer, columns: list[Column], source: CSource, path: str
) -> list[Column]:
    names = getattr(step, "feature_names_in_", None)
    width = max((s.stop for s in step.output_indices_.values()), default=0)
    result: list[Column | None] = [None] * width
    for name, transformer, spec in step.transformers_:
        if isinstance(transformer, str) and transformer == "drop":
            continue
        selected = _column_indices(spec, names, len(columns), step, path)
        if not selected:
            continue
        inner = [columns[i] for i in selected]
        output = emit_step(transformer, inner, source, f"{path} > {name}")
        place = step.output_indices_[name]
        if len(output) != place.stop - place.start:
            raise unsupported(
                step,
                f"the transformer {name!r} of {path!r} gives {len(output)} columns "
                f"in C but {place.stop - place.start} in scikit-learn",
            )
        result[place] = output
    if any(column is None for column in result):
        raise unsupported(
            step, f"the output of the ColumnTransformer {path!r} has gaps"
        )
    return [column for column in result if column is not None]


_EMITTERS = (
    (Pipeline, _pipeline),
    (ColumnTransformer, _column_transformer),
    (FunctionTransformer, _identity),
    (StandardScaler, _standard_scaler),
    (RobustScaler, _robust_scaler),
    (MinMaxScaler, _min_max_scaler),
    (MaxAbsScaler, _max_abs_scaler),
    (SimpleImputer, _simple_imputer),
    (OneHotEncoder, _one_hot_encoder),
    (OrdinalEncoder, _ordinal_encoder),
)
