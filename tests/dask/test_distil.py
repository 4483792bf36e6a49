"""Tests of skdistill.dask.distil: a distiller fitted on Dask collections.

On a real cluster (2 worker processes), ``distil`` gives the distiller
that ``partial_fit`` gives in one process on the same blocks in the same
order: the student learns the same batches from the same teacher outputs,
so its coefficients agree to rounding (``TOLERANCE``).
"""

import itertools
import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier, SGDRegressor
from sklearn.multioutput import MultiOutputRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils import check_random_state

from skdistill import DistilledClassifier, DistilledRegressor

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
from skdistill.dask import distil  # noqa: E402
from skdistill.dask._distil import _light_clone, _Packing  # noqa: E402

# The same arithmetic on the same blocks; only a BLAS sum order may differ.
TOLERANCE = 1e-10


def data(n=900, seed=0):
    return make_classification(
        n_samples=n,
        n_features=5,
        n_informative=4,
        n_redundant=1,
        n_classes=3,
        random_state=seed,
    )


def lgbm(cls=LGBMClassifier, **params):
    return cls(
        **{"n_estimators": 10, "num_leaves": 7, "verbose": -1, "n_jobs": 1, **params}
    )


def sgd(**params):
    return SGDClassifier(loss="log_loss", random_state=0, **params)


def row_blocks(chunks):
    """The rows of each block of a chunking, as slices."""
    bounds = np.cumsum((0, *chunks))
    return [slice(a, b) for a, b in itertools.pairwise(bounds)]


def in_one_process(distiller, blocks, **params):
    """``partial_fit`` on each block in turn, in this process.

    ``blocks`` holds ``(X, y, sample_weight)`` of each batch.
    """
    model = clone(distiller)
    for X, y, weight in blocks:
        model.partial_fit(X, y, sample_weight=weight, **params)
    return model


def assert_same_distiller(model, twin, X):
    """Same student (its predictions), same attributes of partial_fit."""
    assert model.n_batches_seen_ == twin.n_batches_seen_
    assert model.training_fidelity_ == pytest.approx(twin.training_fidelity_, abs=0)
    assert model.fit_strategy_ == twin.fit_strategy_
    if hasattr(twin, "predict_proba"):
        assert_array_equal(model.classes_, twin.classes_)
        assert model.temperature_ == twin.temperature_
        assert_allclose(
            model.predict_proba(X), twin.predict_proba(X), rtol=0, atol=TOLERANCE
        )
    else:
        assert_allclose(model.predict(X), twin.predict(X), rtol=1e-9, atol=TOLERANCE)


def test_classifier_equals_partial_fit_in_one_process(client):
    """A frozen teacher, the default student, blocks in their order: the
    distiller of ``partial_fit`` over the same blocks (X chunked by columns
    is rechunked)."""
    X, y = data()
    teacher = FrozenEstimator(lgbm().fit(X[:300], y[:300]))
    chunks = (250, 150, 300, 200)
    X_dask = da.from_array(X, chunks=(chunks, (3, 2)))
    y_dask = da.from_array(y, chunks=(chunks,))
    distiller = DistilledClassifier(teacher, temperature=2.0)
    model = distil(distiller, X_dask, y_dask, shuffle_blocks=False)
    assert model is distiller
    assert model.teacher_ is teacher
    twin = in_one_process(
        distiller, [(X[rows], y[rows], None) for rows in row_blocks(chunks)]
    )
    assert model.n_batches_seen_ == 4
    assert_same_distiller(model, twin, X)
    coef = model.student_[-1].coef_
    assert_allclose(coef, twin.student_[-1].coef_, rtol=0, atol=TOLERANCE)


def test_shuffled_blocks_follow_incremental_order(client):
    """``shuffle_blocks`` learns the blocks in Incremental's seeded order
    (a permutation by ``check_random_state(random_state)``): the same
    distiller as ``partial_fit`` in that order, and not the unshuffled one."""
    X, y = data()
    teacher = FrozenEstimator(lgbm().fit(X, y))
    X_dask, y_dask = da.from_array(X, chunks=150), da.from_array(y, chunks=150)
    distiller = DistilledClassifier(teacher, sgd())
    model = distil(clone(distiller), X_dask, y_dask, random_state=3)
    order = list(range(6))
    check_random_state(3).shuffle(order)
    assert order != sorted(order)
    blocks = row_blocks((150,) * 6)
    twin = in_one_process(
        distiller, [(X[blocks[i]], y[blocks[i]], None) for i in order]
    )
    assert_same_distiller(model, twin, X)
    unshuffled = distil(clone(distiller), X_dask, y_dask, shuffle_blocks=False)
    assert np.abs(unshuffled.student_.coef_ - model.student_.coef_).max() > 1e-3


