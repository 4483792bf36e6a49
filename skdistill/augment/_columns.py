"""Column handling: continuous and nominal columns, and back to X's dtypes.

:class:`_Columns` splits X (a numpy array or a DataFrame) into a float
matrix of its continuous columns and the codes of its nominal ones, on which
the generators work, and rebuilds synthetic rows of X's type, columns and
dtypes from what they generate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import EXACT_FLOAT_INTEGER, _is_dataframe


class _Columns:
    """A table split into continuous and nominal columns, rebuilt after generation.

    Generators work on two matrices: ``continuous``, shape
    ``(n_rows, n_continuous)``, float64 with NaN for a missing value, and
    for the nominal columns row indices into ``X``: the synthetic cell
    ``(i, j)`` of nominal column ``j`` is ``X[src[i, j], j]``. :meth:`build`
    turns the generated matrices back into X's type, columns and dtypes.

    In a numpy array every column is continuous when the dtype is a float
    or integer one, nominal when it is bool, string or object. In a
    DataFrame, float and integer columns (numpy or nullable
    ``Float64``/``Int64`` ...) are continuous; ``category``, ``object``,
    string, bool, ``boolean``, datetime and every other column is nominal.
    An integer column with a value beyond ``2**53`` in magnitude (which a
    float64 cannot hold exactly: identifiers, hashes) is nominal too. A
    nominal cell of a synthetic row is always a copy of a cell of the same
    column in ``X`` (so categories, strings and missing markers stay valid);
    a continuous cell is a float, clipped to the float range, and rounded
    back to an integer (and clipped to the dtype's range) in integer
    columns.
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
        continuous = [
            kind == "f" or (kind in "iu" and self._fits_float(j))
            for j, kind in enumerate(kinds)
        ]
        self.continuous_columns = np.flatnonzero(continuous).astype(np.intp)
        self.nominal_columns = np.flatnonzero(~np.asarray(continuous, dtype=bool))
        self.nominal_columns = self.nominal_columns.astype(np.intp)
        self.continuous = self._continuous_values()
        if np.isinf(self.continuous).any():
            raise ValueError(
                "X contains infinite values; replace them (by NaN for a missing "
                "value) before generating synthetic rows."
            )

    def _fits_float(self, j: int) -> bool:
        """Whether integer column ``j`` holds only integers a float64 holds
        exactly (``|v| <= 2**53``); larger ones (identifiers, hashes) are
        copied as nominal cells, never sent through floats."""
        column = self._column(j)
        if len(column) == 0:
            return True
        low, high = column.min(), column.max()
        if low is None or high is None or low != low:  # all missing (pd.NA / NaN)
            return True
        return bool(max(-int(low), int(high)) <= EXACT_FLOAT_INTEGER)

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
        out = np.empty((continuous.shape[0], self.X.shape[1]), dtype=self.X.dtype)
        for j, values in arrays.items():
            out[:, j] = values
        return out


def _to_dtype(values: NDArray[np.float64], dtype: Any, is_frame: bool) -> Any:
    """Float values cast to a numeric dtype, rounded and clipped for an integer one."""
    if dtype.kind in "iu":
        info = np.iinfo(getattr(dtype, "numpy_dtype", dtype))
        # The largest floats within the dtype's range: float(2**63 - 1) is
        # 2**63, which would wrap around to -2**63.
        low, high = float(info.min), float(info.max)
        if int(high) > info.max:
            high = float(np.nextafter(high, -np.inf))
        values = np.clip(np.rint(values), low, high)
    else:
        # Finite X gives finite rows: a draw beyond the float range is clipped.
        limit = np.finfo(np.float64).max
        values = np.clip(values, -limit, limit)
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
