"""Tests of temperature_curve: the students it fits and the values it gives."""

import re

import numpy as np
import pytest
from _helpers import CountingTeacher, reset_counts
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skdistill.metrics._temperature_curve as curve_module
from skdistill import DistilledClassifier, DistilledClassifierCV, DistilledRegressor
from skdistill.metrics import TemperatureCurve, temperature_curve


def _teacher():
    return LGBMClassifier(n_estimators=10, verbose=-1, n_jobs=1, random_state=0)


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(
        n_samples=240, n_features=6, n_informative=4, random_state=0
    )
    return train_test_split(X, y, random_state=0)


@pytest.fixture(scope="module")
def regression():
    X, y = make_regression(n_samples=200, n_features=5, noise=10.0, random_state=0)
    return train_test_split(X, y, random_state=0)


def test_scores_and_fidelities_match_refitted_students(binary):
    """Each point is the score and fidelity of a student fit at that point."""
    X_train, X_test, y_train, y_test = binary
    model = DistilledClassifier(_teacher(), LogisticRegression())
    curve = temperature_curve(
        model,
        X_train,
        y_train,
        X_test,
        y_test,
        temperatures=[1, 2, 4],
        alphas=[0.0, 0.5],
    )
    assert isinstance(curve, TemperatureCurve)
    np.testing.assert_array_equal(curve.temperatures, [1.0, 2.0, 4.0])
    np.testing.assert_array_equal(curve.alphas, [0.0, 0.5])
    assert curve.scores.shape == curve.fidelities.shape == curve.fit_times.shape
    assert curve.scores.shape == (2, 3)
    assert np.all(curve.fit_times > 0)
    assert curve.score_name == "Accuracy"
    assert curve.fidelity_name == "Agreement with the teacher"
    teacher = FrozenEstimator(clone(_teacher()).fit(X_train, y_train))
    reference = teacher.predict(X_test)
    for i, alpha in enumerate([0.0, 0.5]):
        scores, fidelities = [], []
        for temperature in [1, 2, 4]:
            student = clone(model).set_params(
                teacher=teacher, temperature=temperature, alpha=alpha
            )
            predictions = student.fit(X_train, y_train).predict(X_test)
            scores.append(accuracy_score(y_test, predictions))
            fidelities.append(accuracy_score(reference, predictions))
        np.testing.assert_array_equal(curve.scores[i], scores)
        np.testing.assert_array_equal(curve.fidelities[i], fidelities)


def test_the_sweep_is_score_candidates(binary, monkeypatch):
    """One call of the searches' sweep; the twin at alpha=1 is fitted once."""
    X_train, X_test, y_train, y_test = binary
    calls = []
    sweep = curve_module.score_candidates

    def spy(*args, **kwargs):
        calls.append(args[4])  # the candidates
        return sweep(*args, **kwargs)

    monkeypatch.setattr(curve_module, "score_candidates", spy)
    curve = temperature_curve(
        DistilledClassifier(_teacher(), LogisticRegression()),
        X_train,
        y_train,
        X_test,
        y_test,
        temperatures=[1, 4],
        alphas=[0.5, 1.0],
    )
    assert calls == [
        [
            {"alpha": 0.5, "temperature": 1.0},
            {"alpha": 0.5, "temperature": 4.0},
            {"alpha": 1.0, "temperature": 1.0},
            {"alpha": 1.0, "temperature": 4.0},
        ]
    ]
    # alpha=1: the hard-label twin, the same student (and fit) at every T
    assert curve.scores[1, 0] == curve.scores[1, 1]
    assert curve.fit_times[1, 0] == curve.fit_times[1, 1]
    twin = LogisticRegression().fit(X_train, y_train)
    assert curve.scores[1, 0] == twin.score(X_test, y_test)


@pytest.mark.parametrize("fitted", [False, True])
def test_fits_the_teacher_once(binary, fitted):
    """An unfitted teacher is fit once; a fitted estimator's teacher_ is reused."""
    X_train, X_test, y_train, y_test = binary
    model = DistilledClassifier(CountingTeacher(), LogisticRegression())
    if fitted:
        model.fit(X_train, y_train)
    reset_counts()
    curve = temperature_curve(
        model, X_train, y_train, X_test, y_test, alphas=[0.2, 0.8]
    )
    assert CountingTeacher.n_fits == (0 if fitted else 1)
    assert curve.scores.shape == (2, 4)
    np.testing.assert_array_equal(curve.temperatures, [1, 2, 4, 8])


