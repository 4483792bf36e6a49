"""Distil on Dask collections: the teacher's outputs in parallel, the student
block after block.

:func:`distil` is the ``fit`` of a distiller whose data are Dask
collections. Its three steps:

1. the teacher (:mod:`skdistill.dask._teacher`): frozen, or a LightGBM
   model trained on the cluster;
2. its outputs on every block, in parallel (:mod:`skdistill.dask._outputs`);
3. the student learns block after block: :class:`dask_ml.wrappers.Incremental`
   calls ``partial_fit`` on each block in turn, and each call is one
   ``partial_fit`` of the distiller (:func:`skdistill._partial.partial_fit_batch`)
   given the block's teacher outputs. The outputs, the labels and the row
   weights travel as extra columns of X (:class:`_Packing`), which
   :class:`_BlockLearner` splits off: one collection, so that its blocks
   are X's partitions however Dask optimizes it (a Parquet source whose
   small files Dask merges differently for X and for y would otherwise
   misalign them).
"""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from dask import array as da
from dask import dataframe as dd
from numpy.typing import ArrayLike
from sklearn.base import clone, is_classifier
from sklearn.frozen import FrozenEstimator

from .._classifier import DistilledClassifier
from .._partial import check_partial_fit_student, partial_fit_batch, stream_student
from .._regressor import DistilledRegressor
from .._teacher import PredictionOutput, is_frozen
from ._extra import import_extra
from ._outputs import (
    OUTPUT_PREFIX,
    check_features,
    default_strings,
    logit_output,
    output_blocks,
    output_columns,
)
from ._teacher import fitted_teacher

#: The column of a DataFrame's row weights while the student learns.
WEIGHT_COLUMN = "__skdistill_sample_weight"
#: The column of a DataFrame's labels (a prefix: one per target of a 2-d y).
LABEL_COLUMN = "__skdistill_y"


