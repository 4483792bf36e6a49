"""Multi-teacher distillation: one student from two teachers, or from each alone.

The section of the ``variants`` suite on :class:`skdistill.TeacherEnsemble`:
a LightGBM teacher and a logistic-regression teacher, each frozen once
fitted; every student is distilled from each of them alone, and from their
ensemble averaged in probability space (``average="proba"``, which is
``VotingClassifier(voting="soft")``) and in logit space
(``average="logit"``), and compared with its hard-label twin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import (
    classification_scores,
    datasets,
    lgbm_teacher,
    markdown_table,
    mean_std,
    plural,
    rows_note,
    split_seeds,
    splits,
    target_row,
    teacher_trees,
    timed,
)
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier, TeacherEnsemble

# The largest datasets are subsampled (stratified) to keep the section within
# its time budget (about 6 minutes on 2 cores); the others are used in full.
MAX_ROWS = dict.fromkeys(["magic", "adult", "connect_4", "letter", "pendigits"], 4000)
N_SPLITS = 3
STUDENTS = {
    "tree-d6": DecisionTreeClassifier(max_depth=6, random_state=0),
    "logreg": LogisticRegression(max_iter=1000),
}
SINGLE = ("lgbm", "logreg")
ENSEMBLES = ("ensemble-proba", "ensemble-logit")
SOURCES = SINGLE + ENSEMBLES


def _teachers(split, n_trees: int) -> dict[str, object]:
    """The two teachers fitted on the split (frozen), and their two ensembles."""
    X, y = split.X_train, split.y_train
    lgbm = lgbm_teacher(n_trees, random_state=split.seed).set_params(n_jobs=1)
    frozen = {
        "lgbm": FrozenEstimator(lgbm.fit(X, y)),
        "logreg": FrozenEstimator(LogisticRegression(max_iter=1000).fit(X, y)),
    }
    members = list(frozen.items())
    return {
        **frozen,
        "ensemble-proba": TeacherEnsemble(members, average="proba").fit(X, y),
        "ensemble-logit": TeacherEnsemble(members, average="logit").fit(X, y),
    }


def _teacher_scores(teacher, split) -> dict[str, float]:
    """:func:`classification_scores` from one read of the teacher (a LightGBM
    teacher of many classes takes seconds to read)."""
    proba = teacher.predict_proba(split.X_test)
    predicted = teacher.classes_[proba.argmax(axis=1)]
    return {
        "acc": accuracy_score(split.y_test, predicted),
        "logloss": log_loss(split.y_test, proba, labels=split.classes),
    }


def _on_split(split, n_trees: int) -> list[dict]:
    """Teachers, hard-label students and distilled students on one split."""
    teachers = _teachers(split, n_trees)

    def row(student, source, model, fit_s=np.nan):
        return dict(
            dataset=split.dataset,
            rows=split.rows,
            seed=split.seed,
            student=student,
            source=source,
            **(classification_scores(model, split) if model is not None else {}),
            fit_s=fit_s,
        )

    rows = [
        {**row("-", name, None), **_teacher_scores(teacher, split)}
        for name, teacher in teachers.items()
    ]
    X, y = split.X_train, split.y_train
    for name, student in STUDENTS.items():
        model, seconds = timed(clone(student).fit, X, y)
        rows.append(row(name, "hard", model, seconds))
        for source, teacher in teachers.items():
            model = DistilledClassifier(teacher, clone(student))
            model, seconds = timed(model.fit, X, y)
            rows.append(row(name, source, model, seconds))
    return rows


def _table(mean: pd.DataFrame, std: pd.DataFrame, column: str, students) -> str:
    """Per dataset and student: the score of each source, mean ± std."""
    sources = ("hard", *SOURCES)
    lines = [
        "| dataset | student | " + " | ".join(sources) + " |",
        "|---|---|" + "---|" * len(sources),
    ]
    for dataset in mean.index.get_level_values("dataset").unique():
        for student in students:
            cells = []
            for source in sources:
                m = mean.loc[(dataset, student, source), column]
                s = std.loc[(dataset, student, source), column]
                cells.append(f"{m:.4f} ± {s:.4f}")
            lines.append(f"| {dataset} | {student} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _teachers_table(mean: pd.DataFrame) -> str:
    """The teachers themselves, per dataset: accuracy and log-loss."""
    lines = [
        "| dataset | "
        + " | ".join(f"{s} acc" for s in SOURCES)
        + " | "
        + " | ".join(f"{s} log-loss" for s in SOURCES)
        + " |",
        "|---|" + "---|" * (2 * len(SOURCES)),
    ]
    for dataset in mean.index.get_level_values("dataset").unique():
        acc = [f"{mean.loc[(dataset, '-', s), 'acc']:.4f}" for s in SOURCES]
        loss = [f"{mean.loc[(dataset, '-', s), 'logloss']:.4f}" for s in SOURCES]
        lines.append(f"| {dataset} | " + " | ".join(acc + loss) + " |")
    return "\n".join(lines)


def _beats(mean: pd.DataFrame, student: str, source: str, baselines) -> dict:
    """Datasets where ``source`` beats every baseline: accuracy and log-loss."""
    names = list(mean.index.get_level_values("dataset").unique())
    won = {"acc": [], "logloss": []}
    for dataset in names:
        ours = mean.loc[(dataset, student, source)]
        others = [mean.loc[(dataset, student, b)] for b in baselines]
        if all(ours.acc > o.acc for o in others):
            won["acc"].append(dataset)
        if all(ours.logloss < o.logloss for o in others):
            won["logloss"].append(dataset)
    return {"names": names, **won}


def _wins_table(mean: pd.DataFrame, students) -> tuple[str, list[dict], list[str]]:
    """How often each source beats the hard-label student, and how often an
    ensemble beats both single teachers; the targets and the plain sentences."""
    lines = [
        "| student | source | accuracy better than hard | log-loss better than "
        "hard | accuracy better than both single teachers | log-loss better than "
        "both single teachers |",
        "|---|---|---|---|---|---|",
    ]
    targets, sentences = [], []
    for student in students:
        for source in SOURCES:
            hard = _beats(mean, student, source, ["hard"])
            n = len(hard["names"])
            cells = [f"{len(hard['acc'])}/{n}", f"{len(hard['logloss'])}/{n}"]
            if source in ENSEMBLES:
                both = _beats(mean, student, source, SINGLE)
                cells += [f"{len(both['acc'])}/{n}", f"{len(both['logloss'])}/{n}"]
                for column, label in (("acc", "accuracy"), ("logloss", "log-loss")):
                    targets.append(
                        target_row(
                            f"{student} from {source}: datasets where its {label} "
                            "beats the student from each single teacher",
                            len(both[column]),
                            at_least=float(np.ceil(n / 2)),
                            unit="",
                            digits=0,
                        )
                    )
                lost = {
                    label: [d for d in both["names"] if d not in both[column]]
                    for column, label in (("acc", "accuracy"), ("logloss", "log-loss"))
                }
                parts = [
                    f"{label} on {len(names)}/{n} ({', '.join(names)})"
                    for label, names in lost.items()
                    if names
                ]
                if parts:
                    sentences.append(
                        f"- `{student}` from `{source}` does **not** beat both "
                        f"single-teacher students in {'; in '.join(parts)}."
                    )
            else:
                cells += ["-", "-"]
            lines.append(f"| {student} | {source} | " + " | ".join(cells) + " |")
    return "\n".join(lines), targets, sentences


def _teacher_sentences(mean: pd.DataFrame) -> list[str]:
    """Where each ensemble teacher is not better than the better single one."""
    sentences = []
    for source in ENSEMBLES:
        both = _beats(mean, "-", source, SINGLE)
        n = len(both["names"])
        lost = [d for d in both["names"] if d not in both["logloss"]]
        sentences.append(
            f"As a teacher, {source} has a lower held-out log-loss than both "
            f"single teachers on {len(both['logloss'])}/{n} datasets and a higher "
            f"accuracy than both on {len(both['acc'])}/{n}"
            + (f"; not on log-loss: {', '.join(lost)}." if lost else ".")
        )
    return sentences


def section(ctx) -> str:
    data = list(datasets(ctx, max_rows=MAX_ROWS))
    seeds = split_seeds(ctx, N_SPLITS)
    n_trees = teacher_trees(ctx)
    rows = []
    for dataset in data:
        for split in splits(ctx, dataset, seeds):
            rows += _on_split(split, n_trees)
    df = pd.DataFrame(rows)
    keys = ["dataset", "student", "source"]
    mean = df.groupby(keys, sort=False)[["acc", "logloss", "fit_s"]].mean()
    std = df.groupby(keys, sort=False)[["acc", "logloss"]].std(ddof=0)
    wins, targets, sentences = _wins_table(mean, STUDENTS)
    distilled = df[df.source.isin(SOURCES) & (df.student != "-")]
    fit_times = ", ".join(
        f"{source} {mean_std(distilled[distilled.source == source].fit_s, '.2f')} s"
        for source in SOURCES
    )
    setup = (
        f"Teachers, fitted once per split and frozen: LightGBM ({n_trees} trees, "
        "learning rate 0.05, `n_jobs=1`) and a logistic regression "
        "(`LogisticRegression(max_iter=1000)`), a different family on purpose: "
        "an average helps where its members err differently, and a linear "
        "model's errors differ most from the trees'. Their ensembles are "
        "`TeacherEnsemble` of the two frozen teachers with equal weights, "
        '`average="proba"` (the same outputs as `VotingClassifier(voting="soft")`) '
        'and `average="logit"`. Students: a depth-6 decision tree (`tree-d6`) and '
        "a logistic regression (`logreg`), each fit on the labels alone "
        "(`hard`) and distilled by `DistilledClassifier` at its defaults "
        "(temperature `auto`, alpha 0.5, soft targets on the training rows) "
        "from each source. Mean ± std over "
        f"{plural(len(seeds), 'stratified 70/30 split')}. Datasets and rows "
        f"used: {rows_note(data)}. Categorical columns one-hot "
        "encoded, numeric ones imputed and standardized, for every model. One "
        "thread per model (LightGBM `n_jobs=1`, BLAS limited to one thread by "
        "the suite). Mean distillation fit time per source (teacher reads "
        f"included, teachers' fits not): {fit_times}."
    )
    return "\n\n".join(
        [
            "## Several teachers at once",
            setup,
            "### How often the student beats its baselines",
            "Over datasets, scores first averaged over the splits. An ensemble "
            "beats both single teachers where its student scores better than "
            "the students distilled from the LightGBM teacher and from the "
            "logistic-regression teacher.",
            wins,
            markdown_table(targets, ["measure", "value", "target", "result"]),
            " ".join(_teacher_sentences(mean)),
            "Where a student from an ensemble does not beat the students from "
            "each single teacher (the issue's baseline):",
            "\n".join(sentences)
            or "Nowhere: it beats both on every dataset, in accuracy and log-loss.",
            "### The teachers",
            "Held-out accuracy and log-loss of the teachers themselves, mean over "
            "the splits.",
            _teachers_table(mean),
            "### Per dataset: accuracy",
            _table(mean, std, "acc", STUDENTS),
            "### Per dataset: log-loss",
            _table(mean, std, "logloss", STUDENTS),
        ]
    )
