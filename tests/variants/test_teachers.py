"""Tests of TeacherEnsemble, and of scikit-learn's ensembles as teachers."""

import re
from functools import cache

import joblib
import numpy as np
import pandas as pd
import pytest
import sklearn
from _helpers import CountingTeacher
from lightgbm import LGBMClassifier
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import make_column_transformer
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    StackingClassifier,
    StackingRegressor,
    VotingClassifier,
    VotingRegressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdistill import DistilledClassifier, DistilledRegressor, TeacherEnsemble
from skdistill.soft_targets import logits_from_decision, logits_from_proba, softmax
from skdistill.variants._teachers import average_logits, average_probabilities

pytestmark = pytest.mark.usefixtures("one_thread_per_library")


# -- data and helpers ------------------------------------------------------------
@cache
def _blobs(n_classes, n_samples):
    return make_classification(
        n_samples=n_samples,
        n_features=6,
        n_informative=4,
        n_redundant=0,
        n_classes=n_classes,
        n_clusters_per_class=1,
        random_state=0,
    )


def blobs(n_classes=3, n_samples=150):
    X, y = _blobs(n_classes, n_samples)
    return X.copy(), y.copy()


def lgbm(**params):
    params = {
        "n_estimators": 15,
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


def members():
    return [("lgbm", lgbm()), ("lr", make_pipeline(StandardScaler(), lr()))]


class RecordingSoftStudent(ClassifierMixin, BaseEstimator):
    """A native student that records its soft targets and predicts the class
    of the nearest training row's target (to give the distiller a predict)."""

    def fit(self, X, y):
        raise AssertionError("a native student is fit by fit_soft_targets")

    def fit_soft_targets(
        self, X, y, soft_targets, *, classes, temperature, alpha, sample_weight=None
    ):
        self.soft_targets_ = np.asarray(soft_targets).copy()
        self.classes_ = np.asarray(classes)
        self.X_ = np.asarray(X, dtype=float)
        return self

    def predict_proba(self, X):
        X = np.asarray(X, dtype=float)
        distance = ((X[:, None, :] - self.X_[None, :, :]) ** 2).sum(axis=2)
        return self.soft_targets_[distance.argmin(axis=1)]

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class WeightRecordingLR(LogisticRegression):
    """LogisticRegression recording the sample_weight it got."""

    def fit(self, X, y, sample_weight=None):
        self.received_sample_weight_ = sample_weight
        return super().fit(X, y, sample_weight=sample_weight)


class NoFit:
    """Has predict_proba but no fit."""

    def predict_proba(self, X):
        return np.full((len(X), 2), 0.5)


class NoClasses(ClassifierMixin, BaseEstimator):
    """A classifier that forgets to set classes_."""

    def fit(self, X, y):
        return self

    def predict_proba(self, X):
        return np.full((len(X), 2), 0.5)


def soft_targets_of(teacher, X, y, **params):
    """The soft targets a DistilledClassifier computes with this teacher."""
    model = DistilledClassifier(teacher, RecordingSoftStudent(), **params).fit(X, y)
    return model.student_.soft_targets_


# -- scikit-learn's checks -------------------------------------------------------
_LIGHTGBM_MEMBER = (
    "A LightGBM member fit on weighted rows is not the one fit on repeated rows: "
    "LightGBM counts rows in min_data_in_leaf and in feature binning (the same "
    "checks pass with LogisticRegression and GaussianNB members, above)."
)


def _expected_failed_checks(estimator):
    if isinstance(estimator, TeacherEnsemble) and any(
        isinstance(m, LGBMClassifier) for _, m in estimator.teachers
    ):
        return {
            "check_sample_weight_equivalence_on_dense_data": _LIGHTGBM_MEMBER,
            "check_sample_weight_equivalence_on_sparse_data": _LIGHTGBM_MEMBER,
        }
    return {}


@parametrize_with_checks(
    [
        TeacherEnsemble(
            [
                ("lr", LogisticRegression()),
                ("nb", GaussianNB()),
            ]
        ),
        TeacherEnsemble(
            [
                ("lgbm", lgbm(n_estimators=5, num_leaves=4, min_child_samples=1)),
                ("lr", LogisticRegression()),
            ],
            average="logit",
            weights=[2, 1],
        ),
        DistilledClassifier(
            teacher=TeacherEnsemble(
                [
                    ("lr", LogisticRegression()),
                    ("nb", GaussianNB()),
                ],
                average="logit",
            ),
            student=LogisticRegression(),
        ),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# -- the math --------------------------------------------------------------------
def test_average_probabilities_is_the_weighted_mean():
    """p = sum_m w_m p_m / sum_m w_m, row by row."""
    probas = [[[0.9, 0.1], [0.5, 0.5]], [[0.3, 0.7], [0.1, 0.9]]]
    assert_allclose(
        average_probabilities(probas, [3, 1]), [[0.75, 0.25], [0.4, 0.6]], rtol=1e-12
    )
    assert_allclose(average_probabilities(probas), [[0.6, 0.4], [0.3, 0.7]])


def test_average_logits_is_a_normalized_geometric_mean():
    """softmax of the mean of log p is prod p_m^(w_m/W), renormalized."""
    probas = np.array([[[0.9, 0.1]], [[0.3, 0.7]]])
    weights = np.array([3.0, 1.0])
    proba = softmax(average_logits(np.log(probas), weights))
    geometric = np.prod(probas ** (weights / weights.sum())[:, None, None], axis=0)
    assert_allclose(proba, geometric / geometric.sum(axis=1, keepdims=True))
    # A member's probability of 0 (its logit log(tiny)) vetoes the class,
    # where the mean of the probabilities gives it 0.25.
    members = [logits_from_proba([[1.0, 0.0]]), logits_from_proba([[0.5, 0.5]])]
    assert softmax(average_logits(members))[0, 1] < 1e-150


# -- average="proba" is VotingClassifier(voting="soft") --------------------------
@pytest.mark.parametrize("weights", [None, [2.0, 1.0]])
def test_proba_average_equals_soft_voting(weights):
    """Same probabilities and predictions, bit for bit."""
    X, y = blobs()
    ensemble = TeacherEnsemble(members(), weights=weights).fit(X, y)
    voting = VotingClassifier(members(), voting="soft", weights=weights).fit(X, y)
    assert_array_equal(ensemble.predict_proba(X), voting.predict_proba(X))
    assert_array_equal(ensemble.predict(X), voting.predict(X))
    assert_array_equal(ensemble.classes_, voting.classes_)


def test_proba_average_gives_the_soft_targets_of_soft_voting():
    """A distiller computes the same soft targets from both teachers, exactly."""
    X, y = blobs()
    weights = [1.0, 3.0]
    ours = soft_targets_of(
        TeacherEnsemble(members(), weights=weights), X, y, temperature=2.0
    )
    theirs = soft_targets_of(
        VotingClassifier(members(), voting="soft", weights=weights),
        X,
        y,
        temperature=2.0,
    )
    assert_array_equal(ours, theirs)


def test_drop_leaves_a_member_out_as_voting_does():
    """'drop' removes a member; the weights still count it (as VotingClassifier)."""
    X, y = blobs()
    teachers = [*members(), ("tree", DecisionTreeClassifier(max_depth=2))]
    ensemble = TeacherEnsemble(teachers, weights=[1, 2, 5]).set_params(tree="drop")
    ensemble.fit(X, y)
    voting = VotingClassifier(teachers, voting="soft", weights=[1, 2, 5])
    voting.set_params(tree="drop").fit(X, y)
    assert_array_equal(ensemble.predict_proba(X), voting.predict_proba(X))
    assert ensemble.named_estimators_["tree"] == "drop"
    assert len(ensemble.estimators_) == 2


# -- average="logit" -------------------------------------------------------------
def test_logit_average_is_the_softmax_of_the_members_mean_logits():
    """predict_proba = softmax(sum w_m log p_m / W); decision_function its logits."""
    X, y = blobs()
    ensemble = TeacherEnsemble(members(), weights=[1, 3], average="logit").fit(X, y)
    logits = [logits_from_proba(m.predict_proba(X)) for m in ensemble.estimators_]
    expected = softmax((logits[0] + 3 * logits[1]) / 4)
    assert_allclose(ensemble.predict_proba(X), expected, rtol=1e-12)
    assert_allclose(softmax(ensemble.decision_function(X)), expected, rtol=1e-12)
    assert_array_equal(ensemble.predict(X), expected.argmax(axis=1))


def test_a_member_without_predict_proba_is_read_by_its_decision_function():
    """A LinearSVC's margins are its logits ([0, d] when binary), in both spaces."""
    X, y = blobs(n_classes=2)
    teachers = [("lr", lr()), ("svm", LinearSVC())]
    for average in ("logit", "proba"):
        ensemble = TeacherEnsemble(teachers, average=average).fit(X, y)
        log_reg, svm = ensemble.estimators_
        p_lr = log_reg.predict_proba(X)
        z_svm = logits_from_decision(svm.decision_function(X))
        if average == "logit":
            expected = softmax((logits_from_proba(p_lr) + z_svm) / 2)
        else:
            expected = (p_lr + softmax(z_svm)) / 2
        assert_allclose(ensemble.predict_proba(X), expected, rtol=1e-12)


def test_binary_decision_function_is_the_log_odds():
    """Two classes: one score per row, the sigmoid of which is the second
    class's probability."""
    X, y = blobs(n_classes=2)
    for average in ("logit", "proba"):
        ensemble = TeacherEnsemble(members(), average=average).fit(X, y)
        scores = ensemble.decision_function(X)
        assert scores.shape == (X.shape[0],)
        assert_allclose(
            1 / (1 + np.exp(-scores)), ensemble.predict_proba(X)[:, 1], rtol=1e-9
        )


def test_the_distiller_reads_an_ensemble_by_either_method():
    """teacher_output='decision_function' reads the averaged logits: same targets."""
    X, y = blobs()
    ensemble = TeacherEnsemble(members(), average="logit")
    by_proba = soft_targets_of(ensemble, X, y, temperature=3.0)
    by_logits = soft_targets_of(
        ensemble, X, y, temperature=3.0, teacher_output="decision_function"
    )
    assert_allclose(by_proba, by_logits, rtol=1e-10)


# -- quality ---------------------------------------------------------------------
def _complementary_data(n_samples=1200, seed=0):
    """Ten small linear effects (a logistic regression's strength) plus an
    interaction of two features (a boosted model's)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 12))
    z = X[:, :10] @ np.full(10, 0.3) + 0.7 * np.sign(X[:, 10] * X[:, 11])
    y = (z + 0.3 * rng.logistic(size=n_samples) > 0).astype(int)
    return train_test_split(X, y, test_size=0.5, random_state=0, stratify=y)


@pytest.mark.parametrize("average", ["proba", "logit"])
def test_complementary_teachers_average_into_a_better_teacher(average):
    """Held out, the ensemble of a LightGBM and a logistic regression beats both.

    Measured log-losses: LightGBM 0.489, logistic regression 0.487,
    ensemble 0.467 ("proba") and 0.468 ("logit").
    """
    X_train, X_test, y_train, y_test = _complementary_data()
    boosted = lgbm(n_estimators=100, learning_rate=0.1, min_child_samples=10)
    linear = make_pipeline(StandardScaler(), lr())
    ensemble = TeacherEnsemble(
        [("lgbm", boosted), ("lr", linear)], average=average
    ).fit(X_train, y_train)
    losses = [log_loss(y_test, m.predict_proba(X_test)) for m in ensemble.estimators_]
    ours = log_loss(y_test, ensemble.predict_proba(X_test))
    assert ours < min(losses) - 0.01


# -- fitting: members, frozen members, classes -----------------------------------
def test_members_are_cloned_and_the_parameters_left_as_given():
    """fit fits clones; the estimators the user passed stay unfitted."""
    X, y = blobs()
    teachers = members()
    ensemble = TeacherEnsemble(teachers).fit(X, y)
    assert not hasattr(teachers[0][1], "classes_")
    assert ensemble.teachers is teachers
    assert ensemble.estimators_[0] is not teachers[0][1]
    assert list(ensemble.named_estimators_) == ["lgbm", "lr"]


@pytest.mark.usefixtures("fresh_counts")
def test_frozen_members_are_used_as_they_are():
    """A prefit member is never refit; the others are fit once."""
    X, y = blobs()
    prefit = lgbm().fit(X[:100], y[:100])
    frozen = FrozenEstimator(prefit)
    ensemble = TeacherEnsemble([("lgbm", frozen), ("count", CountingTeacher())])
    ensemble.fit(X, y)
    assert ensemble.estimators_[0] is frozen
    assert CountingTeacher.n_fits == 1
    assert_allclose(
        ensemble.predict_proba(X),
        (prefit.predict_proba(X) + ensemble.estimators_[1].predict_proba(X)) / 2,
    )


@pytest.mark.usefixtures("fresh_counts")
def test_teacher_cv_refits_the_unfrozen_members_per_fold_only():
    """With teacher_cv=3: the unfrozen member is fit 1 + 3 times, the frozen never,
    and the out-of-fold soft targets are those of the fold ensembles."""
    X, y = blobs()
    frozen = FrozenEstimator(lr().fit(X, y))
    ensemble = TeacherEnsemble([("frozen", frozen), ("count", CountingTeacher())])
    model = DistilledClassifier(ensemble, lr(), teacher_cv=3).fit(X, y)
    assert CountingTeacher.n_fits == 4
    assert model.teacher_.estimators_[0] is frozen


def test_frozen_members_only():
    """Every member frozen: nothing is fit, and the classes are theirs."""
    X, y = blobs()
    a, b = lr().fit(X, y), lgbm().fit(X, y)
    ensemble = TeacherEnsemble(
        [("a", FrozenEstimator(a)), ("b", FrozenEstimator(b))]
    ).fit(X[:40], y[:40])
    assert_array_equal(ensemble.classes_, [0, 1, 2])
    assert_allclose(
        ensemble.predict_proba(X), (a.predict_proba(X) + b.predict_proba(X)) / 2
    )


def test_members_that_disagree_on_the_classes_are_an_error():
    """A frozen member that knows another set of classes than y."""
    X, y = blobs()
    frozen = FrozenEstimator(lr().fit(X[y < 2], y[y < 2]))
    ensemble = TeacherEnsemble([("lr", lr()), ("frozen", frozen)])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "The teachers of the TeacherEnsemble disagree on the classes: the "
            "frozen teacher 'frozen' knows [0, 1], the teachers fit on y (the "
            "labels of y) [0, 1, 2]. Every teacher must know the same classes"
        ),
    ):
        ensemble.fit(X, y)
    two_frozen = TeacherEnsemble(
        [("all", FrozenEstimator(lr().fit(X, y))), ("frozen", frozen)]
    )
    with pytest.raises(
        ValueError,
        match=re.escape(
            "the frozen teacher 'frozen' knows [0, 1], the teacher 'all' [0, 1, 2]."
        ),
    ):
        two_frozen.fit(X, y)


def test_frozen_members_that_do_not_know_a_class_of_y():
    X, y = blobs()
    frozen = FrozenEstimator(lr().fit(X[y < 2], y[y < 2]))
    with pytest.raises(ValueError, match=re.escape("but y contains [2]")):
        TeacherEnsemble([("frozen", frozen)]).fit(X, y)


def test_a_frozen_member_reading_columns_by_position_is_checked():
    """A prefit LightGBM member gets X's columns checked, as a frozen teacher does."""
    X, y = blobs()
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(6)])
    frozen = FrozenEstimator(lgbm().fit(frame, y))
    with pytest.raises(ValueError, match=re.escape("but in another order: column 0")):
        TeacherEnsemble([("lgbm", frozen)]).fit(frame[frame.columns[::-1]], y)


def test_n_jobs_fits_the_members_in_parallel_with_the_same_result():
    """Two workers (threads: processes take seconds to start) fit the members."""
    X, y = blobs()
    one = TeacherEnsemble(members(), average="logit").fit(X, y)
    with joblib.parallel_config(backend="threading"):
        two = TeacherEnsemble(members(), average="logit", n_jobs=2).fit(X, y)
    assert_array_equal(one.predict_proba(X), two.predict_proba(X))


def test_a_lightgbm_member_keeps_its_unset_n_jobs():
    """The thread limit of the fit gives n_jobs=None back to the fitted member."""
    X, y = blobs()
    ensemble = TeacherEnsemble([("lgbm", lgbm(n_jobs=None)), ("lr", lr())]).fit(X, y)
    assert ensemble.estimators_[0].get_params()["n_jobs"] is None


# -- inputs ----------------------------------------------------------------------
def test_dataframe_with_strings_reaches_the_members_as_is():
    """A Pipeline member with a ColumnTransformer encodes a string column."""
    X, y = blobs(n_classes=2)
    frame = pd.DataFrame(X[:, :3], columns=["a", "b", "c"])
    frame["color"] = np.where(X[:, 3] > 0, "red", "blue")
    encoded = make_pipeline(
        make_column_transformer(
            (OneHotEncoder(), ["color"]), remainder=StandardScaler()
        ),
        lr(),
    )
    ensemble = TeacherEnsemble(
        [
            ("encoded", encoded),
            (
                "tree",
                make_pipeline(clone(encoded[0]), DecisionTreeClassifier(max_depth=3)),
            ),
        ],
        average="logit",
    ).fit(frame, y)
    assert_array_equal(ensemble.feature_names_in_, ["a", "b", "c", "color"])
    assert ensemble.score(frame, y) > 0.8
    model = DistilledClassifier(ensemble, clone(encoded)).fit(frame, y)
    assert model.predict(frame).shape == y.shape


def test_string_labels_and_many_tiny_classes():
    """String labels; 12 classes of 3 to 14 rows each."""
    rng = np.random.default_rng(0)
    counts = np.arange(3, 15)
    y = np.repeat([f"class-{k:02d}" for k in range(counts.size)], counts)
    centers = np.repeat(np.arange(counts.size), counts)[:, None]
    X = rng.normal(size=(y.size, 4)) + centers
    linear = make_pipeline(StandardScaler(), lr(C=0.1))
    ensemble = TeacherEnsemble(
        [("lgbm", lgbm(min_child_samples=2)), ("lr", linear)], average="logit"
    )
    model = DistilledClassifier(ensemble, DecisionTreeClassifier(max_depth=5)).fit(X, y)
    assert_array_equal(model.teacher_.classes_, np.unique(y))
    assert_array_equal(model.classes_, np.unique(y))
    assert model.predict_proba(X).shape == (y.size, 12)
    assert model.score(X, y) > 0.5


def test_missing_values_pass_when_every_member_takes_them():
    """NaN reaches LightGBM and HistGradientBoosting members; a logistic
    regression member makes the ensemble refuse it."""
    X, y = blobs()
    X[::7, 0] = np.nan
    takes_nan = TeacherEnsemble(
        [("lgbm", lgbm()), ("hgb", HistGradientBoostingClassifier(max_iter=10))]
    ).fit(X, y)
    assert np.isfinite(takes_nan.predict_proba(X)).all()
    with pytest.raises(ValueError, match=re.escape("Input X contains NaN")):
        TeacherEnsemble(members()).fit(X, y)


def test_a_frozen_ensemble_is_a_prefit_teacher():
    """A fitted TeacherEnsemble in a FrozenEstimator: its own soft targets."""
    X, y = blobs()
    ensemble = TeacherEnsemble(members(), average="logit").fit(X, y)
    targets = soft_targets_of(FrozenEstimator(ensemble), X, y, temperature=1.0)
    assert_allclose(targets, ensemble.predict_proba(X), rtol=1e-10)


def test_sample_weight_goes_to_every_member_that_is_fit():
    X, y = blobs()
    weight = np.linspace(0.5, 2.0, y.size)
    frozen = FrozenEstimator(lr().fit(X, y))
    ensemble = TeacherEnsemble([("a", WeightRecordingLR()), ("frozen", frozen)]).fit(
        X, y, sample_weight=weight
    )
    assert_array_equal(ensemble.estimators_[0].received_sample_weight_, weight)
    # Through a distiller, to a Pipeline member's steps.
    piped = TeacherEnsemble(
        [("p", make_pipeline(StandardScaler(), WeightRecordingLR()))]
    )
    model = DistilledClassifier(piped, lr()).fit(X, y, sample_weight=weight)
    fitted = model.teacher_.estimators_[0][-1]
    assert_array_equal(fitted.received_sample_weight_, weight)


def test_sample_weight_and_a_member_that_cannot_take_it():
    X, y = blobs()
    ensemble = TeacherEnsemble([("lr", lr()), ("knn", KNeighborsClassifier())])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "sample_weight was given but the teacher 'knn' (KNeighborsClassifier) "
            "does not accept sample_weight in fit"
        ),
    ):
        ensemble.fit(X, y, sample_weight=np.ones(y.size))


