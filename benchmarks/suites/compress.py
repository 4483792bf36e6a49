"""Compression to a budget: the distilled frontier against the hard-label one.

For every dataset in ../shared/datasets (larger ones subsampled to 10,000
rows, stratified for classification), one ``CompressedClassifierCV``
(``CompressedRegressorCV`` for regression) with its defaults: the default
ladder (``default_ladder``: L1 and L2 linear models, decision trees of
depth 1 to 12, LightGBM students of 2 to 128 trees of 4 to 32 leaves,
climbed smallest first and left after 2 students that do not improve),
5 shuffled folds, no budget, ``random_state=0``. Each student tried
is distilled on every fold's teacher outputs and its hard-label twin (the
same student on the labels alone) is fit beside it; the budgets are read
off ``cv_results_`` afterwards, by the rule of the search's ``keep``
(smallest within the quality floor; ties: faster, then better).

- **Frontiers.** At each size on the ladder (the pickled size of each
  student tried, preprocessing included), the best distilled score among
  the students of that size or smaller, minus the best hard-label score
  among the twins of that size or smaller (by the twins' own sizes): its
  mean and minimum over the sizes, and the share of sizes where the
  distilled frontier dominates or ties the hard-label one. A size smaller
  than every twin counts as dominated (no hard-label model exists there)
  and has no difference. *Frontier wins*: the share of the points of the
  distilled size frontier (``frontier_["size"]``) that score strictly
  above every twin of their size or smaller. *Joint frontier*: the share
  of the Pareto front of all models (students and twins pooled) that are
  distilled students (at equal size and score, the twin is kept).
- **Budgets.** The smallest student within 1 point of the teacher's
  cross-validated score (0.01 of accuracy or R²) and within 99% of it
  (``keep=0.99``: ``teacher - 0.01 * |teacher|``), against the teacher
  (``teacher_footprint_``, the first fold's teacher): pickled size (ONNX
  is left out of this run: the ``export`` suite measures it), prediction
  time of one row and per row of a batch of 1,000 (one thread), as ratios
  teacher / student.
- **Cost.** Teacher fits counted by the search (``n_teacher_fits_``: one per
  fold plus the refit), its wall time, and the wall time of one
  ``DistilledClassifierCV`` (``DistilledRegressorCV``) over its default
  grid with the same teacher, the same folds count and its default
  student.
"""

from __future__ import annotations

import math

import numpy as np
from _common import (
    datasets,
    intro,
    machine_threads,
    markdown_table,
    plural,
    quick_datasets,
    target_row,
    timed,
)
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from threadpoolctl import threadpool_limits

from skdistill import DistilledClassifierCV, DistilledRegressorCV
from skdistill.compress import (
    CompressedClassifierCV,
    CompressedRegressorCV,
    default_ladder,
    pareto_front,
)
from skdistill.preprocessing import make_preprocessor

TITLE = "Compression to a budget: distilled vs hard-label frontiers"

TASKS = ("classification", "regression")
# The bound is 20,000 rows; 10,000 keeps the run (44 students, 5
# folds, each distilled and fit on the labels: 440 student fits a dataset,
# LightGBM students of up to 128 trees per class on letter's 26 classes)
# near half an hour on 2 cores.
MAX_ROWS = 10_000
N_FOLDS = 5
# The default teacher of the distillers (skdistill's DEFAULT_TEACHER_PARAMS),
# with its threads made explicit.
TEACHER_PARAMS = {"n_estimators": 300, "learning_rate": 0.05, "verbose": -1}
TEACHER_THREADS = 2
ONE_POINT = 0.01  # of accuracy or R²
KEEP = 0.99
NONE = "-"  # a table cell with no value
TIE = 1e-12  # scores closer than this are equal (float noise of the means)
MIN_DOMINATED_SHARE = 0.80  # of ladder sizes, per dataset and overall
MIN_SIZE_RATIO = 10.0  # teacher / smallest student within 1 pt
MIN_DATASET_SHARE = 0.80  # of the datasets where such a student exists
PLOT_DEPTH = 0.2  # the figure shows scores down to the teacher's minus this
# Quick mode: a smoke test of every step, not a measurement.
QUICK = dict(n_trees=20, n_folds=3, latency_repeats=1, tree_depths=3, lgbm=2)


