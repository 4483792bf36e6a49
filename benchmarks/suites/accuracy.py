"""Distilled students against their hard-label twins, at the defaults.

The evidence for issue 12, "distilled students beat their hard-label twins
by default". For every classification and regression dataset of
../shared/datasets, over repeated 70/30 splits: a LightGBM teacher and
three light students. Each student is fit on the labels alone (its
*hard-label twin*) and distilled by ``DistilledClassifier(teacher=...,
student=...)`` / ``DistilledRegressor(teacher=..., student=...)``, built
with the teacher and the student and **no other argument**: the distillers'
default route, temperature and alpha are what is measured. Next to them the
searches ``DistilledClassifierCV(teacher=..., student=...)`` /
``DistilledRegressorCV(teacher=..., student=...)`` with their default
candidates (and, when they take one, the split's seed as
``random_state``). Held-out accuracy and log-loss (R² and RMSE for
regression) of the teacher, the twin, the distilled student and the
search; then the cost of a default fit against fitting the teacher and the
hard-label student.

Students, for classification / regression:

- ``tree``: ``DecisionTreeClassifier`` / ``DecisionTreeRegressor``
  (``max_depth=6``);
- ``lgbm16``: ``LGBMClassifier`` / ``LGBMRegressor`` (16 trees of 8
  leaves, learning rate 0.3);
- ``logistic``: ``LogisticRegression(max_iter=1000)`` / ``ridge``:
  ``Ridge()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from _common import (
    ONE_BLAS_THREAD,
    CachedTeacher,
    Split,
    classification_scores,
    datasets,
    intro,
    lgbm_regression_teacher,
    lgbm_teacher,
    markdown_table,
    peak_memory,
    plural,
    regression_scores,
    split_seeds,
    splits,
    teacher_trees,
    timed,
)
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from threadpoolctl import threadpool_limits

from skdistill import (
    DistilledClassifier,
    DistilledClassifierCV,
    DistilledRegressor,
    DistilledRegressorCV,
)

TITLE = "Accuracy at the defaults: distilled students vs their hard-label twins"

MAX_ROWS = 20_000  # larger datasets are subsampled (stratified) to this many rows
N_SPLITS = 3
# The CV searches (20 candidates x 5 folds for a classifier) run on the first
# SEARCH_SPLITS splits of each dataset only, to keep the suite within its
# time budget (about an hour on 2 cores); N_SPLITS measures them everywhere.
SEARCH_SPLITS = 1

# The targets of issue 12. Differences of accuracy and R² are in points (x100).
TIE = 0.1  # |Δ| below this many points is a tie
MIN_WIN_SHARE = 0.8  # targets 1 and 3: share of datasets
MIN_MEAN_GAIN = {"tree": 0.5, "lgbm16": 0.5, "logistic": 0.0, "ridge": 0.0}
MIN_TEACHER_LEAD = 1.0  # target 4: datasets where the teacher leads by this much
MIN_GAP_CLOSED = 0.3
MIN_SEARCH_SHARE = 0.9  # target 5
MAX_SEARCH_LOSS = 0.5  # ... never below the twin by more points than this
MAX_COST = 3.0  # target 6: default fit / (teacher fit + hard student fit)

TASKS = ("classification", "regression")


def _lgbm16(cls, n_jobs: int):
    return cls(
        n_estimators=16,
        num_leaves=8,
        learning_rate=0.3,
        n_jobs=n_jobs,
        verbose=-1,
        random_state=0,
    )


def lgbm_jobs(ctx) -> int:
    """LightGBM's threads: 2, or 1 in quick mode, whose fits are so small that
    a second OpenMP thread only spin-waits (and, on a busy machine, makes a
    search of tiny fits many times slower)."""
    return 1 if ctx.quick else 2


@dataclass(frozen=True)
class Task:
    """What differs between classification and regression."""

    distiller: type
    search: type
    teacher: Callable[..., Any]  # (n_estimators, random_state) -> estimator
    students: Callable[[int], dict[str, Any]]  # n_jobs -> name: student
    scores: Callable[[Any, Split], dict[str, float]]
    quality: str  # the score column, higher is better (compared in points)
    loss: str  # the loss column, lower is better
    quality_name: str
    loss_name: str
    stratify: bool


TASK = {
    "classification": Task(
        distiller=DistilledClassifier,
        search=DistilledClassifierCV,
        teacher=lgbm_teacher,
        students=lambda n_jobs: {
            "tree": DecisionTreeClassifier(max_depth=6, random_state=0),
            "lgbm16": _lgbm16(LGBMClassifier, n_jobs),
            "logistic": LogisticRegression(max_iter=1000),
        },
        scores=classification_scores,
        quality="acc",
        loss="logloss",
        quality_name="accuracy",
        loss_name="log-loss",
        stratify=True,
    ),
    "regression": Task(
        distiller=DistilledRegressor,
        search=DistilledRegressorCV,
        teacher=lgbm_regression_teacher,
        students=lambda n_jobs: {
            "tree": DecisionTreeRegressor(max_depth=6, random_state=0),
            "lgbm16": _lgbm16(LGBMRegressor, n_jobs),
            "ridge": Ridge(),
        },
        scores=regression_scores,
        quality="r2",
        loss="rmse",
        quality_name="R²",
        loss_name="RMSE",
        stratify=False,
    ),
}

# ------------------------------------------------------------- measuring


@dataclass
class Measurements:
    """What :func:`measure` returns, for this page or another one.

    ``scores``: one row per (task, dataset, split seed, student) with
    ``teacher_<score>``, ``hard_<score>``, ``distilled_<score>`` and
    ``search_<score>`` (NaN on the splits the search skipped) for each score
    of the task (``acc``/``logloss``, or ``r2``/``rmse``), the fitted
    strategies and the search's choice. ``costs``: one row per (task,
    dataset, student), measured on the first split: teacher, hard-label and
    default distilled fit times and peak memory. :func:`per_dataset` turns
    ``scores`` into the per-dataset means and differences.
    """

    scores: pd.DataFrame
    costs: pd.DataFrame
    n_splits: int
    search_splits: int
    n_trees: int
    n_jobs: int
    data_notes: dict[str, list[str]] = field(default_factory=dict)  # task -> rows


def _search_params(search: type, seed: int) -> dict[str, Any]:
    """The split's seed as ``random_state``, if the search takes one."""
    return {"random_state": seed} if "random_state" in search().get_params() else {}


