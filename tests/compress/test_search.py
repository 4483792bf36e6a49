"""CompressedClassifierCV and CompressedRegressorCV (skdistill/compress/_search.py)."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from _helpers import CountingRegressor, CountingTeacher
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.compress import (
    BudgetError,
    CompressedClassifierCV,
    CompressedRegressorCV,
    default_ladder,
    pareto_front,
)

pytestmark = pytest.mark.usefixtures("fresh_counts", "one_thread_per_library")

X, Y = make_classification(
    n_samples=300, n_features=8, n_informative=5, n_classes=3, random_state=0
)
TREES = [DecisionTreeClassifier(max_depth=d, random_state=0) for d in (1, 2, 3, 4)]


def search(**params):
    params = {
        "teacher": CountingTeacher(),
        "students": TREES,
        "cv": 3,
        "onnx": False,
        "latency_repeats": 0,
        **params,
    }
    return CompressedClassifierCV(**params)


@pytest.fixture(scope="module")
def fitted():
    """One search over four trees, no budget, timed once."""
    return search(latency_repeats=1, patience=None).fit(X, Y)


def test_one_teacher_fit_per_fold_and_one_for_the_refit():
    model = search().fit(X, Y)
    assert CountingTeacher.n_fits == 4 == model.n_teacher_fits_


def test_frozen_teacher_is_never_fit():
    prefit = CountingTeacher().fit(X, Y)
    model = search(teacher=FrozenEstimator(prefit)).fit(X, Y)
    assert CountingTeacher.n_fits == 1  # the prefit
    assert model.n_teacher_fits_ == 0
    assert model.teacher_ is model.best_estimator_.teacher_


def test_scores_are_those_of_a_distiller_and_of_the_twin(fitted):
    """Each split's score is a DistilledClassifier's on that fold; the hard-
    label score is the plain student's; the teacher's is the teacher's."""
    folds = list(StratifiedKFold(3).split(X, Y))
    for i, student in enumerate(TREES):
        for k, (train, test) in enumerate(folds):
            distilled = DistilledClassifier(CountingTeacher(), student).fit(
                X[train], Y[train]
            )
            twin = clone(student).fit(X[train], Y[train])
            results = fitted.cv_results_
            assert results[f"split{k}_test_score"][i] == distilled.score(
                X[test], Y[test]
            )
            assert results[f"split{k}_hard_label_score"][i] == twin.score(
                X[test], Y[test]
            )
    teacher = [
        CountingTeacher().fit(X[tr], Y[tr]).score(X[te], Y[te]) for tr, te in folds
    ]
    assert fitted.teacher_split_scores_.tolist() == teacher
    assert fitted.teacher_score_ == pytest.approx(np.mean(teacher))


def test_results_and_footprint(fitted):
    """GridSearchCV's keys, one row per student, sizes of the fold-0 students."""
    results = fitted.cv_results_
    assert list(results["student_name"]) == [
        f"DecisionTreeClassifier[max_depth={d}]" for d in (1, 2, 3, 4)
    ]
    assert set(results["ladder"]) == {"students"}
    assert [p["student"].max_depth for p in results["params"]] == [1, 2, 3, 4]
    assert results["param_student"][2] is results["params"][2]["student"]
    frame = pd.DataFrame(results)
    assert len(frame) == 4
    assert frame["rank_test_score"].min() == 1
    train, _ = next(StratifiedKFold(3).split(X, Y))
    for i, student in enumerate(TREES):
        fold0 = DistilledClassifier(CountingTeacher(), student).fit(X[train], Y[train])
        assert results["size_bytes"][i] == len(
            pickle.dumps(fold0.student_, protocol=pickle.HIGHEST_PROTOCOL)
        )
        assert results["n_parameters"][i] == fold0.student_.tree_.node_count
        twin = clone(student).fit(X[train], Y[train])
        assert results["hard_label_size_bytes"][i] == len(
            pickle.dumps(twin, protocol=pickle.HIGHEST_PROTOCOL)
        )
    assert np.all(results["predict_time_1row"] > 0)
    assert np.all(results["predict_time_per_row"] > 0)
    assert np.isnan(results["onnx_size_bytes"]).all()
    assert fitted.teacher_footprint_["size_bytes"] > 0


def test_frontier(fitted):
    results = fitted.cv_results_
    assert (
        fitted.frontier_["size"].tolist()
        == pareto_front(results["size_bytes"], results["mean_test_score"]).tolist()
    )
    assert (
        fitted.frontier_["latency"].tolist()
        == pareto_front(
            results["predict_time_1row"], results["mean_test_score"]
        ).tolist()
    )


