"""MUNGE (Bucilă et al., 2006): synthetic rows from nearest-neighbour swaps."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import Augmenter
from ._columns import _Columns
from ._neighbors import NEIGHBOR_SEARCHES, _distance_space, _nearest_neighbors

__all__ = ["MUNGE"]


class MUNGE(Augmenter):
    """MUNGE: synthetic rows from nearest-neighbour swaps (Bucilă et al., 2006).

    For each training example ``e`` let ``e'`` be its nearest other
    training example. For each attribute ``a``, with probability ``p``:

    - continuous ``a``: with ``sd = |e_a - e'_a| / s``, draw
      ``e_a ~ Normal(e'_a, sd)`` and ``e'_a ~ Normal(e_a, sd)`` (both from
      the original values);
    - nominal ``a``: swap ``e_a`` and ``e'_a``.

    The modified copies of ``e`` and ``e'`` are two synthetic rows, in this
    order. A pass visits every training example once, in a random order,
    and yields ``2 * n_samples`` rows; passes are repeated (the paper's
    ``k`` iterations) and the last one cut short until
    ``round(size * n_samples)`` rows exist. ``p = 0`` returns copies of
    training rows; a small ``s`` spreads the draws widely, a large one keeps
    them near the swapped values (``s = inf`` is an exact swap).

    **Distance.** ``d(e, e')**2 = sum_continuous (e_a - e'_a)**2 + number
    of nominal mismatches``, continuous columns min-max scaled to [0, 1]
    beforehand (a mismatch counts as much as the full range of a continuous
    column). Nominal columns enter one-hot encoded (entries ``1/sqrt(2)``);
    a column with more than 32 levels keeps its 32 most frequent levels
    apart and lets rarer ones share slots. A duplicate of ``e`` is a valid
    neighbour; ``e`` itself never is.

    **Missing values** (NaN, None, NaT, ``pd.NA``). When ``e_a`` or
    ``e'_a`` is missing, attribute ``a`` of the pair is left as it is (no
    swap, no draw), so a missing cell stays missing and no value is made up
    from it. For the neighbour search, a missing continuous value counts as
    the column's median (after scaling), a missing nominal value as a level
    of its own.

    **Column types**: numpy float or integer arrays are all continuous
    (also integer columns with few distinct values), bool/string/object
    arrays all nominal; in a DataFrame, numeric columns (also nullable
    ``Int64``/``Float64``) are continuous, the others (category, object,
    string, bool, datetime ...) nominal. A nominal cell is always a copy of
    a cell of the same column in ``X``. Integer columns get continuous
    draws rounded to the nearest integer and clipped to the dtype's range.

    Parameters
    ----------
    size : float > 0, default=1.0
        Number of synthetic rows as a multiple of the number of training
        rows: ``round(size * n_samples)``.
    p : float in [0, 1], default=0.5
        Probability that an attribute of a pair is swapped (nominal) or
        redrawn (continuous).
    s : float > 0 or inf, default=1.0
        Local variance parameter: the draw's standard deviation is
        ``|e_a - e'_a| / s``; ``s = inf`` swaps continuous values exactly.
    neighbor_search : {"auto", "exact", "approximate"}, default="auto"
        ``"exact"``: :class:`~sklearn.neighbors.NearestNeighbors`, whose
        cost grows as ``n_samples**2`` in the many dimensions of tabular
        data. ``"approximate"``: a forest of 4 random-projection trees with
        leaves of at most 256 rows searched exhaustively, linear in
        ``n_samples``; it finds the exact neighbour for most rows and a
        close one for the others. ``"auto"``: exact up to 20,000 rows.
    chunk_size : int >= 1, default=10_000
        Rows processed at a time in the neighbour search and in the
        generation, which bounds the temporary memory. The rows drawn for a
        given seed depend on it.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws (and of the approximate search), used when
        ``generate`` gets no ``random_state`` of its own.

    See Also
    --------
    RandomPerturbation : A cheaper generator without neighbour search.

    References
    ----------
    C. Bucilă, R. Caruana and A. Niculescu-Mizil, "Model Compression",
    Proceedings of the 12th ACM SIGKDD International Conference on Knowledge
    Discovery and Data Mining (KDD), 2006.

    Examples
    --------
    >>> import pandas as pd
    >>> from skdistill.augment import MUNGE
    >>> X = pd.DataFrame(
    ...     {
    ...         "age": [23, 25, 61, 64],
    ...         "income": [1.0, 1.2, 3.1, 2.9],
    ...         "city": pd.Categorical(["Oslo", "Rome", "Oslo", "Oslo"]),
    ...     }
    ... )
    >>> X_synthetic = MUNGE(size=2.0, random_state=0).generate(X)
    >>> X_synthetic.shape
    (8, 3)
    >>> X_synthetic.dtypes.astype(str).tolist()
    ['int64', 'float64', 'category']
    >>> bool(X_synthetic["city"].isin(["Oslo", "Rome"]).all())
    True

    With ``p=0`` the synthetic rows are copies of training rows, each
    example followed by its nearest neighbour:

    >>> MUNGE(size=1.5, p=0, random_state=0).generate(X)["age"].tolist()
    [61, 64, 64, 61, 25, 23]
    """

    _parameter_constraints: dict = {
        **Augmenter._parameter_constraints,
        "p": [Interval(Real, 0, 1, closed="both")],
        "s": [Interval(Real, 0, None, closed="right")],
        "neighbor_search": [StrOptions(set(NEIGHBOR_SEARCHES))],
        "chunk_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        size: float = 1.0,
        p: float = 0.5,
        s: float = 1.0,
        neighbor_search: str = "auto",
        chunk_size: int = 10_000,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(size=size, random_state=random_state)
        self.p = p
        self.s = s
        self.neighbor_search = neighbor_search
        self.chunk_size = chunk_size

    def _generate(self, X: Any, n_samples: int, rng: np.random.RandomState) -> Any:
        columns = _Columns(X)
        n_rows = columns.n_rows
        if n_rows < 2:
            raise ValueError(
                "MUNGE needs at least 2 rows in X to pair each row with its "
                f"nearest neighbour; got {n_rows}."
            )
        n_pairs = math.ceil(n_samples / 2)
        continuous = np.empty((2 * n_pairs, columns.continuous_columns.size))
        nominal_src = np.empty((2 * n_pairs, columns.nominal_columns.size), np.intp)
        if n_pairs:
            nominal_codes = columns.nominal_codes()
            neighbors = _nearest_neighbors(
                _distance_space(columns.continuous, nominal_codes),
                neighbor_search=self.neighbor_search,
                chunk_size=self.chunk_size,
                rng=rng,
            )
            nominal_missing = nominal_codes < 0
            examples = np.concatenate(
                [rng.permutation(n_rows) for _ in range(math.ceil(n_pairs / n_rows))]
            )[:n_pairs]
            for start in range(0, n_pairs, self.chunk_size):
                example = examples[start : start + self.chunk_size]
                rows = slice(2 * start, 2 * (start + example.size))
                continuous[rows], nominal_src[rows] = self._munge_pairs(
                    columns.continuous,
                    nominal_missing,
                    example,
                    neighbors[example],
                    rng,
                )
        return columns.build(continuous[:n_samples], nominal_src[:n_samples])

    def _munge_pairs(
        self,
        values: NDArray[np.float64],
        nominal_missing: NDArray[np.bool_],
        example: NDArray[np.intp],
        neighbor: NDArray[np.intp],
        rng: np.random.RandomState,
    ) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
        """Modified copies of each (example, neighbour) pair, interleaved."""
        n_pairs = example.size
        e, e_prime = values[example], values[neighbor]
        redraw = rng.random_sample(e.shape) < self.p
        redraw &= ~(np.isnan(e) | np.isnan(e_prime))
        # |e - e'| / s, halved first: e - e' overflows for values near the
        # float range (the draws are clipped back into it when rows are built).
        limit = np.finfo(np.float64).max
        sd = np.minimum(np.abs(e / 2 - e_prime / 2) * (2 / self.s), limit)
        continuous = np.empty((2 * n_pairs, values.shape[1]))
        continuous[0::2] = np.where(
            redraw, e_prime + sd * rng.standard_normal(e.shape), e
        )
        continuous[1::2] = np.where(
            redraw, e + sd * rng.standard_normal(e.shape), e_prime
        )

        swap = rng.random_sample((n_pairs, nominal_missing.shape[1])) < self.p
        swap &= ~(nominal_missing[example] | nominal_missing[neighbor])
        example, neighbor = example[:, None], neighbor[:, None]
        nominal_src = np.empty((2 * n_pairs, nominal_missing.shape[1]), np.intp)
        nominal_src[0::2] = np.where(swap, neighbor, example)
        nominal_src[1::2] = np.where(swap, example, neighbor)
        return continuous, nominal_src