def _choice(model) -> str:
    params = getattr(model, "best_params_", None)
    if not isinstance(params, dict):
        return ""
    return ", ".join(
        f"{k}={v:g}" if isinstance(v, float | int) else f"{k}={v}"
        for k, v in sorted(params.items())
    )


def _prefixed(prefix: str, scores: dict[str, float]) -> dict[str, float]:
    return {f"{prefix}_{k}": float(v) for k, v in scores.items()}


def _measure_split(
    ctx, task: str, split: Split, *, first: bool, search: bool
) -> tuple[list[dict], list[dict]]:
    """Score rows (one per student) and, on the first split, cost rows."""
    spec = TASK[task]
    n_trees, n_jobs = teacher_trees(ctx), lgbm_jobs(ctx)

    def teacher():
        model = spec.teacher(n_estimators=n_trees, random_state=split.seed)
        return model.set_params(n_jobs=n_jobs)

    # C order: the distillers pass C-ordered rows to the teacher, and the
    # cache keys on the array's layout as well as its values
    X, y = np.ascontiguousarray(split.X_train), split.y_train
    CachedTeacher.clear()
    fits_before = CachedTeacher.fits
    fitted = CachedTeacher(teacher()).fit(X, y)  # shared by the cached fits below
    teacher_scores = _prefixed("teacher", spec.scores(fitted, split))
    if first:  # the real thing, uncached, for the cost
        _, teacher_s = timed(teacher().fit, X, y)
    rows, costs = [], []
    for name, student in spec.students(n_jobs).items():
        hard, hard_s = timed(clone(student).fit, X, y)
        distilled = spec.distiller(
            teacher=CachedTeacher(teacher()), student=clone(student)
        )
        if first:
            distilled_peak, _ = peak_memory(lambda d=distilled: d.fit(X, y))
            hard_peak, _ = peak_memory(lambda s=student: clone(s).fit(X, y))
        else:
            distilled.fit(X, y)
        row = dict(
            task=task,
            dataset=split.dataset,
            rows=split.rows,
            n_train=len(y),
            seed=split.seed,
            student=name,
            strategy=getattr(distilled, "fit_strategy_", ""),
            **teacher_scores,
            **_prefixed("hard", spec.scores(hard, split)),
            **_prefixed("distilled", spec.scores(distilled, split)),
            hard_fit_s=hard_s,
        )
        if search:
            cv_model = spec.search(
                teacher=CachedTeacher(teacher()),
                student=clone(student),
                **_search_params(spec.search, split.seed),
            )
            _, row["search_fit_s"] = timed(cv_model.fit, X, y)
            row.update(_prefixed("search", spec.scores(cv_model, split)))
            row["search_strategy"] = getattr(cv_model, "fit_strategy_", "")
            row["search_choice"] = _choice(cv_model)
            ctx.log(
                f"{split.dataset} {name}: search {row['search_fit_s']:.1f} s "
                f"({row['search_choice'] or 'choice not exposed'})"
            )
        rows.append(row)
        if first:
            plain = spec.distiller(teacher=teacher(), student=clone(student))
            _, distilled_s = timed(plain.fit, X, y)
            costs.append(
                dict(
                    task=task,
                    dataset=split.dataset,
                    rows=split.rows,
                    n_train=len(y),
                    student=name,
                    strategy=getattr(plain, "fit_strategy_", ""),
                    teacher_s=teacher_s,
                    hard_s=hard_s,
                    distilled_s=distilled_s,
                    ratio=distilled_s / (teacher_s + hard_s),
                    distilled_peak_mb=distilled_peak / 2**20,
                    hard_peak_mb=hard_peak / 2**20,
                )
            )
    ctx.log(
        f"{split.dataset} split {split.seed}: "
        f"{CachedTeacher.fits - fits_before} cached teacher fits"
    )
    CachedTeacher.clear()
    return rows, costs


