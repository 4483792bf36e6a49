"""
Distil a LightGBM ensemble into a logistic regression
=====================================================

The main job of skdistill on an embedded dataset (scikit-learn's handwritten
digits, shipped with scikit-learn, no download): fit a heavy LightGBM teacher,
distil it into a light logistic-regression student, and compare the teacher,
the same student trained on the labels alone, and the distilled student on
held-out data.
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

from skdistill import DistilledClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)

# %%
# The teacher, the hard-label student and the distilled student.
teacher = LGBMClassifier(
    n_estimators=300, learning_rate=0.05, verbose=-1, random_state=0
)
student = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=2000))
distilled = DistilledClassifier(teacher, student, temperature=4.0, alpha=0.3)

models = {
    "teacher (LightGBM, 300 trees)": clone(teacher),
    "student on labels alone": clone(student),
    "distilled student": distilled,
}
for name, model in models.items():
    start = time.perf_counter()
    model.fit(X_train, y_train)
    print(f"fitted {name} in {time.perf_counter() - start:.1f} s")

# %%
# Held-out accuracy, log-loss, agreement with the teacher, and size.
teacher_pred = distilled.teacher_.predict(X_test)
print(f"\n{'model':<32}{'accuracy':>10}{'log-loss':>10}{'fidelity':>10}{'KiB':>10}")
for name, model in models.items():
    # The distilled model ships only its student.
    shipped = model.student_ if model is distilled else model
    proba = model.predict_proba(X_test)
    pred = model.predict(X_test)
    kib = len(pickle.dumps(shipped)) / 1024
    print(
        f"{name:<32}{accuracy_score(y_test, pred):>10.4f}"
        f"{log_loss(y_test, proba):>10.4f}"
        f"{np.mean(pred == teacher_pred):>10.4f}{kib:>10.1f}"
    )
print(
    f"\nstrategy used: {distilled.fit_strategy_}; "
    f"training fidelity: {distilled.training_fidelity_:.4f}"
)