def test_dataframe_with_weights_and_unlabeled_rows(client):
    """A DataFrame's partitions are the blocks; row weights reach the
    student; rows marked ``unlabeled`` learn from the teacher alone."""
    X, y = data()
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(5)])
    labels = np.where(np.arange(900) % 4 == 0, -1, y)
    weight = np.random.default_rng(0).uniform(0.5, 2.0, 900)
    teacher = FrozenEstimator(lgbm().fit(frame, y))
    distiller = DistilledClassifier(teacher, sgd(), unlabeled=-1)
    ddf = dd.from_pandas(frame.assign(label=labels, weight=weight), npartitions=3)
    model = distil(
        distiller,
        ddf[frame.columns.tolist()],
        ddf["label"],
        sample_weight=ddf["weight"],
        classes=[0, 1, 2],
        shuffle_blocks=False,
    )
    parts = [ddf.partitions[i].compute() for i in range(3)]
    twin = in_one_process(
        distiller,
        [(p[frame.columns], p["label"], p["weight"]) for p in parts],
        classes=[0, 1, 2],
    )
    assert model.fit_strategy_ == "weighted"
    assert_array_equal(model.feature_names_in_, frame.columns)
    assert_same_distiller(model, twin, frame)
    assert_allclose(model.student_.coef_, twin.student_.coef_, rtol=0, atol=TOLERANCE)


def test_regressor_one_and_several_outputs(client):
    """A regressor: one target (a 1-d y), several targets (a 2-d y)."""
    X, y = data()
    target = X @ np.array([1.0, -2.0, 0.5, 3.0, 0.0]) + y
    chunks = (300, 300, 300)
    X_dask = da.from_array(X, chunks=300)
    single = DistilledRegressor(
        FrozenEstimator(lgbm(LGBMRegressor).fit(X, target)),
        SGDRegressor(random_state=0),
    )
    model = distil(
        single, X_dask, da.from_array(target, chunks=300), shuffle_blocks=False
    )
    twin = in_one_process(single, [(X[r], target[r], None) for r in row_blocks(chunks)])
    assert_same_distiller(model, twin, X)
    targets = np.column_stack([target, -0.5 * target])
    several = DistilledRegressor(
        FrozenEstimator(Ridge().fit(X, targets)),
        MultiOutputRegressor(SGDRegressor(random_state=0)),
    )
    model = distil(
        several, X_dask, da.from_array(targets, chunks=(300, 1)), shuffle_blocks=False
    )
    twin = in_one_process(
        several, [(X[r], targets[r], None) for r in row_blocks(chunks)]
    )
    assert model.predict(X[:5]).shape == (5, 2)
    assert_same_distiller(model, twin, X)
    frame = pd.DataFrame(X).add_prefix("x").assign(t0=targets[:, 0], t1=targets[:, 1])
    ddf = dd.from_pandas(frame, npartitions=3)
    features = [f"x{i}" for i in range(5)]
    model = distil(several, ddf[features], ddf[["t0", "t1"]], shuffle_blocks=False)
    assert_allclose(model.predict(frame[features]), twin.predict(X), atol=TOLERANCE)