# ------------------------------------------------------------------ the run


def _datasets(ctx):
    """``(task, Dataset)`` of the run; quick mode: one small one per task."""
    for task in TASKS:
        if ctx.quick:
            yield task, quick_datasets(task)[-1]
        else:
            for dataset in datasets(ctx, task=task, max_rows=MAX_ROWS):
                yield task, dataset


def make_teacher(task: str, X, *, n_trees: int, n_jobs: int):
    """The distillers' default LightGBM teacher, as a compression search
    builds it for a table (behind ``make_preprocessor``), ``n_jobs`` set."""
    model_class = LGBMClassifier if task == "classification" else LGBMRegressor
    params = {**TEACHER_PARAMS, "n_estimators": n_trees}
    model = model_class(**params, n_jobs=n_jobs)
    return make_pipeline(make_preprocessor(model, X), model)


def default_student(task: str, X):
    """The distillers' default student behind the preprocessing the table needs."""
    # make_preprocessor standardizes the numbers a linear model takes, as the
    # default classifier student's StandardScaler does (Ridge is not scaled
    # by default: here it is)
    student = LogisticRegression(max_iter=1000) if task == "classification" else Ridge()
    return make_pipeline(make_preprocessor(student, X), student)


def quick_students(task: str, X, y, seed: int) -> dict:
    """A tiny ladder from the default one: the smallest trees and LightGBMs."""
    ladders = default_ladder(X, y, task=task, random_state=seed)
    return {
        "tree": ladders["tree"][: QUICK["tree_depths"]],
        "lgbm_4_leaves": ladders["lgbm_4_leaves"][: QUICK["lgbm"]],
    }


def run_dataset(ctx, task: str, dataset) -> dict:
    """The compression search and the DistilledCV on one dataset, measured."""
    X, y, seed = dataset.X, dataset.y, ctx.seed
    n_folds = QUICK["n_folds"] if ctx.quick else N_FOLDS
    # shuffled: several datasets are stored sorted (by speaker, by price), and
    # unshuffled folds would measure extrapolation to unseen groups
    splitter = StratifiedKFold if task == "classification" else KFold
    folds = splitter(n_folds, shuffle=True, random_state=ctx.seed)
    n_trees = QUICK["n_trees"] if ctx.quick else TEACHER_PARAMS["n_estimators"]
    # quick fits are tiny: a second OpenMP thread would only spin-wait
    threads = 1 if ctx.quick else TEACHER_THREADS
    teacher = make_teacher(task, X, n_trees=n_trees, n_jobs=threads)
    classify = task == "classification"
    search_class = CompressedClassifierCV if classify else CompressedRegressorCV
    search = search_class(
        teacher,
        quick_students(task, X, y, seed) if ctx.quick else None,
        cv=folds,
        random_state=seed,
        verbose=0 if ctx.quick else 1,  # a line per student on stderr
        # ONNX is left out: its export and onnxruntime session cost up to
        # 10-20 s for the large LightGBM students (the export suite measures
        # ONNX); the page's sizes are pickled sizes
        onnx=False,
        **(dict(latency_repeats=1) if ctx.quick else {}),
    )
    _, search_s = timed(search.fit, X, y)
    ctx.log(f"{dataset.name}: compression search {search_s:.1f} s")
    cv_class = DistilledClassifierCV if classify else DistilledRegressorCV
    tuned = cv_class(teacher, default_student(task, X), cv=folds, random_state=seed)
    _, tuned_s = timed(tuned.fit, X, y)
    ctx.log(f"{dataset.name}: {cv_class.__name__} {tuned_s:.1f} s")
    return dict(
        dataset=dataset.name,
        task=task,
        rows=dataset.rows,
        search=search,
        search_s=search_s,
        tuned_s=tuned_s,
        n_settings=len(tuned.cv_results_["params"]),
        n_folds=n_folds,
        n_trees=n_trees,
        threads=threads,
    )


# ------------------------------------------------------------ the measures


def _best_upto(sizes: np.ndarray, scores: np.ndarray, size: float) -> float:
    """The best of ``scores`` among sizes up to ``size`` (NaN if none)."""
    within = (sizes <= size) & np.isfinite(scores)
    return float(scores[within].max()) if within.any() else math.nan