def test_metadata_routing_sends_weights_to_the_members_that_request_them():
    X, y = blobs()
    weight = np.linspace(0.5, 2.0, y.size)
    with sklearn.config_context(enable_metadata_routing=True):
        ensemble = TeacherEnsemble(
            [
                ("asks", WeightRecordingLR().set_fit_request(sample_weight=True)),
                ("declines", WeightRecordingLR().set_fit_request(sample_weight=False)),
                ("knn", KNeighborsClassifier()),
            ]
        )
        model = DistilledClassifier(
            ensemble, lr().set_fit_request(sample_weight=True)
        ).fit(X, y, sample_weight=weight)
    asks, declines, _ = model.teacher_.estimators_
    assert_array_equal(asks.received_sample_weight_, weight)
    assert declines.received_sample_weight_ is None


# -- memory and searches ---------------------------------------------------------
@pytest.mark.usefixtures("fresh_counts")
def test_memory_hits_and_misses_when_a_member_changes(tmp_path):
    """The cache key covers the members: a member's parameter change misses."""
    X, y = blobs()
    ensemble = TeacherEnsemble([("count", CountingTeacher()), ("lr", lr())])
    model = DistilledClassifier(ensemble, lr(), memory=str(tmp_path))
    first = model.fit(X, y).predict_proba(X)
    assert CountingTeacher.n_fits == 1
    second = clone(model).set_params(temperature=3.0).fit(X, y)
    assert CountingTeacher.n_fits == 1  # a hit: the temperature is not in the key
    assert not np.array_equal(first, second.predict_proba(X))
    clone(model).set_params(teacher__count__C=0.1).fit(X, y)
    assert CountingTeacher.n_fits == 2  # a miss
    clone(model).set_params(teacher__average="logit").fit(X, y)
    assert CountingTeacher.n_fits == 3


