"""Tests of DistilledClassifier: strategies, teachers, labels, API and inputs."""

import pickle
import warnings
from functools import cache

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import sklearn
from lightgbm import LGBMClassifier
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import rel_entr
from scipy.special import softmax as scipy_softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_breast_cancer, load_iris, make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.exceptions import NotFittedError, UnsetMetadataPassedError
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from skdistill import DistilledClassifier, SoftTargetStudent
from skdistill.soft_targets import logits_from_proba, sharpen, softmax

# -- data and helper estimators --------------------------------------------------


@pytest.fixture(autouse=True)
def _one_thread_per_library():
    """Limit BLAS and OpenMP (LightGBM, HistGradientBoosting) to one thread.

    The models are tiny, so extra threads only cost spin-waiting, which is very
    slow on a busy 2-core machine; no assertion depends on the thread count.
    """
    with threadpool_limits(limits=1):
        yield


@cache
def _iris():
    X, y = load_iris(return_X_y=True)
    return X, y


def iris():
    X, y = _iris()
    return X.copy(), y.copy()


@cache
def _blobs(n_classes, n_samples):
    return make_classification(
        n_samples=n_samples,
        n_features=6,
        n_informative=4,
        n_redundant=0,
        n_classes=n_classes,
        n_clusters_per_class=1,
        class_sep=1.0,
        random_state=0,
    )


def blobs(n_classes=3, n_samples=150):
    """Small, well-conditioned classification data (no duplicated rows)."""
    X, y = _blobs(n_classes, n_samples)
    return X.copy(), y.copy()


def small_teacher(**params):
    params = {
        "n_estimators": 20,
        "num_leaves": 7,
        "min_child_samples": 5,
        "verbose": -1,
        "random_state": 0,
        "n_jobs": 1,
        **params,
    }
    return LGBMClassifier(**params)


def lr(**params):
    return LogisticRegression(max_iter=1000, **params)


def frozen_lr(X, y):
    """A prefit LogisticRegression teacher, frozen."""
    return FrozenEstimator(lr().fit(X, y))


def mean_kl(p, q):
    """Mean over rows of KL(p || q)."""
    return float(rel_entr(p, q).sum(axis=1).mean())


class WeightRecordingLR(LogisticRegression):
    """LogisticRegression recording the sample_weight (and X, row_ids) it got."""

    def fit(self, X, y, sample_weight=None, row_ids=None):
        self.received_sample_weight_ = (
            None if sample_weight is None else np.asarray(sample_weight).copy()
        )
        self.received_row_ids_ = row_ids
        self.received_X_ = np.asarray(X).copy()
        return super().fit(X, y, sample_weight=sample_weight)


class RecordingSoftStudent(ClassifierMixin, BaseEstimator):
    """A native student: records what fit_soft_targets got; 1-NN on soft targets."""

    def fit(self, X, y):
        raise AssertionError("a native student is fit by fit_soft_targets")

    def fit_soft_targets(
        self,
        X,
        y,
        soft_targets,
        *,
        classes,
        temperature,
        alpha,
        sample_weight=None,
    ):
        self.received_ = {
            "X": np.asarray(X).copy(),
            "y": np.asarray(y).copy(),
            "soft_targets": np.asarray(soft_targets).copy(),
            "classes": np.asarray(classes).copy(),
            "temperature": temperature,
            "alpha": alpha,
            "sample_weight": sample_weight,
        }
        self.classes_ = np.asarray(classes)
        self.nn_ = NearestNeighbors(n_neighbors=1).fit(X)
        self.targets_ = np.asarray(soft_targets).copy()
        return self

    def predict_proba(self, X):
        index = self.nn_.kneighbors(X, return_distance=False)[:, 0]
        return self.targets_[index]

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


LABELS = ("a", "b", "c", "d")


class FixedLogitTeacher(ClassifierMixin, BaseEstimator):
    """Prefit teacher: the logit of label LABELS[j] is X[:, j]; ``fit`` raises.

    ``predict_proba`` columns follow ``classes`` (in any order), so the
    distribution over labels does not depend on the order of the columns.
    """

    def __init__(self, classes=("a", "b", "c")):
        self.classes = classes

    def fit(self, X, y=None):
        raise AssertionError("a frozen teacher must never be refit")

    def predict_proba(self, X):
        columns = [LABELS.index(c) for c in self.classes]
        return scipy_softmax(np.asarray(X, dtype=float)[:, columns], axis=1)

    def predict(self, X):
        return np.asarray(self.classes)[self.predict_proba(X).argmax(axis=1)]


def frozen_fixed_teacher(classes):
    teacher = FixedLogitTeacher(classes=tuple(classes))
    teacher.classes_ = np.asarray(classes)
    return FrozenEstimator(teacher)


def fixed_teacher_data(n_samples=60, n_labels=3, seed=0):
    """X whose first columns are the fixed teacher's logits; y its argmax label."""
    X = np.random.default_rng(seed).normal(scale=2.0, size=(n_samples, 5))
    y = np.asarray(LABELS)[X[:, :n_labels].argmax(axis=1)]
    return X, y


