"""The inputs of an exported model for rows of a table: :func:`onnx_inputs`.

An exported model whose input is a table takes one ONNX input per column:
a ``float`` tensor for a numeric column, a ``string`` tensor for a
categorical one, each of shape ``(n_rows, 1)``; other models take one
matrix ``X``. A missing number is ``NaN``; a missing text is
:data:`MISSING_TEXT`, the empty string (an ONNX string cannot be missing).
This module needs only ``onnx``, not the converters.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pandas as pd

from ..preprocessing import _as_text

__all__ = ["MISSING_TEXT", "import_libraries", "input_name", "onnx_inputs"]

#: A missing value of a text (categorical) input of an exported model.
MISSING_TEXT = ""


def import_libraries(function: str, names: tuple[str, ...]) -> None:
    """Import the optional libraries ``names`` of ``function``, or say how to."""
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError as error:
            raise ImportError(
                f"{function} needs {name}, an optional dependency of skdistill: "
                'pip install "skdistill[export]"'
            ) from error


def input_name(name: Any) -> str:
    """The name of the ONNX input of a column named ``name``."""
    return str(name)


def _numbers(column: pd.Series, name: str, dtype: Any) -> np.ndarray:
    """A column as numbers (``NaN`` where missing), or a ValueError naming it."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object)
    if pd.api.types.is_bool_dtype(column):
        column = column.astype(np.float64)
    numbers = pd.to_numeric(column, errors="coerce")
    bad = column.notna() & numbers.isna()
    if bad.any():
        raise ValueError(
            f"Column {name!r} of X is a numeric input of the ONNX model but holds "
            f"values that are not numbers, e.g. {column[bad].iloc[0]!r}."
        )
    return numbers.to_numpy(dtype=dtype, na_value=np.nan).reshape(-1, 1)


def _texts(column: pd.Series) -> np.ndarray:
    """A column as texts, a missing value as the empty string."""
    text = _as_text(column).fillna(MISSING_TEXT)
    return text.to_numpy(dtype=object).reshape(-1, 1)


def _graph_input_types(onnx_model: Any) -> list[tuple[str, Any, int | None]]:
    """``(name, numpy dtype or str, width)`` of each input of ``onnx_model``."""
    from onnx import TensorProto
    from onnx.helper import tensor_dtype_to_np_dtype

    inputs = []
    for graph_input in onnx_model.graph.input:
        tensor = graph_input.type.tensor_type
        dims = tensor.shape.dim
        width = dims[1].dim_value if len(dims) == 2 and dims[1].dim_value else None
        if tensor.elem_type == TensorProto.STRING:
            dtype: Any = str
        else:
            dtype = tensor_dtype_to_np_dtype(tensor.elem_type)
        inputs.append((graph_input.name, dtype, width))
    return inputs


def _feed_column(column: pd.Series, name: str, dtype: Any) -> np.ndarray:
    """One column of X as the input ``name`` of type ``dtype``."""
    return _texts(column) if dtype is str else _numbers(column, name, dtype)


def _frame_feed(
    X: pd.DataFrame, inputs: list[tuple[str, Any, int | None]]
) -> dict[str, np.ndarray]:
    """The inputs from a DataFrame: a column each, or all for one matrix input."""
    names = {input_name(name): name for name in X.columns}
    if len(inputs) == 1 and (inputs[0][0] not in names or inputs[0][2] != 1):
        # one matrix input (even if a column has its name, such as "X")
        name, dtype, width = inputs[0]
        return {name: _matrix(X, name, dtype, width)}
    missing = [name for name, _, _ in inputs if name not in names]
    if missing:
        raise ValueError(
            f"X lacks {len(missing)} column(s) that are inputs of the ONNX model: "
            f"{', '.join(map(repr, missing))}."
        )
    return {
        name: _feed_column(X[names[name]], name, dtype) for name, dtype, _ in inputs
    }


