"""How fast does SoftLogisticRegression learn soft targets?

On a 50,000 x 40, 10-class problem, a small LightGBM teacher's probabilities
are softened at T = 2. Three ways to train a logistic-regression student are
timed (median of 3 runs, same C and tol):

- ``SoftLogisticRegression.fit_soft_targets``, the native strategy: once with
  Hinton's loss (T = 2, alpha = 0.5), once with ``temperature=1, alpha=0`` on
  the same targets, which is exactly the objective of the next row;
- scikit-learn's ``LogisticRegression`` on the row-expanded data (each row
  repeated once per class, weighted by its target probability: the
  "weighted" strategy, 500,000 rows);
- ``LogisticRegression`` on the hard labels (the cost of no distillation),
  and ``SoftLogisticRegression.fit`` on them (the same solver and code as the
  native rows, so the last ratio isolates the cost of the soft term).

Peak memory is the tracemalloc peak of one more run (numpy and scikit-learn
allocations). The expanded fit's time and memory include building its rows
from ``X`` and the soft targets. The objective is
each fit's own penalized loss divided by the total weight (scikit-learn's
scaling), so the matched rows must agree. Thread counts (OMP, BLAS) are left
as the environment sets them.

Run from the repository root::

    python benchmarks/bench_soft_logistic.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from lightgbm import LGBMClassifier
from scipy.special import log_softmax as scipy_log_softmax
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info

sys.path.insert(0, str(Path(__file__).parent))
from _common import markdown_table

from skdistill import logits_from_proba, softmax
from skdistill._soft_logistic import SoftLogisticRegression

N_SAMPLES, N_FEATURES, N_CLASSES = 50_000, 40, 10
TEMPERATURE, ALPHA, C, MAX_ITER = 2.0, 0.5, 1.0, 1000
N_RUNS = 3


def make_problem():
    """Standardized data, hard labels and the teacher's soft targets at T=2."""
    X, y = make_classification(
        n_samples=N_SAMPLES,
        n_features=N_FEATURES,
        n_informative=20,
        n_redundant=10,
        n_classes=N_CLASSES,
        n_clusters_per_class=2,
        random_state=0,
    )
    X = StandardScaler().fit_transform(X)
    teacher = LGBMClassifier(
        n_estimators=50, num_leaves=15, learning_rate=0.1, verbose=-1, random_state=0
    ).fit(X, y)
    soft_targets = softmax(logits_from_proba(teacher.predict_proba(X)), TEMPERATURE)
    return X, y, soft_targets


def expand(X, soft_targets):
    """Every row once per class, labelled with it, weighted by its probability."""
    n_samples, n_classes = soft_targets.shape
    rows = np.repeat(np.arange(n_samples), n_classes)
    labels = np.tile(np.arange(n_classes), n_samples)
    return X[rows], labels, soft_targets.ravel()


def penalized_loss(coef, logits, targets, weights):
    """(sum_i w_i CE(q_i, softmax(z_i)) + 0.5/C ||coef||^2) / sum_i w_i."""
    ce = -(targets * scipy_log_softmax(logits, axis=1)).sum(axis=1)
    return (weights @ ce + 0.5 / C * np.vdot(coef, coef)) / weights.sum()


def hinton_loss(model, X, y, soft_targets):
    """Hinton's penalized objective at T=2, alpha=0.5, divided by n_samples."""
    logits = model.decision_function(X)
    hard = -scipy_log_softmax(logits, axis=1)[np.arange(len(y)), y]
    log_student = scipy_log_softmax(logits / TEMPERATURE, axis=1)
    kl = (soft_targets * (np.log(soft_targets) - log_student)).sum(axis=1)
    loss = ALPHA * hard + (1 - ALPHA) * TEMPERATURE**2 * kl
    return (loss.sum() + 0.5 / C * np.vdot(model.coef_, model.coef_)) / len(y)


