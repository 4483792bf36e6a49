"""The child processes of the ``scale`` suite: one measured job in each.

A job runs in a fresh Python process, so that its peak resident memory
(:func:`peak_rss_mb`) is its own: started by :func:`run_job` with
the job's settings as JSON, it prints its figures as one JSON line. Each job
saves the fitted model's probabilities on the ``TEST`` rows to
``proba_path``, for the suite to score and compare.

- ``stream``: ``DistilledClassifier.partial_fit`` on the ``TRAIN`` rows,
  block by block, each block drawn just before it is learnt;
- ``in_memory``: ``DistilledClassifier.fit`` on the first ``n_rows`` rows
  of ``TRAIN``, all in memory;
- ``dask``: ``skdistill.dask.distil`` on the same rows as lazy Dask arrays,
  on a ``distributed.LocalCluster`` this process starts;
- ``write_csv``: the command line's CSV file, written block by block;
- ``cli``: one ``skdistill`` command (``settings["argv"]``), run in this
  process by :func:`skdistill.cli.main`, its standard output kept.

A job's ``settings["env"]``, if any, is added to its process's environment
(such as ``OMP_NUM_THREADS``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path

import _scale_data as data
import numpy as np

HERE = Path(__file__).resolve().parent
JOB_TIMEOUT = 3600  # seconds: a job that hangs (a stuck cluster) stops the suite


def run_job(settings: dict) -> dict:
    """Run one job in a new Python process; its figures."""
    path = Path(settings["workdir"]) / f"job-{settings['label']}.json"
    path.write_text(json.dumps(settings))
    code = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); "
        "from _scale_worker import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=JOB_TIMEOUT,
        env={**os.environ, **settings.get("env", {})},
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"the job {settings['label']} failed (exit code {result.returncode}); "
            f"the end of its output:\n{result.stdout[-2000:]}\n"
            f"{result.stderr[-4000:]}"
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    settings = json.loads(Path(sys.argv[1]).read_text())
    figures = JOBS[settings["job"]](settings)
    print(json.dumps(figures))


# ------------------------------------------------------------------ models


def student():
    """The student of every job: a standardized ``SoftLogisticRegression``."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skdistill import SoftLogisticRegression

    return make_pipeline(StandardScaler(), SoftLogisticRegression())


def distiller(settings: dict, n_jobs: int):
    """A ``DistilledClassifier`` of the saved teacher (frozen, ``n_jobs`` threads)."""
    from sklearn.frozen import FrozenEstimator

    from skdistill import DistilledClassifier

    with open(settings["teacher_path"], "rb") as file:
        teacher = pickle.load(file)
    teacher.set_params(n_jobs=n_jobs)
    return DistilledClassifier(
        FrozenEstimator(teacher), student(), random_state=settings["seed"]
    )


# ----------------------------------------------------------------- figures


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB.

    Linux's ``VmHWM``, the high-water mark of this process's own memory:
    ``getrusage``'s ``ru_maxrss`` would not do in a child process, as it
    starts at the parent's peak (the kernel carries it over ``fork`` and
    ``exec``). Elsewhere, ``ru_maxrss`` (an upper bound, in KiB on Linux
    and bytes on macOS).
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


class Clock:
    """Wall and CPU seconds of the ``with`` block (CPU: this process's threads)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def save_test_proba(model, settings: dict) -> None:
    """The model's probabilities on the ``TEST`` rows, to ``proba_path``."""
    X_test, _ = data.rows(
        settings["seed"], data.TEST, settings["test_rows"], settings["block_rows"]
    )
    np.save(settings["proba_path"], model.predict_proba(X_test))


def threads() -> str:
    """The thread pools of this process (BLAS, OpenMP) and their sizes."""
    from threadpoolctl import threadpool_info

    pools = {f"{i['internal_api']} {i['num_threads']}" for i in threadpool_info()}
    return ", ".join(sorted(pools))


# -------------------------------------------------------------------- jobs


