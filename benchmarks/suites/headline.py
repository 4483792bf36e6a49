"""Headline: teacher vs hard-label student vs distilled student, on real data.

For every dataset in ../shared/datasets, over repeated stratified 75/25
splits: a LightGBM teacher of 300 trees is fitted once per split and frozen;
two light students - a logistic regression and a depth-6 decision tree (for
regression: ridge and a depth-6 regression tree) - are each trained twice:
on the hard labels alone (the *baseline*, their hard-label twin) and
distilled from the teacher with ``DistilledClassifier`` /
``DistilledRegressor`` at their default temperature and alpha. Each
distilled model goes through ``distillation_report`` on the held-out rows:
quality, fidelity, pickled size and prediction latency per 1,000 rows.

All models take the same numeric matrix (categorical columns one-hot
encoded, numeric ones imputed and standardized, fitted on the training
rows), so the size and latency figures compare the models, not their
preprocessing.
"""

from __future__ import annotations

import _data
import pandas as pd
from _common import lgbm_teacher, numeric_preprocessor
from lightgbm import LGBMRegressor
from sklearn.datasets import make_classification, make_regression
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.metrics import distillation_report

TITLE = "Headline: teacher, hard-label student and distilled student"

MAX_ROWS = 6_000  # larger datasets are subsampled (stratified) to this many rows
SPLITS = (0, 1)
N_TREES = 300
TARGET = 10.0  # size reduction and speed-up the issue asks for, on every dataset


def _students(task: str) -> dict[str, object]:
    if task == "classification":
        return {
            "logistic": LogisticRegression(max_iter=2000),
            "tree-d6": DecisionTreeClassifier(max_depth=6, random_state=0),
        }
    return {
        "ridge": Ridge(),
        "tree-d6": DecisionTreeRegressor(max_depth=6, random_state=0),
    }


def _teacher(task: str, n_trees: int, seed: int):
    if task == "classification":
        return lgbm_teacher(n_estimators=n_trees, random_state=seed)
    params = lgbm_teacher(n_estimators=n_trees, random_state=seed).get_params()
    return LGBMRegressor(**params)


def _datasets(ctx):
    """(name, X, y, task, note) for every dataset of the run."""
    if ctx.quick:
        X, y = make_classification(600, 8, n_informative=5, n_classes=3, random_state=0)
        yield "synthetic-3class", pd.DataFrame(X), y, "classification", ""
        X, y = make_regression(500, 6, noise=10, random_state=0)
        yield "synthetic-regression", pd.DataFrame(X), y, "regression", ""
        return
    if not _data.available():
        raise SystemExit(f"datasets folder not found: {_data.DATASETS_DIR}")
    for name, info in _data.manifest().items():
        n_rows = info.get("n_rows") or 0
        X, y, info = _data.load(name, max_rows=MAX_ROWS)
        note = f"{len(y):,} of {n_rows:,}" if n_rows > MAX_ROWS else f"{len(y):,}"
        yield name, X, y, info["task"], note


def _one_split(task, X, y, seed, n_trees, n_repeats, figures=None):
    """Reports (one per student) for one train/test split.

    With a ``figures`` list (ctx, list), the plots of this split are saved
    and their markdown links appended to it.
    """
    stratify = y if task == "classification" else None
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.25, stratify=stratify, random_state=seed
    )
    prep = numeric_preprocessor().fit(X_tr)
    A_tr, A_te = prep.transform(X_tr), prep.transform(X_te)
    teacher = _teacher(task, n_trees, seed).fit(A_tr, y_tr)
    distiller = DistilledClassifier if task == "classification" else DistilledRegressor
    reports = {}
    for student_name, student in _students(task).items():
        model = distiller(FrozenEstimator(teacher), student).fit(A_tr, y_tr)
        reports[student_name] = distillation_report(
            model,
            A_te,
            y_te,
            X_train=A_tr,
            y_train=y_tr,
            n_repeats=n_repeats,
            random_state=seed,
        )
    if figures is not None and task == "classification":
        ctx, links = figures
        links += _figures(ctx, teacher, reports, A_tr, A_te, y_tr, y_te)
    return reports