class LabelOnlyTeacher(ClassifierMixin, BaseEstimator):
    """A classifier with fit and predict but no predict_proba/decision_function."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


# -- defaults and fitted attributes ---------------------------------------------


def test_defaults_fit_on_iris():
    """DistilledClassifier() fits with its default teacher and student."""
    X, y = iris()
    model = DistilledClassifier().fit(X, y)
    assert isinstance(model.teacher_, LGBMClassifier)
    assert model.teacher_.n_estimators == 300
    assert model.teacher_.learning_rate == 0.05
    # the default student is a scaled logistic regression (no convergence
    # warning on unscaled data)
    assert isinstance(model.student_, Pipeline)
    assert isinstance(model.student_[0], StandardScaler)
    assert isinstance(model.student_[-1], LogisticRegression)
    assert model.temperature_ == 1.0
    assert model.alpha_ == 0.5
    check_is_fitted(model.teacher_)
    check_is_fitted(model.student_)
    assert_array_equal(model.classes_, [0, 1, 2])
    assert model.n_features_in_ == 4
    assert not hasattr(model, "feature_names_in_")
    assert model.fit_strategy_ == "weighted"
    assert 0.0 <= model.training_fidelity_ <= 1.0
    expected = np.mean(model.student_.predict(X) == model.teacher_.predict(X))
    assert model.training_fidelity_ == pytest.approx(expected)
    assert model.training_fidelity_ > 0.9
    assert model.score(X, y) > 0.9
    # parameters are not modified by fit
    assert model.teacher is None
    assert model.student is None


def test_predict_before_fit_raises():
    """Predicting with an unfitted model raises NotFittedError."""
    X, _ = iris()
    with pytest.raises(NotFittedError):
        DistilledClassifier().predict(X)


def test_teacher_and_student_are_cloned():
    """An unfrozen teacher and the student are cloned; the passed objects stay unfit."""
    X, y = iris()
    teacher, student = small_teacher(), lr()
    model = DistilledClassifier(teacher, student).fit(X, y)
    assert model.teacher_ is not teacher
    assert model.student_ is not student
    for est in (teacher, student):
        with pytest.raises(NotFittedError):
            check_is_fitted(est)


# -- fit strategies ----------------------------------------------------------------


@pytest.mark.parametrize(
    "student, n_classes, strategy",
    [
        (lr(), 3, "weighted"),
        (DecisionTreeClassifier(max_depth=3, random_state=0), 2, "weighted"),
        (DecisionTreeClassifier(max_depth=3, random_state=0), 3, "logit_tree"),
        (LinearSVC(), 3, "weighted"),
    ],
    ids=["logistic", "tree-binary", "tree-multiclass", "linear-svc"],
)
def test_auto_strategy_is_weighted_for_sample_weight_students(
    student, n_classes, strategy
):
    """'auto' picks 'weighted' for a student whose fit takes sample_weight, silently;
    a decision tree with three classes or more splits on the teacher's logits."""
    X, y = blobs()
    if n_classes == 2:
        X, y = X[y < 2], y[y < 2]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = DistilledClassifier(small_teacher(), student).fit(X, y)
    assert model.fit_strategy_ == strategy


def test_auto_strategy_falls_back_to_hard_with_warning():
    """'auto' with a student without sample_weight warns and uses 'hard'."""
    X, y = blobs()
    model = DistilledClassifier(small_teacher(), KNeighborsClassifier())
    with pytest.warns(UserWarning, match=r"KNeighborsClassifier.*fit_strategy='hard'"):
        model.fit(X, y)
    assert model.fit_strategy_ == "hard"


def test_auto_fallback_warning_points_at_caller():
    """The 'auto' -> 'hard' warning is attributed to the code calling fit."""
    X, y = blobs()
    model = DistilledClassifier(small_teacher(), KNeighborsClassifier())
    with pytest.warns(UserWarning, match="fit_strategy='hard'") as record:
        model.fit(X, y)
    assert record[0].filename == __file__


def test_explicit_hard_strategy_does_not_warn():
    """fit_strategy='hard' with a student without sample_weight gives no warning."""
    X, y = blobs()
    model = DistilledClassifier(
        small_teacher(), KNeighborsClassifier(), fit_strategy="hard"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, y)
    assert model.fit_strategy_ == "hard"


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_hard_strategy_fits_argmax_of_blended_target(alpha):
    """'hard' trains on argmax of the blend: the teacher's class (alpha=0) or y (1)."""
    X, y = blobs()
    model = DistilledClassifier(
        small_teacher(),
        KNeighborsClassifier(n_neighbors=1),
        fit_strategy="hard",
        alpha=alpha,
    ).fit(X, y)
    expected = model.teacher_.predict(X) if alpha == 0.0 else y
    # a 1-NN student reproduces its training labels exactly
    assert_array_equal(model.student_.predict(X), expected)
    if alpha == 0.0:
        assert model.training_fidelity_ == 1.0
    assert not np.array_equal(model.teacher_.predict(X), y)  # the test can tell


@pytest.mark.parametrize(
    "student, strategy",
    [(KNeighborsClassifier(), "weighted"), (lr(), "native")],
    ids=["knn-weighted", "lr-native"],
)
def test_unsupported_explicit_strategy_raises(student, strategy):
    """An explicit strategy the student cannot use raises a ValueError naming it."""
    X, y = iris()
    model = DistilledClassifier(small_teacher(), student, fit_strategy=strategy)
    with pytest.raises(ValueError, match=f"fit_strategy='{strategy}'"):
        model.fit(X, y)


def test_soft_target_student_protocol():
    """fit_soft_targets makes a SoftTargetStudent; LogisticRegression is not one."""
    assert isinstance(RecordingSoftStudent(), SoftTargetStudent)
    assert not isinstance(lr(), SoftTargetStudent)


@pytest.mark.parametrize("fit_strategy", ["auto", "native"])
@pytest.mark.parametrize("temperature, alpha", [(1.0, 0.5), (3.0, 0.2), (2, 1)])
def test_native_student_receives_soft_targets(fit_strategy, temperature, alpha):
    """A native student gets softmax(log p_teacher / T), encoded y and the params."""
    X, y_int = iris()
    names = np.array(["zebra", "yak", "ant"])  # sorted order reverses the codes
    y = names[y_int]
    model = DistilledClassifier(
        small_teacher(),
        RecordingSoftStudent(),
        temperature=temperature,
        alpha=alpha,
        fit_strategy=fit_strategy,
    ).fit(X, y)
    assert model.fit_strategy_ == "native"
    got = model.student_.received_
    assert_array_equal(model.classes_, ["ant", "yak", "zebra"])
    assert_array_equal(got["classes"], model.classes_)
    assert_array_equal(got["y"], 2 - y_int)
    assert_array_equal(got["X"], X)
    teacher_proba = model.teacher_.predict_proba(X)  # columns: ant, yak, zebra
    expected = softmax(np.log(teacher_proba), temperature)
    assert_allclose(got["soft_targets"], expected, rtol=1e-10, atol=1e-300)
    assert_allclose(got["soft_targets"].sum(axis=1), 1.0)
    assert got["temperature"] == temperature
    assert isinstance(got["temperature"], float)
    assert got["alpha"] == alpha
    assert got["sample_weight"] is None
    # predictions come from the student
    assert_array_equal(model.predict(X), model.student_.predict(X))


