"""Scale: 10 million rows streamed through `partial_fit`, and the same job on Dask.

The rows come from a synthetic 5-class problem with 20 features
(`make_classification`'s kind: each class a mixture of 2 Gaussian clusters
in 8 informative dimensions, 12 linear combinations of them plus noise, 3%
of the labels random), drawn block by block: every block of 100,000 rows
from its own seed, so that a block can be drawn again anywhere, in any
order, and 10 million rows are never held at once. The teacher is a
LightGBM model of 300 trees (60 rounds of 5 classes, 31 leaves, learning
rate 0.1) fit on 200,000 rows of a separate stream, then frozen
(`FrozenEstimator`). The student is a standardized `SoftLogisticRegression`
(`make_pipeline(StandardScaler(), SoftLogisticRegression())`, the default
of `partial_fit`), distilled with `DistilledClassifier`'s default settings
(`alpha=0.5`, temperature 1). Every model is scored on the same 100,000
held-out rows of a third stream.

Each measured job runs in a fresh Python process, so that its peak
resident memory is its own (Linux's `VmHWM`, the high-water mark of the
process's resident memory; not `getrusage`'s `ru_maxrss`, which a child
process inherits from its parent):

- **stream**: `DistilledClassifier.partial_fit` over 1, 3 and 10 million
  rows, block by block (each block is drawn, labelled by the teacher,
  learnt by the student, then dropped): one pass;
- **in memory**: `DistilledClassifier.fit` on the first million rows of the
  same stream, all held in memory;
- **Dask**: `skdistill.dask.distil` over the same 1 and 3 million rows as
  lazy Dask arrays (one chunk per block, each drawn by the worker that
  needs it), on a `distributed.LocalCluster` of 2 worker processes of one
  thread each: the teacher's outputs computed per partition on the workers,
  the student trained block by block through dask-ml's `Incremental`, the
  blocks in the same order as the stream's.

Why a logistic student and not `SGDClassifier`: the issue compares the
student streamed over 10 million rows with the one fit in memory on a
million. `SoftLogisticRegression` learns each block by a few L-BFGS
iterations on the block's loss plus a curvature-weighted distance to the
solution so far, which approximates the fit on all the rows seen: one
pass over a stream and a fit in memory aim at the same minimum. An SGD student
would compare one pass over the stream with `max_iter` epochs over the
million rows: two optimizers, not two ways to feed one.
"""

from __future__ import annotations

import importlib
import os
import pickle
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import _scale_data as data
import numpy as np
from _common import intro, markdown_table, target_row
from _scale_worker import run_job
from lightgbm import LGBMClassifier

TITLE = "Scale: streaming 10 million rows, and the same job on a Dask cluster"


@dataclass(frozen=True)
class Sizes:
    """The rows of each job, and the teacher's size.

    Each of ``dask`` is one of ``stream``: the stream of that size is the
    one-process job the Dask job is compared with.
    """

    stream: tuple[int, ...] = (1_000_000, 3_000_000, 10_000_000)
    in_memory: int = 1_000_000
    dask: tuple[int, ...] = (1_000_000, 3_000_000)
    block: int = 100_000
    teacher_rows: int = 200_000
    test_rows: int = 100_000
    teacher_rounds: int = 60


QUICK = Sizes(
    stream=(10_000, 20_000, 40_000),
    in_memory=10_000,
    dask=(10_000, 20_000),
    block=5_000,
    teacher_rows=5_000,
    test_rows=5_000,
    teacher_rounds=5,
)
TEACHER_LEAVES = 31
TEACHER_LEARNING_RATE = 0.1
N_THREADS = 2  # LightGBM's n_jobs in one process; the Dask workers: 1 each
N_WORKERS = 2
# The targets: the (peak memory of the stream, flat in the rows;
# accuracy of the longest stream against the fit in memory; Dask's results
# those of one process), and this suite's reading of "scaling": Dask's rows
# per second on the larger size at least MIN_DASK_SCALING of the smaller's.
MAX_PEAK_RSS_MB = 2000
MAX_RSS_GROWTH = 1.10  # peak at the longest stream / at the shortest
MAX_ACCURACY_GAP_PT = 0.5
MAX_DASK_PROBA_DIFF = 1e-6
MIN_DASK_SCALING = 0.9


