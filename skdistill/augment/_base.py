"""The augmenter plug-in base: :class:`Augmenter`, :class:`FunctionAugmenter`.

:class:`Augmenter` validates the parameters and the input, draws the rows
with a subclass's ``_generate`` and checks that they have X's type, columns
and dtypes. (``_check.py`` turns the ``augment`` parameter of a
distiller into an :class:`Augmenter`.)
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections.abc import Callable
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

from .._config import check_allocation, row_bytes
from .._validation import _is_dataframe

__all__ = ["Augmenter", "FunctionAugmenter"]


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
    >>> from skdistill.augment import Augmenter
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
        # The rows, and an augmenter's working copy of them.
        check_allocation(
            2 * n_samples * row_bytes(X),
            f"{type(self).__name__}.generate ({n_samples:,} rows of "
            f"{X.shape[1]:,} features)",
            f"Lower size (now {self.size:g}, a multiple of the {X.shape[0]:,} "
            "training rows).",
        )
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
    >>> from skdistill.augment import FunctionAugmenter
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
