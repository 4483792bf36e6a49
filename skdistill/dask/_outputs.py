"""A teacher's outputs over a Dask collection, computed block by block.

The fitted teacher is sent to the workers once (scattered to the cluster
when a :class:`distributed.Client` is active, else one delayed value of
the graph), and each block of X (a row chunk of an array, a partition of a
DataFrame) is read by it where the block lives: the logits of a classifier
(:class:`skdistill._teacher.LogitOutput`) or the predictions of a
regressor (:class:`skdistill._teacher.PredictionOutput`), exactly what the
distillers' ``fit`` and ``partial_fit`` compute in one process.
"""

from __future__ import annotations

import sys
from typing import Any

import dask
import numpy as np
import pandas as pd
from dask import array as da
from dask import dataframe as dd
from numpy.typing import ArrayLike
from sklearn.base import is_classifier, is_regressor
from sklearn.utils.validation import check_is_fitted

from .._teacher import (
    TEACHER_OUTPUTS,
    LogitOutput,
    PredictionOutput,
    _unfrozen,
    resolve_teacher_output,
)

#: Prefix of the columns that hold a teacher's outputs next to a partition.
OUTPUT_PREFIX = "__skdistill_output_"


def teacher_outputs(
    teacher: Any,
    X: da.Array | dd.DataFrame,
    *,
    classes: ArrayLike | None = None,
    teacher_output: str = "auto",
) -> da.Array:
    """A fitted teacher's outputs over a Dask array or DataFrame, lazily.

    What a distiller learns from, computed in parallel: each block of X (a
    row chunk of an array, a partition of a DataFrame) is read by the
    teacher on the worker that holds it, and the teacher is sent to each
    worker once (scattered to the cluster when a
    :class:`distributed.Client` is active, else one value of the task
    graph). A classifier teacher gives its logits, one column per class in
    the order of its sorted classes (or of ``classes``), from
    ``predict_proba`` or ``decision_function``; a regressor its
    predictions. They are the values of
    :class:`~skdistill.DistilledClassifier` and
    :class:`~skdistill.DistilledRegressor` computed in one process, block
    by block, with the same checks (shape, finite values, probabilities).

    Parameters
    ----------
    teacher : fitted estimator
        A fitted classifier or regressor, or one wrapped in
        :class:`~sklearn.frozen.FrozenEstimator`. It receives the blocks as
        they are: arrays, or pandas DataFrames with their dtypes.
    X : dask.array.Array or dask.dataframe.DataFrame of shape (n_rows, n_features)
        The rows to read. An array chunked along its columns is first
        rechunked to one column chunk (a row of a block must be whole).
    classes : array-like, default=None
        A classifier's column order: these classes, sorted, each of them
        known to the teacher. ``None``: the teacher's classes, sorted.
    teacher_output : {"auto", "predict_proba", "decision_function"}, \
default="auto"
        The classifier method that gives the logits, as in
        :class:`~skdistill.DistilledClassifier` (``"auto"``:
        ``predict_proba`` if the teacher has it).

    Returns
    -------
    outputs : dask.array.Array of shape (n_rows, n_outputs)
        Lazy float64 outputs: ``n_outputs`` is the number of classes of a
        classifier, of outputs of a regressor (1 for a single output). Its
        row chunks are X's blocks; those of a DataFrame have unknown
        lengths (``nan``) until computed (``outputs.compute_chunk_sizes()``).

    Raises
    ------
    TypeError
        If X is not a 2-d Dask array or a Dask DataFrame.
    ValueError
        If ``classes`` names a class the teacher does not know, or
        ``classes`` or ``teacher_output`` is given for a regressor.
    sklearn.exceptions.NotFittedError
        If the teacher is not fitted.

    See Also
    --------
    skdistill.dask.distil : Distil on Dask collections (these outputs, then
        the student block by block).

    Notes
    -----
    A regressor's number of outputs is read from its prediction on X's
    first row, which computes that row (the first block) once.

    Examples
    --------
    >>> import dask.array as da
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_iris
    >>> from skdistill.dask import teacher_outputs
    >>> X, y = load_iris(return_X_y=True)
    >>> teacher = LGBMClassifier(n_estimators=20, verbose=-1).fit(X, y)
    >>> logits = teacher_outputs(teacher, da.from_array(X, chunks=(50, 4)))
    >>> logits.shape, logits.chunks
    ((150, 3), ((50, 50, 50), (3,)))
    >>> logits[:2].compute().round(2)
    array([[-0.06, -3.61, -3.6 ],
           [-0.07, -3.41, -3.38]])
    >>> bool((logits.argmax(axis=1) == teacher.predict(X)).all().compute())
    True
    """
    X = check_features(X)
    check_fitted_teacher(teacher)
    if reads_classes(teacher):
        output = logit_output(teacher, classes, teacher_output)
    else:
        if classes is not None or teacher_output != "auto":
            raise ValueError(
                f"classes and teacher_output are for a classifier teacher; the "
                f"teacher {type(_unfrozen(teacher)).__name__} is a regressor. "
                "Leave them unset."
            )
        output = PredictionOutput(_prediction_shape(teacher, X))
    outputs = output_blocks(teacher, X, output)
    if isinstance(outputs, dd.DataFrame):
        return outputs.to_dask_array()
    return outputs


