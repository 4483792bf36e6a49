"""DistilledClassifierCV and DistilledRegressorCV: the search and its model."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
import sklearn
from _helpers import CountingRegressor, CountingTeacher
from joblib import parallel_backend
from lightgbm import LGBMClassifier
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import NotFittedError, UnsetMetadataPassedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, log_loss, make_scorer
from sklearn.model_selection import GridSearchCV, GroupKFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import (
    DistilledClassifier,
    DistilledClassifierCV,
    DistilledRegressor,
    DistilledRegressorCV,
    SoftLogisticRegression,
)

pytestmark = pytest.mark.usefixtures("one_thread_per_library", "fresh_counts")


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=150,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        class_sep=0.8,
        random_state=0,
    )
    return X, y


TEMPERATURES = [1.0, 3.0, 9.0]
ALPHAS = [0.0, 0.5]


def search(**params):
    params = {
        "temperatures": TEMPERATURES,
        "alphas": ALPHAS,
        "cv": 3,
        **params,
    }
    teacher = params.pop("teacher", CountingTeacher())
    student = params.pop("student", SoftLogisticRegression())
    return DistilledClassifierCV(teacher, student, **params)


# -- the search and GridSearchCV ---------------------------------------------------


@pytest.mark.parametrize("scoring", [None, "neg_log_loss"])
def test_same_choice_and_scores_as_grid_search_with_far_fewer_teacher_fits(
    data, scoring
):
    """Same folds, scores, choice and model as GridSearchCV; 4 teacher fits, not 19."""
    X, y = data
    model = search(scoring=scoring).fit(X, y)
    assert CountingTeacher.n_fits == 3 + 1
    CountingTeacher.n_fits = 0
    grid = GridSearchCV(
        DistilledClassifier(CountingTeacher(), SoftLogisticRegression()),
        {"temperature": TEMPERATURES, "alpha": ALPHAS},
        scoring=scoring,
        cv=3,
    ).fit(X, y)
    assert CountingTeacher.n_fits == 3 * 6 + 1
    assert model.cv_results_["params"] == grid.cv_results_["params"]
    for key in ["mean_test_score", "std_test_score", "split2_test_score"]:
        assert_allclose(model.cv_results_[key], grid.cv_results_[key], rtol=1e-12)
    assert_array_equal(
        model.cv_results_["rank_test_score"], grid.cv_results_["rank_test_score"]
    )
    assert model.best_params_ == grid.best_params_
    assert model.best_index_ == grid.best_index_
    assert model.best_score_ == pytest.approx(grid.best_score_)
    assert (model.temperature_, model.alpha_) == (
        grid.best_params_["temperature"],
        grid.best_params_["alpha"],
    )
    assert model.augment_size_ is None
    best = grid.best_estimator_
    assert_allclose(model.predict_proba(X), best.predict_proba(X))
    assert_array_equal(model.predict(X), best.predict(X))
    assert model.training_fidelity_ == best.training_fidelity_
    assert model.fit_strategy_ == "native"


class _CountingLR(LogisticRegression):
    """LogisticRegression counting its fits (class-wide)."""

    n_fits = 0

    def fit(self, X, y, sample_weight=None):
        type(self).n_fits += 1
        return super().fit(X, y, sample_weight=sample_weight)


def test_the_twin_is_fitted_once_per_fold_and_scored_for_every_temperature(data):
    """alpha=1 is the same student at every T: one fit per fold, the same
    scores as GridSearchCV's, which fits it once per temperature."""
    X, y = data
    _CountingLR.n_fits = 0
    grid_params = {"temperature": [1.0, 2.0, 4.0], "alpha": [0.5, 1.0]}
    model = DistilledClassifierCV(
        CountingTeacher(),
        _CountingLR(max_iter=1000),
        temperatures=grid_params["temperature"],
        alphas=grid_params["alpha"],
        cv=3,
    ).fit(X, y)
    # per fold: 3 temperatures at alpha 0.5, one twin; plus the refit
    assert _CountingLR.n_fits == 3 * (3 + 1) + 1
    results = model.cv_results_
    twin = np.asarray(results["param_alpha"], dtype=float) == 1.0
    assert np.unique(results["mean_test_score"][twin]).size == 1
    grid = GridSearchCV(
        DistilledClassifier(CountingTeacher(), _CountingLR(max_iter=1000)),
        grid_params,
        cv=3,
    ).fit(X, y)
    assert_allclose(results["mean_test_score"], grid.cv_results_["mean_test_score"])
    assert model.best_params_ == grid.best_params_


