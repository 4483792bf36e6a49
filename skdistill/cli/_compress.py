"""``skdistill compress``: the smallest student that meets a budget, and the frontier.

The command line of :class:`~skdistill.compress.CompressedClassifierCV` and
:class:`~skdistill.compress.CompressedRegressorCV`: DATA is read as ``fit``
reads it (:func:`~skdistill.cli._fit._read_rows`), the teacher is ``fit``'s
(a named one, or the fitted teacher of ``--teacher-model``, frozen), and the
students are the ladders of :func:`~skdistill.compress.default_ladder`, each
behind the encoding ``fit`` gives it (:mod:`~skdistill.cli._models`). The
frontier is printed as a table on standard output, the search's progress
lines go to standard error, and the chosen student is saved as the model
file ``fit`` writes (:func:`~skdistill.cli._persist.make_bundle`), so that
``predict``, ``evaluate`` and ``export`` take it.

Sizes are in bytes: ``KB``, ``MB`` and ``GB`` count thousands (``kB``:
1000 bytes, as ``ls --si`` and disk makers count), ``KiB``, ``MiB`` and
``GiB`` 1024s.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import get_scorer_names
from sklearn.pipeline import Pipeline

from ..compress import (
    BudgetError,
    CompressedClassifierCV,
    CompressedRegressorCV,
    default_ladder,
)
from ..preprocessing import TableSchema
from ._console import Progress, add_common_options
from ._data import did_you_mean
from ._errors import EXIT_USAGE, CLIError
from ._export import FORMATS, check_dependencies
from ._files import check_destination
from ._fit import _export, _fit_schema, _inputs, _read_rows, _same_path
from ._models import (
    DEFAULT_TEACHER,
    TEACHER_TREES,
    TEACHERS,
    ModelOptions,
    _with_preprocessing,
    build_teacher,
    check_known,
    describe,
)
from ._persist import TRUST_OPTION, make_bundle, save_bundle, training_fingerprint
from ._stream import load_teacher
from ._train import (
    Settings,
    _plain,
    _save_figure,
    check_plotting,
    finite_float,
    n_jobs,
    positive_float,
    positive_int,
    seed,
    unit_float,
)

SUMMARY = "find the smallest student that meets a budget, print the frontier"
DESCRIPTION = """\
Distil ladders of students of growing size (linear models with and without
L1 sparsity, decision trees of depth 1 to 12, LightGBM of 2 to 128 trees of
4 to 32 leaves) from one teacher, score each by cross-validation beside its
twin trained on the labels alone, measure what each costs (size, ONNX size,
parameters, time to predict one row), print the frontier of the best
trade-offs and save the student the budget chooses, for 'skdistill
predict', 'evaluate' and 'export'.

The budget is any of --keep (a share of the teacher's cross-validated
score), --min-score, --max-size and --max-latency. A student is within the
budget when it meets every bound given. With --keep or --min-score, the
smallest student within the budget is chosen; with --max-size or
--max-latency alone, the best-scoring one; with no budget, the best-scoring
student. When none is within the budget, the table of the students tried
is printed, then the error says what came closest (exit status 1).

Sizes: 2048 (bytes), 50KB or 50kB (50,000 bytes), 1.5MB, 64KiB (65,536
bytes). Times: 10us or 10µs, 0.5ms, 1e-5s. The size of a student is the
pickled student with its encoding; its time is one row on one thread,
through Python (an ONNX or C export is faster).

Each ladder is climbed from its smallest student and left after --patience
students in a row that do not improve its best score. The teacher is fit
once per fold and once on all rows; the chosen student is distilled again
from that teacher on all rows, and saved (with --out) as 'skdistill fit'
saves its model.

examples:
  skdistill compress churn.csv --target churned --keep 0.99 --out churn.skops
  skdistill compress churn.csv --target churned --max-size 50KB \\
      --ladders tree,lgbm_8_leaves --out churn.skops --export c
  skdistill compress churn.csv --target churned --max-latency 10us --plots plots/
