"""Transfer sets: in-sample vs out-of-fold vs augmented soft targets.

For every classification dataset in ../shared/datasets, over repeated
stratified 70/30 splits, a LightGBM teacher and four students {logistic
regression, depth-4 and depth-6 trees, LightGBM with 16 trees x 8 leaves}:
held-out accuracy and log-loss of

- ``teacher``;
- ``hard``: the student on the labels alone;
- ``in-sample``: distilled, soft targets from the teacher on its own
  training rows (``teacher_cv=None``);
- ``oof``: out-of-fold soft targets (``teacher_cv=5``);
- ``oof+munge``: out-of-fold plus MUNGE synthetic rows (``augment="munge"``,
  size 1);
- ``oof+perturb``: out-of-fold plus the cheap perturbation
  (``augment="perturb"``, size 1);

each at DistilledClassifier's default temperature and alpha, with the gap
closed, (distilled - hard) / (teacher - hard), and the fit time. The teacher
fits of a split (all rows, and the 5 folds) are shared by all variants and
students through a benchmark-only cache, so the fit times exclude them
(they include the teacher's predictions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import (
    ONE_BLAS_THREAD,
    CachedTeacher,
    classification_scores,
    compare_students,
    datasets,
    gap_closed,
    intro,
    lgbm_teacher,
    mean_std,
    per_student,
    plural,
    rows_note,
    split_seeds,
    teacher_trees,
    wins_table,
)
from lightgbm import LGBMClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier

TITLE = "Transfer sets: where distillation wins"

# Sized to fit the benchmark run's time budget (about 5 minutes on 2 cores):
# 2 splits, and every dataset subsampled (stratified) to at most 2,500 rows.
MAX_ROWS = 2500
N_SPLITS = 2
STUDENTS = {
    "logreg": LogisticRegression(max_iter=2000),
    "tree-d4": DecisionTreeClassifier(max_depth=4, random_state=0),
    "tree-d6": DecisionTreeClassifier(max_depth=6, random_state=0),
    "lgbm16": LGBMClassifier(n_estimators=16, num_leaves=8, verbose=-1, n_jobs=1),
}
VARIANTS = {
    "in-sample": dict(teacher_cv=None),
    "oof": dict(teacher_cv=5),
    "oof+munge": dict(teacher_cv=5, augment="munge"),
    "oof+perturb": dict(teacher_cv=5, augment="perturb"),
}


def per_dataset(df: pd.DataFrame) -> str:
    """Every variant's accuracy, log-loss and fit time, per dataset and student."""

    def ms(values):
        return mean_std(values, ".3f")

    cols = ["hard", *VARIANTS]
    head = (
        "| dataset | student | teacher acc | "
        + " | ".join(f"{c} acc" for c in cols)
        + " | teacher log-loss | "
        + " | ".join(f"{c} log-loss" for c in cols)
        + " | gap closed (acc, best variant) | fit s ("
        + " / ".join(cols)
        + ") |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for dataset, student, t, by in per_student(df, cols):
        best = max(VARIANTS, key=lambda v: by[v].acc.mean())
        closed = gap_closed(t.acc.mean(), by["hard"].acc.mean(), by[best].acc.mean())
        lines.append(
            f"| {dataset} | {student} | {ms(t.acc)} | "
            + " | ".join(ms(by[c].acc) for c in cols)
            + f" | {ms(t.logloss)} | "
            + " | ".join(ms(by[c].logloss) for c in cols)
            + f" | {closed:+.2f} ({best}) | "
            + " / ".join(f"{by[c].fit_s.mean():.2f}" for c in cols)
            + " |"
        )
    return "\n".join(lines)


def figure(df: pd.DataFrame):
    """Median (over datasets) log-loss ratio, distilled / hard, per student."""
    import matplotlib.pyplot as plt

    mean = df.groupby(["dataset", "student", "variant"]).logloss.mean()
    fig, ax = plt.subplots(figsize=(8, 3.8))
    width = 0.8 / len(VARIANTS)
    positions = np.arange(len(STUDENTS))
    for i, variant in enumerate(VARIANTS):
        medians = [
            np.median(
                [
                    mean[dataset, student, variant] / mean[dataset, student, "hard"]
                    for dataset in df.dataset.unique()
                ]
            )
            for student in STUDENTS
        ]
        ax.bar(positions + (i - (len(VARIANTS) - 1) / 2) * width, medians, width)
        ax.containers[-1].set_label(variant)
    ax.axhline(1.0, color="black", lw=1)
    ax.set_xticks(positions, list(STUDENTS))
    ax.set_ylabel("log-loss, distilled / hard-label\n(median over datasets)")
    ax.legend(fontsize=8, ncols=2)
    fig.tight_layout()
    return fig


def run(ctx) -> str:
    data = list(datasets(ctx, max_rows=MAX_ROWS))
    seeds = split_seeds(ctx, N_SPLITS)
    n_trees = teacher_trees(ctx)
    defaults = DistilledClassifier()
    fits_before = CachedTeacher.fits
    df = compare_students(
        ctx,
        data,
        seeds,
        teacher=lambda seed: lgbm_teacher(n_trees, random_state=seed),
        distiller=DistilledClassifier,
        students=STUDENTS,
        variants=VARIANTS,
        scores=classification_scores,
    )
    setup = (
        f"LightGBM teacher ({n_trees} trees), temperature={defaults.temperature}, "
        f"alpha={defaults.alpha}; mean ± std over "
        f"{plural(len(seeds), 'stratified 70/30 split')}; categorical columns "
        "one-hot encoded, numeric ones imputed and standardized. Sized for the "
        "benchmark run's time budget (about 5 minutes of it on 2 cores): every "
        f"dataset is subsampled (stratified) to at most {MAX_ROWS:,} rows, with "
        f"{plural(len(seeds), 'split')} each; rows used: {rows_note(data)}. "
        f"{CachedTeacher.fits - fits_before} teacher fits in all."
    )
    return "\n\n".join(
        [
            intro(__doc__),
            f"{setup} {ONE_BLAS_THREAD}",
            "## How often distillation beats the hard-label student",
            "Over datasets, scores first averaged over the splits; the ratio is "
            "distilled / hard log-loss.",
            wins_table(
                df,
                STUDENTS,
                VARIANTS,
                better={"acc": "higher", "logloss": "lower"},
                ratio="logloss",
            ),
            ctx.save_figure(figure(df), "log_loss_ratio"),
            "## Per dataset",
            per_dataset(df),
        ]
    )