def test_cv_results_have_grid_search_keys(data):
    """cv_results_ keys, shapes and parameter columns are those of GridSearchCV."""
    X, y = data
    results = search().fit(X, y).cv_results_
    n = len(TEMPERATURES) * len(ALPHAS)
    expected = {
        "params",
        "param_alpha",
        "param_temperature",
        "mean_test_score",
        "std_test_score",
        "rank_test_score",
        "mean_fit_time",
        "std_fit_time",
        "mean_score_time",
        "std_score_time",
    } | {f"split{k}_test_score" for k in range(3)}
    assert set(results) == expected
    assert all(len(results[key]) == n for key in expected)
    assert results["param_alpha"].tolist() == [0.0] * 3 + [0.5] * 3
    assert results["param_temperature"].tolist() == TEMPERATURES * 2
    assert pd.DataFrame(results).shape == (n, len(expected))


def test_ties_go_to_the_first_candidate(data):
    """Identical scores: the first candidate of cv_results_ wins, as in GridSearchCV."""
    X, y = data
    # alpha = 1 ignores the teacher: every temperature gives the same student.
    model = search(temperatures=[9.0, 1.0, 3.0], alphas=[1.0]).fit(X, y)
    assert_array_equal(model.cv_results_["rank_test_score"], [1, 1, 1])
    assert model.best_index_ == 0
    assert model.temperature_ == 9.0


def test_nan_scores_rank_last(data):
    """A candidate whose score is NaN ranks after every finite one."""
    X, y = data

    def nan_at_high_temperature(estimator, X, y):
        if estimator.temperature > 5:
            return np.nan
        return accuracy_score(y, estimator.predict(X))

    model = search(scoring=nan_at_high_temperature).fit(X, y)
    ranks = model.cv_results_["rank_test_score"]
    finite = np.isfinite(model.cv_results_["mean_test_score"])
    assert ranks[~finite].min() > ranks[finite].max()
    assert model.temperature_ != 9.0


def test_refit_false_keeps_the_results_and_refuses_to_predict(data):
    """refit=False: the search's results, no teacher fit on all rows, no predict."""
    X, y = data
    model = search(refit=False).fit(X, y)
    assert CountingTeacher.n_fits == 3
    assert model.best_params_ == model.cv_results_["params"][model.best_index_]
    assert_array_equal(model.classes_, [0, 1, 2])
    assert not hasattr(model, "student_")
    message = (
        "This DistilledClassifierCV was fit with refit=False: it holds the "
        "search's results (cv_results_, best_params_, best_score_) but no model "
        "to predict with."
    )
    for method in ("predict", "predict_proba", "decision_function"):
        with pytest.raises(NotFittedError, match=re.escape(message)):
            getattr(model, method)(X)


def test_unfitted_model_raises_not_fitted(data):
    """Before fit, prediction is scikit-learn's NotFittedError."""
    X, _ = data
    with pytest.raises(NotFittedError, match="is not fitted yet"):
        search().predict(X)


# -- what DistilledClassifier handles ---------------------------------------------


def test_frozen_teacher_is_never_fit(data):
    """A frozen teacher: no teacher fit in the folds nor in the refit."""
    X, y = data
    frozen = FrozenEstimator(CountingTeacher().fit(X, y))
    CountingTeacher.n_fits = 0
    model = search(teacher=frozen).fit(X, y)
    assert CountingTeacher.n_fits == 0
    assert model.teacher_ is frozen