def test_alpha_one_fits_the_student_on_the_labels():
    """alpha=1 with the weighted route: the student's own fit on the labels."""
    X, y = iris()
    model = DistilledClassifier(
        small_teacher(), WeightRecordingLR(max_iter=1000), alpha=1.0
    ).fit(X, y)
    assert model.fit_strategy_ == "weighted"
    assert model.student_.received_sample_weight_ is None  # no row expansion
    assert_array_equal(model.student_.received_X_, X)
    twin = LogisticRegression(max_iter=1000).fit(X, y)
    assert_allclose(model.predict_proba(X), twin.predict_proba(X))


def test_default_student_on_sparse_and_missing_values():
    """The default (scaled) student takes sparse X and names the NaN fix."""
    X, y = iris()
    model = DistilledClassifier(small_teacher()).fit(sp.csr_matrix(X), y)
    assert model.student_[0].with_mean is False
    assert model.score(sp.csr_matrix(X), y) > 0.8
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="Put an imputer before the"):
        DistilledClassifier(small_teacher()).fit(X_nan, y)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_decision_function_teacher_gives_soft_targets(n_classes):
    """A teacher with decision_function only: targets are softmax(logits(d) / T)."""
    X, y = blobs(n_classes=n_classes)
    teacher = LinearSVC(random_state=0).fit(X, y)
    model = DistilledClassifier(
        FrozenEstimator(teacher), RecordingSoftStudent(), temperature=2.0
    ).fit(X, y)
    d = teacher.decision_function(X)
    logits = np.column_stack([np.zeros_like(d), d]) if n_classes == 2 else d
    expected = scipy_softmax(logits / 2.0, axis=1)
    assert_allclose(model.student_.received_["soft_targets"], expected, rtol=1e-10)


def test_teacher_output_decision_function_on_logistic_teacher():
    """teacher_output='decision_function' uses the multinomial logits as they are."""
    X, y = iris()
    teacher = lr().fit(X, y)
    model = DistilledClassifier(
        FrozenEstimator(teacher),
        RecordingSoftStudent(),
        temperature=3.0,
        teacher_output="decision_function",
    ).fit(X, y)
    expected = scipy_softmax(teacher.decision_function(X) / 3.0, axis=1)
    assert_allclose(model.student_.received_["soft_targets"], expected, rtol=1e-8)


# -- the weighted strategy is exact ----------------------------------------------


@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.8])
@pytest.mark.parametrize("temperature", [1.0, 3.0])
def test_weighted_strategy_equals_manual_row_expansion(alpha, temperature):
    """The weighted student equals a LogisticRegression fit on the expanded rows."""
    X, y = iris()
    teacher = lr(C=0.5).fit(X, y)
    model = DistilledClassifier(
        FrozenEstimator(teacher),
        lr(solver="newton-cholesky", tol=1e-10),
        temperature=temperature,
        alpha=alpha,
        fit_strategy="weighted",
        weight_threshold=0.0,
    ).fit(X, y)

    classes = np.unique(y)
    p_t = scipy_softmax(np.log(teacher.predict_proba(X)) / temperature, axis=1)
    target = alpha * np.eye(classes.size)[y] + (1 - alpha) * p_t
    n, k = target.shape
    # a Newton solver converges to machine precision, so the fits can agree
    manual = lr(solver="newton-cholesky", tol=1e-10).fit(
        np.repeat(X, k, axis=0), np.tile(classes, n), sample_weight=target.ravel()
    )
    assert_allclose(model.student_.coef_, manual.coef_, rtol=1e-8, atol=1e-10)
    assert_allclose(model.student_.intercept_, manual.intercept_, rtol=1e-8, atol=1e-10)
    # and it is not simply the hard-label model
    assert not np.allclose(model.student_.coef_, lr().fit(X, y).coef_, atol=1e-3)


@pytest.mark.parametrize("fit_strategy", ["weighted", "hard"])
@pytest.mark.parametrize("temperature", [1.0, 5.0])
def test_alpha_one_reproduces_hard_label_student(fit_strategy, temperature):
    """alpha=1 ignores the teacher: the student equals LogisticRegression on y."""
    X, y = iris()
    model = DistilledClassifier(
        small_teacher(),
        lr(),
        alpha=1.0,
        temperature=temperature,
        fit_strategy=fit_strategy,
    ).fit(X, y)
    reference = lr().fit(X, y)
    assert_allclose(
        model.predict_proba(X), reference.predict_proba(X), rtol=1e-7, atol=1e-10
    )


