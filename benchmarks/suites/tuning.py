"""Tuning temperature and alpha without refitting the teacher.

A grid of 4 temperatures x 3 alphas, searched by 5-fold cross-validation on
a 20,000 x 20, 10-class ``make_classification`` problem, with a 300-tree
``LGBMClassifier`` teacher and a ``SoftLogisticRegression`` student, three
ways:

- ``GridSearchCV`` over ``DistilledClassifier``: every candidate of every
  fold refits the teacher (12 x 5 + 1 refit = 61 teacher fits);
- the same ``GridSearchCV`` over ``DistilledClassifier(memory=...)``: the
  teacher's fit and outputs are cached (in a fresh directory, so the first
  candidate of each fold pays for the fit and for writing the cache);
- ``DistilledClassifierCV``: the teacher is fit once per fold and its outputs
  reused by every candidate, then once on all rows for the refit.

Teacher fits are counted by a wrapper around the LightGBM teacher that
increments a counter in its ``fit`` (a cache hit does not call it). All three
run in this process with ``n_jobs=1``, one after the other (BLAS on one
thread: the student's matrices are small; LightGBM keeps its threads); the
wall time includes the refit on all rows. The searches use the same folds
(``StratifiedKFold(5)``) and accuracy, so their scores should agree exactly.
"""

from __future__ import annotations

import tempfile

import numpy as np
from _common import machine_threads, markdown_table, plural, target_row, timed
from lightgbm import LGBMClassifier
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV
from threadpoolctl import threadpool_limits

from skdistill import DistilledClassifier, DistilledClassifierCV, SoftLogisticRegression

TITLE = "Tuning temperature and alpha: DistilledClassifierCV and memory="

N_SAMPLES, N_FEATURES, N_CLASSES, N_TREES, N_FOLDS = 20_000, 20, 10, 300, 5
QUICK = dict(n_samples=1_000, n_trees=20)
TEMPERATURES = [1.0, 2.0, 4.0, 8.0]
ALPHAS = [0.0, 0.25, 0.5]
MIN_CV_SPEEDUP = 5.0
MIN_MEMORY_SPEEDUP = 3.0

PLAIN = "GridSearchCV(DistilledClassifier)"
CACHED = "GridSearchCV(DistilledClassifier(memory=...))"
SEARCH = "DistilledClassifierCV"


class CountingTeacher(ClassifierMixin, BaseEstimator):
    """A teacher that counts its fits, delegating everything to ``estimator``."""

    n_fits = 0

    def __init__(self, estimator=None):
        self.estimator = estimator

    def fit(self, X, y, sample_weight=None):
        type(self).n_fits += 1
        self.estimator_ = clone(self.estimator).fit(X, y, sample_weight=sample_weight)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X):
        return self.estimator_.predict_proba(X)

    def predict(self, X):
        return self.estimator_.predict(X)


def make_problem(n_samples: int, seed: int):
    return make_classification(
        n_samples=n_samples,
        n_features=N_FEATURES,
        n_informative=12,
        n_redundant=4,
        n_classes=N_CLASSES,
        n_clusters_per_class=2,
        random_state=seed,
    )


def run_search(name: str, X, y, teacher, student, cache_dir: str):
    """Fit one of the three searches; its teacher fits, time, choice and scores."""
    grid = {"temperature": TEMPERATURES, "alpha": ALPHAS}
    if name == SEARCH:
        search = DistilledClassifierCV(
            teacher,
            student,
            temperatures=TEMPERATURES,
            alphas=ALPHAS,
            cv=N_FOLDS,
            n_jobs=1,
        )
    else:
        memory = cache_dir if name == CACHED else None
        search = GridSearchCV(
            DistilledClassifier(teacher, student, memory=memory),
            grid,
            cv=N_FOLDS,
            n_jobs=1,
        )
    CountingTeacher.n_fits = 0
    _, seconds = timed(search.fit, X, y)
    best = search.best_params_
    return {
        "method": name,
        "teacher fits": CountingTeacher.n_fits,
        "time (s)": seconds,
        "selected (T, alpha)": f"({best['temperature']:g}, {best['alpha']:g})",
        "best score": float(search.best_score_),
        "_best": (best["temperature"], best["alpha"]),
        "_scores": np.asarray(search.cv_results_["mean_test_score"]),
    }


