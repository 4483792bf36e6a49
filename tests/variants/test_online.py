"""Tests of OnlineDistilledClassifier and OnlineDistilledRegressor: the schedule,
the teacher's stages, the student's routes, inputs, errors and memory."""

import gc
import math
import re
import tracemalloc

import numpy as np
import pandas as pd
import pytest
import sklearn
from lightgbm import LGBMClassifier, LGBMRegressor
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import make_column_transformer
from sklearn.datasets import make_classification, make_moons, make_regression
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, SGDClassifier, SGDRegressor
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks
from threadpoolctl import threadpool_limits

from skdistill import (
    OnlineDistilledClassifier,
    OnlineDistilledRegressor,
    SoftLogisticRegression,
)
from skdistill.soft_targets import blend_targets
from skdistill.students._strategies import expand_targets


@pytest.fixture(autouse=True)
def _one_thread_per_library():
    """Tiny models: extra BLAS/OpenMP threads only cost spin-waiting."""
    with threadpool_limits(limits=1):
        yield


def blobs(n_samples=300, n_classes=3, random_state=0):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=n_classes,
        n_clusters_per_class=1,
        random_state=random_state,
    )
    return StandardScaler().fit_transform(X), y


def small_lgbm(cls=LGBMClassifier, n_estimators=10):
    return cls(
        n_estimators=n_estimators,
        num_leaves=7,
        min_child_samples=2,
        verbose=-1,
        n_jobs=1,
        random_state=0,
    )


def sgd(**params):
    return SGDClassifier(loss="log_loss", random_state=0, **params)


# -- scikit-learn's checks --------------------------------------------------------
_MINI_BATCHES = (
    "Mini-batches: a row of weight 2 is one row in one batch, its repetition "
    "two rows that the shuffling puts in other batches, so the teacher's "
    "stages and the student's steps differ (scikit-learn's own SGD estimators "
    "fail this check for the same reason)."
)