def test_refit_keeps_the_students_kind(fitted):
    """No budget: the best mean score; its student, distilled on all rows."""
    scores = fitted.cv_results_["mean_test_score"]
    assert fitted.best_index_ == int(np.argmax(scores))
    assert fitted.best_score_ == scores.max()
    assert isinstance(fitted.best_estimator_, DistilledClassifier)
    assert type(fitted.student_) is DecisionTreeClassifier
    depth = fitted.best_params_["student"].max_depth
    assert fitted.student_.max_depth == depth
    refit = DistilledClassifier(CountingTeacher(), TREES[depth - 1]).fit(X, Y)
    np.testing.assert_array_equal(fitted.predict_proba(X), refit.predict_proba(X))
    np.testing.assert_array_equal(fitted.predict(X), refit.predict(X))
    assert fitted.classes_.tolist() == [0, 1, 2]
    assert fitted.best_footprint_["n_parameters"] == refit.student_.tree_.node_count


@pytest.mark.parametrize(
    "budget",
    [
        {"keep": 0.8},
        {"min_score": 0.6},
        {"max_size": 2000},
        {"keep": 0.8, "max_size": 2500},
    ],
)
def test_budget_rule(budget):
    """A floor: the smallest within budget; ceilings alone: the best score."""
    model = search(patience=None, refit=False, **budget).fit(X, Y)
    results = model.cv_results_
    scores, sizes = results["mean_test_score"], results["size_bytes"]
    floors = [budget.get("min_score", -np.inf)]
    if "keep" in budget:
        floors.append(model.teacher_score_ * budget["keep"])
    assert model.min_score_ == (
        pytest.approx(max(floors))
        if len(budget) != 1 or "max_size" not in budget
        else None
    )
    within = (scores >= max(floors)) & (sizes <= budget.get("max_size", np.inf))
    assert within.any()
    if "keep" in budget or "min_score" in budget:
        expected = np.flatnonzero(within)[np.argmin(sizes[within])]
    else:
        expected = np.flatnonzero(within)[np.argmax(scores[within])]
    assert model.best_index_ == expected
    assert not hasattr(model, "best_estimator_")
    with pytest.raises(NotFittedError, match="was fit with refit=False"):
        model.predict(X)


def test_no_student_meets_the_budget():
    """BudgetError names the budget; the results are there to read."""
    model = search(max_size=10)
    with pytest.raises(
        BudgetError, match=re.escape("meets the budget max_size=10 bytes")
    ):
        model.fit(X, Y)
    assert len(model.cv_results_["mean_test_score"]) == 4
    assert model.frontier_["size"].size >= 1


def test_a_failed_fit_leaves_no_previous_choice():
    """A refit whose budget no student meets forgets the previous fit's choice."""
    model = search().fit(X, Y)
    with pytest.raises(BudgetError):
        model.set_params(min_score=2.0).fit(X, Y)
    assert not hasattr(model, "best_index_")
    assert not hasattr(model, "best_estimator_")
    assert not hasattr(model, "student_")
    with pytest.raises(NotFittedError, match="last fit chose no student: none met"):
        model.predict(X)


def test_max_latency_needs_timing():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "max_latency=1e-05 needs the students' prediction times, but "
            "latency_repeats=0 turns the timing off."
        ),
    ):
        search(max_latency=1e-5).fit(X, Y)


def test_patience_leaves_a_ladder_that_stops_improving():
    """The rule, replayed on cv_results_: after two students in a row that do
    not beat the best of their ladder, the rest of the ladder is skipped."""
    deep = [DecisionTreeClassifier(max_depth=d, random_state=0) for d in range(1, 13)]
    model = search(students={"deep": deep, "lr": [LogisticRegression()]}).fit(X, Y)
    tried = list(model.cv_results_["student_name"])
    scores = model.cv_results_["mean_test_score"]
    best, misses, expected_tried = -np.inf, 0, 0
    for score in scores[:-1]:  # the deep ladder, the last row is "lr"
        expected_tried += 1
        if score > best:
            best, misses = score, 0
        else:
            misses += 1
        if misses == 2:
            break
    assert tried[-1] == "LogisticRegression[]"
    assert len(tried) - 1 == expected_tried < 12
    assert model.skipped_ == [
        f"DecisionTreeClassifier[max_depth={d}]" for d in range(expected_tried + 1, 13)
    ]
    everything = search(students=deep, patience=None, refit=False).fit(X, Y)
    assert everything.skipped_ == []
    assert len(everything.cv_results_["student_name"]) == 12


