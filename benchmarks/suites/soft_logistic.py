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
from ``X`` and the soft targets. The objective is each fit's own penalized
loss divided by the total weight (scikit-learn's scaling), so the matched
rows must agree. Thread counts (OMP, BLAS) are left as the environment sets
them.
"""

from __future__ import annotations

import numpy as np
from _common import (
    interleaved_timings,
    intro,
    machine_threads,
    markdown_table,
    median_and_runs,
    peak_memory,
    plural,
    target_row,
)
from lightgbm import LGBMClassifier
from scipy.special import log_softmax
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.preprocessing import StandardScaler

from skdistill import SoftLogisticRegression
from skdistill.soft_targets import logits_from_proba, softmax

TITLE = "SoftLogisticRegression: speed and memory"

N_SAMPLES, N_FEATURES, N_CLASSES, N_RUNS = 50_000, 40, 10, 3
QUICK = dict(n_samples=2_000, n_features=10, n_classes=4, n_runs=1)
TEMPERATURE, ALPHA, C, MAX_ITER = 2.0, 0.5, 1.0, 1000
# The targets: the native fit at least 3x faster than the row expansion, and
# at most 1.5x the time of LogisticRegression on the hard labels.
MIN_SPEEDUP_OVER_EXPANDED = 3.0
MAX_SLOWDOWN_OVER_HARD = 1.5

NATIVE_HINTON = "SoftLogisticRegression.fit_soft_targets, T=2, alpha=0.5"
NATIVE_MATCHED = "SoftLogisticRegression.fit_soft_targets, T=1, alpha=0 (= expanded)"
EXPANDED = "LogisticRegression.fit, expanded rows ({n_rows:,}, weighted)"
HARD = "LogisticRegression.fit, hard labels"
NATIVE_HARD = "SoftLogisticRegression.fit, hard labels"


def make_problem(n_samples: int, n_features: int, n_classes: int):
    """Standardized data, hard labels and the teacher's soft targets at T=2."""
    X, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_features // 2,
        n_redundant=n_features // 4,
        n_classes=n_classes,
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
    ce = -(targets * log_softmax(logits, axis=1)).sum(axis=1)
    return (weights @ ce + 0.5 / C * np.vdot(coef, coef)) / weights.sum()


def hinton_loss(model, X, y, soft_targets):
    """Hinton's penalized objective at T=2, alpha=0.5, divided by n_samples."""
    logits = model.decision_function(X)
    hard = -log_softmax(logits, axis=1)[np.arange(len(y)), y]
    log_student = log_softmax(logits / TEMPERATURE, axis=1)
    kl = (soft_targets * (np.log(soft_targets) - log_student)).sum(axis=1)
    loss = ALPHA * hard + (1 - ALPHA) * TEMPERATURE**2 * kl
    return (loss.sum() + 0.5 / C * np.vdot(model.coef_, model.coef_)) / len(y)


def setups(X, y, soft_targets) -> dict[str, tuple]:
    """name -> (fit, objective of the fitted model), in the table's order."""
    n, k = soft_targets.shape
    classes = np.arange(k)
    onehot = np.eye(k)[y]
    ones = np.ones(n)

    def objective(targets):
        return lambda m: penalized_loss(m.coef_, m.decision_function(X), targets, ones)

    def expanded():
        X_rep, y_rep, w_rep = expand(X, soft_targets)
        return LogisticRegression(C=C, max_iter=MAX_ITER).fit(
            X_rep, y_rep, sample_weight=w_rep
        )

    return {
        NATIVE_HINTON: (
            lambda: SoftLogisticRegression(C=C, max_iter=MAX_ITER).fit_soft_targets(
                X,
                y,
                soft_targets,
                classes=classes,
                temperature=TEMPERATURE,
                alpha=ALPHA,
            ),
            lambda m: hinton_loss(m, X, y, soft_targets),
        ),
        NATIVE_MATCHED: (
            lambda: SoftLogisticRegression(C=C, max_iter=MAX_ITER).fit_soft_targets(
                X, y, soft_targets, classes=classes, temperature=1.0, alpha=0.0
            ),
            objective(soft_targets),
        ),
        EXPANDED.format(n_rows=n * k): (expanded, objective(soft_targets)),
        HARD: (
            lambda: LogisticRegression(C=C, max_iter=MAX_ITER).fit(X, y),
            objective(onehot),
        ),
        NATIVE_HARD: (
            lambda: SoftLogisticRegression(C=C, max_iter=MAX_ITER).fit(X, y),
            objective(onehot),
        ),
    }


def run(ctx) -> str:
    size = (
        QUICK
        if ctx.quick
        else dict(
            n_samples=N_SAMPLES,
            n_features=N_FEATURES,
            n_classes=N_CLASSES,
            n_runs=N_RUNS,
        )
    )
    X, y, soft_targets = make_problem(
        size["n_samples"], size["n_features"], size["n_classes"]
    )
    fits = setups(X, y, soft_targets)
    ctx.log(f"timing {len(fits)} fits, {size['n_runs']} runs each")
    times, models = interleaved_timings(
        {name: fit for name, (fit, _) in fits.items()}, size["n_runs"]
    )
    rows = []
    for name, (fit, objective) in fits.items():
        ctx.log(f"peak memory: {name}")
        peak, _ = peak_memory(fit)
        model = models[name]
        rows.append(
            {
                "fit": name,
                **median_and_runs(times[name]),
                "n_iter": int(np.ravel(model.n_iter_)[0]),
                "peak MB": peak / 2**20,
                "objective": float(objective(model)),
                "train log-loss": log_loss(y, model.predict_proba(X)),
            }
        )
    median = {row["fit"]: row["time (s)"] for row in rows}
    expanded = median[EXPANDED.format(n_rows=X.shape[0] * soft_targets.shape[1])]
    targets = [
        target_row(
            "expanded / native (T=2, alpha=0.5)",
            expanded / median[NATIVE_HINTON],
            at_least=MIN_SPEEDUP_OVER_EXPANDED,
        ),
        target_row(
            "expanded / native (same objective)",
            expanded / median[NATIVE_MATCHED],
            at_least=MIN_SPEEDUP_OVER_EXPANDED,
        ),
        target_row(
            "native (T=2, alpha=0.5) / hard labels",
            median[NATIVE_HINTON] / median[HARD],
            at_most=MAX_SLOWDOWN_OVER_HARD,
        ),
        target_row(
            "native (same objective) / hard labels",
            median[NATIVE_MATCHED] / median[HARD],
            at_most=MAX_SLOWDOWN_OVER_HARD,
        ),
    ]
    header = (
        f"{size['n_samples']:,} x {size['n_features']} features, "
        f"{size['n_classes']} classes; teacher LGBMClassifier(50 trees) softened "
        f"at T={TEMPERATURE}; C={C}, tol=1e-4; median of "
        f"{plural(size['n_runs'], 'run')}; {machine_threads()}."
    )
    if ctx.quick:
        header += " Quick mode: too small for the targets to mean anything."
    columns = ["fit", "time (s)", "runs (s)", "n_iter", "peak MB", "objective"]
    return "\n\n".join(
        [
            intro(__doc__),
            header,
            markdown_table(rows, [*columns, "train log-loss"]),
            "## Targets",
            markdown_table(targets, ["measure", "value", "target", "result"]),
            "Native (T=2, alpha=0.5) / SoftLogisticRegression.fit on hard labels "
            f"(the cost of the soft term alone): "
            f"{median[NATIVE_HINTON] / median[NATIVE_HARD]:.2f}x.",
        ]
    )
