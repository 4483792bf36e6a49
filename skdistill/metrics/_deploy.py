"""What an exported model costs: its ONNX file size and its latency in onnxruntime.

The report's ONNX figures (``distillation_report(..., onnx=True)``): the
model is exported with :func:`skdistill.export.to_onnx` and run by an
onnxruntime ``InferenceSession`` on the CPU with one thread (intra- and
inter-op) and every graph optimization on, as a service answering one
request at a time would run it. Only ``session.run`` is timed: the inputs
are built beforehand by :func:`skdistill.export.onnx_inputs`.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.utils import _safe_indexing

from ._footprint import MIN_BATCH_SECONDS, median_time

# The report's keys of the ONNX figures, in the order of its table.
ONNX_KEYS = ("onnx_size_bytes", "onnx_latency_us_1row", "onnx_latency_ms_batch")

# What the ONNX figures need: the libraries of the ``export`` extra.
EXPORT_MODULES = ("onnx", "skl2onnx", "onnxmltools", "onnxruntime")

# Single-row calls timed one by one: at least this many of them.
MIN_SINGLE_CALLS = 100


def require_export(caller: str) -> None:
    """Raise ImportError, naming ``caller``, unless the export extra is installed."""
    missing = []
    for name in EXPORT_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise ImportError(
            f"{caller} exports the models to ONNX and times them in onnxruntime, "
            f"which needs the optional libraries {', '.join(EXPORT_MODULES)} "
            f"(missing: {', '.join(missing)}); install them with "
            '`pip install "skdistill[export]"`, or leave onnx=False.'
        )


def onnx_session(onnx_model: Any) -> Any:
    """An onnxruntime session of ``onnx_model``: CPU, one thread, optimized."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(
        onnx_model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def median_call_time(call: Callable[[], Any], n_repeats: int) -> float:
    """Median seconds of ``call()`` over calls timed one by one.

    After one untimed call, calls are timed each on its own until they add
    up to ``n_repeats * MIN_BATCH_SECONDS`` and number at least
    ``MIN_SINGLE_CALLS``; their median is robust to the odd slow call (a
    page fault, another process), which a mean over a batch is not.
    """
    call()
    times: list[float] = []
    budget = n_repeats * MIN_BATCH_SECONDS
    while len(times) < MIN_SINGLE_CALLS or sum(times) < budget:
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def onnx_footprint(onnx_model: Any, X: Any, *, n_repeats: int) -> dict[str, float]:
    """Size and single-threaded onnxruntime latency of an ONNX model.

    Parameters
    ----------
    onnx_model : onnx.ModelProto
        From :func:`skdistill.export.to_onnx`.
    X : array-like or DataFrame
        The timed rows, as the exported model takes them.
    n_repeats : int
        Timed batches of the batch latency, and scale of the single-row
        timing (see :func:`median_call_time`).

    Returns
    -------
    figures : dict of str to float
        ``onnx_size_bytes`` (the serialized model), ``onnx_latency_us_1row``
        (median microseconds of one call on the first row of ``X``) and
        ``onnx_latency_ms_batch`` (median milliseconds of one call on all
        of ``X``).
    """
    from ..export import onnx_inputs

    session = onnx_session(onnx_model)
    one_row = onnx_inputs(onnx_model, _safe_indexing(X, [0]))
    batch = onnx_inputs(onnx_model, X)
    return {
        "onnx_size_bytes": float(len(onnx_model.SerializeToString())),
        "onnx_latency_us_1row": 1e6
        * median_call_time(lambda: session.run(None, one_row), n_repeats),
        "onnx_latency_ms_batch": 1e3
        * median_time(lambda feed: session.run(None, feed), batch, n_repeats),
    }