def _matrix(X: Any, name: str, dtype: Any, width: int | None) -> np.ndarray:
    """All the columns of ``X`` as the one input ``name``."""
    if isinstance(X, pd.DataFrame):
        frame = X
    else:
        array = np.asarray(X)
        if array.ndim != 2:
            raise ValueError(
                f"X must be a DataFrame or a 2-D array of rows; got an array of "
                f"shape {array.shape}. Reshape a single row with X.reshape(1, -1)."
            )
        frame = pd.DataFrame(array, copy=False)
    if width is not None and frame.shape[1] != width:
        raise ValueError(
            f"X has {frame.shape[1]} columns but the ONNX model's input {name!r} "
            f"takes {width}."
        )
    if dtype is str:
        return np.column_stack([_texts(frame[c]) for c in frame.columns])
    if all(pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns):
        return frame.to_numpy(dtype=dtype, na_value=np.nan)
    return np.column_stack(
        [_numbers(frame[column], str(column), dtype) for column in frame.columns]
    ).astype(dtype, copy=False)


def onnx_inputs(onnx_model: Any, X: Any) -> dict[str, np.ndarray]:
    """The inputs of an ONNX model for the rows ``X``, to feed onnxruntime.

    Each input of ``onnx_model`` gets its values from ``X``, cast to its
    type: a numeric input takes numbers (``NaN`` where missing; text that
    parses as a number is read as one), a text input takes each value's
    text (``str``), with the empty string ``""`` where the value is missing
    (``NaN`` or ``None``), as :func:`to_onnx`'s models expect.

    Parameters
    ----------
    onnx_model : onnx.ModelProto
        A model from :func:`to_onnx`.
    X : DataFrame or array-like of shape (n_samples, n_features)
        Rows of the model's input. With one input per column, a DataFrame
        gives each input its column (by name; other columns are ignored)
        and an array its column by position; with one input ``X``, all the
        columns. ``X`` is not modified.

    Returns
    -------
    inputs : dict of str to ndarray
        The name of each input of ``onnx_model``, and its values: for
        ``onnxruntime.InferenceSession.run(None, inputs)``.

    Raises
    ------
    ValueError
        ``X`` lacks an input's column, has another number of columns than
        the input takes, or holds text in a numeric column.

    See Also
    --------
    to_onnx : The ONNX model of a student.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill.export import onnx_inputs, to_onnx
    >>> from skdistill.preprocessing import make_preprocessor
    >>> from sklearn.pipeline import make_pipeline
    >>> X = pd.DataFrame(
    ...     {
    ...         "size": [1.0, 2.5, np.nan, 4.0] * 5,
    ...         "color": ["red", "blue", None, "red"] * 5,
    ...     }
    ... )
    >>> y = [0, 1, 0, 1] * 5
    >>> tree = DecisionTreeClassifier(random_state=0)
    >>> model = make_pipeline(make_preprocessor(tree, X), tree).fit(X, y)
    >>> inputs = onnx_inputs(to_onnx(model), X.head(3))
    >>> inputs["size"].ravel(), inputs["color"].ravel()
    (array([1. , 2.5, nan], dtype=float32), array(['red', 'blue', ''], dtype=object))
    """
    import_libraries("onnx_inputs", ("onnx",))
    inputs = _graph_input_types(onnx_model)
    if isinstance(X, pd.DataFrame):
        return _frame_feed(X, inputs)
    if len(inputs) == 1:
        name, dtype, width = inputs[0]
        return {name: _matrix(X, name, dtype, width)}
    array = np.asarray(X)
    if array.ndim != 2 or array.shape[1] != len(inputs):
        raise ValueError(
            f"X must hold one column per input of the ONNX model ({len(inputs)}: "
            f"{', '.join(name for name, _, _ in inputs)}); got an array of shape "
            f"{array.shape}. Pass a DataFrame with these columns."
        )
    frame = pd.DataFrame(array, columns=[name for name, _, _ in inputs])
    return _frame_feed(frame, inputs)
