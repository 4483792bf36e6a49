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
    with warnings.catch_warnings():
        if teacher.get_params().get("n_jobs") is None:  # lightgbm.dask says it anyway
            warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored")
        dask_model.fit(X, y, sample_weight=sample_weight)
    return dask_model.to_local()


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
