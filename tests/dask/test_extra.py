"""skdistill.dask is an optional extra: imported on demand, with an install hint."""

import importlib
import re
import subprocess
import sys

import numpy as np
import pytest
from lightgbm import LGBMClassifier
from sklearn.frozen import FrozenEstimator

from skdistill import DistilledClassifier

HINT = 'Install the dask extra: pip install "skdistill[dask]"'


@pytest.fixture
def fresh_import():
    """skdistill.dask imported afresh in the test; the modules of the session
    (which other tests' functions refer to) put back after it."""
    import skdistill

    def ours():
        return [m for m in sys.modules if m.split(".")[:2] == ["skdistill", "dask"]]

    saved = {name: sys.modules.pop(name) for name in ours()}
    attribute = vars(skdistill).get("dask")
    yield
    for name in ours():
        del sys.modules[name]
    sys.modules.update(saved)
    if attribute is None:
        vars(skdistill).pop("dask", None)
    else:
        skdistill.dask = attribute


def test_import_skdistill_does_not_import_dask():
    """``import skdistill`` imports neither skdistill.dask nor dask."""
    code = (
        "import sys, skdistill; "
        "print(sorted(m for m in ('skdistill.dask', 'dask', 'distributed') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_import_without_dask_says_how_to_install_it(monkeypatch, fresh_import):
    """Without dask, importing skdistill.dask names the extra to install."""
    for module in ("dask", "dask.array", "dask.dataframe"):
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=re.escape(HINT)) as error:
        importlib.import_module("skdistill.dask")
    assert str(error.value).startswith("skdistill.dask needs dask.array, which")


def test_distil_without_dask_ml_says_how_to_install_it(monkeypatch, fresh_import):
    """dask-ml is needed by distil only: its absence is an ImportError there."""
    pytest.importorskip("dask.array")
    monkeypatch.setitem(sys.modules, "dask_ml.wrappers", None)
    dask_module = importlib.import_module("skdistill.dask")
    import dask.array as da

    X = np.random.default_rng(0).normal(size=(40, 3))
    y = np.arange(40) % 2
    model = DistilledClassifier(FrozenEstimator(LGBMClassifier(verbose=-1).fit(X, y)))
    with pytest.raises(ImportError, match=re.escape(HINT)) as error:
        dask_module.distil(model, da.from_array(X), da.from_array(y))
    assert str(error.value).startswith("distil needs dask_ml.wrappers, which")