def measure(
    ctx,
    *,
    tasks: Iterable[str] = TASKS,
    names: dict[str, list[str]] | None = None,
) -> Measurements:
    """Teacher, twin, distilled and searched students on every split.

    ``names`` (task -> dataset names) restricts the datasets of a task;
    default: every dataset of the manifest (quick mode: the synthetic ones).
    Students and distillers run with BLAS on one thread (LightGBM keeps its
    ``n_jobs``).
    """
    seeds = split_seeds(ctx, N_SPLITS)
    n_trees = teacher_trees(ctx)
    rows, costs, notes = [], [], {}
    with threadpool_limits(limits=1, user_api="blas"):
        for task in tasks:
            chosen = None if names is None else names.get(task, [])
            notes[task] = []
            for dataset in datasets(ctx, chosen, task=task, max_rows=MAX_ROWS):
                notes[task].append(f"{dataset.name} ({dataset.rows} rows)")
                for split in splits(ctx, dataset, seeds, stratify=TASK[task].stratify):
                    r, c = _measure_split(
                        ctx,
                        task,
                        split,
                        first=split.seed == seeds[0],
                        search=split.seed in seeds[:SEARCH_SPLITS],
                    )
                    rows += r
                    costs += c
    return Measurements(
        scores=pd.DataFrame(rows),
        costs=pd.DataFrame(costs),
        n_splits=len(seeds),
        search_splits=min(SEARCH_SPLITS, len(seeds)),
        n_trees=n_trees,
        n_jobs=lgbm_jobs(ctx),
        data_notes=notes,
    )


# ----------------------------------------------------------- aggregating


