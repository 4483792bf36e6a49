"""Pieces shared by the benchmark suites: data, splits, models, timing, tables.

The suites that compare students (``students``, ``transfer``, ``regressor``,
``proba_output``) share one loop, :func:`compare_students`: for each split of
each dataset, a LightGBM teacher, then every student trained on the labels
alone (its hard-label twin) and distilled under each setting to compare.
The timing suites (``soft_logistic``, ``augment``) share
:func:`interleaved_timings`, :func:`peak_memory` and :func:`target_row`.
"""

from __future__ import annotations

import os
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import _data
import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import clone, is_classifier
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.datasets import make_classification, make_friedman1
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, log_loss, mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils._available_if import available_if
from threadpoolctl import threadpool_limits

N_TREES = 300  # the LightGBM teacher of every suite
QUICK_TREES = 20  # ... and in quick mode
TEST_SIZE = 0.3
# What compare_students does to threads, for the pages that use it.
ONE_BLAS_THREAD = (
    "BLAS is limited to one thread while the students are compared (LightGBM "
    "keeps its own n_jobs): on problems this small a second BLAS thread costs "
    "more than it saves, and on a busy machine it makes some fits many times "
    "slower."
)

# ---------------------------------------------------------------- models


def numeric_preprocessor():
    """One-hot categorical columns, impute and scale numeric ones."""
    return make_column_transformer(
        (
            make_pipeline(
                SimpleImputer(strategy="most_frequent"),
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            ),
            make_column_selector(dtype_include="category"),
        ),
        (
            make_pipeline(SimpleImputer(), StandardScaler()),
            make_column_selector(dtype_exclude="category"),
        ),
        verbose_feature_names_out=False,
    )


def lgbm_teacher(n_estimators: int = N_TREES, random_state: int = 0):
    """The benchmarks' LightGBM classifier teacher (learning rate 0.05)."""
    return LGBMClassifier(
        n_estimators=n_estimators,
        learning_rate=0.05,
        num_leaves=31,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        random_state=random_state,
        verbose=-1,
        n_jobs=2,
    )


def lgbm_regression_teacher(n_estimators: int = N_TREES, random_state: int = 0):
    """:func:`lgbm_teacher`'s parameters on an ``LGBMRegressor``."""
    params = lgbm_teacher(n_estimators, random_state).get_params()
    return LGBMRegressor(**params)


def teacher_trees(ctx) -> int:
    """Trees of the teacher: :data:`N_TREES`, or a few in quick mode."""
    return QUICK_TREES if ctx.quick else N_TREES


class CachedTeacher:
    """Benchmark-only wrapper: a teacher whose fits are memoized by data.

    Every variant of a split (in-sample, out-of-fold, augmented) fits the same
    teacher on the same rows; this returns the earlier fit instead of
    repeating it. Predictions are the wrapped model's own. Works for
    classifiers and regressors; :meth:`clear` empties the cache (once per
    split, to bound its memory).
    """

    _cache: dict = {}
    fits = 0

    def __init__(self, estimator):
        self.estimator = estimator

    def get_params(self, deep=True):
        return {"estimator": self.estimator}

    def set_params(self, **params):
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def __sklearn_tags__(self):
        from sklearn.utils import get_tags

        return get_tags(self.estimator)

    def fit(self, X, y, sample_weight=None):
        import joblib

        key = joblib.hash((X, y, sample_weight, self.estimator.get_params()))
        if key not in self._cache:
            self._cache[key] = clone(self.estimator).fit(
                X, y, sample_weight=sample_weight
            )
            CachedTeacher.fits += 1
        self.model_ = self._cache[key]
        if hasattr(self.model_, "classes_"):
            self.classes_ = self.model_.classes_
        return self

    @available_if(lambda self: hasattr(self.estimator, "predict_proba"))
    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)

    @classmethod
    def clear(cls):
        cls._cache.clear()


# ------------------------------------------------------------------ data


@dataclass
class Dataset:
    """A benchmark dataset: features, target, and its row count in full."""

    name: str
    X: pd.DataFrame
    y: np.ndarray
    n_rows: int

    @property
    def rows(self) -> str:
        """``"2,500 of 19,020"`` when subsampled, else ``"990"``."""
        if len(self.y) < self.n_rows:
            return f"{len(self.y):,} of {self.n_rows:,}"
        return f"{len(self.y):,}"