def test_grid_search_over_the_average_weights_and_members():
    """teacher__average, teacher__weights and teacher__<name> are searchable."""
    X, y = blobs()
    search = GridSearchCV(
        DistilledClassifier(TeacherEnsemble(members()), lr()),
        {
            "teacher__average": ["proba", "logit"],
            "teacher__weights": [None, [1, 3]],
            "teacher__lr": ["drop", make_pipeline(StandardScaler(), lr())],
        },
        cv=2,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 8
    assert search.best_estimator_.teacher_.average in ("proba", "logit")


# -- errors ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "teachers, message",
    [
        ([], "teachers must be a non-empty list of (name, estimator) tuples"),
        ([lr()], "teachers must be a non-empty list of (name, estimator) tuples"),
        ([("a", "drop")], "Every teacher of the TeacherEnsemble is 'drop'"),
        (
            [("a", lr()), ("a", lr())],
            "Names provided are not unique: ['a', 'a']",
        ),
        (
            [("a", Ridge())],
            "The teacher 'a' (Ridge) has neither predict_proba nor "
            "decision_function, so it cannot give soft targets.",
        ),
        (
            [("a", FrozenEstimator(lr()))],
            "The teacher 'a' is wrapped in FrozenEstimator but is not fitted.",
        ),
        (
            [("a", NoFit())],
            "The teacher 'a' (NoFit) has no fit method; each teacher must be a "
            "classifier, a FrozenEstimator of a fitted one, or 'drop'.",
        ),
        (
            [("a", NoClasses())],
            "The teacher 'a' (NoClasses) has no classes_ once fitted; each "
            "teacher must be a classifier.",
        ),
        (
            [("weights", lr())],
            "Estimator names conflict with constructor arguments: ['weights']",
        ),
    ],
)
def test_bad_teachers(teachers, message):
    X, y = blobs()
    with pytest.raises(ValueError, match=re.escape(message)):
        TeacherEnsemble(teachers).fit(X, y)