def test_teacher_cross_fitting_inside_each_fold(data):
    """teacher_cv=k inside the search: 1 + k teacher fits per fold and refit."""
    X, y = data
    model = search(teacher_cv=2).fit(X, y)
    assert CountingTeacher.n_fits == (3 + 1) * (1 + 2)
    plain = DistilledClassifier(
        CountingTeacher(), SoftLogisticRegression(), teacher_cv=2, **model.best_params_
    ).fit(X, y)
    assert_allclose(model.predict_proba(X), plain.predict_proba(X))


def test_string_labels_and_dataframe_with_categories(data):
    """String classes and a categorical DataFrame column, with LightGBM models."""
    X, y = data
    frame = pd.DataFrame(X, columns=list("abcde"))
    frame["a"] = pd.Categorical(np.where(X[:, 0] > 0, "high", "low"))
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    lgbm = LGBMClassifier(n_estimators=8, num_leaves=4, verbose=-1, n_jobs=1)
    model = search(teacher=lgbm, student=lgbm, alphas=[0.5]).fit(frame, labels)
    assert_array_equal(model.classes_, ["setosa", "versicolor", "virginica"])
    assert_array_equal(model.feature_names_in_, list("abcde"))
    assert set(model.predict(frame)) <= set(labels)
    assert model.score(frame, labels) > 0.6


def test_missing_values_when_teacher_and_student_take_them(data):
    """NaN in X passes with HistGradientBoosting teacher and student."""
    X, y = data
    X = X.copy()
    X[::7, 1] = np.nan
    hgb = HistGradientBoostingClassifier(max_iter=5, max_depth=2, random_state=0)
    model = search(teacher=hgb, student=hgb, temperatures=[2.0]).fit(X, y)
    assert model.score(X, y) > 0.6
    message = "Input X contains NaN, which the student SoftLogisticRegression"
    with pytest.raises(ValueError, match=re.escape(message)):
        search().fit(X, y)


def test_tiny_class_in_a_fold(data):
    """A class with two rows is absent from some folds' training part."""
    X, y = data
    y = y.copy()
    y[:2] = 3  # two rows of a fourth class: one fold's training part lacks it
    # neg_log_loss would infer the classes from a fold's y; name all of them.
    log_loss_all = make_scorer(
        log_loss,
        greater_is_better=False,
        response_method="predict_proba",
        labels=[0, 1, 2, 3],
    )
    with pytest.warns(UserWarning, match="The least populated class in y has only 2"):
        model = search(scoring=log_loss_all).fit(X, y)
    assert np.isfinite(model.cv_results_["mean_test_score"]).all()
    assert_array_equal(model.classes_, [0, 1, 2, 3])
    assert model.predict_proba(X).shape == (150, 4)


def test_a_fold_with_one_class_is_a_clear_error(data):
    """Folds whose training part holds a single class cannot fit a teacher."""
    X, y = data
    order = np.argsort(y, kind="stable")
    X, y = X[order][:100], y[order][:100]  # classes 0 and 1, in blocks
    message = "A fold of cv leaves only the class [1] in its training part"
    with pytest.raises(ValueError, match=re.escape(message)):
        search(cv=[(np.arange(50, 100), np.arange(50))]).fit(X, y)


def test_unlabeled_rows_fit_but_are_never_scored(data):
    """Rows marked unlabeled are spread over folds and left out of the scores."""
    X, y = data
    y = y.copy()
    y[::5] = -1
    scored = []

    def recording_accuracy(estimator, X, y):
        scored.append(np.asarray(y))
        return accuracy_score(y, estimator.predict(X))

    model = search(unlabeled=-1, scoring=recording_accuracy).fit(X, y)
    assert len(scored) == 3 * len(TEMPERATURES) * len(ALPHAS)
    assert all((labels != -1).all() for labels in scored)
    assert sum(labels.size for labels in scored[:: len(TEMPERATURES) * 2]) == 120
    assert_array_equal(model.classes_, [0, 1, 2])
    # The teachers are fit on labelled rows only.
    assert CountingTeacher.n_fits == 4


