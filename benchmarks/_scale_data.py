"""The rows of the ``scale`` suite: a 5-class problem drawn block by block.

Every block of rows is drawn from its own seed, ``(seed, stream, index)``,
so that any block can be drawn again, anywhere (in a child process, on a
Dask worker) and in any order, without the others: a stream of 10 million
rows is never held in memory. Three streams never share a row: ``TRAIN``
(the rows distilled), ``TEACHER`` (the teacher's training rows) and
``TEST`` (the held-out rows every model is scored on). The command line's
jobs read the same rows as a CSV file (:func:`write_csv`): numbers, two
text categories and the class as text, some of it empty.

The problem is ``make_classification``'s, fixed by ``seed``: 8 informative
features, where each class is a mixture of 2 Gaussian clusters centred on
vertices of a hypercube (side 2), each cluster with its own random linear
transform; 12 more features, each a random linear combination of the
informative ones plus unit Gaussian noise; 3% of the labels replaced by a
random class. The clusters make the classes far from linearly separable: a
boosted-tree teacher beats a linear model by a wide margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

N_FEATURES = 20
N_CLASSES = 5
CLASSES = np.arange(N_CLASSES)
N_INFORMATIVE = 8
CLUSTERS_PER_CLASS = 2
LABEL_NOISE = 0.03
TRAIN, TEACHER, TEST = 0, 1, 2  # the streams
_PROBLEM = 3  # the seed stream of the problem itself


@dataclass(frozen=True)
class Problem:
    """The fixed parts of the problem: cluster centres, transforms, mixing."""

    centres: np.ndarray  # (n_clusters, N_INFORMATIVE)
    transforms: np.ndarray  # (n_clusters, N_INFORMATIVE, N_INFORMATIVE)
    mixing: np.ndarray  # (N_INFORMATIVE, N_FEATURES - N_INFORMATIVE)


@lru_cache(maxsize=4)
def problem(seed: int) -> Problem:
    """The problem of ``seed``: the same in every process."""
    rng = np.random.default_rng([seed, _PROBLEM])
    n_clusters = N_CLASSES * CLUSTERS_PER_CLASS
    vertices = rng.choice(2**N_INFORMATIVE, n_clusters, replace=False)
    centres = ((vertices[:, None] >> np.arange(N_INFORMATIVE)) & 1) * 2.0 - 1.0
    transforms = 0.5 * rng.standard_normal((n_clusters, N_INFORMATIVE, N_INFORMATIVE))
    mixing = 0.3 * rng.standard_normal((N_INFORMATIVE, N_FEATURES - N_INFORMATIVE))
    return Problem(centres, transforms, mixing)


def block(seed: int, stream: int, index: int, n_rows: int):
    """Block ``index`` of ``stream``: ``X`` (n_rows, 20) float64, ``y`` int64.

    Cluster ``c`` holds the rows of class ``c % 5``.
    """
    p = problem(seed)
    rng = np.random.default_rng([seed, stream, index])
    n_clusters = len(p.centres)
    counts = rng.multinomial(n_rows, np.full(n_clusters, 1 / n_clusters))
    noise = rng.standard_normal((n_rows, N_FEATURES))
    X = np.empty_like(noise)
    informative = slice(0, N_INFORMATIVE)
    start = 0
    for cluster, count in enumerate(counts):  # the rows of each cluster, in turn
        rows = slice(start, start + count)
        X[rows, informative] = (
            p.centres[cluster] + noise[rows, informative] @ p.transforms[cluster]
        )
        start += count
    X[:, N_INFORMATIVE:] = noise[:, N_INFORMATIVE:] + X[:, informative] @ p.mixing
    order = rng.permutation(n_rows)
    X = X[order]
    y = np.repeat(np.arange(n_clusters), counts)[order] % N_CLASSES
    flipped = rng.random(n_rows) < LABEL_NOISE
    y[flipped] = rng.integers(0, N_CLASSES, int(flipped.sum()))
    return X, y


def block_sizes(n_rows: int, block_rows: int) -> list[int]:
    """The sizes of the blocks of ``n_rows`` rows: ``block_rows``, the last less."""
    full, rest = divmod(n_rows, block_rows)
    return [block_rows] * full + ([rest] if rest else [])


def blocks(seed: int, stream: int, n_rows: int, block_rows: int):
    """The first ``n_rows`` rows of ``stream``, one block ``(X, y)`` at a time."""
    for index, size in enumerate(block_sizes(n_rows, block_rows)):
        yield block(seed, stream, index, size)


def rows(seed: int, stream: int, n_rows: int, block_rows: int):
    """The first ``n_rows`` rows of ``stream`` in memory: the blocks joined
    (written in place, so that the rows are never held twice)."""
    X = np.empty((n_rows, N_FEATURES))
    y = np.empty(n_rows, dtype=np.int64)
    start = 0
    for X_block, y_block in blocks(seed, stream, n_rows, block_rows):
        X[start : start + len(y_block)] = X_block
        y[start : start + len(y_block)] = y_block
        start += len(y_block)
    return X, y


def dask_arrays(seed: int, n_rows: int, block_rows: int):
    """The first ``n_rows`` rows of ``TRAIN`` as lazy Dask arrays, one chunk a block.

    Nothing is drawn on the client: each chunk is a task that draws its
    block where it runs (a block's ``X`` and ``y`` come from one task).
    """
    import dask
    import dask.array as da

    X_parts, y_parts = [], []
    for index, size in enumerate(block_sizes(n_rows, block_rows)):
        drawn = dask.delayed(block, pure=True, nout=2)(seed, TRAIN, index, size)
        X_parts.append(da.from_delayed(drawn[0], (size, N_FEATURES), np.float64))
        y_parts.append(da.from_delayed(drawn[1], (size,), np.int64))
    return da.concatenate(X_parts), da.concatenate(y_parts)


# ------------------------------------------------- the command line's CSV file

#: The columns of the CSV file of the command line's jobs: 18 numbers (the
#: problem's first 18 features), 2 categories (its last 2 features, binned)
#: and the class, as text.
CSV_NUMBERS = [f"x{i:02d}" for i in range(N_FEATURES - 2)]
CSV_CATEGORIES = {"colour": 5, "region": 12}  # name: levels
CSV_TARGET = "label"
CSV_LABELS = np.array([f"class_{c}" for c in "abcde"], dtype=object)
#: Share of the categories' values left empty (missing), each column.
CSV_MISSING = 0.02
#: The bins of the last 2 features: 5 and 12 levels.
_CSV_EDGES = (np.linspace(-1.5, 1.5, 4), np.linspace(-2.75, 2.75, 11))


def csv_block(seed: int, stream: int, index: int, n_rows: int, unlabelled: float):
    """Block ``index`` of ``stream`` as the CSV file's rows (a DataFrame).

    The rows of :func:`block`: its first 18 features as numbers, its last
    2 binned into the categories ``colour`` (5 levels) and ``region`` (12
    levels), each with :data:`CSV_MISSING` of its values empty, and the
    class as a label ``class_a`` ... ``class_e``, empty (unlabelled) on a
    share ``unlabelled`` of the rows.
    """
    import pandas as pd

    X, y = block(seed, stream, index, n_rows)
    rng = np.random.default_rng([seed, stream, index, _PROBLEM])
    frame = pd.DataFrame(X[:, : len(CSV_NUMBERS)], columns=CSV_NUMBERS)
    for (name, levels), column, edges in zip(
        CSV_CATEGORIES.items(), X.T[len(CSV_NUMBERS) :], _CSV_EDGES, strict=True
    ):
        names = np.array([f"{name[0]}{k:02d}" for k in range(levels)], dtype=object)
        values = names[np.digitize(column, edges)]
        values[rng.random(n_rows) < CSV_MISSING] = None
        frame[name] = values
    labels = CSV_LABELS[y]
    labels[rng.random(n_rows) < unlabelled] = None
    frame[CSV_TARGET] = labels
    return frame


def write_csv(
    path, seed: int, stream: int, n_rows: int, block_rows: int, unlabelled: float
) -> int:
    """Write the first ``n_rows`` rows of ``stream`` to a CSV file, block by block.

    One block is in memory at a time. The numbers are rounded to 4
    decimals; a missing value is an empty field; nothing is quoted (no
    value holds a comma). pyarrow's CSV writer: pandas' ``to_csv`` takes
    some 5 times as long. Returns the file's size in bytes.
    """
    import os

    import pyarrow as pa
    import pyarrow.csv as pa_csv

    schema = pa.schema(
        [(name, pa.float64()) for name in CSV_NUMBERS]
        + [(name, pa.string()) for name in [*CSV_CATEGORIES, CSV_TARGET]]
    )
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
    with open(path, "wb") as file:
        file.write((",".join(schema.names) + "\n").encode())
        for index, size in enumerate(block_sizes(n_rows, block_rows)):
            frame = csv_block(seed, stream, index, size, unlabelled)
            frame[CSV_NUMBERS] = frame[CSV_NUMBERS].round(4)
            table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
            pa_csv.write_csv(table, file, write_options=options)
    return os.path.getsize(path)
