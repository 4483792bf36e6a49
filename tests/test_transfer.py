"""Transfer sets: out-of-fold soft targets, unlabeled rows, augmentation."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict

from skdistill import DistilledClassifier
from skdistill.soft_targets import logits_from_proba, softmax


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=240,
        n_features=6,
        n_informative=4,
        n_classes=3,
        n_clusters_per_class=1,
        random_state=0,
    )
    return X, y


class RecordingStudent(ClassifierMixin, BaseEstimator):
    """A native student that records what it was given."""

    def fit(self, X, y):
        raise AssertionError("fit_soft_targets expected")

    def fit_soft_targets(
        self, X, y, soft_targets, *, classes, temperature, alpha, sample_weight=None
    ):
        self.X_, self.y_, self.soft_ = np.asarray(X), y, soft_targets
        self.sample_weight_ = sample_weight
        self.classes_ = classes
        return self

    def predict(self, X):
        return self.classes_[np.zeros(len(X), dtype=int)]


def test_out_of_fold_soft_targets_come_from_held_out_teachers(data):
    """cv=k: the soft targets equal cross_val_predict's, teacher_ is refit on all."""
    X, y = data
    cv = StratifiedKFold(4, shuffle=True, random_state=0)
    teacher = LogisticRegression(max_iter=1000)
    model = DistilledClassifier(
        teacher, RecordingStudent(), teacher_cv=cv, temperature=2.0
    ).fit(X, y)
    expected = cross_val_predict(teacher, X, y, cv=cv, method="predict_proba")
    np.testing.assert_allclose(
        model.student_.soft_, softmax(logits_from_proba(expected), 2.0), atol=1e-8
    )
    full = LogisticRegression(max_iter=1000).fit(X, y)
    np.testing.assert_allclose(model.teacher_.coef_, full.coef_)


def test_out_of_fold_targets_are_softer_than_in_sample(data):
    """A boosted teacher is confident on rows it saw, less so out of fold."""
    X, y = data
    teacher = LGBMClassifier(n_estimators=50, verbose=-1, n_jobs=1)
    in_sample = DistilledClassifier(teacher, RecordingStudent(), temperature=1.0).fit(
        X, y
    )
    oof = DistilledClassifier(
        teacher, RecordingStudent(), temperature=1.0, teacher_cv=3
    ).fit(X, y)
    assert (
        oof.student_.soft_.max(axis=1).mean()
        < in_sample.student_.soft_.max(axis=1).mean() - 0.02
    )


def test_cv_with_frozen_teacher_is_an_error(data):
    X, y = data
    frozen = FrozenEstimator(LogisticRegression().fit(X, y))
    with pytest.raises(ValueError, match="frozen"):
        DistilledClassifier(frozen, teacher_cv=3).fit(X, y)


def test_cv_must_partition_the_rows(data):
    X, y = data
    splits = [(np.arange(0, 200), np.arange(100, 240))]
    with pytest.raises(ValueError, match="exactly once"):
        DistilledClassifier(LogisticRegression(), teacher_cv=splits).fit(X, y)


def test_tiny_class_missing_from_a_fold(data):
    """A class with two rows: folds that lack it give it probability 0."""
    X, y = data
    y = y.copy()
    y[:2] = 7
    model = DistilledClassifier(
        LogisticRegression(max_iter=1000), RecordingStudent(), teacher_cv=KFold(3)
    ).fit(X, y)
    assert list(model.classes_) == [0, 1, 2, 7]
    assert np.all(np.isfinite(model.student_.soft_))
    np.testing.assert_allclose(model.student_.soft_.sum(axis=1), 1.0)
    # rows 0-79 are fold 0, whose teacher never saw class 7: probability 0
    assert np.all(model.student_.soft_[:80, 3] < 1e-100)
    assert np.all(model.student_.soft_[80:, 3] > 0)


def test_cv_parallel_equals_sequential(data):
    X, y = data
    kw = dict(teacher=LogisticRegression(max_iter=1000), teacher_cv=3)
    a = DistilledClassifier(student=RecordingStudent(), n_jobs=1, **kw).fit(X, y)
    b = DistilledClassifier(student=RecordingStudent(), n_jobs=2, **kw).fit(X, y)
    np.testing.assert_allclose(a.student_.soft_, b.student_.soft_)