def test_sample_weight_reaches_every_fit_and_the_scorer(data):
    """Without routing: weights go to the fits and the scorer, as in GridSearchCV."""
    X, y = data
    w = np.linspace(0.5, 2.0, y.shape[0])
    w0 = w.copy()
    model = search().fit(X, y, sample_weight=w)
    folds = list(StratifiedKFold(3).split(X, y))
    for weights, (train, _) in zip(CountingTeacher.weights[:3], folds, strict=True):
        assert_array_equal(weights, w[train])
    assert_array_equal(CountingTeacher.weights[3], w)
    assert_array_equal(w, w0)
    grid = GridSearchCV(
        DistilledClassifier(CountingTeacher(), SoftLogisticRegression()),
        {"temperature": TEMPERATURES, "alpha": ALPHAS},
        cv=3,
    ).fit(X, y, sample_weight=w)
    assert_allclose(
        model.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"]
    )
    assert_allclose(model.predict_proba(X), grid.predict_proba(X))


def test_scorer_without_sample_weight_warns(data):
    """Weights given but the scorer cannot take them: a warning at the caller."""
    X, y = data

    def plain_accuracy(estimator, X, y):
        return accuracy_score(y, estimator.predict(X))

    message = (
        "does not support sample_weight, so the scores of DistilledClassifierCV "
        "are not weighted although its fits are."
    )
    with pytest.warns(UserWarning, match=re.escape(message)) as record:
        search(scoring=plain_accuracy).fit(X, y, sample_weight=np.ones(150))
    assert record[0].filename == __file__


def test_sample_weight_and_groups_with_metadata_routing(data):
    """With routing: weights to who requested them, groups to cv's split."""
    X, y = data
    w = np.linspace(0.5, 2.0, y.shape[0])
    groups = np.arange(y.shape[0]) % 3
    scored_weights = []

    def weighted_accuracy(y_true, y_pred, sample_weight=None):
        scored_weights.append(sample_weight)
        return accuracy_score(y_true, y_pred, sample_weight=sample_weight)

    with sklearn.config_context(enable_metadata_routing=True):
        teacher = CountingTeacher().set_fit_request(sample_weight=True)
        student = SoftLogisticRegression().set_fit_request(sample_weight=False)
        scorer = make_scorer(weighted_accuracy).set_score_request(sample_weight=True)
        search(teacher=teacher, student=student, scoring=scorer, cv=GroupKFold(3)).fit(
            X, y, sample_weight=w, groups=groups
        )
        assert len(scored_weights) == 3 * len(TEMPERATURES) * len(ALPHAS)
        held_out_weights = [w[groups == g] for g in range(3)]
        for weights in scored_weights:
            assert any(np.array_equal(weights, h) for h in held_out_weights)
        assert_array_equal(CountingTeacher.weights[-1], w)
        message = (
            "[sample_weight] are passed but are not explicitly set as requested or "
            "not requested for make_scorer(accuracy_score"
        )
        with pytest.raises(UnsetMetadataPassedError, match=re.escape(message)):
            search(teacher=teacher, student=student).fit(X, y, sample_weight=w)


def test_in_a_pipeline_and_cloned(data):
    """In a Pipeline, cloned and with nested parameters."""
    X, y = data
    model = search(alphas=[0.5])
    pipe = make_pipeline(StandardScaler(), model).fit(X, y)
    assert pipe.score(X, y) > 0.6
    assert pipe[-1].temperature_ in TEMPERATURES
    copy = clone(model).set_params(teacher__C=0.1, temperatures=[2.0])
    assert copy.get_params()["teacher__C"] == 0.1
    assert model.teacher.C == 1.0
    assert model.temperatures is TEMPERATURES


def test_pickle_round_trip(data):
    """A pickled search predicts the same."""
    X, y = data
    model = search().fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.predict_proba(X), model.predict_proba(X))


def test_predict_proba_available_iff_the_student_has_it(data):
    """Delegated methods exist only when the student has them."""
    X, y = data
    model = search(student=LinearSVC(), fit_strategy="hard", alphas=[1.0])
    assert not hasattr(model, "predict_proba")
    model.fit(X, y)
    assert not hasattr(model, "predict_proba")
    assert model.decision_function(X).shape == (150, 3)


