"""OpenMP threads inside a fit: the default rule, where it applies, overrides.

The estimators below record the OpenMP limit in effect in their ``fit``
(``threadpoolctl``). Each test sets an outer limit that the rule never gives
(``OUTER`` threads) so that a fit outside skdistill's limit shows it.
"""

import threading

import numpy as np
import pytest
from joblib import parallel_backend
from lightgbm import LGBMClassifier
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info, threadpool_limits

from skdistill import DistilledClassifier, DistilledClassifierCV, _threads
from skdistill._threads import ENV_VAR, fit_threads, limit_threads

OUTER = 16  # the outer OpenMP limit of the tests: above any limit they expect
RECORDS: list[tuple[str, int, bool]] = []


def _openmp_threads() -> int:
    counts = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp"]
    if not counts:
        pytest.skip("no OpenMP library is loaded")
    return min(counts)


def _record(role: str) -> None:
    main = threading.current_thread() is threading.main_thread()
    RECORDS.append((role, _openmp_threads(), main))


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """A teacher or student that records the OpenMP limit during its fit."""

    def __init__(self, role="teacher"):
        self.role = role

    def fit(self, X, y, sample_weight=None):
        _record(self.role)
        self.classes_ = np.unique(y)
        self.mean_ = np.asarray(X, dtype=float).mean(axis=0)
        return self

    def predict_proba(self, X):
        score = np.asarray(X, dtype=float) @ np.arange(1.0, 1.0 + len(self.mean_))
        first = 1.0 / (1.0 + np.exp(-score / 10.0))
        proba = np.column_stack([first, 1.0 - first])
        return proba[:, : len(self.classes_)]

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class RecordingLGBM(LGBMClassifier):
    """An LGBMClassifier that records its ``n_jobs`` and OpenMP limit in fit."""

    def fit(self, X, y, **kwargs):
        RECORDS.append(("n_jobs", self.n_jobs, True))
        _record("lgbm")
        return super().fit(X, y, **kwargs)


@pytest.fixture
def data():
    return make_classification(n_samples=120, n_features=4, random_state=0)


@pytest.fixture(autouse=True)
def outer_limit(monkeypatch):
    """An outer OpenMP limit of OUTER threads, the default rule, no records."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    RECORDS.clear()
    with threadpool_limits(limits=OUTER, user_api="openmp"):
        yield
    RECORDS.clear()


def _threads_of(role: str, main: bool | None = None) -> set[int]:
    return {n for r, n, m in RECORDS if r == role and (main is None or m == main)}


def test_rule_one_thread_per_250k_values_leaving_a_core(monkeypatch):
    """One thread per 250,000 values, at most (cores - 1) // workers, at least 1."""
    monkeypatch.setattr(_threads, "_cores", lambda: 8)
    monkeypatch.setattr(_threads, "_openmp_ceiling", lambda: None)
    assert fit_threads(1347 * 64) == 1  # the README's quick start
    assert fit_threads(200_000) == 1
    assert fit_threads(1_000_000) == 4  # 50,000 rows x 20 columns
    assert fit_threads(50_000_000) == 7  # one core left
    assert fit_threads(50_000_000, n_workers=2) == 3
    assert fit_threads(50_000_000, n_workers=8) == 1
    monkeypatch.setattr(_threads, "_cores", lambda: 2)
    assert fit_threads(50_000_000) == 1  # on 2 cores, always one thread


def test_rule_never_raises_the_limit_in_effect(monkeypatch):
    """A lower OpenMP limit around the fit (or in a joblib worker) is kept."""
    monkeypatch.setattr(_threads, "_cores", lambda: 8)
    with threadpool_limits(limits=2, user_api="openmp"):
        assert fit_threads(50_000_000) == 2


def test_environment_variable_replaces_the_rule(monkeypatch):
    """SKDISTILL_N_THREADS: threads per fit shared by the workers, or none."""
    monkeypatch.setenv(ENV_VAR, "6")
    assert fit_threads(10) == 6
    assert fit_threads(10, n_workers=4) == 1
    monkeypatch.setenv(ENV_VAR, "none")
    assert fit_threads(50_000_000) is None
    monkeypatch.setenv(ENV_VAR, "many")
    with pytest.raises(ValueError, match=ENV_VAR):
        fit_threads(10)


def test_limit_applies_to_teacher_and_student_fits(data):
    """Inside a distiller's fit, the teacher and the student see the rule's limit."""
    X, y = data
    DistilledClassifier(
        teacher=RecordingClassifier("teacher"), student=RecordingClassifier("student")
    ).fit(X, y)
    assert _threads_of("teacher") == {1}
    assert _threads_of("student") == {1}


