"""Tests of partial_fit: DistilledClassifier and DistilledRegressor on a stream."""

import re

import numpy as np
import pandas as pd
import pytest
import sklearn
from lightgbm import LGBMClassifier, LGBMRegressor
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import make_column_transformer
from sklearn.datasets import make_classification, make_regression
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import (
    LogisticRegression,
    Ridge,
    SGDClassifier,
    SGDRegressor,
)
from sklearn.multioutput import MultiOutputRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from skdistill import DistilledClassifier, DistilledRegressor, SoftLogisticRegression
from skdistill.soft_targets import blend_targets, logits_from_proba, softmax


@pytest.fixture(autouse=True)
def _one_thread():
    with threadpool_limits(limits=1):
        yield


def classification(n=1200, n_classes=3, seed=0):
    return make_classification(
        n_samples=n,
        n_features=6,
        n_informative=4,
        n_classes=n_classes,
        random_state=seed,
    )


def lgbm(cls=LGBMClassifier):
    return cls(n_estimators=15, num_leaves=7, verbose=-1, n_jobs=1, random_state=0)


def frozen_teacher(X, y):
    return FrozenEstimator(lgbm().fit(X, y))


def sgd(**params):
    return SGDClassifier(loss="log_loss", random_state=0, **params)


class NoWeightSGD(ClassifierMixin, BaseEstimator):
    """An SGD classifier whose partial_fit takes no sample_weight."""

    def partial_fit(self, X, y, classes=None):
        if not hasattr(self, "model_"):
            self.model_ = sgd()
        self.model_.partial_fit(X, y, classes=classes)
        self.classes_ = self.model_.classes_
        return self

    def fit(self, X, y):
        return self.partial_fit(X, y, classes=np.unique(y))

    def predict(self, X):
        return self.model_.predict(X)


def batches(n_rows, n_batches):
    return np.array_split(np.arange(n_rows), n_batches)


# -- what a batch teaches ----------------------------------------------------------
def test_weighted_batch_equals_the_expanded_rows():
    """With SGD, each row becomes one row per class weighted by the blended target."""
    X, y = classification()
    teacher = frozen_teacher(X[:400], y[:400])
    model = DistilledClassifier(teacher, sgd(), temperature=2.0, alpha=0.3)
    X_b, y_b = X[400:700], y[400:700]
    model.partial_fit(X_b, y_b)
    assert model.fit_strategy_ == "weighted"
    targets = blend_targets(
        y_b, softmax(logits_from_proba(teacher.predict_proba(X_b)), 2.0), 0.3
    )
    rows, columns = np.nonzero(targets > 1e-3)
    kept = np.where(targets > 1e-3, targets, 0.0)
    kept /= kept.sum(axis=1, keepdims=True)
    twin = sgd().partial_fit(
        X_b[rows], columns, classes=[0, 1, 2], sample_weight=kept[rows, columns]
    )
    assert_allclose(model.student_.coef_, twin.coef_, rtol=1e-12)
    assert model.n_batches_seen_ == 1


def test_native_batch_equals_partial_fit_soft_targets():
    X, y = classification()
    teacher = frozen_teacher(X[:400], y[:400])
    model = DistilledClassifier(teacher, SoftLogisticRegression(), temperature=3.0)
    twin = SoftLogisticRegression()
    for rows in batches(800, 3):
        rows = rows + 400
        model.partial_fit(X[rows], y[rows])
        logits = logits_from_proba(teacher.predict_proba(X[rows]))
        twin.partial_fit_soft_targets(
            X[rows],
            y[rows],
            softmax(logits, 3.0),
            classes=[0, 1, 2],
            temperature=3.0,
            alpha=0.5,
        )
    assert model.fit_strategy_ == "native"
    assert type(model.student_) is SoftLogisticRegression
    assert_allclose(model.student_.coef_, twin.coef_, rtol=1e-10)
    assert model.n_batches_seen_ == 3


def test_alpha_one_is_the_students_own_partial_fit():
    X, y = classification()
    model = DistilledClassifier(frozen_teacher(X[:400], y[:400]), sgd(), alpha=1.0)
    twin = sgd()
    for rows in batches(1200, 4):
        model.partial_fit(X[rows], y[rows])
        twin.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
    assert_array_equal(model.student_.coef_, twin.coef_)


def test_hard_strategy_learns_the_blended_argmax():
    X, y = classification()
    teacher = frozen_teacher(X[:400], y[:400])
    with pytest.warns(UserWarning, match="fit_strategy='hard'"):
        model = DistilledClassifier(teacher, NoWeightSGD()).partial_fit(
            X[400:], y[400:]
        )
    targets = blend_targets(
        y[400:], softmax(logits_from_proba(teacher.predict_proba(X[400:])), 1.0), 0.5
    )
    twin = sgd().partial_fit(X[400:], targets.argmax(axis=1), classes=[0, 1, 2])
    assert model.fit_strategy_ == "hard"
    assert_array_equal(model.student_.model_.coef_, twin.coef_)