@parametrize_with_checks(
    [
        OnlineDistilledClassifier(teacher=small_lgbm(), max_iter=3),
        OnlineDistilledClassifier(teacher=sgd(), student=sgd(), max_iter=3),
        OnlineDistilledRegressor(teacher=small_lgbm(LGBMRegressor), max_iter=3),
    ],
    expected_failed_checks=lambda estimator: {
        "check_sample_weight_equivalence_on_dense_data": _MINI_BATCHES,
        "check_sample_weight_equivalence_on_sparse_data": _MINI_BATCHES,
    },
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


# -- recording estimators -----------------------------------------------------------
#: The calls of the recorders, in order (a clone copies its parameters, so the
#: log is not one).
LOG: list = []


class Recorder(ClassifierMixin, BaseEstimator):
    """A classifier that logs its calls into ``LOG``; SGD inside."""

    def __init__(self, name="model"):
        self.name = name

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        LOG.append((self.name, "partial_fit", len(y)))
        self.received_weight_ = sample_weight
        self.received_y_ = np.asarray(y)
        if not hasattr(self, "model_"):
            self.model_ = sgd()
        self.model_.partial_fit(X, y, classes=classes, sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        return self

    def fit(self, X, y):
        raise AssertionError("an online distiller never calls fit")

    def predict_proba(self, X):
        LOG.append((self.name, "predict_proba", len(X)))
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)


class SoftRecorder(Recorder):
    """A student with partial_fit_soft_targets that records what it got."""

    def partial_fit_soft_targets(
        self, X, y, soft_targets, *, classes, temperature, alpha, sample_weight=None
    ):
        LOG.append((self.name, "partial_fit_soft_targets", len(y)))
        self.soft_targets_ = np.array(soft_targets)
        return self.partial_fit(X, classes[np.asarray(y)], classes=classes)


def test_schedule_order_teacher_labels_then_student_then_teacher_learns():
    """Batch 1: the student learns labels, then the teacher. Later batches: the
    teacher labels the batch, the student learns the soft targets, then the
    teacher learns the batch."""
    X, y = blobs(90)
    LOG.clear()
    model = OnlineDistilledClassifier(
        Recorder("teacher"),
        SoftRecorder("student"),
        batch_size=30,
        max_iter=1,
        shuffle=False,
    ).fit(X, y)
    calls = [(name, method) for name, method, _ in LOG]
    first = [("student", "partial_fit"), ("teacher", "partial_fit")]
    later = [
        ("teacher", "predict_proba"),
        ("student", "predict_proba"),  # the history's prequential scores
        ("student", "partial_fit_soft_targets"),
        ("student", "partial_fit"),  # the recorder's own inner call
        ("teacher", "partial_fit"),
    ]
    assert calls == first + later + later
    assert model.n_batches_seen_ == 3
    assert [r["soft_targets"] for r in model.history_] == [False, True, True]


def test_soft_targets_are_prequential():
    """The soft targets of batch k are those of the teacher that learnt batches
    before k only (replayed by hand), at the temperature."""
    X, y = blobs(120)
    LOG.clear()
    model = OnlineDistilledClassifier(
        sgd(), SoftRecorder("student"), temperature=2.0, shuffle=False, max_iter=1
    )
    replay = sgd()
    classes = np.unique(y)
    for start in range(0, 120, 40):
        rows = slice(start, start + 40)
        model.partial_fit(X[rows], y[rows], classes=classes)
        if start:
            proba = replay.predict_proba(X[rows])
            expected = proba**0.5 / (proba**0.5).sum(axis=1, keepdims=True)
            assert_allclose(model.student_.soft_targets_, expected, rtol=1e-10)
        replay.partial_fit(X[rows], y[rows], classes=classes)
    assert_allclose(model.teacher_.coef_, replay.coef_)


def test_warmup_batches_learn_labels_only():
    """During the warm-up the student learns labels; soft targets after it."""
    X, y = blobs(150)
    LOG.clear()
    model = OnlineDistilledClassifier(
        sgd(), SoftRecorder("student"), n_warmup_batches=3, batch_size=30
    ).fit(X, y)
    soft = [r["soft_targets"] for r in model.history_]
    assert soft[:3] == [False] * 3 and all(soft[3:])
    n_soft_calls = sum(method == "partial_fit_soft_targets" for _, method, _ in LOG)
    assert n_soft_calls == len(soft) - 3


def test_fit_is_passes_of_shuffled_batches_and_alpha_one_is_the_labels_twin():
    """fit = max_iter passes over rng.permutation batches; with alpha=1 the
    student is exactly the same student fed the same batches by hand."""
    X, y = blobs(200)
    model = OnlineDistilledClassifier(
        sgd(),
        SoftLogisticRegression(),
        alpha=1.0,
        batch_size=64,
        max_iter=3,
        random_state=7,
    ).fit(X, y)
    twin = SoftLogisticRegression()
    rng = np.random.RandomState(7)
    for _ in range(3):
        order = rng.permutation(200)
        for start in range(0, 200, 64):
            rows = order[start : start + 64]
            twin.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
    assert_allclose(model.student_.coef_, twin.coef_)
    assert model.n_iter_ == 3 and model.n_batches_seen_ == 12
    assert [r["n_rows"] for r in list(model.history_)[:4]] == [64, 64, 64, 8]


def test_native_student_learns_hintons_loss_on_the_batch():
    """The native route calls partial_fit_soft_targets with the batch's encoded
    labels, the soft targets, T and alpha: the same update as by hand."""
    X, y = blobs(100)
    model = OnlineDistilledClassifier(
        sgd(),
        SoftLogisticRegression(),
        alpha=0.3,
        temperature=2.0,
        shuffle=False,
        batch_size=50,
        max_iter=1,
    ).fit(X, y)
    teacher = sgd().partial_fit(X[:50], y[:50], classes=[0, 1, 2])
    proba = teacher.predict_proba(X[50:]) ** 0.5
    student = SoftLogisticRegression().partial_fit(X[:50], y[:50], classes=[0, 1, 2])
    student.partial_fit_soft_targets(
        X[50:],
        y[50:],
        proba / proba.sum(axis=1, keepdims=True),
        classes=np.array([0, 1, 2]),
        temperature=2.0,
        alpha=0.3,
    )
    assert model.fit_strategy_ == "native"
    assert_allclose(model.student_.coef_, student.coef_)


def test_weighted_route_passes_the_row_expansion():
    """A student whose partial_fit takes sample_weight gets each row once per
    class, weighted by the blended target (expand_targets), times the weight."""
    X, y = blobs(80)
    weight = np.linspace(0.5, 2.0, 80)
    LOG.clear()
    model = OnlineDistilledClassifier(
        sgd(),
        Recorder("student"),
        alpha=0.4,
        shuffle=False,
        batch_size=40,
        max_iter=1,
        weight_threshold=0.0,
    ).fit(X, y, sample_weight=weight)
    teacher = sgd().partial_fit(
        X[:40], y[:40], classes=[0, 1, 2], sample_weight=weight[:40]
    )
    targets = blend_targets(y[40:], teacher.predict_proba(X[40:]), 0.4)
    _, columns, expected = expand_targets(targets, weight[40:], 0.0)
    assert model.fit_strategy_ == "weighted"
    assert_allclose(model.student_.received_weight_, expected)
    assert_array_equal(model.student_.received_y_, columns)


def test_hard_route_warns_and_learns_the_argmax():
    """A student without sample_weight in partial_fit learns argmax q, with a
    warning under "auto"."""

    class NoWeights(Recorder):
        def partial_fit(self, X, y, classes=None):
            return super().partial_fit(X, y, classes=classes)

    X, y = blobs(60)
    with pytest.warns(UserWarning, match=re.escape("fit_strategy='hard'")):
        model = OnlineDistilledClassifier(
            sgd(), NoWeights("student"), batch_size=30, max_iter=1
        ).fit(X, y)
    assert model.fit_strategy_ == "hard"
    assert set(model.student_.received_y_) <= {0, 1, 2}


# -- the LightGBM teacher -------------------------------------------------------------
def test_lightgbm_teacher_spreads_its_trees_over_all_batches_of_fit():
    """'auto' in fit: n_estimators spread over passes x batches, ceil rule."""
    X, y = blobs(150)
    model = OnlineDistilledClassifier(
        small_lgbm(n_estimators=30), batch_size=30, max_iter=3
    ).fit(X, y)
    trees = [r["teacher_trees"] for r in model.history_]
    assert trees == [math.ceil(30 * b / 15) for b in range(1, 16)]
    assert model.teacher_.booster_.current_iteration() == 30
    assert model.teacher_.n_estimators == 30  # given back


def test_lightgbm_teacher_in_a_stream_and_its_cap():
    """partial_fit 'auto': ceil(n_estimators / 50) trees a batch; an int is
    that many; the teacher stops at n_estimators."""
    X, y = blobs(200)
    auto = OnlineDistilledClassifier(small_lgbm(n_estimators=100))
    fixed = OnlineDistilledClassifier(
        small_lgbm(n_estimators=100), teacher_trees_per_batch=40
    )
    for start in range(0, 200, 50):
        rows = slice(start, start + 50)
        auto.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
        fixed.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
    assert [r["teacher_trees"] for r in auto.history_] == [2, 4, 6, 8]
    assert [r["teacher_trees"] for r in fixed.history_] == [40, 80, 100, 100]
    assert [r["soft_targets"] for r in fixed.history_] == [False, True, True, True]


def test_lightgbm_teacher_keeps_every_class_when_a_batch_lacks_some():
    """A batch without some classes still grows the same multiclass booster."""
    X, y = blobs(120)
    order = np.argsort(y, kind="stable")
    X, y = X[order], y[order]
    model = OnlineDistilledClassifier(small_lgbm(n_estimators=20), alpha=0.5)
    model.partial_fit(X[:60], y[:60], classes=[0, 1, 2])  # classes 0 and 1
    model.partial_fit(X[60:], y[60:])  # classes 1 and 2
    assert_array_equal(model.teacher_.classes_, [0, 1, 2])
    assert model.teacher_.predict_proba(X).shape == (120, 3)


def test_lightgbm_threads_are_limited_then_given_back():
    """The teacher's unset n_jobs is 0 during the fit and None after; an
    explicit one is kept."""
    X, y = blobs(60)

    class Spy(LGBMClassifier):
        def fit(self, *args, **kwargs):
            type(self).seen.append(self.n_jobs)
            return super().fit(*args, **kwargs)

    Spy.seen = []
    model = OnlineDistilledClassifier(
        Spy(n_estimators=4, verbose=-1), batch_size=30, max_iter=1
    ).fit(X, y)
    assert Spy.seen == [0, 0] and model.teacher_.n_jobs is None
    Spy.seen = []
    OnlineDistilledClassifier(
        Spy(n_estimators=4, verbose=-1, n_jobs=1), batch_size=30, max_iter=1
    ).fit(X, y)
    assert Spy.seen == [1, 1]


def test_frozen_teacher_labels_from_the_first_batch_and_gives_its_classes():
    """A frozen teacher never learns; with n_warmup_batches=0 every batch has
    soft targets, and partial_fit takes its classes."""
    X, y = blobs(90)
    teacher = FrozenEstimator(LogisticRegression().fit(X, y))
    model = OnlineDistilledClassifier(teacher, n_warmup_batches=0)
    model.partial_fit(X[:45], y[:45]).partial_fit(X[45:], y[45:])
    assert_array_equal(model.classes_, [0, 1, 2])
    assert [r["soft_targets"] for r in model.history_] == [True, True]
    assert model.teacher_ is teacher


# -- quality ---------------------------------------------------------------------
def test_distilled_student_beats_its_labels_only_twin_on_moons():
    """A small MLP student learning with a LightGBM teacher has a lower held-out
    log-loss than the same student on the labels alone (0.518 vs 0.544 when
    measured); the teacher improves over the batches (prequential accuracy)."""
    X, y = make_moons(1500, noise=0.3, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, random_state=0, stratify=y
    )

    def student_loss(alpha):
        model = OnlineDistilledClassifier(
            LGBMClassifier(n_estimators=60, num_leaves=7, verbose=-1, n_jobs=1),
            MLPClassifier((8,), random_state=0),
            alpha=alpha,
            max_iter=5,
            random_state=0,
        ).fit(X_train, y_train)
        return log_loss(y_test, model.predict_proba(X_test)), model

    distilled, model = student_loss(0.5)
    labels_only, _ = student_loss(1.0)
    assert distilled < labels_only - 0.01
    history = pd.DataFrame(model.history_)
    assert (
        history.teacher_accuracy.iloc[-5:].mean()
        > history.teacher_accuracy.iloc[1:6].mean() + 0.02
    )


# -- inputs ----------------------------------------------------------------------
def test_pandas_string_labels_pipeline_and_grid_search():
    """A DataFrame goes batch by batch to the teacher and the student, string
    labels come back as strings, and the distiller works inside a Pipeline
    and a GridSearchCV."""
    X, y = blobs(160)
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(5)])
    labels = np.array(["ant", "bee", "cat"])[y]
    model = OnlineDistilledClassifier(small_lgbm(), max_iter=2, random_state=0)
    model.fit(frame, labels)
    assert_array_equal(model.classes_, ["ant", "bee", "cat"])
    assert model.predict(frame).dtype.kind == "U"
    assert list(model.feature_names_in_) == list(frame.columns)
    search = GridSearchCV(model, {"alpha": [0.5, 1.0]}, cv=2).fit(frame, labels)
    assert search.best_params_["alpha"] in (0.5, 1.0)
    pipe = make_pipeline(StandardScaler(), model).fit(frame, labels)
    assert pipe.score(frame, labels) > 0.8


