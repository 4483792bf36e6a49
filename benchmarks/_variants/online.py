"""Online distillation: the teacher and the student learn together, batch by batch.

For every split of every classification dataset, three students of the same
kind (a StandardScaler and a SoftLogisticRegression, learnt online) on the
same schedule of shuffled mini-batches:

- ``online``: :class:`~skdistill.OnlineDistilledClassifier` with a LightGBM
  teacher grown in stages (its trees spread over all batches), the
  teacher's prequential soft targets;
- ``labels``: the same schedule with ``alpha=1`` (the labels alone; the
  teacher is a frozen ``DummyClassifier``, so that the time is the
  student's own);
- ``offline``: the teacher fit first on all training rows, then the student
  over the same passes and batches with it frozen (classic distillation).

Then a stream: the peak memory (tracemalloc) of ``partial_fit`` over 10,
100 and 1,000 batches.
"""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
from _common import (
    classification_scores,
    datasets,
    lgbm_teacher,
    markdown_table,
    mean_std,
    peak_memory,
    plural,
    rows_note,
    split_seeds,
    splits,
    target_row,
    timed,
)
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import SGDClassifier

from skdistill import OnlineDistilledClassifier

# Rows kept of the larger datasets (stratified), for the time budget: a
# LightGBM teacher grown in stages re-reads its booster at every batch.
MAX_ROWS = 3000
N_SPLITS = 3
N_TREES = 100  # the teacher's size, spread over all batches
QUICK_TREES = 20
BATCH_SIZE = 200
MAX_ITER = 5
STREAM_BATCHES = (10, 100, 1000)
STREAM_ROWS = 50
STREAM_FEATURES = 20
WARMUP_BATCHES = 20  # learnt before tracing: first-call imports and caches
# "Flat": the peak grows by less than this share of one batch's bytes a
# batch (keeping the rows would grow it by at least 1).
FLAT_SHARE = 0.1


def _online(teacher, alpha, seed):
    return OnlineDistilledClassifier(
        teacher,
        alpha=alpha,
        batch_size=BATCH_SIZE,
        max_iter=MAX_ITER,
        random_state=seed,
    )


def _compare_on_split(split, n_trees) -> list[dict]:
    """The three students of one split: scores and wall time (s)."""
    teacher = lgbm_teacher(n_trees, random_state=split.seed).set_params(n_jobs=1)
    rows = []

    def add(variant, model, seconds):
        rows.append(
            dict(
                dataset=split.dataset,
                seed=split.seed,
                variant=variant,
                **classification_scores(model, split),
                fit_s=seconds,
            )
        )

    X, y = split.X_train, split.y_train
    model, seconds = timed(_online(clone(teacher), 0.5, split.seed).fit, X, y)
    add("online", model, seconds)
    # The labels alone: alpha=1 with a trivial frozen teacher, so that the
    # time is the student's own.
    prior = FrozenEstimator(DummyClassifier(strategy="prior").fit(X, y))
    model, seconds = timed(_online(prior, 1.0, split.seed).fit, X, y)
    add("labels", model, seconds)

    def offline():
        fitted = clone(teacher).fit(X, y)
        frozen = _online(FrozenEstimator(fitted), 0.5, split.seed)
        return frozen.set_params(n_warmup_batches=0).fit(X, y)

    model, seconds = timed(offline)
    add("offline", model, seconds)
    add("teacher", model.teacher_, np.nan)
    return rows


