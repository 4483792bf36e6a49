"""Fit parameters: weights into Pipelines, row-aligned parameters, scorers."""

import re

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, get_scorer, make_scorer
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdistill._fit_params import (
    _index_params,
    _is_row_aligned,
    accepts_sample_weight,
    check_student_params_for_augment,
    fit_with_sample_weight,
    scorer_accepts_sample_weight,
)


def test_accepts_sample_weight_reads_a_pipeline_by_its_last_step():
    assert accepts_sample_weight(LogisticRegression())
    assert not accepts_sample_weight(KNeighborsClassifier())
    assert accepts_sample_weight(make_pipeline(StandardScaler(), LogisticRegression()))
    assert not accepts_sample_weight(
        make_pipeline(StandardScaler(), KNeighborsClassifier())
    )


def test_fit_with_sample_weight_reaches_every_step_that_takes_it():
    """The scaler's weighted mean and the final step's weighted fit both move."""
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 1, 1])
    w = np.array([10.0, 1.0, 1.0, 1.0])
    pipe = fit_with_sample_weight(
        make_pipeline(StandardScaler(), LogisticRegression()), X, y, w
    )
    assert np.isclose(pipe[0].mean_[0], np.average(X[:, 0], weights=w))


def test_row_aligned_parameters_follow_their_rows():
    """Per-row parameters are indexed with the rows; the others are kept."""
    params = {"per_row": np.arange(4), "per_feature": [0, 1, 2], "flag": True}
    assert _is_row_aligned(params["per_row"], 4)
    assert not _is_row_aligned(params["per_feature"], 4)
    assert not _is_row_aligned(None, 4)
    out = _index_params(params, np.array([3, 1]), 4)
    assert out["per_row"].tolist() == [3, 1]
    assert out["per_feature"] == [0, 1, 2] and out["flag"] is True


def test_row_aligned_student_parameters_refuse_augmentation():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "Fit parameters ['groups'] are routed to the student with one value "
            "per training row, but augment adds synthetic rows"
        ),
    ):
        check_student_params_for_augment({"groups": np.arange(5), "k": [1, 2]}, 5)
    check_student_params_for_augment({"k": [1, 2]}, 5)


def test_scorer_accepts_sample_weight():
    assert scorer_accepts_sample_weight(get_scorer("accuracy"))
    assert scorer_accepts_sample_weight(make_scorer(accuracy_score))
    assert not scorer_accepts_sample_weight(lambda estimator, X, y: 0.0)
    assert scorer_accepts_sample_weight(lambda estimator, X, y, sample_weight=None: 0.0)
