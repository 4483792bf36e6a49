"""Shipping the student: its size and latency in ONNX and in C.

What a distilled student costs once it leaves Python, next to the teacher
it replaces. On each shared dataset (the 10 classification ones and the 2
regression ones, at most 10,000 rows each, stratified subsample; one 70/30
split), a LightGBM teacher of 300 trees is fit, and three students are
distilled from it with the default settings of `DistilledClassifier` (or
`DistilledRegressor`): a depth-6 decision tree, a linear model
(`SoftLogisticRegression`; `Ridge` for regression) and a small LightGBM of
16 trees of 8 leaves. Each student is shipped three ways:

- **Python**: the fitted student alone (`student_pipeline(model)`), saved
  with `skops.io.dumps`, and its `predict_proba` (or `predict`);
- **ONNX**: `skdistill.export.to_onnx`, run by onnxruntime (CPU, every
  graph optimization), inputs built beforehand by `onnx_inputs` (only
  `session.run` is timed);
- **C**: `skdistill.export.to_c`, compiled with `cc -O2 -std=c99 -c`
  (the size is that of the object file), linked with a small harness of
  this benchmark that times its own loop in C.

Latency is given for one row (the median of single calls on one row:
what a service answering one request pays) and for a batch of 1,000 rows
(the median time of a call on all of them; in C, which predicts one row
per call, a loop over 1,000 different rows, so that the branches of a tree
are not all predicted as they are when one row is repeated). The teacher
is shipped in Python and ONNX. Parity: the largest absolute difference
between the probabilities (for regression, the predictions, divided by the
standard deviation of the target) of the exported student and of the
student in Python, on the held-out rows.

One thread everywhere: onnxruntime with one intra-op and one inter-op
thread, LightGBM with `n_jobs=1`, BLAS and OpenMP limited to one thread
(threadpoolctl); the C code is single-threaded. Every model takes the same
numeric matrix: categories one-hot encoded and numbers imputed and
standardized before the models, so that the figures are the models' own.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import skops.io
from _common import (
    datasets,
    intro,
    lgbm_regression_teacher,
    lgbm_teacher,
    markdown_table,
    rows_note,
    splits,
    target_row,
    teacher_trees,
)
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import Ridge
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from threadpoolctl import threadpool_limits

from skdistill import DistilledClassifier, DistilledRegressor, SoftLogisticRegression
from skdistill.export import onnx_inputs, student_pipeline, to_c, to_onnx

TITLE = "Shipping the student: size and latency in ONNX and C"

MAX_ROWS = 10_000
CC, CFLAGS = "cc", ("-O2", "-std=c99")
BATCH_ROWS = 1_000
# The targets, per student and dataset: the teacher's ONNX size and latency
# over the student's, and the C latency of the tree and linear students.
MIN_ONNX_RATIO = 10
MAX_C_US_PER_ROW = 1.0
C_TARGET_STUDENTS = ("tree-d6", "linear")

STUDENTS = {
    "classification": {
        "tree-d6": DecisionTreeClassifier(max_depth=6, random_state=0),
        "linear": SoftLogisticRegression(max_iter=500),
        "lgbm-16x8": LGBMClassifier(
            n_estimators=16, num_leaves=8, verbose=-1, n_jobs=1, random_state=0
        ),
    },
    "regression": {
        "tree-d6": DecisionTreeRegressor(max_depth=6, random_state=0),
        "linear": Ridge(),
        "lgbm-16x8": LGBMRegressor(
            n_estimators=16, num_leaves=8, verbose=-1, n_jobs=1, random_state=0
        ),
    },
}
DISTILLERS = {"classification": DistilledClassifier, "regression": DistilledRegressor}


@dataclass(frozen=True)
class Timing:
    """How long a latency is measured in Python: single calls timed one by
    one, at least ``*_calls`` of them and for at least ``*_seconds``."""

    one_row_calls: int = 200
    one_row_seconds: float = 0.1
    batch_calls: int = 5
    batch_seconds: float = 0.2


QUICK_TIMING = Timing(
    one_row_calls=20, one_row_seconds=0, batch_calls=2, batch_seconds=0
)


@dataclass
class Bench:
    """What every model of one dataset is measured on."""

    classifier: bool
    X_one: np.ndarray  # one held-out row
    X_batch: np.ndarray  # BATCH_ROWS held-out rows
    X_test: np.ndarray  # every held-out row, for parity
    scale: float  # parity errors are divided by it (the std of y, for regression)
    timing: Timing
    workdir: Path

    def output(self, estimator) -> Callable[[Any], np.ndarray]:
        """The Python method compared and timed: predict_proba, or predict."""
        return estimator.predict_proba if self.classifier else estimator.predict

    def error(self, got: np.ndarray, expected: np.ndarray) -> float:
        """Largest absolute difference, in units of ``scale``."""
        got = np.asarray(got, dtype=np.float64).reshape(expected.shape)
        return float(np.max(np.abs(got - expected))) / self.scale


# ----------------------------------------------------------------- timing


def median_call_seconds(
    call: Callable[[], Any], min_calls: int, min_seconds: float
) -> float:
    """Median seconds of ``call()``, timed call by call after one warm-up call."""
    call()
    times: list[float] = []
    while len(times) < min_calls or sum(times) < min_seconds:
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def latencies(predict: Callable[[Any], Any], one_row, batch, timing: Timing):
    """Microseconds of ``predict(one_row)``, milliseconds of ``predict(batch)``."""
    single = median_call_seconds(
        lambda: predict(one_row), timing.one_row_calls, timing.one_row_seconds
    )
    many = median_call_seconds(
        lambda: predict(batch), timing.batch_calls, timing.batch_seconds
    )
    return 1e6 * single, 1e3 * many


def onnx_session(onnx_model):
    """An onnxruntime session on the CPU, one thread, every graph optimization."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(
        onnx_model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def onnx_floor_us(bench: Bench) -> float:
    """Microseconds of onnxruntime's own work on one row: a one-Identity graph."""
    from onnx import TensorProto, helper

    width = bench.X_one.shape[1]
    graph = helper.make_graph(
        [helper.make_node("Identity", ["X"], ["Y"])],
        "floor",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, width])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, width])],
    )
    session = onnx_session(
        helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    )
    feed = {"X": bench.X_one.astype(np.float32)}
    seconds = median_call_seconds(
        lambda: session.run(["Y"], feed),
        bench.timing.one_row_calls,
        bench.timing.one_row_seconds,
    )
    return 1e6 * seconds


