"""Scale: 10 million rows through `partial_fit`, on Dask, and on the command line.

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
  blocks in the same order as the stream's;
- **command line**: the same problem as a CSV file of a million rows (18
  numbers, 2 text categories with a few empty values, the class as text,
  empty on 10% of the rows), written block by block; a teacher file made by
  `skdistill fit` on 20,000 rows of a separate stream (LightGBM, 60
  rounds: 300 trees), then distilled over the whole file by `skdistill fit
  --teacher-model teacher.skops --chunksize 50000` (and, on the file's
  first 200,000 rows, `--chunksize 50000` against `5000`); the student's
  predictions over the whole file by `skdistill predict --chunksize 50000`.
  Each command runs in its own process, through `skdistill.cli.main`.

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
import json
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

TITLE = (
    "Scale: streaming 10 million rows, the same job on a Dask cluster, and the "
    "command line over a file bigger than memory"
)


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
    # the command line's jobs: the CSV file's rows, the first rows (a file
    # of its own) run at both chunk sizes, the teacher's rows and rounds
    cli_rows: int = 1_000_000
    cli_first_rows: int = 200_000
    cli_chunk: int = 50_000
    cli_small_chunk: int = 5_000
    cli_teacher_rows: int = 20_000
    cli_teacher_rounds: int = 60


# Quick mode (the tests' run): every job once, as few processes as can be.
QUICK = Sizes(
    stream=(10_000, 20_000),
    in_memory=10_000,
    dask=(10_000,),
    block=5_000,
    teacher_rows=5_000,
    test_rows=5_000,
    teacher_rounds=5,
    cli_rows=20_000,
    cli_first_rows=10_000,
    cli_chunk=5_000,
    cli_small_chunk=500,
    cli_teacher_rows=2_000,
    cli_teacher_rounds=5,
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
# The command line's jobs: the rows without a target, the share held out for
# the report, the threads (LightGBM's --n-jobs; OpenMP limited to match).
CLI_UNLABELLED = 0.10
CLI_TEST_SIZE = 0.01
CLI_N_JOBS = 1
CLI_ENV = {"OMP_NUM_THREADS": "1"}


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


def run_cli(ctx, sizes: Sizes) -> dict:
    """The command line's jobs, each in its own process: label -> its figures.

    The CSV files, the model files and the predictions live in a temporary
    folder, removed at the end; the model files' sizes are kept.
    """
    with tempfile.TemporaryDirectory(prefix="skdistill-scale-cli-") as folder:
        workdir = Path(folder)
        big, first, sample = (
            workdir / f"{name}.csv" for name in ("big", "first", "sample")
        )
        teacher, student = workdir / "teacher.skops", workdir / "student.skops"
        results = {}

        def job(label: str, **settings) -> dict:
            figures = run_job(
                {
                    "seed": ctx.seed,
                    "workdir": folder,
                    "label": f"cli-{label}",
                    "env": CLI_ENV,
                    **settings,
                }
            )
            if "stdout" in figures and figures["stdout"].lstrip().startswith("{"):
                figures["output"] = json.loads(figures["stdout"])
            results[label] = figures
            ctx.log(
                f"command line, {label}: {figures['seconds']:.1f} s, peak RSS "
                f"{figures['peak_rss_mb']:,.0f} MB"
            )
            return figures

        def write(label: str, path: Path, stream: int, n_rows: int, unlabelled: float):
            job(
                label,
                job="write_csv",
                path=str(path),
                stream=stream,
                n_rows=n_rows,
                block_rows=sizes.block,
                unlabelled=unlabelled,
            )

        def skdistill(label: str, command: str) -> None:
            """Run ``skdistill COMMAND``: its words, then each ``{name}`` filled
            (a path with a space stays one argument)."""
            argv = [word.format(**names) for word in command.split()]
            job(label, job="cli", argv=argv)

        # the same blocks: "first" is the first rows of "big", row for row
        write("write", big, data.TRAIN, sizes.cli_rows, CLI_UNLABELLED)
        write("write-first", first, data.TRAIN, sizes.cli_first_rows, CLI_UNLABELLED)
        write("write-sample", sample, data.TEACHER, sizes.cli_teacher_rows, 0.0)
        names = {
            "big": big,
            "first": first,
            "sample": sample,
            "teacher": teacher,
            "student": student,
            "dir": workdir,
            "target": data.CSV_TARGET,
            "rounds": sizes.cli_teacher_rounds,
            "chunk": sizes.cli_chunk,
            "small": sizes.cli_small_chunk,
            "test_size": CLI_TEST_SIZE,
            "n_jobs": CLI_N_JOBS,
            "seed": ctx.seed,
        }
        threads_and_seed = "--n-jobs {n_jobs} --random-state {seed}"
        stream = "--teacher-model {teacher} --test-size {test_size} " + threads_and_seed
        skdistill(
            "teacher",
            "fit {sample} --target {target} --out {teacher} --test-size 0 "
            "--n-estimators {rounds} " + threads_and_seed,
        )
        skdistill(
            "fit",
            "fit {big} --chunksize {chunk} --out {student} --json " + stream,
        )
        skdistill(
            "fit-first",
            "fit {first} --chunksize {chunk} --out {dir}/first.skops --json " + stream,
        )
        skdistill(
            "fit-first-small",
            "fit {first} --chunksize {small} --out {dir}/first-small.skops --json "
            + stream,
        )
        skdistill(
            "predict",
            "predict {student} {big} --chunksize {chunk} -o {dir}/predictions.csv",
        )
        results["files_mb"] = {
            path.stem: path.stat().st_size / 1e6 for path in (big, teacher, student)
        }
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


def cli_table(cli: dict, sizes: Sizes) -> str:
    """Each command line job: what it did, its time and its memory."""
    big, first, sample = sizes.cli_rows, sizes.cli_first_rows, sizes.cli_teacher_rows
    chunk, small = sizes.cli_chunk, sizes.cli_small_chunk
    jobs = [
        ("write", "write BIG (the suite, block by block)", big, None),
        ("write-first", "write FIRST (BIG's first rows)", first, None),
        ("write-sample", "write SAMPLE (the teacher's rows)", sample, None),
        ("teacher", "`fit SAMPLE --test-size 0`", sample, None),
        ("fit", "`fit BIG --teacher-model ...`", big, chunk),
        ("fit-first", "`fit FIRST --teacher-model ...`", first, chunk),
        ("fit-first-small", "`fit FIRST --teacher-model ...`", first, small),
        ("predict", "`predict student.skops BIG`", big, chunk),
    ]
    rows = []
    for label, what, n_rows, chunksize in jobs:
        r = cli[label]
        before = r.get("rss_before_mb")
        rows.append(
            {
                "step": what,
                "rows": f"{n_rows:,}",
                "--chunksize": "—" if chunksize is None else f"{chunksize:,}",
                "wall (s)": _seconds(r["seconds"]),
                "rows/s": f"{n_rows / r['seconds']:,.0f}",
                "CPU / wall": f"{r['cpu_seconds'] / r['seconds']:.2f}",
                "RSS before (MB)": "—" if before is None else _mb(before),
                "peak RSS (MB)": _mb(r["peak_rss_mb"]),
            }
        )
    return markdown_table(rows, list(rows[0]))


def cli_memory_note(cli: dict, sizes: Sizes) -> str:
    """The streamed fits' peaks: the same chunk over two files, two chunks over one."""
    fit, large, small = cli["fit"], cli["fit-first"], cli["fit-first-small"]
    return (
        f"At `--chunksize {sizes.cli_chunk}`, the fit over {sizes.cli_rows:,} "
        f"rows ({cli['files_mb']['big']:,.0f} MB of CSV) peaked at "
        f"{fit['peak_rss_mb']:,.0f} MB and the one over their first "
        f"{sizes.cli_first_rows:,} at {large['peak_rss_mb']:,.0f} MB; at "
        f"`--chunksize {sizes.cli_small_chunk}`, the first "
        f"{sizes.cli_first_rows:,} rows peaked at {small['peak_rss_mb']:,.0f} "
        f"MB, over the {small['rss_before_mb']:,.0f} MB of the process before "
        "the command (Python and the libraries)."
    )


