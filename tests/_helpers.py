"""Teachers shared by the test modules: they count their fits (in the class)."""

from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.linear_model import LogisticRegression, Ridge


class CountingTeacher(ClassifierMixin, BaseEstimator):
    """A logistic-regression teacher that counts its fits and their weights."""

    n_fits = 0
    weights: list = []

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y, sample_weight=None):
        type(self).n_fits += 1
        type(self).weights.append(sample_weight)
        self.model_ = LogisticRegression(C=self.C).fit(X, y, sample_weight)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def decision_function(self, X):
        return self.model_.decision_function(X)

    def predict(self, X):
        return self.model_.predict(X)


class CountingRegressor(RegressorMixin, BaseEstimator):
    """A ridge teacher that counts its fits."""

    n_fits = 0

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y, sample_weight=None):
        type(self).n_fits += 1
        self.model_ = Ridge(alpha=self.alpha).fit(X, y, sample_weight)
        return self

    def predict(self, X):
        return self.model_.predict(X)


def reset_counts():
    """Zero the fit counts (and the recorded weights) of the counting teachers."""
    CountingTeacher.n_fits = 0
    CountingTeacher.weights = []
    CountingRegressor.n_fits = 0