def test_memory_reads_the_teachers_back(tmp_path):
    """Another budget, the same teachers: no teacher fit the second time."""
    search(memory=str(tmp_path), keep=0.8).fit(X, Y)
    fits = CountingTeacher.n_fits
    model = search(memory=str(tmp_path), max_size=3000).fit(X, Y)
    assert CountingTeacher.n_fits == fits
    assert model.n_teacher_fits_ == 4  # requested fits, read from the cache


def test_user_inputs_are_not_modified():
    X_copy, students = X.copy(), [clone(t) for t in TREES]
    search(students=students).fit(X_copy, Y)
    np.testing.assert_array_equal(X_copy, X)
    assert all(not hasattr(s, "tree_") for s in students)


def test_a_table_with_text_and_missing_values():
    """The default teacher and ladder take a DataFrame as a user has it."""
    rng = np.random.RandomState(0)
    table = pd.DataFrame(
        {
            "x": rng.randn(240),
            "colour": rng.choice(["red", "green", "blue", None], 240),
            "z": rng.randn(240),
        }
    )
    table.loc[::9, "x"] = np.nan
    y = np.where(table["z"] + (table["colour"] == "red") > 0.3, "yes", "no")
    ladders = default_ladder(table, random_state=0)
    students = {"linear": ladders["linear"], "tree": ladders["tree"][:3]}
    model = CompressedClassifierCV(
        students=students, cv=3, onnx=False, latency_repeats=0, random_state=0
    ).fit(table, y)
    assert isinstance(model.teacher_, Pipeline)  # LightGBM behind the encoding
    assert model.predict(table.head(5)).tolist()[0] in ("yes", "no")
    assert model.classes_.tolist() == ["no", "yes"]
    assert np.isfinite(model.cv_results_["mean_test_score"]).all()


def test_onnx_sizes_with_the_export_extra():
    pytest.importorskip("onnxruntime")
    model = search(
        teacher=LogisticRegression(max_iter=1000), students=TREES[:2], onnx=True
    ).fit(X, Y)
    assert np.all(model.cv_results_["onnx_size_bytes"] > 0)
    assert model.teacher_footprint_["onnx_size_bytes"] > 0
    assert np.isnan(model.cv_results_["onnx_predict_time_1row"]).all()  # untimed
    timed = search(
        teacher=LogisticRegression(max_iter=1000),
        students=TREES[:1],
        onnx=True,
        latency_repeats=1,
    ).fit(X, Y)
    assert 0 < timed.cv_results_["onnx_predict_time_1row"][0] < 0.1


def test_a_model_onnx_cannot_take_gets_nan_and_a_warning():
    pytest.importorskip("onnxruntime")
    with pytest.warns(UserWarning, match="The model CountingTeacher could not be"):
        model = search(students=TREES[:1], onnx=True).fit(X, Y)
    assert np.isnan(model.teacher_footprint_["onnx_size_bytes"])
    assert model.cv_results_["onnx_size_bytes"][0] > 0


def test_regressor():
    Xr, yr = make_regression(n_samples=200, n_features=5, noise=5.0, random_state=0)
    students = [DecisionTreeRegressor(max_depth=d, random_state=0) for d in (2, 4)]
    model = CompressedRegressorCV(
        CountingRegressor(), students, keep=0.3, cv=3, onnx=False, latency_repeats=0
    ).fit(Xr, yr)
    assert CountingRegressor.n_fits == 4
    train, test = next(KFold(3).split(Xr))
    distilled = DistilledRegressor(CountingRegressor(), students[0]).fit(
        Xr[train], yr[train]
    )
    assert model.cv_results_["split0_test_score"][0] == distilled.score(
        Xr[test], yr[test]
    )
    assert isinstance(model.best_estimator_, DistilledRegressor)
    assert model.score(Xr, yr) == model.best_estimator_.score(Xr, yr)