@pytest.mark.parametrize("marker, labels", [(-1, [0, 1, 2]), ("?", ["a", "b", "c"])])
def test_unlabeled_rows_train_the_student_only(data, marker, labels):
    """Rows marked unlabeled: not seen by the teacher, soft-only for the student."""
    X, y = data
    y = np.asarray(labels, dtype=object)[y] if isinstance(marker, str) else y.copy()
    y = y.astype(object) if isinstance(marker, str) else y
    y[::4] = marker
    model = DistilledClassifier(
        LogisticRegression(max_iter=1000), RecordingStudent(), unlabeled=marker
    ).fit(X, y)
    labelled = np.array([v != marker for v in y])
    teacher = LogisticRegression(max_iter=1000).fit(X[labelled], y[labelled])
    np.testing.assert_allclose(model.teacher_.coef_, teacher.coef_)
    assert list(model.classes_) == labels
    assert np.all(model.student_.y_[~labelled] == -1)
    assert np.all(model.student_.y_[labelled] >= 0)
    assert model.student_.X_.shape[0] == len(y)


def test_unlabeled_none_keeps_minus_one_as_a_class():
    """By default -1 is an ordinary label ({-1, 1} problems are common)."""
    X, y = make_classification(n_samples=100, random_state=0)
    y = np.where(y == 0, -1, 1)
    model = DistilledClassifier(LogisticRegression()).fit(X, y)
    assert list(model.classes_) == [-1, 1]


def test_all_rows_unlabeled_is_an_error(data):
    X, y = data
    with pytest.raises(ValueError, match="unlabeled"):
        DistilledClassifier(unlabeled=-1).fit(X, np.full(len(y), -1))


@pytest.mark.parametrize("augment", ["munge", "perturb"])
def test_augmentation_adds_teacher_labelled_rows(data, augment):
    """Synthetic rows are appended, labelled -1 (soft targets only)."""
    X, y = data
    model = DistilledClassifier(
        LogisticRegression(max_iter=1000),
        RecordingStudent(),
        augment=augment,
        random_state=0,
    ).fit(X, y)
    n = len(y)
    assert model.n_synthetic_ > 0
    assert model.student_.X_.shape[0] == n + model.n_synthetic_
    assert np.all(model.student_.y_[n:] == -1)
    syn = model.student_.X_[n:]
    expected = softmax(
        logits_from_proba(model.teacher_.predict_proba(syn)), model.temperature_
    )
    np.testing.assert_allclose(model.student_.soft_[n:], expected, atol=1e-10)


def test_augmentation_is_reproducible(data):
    X, y = data
    fits = [
        DistilledClassifier(
            LogisticRegression(max_iter=1000),
            RecordingStudent(),
            augment="munge",
            random_state=3,
        )
        .fit(X, y)
        .student_.X_
        for _ in range(2)
    ]
    np.testing.assert_array_equal(fits[0], fits[1])


def test_augmentation_on_dataframe_with_categories_and_missing_values():
    """A DataFrame with categorical and missing cells, LightGBM teacher and student."""
    rng = np.random.default_rng(0)
    n = 300
    X = pd.DataFrame(
        {
            "num": rng.normal(size=n),
            "cat": pd.Categorical(rng.choice(["a", "b", "c"], size=n)),
            "flag": rng.random(n) > 0.5,
        }
    )
    X.loc[::10, "num"] = np.nan
    y = np.where((X["num"].fillna(0) > 0) ^ (X["cat"] == "a"), "yes", "no")
    lgbm = LGBMClassifier(n_estimators=20, verbose=-1, n_jobs=1)
    model = DistilledClassifier(
        lgbm,
        LGBMClassifier(n_estimators=8, num_leaves=4, verbose=-1, n_jobs=1),
        augment="munge",
        teacher_cv=3,
        random_state=0,
    ).fit(X, y)
    assert model.n_synthetic_ > 0
    assert model.score(X, y) > 0.7
    assert list(model.feature_names_in_) == ["num", "cat", "flag"]


def test_augment_with_sparse_input_is_an_error(data):
    import scipy.sparse as sp

    X, y = data
    with pytest.raises(ValueError, match="augment needs dense X"):
        DistilledClassifier(LogisticRegression(), augment="perturb").fit(
            sp.csr_matrix(X), y
        )