def test_a_class_instead_of_an_instance():
    X, y = blobs()
    with pytest.raises(
        TypeError,
        match=re.escape("Expected an estimator instance (LogisticRegression())"),
    ):
        TeacherEnsemble([("lr", LogisticRegression)]).fit(X, y)


@pytest.mark.parametrize(
    "weights, message",
    [
        (
            [1.0],
            "weights has 1 value(s) but there are 2 teachers; give one weight per "
            "teacher (the dropped ones included), or weights=None",
        ),
        ([1.0, -1.0], "weights must be finite and non-negative; got [1.0, -1.0]."),
        ([0, 0], "The weights of the teachers kept (not 'drop') are all 0"),
    ],
)
def test_bad_weights(weights, message):
    X, y = blobs()
    with pytest.raises(ValueError, match=re.escape(message)):
        TeacherEnsemble(members(), weights=weights).fit(X, y)


def test_bad_average_names_the_parameter():
    X, y = blobs()
    with pytest.raises(ValueError, match=re.escape("The 'average' parameter")):
        TeacherEnsemble(members(), average="geometric").fit(X, y)


def test_one_class_is_an_error():
    X, y = blobs()
    with pytest.raises(ValueError, match=re.escape("y contains only one class ([0])")):
        TeacherEnsemble(members()).fit(X, np.zeros_like(y))