def cli_accuracy_table(cli: dict, sizes: Sizes) -> str:
    """What each streamed ``fit --json`` reported on its held-out sample."""
    runs = [
        ("fit", sizes.cli_rows, sizes.cli_chunk),
        ("fit-first", sizes.cli_first_rows, sizes.cli_chunk),
        ("fit-first-small", sizes.cli_first_rows, sizes.cli_small_chunk),
    ]
    rows = []
    for label, n_rows, chunksize in runs:
        output = cli[label]["output"]
        models, streaming = output["models"], output["streaming"]
        rows.append(
            {
                "rows": f"{n_rows:,}",
                "chunk": f"{chunksize:,}",
                "chunks": f"{streaming['n_chunks']:,}",
                "rows learnt (without a target)": (
                    f"{streaming['n_training_rows']:,} "
                    f"({streaming['n_unlabeled_rows']:,})"
                ),
                "held out (in the report)": (
                    f"{streaming['n_held_out_rows']:,} ({output['n_samples']:,})"
                ),
                "teacher accuracy": f"{models['teacher']['accuracy']:.4f}",
                "student accuracy": f"{models['distilled']['accuracy']:.4f}",
                "student fidelity": f"{models['distilled']['fidelity']:.4f}",
            }
        )
    return markdown_table(rows, list(rows[0]))


