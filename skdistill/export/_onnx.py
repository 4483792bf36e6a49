"""ONNX export of a student, with its preprocessing: :func:`to_onnx`.

:func:`to_onnx` converts :func:`~skdistill.export.student_pipeline` of a
model with `skl2onnx <https://onnx.ai/sklearn-onnx/>`_, LightGBM's models
with `onnxmltools <https://github.com/onnx/onnxmltools>`_'s converter, and
skdistill's own classes with the converters of :mod:`._onnx_converters`
(the students) and :mod:`._onnx_tables` (a table's columns). The graph's
inputs are the model's: one matrix ``X``, or one input per column of a
table; :func:`~._onnx_inputs.onnx_inputs` turns rows into them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import is_classifier
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.validation import check_is_fitted

from ..preprocessing import TableSchema
from ._onnx_inputs import MISSING_TEXT, import_libraries, input_name, onnx_inputs
from ._student import UnsupportedModelError, student_pipeline

__all__ = ["onnx_inputs", "to_onnx"]

#: The ONNX (ai.onnx.ml) operator set of the tree ensembles and encoders.
_ML_OPSET = 3
#: The oldest main operator set that to_onnx writes (Softmax on one axis).
_MIN_OPSET = 13
#: The names of the outputs: a classifier's, then a regressor's.
_CLASSIFIER_OUTPUTS = ["label", "probabilities"]
_REGRESSOR_OUTPUTS = ["variable"]

#: What to_onnx supports, for the messages of UnsupportedModelError.
SUPPORTED = (
    "ONNX supports what skl2onnx converts (scikit-learn's trees, forests, "
    "linear and logistic models, MLPs, scalers, imputers, encoders, "
    "ColumnTransformer, ...), LightGBM's LGBMClassifier and LGBMRegressor, and "
    "skdistill's TableSchema, SoftLogisticRegression, SoftLGBMClassifier and "
    "LogitMatchingClassifier (with a regressor of those)"
)


def _check_opset(target_opset: Any) -> int:
    from skl2onnx import get_latest_tested_opset_version

    latest = get_latest_tested_opset_version()
    if target_opset is None:
        return latest
    if isinstance(target_opset, bool) or not isinstance(
        target_opset, (int, np.integer)
    ):
        raise TypeError(
            "target_opset must be an int (the ONNX operator set) or None, got "
            f"{type(target_opset).__name__}."
        )
    if not _MIN_OPSET <= target_opset <= latest:
        raise ValueError(
            f"target_opset must be between {_MIN_OPSET} and {latest} (the newest "
            f"operator set that skl2onnx supports), got {target_opset}."
        )
    return int(target_opset)


# -- the inputs of the graph ---------------------------------------------------------


def _is_text(column: pd.Series) -> bool:
    """Whether a column of ``X_sample`` is an ONNX text input (else a float one)."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return False
    if isinstance(dtype, pd.CategoricalDtype):
        return True
    return not pd.api.types.is_numeric_dtype(dtype)


def _frame_columns(X_sample: pd.DataFrame) -> list[tuple[str, bool]]:
    """``(name, is_text)`` of each column of a DataFrame ``X_sample``."""
    return [(input_name(name), _is_text(X_sample[name])) for name in X_sample.columns]


def _schema_columns(
    schema: TableSchema, X_sample: Any
) -> tuple[list[tuple[str, bool]], dict[str, list[str]]]:
    """``(name, is_text)`` of the schema's columns, and their categories."""
    check_is_fitted(schema)
    if isinstance(X_sample, pd.DataFrame):
        missing = [
            name for name in schema.feature_names_in_ if name not in X_sample.columns
        ]
        if missing:
            raise ValueError(
                f"X_sample lacks {len(missing)} column(s) of the model's TableSchema: "
                f"{', '.join(map(repr, missing))}."
            )
    categories = {
        input_name(name): [str(category) for category in values]
        for name, values in schema.categories_.items()
    }
    for name, values in categories.items():
        if MISSING_TEXT in values:
            raise UnsupportedModelError(
                f"TableSchema: the column {name!r} has the empty string among its "
                "categories, which ONNX inputs use for a missing text, so it "
                "cannot be exported to ONNX. Replace the empty strings of the "
                "column (by NaN, or by a word such as 'empty') and refit."
            )
    columns = [
        (input_name(name), input_name(name) in categories)
        for name in schema.feature_names_in_
    ]
    return columns, categories