def compare_frontiers(results: dict, frontier: np.ndarray) -> dict:
    """The distilled size frontier against the hard-label one (see the intro)."""
    sizes = np.asarray(results["size_bytes"], dtype=float)
    scores = np.asarray(results["mean_test_score"], dtype=float)
    twin_sizes = np.asarray(results["hard_label_size_bytes"], dtype=float)
    twin_scores = np.asarray(results["mean_hard_label_score"], dtype=float)
    ladder = np.unique(sizes[np.isfinite(sizes)])
    diffs, dominated = [], []
    for size in ladder:
        hard = _best_upto(twin_sizes, twin_scores, size)
        distilled = _best_upto(sizes, scores, size)
        if math.isnan(hard):
            dominated.append(True)
            continue
        diffs.append(distilled - hard)
        dominated.append(distilled >= hard - TIE)
    wins = [
        scores[i] > _best_upto(twin_sizes, twin_scores, sizes[i]) + TIE
        or math.isnan(_best_upto(twin_sizes, twin_scores, sizes[i]))
        for i in frontier
    ]
    # twins first: at equal size and score the front keeps the twin
    joint = pareto_front(
        np.concatenate([twin_sizes, sizes]), np.concatenate([twin_scores, scores])
    )
    return dict(
        n_sizes=len(ladder),
        n_dominated=int(np.sum(dominated)),
        share_dominated=float(np.mean(dominated)) if dominated else math.nan,
        mean_diff=float(np.mean(diffs)) if diffs else math.nan,
        min_diff=float(np.min(diffs)) if diffs else math.nan,
        n_frontier=len(wins),
        frontier_wins=float(np.mean(wins)) if wins else math.nan,
        joint_distilled=float(np.mean(joint >= len(twin_sizes)))
        if len(joint)
        else math.nan,
        paired_mean=float(np.nanmean(scores - twin_scores)),
        paired_wins=int(np.sum(scores > twin_scores + TIE)),
    )


def smallest_within(results: dict, floor: float) -> int | None:
    """Index of the smallest student scoring at least ``floor`` (ties: the
    faster, then the better), or None."""
    scores = np.asarray(results["mean_test_score"], dtype=float)
    ok = np.flatnonzero(scores >= floor - TIE)
    if not len(ok):
        return None
    sizes = np.asarray(results["size_bytes"], dtype=float)[ok]
    latency = np.asarray(results["predict_time_1row"], dtype=float)[ok]
    return int(ok[np.lexsort((-scores[ok], latency, sizes))[0]])


def budget_rows(run: dict) -> list[dict]:
    """The smallest student within 1 pt and within 99% of the teacher."""
    search = run["search"]
    results, teacher = search.cv_results_, search.teacher_footprint_
    score = search.teacher_score_
    rows = []
    for budget, floor in (
        ("1 pt", score - ONE_POINT),
        ("99%", score - (1 - KEEP) * abs(score)),
    ):
        row = dict(dataset=run["dataset"], budget=budget, teacher=f"{score:.4f}")
        index = smallest_within(results, floor)
        if index is None:
            rows.append({**row, "student": "none", "found": False})
            continue
        student = {key: float(results[key][index]) for key in teacher}
        rows.append(
            {
                **row,
                "found": True,
                "student": results["student_name"][index],
                "score": f"{results['mean_test_score'][index]:.4f}",
                "size": _kb(student["size_bytes"]),
                "size ratio": _ratio(teacher, student, "size_bytes"),
                "1 row (µs)": _us(student["predict_time_1row"]),
                "1-row ratio": _ratio(teacher, student, "predict_time_1row"),
                "per row (µs)": _us(student["predict_time_per_row"]),
                "per-row ratio": _ratio(teacher, student, "predict_time_per_row"),
                "_size_ratio": teacher["size_bytes"] / student["size_bytes"],
            }
        )
    return rows


def _ratio(teacher: dict, student: dict, key: str) -> str:
    value = teacher[key] / student[key]
    return NONE if not math.isfinite(value) else f"{value:.1f}x"


