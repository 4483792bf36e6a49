"""The searches and the out-of-fold teachers on a cluster, through joblib.

``joblib.parallel_config(backend="dask")`` sends the folds that skdistill
runs with joblib (a search's folds, the teacher's ``teacher_cv`` folds) to
the workers; the results are those of ``n_jobs=1``, since every fold is the
same computation on the same rows with the same seeds.
"""

import joblib
import numpy as np
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import SGDRegressor

from skdistill import (
    DistilledClassifier,
    DistilledClassifierCV,
    DistilledRegressorCV,
    SoftLogisticRegression,
)

distributed = pytest.importorskip("distributed")

TOLERANCE = 1e-12


def lgbm(cls=LGBMClassifier):
    return cls(n_estimators=10, num_leaves=7, verbose=-1, n_jobs=1, random_state=0)


def on_the_cluster(client, fit):
    """``fit()`` under joblib's Dask backend; the tasks the workers ran."""
    with (
        distributed.get_task_stream(client) as stream,
        joblib.parallel_config(backend="dask"),
    ):
        model = fit()
    tasks = [t for t in stream.data if "_WithConfig" in str(t["key"])]
    return model, tasks


def test_classifier_search_runs_its_folds_on_the_workers(client):
    """DistilledClassifierCV with out-of-fold teachers: the 3 folds of the
    search and the 2 teacher folds of the refit run on both workers; the
    scores, the choice and the refit model are those of ``n_jobs=1``."""
    X, y = make_classification(
        n_samples=400, n_features=6, n_informative=4, n_classes=3, random_state=0
    )

    def search(n_jobs):
        return DistilledClassifierCV(
            lgbm(),
            SoftLogisticRegression(),
            temperatures=[1.0, 3.0],
            alphas=[0.0, 0.5],
            cv=3,
            teacher_cv=2,
            n_jobs=n_jobs,
        )

    reference = search(1).fit(X, y)
    model, tasks = on_the_cluster(client, lambda: search(None).fit(X, y))
    assert len(tasks) >= 5
    assert {t["worker"] for t in tasks} == set(client.scheduler_info()["workers"])
    assert model.best_params_ == reference.best_params_
    for key in ("mean_test_score", *(f"split{k}_test_score" for k in range(3))):
        assert_allclose(
            model.cv_results_[key], reference.cv_results_[key], atol=TOLERANCE
        )
    assert_allclose(
        model.predict_proba(X), reference.predict_proba(X), rtol=0, atol=TOLERANCE
    )


def test_out_of_fold_teachers_run_on_the_workers(client):
    """A DistilledClassifier's ``teacher_cv`` folds run on the cluster; the
    model is the one of ``n_jobs=1``."""
    X, y = make_classification(n_samples=300, n_features=5, random_state=1)

    def distiller(n_jobs):
        return DistilledClassifier(lgbm(), teacher_cv=4, n_jobs=n_jobs)

    reference = distiller(1).fit(X, y)
    model, tasks = on_the_cluster(client, lambda: distiller(-1).fit(X, y))
    assert len(tasks) >= 4
    assert_allclose(
        model.predict_proba(X), reference.predict_proba(X), rtol=0, atol=TOLERANCE
    )
    assert model.training_fidelity_ == reference.training_fidelity_


def test_regressor_search_on_the_cluster(client):
    """DistilledRegressorCV: the same scores and choice as ``n_jobs=1``."""
    X, y = make_regression(n_samples=300, n_features=5, noise=5.0, random_state=0)

    def search(n_jobs):
        return DistilledRegressorCV(
            lgbm(LGBMRegressor),
            SGDRegressor(random_state=0),
            alphas=[0.0, 0.5, 1.0],
            cv=3,
            n_jobs=n_jobs,
        )

    reference = search(1).fit(X, y)
    model, tasks = on_the_cluster(client, lambda: search(2).fit(X, y))
    assert len(tasks) >= 3
    assert model.best_params_ == reference.best_params_
    assert_allclose(
        model.cv_results_["mean_test_score"],
        reference.cv_results_["mean_test_score"],
        atol=TOLERANCE,
    )
    assert np.array_equal(model.predict(X), reference.predict(X))