def _figures(ctx, teacher, reports, A_tr, A_te, y_tr, y_te) -> list[str]:
    """Compression trade-off, reliability diagram and temperature curve."""
    import matplotlib.pyplot as plt
    from sklearn.base import clone

    from skdistill.plotting import (
        CompressionDisplay,
        ReliabilityDisplay,
        TemperatureCurveDisplay,
    )

    links = []
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, x in zip(axes, ("size_bytes", "latency_ms_1thread"), strict=True):
        CompressionDisplay.from_reports(
            list(reports.values()), names=list(reports), x=x, ax=ax
        )
    links.append(ctx.save_figure(fig, "compression"))

    student = _students("classification")["tree-d6"]
    distilled = DistilledClassifier(FrozenEstimator(teacher), student)
    distilled.fit(A_tr, y_tr)
    baseline = clone(student).fit(A_tr, y_tr)
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ReliabilityDisplay.from_estimator(distilled, A_te, y_te, baseline=baseline, ax=ax)
    ax.set_title("depth-6 tree student")
    links.append(ctx.save_figure(fig, "reliability"))

    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    TemperatureCurveDisplay.from_estimator(
        distilled,
        A_tr,
        y_tr,
        A_te,
        y_te,
        temperatures=(1, 2, 4, 8),
        alphas=(0.0, 0.5),
        ax=ax,
    )
    ax.set_title("depth-6 tree student")
    links.append(ctx.save_figure(fig, "temperature"))
    return links


PLOT_DATASET = "satimage"  # the split drawn in the figures


def _collect(ctx, links: list[str]) -> pd.DataFrame:
    """One row per (dataset, split, student, model) with every report figure.

    The figures of the first split of ``PLOT_DATASET`` (of the first
    dataset in quick mode) are saved, their links appended to ``links``.
    """
    n_trees = 20 if ctx.quick else N_TREES
    splits = SPLITS[:1] if ctx.quick else SPLITS
    n_repeats = 2 if ctx.quick else 3
    rows = []
    figure_dataset = []
    for name, X, y, task, note in _datasets(ctx):
        for seed in splits:
            plot = seed == splits[0] and (
                name == PLOT_DATASET or (ctx.quick and not links)
            )
            reports = _one_split(
                task, X, y, seed, n_trees, n_repeats, (ctx, links) if plot else None
            )
            if plot:
                figure_dataset.append(name)
            for student, report in reports.items():
                for model, metrics in report.models.items():
                    rows.append(
                        {
                            "dataset": name,
                            "task": task,
                            "rows": note,
                            "split": seed,
                            "student": student,
                            "model": model,
                            **metrics,
                            **{f"ratio_{k}": v for k, v in report.ratios.items()},
                            "overhead_share": report.timings["overhead"]
                            / report.timings["predictions"],
                            "serialization_share": report.timings["serialization"]
                            / report.timings["predictions"],
                        }
                    )
            ctx.log(f"{name} split {seed} done")
    df = pd.DataFrame(rows)
    df.attrs["figure_dataset"] = figure_dataset[0] if figure_dataset else None
    return df


def _mean(df: pd.DataFrame, model: str, column: str) -> float:
    return float(df.loc[df.model == model, column].mean())


def _pm(df: pd.DataFrame, model: str, column: str, digits: int = 3) -> str:
    values = df.loc[df.model == model, column]
    return f"{values.mean():.{digits}f} ± {values.std(ddof=0):.{digits}f}"


def _arrow(before: float, after: float, better_high: bool, digits: int = 3) -> str:
    """``before → after``, the better one in bold when they differ."""
    if round(before, digits) == round(after, digits):
        return f"{before:.{digits}f} → {after:.{digits}f}"
    wins = after > before if better_high else after < before
    if wins:
        return f"{before:.{digits}f} → **{after:.{digits}f}**"
    return f"**{before:.{digits}f}** → {after:.{digits}f}"


