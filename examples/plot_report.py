"""
The distillation report and its plots
=====================================

Was the distillation worth it? :func:`skdistill.metrics.distillation_report`
puts the teacher, the same student trained on the labels alone (the
*baseline*) and the distilled student side by side on held-out rows:
quality, fidelity to the teacher, shipped size and prediction latency. The
displays of :mod:`skdistill.plotting` draw the same comparison. Data:
scikit-learn's embedded breast-cancer dataset (no download).
"""

# %%
# A distilled tree
# ----------------
# A depth-3 tree distilled from a LightGBM teacher at the distillers'
# defaults.
import matplotlib.pyplot as plt
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier
from skdistill.metrics import distillation_report
from skdistill.plotting import (
    CompressionDisplay,
    ReliabilityDisplay,
    TemperatureCurveDisplay,
)

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.4, stratify=y, random_state=0
)
teacher = LGBMClassifier(
    n_estimators=200, learning_rate=0.05, n_jobs=1, verbose=-1, random_state=0
)
tree_model = DistilledClassifier(
    teacher, DecisionTreeClassifier(max_depth=3, random_state=0)
).fit(X_train, y_train)

# %%
# The report
# ----------
# With ``X_train`` and ``y_train``, the report also fits the baseline: the
# same distiller refitted with ``alpha=1`` (labels only) and its teacher
# frozen, so that the only difference is the teacher's soft targets. Sizes
# are those of the pickled models that would be shipped (the teacher, or
# the fitted ``student_``); latencies are medians over repeated calls of
# 1,000 rows and vary with the machine.
report = distillation_report(
    tree_model, X_test, y_test, X_train=X_train, y_train=y_train
)
print(report)

# %%
# How to read it:
#
# - **quality** (accuracy, log-loss, ROC AUC): the distilled student against
#   its baseline says what distillation bought; against the teacher, what
#   compression cost;
# - **fidelity** (agreement with the teacher's predicted class) and **KL
#   divergence** (of the student's probabilities from the teacher's): how
#   closely the student imitates its teacher, whether or not the teacher is
#   right;
# - **size** and **latency**, and their ratios, teacher over distilled: what
#   shipping the student instead of the teacher saves;
# - **share of the gap closed**: (distilled - baseline) / (teacher -
#   baseline) in accuracy; it is undefined (NaN) when the baseline is already
#   as good as the teacher.
#
# The numbers are also available as a DataFrame, one row per model, and as a
# dict (``report.to_dict()``, JSON-serializable) with the ratios.
print(report.to_frame()[["accuracy", "log_loss", "fidelity", "size_bytes"]])
print({name: round(value, 3) for name, value in report.ratios.items()})

# %%
# Quality against size and latency
# --------------------------------
# :class:`~skdistill.plotting.CompressionDisplay` draws each model of the
# report as a point, one of its metrics (here the log-loss, lower is better)
# against serialized size or latency on a log axis: a good distilled student
# sits far left of the teacher and below its baseline.
# ``CompressionDisplay.from_reports`` puts several students of one teacher on
# the same axes.
fig, (ax_size, ax_latency) = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
CompressionDisplay.from_report(report, metric="log_loss", ax=ax_size)
CompressionDisplay.from_report(
    report, x="latency_ms_1thread", metric="log_loss", ax=ax_latency
)
fig.tight_layout()

# %%
# Calibration
# -----------
# :class:`~skdistill.plotting.ReliabilityDisplay` compares the calibration of
# the teacher, the baseline and the distilled student: a depth-3 tree trained
# on the labels has nearly pure leaves and says 0 or 1; the distilled tree's
# leaves carry the teacher's doubt.
baseline_tree = clone(tree_model.student).fit(X_train, y_train)
fig, ax = plt.subplots(figsize=(5, 5))
ReliabilityDisplay.from_estimator(
    tree_model, X_test, y_test, baseline=baseline_tree, n_bins=5, ax=ax
)
fig.tight_layout()

# %%
# Score and fidelity against the temperature
# ------------------------------------------
# :class:`~skdistill.plotting.TemperatureCurveDisplay` refits the student for
# each temperature and alpha, reusing the fitted teacher (frozen, so its
# soft targets are in-sample here), and plots the held-out score (solid) and
# the fidelity to the teacher (dashed).
fig, ax = plt.subplots(figsize=(6, 4))
TemperatureCurveDisplay.from_estimator(
    DistilledClassifier(teacher, DecisionTreeClassifier(max_depth=3, random_state=0)),
    X_train,
    y_train,
    X_test,
    y_test,
    temperatures=[1, 2, 4, 8],
    alphas=[0.0, 0.5],
    scoring="neg_log_loss",
    ax=ax,
)
fig.tight_layout()