# ------------------------------------------------------------------ the run


def require_dask() -> None:
    """Stop with a clear message when the ``dask`` extra is not installed."""
    try:
        importlib.import_module("distributed")
        importlib.import_module("dask_ml.wrappers")
        importlib.import_module("skdistill.dask")
    except ImportError as error:
        raise SystemExit(
            f"the scale suite needs the dask extra ({error}): "
            'pip install "skdistill[dask]"'
        ) from error


def fit_teacher(ctx, sizes: Sizes, workdir: Path) -> tuple[Path, dict]:
    """Fit the teacher on the ``TEACHER`` stream and pickle it for the jobs."""
    start = time.perf_counter()
    X, y = data.rows(ctx.seed, data.TEACHER, sizes.teacher_rows, sizes.block)
    draw_seconds = time.perf_counter() - start
    teacher = LGBMClassifier(
        n_estimators=sizes.teacher_rounds,
        learning_rate=TEACHER_LEARNING_RATE,
        num_leaves=TEACHER_LEAVES,
        random_state=ctx.seed,
        n_jobs=N_THREADS,
        verbose=-1,
    )
    start = time.perf_counter()
    teacher.fit(X, y)
    seconds = time.perf_counter() - start
    path = workdir / "teacher.pkl"
    with open(path, "wb") as file:
        pickle.dump(teacher, file)
    X_test, y_test = data.rows(ctx.seed, data.TEST, sizes.test_rows, sizes.block)
    start = time.perf_counter()
    proba = teacher.predict_proba(X_test)
    predict_seconds = time.perf_counter() - start
    labels = data.CLASSES[proba.argmax(axis=1)]
    ctx.log(f"teacher fit in {seconds:.1f} s, accuracy {np.mean(labels == y_test):.4f}")
    return path, {
        "fit_seconds": seconds,
        "draw_us_per_row": 1e6 * draw_seconds / len(y),
        "predict_us_per_row": 1e6 * predict_seconds / len(y_test),
        "accuracy": float(np.mean(labels == y_test)),
        "labels": labels,
        "y_test": y_test,
    }


def run_jobs(ctx, sizes: Sizes, workdir: Path, teacher_path: Path) -> dict:
    """Every job, each in its own process: label -> its figures."""
    common = {
        "seed": ctx.seed,
        "block_rows": sizes.block,
        "test_rows": sizes.test_rows,
        "teacher_path": str(teacher_path),
        "workdir": str(workdir),
    }
    jobs = [("in_memory", sizes.in_memory, N_THREADS)]
    jobs += [("stream", n, N_THREADS) for n in sizes.stream]
    jobs += [("dask", n, 1) for n in sizes.dask]
    results = {}
    for job, n_rows, teacher_n_jobs in jobs:
        label = f"{job}-{n_rows}"
        ctx.log(f"{job}: {n_rows:,} rows ...")
        settings = {
            **common,
            "job": job,
            "label": label,
            "n_rows": n_rows,
            "teacher_n_jobs": teacher_n_jobs,
            "n_workers": N_WORKERS,
            "proba_path": str(workdir / f"proba-{label}.npy"),
        }
        figures = run_job(settings)
        figures.update(job=job, n_rows=n_rows, proba=np.load(settings["proba_path"]))
        ctx.log(
            f"{job}: {n_rows:,} rows in {figures['seconds']:.1f} s "
            f"({n_rows / figures['seconds']:,.0f} rows/s), peak RSS "
            f"{figures['peak_rss_mb']:,.0f} MB"
        )
        results[label] = figures
    return results


def score(results: dict, teacher: dict) -> None:
    """Each job's test accuracy and agreement with the teacher, in place."""
    for figures in results.values():
        labels = data.CLASSES[figures["proba"].argmax(axis=1)]
        figures["accuracy"] = float(np.mean(labels == teacher["y_test"]))
        figures["agreement"] = float(np.mean(labels == teacher["labels"]))


# ------------------------------------------------------------------- tables