def _lightgbm_categories(model: Any, columns: list[tuple[str, bool]]) -> dict:
    """The categories of the text columns as the LightGBM ``model`` codes them.

    LightGBM records the categories of the pandas ``category`` columns it
    was fitted on (``booster_.pandas_categorical``), in their order; a
    category's code is its index there.
    """
    texts = [name for name, is_text in columns if is_text]
    recorded = getattr(model.booster_, "pandas_categorical", None) or []
    if len(recorded) != len(texts):
        raise ValueError(
            f"X_sample has {len(texts)} text or category column(s) "
            f"({', '.join(map(repr, texts))}) but {type(model).__name__} was "
            f"fitted on {len(recorded)} pandas category column(s): pass X_sample "
            "with the dtypes of the table the model was fitted on."
        )
    return {
        name: [str(category) for category in values]
        for name, values in zip(texts, recorded, strict=True)
    }


def _is_lightgbm(step: Any) -> bool:
    from lightgbm import LGBMModel

    return isinstance(step, LGBMModel)


def _in_double(steps: list[tuple[str, Any]]) -> bool:
    """Whether the graph takes its numbers in double: a LightGBM model on them.

    LightGBM compares its double inputs with double thresholds; in float32
    a value 1 ulp (in double) above a threshold rounds onto it and takes
    the other branch. The numbers then stay double up to the trees when
    the LightGBM model (LGBMClassifier, LGBMRegressor, SoftLGBMClassifier,
    or the regressors of a LogitMatchingClassifier) takes them directly,
    after a TableSchema, or after steps that skl2onnx converts in double
    (:data:`_DOUBLE_STEPS`).
    """
    from ..students import LogitMatchingClassifier

    final = steps[-1][1]
    if isinstance(final, LogitMatchingClassifier):
        check_is_fitted(final)
        regressors = getattr(final.regressor_, "estimators_", [final.regressor_])
        if not all(_is_lightgbm(regressor) for regressor in regressors):
            return False
    elif not _is_lightgbm(final):
        return False
    return all(
        isinstance(step, (TableSchema, *_double_steps())) for _, step in steps[:-1]
    )


def _double_steps() -> tuple[type, ...]:
    """The preprocessing steps that skl2onnx converts in double, as scikit-learn.

    Their converters compute in double with scikit-learn's operations
    (``(x - mean_) / scale_``, ``x * scale_ + min_``, ``x / max_abs_``).
    Not SimpleImputer: onnxruntime's ``Imputer`` has no double kernel.
    """
    from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler

    return (StandardScaler, MinMaxScaler, MaxAbsScaler)


def _initial_types(
    columns: list[tuple[str, bool]], double: bool = False
) -> list[tuple[str, Any]]:
    from skl2onnx.common.data_types import (
        DoubleTensorType,
        FloatTensorType,
        StringTensorType,
    )

    number = DoubleTensorType if double else FloatTensorType
    return [
        (name, StringTensorType([None, 1]) if is_text else number([None, 1]))
        for name, is_text in columns
    ]


def _table_to_matrix(
    columns: list[tuple[str, bool]],
    categories: dict[str, list[str]],
    steps: list[tuple[str, Any]],
    double: bool = False,
) -> list[tuple[str, Any]]:
    """``steps`` after a TableToMatrix of ``columns`` (step ``"table_to_matrix"``)."""
    from ._onnx_tables import TableToMatrix

    names = {name for name, _ in steps}
    name = "table_to_matrix"
    while name in names:
        name = f"_{name}"
    step = TableToMatrix([column for column, _ in columns], categories, double)
    return [(name, step), *steps]


def _n_features(step: Any, X_sample: Any) -> int:
    """The number of columns of the matrix input ``X``."""
    expected = getattr(step, "n_features_in_", None)
    if X_sample is None:
        if expected is None:
            raise ValueError(
                "X_sample is needed: the model's first step, "
                f"{type(step).__name__}, does not say how many features it takes "
                "(it has no n_features_in_). Pass a few rows of the model's input."
            )
        return int(expected)
    array = np.asarray(X_sample)
    if array.ndim != 2:
        raise ValueError(
            "X_sample must be a DataFrame or a 2-D array of rows like the model's "
            f"input; got an array of shape {array.shape}."
        )
    if array.dtype.kind not in "biuf":
        raise ValueError(
            "X_sample is an array of values that are not numbers; pass a "
            "DataFrame, whose text columns become text inputs."
        )
    if expected is not None and array.shape[1] != expected:
        raise ValueError(
            f"X_sample has {array.shape[1]} columns but the model's first step, "
            f"{type(step).__name__}, takes {expected}."
        )
    return array.shape[1]