def _per_dataset(df: pd.DataFrame) -> str:
    lines = [
        "| dataset | teacher acc | online acc | labels acc | offline acc | "
        "online log-loss | labels log-loss | offline log-loss | "
        "fit s (online / labels / offline) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for dataset, g in df.groupby("dataset", sort=False):
        by = {v: g[g.variant == v] for v in ("teacher", "online", "labels", "offline")}
        lines.append(
            f"| {dataset} | {mean_std(by['teacher'].acc)} | "
            f"{mean_std(by['online'].acc)} | {mean_std(by['labels'].acc)} | "
            f"{mean_std(by['offline'].acc)} | {mean_std(by['online'].logloss)} | "
            f"{mean_std(by['labels'].logloss)} | {mean_std(by['offline'].logloss)} | "
            f"{by['online'].fit_s.mean():.2f} / {by['labels'].fit_s.mean():.2f} / "
            f"{by['offline'].fit_s.mean():.2f} |"
        )
    return "\n".join(lines)


def _wins(df: pd.DataFrame) -> tuple[str, str]:
    """The wins table of online against each baseline, and a plain sentence."""
    mean = df.groupby(["dataset", "variant"])[["acc", "logloss"]].mean()
    names = df.dataset.unique()
    rows, sentences = [], []
    for baseline in ("labels", "offline"):
        acc = sum(
            mean.loc[(d, "online"), "acc"] > mean.loc[(d, baseline), "acc"]
            for d in names
        )
        loss = sum(
            mean.loc[(d, "online"), "logloss"] < mean.loc[(d, baseline), "logloss"]
            for d in names
        )
        rows.append(
            {
                "online vs": baseline,
                "higher accuracy": f"{acc}/{len(names)}",
                "lower log-loss": f"{loss}/{len(names)}",
            }
        )
        if acc <= len(names) / 2 or loss <= len(names) / 2:
            sentences.append(
                f"online distillation does not beat `{baseline}` on most datasets "
                f"(accuracy higher on {acc}, log-loss lower on {loss} of "
                f"{len(names)})"
            )
        else:
            sentences.append(
                f"online distillation beats `{baseline}` on most datasets "
                f"(accuracy on {acc}, log-loss on {loss} of {len(names)})"
            )
    table = markdown_table(rows, ["online vs", "higher accuracy", "lower log-loss"])
    return table, "In plain words: " + "; ".join(sentences) + "."


def _stream_peak(n_batches: int) -> int:
    """Peak traced bytes of a stream of ``n_batches`` batches made on the fly."""
    rng = np.random.RandomState(0)
    model = OnlineDistilledClassifier(
        SGDClassifier(loss="log_loss", random_state=0),
        history_size=0,
        random_state=0,
    )

    def run(n):
        for i in range(n):
            X = rng.randn(STREAM_ROWS, STREAM_FEATURES)
            y = (X[:, 0] + 0.5 * rng.randn(STREAM_ROWS) > 0).astype(int)
            model.partial_fit(X, y, classes=[0, 1])
            if i % 10 == 9:  # cyclic garbage is freed late: not the stream's state
                gc.collect()
        return model

    run(WARMUP_BATCHES)  # one-off imports and caches, before tracing
    return peak_memory(lambda: run(n_batches))[0]


def _memory(ctx) -> tuple[str, str]:
    """Peak memory of streams of each length, and the flatness target.

    Keeping the rows would grow the peak by at least one batch's bytes a
    batch; the target is a growth below a tenth of that.
    """
    counts = STREAM_BATCHES[:2] if ctx.quick else STREAM_BATCHES
    rows = []
    for n in counts:
        peak, seconds = timed(_stream_peak, n)
        rows.append(
            {"batches": f"{n:,}", "peak (KiB)": peak / 1024, "time (s)": seconds}
        )
        ctx.log(f"online stream of {n} batches done")
    batch_bytes = STREAM_ROWS * STREAM_FEATURES * 8
    growth = (rows[-1]["peak (KiB)"] - rows[0]["peak (KiB)"]) * 1024
    share = growth / ((counts[-1] - counts[0]) * batch_bytes)
    target = target_row(
        f"peak growth a batch, {counts[0]:,} to {counts[-1]:,} batches, in batch sizes",
        share,
        at_most=FLAT_SHARE,
        unit="",
        digits=3,
    )
    return (
        markdown_table(rows, ["batches", "peak (KiB)", "time (s)"]),
        markdown_table([target], ["measure", "value", "target", "result"]),
    )


def section(ctx) -> str:
    data = list(datasets(ctx, max_rows=MAX_ROWS))
    seeds = split_seeds(ctx, N_SPLITS)
    n_trees = QUICK_TREES if ctx.quick else N_TREES
    rows = []
    for dataset in data:
        for split in splits(ctx, dataset, seeds):
            rows += _compare_on_split(split, n_trees)
    df = pd.DataFrame(rows)
    wins, sentence = _wins(df)
    memory, flat = _memory(ctx)
    defaults = OnlineDistilledClassifier()
    setup = (
        "Student: `make_pipeline(StandardScaler(), SoftLogisticRegression())` "
        "(the default), learnt online in every variant: "
        f"{MAX_ITER} passes of shuffled batches of {BATCH_SIZE} rows. "
        f"Teacher: LightGBM ({n_trees} trees, learning rate 0.05, one thread); "
        "`online` grows it in stages (its trees spread evenly over all "
        "batches, `teacher_trees_per_batch='auto'`) and distils its "
        "prequential soft targets at the defaults (temperature "
        f"{defaults.temperature}, alpha {defaults.alpha}, "
        f"{defaults.n_warmup_batches} warm-up batch); `labels` is the same "
        "schedule with alpha=1 (a frozen DummyClassifier as teacher: no "
        "teacher cost); `offline` fits the teacher on all training "
        "rows first and distils it, frozen, over the same passes and batches "
        "(no warm-up); its soft targets on the training rows are in-sample, "
        "close to the labels for a boosted teacher. Times include the "
        "teacher's fit. Mean ± std over "
        f"{plural(len(seeds), 'stratified 70/30 split')}. Datasets and rows "
        f"used: {rows_note(data)} (the larger ones subsampled to "
        f"{MAX_ROWS:,} rows, stratified). Categorical columns one-hot "
        "encoded, numeric ones imputed and standardized, for every model; "
        "BLAS limited to one thread."
    )
    stream = (
        "Streaming: `partial_fit` of an `OnlineDistilledClassifier` (an "
        "SGDClassifier(loss='log_loss') teacher, the default student) on "
        f"batches of {STREAM_ROWS} rows x {STREAM_FEATURES} features "
        f"({STREAM_ROWS * STREAM_FEATURES * 8 / 1024:.1f} KiB) made on the fly, "
        f"tracemalloc's peak after {WARMUP_BATCHES} untraced batches (first "
        "calls' imports and caches; Python, numpy and scikit-learn "
        "allocations, the cyclic garbage collected every 10 batches), "
        "with `history_size=0`: `history_` (about 1 KB a batch, the last "
        "10,000 batches by default) is the only state that grows, up to its "
        "bound. What grows besides is small caches of the libraries "
        "(threadpoolctl's, numpy's), far below a batch a batch."
    )
    return "\n\n".join(
        [
            "## Online distillation",
            setup,
            _per_dataset(df),
            wins,
            sentence,
            stream,
            memory,
            flat,
        ]
    )