def main() -> None:
    X, y, soft_targets = make_problem()
    n, k = soft_targets.shape
    onehot = np.eye(k)[y]
    ones = np.ones(n)

    def native_hinton():
        return SoftLogisticRegression(C=C, max_iter=MAX_ITER).fit_soft_targets(
            X,
            y,
            soft_targets,
            classes=np.arange(k),
            temperature=TEMPERATURE,
            alpha=ALPHA,
        )

    def native_matched():
        return SoftLogisticRegression(C=C, max_iter=MAX_ITER).fit_soft_targets(
            X, y, soft_targets, classes=np.arange(k), temperature=1.0, alpha=0.0
        )

    def expanded():
        X_rep, y_rep, w_rep = expand(X, soft_targets)
        return LogisticRegression(C=C, max_iter=MAX_ITER).fit(
            X_rep, y_rep, sample_weight=w_rep
        )

    def hard():
        return LogisticRegression(C=C, max_iter=MAX_ITER).fit(X, y)

    def native_hard():
        return SoftLogisticRegression(C=C, max_iter=MAX_ITER).fit(X, y)

    setups = {
        "SoftLogisticRegression.fit_soft_targets, T=2, alpha=0.5": (
            native_hinton,
            lambda m: hinton_loss(m, X, y, soft_targets),
        ),
        "SoftLogisticRegression.fit_soft_targets, T=1, alpha=0 (= expanded)": (
            native_matched,
            lambda m: penalized_loss(
                m.coef_, m.decision_function(X), soft_targets, ones
            ),
        ),
        "LogisticRegression.fit, expanded rows (500,000, weighted)": (
            expanded,
            lambda m: penalized_loss(
                m.coef_, m.decision_function(X), soft_targets, ones
            ),
        ),
        "LogisticRegression.fit, hard labels": (
            hard,
            lambda m: penalized_loss(m.coef_, m.decision_function(X), onehot, ones),
        ),
        "SoftLogisticRegression.fit, hard labels": (
            native_hard,
            lambda m: penalized_loss(m.coef_, m.decision_function(X), onehot, ones),
        ),
    }
    # Runs are interleaved so that a change in machine load hits every fit.
    times = {name: [] for name in setups}
    models = {}
    for _ in range(N_RUNS):
        for name, (fit, _) in setups.items():
            start = time.perf_counter()
            models[name] = fit()
            times[name].append(time.perf_counter() - start)
    rows = []
    for name, (fit, objective) in setups.items():
        model = models[name]
        tracemalloc.start()
        fit()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(
            {
                "fit": name,
                "time (s)": statistics.median(times[name]),
                "runs (s)": " / ".join(f"{t:.2f}" for t in times[name]),
                "n_iter": int(np.ravel(model.n_iter_)[0]),
                "peak MB": peak / 2**20,
                "objective": float(objective(model)),
                "train log-loss": log_loss(y, model.predict_proba(X)),
            }
        )
    blas = ", ".join(
        f"{info['internal_api']} {info['num_threads']} threads"
        for info in threadpool_info()
    )
    header = (
        f"{N_SAMPLES:,} x {N_FEATURES} features, {N_CLASSES} classes; teacher "
        f"LGBMClassifier(50 trees) softened at T={TEMPERATURE}; C={C}, tol=1e-4; "
        f"median of {N_RUNS} runs; {os.cpu_count()} CPUs, {blas}."
    )
    table = markdown_table(
        rows,
        [
            "fit",
            "time (s)",
            "runs (s)",
            "n_iter",
            "peak MB",
            "objective",
            "train log-loss",
        ],
    )
    t_hinton, t_matched, t_expanded, t_hard, t_native_hard = (
        r["time (s)"] for r in rows
    )
    ratios = (
        f"- expanded / native (T=2, alpha=0.5): {t_expanded / t_hinton:.1f}x "
        "(target >= 3x)"
        f"\n- expanded / native (same objective): {t_expanded / t_matched:.1f}x "
        "(target >= 3x)"
        f"\n- native (T=2, alpha=0.5) / hard labels: {t_hinton / t_hard:.2f}x "
        "(target <= 1.5x)"
        f"\n- native (same objective) / hard labels: {t_matched / t_hard:.2f}x "
        "(target <= 1.5x)"
        f"\n- native (T=2, alpha=0.5) / SoftLogisticRegression.fit on hard "
        f"labels: {t_hinton / t_native_hard:.2f}x"
    )
    report = f"{header}\n\n{table}\n\n{ratios}\n"
    print(report)
    out = Path(__file__).resolve().parents[1] / "docs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "soft_logistic.md").write_text(
        "# SoftLogisticRegression: speed and memory\n\n"
        "Regenerate with `python benchmarks/bench_soft_logistic.py` (see its "
        "docstring for what each row is).\n\n" + report
    )


if __name__ == "__main__":
    main()