def test_parallel_folds_give_the_same_results(data):
    """n_jobs > 1 (threads here, to stay light) matches n_jobs=1."""
    X, y = data
    sequential = search(temperatures=[2.0]).fit(X, y)
    with parallel_backend("threading", n_jobs=2):
        parallel = search(temperatures=[2.0], n_jobs=2).fit(X, y)
    assert_allclose(
        parallel.cv_results_["mean_test_score"],
        sequential.cv_results_["mean_test_score"],
    )


def test_a_callable_scorer_sees_the_fold_teacher(data):
    """A scorer gets a fitted DistilledClassifier whose teacher_ is the fold's."""
    X, y = data
    seen = []

    def fidelity(estimator, X, y):
        seen.append((type(estimator), estimator.teacher_.model_.coef_.copy()))
        return float(np.mean(estimator.predict(X) == estimator.teacher_.predict(X)))

    model = search(scoring=fidelity).fit(X, y)
    assert {kind for kind, _ in seen} == {DistilledClassifier}
    assert len({coef.tobytes() for _, coef in seen}) == 3  # one teacher per fold
    assert 0.5 < model.best_score_ <= 1.0


def test_fidelity_scorer_of_skdistill_metrics(data):
    """skdistill.metrics' fidelity scorer works as scoring, when it exists."""
    metrics = pytest.importorskip("skdistill.metrics")
    if not hasattr(metrics, "make_fidelity_scorer"):
        pytest.skip("skdistill.metrics has no make_fidelity_scorer")
    X, y = data
    model = search(scoring=metrics.make_fidelity_scorer()).fit(X, y)
    assert 0.5 < model.best_score_ <= 1.0


# -- augmentation sizes -------------------------------------------------------------


def test_augment_sizes_share_the_teacher_fit(data):
    """Searching augment sizes adds no teacher fit; size 0 means no synthetic rows."""
    X, y = data
    model = search(
        alphas=[0.5], augment="perturb", augment_sizes=[0.0, 1.0], random_state=0
    ).fit(X, y)
    assert CountingTeacher.n_fits == 3 + 1
    assert model.cv_results_["param_augment_size"].tolist() == [0.0] * 3 + [1.0] * 3
    assert model.augment_size_ in (0.0, 1.0)
    assert model.n_synthetic_ == (0 if model.augment_size_ == 0 else 150)
    plain = DistilledClassifier(
        CountingTeacher(),
        SoftLogisticRegression(),
        augment=None if model.augment_size_ == 0 else "perturb",
        temperature=model.temperature_,
        alpha=model.alpha_,
        random_state=0,
    ).fit(X, y)
    assert_allclose(model.predict_proba(X), plain.predict_proba(X))


# -- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"temperatures": [0.0, 1.0]},
            "temperatures must be a non-empty list of numbers > 0; got [0.0, 1.0].",
        ),
        ({"temperatures": []}, "temperatures must be a non-empty list of numbers > 0"),
        (
            {"alphas": [0.5, 1.5]},
            "alphas must be a non-empty list of numbers in [0, 1]; got [0.5, 1.5].",
        ),
        (
            {"alphas": ["a"]},
            "alphas must be a non-empty list of numbers in [0, 1]; got ['a'].",
        ),
        (
            {"augment": "munge", "augment_sizes": [-1.0]},
            "augment_sizes must be a non-empty list of numbers >= 0; got [-1.0].",
        ),
        (
            {"augment_sizes": [1.0, 2.0]},
            "augment_sizes=[1.0, 2.0] is set but augment=None: the sizes are those "
            "of the augmenter.",
        ),
        (
            {"scoring": ["accuracy", "neg_log_loss"]},
            "DistilledClassifierCV selects one setting by one score, so scoring "
            "must be a single metric (a string, a callable scorer or None); got "
            "['accuracy', 'neg_log_loss']. To compare several metrics, use "
            "GridSearchCV(DistilledClassifier(memory=...), ..., scoring=[...], "
            "refit=<metric>)",
        ),
        (
            {"scoring": "not_a_scorer"},
            "The 'scoring' parameter of DistilledClassifierCV must be a str among",
        ),
    ],
)
def test_bad_search_parameters_are_clear_errors(data, params, message):
    """Each bad search parameter is named, with what to do."""
    X, y = data
    with pytest.raises(ValueError, match=re.escape(message)):
        search(**params).fit(X, y)


