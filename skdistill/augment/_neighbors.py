"""Nearest-neighbour search for MUNGE: its distance space, exact and approximate.

:func:`_distance_space` embeds the rows so that Euclidean distance is
MUNGE's mixed continuous/nominal distance; :func:`_nearest_neighbors` finds
each row's nearest other row in it, exactly or with a forest of
random-projection trees (``NEIGHBOR_SEARCHES``).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from sklearn.neighbors import NearestNeighbors

NEIGHBOR_SEARCHES = ("auto", "exact", "approximate")

# neighbor_search="auto" runs the exact search up to this many rows; its
# cost grows as n_samples ** 2, the approximate one's as n_samples.
_EXACT_MAX_SAMPLES = 20_000
# Approximate search: random-projection trees, leaves searched exhaustively.
_N_TREES = 4
_LEAF_SIZE = 256
# Nominal columns with more levels share one-hot slots (see _distance_space).
_MAX_ONE_HOT = 32


def _distance_space(
    continuous: NDArray[np.float64], nominal_codes: NDArray[np.intp]
) -> NDArray[np.float32]:
    """Rows embedded so that Euclidean distance is MUNGE's distance.

    ``d(e, e')**2 = sum_continuous (scaled e_a - scaled e'_a)**2
    + number of nominal mismatches``: each continuous column is min-max
    scaled to [0, 1] (a missing value replaced by the column's median after
    scaling, a constant column set to 0); each nominal column is one-hot
    encoded with entries ``1/sqrt(2)``, so two different values are at
    squared distance 1, a missing value being a level of its own. A column
    with more than 32 levels keeps its 32 most frequent levels apart and
    shares slots among the rarer ones (two rare values may then count as
    equal). A column with no value at all is left out.

    Parameters
    ----------
    continuous : ndarray of shape (n_rows, n_continuous)
        Continuous columns, NaN for a missing value.
    nominal_codes : ndarray of shape (n_rows, n_nominal)
        Codes of the nominal values, ``-1`` for a missing one.

    Returns
    -------
    Z : ndarray of shape (n_rows, n_dimensions), float32
    """
    has_values = ~np.isnan(continuous).all(axis=0)
    scaled = np.zeros(continuous.shape, dtype=np.float32)
    if has_values.any():
        kept = continuous[:, has_values]
        low = np.nanmin(kept, axis=0)
        span = np.nanmax(kept, axis=0) - low
        span[span == 0] = 1.0
        kept = (kept - low) / span
        median = np.nanmedian(kept, axis=0)
        scaled[:, has_values] = np.where(np.isnan(kept), median, kept)
    parts = [scaled]
    rows = np.arange(nominal_codes.shape[0])
    for codes in nominal_codes.T:
        present = codes >= 0
        if not present.any():
            continue
        counts = np.bincount(codes[present])
        rank = np.empty(counts.size, dtype=np.intp)
        rank[np.argsort(-counts, kind="stable")] = np.arange(counts.size)
        n_slots = min(counts.size, _MAX_ONE_HOT)
        slot = np.where(present, rank[np.where(present, codes, 0)] % n_slots, n_slots)
        one_hot = np.zeros((rows.size, n_slots + 1), dtype=np.float32)
        one_hot[rows, slot] = np.sqrt(0.5)
        parts.append(one_hot[:, : n_slots + (not present.all())])
    return np.hstack(parts)


def _nearest_neighbors(
    Z: NDArray[np.floating],
    *,
    neighbor_search: str,
    chunk_size: int,
    rng: np.random.RandomState,
) -> NDArray[np.intp]:
    """Index of the nearest *other* row of each row of Z, by Euclidean distance.

    A duplicate of a row is a valid neighbour (at distance 0); the row
    itself never is. ``"exact"`` uses :class:`~sklearn.neighbors.NearestNeighbors`
    queried ``chunk_size`` rows at a time; ``"approximate"`` a small forest
    of random-projection trees (see :func:`_approximate_neighbors`);
    ``"auto"`` the exact search up to 20,000 rows.
    """
    n_rows = Z.shape[0]
    if neighbor_search == "auto":
        neighbor_search = "exact" if n_rows <= _EXACT_MAX_SAMPLES else "approximate"
    if neighbor_search == "approximate":
        return _approximate_neighbors(Z, chunk_size=chunk_size, rng=rng)
    search = NearestNeighbors(n_neighbors=2).fit(Z)
    neighbors = np.empty(n_rows, dtype=np.intp)
    for start in range(0, n_rows, chunk_size):
        stop = min(start + chunk_size, n_rows)
        found = search.kneighbors(Z[start:stop], return_distance=False)
        # The row itself is first, unless a duplicate is listed before it.
        is_self = found[:, 0] == np.arange(start, stop)
        neighbors[start:stop] = np.where(is_self, found[:, 1], found[:, 0])
    return neighbors


def _approximate_neighbors(
    Z: NDArray[np.floating], *, chunk_size: int, rng: np.random.RandomState
) -> NDArray[np.intp]:
    """Approximate nearest other row by a forest of random-projection trees.

    Each of 4 trees splits the rows recursively at the median of their
    projection on the direction between two random rows of the node, down
    to leaves of 128 to 256 rows; within a leaf every pair is compared. A
    row keeps the closest row found over all trees. The cost is linear in
    the number of rows; the neighbour found is the exact one for most rows
    and otherwise a close one.
    """
    n_rows = Z.shape[0]
    n_levels = max(0, math.ceil(math.log2(n_rows / _LEAF_SIZE)))
    best_distance = np.full(n_rows, np.inf, dtype=Z.dtype)
    best = np.zeros(n_rows, dtype=np.intp)
    for _ in range(_N_TREES):
        order = np.arange(n_rows)
        for level in range(n_levels):
            bounds = (np.arange(2**level + 1) * n_rows) // 2**level
            sizes = np.diff(bounds)
            node = np.repeat(np.arange(sizes.size), sizes)
            offsets = (rng.random_sample((2, sizes.size)) * sizes).astype(np.intp)
            first, second = order[bounds[:-1] + offsets]
            directions = Z[first] - Z[second]
            projection = np.empty(n_rows, dtype=Z.dtype)
            for start in range(0, n_rows, chunk_size):
                rows = slice(start, start + chunk_size)
                projection[rows] = np.einsum(
                    "ij,ij->i", Z[order[rows]], directions[node[rows]]
                )
            order = order[np.lexsort((projection, node))]
        _search_leaves(Z, order, 2**n_levels, chunk_size, best_distance, best)
    return best


def _search_leaves(
    Z: NDArray[np.floating],
    order: NDArray[np.intp],
    n_leaves: int,
    chunk_size: int,
    best_distance: NDArray[np.floating],
    best: NDArray[np.intp],
) -> None:
    """Compare every pair within each leaf; update ``best`` where closer."""
    n_rows = order.size
    bounds = (np.arange(n_leaves + 1) * n_rows) // n_leaves
    sizes = np.diff(bounds)
    width = int(sizes.max())
    # Leaves one row short are padded with their first row, masked below.
    positions = bounds[:-1, None] + np.arange(width)
    padded = positions >= bounds[1:, None]
    members = order[np.where(padded, bounds[:-1, None], positions)]
    diagonal = np.arange(width)
    step = max(1, chunk_size // width)
    for start in range(0, n_leaves, step):
        leaf_members = members[start : start + step]
        points = Z[leaf_members]
        # Centred leaves keep the norms small, so that expanding
        # |a - b|**2 = |a|**2 + |b|**2 - 2 a.b loses little precision.
        points -= points.mean(axis=1, keepdims=True)
        norms = np.einsum("ijk,ijk->ij", points, points)
        distance = norms[:, :, None] + norms[:, None, :]
        distance -= 2 * (points @ points.transpose(0, 2, 1))
        distance[:, diagonal, diagonal] = np.inf
        distance += np.where(padded[start : start + step], np.inf, 0)[:, None, :]
        closest = distance.argmin(axis=2)
        closest_distance = np.take_along_axis(distance, closest[:, :, None], 2)[:, :, 0]
        real = ~padded[start : start + step]
        rows = leaf_members[real]
        candidate_distance = closest_distance[real]
        better = candidate_distance < best_distance[rows]
        best_distance[rows[better]] = candidate_distance[better]
        best[rows[better]] = np.take_along_axis(leaf_members, closest, 1)[real][better]
