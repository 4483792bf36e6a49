"""
Mutual distillation: a cohort of light models that teach each other
====================================================================

No heavy teacher here: three light models of different families (a small
LightGBM, a logistic regression and a depth-6 tree) learn, round after
round, from the labels and from each other's out-of-fold probabilities
(:class:`~skdistill.MutualDistillationClassifier`, after Deep Mutual
Learning, Zhang et al. 2018). We compare, on scikit-learn's handwritten
digits (shipped with scikit-learn, no download), each member after the
rounds with the same member fit alone, and the cohort's average with soft
voting of the members fit alone.
"""

# %%
# Data: 1,797 8x8 images of digits, 10 classes, half of them held out.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skdistill import MutualDistillationClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)

# %%
# The cohort, and its mutual distillation: round 0 fits every member on the
# labels alone (fold by fold, for out-of-fold probabilities), then one round
# (the default) teaches each member its peers' averaged out-of-fold
# probabilities, blended with the labels (``alpha=0.5``). The tree learns them by the
# ``"logit_tree"`` route (it stays a decision tree), LightGBM natively, the
# logistic regression by weighted rows.
members = [
    (
        "lgbm",
        LGBMClassifier(
            n_estimators=30, num_leaves=15, n_jobs=1, verbose=-1, random_state=0
        ),
    ),
    ("logistic", make_pipeline(StandardScaler(), LogisticRegression(C=0.05))),
    ("tree", DecisionTreeClassifier(max_depth=6, random_state=0)),
]
cohort = MutualDistillationClassifier(members, n_rounds=1, predict_with="average")
cohort.fit(X_train, y_train)
print("fit strategies:", cohort.fit_strategies_)


# %%
# Held-out scores: each member alone and after the rounds, and the cohort's
# average against soft voting of the members fit alone.
def scores(model):
    return (
        accuracy_score(y_test, model.predict(X_test)),
        log_loss(y_test, model.predict_proba(X_test)),
    )


rows = []
for name, estimator in members:
    alone = clone(estimator).fit(X_train, y_train)
    rows.append((name, "alone", *scores(alone)))
    rows.append((name, "mutual", *scores(cohort.named_estimators_[name])))
voting = VotingClassifier(members, voting="soft").fit(X_train, y_train)
rows.append(("average", "alone", *scores(voting)))
rows.append(("average", "mutual", *scores(cohort)))
results = pd.DataFrame(rows, columns=["model", "variant", "accuracy", "log-loss"])
print(results.round(4).to_string(index=False))

# %%
# ``history_`` holds the out-of-fold scores of every member (and of the
# cohort's average) after each round: round 0 is the members alone. It
# shows what the rounds did, on the training rows, without a test set.
history = pd.DataFrame(cohort.history_)
print(history.round(4).to_string(index=False))

# %%
# The held-out accuracy (left) and the out-of-fold log-loss round by round
# (right). Here only the weakest member gains: the tree's log-loss falls from
# about 3.1 to 0.9 (its leaves now hold its peers' soft probabilities rather
# than 0s and 1s) and its accuracy rises a little. The LightGBM and logistic
# members, already better than the tree, learn its mistakes too and lose
# accuracy, and so does the cohort's average against soft voting: mutual
# distillation is a way to improve a weak light model with its peers, not
# to beat the strongest one.
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
names = results.model.unique()
position = np.arange(names.size)
for offset, variant in [(-0.2, "alone"), (0.2, "mutual")]:
    values = results[results.variant == variant].set_index("model").loc[names]
    left.bar(position + offset, values.accuracy, width=0.4, label=variant)
left.set_xticks(position, ["LightGBM", "logistic", "tree", "average / voting"])
left.set_ylim(0.5, 1.0)
left.set_ylabel("held-out accuracy")
left.legend()
for name, group in history.groupby("member", sort=False):
    right.plot(group["round"], group["log_loss"], marker="o", label=name)
right.set_xticks(sorted(history["round"].unique()))
right.set_xlabel("round")
right.set_ylabel("out-of-fold log-loss")
right.set_yscale("log")
right.legend()
fig.tight_layout()
plt.show()
