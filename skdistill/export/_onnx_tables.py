"""skl2onnx converters of a table's columns: the schema, codes, missing text.

An exported table takes one ONNX input per column (see
:mod:`._onnx_inputs`): ``float`` for a number, ``string`` for a category,
:data:`~._onnx_inputs.MISSING_TEXT` (``""``) for a missing text.

- :class:`~skdistill.preprocessing.TableSchema` gives one output per
  column, named after it, so that a ``ColumnTransformer`` after it picks
  its columns by name: numbers as floats, texts as they are, with the
  categories not seen in ``fit`` turned into the missing text.
- :class:`TableToMatrix` turns the columns into the one float matrix that a
  model without encoding takes: numbers as they are, categories as their
  codes (``NaN`` when missing or unseen), as LightGBM reads a pandas
  ``category`` column.
- :data:`CONVERSION_FUNCTIONS` holds, for each ``convert_sklearn`` call,
  a converter of ``SimpleImputer`` that imputes texts whose missing value
  is ``NaN`` (the imputer of categories that
  :func:`~skdistill.preprocessing.make_preprocessor` builds), which
  skl2onnx refuses: their missing value is then the missing text.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import numpy as np
import pandas as pd
from skl2onnx import update_registered_converter
from skl2onnx.common.data_types import (
    DoubleTensorType,
    FloatTensorType,
    StringTensorType,
)
from skl2onnx.operator_converters.imputer_op import convert_sklearn_imputer
from skl2onnx.proto import onnx_proto
from skl2onnx.shape_calculators.imputer import calculate_sklearn_imputer_output_shapes
from sklearn.base import BaseEstimator
from sklearn.impute import SimpleImputer

from ..preprocessing import TableSchema
from ._onnx_inputs import MISSING_TEXT

__all__ = ["CONVERSION_FUNCTIONS", "SHAPE_CALCULATORS", "TableToMatrix", "register"]


def _float32(scope: Any, container: Any, variable: Any) -> str:
    """The name of ``variable`` as a float tensor (cast if it is not one)."""
    if isinstance(variable.type, FloatTensorType):
        return variable.full_name
    return _cast(scope, container, variable.full_name, onnx_proto.TensorProto.FLOAT)


def _cast(scope: Any, container: Any, source: str, to: int) -> str:
    """The name of ``source`` cast to the ONNX type ``to``."""
    name = scope.get_unique_variable_name(f"{source}_cast")
    container.add_node(
        "Cast", source, name, to=to, name=scope.get_unique_operator_name("Cast")
    )
    return name


def _label_encoder(
    scope: Any, container: Any, source: str, target: str, categories: list[str], **kw
) -> None:
    """A ``LabelEncoder`` of the texts ``source`` into ``target``."""
    container.add_node(
        "LabelEncoder",
        source,
        target,
        op_domain="ai.onnx.ml",
        op_version=2,
        name=scope.get_unique_operator_name("LabelEncoder"),
        keys_strings=list(categories),
        **kw,
    )


# -- TableSchema ---------------------------------------------------------------------


def _parse_table_schema(
    scope: Any, model: TableSchema, inputs: list[Any], custom_parsers: Any = None
) -> list[Any]:
    """One output per column of the schema, named after it."""
    operator = scope.declare_local_operator("SkdistillTableSchema", model)
    operator.inputs = inputs
    for name in model.feature_names_in_:
        kind = StringTensorType if name in model.categories_ else FloatTensorType
        variable = scope.declare_local_variable(str(name), kind([None, 1]))
        operator.outputs.append(variable)
    return operator.outputs


def _schema_shapes(operator: Any) -> None:
    """The outputs' types are set by the parser."""


def _convert_table_schema(scope: Any, operator: Any, container: Any) -> None:
    """Numbers as floats; texts not among a column's categories become missing."""
    schema = operator.raw_operator
    for name, source, target in zip(
        schema.feature_names_in_, operator.inputs, operator.outputs, strict=True
    ):
        if name not in schema.categories_:
            container.add_node(
                "Identity",
                _float32(scope, container, source),
                target.full_name,
                name=scope.get_unique_operator_name("Identity"),
            )
            continue
        categories = schema.categories_[name]
        _label_encoder(
            scope,
            container,
            source.full_name,
            target.full_name,
            categories,
            values_strings=list(categories),
            default_string=MISSING_TEXT,
        )


# -- TableToMatrix -------------------------------------------------------------------


class TableToMatrix(BaseEstimator):
    """One float (or double) matrix of a table's columns, categories as codes.

    A step that :func:`~skdistill.export.to_onnx` puts between a table's
    inputs (one per column) and a model that takes a matrix: the ONNX
    graph concatenates the columns, a number as it is, a category as its
    index in ``categories[column]`` (``NaN`` when the text is missing or
    not a category), as LightGBM reads a pandas ``category`` column. It
    exists only in the ONNX graph: it is never fitted and has no
    ``transform``.

    Parameters
    ----------
    columns : list of str
        The input columns, in the order of the matrix.
    categories : dict
        The categories (texts) of each categorical column.
    double : bool, default=False
        Whether the matrix is double (its numeric inputs then are double,
        and the codes, exact in either type, are cast to double), else
        float.
    """

    def __init__(
        self, columns: list[str], categories: dict[str, list[str]], double: bool = False
    ) -> None:
        self.columns = columns
        self.categories = categories
        self.double = double


def _matrix_shapes(operator: Any) -> None:
    rows = operator.inputs[0].get_first_dimension()
    kind = DoubleTensorType if operator.raw_operator.double else FloatTensorType
    operator.outputs[0].type = kind([rows, len(operator.inputs)])


