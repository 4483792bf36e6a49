"""Threads on a busy machine: the quick start's fit with a competing CPU load.

LightGBM runs each tree's loops in OpenMP parallel regions, and an OpenMP
thread that reaches a barrier first spin-waits for the others. When another
process holds a core, a thread of the team is descheduled and the rest spin
until it runs again, at every barrier: a fit of a second can take minutes.
Inside a distiller's fit, skdistill now limits OpenMP to one thread per
250,000 values of `X` (rows x columns), at most the physical cores less one,
shared among the `n_jobs` workers; a LightGBM model whose `n_jobs` is unset
gets `n_jobs=0` during the fit so that the limit reaches it.

This suite times the README's quick-start fit (digits, a LightGBM teacher of
300 trees, a depth-6 tree student) on the machine as it is ("idle") and with
one busy-looping process per CPU started next to it ("loaded"), **before**
(`SKDISTILL_N_THREADS=none`: every library's own default, as skdistill did
until now) and **after** (the default rule); then the cost of the rule without
load on a bigger fit (50,000 rows x 20 columns, 3 classes), where threads pay
the most.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from _common import markdown_table, plural, target_row
from joblib import cpu_count
from lightgbm import LGBMClassifier
from sklearn.datasets import load_digits, make_classification
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_info

from skdistill import DistilledClassifier

TITLE = "Threads on a busy machine"

ENV_VAR = "SKDISTILL_N_THREADS"
SETTINGS = {"before": "none", "after": None}  # the variable's value (None: unset)
PASSIVE = "before, OMP_WAIT_POLICY=PASSIVE"
N_TREES, QUICK_TREES = 300, 3
REPEATS, BIG_REPEATS = 5, 3
BIG_ROWS, BIG_COLUMNS, QUICK_ROWS, QUICK_BIG_ROWS = 50_000, 20, 200, 500
# The targets: under load, the quick start's median fit and its slowest fit
# within 3x of its median without load, and the median and the slowest fit at
# least 3x below the old default's; without load, the bigger fit at most 2x
# slower than with all cores (on 2 cores the rule gives it one thread of two).
MAX_LOADED_OVER_IDLE = 3.0
MIN_BEFORE_OVER_AFTER = 3.0
MAX_BIG_SLOWDOWN = 2.0


class RecordingLGBMClassifier(LGBMClassifier):
    """LGBMClassifier that records how many threads its fits were given."""

    threads: list[int] = []

    def fit(self, X, y, **kwargs):
        type(self).threads.append(_lightgbm_threads(self.n_jobs))
        return super().fit(X, y, **kwargs)


def _lightgbm_threads(n_jobs) -> int:
    """Threads a LightGBM fit uses for this ``n_jobs`` (as LightGBM reads it)."""
    if n_jobs is None:  # LightGBM's default: the physical cores
        return cpu_count(only_physical_cores=True)
    if n_jobs > 0:
        return n_jobs
    if n_jobs < 0:
        return max(cpu_count() + 1 + n_jobs, 1)
    openmp = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp"]
    return min(openmp) if openmp else 1  # 0: OpenMP's limit in this thread


def quick_start_data(ctx):
    """The README's quick start: digits, stratified 75/25 (its training part)."""
    X, y = load_digits(return_X_y=True)
    if ctx.quick:
        X, y = X[:QUICK_ROWS], y[:QUICK_ROWS]
    X_train, _, y_train, _ = train_test_split(X, y, stratify=y, random_state=0)
    return X_train, y_train


def big_data(ctx):
    rows = QUICK_BIG_ROWS if ctx.quick else BIG_ROWS
    return make_classification(
        n_samples=rows,
        n_features=BIG_COLUMNS,
        n_informative=10,
        n_classes=3,
        random_state=0,
    )


def quick_start_fit(X, y, n_trees: int):
    """The README's quick-start fit, its teacher recording its threads."""
    return DistilledClassifier(
        teacher=RecordingLGBMClassifier(
            n_estimators=n_trees, verbose=-1, random_state=0
        ),
        student=DecisionTreeClassifier(max_depth=6, random_state=0),
    ).fit(X, y)