@pytest.mark.parametrize("temperature", [2.0, 4.0])
def test_soft_targets_bring_student_closer_to_teacher(temperature):
    """alpha=0, T>1: on held-out rows the student is closer to the teacher (KL)."""
    X, y = make_classification(
        n_samples=900,
        n_features=8,
        n_informative=5,
        n_classes=3,
        n_clusters_per_class=2,
        random_state=1,
    )
    # the teacher is trained on its own split, so its probabilities on the
    # distillation rows are as honest as on the held-out rows
    X_t, X_rest, y_t, y_rest = train_test_split(X, y, test_size=2 / 3, random_state=0)
    X_train, X_test, y_train, _ = train_test_split(
        X_rest, y_rest, test_size=0.5, random_state=0
    )
    teacher = small_teacher(n_estimators=30).fit(X_t, y_t)
    model = DistilledClassifier(
        FrozenEstimator(teacher), lr(), temperature=temperature, alpha=0.0
    ).fit(X_train, y_train)
    hard = lr().fit(X_train, y_train)

    p_teacher = teacher.predict_proba(X_test)
    p_student = model.predict_proba(X_test)
    p_hard = hard.predict_proba(X_test)
    # the raw teacher distribution
    assert mean_kl(p_teacher, p_student) < mean_kl(p_teacher, p_hard)
    # the softened teacher distribution the student was trained on, against the
    # hard student softened by the same temperature (a fair comparison)
    p_teacher_t = softmax(logits_from_proba(p_teacher), temperature)
    p_hard_t = softmax(logits_from_proba(p_hard), temperature)
    assert mean_kl(p_teacher_t, p_student) < 0.9 * mean_kl(p_teacher_t, p_hard_t)
    # the student's probabilities, sharpened back to T=1, match the teacher better
    assert mean_kl(p_teacher, sharpen(p_student, temperature)) < 0.9 * mean_kl(
        p_teacher, p_hard
    )


# -- frozen teachers ----------------------------------------------------------------


def test_frozen_teacher_is_never_refit():
    """A frozen teacher's fit is never called; teacher_ is the frozen object itself."""
    X, y = fixed_teacher_data()
    teacher = frozen_fixed_teacher(["a", "b", "c"])
    model = DistilledClassifier(teacher, lr()).fit(X, y)  # fit would raise
    assert model.teacher_ is teacher
    assert_array_equal(model.classes_, ["a", "b", "c"])


def test_frozen_prefit_model_is_left_unchanged():
    """A frozen prefit LogisticRegression keeps its coefficients and identity."""
    X, y = iris()
    X_other, y_other = blobs(n_classes=3)
    prefit = lr().fit(X[::2], y[::2])
    coef = prefit.coef_.copy()
    model = DistilledClassifier(FrozenEstimator(prefit), lr()).fit(X, y)
    assert model.teacher_.estimator is prefit
    assert_array_equal(prefit.coef_, coef)
    # refitting on other data still does not touch the teacher
    model.set_params(teacher=FrozenEstimator(prefit))
    model.fit(X_other[:, :4], y_other)
    assert_array_equal(prefit.coef_, coef)


def test_frozen_teacher_missing_a_class_of_y_raises():
    """A frozen teacher that does not know a label of y raises a ValueError."""
    X, y = fixed_teacher_data(n_labels=3)
    assert "c" in y
    model = DistilledClassifier(frozen_fixed_teacher(["a", "b"]), lr())
    with pytest.raises(ValueError, match=r"y contains \['c'\] which it does not"):
        model.fit(X, y)


@pytest.mark.parametrize(
    "order", [("a", "b", "c"), ("c", "a", "b"), ("b", "c", "a"), ("c", "b", "a")]
)
def test_frozen_teacher_class_order_does_not_matter(order):
    """Teacher columns in any class order give the same targets, in sorted order."""
    X, y = fixed_teacher_data()
    model = DistilledClassifier(
        frozen_fixed_teacher(order), RecordingSoftStudent(), temperature=2.0
    ).fit(X, y)
    assert_array_equal(model.classes_, ["a", "b", "c"])
    got = model.student_.received_
    assert_allclose(
        got["soft_targets"], scipy_softmax(X[:, :3] / 2.0, axis=1), rtol=1e-10
    )
    assert_array_equal(got["y"], np.searchsorted(["a", "b", "c"], y))
    # the teacher's argmax is y, so the student agrees with it everywhere
    assert model.training_fidelity_ == 1.0


def test_frozen_teacher_class_order_weighted_student_is_identical():
    """A weighted LogisticRegression student does not depend on the teacher's order."""
    X, y = fixed_teacher_data()
    coefs = [
        DistilledClassifier(frozen_fixed_teacher(order), lr(), alpha=0.3)
        .fit(X, y)
        .student_.coef_
        for order in [("a", "b", "c"), ("c", "a", "b")]
    ]
    assert_allclose(coefs[0], coefs[1], rtol=1e-10, atol=1e-12)


def test_frozen_teacher_extra_class_is_learned_from_soft_targets():
    """A class known to the frozen teacher but absent from y is in classes_."""
    X, y = fixed_teacher_data(n_labels=3)
    teacher = frozen_fixed_teacher(["a", "b", "c", "d"])
    model = DistilledClassifier(teacher, lr(), alpha=0.0).fit(X, y)
    assert_array_equal(model.classes_, ["a", "b", "c", "d"])
    assert_array_equal(model.student_.classes_, ["a", "b", "c", "d"])
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), 4)
    assert np.all(proba[:, 3] > 0)  # learned from the soft targets
    assert_allclose(proba.sum(axis=1), 1.0)


def test_class_unseen_by_student_has_zero_probability():
    """A class the student never saw gets a zero column in predict_proba."""
    X, y = fixed_teacher_data(n_labels=3)
    teacher = frozen_fixed_teacher(["a", "b", "c", "d"])
    model = DistilledClassifier(teacher, lr(), alpha=1.0).fit(X, y)
    assert_array_equal(model.student_.classes_, ["a", "b", "c"])
    proba = model.predict_proba(X)
    assert_array_equal(model.classes_, ["a", "b", "c", "d"])
    assert_array_equal(proba[:, 3], 0.0)
    assert_allclose(proba[:, :3], model.student_.predict_proba(X))
    assert_array_equal(model.classes_[proba.argmax(axis=1)], model.predict(X))
    with np.errstate(divide="ignore"):
        assert_array_equal(model.predict_log_proba(X), np.log(proba))


# -- labels and input types --------------------------------------------------------


