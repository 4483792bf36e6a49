"""Tests of skdistill.dask.teacher_outputs: a teacher's outputs block by block.

On the cluster (2 worker processes) and on the local scheduler, the
outputs equal those the distillers compute in one process
(``LogitOutput.read``, ``PredictionOutput.read``).
"""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from numpy.testing import assert_allclose
from sklearn.compose import make_column_transformer
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdistill._teacher import LogitOutput, PredictionOutput

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
cloudpickle = pytest.importorskip("cloudpickle")
from skdistill.dask import teacher_outputs  # noqa: E402

# The outputs on a cluster are those of one process: the same rows are read
# by the same model, a block at a time (only a BLAS sum order may differ).
TOLERANCE = 1e-12


def data(n=600, seed=0):
    return make_classification(
        n_samples=n,
        n_features=5,
        n_informative=4,
        n_redundant=1,
        n_classes=3,
        random_state=seed,
    )


def lgbm(cls=LGBMClassifier, **params):
    return cls(n_estimators=10, num_leaves=7, verbose=-1, n_jobs=1, **params)


def table(n=600, seed=0):
    """A frame with a string and a categorical column, and its labels."""
    X, y = data(n, seed)
    frame = pd.DataFrame(X[:, :3], columns=["a", "b", "c"])
    frame["city"] = np.array(["paris", "oslo", "rome"])[
        (X[:, 3] > 0).astype(int) + (X[:, 4] > 1)
    ]
    frame["size"] = pd.Categorical(
        np.array(["S", "M", "L"])[np.digitize(X[:, 4], [-0.5, 0.5])]
    )
    return frame, y


def test_array_outputs_on_the_cluster_equal_one_process(client):
    """Logits of a multi-class LightGBM per row chunk, equal to the in-process
    read; an array chunked by columns is rechunked to one column chunk."""
    X, y = data()
    teacher = lgbm().fit(X, y)
    X_dask = da.from_array(X, chunks=(150, 2))
    outputs = teacher_outputs(teacher, X_dask)
    assert outputs.shape == (600, 3)
    assert outputs.chunks == ((150, 150, 150, 150), (3,))
    expected = LogitOutput("predict_proba", np.array([0, 1, 2])).read(teacher, X)
    assert_allclose(outputs.compute(), expected, rtol=0, atol=TOLERANCE)


def test_dataframe_with_strings_and_categories_through_a_pipeline(client):
    """A Pipeline teacher (one-hot strings and categories) reads each
    partition with its dtypes; the outputs equal the in-process read."""
    frame, y = table()
    teacher = make_pipeline(
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), ["city", "size"]),
            remainder=StandardScaler(),
        ),
        LogisticRegression(max_iter=500),
    ).fit(frame, y)
    ddf = dd.from_pandas(frame, npartitions=3)
    outputs = teacher_outputs(FrozenEstimator(teacher), ddf)
    assert outputs.shape[1] == 3 and np.isnan(outputs.shape[0])
    expected = LogitOutput("predict_proba", np.array([0, 1, 2])).read(teacher, frame)
    assert_allclose(outputs.compute(), expected, rtol=0, atol=TOLERANCE)
    assert outputs.compute_chunk_sizes().chunks[0] == (200, 200, 200)


def test_lightgbm_categorical_dataframe(client):
    """LightGBM reads a categorical column natively, partition by partition."""
    frame, y = table()
    frame = frame.drop(columns="city")
    teacher = lgbm().fit(frame, y)
    outputs = teacher_outputs(teacher, dd.from_pandas(frame, npartitions=4))
    expected = LogitOutput("predict_proba", np.array([0, 1, 2])).read(teacher, frame)
    assert_allclose(outputs.compute(), expected, rtol=0, atol=TOLERANCE)


