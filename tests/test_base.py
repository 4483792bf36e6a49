"""The fit every distiller shares: the abstract base and its four steps."""

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from skdistill import DistilledClassifier
from skdistill._base import BaseDistiller, distil, prepare, teach


def test_a_distiller_without_its_hooks_cannot_be_built():
    """BaseDistiller declares its hooks: a subclass missing one fails at once."""

    class Incomplete(BaseDistiller):
        def __init__(self, teacher=None, student=None):
            self.teacher = teacher
            self.student = student

    with pytest.raises(TypeError, match=re.escape("_fit_student")):
        Incomplete()
    hooks = BaseDistiller.__abstractmethods__
    assert {
        "_default_teacher",
        "_default_student",
        "_validate_fit_data",
        "_labelled_mask",
        "_encode_targets",
        "_resolve_roles",
        "_soft_targets",
        "_fit_student",
    } == set(hooks)


def test_the_steps_by_hand_are_the_fit():
    """prepare, teach and distil, run by hand, give the model that fit gives."""
    X, y = load_iris(return_X_y=True)
    model = DistilledClassifier(
        LogisticRegression(max_iter=500), LogisticRegression(max_iter=500)
    )
    fitted = clone(model).fit(X, y)
    setup, rows = prepare(model, X, y, None, {})
    transfer = teach(model, setup, rows, augmenter=setup.augmenter)
    assert distil(model, setup, rows, transfer) is model
    assert_allclose(model.predict_proba(X), fitted.predict_proba(X))
    assert model.temperature_ == fitted.temperature_ == 1.0


def test_distil_reuses_one_teacher_for_other_settings():
    """The teacher's outputs do not depend on the settings: one teach, two distils."""
    X, y = load_iris(return_X_y=True)
    model = DistilledClassifier(
        LogisticRegression(max_iter=500), LogisticRegression(max_iter=500)
    )
    setup, rows = prepare(model, X, y, None, {})
    transfer = teach(model, setup, rows, augmenter=None)
    for temperature, alpha in [(1.0, 0.0), (4.0, 0.5)]:
        candidate = clone(model).set_params(temperature=temperature, alpha=alpha)
        candidate.n_features_in_ = model.n_features_in_
        distil(candidate, setup, rows, transfer)
        reference = clone(candidate).fit(X, y)
        assert candidate.teacher_ is transfer.teacher
        assert_allclose(candidate.predict_proba(X), reference.predict_proba(X))
        assert np.isclose(candidate.temperature_, temperature)