# -- what is read -----------------------------------------------------------------
def check_features(X: Any, name: str = "X") -> Any:
    """``X`` as the blocks are read: a 2-d array with one column chunk, or a
    DataFrame; a TypeError names what else to do."""
    if isinstance(X, dd.DataFrame):
        return X
    if isinstance(X, da.Array) and X.ndim == 2:
        return X if X.numblocks[1] == 1 else X.rechunk({1: -1})
    shape = f" of {X.ndim} dimension(s)" if isinstance(X, da.Array) else ""
    raise TypeError(
        f"{name} must be a 2-d dask.array.Array or a dask.dataframe.DataFrame; got "
        f"{type(X).__module__}.{type(X).__name__}{shape}. Wrap in-memory data "
        "with dask.array.from_array or dask.dataframe.from_pandas, or use the "
        "distiller's fit and partial_fit on it directly."
    )


def check_fitted_teacher(teacher: Any) -> None:
    """The teacher (inside a FrozenEstimator, if frozen) must be fitted."""
    check_is_fitted(
        _unfrozen(teacher),
        msg=(
            f"The teacher {type(_unfrozen(teacher)).__name__} is not fitted: the "
            "teacher read over a Dask collection must be fitted first (or be a "
            "LightGBM model that skdistill.dask.distil trains on the cluster)."
        ),
    )


def reads_classes(teacher: Any) -> bool:
    """Whether the teacher is a classifier (its tags, else its ``classes_``)."""
    if is_classifier(teacher):
        return True
    return not is_regressor(teacher) and hasattr(teacher, "classes_")


def logit_output(teacher: Any, classes: Any, teacher_output: str) -> LogitOutput:
    """How a classifier teacher is read: logits of ``classes`` (default: its own)."""
    if teacher_output not in TEACHER_OUTPUTS:
        raise ValueError(
            f"teacher_output must be one of {list(TEACHER_OUTPUTS)}; got "
            f"{teacher_output!r}."
        )
    known = np.unique(np.asarray(teacher.classes_))
    if classes is not None:
        classes = np.unique(np.asarray(classes))
        unknown = [c for c in classes.tolist() if c not in set(known.tolist())]
        if unknown:
            raise ValueError(
                f"classes {unknown} are not among the teacher's classes "
                f"{known.tolist()}: pass classes the teacher was trained on."
            )
    method = resolve_teacher_output(teacher, teacher_output)
    return LogitOutput(method, known if classes is None else classes)