def _mb(value: float) -> str:
    return f"{value:,.0f}"


def _seconds(value: float) -> str:
    return f"{value:,.1f}"


def stream_table(results: dict, sizes: Sizes) -> str:
    rows = []
    for n_rows in sizes.stream:
        r = results[f"stream-{n_rows}"]
        rows.append(
            {
                "rows": f"{n_rows:,}",
                "blocks": f"{r['batches']:,}",
                "wall (s)": _seconds(r["seconds"]),
                "rows/s": f"{n_rows / r['seconds']:,.0f}",
                "CPU / wall": f"{r['cpu_seconds'] / r['seconds']:.2f}",
                "RSS before the stream (MB)": _mb(r["rss_before_mb"]),
                "peak RSS (MB)": _mb(r["peak_rss_mb"]),
                "the rows' X alone (MB)": _mb(n_rows * data.N_FEATURES * 8 / 1e6),
                "test accuracy": f"{r['accuracy']:.4f}",
                "agreement with the teacher": f"{r['agreement']:.4f}",
            }
        )
    return markdown_table(rows, list(rows[0]))


def accuracy_table(results: dict, sizes: Sizes, teacher: dict) -> str:
    memory = results[f"in_memory-{sizes.in_memory}"]
    rows = [
        {
            "model": f"teacher ({5 * sizes.teacher_rounds} trees)",
            "rows learnt": f"{sizes.teacher_rows:,}",
            "how": "LightGBM fit",
            "wall (s)": _seconds(teacher["fit_seconds"]),
            "peak RSS (MB)": "—",
            "test accuracy": f"{teacher['accuracy']:.4f}",
            "agreement with the teacher": "1.0000",
        },
        {
            "model": "student, in memory",
            "rows learnt": f"{sizes.in_memory:,}",
            "how": "`fit`, every row in memory",
            "wall (s)": _seconds(memory["seconds"]),
            "peak RSS (MB)": _mb(memory["peak_rss_mb"]),
            "test accuracy": f"{memory['accuracy']:.4f}",
            "agreement with the teacher": f"{memory['agreement']:.4f}",
        },
    ]
    for n_rows in sizes.stream:
        r = results[f"stream-{n_rows}"]
        rows.append(
            {
                "model": "student, streamed",
                "rows learnt": f"{n_rows:,}",
                "how": "`partial_fit`, one pass",
                "wall (s)": _seconds(r["seconds"]),
                "peak RSS (MB)": _mb(r["peak_rss_mb"]),
                "test accuracy": f"{r['accuracy']:.4f}",
                "agreement with the teacher": f"{r['agreement']:.4f}",
            }
        )
    return markdown_table(rows, list(rows[0]))


def memory_note(results: dict, sizes: Sizes) -> str:
    """The fit in memory's peak against the longest stream's."""
    memory = results[f"in_memory-{sizes.in_memory}"]
    longest = results[f"stream-{sizes.stream[-1]}"]
    ratio = memory["peak_rss_mb"] / longest["peak_rss_mb"]
    return (
        f"The fit in memory on {sizes.in_memory:,} rows peaked at "
        f"{memory['peak_rss_mb']:,.0f} MB, {ratio:.1f} times the stream of "
        f"{longest['n_rows']:,} rows ({longest['peak_rss_mb']:,.0f} MB)."
    )


def dask_rows(results: dict, sizes: Sizes) -> list[dict]:
    """Dask against one process at each size: times, memory, largest difference."""
    rows = []
    for n_rows in sizes.dask:
        one, dask = results[f"stream-{n_rows}"], results[f"dask-{n_rows}"]
        rows.append(
            {
                "n_rows": n_rows,
                "one": one["seconds"],
                "dask": dask["seconds"],
                "diff": float(np.max(np.abs(dask["proba"] - one["proba"]))),
                "client_rss": dask["peak_rss_mb"],
                "worker_rss": dask["worker_peak_rss_mb"],
                "one_rss": one["peak_rss_mb"],
            }
        )
    return rows


