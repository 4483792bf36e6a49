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


def _deterministic_models():
    from lightgbm import LGBMClassifier, LGBMRegressor
    from sklearn.tree import DecisionTreeRegressor

    from skdistill import DistilledClassifierCV, DistilledRegressor

    def lgbm(cls):
        return cls(n_estimators=15, num_leaves=7, verbose=-1, random_state=0)

    return {
        "classifier": DistilledClassifier(
            lgbm(LGBMClassifier), teacher_cv=3, augment="munge", random_state=0
        ),
        "regressor": DistilledRegressor(
            lgbm(LGBMRegressor),
            DecisionTreeRegressor(max_depth=4, random_state=0),
            teacher_cv=3,
            augment="perturb",
            random_state=0,
        ),
        "search": DistilledClassifierCV(
            lgbm(LGBMClassifier),
            LogisticRegression(max_iter=500),
            temperatures=[1.0, 4.0],
            alphas=[0.0, 0.5],
            augment="perturb",
            augment_sizes=[0.0, 1.0],
            teacher_cv=3,
            cv=2,
            random_state=0,
        ),
    }


@pytest.mark.parametrize("name", ["classifier", "regressor", "search"])
def test_same_random_state_gives_bit_identical_predictions(name):
    """Two fits with one random_state, folds in series or in parallel: the same bits.

    Cross-fitting, augmentation and the search's folds run with n_jobs=1
    and n_jobs=2; every prediction (and the pickled student) is identical.
    """
    import pickle

    X, y = load_iris(return_X_y=True)
    if name == "regressor":
        X, y = X[:, 1:], X[:, 0]
    base = _deterministic_models()[name]
    fitted = [clone(base).set_params(n_jobs=n).fit(X, y) for n in (1, 2, 1)]
    method = "predict" if name == "regressor" else "predict_proba"
    first = getattr(fitted[0], method)(X)
    for other in fitted[1:]:
        np.testing.assert_array_equal(getattr(other, method)(X), first)
        assert pickle.dumps(other.student_) == pickle.dumps(fitted[0].student_)