def headline_table(df: pd.DataFrame) -> str:
    """The README table: one row per dataset, both students, means over splits."""
    lines = []
    for task, quality, loss in (
        ("classification", "accuracy", "log_loss"),
        ("regression", "r2", "rmse"),
    ):
        part = df[df.task == task]
        if part.empty:
            continue
        students = list(_students(task))
        q, lname = ("acc", "log-loss") if task == "classification" else ("R²", "RMSE")
        header = ["dataset", "rows", f"teacher {q}"]
        for s in students:
            header += [f"{s}: {q} hard → distilled", f"{s}: {lname}"]
        header += ["size ÷", "speed-up (1 thread)"]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for name, g in part.groupby("dataset", sort=False):
            cells = [name, g.rows.iloc[0], f"{_mean(g, 'teacher', quality):.3f}"]
            sizes, speeds = [], []
            for s in students:
                gs = g[g.student == s]
                cells.append(
                    _arrow(
                        _mean(gs, "baseline", quality),
                        _mean(gs, "distilled", quality),
                        True,
                    )
                )
                digits = 3 if task == "classification" else 4
                lossy = _arrow(
                    _mean(gs, "baseline", loss),
                    _mean(gs, "distilled", loss),
                    False,
                    digits if loss != "rmse" else 1,
                )
                cells.append(lossy)
                d = gs[gs.model == "distilled"]
                sizes.append(d.ratio_size_reduction.mean())
                speeds.append(d.ratio_speedup_1thread.mean())
            cells.append(" / ".join(f"{v:.0f}x" for v in sizes))
            cells.append(" / ".join(f"{v:.0f}x" for v in speeds))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines).strip()


def _wins(df: pd.DataFrame) -> str:
    """How often the distilled student beats its hard-label twin."""
    lines = []
    for (task, student), g in df.groupby(["task", "student"], sort=False):
        quality, loss = (
            ("accuracy", "log_loss") if task == "classification" else ("r2", "rmse")
        )
        n = g.dataset.nunique()
        better_q = better_l = 0
        for _, gd in g.groupby("dataset"):
            better_q += _mean(gd, "distilled", quality) > _mean(gd, "baseline", quality)
            better_l += _mean(gd, "distilled", loss) < _mean(gd, "baseline", loss)
        lines.append(
            f"- {task}, {student} student: distilled beats its hard-label twin in "
            f"{quality} on {better_q}/{n} datasets and in {loss.replace('_', '-')} "
            f"on {better_l}/{n} (means over the splits)."
        )
    return "\n".join(lines)