def test_categorical_dataframe_reaches_a_lightgbm_teacher():
    """A category column stays a category for the LightGBM teacher's batches;
    the student gets it one-hot encoded by a Pipeline before the distiller."""
    X, y = blobs(120, n_classes=2)
    frame = pd.DataFrame(X[:, :4], columns=list("abcd"))
    frame["c"] = pd.Categorical(np.where(X[:, 4] > 0, "u", "v"))
    encode = make_column_transformer(
        (OneHotEncoder(sparse_output=False), ["c"]), remainder="passthrough"
    )
    model = OnlineDistilledClassifier(small_lgbm(), max_iter=2).fit(
        encode.fit_transform(frame), y
    )
    assert model.score(encode.transform(frame), y) > 0.8
    teacher = OnlineDistilledClassifier(
        small_lgbm(), sgd(), max_iter=1, batch_size=60
    ).fit(frame.assign(c=frame.c.cat.codes), y)
    assert teacher.teacher_.booster_.current_iteration() == 10


def test_sample_weight_reaches_both_and_zero_weight_batches_are_skipped():
    """Each batch's weights go to the teacher and the student; a batch whose
    weights are all zero is counted but learnt by neither."""
    X, y = blobs(90)
    LOG.clear()
    weight = np.ones(90)
    weight[30:60] = 0.0
    model = OnlineDistilledClassifier(
        Recorder("teacher"),
        Recorder("student"),
        alpha=1.0,
        shuffle=False,
        batch_size=30,
        max_iter=1,
    ).fit(X, y, sample_weight=weight)
    learnt = [name for name, method, _ in LOG if method == "partial_fit"]
    assert learnt == ["student", "teacher", "student", "teacher"]
    assert model.n_batches_seen_ == 3
    assert_array_equal(model.teacher_.received_weight_, np.ones(30))