"""

#: The ladders of :func:`~skdistill.compress.default_ladder`, cheapest first.
LADDERS = tuple(default_ladder())
#: Bytes per unit of ``--max-size`` (lower case; a bare number is bytes).
SIZE_UNITS = {
    "": 1,
    "b": 1,
    "byte": 1,
    "bytes": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
}
#: Units of ``--max-latency`` in a second (µ as the micro sign or the Greek mu);
#: dividing by them gives ``10us`` as exactly ``1e-05``.
TIME_UNITS = {
    "s": 1,
    "ms": 1000,
    "us": 1000**2,
    "\N{MICRO SIGN}s": 1000**2,
    "\N{GREEK SMALL LETTER MU}s": 1000**2,
    "ns": 1000**3,
}
_QUANTITY = re.compile(
    r"\s*(?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<unit>\S*)\s*"
)
#: The default score of each task, as the table names it, and its scorer.
DEFAULT_SCORE = {"classification": "accuracy", "regression": "R²"}
DEFAULT_SCORER = {"classification": "accuracy", "regression": "r2"}


# -- option values ------------------------------------------------------------------
def _quantity(text: str) -> tuple[float, str] | None:
    """The number and the unit of ``text`` (such as ``"1.5"``, ``"MB"``), or None."""
    match = _QUANTITY.fullmatch(text)
    if match is None:
        return None
    return float(match["number"]), match["unit"]


def size_bytes(text: str) -> float:
    """argparse type: a size in bytes, with an optional unit.

    ``KB``, ``MB`` and ``GB`` (any case) count 1000s, ``KiB``, ``MiB`` and
    ``GiB`` 1024s; a bare number, or ``B``, is bytes.

    >>> size_bytes("50KB"), size_bytes("1.5 MB"), size_bytes("64KiB")
    (50000.0, 1500000.0, 65536.0)
    """
    quantity = _quantity(text)
    if quantity is None or quantity[1].lower() not in SIZE_UNITS:
        raise argparse.ArgumentTypeError(
            "must be a size in bytes, such as 50KB, 1.5MB or 2048 (KB = 1000 "
            f"bytes, KiB = 1024), got {text!r}"
        )
    value = quantity[0] * SIZE_UNITS[quantity[1].lower()]
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {text!r}")
    return value


def latency_seconds(text: str) -> float:
    """argparse type: a time with its unit (s, ms, us or µs, ns), in seconds.

    >>> latency_seconds("10us"), latency_seconds("0.5ms"), latency_seconds("1e-5s")
    (1e-05, 0.0005, 1e-05)
    """
    quantity = _quantity(text)
    if quantity is None or quantity[1] not in TIME_UNITS:
        raise argparse.ArgumentTypeError(
            "must be a time with its unit (s, ms, us or µs, ns), such as 10us, "
            f"0.5ms or 1e-5s, got {text!r}"
        )
    value = quantity[0] / TIME_UNITS[quantity[1]]
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {text!r}")
    return value


def keep_share(text: str) -> float:
    """argparse type: a share of the teacher's score, in (0, 1] or as a percentage.

    >>> keep_share("0.99"), keep_share("99%")
    (0.99, 0.99)
    """
    percent = text.strip().endswith("%")
    try:
        value = finite_float(text.strip().removesuffix("%"))
    except argparse.ArgumentTypeError:
        value = math.nan
    if percent:
        value /= 100
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(
            f"must be a share of the teacher's score above 0 and at most 1, such "
            f"as 0.99 or 99%, got {text!r}"
        )
    return value


def ladder_names(text: str) -> list[str]:
    """argparse type: ladder names of :data:`LADDERS`, separated by commas."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if name not in LADDERS:
            raise argparse.ArgumentTypeError(
                f"unknown ladder {name!r}{did_you_mean(name, LADDERS)} (the "
                f"ladders: {', '.join(LADDERS)})"
            )
    if not names:
        raise argparse.ArgumentTypeError(
            f"give ladder names separated by commas, from: {', '.join(LADDERS)}"
        )
    return list(dict.fromkeys(names))


def patience(text: str) -> int | None:
    """argparse type: ``none`` or an integer of at least 1."""
    if text.strip().lower() == "none":
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"must be 'none' or an integer of at least 1, got {text!r}"
        )
    return value


def cv_folds(text: str) -> int:
    """argparse type: a number of folds of at least 2."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 2:
        raise argparse.ArgumentTypeError(
            f"must be an integer of at least 2, got {text!r}"
        )
    return value


def repeats(text: str) -> int:
    """argparse type: an integer of at least 0."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"must be an integer of at least 0, got {text!r}"
        )
    return value


def scorer_name(text: str) -> str:
    """argparse type: the name of a scikit-learn scorer."""
    names = get_scorer_names()
    if text not in names:
        hint = did_you_mean(text, names) or (
            "; scikit-learn's scorers include accuracy, roc_auc, neg_log_loss, r2 "
            "and neg_root_mean_squared_error (sklearn.metrics.get_scorer_names() "
            "lists them all)"
        )
        raise argparse.ArgumentTypeError(f"unknown scorer {text!r}{hint}")
    return text