def synthetic_classification(
    name: str, n_samples: int, n_classes: int, random_state: int = 0
) -> Dataset:
    """A small mixed-type problem: 5 float columns (one with missing values)
    and a 3-level ``category`` column, as the real datasets have."""
    X, y = make_classification(
        n_samples=n_samples,
        n_features=6,
        n_informative=4,
        n_redundant=1,
        n_classes=n_classes,
        n_clusters_per_class=1,
        random_state=random_state,
    )
    frame = pd.DataFrame(X[:, :5], columns=[f"x{j}" for j in range(5)])
    rng = np.random.default_rng(random_state)
    frame.loc[rng.random(n_samples) < 0.05, "x0"] = np.nan
    codes = np.digitize(X[:, 5], np.quantile(X[:, 5], [1 / 3, 2 / 3]))
    frame["c0"] = pd.Categorical.from_codes(codes, ["a", "b", "c"])
    return Dataset(name, frame, y, n_samples)


def friedman1(n_samples: int, random_state: int = 0) -> Dataset:
    """``make_friedman1(n_samples, noise=1.0)`` as a regression dataset."""
    X, y = make_friedman1(n_samples=n_samples, noise=1.0, random_state=random_state)
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
    return Dataset("friedman1", frame, y, n_samples)


def quick_datasets(task: str) -> list[Dataset]:
    """The tiny synthetic datasets of quick mode (no shared folder needed)."""
    if task == "classification":
        return [
            synthetic_classification("synthetic-binary", 300, 2),
            synthetic_classification("synthetic-4class", 400, 4),
        ]
    return [friedman1(300)]


def require_datasets() -> None:
    """Stop with a clear message when the shared datasets are absent."""
    if not _data.available():
        raise SystemExit(
            f"datasets folder not found: {_data.DATASETS_DIR} (set "
            "SKDISTILL_DATASETS, or run with --quick on synthetic data)"
        )


def datasets(
    ctx,
    names: Iterable[str] | None = None,
    *,
    task: str = "classification",
    max_rows: int | dict[str, int] | None = None,
) -> Iterator[Dataset]:
    """The shared datasets of a suite, loaded one at a time.

    ``names`` defaults to every dataset of ``task`` in the manifest;
    ``max_rows`` (one limit, or one per name) subsamples larger ones,
    stratified for classification. In quick mode: :func:`quick_datasets`.
    """
    if ctx.quick:
        yield from quick_datasets(task)
        return
    require_datasets()
    manifest = _data.manifest()
    if names is None:
        names = [name for name, info in manifest.items() if info["task"] == task]
    for name in names:
        limit = max_rows.get(name) if isinstance(max_rows, dict) else max_rows
        X, y, info = _data.load(name, max_rows=limit)
        if task == "regression":
            y = y.astype(float)
        yield Dataset(name, X, y, info["n_rows"])


# ---------------------------------------------------------------- splits


def split_seeds(ctx, n_splits: int) -> list[int]:
    """Seeds of the repeated splits: ``n_splits`` of them, one in quick mode."""
    return list(range(ctx.seed, ctx.seed + (1 if ctx.quick else n_splits)))


@dataclass
class Split:
    """One train/test split, preprocessed by a preprocessor fit on its training
    rows (so every model gets the same numeric matrix)."""

    dataset: str
    rows: str  # the dataset's Dataset.rows
    seed: int
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray

    @property
    def classes(self) -> np.ndarray:
        return np.unique(self.y_train)


def splits(
    ctx, dataset: Dataset, seeds: Iterable[int], *, stratify: bool = True
) -> Iterator[Split]:
    """A ``TEST_SIZE`` held-out split per seed, logging progress after each."""
    for seed in seeds:
        X_tr, X_te, y_tr, y_te = train_test_split(
            dataset.X,
            dataset.y,
            test_size=TEST_SIZE,
            stratify=dataset.y if stratify else None,
            random_state=seed,
        )
        prep = numeric_preprocessor().fit(X_tr)
        yield Split(
            dataset.name,
            dataset.rows,
            seed,
            prep.transform(X_tr),
            prep.transform(X_te),
            y_tr,
            y_te,
        )
        ctx.log(f"{dataset.name} ({dataset.rows} rows) split {seed} done")


# ---------------------------------------------------------------- scores


def classification_scores(model, split: Split) -> dict[str, float]:
    """Held-out accuracy and log-loss."""
    return {
        "acc": accuracy_score(split.y_test, model.predict(split.X_test)),
        "logloss": log_loss(
            split.y_test, model.predict_proba(split.X_test), labels=split.classes
        ),
    }


def regression_scores(model, split: Split) -> dict[str, float]:
    """Held-out RMSE and R²."""
    pred = model.predict(split.X_test)
    return {
        "rmse": float(np.sqrt(mean_squared_error(split.y_test, pred))),
        "r2": r2_score(split.y_test, pred),
    }


# ------------------------------------------------- the student comparison