def test_sample_weight_with_a_student_that_refuses_it_raises():
    class NoWeights(Recorder):
        def partial_fit(self, X, y, classes=None):
            return super().partial_fit(X, y, classes=classes)

    X, y = blobs(60)
    model = OnlineDistilledClassifier(sgd(), NoWeights("student"), fit_strategy="hard")
    with pytest.raises(
        ValueError,
        match=re.escape(
            "sample_weight was given but the student NoWeights does not accept "
            "sample_weight in partial_fit"
        ),
    ):
        model.fit(X, y, sample_weight=np.ones(60))


def test_metadata_routing_sends_weights_to_whoever_requested_them():
    """With routing on, only the student that requested sample_weight gets it."""
    X, y = blobs(60)
    LOG.clear()
    with sklearn.config_context(enable_metadata_routing=True):
        teacher = Recorder("teacher").set_partial_fit_request(sample_weight=False)
        student = Recorder("student").set_partial_fit_request(sample_weight=True)
        model = OnlineDistilledClassifier(
            teacher, student, alpha=1.0, batch_size=60, max_iter=1
        ).fit(X, y, sample_weight=np.full(60, 2.0))
    assert model.teacher_.received_weight_ is None
    assert_array_equal(model.student_.received_weight_, np.full(60, 2.0))


