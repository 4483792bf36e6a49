"""student_pipeline and teacher_pipeline: the model to ship, found in a fit."""

import pickle
import re

import numpy as np
import pytest
from lightgbm import LGBMClassifier
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skdistill import (
    BornAgainClassifier,
    DistilledClassifier,
    DistilledClassifierCV,
    MutualDistillationClassifier,
    TeacherEnsemble,
)
from skdistill.export import UnsupportedModelError, student_pipeline, teacher_pipeline


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=200, n_features=6, random_state=0)


def _teacher():
    return LGBMClassifier(n_estimators=10, verbose=-1, n_jobs=1, random_state=0)


def _distiller(student=None):
    student = student or DecisionTreeClassifier(max_depth=3, random_state=0)
    return DistilledClassifier(_teacher(), student, random_state=0)


def test_distiller_gives_its_student(data):
    model = _distiller().fit(*data)
    assert student_pipeline(model) is model.student_
    assert teacher_pipeline(model) is model.teacher_


def test_pipelines_are_flattened_and_predict_as_the_distiller(data):
    """Outer preprocessing, then the student's own pipeline: one flat Pipeline."""
    X, y = data
    student = make_pipeline(StandardScaler(), LogisticRegression())
    model = make_pipeline(StandardScaler(), _distiller(student)).fit(X, y)
    shipped = student_pipeline(model)
    assert isinstance(shipped, Pipeline)
    assert [type(step).__name__ for _, step in shipped.steps] == [
        "StandardScaler",
        "StandardScaler",
        "LogisticRegression",
    ]
    assert len(set(shipped.named_steps)) == 3  # unique names
    np.testing.assert_array_equal(shipped.predict_proba(X), model.predict_proba(X))
    teacher = teacher_pipeline(model)
    assert [type(step).__name__ for _, step in teacher.steps] == [
        "StandardScaler",
        "LGBMClassifier",
    ]
    np.testing.assert_allclose(
        teacher.predict_proba(X),
        model[-1].teacher_.predict_proba(model[0].transform(X)),
    )


def test_model_is_not_modified(data):
    X, y = data
    model = make_pipeline(StandardScaler(), _distiller()).fit(X, y)
    before = pickle.dumps(model)
    student_pipeline(model)
    teacher_pipeline(model)
    assert pickle.dumps(model) == before


def test_search_frozen_and_bare_estimators(data):
    X, y = data
    search = DistilledClassifierCV(
        _teacher(),
        DecisionTreeClassifier(max_depth=2, random_state=0),
        temperatures=[1.0, 2.0],
        alphas=[0.5],
        cv=2,
        random_state=0,
    ).fit(X, y)
    assert student_pipeline(search) is search.student_
    tree = DecisionTreeClassifier(max_depth=2).fit(X, y)
    assert student_pipeline(tree) is tree
    assert student_pipeline(FrozenEstimator(tree)) is tree
    assert teacher_pipeline(tree) is tree


def test_variants(data):
    X, y = data
    born = BornAgainClassifier(
        DecisionTreeClassifier(max_depth=3, random_state=0),
        n_generations=2,
        teacher_cv=None,
        random_state=0,
    ).fit(X, y)
    assert student_pipeline(born) is born.generations_[-1]
    assert teacher_pipeline(born) is born.generations_[0]
    cohort = MutualDistillationClassifier(
        [
            ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
            ("logistic", LogisticRegression()),
        ],
        cv=2,
        predict_with="tree",
    ).fit(X, y)
    assert student_pipeline(cohort) is cohort.named_estimators_["tree"]


def test_averages_and_teacher_ensembles_are_refused(data):
    X, y = data
    born = BornAgainClassifier(
        DecisionTreeClassifier(max_depth=3, random_state=0),
        n_generations=1,
        teacher_cv=None,
        predict_with="average",
    ).fit(X, y)
    with pytest.raises(
        UnsupportedModelError,
        match=re.escape("BornAgainClassifier predicts with an average of several"),
    ):
        student_pipeline(born)
    cohort = MutualDistillationClassifier(
        [("a", DecisionTreeClassifier(max_depth=2)), ("b", LogisticRegression())],
        cv=2,
        predict_with="average",
    ).fit(X, y)
    with pytest.raises(UnsupportedModelError, match="predict_with='average'"):
        student_pipeline(cohort)
    with pytest.raises(UnsupportedModelError, match="has no teacher"):
        teacher_pipeline(cohort)
    ensemble = TeacherEnsemble([("a", _teacher()), ("b", LogisticRegression())])
    with pytest.raises(UnsupportedModelError, match="is a teacher"):
        student_pipeline(ensemble.fit(X, y))


def test_unfitted_and_non_estimators(data):
    with pytest.raises(NotFittedError):
        student_pipeline(_distiller())
    with pytest.raises(TypeError, match="must be a fitted scikit-learn estimator"):
        student_pipeline("model.skops")
    with pytest.raises(UnsupportedModelError, match="'passthrough'"):
        student_pipeline(
            Pipeline([("a", StandardScaler()), ("b", "passthrough")]).fit(data[0])
        )
