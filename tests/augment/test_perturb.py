"""RandomPerturbation: random rows, cells redrawn from the marginals, noise."""

import numpy as np
import pandas as pd
from augment._data import _frame, _valid_values

from skdistill.augment import RandomPerturbation


def test_perturbation_without_noise_takes_values_from_the_columns():
    """With noise=0 every cell is a value of its column in X."""
    X = _frame()
    X_synthetic = RandomPerturbation(
        size=3.0, fraction=1.0, noise=0.0, random_state=0
    ).generate(X)
    for name in X.columns:
        assert _valid_values(X_synthetic[name]) <= _valid_values(X[name]), name


def test_perturbation_replaces_a_fraction_of_the_cells():
    """About `fraction` of a row's cells come from other rows."""
    X = np.repeat(np.arange(50.0)[:, None], 20, axis=1)
    X_synthetic = RandomPerturbation(
        size=40.0, fraction=0.3, noise=0.0, random_state=0
    ).generate(X)
    base = np.array([np.bincount(row.astype(int)).argmax() for row in X_synthetic])
    replaced = (X_synthetic != base[:, None]).mean()
    assert abs(replaced - 0.3 * 49 / 50) < 0.01


def test_perturbation_noise_is_a_multiple_of_the_column_std():
    """Continuous cells get Normal(0, noise * std) noise; nominal cells none."""
    X = pd.DataFrame({"x": [0.0, 1.0] * 10, "c": ["a", "b"] * 10})
    X_synthetic = RandomPerturbation(
        size=500.0, fraction=0.5, noise=0.1, random_state=0
    ).generate(X)
    residual = X_synthetic["x"] - np.rint(X_synthetic["x"])
    assert abs(residual.std() - 0.1 * 0.5) < 0.005
    assert set(X_synthetic["c"]) == {"a", "b"}
