"""
Distil two teachers into one tree
=================================

A boosted model and a linear model see a problem differently; their
average is often a better teacher than either. This example distils a
LightGBM and a logistic regression into one depth-6 tree on scikit-learn's
handwritten digits (shipped with scikit-learn, no download), by every
route: each teacher alone, a :class:`~skdistill.TeacherEnsemble` averaging
them in probability space and in logit space, scikit-learn's
``VotingClassifier(voting="soft")`` (the same teacher as the probability
average) and ``StackingClassifier`` (which learns how to combine them), and
compares the students with the tree trained on the labels alone.
"""

# %%
# Data: 1,797 8x8 images of digits, 10 classes, half of them held out.
import matplotlib.pyplot as plt
import numpy as np
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.ensemble import StackingClassifier, VotingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier, TeacherEnsemble

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)

# %%
# The two teachers, fitted once and frozen, so that every route below
# reads the same models (a ``FrozenEstimator`` is never refit).
lgbm = LGBMClassifier(
    n_estimators=150, learning_rate=0.1, n_jobs=1, verbose=-1, random_state=0
).fit(X_train, y_train)
linear = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=2000)).fit(
    X_train, y_train
)
members = [("lgbm", FrozenEstimator(lgbm)), ("lr", FrozenEstimator(linear))]

teachers = {
    "LightGBM alone": members[0][1],
    "logistic regression alone": members[1][1],
    'TeacherEnsemble, average="proba"': TeacherEnsemble(members, average="proba"),
    'TeacherEnsemble, average="logit"': TeacherEnsemble(members, average="logit"),
    'VotingClassifier(voting="soft")': VotingClassifier(members, voting="soft"),
    "StackingClassifier": StackingClassifier(
        members, final_estimator=LogisticRegression(max_iter=2000), cv=5
    ),
}

# %%
# The teachers themselves, on the held-out half. The probability average is
# ``VotingClassifier(voting="soft")``: the same probabilities, bit for bit.
fitted = {name: clone(t).fit(X_train, y_train) for name, t in teachers.items()}
print(f"{'teacher':<36}{'accuracy':>10}{'log-loss':>10}")
for name, teacher in fitted.items():
    proba = teacher.predict_proba(X_test)
    print(
        f"{name:<36}{accuracy_score(y_test, teacher.predict(X_test)):>10.4f}"
        f"{log_loss(y_test, proba):>10.4f}"
    )
same = np.array_equal(
    fitted['TeacherEnsemble, average="proba"'].predict_proba(X_test),
    fitted['VotingClassifier(voting="soft")'].predict_proba(X_test),
)
print(f"\nprobability average == soft voting: {same}")

# %%
# One depth-6 tree per teacher, distilled at the defaults, and its twin
# trained on the labels alone.
student = DecisionTreeClassifier(max_depth=6, random_state=0)
students = {"labels alone": clone(student).fit(X_train, y_train)}
for name, teacher in teachers.items():
    students[name] = DistilledClassifier(teacher, student).fit(X_train, y_train)

scores = {
    name: (
        accuracy_score(y_test, model.predict(X_test)),
        log_loss(y_test, model.predict_proba(X_test), labels=np.unique(y)),
    )
    for name, model in students.items()
}
print(f"\n{'depth-6 tree taught by':<36}{'accuracy':>10}{'log-loss':>10}")
for name, (accuracy, loss) in scores.items():
    print(f"{name:<36}{accuracy:>10.4f}{loss:>10.4f}")

# %%
# The students side by side: held-out accuracy (higher is better) and
# log-loss (lower is better).
fig, axes = plt.subplots(1, 2, figsize=(10, 4.5), sharey=True)
names = list(scores)
positions = np.arange(len(names))
colors = ["0.6"] + ["tab:blue"] * 2 + ["tab:orange"] * 3 + ["tab:green"]
for ax, column, label in zip(axes, (0, 1), ("accuracy", "log-loss"), strict=True):
    ax.barh(positions, [scores[n][column] for n in names], color=colors)
    ax.set_xlabel(f"held-out {label}")
    values = [scores[n][column] for n in names]
    ax.set_xlim(min(values) * 0.95, max(values) * 1.02)
axes[0].set_yticks(positions, names)
axes[0].invert_yaxis()
fig.suptitle("A depth-6 tree distilled from one or two teachers (digits)")
fig.tight_layout()
plt.show()