# --------------------------------------------------------------- shipping


def python_figures(estimator, bench: Bench) -> dict:
    """skops size and Python latency of a fitted model."""
    one, batch = latencies(
        bench.output(estimator), bench.X_one, bench.X_batch, bench.timing
    )
    return {
        "skops KiB": len(skops.io.dumps(estimator)) / 1024,
        "Python µs/row": one,
        "Python ms/batch": batch,
    }


def onnx_figures(estimator, bench: Bench, expected: np.ndarray) -> dict:
    """ONNX size, onnxruntime latency and parity of a fitted model."""
    model = to_onnx(estimator, bench.X_batch)
    session = onnx_session(model)
    output = ["probabilities" if bench.classifier else "variable"]
    feeds = [onnx_inputs(model, X) for X in (bench.X_one, bench.X_batch, bench.X_test)]
    one, batch = latencies(
        lambda feed: session.run(output, feed), feeds[0], feeds[1], bench.timing
    )
    return {
        "ONNX KiB": len(model.SerializeToString()) / 1024,
        "ONNX µs/row": one,
        "ONNX ms/batch": batch,
        "ONNX error": bench.error(session.run(output, feeds[2])[0], expected),
    }


# The C figures of a row (see c_figures); the teacher's are NaN.
C_KEYS = ("C KiB", "C µs/row", "C ms/batch", "C error")
C_NAME = "student"  # the prefix of the generated identifiers

