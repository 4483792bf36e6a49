"""
Distil a LightGBM ensemble into light students
==============================================

The main job of skdistill on an embedded dataset (scikit-learn's handwritten
digits, shipped with scikit-learn, no download): fit a heavy LightGBM teacher,
distil it into two light students (a logistic regression and a depth-6
tree), and compare, on held-out data, the teacher, each student trained on
the labels alone, and each distilled student.
"""

# %%
# Data: 1,797 8x8 images of digits, 10 classes.
import pickle
import time

import numpy as np
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)

# %%
# The teacher, and for each student its hard-label twin and its distilled
# version at the distillers' defaults: the depth-6 tree takes its splits
# from the teacher's logits and its leaves from the soft targets (the
# ``"logit_tree"`` strategy, chosen for a tree with three classes or more),
# the logistic regression learns the soft targets by row weights.
teacher = LGBMClassifier(
    n_estimators=150, learning_rate=0.1, n_jobs=1, verbose=-1, random_state=0
)
students = {
    "logistic regression": make_pipeline(
        StandardScaler(), LogisticRegression(C=0.05, max_iter=2000)
    ),
    "depth-6 tree": DecisionTreeClassifier(max_depth=6, random_state=0),
}
models = {"teacher (LightGBM, 150 trees)": clone(teacher)}
for name, student in students.items():
    models[f"{name}, labels alone"] = clone(student)
    models[f"{name}, distilled"] = DistilledClassifier(teacher, student)

for name, model in models.items():
    start = time.perf_counter()
    model.fit(X_train, y_train)
    print(f"fitted {name} in {time.perf_counter() - start:.1f} s")

# %%
# Held-out accuracy, log-loss, agreement with the teacher, and shipped size.
teacher_pred = models["teacher (LightGBM, 150 trees)"].predict(X_test)
print(f"\n{'model':<36}{'accuracy':>10}{'log-loss':>10}{'fidelity':>10}{'KiB':>10}")
for name, model in models.items():
    # A distilled model ships only its student.
    shipped = getattr(model, "student_", model)
    pred = model.predict(X_test)
    print(
        f"{name:<36}{accuracy_score(y_test, pred):>10.4f}"
        f"{log_loss(y_test, model.predict_proba(X_test)):>10.4f}"
        f"{np.mean(pred == teacher_pred):>10.4f}"
        f"{len(pickle.dumps(shipped)) / 1024:>10.1f}"
    )
