"""Transfer-set augmentation: synthetic rows for the teacher to label.

A student mimics its teacher best where it has seen the teacher's answers.
Bucilă, Caruana & Niculescu-Mizil (2006) grow the *transfer set* with
synthetic rows drawn near the training data; the rows carry no label of
their own, the teacher labels them. An *augmenter* generates such rows:

- :class:`MUNGE`, the paper's generator: each row swaps or perturbs
  attributes with its nearest neighbour;
- :class:`RandomPerturbation`, a cheaper one without neighbour search:
  random training rows with some cells redrawn from the column's marginal
  and Gaussian noise on continuous cells;
- :class:`FunctionAugmenter`, any callable
  ``f(X, n_samples, random_state) -> X_synthetic``;
- a subclass of :class:`Augmenter` implementing
  ``_generate(X, n_samples, rng)``.

:func:`check_augmenter` turns the ``augment`` parameter of a meta-estimator
(``None``, ``"munge"``, ``"perturb"``, an augmenter or a callable) into an
:class:`Augmenter`.

Columns are continuous or nominal. In a numpy array every column is
continuous when the dtype is a float or integer one, nominal when it is
bool, string or object. In a DataFrame, float and integer columns (numpy or
nullable ``Float64``/``Int64`` ...) are continuous; ``category``, ``object``,
string, bool, ``boolean``, datetime and every other column is nominal. A
nominal cell of a synthetic row is always a copy of a cell of the same
column in ``X`` (so categories, strings and missing markers stay valid); a
continuous cell is a float that is rounded back to an integer (and clipped
to the dtype's range) in integer columns.
"""

from __future__ import annotations

import math
from abc import ABCMeta, abstractmethod
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from ._validation import _is_dataframe

__all__ = [
    "MUNGE",
    "Augmenter",
    "FunctionAugmenter",
    "RandomPerturbation",
    "check_augmenter",
]

AUGMENT_NAMES = ("munge", "perturb")
NEIGHBOR_SEARCHES = ("auto", "exact", "approximate")

# neighbor_search="auto" runs the exact search up to this many rows; its
# cost grows as n_samples ** 2, the approximate one's as n_samples.
_EXACT_MAX_SAMPLES = 20_000
# Approximate search: random-projection trees, leaves searched exhaustively.
_N_TREES = 4
_LEAF_SIZE = 256
# Nominal columns with more levels share one-hot slots (see _distance_space).
_MAX_ONE_HOT = 32


def _check_input(X: Any) -> Any:
    """X as a 2D numpy array or a DataFrame, with at least one row and column."""
    if hasattr(X, "tocsr"):
        raise TypeError(
            "Sparse input is not supported by the augmenters; pass a dense "
            "array or a DataFrame."
        )
    if not _is_dataframe(X):
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(
                f"X must be 2D of shape (n_samples, n_features); got an array "
                f"with shape {X.shape}."
            )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"X must have at least one row and one column; got shape {X.shape}."
        )
    return X


def _match_dtypes(X_synthetic: Any, X: Any, owner: str) -> Any:
    """Give generated columns X's dtypes (and categories), with a fresh index.

    A category column takes X's categories, so that the teacher and the
    student see the same encoding; a value outside them is an error naming
    the column rather than a silent missing value.
    """
    X_synthetic = X_synthetic.reset_index(drop=True)
    for i, col in enumerate(X.columns):  # by position: names may repeat
        dtype = X.dtypes.iloc[i]
        column = X_synthetic.iloc[:, i]
        if column.dtype == dtype:
            continue
        categories = getattr(dtype, "categories", None)
        if categories is not None:
            unknown = column.notna() & ~column.isin(categories)
            if unknown.any():
                raise ValueError(
                    f"{owner} returned values in column {col!r} that are not "
                    f"among X's categories, e.g. {column[unknown].iloc[0]!r}; "
                    "generate values from the column's own categories."
                )
        try:
            converted = column.astype(dtype)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{owner} returned column {col!r} with dtype {column.dtype}, "
                f"which cannot be converted to X's dtype {dtype}: {exc}"
            ) from exc
        lost = converted.isna() & column.notna()
        if lost.any():
            raise ValueError(
                f"{owner} returned values in column {col!r} that X's dtype "
                f"{dtype} cannot hold, e.g. {column[lost].iloc[0]!r}; "
                "generate values from the column's own categories."
            )
        X_synthetic.isetitem(i, converted)
    return X_synthetic