def test_lightgbm_teacher_trained_on_the_cluster(client):
    """A LightGBM teacher is trained by lightgbm.dask with its parameters, on
    the labelled rows, and comes back as an LGBMClassifier.

    Data-parallel LightGBM is not the one-process LightGBM: each worker bins
    its own rows and the histograms are summed across workers, so split
    points differ a little. The two teachers agree on at least 95% of the
    rows and their accuracies are within 2 points (measured here: 98.1% and
    0.1 point; 97.4% to 98.1% and at most 0.2 point over three seeds). The
    student is then exactly the student of ``partial_fit`` from that teacher.
    """
    X, y = data(2000)
    labels = np.where(np.arange(2000) % 10 == 0, -1, y)
    params = {"n_estimators": 20, "num_leaves": 15, "random_state": 0, "n_jobs": None}
    teacher = lgbm(**params)
    distiller = DistilledClassifier(teacher, unlabeled=-1)
    chunks = (500,) * 4
    X_dask, y_dask = da.from_array(X, chunks=500), da.from_array(labels, chunks=500)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not lightgbm.dask's "n_jobs will be ignored"
        model = distil(distiller, X_dask, y_dask, shuffle_blocks=False)
    assert type(model.teacher_) is LGBMClassifier
    assert model.teacher_ is not teacher and not hasattr(teacher, "booster_")
    # lightgbm.dask's to_local: the parameters, and those of its training (a
    # thread per worker thread, the data-parallel learner)
    assert model.teacher_.get_params() == {
        **teacher.get_params(),
        "num_threads": 1,
        "time_out": 120,
        "tree_learner": "data",
    }
    assert_array_equal(model.teacher_.classes_, [0, 1, 2])  # not the marker -1
    labelled = labels != -1
    local = lgbm(**params).fit(X[labelled], y[labelled])
    agreement = np.mean(model.teacher_.predict(X) == local.predict(X))
    assert agreement >= 0.95
    accuracy = [np.mean(m.predict(X) == y) for m in (model.teacher_, local)]
    assert abs(accuracy[0] - accuracy[1]) <= 0.02
    twin = in_one_process(
        DistilledClassifier(FrozenEstimator(model.teacher_), unlabeled=-1),
        [(X[r], labels[r], None) for r in row_blocks(chunks)],
    )
    assert_same_distiller(model, twin, X)


def test_blocks_of_a_concatenated_frame(client):
    """y made by concatenating frames (whose graph names its blocks after the
    optimized expression) is read block by block as any other."""
    X, y = data(300)
    frame, series = pd.DataFrame(X).add_prefix("x"), pd.Series(y)
    halves = [dd.from_pandas(series[:150], 1), dd.from_pandas(series[150:], 1)]
    y_dask = dd.concat(halves)
    distiller = DistilledClassifier(FrozenEstimator(lgbm().fit(frame, y)), sgd())
    model = distil(
        distiller, dd.from_pandas(frame, npartitions=2), y_dask, shuffle_blocks=False
    )
    twin = in_one_process(
        distiller, [(frame[r], y[r], None) for r in row_blocks((150, 150))]
    )
    assert_same_distiller(model, twin, frame)


def test_a_parquet_dataset_is_learnt_one_partition_at_a_time(client, tmp_path):
    """Dask merges small Parquet files when it optimizes a frame, differently
    for X's columns and for y's alone: distil packs y with X, so each
    partition of X is one batch, with its own labels."""
    pytest.importorskip("pyarrow")
    rng = check_random_state(0)
    frame = pd.DataFrame({f"f{i}": rng.normal(size=1200) for i in range(30)})
    frame["y"] = (frame["f0"] + rng.normal(size=1200) > 0).astype(int)
    dd.from_pandas(frame, npartitions=4).to_parquet(tmp_path / "rows")
    source = dd.read_parquet(tmp_path / "rows")
    features = [f"f{i}" for i in range(30)]
    teacher = LogisticRegression().fit(frame[features], frame["y"])
    distiller = DistilledClassifier(FrozenEstimator(teacher), sgd())
    model = distil(distiller, source[features], source["y"], shuffle_blocks=False)
    blocks = [
        (part[features], part["y"].to_numpy(), None)
        for part in (source.get_partition(i).compute() for i in range(4))
    ]
    assert model.n_batches_seen_ == len(blocks) == 4
    assert_same_distiller(model, in_one_process(distiller, blocks), frame[features])


def test_a_block_that_is_not_one_is_refused():
    """A graph key that Incremental could not find reaches partial_fit as a
    tuple: the block learner refuses it rather than learning from it."""
    packing = _Packing(
        5, np.dtype(np.float64), ("o0", "o1"), False, 0, np.dtype(np.int64)
    )
    with pytest.raises(RuntimeError, match="a block name missing from the Dask"):
        packing.unpack(("concat-123", 0))


