"""Fixtures of the tests of the displays, drawn with the Agg backend."""

import sys

import pytest
from plotting._data import classification, make_teacher, regression
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from skdistill import DistilledClassifier


@pytest.fixture(autouse=True)
def close_figures():
    """Every figure a test opened is closed after it."""
    yield
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


@pytest.fixture(scope="module", name="binary")
def binary_fixture():
    """A binary task: X_train, X_test, y_train, y_test."""
    return classification()


@pytest.fixture(scope="module", name="multiclass")
def multiclass_fixture():
    """A three-class task: X_train, X_test, y_train, y_test."""
    return classification(n_classes=3)


@pytest.fixture(scope="module", name="regression")
def regression_fixture():
    """A regression task: X_train, X_test, y_train, y_test."""
    return regression()


@pytest.fixture(scope="module")
def fitted_binary(binary):
    """A logistic-regression student distilled on the binary task."""
    X_train, _, y_train, _ = binary
    return DistilledClassifier(make_teacher(), LogisticRegression()).fit(
        X_train, y_train
    )


@pytest.fixture(scope="module")
def fitted_svc(binary):
    """A distiller whose student (LinearSVC) has no predict_proba."""
    X_train, _, y_train, _ = binary
    return DistilledClassifier(make_teacher(), LinearSVC()).fit(X_train, y_train)
