"""Transfer sets: in-sample vs out-of-fold vs augmented soft targets.

For every classification dataset in ../shared/datasets (subsampled to
MAX_ROWS rows), over 3 stratified 70/30 splits, a LightGBM teacher (300
trees) and four students {logistic regression, depth-4 and depth-6 trees,
LightGBM with 16 trees x 8 leaves}: held-out accuracy and log-loss of

- ``teacher``;
- ``hard``: the student on the labels alone;
- ``in-sample``: distilled, soft targets from the teacher on its own
  training rows (``cv=None``);
- ``oof``: out-of-fold soft targets (``cv=5``);
- ``oof+munge``: out-of-fold plus MUNGE synthetic rows (``augment="munge"``,
  size 1);
- ``oof+perturb``: out-of-fold plus the cheap perturbation
  (``augment="perturb"``, size 1);

each at DistilledClassifier's default temperature and alpha, with the gap
closed, (distilled - hard) / (teacher - hard), and the fit time. The teacher
fits of a split (all rows, and the 5 folds) are shared by all variants and
students through a benchmark-only cache, so the fit times exclude them
(the `teacher fits` line says how many were done).

Run from the repository root::

    python benchmarks/bench_transfer.py [--quick] [--datasets NAME ...]

Writes docs/benchmarks/transfer.md and prints the table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, str(Path(__file__).parent))
import _data
from _common import CachedTeacher, lgbm_teacher, numeric_preprocessor

from skdistill import DistilledClassifier

MAX_ROWS = 4000
SEEDS = [0, 1, 2]
STUDENTS = {
    "logreg": LogisticRegression(max_iter=2000),
    "tree-d4": DecisionTreeClassifier(max_depth=4, random_state=0),
    "tree-d6": DecisionTreeClassifier(max_depth=6, random_state=0),
    "lgbm16": LGBMClassifier(n_estimators=16, num_leaves=8, verbose=-1, n_jobs=1),
}
VARIANTS = {
    "in-sample": dict(cv=None),
    "oof": dict(cv=5),
    "oof+munge": dict(cv=5, augment="munge"),
    "oof+perturb": dict(cv=5, augment="perturb"),
}


def run(names: list[str]) -> pd.DataFrame:
    rows = []
    t0 = time.perf_counter()
    for name in names:
        X, y, _ = _data.load(name, max_rows=MAX_ROWS)
        for seed in SEEDS:
            X_tr, X_te, y_tr, y_te = train_test_split(
                X, y, test_size=0.3, stratify=y, random_state=seed
            )
            prep = numeric_preprocessor().fit(X_tr)
            A_tr, A_te = prep.transform(X_tr), prep.transform(X_te)
            CachedTeacher.clear()
            teacher = CachedTeacher(lgbm_teacher(random_state=seed))
            fitted = clone(teacher).fit(A_tr, y_tr)
            labels = fitted.classes_

            def record(
                student, variant, model, fit_s, ctx=(name, seed, A_te, y_te, labels)
            ):
                d_name, d_seed, A_test, y_test, classes = ctx
                rows.append(
                    dict(
                        dataset=d_name,
                        seed=d_seed,
                        student=student,
                        variant=variant,
                        acc=accuracy_score(y_test, model.predict(A_test)),
                        logloss=log_loss(
                            y_test, model.predict_proba(A_test), labels=classes
                        ),
                        fit_s=fit_s,
                    )
                )

            record("-", "teacher", fitted, np.nan)
            # Warm the cache with the 5 fold teachers, so that no student's
            # fit time includes them.
            DistilledClassifier(
                teacher, DecisionTreeClassifier(max_depth=1), cv=VARIANTS["oof"]["cv"]
            ).fit(A_tr, y_tr)
            for s_name, student in STUDENTS.items():
                start = time.perf_counter()
                hard = clone(student).fit(A_tr, y_tr)
                record(s_name, "hard", hard, time.perf_counter() - start)
                for v_name, params in VARIANTS.items():
                    start = time.perf_counter()
                    model = DistilledClassifier(
                        teacher, clone(student), random_state=seed, **params
                    ).fit(A_tr, y_tr)
                    record(s_name, v_name, model, time.perf_counter() - start)
            print(
                f"  {name} split {seed} done ({time.perf_counter() - t0:.0f} s, "
                f"{CachedTeacher.fits} teacher fits so far)",
                file=sys.stderr,
                flush=True,
            )
    return pd.DataFrame(rows)


def summarize(df: pd.DataFrame) -> str:
    def ms(v):
        return f"{v.mean():.3f} ± {v.std(ddof=0):.3f}"

    cols = ["hard", *VARIANTS]
    head = (
        "| dataset | student | teacher acc | "
        + " | ".join(f"{c} acc" for c in cols)
        + " | teacher log-loss | "
        + " | ".join(f"{c} log-loss" for c in cols)
        + " | gap closed (acc, best variant) | fit s (hard / "
        + " / ".join(VARIANTS)
        + ") |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for dataset, g in df.groupby("dataset", sort=False):
        t = g[g.variant == "teacher"]
        for student, s in g[g.variant != "teacher"].groupby("student", sort=False):
            by = {v: s[s.variant == v] for v in cols}
            gap = t.acc.mean() - by["hard"].acc.mean()
            best = max(VARIANTS, key=lambda v: by[v].acc.mean())
            closed = (
                (by[best].acc.mean() - by["hard"].acc.mean()) / gap
                if gap > 1e-9
                else np.nan
            )
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


def wins(df: pd.DataFrame) -> str:
    """How often each variant beats the hard-label twin (mean over splits)."""
    out = [
        "| student | variant | accuracy better | log-loss better "
        "| median log-loss ratio |",
        "|---|---|---|---|---|",
    ]
    mean = df.groupby(["dataset", "student", "variant"])[["acc", "logloss"]].mean()
    for student in STUDENTS:
        for v in VARIANTS:
            acc_w = ll_w = n = 0
            ratios = []
            for dataset in df.dataset.unique():
                h = mean.loc[(dataset, student, "hard")]
                d = mean.loc[(dataset, student, v)]
                n += 1
                acc_w += d.acc > h.acc
                ll_w += d.logloss < h.logloss
                ratios.append(d.logloss / h.logloss)
            out.append(
                f"| {student} | {v} | {acc_w}/{n} | {ll_w}/{n} | "
                f"{np.median(ratios):.3f} |"
            )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="two small datasets")
    parser.add_argument("--datasets", nargs="*", default=None)
    args = parser.parse_args()
    if not _data.available():
        sys.exit(f"datasets folder not found: {_data.DATASETS_DIR}")
    names = args.datasets or [
        n for n, d in _data.manifest().items() if d["task"] == "classification"
    ]
    if args.quick:
        names = ["car", "vowel"]
    start = time.perf_counter()
    df = run(names)
    summary, table = wins(df), summarize(df)
    d = DistilledClassifier()
    out = Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "transfer.md"
    out.write_text(
        "# Transfer sets: where distillation wins\n\n"
        f"LightGBM teacher (300 trees), temperature={d.temperature}, "
        f"alpha={d.alpha}; each dataset subsampled to at most {MAX_ROWS} rows; "
        f"mean ± std over {len(SEEDS)} stratified 70/30 splits; categorical "
        "columns one-hot encoded, numeric ones imputed and standardized. "
        f"{CachedTeacher.fits} teacher fits in all; total run "
        f"{time.perf_counter() - start:.0f} s.\n\n"
        "Regenerate with `python benchmarks/bench_transfer.py`.\n\n"
        "## How often distillation beats the hard-label student\n\n"
        + summary
        + "\n\n## Per dataset\n\n"
        + table
        + "\n"
    )
    print(summary)
    print()
    print(table)


if __name__ == "__main__":
    main()
