"""How fast, and in how much memory, do the transfer-set generators run?

100,000 training rows x 20 features, ``size=5`` (500,000 synthetic rows),
in two layouts built from one ``make_classification`` draw:

- a DataFrame of 15 float columns (1% missing values in three of them) and
  5 ``category`` columns of 3, 5, 7, 9 and 11 levels (quantile bins of the
  other 5 features, 1% missing in one);
- the 20 features as one float64 numpy array.

Each generator's time is the median of 3 runs; its peak memory the
tracemalloc peak of one more run (numpy and pandas allocations), shown
against the size of the generated rows. MUNGE uses its default
``neighbor_search="auto"``, which at 100,000 rows is the approximate
random-projection forest; one extra MUNGE row on the numpy layout uses the
exact search (scikit-learn's NearestNeighbors, a single run under
tracemalloc) to show what the approximation saves. Below the table, the
approximate search is compared with the exact one on 2,000 random rows:
how often it finds the exact nearest neighbour and how much farther its
neighbour is on average. Thread counts (OMP, BLAS) are left as the
environment sets them.

Run from the repository root::

    python benchmarks/bench_augment.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_info

sys.path.insert(0, str(Path(__file__).parent))
from _common import markdown_table

from skdistill._augment import (
    MUNGE,
    RandomPerturbation,
    _Columns,
    _distance_space,
    _nearest_neighbors,
)

N_SAMPLES, N_FLOAT, N_CATEGORICAL, SIZE = 100_000, 15, 5, 5.0
N_RUNS, N_QUERIES = 3, 2_000


def make_data() -> tuple[pd.DataFrame, np.ndarray]:
    """The mixed DataFrame and the all-float array described above."""
    X, _ = make_classification(
        n_samples=N_SAMPLES,
        n_features=N_FLOAT + N_CATEGORICAL,
        n_informative=10,
        n_redundant=5,
        random_state=0,
    )
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(X[:, :N_FLOAT], columns=[f"x{j}" for j in range(N_FLOAT)])
    for j in range(3):
        frame.loc[rng.random(N_SAMPLES) < 0.01, f"x{j}"] = np.nan
    for j in range(N_CATEGORICAL):
        n_levels = 3 + 2 * j
        edges = np.quantile(X[:, N_FLOAT + j], np.linspace(0, 1, n_levels + 1)[1:-1])
        codes = np.digitize(X[:, N_FLOAT + j], edges)
        if j == 0:
            codes[rng.random(N_SAMPLES) < 0.01] = -1
        frame[f"c{j}"] = pd.Categorical.from_codes(
            codes, [f"level{i}" for i in range(n_levels)]
        )
    return frame, X


def nbytes(X) -> int:
    if isinstance(X, pd.DataFrame):
        return int(X.memory_usage(deep=True, index=False).sum())
    return X.nbytes


def peak_memory(generate) -> tuple[float, object]:
    tracemalloc.start()
    result = generate()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, result


def neighbour_quality(X, seed: int = 0) -> str:
    """Share of query rows whose approximate neighbour is the exact one."""
    columns = _Columns(X)
    Z = _distance_space(columns.continuous, columns.nominal_codes())
    approximate = _nearest_neighbors(
        Z,
        neighbor_search="approximate",
        chunk_size=10_000,
        rng=np.random.RandomState(seed),
    )
    queries = np.random.default_rng(seed).choice(len(Z), N_QUERIES, replace=False)
    found = NearestNeighbors(n_neighbors=2).fit(Z).kneighbors(Z[queries])[0]
    # The first neighbour is the row itself (or a duplicate at distance 0).
    exact = found[:, 1]
    distance = np.linalg.norm(Z[queries] - Z[approximate[queries]], axis=1)
    same = np.isclose(distance, exact, rtol=1e-4, atol=1e-6)
    ratio = distance[exact > 0].mean() / exact[exact > 0].mean()
    return (
        f"exact neighbour found for {same.mean():.1%} of {N_QUERIES:,} random "
        f"rows; mean neighbour distance {ratio:.3f}x the exact one"
    )


def main() -> None:
    frame, array = make_data()
    setups = {
        ("DataFrame 15 float + 5 category", "MUNGE()"): (
            lambda: MUNGE(size=SIZE, random_state=0).generate(frame)
        ),
        ("DataFrame 15 float + 5 category", "RandomPerturbation()"): (
            lambda: RandomPerturbation(size=SIZE, random_state=0).generate(frame)
        ),
        ("ndarray 20 float64", "MUNGE()"): (
            lambda: MUNGE(size=SIZE, random_state=0).generate(array)
        ),
        ("ndarray 20 float64", "RandomPerturbation()"): (
            lambda: RandomPerturbation(size=SIZE, random_state=0).generate(array)
        ),
    }
    # Runs are interleaved so that a change in machine load hits every setup.
    times = {key: [] for key in setups}
    for _ in range(N_RUNS):
        for key, generate in setups.items():
            start = time.perf_counter()
            generate()
            times[key].append(time.perf_counter() - start)
    rows = []
    for (data, augmenter), generate in setups.items():
        peak, X_synthetic = peak_memory(generate)
        output = nbytes(X_synthetic)
        rows.append(
            {
                "X": data,
                "augmenter": augmenter,
                "time (s)": statistics.median(times[data, augmenter]),
                "runs (s)": " / ".join(f"{t:.2f}" for t in times[data, augmenter]),
                "output MB": output / 2**20,
                "peak MB": peak / 2**20,
                "peak / output": peak / output,
            }
        )
    start = time.perf_counter()
    peak, X_synthetic = peak_memory(
        lambda: MUNGE(size=SIZE, neighbor_search="exact", random_state=0).generate(
            array
        )
    )
    elapsed = time.perf_counter() - start
    rows.append(
        {
            "X": "ndarray 20 float64",
            "augmenter": 'MUNGE(neighbor_search="exact")',
            "time (s)": elapsed,
            "runs (s)": f"{elapsed:.2f} (1 run, under tracemalloc)",
            "output MB": nbytes(X_synthetic) / 2**20,
            "peak MB": peak / 2**20,
            "peak / output": peak / nbytes(X_synthetic),
        }
    )

    blas = ", ".join(
        f"{info['internal_api']} {info['num_threads']} threads"
        for info in threadpool_info()
    )
    header = (
        f"{N_SAMPLES:,} training rows x {N_FLOAT + N_CATEGORICAL} features, "
        f"size={SIZE:g} ({int(SIZE * N_SAMPLES):,} synthetic rows); default "
        f"parameters otherwise (chunk_size=10,000); median of {N_RUNS} runs; "
        f"{os.cpu_count()} CPUs, {blas}."
    )
    table = markdown_table(
        rows,
        [
            "X",
            "augmenter",
            "time (s)",
            "runs (s)",
            "output MB",
            "peak MB",
            "peak / output",
        ],
    )
    quality = (
        "Approximate neighbour search (MUNGE's default above 20,000 rows):\n\n"
        f"- DataFrame: {neighbour_quality(frame)}\n"
        f"- ndarray: {neighbour_quality(array)}"
    )
    report = f"{header}\n\n{table}\n\n{quality}\n"
    print(report)
    out = Path(__file__).resolve().parents[1] / "docs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "augment.md").write_text(
        "# Transfer-set augmentation: speed and memory\n\n"
        "Regenerate with `python benchmarks/bench_augment.py` (see its "
        "docstring for what each row is).\n\n" + report
    )


if __name__ == "__main__":
    main()