def test_local_scheduler_without_a_client():
    """No Client: the same outputs on the local scheduler."""
    X, y = data()
    teacher = lgbm().fit(X, y)
    outputs = teacher_outputs(teacher, da.from_array(X, chunks=100))
    expected = LogitOutput("predict_proba", np.array([0, 1, 2])).read(teacher, X)
    assert_allclose(outputs.compute(), expected, rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("on_cluster", [False, True])
def test_the_teacher_is_in_the_graph_once(on_cluster, request):
    """The teacher is sent once, not with every block's task: the task graph
    of 40 blocks weighs less than the teacher and 40 small tasks (on a
    cluster it holds a reference to the scattered teacher, not the teacher)."""
    if on_cluster:
        request.getfixturevalue("client")
    X, y = data(2000)
    teacher = LGBMClassifier(n_estimators=60, verbose=-1, n_jobs=1).fit(X, y)
    teacher_bytes = len(pickle.dumps(teacher))
    sizes = {}
    for n_blocks in (2, 40):
        X_dask = da.from_array(X, chunks=2000 // n_blocks)
        graph = dict(teacher_outputs(teacher, X_dask).__dask_graph__())
        tasks = {k: v for k, v in graph.items() if k[0] != X_dask.name}  # not X
        sizes[n_blocks] = len(cloudpickle.dumps(tasks))
    if on_cluster:
        assert sizes[40] < teacher_bytes / 4
    else:
        assert teacher_bytes < sizes[2] < sizes[40] < teacher_bytes * 1.5


def test_frozen_teacher_and_chosen_classes(client):
    """A FrozenEstimator is read as its model; ``classes`` orders the columns
    (a subset of the teacher's classes)."""
    X, y = data()
    labels = np.array(["b", "c", "a"])[y]
    teacher = lgbm().fit(X, labels)
    X_dask = da.from_array(X, chunks=200)
    outputs = teacher_outputs(FrozenEstimator(teacher), X_dask, classes=["c", "a"])
    expected = LogitOutput("predict_proba", np.array(["a", "c"])).read(teacher, X)
    assert_allclose(outputs.compute(), expected, rtol=0, atol=TOLERANCE)


def test_decision_function_logits(client):
    """``teacher_output="decision_function"`` reads logits from scores."""
    X, y = data()
    teacher = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    outputs = teacher_outputs(
        teacher, da.from_array(X, chunks=300), teacher_output="decision_function"
    )
    expected = LogitOutput("decision_function", np.array([0, 1, 2])).read(teacher, X)
    assert_allclose(outputs.compute(), expected, rtol=0, atol=TOLERANCE)


def test_regressor_predictions_one_and_several_outputs(client):
    """A regressor's predictions: (n_rows, 1) for one output, (n_rows, k)
    for several."""
    X, y = data()
    target = X @ np.arange(5.0) + y
    X_dask = da.from_array(X, chunks=200)
    single = lgbm(LGBMRegressor).fit(X, target)
    outputs = teacher_outputs(single, X_dask)
    assert outputs.shape == (600, 1)
    expected = PredictionOutput(()).read(single, X)
    assert_allclose(outputs.compute()[:, 0], expected, rtol=0, atol=TOLERANCE)
    several = Ridge().fit(X, np.column_stack([target, -target, y]))
    outputs = teacher_outputs(several, X_dask)
    assert outputs.shape == (600, 3)
    expected = PredictionOutput((3,)).read(several, X)
    assert_allclose(outputs.compute(), expected, rtol=0, atol=TOLERANCE)


def test_errors():
    """Each error names the input at fault and what to do."""
    X, y = data(100)
    teacher = lgbm().fit(X, y)
    with pytest.raises(TypeError, match=re.escape("X must be a 2-d dask.array.Array")):
        teacher_outputs(teacher, X)
    with pytest.raises(TypeError, match=re.escape("of 1 dimension(s)")):
        teacher_outputs(teacher, da.from_array(y))
    with pytest.raises(NotFittedError, match="The teacher LGBMClassifier is not"):
        teacher_outputs(lgbm(), da.from_array(X))
    with pytest.raises(ValueError, match=re.escape("classes [7] are not among")):
        teacher_outputs(teacher, da.from_array(X), classes=[0, 7])
    with pytest.raises(ValueError, match="teacher_output must be one of"):
        teacher_outputs(teacher, da.from_array(X), teacher_output="predict")
    regressor = lgbm(LGBMRegressor).fit(X, y)
    with pytest.raises(ValueError, match="classes and teacher_output are for a"):
        teacher_outputs(regressor, da.from_array(X), classes=[0, 1])