def with_setting(setting: str | None, run):
    """``run()`` with SKDISTILL_N_THREADS set to ``setting`` (None: unset)."""
    old = os.environ.get(ENV_VAR)
    try:
        if setting is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = setting
        return run()
    finally:
        if old is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = old


class CompetingLoad:
    """One busy-looping Python process per CPU, for the ``with`` block."""

    def __init__(self, n_processes: int):
        self.n_processes = n_processes
        self.processes: list[subprocess.Popen] = []

    def __enter__(self):
        self.processes = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(self.n_processes)
        ]
        time.sleep(0.5)  # let them start spinning
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait()


def passive_main() -> None:
    """In a child process started with ``OMP_WAIT_POLICY=PASSIVE``: time the
    quick start at the libraries' defaults, print the times as JSON."""
    quick, n_trees, repeats = (int(arg) for arg in sys.argv[1:4])
    X, y = quick_start_data(SimpleNamespace(quick=bool(quick)))
    quick_start_fit(X, y, n_trees)  # warm-up
    result = {"wall": [], "cpu": [], "threads": []}
    for _ in range(repeats):
        RecordingLGBMClassifier.threads = []
        wall, cpu = time.perf_counter(), time.process_time()
        quick_start_fit(X, y, n_trees)
        result["wall"].append(time.perf_counter() - wall)
        result["cpu"].append(time.process_time() - cpu)
        result["threads"] += RecordingLGBMClassifier.threads
    print(json.dumps(result))


def time_passive(ctx, label, n_trees, repeats):
    """The old default with ``OMP_WAIT_POLICY=PASSIVE``, in a new process (the
    OpenMP runtime reads the variable once, when it loads)."""
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parents[1])!r}); "
        "from suites.threads import passive_main; passive_main()"
    )
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE", ENV_VAR: "none"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(int(ctx.quick)), str(n_trees), str(repeats)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["threads"] = set(result["threads"])
    ctx.log(f"{label}, {PASSIVE}: " + " / ".join(f"{t:.2f}" for t in result["wall"]))
    return {PASSIVE: result}


def time_settings(ctx, label, run, repeats):
    """Wall and CPU seconds of ``repeats`` runs of each setting, interleaved."""
    results = {name: {"wall": [], "cpu": [], "threads": set()} for name in SETTINGS}
    for repeat in range(repeats):
        for name, setting in SETTINGS.items():
            RecordingLGBMClassifier.threads = []
            wall, cpu = time.perf_counter(), time.process_time()
            with_setting(setting, run)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            results[name]["wall"].append(wall)
            results[name]["cpu"].append(cpu)
            results[name]["threads"].update(RecordingLGBMClassifier.threads)
            ctx.log(f"{label}, {name}, run {repeat + 1}: {wall:.2f} s")
    return results


def rows_of(fit, load, results, load_average):
    rows = []
    for name, result in results.items():
        wall = result["wall"]
        cpu_share = statistics.median(result["cpu"]) / statistics.median(wall)
        rows.append(
            {
                "fit": fit,
                "load": load,
                "setting": name,
                "LightGBM threads": ", ".join(map(str, sorted(result["threads"]))),
                "median (s)": f"{statistics.median(wall):.2f}",
                "max (s)": f"{max(wall):.2f}",
                "CPU / wall": f"{cpu_share:.2f}",
                "runs (s)": " / ".join(f"{t:.1f}" for t in wall),
                "load average": f"{load_average:.1f}",
                "_median": statistics.median(wall),
            }
        )
    return rows


