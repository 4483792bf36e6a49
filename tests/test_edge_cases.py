"""Edge cases: routing requests, class weights, unseen classes, frozen teachers."""

import numpy as np
import pytest
import sklearn
from sklearn.compose import make_column_transformer
from sklearn.datasets import load_iris
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier, LogitMatchingClassifier


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def test_routing_pipeline_final_step_refusing_weights_is_an_error(iris):
    """A final step that declined sample_weight cannot silently drop the weights."""
    X, y = iris
    with sklearn.config_context(enable_metadata_routing=True):
        student = make_pipeline(
            StandardScaler(), LogisticRegression().set_fit_request(sample_weight=False)
        )
        with pytest.raises(ValueError, match="set_fit_request"):
            DistilledClassifier(LogisticRegression(max_iter=500), student).fit(X, y)


def test_balanced_class_weight_counts_original_rows(iris):
    """class_weight='balanced' on a weighted student uses soft class totals.

    With alpha = 1 the expansion is the original data, so the distilled tree
    equals a balanced tree fit on the labels directly.
    """
    X, y = iris
    keep = np.r_[0:50, 50:70, 100:150]  # imbalanced: 50 / 20 / 50
    X, y = X[keep], y[keep]
    tree = DecisionTreeClassifier(max_depth=2, class_weight="balanced", random_state=0)
    direct = sklearn.base.clone(tree).fit(X, y)
    model = DistilledClassifier(
        FrozenEstimator(LogisticRegression(max_iter=500).fit(X, y)), tree, alpha=1.0
    ).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), direct.predict_proba(X))
    unweighted = DistilledClassifier(
        FrozenEstimator(LogisticRegression(max_iter=500).fit(X, y)),
        DecisionTreeClassifier(max_depth=2, random_state=0),
        alpha=1.0,
    ).fit(X, y)
    assert not np.allclose(model.predict_proba(X), unweighted.predict_proba(X))


def test_decision_function_has_a_column_per_class(iris):
    """A student that never saw a class still scores every class of classes_."""
    X, y = iris
    teacher = FrozenEstimator(LogisticRegression(max_iter=500).fit(X, y))
    keep = y < 2
    model = DistilledClassifier(teacher, LogisticRegression(), alpha=1.0).fit(
        X[keep], y[keep]
    )
    assert list(model.classes_) == [0, 1, 2]
    scores = model.decision_function(X)
    assert scores.shape == (len(y), 3)
    assert np.all(np.isneginf(scores[:, 2]))
    np.testing.assert_array_equal(scores.argmax(axis=1), model.predict(X))


def test_logits_strategy_alpha_one_ignores_the_temperature(iris):
    """alpha = 1 means the labels alone, for logit matching too."""
    X, y = iris
    ref = LogitMatchingClassifier(Ridge()).fit(X, y).predict_proba(X)
    model = DistilledClassifier(
        LogisticRegression(max_iter=500), Ridge(), alpha=1.0, temperature=4.0
    ).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), ref, atol=1e-10)


def test_unfitted_frozen_teacher_is_a_clear_error(iris):
    X, y = iris
    with pytest.raises(ValueError, match=r"not fitted\. Fit it before freezing"):
        DistilledClassifier(FrozenEstimator(LogisticRegression())).fit(X, y)


def test_frozen_teacher_allows_single_class_y(iris):
    """With a frozen teacher the classes come from it: y may hold one class."""
    X, y = iris
    teacher = FrozenEstimator(LogisticRegression(max_iter=500).fit(X, y))
    model = DistilledClassifier(teacher, LogisticRegression(), alpha=0.0).fit(
        X[y == 0], y[y == 0]
    )
    assert list(model.classes_) == [0, 1, 2]
    with pytest.raises(ValueError, match="only one class"):
        DistilledClassifier(LogisticRegression()).fit(X[y == 0], y[y == 0])


def test_nan_with_column_transformer_pipeline_student(iris):
    """A Pipeline student that imputes inside a ColumnTransformer takes NaN."""
    X, y = iris
    X = X.copy()
    X[::7, 0] = np.nan
    student = make_pipeline(
        make_column_transformer((SimpleImputer(), [0]), remainder="passthrough"),
        LogisticRegression(max_iter=500),
    )
    model = DistilledClassifier(student=student).fit(X, y)
    assert model.score(X, y) > 0.9