def _graph_inputs(
    steps: list[tuple[str, Any]], X_sample: Any
) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """The ONNX inputs of the student's steps, and the steps to convert.

    A table (a first step :class:`TableSchema`, or a DataFrame ``X_sample``)
    gives one input per column; a first model that takes a matrix (not a
    ``ColumnTransformer``, which picks columns by name) then gets a
    :class:`~._onnx_tables.TableToMatrix` in front of it. Anything else
    gives one input ``X``. Numbers are float, or double before a LightGBM
    model (:func:`_in_double`).
    """
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType

    double = _in_double(steps)
    first = steps[0][1]
    if isinstance(first, TableSchema):
        columns, categories = _schema_columns(first, X_sample)
        rest = steps[1:]
        after = rest[0][1] if rest else None
        if isinstance(after, ColumnTransformer):
            return _initial_types(columns), steps
        if _is_lightgbm(after) and categories:
            _check_lightgbm_categories(after, columns, categories)
        return _initial_types(columns, double), _table_to_matrix(
            columns, categories, rest, double
        )
    if isinstance(X_sample, pd.DataFrame):
        columns = _frame_columns(X_sample)
        if isinstance(first, ColumnTransformer):
            return _initial_types(columns), steps
        texts = [name for name, is_text in columns if is_text]
        if texts and not _is_lightgbm(first):
            raise ValueError(
                f"X_sample has text or category column(s) "
                f"({', '.join(map(repr, texts))}) but the model's first step, "
                f"{type(first).__name__}, takes numbers: pass X_sample with the "
                "dtypes of the table the model was fitted on."
            )
        categories = _lightgbm_categories(first, columns) if texts else {}
        return _initial_types(columns, double), _table_to_matrix(
            columns, categories, steps, double
        )
    n_features = _n_features(first, X_sample)
    number = DoubleTensorType if double else FloatTensorType
    return [("X", number([None, n_features]))], steps


def _check_lightgbm_categories(
    model: Any, columns: list[tuple[str, bool]], categories: dict[str, list[str]]
) -> None:
    """Check that the LightGBM ``model`` codes the schema's categories as it does."""
    recorded = getattr(model.booster_, "pandas_categorical", None) or []
    expected = [categories[name] for name, is_text in columns if is_text]
    if [[str(value) for value in values] for values in recorded] != expected:
        raise ValueError(
            f"{type(model).__name__} after the TableSchema was not fitted on the "
            "schema's category columns (the categories LightGBM recorded are not "
            "the schema's): refit it on the schema's output."
        )


# -- which models convert ------------------------------------------------------------


def _parts(step: Any) -> list[Any]:
    """The fitted models inside a step that skl2onnx converts one by one."""
    from sklearn.multioutput import MultiOutputRegressor

    from ..students import LogitMatchingClassifier

    if isinstance(step, Pipeline):
        return [part for _, sub in step.steps for part in _parts(sub)]
    if isinstance(step, ColumnTransformer):
        return [
            part
            for _, sub, _ in step.transformers_
            if not isinstance(sub, str)
            for part in _parts(sub)
        ]
    if isinstance(step, LogitMatchingClassifier):
        check_is_fitted(step)
        return [step, *_parts(step.regressor_)]
    if isinstance(step, MultiOutputRegressor):
        return [step, *(part for sub in step.estimators_ for part in _parts(sub))]
    return [step]


def _check_supported(steps: list[tuple[str, Any]]) -> None:
    from ._onnx_converters import has_converter

    for _, step in steps:
        for part in _parts(step):
            if isinstance(part, FunctionTransformer) and part.func is not None:
                raise UnsupportedModelError(
                    f"FunctionTransformer(func={getattr(part.func, '__name__', '?')}) "
                    "cannot be exported to ONNX: a Python function has no ONNX "
                    "converter (only the identity, func=None, converts). "
                    f"{SUPPORTED}."
                )
            if part is None or isinstance(part, str) or has_converter(part):
                continue
            raise UnsupportedModelError(
                f"{type(part).__name__} cannot be exported to ONNX: skl2onnx has "
                f"no converter for it. {SUPPORTED}."
            )


# -- the conversion ------------------------------------------------------------------


def _output_names(final: Any) -> list[str]:
    return _CLASSIFIER_OUTPUTS if is_classifier(final) else _REGRESSOR_OUTPUTS