def distil(
    distiller: Any,
    X: da.Array | dd.DataFrame,
    y: da.Array | dd.Series | dd.DataFrame,
    *,
    classes: ArrayLike | None = None,
    sample_weight: da.Array | dd.Series | None = None,
    shuffle_blocks: bool = True,
    random_state: Any = None,
) -> Any:
    """Fit a distiller on Dask collections: the teacher in parallel, the
    student block by block.

    The ``fit`` of a :class:`~skdistill.DistilledClassifier` or
    :class:`~skdistill.DistilledRegressor` whose rows are a Dask array or
    DataFrame, on a cluster or a local scheduler:

    1. **the teacher**: a prefit teacher wrapped in
       :class:`~sklearn.frozen.FrozenEstimator` is used as it is; a LightGBM
       teacher (``LGBMClassifier``, ``LGBMRegressor``, or ``teacher=None``,
       the default LightGBM teacher) is trained on the cluster by
       :mod:`lightgbm.dask` with its parameters, on the labelled rows (this
       needs a :class:`distributed.Client`), then kept as an ordinary
       LightGBM model;
    2. **its outputs** on every block, in parallel, where the block lives
       (:func:`skdistill.dask.teacher_outputs`);
    3. **the student**, block after block: each block of X (a row chunk, a
       partition) is one call of the distiller's ``partial_fit``, through
       :class:`dask_ml.wrappers.Incremental`. The student learns in
       sequence, on one worker at a time, as it would in one process,
       while the other workers read the next blocks with the teacher.

    X is read once: a block's teacher outputs and its batch of the student
    come from the same task. The blocks that wait for the student are held
    by the workers (which spill them to disk beyond their memory limit).

    The distiller is fitted in place and returned: afterwards it is an
    ordinary in-memory estimator (predict on NumPy or pandas data, pickle,
    export), equal to the distiller that ``partial_fit`` would give on the
    same blocks, in the same order, in one process. Whatever it had learnt
    before is discarded (``distil`` is a ``fit``); its parameters and
    teacher object are not modified.

    Parameters
    ----------
    distiller : DistilledClassifier or DistilledRegressor
        The distiller to fit. Its student must learn batch by batch (it has
        ``partial_fit``; ``student=None`` is the streaming default, as in
        ``partial_fit``). ``teacher_cv`` and ``augment`` must be None;
        ``memory`` and ``n_jobs`` play no role.
    X : dask.array.Array or dask.dataframe.DataFrame of shape (n_rows, n_features)
        Training rows; each block is a batch of the student. An array
        chunked along its columns is rechunked to one column chunk.
    y : dask.array.Array, dask.dataframe.Series or DataFrame
        Labels (targets of a regressor), blocked like X: an array with X's
        row chunks (or rechunked to them), a Series or DataFrame with X's
        partitions (``ddf["target"]`` next to ``ddf[features]``). Rows
        marked by the distiller's ``unlabeled`` learn from the teacher alone.
    classes : array-like, default=None
        A classifier's classes, as in ``partial_fit``: each must be known to
        the teacher. The student's classes are the teacher's.
    sample_weight : dask.array.Array or dask.dataframe.Series, default=None
        Row weights, blocked like y; they reach the teacher's training and
        the student's ``partial_fit``.
    shuffle_blocks : bool, default=True
        Learn the blocks in a random order (as ``Incremental`` does), or in
        their order.
    random_state : int, RandomState instance or None, default=None
        Seed of that order.

    Returns
    -------
    distiller : DistilledClassifier or DistilledRegressor
        The distiller given, fitted: ``teacher_`` (the frozen teacher, or the
        LightGBM model trained on the cluster), ``student_``,
        ``n_batches_seen_`` (the blocks with rows) and the other attributes
        of ``partial_fit``.

    Raises
    ------
    TypeError
        If X, y or sample_weight is not a Dask collection of the right kind.
    ValueError
        If the teacher cannot be used (not frozen and not LightGBM; a
        LightGBM teacher without a Client), the student cannot learn batch
        by batch, ``teacher_cv`` or ``augment`` is set, or y or
        sample_weight is not blocked like X.

    See Also
    --------
    skdistill.dask.teacher_outputs : The teacher's outputs, step 2.
    skdistill.DistilledClassifier.partial_fit : One block, in one process.
    dask_ml.wrappers.Incremental : Blocks fed to ``partial_fit`` in turn.

    Examples
    --------
    >>> import dask.array as da
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.frozen import FrozenEstimator
    >>> from sklearn.utils import shuffle
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.dask import distil
    >>> X, y = shuffle(*load_iris(return_X_y=True), random_state=0)
    >>> teacher = LGBMClassifier(n_estimators=20, verbose=-1).fit(X, y)
    >>> model = DistilledClassifier(FrozenEstimator(teacher))
    >>> X_dask, y_dask = da.from_array(X, chunks=25), da.from_array(y, chunks=25)
    >>> model = distil(model, X_dask, y_dask, random_state=0)
    >>> model.n_batches_seen_
    6
    >>> round(model.training_fidelity_, 2)
    0.98
    >>> model.predict(X[:3]).tolist(), y[:3].tolist()
    ([2, 1, 0], [2, 1, 0])
    """
    Incremental = import_extra("dask_ml.wrappers", needed_for="distil").Incremental
    _check_distiller(distiller, classes)
    X = check_features(X)
    _check_column_names(X)
    y = _blocked_like(X, y, "y")
    if sample_weight is not None:
        sample_weight = _blocked_like(X, sample_weight, "sample_weight")
    teacher = fitted_teacher(distiller, X, y, sample_weight)
    work = _light_clone(distiller)
    output = _output(work, teacher, y)
    outputs = output_blocks(teacher, X, output)
    packing = _Packing.of(X, y, output, weighted=sample_weight is not None)
    learner = _BlockLearner(work, teacher, packing, classes)
    incremental = Incremental(
        learner,
        scoring="accuracy" if is_classifier(distiller) else "r2",  # checked, unused
        shuffle_blocks=shuffle_blocks,
        random_state=random_state,
    )
    incremental.fit(_named_blocks(packing.pack(X, outputs, sample_weight, y)))
    learnt = incremental.estimator_
    learnt.replay_warnings()
    return _adopt(distiller, learnt.distiller, teacher)


# -- the checks before anything is computed -----------------------------------------
def _check_distiller(distiller: Any, classes: Any) -> None:
    """What ``distil`` cannot do for this distiller: a clear error up front."""
    name = type(distiller).__name__
    if not isinstance(distiller, (DistilledClassifier, DistilledRegressor)):
        raise TypeError(
            f"distil fits a DistilledClassifier or a DistilledRegressor; got {name}."
        )
    distiller._validate_params()
    for option in ("teacher_cv", "augment"):
        if getattr(distiller, option) is not None:
            raise ValueError(
                f"distil does not support {option}={getattr(distiller, option)!r}: "
                "it trains one teacher on every row and reads it on the rows given. "
                f"Set {option}=None, or fit the distiller in memory."
            )
    if classes is not None and not is_classifier(distiller):
        raise ValueError(
            f"classes is for a DistilledClassifier; {name} has no classes. Leave "
            "classes=None."
        )
    check_partial_fit_student(stream_student(distiller))