@pytest.mark.parametrize(
    "labels",
    [
        np.array(["setosa", "versicolor", "virginica"]),
        np.array([-5, 10, 300]),
        np.array([300, -5, 10]),
        np.array([10.0, -1.0, 7.0]),
    ],
    ids=["strings", "gapped-ints", "gapped-ints-unsorted", "integral-floats"],
)
def test_arbitrary_labels(labels):
    """String, non-contiguous int and integral float labels come back from predict."""
    X, y_int = iris()
    y = labels[y_int]
    model = DistilledClassifier(small_teacher(), lr()).fit(X, y)
    assert_array_equal(model.classes_, np.sort(labels))
    pred = model.predict(X)
    assert set(pred.tolist()) <= set(labels.tolist())
    assert pred.dtype.kind == labels.dtype.kind
    assert np.mean(pred == y) > 0.9
    proba = model.predict_proba(X)
    assert_array_equal(model.classes_[proba.argmax(axis=1)], pred)


def test_pandas_string_series_labels():
    """A pandas Series of strings (pandas' str dtype) is a valid y."""
    X, y_int = iris()
    y = pd.Series(np.array(["x", "y", "z"])[y_int])
    model = DistilledClassifier(small_teacher(), lr()).fit(X, y)
    assert model.classes_.tolist() == ["x", "y", "z"]
    assert np.mean(model.predict(X) == y.to_numpy()) > 0.9


@pytest.mark.parametrize("n_classes", [2, 3, 4])
def test_binary_and_multiclass(n_classes):
    """Binary and multiclass fits give matching shapes for every output."""
    X, y = blobs(n_classes=n_classes, n_samples=200)
    model = DistilledClassifier(small_teacher(), lr()).fit(X, y)
    assert_array_equal(model.classes_, np.arange(n_classes))
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), n_classes)
    assert_allclose(proba.sum(axis=1), 1.0)
    decision = model.decision_function(X)
    assert decision.shape == ((len(X),) if n_classes == 2 else (len(X), n_classes))
    assert model.score(X, y) > 0.8


def test_dataframe_input_keeps_feature_names():
    """A DataFrame X sets feature_names_in_; predicting with one gives no warning."""
    X, y = load_iris(return_X_y=True, as_frame=True)
    model = DistilledClassifier(small_teacher(), lr())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, y)
        pred = model.predict(X)
        proba = model.predict_proba(X)
        model.predict_log_proba(X)
        model.decision_function(X)
        model.score(X, y)
    assert_array_equal(model.feature_names_in_, X.columns.to_numpy())
    assert model.n_features_in_ == 4
    assert_array_equal(model.student_.feature_names_in_, X.columns.to_numpy())
    # same results as with the plain array
    array_model = DistilledClassifier(small_teacher(), lr()).fit(X.to_numpy(), y)
    assert_array_equal(pred, array_model.predict(X.to_numpy()))
    assert_allclose(proba, array_model.predict_proba(X.to_numpy()), rtol=1e-6)


@pytest.mark.parametrize(
    "change",
    [
        lambda df: df.rename(columns=str.upper),
        lambda df: df[df.columns[::-1]],
    ],
    ids=["renamed", "reordered"],
)
def test_mismatched_feature_names_raise(change):
    """Predicting with renamed or reordered columns raises, as in scikit-learn."""
    X, y = load_iris(return_X_y=True, as_frame=True)
    model = DistilledClassifier(small_teacher(), lr()).fit(X, y)
    with pytest.raises(ValueError, match="feature names should match"):
        model.predict(change(X))


def _warning_messages(func, X):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        func(X)
    return [str(w.message) for w in record if issubclass(w.category, UserWarning)]


def test_feature_name_presence_mismatch_warns():
    """Fit/predict with and without feature names warns, as in scikit-learn."""
    X, y = load_iris(return_X_y=True, as_frame=True)
    model = DistilledClassifier(small_teacher(), lr()).fit(X, y)
    messages = _warning_messages(model.predict, X.to_numpy())
    assert any(
        "does not have valid feature names, but DistilledClassifier" in m
        for m in messages
    )
    model = DistilledClassifier(small_teacher(), lr()).fit(X.to_numpy(), y)
    messages = _warning_messages(model.predict, X)
    assert any("X has feature names, but DistilledClassifier" in m for m in messages)


# -- meta-estimator API ---------------------------------------------------------------


def test_pipeline_with_scaler():
    """DistilledClassifier works as the last step of a Pipeline."""
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    pipe = make_pipeline(
        StandardScaler(), DistilledClassifier(small_teacher(), lr(), temperature=2.0)
    ).fit(X_train, y_train)
    assert pipe[-1].fit_strategy_ == "weighted"
    assert pipe.score(X_test, y_test) > 0.9
    assert_allclose(pipe.predict_proba(X_test).sum(axis=1), 1.0)


@pytest.mark.slow
def test_grid_search_in_pipeline():
    """GridSearchCV (n_jobs=2) over T, alpha and student__C picks a grid point."""
    X, y = blobs(n_classes=3, n_samples=150)
    grid = {
        "distilledclassifier__temperature": [1, 4],
        "distilledclassifier__alpha": [0.0, 1.0],
        "distilledclassifier__student__C": [0.1, 1.0],
    }
    pipe = make_pipeline(StandardScaler(), DistilledClassifier(small_teacher(), lr()))
    search = GridSearchCV(pipe, grid, cv=2, n_jobs=2, error_score="raise").fit(X, y)
    assert set(search.best_params_) == set(grid)
    for name, values in grid.items():
        assert search.best_params_[name] in values
    assert len(search.cv_results_["params"]) == 8
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    best = search.best_estimator_[-1]
    assert best.temperature == search.best_params_["distilledclassifier__temperature"]
    assert best.student_.C == search.best_params_["distilledclassifier__student__C"]


