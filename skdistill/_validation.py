"""Small input checks shared by the estimators."""

from __future__ import annotations

from typing import Any


def _is_dataframe(X: Any) -> bool:
    """Whether ``X`` is a DataFrame (pandas, or anything indexed like one)."""
    return hasattr(X, "iloc") and hasattr(X, "columns")