# The benchmark's harness: the model's object file linked with a main() that
# reads rows of doubles from its standard input, then either writes each
# row's outputs ("predict") or times its own loop ("time"): passes over the
# rows are doubled until a block of passes lasts 2 ms, then the median over
# 15 blocks of the nanoseconds per call is printed. Every output goes to a
# volatile sink, and the model is its own translation unit, so no call can
# be optimized away.
HARNESS = r"""
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_FEATURES @N_FEATURES@
#define N_OUTPUTS @N_OUTPUTS@
#define N_BLOCKS 15

@DECLARATION@

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static volatile double sink;

static double block(const double *rows, size_t n_rows, long passes)
{
    double out[N_OUTPUTS], start = now();
    long p;
    size_t i;
    for (p = 0; p < passes; ++p) {
        for (i = 0; i < n_rows; ++i) {
            @CALL@
            sink += out[0];
        }
    }
    return now() - start;
}

int main(int argc, char **argv)
{
    size_t capacity = 1024, n_rows = 0, i;
    double *rows = malloc(capacity * N_FEATURES * sizeof(double));
    if (rows == NULL || argc != 2) {
        return 2;
    }
    while (fread(rows + n_rows * N_FEATURES, sizeof(double), N_FEATURES, stdin)
           == N_FEATURES) {
        if (++n_rows == capacity) {
            capacity *= 2;
            rows = realloc(rows, capacity * N_FEATURES * sizeof(double));
            if (rows == NULL) {
                return 2;
            }
        }
    }
    if (n_rows == 0) {
        return 2;
    }
    if (strcmp(argv[1], "predict") == 0) {
        double out[N_OUTPUTS];
        for (i = 0; i < n_rows; ++i) {
            @CALL@
            fwrite(out, sizeof(double), N_OUTPUTS, stdout);
        }
    } else {
        double times[N_BLOCKS];
        long passes = 1;
        int b;
        while (block(rows, n_rows, passes) < 2e-3) {
            passes *= 2;
        }
        for (b = 0; b < N_BLOCKS; ++b) {
            times[b] = block(rows, n_rows, passes) / ((double)passes * n_rows);
        }
        qsort(times, N_BLOCKS, sizeof(double), by_value);
        printf("%.6e\n", 1e9 * times[N_BLOCKS / 2]);
    }
    free(rows);
    return 0;
}
"""


def compile_student(source: str, workdir: Path, classifier: bool, n_outputs: int):
    """Compile the model to an object file, and link it with :data:`HARNESS`."""
    if classifier:
        declaration = f"void {C_NAME}_predict_proba(const double *x, double *proba);"
        call = f"{C_NAME}_predict_proba(rows + i * N_FEATURES, out);"
    else:
        declaration = f"double {C_NAME}_predict(const double *x);"
        call = f"out[0] = {C_NAME}_predict(rows + i * N_FEATURES);"
    n_features = re.search(rf"#define {C_NAME}_N_FEATURES (\d+)", source).group(1)
    harness = (
        HARNESS.replace("@N_FEATURES@", n_features)
        .replace("@N_OUTPUTS@", str(n_outputs))
        .replace("@DECLARATION@", declaration)
        .replace("@CALL@", call)
    )
    (workdir / "student.c").write_text(source)
    (workdir / "harness.c").write_text(harness)
    obj, binary = workdir / "student.o", workdir / "harness"
    _cc("-c", workdir / "student.c", "-o", obj)
    _cc(workdir / "harness.c", obj, "-o", binary, "-lm")
    return obj, binary


def _cc(*arguments) -> None:
    command = [CC, *CFLAGS, *map(str, arguments)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}")


def _harness(binary: Path, mode: str, rows: np.ndarray) -> bytes:
    data = np.ascontiguousarray(rows, dtype=np.float64).tobytes()
    result = subprocess.run(
        [str(binary), mode], input=data, capture_output=True, check=True
    )
    return result.stdout


def c_figures(estimator, bench: Bench, expected: np.ndarray) -> dict:
    """Object size, latency timed in C and parity of the compiled C source.

    The rows are numeric arrays, which the C functions take as they are
    (``double``, in the fitted column order). NaN without a C compiler.
    """
    if shutil.which(CC) is None:
        return dict.fromkeys(C_KEYS, np.nan)
    n_outputs = expected.shape[1] if bench.classifier else 1
    workdir = bench.workdir / "c"
    workdir.mkdir(exist_ok=True)
    source = to_c(estimator, bench.X_batch, name=C_NAME)
    obj, binary = compile_student(source, workdir, bench.classifier, n_outputs)
    outputs = np.frombuffer(_harness(binary, "predict", bench.X_test))
    one = float(_harness(binary, "time", bench.X_one)) * 1e-3
    batch = float(_harness(binary, "time", bench.X_batch)) * BATCH_ROWS * 1e-6
    return {
        "C KiB": obj.stat().st_size / 1024,
        "C µs/row": one,
        "C ms/batch": batch,
        "C error": bench.error(outputs, expected),
    }


# ---------------------------------------------------------------- the run


