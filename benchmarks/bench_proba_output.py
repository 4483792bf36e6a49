"""Which probabilities should a weighted-strategy student return?

The "weighted" strategy trains the student to match the blended target
``q = alpha * onehot(y) + (1 - alpha) * softmax(z_t / T)``. Its probabilities
can be returned as they are ("raw"), or sharpened back by the temperature
(``softmax(T * log p)``, "sharpened"), which undoes the softening exactly
when alpha = 0 and the student matches the teacher. This script measures
held-out log-loss of both against the hard-label student and the teacher,
over several datasets, temperatures and alphas.

Run from the repository root::

    python benchmarks/bench_proba_output.py

It prints a markdown table (written to docs/benchmarks/proba_output.md too).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, str(Path(__file__).parent))
import _data
from _common import lgbm_teacher, markdown_table, numeric_preprocessor

from skdistill import DistilledClassifier, sharpen

DATASETS = {
    "spambase": None,
    "magic": 6000,
    "car": None,
    "satimage": None,
    "vowel": None,
    "pendigits": 6000,
}
STUDENTS = {
    "logreg": LogisticRegression(max_iter=2000),
    "tree-d6": DecisionTreeClassifier(max_depth=6, min_samples_leaf=5, random_state=0),
}
TEMPERATURES = [1.0, 2.0, 4.0, 8.0]
ALPHAS = [0.0, 0.5]
SEEDS = [0, 1, 2]


def main() -> None:
    if not _data.available():
        sys.exit(f"datasets folder not found: {_data.DATASETS_DIR}")
    rows = []
    t0 = time.perf_counter()
    for name, max_rows in DATASETS.items():
        X, y, _ = _data.load(name, max_rows=max_rows)
        for seed in SEEDS:
            X_tr, X_te, y_tr, y_te = train_test_split(
                X, y, test_size=0.3, stratify=y, random_state=seed
            )
            prep = numeric_preprocessor().fit(X_tr)
            A_tr, A_te = prep.transform(X_tr), prep.transform(X_te)
            teacher = lgbm_teacher(random_state=seed).fit(A_tr, y_tr)
            labels = teacher.classes_
            t_loss = log_loss(y_te, teacher.predict_proba(A_te), labels=labels)
            for s_name, student in STUDENTS.items():
                hard = clone(student).fit(A_tr, y_tr)
                h_loss = log_loss(y_te, hard.predict_proba(A_te), labels=labels)
                for T in TEMPERATURES:
                    for alpha in ALPHAS:
                        model = DistilledClassifier(
                            FrozenEstimator(teacher),
                            student,
                            temperature=T,
                            alpha=alpha,
                        ).fit(A_tr, y_tr)
                        p = model.predict_proba(A_te)
                        rows.append(
                            dict(
                                dataset=name,
                                student=s_name,
                                seed=seed,
                                T=T,
                                alpha=alpha,
                                teacher=t_loss,
                                hard=h_loss,
                                raw=log_loss(y_te, p, labels=labels),
                                sharpened=log_loss(y_te, sharpen(p, T), labels=labels),
                            )
                        )
            print(
                f"  {name} seed {seed} done ({time.perf_counter() - t0:.0f} s)",
                file=sys.stderr,
            )
    summary = summarize(rows)
    table = markdown_table(summary, list(summary[0]))
    out = (
        Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "proba_output.md"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "# Raw or sharpened student probabilities (weighted strategy)\n\n"
        "Held-out log-loss, mean over datasets "
        f"({', '.join(DATASETS)}) and {len(SEEDS)} splits (70/30); LightGBM "
        "teacher with 300 trees, soft targets computed on the training rows. "
        "`sharpened_wins` counts the dataset x split cells where the sharpened "
        "probabilities have the lower log-loss (at T = 1 the two are "
        "identical).\n\n"
        "Regenerate with `python benchmarks/bench_proba_output.py`.\n\n" + table + "\n"
    )
    print(table)


def summarize(rows: list[dict]) -> list[dict]:
    import pandas as pd

    df = pd.DataFrame(rows)
    out = []
    for (student, T, alpha), g in df.groupby(["student", "T", "alpha"]):
        out.append(
            dict(
                student=student,
                T=T,
                alpha=alpha,
                teacher=g.teacher.mean(),
                hard_student=g.hard.mean(),
                distilled_raw=g.raw.mean(),
                distilled_sharpened=g.sharpened.mean(),
                sharpened_wins=f"{int((g.sharpened < g.raw - 1e-9).sum())}/{len(g)}",
            )
        )
    return out


if __name__ == "__main__":
    main()
