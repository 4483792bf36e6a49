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