def ship_dataset(ctx, dataset, task: str, n_trees: int, workdir: Path) -> list[dict]:
    """One row per model (the teacher, then each student) of one dataset."""
    classifier = task == "classification"
    split = next(splits(ctx, dataset, [ctx.seed], stratify=classifier))
    X_test = split.X_test
    rng = np.random.default_rng(ctx.seed)
    many = len(X_test) < BATCH_ROWS
    bench = Bench(
        classifier=classifier,
        X_one=X_test[:1],
        X_batch=X_test[np.sort(rng.choice(len(X_test), BATCH_ROWS, replace=many))],
        X_test=X_test,
        scale=1.0 if classifier else float(np.std(split.y_test)),
        timing=QUICK_TIMING if ctx.quick else Timing(),
        workdir=workdir,
    )
    make_teacher = lgbm_teacher if classifier else lgbm_regression_teacher
    teacher = make_teacher(n_trees, random_state=ctx.seed).set_params(n_jobs=1)
    teacher.fit(split.X_train, split.y_train)
    base = {"dataset": dataset.name}
    expected = bench.output(teacher)(X_test)
    rows = [
        {
            **base,
            "model": f"teacher ({n_trees} trees)",
            "score": teacher.score(X_test, split.y_test),
            **python_figures(teacher, bench),
            **onnx_figures(teacher, bench, expected),
            **dict.fromkeys(C_KEYS, np.nan),  # the teacher is not compiled
            "ONNX floor µs": onnx_floor_us(bench),
        }
    ]
    ctx.log(f"{dataset.name}: teacher shipped")
    # every student reads the teacher's outputs on the training rows once
    memory = str(workdir / f"teacher-{dataset.name}")
    for name, student in STUDENTS[task].items():
        model = DISTILLERS[task](
            FrozenEstimator(teacher),
            clone(student),
            memory=memory,
            random_state=ctx.seed,
        ).fit(split.X_train, split.y_train)
        shipped = student_pipeline(model)
        expected = bench.output(shipped)(X_test)
        rows.append(
            {
                **base,
                "model": name,
                "score": model.score(X_test, split.y_test),
                **python_figures(shipped, bench),
                **onnx_figures(shipped, bench, expected),
                **c_figures(shipped, bench, expected),
            }
        )
        ctx.log(f"{dataset.name}: {name} shipped")
    return rows


# ----------------------------------------------------------------- tables


def _kib(value: float) -> str:
    return "—" if np.isnan(value) else f"{value:,.1f}"


def _time(value: float) -> str:
    if np.isnan(value):
        return "—"
    return f"{value:,.3g}" if value < 100 else f"{value:,.0f}"


def _ratio(value: float) -> str:
    return "—" if np.isnan(value) else f"{value:,.1f}x"


def _error(value: float) -> str:
    return "—" if np.isnan(value) else f"{value:.1e}"


# A student's ratios to its teacher: name -> (figure, what it compares).
RATIOS = {
    "ONNX size": ("ONNX KiB", "ONNX size, teacher / student"),
    "ONNX 1 row": ("ONNX µs/row", "ONNX latency on 1 row, teacher / student"),
    "ONNX batch": (
        "ONNX ms/batch",
        f"ONNX latency on {BATCH_ROWS:,} rows, teacher / student",
    ),
}


def with_ratios(rows: list[dict]) -> list[dict]:
    """Each student's :data:`RATIOS` to the teacher of its dataset (NaN for it)."""
    teacher = None
    for row in rows:
        if row["model"].startswith("teacher"):
            teacher = row
            row.update(dict.fromkeys(RATIOS, np.nan))
        else:
            for ratio, (key, _) in RATIOS.items():
                row[ratio] = teacher[key] / row[key]
    return rows


def size_table(rows: list[dict]) -> str:
    cells = [
        {
            "dataset": r["dataset"],
            "model": r["model"],
            "score": f"{r['score']:.4f}",
            "skops KiB": _kib(r["skops KiB"]),
            "ONNX KiB": _kib(r["ONNX KiB"]),
            "C object KiB": _kib(r["C KiB"]),
            "ONNX: teacher / student": _ratio(r["ONNX size"]),
        }
        for r in rows
    ]
    return markdown_table(cells, list(cells[0]))


def latency_table(rows: list[dict]) -> str:
    batch = f"{BATCH_ROWS:,}"
    cells = [
        {
            "dataset": r["dataset"],
            "model": r["model"],
            "Python µs, 1 row": _time(r["Python µs/row"]),
            "ONNX µs, 1 row": _time(r["ONNX µs/row"]),
            "C µs, 1 row": _time(r["C µs/row"]),
            f"Python ms, {batch} rows": _time(r["Python ms/batch"]),
            f"ONNX ms, {batch} rows": _time(r["ONNX ms/batch"]),
            f"C ms, {batch} rows": _time(r["C ms/batch"]),
            "ONNX 1 row: teacher / student": _ratio(r["ONNX 1 row"]),
            f"ONNX {batch} rows: teacher / student": _ratio(r["ONNX batch"]),
        }
        for r in rows
    ]
    return markdown_table(cells, list(cells[0]))