def format_parser(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``skdistill compress`` to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    parser.add_argument("data", metavar="DATA", help="CSV or Parquet file ('-': stdin)")
    parser.add_argument(
        "--target",
        metavar="COLUMN",
        help="column to predict (required, but with --teacher-model of a model "
        "file: the teacher's target)",
    )
    parser.add_argument(
        "--task",
        choices=["auto", "classification", "regression"],
        default="auto",
        help="the task; 'auto' decides from the target (default: %(default)s)",
    )
    parser.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="COLUMN",
        help="a column not to use as a feature, such as an identifier "
        "(repeat for several)",
    )
    budget = parser.add_argument_group(
        "the budget (any of them; a student within it meets every bound given)"
    )
    budget.add_argument(
        "--keep",
        type=keep_share,
        metavar="SHARE",
        help="keep this share of the teacher's cross-validated score: 0.99 or "
        "99%% allows a score 1%% below the teacher's; the smallest student "
        "doing so is chosen",
    )
    budget.add_argument(
        "--min-score",
        type=finite_float,
        metavar="SCORE",
        help="the lowest score allowed, in the units of --scoring; the smallest "
        "student reaching it is chosen",
    )
    budget.add_argument(
        "--max-size",
        type=size_bytes,
        metavar="SIZE",
        help="the largest student allowed (pickled, with its encoding): bytes, "
        "or 50KB (50,000 bytes), 1.5MB, 64KiB (65,536 bytes)",
    )
    budget.add_argument(
        "--max-latency",
        type=latency_seconds,
        metavar="TIME",
        help="the longest time to predict one row on one thread: 10us (or "
        "10µs), 0.5ms, 1e-5s",
    )
    search = parser.add_argument_group("the search")
    search.add_argument(
        "--ladders",
        type=ladder_names,
        metavar="NAMES",
        help=f"the ladders of students to climb, separated by commas, from: "
        f"{', '.join(LADDERS)} (default: all)",
    )
    search.add_argument(
        "--patience",
        type=patience,
        default=2,
        metavar="N",
        help="leave a ladder after N students in a row that do not improve its "
        "best score; 'none' tries every student (default: %(default)s)",
    )
    search.add_argument(
        "--cv",
        type=cv_folds,
        default=5,
        metavar="K",
        help="folds of the cross-validation, stratified for a classification "
        "(default: %(default)s)",
    )
    search.add_argument(
        "--scoring",
        type=scorer_name,
        metavar="NAME",
        help="a scikit-learn scorer, such as roc_auc or neg_log_loss (default: "
        "accuracy for a classification, r2 for a regression)",
    )
    search.add_argument(
        "--teacher",
        metavar="NAME",
        help=f"teacher: {describe(TEACHERS)} (default: {DEFAULT_TEACHER})",
    )
    search.add_argument(
        "--n-estimators",
        type=positive_int,
        metavar="N",
        help=f"trees of the teacher (default: {TEACHER_TREES})",
    )
    search.add_argument(
        "--teacher-model",
        metavar="TEACHER",
        help="distil the fitted teacher of TEACHER, never training it: a model "
        "file of 'skdistill fit' (its teacher, column types, target and task) "
        "or a skops file of a fitted scikit-learn classifier or regressor (or "
        "Pipeline) that takes DATA's typed columns",
    )
    search.add_argument(
        TRUST_OPTION,
        action="store_true",
        help="load TEACHER even if it holds types that skdistill does not trust "
        "(only for a file whose source you trust)",
    )
    search.add_argument(
        "--temperature",
        type=positive_float,
        metavar="T",
        help="softening of the teacher's probabilities (classification only; "
        "default: auto, 2 for a tree student and 1 for the others)",
    )
    search.add_argument(
        "--alpha",
        type=unit_float,
        metavar="A",
        help="weight of the true labels in the student's target, in [0, 1] "
        "(default: 0.5)",
    )
    search.add_argument(
        "--latency-repeats",
        type=repeats,
        default=3,
        metavar="N",
        help="timed batches of each prediction time, the median kept; 0 times "
        "nothing (and refuses --max-latency) (default: %(default)s)",
    )
    search.add_argument(
        "--no-onnx",
        action="store_true",
        help="do not export each student to ONNX to measure its size (faster); "
        "without the export extra, it is not measured anyway",
    )
    search.add_argument(
        "--memory",
        metavar="DIR",
        help="cache the teacher's fits in DIR (created if missing): the same "
        "command run again, with another budget or other ladders, fits no "
        "teacher",
    )
    search.add_argument(
        "--random-state",
        type=seed,
        default=0,
        metavar="SEED",
        help="seed of every model (default: %(default)s)",
    )
    search.add_argument(
        "--n-jobs",
        type=n_jobs,
        default=1,
        metavar="N",
        help="folds whose teachers are fit in parallel; -1 for every core "
        "(default: %(default)s)",
    )
    output = parser.add_argument_group("what it prints and saves")
    output.add_argument(
        "--out",
        metavar="MODEL",
        help="save the chosen student to MODEL, as 'skdistill fit' saves its "
        "model (skops format, e.g. model.skops); without it nothing is saved",
    )
    output.add_argument(
        "--force",
        action="store_true",
        help="overwrite MODEL (and the --export file) if it exists (never DATA)",
    )
    output.add_argument(
        "--student-only",
        action="store_true",
        help="save the student alone (the table's column types, the student's "
        "encoding and the student), without the teacher and the baseline",
    )
    output.add_argument(
        "--export",
        choices=list(FORMATS),
        help="also write the chosen student as ONNX or C source, as 'skdistill "
        "export' does (needs --out)",
    )
    output.add_argument(
        "--export-out",
        metavar="FILE",
        help="where --export writes (default: MODEL with the suffix .onnx or .c)",
    )
    output.add_argument(
        "--plots",
        metavar="DIR",
        help="save compression_size.png and compression_latency.png to DIR: "
        "the score of every student against its size and its latency (needs "
        'matplotlib: pip install "skdistill[plots]")',
    )
    output.add_argument(
        "--all",
        action="store_true",
        help="list every student tried, not only those on the frontier",
    )
    output.add_argument(
        "--json",
        action="store_true",
        help="print the results as JSON instead of a table: the teacher, every "
        "student tried (with 'frontier' and 'chosen'), the budget",
    )
    add_common_options(parser)