# -- scikit-learn's ensembles as teachers ----------------------------------------
def test_stacking_classifier_as_a_teacher_by_either_output():
    """StackingClassifier: predict_proba by default, its final estimator's
    decision_function with teacher_output="decision_function"."""
    X, y = blobs()
    stacking = StackingClassifier(members(), final_estimator=lr(), cv=3)
    fitted = clone(stacking).fit(X, y)
    by_proba = soft_targets_of(stacking, X, y, temperature=1.0)
    assert_allclose(by_proba, fitted.predict_proba(X), rtol=1e-10)
    by_decision = soft_targets_of(
        stacking, X, y, temperature=1.0, teacher_output="decision_function"
    )
    assert_allclose(by_decision, softmax(fitted.decision_function(X)), rtol=1e-10)


def test_prefit_voting_and_stacking_classifiers_frozen():
    """Frozen prefit ensembles are used as they are (their own soft targets)."""
    X, y = blobs()
    for ensemble in (
        VotingClassifier(members(), voting="soft"),
        StackingClassifier(members(), final_estimator=lr(), cv=3),
    ):
        prefit = ensemble.fit(X, y)
        targets = soft_targets_of(FrozenEstimator(prefit), X, y, temperature=1.0)
        assert_allclose(targets, prefit.predict_proba(X), rtol=1e-10)