def run(ctx) -> str:
    n_samples = QUICK["n_samples"] if ctx.quick else N_SAMPLES
    n_trees = QUICK["n_trees"] if ctx.quick else N_TREES
    X, y = make_problem(n_samples, ctx.seed)
    lgbm = LGBMClassifier(n_estimators=n_trees, verbose=-1, random_state=ctx.seed)
    if ctx.quick:  # tiny fits: a second OpenMP thread only spin-waits
        lgbm.set_params(n_jobs=1)
    teacher = CountingTeacher(lgbm)
    student = SoftLogisticRegression()
    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="skdistill-tuning-") as cache_dir,
        threadpool_limits(limits=1, user_api="blas"),
    ):
        for name in (PLAIN, CACHED, SEARCH):
            ctx.log(f"fitting {name}")
            rows.append(run_search(name, X, y, teacher, student, cache_dir))
            ctx.log(
                f"{name}: {rows[-1]['teacher fits']} teacher fits, "
                f"{rows[-1]['time (s)']:.1f} s"
            )
    plain, cached, search = rows
    for row in rows:
        row["speed-up"] = f"{plain['time (s)'] / row['time (s)']:.1f}x"

    n_candidates = len(TEMPERATURES) * len(ALPHAS)
    scores = plain["_scores"]
    best = scores.max()
    tied = int(np.sum(np.isclose(scores, best, rtol=0, atol=1e-12)))
    same_choice = search["_best"] == plain["_best"] == cached["_best"]
    score_gap = max(
        float(np.max(np.abs(row["_scores"] - scores))) for row in (cached, search)
    )
    expected_fits = N_FOLDS + 1
    targets = [
        {
            "measure": f"{SEARCH} teacher fits (counted)",
            "value": str(search["teacher fits"]),
            "target": f"= {expected_fits} ({N_FOLDS} folds + refit)",
            "result": "PASS" if search["teacher fits"] == expected_fits else "**FAIL**",
        },
        target_row(
            f"{SEARCH} speed-up over {PLAIN}",
            plain["time (s)"] / search["time (s)"],
            at_least=MIN_CV_SPEEDUP,
        ),
        target_row(
            f"{CACHED} speed-up over {PLAIN}",
            plain["time (s)"] / cached["time (s)"],
            at_least=MIN_MEMORY_SPEEDUP,
        ),
        {
            "measure": "same (T, alpha) selected by the three",
            "value": f"{search['selected (T, alpha)']}, "
            f"{plural(tied, 'candidate')} at the best score",
            "target": "same when not tied",
            "result": "PASS" if same_choice or tied > 1 else "**FAIL**",
        },
    ]
    header = (
        f"{n_samples:,} x {N_FEATURES}, {N_CLASSES} classes; teacher "
        f"LGBMClassifier({n_trees} trees, n_jobs={lgbm.n_jobs}), student "
        f"SoftLogisticRegression(); {n_candidates} candidates x {N_FOLDS} folds; "
        "searches with n_jobs=1 and BLAS limited to one thread (environment: "
        f"{machine_threads()})."
    )
    if ctx.quick:
        header += " Quick mode: too small for the timings to mean anything."
    columns = [
        "method",
        "teacher fits",
        "time (s)",
        "speed-up",
        "selected (T, alpha)",
        "best score",
    ]
    return "\n\n".join(
        [
            __doc__.split("\n", 1)[1].strip(),
            header,
            markdown_table(rows, columns),
            f"Largest difference between the three searches' mean test scores, "
            f"over the {n_candidates} candidates: {score_gap:.2g}.",
            "## Targets",
            markdown_table(targets, ["measure", "value", "target", "result"]),
        ]
    )
