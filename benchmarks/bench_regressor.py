"""DistilledRegressor: hard-target vs distilled students on regression data.

Datasets: ``537_houses`` and ``diamonds`` from ../shared/datasets
(subsampled to MAX_ROWS rows) and ``make_friedman1(n_samples=4000,
noise=1.0)``; over 3 random 70/30 splits, a LightGBM teacher (300 trees)
and four students {Ridge, depth-4 and depth-6 trees, LightGBM with 16 trees
x 8 leaves}: held-out RMSE and R^2 (mean ± std over the splits) of

- ``teacher``;
- ``hard``: the student on the labels alone;
- ``in-sample``: distilled, teacher predictions on its own training rows
  (``cv=None``);
- ``oof``: out-of-fold teacher predictions (``cv=5``);
- ``oof+munge``: out-of-fold plus MUNGE synthetic rows labelled by the
  teacher (``augment="munge"``, size 1);

each at DistilledRegressor's default alpha, with the fit time. The teacher
fits of a split (all rows, and the 5 folds) are shared by all variants and
students through a benchmark-only cache, so the fit times exclude them.

Run from the repository root::

    python benchmarks/bench_regressor.py [--quick]

Writes docs/benchmarks/regressor.md and prints the table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from lightgbm import LGBMRegressor
from sklearn.base import clone
from sklearn.datasets import make_friedman1
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

sys.path.insert(0, str(Path(__file__).parent))
import _data
from _common import CachedTeacher, numeric_preprocessor

from skdistill._regressor import DistilledRegressor

MAX_ROWS = 8000
SEEDS = [0, 1, 2]
STUDENTS = {
    "ridge": Ridge(),
    "tree-d4": DecisionTreeRegressor(max_depth=4, random_state=0),
    "tree-d6": DecisionTreeRegressor(max_depth=6, random_state=0),
    "lgbm16": LGBMRegressor(n_estimators=16, num_leaves=8, verbose=-1, n_jobs=1),
}
VARIANTS = {
    "in-sample": dict(cv=None),
    "oof": dict(cv=5),
    "oof+munge": dict(cv=5, augment="munge"),
}


def lgbm_regression_teacher(random_state: int = 0) -> LGBMRegressor:
    return LGBMRegressor(
        n_estimators=300,
        learning_rate=0.05,
        num_leaves=31,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        random_state=random_state,
        verbose=-1,
        n_jobs=2,
    )


class CachedRegressor(CachedTeacher):
    """CachedTeacher for a regressor: memoized fits, no ``classes_``."""

    def fit(self, X, y, sample_weight=None):
        import joblib

        key = joblib.hash((X, y, sample_weight, self.estimator.get_params()))
        if key not in self._cache:
            self._cache[key] = clone(self.estimator).fit(
                X, y, sample_weight=sample_weight
            )
            CachedTeacher.fits += 1
        self.model_ = self._cache[key]
        return self


def load(name: str):
    """``(X, y)`` of a dataset: a DataFrame and a float target."""
    if name == "friedman1":
        X, y = make_friedman1(n_samples=4000, noise=1.0, random_state=0)
        return pd.DataFrame(X, columns=[f"x{i}" for i in range(10)]), y
    X, y, _ = _data.load(name, max_rows=MAX_ROWS)
    return X, y.astype(float)


def run(names: list[str], seeds: list[int]) -> pd.DataFrame:
    rows = []
    t0 = time.perf_counter()
    for name in names:
        X, y = load(name)
        for seed in seeds:
            X_tr, X_te, y_tr, y_te = train_test_split(
                X, y, test_size=0.3, random_state=seed
            )
            prep = numeric_preprocessor().fit(X_tr)
            A_tr, A_te = prep.transform(X_tr), prep.transform(X_te)
            CachedTeacher.clear()
            teacher = CachedRegressor(lgbm_regression_teacher(random_state=seed))

            def record(student, variant, model, fit_s, ctx=(name, seed, A_te, y_te)):
                d_name, d_seed, A_test, y_test = ctx
                pred = model.predict(A_test)
                rows.append(
                    dict(
                        dataset=d_name,
                        seed=d_seed,
                        student=student,
                        variant=variant,
                        rmse=float(np.sqrt(mean_squared_error(y_test, pred))),
                        r2=r2_score(y_test, pred),
                        fit_s=fit_s,
                    )
                )

            record("-", "teacher", clone(teacher).fit(A_tr, y_tr), np.nan)
            # Warm the cache with the 5 fold teachers, so that no student's
            # fit time includes them.
            DistilledRegressor(teacher, Ridge(), cv=VARIANTS["oof"]["cv"]).fit(
                A_tr, y_tr
            )
            for s_name, student in STUDENTS.items():
                start = time.perf_counter()
                hard = clone(student).fit(A_tr, y_tr)
                record(s_name, "hard", hard, time.perf_counter() - start)
                for v_name, params in VARIANTS.items():
                    start = time.perf_counter()
                    model = DistilledRegressor(
                        teacher, clone(student), random_state=seed, **params
                    ).fit(A_tr, y_tr)
                    record(s_name, v_name, model, time.perf_counter() - start)
            print(
                f"  {name} split {seed} done ({time.perf_counter() - t0:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
    return pd.DataFrame(rows)


def summarize(df: pd.DataFrame) -> str:
    def ms(v):
        return f"{v.mean():.4g} ± {v.std(ddof=0):.2g}"

    cols = ["hard", *VARIANTS]
    head = (
        "| dataset | student | teacher RMSE | "
        + " | ".join(f"{c} RMSE" for c in cols)
        + " | teacher R² | "
        + " | ".join(f"{c} R²" for c in cols)
        + " | fit s ("
        + " / ".join(cols)
        + ") |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for dataset, g in df.groupby("dataset", sort=False):
        t = g[g.variant == "teacher"]
        for student, s in g[g.variant != "teacher"].groupby("student", sort=False):
            by = {v: s[s.variant == v] for v in cols}
            lines.append(
                f"| {dataset} | {student} | {ms(t.rmse)} | "
                + " | ".join(ms(by[c].rmse) for c in cols)
                + f" | {ms(t.r2)} | "
                + " | ".join(ms(by[c].r2) for c in cols)
                + " | "
                + " / ".join(f"{by[c].fit_s.mean():.2f}" for c in cols)
                + " |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="friedman1, one split")
    args = parser.parse_args()
    names, seeds = ["537_houses", "diamonds", "friedman1"], SEEDS
    if args.quick:
        names, seeds = ["friedman1"], SEEDS[:1]
    elif not _data.available():
        sys.exit(f"datasets folder not found: {_data.DATASETS_DIR}")
    start = time.perf_counter()
    df = run(names, seeds)
    table = summarize(df)
    if not args.quick:
        out = Path(__file__).resolve().parents[1] / "docs" / "benchmarks"
        (out / "regressor.md").write_text(
            "# DistilledRegressor: hard-target vs distilled students\n\n"
            f"LightGBM teacher (300 trees), alpha={DistilledRegressor().alpha}; "
            f"datasets subsampled to at most {MAX_ROWS} rows (friedman1: "
            "make_friedman1(n_samples=4000, noise=1.0)); test RMSE and R² as "
            f"mean ± std over {len(seeds)} random 70/30 splits; categorical "
            "columns one-hot encoded, numeric ones imputed and standardized. "
            "Fit times exclude the teacher fits (cached and shared by all "
            f"variants); {CachedTeacher.fits} teacher fits in all; total run "
            f"{time.perf_counter() - start:.0f} s.\n\n"
            "Regenerate with `python benchmarks/bench_regressor.py`.\n\n" + table + "\n"
        )
    print(table)


if __name__ == "__main__":
    main()