def dask_table(rows: list[dict]) -> str:
    cells = [
        {
            "rows": f"{r['n_rows']:,}",
            "one process (s)": _seconds(r["one"]),
            f"Dask, {N_WORKERS} workers (s)": _seconds(r["dask"]),
            "Dask / one process": f"{r['dask'] / r['one']:.2f}x",
            "one process rows/s": f"{r['n_rows'] / r['one']:,.0f}",
            "Dask rows/s": f"{r['n_rows'] / r['dask']:,.0f}",
            "max abs. difference in probability": f"{r['diff']:.1e}",
            "one process peak RSS (MB)": _mb(r["one_rss"]),
            "Dask client peak RSS (MB)": _mb(r["client_rss"]),
            "Dask worker peak RSS (MB, largest)": _mb(r["worker_rss"]),
        }
        for r in rows
    ]
    return markdown_table(cells, list(cells[0]))


def targets(results: dict, sizes: Sizes, dask: list[dict]) -> list[dict]:
    streams = [results[f"stream-{n}"] for n in sizes.stream]
    shortest, longest = streams[0], streams[-1]
    memory = results[f"in_memory-{sizes.in_memory}"]
    checks = [
        target_row(
            f"peak RSS of the stream of {r['n_rows']:,} rows",
            r["peak_rss_mb"],
            at_most=MAX_PEAK_RSS_MB,
            unit=" MB",
            digits=0,
        )
        for r in streams
    ]
    checks.append(
        target_row(
            f"peak RSS at {longest['n_rows']:,} rows / at {shortest['n_rows']:,} "
            "rows (flat)",
            longest["peak_rss_mb"] / shortest["peak_rss_mb"],
            at_most=MAX_RSS_GROWTH,
            digits=3,
        )
    )
    checks.append(
        target_row(
            f"test accuracy, in memory on {sizes.in_memory:,} rows less streamed "
            f"over {longest['n_rows']:,} rows (absolute: within "
            f"{MAX_ACCURACY_GAP_PT:g} pt)",
            100 * abs(memory["accuracy"] - longest["accuracy"]),
            at_most=MAX_ACCURACY_GAP_PT,
            unit=" pt",
            digits=2,
        )
    )
    for r in dask:
        row = target_row(
            f"Dask against one process, {r['n_rows']:,} rows: max abs. "
            "difference in probability",
            r["diff"],
            at_most=MAX_DASK_PROBA_DIFF,
            unit="",
        )
        row["value"] = f"{r['diff']:.1e}"
        checks.append(row)
    if len(dask) > 1:
        small, large = dask[0], dask[-1]
        checks.append(
            target_row(
                f"Dask rows/s at {large['n_rows']:,} rows / at {small['n_rows']:,} "
                "rows (scaling)",
                (large["n_rows"] / large["dask"]) / (small["n_rows"] / small["dask"]),
                at_least=MIN_DASK_SCALING,
                digits=2,
            )
        )
    return checks


