"""Distillation on a Dask cluster: the same estimators, data beyond one machine.

- :func:`teacher_outputs`: a fitted teacher's outputs (a classifier's
  logits, a regressor's predictions) over a Dask array or DataFrame,
  computed block by block on the workers;
- :func:`distil`: fit a :class:`~skdistill.DistilledClassifier` or
  :class:`~skdistill.DistilledRegressor` on Dask collections: a LightGBM
  teacher trained on the cluster (``lightgbm.dask``) or a frozen one, its
  outputs in parallel, then the student block after block with
  :class:`dask_ml.wrappers.Incremental`. The distiller is an ordinary
  in-memory estimator afterwards.

The searches (:class:`~skdistill.DistilledClassifierCV`,
:class:`~skdistill.DistilledRegressorCV`) and the out-of-fold teachers of
``teacher_cv`` run their folds on the cluster with joblib's Dask backend,
unchanged: ``with joblib.parallel_config(backend="dask"): search.fit(X, y)``.

This subpackage needs the ``dask`` extra (``pip install "skdistill[dask]"``)
and is imported on demand: ``import skdistill`` does not import it.
"""

from ._extra import import_extra

import_extra("dask.array")
import_extra("dask.dataframe")

from ._distil import distil  # noqa: E402
from ._outputs import teacher_outputs  # noqa: E402

__all__ = ["distil", "teacher_outputs"]
