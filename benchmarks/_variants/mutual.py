"""Mutual distillation: each member after the rounds vs the same member alone,
and the cohort's average vs soft voting of the members fit alone.

The cohort mixes three light models of different families, so that each
has something its peers see differently: a LightGBM with 30 trees of 15
leaves (boosting, natively distilled), a logistic regression (linear, fit on
weighted rows) and a depth-6 decision tree (axis-aligned, fit by the
``"logit_tree"`` route with three classes or more). Each fit counts
``3 * ((n_rounds + 1) * 5 + 1)`` member fits, against 3 for the members
alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import (
    classification_scores,
    datasets,
    markdown_table,
    mean_std,
    plural,
    rows_note,
    split_seeds,
    splits,
    target_row,
    timed,
)
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from skdistill import MutualDistillationClassifier

# The largest datasets are subsampled (stratified) to keep the section within
# its time budget (about 6 minutes on 2 cores); the others are used in full.
MAX_ROWS = {
    "magic": 6000,
    "adult": 5000,
    "connect_4": 5000,
    "letter": 4000,
    "pendigits": 6000,
    "satimage": 6000,
    "telco_churn": 6000,
}
N_SPLITS = 3
N_ROUNDS = 1
CV = 5


def members(seed: int) -> list[tuple[str, object]]:
    """The cohort: three light models of different families."""
    return [
        (
            "lgbm30",
            LGBMClassifier(
                n_estimators=30,
                num_leaves=15,
                learning_rate=0.1,
                random_state=seed,
                verbose=-1,
                n_jobs=1,
            ),
        ),
        ("logreg", LogisticRegression(max_iter=1000)),
        ("tree-d6", DecisionTreeClassifier(max_depth=6, random_state=seed)),
    ]


def _compare(split) -> list[dict]:
    """Members alone, soft voting, and the mutual cohort on one split."""
    X, y = split.X_train, split.y_train
    cohort = members(split.seed)
    rows = []

    def row(model, member, variant, fitted, seconds):
        return dict(
            dataset=split.dataset,
            seed=split.seed,
            model=model,
            member=member,
            variant=variant,
            **classification_scores(fitted, split),
            fit_s=seconds,
        )

    for name, estimator in cohort:
        fitted, seconds = timed(clone(estimator).fit, X, y)
        rows.append(row("member", name, "alone", fitted, seconds))
    voting = VotingClassifier(cohort, voting="soft")
    fitted, seconds = timed(voting.fit, X, y)
    rows.append(row("cohort", "average", "alone", fitted, seconds))
    mutual = MutualDistillationClassifier(
        cohort, n_rounds=N_ROUNDS, cv=CV, predict_with="average"
    )
    fitted, seconds = timed(mutual.fit, X, y)
    rows.append(row("cohort", "average", "mutual", fitted, seconds))
    for name, member in fitted.named_estimators_.items():
        rows.append(row("member", name, "mutual", member, np.nan))
    return rows


def _wins(df: pd.DataFrame) -> pd.DataFrame:
    """Per (dataset, model, member): mean scores of alone and mutual, and wins."""
    mean = df.groupby(["dataset", "model", "member", "variant"], sort=False)[
        ["acc", "logloss", "fit_s"]
    ].mean()
    mean = mean.unstack("variant")
    return pd.DataFrame(
        {
            "acc_better": mean[("acc", "mutual")] > mean[("acc", "alone")],
            "logloss_better": mean[("logloss", "mutual")] < mean[("logloss", "alone")],
            "acc_diff": mean[("acc", "mutual")] - mean[("acc", "alone")],
            "logloss_ratio": mean[("logloss", "mutual")] / mean[("logloss", "alone")],
        }
    )


def summary_table(df: pd.DataFrame) -> tuple[str, list[dict]]:
    """How often mutual distillation beats its baseline, over datasets."""
    wins = _wins(df)
    n = wins.index.get_level_values("dataset").nunique()
    lines, targets = [], []
    for (model, member), g in wins.groupby(level=["model", "member"], sort=False):
        baseline = "soft voting" if model == "cohort" else f"{member} alone"
        label = "cohort average" if model == "cohort" else member
        lines.append(
            {
                "model": label,
                "baseline": baseline,
                "accuracy better": f"{int(g.acc_better.sum())}/{n}",
                "mean accuracy Δ (points)": f"{100 * g.acc_diff.mean():+.2f}",
                "log-loss better": f"{int(g.logloss_better.sum())}/{n}",
                "median log-loss ratio": f"{g.logloss_ratio.median():.3f}",
            }
        )
        targets.append(
            target_row(
                f"{label}: datasets more accurate than {baseline} (of {n})",
                float(g.acc_better.sum()),
                at_least=float(np.ceil(n / 2)),
                unit="",
                digits=0,
            )
        )
    columns = list(lines[0])
    return markdown_table(lines, columns), targets


def verdict(df: pd.DataFrame) -> str:
    """A plain sentence: where mutual distillation does not win."""
    wins = _wins(df)
    n = wins.index.get_level_values("dataset").nunique()
    parts = []
    for (model, member), g in wins.groupby(level=["model", "member"], sort=False):
        label = "The cohort average" if model == "cohort" else f"`{member}`"
        baseline = "soft voting" if model == "cohort" else "itself fit alone"
        losses = g.index.get_level_values("dataset")[~g.acc_better.to_numpy()]
        if len(losses) == 0:
            parts.append(f"{label} is more accurate than {baseline} on every dataset.")
        else:
            parts.append(
                f"{label} is not more accurate than {baseline} on "
                f"{len(losses)}/{n} datasets ({', '.join(losses)})."
            )
    return " ".join(parts)


def per_dataset(df: pd.DataFrame) -> str:
    """Alone vs mutual for every member and the cohort, dataset by dataset."""
    lines = [
        "| dataset | model | alone acc | mutual acc | alone log-loss | "
        "mutual log-loss | fit s (alone / mutual) |",
        "|---|---|---|---|---|---|---|",
    ]
    for (dataset, model, member), g in df.groupby(
        ["dataset", "model", "member"], sort=False
    ):
        a, m = g[g.variant == "alone"], g[g.variant == "mutual"]
        label = "average (vs soft voting)" if model == "cohort" else member
        fit = f"{a.fit_s.mean():.2f} / {m.fit_s.mean():.2f}"
        if model == "member":
            fit = f"{a.fit_s.mean():.2f} / -"
        lines.append(
            f"| {dataset} | {label} | {mean_std(a.acc)} | {mean_std(m.acc)} | "
            f"{mean_std(a.logloss)} | {mean_std(m.logloss)} | {fit} |"
        )
    return "\n".join(lines)


def section(ctx) -> str:
    data = list(datasets(ctx, max_rows=MAX_ROWS))
    seeds = split_seeds(ctx, N_SPLITS)
    rows = []
    for dataset in data:
        for split in splits(ctx, dataset, seeds):
            rows += _compare(split)
    df = pd.DataFrame(rows)
    table, targets = summary_table(df)
    mutual_s = df[(df.model == "cohort") & (df.variant == "mutual")].fit_s
    voting_s = df[(df.model == "cohort") & (df.variant == "alone")].fit_s
    setup = (
        f"Cohort: `lgbm30` (LightGBM, 30 trees of 15 leaves, learning rate 0.1, "
        f"`n_jobs=1`), `logreg` (LogisticRegression) and `tree-d6` (depth-6 "
        f"DecisionTreeClassifier), `MutualDistillationClassifier(n_rounds="
        f"{N_ROUNDS}, cv={CV})` at its other defaults (alpha=0.5, temperature "
        f"'auto': 2 for the tree, 1 for the others). Baselines: each member fit "
        f"alone on the labels, and `VotingClassifier(voting='soft')` of the "
        f"three. Held-out accuracy and log-loss, mean ± std over "
        f"{plural(len(seeds), 'stratified 70/30 split')}; datasets and rows "
        f"used: {rows_note(data)}. Categorical columns one-hot encoded, numeric "
        f"ones imputed and standardized. One thread per model. Mean fit time: "
        f"{mutual_s.mean():.2f} s for the mutual cohort, {voting_s.mean():.2f} s "
        f"for soft voting."
    )
    return "\n\n".join(
        [
            "## Mutual distillation",
            " ".join(__doc__.split("\n\n", 1)[1].split()),
            setup,
            "### Against the baselines, over datasets",
            "Scores first averaged over the splits; the ratio is mutual / "
            "baseline log-loss.",
            table,
            verdict(df),
            markdown_table(targets, ["measure", "value", "target", "result"]),
            "### Per dataset",
            per_dataset(df),
        ]
    )