def compare_students(
    ctx,
    data: Iterable[Dataset],
    seeds: Iterable[int],
    *,
    teacher: Callable[[int], Any],
    distiller: type,
    students: dict[str, Any],
    variants: dict[str, dict],
    scores: Callable[[Any, Split], dict],
    stratify: bool = True,
) -> pd.DataFrame:
    """Teacher, hard-label twin and distilled variants of each student.

    For every split of every dataset, ``teacher(seed)`` is fit once; then each
    student of ``students`` (name -> estimator, or name -> (student, its
    hard-label twin) when they differ) is fit on the labels alone (variant
    ``"hard"``) and through ``distiller(teacher, student, random_state=seed,
    **params)`` for each ``params`` of ``variants``. When no variant refits
    the teacher, it is frozen (``FrozenEstimator``); when one does (``teacher_cv``),
    its fits are memoized per split (:class:`CachedTeacher`) and the fold
    teachers fit before any student, so that no student's fit time includes
    a teacher fit (it does include the teacher's predictions). BLAS runs on
    one thread (see :data:`ONE_BLAS_THREAD`); LightGBM keeps its own
    ``n_jobs``. Returns one
    row per model: dataset, rows (as :attr:`Dataset.rows`), seed, student
    (``"-"`` for the teacher), variant, ``scores(model, split)`` and
    ``fit_s``.
    """
    seeds = list(seeds)
    rows = []
    with threadpool_limits(limits=1, user_api="blas"):
        for dataset in data:
            for split in splits(ctx, dataset, seeds, stratify=stratify):
                rows += _compare_on_split(
                    split, teacher(split.seed), distiller, students, variants, scores
                )
    CachedTeacher.clear()
    return pd.DataFrame(rows)


def _compare_on_split(split, teacher, distiller, students, variants, scores):
    """The rows of :func:`compare_students` for one split."""
    X, y = split.X_train, split.y_train
    refits = {
        p["teacher_cv"] for p in variants.values() if p.get("teacher_cv") is not None
    }
    if refits:
        CachedTeacher.clear()
        fitted = CachedTeacher(teacher).fit(X, y)
        distilled_from = CachedTeacher(teacher)
        for cv in refits:  # the fold teachers, before any timed fit
            distiller(distilled_from, _stump(distiller), teacher_cv=cv).fit(X, y)
    else:
        fitted = clone(teacher).fit(X, y)
        distilled_from = FrozenEstimator(fitted)

    def row(student, variant, model, fit_s):
        return dict(
            dataset=split.dataset,
            rows=split.rows,
            seed=split.seed,
            student=student,
            variant=variant,
            **scores(model, split),
            fit_s=fit_s,
        )

    rows = [row("-", "teacher", fitted, np.nan)]
    for name, (student, twin) in _pairs(students).items():
        model, seconds = timed(clone(twin).fit, X, y)
        rows.append(row(name, "hard", model, seconds))
        for variant, params in variants.items():
            model = distiller(
                distilled_from, clone(student), random_state=split.seed, **params
            )
            model, seconds = timed(model.fit, X, y)
            rows.append(row(name, variant, model, seconds))
    return rows


def _stump(distiller: type):
    """The cheapest student, to fit the fold teachers before the timed fits."""
    if is_classifier(distiller()):
        return DecisionTreeClassifier(max_depth=1)
    return DecisionTreeRegressor(max_depth=1)


