"""Transfer sets and temperature by data size: the evidence for the defaults.

The questions behind the distillers' defaults ``teacher_cv=None, augment=None,
temperature="auto"`` (2 for a tree student, 1 for the others). First: do
out-of-fold soft targets or a transfer set enlarged with synthetic rows
(Bucilă et al., 2006) pay off once the data is large, where the in-sample
soft targets of a boosted teacher are nearly the labels? Second: which
temperature suits each student family? For every classification dataset of
../shared/datasets, at two sizes (subsampled to at most 2,500 and at most
20,000 rows, stratified), one stratified 70/30 split:
a LightGBM teacher (300 trees, learning rate 0.05) and three students, each
distilled with

- ``default``: ``DistilledClassifier(teacher, student)``, nothing else;
- ``T=1`` and ``T=2``: the defaults but ``temperature`` (one of them is the
  default of the student's family);
- ``oof``: the defaults and out-of-fold soft targets (``teacher_cv=5``);
- ``munge``: the defaults plus as many MUNGE rows as real ones, labelled by
  the teacher (``augment="munge"``);

against the same student on the labels alone. The teacher fits of a split
are shared by the variants through a benchmark-only cache. A last table
compares the two routes of a depth-6 tree student, ``fit_strategy=
"weighted"`` and ``"logit_tree"`` (defaults otherwise), on the binary and
the multiclass datasets: the evidence for ``"auto"``'s rule (``"logit_tree"``
with three classes or more).
"""

from __future__ import annotations

import pandas as pd
from _common import (
    ONE_BLAS_THREAD,
    classification_scores,
    compare_students,
    datasets,
    intro,
    lgbm_teacher,
    markdown_table,
    split_seeds,
    teacher_trees,
    wins_table,
)
from lightgbm import LGBMClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier

TITLE = "Transfer sets by data size: in-sample, out-of-fold, synthetic rows"

SIZES = (2_500, 20_000)
QUICK_SIZES = (200, 400)
STUDENTS = {
    "tree-d6": DecisionTreeClassifier(max_depth=6, random_state=0),
    "lgbm16": LGBMClassifier(
        n_estimators=16,
        num_leaves=8,
        learning_rate=0.3,
        verbose=-1,
        n_jobs=2,
        random_state=0,
    ),
    "logistic": LogisticRegression(max_iter=1000),
}
VARIANTS = {
    "default": {},
    "T=1": {"temperature": 1.0},
    "T=2": {"temperature": 2.0},
    "oof": {"teacher_cv": 5},
    "munge": {"augment": "munge"},
}
TREE_ROUTES = {
    "weighted": {"fit_strategy": "weighted"},
    "logit_tree": {"fit_strategy": "logit_tree"},
}
TIE = 0.1  # points of accuracy
COLUMNS = ["student", "variant", "mean Δ accuracy (pts)", "win-or-tie", "worst Δ (pts)"]


def _mean_gains(
    df: pd.DataFrame, students=STUDENTS, variants=VARIANTS, label=None
) -> list[dict]:
    """Mean accuracy difference to the hard twin, and wins-or-ties, per variant."""
    mean = df.groupby(["dataset", "student", "variant"])["acc"].mean()
    rows = []
    for student in students:
        for variant in variants:
            deltas = [
                100 * (mean[(d, student, variant)] - mean[(d, student, "hard")])
                for d in df.dataset.unique()
            ]
            rows.append(
                {
                    "student": label or student,
                    "variant": variant,
                    "mean Δ accuracy (pts)": f"{sum(deltas) / len(deltas):+.2f}",
                    "win-or-tie": f"{sum(x > -TIE for x in deltas)}/{len(deltas)}",
                    "worst Δ (pts)": f"{min(deltas):+.2f}",
                }
            )
    return rows


def run(ctx) -> str:
    sizes = QUICK_SIZES if ctx.quick else SIZES
    n_trees = teacher_trees(ctx)
    sections = [
        intro(__doc__),
        f"Teacher: LightGBM, {n_trees} trees, n_jobs=2; lgbm16 student n_jobs=2. "
        + ONE_BLAS_THREAD,
    ]

    def compare(data, students, variants):
        return compare_students(
            ctx,
            data,
            split_seeds(ctx, 1),
            teacher=lambda seed: lgbm_teacher(n_trees, seed),
            distiller=DistilledClassifier,
            students=students,
            variants=variants,
            scores=classification_scores,
        )

    routes = []
    for size in sizes:
        data = list(datasets(ctx, max_rows=size))
        df = compare(data, STUDENTS, VARIANTS)
        sections += [
            f"## At most {size:,} rows",
            ", ".join(f"{d.name} ({d.rows})" for d in data) + ".",
            markdown_table(_mean_gains(df), COLUMNS),
            "Datasets on which each variant beats the hard-label twin, and the "
            "median log-loss ratio (distilled / twin):",
            wins_table(
                df,
                STUDENTS,
                VARIANTS,
                better={"acc": "higher", "logloss": "lower"},
                ratio="logloss",
            ),
        ]
        tree = {"tree-d6": STUDENTS["tree-d6"]}
        for kind, keep in (
            ("binary", lambda k: k == 2),
            ("3+ classes", lambda k: k > 2),
        ):
            chosen = [d for d in data if keep(len(set(d.y)))]
            if not chosen:
                continue
            df = compare(chosen, tree, TREE_ROUTES)
            routes += _mean_gains(
                df, tree, TREE_ROUTES, label=f"tree-d6, {kind}, ≤ {size:,} rows"
            )
    sections += [
        "## The tree's route: weighted or logit_tree",
        "Depth-6 tree, defaults but `fit_strategy`; binary and multiclass "
        "datasets apart:",
        markdown_table(routes, COLUMNS),
    ]
    return "\n\n".join(sections)
