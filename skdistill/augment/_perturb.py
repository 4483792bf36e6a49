"""RandomPerturbation: random training rows, cells redrawn, Gaussian noise."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils._param_validation import Interval

from ._base import Augmenter
from ._columns import _Columns

__all__ = ["RandomPerturbation"]


class RandomPerturbation(Augmenter):
    """Random training rows with cells redrawn from the marginals, plus noise.

    A cheap alternative to :class:`MUNGE`, without neighbour search. Each
    synthetic row starts as a copy of a training row drawn uniformly (with
    replacement); each of its cells, independently with probability
    ``fraction``, is replaced by the same column's value in another random
    training row (a draw from the column's empirical marginal, missing
    values included); then every continuous cell gets Gaussian noise with
    standard deviation ``noise`` times the column's standard deviation.
    Nominal cells take marginal values without noise, so they are always
    values of their column in ``X``. Missing values stay missing (noise on
    NaN is NaN) unless the cell is replaced. Integer columns are rounded
    back to integers (clipped to the dtype's range). Column types are those
    of :class:`MUNGE`.

    Parameters
    ----------
    size : float > 0, default=1.0
        Number of synthetic rows as a multiple of the number of training
        rows: ``round(size * n_samples)``.
    fraction : float in (0, 1], default=0.3
        Probability that a cell is replaced by a draw from its column's
        marginal.
    noise : float >= 0, default=0.1
        Standard deviation of the Gaussian noise on continuous cells, as a
        multiple of the column's standard deviation (missing values
        ignored). ``0`` adds no noise.
    chunk_size : int >= 1, default=10_000
        Rows generated at a time, which bounds the temporary memory. The
        rows drawn for a given seed depend on it.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws, used when ``generate`` gets no ``random_state``
        of its own.

    See Also
    --------
    MUNGE : The nearest-neighbour generator of Bucilă et al. (2006).

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.augment import RandomPerturbation
    >>> X = np.array([[0.0, 10.0], [1.0, 20.0], [2.0, 30.0]])
    >>> augmenter = RandomPerturbation(size=2.0, fraction=0.5, random_state=0)
    >>> augmenter.generate(X).shape
    (6, 2)
    """

    _parameter_constraints: dict = {
        **Augmenter._parameter_constraints,
        "fraction": [Interval(Real, 0, 1, closed="right")],
        "noise": [Interval(Real, 0, None, closed="left")],
        "chunk_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        size: float = 1.0,
        fraction: float = 0.3,
        noise: float = 0.1,
        chunk_size: int = 10_000,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(size=size, random_state=random_state)
        self.fraction = fraction
        self.noise = noise
        self.chunk_size = chunk_size

    def _generate(self, X: Any, n_samples: int, rng: np.random.RandomState) -> Any:
        columns = _Columns(X)
        values = columns.continuous
        n_rows, n_continuous = values.shape
        n_columns = n_continuous + columns.nominal_columns.size
        observed = ~np.isnan(values)
        scale = np.zeros(n_continuous)
        has_values = observed.any(axis=0)
        scale[has_values] = self.noise * _spread(values[:, has_values])
        continuous = np.empty((n_samples, n_continuous))
        nominal_src = np.empty((n_samples, n_columns - n_continuous), np.intp)
        column_index = np.arange(n_continuous)
        for start in range(0, n_samples, self.chunk_size):
            size = min(self.chunk_size, n_samples - start)
            rows = rng.randint(n_rows, size=(size, 1))
            replace = rng.random_sample((size, n_columns)) < self.fraction
            donors = rng.randint(n_rows, size=(size, n_columns))
            src = np.where(replace, donors, rows)
            noise = scale * rng.standard_normal((size, n_continuous))
            chunk = slice(start, start + size)
            continuous[chunk] = values[src[:, :n_continuous], column_index] + noise
            nominal_src[chunk] = src[:, n_continuous:]
        return columns.build(continuous, nominal_src)


def _spread(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Standard deviation of each column (NaN ignored), without overflow.

    Computed on the columns divided by their largest magnitude: the squares
    of values beyond ``1e154`` overflow a float64.
    """
    peak = np.nanmax(np.abs(values), axis=0)
    peak[~(peak > 0)] = 1.0
    return np.nanstd(values / peak, axis=0) * peak