def test_many_tiny_classes_in_a_stream():
    """Twelve classes, batches that miss most of them: the student keeps one
    column per class throughout."""
    rng = np.random.RandomState(0)
    X = rng.randn(240, 4)
    y = np.repeat(np.arange(12), 20)
    model = OnlineDistilledClassifier(small_lgbm(n_estimators=12))
    for start in range(0, 240, 40):
        model.partial_fit(
            X[start : start + 40], y[start : start + 40], classes=np.arange(12)
        )
    assert model.predict_proba(X).shape == (240, 12)


# -- the regressor ---------------------------------------------------------------
def test_regressor_student_learns_the_blend_with_prequential_predictions():
    """The student's target is alpha * y + (1 - alpha) * t, with t the teacher's
    predictions before it learnt the batch."""

    class TargetRecorder(SGDRegressor):
        def partial_fit(self, X, y, sample_weight=None):
            self.received_y_ = np.asarray(y).copy()
            return super().partial_fit(X, y, sample_weight=sample_weight)

    X, y = make_regression(100, 4, noise=5.0, random_state=0)
    y = y / y.std()
    model = OnlineDistilledRegressor(
        SGDRegressor(random_state=0),
        TargetRecorder(random_state=0),
        alpha=0.25,
        shuffle=False,
        batch_size=50,
        max_iter=1,
    ).fit(X, y)
    teacher = SGDRegressor(random_state=0).partial_fit(X[:50], y[:50])
    expected = 0.25 * y[50:] + 0.75 * teacher.predict(X[50:])
    assert_allclose(model.student_.received_y_, expected)
    assert set(model.history_[1]) >= {"teacher_mse", "student_mse"}