def cli_targets(cli: dict, sizes: Sizes) -> list[dict]:
    """Peak RSS of the streamed fit under the bound; smaller chunks, less memory."""
    fit, large, small = cli["fit"], cli["fit-first"], cli["fit-first-small"]
    ratio = small["peak_rss_mb"] / large["peak_rss_mb"]
    return [
        target_row(
            f"command line: peak RSS of `fit --chunksize {sizes.cli_chunk}` over "
            f"{sizes.cli_rows:,} rows",
            fit["peak_rss_mb"],
            at_most=MAX_PEAK_RSS_MB,
            unit=" MB",
            digits=0,
        ),
        {
            "measure": f"command line: peak RSS at `--chunksize "
            f"{sizes.cli_small_chunk}` / at `{sizes.cli_chunk}` "
            f"({sizes.cli_first_rows:,} rows)",
            "value": f"{ratio:.3f}x",
            "target": "< 1x",
            "result": "PASS" if ratio < 1 else "**FAIL**",
        },
    ]


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


def cli_text(cli: dict, sizes: Sizes) -> str:
    """The command line section's setup: the file, the teacher, the threads."""
    files = cli["files_mb"]
    fit = cli["fit"]
    categories = " and ".join(
        f"`{name}` of {levels} levels" for name, levels in data.CSV_CATEGORIES.items()
    )
    return (
        f"The file: {sizes.cli_rows:,} rows of the `TRAIN` stream as CSV "
        f"({files['big']:,.0f} MB), written block by block by pyarrow's CSV "
        f"writer: {len(data.CSV_NUMBERS)} numbers (the problem's first "
        f"{len(data.CSV_NUMBERS)} features, 4 decimals), 2 text categories (its "
        f"last 2 features, binned), {categories}, {data.CSV_MISSING:.0%} of "
        f"each empty, and the class as text (`class_a` to `class_e`), empty on "
        f"{CLI_UNLABELLED:.0%} of the rows: those rows are learnt from the "
        f"teacher alone. FIRST: its first {sizes.cli_first_rows:,} rows, row "
        "for row, as a file of their own. The teacher file: `skdistill fit "
        f"SAMPLE --target {data.CSV_TARGET} --test-size 0 --n-estimators "
        f"{sizes.cli_teacher_rounds}` on {sizes.cli_teacher_rows:,} rows of the "
        f"`TEACHER` stream (every row labelled): LightGBM of "
        f"{sizes.cli_teacher_rounds} rounds, {5 * sizes.cli_teacher_rounds} "
        "trees (the command line's teacher: 31 leaves, learning rate 0.05), "
        f"{files['teacher']:,.2f} MB of skops file with its decision-tree "
        "student and baseline. The streamed fits: `skdistill fit DATA "
        "--teacher-model teacher.skops --chunksize N --test-size "
        f"{CLI_TEST_SIZE:g} --n-jobs {CLI_N_JOBS} --json` (the default "
        "student, `logreg`: a `SoftLogisticRegression` behind the encoding "
        "fitted on the first chunk); its model file, "
        f"{files['student']:,.2f} MB, holds the teacher too. Threads: "
        f"`--n-jobs {CLI_N_JOBS}` (the teacher's LightGBM), under "
        f"`OMP_NUM_THREADS={CLI_ENV['OMP_NUM_THREADS']}`; the process's pools: "
        f"{fit['threads']}. Each command runs in a fresh process through "
        "`skdistill.cli.main`, the clock started after `skdistill --version` "
        "has imported the command's modules (the RSS before is the peak "
        "then); the time includes reading the teacher file and, for a CSV "
        "file, the streaming pass that checks its fields and counts its rows. "
        "Peak RSS: the process's `VmHWM`."
    )


def run(ctx) -> str:
    require_dask()
    sizes = QUICK if ctx.quick else Sizes()
    workdir = Path(tempfile.mkdtemp(prefix="skdistill-scale-"))
    try:
        teacher_path, teacher = fit_teacher(ctx, sizes, workdir)
        results = run_jobs(ctx, sizes, workdir, teacher_path)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    cli = run_cli(ctx, sizes)
    score(results, teacher)
    dask = dask_rows(results, sizes)
    checks = targets(results, sizes, dask) + cli_targets(cli, sizes)
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
            f"{sizes.dask[0]:,}. On the command line, `skdistill fit "
            f"--chunksize {sizes.cli_chunk}` over a CSV file of "
            f"{sizes.cli_rows:,} rows peaks under {MAX_PEAK_RSS_MB:,} MB too, and "
            f"its peak at `--chunksize {sizes.cli_small_chunk}` is lower than "
            f"at `{sizes.cli_chunk}` (memory follows the chunk, not the file).",
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
            "## Command line: a CSV file bigger than memory",
            cli_text(cli, sizes),
            cli_table(cli, sizes),
            "Rows per second: the rows of the file (or of the sample) over the "
            "wall time. " + cli_memory_note(cli, sizes),
            "What `fit --json` reports: the teacher and the student on a sample "
            "of the held-out rows that have a target (at most 10,000; the same "
            "rows of FIRST at both chunk sizes, chosen by a hash of each row).",
            cli_accuracy_table(cli, sizes),
        ]
    )