def _check_column_names(X: Any) -> None:
    """A DataFrame's columns must not take the names of the packed columns."""
    if not isinstance(X, dd.DataFrame):
        return
    taken = [
        c
        for c in X.columns
        if c == WEIGHT_COLUMN
        or (isinstance(c, str) and c.startswith((OUTPUT_PREFIX, LABEL_COLUMN)))
    ]
    if taken:
        raise ValueError(
            f"X has columns {taken} whose names distil reserves for the teacher's "
            f"outputs, the labels and the row weights (names starting with "
            f"{OUTPUT_PREFIX!r} or {LABEL_COLUMN!r}, and {WEIGHT_COLUMN!r}). "
            "Rename them."
        )


def _blocked_like(X: Any, values: Any, name: str) -> Any:
    """``values`` (y or sample_weight) with one block per block of X.

    With an array X: an array of X's rows, rechunked to X's row chunks (a
    NumPy array is wrapped). With a DataFrame X: a Series (or a DataFrame of
    targets) of X's partitions.
    """
    if isinstance(X, dd.DataFrame):
        if not isinstance(values, (dd.Series, dd.DataFrame)):
            raise TypeError(
                f"X is a dask DataFrame, so {name} must be a dask Series (or "
                f"DataFrame) partitioned like it; got {type(values).__name__}. "
                "Take it from the same DataFrame as X (such as ddf['target'])."
            )
        if values.npartitions != X.npartitions:
            raise ValueError(
                f"{name} has {values.npartitions} partitions but X has "
                f"{X.npartitions}: each partition of X needs its {name}. Take "
                f"{name} from the same DataFrame as X (such as ddf['target']), or "
                "repartition both alike."
            )
        return values
    if isinstance(values, (dd.Series, dd.DataFrame)):
        raise TypeError(
            f"{name} is a dask {type(values).__name__} but X is a dask Array; pass "
            f"{name} as an array (such as series.to_dask_array(lengths=True))."
        )
    if np.isnan(X.shape[0]):
        raise ValueError(
            "X has unknown chunk sizes (as after boolean indexing), so its rows "
            f"cannot be matched with {name}'s: call X.compute_chunk_sizes() (and "
            f"{name}.compute_chunk_sizes()) first."
        )
    if not isinstance(values, da.Array):
        values = da.from_array(np.asarray(values), chunks=-1)
    if values.ndim > 2 or values.shape[0] != X.shape[0]:
        raise ValueError(
            f"{name} has shape {values.shape} but X has {X.shape[0]} rows; {name} "
            "needs one row per row of X."
        )
    return values.rechunk({0: X.chunks[0], **({1: -1} if values.ndim == 2 else {})})


def _output(distiller: Any, teacher: Any, y: Any) -> Any:
    """How the teacher is read: as the distiller's ``partial_fit`` reads it."""
    if is_classifier(distiller):
        return logit_output(teacher, None, distiller.teacher_output)
    several = y.ndim == 2 and y.shape[1] != 1
    return PredictionOutput((y.shape[1],) if several else ())