def test_hard_voting_cannot_teach():
    X, y = blobs()
    with pytest.raises(
        ValueError,
        match=re.escape(
            "The teacher VotingClassifier has neither predict_proba nor "
            "decision_function"
        ),
    ):
        DistilledClassifier(VotingClassifier(members(), voting="hard")).fit(X, y)


@pytest.mark.parametrize(
    "teacher",
    [
        VotingRegressor(
            [("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=3))]
        ),
        StackingRegressor(
            [("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=3))],
            final_estimator=LinearRegression(),
            cv=3,
        ),
    ],
    ids=["voting", "stacking"],
)
@pytest.mark.parametrize("frozen", [False, True], ids=["fit", "prefit"])
def test_voting_and_stacking_regressors_teach_a_distilled_regressor(teacher, frozen):
    """With alpha=0 the student fits the ensemble's predictions exactly."""
    X, y = make_regression(n_samples=120, n_features=5, noise=5.0, random_state=0)
    fitted = clone(teacher).fit(X, y)
    model = DistilledRegressor(
        FrozenEstimator(fitted) if frozen else teacher, Ridge(), alpha=0.0
    ).fit(X, y)
    expected = Ridge().fit(X, fitted.predict(X))
    assert_allclose(model.student_.coef_, expected.coef_, rtol=1e-10)
