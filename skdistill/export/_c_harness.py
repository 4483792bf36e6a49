"""Compile a source of :func:`~skdistill.export.to_c` and run it on rows.

For the tests and the benchmarks: :func:`compile_harness` compiles the
generated source as its own translation unit, with the strict flags a
device build would use (``-std=c99 -O2 -Wall -Wextra -Werror -pedantic``),
together with a small ``main()`` that reads rows of ``double`` from its
standard input; :func:`run_harness` feeds it rows and reads back the
outputs (exact ``double`` values, in binary), and :func:`time_harness`
measures the time of one prediction, in C.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "STRICT_FLAGS",
    "Harness",
    "compile_harness",
    "find_compiler",
    "run_harness",
    "time_harness",
]

#: The flags the generated source must compile with, without a warning.
STRICT_FLAGS = ("-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic")

_MAIN = """
/* A harness of {name}: reads rows of {name}_N_FEATURES doubles from the
   standard input (binary); "predict" writes each row's outputs (binary
   doubles), "time R" predicts every row R times and prints the nanoseconds
   per prediction. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_FEATURES {n_features}
#define N_OUTPUTS {n_outputs}

{declarations}

/* One row's outputs: the probabilities then the class index, or the value. */
static void predict(const double *x, double *out)
{{
{predict}
}}

/* What is timed: the probabilities, or the value. */
static void timed(const double *x, double *out)
{{
{timed}
}}