def _number_column(scope: Any, container: Any, variable: Any, double: bool) -> str:
    """The name of a numeric input as a column of the matrix (float or double)."""
    if not double:
        return _float32(scope, container, variable)
    if isinstance(variable.type, DoubleTensorType):
        return variable.full_name
    return _cast(scope, container, variable.full_name, onnx_proto.TensorProto.DOUBLE)


def _convert_table_to_matrix(scope: Any, operator: Any, container: Any) -> None:
    step = operator.raw_operator
    columns = []
    for name, source in zip(step.columns, operator.inputs, strict=True):
        if name not in step.categories:
            columns.append(_number_column(scope, container, source, step.double))
            continue
        codes = scope.get_unique_variable_name(f"{name}_codes")
        categories = step.categories[name]
        _label_encoder(
            scope,
            container,
            source.full_name,
            codes,
            categories,
            values_floats=[float(code) for code in range(len(categories))],
            default_float=float("nan"),
        )
        if step.double:
            codes = _cast(scope, container, codes, onnx_proto.TensorProto.DOUBLE)
        columns.append(codes)
    container.add_node(
        "Concat",
        columns,
        operator.outputs[0].full_name,
        axis=1,
        name=scope.get_unique_operator_name("Concat"),
    )


# -- SimpleImputer of texts ----------------------------------------------------------


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and np.isnan(value)


def _kept_columns(imputer: Any) -> np.ndarray | None:
    """The columns a fitted SimpleImputer keeps, or None if it keeps them all.

    scikit-learn drops a column that had no value in ``fit`` (its statistic
    is missing) unless ``keep_empty_features`` or the ``"constant"``
    strategy; skl2onnx's converter keeps every column.
    """
    if imputer.strategy == "constant" or getattr(imputer, "keep_empty_features", False):
        return None
    empty = pd.isna(pd.Series(imputer.statistics_, dtype=object)).to_numpy()
    return np.flatnonzero(~empty) if empty.any() else None


def _check_imputer(imputer: Any) -> None:
    if getattr(imputer, "add_indicator", False):
        from ._student import UnsupportedModelError

        raise UnsupportedModelError(
            "SimpleImputer(add_indicator=True) cannot be exported to ONNX: "
            "skl2onnx's converter leaves out the indicator columns. Fit the "
            "imputer with add_indicator=False."
        )


def _imputer_shape(operator: Any) -> None:
    """skl2onnx's output shape, less the columns the imputer drops."""
    _check_imputer(operator.raw_operator)
    calculate_sklearn_imputer_output_shapes(operator)
    kept = _kept_columns(operator.raw_operator)
    if kept is not None:
        output = operator.outputs[0]
        output.type.shape = [output.type.shape[0], kept.size]


class _Imputing:
    """The operator skl2onnx's converter sees: another imputer and output."""

    def __init__(self, operator: Any, imputer: Any, outputs: list[Any]) -> None:
        self.raw_operator = imputer
        self.inputs = operator.inputs
        self.outputs = outputs
        self.full_name = operator.full_name


def _convert_imputer(scope: Any, operator: Any, container: Any) -> None:
    """skl2onnx's converter, with two fixes.

    A text imputer of ``NaN`` imputes :data:`MISSING_TEXT`; the columns
    that scikit-learn drops (no value seen in ``fit``) are imputed with a
    placeholder, then left out (``Gather``), as ``transform`` leaves them
    out.
    """
    imputer = copy.copy(operator.raw_operator)  # not the user's
    text = isinstance(operator.inputs[0].type, StringTensorType)
    kept = _kept_columns(imputer)
    if kept is not None:
        statistics = np.array(imputer.statistics_, dtype=object)
        empty = np.ones(statistics.size, dtype=bool)
        empty[kept] = False
        statistics[empty] = MISSING_TEXT if text else 0.0
        imputer.statistics_ = statistics if text else statistics.astype(np.float64)
    if text and (imputer.missing_values is None or _is_nan(imputer.missing_values)):
        imputer.missing_values = MISSING_TEXT
        imputer.statistics_ = np.array([str(s) for s in imputer.statistics_])
    if kept is None:
        convert_sklearn_imputer(
            scope, _Imputing(operator, imputer, operator.outputs), container
        )
        return
    output = operator.outputs[0]
    every = scope.declare_local_variable(
        "imputed_all",
        type(output.type)([output.type.shape[0], imputer.statistics_.size]),
    )
    convert_sklearn_imputer(scope, _Imputing(operator, imputer, [every]), container)
    columns = scope.get_unique_variable_name("kept_columns")
    container.add_initializer(
        columns, onnx_proto.TensorProto.INT64, [kept.size], kept.tolist()
    )
    container.add_node(
        "Gather",
        [every.full_name, columns],
        output.full_name,
        axis=1,
        name=scope.get_unique_operator_name("Gather"),
    )


#: Converters for each convert_sklearn call (custom_conversion_functions).
CONVERSION_FUNCTIONS = {SimpleImputer: _convert_imputer}
#: Shape calculators for each convert_sklearn call (custom_shape_calculators).
SHAPE_CALCULATORS = {SimpleImputer: _imputer_shape}


# -- registration --------------------------------------------------------------------


@functools.cache
def register() -> None:
    """Register the converters of TableSchema and TableToMatrix in skl2onnx."""
    update_registered_converter(
        TableSchema,
        "SkdistillTableSchema",
        _schema_shapes,
        _convert_table_schema,
        parser=_parse_table_schema,
    )
    update_registered_converter(
        TableToMatrix,
        "SkdistillTableToMatrix",
        _matrix_shapes,
        _convert_table_to_matrix,
    )