def _check_synthetic(X_synthetic: Any, X: Any, n_samples: int, owner: str) -> Any:
    """The generated rows, checked to have X's type and columns and n_samples rows."""
    if _is_dataframe(X):
        if not _is_dataframe(X_synthetic):
            raise ValueError(
                f"{owner} must return a DataFrame for a DataFrame X; got "
                f"{type(X_synthetic).__name__}."
            )
        if list(X_synthetic.columns) != list(X.columns):
            raise ValueError(
                f"{owner} must return the columns of X, {list(X.columns)}; got "
                f"{list(X_synthetic.columns)}."
            )
        X_synthetic = _match_dtypes(X_synthetic, X, owner)
    else:
        X_synthetic = np.asarray(X_synthetic)
    expected = (n_samples, X.shape[1])
    if X_synthetic.shape != expected:
        raise ValueError(
            f"{owner} must return {n_samples} rows of {X.shape[1]} columns, "
            f"shape {expected}; got shape {X_synthetic.shape}."
        )
    return X_synthetic


class _Columns:
    """A table split into continuous and nominal columns, rebuilt after generation.

    Generators work on two matrices: ``continuous``, shape
    ``(n_rows, n_continuous)``, float64 with NaN for a missing value, and
    for the nominal columns row indices into ``X``: the synthetic cell
    ``(i, j)`` of nominal column ``j`` is ``X[src[i, j], j]``. :meth:`build`
    turns the generated matrices back into X's type, columns and dtypes.
    """

    def __init__(self, X: Any) -> None:
        self.X = X
        self.is_frame = _is_dataframe(X)
        self.n_rows, n_columns = X.shape
        if self.is_frame:
            kinds = [getattr(dtype, "kind", "O") for dtype in X.dtypes]
        else:
            if X.dtype.kind not in "biufOUS":
                raise ValueError(
                    f"X has dtype {X.dtype}; the augmenters take numeric, bool, "
                    "string or object arrays, or a DataFrame."
                )
            kinds = [X.dtype.kind] * n_columns
        self.continuous_columns = np.array(
            [j for j, kind in enumerate(kinds) if kind in "iuf"], dtype=np.intp
        )
        self.nominal_columns = np.array(
            [j for j, kind in enumerate(kinds) if kind not in "iuf"], dtype=np.intp
        )
        self.continuous = self._continuous_values()
        if np.isinf(self.continuous).any():
            raise ValueError(
                "X contains infinite values; replace them (by NaN for a missing "
                "value) before generating synthetic rows."
            )

    def _column(self, j: int) -> Any:
        return self.X.iloc[:, j] if self.is_frame else self.X[:, j]

    def _continuous_values(self) -> NDArray[np.float64]:
        if not self.is_frame:
            if self.continuous_columns.size == 0:
                return np.empty((self.n_rows, 0))
            return np.asarray(self.X, dtype=np.float64)  # a view for float64 X
        values = np.empty((self.n_rows, self.continuous_columns.size))
        for out, j in enumerate(self.continuous_columns):
            values[:, out] = self.X.iloc[:, j].to_numpy(
                dtype=np.float64, na_value=np.nan
            )
        return values

    def nominal_codes(self) -> NDArray[np.intp]:
        """Integer code of each nominal cell's value, ``-1`` for a missing one."""
        codes = np.empty((self.n_rows, self.nominal_columns.size), dtype=np.intp)
        for out, j in enumerate(self.nominal_columns):
            codes[:, out] = _factorize(self._column(j))
        return codes

    def build(
        self, continuous: NDArray[np.float64], nominal_src: NDArray[np.intp]
    ) -> Any:
        """Synthetic rows of X's type from generated continuous values and sources."""
        arrays = {}
        for out, j in enumerate(self.continuous_columns):
            dtype = self.X.dtypes.iloc[j] if self.is_frame else self.X.dtype
            arrays[j] = _to_dtype(continuous[:, out], dtype, self.is_frame)
        for out, j in enumerate(self.nominal_columns):
            column = self._column(j)
            source = np.ascontiguousarray(nominal_src[:, out])
            arrays[j] = column.array.take(source) if self.is_frame else column[source]
        if self.is_frame:
            import pandas as pd

            # An explicit dtype per column: pandas would infer "str" for an
            # object column of strings.
            frame = pd.DataFrame(
                {
                    j: pd.Series(arrays[j], dtype=self.X.dtypes.iloc[j], copy=False)
                    for j in range(self.X.shape[1])
                },
                copy=False,
            )
            frame.columns = self.X.columns
            return frame
        if self.nominal_columns.size == 0:
            return _to_dtype(continuous, self.X.dtype, False)
        return self.X[nominal_src, self.nominal_columns]