def test_state_is_replaced_and_parameters_untouched(client):
    """``distil`` is a fit: what the distiller learnt before is gone (its
    attributes are those of a fresh distil); its parameters are unchanged."""
    X, y = data()
    teacher = FrozenEstimator(lgbm().fit(X, y))
    student = sgd()
    distiller = DistilledClassifier(teacher, student, alpha=0.3)
    params = distiller.get_params(deep=False)
    distiller.fit(X, y)
    distiller.stale_ = "from before"
    X_dask, y_dask = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    distil(distiller, X_dask, y_dask, shuffle_blocks=False)
    fresh = distil(clone(distiller), X_dask, y_dask, shuffle_blocks=False)
    assert set(vars(distiller)) == set(vars(fresh))
    assert distiller.get_params(deep=False) == params
    assert distiller.student is student and not hasattr(student, "coef_")
    assert_allclose(distiller.student_.coef_, fresh.student_.coef_, atol=TOLERANCE)


def test_the_fitted_distiller_is_an_ordinary_estimator(client):
    """Afterwards: it pickles, predicts on pandas, and continues a stream
    with ``partial_fit`` in one process as the one-process distiller does."""
    X, y = data()
    frame = pd.DataFrame(X, columns=list("abcde"))
    teacher = FrozenEstimator(lgbm().fit(frame, y))
    distiller = DistilledClassifier(teacher, sgd())
    ddf = dd.from_pandas(frame.assign(y=y), npartitions=2)
    model = distil(distiller, ddf[list("abcde")], ddf["y"], shuffle_blocks=False)
    model = pickle.loads(pickle.dumps(model))
    parts = [ddf.partitions[i].compute() for i in range(2)]
    twin = in_one_process(distiller, [(p[list("abcde")], p["y"], None) for p in parts])
    model.partial_fit(frame[:100], y[:100])
    twin.partial_fit(frame[:100], y[:100])
    assert model.n_batches_seen_ == 3
    assert_same_distiller(model, twin, frame)


def test_warnings_of_the_blocks_are_shown_once_to_the_caller(client):
    """A warning raised on a worker (here: X without column names for a
    teacher fitted on a DataFrame) is shown where distil was called, once."""
    X, y = data()
    teacher = FrozenEstimator(lgbm().fit(pd.DataFrame(X, columns=list("abcde")), y))
    X_dask, y_dask = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        distil(DistilledClassifier(teacher, sgd()), X_dask, y_dask)
    messages = [str(w.message) for w in caught if "no column names" in str(w.message)]
    assert messages == [
        "X has no column names, but the frozen teacher LGBMClassifier was fitted "
        "on a DataFrame with columns ['a', 'b', 'c', 'd', 'e']; X's columns are "
        "taken to be these, in this order. Pass a DataFrame to have them checked."
    ]
    assert caught[0].filename == __file__


def test_each_block_of_x_is_read_once():
    """A block's teacher outputs and its student batch come from one reading
    of it (here on the local scheduler, where the reads can be counted)."""
    import dask

    X, y = data(400)
    reads = []

    def read(index):
        reads.append(index)
        return X[index * 100 : (index + 1) * 100]

    X_dask = da.concatenate(
        [da.from_delayed(dask.delayed(read)(i), (100, 5), X.dtype) for i in range(4)]
    )
    teacher = FrozenEstimator(lgbm().fit(X, y))
    distil(DistilledClassifier(teacher, sgd()), X_dask, da.from_array(y, chunks=100))
    assert sorted(reads) == [0, 1, 2, 3]


def test_the_student_travels_without_the_teacher():
    """The distiller that goes from block to block holds an unfitted copy of a
    frozen teacher (its tags and routing), not the fitted model."""
    X, y = data()
    teacher = FrozenEstimator(LGBMClassifier(n_estimators=50, verbose=-1).fit(X, y))
    distiller = DistilledClassifier(teacher, sgd())
    light = _light_clone(distiller)
    assert len(pickle.dumps(light)) < len(pickle.dumps(teacher)) / 10
    assert light.__sklearn_tags__() == distiller.__sklearn_tags__()
    assert distiller.teacher is teacher and hasattr(teacher.estimator, "booster_")


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_x_of_another_dtype_is_learnt_as_in_one_process(dtype):
    """X travels with the float64 outputs in one float64 array; its values
    reach the student unchanged (local scheduler, no Client)."""
    X, y = data(400)
    X = (X * 100).astype(dtype)
    teacher = FrozenEstimator(lgbm().fit(X, y))
    distiller = DistilledClassifier(teacher, sgd())
    X_dask, y_dask = da.from_array(X, chunks=200), da.from_array(y, chunks=200)
    model = distil(distiller, X_dask, y_dask, shuffle_blocks=False)
    blocks = [(X[rows], y[rows], None) for rows in row_blocks((200, 200))]
    twin = in_one_process(distiller, blocks)
    assert_array_equal(model.student_.coef_, twin.student_.coef_)