# -- X with the teacher's outputs: what Incremental passes to partial_fit ---------
@dataclass(frozen=True)
class _Packing:
    """How a block of X carries its teacher outputs, its labels and its row
    weights.

    Incremental feeds ``partial_fit`` one block of one collection, so they
    all travel as X's last columns: an array's values stacked after X's (in
    a dtype that holds them all: X's values and the labels come back
    exactly, in their own dtypes, for floats and for integers below 2**53;
    an object array when X or the labels are strings), a DataFrame's as
    extra columns of reserved names (X's columns and dtypes kept).
    """

    n_features: int
    dtype: Any  # the dtype of an array X (None: a DataFrame)
    output_columns: tuple[str, ...]  # a DataFrame's columns of the outputs
    weighted: bool
    n_targets: int  # columns of a 2-d y (0: a 1-d y)
    y_dtype: Any  # the dtype of an array y (None: a DataFrame's)

    @classmethod
    def of(cls, X: Any, y: Any, output: Any, *, weighted: bool) -> _Packing:
        return cls(
            n_features=X.shape[1],
            dtype=X.dtype if isinstance(X, da.Array) else None,
            output_columns=tuple(output_columns(output)),
            weighted=weighted,
            n_targets=y.shape[1] if y.ndim == 2 else 0,
            y_dtype=y.dtype if isinstance(y, da.Array) else None,
        )

    @property
    def label_columns(self) -> list[str]:
        """A DataFrame's columns of the labels."""
        if not self.n_targets:
            return [LABEL_COLUMN]
        return [f"{LABEL_COLUMN}{j}" for j in range(self.n_targets)]

    def pack(self, X: Any, outputs: Any, sample_weight: Any, y: Any) -> Any:
        """X with the outputs, the labels (and the weights) as its last columns."""
        if self.dtype is None:
            y_meta = y._meta
            if isinstance(y_meta, pd.Series):
                y_meta = y_meta.to_frame()
            labels = dict(
                zip(self.label_columns, [y_meta[c] for c in y_meta], strict=True)
            )
            meta = X._meta.assign(
                **{c: np.float64(0) for c in self.output_columns},
                **labels,
                **({WEIGHT_COLUMN: np.float64(0)} if self.weighted else {}),
            )
            others = [outputs, y] + ([sample_weight] if self.weighted else [])
            return X.map_partitions(
                _join_partition,
                *others,
                label_columns=self.label_columns,
                align_dataframes=False,
                meta=meta,
            )
        parts = [X, outputs, y.reshape(-1, 1) if y.ndim == 1 else y]
        if self.weighted:
            parts.append(sample_weight.reshape(-1, 1))
        try:
            dtype = np.result_type(self.dtype, self.y_dtype, np.float64)
        except TypeError:  # strings: an object array holds them all
            dtype = np.dtype(object)
        parts = [part.astype(dtype) for part in parts]
        return da.concatenate(parts, axis=1).rechunk({1: -1})

    def unpack(self, block: Any) -> tuple[Any, Any, Any, Any]:
        """A packed block as ``(X, y, teacher outputs, sample_weight)``."""
        block_type = np.ndarray if self.dtype is not None else pd.DataFrame
        if not isinstance(block, block_type):
            raise RuntimeError(  # a key of the graph not found: a literal tuple
                f"Incremental passed partial_fit a {type(block).__name__} instead "
                "of a block of X: a block name missing from the Dask graph (a dask "
                "and dask-ml incompatibility). Please report it to skdistill."
            )
        n, k = self.n_features, len(self.output_columns)
        n_labels = self.n_targets or 1
        if self.dtype is None:
            X = default_strings(block.iloc[:, :n])
            outputs = block[list(self.output_columns)].to_numpy(np.float64)
            y = block[self.label_columns].to_numpy()
            weight = block[WEIGHT_COLUMN] if self.weighted else None
        else:
            X = np.ascontiguousarray(block[:, :n], dtype=self.dtype)
            outputs = np.asarray(block[:, n : n + k], dtype=np.float64)
            y = np.asarray(block[:, n + k : n + k + n_labels], dtype=self.y_dtype)
            weight = block[:, n + k + n_labels] if self.weighted else None
        if weight is not None:
            weight = np.asarray(weight, dtype=np.float64)
        if not self.n_targets:
            y = y.reshape(-1)
        return X, y, outputs, weight


def _join_partition(
    part: Any, outputs: Any, y: Any, weight: Any = None, *, label_columns: list[str]
) -> Any:
    """A partition of X with its outputs, labels (and weights) as extra columns,
    by position (run on a worker)."""
    for name, values in (
        ("the teacher's outputs", outputs),
        ("y", y),
        ("sample_weight", weight),
    ):
        if values is not None and len(values) != len(part):
            raise ValueError(
                f"A partition of X has {len(part)} rows but its {name} has "
                f"{len(values)}: {name} must be partitioned like X (take it from "
                "the same DataFrame as X)."
            )
    columns = {c: outputs[c].to_numpy() for c in outputs.columns}
    y_frame = y.to_frame() if isinstance(y, pd.Series) else y
    for column, source in zip(label_columns, y_frame.columns, strict=True):
        columns[column] = y_frame[source].to_numpy()
    if weight is not None:
        columns[WEIGHT_COLUMN] = np.asarray(weight, dtype=np.float64)
    return part.assign(**columns)