def _to_dtype(values: NDArray[np.float64], dtype: Any, is_frame: bool) -> Any:
    """Float values cast to a numeric dtype, rounded and clipped for an integer one."""
    if dtype.kind in "iu":
        info = np.iinfo(getattr(dtype, "numpy_dtype", dtype))
        values = np.clip(np.rint(values), info.min, info.max)
    if is_frame:
        import pandas as pd

        return pd.array(values, dtype=dtype)
    return values.astype(dtype, copy=False)


def _factorize(column: Any) -> NDArray[np.intp]:
    """Integer codes of a column's values, ``-1`` for None, NaN, NaT and pd.NA."""
    dtype = column.dtype
    if getattr(dtype, "name", "") == "category":
        return column.cat.codes.to_numpy().astype(np.intp)
    if hasattr(column, "iloc") or dtype.kind == "O":
        import pandas as pd  # hash-based: mixed types and missing markers

        return pd.factorize(column)[0].astype(np.intp)
    return np.unique(column, return_inverse=True)[1].astype(np.intp)


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


class Augmenter(BaseEstimator, metaclass=ABCMeta):
    """Base class of the transfer-set generators.

    An augmenter generates synthetic rows that resemble a training set
    ``X``; a distillation meta-estimator has the teacher label them and
    trains the student on them too. :meth:`generate` validates the
    parameters, draws ``round(size * n_samples)`` rows with
    :meth:`_generate` and checks that they have X's type and columns.

    To write your own generator, subclass :class:`Augmenter`, declare its
    parameters in ``__init__`` (stored as given, scikit-learn style,
    including ``size`` and ``random_state``), extend
    ``_parameter_constraints`` and implement
    ``_generate(X, n_samples, rng)``: ``X`` is a 2D numpy array or a
    DataFrame (never modify it), ``n_samples`` the number of rows to return
    and ``rng`` a :class:`numpy.random.RandomState` to draw from. Return an
    array (for an array ``X``) or a DataFrame with X's columns (for a
    DataFrame ``X``). For a plain function, see :class:`FunctionAugmenter`.

    Parameters
    ----------
    size : float > 0, default=1.0
        Number of synthetic rows as a multiple of the number of training
        rows: ``generate`` returns ``round(size * n_samples)`` rows (Python's
        ``round``, halves to even).
    random_state : int, RandomState instance or None, default=None
        Seed of the draws, used when ``generate`` gets no ``random_state``
        of its own. Pass an int for reproducible rows.

    See Also
    --------
    MUNGE : The generator of Bucilă, Caruana & Niculescu-Mizil (2006).
    RandomPerturbation : A cheaper generator without neighbour search.
    FunctionAugmenter : Wraps a callable as an augmenter.

    Examples
    --------
    >>> import numpy as np
    >>> from numbers import Real
    >>> from sklearn.utils._param_validation import Interval
    >>> from skdistill._augment import Augmenter
    >>> class Jitter(Augmenter):
    ...     '''Random training rows plus Gaussian noise of sd ``scale``.'''
    ...
    ...     _parameter_constraints = {
    ...         **Augmenter._parameter_constraints,
    ...         "scale": [Interval(Real, 0, None, closed="left")],
    ...     }
    ...
    ...     def __init__(self, *, size=1.0, scale=0.1, random_state=None):
    ...         super().__init__(size=size, random_state=random_state)
    ...         self.scale = scale
    ...
    ...     def _generate(self, X, n_samples, rng):
    ...         rows = rng.randint(X.shape[0], size=n_samples)
    ...         noise = rng.normal(scale=self.scale, size=(n_samples, X.shape[1]))
    ...         return X[rows] + noise
    >>> X = np.array([[0.0, 1.0], [2.0, 3.0]])
    >>> Jitter(size=2.0, scale=0.01, random_state=0).generate(X).shape
    (4, 2)
    """

    _parameter_constraints: dict = {
        "size": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        size: float = 1.0,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.size = size
        self.random_state = random_state

    def generate(
        self, X: ArrayLike, *, random_state: int | np.random.RandomState | None = None
    ) -> Any:
        """Generate ``round(size * n_samples)`` synthetic rows like those of X.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The training rows. Not modified.
        random_state : int, RandomState instance or None, default=None
            Seed of the draws; ``None`` uses the augmenter's own
            ``random_state``.

        Returns
        -------
        X_synthetic : {ndarray, DataFrame} of shape (round(size * n_samples), \
n_features)
            A numpy array of X's dtype for an array ``X``; a DataFrame with
            X's columns and dtypes (and a fresh ``RangeIndex``) for a
            DataFrame ``X``.
        """
        self._validate_params()
        X = _check_input(X)
        n_samples = round(self.size * X.shape[0])
        rng = check_random_state(
            self.random_state if random_state is None else random_state
        )
        X_synthetic = self._generate(X, n_samples, rng)
        return _check_synthetic(X_synthetic, X, n_samples, self._generator_name())

    def _generator_name(self) -> str:
        """What produced the rows, for error messages."""
        return type(self).__name__

    @abstractmethod
    def _generate(self, X: Any, n_samples: int, rng: np.random.RandomState) -> Any:
        """Return ``n_samples`` synthetic rows like those of X (see the class)."""


class FunctionAugmenter(Augmenter):
    """An augmenter from any callable ``func(X, n_samples, random_state)``.

    ``func`` receives the training rows ``X`` (a 2D numpy array or a
    DataFrame, which it must not modify), the number of rows to return and
    a :class:`numpy.random.RandomState` to draw from, and returns the
    synthetic rows: an array of shape ``(n_samples, n_features)``, or a
    DataFrame with X's columns for a DataFrame ``X``.

    Parameters
    ----------
    func : callable
        ``func(X, n_samples, random_state) -> X_synthetic``.
    size : float > 0, default=1.0
        Number of synthetic rows as a multiple of the number of training
        rows: ``round(size * n_samples)``.
    random_state : int, RandomState instance or None, default=None
        Seed passed to ``func`` (as a RandomState) when ``generate`` gets
        no ``random_state`` of its own.

    See Also
    --------
    Augmenter : Base class, to subclass for a generator with parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill._augment import FunctionAugmenter
    >>> def bootstrap(X, n_samples, random_state):
    ...     return X[random_state.randint(X.shape[0], size=n_samples)]
    >>> augmenter = FunctionAugmenter(bootstrap, size=1.5, random_state=0)
    >>> augmenter.generate(np.arange(8.0).reshape(4, 2)).shape
    (6, 2)
    """

    _parameter_constraints: dict = {
        **Augmenter._parameter_constraints,
        "func": [callable],
    }

    def __init__(
        self,
        func: Callable[[Any, int, np.random.RandomState], Any],
        *,
        size: float = 1.0,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(size=size, random_state=random_state)
        self.func = func

    def _generate(self, X: Any, n_samples: int, rng: np.random.RandomState) -> Any:
        return self.func(X, n_samples, rng)

    def _generator_name(self) -> str:
        name = getattr(self.func, "__name__", type(self.func).__name__)
        return f"The func {name!r} of FunctionAugmenter"


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

    **Column types** (see the module docstring): numpy float or integer
    arrays are all continuous (also integer columns with few distinct
    values), bool/string/object arrays all nominal; in a DataFrame,
    numeric columns are continuous, the others (category, object, string,
    bool) nominal. Integer columns get continuous draws rounded to the
    nearest integer and clipped to the dtype's range.

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
    >>> from skdistill._augment import MUNGE
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
        sd = np.abs(e - e_prime) / self.s
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
    >>> from skdistill._augment import RandomPerturbation
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
        scale[has_values] = self.noise * np.nanstd(values[:, has_values], axis=0)
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


def check_augmenter(augment: Any) -> Augmenter | None:
    """Turn the value of an ``augment`` parameter into an :class:`Augmenter`.

    Parameters
    ----------
    augment : None, {"munge", "perturb"}, Augmenter or callable
        ``None``: no augmentation (returns ``None``). ``"munge"``:
        ``MUNGE()``. ``"perturb"``: ``RandomPerturbation()``. An
        :class:`Augmenter` instance is returned as is. A callable
        ``f(X, n_samples, random_state) -> X_synthetic`` is wrapped in
        :class:`FunctionAugmenter`.

    Returns
    -------
    augmenter : Augmenter or None

    Raises
    ------
    ValueError
        For any other value.

    Examples
    --------
    >>> from skdistill._augment import check_augmenter
    >>> check_augmenter("munge")
    MUNGE()
    >>> check_augmenter(None) is None
    True
    """
    if augment is None or isinstance(augment, Augmenter):
        return augment
    if isinstance(augment, str) and augment in AUGMENT_NAMES:
        return MUNGE() if augment == "munge" else RandomPerturbation()
    if callable(augment) and not isinstance(augment, type):
        return FunctionAugmenter(augment)
    hint = (
        f" (pass an instance, e.g. {augment.__name__}())"
        if isinstance(augment, type) and issubclass(augment, Augmenter)
        else ""
    )
    raise ValueError(
        "The augment parameter must be None, 'munge', 'perturb', an Augmenter "
        "instance or a callable f(X, n_samples, random_state) -> X_synthetic; "
        f"got {augment!r}{hint}."
    )
