"""The rows of the ``scale`` suite: a 5-class problem drawn block by block.

Every block of rows is drawn from its own seed, ``(seed, stream, index)``,
so that any block can be drawn again, anywhere (in a child process, on a
Dask worker) and in any order, without the others: a stream of 10 million
rows is never held in memory. Three streams never share a row: ``TRAIN``
(the rows distilled), ``TEACHER`` (the teacher's training rows) and
``TEST`` (the held-out rows every model is scored on).

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
