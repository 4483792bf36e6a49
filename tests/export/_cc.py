"""Compile a source of to_c and compare its outputs with the model's.

A thin layer over skdistill.export._c_harness (which the benchmarks use too).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.base import is_classifier

from skdistill.export import student_pipeline, to_c
from skdistill.export._c import c_inputs
from skdistill.export._c_harness import compile_harness, find_compiler, run_harness

#: Skip a test that compiles C where no C compiler is found.
needs_cc = pytest.mark.skipif(
    find_compiler() is None, reason="no C compiler (cc, or $CC) found"
)

#: The largest difference allowed between C's and predict_proba's probabilities.
ATOL = 1e-5


def assert_self_contained(source: str) -> None:
    """Only ``<math.h>``, and no dynamic allocation."""
    assert re.findall(r"#\s*include\s*(\S+)", source) == ["<math.h>"]
    for word in ("malloc", "calloc", "realloc", "free(", "printf"):
        assert word not in source, word


def compiled_outputs(
    model: Any,
    X: Any,
    workdir: Path,
    *,
    rows: Any = None,
    name: str = "skdistill_model",
) -> tuple[str, np.ndarray, np.ndarray | None]:
    """The source of ``model`` and its outputs on ``X`` (or on C ``rows``)."""
    source = to_c(model, name=name)
    assert_self_contained(source)
    harness = compile_harness(source, workdir, name=name)
    inputs = c_inputs(model, X) if rows is None else rows
    outputs, labels = run_harness(harness, inputs)
    return source, outputs, labels


def assert_matches(
    model: Any,
    X: Any,
    workdir: Path,
    *,
    rows: Any = None,
    name: str = "skdistill_model",
) -> float:
    """C gives the student's predict_proba (or predict) and labels; the max error."""
    student = student_pipeline(model)
    _, outputs, labels = compiled_outputs(model, X, workdir, rows=rows, name=name)
    if is_classifier(student):
        expected = student.predict_proba(X)
        np.testing.assert_allclose(outputs, expected, rtol=0, atol=ATOL)
        np.testing.assert_array_equal(student.classes_[labels], student.predict(X))
    else:
        expected = student.predict(X)
        np.testing.assert_allclose(outputs, expected, rtol=1e-9, atol=ATOL)
    return float(np.max(np.abs(outputs - expected)))