def test_unlabeled_rows_learn_from_the_teacher_alone():
    X, y = classification()
    teacher = frozen_teacher(X[:400], y[:400])
    y_b = y[400:].copy()
    y_b[::3] = -1
    model = DistilledClassifier(
        teacher, SoftLogisticRegression(), unlabeled=-1, temperature=2.0
    )
    model.partial_fit(X[400:], y_b)
    twin = SoftLogisticRegression().partial_fit_soft_targets(
        X[400:],
        y_b,
        softmax(logits_from_proba(teacher.predict_proba(X[400:])), 2.0),
        classes=[0, 1, 2],
        temperature=2.0,
        alpha=0.5,
    )
    assert_allclose(model.student_.coef_, twin.coef_, rtol=1e-10)
    # A batch with no label at all is fine: the teacher is fitted.
    model.partial_fit(X[:50], np.full(50, -1))
    assert model.n_batches_seen_ == 2
    assert_array_equal(model.classes_, [0, 1, 2])


def test_string_labels_and_a_dataframe_with_a_frozen_preprocessing():
    """A DataFrame with a text column: the student's encoding is a fitted step
    wrapped in FrozenEstimator, which partial_fit never refits."""
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "colour": rng.choice(["red", "green", "blue"], 900),
            "size": rng.normal(size=900),
        }
    )
    y = np.where((X["colour"] == "red") | (X["size"] > 0.5), "yes", "no")
    encode = make_column_transformer(
        (OneHotEncoder(), ["colour"]), (StandardScaler(), ["size"])
    ).fit(X[:300])
    teacher = make_pipeline(clone(encode), LogisticRegression()).fit(X[:300], y[:300])
    before = encode.transform(X[:5])
    model = DistilledClassifier(
        FrozenEstimator(teacher), make_pipeline(FrozenEstimator(encode), sgd())
    )
    for rows in batches(600, 3):
        model.partial_fit(X.iloc[rows + 300], y[rows + 300])
    assert_array_equal(model.classes_, ["no", "yes"])
    assert model.score(X[:300], y[:300]) > 0.85  # measured: 0.88
    assert_array_equal(encode.transform(X[:5]), before)  # never refit
    assert_array_equal(model.feature_names_in_, ["colour", "size"])


# -- the teacher and the classes -------------------------------------------------------
def test_the_teacher_is_never_trained():
    X, y = classification()
    teacher = lgbm().fit(X[:400], y[:400])
    before = teacher.predict_proba(X)
    model = DistilledClassifier(FrozenEstimator(teacher), sgd())
    for rows in batches(1200, 3):
        model.partial_fit(X[rows], y[rows])
    assert_array_equal(teacher.predict_proba(X), before)
    assert model.teacher_.estimator is teacher


def test_classes_default_to_the_teachers_and_may_be_a_subset():
    X, y = classification()
    teacher = frozen_teacher(X[:400], y[:400])
    model = DistilledClassifier(teacher, sgd())
    rows = np.flatnonzero(y[400:] != 2) + 400
    model.partial_fit(X[rows], y[rows], classes=[0, 1])
    # The student still learns every class the teacher knows.
    assert_array_equal(model.classes_, [0, 1, 2])
    assert model.predict_proba(X[:5]).shape == (5, 3)
    model.partial_fit(X[rows], y[rows], classes=[1, 0])
    with pytest.raises(ValueError, match=re.escape("differs from the classes")):
        model.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
    with pytest.raises(ValueError, match="not among the teacher's 3 classes"):
        model.partial_fit(X[:10], np.full(10, 7))


def test_classes_unknown_to_the_teacher_are_refused():
    X, y = classification()
    model = DistilledClassifier(frozen_teacher(X[:400], y[:400]), sgd())
    with pytest.raises(ValueError, match=r"\b5\b"):
        model.partial_fit(X[400:], y[400:], classes=[0, 1, 2, 5])
    assert not hasattr(model, "student_")


# -- when partial_fit is available ---------------------------------------------
def _cause(model):
    with pytest.raises(AttributeError) as info:
        model.partial_fit  # noqa: B018
    return str(info.value.__cause__)


def test_partial_fit_needs_a_fitted_teacher():
    model = DistilledClassifier(student=sgd())
    assert not hasattr(model, "partial_fit")
    assert "wrap a prefit teacher in sklearn.frozen.FrozenEstimator" in _cause(model)
    X, y = classification()
    model.set_params(teacher=lgbm()).fit(X[:300], y[:300])
    assert hasattr(model, "partial_fit")