int main(int argc, char **argv)
{{
    size_t capacity = 1024, n_rows = 0, got;
    double *rows = malloc(capacity * N_FEATURES * sizeof(double));
    double out[N_OUTPUTS];
    if (rows == NULL || argc < 2) {{
        return 2;
    }}
    for (;;) {{
        if (n_rows == capacity) {{
            double *more;
            capacity *= 2;
            more = realloc(rows, capacity * N_FEATURES * sizeof(double));
            if (more == NULL) {{
                return 2;
            }}
            rows = more;
        }}
        got = fread(rows + n_rows * N_FEATURES, sizeof(double), N_FEATURES, stdin);
        if (got != N_FEATURES) {{
            break;
        }}
        ++n_rows;
    }}
    if (strcmp(argv[1], "predict") == 0) {{
        size_t i;
        for (i = 0; i < n_rows; ++i) {{
            predict(rows + i * N_FEATURES, out);
            fwrite(out, sizeof(double), N_OUTPUTS, stdout);
        }}
    }} else if (strcmp(argv[1], "time") == 0 && argc == 3 && n_rows > 0) {{
        long repeat = strtol(argv[2], NULL, 10), r;
        struct timespec start, stop;
        volatile double sink = 0.0;
        size_t i;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (r = 0; r < repeat; ++r) {{
            for (i = 0; i < n_rows; ++i) {{
                timed(rows + i * N_FEATURES, out);
                sink += out[0];
            }}
        }}
        clock_gettime(CLOCK_MONOTONIC, &stop);
        printf("%.6e\\n", ((stop.tv_sec - start.tv_sec) * 1e9
                          + (stop.tv_nsec - start.tv_nsec))
                         / ((double)repeat * n_rows));
    }} else {{
        return 2;
    }}
    free(rows);
    return 0;
}}
"""


@dataclass(frozen=True)
class Harness:
    """A compiled harness of a generated source.

    Attributes
    ----------
    binary : Path
        The executable.
    name : str
        The prefix of the source's identifiers.
    n_features : int
        Doubles per row (``NAME_N_FEATURES``).
    n_classes : int or None
        ``NAME_N_CLASSES`` of a classifier; None for a regressor.
    """

    binary: Path
    name: str
    n_features: int
    n_classes: int | None


def find_compiler() -> str | None:
    """The C compiler: ``$CC`` if set (None if not found), else ``cc``, or None."""
    compiler = os.environ.get("CC") or "cc"
    words = shlex.split(compiler)
    return compiler if words and shutil.which(words[0]) else None


def _define(source: str, name: str, what: str) -> int | None:
    match = re.search(rf"^#define {re.escape(name)}_{what} (\d+)$", source, re.M)
    return int(match.group(1)) if match else None


def compile_harness(
    source: str,
    workdir: str | os.PathLike[str],
    *,
    name: str = "skdistill_model",
    compiler: str | None = None,
    flags: tuple[str, ...] = STRICT_FLAGS,
) -> Harness:
    """Compile ``source`` (from ``to_c(..., name=name)``) with a harness.

    Parameters
    ----------
    source : str
        The generated C source.
    workdir : path-like
        Where the ``.c`` files and the executable are written.
    name : str, default="skdistill_model"
        The ``name`` given to ``to_c``.
    compiler : str, default=None
        The compiler command (with its own options, as ``$CC`` may hold);
        None: :func:`find_compiler`.
    flags : tuple of str, default=STRICT_FLAGS
        Compiler flags (``-lm`` is added).

    Returns
    -------
    harness : Harness

    Raises
    ------
    RuntimeError
        No C compiler, or the compiler failed (its messages included).
    """
    compiler = compiler or find_compiler()
    if compiler is None:
        raise RuntimeError("no C compiler found: install one (cc) or set $CC")
    n_features = _define(source, name, "N_FEATURES")
    if n_features is None:
        raise ValueError(f"source has no '#define {name}_N_FEATURES': is name right?")
    n_classes = _define(source, name, "N_CLASSES")
    if n_classes is None:
        declarations = f"double {name}_predict(const double *x);"
        predict = timed = f"    out[0] = {name}_predict(x);"
        n_outputs = 1
    else:
        declarations = (
            f"void {name}_predict_proba(const double *x, double *proba);\n"
            f"int {name}_predict(const double *x);"
        )
        predict = (
            f"    {name}_predict_proba(x, out);\n"
            f"    out[{n_classes}] = (double){name}_predict(x);"
        )
        timed = f"    {name}_predict_proba(x, out);"
        n_outputs = n_classes + 1
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    model_file = workdir / f"{name}.c"
    main_file = workdir / f"{name}_harness.c"
    binary = workdir / f"{name}_harness"
    model_file.write_text(source)
    main_file.write_text(
        _MAIN.format(
            name=name,
            n_features=n_features,
            n_outputs=n_outputs,
            declarations=declarations,
            predict=predict,
            timed=timed,
        )
    )
    command = [
        *shlex.split(compiler),
        *flags,
        str(model_file),
        str(main_file),
        "-o",
        str(binary),
        "-lm",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}"
        )
    return Harness(binary, name, n_features, n_classes)


def _rows(harness: Harness, X: Any) -> np.ndarray:
    rows = np.ascontiguousarray(X, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[1] != harness.n_features:
        raise ValueError(
            f"X must have shape (n_rows, {harness.n_features}), got {rows.shape}"
        )
    return rows


def _call(harness: Harness, arguments: list[str], rows: np.ndarray) -> bytes:
    result = subprocess.run(
        [str(harness.binary), *arguments],
        input=rows.tobytes(),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{harness.binary} {' '.join(arguments)} failed ({result.returncode})"
        )
    return result.stdout


def run_harness(harness: Harness, X: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """The outputs of the compiled source on the rows of ``X``.

    Parameters
    ----------
    harness : Harness
        From :func:`compile_harness`.
    X : array-like of shape (n_rows, n_features)
        Rows as the C functions take them (see ``c_inputs``).

    Returns
    -------
    outputs : ndarray
        A classifier's probabilities, of shape (n_rows, n_classes); a
        regressor's predictions, of shape (n_rows,).
    labels : ndarray of shape (n_rows,) or None
        The class index that ``NAME_predict`` returns (None: a regressor).
    """
    rows = _rows(harness, X)
    values = np.frombuffer(_call(harness, ["predict"], rows), dtype=np.float64)
    if harness.n_classes is None:
        return values.copy(), None
    values = values.reshape(len(rows), harness.n_classes + 1)
    return values[:, :-1].copy(), values[:, -1].astype(np.intp)


def time_harness(harness: Harness, X: Any, *, repeat: int = 100) -> float:
    """Seconds per prediction of the compiled source, measured in C.

    Parameters
    ----------
    harness : Harness
        From :func:`compile_harness`.
    X : array-like of shape (n_rows, n_features)
        Rows as the C functions take them; each is predicted ``repeat`` times.
    repeat : int, default=100

    Returns
    -------
    seconds : float
        The mean time of one call of ``NAME_predict_proba`` (a classifier)
        or ``NAME_predict`` (a regressor).
    """
    output = _call(harness, ["time", str(int(repeat))], _rows(harness, X))
    return float(output.decode()) * 1e-9