def test_empty_blocks_are_skipped():
    """An empty block is no batch (here on the local scheduler, no Client)."""
    X, y = data(300)
    teacher = FrozenEstimator(lgbm().fit(X, y))
    chunks = (100, 0, 200)
    X_dask = da.from_array(X, chunks=(chunks, 5))
    y_dask = da.from_array(y, chunks=(chunks,))
    distiller = DistilledClassifier(teacher, sgd())
    model = distil(distiller, X_dask, y_dask, shuffle_blocks=False)
    twin = in_one_process(
        distiller, [(X[r], y[r], None) for r in row_blocks(chunks) if r.stop > r.start]
    )
    assert_same_distiller(model, twin, X)
    empty = da.from_array(X[:0], chunks=(0, 5))
    with pytest.raises(ValueError, match="X has no rows: every block of X is empty"):
        distil(distiller, empty, da.from_array(y[:0], chunks=0))


def test_errors_before_any_computation():
    """What distil cannot do is said up front, naming the input at fault."""
    X, y = data(200)
    X_dask, y_dask = da.from_array(X, chunks=100), da.from_array(y, chunks=100)
    frozen = FrozenEstimator(lgbm().fit(X, y))

    def fails(distiller, error, message, X=X_dask, y=y_dask, **params):
        with pytest.raises(error, match=re.escape(message)):
            distil(distiller, X, y, **params)

    no_client = "which needs a dask.distributed Client: start one"
    fails(DistilledClassifier(lgbm()), ValueError, no_client)
    fails(DistilledClassifier(), ValueError, "The LGBMClassifier teacher is trained")
    fails(
        DistilledClassifier(LogisticRegression()),
        ValueError,
        "DistilledClassifier's teacher LogisticRegression is not frozen, so it "
        "would be trained on the Dask collections, and only a LightGBM teacher",
    )
    fails(
        DistilledClassifier(lgbm(LGBMRegressor)),
        ValueError,
        "DistilledClassifier needs a classifier teacher; got LGBMRegressor.",
    )
    fails(
        DistilledClassifier(frozen, LogisticRegression()),
        ValueError,
        "The student LogisticRegression cannot learn batch by batch: it has no "
        "partial_fit.",
    )
    fails(
        DistilledClassifier(frozen, teacher_cv=3),
        ValueError,
        "distil does not support teacher_cv=3",
    )
    fails(
        DistilledClassifier(frozen, augment="munge"),
        ValueError,
        "distil does not support augment='munge'",
    )
    fails(
        DistilledRegressor(frozen),
        ValueError,
        "classes is for a DistilledClassifier; DistilledRegressor has no classes.",
        classes=[0, 1],
    )
    fails(DistilledClassifier(frozen), TypeError, "X must be a 2-d", X=X)
    fails(
        DistilledClassifier(frozen),
        ValueError,
        "y has shape (150,) but X has 200 rows",
        y=y_dask[:150],
    )
    frame = dd.from_pandas(pd.DataFrame(X).add_prefix("x"), npartitions=2)
    fails(
        DistilledClassifier(frozen),
        ValueError,
        "y has 3 partitions but X has 2",
        X=frame,
        y=dd.from_pandas(pd.Series(y), npartitions=3),
    )
    fails(
        DistilledClassifier(frozen),
        TypeError,
        "y is a dask Series but X is a dask Array",
        y=dd.from_pandas(pd.Series(y), npartitions=2),
    )
    fails(
        DistilledClassifier(frozen),
        TypeError,
        "X is a dask DataFrame, so y must be a dask Series (or DataFrame)",
        X=frame,
    )
    kept = y_dask > 0
    fails(
        DistilledClassifier(frozen),
        ValueError,
        "X has unknown chunk sizes (as after boolean indexing)",
        X=X_dask[kept],
        y=y_dask[kept],
    )
    renamed = frame.rename(columns={"x0": "__skdistill_output_0"})
    fails(
        DistilledClassifier(frozen),
        ValueError,
        "X has columns ['__skdistill_output_0'] whose names distil reserves",
        X=renamed,
        y=dd.from_pandas(pd.Series(y), npartitions=2),
    )
    with pytest.raises(TypeError, match="fits a DistilledClassifier or a Distilled"):
        distil(LogisticRegression(), X_dask, y_dask)


