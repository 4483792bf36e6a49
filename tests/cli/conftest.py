"""Fixtures of the command-line tests."""

import functools

import pytest
from cli._helpers import FAST, classification_table, write

import skdistill.metrics
from skdistill.cli import main


def _quick_report():
    """Time 100 rows once, not 1,000 rows five times: latencies are not tested."""
    return functools.partial(
        skdistill.metrics.distillation_report, n_repeats=1, latency_rows=100
    )


@pytest.fixture(autouse=True)
def quick_latency(monkeypatch):
    """The report of every command times few rows (see :func:`_quick_report`)."""
    monkeypatch.setattr(skdistill.metrics, "distillation_report", _quick_report())


@pytest.fixture(scope="session")
def fitted(tmp_path_factory):
    """A classification model fitted by ``skdistill fit``, and its data.

    Fitted once for the session; the tests only read the two files.
    """
    folder = tmp_path_factory.mktemp("fitted")
    data = write(folder, classification_table())
    model = folder / "model.skops"
    argv = ["fit", data, "--target", "label", "--drop", "id", "--out", model]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(skdistill.metrics, "distillation_report", _quick_report())
        assert main([str(arg) for arg in [*argv, *FAST]]) == 0
    return data, model