def stream(settings: dict) -> dict:
    """``partial_fit`` block by block on ``n_rows`` rows of ``TRAIN``."""
    model = distiller(settings, settings["teacher_n_jobs"])
    before = peak_rss_mb()
    with Clock() as clock:
        for X, y in data.blocks(
            settings["seed"], data.TRAIN, settings["n_rows"], settings["block_rows"]
        ):
            model.partial_fit(X, y, classes=data.CLASSES)
    figures = {
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
        "batches": model.n_batches_seen_,
        "threads": threads(),
    }
    save_test_proba(model, settings)
    return figures


def in_memory(settings: dict) -> dict:
    """``fit`` on the first ``n_rows`` rows of ``TRAIN``, held in memory."""
    model = distiller(settings, settings["teacher_n_jobs"])
    before = peak_rss_mb()
    X, y = data.rows(
        settings["seed"], data.TRAIN, settings["n_rows"], settings["block_rows"]
    )
    with Clock() as clock:
        model.fit(X, y)
    figures = {
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
        "threads": threads(),
    }
    save_test_proba(model, settings)
    return figures


def dask(settings: dict) -> dict:
    """``skdistill.dask.distil`` on a ``LocalCluster`` of this process.

    The workers import the libraries before the clock starts (as the
    other jobs do before theirs); the wall time is that of ``distil``
    alone, on lazy arrays whose blocks the workers draw.
    """
    from distributed import Client, LocalCluster

    from skdistill.dask import distil

    X, y = data.dask_arrays(
        settings["seed"], settings["n_rows"], settings["block_rows"]
    )
    model = distiller(settings, settings["teacher_n_jobs"])
    before = peak_rss_mb()
    with (
        LocalCluster(
            n_workers=settings["n_workers"],
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            local_directory=settings["workdir"],
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(_warm_up, HERE)
        with Clock() as clock:
            model = distil(model, X, y, classes=data.CLASSES, shuffle_blocks=False)
        workers = client.run(peak_rss_mb)
        worker_threads = client.run(threads)
    figures = {
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": max(workers.values()),
        "threads": threads(),
        "worker_threads": sorted(set(worker_threads.values())),
        "batches": model.n_batches_seen_,
    }
    save_test_proba(model, settings)
    return figures


def _warm_up(benchmarks: Path) -> None:
    """On a worker: import what the tasks need (the clock starts after)."""
    if str(benchmarks) not in sys.path:
        sys.path.insert(0, str(benchmarks))
    import _scale_data  # noqa: F401
    import dask_ml.wrappers  # noqa: F401
    import lightgbm  # noqa: F401

    import skdistill.dask  # noqa: F401


def write_csv(settings: dict) -> dict:
    """The CSV file of the command line's jobs, one block in memory at a time."""
    with Clock() as clock:
        size = data.write_csv(
            settings["path"],
            settings["seed"],
            settings["stream"],
            settings["n_rows"],
            settings["block_rows"],
            settings["unlabelled"],
        )
    return {
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "peak_rss_mb": peak_rss_mb(),
        "file_mb": size / 1e6,
    }


def cli(settings: dict) -> dict:
    """``skdistill ARGV`` in this process: its time, memory and standard output.

    ``skdistill --version`` first builds the command's parser, which
    imports every subcommand and the libraries they use: the clock starts
    after, and ``rss_before_mb`` is the peak then. The command's standard
    output (its ``--json`` report) is returned as ``stdout``; its standard
    error (the progress notes) goes to the job's.
    """
    from skdistill.cli import main as skdistill

    with contextlib.redirect_stdout(io.StringIO()):
        skdistill(["--version"])
    before = peak_rss_mb()
    with contextlib.redirect_stdout(io.StringIO()) as stdout, Clock() as clock:
        code = skdistill(settings["argv"])
    if code != 0:
        raise SystemExit(
            f"skdistill {' '.join(settings['argv'])} failed (exit code {code}); "
            f"its output:\n{stdout.getvalue()}"
        )
    return {
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
        "threads": threads(),
        "stdout": stdout.getvalue(),
    }


JOBS = {
    "stream": stream,
    "in_memory": in_memory,
    "dask": dask,
    "write_csv": write_csv,
    "cli": cli,
}