def test_parameter_validation_names_the_parameter(data):
    """scikit-learn's validation names refit and cv."""
    X, y = data
    with pytest.raises(InvalidParameterError, match="The 'refit' parameter"):
        search(refit="yes").fit(X, y)
    with pytest.raises(InvalidParameterError, match="The 'cv' parameter"):
        search(cv="five").fit(X, y)


def test_frozen_teacher_with_cv_is_still_an_error(data):
    """The distiller's own checks apply: a frozen teacher cannot be cross-fitted."""
    X, y = data
    frozen = FrozenEstimator(CountingTeacher().fit(X, y))
    with pytest.raises(
        ValueError, match=re.escape("teacher_cv is set but the teacher is frozen")
    ):
        search(teacher=frozen, teacher_cv=3).fit(X, y)


# -- regression ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def regression_data():
    return make_regression(
        n_samples=120, n_features=5, n_informative=3, noise=10.0, random_state=0
    )


def test_regressor_search_matches_grid_search(regression_data):
    """DistilledRegressorCV: GridSearchCV's scores and choice, one teacher a fold."""
    X, y = regression_data
    alphas = [0.0, 0.5, 1.0]
    model = DistilledRegressorCV(
        CountingRegressor(), Ridge(alpha=10.0), alphas=alphas, cv=4
    ).fit(X, y)
    assert CountingRegressor.n_fits == 4 + 1
    CountingRegressor.n_fits = 0
    grid = GridSearchCV(
        DistilledRegressor(CountingRegressor(), Ridge(alpha=10.0)),
        {"alpha": alphas},
        cv=4,
    ).fit(X, y)
    assert CountingRegressor.n_fits == 4 * 3 + 1
    assert_allclose(
        model.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"]
    )
    assert model.best_params_ == grid.best_params_
    assert model.alpha_ == grid.best_params_["alpha"]
    assert_allclose(model.predict(X), grid.predict(X))
    assert not hasattr(model, "temperature_")


def test_regressor_search_over_augment_sizes(regression_data):
    """Augmentation sizes in the regressor's grid; scoring by any scorer."""
    X, y = regression_data
    model = DistilledRegressorCV(
        CountingRegressor(),
        Ridge(),
        alphas=[0.5],
        augment="perturb",
        augment_sizes=[0.0, 2.0],
        scoring="neg_mean_absolute_error",
        random_state=0,
        cv=3,
    ).fit(X, y)
    assert CountingRegressor.n_fits == 3 + 1
    assert sorted(model.best_params_) == ["alpha", "augment_size"]
    assert model.n_synthetic_ == (0 if model.augment_size_ == 0 else 240)
    assert (model.cv_results_["mean_test_score"] < 0).all()


def test_regressor_refit_false(regression_data):
    """refit=False on the regressor: results, no prediction."""
    X, y = regression_data
    model = DistilledRegressorCV(Ridge(), Ridge(), refit=False, cv=3).fit(X, y)
    assert model.alpha_ in (0.0, 0.25, 0.5, 0.75, 1.0)
    with pytest.raises(NotFittedError, match="was fit with refit=False"):
        model.predict(X)


def test_explicit_teacher_splits_are_refused(data):
    """Index splits of all rows cannot split a fold's rows: a clear error."""
    X, y = data
    splits = [(np.arange(50, 100), np.arange(50)), (np.arange(50), np.arange(50, 100))]
    with pytest.raises(
        ValueError,
        match=re.escape(
            "teacher_cv in a search must be None, an int or a cross-validation "
            "splitter (such as KFold(5))"
        ),
    ):
        search(teacher_cv=splits).fit(X, y)
