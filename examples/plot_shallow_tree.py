"""
Distil LightGBM into a readable shallow tree
============================================

A depth-3 decision tree fits on a page: every prediction can be explained
by at most three comparisons. Trained on the labels alone, its leaves hold
hard class frequencies and its probabilities are overconfident; distilled
from a LightGBM teacher, each leaf holds the mean of the teacher's softened
probabilities over its rows. This example distils a teacher into a depth-3
tree on scikit-learn's embedded breast-cancer dataset (no download) and
prints both trees with :func:`sklearn.tree.export_text`.
"""

# %%
# Teacher, hard-label tree and distilled tree
# -------------------------------------------
# On this two-class problem a :class:`~sklearn.tree.DecisionTreeClassifier`
# student is trained by the ``"weighted"`` strategy: each row is repeated
# once per class, weighted by its blended target, so the leaf values are
# weighted means of the soft targets (with three classes or more, the
# default ``"logit_tree"`` strategy takes the splits from the teacher's
# logits instead). Everything else is at the distillers' defaults: the
# temperature is 2 for a tree student, alpha 0.5, soft targets in-sample.
import matplotlib.pyplot as plt
from lightgbm import LGBMClassifier
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier, export_text, plot_tree

from skdistill import DistilledClassifier

data = load_breast_cancer()
feature_names = list(data.feature_names)
X_train, X_test, y_train, y_test = train_test_split(
    data.data, data.target, test_size=0.4, stratify=data.target, random_state=0
)

teacher = LGBMClassifier(
    n_estimators=200, learning_rate=0.05, n_jobs=1, verbose=-1, random_state=0
)
hard_tree = DecisionTreeClassifier(max_depth=3, random_state=0)
distilled = DistilledClassifier(teacher, hard_tree)

teacher.fit(X_train, y_train)
hard_tree.fit(X_train, y_train)
distilled.fit(X_train, y_train)
print("strategy:", distilled.fit_strategy_, "temperature:", distilled.temperature_)

# %%
# Held-out accuracy and log-loss
# ------------------------------
for name, model in [
    ("teacher (LightGBM)", teacher),
    ("depth-3 tree, labels alone", hard_tree),
    ("depth-3 tree, distilled", distilled),
]:
    print(
        f"{name:<28} accuracy {accuracy_score(y_test, model.predict(X_test)):.3f}"
        f"  log-loss {log_loss(y_test, model.predict_proba(X_test)):.3f}"
    )

# %%
# Accuracy stays about where it was, while the log-loss drops severalfold:
# the hard-label tree's pure leaves say "certain" and are sometimes wrong,
# the distilled leaves carry the teacher's doubt. The benchmarks find the
# same on ten datasets (:doc:`/benchmarks/index`).
#
# The trees, as text
# ------------------
# ``show_weights=True`` prints each leaf's weighted class totals: plain row
# counts for the hard-label tree, sums of blended soft targets for the
# distilled one (its rows were repeated once per class).
print("labels alone:")
print(export_text(hard_tree, feature_names=feature_names, show_weights=True))
print("distilled (the model to ship is distilled.student_):")
print(export_text(distilled.student_, feature_names=feature_names, show_weights=True))

# %%
# The distilled tree, drawn
# -------------------------
# Class 0 is malignant, class 1 benign; the colour of a node is its majority
# class and its intensity how sure the leaf is.
fig, ax = plt.subplots(figsize=(12, 5))
plot_tree(
    distilled.student_,
    feature_names=feature_names,
    class_names=list(data.target_names),
    filled=True,
    impurity=False,
    proportion=True,
    precision=2,
    fontsize=7,
    ax=ax,
)
fig.tight_layout()