def test_bad_augment_value_is_an_error(data):
    X, y = data
    with pytest.raises(ValueError, match="augment"):
        DistilledClassifier(augment="smote").fit(X, y)


def test_unlabeled_rows_with_out_of_fold_targets(data):
    """cv with unlabeled rows: folds over labelled rows, teacher_ labels the rest."""
    X, y = data
    y = y.copy()
    y[::5] = -1
    model = DistilledClassifier(
        LogisticRegression(max_iter=1000),
        RecordingStudent(),
        teacher_cv=3,
        unlabeled=-1,
    ).fit(X, y)
    unl = y == -1
    expected = softmax(
        logits_from_proba(model.teacher_.predict_proba(X[unl])), model.temperature_
    )
    np.testing.assert_allclose(model.student_.soft_[unl], expected, atol=1e-10)
    assert np.all(model.student_.y_[unl] == -1)


def test_augmentation_inside_a_pipeline(data):
    """In a Pipeline X is already numeric; augmentation works on it."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = data
    pipe = make_pipeline(
        StandardScaler(),
        DistilledClassifier(
            LogisticRegression(max_iter=1000), augment="perturb", random_state=0
        ),
    ).fit(X, y)
    assert pipe[-1].n_synthetic_ == len(y)
    assert pipe.score(X, y) > 0.8


def test_teacher_outputs_are_chunked_with_progress(data, monkeypatch, capsys):
    """Teacher outputs come in chunks (bounded memory); verbose reports them."""
    import skdistill._teacher as teacher_module

    X, y = data
    monkeypatch.setattr(teacher_module, "CHUNK_ROWS", 50)
    calls = []

    class CountingTeacher(LogisticRegression):
        def predict_proba(self, X):
            calls.append(len(X))
            return super().predict_proba(X)

    chunked = DistilledClassifier(
        CountingTeacher(max_iter=1000), RecordingStudent(), verbose=1
    ).fit(X, y)
    assert max(calls) <= 50
    assert "teacher outputs: 240/240 rows" in capsys.readouterr().out
    monkeypatch.setattr(teacher_module, "CHUNK_ROWS", 10_000)
    whole = DistilledClassifier(
        LogisticRegression(max_iter=1000), RecordingStudent()
    ).fit(X, y)
    np.testing.assert_allclose(chunked.student_.soft_, whole.student_.soft_)


def test_augmenter_seed_wins_over_the_meta_estimator_seed(data):
    """An Augmenter with its own random_state keeps it; else random_state seeds."""
    from skdistill import MUNGE

    X, y = data

    def synthetic(augment, seed):
        return (
            DistilledClassifier(
                LogisticRegression(max_iter=1000),
                RecordingStudent(),
                augment=augment,
                random_state=seed,
            )
            .fit(X, y)
            .student_.X_[len(y) :]
        )

    np.testing.assert_array_equal(
        synthetic(MUNGE(random_state=1), 0), synthetic(MUNGE(random_state=1), 5)
    )
    assert not np.array_equal(synthetic(MUNGE(), 0), synthetic(MUNGE(), 5))


@pytest.mark.parametrize("marker", ["-1", True])
def test_unlabeled_marker_of_the_wrong_type_is_an_error(data, marker):
    X, y = data
    with pytest.raises(ValueError, match="cannot mark rows of y"):
        DistilledClassifier(LogisticRegression(), unlabeled=marker).fit(X, y)


def test_string_marker_with_integer_labels_in_object_array(data):
    """y = [0, 1, ..., 'u'] with unlabeled='u': the marker is removed first."""
    X, y = data
    y = y.astype(object)
    y[::6] = "u"
    model = DistilledClassifier(
        LogisticRegression(max_iter=1000), RecordingStudent(), unlabeled="u"
    ).fit(X, y)
    assert list(model.classes_) == [0, 1, 2]


def test_marker_that_is_a_frozen_teachers_class_is_an_error(data):
    """unlabeled=0 with a teacher that knows class 0 would lose class 0."""
    X, y = data
    teacher = FrozenEstimator(LogisticRegression(max_iter=1000).fit(X, y))
    with pytest.raises(
        ValueError, match=re.escape("unlabeled=0 is one of the classes of the frozen")
    ):
        DistilledClassifier(teacher, LogisticRegression(), unlabeled=0).fit(X, y)


def test_marker_that_fills_the_class_range_warns(data):
    """unlabeled=0 on labels {0, 1, 2}: class 0 is taken as unlabelled, and said."""
    X, y = data
    with pytest.warns(UserWarning, match=re.escape("unlabeled=0 looks like a class")):
        model = DistilledClassifier(
            LogisticRegression(max_iter=1000), RecordingStudent(), unlabeled=0
        ).fit(X, y)
    assert list(model.classes_) == [1, 2]


def test_marker_outside_the_labels_does_not_warn(data):
    """unlabeled=-1 (scikit-learn's convention) on labels {0, 1, 2}: no warning."""
    X, y = data
    y = y.copy()
    y[::5] = -1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = DistilledClassifier(
            LogisticRegression(max_iter=1000), RecordingStudent(), unlabeled=-1
        ).fit(X, y)
    assert list(model.classes_) == [0, 1, 2]


def test_one_class_left_by_the_marker_names_the_marker(data):
    """Binary labels with unlabeled=0: the one-class error says why."""
    X, y = data
    binary = y < 2
    with pytest.raises(ValueError, match=re.escape("once the rows marked unlabeled=0")):
        DistilledClassifier(LogisticRegression(), unlabeled=0).fit(X[binary], y[binary])


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
@pytest.mark.parametrize("unlabeled", [None, "u"])
def test_missing_label_in_object_y_is_a_clear_error(data, missing, unlabeled):
    """None, NaN or NA in string labels: a ValueError, not a sorting TypeError."""
    X, y = data
    y = np.array(["a", "b", "c"], dtype=object)[y]
    y[7] = missing
    with pytest.raises(
        ValueError, match=re.escape("y contains 1 missing label(s)")
    ) as info:
        DistilledClassifier(LogisticRegression(), unlabeled=unlabeled).fit(X, y)
    marker = "'u'" if unlabeled else "unlabeled='unlabeled'"
    assert marker in str(info.value)  # a marker of the labels' type


def test_empty_dataframe_is_a_clear_error():
    """A 0-row DataFrame: scikit-learn's 0-sample message, not 'one class'."""
    X = pd.DataFrame({"a": pd.Series([], dtype=float)})
    with pytest.raises(ValueError, match=re.escape("Found array with 0 sample(s)")):
        DistilledClassifier().fit(X, np.array([], dtype=int))


def test_fold_with_a_single_class_is_a_clear_error():
    """One minority row and 2 plain folds: one training part has one class."""
    X = np.arange(20, dtype=float).reshape(-1, 1)
    y = np.zeros(20, dtype=int)
    y[0] = 1
    with pytest.raises(ValueError, match="A fold of teacher_cv leaves only the class"):
        DistilledClassifier(LogisticRegression(), teacher_cv=KFold(2)).fit(X, y)


def test_sample_weights_equal_repeated_rows_through_out_of_fold_teachers():
    """With folds that keep a row's copies together, weights are repetitions.

    scikit-learn's weight-equivalence check, on the out-of-fold path: the
    weighted rows form one group and two plain copies of the data two more,
    and ``teacher_cv`` is the leave-one-group-out splits of each version.
    """
    from sklearn.model_selection import LeaveOneGroupOut

    from skdistill import SoftLogisticRegression

    rng = np.random.RandomState(42)
    X = rng.rand(15, 4)
    y = rng.randint(0, 3, size=15)
    sw = rng.randint(0, 5, size=15)
    X_rep, y_rep = X.repeat(sw, axis=0), y.repeat(sw)
    versions = {}
    for name, (Xg, yg, w) in {
        "weighted": (X, y, sw),
        "repeated": (X_rep, y_rep, None),
    }.items():
        groups = np.concatenate([np.zeros(yg.size), np.ones(15), np.full(15, 2)])
        X_all, y_all = np.vstack([Xg, X, X]), np.concatenate([yg, y, y])
        weight = None if w is None else np.concatenate([w, np.ones(30)])
        splits = list(LeaveOneGroupOut().split(X_all, groups=groups))
        model = DistilledClassifier(
            LogisticRegression(),
            SoftLogisticRegression(),
            temperature=2.0,
            teacher_cv=splits,
        ).fit(X_all, y_all, sample_weight=weight)
        versions[name] = model.predict_proba(X)
    np.testing.assert_allclose(
        versions["weighted"], versions["repeated"], rtol=1e-5, atol=1e-6
    )