def test_regression_search_refuses_a_classifier():
    with pytest.raises(ValueError, match="but a regression search needs regressors"):
        CompressedRegressorCV(Ridge(), [DecisionTreeClassifier()]).fit(X, Y)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"keep": 1.5}, "The 'keep' parameter of CompressedClassifierCV must be"),
        ({"max_size": 0}, "The 'max_size' parameter of CompressedClassifierCV must be"),
        ({"patience": 0}, "The 'patience' parameter of CompressedClassifierCV must be"),
        ({"students": "trees"}, "The 'students' parameter of CompressedClassifierCV"),
    ],
)
def test_parameter_errors(params, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        search(**params).fit(X, Y)


def test_verbose_reports_on_stderr(capsys):
    search(students=TREES[:2], verbose=1).fit(X, Y)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "[CompressedClassifierCV] DecisionTreeClassifier[max_depth=1]: score" in (
        captured.err
    )
    assert "[CompressedClassifierCV] chosen: " in captured.err


def test_lightgbm_students_are_distilled_natively():
    """A LightGBM student is one of skdistill's native students."""
    model = search(
        students=[LGBMClassifier(n_estimators=3, num_leaves=4, verbose=-1, n_jobs=1)]
    ).fit(X, Y)
    assert model.fit_strategy_ == "native"


class _RecordingLGBM(LGBMClassifier):
    """LightGBM that records the thread count each of its fits got."""

    n_jobs_seen: list = []

    def fit(self, X, y, **params):
        type(self).n_jobs_seen.append(self.n_jobs)
        return super().fit(X, y, **params)


def test_twins_fit_under_the_thread_limit():
    """The hard-label twin's LightGBM gets n_jobs=0 (OpenMP's limit) as the
    distilled student does, and the user's n_jobs=None is given back."""
    student = _RecordingLGBM(n_estimators=2, num_leaves=4, verbose=-1)
    _RecordingLGBM.n_jobs_seen = []
    model = search(students=[student], fit_strategy="hard").fit(X, Y)
    assert _RecordingLGBM.n_jobs_seen and set(_RecordingLGBM.n_jobs_seen) == {0}
    assert model.best_params_["student"].n_jobs is None
    assert student.n_jobs is None


def test_a_regressor_student_and_its_twin():
    """A regressor student of the classifier search (the logits strategy):
    its twin fits the labels the same way, a LogitMatchingClassifier."""
    from skdistill import LogitMatchingClassifier

    labels = np.array(["a", "b", "c"])[Y]
    students = [DecisionTreeRegressor(max_depth=d, random_state=0) for d in (2, 3)]
    model = search(students=students).fit(X, labels)
    train, test = next(StratifiedKFold(3).split(X, labels))
    twin = LogitMatchingClassifier(students[0]).fit(X[train], labels[train])
    assert model.cv_results_["split0_hard_label_score"][0] == twin.score(
        X[test], labels[test]
    )
    assert isinstance(model.student_, LogitMatchingClassifier)


def test_a_refit_student_past_max_size_is_warned_about():
    """max_size holds on the first fold's student; the refit one, on more
    rows, can grow past it: a warning names the bound."""
    deep = [DecisionTreeClassifier(max_depth=12, random_state=0)]
    fold_size = search(students=deep, refit=False).fit(X, Y).cv_results_["size_bytes"]
    with pytest.warns(UserWarning, match="measures size_bytes=.*above max_size="):
        model = search(students=deep, max_size=float(fold_size[0])).fit(X, Y)
    assert model.best_footprint_["size_bytes"] > fold_size[0]


def test_metadata_reaches_the_students_that_request_it():
    """With routing, each student's distiller gets what it requested (metadata
    only the students request used to be refused): the refit equals a
    DistilledClassifier given the same metadata."""
    import sklearn

    Xc = X.copy()
    Xc[:, 0] = np.abs(np.round(Xc[:, 0]))
    with sklearn.config_context(enable_metadata_routing=True):
        students = [
            LGBMClassifier(n_estimators=k, verbose=-1, n_jobs=1).set_fit_request(
                categorical_feature=True
            )
            for k in (2, 3)
        ]
        teacher = LGBMClassifier(n_estimators=5, verbose=-1, n_jobs=1)
        teacher.set_fit_request(categorical_feature=False)
        model = search(teacher=teacher, students=students).fit(
            Xc, Y, categorical_feature=[0]
        )
        chosen = students[model.best_index_]
        plain = DistilledClassifier(teacher, chosen).fit(Xc, Y, categorical_feature=[0])
    np.testing.assert_array_equal(model.predict_proba(Xc), plain.predict_proba(Xc))


def test_the_l1_ladder_ignores_unlabeled_markers():
    """The default ladder's Lasso scale is the labelled targets' spread."""
    yr = make_regression(n_samples=90, n_features=4, random_state=0)[1]
    y_marked = yr.copy()
    y_marked[::3] = -999.0
    model = CompressedRegressorCV(unlabeled=-999.0)
    labelled = model._labelled_targets(y_marked)
    assert np.array_equal(labelled, yr[np.arange(90) % 3 != 0])
