"""Helpers of the command-line tests: run ``main(argv)`` in-process, make tables."""

from pathlib import Path

import numpy as np
import pandas as pd

from skdistill.cli import main

REPO = Path(__file__).resolve().parents[2]
# Small teachers, one thread, no progress lines: fast and deterministic.
FAST = ["--n-estimators", "10", "--n-jobs", "1", "-q"]


def run(capsys, *argv):
    """``main(argv)``: its exit code, standard output and standard error."""
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def last_line(err):
    """The last line printed on standard error: the error message."""
    return err.strip().splitlines()[-1]


def classification_table(n=150, seed=0):
    """Numbers, strings, booleans, missing values and a text label."""
    rng = np.random.RandomState(seed)
    x1 = rng.normal(size=n)
    x2 = rng.uniform(size=n)
    color = rng.choice(["red", "green", "blue"], size=n)
    flag = rng.choice([True, False], size=n)
    score = x1 + 2 * (color == "red") - x2 + rng.normal(scale=0.5, size=n)
    table = pd.DataFrame(
        {
            "id": [f"row{i}" for i in range(n)],
            "x1": x1,
            "x2": x2,
            "color": color,
            "flag": flag,
            "label": np.where(score > 0.5, "yes", "no"),
        }
    )
    table.loc[rng.rand(n) < 0.1, "x1"] = np.nan
    table.loc[rng.rand(n) < 0.1, "color"] = np.nan
    return table


def multiclass_table(n=240, n_classes=8, seed=0):
    """A many-class text target that depends on a number and a category."""
    rng = np.random.RandomState(seed)
    x = rng.uniform(0, n_classes, size=n)
    shop = rng.choice(["a", "b"], size=n)
    label = np.floor(x).astype(int) % n_classes
    label = np.where(shop == "b", (label + 1) % n_classes, label)
    names = np.array([f"class_{chr(ord('A') + k)}" for k in range(n_classes)])
    return pd.DataFrame({"x": x, "shop": shop, "label": names[label]})


def regression_table(n=150, seed=0):
    """A continuous target from numbers and a category, no missing values."""
    rng = np.random.RandomState(seed)
    x1 = rng.normal(size=n)
    kind = rng.choice(["small", "large"], size=n)
    y = 3 * x1 + 2 * (kind == "large") + rng.normal(scale=0.3, size=n)
    return pd.DataFrame({"x1": x1, "kind": kind, "price": y})


def write(tmp_path, table, name="data.csv"):
    path = tmp_path / name
    table.to_csv(path, index=False)
    return path