def test_frozen_teacher_is_not_refit(binary):
    """A teacher already wrapped in FrozenEstimator is used as is."""
    X_train, X_test, y_train, y_test = binary
    reset_counts()
    teacher = CountingTeacher().fit(X_train, y_train)
    model = DistilledClassifier(FrozenEstimator(teacher), LogisticRegression())
    temperature_curve(model, X_train, y_train, X_test, y_test, temperatures=[1, 2])
    assert CountingTeacher.n_fits == 1


def test_ignores_teacher_cv_with_a_warning(binary):
    """teacher_cv cannot be used with the frozen teacher: warned, no extra fits."""
    X_train, X_test, y_train, y_test = binary
    reset_counts()
    model = DistilledClassifier(CountingTeacher(), LogisticRegression(), teacher_cv=3)
    message = (
        "The curve uses the teacher's in-sample outputs: teacher_cv=3 is ignored, "
        "because the teacher is fitted once and frozen, and a frozen teacher "
        "cannot be cross-fitted."
    )
    with pytest.warns(UserWarning, match=re.escape(message)):
        temperature_curve(model, X_train, y_train, X_test, y_test, temperatures=[1, 2])
    assert CountingTeacher.n_fits == 1


@pytest.mark.parametrize("fitted", [False, True])
def test_pipeline(binary, fitted):
    """A Pipeline's first steps are fitted once; scores use the whole pipeline."""
    X_train, X_test, y_train, y_test = binary
    model = make_pipeline(
        StandardScaler(), DistilledClassifier(CountingTeacher(), LogisticRegression())
    )
    if fitted:
        model.fit(X_train, y_train)
    reset_counts()
    curve = temperature_curve(model, X_train, y_train, X_test, y_test, temperatures=[2])
    assert CountingTeacher.n_fits == (0 if fitted else 1)
    model.set_params(distilledclassifier__temperature=2).fit(X_train, y_train)
    np.testing.assert_allclose(curve.scores, [[model.score(X_test, y_test)]])


def test_scoring_name(binary):
    """A scorer name gives the scores and names them."""
    X_train, X_test, y_train, y_test = binary
    curve = temperature_curve(
        DistilledClassifier(_teacher(), LogisticRegression()),
        X_train,
        y_train,
        X_test,
        y_test,
        temperatures=[1, 4],
        scoring="neg_log_loss",
    )
    assert curve.score_name == "neg_log_loss"
    assert np.all(curve.scores < 0)


def test_regressor_curve_is_against_alpha(regression):
    """A regressor's curve is against alpha; fidelity is R² against the teacher."""
    X_train, X_test, y_train, y_test = regression
    teacher = LGBMRegressor(n_estimators=10, verbose=-1, n_jobs=1)
    model = DistilledRegressor(teacher, Ridge())
    curve = temperature_curve(model, X_train, y_train, X_test, y_test)
    alphas = [0.0, 0.25, 0.5, 0.75, 1.0]
    assert curve.temperatures is None
    np.testing.assert_array_equal(curve.alphas, alphas)
    assert curve.scores.shape == curve.fidelities.shape == (5,)
    assert curve.score_name == "R²"
    assert curve.fidelity_name == "R² against the teacher"
    frozen = FrozenEstimator(clone(teacher).fit(X_train, y_train))
    reference = frozen.predict(X_test)
    predictions = [
        clone(model)
        .set_params(teacher=frozen, alpha=a)
        .fit(X_train, y_train)
        .predict(X_test)
        for a in alphas
    ]
    np.testing.assert_allclose(curve.scores, [r2_score(y_test, p) for p in predictions])
    np.testing.assert_allclose(
        curve.fidelities, [r2_score(reference, p) for p in predictions]
    )