def test_clone_and_nested_params():
    """clone keeps params; nested set_params reaches teacher and student."""
    X, y = iris()
    model = DistilledClassifier(small_teacher(), lr(), temperature=3.0, alpha=0.2)
    params = model.get_params(deep=True)
    assert params["teacher__n_estimators"] == 20
    assert params["student__C"] == 1.0
    assert params["temperature"] == 3.0

    cloned = clone(model)
    assert cloned.get_params()["temperature"] == 3.0
    assert cloned.teacher is not model.teacher
    assert cloned.get_params(deep=True)["teacher__n_estimators"] == 20

    cloned.set_params(teacher__n_estimators=7, student__C=0.25, alpha=0.9)
    assert cloned.teacher.n_estimators == 7
    assert cloned.student.C == 0.25
    assert model.teacher.n_estimators == 20  # the original is untouched
    cloned.fit(X, y)
    assert cloned.teacher_.n_estimators == 7
    assert cloned.teacher_.booster_.num_trees() == 7 * 3
    assert cloned.student_.C == 0.25
    assert cloned.alpha == 0.9

    fitted_clone = clone(cloned)
    assert not hasattr(fitted_clone, "student_")


def test_pickle_round_trip():
    """A pickled and unpickled model predicts identically."""
    X, y = iris()
    model = DistilledClassifier(small_teacher(), lr()).fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.predict_proba(X), model.predict_proba(X))
    assert_array_equal(restored.predict(X), model.predict(X))
    assert restored.training_fidelity_ == model.training_fidelity_


# -- sample_weight and metadata routing ------------------------------------------------


@pytest.mark.parametrize("fit_strategy", ["hard", "weighted", "native"])
def test_sample_weight_reaches_teacher_and_student(fit_strategy):
    """fit(X, y, sample_weight=w) passes w to the teacher and (per row) the student."""
    X, y = blobs()
    w = np.random.default_rng(0).integers(1, 5, size=len(y)).astype(float)
    student = (
        RecordingSoftStudent()
        if fit_strategy == "native"
        else WeightRecordingLR(max_iter=1000)
    )
    model = DistilledClassifier(
        WeightRecordingLR(max_iter=1000),
        student,
        fit_strategy=fit_strategy,
        weight_threshold=0.0,
    ).fit(X, y, sample_weight=w)
    assert_array_equal(model.teacher_.received_sample_weight_, w)
    if fit_strategy == "native":
        assert_array_equal(model.student_.received_["sample_weight"], w)
    elif fit_strategy == "hard":
        assert_array_equal(model.student_.received_sample_weight_, w)
    else:  # one expanded row per class, in row order; a row's weights sum to w
        per_row = model.student_.received_sample_weight_.reshape(len(y), 3)
        assert_allclose(per_row.sum(axis=1), w, rtol=1e-12)


@pytest.mark.parametrize("fit_strategy", ["weighted", "hard"])
def test_zero_sample_weight_equals_removing_rows(fit_strategy):
    """Rows with zero weight (frozen teacher, LogisticRegression) act as removed."""
    X, y = blobs()
    teacher = frozen_lr(X, y)
    w = np.ones(len(y))
    w[::4] = 0.0
    params = {"temperature": 2.0, "alpha": 0.3, "fit_strategy": fit_strategy}
    weighted = DistilledClassifier(teacher, lr(), **params).fit(X, y, sample_weight=w)
    removed = DistilledClassifier(teacher, lr(), **params).fit(X[w > 0], y[w > 0])
    full = DistilledClassifier(teacher, lr(), **params).fit(X, y)
    assert_allclose(weighted.student_.coef_, removed.student_.coef_, rtol=1e-8)
    assert not np.allclose(full.student_.coef_, removed.student_.coef_, rtol=1e-3)


@pytest.mark.parametrize("frozen", [True, False])
@pytest.mark.parametrize("fit_strategy", ["weighted", "hard"])
def test_integer_sample_weight_equals_repeated_rows(frozen, fit_strategy):
    """Integer weights equal repeated rows (LogisticRegression teacher and student)."""
    X, y = blobs()
    w = np.random.default_rng(1).integers(1, 4, size=len(y))
    repeat = np.repeat(np.arange(len(y)), w)

    def make():
        teacher = frozen_lr(X, y) if frozen else lr(tol=1e-10)
        return DistilledClassifier(
            teacher, lr(tol=1e-10), temperature=2.0, fit_strategy=fit_strategy
        )

    weighted = make().fit(X, y, sample_weight=w.astype(float))
    repeated = make().fit(X[repeat], y[repeat])
    unweighted = make().fit(X, y)
    if not frozen:
        assert_allclose(weighted.teacher_.coef_, repeated.teacher_.coef_, rtol=1e-6)
    assert_allclose(weighted.student_.coef_, repeated.student_.coef_, rtol=1e-6)
    assert not np.allclose(
        unweighted.student_.coef_, repeated.student_.coef_, rtol=1e-3
    )


def test_sample_weight_with_teacher_without_sample_weight_raises():
    """A teacher whose fit lacks sample_weight raises a ValueError naming it."""
    X, y = blobs()
    model = DistilledClassifier(KNeighborsClassifier(), lr())
    with pytest.raises(ValueError, match="teacher KNeighborsClassifier"):
        model.fit(X, y, sample_weight=np.ones(len(y)))
    # without sample_weight, the same teacher is fine
    model.fit(X, y)


def test_sample_weight_with_frozen_teacher_without_sample_weight_is_fine():
    """A frozen teacher is not fit, so its fit signature does not matter."""
    X, y = fixed_teacher_data()
    w = np.linspace(1, 2, len(y))
    model = DistilledClassifier(
        frozen_fixed_teacher(["a", "b", "c"]), WeightRecordingLR(), fit_strategy="hard"
    ).fit(X, y, sample_weight=w)
    assert_array_equal(model.student_.received_sample_weight_, w)


def test_sample_weight_with_student_without_sample_weight_raises():
    """The 'hard' strategy with sample_weight and a student lacking it raises."""
    X, y = blobs()
    model = DistilledClassifier(lr(), KNeighborsClassifier(), fit_strategy="hard")
    with pytest.raises(ValueError, match="student KNeighborsClassifier"):
        model.fit(X, y, sample_weight=np.ones(len(y)))


