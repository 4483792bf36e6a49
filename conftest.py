"""Test configuration shared by the doctests and the test suite."""

import importlib.util
import os

# LightGBM's OpenMP threads spin while waiting; on a busy 2-core machine that
# makes tiny fits hundreds of times slower. Passive waiting keeps tests fast.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# Plots are drawn without a display, in the doctests and the test suite.
os.environ["MPLBACKEND"] = "Agg"

# skdistill.dask's doctests need the dask extra; without it, they are not
# collected (the tests of tests/dask skip themselves).
collect_ignore = [] if importlib.util.find_spec("dask_ml") else ["skdistill/dask"]
