"""The teacher of a distillation on Dask collections: frozen, or trained there.

A prefit teacher wrapped in :class:`~sklearn.frozen.FrozenEstimator` is
used as it is. A LightGBM teacher (``LGBMClassifier``, ``LGBMRegressor``,
or the distillers' default, a LightGBM model) is trained on the cluster by
:mod:`lightgbm.dask` with the same parameters, on the labelled rows, then
brought back as an ordinary LightGBM model (``to_local``). Any other
unfitted teacher cannot be trained on Dask collections: the error says
what works.
"""

from __future__ import annotations

import warnings
from typing import Any

from sklearn.base import is_classifier

from .._teacher import is_frozen
from ._extra import import_extra
from ._outputs import active_client, check_fitted_teacher


def fitted_teacher(distiller: Any, X: Any, y: Any, sample_weight: Any) -> Any:
    """The distiller's teacher, fitted: frozen as is, or LightGBM on the cluster.

    Parameters
    ----------
    distiller : DistilledClassifier or DistilledRegressor
        Its ``teacher`` (``None``: its default teacher) and ``unlabeled``
        marker are read; it is not modified.
    X, y, sample_weight : dask collections
        The rows, aligned block by block (``sample_weight`` may be None).

    Returns
    -------
    teacher : estimator
        The frozen teacher, or a fitted ``LGBMClassifier``/``LGBMRegressor``.
    """
    teacher = distiller._resolved_teacher()
    if is_frozen(teacher):
        check_fitted_teacher(teacher)
        return teacher
    dask_model = _dask_lightgbm(distiller, teacher)
    if active_client() is None:
        raise ValueError(
            f"The {type(teacher).__name__} teacher is trained on the cluster with "
            "lightgbm.dask, which needs a dask.distributed Client: start one "
            "(client = distributed.Client(...)) before distil, or pass a prefit "
            "teacher wrapped in sklearn.frozen.FrozenEstimator."
        )
    if distiller.unlabeled is not None:
        labelled = y != distiller.unlabeled
        if labelled.ndim == 2:  # a DataFrame of targets, or a 2-d array
            labelled = labelled.any(axis=1)
        X, y = X[labelled], y[labelled]
        sample_weight = None if sample_weight is None else sample_weight[labelled]
    X, y, sample_weight = _same_partitions(X, y, sample_weight)
    with warnings.catch_warnings():
        if teacher.get_params().get("n_jobs") is None:  # lightgbm.dask says it anyway
            warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored")
        dask_model.fit(X, y, sample_weight=sample_weight)
    return dask_model.to_local()


def _same_partitions(X: Any, y: Any, sample_weight: Any) -> tuple[Any, Any, Any]:
    """DataFrame rows that lightgbm.dask reads as the same parts.

    lightgbm.dask takes each collection's partitions apart
    (``to_delayed``), and Dask optimizes each alone: a Parquet source whose
    small files it merges differently for X's columns and for y's would give
    X and y different parts. The columns are joined into one frame (by
    position, partition by partition), optimized once, and taken apart from
    its partitions.
    """
    dd = import_extra("dask.dataframe", needed_for="distil")
    if not isinstance(X, dd.DataFrame):
        return X, y, sample_weight
    others = [y] + ([] if sample_weight is None else [sample_weight])
    meta = _joined(X._meta, *(other._meta for other in others))
    joined = X.map_partitions(_joined, *others, align_dataframes=False, meta=meta)
    parts = joined.optimize().to_delayed()
    n = X.shape[1]
    width = 1 if y.ndim == 1 else y.shape[1]

    def taken(start: int, stop: int, like: Any) -> Any:
        pieces = [part.iloc[:, start:stop] for part in parts]
        if like.ndim == 1:
            pieces = [piece.iloc[:, 0].rename(like._meta.name) for piece in pieces]
        else:
            pieces = [piece.set_axis(like._meta.columns, axis=1) for piece in pieces]
        return dd.from_delayed(pieces, meta=like._meta, verify_meta=False)

    X = dd.from_delayed(
        [part.iloc[:, :n] for part in parts], meta=X._meta, verify_meta=False
    )
    y_parts = taken(n, n + width, y)
    if sample_weight is not None:
        sample_weight = taken(n + width, n + width + 1, sample_weight)
    return X, y_parts, sample_weight


def _joined(part: Any, *others: Any) -> Any:
    """A partition of X with its y (and weights) as its last columns, by
    position (run on a worker)."""
    import pandas as pd

    columns = [part.reset_index(drop=True)]
    for other in others:
        if len(other) != len(part):
            raise ValueError(
                f"A partition of X has {len(part)} rows but one of y or "
                f"sample_weight has {len(other)}: they must be partitioned like X "
                "(take them from the same DataFrame as X)."
            )
        frame = other.to_frame() if other.ndim == 1 else other
        columns.append(
            frame.reset_index(drop=True).set_axis(
                [f"__skdistill_{len(columns)}_{j}" for j in range(frame.shape[1])],
                axis=1,
            )
        )
    return pd.concat(columns, axis=1).set_axis(part.index, axis=0)


def _dask_lightgbm(distiller: Any, teacher: Any) -> Any:
    """The :mod:`lightgbm.dask` model with the teacher's parameters; the errors
    of a teacher that cannot be trained on Dask collections."""
    name = type(distiller).__name__
    if not _is_lightgbm(teacher):
        raise ValueError(
            f"{name}'s teacher {type(teacher).__name__} is not frozen, so it would "
            "be trained on the Dask collections, and only a LightGBM teacher "
            "(lightgbm.LGBMClassifier or LGBMRegressor, or teacher=None, the "
            "default LightGBM teacher) is trained there (with lightgbm.dask). "
            "Pass a LightGBM teacher, or a prefit teacher wrapped in "
            "sklearn.frozen.FrozenEstimator (teacher=FrozenEstimator(model))."
        )
    dask_lgbm = import_extra("lightgbm.dask", needed_for="A LightGBM teacher on Dask")
    import_extra("distributed", needed_for="A LightGBM teacher on Dask")
    classifier = is_classifier(distiller)
    if is_classifier(teacher) != classifier:
        kind = "classifier" if classifier else "regressor"
        raise ValueError(
            f"{name} needs a {kind} teacher; got {type(teacher).__name__}. Use "
            f"lightgbm.LGBM{'Classifier' if classifier else 'Regressor'}."
        )
    model = dask_lgbm.DaskLGBMClassifier if classifier else dask_lgbm.DaskLGBMRegressor
    params = teacher.get_params(deep=False)
    params.pop("client", None)  # a Dask model as the teacher: the default Client
    return model(**params)


# The LightGBM models trained on the cluster as they are: not their subclasses
# (such as a custom objective's), whose Dask twin would lose what they add.
_LIGHTGBM_TEACHERS = frozenset(
    {
        "lightgbm.sklearn.LGBMClassifier",
        "lightgbm.sklearn.LGBMRegressor",
        "lightgbm.dask.DaskLGBMClassifier",
        "lightgbm.dask.DaskLGBMRegressor",
    }
)


def _is_lightgbm(teacher: Any) -> bool:
    """Whether the teacher is one of LightGBM's plain (or Dask) models."""
    cls = type(teacher)
    return f"{cls.__module__}.{cls.__qualname__}" in _LIGHTGBM_TEACHERS