def test_regressor_with_lightgbm_teacher_and_default_student():
    X, y = make_regression(300, 5, noise=1.0, random_state=0)
    y = y / y.std()
    model = OnlineDistilledRegressor(
        small_lgbm(LGBMRegressor, n_estimators=30), max_iter=3, random_state=0
    ).fit(X, y)
    assert model.score(X, y) > 0.9
    assert model.teacher_.booster_.current_iteration() == 30


# -- memory ----------------------------------------------------------------------
# Allocations of other threads (a Dask cluster's event loop left by other
# tests, for one) are not the stream's: tracemalloc sees the whole process.
_OTHER_THREADS = [
    tracemalloc.Filter(False, pattern)
    for pattern in (
        "*/distributed/*",
        "*/tornado/*",
        "*/asyncio/*",
        "*/threading.py",
        "*/dask/*",
        "*/msgpack/*",
        "*/psutil/*",
        "*/tracemalloc.py",
        "*/fnmatch.py",
        "<frozen *>",
        "<unknown>",
    )
]


def _retained_growth(n_first, n_more):
    """Bytes the stream holds after ``n_first + n_more`` batches beyond what
    it held after ``n_first`` (batches made on the fly, after two untraced
    batches that pay the one-time imports and caches)."""
    rng = np.random.RandomState(0)
    model = OnlineDistilledClassifier(
        sgd(), SoftLogisticRegression(), history_size=0, random_state=0
    )

    def learn(n_batches):
        for _ in range(n_batches):
            X = rng.randn(100, 20)
            y = (X[:, 0] + 0.5 * rng.randn(100) > 0).astype(int)
            model.partial_fit(X, y, classes=[0, 1])
        gc.collect()  # cyclic garbage is freed late: not the stream's state
        return tracemalloc.take_snapshot().filter_traces(_OTHER_THREADS)

    for _ in range(2):
        X = rng.randn(100, 20)
        model.partial_fit(X, (X[:, 0] > 0).astype(int), classes=[0, 1])
    tracemalloc.start()
    try:
        before = learn(n_first)
        after = learn(n_more)
    finally:
        tracemalloc.stop()
    return sum(stat.size_diff for stat in after.compare_to(before, "filename"))


def test_stream_memory_is_flat_in_the_number_of_batches():
    """partial_fit keeps no row of past batches: 25 more batches of 100 x 20
    (16 KB each, 400 KB if kept) add less than 100 KB to what the process
    holds (measured: 20-30 KB, small caches of scipy, scikit-learn and
    threadpoolctl that grow by about 1 KB a call)."""
    assert _retained_growth(5, 25) < 100_000


