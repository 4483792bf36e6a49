"""
Transfer sets: out-of-fold soft targets and MUNGE
=================================================

A boosted teacher memorizes its training rows: on them its probabilities are
nearly one-hot, and soft targets computed there carry little of the "dark
knowledge" a student should learn. This example, on scikit-learn's embedded
handwritten digits (no download), shows the effect and the three ways
:class:`~skdistill.DistilledClassifier` lets the teacher speak about rows it
did not memorize: out-of-fold soft targets (``teacher_cv=5``), synthetic rows
(``augment="munge"``) and unlabeled rows (``unlabeled=-1``).
"""

# %%
# The teacher is overconfident on its own training rows
# -----------------------------------------------------
# Compare the teacher's top probability on the rows it was trained on with
# the same on rows it was not trained on, computed out-of-fold with
# :func:`~sklearn.model_selection.cross_val_predict`: this is what ``teacher_cv=5``
# does inside the distiller.
import matplotlib.pyplot as plt
import numpy as np
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.tree import DecisionTreeClassifier

from skdistill import MUNGE, DistilledClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
teacher = LGBMClassifier(
    n_estimators=100, learning_rate=0.1, n_jobs=1, verbose=-1, random_state=0
)
in_sample = clone(teacher).fit(X_train, y_train).predict_proba(X_train)
out_of_fold = cross_val_predict(teacher, X_train, y_train, cv=5, method="predict_proba")

fig, ax = plt.subplots(figsize=(6, 3.5))
bins = np.linspace(0.1, 1.0, 37)
ax.hist(in_sample.max(axis=1), bins=bins, alpha=0.6, label="in-sample")
ax.hist(out_of_fold.max(axis=1), bins=bins, alpha=0.6, label="out-of-fold (cv=5)")
ax.set_xlabel("teacher's top probability on a training row")
ax.set_ylabel("rows")
ax.set_yscale("log")
ax.legend(loc="upper left")
fig.tight_layout()
for name, proba in [("in-sample", in_sample), ("out-of-fold", out_of_fold)]:
    top = proba.max(axis=1)
    print(
        f"{name:<12} mean top probability {top.mean():.4f}, "
        f"rows below 0.99: {np.mean(top < 0.99):.1%}"
    )

# %%
# Four ways to train a depth-6 tree
# ---------------------------------
# The same student trained on the labels alone, distilled from in-sample
# soft targets (the default, ``teacher_cv=None``), from out-of-fold soft targets,
# and from out-of-fold soft targets plus as many MUNGE rows as there are
# training rows (Bucilă et al., 2006): each synthetic row mixes a real row
# with its nearest neighbour, and the teacher labels it.
student = DecisionTreeClassifier(max_depth=6, random_state=0)
models = {
    "labels alone": clone(student),
    "in-sample": DistilledClassifier(teacher, student),
    "teacher_cv=5": DistilledClassifier(teacher, student, teacher_cv=5),
    "teacher_cv=5 + MUNGE": DistilledClassifier(
        teacher, student, teacher_cv=5, augment=MUNGE(size=1.0), random_state=0
    ),
}
print(f"{'soft targets':<16}{'accuracy':>10}{'log-loss':>10}{'synthetic rows':>16}")
for name, model in models.items():
    model.fit(X_train, y_train)
    print(
        f"{name:<16}{accuracy_score(y_test, model.predict(X_test)):>10.3f}"
        f"{log_loss(y_test, model.predict_proba(X_test)):>10.3f}"
        f"{getattr(model, 'n_synthetic_', 0):>16}"
    )

# %%
# Distillation mostly improves the tree's probabilities (its log-loss);
# the accuracy moves by a point or two either way. On the ten datasets of
# the benchmarks, out-of-fold targets lowered the trees' log-loss more than
# in-sample ones, synthetic rows lowered a depth-6 tree's a little further,
# and none of them made the trees more accurate on most datasets
# (:doc:`/benchmarks/index`): validate ``augment`` on your own data, for
# instance with ``GridSearchCV`` over ``augment=[None, "munge"]``.
#
# Unlabeled rows
# --------------
# With ``unlabeled=-1`` (scikit-learn's semi-supervised convention), rows
# labelled ``-1`` do not train the teacher; the teacher labels them and the
# student learns them from the soft targets alone. Here 70% of the training
# labels are hidden. Compared with a tree trained on the labelled rows only,
# the distilled tree's probabilities are far better (log-loss); its accuracy
# is not: a depth-6 tree is too small to gain from more rows here.
rng = np.random.default_rng(0)
y_partial = y_train.copy()
y_partial[rng.random(len(y_partial)) < 0.7] = -1
labelled = y_partial != -1
only_labelled = clone(student).fit(X_train[labelled], y_train[labelled])
with_unlabeled = DistilledClassifier(teacher, student, unlabeled=-1).fit(
    X_train, y_partial
)
for name, model in [
    ("tree on labelled rows", only_labelled),
    ("distilled, + unlabeled", with_unlabeled),
]:
    print(
        f"{name:<24} accuracy {accuracy_score(y_test, model.predict(X_test)):.3f}"
        f"  log-loss {log_loss(y_test, model.predict_proba(X_test)):.3f}"
    )
