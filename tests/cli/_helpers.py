"""Helpers of the command-line tests: run ``main(argv)`` in-process, make tables."""

import errno
import os
import sys
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


def subprocess_env():
    """The environment of a ``python -m skdistill`` subprocess: this checkout."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def files_in(folder):
    """The names of the files in ``folder`` (temporary files included)."""
    return sorted(path.name for path in Path(folder).iterdir())


class DiskFull:
    """A file whose writes stop after ``limit`` bytes with "No space left".

    Wraps the file that ``atomic_write`` opens: the first ``limit`` bytes
    reach the file, then every write raises ``OSError(ENOSPC)``, as on a
    full disk.
    """

    def __init__(self, file, limit):
        self._file = file
        self._left = limit

    def write(self, data):
        if len(data) > self._left:
            self._file.write(data[: self._left])
            self._file.flush()
            self._left = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._left -= len(data)
        return self._file.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._file.close()

    def __getattr__(self, name):
        return getattr(self._file, name)


def fill_the_disk(monkeypatch, limit=100):
    """Make every file that ``atomic_write`` opens fail after ``limit`` bytes."""
    from skdistill.cli import _files

    real_open = _files._open
    monkeypatch.setattr(
        _files,
        "_open",
        lambda *args, **kwargs: DiskFull(real_open(*args, **kwargs), limit),
    )


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
