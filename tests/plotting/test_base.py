"""What every display shares: the error without matplotlib."""

import re
import sys

import pytest
from plotting._data import MATPLOTLIB_MISSING

from skdistill import DistilledClassifier
from skdistill.metrics import distillation_report
from skdistill.plotting import (
    CompressionDisplay,
    ReliabilityDisplay,
    TemperatureCurveDisplay,
)

pytest.importorskip("matplotlib.pyplot")


def test_missing_matplotlib_error(monkeypatch, binary, fitted_binary):
    """Without matplotlib, every entry point says how to install it, before work."""
    X_train, X_test, y_train, y_test = binary
    report = distillation_report(
        fitted_binary, X_test, y_test, n_repeats=1, latency_rows=10
    )
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    calls = {
        "TemperatureCurveDisplay.plot": lambda: TemperatureCurveDisplay(
            [1], [0.5]
        ).plot(),
        "TemperatureCurveDisplay.from_estimator": lambda: (
            TemperatureCurveDisplay.from_estimator(
                DistilledClassifier(), X_train, y_train, X_test, y_test
            )
        ),
        "TemperatureCurveDisplay.from_cv_results": lambda: (
            TemperatureCurveDisplay.from_cv_results({})
        ),
        "ReliabilityDisplay.plot": lambda: ReliabilityDisplay({}, {}).plot(),
        "ReliabilityDisplay.from_estimator": lambda: ReliabilityDisplay.from_estimator(
            fitted_binary, X_test, y_test
        ),
        "ReliabilityDisplay.from_predictions": lambda: (
            ReliabilityDisplay.from_predictions([0], {}, classes=[0, 1])
        ),
        "CompressionDisplay.plot": lambda: CompressionDisplay([], [], []).plot(),
        "CompressionDisplay.from_estimator": lambda: CompressionDisplay.from_estimator(
            fitted_binary, X_test, y_test
        ),
        "CompressionDisplay.from_reports": lambda: CompressionDisplay.from_report(
            report
        ),
    }
    for caller, call in calls.items():
        with pytest.raises(ImportError, match=re.escape(MATPLOTLIB_MISSING)) as info:
            call()
        assert str(info.value).startswith(caller + " requires matplotlib")