def test_limit_is_restored_after_fit_and_after_an_error(data):
    """The limit in effect before the fit is back after it, even if it fails."""
    X, y = data
    DistilledClassifier(
        teacher=RecordingClassifier(), student=RecordingClassifier("student")
    ).fit(X, y)
    assert _openmp_threads() == OUTER
    with pytest.raises(ValueError):
        DistilledClassifier(
            teacher=RecordingLGBM(n_estimators=2, verbose=-1),
            student=RecordingClassifier("student"),
        ).fit(X, np.r_[y[:-1], 5.5])  # a continuous target: LightGBM refuses it
    assert _openmp_threads() == OUTER


def test_lightgbm_without_n_jobs_follows_the_limit(data):
    """LightGBM's own default (all physical cores, which ignores OpenMP's limit)
    becomes n_jobs=0 during the fit; the fitted teacher shows n_jobs=None."""
    X, y = data
    teacher = make_pipeline(StandardScaler(), RecordingLGBM(n_estimators=3, verbose=-1))
    model = DistilledClassifier(teacher=teacher, student=RecordingClassifier()).fit(
        X, y
    )
    assert _threads_of("n_jobs") == {0}
    assert _threads_of("lgbm") == {1}
    assert model.teacher_[-1].n_jobs is None
    assert teacher[-1].n_jobs is None  # the user's teacher is not touched


@pytest.mark.parametrize(
    "params, n_jobs", [({"n_jobs": 3}, 3), ({"num_threads": 3}, None)]
)
def test_explicit_lightgbm_threads_win(data, params, n_jobs):
    """An explicit n_jobs (or num_threads) on a LightGBM teacher is kept."""
    X, y = data
    teacher = RecordingLGBM(n_estimators=3, verbose=-1, **params)
    model = DistilledClassifier(teacher=teacher, student=RecordingClassifier()).fit(
        X, y
    )
    assert _threads_of("n_jobs") == {n_jobs}
    assert model.teacher_.get_params()["n_jobs"] == n_jobs


def test_none_disables_the_limit(data, monkeypatch):
    """SKDISTILL_N_THREADS=none: the libraries' own defaults, as before."""
    monkeypatch.setenv(ENV_VAR, "none")
    X, y = data
    DistilledClassifier(
        teacher=RecordingLGBM(n_estimators=3, verbose=-1),
        student=RecordingClassifier("student"),
    ).fit(X, y)
    assert _threads_of("n_jobs") == {None}
    assert _threads_of("lgbm") == _threads_of("student") == {OUTER}


def test_fold_workers_get_their_share(data, monkeypatch):
    """With teacher_cv folds in parallel, each worker gets threads // n_jobs."""
    monkeypatch.setenv(ENV_VAR, "14")
    X, y = data
    with parallel_backend("threading", n_jobs=2):
        DistilledClassifier(
            teacher=RecordingClassifier(),
            student=RecordingClassifier("student"),
            teacher_cv=3,
            n_jobs=2,
        ).fit(X, y)
    assert _threads_of("teacher", main=True) == {14}  # the full teacher
    assert _threads_of("teacher", main=False) == {7}  # the folds, in threads
    assert _threads_of("student") == {14}


def test_search_limits_its_folds_and_refit(data, monkeypatch):
    """A search's folds (in parallel: their share) and its refit are limited."""
    monkeypatch.setenv(ENV_VAR, "14")
    X, y = data
    with parallel_backend("threading", n_jobs=2):
        DistilledClassifierCV(
            teacher=RecordingClassifier(),
            student=RecordingClassifier("student"),
            temperatures=[1.0, 2.0],
            alphas=[0.5],
            cv=2,
            n_jobs=2,
        ).fit(X, y)
    assert _threads_of("teacher", main=False) == {7}
    assert _threads_of("student", main=False) == {7}
    assert _threads_of("teacher", main=True) == {14}  # the refit
    assert _threads_of("student", main=True) == {14}


def test_limit_threads_leaves_frozen_models_and_none_alone():
    """limit_threads(None) changes nothing; a frozen model is never changed."""
    from sklearn.frozen import FrozenEstimator

    model = LGBMClassifier(n_estimators=2, verbose=-1)
    with limit_threads(None, model) as limit:
        assert _openmp_threads() == OUTER and model.n_jobs is None
    assert limit.changed == []
    with limit_threads(1, FrozenEstimator(model)) as limit:
        assert _openmp_threads() == 1 and model.n_jobs is None
    assert limit.changed == []