@pytest.mark.parametrize(
    "estimator, kwargs, error, message",
    [
        (
            DistilledRegressor(),
            {"temperatures": [1, 2]},
            ValueError,
            "A DistilledRegressor has no temperature: its curve is drawn against "
            "alpha. Leave temperatures=None and pass alphas=[...].",
        ),
        (
            DistilledClassifier(),
            {"temperatures": [0, 1]},
            ValueError,
            "temperatures must be a non-empty list of numbers > 0; got [0, 1].",
        ),
        (
            DistilledClassifier(),
            {"temperatures": []},
            ValueError,
            "temperatures must be a non-empty list of numbers > 0; got [].",
        ),
        (
            DistilledClassifier(),
            {"alphas": [0.5, 1.5]},
            ValueError,
            "alphas must be a non-empty list of numbers in [0, 1]; got [0.5, 1.5].",
        ),
        (
            DistilledClassifier(),
            {"alphas": ["high"]},
            ValueError,
            "alphas must be a non-empty list of numbers in [0, 1]; got ['high'].",
        ),
        (
            DistilledClassifier(),
            {"scoring": ["accuracy", "neg_log_loss"]},
            ValueError,
            "A temperature curve draws one score, so scoring must be a single "
            "metric (a string, a callable scorer or None); got ['accuracy', "
            "'neg_log_loss'].",
        ),
        (
            LogisticRegression(),
            {},
            TypeError,
            "estimator must be a DistilledClassifier or DistilledRegressor (or a "
            "Pipeline ending in one); got LogisticRegression.",
        ),
        (
            DistilledClassifierCV(),
            {},
            TypeError,
            "DistilledClassifierCV searches its own temperature and alpha: fit it "
            "and plot its cv_results_ with TemperatureCurveDisplay.from_cv_results.",
        ),
        (
            make_pipeline(StandardScaler(), LogisticRegression()),
            {},
            TypeError,
            "estimator must be a DistilledClassifier or DistilledRegressor (or a "
            "Pipeline ending in one); got LogisticRegression.",
        ),
    ],
)
def test_errors(binary, estimator, kwargs, error, message):
    """Bad grids, scorings and estimators are reported before anything is fitted."""
    X_train, X_test, y_train, y_test = binary
    reset_counts()
    if isinstance(estimator, DistilledClassifier):
        estimator = clone(estimator).set_params(teacher=CountingTeacher())
    with pytest.raises(error, match=re.escape(message)):
        temperature_curve(estimator, X_train, y_train, X_test, y_test, **kwargs)
    assert CountingTeacher.n_fits == 0


def test_sample_weight(binary):
    """sample_weight weights every fit, test_sample_weight scores and fidelities."""
    X_train, X_test, y_train, y_test = binary
    w_train = np.where(np.arange(len(y_train)) % 3 == 0, 5.0, 0.2)
    w_test = np.where(np.arange(len(y_test)) % 2 == 0, 4.0, 0.5)
    model = DistilledClassifier(_teacher(), LogisticRegression())
    curve = temperature_curve(
        model,
        X_train,
        y_train,
        X_test,
        y_test,
        temperatures=[1, 4],
        sample_weight=w_train,
        test_sample_weight=w_test,
    )
    teacher = FrozenEstimator(
        clone(_teacher()).fit(X_train, y_train, sample_weight=w_train)
    )
    reference = teacher.predict(X_test)
    scores, fidelities = [], []
    for temperature in [1, 4]:
        student = clone(model).set_params(teacher=teacher, temperature=temperature)
        predictions = student.fit(X_train, y_train, w_train).predict(X_test)
        scores.append(accuracy_score(y_test, predictions, sample_weight=w_test))
        fidelities.append(accuracy_score(reference, predictions, sample_weight=w_test))
    np.testing.assert_allclose(curve.scores, [scores])
    np.testing.assert_allclose(curve.fidelities, [fidelities])
    unweighted = temperature_curve(
        model, X_train, y_train, X_test, y_test, temperatures=[1, 4]
    )
    assert not np.allclose(unweighted.scores, curve.scores)


def test_test_sample_weight_with_unweighted_scorer(binary):
    """A scorer without sample_weight gives unweighted scores, with a warning."""
    X_train, X_test, y_train, y_test = binary
    w_test = np.where(np.arange(len(y_test)) % 2 == 0, 4.0, 0.5)

    def scorer(estimator, X, y):
        return accuracy_score(y, estimator.predict(X))

    message = (
        "The scorer takes no sample_weight: the scores are unweighted, only the "
        "fidelities use test_sample_weight."
    )
    model = DistilledClassifier(_teacher(), LogisticRegression())
    with pytest.warns(UserWarning, match=re.escape(message)):
        curve = temperature_curve(
            model,
            X_train,
            y_train,
            X_test,
            y_test,
            temperatures=[2],
            scoring=scorer,
            test_sample_weight=w_test,
        )
    assert curve.score_name == "Score"
    plain = temperature_curve(model, X_train, y_train, X_test, y_test, temperatures=[2])
    np.testing.assert_allclose(curve.scores, plain.scores)
    assert not np.allclose(curve.fidelities, plain.fidelities)