def test_sample_weight_reaches_pipeline_teacher():
    """sample_weight reaches the final step of a Pipeline teacher."""
    X, y = blobs()
    w = np.linspace(1, 3, len(y))
    teacher = make_pipeline(StandardScaler(), WeightRecordingLR(max_iter=1000))
    model = DistilledClassifier(teacher, lr()).fit(X, y, sample_weight=w)
    assert_array_equal(model.teacher_[-1].received_sample_weight_, w)


def test_extra_fit_params_without_routing_raise():
    """Without metadata routing, fit params other than sample_weight raise."""
    X, y = blobs()
    model = DistilledClassifier(WeightRecordingLR(), WeightRecordingLR())
    with pytest.raises(ValueError, match="enable_metadata_routing=True"):
        model.fit(X, y, row_ids=np.arange(len(y)))


@pytest.mark.parametrize("fit_strategy", ["hard", "weighted"])
@pytest.mark.parametrize(
    "teacher_requests, student_requests",
    [(True, False), (False, True), (True, True)],
)
def test_metadata_routing_sends_sample_weight_where_requested(
    fit_strategy, teacher_requests, student_requests
):
    """With routing, sample_weight reaches only the sub-estimators requesting it."""
    X, y = blobs()
    w = np.random.default_rng(0).integers(1, 5, size=len(y)).astype(float)
    with sklearn.config_context(enable_metadata_routing=True):
        teacher = WeightRecordingLR(max_iter=1000).set_fit_request(
            sample_weight=teacher_requests
        )
        student = WeightRecordingLR(max_iter=1000).set_fit_request(
            sample_weight=student_requests
        )
        model = DistilledClassifier(
            teacher, student, fit_strategy=fit_strategy, weight_threshold=0.0
        ).fit(X, y, sample_weight=w)
    got_teacher = model.teacher_.received_sample_weight_
    got_student = model.student_.received_sample_weight_
    if teacher_requests:
        assert_array_equal(got_teacher, w)
    else:
        assert got_teacher is None
    expected_student = w if student_requests else None
    if fit_strategy == "hard":
        if expected_student is None:
            assert got_student is None
        else:
            assert_array_equal(got_student, expected_student)
    else:  # the expansion weights of a row sum to its sample weight, or to 1
        per_row = got_student.reshape(len(y), 3).sum(axis=1)
        expected = np.ones(len(y)) if expected_student is None else w
        assert_allclose(per_row, expected, rtol=1e-12)


def test_metadata_routing_unset_request_raises():
    """With routing, sample_weight and unset requests raise per sklearn convention."""
    X, y = blobs()
    with sklearn.config_context(enable_metadata_routing=True):
        model = DistilledClassifier(WeightRecordingLR(), WeightRecordingLR())
        with pytest.raises(UnsetMetadataPassedError, match=r"\[sample_weight\]"):
            model.fit(X, y, sample_weight=np.ones(len(y)))


def test_metadata_routing_unrequested_metadata_raises():
    """With routing, metadata nobody requested is an error, as in scikit-learn."""
    X, y = blobs()
    with sklearn.config_context(enable_metadata_routing=True):
        model = DistilledClassifier(
            WeightRecordingLR().set_fit_request(sample_weight=False),
            WeightRecordingLR().set_fit_request(sample_weight=False),
        )
        with pytest.raises(TypeError, match="not routed to any object"):
            model.fit(X, y, sample_weight=np.ones(len(y)))


def test_metadata_routing_frozen_teacher_is_not_routed():
    """With routing, a frozen teacher is skipped; the student gets the weights."""
    X, y = fixed_teacher_data()
    w = np.linspace(1, 2, len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        student = WeightRecordingLR().set_fit_request(sample_weight=True)
        model = DistilledClassifier(
            frozen_fixed_teacher(["a", "b", "c"]), student, fit_strategy="hard"
        ).fit(X, y, sample_weight=w)
        routing = model.get_metadata_routing()
    assert_array_equal(model.student_.received_sample_weight_, w)
    assert "teacher" not in str(routing)
    assert "student" in str(routing)
    unfrozen = DistilledClassifier(WeightRecordingLR(), WeightRecordingLR())
    assert "teacher" in str(unfrozen.get_metadata_routing())


def test_metadata_routing_expands_sample_aligned_params():
    """A routed per-row fit param is repeated along with the expanded rows."""
    X, y = blobs()
    with sklearn.config_context(enable_metadata_routing=True):
        model = DistilledClassifier(
            WeightRecordingLR().set_fit_request(row_ids=False),
            WeightRecordingLR().set_fit_request(row_ids=True),
            fit_strategy="weighted",
        ).fit(X, y, row_ids=np.arange(len(y)))
    assert model.teacher_.received_row_ids_ is None
    row_ids = np.asarray(model.student_.received_row_ids_)
    assert len(row_ids) == len(model.student_.received_X_) > len(y)
    assert_array_equal(model.student_.received_X_, X[row_ids])


def test_metadata_routing_pipeline_student_without_user_metadata():
    """With routing on, a Pipeline student fits when the user passes no metadata."""
    X, y = iris()
    student = make_pipeline(StandardScaler(), lr())
    with sklearn.config_context(enable_metadata_routing=True):
        model = DistilledClassifier(small_teacher(), student).fit(X, y)
    assert model.fit_strategy_ == "weighted"
    assert model.score(X, y) > 0.9


# -- invalid input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, match",
    [
        ({"temperature": 0}, "'temperature' parameter"),
        ({"temperature": -1.0}, "'temperature' parameter"),
        ({"alpha": -0.1}, "'alpha' parameter"),
        ({"alpha": 1.5}, "'alpha' parameter"),
        ({"fit_strategy": "soft"}, "'fit_strategy' parameter"),
        ({"teacher_output": "proba"}, "'teacher_output' parameter"),
        ({"weight_threshold": 1.0}, "'weight_threshold' parameter"),
        ({"student": StandardScaler()}, "'student' parameter"),
        ({"teacher": "lightgbm"}, "'teacher' parameter"),
    ],
)
def test_invalid_parameters_raise(params, match):
    """Out-of-range or wrongly typed parameters raise a ValueError at fit."""
    X, y = iris()
    model = DistilledClassifier(small_teacher(), lr()).set_params(**params)
    with pytest.raises(ValueError, match=match):
        model.fit(X, y)


