"""DistilledRegressor: hard-target vs distilled students on regression data.

Datasets: ``537_houses`` and ``diamonds`` from ../shared/datasets and
``make_friedman1(n_samples=4000, noise=1.0)``; over repeated random 70/30
splits, a LightGBM teacher and four students {Ridge, depth-4 and depth-6
trees, LightGBM with 16 trees x 8 leaves}: held-out RMSE and R² (mean ± std
over the splits) of

- ``teacher``;
- ``hard``: the student on the labels alone;
- ``in-sample``: distilled, teacher predictions on its own training rows
  (``teacher_cv=None``);
- ``oof``: out-of-fold teacher predictions (``teacher_cv=5``);
- ``oof+munge``: out-of-fold plus MUNGE synthetic rows labelled by the
  teacher (``augment="munge"``, size 1);

each at DistilledRegressor's default alpha, with the fit time. The teacher
fits of a split (all rows, and the 5 folds) are shared by all variants and
students through a benchmark-only cache, so the fit times exclude them
(they include the teacher's predictions).
"""

from __future__ import annotations

import pandas as pd
from _common import (
    ONE_BLAS_THREAD,
    CachedTeacher,
    compare_students,
    datasets,
    friedman1,
    intro,
    lgbm_regression_teacher,
    mean_std,
    per_student,
    plural,
    regression_scores,
    rows_note,
    split_seeds,
    teacher_trees,
    wins_table,
)
from lightgbm import LGBMRegressor
from sklearn.linear_model import Ridge
from sklearn.tree import DecisionTreeRegressor

from skdistill import DistilledRegressor

TITLE = "DistilledRegressor: hard-target vs distilled students"

DATASETS = ["537_houses", "diamonds"]
MAX_ROWS = 8000
FRIEDMAN_ROWS = 4000
N_SPLITS = 3
STUDENTS = {
    "ridge": Ridge(),
    "tree-d4": DecisionTreeRegressor(max_depth=4, random_state=0),
    "tree-d6": DecisionTreeRegressor(max_depth=6, random_state=0),
    "lgbm16": LGBMRegressor(n_estimators=16, num_leaves=8, verbose=-1, n_jobs=1),
}
VARIANTS = {
    "in-sample": dict(teacher_cv=None),
    "oof": dict(teacher_cv=5),
    "oof+munge": dict(teacher_cv=5, augment="munge"),
}


def per_dataset(df: pd.DataFrame) -> str:
    """Every variant's RMSE, R² and fit time, per dataset and student."""

    def ms(values):
        return mean_std(values, ".4g", ".2g")

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
    for dataset, student, t, by in per_student(df, cols):
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


def _datasets(ctx):
    yield from datasets(ctx, DATASETS, task="regression", max_rows=MAX_ROWS)
    if not ctx.quick:  # quick mode's only dataset is already a small friedman1
        yield friedman1(FRIEDMAN_ROWS)


def run(ctx) -> str:
    data = list(_datasets(ctx))
    seeds = split_seeds(ctx, N_SPLITS)
    n_trees = teacher_trees(ctx)
    fits_before = CachedTeacher.fits
    df = compare_students(
        ctx,
        data,
        seeds,
        teacher=lambda seed: lgbm_regression_teacher(n_trees, random_state=seed),
        distiller=DistilledRegressor,
        students=STUDENTS,
        variants=VARIANTS,
        scores=regression_scores,
        stratify=False,
    )
    setup = (
        f"LightGBM teacher ({n_trees} trees), alpha={DistilledRegressor().alpha}; "
        f"datasets subsampled to at most {MAX_ROWS:,} rows; rows used: "
        f"{rows_note(data)}. Test RMSE and R² as mean ± std over "
        f"{plural(len(seeds), 'random 70/30 split')}; categorical columns one-hot "
        "encoded, numeric ones imputed and standardized. Fit times exclude the "
        "teacher fits (cached and shared by all variants); "
        f"{CachedTeacher.fits - fits_before} teacher fits in all."
    )
    return "\n\n".join(
        [
            intro(__doc__),
            f"{setup} {ONE_BLAS_THREAD}",
            "## How often distillation beats the hard-target student",
            "Over datasets, scores first averaged over the splits; the ratio is "
            "distilled / hard RMSE.",
            wins_table(
                df,
                STUDENTS,
                VARIANTS,
                better={"r2": "higher", "rmse": "lower"},
                ratio="rmse",
            ),
            "## Per dataset",
            per_dataset(df),
        ]
    )