def test_partial_fit_needs_a_student_that_learns_batch_by_batch():
    X, y = classification()
    model = DistilledClassifier(frozen_teacher(X, y), LogisticRegression())
    assert not hasattr(model, "partial_fit")
    assert "LogisticRegression does not: it has no partial_fit" in _cause(model)
    pipe = make_pipeline(OneHotEncoder(), sgd())
    model.set_params(student=pipe)
    assert "its step 'onehotencoder' (OneHotEncoder)" in _cause(model)


def test_the_default_student_learns_batch_by_batch():
    X, y = classification()
    model = DistilledClassifier(frozen_teacher(X[:400], y[:400]))
    model.partial_fit(X[400:], y[400:])
    assert model.fit_strategy_ == "native"
    assert type(model.student_[-1]) is SoftLogisticRegression
    assert model.student is None


def test_strategies_that_refit_whole_are_refused():
    X, y = classification()
    teacher = frozen_teacher(X, y)
    model = DistilledClassifier(teacher, sgd(), fit_strategy="logit_tree")
    with pytest.raises(ValueError, match="fit_strategy='logit_tree' refits"):
        model.partial_fit(X, y)
    model = DistilledClassifier(teacher, SGDRegressor())
    with pytest.raises(ValueError, match="The student SGDRegressor is a regressor"):
        model.partial_fit(X, y)


# -- partial_fit after fit, fit after partial_fit ------------------------------
def test_partial_fit_continues_a_fit_and_fit_starts_afresh():
    X, y = classification()
    model = DistilledClassifier(lgbm(), sgd(), temperature=2.0).fit(X[:600], y[:600])
    coef = model.student_.coef_.copy()
    teacher = model.teacher_
    model.partial_fit(X[600:], y[600:])
    assert model.teacher_ is teacher  # read, not refit
    assert model.n_batches_seen_ == 1
    assert not np.allclose(model.student_.coef_, coef)
    assert 0.0 <= model.training_fidelity_ <= 1.0
    model.fit(X[:600], y[:600])
    assert not hasattr(model, "n_batches_seen_")
    assert_allclose(model.student_.coef_, coef)


def test_partial_fit_cannot_continue_a_student_refit_whole():
    X, y = classification()
    tree = DecisionTreeClassifier(max_depth=3, random_state=0)
    model = DistilledClassifier(lgbm(), tree).fit(X, y)
    assert model.fit_strategy_ == "logit_tree"
    assert not hasattr(model, "partial_fit")


def test_feature_count_is_checked_between_batches():
    X, y = classification()
    model = DistilledClassifier(frozen_teacher(X, y), sgd()).partial_fit(X, y)
    with pytest.raises(ValueError, match="features"):
        model.partial_fit(X[:, :5], y)


def test_sample_weight_reaches_the_students_partial_fit():
    X, y = classification()
    teacher = frozen_teacher(X[:400], y[:400])
    weight = np.random.RandomState(0).uniform(0.5, 2.0, 800)
    a = DistilledClassifier(teacher, sgd(), alpha=1.0)
    a.partial_fit(X[400:], y[400:], sample_weight=weight)
    twin = sgd().partial_fit(X[400:], y[400:], classes=[0, 1, 2], sample_weight=weight)
    assert_allclose(a.student_.coef_, twin.coef_, rtol=1e-12)
    with sklearn.config_context(enable_metadata_routing=True):
        b = DistilledClassifier(
            teacher, sgd(alpha=1e-4).set_partial_fit_request(sample_weight=True)
        )
        b.set_params(alpha=1.0)
        b.partial_fit(X[400:], y[400:], sample_weight=weight)
    assert_allclose(b.student_.coef_, twin.coef_, rtol=1e-12)


def test_streaming_many_batches_approaches_the_teacher():
    X, y = classification(n=6000)
    teacher = frozen_teacher(X[:1000], y[:1000])
    model = DistilledClassifier(teacher, make_pipeline(StandardScaler(), sgd()))
    agreement = []
    for rows in batches(5000, 20):
        model.partial_fit(X[rows + 1000], y[rows + 1000])
        agreement.append(np.mean(model.predict(X[:1000]) == teacher.predict(X[:1000])))
    agree = agreement[-1]
    assert agreement[0] < 0.6 < 0.7 < agree  # measured: 0.46, then 0.74
    assert abs(model.training_fidelity_ - agree) < 0.1
    assert model.n_batches_seen_ == 20