def machine_note() -> str:
    """CPU model, cores and memory of this machine."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
        memory_note = f", {memory:.0f} GB of memory"
    except (OSError, ValueError, AttributeError):
        memory_note = ""
    return f"{model}, {os.cpu_count()} cores{memory_note}"


def setup_text(ctx, sizes: Sizes, results: dict, teacher: dict) -> str:
    one = results[f"stream-{sizes.stream[0]}"]
    dask_threads = "; ".join(results[f"dask-{sizes.dask[0]}"]["worker_threads"])
    text = (
        f"Machine: {machine_note()}. Blocks of {sizes.block:,} rows; the teacher "
        f"({5 * sizes.teacher_rounds} trees) fit on {sizes.teacher_rows:,} rows "
        f"in {teacher['fit_seconds']:.1f} s; it predicts "
        f"{teacher['predict_us_per_row']:.1f} µs per row with {N_THREADS} "
        f"threads. Threads: in one process (stream, in memory), LightGBM "
        f"`n_jobs={N_THREADS}` and the libraries' default thread pools "
        f"({one['threads']}), under skdistill's own limit on OpenMP threads "
        "during each `partial_fit` (the frozen teacher's explicit `n_jobs` "
        "goes to LightGBM as it is; the CPU / wall column shows the threads "
        f"at work). On Dask: {N_WORKERS} worker processes "
        "of 1 thread each (`LocalCluster(n_workers=2, threads_per_worker=1, "
        "processes=True)`, which sets `OMP_NUM_THREADS=1` and the BLAS "
        f"variables to 1 in the workers: {dask_threads}), LightGBM `n_jobs=1` "
        "on each; the "
        "client and scheduler run in the job's own process. Both use the "
        "machine's 2 cores. Times are wall times of the learning alone (the "
        "imports, the teacher's loading and, on Dask, the cluster's start and "
        "the workers' imports come before the clock starts); drawing the "
        f"blocks is part of them ({teacher['draw_us_per_row']:.1f} µs a row, "
        "one thread). Peak RSS: the job's "
        "process (on Dask, the client's, and the largest of the workers')."
    )
    if ctx.quick:
        text += " Quick mode: too small for the targets to mean anything."
    return text


def run(ctx) -> str:
    require_dask()
    sizes = QUICK if ctx.quick else Sizes()
    workdir = Path(tempfile.mkdtemp(prefix="skdistill-scale-"))
    try:
        teacher_path, teacher = fit_teacher(ctx, sizes, workdir)
        results = run_jobs(ctx, sizes, workdir, teacher_path)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    score(results, teacher)
    dask = dask_rows(results, sizes)
    checks = targets(results, sizes, dask)
    for check in checks:
        verdict = "PASS" if check["result"] == "PASS" else "FAIL"
        ctx.log(f"{verdict}: {check['measure']} = {check['value']} {check['target']}")
    longest = sizes.stream[-1]
    return "\n\n".join(
        [
            intro(__doc__),
            setup_text(ctx, sizes, results, teacher),
            "## Targets",
            f"The stream's peak resident memory stays under {MAX_PEAK_RSS_MB:,} MB "
            f"at every size and grows by at most {MAX_RSS_GROWTH - 1:.0%} from "
            f"{sizes.stream[0]:,} to {longest:,} rows (holding the rows would "
            f"grow it by {(longest - sizes.stream[0]) * data.N_FEATURES * 8 / 1e6:,.0f}"
            f" MB); the student streamed over {longest:,} rows scores within "
            f"{MAX_ACCURACY_GAP_PT:g} point of accuracy of the one fit in memory "
            f"on {sizes.in_memory:,}; the Dask job gives the probabilities of "
            f"one process within {MAX_DASK_PROBA_DIFF:g}; and (this suite's "
            f"reading of scaling) its rows per second at {sizes.dask[-1]:,} "
            f"rows are at least {MIN_DASK_SCALING:.0%} of those at "
            f"{sizes.dask[0]:,}.",
            markdown_table(checks, ["measure", "value", "target", "result"]),
            "## Streaming: memory and throughput",
            "`partial_fit` block by block, one process. Peak RSS is that of the "
            "whole process (Python, numpy, scikit-learn, LightGBM and the "
            "teacher included); the RSS before the stream is the peak after "
            "the imports and the teacher's loading. The last memory column is "
            "what the rows' features alone would take in memory (float64).",
            stream_table(results, sizes),
            "## Accuracy: streamed against in memory",
            "On the held-out rows. Agreement: the share of rows where the "
            "model predicts the teacher's class.",
            accuracy_table(results, sizes, teacher),
            memory_note(results, sizes),
            "## Dask: 2 workers against one process",
            f"The same rows, blocks and order. One process: the stream's "
            f"`partial_fit` job above. Dask: `skdistill.dask.distil` on a "
            f"`LocalCluster` of {N_WORKERS} processes of one thread. The "
            "difference is the largest over the held-out rows and classes "
            "between the two students' probabilities. On this machine of 2 "
            "cores, one process already uses both (LightGBM's threads for the "
            "teacher, OpenBLAS's for the student), so the workers add no core: "
            "the ratio of the times is what the cluster costs here (blocks, "
            "outputs and the student moved between processes; the student "
            "learning on one single-threaded worker at a time), and the rows "
            "per second at the two sizes show how its time grows with the rows. "
            "On a cluster of several machines, the workers add cores and memory.",
            dask_table(dask),
        ]
    )
