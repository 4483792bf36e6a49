"""Loading the shared benchmark datasets (read in place, never copied in)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

DATASETS_DIR = Path(
    os.environ.get(
        "SKDISTILL_DATASETS",
        Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets",
    )
).resolve()


def available() -> bool:
    """Whether the shared datasets folder is present."""
    return (DATASETS_DIR / "manifest.json").is_file()


def manifest() -> dict[str, dict]:
    with open(DATASETS_DIR / "manifest.json") as f:
        return {d["name"]: d for d in json.load(f)}


def load(name: str, max_rows: int | None = None, random_state: int = 0):
    """Return ``(X, y, info)``: a DataFrame, the target array and the manifest entry.

    String columns become pandas ``category`` dtype; integer-coded
    categorical columns listed in the manifest too. With ``max_rows`` the
    data is subsampled (stratified for classification) to that many rows.
    """
    info = manifest()[name]
    df = pd.read_csv(DATASETS_DIR / info["file"])
    y = df.pop("target").to_numpy()
    for col in df.columns:
        if df[col].dtype == object or col in info.get("categorical_features", []):
            df[col] = df[col].astype("category")
    if max_rows is not None and len(df) > max_rows:
        from sklearn.model_selection import train_test_split

        strat = y if info["task"] == "classification" else None
        idx, _ = train_test_split(
            np.arange(len(df)),
            train_size=max_rows,
            stratify=strat,
            random_state=random_state,
        )
        df, y = df.iloc[np.sort(idx)].reset_index(drop=True), y[np.sort(idx)]
    return df, y, info