# -- the regressor ---------------------------------------------------------------------
def test_regressor_batch_learns_the_blended_target():
    X, y = make_regression(n_samples=900, n_features=5, noise=5.0, random_state=0)
    teacher = Ridge().fit(X[:300], y[:300])
    model = DistilledRegressor(
        FrozenEstimator(teacher), SGDRegressor(random_state=0), alpha=0.25
    )
    twin = SGDRegressor(random_state=0)
    for rows in batches(600, 3):
        rows = rows + 300
        model.partial_fit(X[rows], y[rows])
        twin.partial_fit(X[rows], 0.25 * y[rows] + 0.75 * teacher.predict(X[rows]))
    assert_allclose(model.student_.coef_, twin.coef_, rtol=1e-12)
    assert model.fit_strategy_ == "blend"
    assert model.training_fidelity_ > 0.8


def test_regressor_default_student_unlabeled_rows_and_shapes():
    X, y = make_regression(n_samples=900, n_features=5, random_state=0)
    teacher = FrozenEstimator(lgbm(LGBMRegressor).fit(X[:300], y[:300]))
    model = DistilledRegressor(teacher, unlabeled=-999.0)
    y_b = y[300:].copy()
    y_b[::2] = -999.0
    model.partial_fit(X[300:], y_b.reshape(-1, 1))
    assert type(model.student_[-1]) is SGDRegressor
    assert model.predict(X[:3]).shape == (3,)
    with pytest.raises(ValueError, match="supports a single output"):
        DistilledRegressor(teacher).partial_fit(X[300:], np.c_[y[300:], y[300:]])
    with pytest.raises(ValueError, match="fit_strategy='teacher_splits'"):
        DistilledRegressor(teacher, fit_strategy="teacher_splits").partial_fit(
            X[300:], y[300:]
        )


def test_regressor_multi_output_stream_keeps_its_shape():
    X, y = make_regression(n_samples=600, n_features=4, n_targets=2, random_state=0)
    teacher = FrozenEstimator(Ridge().fit(X[:200], y[:200]))
    student = MultiOutputRegressor(SGDRegressor(random_state=0))
    model = DistilledRegressor(teacher, student).partial_fit(X[200:400], y[200:400])
    model.partial_fit(X[400:], y[400:])
    assert model.predict(X[:3]).shape == (3, 2)
    assert model.training_fidelity_ > 0.75  # measured: 0.81
    with pytest.raises(ValueError, match="same shape on every call"):
        model.partial_fit(X[400:], y[400:, 0])


def test_regressor_partial_fit_continues_a_fit():
    X, y = make_regression(n_samples=900, n_features=5, random_state=0)
    model = DistilledRegressor(Ridge(), SGDRegressor(random_state=0))
    model.fit(X[:300], y[:300]).partial_fit(X[300:], y[300:])
    assert model.n_batches_seen_ == 1
    assert model.training_fidelity_ > 0.75  # measured: 0.81
    assert not hasattr(DistilledRegressor(Ridge()).fit(X, y), "partial_fit")


def test_a_streamed_model_holds_only_trusted_types():
    """A model file (skops) of a streamed distiller loads without trusting
    anything beyond estimators: the stream's state is plain numbers."""
    sio = pytest.importorskip("skops.io")
    from skdistill.cli._persist import is_trusted

    X, y = classification()
    model = DistilledClassifier(frozen_teacher(X[:400], y[:400]))
    model.partial_fit(X[400:800], y[400:800]).partial_fit(X[800:], y[800:])
    untrusted = sio.get_untrusted_types(data=sio.dumps(model))
    assert [name for name in untrusted if not is_trusted(name)] == []
    loaded = sio.loads(sio.dumps(model), trusted=untrusted)
    loaded.partial_fit(X[:100], y[:100])  # the stream goes on after loading
    assert loaded.n_batches_seen_ == 3


def test_review_findings_are_clear_errors():
    """A marker that is a class, labels outside classes, a fitted student
    missing classes, and routing to a Pipeline student's partial_fit."""
    X, y = classification()
    teacher = frozen_teacher(X[:400], y[:400])
    with pytest.raises(ValueError, match="unlabeled=0 is one of the classes"):
        DistilledClassifier(teacher, sgd(), unlabeled=0).partial_fit(X, y)
    rows = np.flatnonzero(y != 2)
    model = DistilledClassifier(teacher, sgd()).partial_fit(
        X[rows], y[rows], classes=[0, 1]
    )
    with pytest.raises(ValueError, match=re.escape("labels [2] that are not in")):
        model.partial_fit(X, y)
    hard = DistilledClassifier(teacher, NoWeightSGD(), fit_strategy="hard")
    hard.fit(X[rows], y[rows])  # the student never sees class 2
    with pytest.raises(ValueError, match=re.escape("without the classes [2]")):
        hard.partial_fit(X, y)
    weight = np.ones(X.shape[0])
    with sklearn.config_context(enable_metadata_routing=True):
        model = DistilledClassifier(teacher, make_pipeline(StandardScaler(), sgd()))
        with pytest.raises(ValueError, match="Pipeline routes metadata to fit only"):
            model.partial_fit(X, y, sample_weight=weight)