def run(ctx) -> str:
    n_trees = QUICK_TREES if ctx.quick else N_TREES
    repeats = 1 if ctx.quick else REPEATS
    big_repeats = 1 if ctx.quick else BIG_REPEATS
    n_load = cpu_count()
    X, y = quick_start_data(ctx)
    X_big, y_big = big_data(ctx)

    def quick_start():
        return quick_start_fit(X, y, n_trees)

    def bigger():
        return quick_start_fit(X_big, y_big, n_trees)

    for setting in SETTINGS.values():  # warm-up: imports, LightGBM's first fit
        with_setting(setting, quick_start)

    rows = []
    idle = time_settings(ctx, "quick start, idle", quick_start, repeats)
    idle.update(time_passive(ctx, "quick start, idle", n_trees, repeats))
    rows += rows_of("quick start", "idle", idle, os.getloadavg()[0])
    with CompetingLoad(n_load):
        loaded = time_settings(ctx, "quick start, loaded", quick_start, repeats)
        loaded.update(time_passive(ctx, "quick start, loaded", n_trees, repeats))
        load_average = os.getloadavg()[0]
    rows += rows_of("quick start", f"loaded ({n_load} busy)", loaded, load_average)
    big = time_settings(ctx, "bigger fit, idle", bigger, big_repeats)
    big_label = f"{X_big.shape[0]:,} x {X_big.shape[1]}, 3 classes"
    rows += rows_of(big_label, "idle", big, os.getloadavg()[0])

    def median(results, name):
        return statistics.median(results[name]["wall"])

    targets = [
        target_row(
            "quick start, after: loaded / idle (median)",
            median(loaded, "after") / median(idle, "after"),
            at_most=MAX_LOADED_OVER_IDLE,
        ),
        target_row(
            "quick start, after: slowest loaded / idle (median)",
            max(loaded["after"]["wall"]) / median(idle, "after"),
            at_most=MAX_LOADED_OVER_IDLE,
        ),
        target_row(
            "quick start, loaded: before / after (median)",
            median(loaded, "before") / median(loaded, "after"),
            at_least=MIN_BEFORE_OVER_AFTER,
        ),
        target_row(
            "quick start, loaded: slowest before / slowest after",
            max(loaded["before"]["wall"]) / max(loaded["after"]["wall"]),
            at_least=MIN_BEFORE_OVER_AFTER,
        ),
        target_row(
            f"{big_label}, idle: after / before (median)",
            median(big, "after") / median(big, "before"),
            at_most=MAX_BIG_SLOWDOWN,
        ),
    ]
    openmp = ", ".join(
        f"{i['prefix']} {i['num_threads']}"
        for i in threadpool_info()
        if i["user_api"] == "openmp"
    )
    setup = (
        f"{plural(repeats, 'run')} of the quick start and "
        f"{plural(big_repeats, 'run')} of the bigger fit per setting, before and "
        "after interleaved (the PASSIVE runs in a process of their own, after "
        f"them, with the same load); LightGBM teacher of {n_trees} trees (its "
        "`n_jobs` unset, as in the README), depth-6 tree student. Machine: "
        f"{os.cpu_count()} CPUs, {cpu_count(only_physical_cores=True)} physical "
        f"cores; OpenMP's default outside a fit: {openmp}; "
        f"`OMP_WAIT_POLICY` {os.environ.get('OMP_WAIT_POLICY', 'unset')}. "
        "Threads used: before, LightGBM's default for `n_jobs=None`, all physical "
        "cores; after, the rule's count (on 2 cores, one thread whatever the "
        "size). The tree student and the rest of the fit use no thread pool. "
        "`LightGBM threads` is what the teacher's fits were given (recorded in "
        "its `fit`); `CPU / wall` is the process's CPU time over "
        "the wall time (at most the threads it runs); `load "
        "average` is the machine's 1-minute load average at the end of the block "
        '(the machine is shared: "idle" means no load of ours).'
    )
    if ctx.quick:
        setup += " Quick mode: tiny sizes, the targets mean nothing."
    columns = [
        "fit",
        "load",
        "setting",
        "LightGBM threads",
        "median (s)",
        "max (s)",
        "CPU / wall",
        "runs (s)",
        "load average",
    ]
    return "\n\n".join(
        [
            __doc__.split("\n", 1)[1].strip(),
            setup,
            markdown_table(rows, columns),
            "## Targets",
            markdown_table(targets, ["measure", "value", "target", "result"]),
        ]
    )
