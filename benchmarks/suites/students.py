"""Native soft-target students vs their hard-label twins vs the teacher.

For every classification dataset in ../shared/datasets, over repeated
stratified 70/30 splits: a LightGBM teacher is fit once per split and
frozen; each student is fit on the labels alone (its hard-label twin) and
distilled from the teacher at the default temperature and alpha of
DistilledClassifier, soft targets computed on the training rows. Held-out
accuracy and log-loss, mean ± standard deviation over the splits, and fit
time.

Students:

- ``logreg-native``: SoftLogisticRegression (Hinton's loss, exact);
- ``logreg-weighted``: scikit-learn's LogisticRegression on the row-expanded
  soft targets (same loss without T², temperature on the teacher only);
- ``lgbm16-native``: LGBMClassifier(n_estimators=16, num_leaves=8),
  converted to SoftLGBMClassifier;
- ``tree-d4/d6``: DecisionTreeClassifier at the default route (the row
  expansion, ``"weighted"``, with two classes; ``"logit_tree"``, splits
  from the teacher's logits and leaves from the soft targets, with three
  or more);
- ``tree-d6-logits``: DecisionTreeRegressor(max_depth=6) fitting the
  teacher's logits (Ba & Caruana) as a LogitMatchingClassifier, to compare
  with ``tree-d6``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import (
    ONE_BLAS_THREAD,
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
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, SoftLogisticRegression

TITLE = "Native soft-target students"

# The largest datasets are subsampled (stratified) to keep the whole
# benchmark run within its time budget; the others are used in full.
MAX_ROWS = dict.fromkeys(["magic", "adult", "connect_4", "letter", "pendigits"], 4000)
N_SPLITS = 3
STUDENTS = {  # name -> (student given to DistilledClassifier, hard-label twin)
    "logreg-native": SoftLogisticRegression(max_iter=500),
    "logreg-weighted": LogisticRegression(max_iter=2000),
    "lgbm16-native": LGBMClassifier(
        n_estimators=16, num_leaves=8, verbose=-1, n_jobs=1
    ),
    "tree-d4": DecisionTreeClassifier(max_depth=4, random_state=0),
    "tree-d6": DecisionTreeClassifier(max_depth=6, random_state=0),
    "tree-d6-logits": (
        DecisionTreeRegressor(max_depth=6, random_state=0),
        DecisionTreeClassifier(max_depth=6, random_state=0),
    ),
}


def per_dataset(df: pd.DataFrame) -> str:
    """Teacher, hard and distilled scores of every student on every dataset."""
    lines = [
        "| dataset | student | teacher acc | hard acc | distilled acc | "
        "teacher log-loss | hard log-loss | distilled log-loss | gap closed (acc) | "
        "fit s (hard / distilled) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for dataset, student, t, by in per_student(df, ["hard", "distilled"]):
        h, d = by["hard"], by["distilled"]
        closed = gap_closed(t.acc.mean(), h.acc.mean(), d.acc.mean())
        lines.append(
            f"| {dataset} | {student} | {mean_std(t.acc)} | {mean_std(h.acc)} | "
            f"{mean_std(d.acc)} | {mean_std(t.logloss)} | "
            f"{mean_std(h.logloss)} | {mean_std(d.logloss)} | "
            f"{closed:+.2f} | {h.fit_s.mean():.2f} / {d.fit_s.mean():.2f} |"
        )
    return "\n".join(lines)


def weighted_vs_logits(df: pd.DataFrame) -> str:
    """The default route of a depth-6 tree vs logit matching, dataset by dataset."""
    mean = df[df.variant == "distilled"].groupby(["dataset", "student"])
    mean = mean[["acc", "logloss"]].mean()
    names = df.dataset.unique()
    weighted = mean.xs("tree-d6", level="student").loc[names]
    logits = mean.xs("tree-d6-logits", level="student").loc[names]
    lower_loss = int((weighted.logloss < logits.logloss).sum())
    acc_diff = logits.acc - weighted.acc
    return (
        "Depth-6 tree, default route (`tree-d6`) vs logit matching with a "
        "regressor (`tree-d6-logits`): the default route has the lower "
        "log-loss on "
        f"{lower_loss}/{len(names)} datasets (median ratio "
        f"{np.median(weighted.logloss / logits.logloss):.2f}); logit matching is "
        f"more accurate on {int((acc_diff > 0).sum())}/{len(names)} (by at most "
        f"{max(acc_diff.max(), 0):.3f}), less accurate on "
        f"{int((acc_diff < 0).sum())} (by at most {max(-acc_diff.min(), 0):.3f})."
    )


def run(ctx) -> str:
    data = list(datasets(ctx, max_rows=MAX_ROWS))
    seeds = split_seeds(ctx, N_SPLITS)
    n_trees = teacher_trees(ctx)
    defaults = DistilledClassifier()
    df = compare_students(
        ctx,
        data,
        seeds,
        teacher=lambda seed: lgbm_teacher(n_trees, random_state=seed),
        distiller=DistilledClassifier,
        students=STUDENTS,
        variants={"distilled": {}},
        scores=classification_scores,
    )
    setup = (
        f"LightGBM teacher ({n_trees} trees, learning rate 0.05), frozen per "
        f"split; students distilled with temperature={defaults.temperature}, "
        f"alpha={defaults.alpha} (DistilledClassifier's defaults), soft targets "
        f"on the training rows. Mean ± std over "
        f"{plural(len(seeds), 'stratified 70/30 split')}. Datasets and rows "
        f"used: {rows_note(data)}. `gap closed` is (distilled - hard) / "
        "(teacher - hard) accuracy (nan where the teacher is not more accurate "
        "than the hard-label student). Categorical columns one-hot encoded, "
        "numeric ones imputed and standardized, for every model."
    )
    return "\n\n".join(
        [
            intro(__doc__),
            f"{setup} {ONE_BLAS_THREAD}",
            "## How often the distilled student beats its hard-label twin",
            "Over datasets, scores first averaged over the splits; the ratio is "
            "distilled / hard log-loss.",
            wins_table(
                df,
                STUDENTS,
                ["distilled"],
                better={"acc": "higher", "logloss": "lower"},
                ratio="logloss",
            ),
            weighted_vs_logits(df),
            "## Per dataset",
            per_dataset(df),
        ]
    )