def test_history_is_bounded_by_history_size():
    """history_ keeps the most recent history_size records."""
    X, y = blobs(200)
    model = OnlineDistilledClassifier(sgd(), history_size=3, batch_size=20, max_iter=1)
    model.fit(X, y)
    assert [r["batch"] for r in model.history_] == [7, 8, 9]
    assert model.n_batches_seen_ == 10


# -- errors ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "teacher, student, message",
    [
        (
            RandomForestClassifier(),
            None,
            "The teacher RandomForestClassifier cannot learn batch by batch: it has "
            "no partial_fit, and it is not a LightGBM model (grown in stages).",
        ),
        (
            make_pipeline(StandardScaler(), LogisticRegression()),
            None,
            "The teacher Pipeline cannot learn batch by batch: its step "
            "'logisticregression' (LogisticRegression) has no partial_fit",
        ),
        (
            None,
            DecisionTreeClassifier(),
            "The student DecisionTreeClassifier cannot learn batch by batch: it "
            "has no partial_fit.",
        ),
        (
            SGDRegressor(),
            None,
            "The teacher SGDRegressor is a regressor, but OnlineDistilledClassifier "
            "needs classifiers.",
        ),
    ],
)
def test_unsuitable_sub_estimators_raise(teacher, student, message):
    X, y = blobs(40)
    model = OnlineDistilledClassifier(teacher, student)
    with pytest.raises(ValueError, match=re.escape(message)):
        model.fit(X, y)


def test_strategy_errors():
    X, y = blobs(40)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "fit_strategy='native' needs a student with a partial_fit_soft_targets "
            "method (such as SoftLogisticRegression); SGDClassifier has none."
        ),
    ):
        OnlineDistilledClassifier(sgd(), sgd(), fit_strategy="native").fit(X, y)

    class NoWeights(Recorder):
        def partial_fit(self, X, y, classes=None):
            return super().partial_fit(X, y, classes=classes)

    with pytest.raises(
        ValueError,
        match=re.escape(
            "fit_strategy='weighted' needs a student whose partial_fit accepts "
            "sample_weight; NoWeights.partial_fit does not."
        ),
    ):
        OnlineDistilledClassifier(sgd(), NoWeights("s"), fit_strategy="weighted").fit(
            X, y
        )


def test_partial_fit_class_errors():
    X, y = blobs(60)
    model = OnlineDistilledClassifier(sgd())
    with pytest.raises(
        ValueError,
        match=re.escape("classes must be passed on the first call to partial_fit"),
    ):
        model.partial_fit(X, y)
    model.partial_fit(X[:30], y[:30], classes=[0, 1, 2])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "classes=[0, 1] differs from the classes of the first batch, [0, 1, 2]."
        ),
    ):
        model.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "y contains labels [7] that are not among the classes [0, 1, 2]"
        ),
    ):
        model.partial_fit(X[:2], np.array([0, 7]))
    with pytest.raises(ValueError, match=re.escape("y contains only one class ([0])")):
        OnlineDistilledClassifier(sgd()).fit(X[:5], np.zeros(5, dtype=int))


def test_nan_needs_a_student_that_takes_it():
    X, y = blobs(40)
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match=re.escape("Input X contains NaN")):
        OnlineDistilledClassifier(small_lgbm()).fit(X, y)


def test_fit_starts_afresh_and_partial_fit_continues():
    """fit resets the state; partial_fit after fit continues it."""
    X, y = blobs(120)
    model = OnlineDistilledClassifier(sgd(), batch_size=60, max_iter=1).fit(X, y)
    model.partial_fit(X[:60], y[:60])
    assert model.n_batches_seen_ == 3
    model.fit(X, y)
    assert model.n_batches_seen_ == 2 and len(model.history_) == 2
    assert clone(model).get_params()["batch_size"] == 60
