"""Realistic data from ../shared/datasets: strings, categoricals, missing values.

Skipped when the shared datasets folder is absent.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
from lightgbm import LGBMClassifier
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import _data

from skdistill import DistilledClassifier

pytestmark = pytest.mark.skipif(
    not _data.available(),
    reason=f"shared datasets folder not found at {_data.DATASETS_DIR}",
)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["telco_churn", "adult"])
def test_lightgbm_to_small_lightgbm_on_raw_dataframe(name):
    """Raw DataFrame (string categories, missing values), string labels, MUNGE."""
    X, y, _ = _data.load(name, max_rows=1500)
    assert X.isna().to_numpy().any() or name == "telco_churn"
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
    model = DistilledClassifier(
        LGBMClassifier(n_estimators=60, verbose=-1, n_jobs=1),
        LGBMClassifier(n_estimators=8, num_leaves=8, verbose=-1, n_jobs=1),
        teacher_cv=3,
        augment="munge",
        random_state=0,
    ).fit(X_tr, y_tr)
    assert model.fit_strategy_ == "native"
    assert set(model.classes_) == set(np.unique(y))
    majority = np.mean(
        y_te == model.classes_[np.argmax(np.unique(y_tr, return_counts=True)[1])]
    )
    assert model.score(X_te, y_te) > majority
    proba = model.predict_proba(X_te)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert model.n_synthetic_ == len(y_tr)
