"""Pieces shared by the benchmark scripts: preprocessing, models, table output."""

from __future__ import annotations

import numpy as np
from lightgbm import LGBMClassifier
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def numeric_preprocessor():
    """One-hot categorical columns, impute and scale numeric ones."""
    return make_column_transformer(
        (
            make_pipeline(
                SimpleImputer(strategy="most_frequent"),
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            ),
            make_column_selector(dtype_include="category"),
        ),
        (
            make_pipeline(SimpleImputer(), StandardScaler()),
            make_column_selector(dtype_exclude="category"),
        ),
        verbose_feature_names_out=False,
    )


def lgbm_teacher(n_estimators: int = 300, random_state: int = 0):
    return LGBMClassifier(
        n_estimators=n_estimators,
        learning_rate=0.05,
        num_leaves=31,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        random_state=random_state,
        verbose=-1,
        n_jobs=2,
    )


def markdown_table(rows: list[dict], columns: list[str]) -> str:
    """Render rows (dicts) as a GitHub markdown table."""

    def fmt(v):
        if isinstance(v, float):
            return f"{v:.4f}" if abs(v) < 1000 else f"{v:.0f}"
        return str(v)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(fmt(r[c]) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def mean_std(values) -> str:
    values = np.asarray(values, dtype=float)
    return f"{values.mean():.4f} ± {values.std():.4f}"


class CachedTeacher:
    """Benchmark-only wrapper: a teacher whose fits are memoized by data.

    Every variant of a split (in-sample, out-of-fold, augmented) fits the same
    teacher on the same rows; this returns the earlier fit instead of
    repeating it. Predictions are the wrapped model's own.
    """

    _cache: dict = {}

    def __init__(self, estimator):
        self.estimator = estimator

    def get_params(self, deep=True):
        return {"estimator": self.estimator}

    def set_params(self, **params):
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def __sklearn_tags__(self):
        from sklearn.utils import get_tags

        return get_tags(self.estimator)

    def fit(self, X, y, sample_weight=None):
        import joblib
        from sklearn.base import clone

        key = joblib.hash((X, y, sample_weight, self.estimator.get_params()))
        if key not in self._cache:
            self._cache[key] = clone(self.estimator).fit(
                X, y, sample_weight=sample_weight
            )
            CachedTeacher.fits += 1
        self.model_ = self._cache[key]
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)

    @classmethod
    def clear(cls):
        cls._cache.clear()


CachedTeacher.fits = 0