def _prediction_shape(teacher: Any, X: Any) -> tuple[int, ...]:
    """The shape of a regressor's prediction on one row: ``()`` or ``(k,)``."""
    first = X.head(1) if isinstance(X, dd.DataFrame) else X[:1].compute()
    if len(first) == 0:
        raise ValueError(
            "X's first block has no rows, so the teacher's number of outputs "
            "cannot be read from it. Repartition X (or drop its empty blocks)."
        )
    prediction = np.asarray(teacher.predict(first))
    return () if prediction.ndim == 1 else tuple(prediction.shape[1:])


def n_outputs(output: Any) -> int:
    """Columns of the outputs: the classes, or the regressor's outputs."""
    if isinstance(output, LogitOutput):
        return len(output.classes)
    return int(np.prod(output.shape))


def output_columns(output: Any) -> list[str]:
    """The names of the outputs' columns next to a DataFrame's partitions."""
    return [f"{OUTPUT_PREFIX}{k}" for k in range(n_outputs(output))]


# -- reading, block by block ----------------------------------------------------------
def output_blocks(teacher: Any, X: Any, output: Any) -> Any:
    """The teacher's outputs on every block of X, lazily.

    An array X gives a dask Array of shape (n_rows, n_outputs) with X's row
    chunks; a DataFrame gives a dask DataFrame of the outputs (columns
    :func:`output_columns`), one partition per partition of X.
    """
    shipped = ship(teacher)
    if isinstance(X, dd.DataFrame):
        columns = output_columns(output)
        meta = pd.DataFrame(np.empty((0, len(columns))), columns=columns)
        return X.map_partitions(
            _read_partition, shipped, output, columns, meta=meta, enforce_metadata=False
        )
    width = n_outputs(output)
    return X.map_blocks(
        _read_block,
        shipped,
        output,
        chunks=(X.chunks[0], (width,)),
        meta=np.empty((0, width), dtype=np.float64),
    )


def ship(teacher: Any) -> Any:
    """The teacher as one piece of the graph, sent to each worker once.

    With a :class:`distributed.Client` active it is scattered to the cluster
    (a future that every block's task refers to); otherwise it is one
    delayed value, which the local scheduler shares between the blocks.
    """
    client = active_client()
    if client is not None:
        return client.scatter(teacher, hash=False)
    return dask.delayed(teacher, traverse=False)


def active_client() -> Any:
    """The default :class:`distributed.Client`, or None (none, or no distributed)."""
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return None
    try:
        return distributed.default_client()
    except ValueError:
        return None


def _read_block(block: Any, teacher: Any, output: Any) -> np.ndarray:
    """One row chunk's outputs, as a 2-d float array (run on a worker)."""
    return output.read(teacher, block).reshape(block.shape[0], n_outputs(output))


def default_strings(part: Any) -> Any:
    """A partition whose text columns have pandas' own string dtype.

    Dask stores text as ``StringDtype(na_value=pd.NA)`` (its
    ``dataframe.convert-string`` setting), whose missing values break
    scikit-learn's imputers (``pd.NA`` has no truth value); pandas reads
    the same text as ``str``, missing as NaN, which the models were trained
    on. Other columns are left as they are.
    """
    if not isinstance(part, pd.DataFrame):
        return part
    na_strings = [
        column
        for column, dtype in part.dtypes.items()
        if isinstance(dtype, pd.StringDtype) and dtype.na_value is pd.NA
    ]
    if not na_strings:
        return part
    try:
        text = pd.StringDtype(na_value=np.nan)  # pandas >= 2.3 (the default in 3)
    except TypeError:  # older pandas: text is held as objects, missing as NaN
        part = part.astype({column: object for column in na_strings})
        return part.replace({column: {pd.NA: np.nan} for column in na_strings})
    return part.astype({column: text for column in na_strings})


def _read_partition(part: Any, teacher: Any, output: Any, columns: list[str]) -> Any:
    """One partition's outputs, as a DataFrame on its index (run on a worker)."""
    values = output.read(teacher, default_strings(part))
    values = values.reshape(len(part), len(columns))
    return pd.DataFrame(values, columns=columns, index=part.index)