def _check_names(initial_types: list[tuple[str, Any]], final: Any) -> None:
    clash = [name for name, _ in initial_types if name in _output_names(final)]
    if clash:
        raise ValueError(
            f"the model's input has a column named {clash[0]!r}, the name of an "
            f"output of the ONNX model ({', '.join(_output_names(final))}), and "
            "ONNX names must be unique: rename the column in the table the model "
            "is fitted on (and in X_sample), then refit."
        )


def to_onnx(
    model: Any, X_sample: Any = None, *, target_opset: int | None = None
) -> Any:
    """The ONNX model of a fitted model's student, with its preprocessing.

    The student (:func:`student_pipeline`: the fitted student of a
    distiller, with the preprocessing steps in front of it, or a fitted
    estimator as it is) is converted with skl2onnx; LightGBM's models with
    onnxmltools' converter; skdistill's :class:`~skdistill.preprocessing.TableSchema`,
    :class:`~skdistill.SoftLogisticRegression`,
    :class:`~skdistill.SoftLGBMClassifier` and
    :class:`~skdistill.LogitMatchingClassifier` with converters of their
    own. scikit-learn's trees keep their routing of missing values, which
    skl2onnx's converter drops.

    The inputs are the model's:

    - a first step :class:`~skdistill.preprocessing.TableSchema` (the
      command line's models) or a DataFrame ``X_sample``: one input per
      column, named after it, of shape ``(n_rows, 1)``: ``float32`` for a
      numeric column, ``string`` for a categorical or text one (a missing
      text is the empty string ``""``, a missing number ``NaN``);
    - otherwise one ``float32`` input ``X`` of shape ``(n_rows, n_features)``.

    The numbers are ``float64`` instead when the student is LightGBM's
    (``LGBMClassifier``, ``LGBMRegressor``,
    :class:`~skdistill.SoftLGBMClassifier`, or a
    :class:`~skdistill.LogitMatchingClassifier` of ``LGBMRegressor``) and
    takes them directly, after a
    :class:`~skdistill.preprocessing.TableSchema`, or after
    ``StandardScaler``, ``MinMaxScaler`` or ``MaxAbsScaler`` (see Notes).

    A classifier's outputs are ``label`` (its ``predict``) and
    ``probabilities`` (its ``predict_proba``, a float tensor of shape
    ``(n_rows, n_classes)``, columns in the order of ``classes_``); a
    regressor's, ``variable`` (its ``predict``, of shape ``(n_rows, 1)``).
    Use :func:`onnx_inputs` to turn rows into the inputs.

    Parameters
    ----------
    model : estimator
        A fitted distiller, a :class:`~sklearn.pipeline.Pipeline` ending
        with one (such as the command line's model), or a fitted estimator,
        exported as it is. It is not modified.
    X_sample : DataFrame or array-like of shape (n_samples, n_features), default=None
        A few rows like the model's input, which give the types of the
        inputs: a DataFrame gives one input per column, an array one input
        ``X``. It may be None when the first step is a fitted
        :class:`~skdistill.preprocessing.TableSchema` (the types are the
        schema's) or says how many features it takes (``n_features_in_``).
    target_opset : int, default=None
        The ONNX operator set of the graph (its ``ai.onnx.ml`` operators use
        set 3). None means the newest that skl2onnx supports.

    Returns
    -------
    onnx_model : onnx.ModelProto
        Save it with ``onnx.save(onnx_model, path)``, or run it with
        ``onnxruntime.InferenceSession(onnx_model.SerializeToString())``.

    Raises
    ------
    ImportError
        onnx, skl2onnx or onnxmltools is not installed.
    UnsupportedModelError
        The student or a step has no ONNX converter (such as a
        ``FunctionTransformer`` of a Python function), a
        :class:`~skdistill.preprocessing.TableSchema` has the empty string
        among a column's categories (the missing text of the inputs), or the
        model predicts with an average of several models (see
        :func:`student_pipeline`).
    TypeError
        ``target_opset`` is not an int.
    ValueError
        ``X_sample`` is needed and missing, or does not match the model
        (its number of columns, the columns of the schema, text columns
        where the model takes numbers), or ``target_opset`` is out of range.

    See Also
    --------
    onnx_inputs : The inputs of the ONNX model for rows of a table.
    student_pipeline : The model that is exported.
    to_c : The same student as C source.

    Notes
    -----
    Classifiers are exported without ``ZipMap``: ``probabilities`` is a
    plain tensor. The graph computes in ``float32``, as skl2onnx's
    converters do: in the tests (tables with unseen categories and missing
    values), probabilities are within ``5e-7`` of ``predict_proba`` and
    labels equal ``predict``; regressors' predictions within ``2e-7`` of the
    largest prediction.

    LightGBM compares double features with double thresholds, so a value
    a few ulps (in double) above a threshold, which rounds onto it in
    ``float32``, would take the other branch in a ``float32`` graph. For
    the LightGBM students listed above, the inputs and the path into the
    trees are therefore double, and the trees' thresholds are written
    unrounded (``nodes_values_as_tensor``, a double tensor, instead of
    onnxmltools' float ``nodes_values``): every row takes LightGBM's
    branches. The leaves' values and what follows the trees stay
    ``float32`` (errors below ``1e-6``). Other preprocessing in front of
    LightGBM (a ``SimpleImputer``, whose onnxruntime kernel is float only,
    a ``ColumnTransformer``, ...) keeps ``float32`` inputs, and a value
    within a float32 rounding of a threshold may take the other branch.

    skdistill registers in skl2onnx converters for LightGBM's models
    (skl2onnx's documented recipe with onnxmltools) and for its own
    classes. Each conversion also uses converters of its own (not
    registered) for scikit-learn's trees and forests, which write the
    routing of missing values that skl2onnx's leave out (sklearn-onnx issue
    #1253), and for ``SimpleImputer`` of texts with ``NaN`` as missing
    value (``make_preprocessor``'s imputer of categories), which skl2onnx
    refuses.

    Examples
    --------
    >>> import numpy as np
    >>> import onnxruntime
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdistill import DistilledClassifier, SoftLogisticRegression
    >>> from skdistill.export import onnx_inputs, to_onnx
    >>> X, y = load_iris(return_X_y=True)
    >>> distiller = DistilledClassifier(
    ...     LGBMClassifier(n_estimators=20, verbose=-1),
    ...     SoftLogisticRegression(),
    ... )
    >>> model = make_pipeline(StandardScaler(), distiller).fit(X, y)
    >>> onnx_model = to_onnx(model)
    >>> [output.name for output in onnx_model.graph.output]
    ['label', 'probabilities']
    >>> session = onnxruntime.InferenceSession(
    ...     onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    ... )
    >>> label, probabilities = session.run(None, onnx_inputs(onnx_model, X))
    >>> bool(np.allclose(probabilities, model.predict_proba(X), atol=1e-5))
    True
    >>> bool((label == model.predict(X)).all())
    True
    """
    import_libraries("to_onnx", ("onnx", "skl2onnx", "onnxmltools"))
    from skl2onnx import convert_sklearn

    from . import _onnx_converters, _onnx_tables

    _onnx_converters.register()
    _onnx_tables.register()
    opset = _check_opset(target_opset)
    student = student_pipeline(model)
    steps = (
        list(student.steps) if isinstance(student, Pipeline) else [("student", student)]
    )
    initial_types, steps = _graph_inputs(steps, X_sample)
    _check_supported(steps)
    final = steps[-1][1]
    _check_names(initial_types, final)
    options = {id(final): {"zipmap": False}} if is_classifier(final) else None
    onnx_model = convert_sklearn(
        Pipeline(steps) if len(steps) > 1 else final,
        initial_types=initial_types,
        options=options,
        target_opset={"": opset, "ai.onnx.ml": _ML_OPSET},
        custom_conversion_functions={
            **_onnx_converters.CONVERSION_FUNCTIONS,
            **_onnx_tables.CONVERSION_FUNCTIONS,
        },
        custom_shape_calculators=_onnx_tables.SHAPE_CALCULATORS,
    )
    _name_inputs(onnx_model, [name for name, _ in initial_types])
    return onnx_model


def _name_inputs(onnx_model: Any, names: list[str]) -> None:
    """Give the graph's inputs ``names`` (skl2onnx writes ``x-box`` as ``x_box``)."""
    graph = onnx_model.graph
    renames = {
        graph_input.name: name
        for graph_input, name in zip(graph.input, names, strict=True)
        if graph_input.name != name
    }
    if not renames:
        return
    taken = {name for node in graph.node for name in [*node.input, *node.output]}
    taken |= {initializer.name for initializer in graph.initializer}
    clash = [name for name in renames.values() if name in taken]
    if clash:
        raise ValueError(
            f"the model's input has a column named {clash[0]!r}, the name of a "
            "value inside the ONNX graph, and ONNX names must be unique: rename "
            "the column in the table the model is fitted on (and in X_sample), "
            "then refit."
        )
    for graph_input in graph.input:
        graph_input.name = renames.get(graph_input.name, graph_input.name)
    for node in graph.node:
        for index, name in enumerate(node.input):
            if name in renames:
                node.input[index] = renames[name]