def _named_blocks(collection: Any) -> Any:
    """The collection whose blocks Incremental finds by name.

    Incremental addresses block ``i`` as the key ``(collection.name, i)`` of
    the collection's graph. A DataFrame's graph is that of its optimized
    expression, whose name may differ (a concat, for one): the optimized
    collection names its own blocks.
    """
    if isinstance(collection, (dd.DataFrame, dd.Series)):
        return collection.optimize()
    return collection


# -- the student's side, as Incremental sees it ------------------------------------
class _BlockLearner:
    """The distiller as :class:`dask_ml.wrappers.Incremental` feeds it: one
    block per ``partial_fit``.

    ``partial_fit(packed_block)`` splits the block (:class:`_Packing`)
    and calls the distiller's ``partial_fit`` flow with the block's teacher
    outputs. Empty blocks are skipped. The fitted teacher is needed by the
    first block only (it sets up the student and checks X against a frozen
    teacher): it is the distiller's ``teacher_`` for that block, then
    dropped, so that the learner travels light from worker to worker (the
    distiller's ``teacher`` is light already: :func:`_light_clone`). The
    warnings of the blocks are recorded, to be shown where ``distil`` was
    called.
    """

    def __init__(
        self, distiller: Any, teacher: Any, packing: _Packing, classes: Any
    ) -> None:
        self.distiller = distiller
        self.teacher = teacher
        self.packing = packing
        self.classes = classes
        self.warnings: dict[tuple[type, str], None] = {}
        self._token = uuid.uuid4().hex

    def __sklearn_clone__(self) -> _BlockLearner:
        # Incremental clones its estimator: this one carries the prepared
        # distiller and its teacher, which a clone would lose.
        return self

    def __dask_tokenize__(self) -> str:
        return self._token  # not the learner's bytes: they hold the teacher

    def fit(self, X: Any, y: Any) -> _BlockLearner:
        """Not used: Incremental checks that its estimator has ``fit``, but
        calls ``partial_fit`` on each block."""
        raise NotImplementedError("A block learner learns block by block.")

    def partial_fit(self, X: Any, y: Any = None) -> _BlockLearner:
        """One block: the distiller's ``partial_fit`` with its teacher outputs.

        ``y`` is unused: the labels travel in the packed block.
        """
        X, y, outputs, weight = self.packing.unpack(X)
        if X.shape[0] == 0:
            return self
        distiller = self.distiller
        if getattr(distiller, "student_", None) is None:
            distiller.teacher_ = self.teacher
        # (the warnings filters are the process's: with several threads per
        # worker, another task's warnings may be recorded here too)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            partial_fit_batch(
                distiller, X, y, self.classes, weight, {}, teacher_outputs=outputs
            )
        for warning in caught:
            self.warnings[(warning.category, str(warning.message))] = None
        distiller.teacher_ = self.teacher = None
        return self

    def replay_warnings(self) -> None:
        """Show the blocks' warnings (each once) where ``distil`` was called."""
        for category, message in self.warnings:
            warnings.warn(message, category, stacklevel=3)


def _light_clone(distiller: Any) -> Any:
    """A clone of the distiller that the student's blocks carry.

    A frozen teacher's model is replaced by an unfitted clone of it, in its
    FrozenEstimator: the same tags and routing, without the fitted model's
    weight (the fitted teacher reaches the first block apart, once).
    """
    work = clone(distiller)
    if is_frozen(work.teacher):
        work.teacher = FrozenEstimator(clone(work.teacher.estimator, safe=False))
    return work


def _adopt(distiller: Any, fitted: Any, teacher: Any) -> Any:
    """Give ``distiller`` the state that ``fitted`` (its clone) learnt.

    What a fit added to the clone (what a fresh clone lacks) is copied;
    what the distiller had learnt before is removed; its parameters and
    settings (``set_output``, metadata requests) are kept.
    """
    if getattr(fitted, "student_", None) is None:
        raise ValueError("X has no rows: every block of X is empty.")
    settings = set(vars(clone(distiller)))
    for name in set(vars(distiller)) - settings:
        delattr(distiller, name)
    for name, value in vars(fitted).items():
        if name not in settings:
            setattr(distiller, name, value)
    distiller.teacher_ = teacher
    return distiller