def test_teacher_without_probabilities_raises():
    """A teacher with neither predict_proba nor decision_function raises."""
    X, y = iris()
    model = DistilledClassifier(LabelOnlyTeacher(), lr())
    with pytest.raises(ValueError, match="neither predict_proba nor decision_function"):
        model.fit(X, y)


def test_teacher_output_method_missing_raises():
    """teacher_output naming a method the teacher lacks raises a ValueError."""
    X, y = iris()
    teacher = RandomForestClassifier(n_estimators=5, random_state=0)
    model = DistilledClassifier(teacher, lr(), teacher_output="decision_function")
    with pytest.raises(
        ValueError, match="RandomForestClassifier has no decision_function method"
    ):
        model.fit(X, y)


def test_single_class_raises():
    """y with a single class raises a ValueError mentioning 'one class'."""
    X, _ = iris()
    with pytest.raises(ValueError, match="one class"):
        DistilledClassifier(small_teacher(), lr()).fit(X, np.zeros(len(X), dtype=int))


def test_inconsistent_lengths_raise():
    """X and y of different lengths raise a ValueError."""
    X, y = iris()
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        DistilledClassifier(small_teacher(), lr()).fit(X, y[:-1])


def test_nan_with_logistic_student_raises_with_imputer_hint():
    """NaN in X with a LogisticRegression student raises, suggesting an imputer."""
    X, y = iris()
    X[::10, 1] = np.nan
    model = DistilledClassifier(small_teacher(), lr())
    with pytest.raises(ValueError, match=r"NaN.*LogisticRegression.*imputer"):
        model.fit(X, y)


def test_nan_with_nan_tolerant_teacher_and_student():
    """NaN in X is fine with a LightGBM teacher and HistGradientBoosting student."""
    X, y = iris()
    X[::10, 1] = np.nan
    student = HistGradientBoostingClassifier(max_iter=20, random_state=0)
    model = DistilledClassifier(small_teacher(), student).fit(X, y)
    assert model.fit_strategy_ == "weighted"
    proba = model.predict_proba(X)
    assert np.all(np.isfinite(proba))
    assert_allclose(proba.sum(axis=1), 1.0)
    assert model.score(X, y) > 0.9


def test_nan_with_imputing_pipeline_student():
    """NaN in X is fine when the student Pipeline starts with an imputer."""
    X, y = iris()
    X[::10, 1] = np.nan
    student = make_pipeline(SimpleImputer(), lr())
    model = DistilledClassifier(small_teacher(), student).fit(X, y)
    assert model.score(X, y) > 0.9


def test_caller_arrays_are_not_modified():
    """fit and predict leave the caller's X, y and sample_weight unchanged."""
    X, y = iris()
    w = np.linspace(0.5, 2.0, len(y))
    X_before, y_before, w_before = X.copy(), y.copy(), w.copy()
    model = DistilledClassifier(small_teacher(), lr()).fit(X, y, sample_weight=w)
    model.predict_proba(X)
    model.predict(X)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)
    assert_array_equal(w, w_before)


def test_caller_dataframe_is_not_modified():
    """fit leaves the caller's DataFrame and Series unchanged."""
    X, y = load_iris(return_X_y=True, as_frame=True)
    X_before, y_before = X.copy(), y.copy()
    DistilledClassifier(small_teacher(), lr()).fit(X, y).predict(X)
    pd.testing.assert_frame_equal(X, X_before)
    pd.testing.assert_series_equal(y, y_before)


# -- prediction API --------------------------------------------------------------------


def test_predict_proba_follows_classes():
    """predict_proba rows sum to 1, columns follow classes_, argmax is predict."""
    X, y_int = iris()
    y = np.array(["c", "a", "b"])[y_int]
    model = DistilledClassifier(small_teacher(), lr(), alpha=0.2).fit(X, y)
    proba = model.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert np.all(proba >= 0)
    assert_array_equal(model.classes_[proba.argmax(axis=1)], model.predict(X))
    for k, label in enumerate(model.classes_):
        column = list(model.student_.classes_).index(label)
        assert_allclose(proba[:, k], model.student_.predict_proba(X)[:, column])


def test_predict_log_proba_is_log_of_predict_proba():
    """predict_log_proba == log(predict_proba)."""
    X, y = iris()
    model = DistilledClassifier(small_teacher(), lr()).fit(X, y)
    assert_allclose(
        model.predict_log_proba(X), np.log(model.predict_proba(X)), rtol=1e-12
    )


def test_decision_function_delegates_to_student():
    """decision_function exists for a LogisticRegression student and delegates."""
    X, y = iris()
    model = DistilledClassifier(small_teacher(), lr())
    assert hasattr(model, "decision_function")
    model.fit(X, y)
    assert_allclose(model.decision_function(X), model.student_.decision_function(X))


def test_decision_function_absent_for_tree_student():
    """A student without decision_function hides it, before and after fit."""
    X, y = iris()
    model = DistilledClassifier(
        small_teacher(), DecisionTreeClassifier(max_depth=3, random_state=0)
    )
    assert not hasattr(model, "decision_function")
    model.fit(X, y)
    assert not hasattr(model, "decision_function")
    assert hasattr(model, "predict_proba")


def test_predict_proba_absent_for_student_without_it():
    """A LinearSVC student hides predict_proba and predict_log_proba; predict works."""
    X, y = blobs()
    model = DistilledClassifier(
        small_teacher(), LinearSVC(random_state=0), fit_strategy="weighted"
    )
    assert not hasattr(model, "predict_proba")
    model.fit(X, y)
    assert model.fit_strategy_ == "weighted"
    assert not hasattr(model, "predict_proba")
    assert not hasattr(model, "predict_log_proba")
    assert hasattr(model, "decision_function")
    assert model.score(X, y) > 0.8
