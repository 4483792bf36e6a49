"""Born-again distillation: generations 1 to 3, and their average, vs the teacher.

Two families, one model of each per split, its generations read one by one:

- `lgbm100`: LightGBM, 100 trees of 31 leaves (the suites' teacher
  settings at a third of the trees), with in-sample soft targets (the
  paper's schedule, `teacher_cv=None`, the default); its students learn
  natively (SoftLGBMClassifier). Out-of-fold targets (19 fits instead of
  4, 15 of them on four fifths of the rows) took three times as long
  (24 s against 8 s on satimage at 4,000 rows) and do not fit the budget.
- `tree-d8`: a depth-8 decision tree, the family where a model's own
  probabilities are the poorest (pure leaves), with in-sample and with
  out-of-fold soft targets (`teacher_cv=5`).

A multilayer perceptron, the paper's own family, is left out: on 2 cores a
scikit-learn MLP fit on weighted rows took 13 to 58 s per born-again fit at
4,000 rows, beyond the budget.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import (
    classification_scores,
    datasets,
    lgbm_teacher,
    markdown_table,
    mean_std,
    plural,
    rows_note,
    split_seeds,
    splits,
    target_row,
    teacher_trees,
    timed,
)
from sklearn.metrics import accuracy_score, log_loss
from sklearn.tree import DecisionTreeClassifier

from skdistill import BornAgainClassifier

# Datasets above 4,000 rows are subsampled (stratified) to keep the section
# within its time budget (about 4 minutes on 2 cores); the others are whole.
MAX_ROWS = 4000
N_SPLITS = 3
N_GENERATIONS = 3
CV = 5
MODELS = ("gen 0 (teacher)", "gen 1", "gen 2", "gen 3", "average 1-3")


def lgbm_trees(ctx) -> int:
    """A third of the suites' teacher trees: 100 (a few in quick mode)."""
    return max(teacher_trees(ctx) // 3, 5)


def families(ctx, seed: int) -> dict[str, tuple[object, object]]:
    """name -> (estimator, teacher_cv)."""
    n_trees = lgbm_trees(ctx)
    lgbm = lgbm_teacher(n_trees, seed).set_params(n_jobs=1)
    tree = DecisionTreeClassifier(max_depth=8)
    return {
        f"lgbm{n_trees}, in-sample": (lgbm, None),
        "tree-d8, in-sample": (tree, None),
        f"tree-d8, out-of-fold ({CV} folds)": (tree, CV),
    }


def _generation_scores(model, split) -> list[dict[str, float]]:
    """Held-out accuracy and log-loss of each generation, then of the average."""
    scores = []
    for generation in model.generations_:
        proba = np.zeros((len(split.y_test), split.classes.size))
        columns = np.searchsorted(split.classes, generation.classes_)
        proba[:, columns] = generation.predict_proba(split.X_test)
        scores.append(
            {
                "acc": accuracy_score(split.y_test, generation.predict(split.X_test)),
                "logloss": log_loss(split.y_test, proba, labels=split.classes),
            }
        )
    model.set_params(predict_with="average")  # read the same fit averaged
    scores.append(classification_scores(model, split))
    return scores


def run_splits(ctx, data, seeds) -> pd.DataFrame:
    """One born-again fit per family and split: one row per generation read."""
    rows = []
    for dataset in data:
        for split in splits(ctx, dataset, seeds):
            for family, (estimator, cv) in families(ctx, split.seed).items():
                model = BornAgainClassifier(
                    estimator,
                    n_generations=N_GENERATIONS,
                    teacher_cv=cv,
                    random_state=split.seed,
                )
                model, seconds = timed(model.fit, split.X_train, split.y_train)
                for name, scores in zip(
                    MODELS, _generation_scores(model, split), strict=True
                ):
                    rows.append(
                        dict(
                            dataset=dataset.name,
                            seed=split.seed,
                            family=family,
                            model=name,
                            fit_s=seconds,
                            **scores,
                        )
                    )
    return pd.DataFrame(rows)


def summary(df: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Per family and generation: datasets where it beats the teacher, and the
    mean change in accuracy; and the targets' PASS/FAIL rows."""
    mean = df.groupby(["family", "dataset", "model"], sort=False)[["acc", "logloss"]]
    mean = mean.mean()
    rows, targets = [], []
    for family in df.family.unique():
        by = mean.loc[family]
        teacher = by.xs(MODELS[0], level="model")
        n = len(teacher)
        for name in MODELS[1:]:
            scores = by.xs(name, level="model").loc[teacher.index]
            more_accurate = int((scores.acc > teacher.acc).sum())
            lower_loss = int((scores.logloss < teacher.logloss).sum())
            rows.append(
                {
                    "family": family,
                    "model": name,
                    "more accurate than the teacher": f"{more_accurate}/{n}",
                    "lower log-loss than the teacher": f"{lower_loss}/{n}",
                    "mean Δ accuracy (points)": 100 * (scores.acc - teacher.acc).mean(),
                    "median log-loss ratio": float(
                        np.median(scores.logloss / teacher.logloss)
                    ),
                }
            )
            if name in (MODELS[N_GENERATIONS], MODELS[-1]):
                targets.append(
                    target_row(
                        f"{family}: datasets where {name} is more accurate than "
                        f"the teacher (of {n})",
                        more_accurate,
                        at_least=(n + 1) // 2,
                        unit="",
                        digits=0,
                    )
                )
    return rows, targets


def verdict(rows: list[dict]) -> str:
    """A plain sentence per family: the last generation and the average against
    the teacher, and whether born-again beats it."""
    lines = []
    for family in dict.fromkeys(r["family"] for r in rows):
        last, average = (
            next(r for r in rows if r["family"] == family and r["model"] == name)
            for name in (MODELS[N_GENERATIONS], MODELS[-1])
        )
        parts = [
            f"{r['model']} is more accurate than the teacher on "
            f"{r['more accurate than the teacher']} datasets "
            f"({r['mean Δ accuracy (points)']:+.2f} points on average) and has "
            f"the lower log-loss on {r['lower log-loss than the teacher']}"
            for r in (last, average)
        ]
        beats = any(
            r["mean Δ accuracy (points)"] > 0
            and 2 * int(r["more accurate than the teacher"].split("/")[0])
            >= int(r["more accurate than the teacher"].split("/")[1])
            for r in (last, average)
        )
        end = "" if beats else " Born-again does not beat the teacher's accuracy here."
        lines.append(f"- **{family}**: {'; '.join(parts)}.{end}")
    return "\n".join(lines)


def per_dataset(df: pd.DataFrame) -> str:
    """Accuracy and log-loss of each generation, mean ± std over the splits."""
    lines = [
        "| dataset | family | " + " | ".join(MODELS) + " | fit s |",
        "|---|---|" + "---|" * len(MODELS) + "---|",
    ]
    for (dataset, family), g in df.groupby(["dataset", "family"], sort=False):
        cells = []
        for name in MODELS:
            m = g[g.model == name]
            cells.append(f"{mean_std(m.acc)}<br>{mean_std(m.logloss)}")
        seconds = g.groupby("seed").fit_s.first().mean()
        lines.append(f"| {dataset} | {family} | {' | '.join(cells)} | {seconds:.1f} |")
    return "\n".join(lines)


def section(ctx) -> str:
    data = list(datasets(ctx, max_rows=MAX_ROWS))
    seeds = split_seeds(ctx, N_SPLITS)
    df = run_splits(ctx, data, seeds)
    rows, targets = summary(df)
    n_trees = lgbm_trees(ctx)
    setup = (
        f"Setup: `BornAgainClassifier(estimator, n_generations={N_GENERATIONS})` "
        'at its defaults (temperature `"auto"`: 1 for LightGBM, 2 for the tree; '
        "alpha 0.5), `random_state` the split's seed (a seed per generation). "
        f"Estimators: LightGBM with {n_trees} trees (learning rate 0.05, 31 "
        "leaves, row and column subsampling 0.8, `n_jobs=1`) and "
        "`DecisionTreeClassifier(max_depth=8)`. Generation 0 is the teacher, "
        "the estimator fit on the labels: it is the baseline. `average 1-3` is "
        '`predict_with="average"`, the mean probabilities of generations 1 to 3 '
        "(the teacher left out). Mean ± std over "
        f"{plural(len(seeds), 'stratified 70/30 split')}; datasets and rows "
        f"used: {rows_note(data)}. Categorical columns one-hot encoded, numeric "
        "ones imputed and standardized. One thread per model (LightGBM "
        "`n_jobs=1`, BLAS 1 thread). `fit s` is the whole born-again fit "
        f"({N_GENERATIONS + 1} fits in-sample, "
        f"{N_GENERATIONS + 1 + N_GENERATIONS * CV} out of fold)."
    )
    columns = list(rows[0])
    return "\n\n".join(
        [
            "## Born-again distillation",
            __doc__.split("\n", 1)[1].strip(),
            setup,
            "### Against the teacher, over datasets",
            "Scores averaged over the splits first; the ratio is the model's "
            "log-loss over the teacher's.",
            markdown_table(rows, columns),
            verdict(rows),
            markdown_table(targets, ["measure", "value", "target", "result"]),
            "### Per dataset",
            "Each cell: accuracy, then log-loss.",
            per_dataset(df),
        ]
    )