def test_errors_found_on_the_workers(client):
    """What only a block can tell comes back from the worker as it was raised:
    partitions of y or sample_weight of other lengths than X's, a strategy
    that refits."""
    X, y = data(300)
    frozen = FrozenEstimator(lgbm().fit(X, y))
    frame = pd.DataFrame(X).add_prefix("x")
    series = pd.Series(y)
    y_other = dd.concat(
        [dd.from_pandas(series[:100], npartitions=1), dd.from_pandas(series[100:], 1)]
    )
    with pytest.raises(
        ValueError, match=r"A partition of X has 150 rows but its y has (100|200): y"
    ):
        distil(
            DistilledClassifier(frozen, sgd()),
            dd.from_pandas(frame, npartitions=2),
            y_other,
        )
    ddf = dd.from_pandas(frame.assign(y=y), npartitions=2)
    with pytest.raises(
        ValueError,
        match=re.escape("A partition of X has 150 rows but its sample_weight has"),
    ):
        distil(
            DistilledClassifier(frozen, sgd()),
            ddf[frame.columns.tolist()],
            ddf["y"],
            sample_weight=y_other.astype(float),
        )
    with pytest.raises(ValueError, match="fit_strategy='logits' refits the student"):
        distil(
            DistilledClassifier(frozen, sgd(), fit_strategy="logits"),
            da.from_array(X, chunks=100),
            da.from_array(y, chunks=100),
        )


def test_text_with_missing_values_reaches_the_models_as_pandas_reads_it(client):
    """Dask stores text with pd.NA as its missing value, which scikit-learn's
    imputers cannot handle; the teacher and the student get pandas' own text
    dtype (missing: NaN), as they were trained on."""
    rng = check_random_state(0)
    frame = pd.DataFrame(
        {
            "colour": rng.choice(["red", "green", None], 600),
            "size": rng.normal(size=600),
        }
    )
    y = ((frame["colour"] == "red") | (frame["size"] > 1)).to_numpy().astype(int)
    encode = make_column_transformer(
        (
            make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()),
            ["colour"],
        ),
        (StandardScaler(), ["size"]),
    ).fit(frame)
    teacher = make_pipeline(clone(encode), LogisticRegression()).fit(frame, y)
    distiller = DistilledClassifier(
        FrozenEstimator(teacher), make_pipeline(FrozenEstimator(encode), sgd())
    )
    source = dd.from_pandas(frame.assign(y=y), npartitions=3)
    assert source["colour"].dtype.na_value is pd.NA  # dask's own text dtype
    X_dask = source[["colour", "size"]]
    model = distil(distiller, X_dask, source["y"], shuffle_blocks=False)
    blocks = [
        (part[["colour", "size"]], part["y"].to_numpy(), None)
        for part in (frame.assign(y=y).iloc[r] for r in row_blocks((200, 200, 200)))
    ]
    assert_same_distiller(model, in_one_process(distiller, blocks), frame)


def test_a_lightgbm_teacher_learns_a_parquet_dataset(client, tmp_path):
    """lightgbm.dask takes X and y apart partition by partition: from a
    Parquet folder whose files Dask merges differently for X's columns and
    y's, they still reach it as the same parts (one per partition)."""
    pytest.importorskip("pyarrow")
    rng = check_random_state(0)
    frame = pd.DataFrame({f"f{i}": rng.normal(size=3000) for i in range(8)})
    frame["y"] = np.where(frame["f0"] + rng.normal(size=3000) > 0, "a", "b")
    dd.from_pandas(frame, npartitions=6).to_parquet(tmp_path / "rows")
    source = dd.read_parquet(tmp_path / "rows")
    features = [f"f{i}" for i in range(8)]
    distiller = DistilledClassifier(lgbm(n_estimators=10), sgd())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # lightgbm.dask's own notes
        model = distil(distiller, source[features], source["y"], random_state=0)
    assert model.n_batches_seen_ == 6
    assert model.teacher_.score(frame[features], frame["y"]) > 0.75
