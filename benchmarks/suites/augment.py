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
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from _common import (
    interleaved_timings,
    intro,
    machine_threads,
    markdown_table,
    median_and_runs,
    peak_memory,
    plural,
    target_row,
    timed,
)
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from skdistill import MUNGE, RandomPerturbation

TITLE = "Transfer-set augmentation: speed and memory"

N_SAMPLES, N_FLOAT, N_CATEGORICAL, SIZE = 100_000, 15, 5, 5.0
N_RUNS, N_QUERIES = 3, 2_000
QUICK = dict(n_samples=2_000, n_runs=1, n_queries=200)
# The targets, for the default generators at full size: 500,000 synthetic
# rows in seconds (at most 5 s each), in memory proportional to the output
# (a peak of at most 3x the generated rows' size: chunked, never quadratic).
MAX_SECONDS = 5.0
MAX_PEAK_OVER_OUTPUT = 3.0
FRAME = "DataFrame 15 float + 5 category"
ARRAY = "ndarray 20 float64"


def make_data(n_samples: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The mixed DataFrame and the all-float array described above."""
    X, _ = make_classification(
        n_samples=n_samples,
        n_features=N_FLOAT + N_CATEGORICAL,
        n_informative=10,
        n_redundant=5,
        random_state=0,
    )
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(X[:, :N_FLOAT], columns=[f"x{j}" for j in range(N_FLOAT)])
    for j in range(3):
        frame.loc[rng.random(n_samples) < 0.01, f"x{j}"] = np.nan
    for j in range(N_CATEGORICAL):
        n_levels = 3 + 2 * j
        edges = np.quantile(X[:, N_FLOAT + j], np.linspace(0, 1, n_levels + 1)[1:-1])
        codes = np.digitize(X[:, N_FLOAT + j], edges)
        if j == 0:
            codes[rng.random(n_samples) < 0.01] = -1
        frame[f"c{j}"] = pd.Categorical.from_codes(
            codes, [f"level{i}" for i in range(n_levels)]
        )
    return frame, X


def nbytes(X) -> int:
    if isinstance(X, pd.DataFrame):
        return int(X.memory_usage(deep=True, index=False).sum())
    return X.nbytes


def munge_distance_space(X) -> np.ndarray:
    """Rows embedded so that Euclidean distance is MUNGE's, as MUNGE documents it.

    Continuous columns min-max scaled to [0, 1], a missing value at the
    column's median after scaling; each nominal (here ``category``) column
    one-hot with entries ``1/sqrt(2)``, a missing value a level of its own,
    so that a mismatch counts 1. MUNGE lets levels share slots past 32
    levels; the columns here have at most 11.
    """
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
    continuous = frame.select_dtypes("number").to_numpy(dtype=np.float64)
    low = np.nanmin(continuous, axis=0)
    span = np.nanmax(continuous, axis=0) - low
    span[span == 0] = 1.0
    scaled = (continuous - low) / span
    scaled = np.where(np.isnan(scaled), np.nanmedian(scaled, axis=0), scaled)
    parts = [scaled.astype(np.float32)]
    for _, column in frame.select_dtypes("category").items():
        codes = column.cat.codes.to_numpy()
        levels = np.unique(codes)  # -1, a missing value, is a level of its own
        one_hot = codes[:, None] == levels[None, :]
        parts.append(one_hot.astype(np.float32) * np.float32(np.sqrt(0.5)))
    return np.hstack(parts)


def row_key(X) -> np.ndarray:
    """Feature 3 (``x3`` of the DataFrame): no missing value, distinct floats."""
    return X["x3"].to_numpy() if isinstance(X, pd.DataFrame) else X[:, 3]


def munge_neighbors(X, seed: int = 0) -> np.ndarray:
    """The row MUNGE's approximate search pairs with each row of X, by index.

    With ``p=0`` and ``size=2`` MUNGE returns every training row once as an
    example, followed by its neighbour, both unchanged; the rows are told
    apart by their value in column ``x3`` (no missing value, a distinct
    float in every row).
    """
    pairs = MUNGE(
        size=2.0,
        p=0.0,
        neighbor_search="approximate",
        chunk_size=10_000,
        random_state=seed,
    ).generate(X)
    key = pd.Index(row_key(X))
    if not key.is_unique:
        raise RuntimeError("Column x3 does not tell the rows of X apart.")
    found = key.get_indexer(row_key(pairs))
    example, neighbor = found[0::2], found[1::2]
    if not np.array_equal(np.sort(example), np.arange(len(X))):
        raise RuntimeError("MUNGE's pairs do not visit every row of X once.")
    neighbors = np.empty(len(X), dtype=np.intp)
    neighbors[example] = neighbor
    return neighbors


def neighbour_quality(X, n_queries: int, seed: int = 0) -> str:
    """Share of query rows whose approximate neighbour is the exact one."""
    Z = munge_distance_space(X)
    approximate = munge_neighbors(X, seed)
    queries = np.random.default_rng(seed).choice(len(Z), n_queries, replace=False)
    found = NearestNeighbors(n_neighbors=2).fit(Z).kneighbors(Z[queries])[0]
    # The first neighbour is the row itself (or a duplicate at distance 0).
    exact = found[:, 1]
    distance = np.linalg.norm(Z[queries] - Z[approximate[queries]], axis=1)
    same = np.isclose(distance, exact, rtol=1e-4, atol=1e-6)
    ratio = distance[exact > 0].mean() / exact[exact > 0].mean()
    return (
        f"exact neighbour found for {same.mean():.1%} of {n_queries:,} random "
        f"rows; mean neighbour distance {ratio:.3f}x the exact one"
    )


def run(ctx) -> str:
    n_samples = QUICK["n_samples"] if ctx.quick else N_SAMPLES
    n_runs = QUICK["n_runs"] if ctx.quick else N_RUNS
    n_queries = QUICK["n_queries"] if ctx.quick else N_QUERIES
    frame, array = make_data(n_samples)
    setups = {
        (data_name, type(augmenter).__name__ + "()"): (
            lambda augmenter=augmenter, data=data: augmenter.generate(data)
        )
        for data_name, data in ((FRAME, frame), (ARRAY, array))
        for augmenter in (
            MUNGE(size=SIZE, random_state=0),
            RandomPerturbation(size=SIZE, random_state=0),
        )
    }
    ctx.log(f"timing {len(setups)} generators, {plural(n_runs, 'run')} each")
    times, _ = interleaved_timings(setups, n_runs)
    rows, targets = [], []
    for (data, augmenter), generate in setups.items():
        ctx.log(f"peak memory: {augmenter} on {data}")
        peak, X_synthetic = peak_memory(generate)
        output = nbytes(X_synthetic)
        row = {
            "X": data,
            "augmenter": augmenter,
            **median_and_runs(times[data, augmenter]),
            "output MB": output / 2**20,
            "peak MB": peak / 2**20,
            "peak / output": peak / output,
        }
        rows.append(row)
        name = f"{augmenter}, {data}"
        targets.append(
            target_row(f"{name}: time", row["time (s)"], at_most=MAX_SECONDS, unit=" s")
        )
        targets.append(
            target_row(
                f"{name}: peak / output",
                row["peak / output"],
                at_most=MAX_PEAK_OVER_OUTPUT,
            )
        )
    ctx.log("exact MUNGE (one run, under tracemalloc)")
    exact = MUNGE(size=SIZE, neighbor_search="exact", random_state=0)
    (peak, X_synthetic), elapsed = timed(peak_memory, partial(exact.generate, array))
    rows.append(
        {
            "X": ARRAY,
            "augmenter": 'MUNGE(neighbor_search="exact")',
            "time (s)": elapsed,
            "runs (s)": f"{elapsed:.2f} (1 run, under tracemalloc)",
            "output MB": nbytes(X_synthetic) / 2**20,
            "peak MB": peak / 2**20,
            "peak / output": peak / nbytes(X_synthetic),
        }
    )
    ctx.log("approximate vs exact neighbours")
    quality = (
        "Approximate neighbour search (MUNGE's default above 20,000 rows):\n\n"
        f"- DataFrame: {neighbour_quality(frame, n_queries)}\n"
        f"- ndarray: {neighbour_quality(array, n_queries)}"
    )
    header = (
        f"{n_samples:,} training rows x {N_FLOAT + N_CATEGORICAL} features, "
        f"size={SIZE:g} ({int(SIZE * n_samples):,} synthetic rows); default "
        f"parameters otherwise (chunk_size=10,000); median of "
        f"{plural(n_runs, 'run')}; {machine_threads()}."
    )
    if ctx.quick:
        header += " Quick mode: too small for the targets to mean anything."
    columns = ["X", "augmenter", "time (s)", "runs (s)", "output MB", "peak MB"]
    return "\n\n".join(
        [
            intro(__doc__),
            header,
            markdown_table(rows, [*columns, "peak / output"]),
            quality,
            "## Targets",
            "The default generators make 500,000 synthetic rows from 100,000 "
            f"in at most {MAX_SECONDS:g} s each, with a peak memory of at most "
            f"{MAX_PEAK_OVER_OUTPUT:g}x the size of the rows they generate.",
            markdown_table(targets, ["measure", "value", "target", "result"]),
        ]
    )