def _pairs(students: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {name: s if isinstance(s, tuple) else (s, s) for name, s in students.items()}


def gap_closed(teacher: float, hard: float, distilled: float) -> float:
    """(distilled - hard) / (teacher - hard); NaN when the teacher is no better."""
    gap = teacher - hard
    return (distilled - hard) / gap if gap > 1e-9 else np.nan


def per_student(
    df: pd.DataFrame, variants: Iterable[str]
) -> Iterator[tuple[str, str, pd.DataFrame, dict[str, pd.DataFrame]]]:
    """``compare_students``' rows, student by student within each dataset.

    Yields ``(dataset, student, teacher_rows, rows_by_variant)``, the
    datasets and students in the order they were compared, for the suites'
    per-dataset tables.
    """
    variants = list(variants)
    for dataset, g in df.groupby("dataset", sort=False):
        t = g[g.variant == "teacher"]
        for student, s in g[g.variant != "teacher"].groupby("student", sort=False):
            yield dataset, student, t, {v: s[s.variant == v] for v in variants}


def wins_table(
    df: pd.DataFrame,
    students: Iterable[str],
    variants: Iterable[str],
    *,
    better: dict[str, str],
    ratio: str,
) -> str:
    """How often each variant beats the hard-label student, over datasets.

    ``better`` maps a score column to ``"higher"`` or ``"lower"``; the last
    column is the median over datasets of ``ratio`` (distilled / hard).
    Scores are first averaged over the splits.
    """
    mean = df.groupby(["dataset", "student", "variant"])[list(better)].mean()
    names = {"acc": "accuracy", "logloss": "log-loss", "r2": "R²", "rmse": "RMSE"}
    header = ["student", "variant"]
    header += [f"{names.get(c, c)} better" for c in better]
    header += [f"median {names.get(ratio, ratio)} ratio"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    datasets = df.dataset.unique()
    for student in students:
        for variant in variants:
            counts = dict.fromkeys(better, 0)
            ratios = []
            for dataset in datasets:
                hard = mean.loc[(dataset, student, "hard")]
                dist = mean.loc[(dataset, student, variant)]
                for col, direction in better.items():
                    if direction == "higher":
                        counts[col] += bool(dist[col] > hard[col])
                    else:
                        counts[col] += bool(dist[col] < hard[col])
                ratios.append(dist[ratio] / hard[ratio])
            cells = [student, variant]
            cells += [f"{counts[c]}/{len(datasets)}" for c in better]
            cells.append(f"{np.median(ratios):.3f}")
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- timing


def timed(function: Callable, *args, **kwargs) -> tuple[Any, float]:
    """``function(*args, **kwargs)``'s result and its wall time in seconds."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def interleaved_timings(
    setups: dict[Any, Callable[[], Any]], n_runs: int
) -> tuple[dict[Any, list[float]], dict[Any, Any]]:
    """Wall times of ``n_runs`` runs of each setup, and each one's last result.

    Runs are interleaved (every setup once, then again) so that a change in
    machine load hits every setup.
    """
    times = {key: [] for key in setups}
    results = {}
    for _ in range(n_runs):
        for key, run in setups.items():
            results[key], seconds = timed(run)
            times[key].append(seconds)
    return times, results


def median_and_runs(times: list[float]) -> dict[str, Any]:
    """The ``time (s)`` (median) and ``runs (s)`` cells of a timing table."""
    return {
        "time (s)": statistics.median(times),
        "runs (s)": " / ".join(f"{t:.2f}" for t in times),
    }


def peak_memory(run: Callable[[], Any]) -> tuple[int, Any]:
    """The tracemalloc peak (bytes) of one call of ``run``, and its result.

    tracemalloc sees the allocations of Python, numpy, pandas and
    scikit-learn, not those of native libraries' own allocators.
    """
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


def machine_threads() -> str:
    """CPU count and the thread pools (BLAS, OpenMP) as the environment sets them."""
    from threadpoolctl import threadpool_info

    pools = ", ".join(
        f"{info['internal_api']} {info['num_threads']} threads"
        for info in threadpool_info()
    )
    return f"{os.cpu_count()} CPUs, {pools}"


def target_row(
    measure: str,
    value: float,
    *,
    at_least: float | None = None,
    at_most: float | None = None,
    unit: str = "x",
    digits: int = 2,
) -> dict[str, str]:
    """A row of a targets table: the measure, its value, the target, PASS/FAIL."""
    if (at_least is None) == (at_most is None):
        raise ValueError("give exactly one of at_least and at_most")
    bound = at_least if at_least is not None else at_most
    ok = value >= bound if at_least is not None else value <= bound
    return {
        "measure": measure,
        "value": f"{value:.{digits}f}{unit}",
        "target": f"{'≥' if at_least is not None else '≤'} {bound:g}{unit}",
        "result": "PASS" if ok else "**FAIL**",
    }


# ---------------------------------------------------------------- tables


def markdown_table(rows: list[dict], columns: list[str]) -> str:
    """Render rows (dicts) as a GitHub markdown table."""

    def fmt(v):
        if isinstance(v, float):
            return f"{v:.4f}" if abs(v) < 1000 else f"{v:.0f}"
        return str(v)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(fmt(r[c]) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def mean_std(values, fmt: str = ".4f", std_fmt: str | None = None) -> str:
    """``"mean ± std"`` (population std, over the splits)."""
    values = np.asarray(values, dtype=float)
    return f"{values.mean():{fmt}} ± {values.std():{std_fmt or fmt}}"


def plural(n: int, noun: str) -> str:
    """``"1 split"``, ``"3 splits"``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def rows_note(data: Iterable[Dataset]) -> str:
    """The datasets and the rows used of each, for a page's setup text."""
    return ", ".join(f"{d.name} ({d.rows} rows)" for d in data)


def intro(doc: str) -> str:
    """A suite's module docstring without its title line: the page's intro."""
    return doc.split("\n", 1)[1].strip()