def _kb(size: float) -> str:
    return f"{size / 1000:.1f} KB"


def _duration(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 120 else f"{seconds:.0f} s"


def _us(seconds: float) -> str:
    return NONE if not math.isfinite(seconds) else f"{seconds * 1e6:.0f}"


# ------------------------------------------------------------------ tables


def frontier_table(runs: list[dict]) -> tuple[str, list[dict]]:
    """Per dataset: the frontiers compared, with the target's verdict."""
    rows = []
    for run in runs:
        search = run["search"]
        cmp = compare_frontiers(search.cv_results_, search.frontier_["size"])
        n_tried = len(search.cv_results_["params"])
        rows.append(
            {
                "dataset": run["dataset"],
                "metric": "accuracy" if run["task"] == "classification" else "R²",
                "students tried": f"{n_tried} of {n_tried + len(search.skipped_)}",
                "mean diff": _signed(cmp["mean_diff"]),
                "min diff": _signed(cmp["min_diff"]),
                "sizes dominated or tied": f"{cmp['n_dominated']}/{cmp['n_sizes']}"
                f" ({cmp['share_dominated']:.0%})",
                "frontier wins": f"{cmp['frontier_wins']:.0%} of {cmp['n_frontier']}",
                "joint frontier distilled": f"{cmp['joint_distilled']:.0%}",
                "paired: distilled > twin": f"{cmp['paired_wins']}/{n_tried}"
                f" (mean {_signed(cmp['paired_mean'])})",
                "fold std": f"{np.median(search.cv_results_['std_test_score']):.4f}",
                "≥ 80%": "PASS"
                if cmp["share_dominated"] >= MIN_DOMINATED_SHARE
                else "**FAIL**",
                "_cmp": cmp,
            }
        )
    columns = [c for c in rows[0] if not c.startswith("_")]
    return markdown_table(rows, columns), rows


def _signed(value: float) -> str:
    return NONE if math.isnan(value) else f"{value:+.4f}"


def cost_table(runs: list[dict]) -> tuple[str, list[dict]]:
    """Per dataset: teacher fits, the search's time against DistilledCV's."""
    rows = []
    for run in runs:
        search = run["search"]
        rows.append(
            {
                "dataset": run["dataset"],
                "rows": run["rows"],
                "teacher score": f"{search.teacher_score_:.4f}",
                "teacher fits": search.n_teacher_fits_,
                "search (s)": f"{run['search_s']:.1f}",
                "refit (s)": f"{search.refit_time_:.1f}",
                "DistilledCV (s)": f"{run['tuned_s']:.1f}",
                "settings": run["n_settings"],
                "search / DistilledCV": f"{run['search_s'] / run['tuned_s']:.1f}x",
                "_fits_ok": search.n_teacher_fits_ == run["n_folds"] + 1,
            }
        )
    columns = [c for c in rows[0] if not c.startswith("_")]
    return markdown_table(rows, columns), rows


BUDGET_COLUMNS = [
    "dataset",
    "teacher",
    "student",
    "score",
    "size",
    "size ratio",
    "1 row (µs)",
    "1-row ratio",
    "per row (µs)",
    "per-row ratio",
]


def budget_table(rows: list[dict], budget: str) -> str:
    chosen = [r for r in rows if r["budget"] == budget]
    filled = [{c: r.get(c, NONE) for c in BUDGET_COLUMNS} for r in chosen]
    return markdown_table(filled, BUDGET_COLUMNS)


def teacher_table(runs: list[dict]) -> str:
    """The teacher's footprint on each dataset (the ratios' numerators)."""
    rows = []
    for run in runs:
        fp = run["search"].teacher_footprint_
        rows.append(
            {
                "dataset": run["dataset"],
                "size": _kb(fp["size_bytes"]),
                "1 row (µs)": _us(fp["predict_time_1row"]),
                "per row (µs)": _us(fp["predict_time_per_row"]),
                "fastest student, 1 row (µs)": _us(
                    float(np.nanmin(run["search"].cv_results_["predict_time_1row"]))
                ),
            }
        )
    return markdown_table(rows, list(rows[0]))


# ----------------------------------------------------------------- figure


def frontier_figure(ctx, runs: list[dict]) -> str:
    """Each dataset's distilled and hard-label size frontiers, and the teacher."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    n_cols = min(4, len(runs))
    n_rows = math.ceil(len(runs) / n_cols)
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(3.6 * n_cols, 2.9 * n_rows), squeeze=False
    )
    for ax, run in zip(axes.flat, runs, strict=False):
        search = run["search"]
        res = search.cv_results_
        teacher = search.teacher_score_
        low = teacher
        for label, size_key, score_key, style in (
            ("hard-label", "hard_label_size_bytes", "mean_hard_label_score", "C1--"),
            ("distilled", "size_bytes", "mean_test_score", "C0-"),
        ):
            sizes = np.asarray(res[size_key], dtype=float)
            scores = np.asarray(res[score_key], dtype=float)
            front = pareto_front(sizes, scores)
            ax.step(sizes[front], scores[front], style, where="post", marker="o", ms=3)
            ax.plot([], [], style, label=label)
            low = min(low, float(scores[front].min()))
        size = search.teacher_footprint_["size_bytes"]
        ax.plot([size], [teacher], "k*", ms=9, label="teacher")
        ax.axhline(teacher - ONE_POINT, color="grey", lw=0.8, ls=":", label="-1 pt")
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_ylim(max(low, teacher - PLOT_DEPTH) - 0.005, teacher + 0.01)
        ax.set_title(run["dataset"], fontsize=9)
        ax.tick_params(which="both", labelsize=7)
    for ax in axes.flat[len(runs) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, loc="lower right")
    fig.supxlabel("pickled size (bytes, log scale)", fontsize=9)
    fig.supylabel("cross-validated score (accuracy or R²)", fontsize=9)
    fig.tight_layout()
    return ctx.save_figure(fig, "frontiers")


# -------------------------------------------------------------------- page


def targets(frontier_rows, budget_rows_, cost_rows) -> tuple[str, list[str]]:
    """The targets table, and the datasets where no student is within 1 pt."""
    cmps = [r["_cmp"] for r in frontier_rows]
    pooled = sum(c["n_dominated"] for c in cmps) / sum(c["n_sizes"] for c in cmps)
    passing = [r["dataset"] for r in frontier_rows if "PASS" in r["≥ 80%"]]
    one_pt = [r for r in budget_rows_ if r["budget"] == "1 pt"]
    found = [r for r in one_pt if r["found"]]
    missing = [r["dataset"] for r in one_pt if not r["found"]]
    small = [r for r in found if r["_size_ratio"] >= MIN_SIZE_RATIO]
    fits_ok = all(r["_fits_ok"] for r in cost_rows)
    rows = [
        target_row(
            "ladder sizes where the distilled frontier dominates or ties "
            "the hard-label one, all datasets pooled",
            100 * pooled,
            at_least=100 * MIN_DOMINATED_SHARE,
            unit="%",
            digits=0,
        ),
        {
            "measure": "datasets where it does at ≥ 80% of their ladder sizes",
            "value": f"{len(passing)} of {len(frontier_rows)}",
            "target": "every dataset",
            "result": "PASS" if len(passing) == len(frontier_rows) else "**FAIL**",
        },
    ]
    measure = (
        f"datasets where the smallest student within 1 pt is ≥ "
        f"{MIN_SIZE_RATIO:g}x smaller than the teacher, of the "
        f"{plural(len(found), 'dataset')} where one exists"
    )
    if found:
        rows.append(
            target_row(
                measure,
                100 * len(small) / len(found),
                at_least=100 * MIN_DATASET_SHARE,
                unit="%",
                digits=0,
            )
        )
        rows[-1]["value"] = f"{len(small)} of {len(found)} ({rows[-1]['value']})"
    else:
        rows.append(
            {"measure": measure, "value": "none", "target": "≥ 80%", "result": "n/a"}
        )
    rows.append(
        {
            "measure": "teacher fits of each search (counted by the search)",
            "value": ", ".join(str(r["teacher fits"]) for r in cost_rows),
            "target": "folds + 1 refit on every dataset",
            "result": "PASS" if fits_ok else "**FAIL**",
        }
    )
    return markdown_table(rows, ["measure", "value", "target", "result"]), missing


def run(ctx) -> str:
    runs = []
    with threadpool_limits(limits=1, user_api="blas"):
        for task, dataset in _datasets(ctx):
            ctx.log(f"{dataset.name} ({dataset.rows} rows, {task})")
            runs.append(run_dataset(ctx, task, dataset))
    front_md, front_rows = frontier_table(runs)
    cost_md, cost_rows = cost_table(runs)
    budgets = [row for r in runs for row in budget_rows(r)]
    targets_md, missing = targets(front_rows, budgets, cost_rows)
    first = runs[0]
    times = [r["search_s"] for r in runs]
    tuned = [r["tuned_s"] for r in runs]
    names = ", ".join(f"{r['dataset']} ({r['rows']} rows)" for r in runs)
    setup = (
        f"Datasets: {names}. "
        "Teacher: the distillers' default, `LGBMClassifier` / `LGBMRegressor` "
        f"(n_estimators={first['n_trees']}, learning_rate=0.05), behind "
        "`make_preprocessor` (as the searches build their default teacher for "
        "a table: pandas categories go to LightGBM as they are), with "
        f"`n_jobs={first['threads']}` set explicitly. The students' threads "
        "are the library's rule (one OpenMP thread per fit on 2 cores); BLAS "
        "is limited to one thread for the whole run; prediction times are "
        "measured on one thread. Every search uses "
        f"{first['n_folds']} shuffled folds (`StratifiedKFold` / `KFold`, "
        f"`shuffle=True, random_state={ctx.seed}`: several datasets are "
        "stored sorted, by speaker or by price, and unshuffled folds would "
        f"measure extrapolation) and `random_state={ctx.seed}`. The "
        "DistilledCV column is one `DistilledClassifierCV` (9 settings: "
        "temperatures 1, 2, 4 x alphas 1, 0.5, 0) or `DistilledRegressorCV` "
        "(5 alphas) with the same teacher and its default student "
        "(standardized `LogisticRegression(max_iter=1000)`; `Ridge()`), behind "
        "`make_preprocessor` (one-hot categories, standardized numbers). "
        f"Environment: {machine_threads()}."
    )
    if ctx.quick:
        setup += (
            " Quick mode: synthetic data and a tiny ladder (3 trees, 2 LightGBM), "
            "too small for any figure to mean anything."
        )
    none_text = (
        "No student gets within 1 pt of the teacher on: " + ", ".join(missing) + "."
        if missing
        else "Some student gets within 1 pt of the teacher on every dataset."
    )
    return "\n\n".join(
        [
            intro(__doc__),
            "## Setup",
            setup,
            "## Targets",
            targets_md,
            "## Distilled against hard-label frontiers",
            "Differences are distilled minus hard-label (accuracy or R²), over "
            "the ladder sizes where a twin exists; *students tried* counts "
            "those the patience rule left out; *paired* compares each student "
            "with its own twin; *fold std* is the median, over the students, "
            "of the standard deviation of their score over the folds (the "
            "scale of the noise in the differences).",
            front_md,
            frontier_figure(ctx, runs),
            "The size frontiers of the distilled students (solid) and of their "
            "hard-label twins (dashed), the teacher (star) and 1 pt below it "
            f"(dotted); scores more than {PLOT_DEPTH:g} below the teacher's are "
            "cut off.",
            "## The smallest student within 1 pt of the teacher",
            none_text,
            budget_table(budgets, "1 pt"),
            "## The smallest student within 99% of the teacher",
            "99% of the teacher's score is a tighter floor than 1 pt wherever "
            "the teacher scores below 1 (it is 0.01 x the score below it).",
            budget_table(budgets, "99%"),
            "Ratios are teacher / student. Sizes are the pickled pipeline "
            "(preprocessing included) of the student trained on the first "
            "fold; times are medians on one thread. The teacher's footprint:",
            teacher_table(runs),
            "The one-row time of every model includes its table preprocessing "
            "(a DataFrame row through `TableSchema` and the encoders): the "
            "fastest student's one-row time is that floor.",
            "## Cost",
            f"The searches took {_duration(sum(times))} in all, the "
            f"DistilledCV fits {_duration(sum(tuned))}.",
            cost_md,
        ]
    )
