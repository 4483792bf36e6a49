"""Data and augmenters shared by the augmenter tests."""

from functools import partial

import numpy as np
import pandas as pd
import pytest

from skdistill.augment import MUNGE, RandomPerturbation

AUGMENTERS = [
    pytest.param(MUNGE, id="MUNGE"),
    pytest.param(partial(MUNGE, neighbor_search="approximate"), id="MUNGE-approx"),
    pytest.param(RandomPerturbation, id="RandomPerturbation"),
]


def _frame(n_rows=40, seed=0):
    """A DataFrame with every supported column type, most with missing values."""
    rng = np.random.default_rng(seed)
    missing = rng.random((n_rows, 9)) < 0.15
    floats = rng.normal(size=n_rows)
    floats[missing[:, 0]] = np.nan
    colors = rng.choice(["red", "green", "blue"], size=n_rows).astype(object)
    colors[missing[:, 1]] = None
    words = pd.array(rng.choice(["x", "y", "zz"], size=n_rows), dtype="string")
    words[missing[:, 2]] = pd.NA
    counts = pd.array(rng.integers(0, 5, size=n_rows), dtype="Int64")
    counts[missing[:, 3]] = pd.NA
    fractions = pd.array(rng.random(n_rows), dtype="Float64")
    fractions[missing[:, 4]] = pd.NA
    flags = pd.array(rng.random(n_rows) < 0.5, dtype="boolean")
    flags[missing[:, 5]] = pd.NA
    index = [f"row{i}" for i in range(n_rows)]
    sizes = pd.Categorical(
        rng.choice(["S", "M", "L"], size=n_rows), categories=["S", "M", "L", "XL"]
    )
    sizes[missing[:, 6]] = np.nan
    return pd.DataFrame(
        {
            "float": floats,
            "float32": rng.normal(size=n_rows).astype(np.float32),
            "int": rng.integers(-50, 50, size=n_rows),
            "uint8": rng.integers(0, 256, size=n_rows).astype(np.uint8),
            "Int64": counts,
            "Float64": fractions,
            "category": sizes,
            "object": pd.Series(colors, dtype=object, index=index),
            "str": pd.Series(colors, index=index),
            "string": words,
            "bool": rng.random(n_rows) < 0.3,
            "boolean": flags,
        },
        index=index,
    )


def _numpy(kind, n_rows=30, seed=0):
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(n_rows, 3))
    if kind == "float64":
        values[rng.random(values.shape) < 0.1] = np.nan
        return values
    if kind == "float32":
        return values.astype(np.float32)
    if kind == "int64":
        return np.rint(values * 10).astype(np.int64)
    if kind == "uint8":
        return rng.integers(0, 256, size=(n_rows, 3)).astype(np.uint8)
    if kind == "bool":
        return values > 0
    if kind == "str":
        return rng.choice(["a", "b", "c"], size=(n_rows, 3))
    values = rng.choice(["a", "b"], size=(n_rows, 3)).astype(object)
    values[0, 0], values[1, 1] = None, np.nan
    return values


def _valid_values(column):
    return set(column.dropna().tolist())


def _rows(X):
    """The rows of an array as a set of tuples."""
    return {tuple(row) for row in np.asarray(X).tolist()}
