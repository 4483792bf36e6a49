"""
Distil LightGBM into a logistic regression
==========================================

A 300-tree LightGBM ensemble is accurate but weighs megabytes and is a black
box; a logistic regression weighs a few kilobytes and its coefficients can be
read. This example distils the first into the second on scikit-learn's
embedded breast-cancer dataset (569 rows, 30 features, no download) and
compares, on held-out rows, the teacher, the logistic regression trained on
the labels alone and the distilled one.
"""

# %%
# Data and models
# ---------------
# The student is :class:`~skdistill.SoftLogisticRegression`, which minimizes
# Hinton's distillation loss exactly (``fit_strategy_`` is ``"native"``);
# a plain :class:`~sklearn.linear_model.LogisticRegression` would also work,
# through the ``"weighted"`` strategy. Features are standardized in front of
# the whole :class:`~skdistill.DistilledClassifier`, so teacher and student
# both see scaled data (the trees do not care).
import pickle

import matplotlib.pyplot as plt
import numpy as np
from lightgbm import LGBMClassifier
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdistill import DistilledClassifier, SoftLogisticRegression

data = load_breast_cancer()
X_train, X_test, y_train, y_test = train_test_split(
    data.data, data.target, test_size=0.4, stratify=data.target, random_state=0
)

teacher = LGBMClassifier(
    n_estimators=300, learning_rate=0.05, n_jobs=1, verbose=-1, random_state=0
)
models = {
    "teacher (LightGBM)": make_pipeline(StandardScaler(), teacher),
    "logistic, labels alone": make_pipeline(
        StandardScaler(), SoftLogisticRegression(C=0.1)
    ),
    "logistic, distilled": make_pipeline(
        StandardScaler(),
        DistilledClassifier(
            teacher,
            SoftLogisticRegression(C=0.1),
            temperature=2.0,
            alpha=0.5,
        ),
    ),
}
for model in models.values():
    model.fit(X_train, y_train)
distilled = models["logistic, distilled"][-1]
print("strategy:", distilled.fit_strategy_)

# %%
# Held-out comparison
# -------------------
# Accuracy and log-loss against the true labels, *fidelity* (the share of
# test rows on which a model predicts the teacher's class) and the size of
# what would be shipped: a distilled model ships only its fitted student.
teacher_pred = models["teacher (LightGBM)"].predict(X_test)
print(f"{'model':<26}{'accuracy':>10}{'log-loss':>10}{'fidelity':>10}{'KiB':>9}")
for name, model in models.items():
    shipped = getattr(model[-1], "student_", model[-1])
    pred = model.predict(X_test)
    print(
        f"{name:<26}{accuracy_score(y_test, pred):>10.3f}"
        f"{log_loss(y_test, model.predict_proba(X_test)):>10.3f}"
        f"{np.mean(pred == teacher_pred):>10.3f}"
        f"{len(pickle.dumps(shipped)) / 1024:>9.1f}"
    )

# %%
# The student is several hundred times smaller than the teacher. On this
# dataset a linear model is already as accurate as the teacher, and
# distillation leaves the student's accuracy where it was, with a slightly
# lower log-loss. Do not expect more from a logistic student: over the ten
# datasets of the benchmarks, distillation gave logistic students no
# measurable gain (:doc:`/benchmarks/index`); tree and small boosted students
# gain more (:ref:`sphx_glr_auto_examples_plot_shallow_tree.py`).
#
# Teacher and students, row by row
# --------------------------------
# Each point is a test row: the teacher's probability of the benign class
# against each student's.
proba_teacher = models["teacher (LightGBM)"].predict_proba(X_test)[:, 1]
fig, ax = plt.subplots(figsize=(5, 5))
for name in ["logistic, labels alone", "logistic, distilled"]:
    ax.scatter(
        proba_teacher,
        models[name].predict_proba(X_test)[:, 1],
        s=12,
        alpha=0.6,
        label=name,
    )
ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1)
ax.set_xlabel("teacher P(benign)")
ax.set_ylabel("student P(benign)")
ax.legend(loc="upper left")
fig.tight_layout()

# %%
# What the student learned
# ------------------------
# The shipped model is an ordinary linear model: its largest coefficients
# (on standardized features) say what drives its decision.
coefficients = distilled.student_.coef_.ravel()
for index in np.argsort(-np.abs(coefficients))[:5]:
    print(f"{data.feature_names[index]:<24}{coefficients[index]:+.2f}")