# -- checks before any work ---------------------------------------------------------
def _check_options(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    """Usage errors among the options; the destinations, checked.

    Returns
    -------
    out : Path or None
        The model file (``--out``).
    export_out : Path or None
        Where ``--export`` writes.
    """
    if args.max_latency is not None and args.latency_repeats < 1:
        raise CLIError(
            "--max-latency needs the students' prediction times, but "
            f"--latency-repeats {args.latency_repeats} times nothing; give "
            "--latency-repeats 1 or more, or drop --max-latency",
            EXIT_USAGE,
        )
    if args.teacher_model is not None:
        for option, value in (
            ("--teacher", args.teacher),
            ("--n-estimators", args.n_estimators),
        ):
            if value is not None:
                raise CLIError(
                    f"{option} does not apply with --teacher-model: its teacher "
                    f"is fitted already; drop {option}",
                    EXIT_USAGE,
                )
    elif args.trust_untrusted_types:
        raise CLIError(
            f"{TRUST_OPTION} loads --teacher-model TEACHER; drop it, or give "
            "--teacher-model",
            EXIT_USAGE,
        )
    if args.teacher is not None:
        check_known("teacher", args.teacher)
    if args.out is None:
        for option, given in (
            ("--force", args.force),
            ("--student-only", args.student_only),
            ("--export", args.export is not None),
        ):
            if given:
                raise CLIError(
                    f"{option} applies to the saved model: add --out MODEL",
                    EXIT_USAGE,
                )
    if args.export is None and args.export_out is not None:
        raise CLIError("--export-out needs --export onnx or --export c", EXIT_USAGE)
    if args.plots is not None:
        if Path(args.plots).exists() and not Path(args.plots).is_dir():
            raise CLIError(f"--plots: {args.plots} is not a directory", EXIT_USAGE)
        check_plotting()
    if args.out is None:
        return None, None
    out = check_destination(args.out, force=args.force, inputs=_inputs(args))
    if args.export is None:
        return out, None
    check_dependencies(args.export)
    path = args.export_out or str(Path(args.out).with_suffix(FORMATS[args.export][1]))
    if _same_path(path, args.out):
        raise CLIError(
            f"--export-out: {path} is the model file (--out {args.out}); give "
            "--export-out another file",
            EXIT_USAGE,
        )
    export_out = check_destination(
        path, force=args.force, option="--export-out", inputs=_inputs(args)
    )
    return out, export_out


# -- the data, the teacher, the students --------------------------------------------
@dataclass
class Job:
    """What the search runs on.

    Attributes
    ----------
    X : DataFrame
        The raw feature columns.
    typed : DataFrame
        ``schema.transform(X)``: what the teacher and the students take.
    y : ndarray
        The target.
    task : {"classification", "regression"}
    schema : TableSchema
        Fitted (or the teacher's model file's).
    name : str
        How messages name DATA.
    teacher : estimator
        Unfitted, or a frozen fitted teacher.
    teacher_name : str
        The teacher, in words.
    """

    X: pd.DataFrame
    typed: pd.DataFrame
    y: NDArray[Any]
    task: str
    schema: TableSchema
    name: str
    teacher: Any
    teacher_name: str


def _read(args: argparse.Namespace, progress: Progress) -> Job:
    """DATA, its target and task, and the teacher (named, or of --teacher-model)."""
    fitted = None
    if args.teacher_model is not None:
        fitted = load_teacher(
            args.teacher_model, trust_untrusted_types=args.trust_untrusted_types
        )
        option = f"--teacher-model {args.teacher_model}"
        if args.task not in ("auto", fitted.task):
            raise CLIError(
                f"--task {args.task}: the teacher of {option} is a {fitted.task} "
                "model; drop --task (the task is the teacher's)",
                EXIT_USAGE,
            )
        args.task = fitted.task
        if fitted.target is not None:
            if args.target not in (None, fitted.target):
                raise CLIError(
                    f"--target {args.target!r}: the teacher of {option} predicts "
                    f"{fitted.target!r}; drop --target (it is the teacher's)",
                    EXIT_USAGE,
                )
            args.target = fitted.target
    if args.target is None:
        raise CLIError(
            "--target COLUMN is required: the column to predict (it defaults to "
            "the teacher's only with --teacher-model of a model file)",
            EXIT_USAGE,
        )
    teacher = args.teacher or DEFAULT_TEACHER
    settings = Settings(teacher=teacher, temperature=args.temperature)
    X, y, task, name = _read_rows(args, settings, progress)
    if fitted is not None and fitted.features is not None:
        dropped = [column for column in args.drop if column in fitted.features]
        if dropped:
            raise CLIError(
                f"--drop: the teacher of --teacher-model {args.teacher_model} takes "
                f"the column {dropped[0]!r}; drop only columns it does not use",
                EXIT_USAGE,
            )
        missing = [column for column in fitted.features if column not in X.columns]
        if missing:
            raise CLIError(
                f"{name} lacks the column(s) {', '.join(map(repr, missing))} that "
                f"the teacher of --teacher-model {args.teacher_model} takes"
            )
        X = X[fitted.features]
    schema = (
        fitted.schema
        if fitted is not None and fitted.schema is not None
        else _fit_schema(X, name)
    )
    try:
        typed = schema.transform(X)
    except ValueError as exc:
        raise CLIError(f"{name}: {exc}") from None
    progress.note(
        f"features: {len(schema.numeric_columns_)} numeric, "
        f"{len(schema.categories_)} categorical; {len(y):,} rows"
    )
    if fitted is not None:
        progress.note(
            f"the teacher of {args.teacher_model} is fitted already: it is never "
            "refit, and its cross-validated score is optimistic if it was trained "
            "on rows of DATA (and so is the floor of --keep)"
        )
        return Job(
            X,
            typed,
            y,
            task,
            schema,
            name,
            FrozenEstimator(fitted.estimator),
            f"{fitted.description} of {args.teacher_model}, fitted already",
        )
    options = ModelOptions(
        n_estimators=args.n_estimators, random_state=args.random_state, n_jobs=None
    )
    return Job(
        X,
        typed,
        y,
        task,
        schema,
        name,
        build_teacher(teacher, task, typed, schema, options),
        TEACHERS[teacher].describe(options),
    )


def build_ladders(job: Job, names: list[str], random_state: int) -> dict[str, list]:
    """The ladders ``names`` of :func:`~skdistill.compress.default_ladder`.

    Each student gets the encoding that ``fit`` gives its family, after the
    job's schema (:func:`~skdistill.cli._models._with_preprocessing`), so
    that the chosen student is saved, exported and timed as ``fit``'s.

    Parameters
    ----------
    job : Job
        The typed table and its schema.
    names : list of str
        Keys of :data:`LADDERS`.
    random_state : int
        Seed of the students.

    Returns
    -------
    ladders : dict of str to list of (str, estimator)
    """
    ladders = default_ladder(job.typed, job.y, task=job.task, random_state=random_state)
    return {
        ladder: [
            (name, _with_preprocessing(_final(student), job.typed, job.schema))
            for name, student in ladders[ladder]
        ]
        for ladder in names
    }


def _final(student: Any) -> Any:
    """The model of a ladder's student, without the preprocessing in front."""
    return student.steps[-1][1] if isinstance(student, Pipeline) else student


def _search(job: Job, args: argparse.Namespace) -> Any:
    """The unfitted search of the job's task, with the command line's options."""
    params: dict[str, Any] = {
        "keep": args.keep,
        "min_score": args.min_score,
        "max_size": args.max_size,
        "max_latency": args.max_latency,
        "scoring": args.scoring,
        "cv": args.cv,
        "patience": args.patience,
        "onnx": False if args.no_onnx else "auto",
        "latency_repeats": args.latency_repeats,
        "memory": args.memory,
        "n_jobs": args.n_jobs,
        "verbose": 0 if args.quiet else 1,
        "random_state": args.random_state,
    }
    if args.alpha is not None:
        params["alpha"] = args.alpha
    if job.task == "classification":
        if args.temperature is not None:
            params["temperature"] = args.temperature
        return CompressedClassifierCV(job.teacher, **params)
    return CompressedRegressorCV(job.teacher, **params)


# -- what is printed ----------------------------------------------------------------
def format_size(n_bytes: float) -> str:
    """A size in bytes as ``812 B``, ``3.92 kB``, ``1.25 MB`` (kB = 1000 bytes).

    >>> format_size(812), format_size(3922), format_size(41_000), format_size(1.25e6)
    ('812 B', '3.92 kB', '41.0 kB', '1.25 MB')
    """
    if not np.isfinite(n_bytes):
        return "-"
    if n_bytes < 1000:
        return f"{n_bytes:,.0f} B"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        value = n_bytes / scale
        if value < 999.5 or unit == "GB":
            break
    digits = 2 if value < 9.995 else 1 if value < 99.95 else 0
    return f"{value:.{digits}f} {unit}"


def format_time(seconds: float) -> str:
    """A time as microseconds, ``12.3 µs`` or ``1,234 µs``.

    >>> format_time(1.234e-5), format_time(0.0012345)
    ('12.3 µs', '1,234 µs')
    """
    if not np.isfinite(seconds):
        return "-"
    micro = seconds * 1e6
    return f"{micro:,.1f} µs" if micro < 100 else f"{micro:,.0f} µs"


def _score_name(args: argparse.Namespace, task: str) -> str:
    return args.scoring or DEFAULT_SCORE[task]


def _frontiers(search: Any) -> list[list[str]]:
    """For each student tried, the frontiers it is on: ``["size", "latency"]``."""
    on: list[list[str]] = [[] for _ in search.cv_results_["student_name"]]
    for cost in ("size", "latency"):
        for index in search.frontier_[cost]:
            on[int(index)].append(cost)
    return on


def _chosen(search: Any) -> int | None:
    return getattr(search, "best_index_", None)


def format_table(search: Any, score_name: str, *, every_student: bool) -> str:
    """The frontier (or every student tried) as a text table, smallest first.

    Parameters
    ----------
    search : CompressedClassifierCV or CompressedRegressorCV
        Fitted, or stopped by :class:`~skdistill.compress.BudgetError`.
    score_name : str
        The score's name, for the header.
    every_student : bool
        List every student tried, not only the frontier and the chosen one.

    Returns
    -------
    table : str
    """
    results = search.cv_results_
    frontiers = _frontiers(search)
    chosen = _chosen(search)
    rows = [
        index
        for index in range(len(frontiers))
        if every_student or frontiers[index] or index == chosen
    ]
    rows.sort(key=lambda index: (results["size_bytes"][index], index))
    columns = [  # header, cell of a row, left-aligned
        ("", lambda i: "*" if i == chosen else "", True),
        ("student", lambda i: str(results["student_name"][i]), True),
        (score_name, lambda i: f"{results['mean_test_score'][i]:.4f}", False),
        ("hard-label", lambda i: f"{results['mean_hard_label_score'][i]:.4f}", False),
        ("size", lambda i: format_size(results["size_bytes"][i]), False),
        ("ONNX size", lambda i: format_size(results["onnx_size_bytes"][i]), False),
        ("parameters", lambda i: _count(results["n_parameters"][i]), False),
        ("1-row µs", lambda i: _micro(results["predict_time_1row"][i]), False),
        ("frontier", lambda i: ", ".join(frontiers[i]), True),
    ]
    if np.isnan(results["onnx_size_bytes"]).all():  # not measured
        columns = [column for column in columns if column[0] != "ONNX size"]
    cells = [[header for header, _, _ in columns]]
    cells += [[cell(index) for _, cell, _ in columns] for index in rows]
    widths = [max(len(line[k]) for line in cells) for k in range(len(columns))]
    text = [
        "  ".join(
            cell.ljust(width) if left else cell.rjust(width)
            for cell, width, (_, _, left) in zip(line, widths, columns, strict=True)
        ).rstrip()
        for line in cells
    ]
    n_tried = len(frontiers)
    what = f"all {n_tried}" if every_student else f"the frontier of {n_tried}"
    title = (
        f"Compression: {what} students tried, "
        f"{search.n_splits_}-fold cross-validated {score_name} (* chosen)"
    )
    return "\n".join([title, "", *text])


def _count(value: float) -> str:
    return "-" if not np.isfinite(value) else f"{value:,.0f}"


def _micro(seconds: float) -> str:
    return format_time(seconds).removesuffix(" µs")


def budget_bounds(args: argparse.Namespace, search: Any, score_name: str) -> list[str]:
    """Each bound of the budget, in words (empty without a budget)."""
    teacher = search.teacher_score_
    bounds = []
    if args.keep is not None:
        floor = teacher - (1.0 - args.keep) * abs(teacher)
        bounds.append(
            f"{score_name} at least {floor:.4f} (--keep {args.keep:g} of the "
            f"teacher's {teacher:.4f})"
        )
    if args.min_score is not None:
        bounds.append(f"{score_name} at least {args.min_score:g} (--min-score)")
    if args.max_size is not None:
        bounds.append(f"size at most {format_size(args.max_size)} (--max-size)")
    if args.max_latency is not None:
        bounds.append(
            f"one row in at most {format_time(args.max_latency)} (--max-latency)"
        )
    return bounds


def _rule(args: argparse.Namespace) -> str:
    """Which student the budget chooses, in words."""
    if args.keep is not None or args.min_score is not None:
        return "the smallest student within the budget"
    if args.max_size is not None or args.max_latency is not None:
        return "the best-scoring student within the budget"
    return "the best-scoring student (no budget given)"


def _figures(figures: dict[str, float], score: float, score_name: str) -> str:
    onnx = figures["onnx_size_bytes"]
    size = format_size(figures["size_bytes"])
    if np.isfinite(onnx):
        size += f" (ONNX {format_size(onnx)})"
    return (
        f"{score_name} {score:.4f}, {size}, {_count(figures['n_parameters'])} "
        f"parameters, {format_time(figures['predict_time_1row'])} for one row"
    )


def format_summary(
    search: Any,
    args: argparse.Namespace,
    job: Job,
    score_name: str,
    ladders: dict[str, list],
) -> str:
    """The lines under the table: the budget, the chosen student and why, the
    teacher, and the students left untried."""
    results = search.cv_results_
    bounds = budget_bounds(args, search, score_name)
    lines = [f"budget: {'; '.join(bounds)}"] if bounds else []
    chosen = _chosen(search)
    teacher = search.teacher_footprint_
    if chosen is not None:
        figures = {key: float(results[key][chosen]) for key in teacher}
        lines += [
            f"chosen: {results['student_name'][chosen]}, {_rule(args)}",
            "  "
            + _figures(figures, search.best_score_, score_name)
            + f"; {results['mean_hard_label_score'][chosen]:.4f} trained on the "
            "labels alone",
        ]
    lines += [
        f"teacher: {job.teacher_name}",
        "  " + _figures(teacher, search.teacher_score_, score_name),
    ]
    if chosen is not None:
        ratio = teacher["size_bytes"] / results["size_bytes"][chosen]
        digits = 1 if ratio < 10 else 0
        lines[-1] += f"; {ratio:,.{digits}f} times the chosen student's size"
    if search.skipped_:
        ladder_of = {
            name: ladder for ladder, students in ladders.items() for name, _ in students
        }
        counts = Counter(ladder_of[name] for name in search.skipped_)
        lines.append(
            f"left untried by --patience {args.patience} (--patience none tries "
            f"them): {len(search.skipped_)} larger students ("
            + ", ".join(f"{n} of {ladder}" for ladder, n in counts.items())
            + ")"
        )
    return "\n".join(lines)


def no_student_message(search: Any, args: argparse.Namespace, score_name: str) -> str:
    """The error of a budget that no student meets: what came closest."""
    results = search.cv_results_
    scores = np.asarray(results["mean_test_score"], dtype=float)
    sizes = np.asarray(results["size_bytes"], dtype=float)
    times = np.asarray(results["predict_time_1row"], dtype=float)
    names = results["student_name"]
    valid = np.isfinite(scores)
    budget = " and ".join(budget_bounds(args, search, score_name))
    if not valid.any():
        return f"no student could be scored, so none meets the budget, {budget}"

    def said(index: int) -> str:
        return (
            f"{names[index]} ({score_name} {scores[index]:.4f}, "
            f"{format_size(sizes[index])}, {format_time(times[index])} for one row)"
        )

    nearest = {"best": int(np.argmax(np.where(valid, scores, -np.inf)))}
    nearest["smallest"] = int(np.argmin(np.where(valid, sizes, np.inf)))
    if args.max_latency is not None:
        timed = valid & np.isfinite(times)
        nearest["fastest"] = int(np.argmin(np.where(timed, times, np.inf)))
    labels: dict[int, list[str]] = {}  # one student may be several of them
    for label, index in nearest.items():
        labels.setdefault(index, []).append(label)
    closest = [
        f"the {' and the '.join(names)} is {said(index)}"
        for index, names in labels.items()
    ]
    return (
        f"no student meets the budget, {budget}: {'; '.join(closest)}. Loosen "
        "the budget, or try more students (--ladders, --patience none); the "
        "table lists every student tried"
    )


def results_dict(search: Any, args: argparse.Namespace, job: Job) -> dict[str, Any]:
    """The results as plain values, for ``--json`` (NaN as None).

    Returns
    -------
    results : dict
        ``task``, ``target``, ``n_rows``, ``n_splits``, ``scoring``,
        ``budget`` (the options and the resolved ``min_score``),
        ``teacher`` (its score and footprint), ``students`` (every student
        tried, in the order tried, with its ``frontier`` and whether it is
        ``chosen``), ``skipped``, ``chosen`` (a name, or None) and
        ``chosen_as`` (the rule that chose it, in words).
    """
    results = search.cv_results_
    frontiers = _frontiers(search)
    chosen = _chosen(search)
    keys = (
        "size_bytes",
        "onnx_size_bytes",
        "n_parameters",
        "predict_time_1row",
        "predict_time_per_row",
    )
    students = [
        {
            "student": results["student_name"][index],
            "ladder": results["ladder"][index],
            "score": results["mean_test_score"][index],
            "std_score": results["std_test_score"][index],
            "hard_label_score": results["mean_hard_label_score"][index],
            **{key: results[key][index] for key in keys},
            "frontier": frontiers[index],
            "chosen": index == chosen,
        }
        for index in range(len(frontiers))
    ]
    return _plain(
        {
            "task": job.task,
            "target": args.target,
            "n_rows": len(job.y),
            "n_splits": search.n_splits_,
            "scoring": args.scoring or DEFAULT_SCORER[job.task],
            "budget": {
                "keep": args.keep,
                "min_score": args.min_score,
                "max_size_bytes": args.max_size,
                "max_latency_seconds": args.max_latency,
                "resolved_min_score": search.min_score_,
            },
            "teacher": {
                "name": job.teacher_name,
                "score": search.teacher_score_,
                **search.teacher_footprint_,
            },
            "students": students,
            "skipped": list(search.skipped_),
            "chosen": None if chosen is None else results["student_name"][chosen],
            "chosen_as": None if chosen is None else _rule(args),
        }
    )


# -- what is saved ------------------------------------------------------------------
def _bundle(search: Any, job: Job, args: argparse.Namespace) -> dict:
    """The model file of the chosen student, as ``fit`` writes it."""
    best = search.best_estimator_
    chosen = search.best_index_
    baseline = None
    if not args.student_only:  # the chosen student on the labels alone
        twin = clone(search.best_params_["student"]).fit(job.typed, job.y)
        baseline = Pipeline([("schema", job.schema), ("student", twin)])
    settings = {
        "command": "compress",
        "teacher": args.teacher_model or args.teacher or DEFAULT_TEACHER,
        "student": str(search.cv_results_["student_name"][chosen]),
        "ladder": str(search.cv_results_["ladder"][chosen]),
        "temperature": getattr(best, "temperature_", None),
        "alpha": getattr(best, "alpha_", None),
        "cv": search.n_splits_,
        "scoring": args.scoring or DEFAULT_SCORER[job.task],
        "keep": args.keep,
        "min_score": args.min_score,
        "max_size": args.max_size,
        "max_latency": args.max_latency,
        "cv_score": search.best_score_,
        "teacher_cv_score": search.teacher_score_,
        "trained_on": "all rows",
        "random_state": args.random_state,
        "n_estimators": args.n_estimators,
    }
    return make_bundle(
        Pipeline([("schema", job.schema), ("distiller", best)]),
        task=job.task,
        target=args.target,
        features=list(job.X.columns),
        baseline=baseline,
        settings=_plain(settings),
        student_only=args.student_only,
        training_rows=training_fingerprint(job.X, random_state=args.random_state),
    )


def save_plots(
    directory: str, search: Any, progress: Progress, *, timed: bool = True
) -> list[Path]:
    """``compression_size.png`` and ``compression_latency.png`` in ``directory``.

    Each is :meth:`~skdistill.plotting.CompressionDisplay.from_search` of
    the search, against the students' size and their time for one row.

    Parameters
    ----------
    directory : str
        Created if missing.
    search : CompressedClassifierCV or CompressedRegressorCV
        Fitted, or stopped by :class:`~skdistill.compress.BudgetError`.
    progress : Progress
        Where the step is reported.
    timed : bool, default=True
        Whether the search timed the students (``--latency-repeats`` above
        0); if not, only ``compression_size.png`` is saved.

    Returns
    -------
    paths : list of Path
        The files written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plotting import CompressionDisplay

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with progress.step(f"saving plots to {directory}"):
        try:
            for cost in ("size", "latency") if timed else ("size",):
                display = CompressionDisplay.from_search(search, cost=cost)
                path = folder / f"compression_{cost}.png"
                paths.append(_save_figure(display.figure_, path))
        finally:
            plt.close("all")
    return paths


# -- the command --------------------------------------------------------------------
def main(args: argparse.Namespace) -> int:
    """Run ``skdistill compress``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments.

    Returns
    -------
    exit_code : int
        0 on success; 1 (raised) when no student meets the budget.
    """
    progress = Progress(args.quiet)
    out, export_out = _check_options(args)
    job = _read(args, progress)
    ladders = build_ladders(job, args.ladders or list(LADDERS), args.random_state)
    n_students = sum(len(students) for students in ladders.values())
    progress.note(
        f"compressing the teacher ({job.teacher_name}) into {n_students} students "
        f"of {len(ladders)} ladder(s) ({', '.join(ladders)}), {args.cv}-fold "
        "cross-validated"
    )
    search = _search(job, args).set_params(students=ladders)
    start = time.perf_counter()
    budget_error = None
    try:
        search.fit(job.typed, job.y)
    except BudgetError as exc:
        budget_error = exc
    progress.note(f"searched in {time.perf_counter() - start:.1f} s")
    score_name = _score_name(args, job.task)
    saved = export_note = ""
    export_error = None
    if budget_error is None and out is not None:
        # saved before the table is printed: a closed pipe ('| head') loses no model
        bundle = _bundle(search, job, args)
        save_bundle(bundle, args.out, force=args.force)
        what = "the chosen student alone" if args.student_only else "the model"
        saved = (
            f"saved {what} to {args.out} ({format_size(out.stat().st_size)}; "
            f"trained on all {len(job.y):,} rows)"
        )
        if export_out is not None:
            export_note, export_error = _export(args, bundle["model"], export_out)
    plots = []
    if args.plots is not None:
        timed = args.latency_repeats > 0
        plots = save_plots(args.plots, search, progress, timed=timed)
    if args.json:
        payload = results_dict(search, args, job)
        payload["saved_model"] = (
            {
                "path": args.out,
                "contents": "student" if args.student_only else "distiller",
                "trained_on": "all rows",
                "n_rows": len(job.y),
            }
            if saved
            else None
        )
        text = json.dumps(payload, indent=2)
    else:
        text = "\n\n".join(
            [
                format_table(
                    search,
                    score_name,
                    every_student=args.all or budget_error is not None,
                ),
                format_summary(search, args, job, score_name, ladders),
            ]
        )
    print(text, flush=True)
    for note in (saved, export_note):
        if note:
            progress.note(note)
    if plots:
        progress.note("plots: " + ", ".join(str(path) for path in plots))
    if budget_error is not None:
        raise CLIError(no_student_message(search, args, score_name))
    if export_error is not None:
        raise export_error
    return 0