def per_dataset(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per (task, dataset, student): means over the splits first.

    Columns: ``teacher``, ``hard``, ``distilled``, ``search`` (quality: the
    accuracy or R²), their losses ``*_loss``; ``d_quality`` (distilled -
    hard, in points), ``d_loss``, ``d_search`` (search - hard in points, on
    the splits the search ran), ``lead`` (teacher - hard, points) and
    ``gap_closed`` ((distilled - hard) / (teacher - hard)).
    """
    out = []
    group = ["task", "dataset", "student"]
    for (task, dataset, student), g in scores.groupby(group, sort=False):
        q, loss = TASK[task].quality, TASK[task].loss
        searched = g[g[f"search_{q}"].notna()] if f"search_{q}" in g else g.iloc[:0]
        record = dict(
            task=task,
            dataset=dataset,
            rows=g.rows.iloc[0],
            student=student,
            strategy="/".join(sorted(set(g.strategy))),
            n_splits=len(g),
            n_search_splits=len(searched),
            teacher=g[f"teacher_{q}"].mean(),
            hard=g[f"hard_{q}"].mean(),
            distilled=g[f"distilled_{q}"].mean(),
            teacher_loss=g[f"teacher_{loss}"].mean(),
            hard_loss=g[f"hard_{loss}"].mean(),
            distilled_loss=g[f"distilled_{loss}"].mean(),
            search=np.nan,
            search_loss=np.nan,
            d_search=np.nan,
            search_choice="",
        )
        record["d_quality"] = 100 * (record["distilled"] - record["hard"])
        record["d_loss"] = record["distilled_loss"] - record["hard_loss"]
        record["lead"] = 100 * (record["teacher"] - record["hard"])
        lead = record["teacher"] - record["hard"]
        gain = record["distilled"] - record["hard"]
        record["gap_closed"] = gain / lead if lead > 1e-12 else np.nan
        if len(searched):
            record["search"] = searched[f"search_{q}"].mean()
            record["search_loss"] = searched[f"search_{loss}"].mean()
            record["d_search"] = (
                100 * (searched[f"search_{q}"] - searched[f"hard_{q}"]).mean()
            )
            record["search_choice"] = "; ".join(searched.search_choice.astype(str))
        out.append(record)
    return pd.DataFrame(out)


def _share(hits: int, n: int) -> str:
    return f"{hits}/{n} datasets ({hits / n:.0%})" if n else "no dataset"


def _verdict(ok: bool | None) -> str:
    if ok is None:
        return "n/a"
    return "PASS" if ok else "**FAIL**"


def verdicts(table: pd.DataFrame, costs: pd.DataFrame) -> list[dict[str, str]]:
    """The targets of issue 12, per task and student family: PASS or FAIL."""
    out = []
    for (task, student), g in table.groupby(["task", "student"], sort=False):
        spec = TASK[task]
        q, loss, n = spec.quality_name, spec.loss_name, len(g)

        def add(target, figure, ok, task=task, student=student):
            out.append(
                dict(
                    task=task,
                    student=student,
                    target=target,
                    figure=figure,
                    verdict=_verdict(ok),
                )
            )

        wins = int((g.d_quality > -TIE).sum())
        add(
            f"{q} win-or-tie (Δ > -{TIE:g} pt) on ≥ {MIN_WIN_SHARE:.0%} of datasets",
            _share(wins, n),
            wins >= MIN_WIN_SHARE * n,
        )
        bound = MIN_MEAN_GAIN.get(student, 0.0)
        mean_gain = g.d_quality.mean()
        add(
            f"mean Δ{q} ≥ {bound:+g} pt" if bound else f"mean Δ{q} ≥ 0 pt",
            f"{mean_gain:+.2f} pt",
            mean_gain >= bound,
        )
        better = int((g.d_loss < 0).sum())
        add(
            f"{loss} lower on ≥ {MIN_WIN_SHARE:.0%} of datasets",
            _share(better, n),
            better >= MIN_WIN_SHARE * n,
        )
        led = g[g.lead >= MIN_TEACHER_LEAD]
        closed = led.gap_closed.median() if len(led) else np.nan
        add(
            f"median gap closed ≥ {MIN_GAP_CLOSED:.0%} where the teacher leads "
            f"the twin by ≥ {MIN_TEACHER_LEAD:g} pt",
            (
                f"{closed:.0%} over {len(led)}/{n} qualifying datasets"
                if len(led)
                else f"0/{n} datasets qualify"
            ),
            bool(closed >= MIN_GAP_CLOSED) if len(led) else None,
        )
        searched = g[g.d_search.notna()]
        if len(searched):
            search_wins = int((searched.d_search > -TIE).sum())
            worst = searched.d_search.min()
            add(
                f"CV search (default candidates) win-or-tie on ≥ "
                f"{MIN_SEARCH_SHARE:.0%} of datasets, never below the twin by "
                f"more than {MAX_SEARCH_LOSS:g} pt",
                f"{_share(search_wins, len(searched))}, worst {worst:+.2f} pt",
                search_wins >= MIN_SEARCH_SHARE * len(searched)
                and worst >= -MAX_SEARCH_LOSS,
            )
        else:
            add("CV search (default candidates)", "not run (SEARCH_SPLITS = 0)", None)
        if task == "classification":
            c = costs[(costs.task == task) & (costs.student == student)]
            if len(c):
                largest = c[c.n_train == c.n_train.max()]
                worst_row = largest.loc[largest.ratio.idxmax()]
                add(
                    f"default fit time ≤ {MAX_COST:g}x (teacher fit + hard "
                    "student fit) at the largest size",
                    f"{worst_row.ratio:.2f}x ({worst_row.dataset}, "
                    f"{worst_row.n_train:,} training rows)",
                    worst_row.ratio <= MAX_COST,
                )
    return out


# ------------------------------------------------------------- the page


def _scores_table(table: pd.DataFrame, task: str) -> str:
    spec = TASK[task]
    q, loss = spec.quality_name, spec.loss_name
    fmt_loss = "{:.4f}" if task == "classification" else "{:.4g}"
    header = [
        "dataset",
        "rows",
        "student",
        "strategy",
        f"teacher {q}",
        f"twin {q}",
        f"distilled {q}",
        "Δ (pt)",
        f"CV search {q}",
        "Δ (pt)",
        f"twin {loss}",
        f"distilled {loss}",
        f"Δ {loss}",
        f"CV search {loss}",
        "gap closed",
        "search's choice",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in table[table.task == task].itertuples():
        searched = not np.isnan(r.search)
        cells = [
            r.dataset,
            r.rows,
            r.student,
            r.strategy,
            f"{r.teacher:.4f}",
            f"{r.hard:.4f}",
            f"{r.distilled:.4f}",
            f"{r.d_quality:+.2f}",
            f"{r.search:.4f}" if searched else "-",
            f"{r.d_search:+.2f}" if searched else "-",
            fmt_loss.format(r.hard_loss),
            fmt_loss.format(r.distilled_loss),
            ("{:+.4f}" if task == "classification" else "{:+.3g}").format(r.d_loss),
            fmt_loss.format(r.search_loss) if searched else "-",
            f"{r.gap_closed:.0%}" if r.lead >= MIN_TEACHER_LEAD else "-",
            r.search_choice or "-",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _summary(table: pd.DataFrame, task: str) -> str:
    """Means over datasets, per student family."""
    rows = []
    for student, g in table[table.task == task].groupby("student", sort=False):
        rows.append(
            {
                "student": student,
                "datasets": str(len(g)),
                "mean Δ (pt)": f"{g.d_quality.mean():+.2f}",
                "median Δ (pt)": f"{g.d_quality.median():+.2f}",
                "win / tie / loss": (
                    f"{int((g.d_quality >= TIE).sum())} / "
                    f"{int((g.d_quality.abs() < TIE).sum())} / "
                    f"{int((g.d_quality <= -TIE).sum())}"
                ),
                f"mean Δ {TASK[task].loss_name}": f"{g.d_loss.mean():+.4g}",
                "mean Δ CV search (pt)": (
                    f"{g.d_search.mean():+.2f}" if g.d_search.notna().any() else "-"
                ),
            }
        )
    return markdown_table(rows, list(rows[0]))


def _costs_table(costs: pd.DataFrame) -> str:
    rows = [
        {
            "task": r.task,
            "dataset": r.dataset,
            "training rows": f"{r.n_train:,}",
            "student": r.student,
            "strategy": r.strategy,
            "teacher fit (s)": f"{r.teacher_s:.2f}",
            "hard student fit (s)": f"{r.hard_s:.3f}",
            "default distilled fit (s)": f"{r.distilled_s:.2f}",
            "ratio": f"{r.ratio:.2f}x",
            "peak memory, distilled (MB)": f"{r.distilled_peak_mb:.1f}",
            "peak memory, twin (MB)": f"{r.hard_peak_mb:.1f}",
        }
        for r in costs.itertuples()
    ]
    return markdown_table(rows, list(rows[0]))


def _max_costs(costs: pd.DataFrame) -> str:
    parts = []
    for (task, student), g in costs.groupby(["task", "student"], sort=False):
        worst = g.loc[g.ratio.idxmax()]
        parts.append(
            f"{task} {student} {worst.ratio:.2f}x ({worst.dataset}; peak memory "
            f"up to {g.distilled_peak_mb.max():.1f} MB)"
        )
    return "Largest ratio per student: " + "; ".join(parts) + "."


def _defaults(distiller: type) -> str:
    params = distiller().get_params()
    keys = ("temperature", "alpha", "fit_strategy", "teacher_cv", "augment")
    return ", ".join(f"{k}={params[k]!r}" for k in keys if k in params)


def _setup(m: Measurements) -> str:
    data = "; ".join(
        f"{task}: {', '.join(notes)}" for task, notes in m.data_notes.items() if notes
    )
    return (
        f"Datasets subsampled to at most {MAX_ROWS:,} rows (stratified for "
        f"classification); rows used: {data}. "
        f"{plural(m.n_splits, 'split')} of 70/30 per dataset (stratified for "
        "classification), categorical columns one-hot encoded and numeric ones "
        "imputed and standardized on the training rows, for every model. "
        f"Teacher: `LGBMClassifier` ({m.n_trees} trees, learning rate 0.05, 31 "
        f"leaves, n_jobs={m.n_jobs}, seeded by the split; `LGBMRegressor` with "
        "the same parameters for regression), shared by the three students of "
        f"a split; the lgbm16 student also has n_jobs={m.n_jobs}. Every "
        "distiller is built with only `teacher` and "
        f"`student`; at this run, DistilledClassifier's defaults are "
        f"{_defaults(DistilledClassifier)} and DistilledRegressor's "
        f"{_defaults(DistilledRegressor)}. The CV searches ran on "
        f"{plural(m.search_splits, 'split')} of each dataset (the first; "
        "`SEARCH_SPLITS` in the suite) and are compared with the twin on the "
        "same splits. The teacher's fits are shared by the teacher's row, "
        "the distilled students and the searches through a benchmark-only "
        "cache (the same teacher on the same rows is fit once); the cost "
        "table fits everything for real. The student fits, distillers and "
        "searches run under `threadpoolctl.threadpool_limits(1, "
        f'user_api="blas")`: {ONE_BLAS_THREAD}'
    )


def _cost_note() -> str:
    return (
        "On the first split of each dataset: the teacher alone (`lgbm_teacher`, "
        "no cache), the hard-label student alone, and the default "
        "`DistilledClassifier(teacher, student)` / "
        "`DistilledRegressor(teacher, student)` fit with a fresh, uncached "
        "teacher (so it fits the teacher itself), one run each; ratio = "
        "distilled / (teacher + hard student). The target applies to "
        "classification at the largest training size; regression is shown "
        "for reference. Peak memory: `tracemalloc` peak of a distilled fit "
        "whose teacher fit on all rows is a cache hit (Python, numpy and "
        "scikit-learn allocations; LightGBM's native memory is not traced), "
        "and of the hard-label student's fit; no target."
    )


def page(m: Measurements) -> str:
    """The markdown body of the page for the measurements ``m``."""
    table = per_dataset(m.scores)
    sections = [intro(__doc__), _setup(m)]
    sections += [
        "## Verdicts",
        "Means over the splits per dataset first; Δ is distilled - twin, in "
        "points (x100) for accuracy and R²; a tie is |Δ| < "
        f"{TIE:g} pt. Gap closed = (distilled - twin) / (teacher - twin).",
        markdown_table(
            verdicts(table, m.costs), ["task", "student", "target", "figure", "verdict"]
        ),
    ]
    for task in TASKS:
        if not (table.task == task).any():
            continue
        spec = TASK[task]
        sections += [
            f"## {task.capitalize()}",
            f"### Per student family ({spec.quality_name} in points)",
            _summary(table, task),
            "### Per dataset",
            f"Mean over the splits (the CV search: over "
            f"{plural(m.search_splits, 'split')}). `strategy` is the distilled "
            "model's `fit_strategy_`; `gap closed` is shown where the teacher "
            f"leads the twin by ≥ {MIN_TEACHER_LEAD:g} pt.",
            _scores_table(table, task),
        ]
    if len(m.costs):
        sections += [
            "## Cost of the default fit",
            _cost_note(),
            _costs_table(m.costs),
            _max_costs(m.costs),
        ]
    return "\n\n".join(sections)


def run(ctx) -> str:
    m = measure(ctx)
    body = page(m)
    if ctx.quick:
        body += (
            "\n\nQuick mode: tiny synthetic data, a few teacher trees; the "
            "figures mean nothing."
        )
    return body
