"""
Choose temperature and alpha with GridSearchCV
==============================================

:class:`~skdistill.DistilledClassifier` is an ordinary scikit-learn
estimator, so its ``temperature`` and ``alpha`` are tuned like any other
hyper-parameters. This example searches a grid of both for a depth-4 tree
student on scikit-learn's embedded breast-cancer dataset (no download),
scoring each candidate by its cross-validated log-loss and by its fidelity to
the teacher, then shows faster searches: with the teacher's fits cached
(``memory=``), with :class:`~skdistill.DistilledClassifierCV`, and with a
prefit, frozen teacher.
"""

# %%
# A search over both parameters
# -----------------------------
# Every candidate refits the teacher on each training fold, so the scores
# are honest: no validation row was seen by the teacher that produced the
# soft targets. ``make_fidelity_scorer`` adds the share of validation rows on
# which the student agrees with its teacher; ``refit`` picks the candidate by
# log-loss, which rewards calibrated probabilities.
import time
from tempfile import TemporaryDirectory

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.datasets import load_breast_cancer
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier, DistilledClassifierCV
from skdistill.metrics import make_fidelity_scorer
from skdistill.plotting import TemperatureCurveDisplay

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.4, stratify=y, random_state=0
)

teacher = LGBMClassifier(
    n_estimators=100, learning_rate=0.1, n_jobs=1, verbose=-1, random_state=0
)
model = DistilledClassifier(
    teacher, DecisionTreeClassifier(max_depth=4, random_state=0)
)
param_grid = {"temperature": [1.0, 2.0, 4.0, 8.0], "alpha": [0.0, 0.5, 1.0]}
scoring = {"log_loss": "neg_log_loss", "fidelity": make_fidelity_scorer()}

start = time.perf_counter()
search = GridSearchCV(model, param_grid, scoring=scoring, refit="log_loss", cv=3).fit(
    X_train, y_train
)
print(
    f"{len(search.cv_results_['params'])} candidates x 3 folds "
    f"in {time.perf_counter() - start:.1f} s"
)
print("best:", search.best_params_)
print(
    f"held-out log-loss of the best student: "
    f"{log_loss(y_test, search.predict_proba(X_test)):.3f}"
)

# %%
# The whole grid
# --------------
# Mean validation log-loss per (alpha, temperature). With ``alpha=1`` the
# student ignores the teacher, so the temperature changes nothing in that
# row: it is the hard-label baseline every other cell is compared with.
results = pd.DataFrame(search.cv_results_)
table = results.pivot(
    index="param_alpha", columns="param_temperature", values="mean_test_log_loss"
)
print((-table).round(3))

# %%
# :class:`~skdistill.plotting.TemperatureCurveDisplay` draws the search: one
# solid line per alpha for the validation score (minus the log-loss, higher
# is better) against the temperature, and a dashed line of the same colour
# for the fidelity (read from the ``"fidelity"`` scorer).
fig, ax = plt.subplots(figsize=(7, 4))
TemperatureCurveDisplay.from_cv_results(search.cv_results_, metric="log_loss", ax=ax)
fig.tight_layout()

# %%
# Fidelity measures something else: how often the student predicts the
# teacher's class. It need not peak where the log-loss does.
print(
    results.pivot(
        index="param_alpha", columns="param_temperature", values="mean_test_fidelity"
    ).round(3)
)

# %%
# The same search, fitting the teacher once per fold
# ---------------------------------------------------
# ``temperature`` and ``alpha`` do not change the teacher, yet the search
# above refits it for every candidate. With ``memory=`` (a cache directory,
# as in :class:`~sklearn.pipeline.Pipeline`), the teacher's fit and outputs
# are cached under a key of everything they depend on, so the search fits it
# once per fold and gives exactly the same scores.
with TemporaryDirectory() as cache:
    start = time.perf_counter()
    cached_search = GridSearchCV(
        DistilledClassifier(
            teacher, DecisionTreeClassifier(max_depth=4, random_state=0), memory=cache
        ),
        param_grid,
        scoring=scoring,
        refit="log_loss",
        cv=3,
    ).fit(X_train, y_train)
    print(
        f"with memory=: {time.perf_counter() - start:.1f} s, "
        f"best {cached_search.best_params_}"
    )
print(
    "same scores:",
    np.allclose(
        cached_search.cv_results_["mean_test_log_loss"],
        search.cv_results_["mean_test_log_loss"],
    ),
)

# %%
# The search as one estimator: DistilledClassifierCV
# --------------------------------------------------
# :class:`~skdistill.DistilledClassifierCV` runs the same search inside
# ``fit``, fitting the teacher once per fold and every student of the grid on
# the same teacher outputs, then refits the best setting on all rows: its
# ``best_estimator_`` is the distilled classifier at that setting, which
# predicts (``student_``, ``predict_proba``, ...), with ``cv_results_`` as
# ``GridSearchCV`` has them.
# It takes one scorer.
start = time.perf_counter()
model_cv = DistilledClassifierCV(
    teacher,
    DecisionTreeClassifier(max_depth=4, random_state=0),
    temperatures=param_grid["temperature"],
    alphas=param_grid["alpha"],
    scoring="neg_log_loss",
    cv=3,
).fit(X_train, y_train)
print(
    f"DistilledClassifierCV: {time.perf_counter() - start:.1f} s, "
    f"temperature_={model_cv.temperature_}, alpha_={model_cv.alpha_}"
)
print(f"held-out log-loss: {log_loss(y_test, model_cv.predict_proba(X_test)):.3f}")

# %%
# A faster search with a frozen teacher
# -------------------------------------
# A teacher fitted once and wrapped in :class:`~sklearn.frozen.FrozenEstimator`
# is used as is and never refit, so the search only fits students. The price:
# the frozen teacher was trained on every training row, validation folds
# included, so the scores are somewhat optimistic; use it to explore large
# grids on big data, and confirm the choice on held-out rows.
frozen = FrozenEstimator(teacher.fit(X_train, y_train))
start = time.perf_counter()
fast_search = GridSearchCV(
    DistilledClassifier(frozen, DecisionTreeClassifier(max_depth=4, random_state=0)),
    param_grid,
    scoring="neg_log_loss",
    cv=3,
).fit(X_train, y_train)
print(
    f"frozen teacher: {time.perf_counter() - start:.1f} s, "
    f"best {fast_search.best_params_}"
)
print(
    f"held-out log-loss of its best student: "
    f"{log_loss(y_test, fast_search.predict_proba(X_test)):.3f}"
)
