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
from skl2onnx import update_registered_converter
from skl2onnx.common.data_types import (
    DoubleTensorType,
    FloatTensorType,
    StringTensorType,
)
from skl2onnx.operator_converters.imputer_op import convert_sklearn_imputer
from skl2onnx.proto import onnx_proto
from sklearn.base import BaseEstimator
from sklearn.impute import SimpleImputer

from ..preprocessing import TableSchema
from ._onnx_inputs import MISSING_TEXT

__all__ = ["CONVERSION_FUNCTIONS", "TableToMatrix", "register"]


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


def _convert_imputer(scope: Any, operator: Any, container: Any) -> None:
    """skl2onnx's converter; a text imputer of ``NaN`` imputes :data:`MISSING_TEXT`."""
    imputer = operator.raw_operator
    if isinstance(operator.inputs[0].type, StringTensorType) and (
        imputer.missing_values is None or _is_nan(imputer.missing_values)
    ):
        text_imputer = copy.copy(imputer)  # not the user's
        text_imputer.missing_values = MISSING_TEXT
        text_imputer.statistics_ = np.array([str(s) for s in imputer.statistics_])
        operator.raw_operator = text_imputer
    convert_sklearn_imputer(scope, operator, container)


#: Converters for each convert_sklearn call (custom_conversion_functions).
CONVERSION_FUNCTIONS = {SimpleImputer: _convert_imputer}


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