def detail_table(df: pd.DataFrame, task: str) -> str:
    """Every figure of the reports, mean ± std over the splits."""
    part = df[df.task == task]
    if task == "classification":
        metrics = [
            ("accuracy", "acc"),
            ("log_loss", "log-loss"),
            ("roc_auc", "ROC AUC"),
            ("fidelity", "fidelity"),
        ]
    else:
        metrics = [("r2", "R²"), ("rmse", "RMSE"), ("fidelity_r2", "R² vs teacher")]
    header = ["dataset", "student", "model"] + [m[1] for m in metrics]
    header += ["size (kB)", "ms / 1k rows (1 thread)", "ms / 1k rows (default)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (name, student), g in part.groupby(["dataset", "student"], sort=False):
        for model in ("teacher", "baseline", "distilled"):
            digits = 1 if task == "regression" else 3
            cells = [name, student, model]
            cells += [
                _pm(g, model, m, 3 if m != "rmse" else digits) for m, _ in metrics
            ]
            cells += [
                f"{_mean(g, model, 'size_bytes') / 1e3:.1f}",
                f"{_mean(g, model, 'latency_ms_1thread'):.2f}",
                f"{_mean(g, model, 'latency_ms_default'):.2f}",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def target_table(df: pd.DataFrame) -> tuple[str, bool]:
    """Size reduction and speed-up against the 10x target, per dataset and student."""
    lines = [
        "| dataset | student | size reduction | speed-up, 1 thread | "
        "speed-up, default threads | ≥ 10x on both |",
        "|---|---|---|---|---|---|",
    ]
    every = True
    distilled = df[df.model == "distilled"]
    for (name, student), g in distilled.groupby(["dataset", "student"], sort=False):
        size = g.ratio_size_reduction.min()
        single = g.ratio_speedup_1thread.min()
        default = g.ratio_speedup_default.min()
        ok = size >= TARGET and single >= TARGET
        every &= ok
        lines.append(
            f"| {name} | {student} | {size:.0f}x | {single:.0f}x | {default:.0f}x | "
            f"{'yes' if ok else '**no**'} |"
        )
    return "\n".join(lines), every


README_START = "<!-- headline-table:start -->"
README_END = "<!-- headline-table:end -->"


def _readme_text() -> str:
    """The README, checked for the markers that delimit the headline table."""
    from _harness import ROOT

    text = (ROOT / "README.md").read_text()
    if README_START not in text or README_END not in text:
        raise SystemExit(
            f"README.md lacks the {README_START} / {README_END} markers that "
            "delimit the headline table; add them before running this suite."
        )
    return text


def write_readme_table(table: str, note: str) -> None:
    """Put the headline table between the README's markers."""
    from _harness import ROOT

    text = _readme_text()
    readme = ROOT / "README.md"
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    block = f"{README_START}\n{note}\n\n{table}\n{README_END}"
    readme.write_text(head + block + tail)


OVERHEAD_TARGET = 0.05  # "negligible": at most 5% of the predictions' time


def run(ctx) -> str:
    if ctx.write:
        _readme_text()  # fail now rather than after the whole run
    links: list[str] = []
    df = _collect(ctx, links)
    headline = headline_table(df)
    targets, every = target_table(df)
    per_report = df.groupby(["dataset", "split", "student"])
    overhead = per_report.overhead_share.first()
    pickling = per_report.serialization_share.first()
    n_splits = df.split.nunique()
    note = (
        f"Mean over {n_splits} stratified 75/25 splits per dataset; LightGBM "
        f"teacher of {N_TREES if not ctx.quick else 20} trees; students at "
        "the default temperature and alpha. Bold: the better of hard-label and "
        "distilled student. `size ÷` and `speed-up`: teacher over distilled "
        "student (logistic or ridge / depth-6 tree), prediction of 1,000 rows. "
        f"Datasets above {MAX_ROWS:,} rows are subsampled. Full tables: "
        "[docs/benchmarks/headline.md](docs/benchmarks/headline.md); "
        "regenerate with `python benchmarks/run.py headline`."
    )
    if ctx.write:
        write_readme_table(headline, note)
    sections = [
        __doc__.split("\n", 1)[1].strip(),
        "## Headline (also in the README)",
        note.replace("docs/benchmarks/", ""),
        headline,
        "## Does distillation help?",
        _wins(df),
        "## Targets",
        (
            f"Size reduction and prediction speed-up of the distilled student "
            f"over the teacher, smallest over the splits; target ≥ {TARGET:.0f}x "
            "on every dataset. "
            + (
                "**Met on every dataset and student.**"
                if every
                else "**Not met everywhere: see the rows marked no.**"
            )
        ),
        targets,
        (
            "Overhead of `distillation_report` beyond the predictions it must "
            "make (teacher, baseline and student on the held-out rows, and the "
            "timed latency calls), as a share of the time of those predictions: "
            f"median {overhead.median():.1%}, max {overhead.max():.1%} over "
            f"{overhead.size} reports (input checks, metrics, copies); target "
            f"≤ {OVERHEAD_TARGET:.0%} in the median: "
            + ("**PASS**" if overhead.median() <= OVERHEAD_TARGET else "**FAIL**")
            + ". Pickling the models to measure their size, which the report "
            f"must also do, adds a median {pickling.median():.1%} (max "
            f"{pickling.max():.1%})."
        ),
        "## Figures",
        (
            f"First split of {df.attrs['figure_dataset']}. Left: held-out "
            "accuracy against pickled size and against single-thread latency for "
            "the teacher and both students, hard-label and distilled. Then the "
            "reliability diagram of the depth-6 tree student, hard-label and "
            "distilled, against the teacher; then its held-out accuracy (solid) "
            "and fidelity to the teacher (dashed) against the temperature, for "
            "alpha 0 (soft targets only) and 0.5."
        ),
        "\n\n".join(links),
        "## Every figure, mean ± std over the splits",
        "### Classification",
        detail_table(df, "classification"),
        "### Regression",
        detail_table(df, "regression"),
    ]
    return "\n\n".join(sections)