def parity_table(rows: list[dict]) -> str:
    cells = [
        {
            "dataset": r["dataset"],
            "model": r["model"],
            "ONNX max error": _error(r["ONNX error"]),
            "C max error": _error(r["C error"]),
        }
        for r in rows
    ]
    return markdown_table(cells, list(cells[0]))


def targets(rows: list[dict]) -> list[dict]:
    """The targets of each student, each at its worst dataset."""
    out = []
    students = [r for r in rows if not r["model"].startswith("teacher")]
    for name in dict.fromkeys(r["model"] for r in students):
        mine = [r for r in students if r["model"] == name]
        for ratio, (_, text) in RATIOS.items():
            worst = min(mine, key=lambda r: r[ratio])
            out.append(
                target_row(
                    f"{name}: {text} (worst: {worst['dataset']})",
                    worst[ratio],
                    at_least=MIN_ONNX_RATIO,
                    digits=1,
                )
            )
        if name in C_TARGET_STUDENTS:
            # ms per 1,000 rows is µs per row
            worst = max(mine, key=lambda r: r["C ms/batch"])
            out.append(
                target_row(
                    f"{name}: C µs per row, over {BATCH_ROWS:,} rows (worst: "
                    f"{worst['dataset']})",
                    worst["C ms/batch"] * 1e3 / BATCH_ROWS,
                    at_most=MAX_C_US_PER_ROW,
                    unit=" µs",
                    digits=3,
                )
            )
    return out


def floor_note(rows: list[dict]) -> str:
    """onnxruntime's own cost of a call, over the datasets."""
    floors = [r["ONNX floor µs"] for r in rows if r["model"].startswith("teacher")]
    return (
        "onnxruntime's own cost of a call on one row, measured on a graph of a "
        f"single Identity node: median {statistics.median(floors):.1f} µs "
        f"(from {min(floors):.1f} to {max(floors):.1f} over the datasets). "
        "This fixed cost is most of a small student's time on one row, and "
        "caps its one-row speed-up over a large teacher."
    )


def run(ctx) -> str:
    n_trees = teacher_trees(ctx)
    workdir = Path(tempfile.mkdtemp(prefix="skdistill-export-"))
    rows: list[dict] = []
    used = []
    try:
        with threadpool_limits(limits=1):
            for task in ("classification", "regression"):
                for dataset in datasets(ctx, task=task, max_rows=MAX_ROWS):
                    used.append(dataset)
                    rows += ship_dataset(ctx, dataset, task, n_trees, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rows = with_ratios(rows)
    checks = targets(rows)
    for check in checks:
        verdict = "PASS" if check["result"] == "PASS" else "FAIL"
        ctx.log(f"{verdict}: {check['measure']} = {check['value']} {check['target']}")
    setup = (
        f"Teacher: LightGBM, {n_trees} trees of 31 leaves (per class), learning "
        f"rate 0.05. Datasets and rows used: {rows_note(used)}; one stratified "
        "70/30 split (plain for regression); latency measured on held-out rows. "
        "Score: held-out accuracy (R² for regression) in Python. C compiled by "
        f"`{CC} {' '.join(CFLAGS)}`."
    )
    if not shutil.which(CC):
        setup += f" No C compiler (`{CC}`) was found: the C figures are missing."
    if ctx.quick:
        setup += " Quick mode: too small for the targets to mean anything."
    return "\n\n".join(
        [
            intro(__doc__),
            setup,
            "## Targets",
            f"On every dataset, each student's ONNX model is at least "
            f"{MIN_ONNX_RATIO}x smaller than the teacher's, and at least "
            f"{MIN_ONNX_RATIO}x faster per row, both on a single row and in "
            f"batches of {BATCH_ROWS:,} rows; the compiled C tree and linear "
            f"students take at most {MAX_C_US_PER_ROW:g} µs per row (over "
            f"{BATCH_ROWS:,} different rows). Each line gives the student's "
            "worst dataset.",
            markdown_table(checks, ["measure", "value", "target", "result"]),
            "## Size",
            "The skops file of the fitted model, its ONNX file, and the object "
            "file of its C source (code, tables and symbols).",
            size_table(rows),
            "## Latency",
            f"1 row: median of single calls on one row; {BATCH_ROWS:,} rows: "
            f"median time of a call on {BATCH_ROWS:,} rows (in C, a loop of "
            "single-row calls timed in C). One thread.",
            latency_table(rows),
            floor_note(rows),
            "## Parity",
            "Largest absolute difference from the student in Python, on the "
            "held-out rows: in probability, or for regression in prediction "
            "divided by the standard deviation of the target.",
            parity_table(rows),
        ]
    )
