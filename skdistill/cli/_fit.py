"""``skdistill fit``: distil a teacher into a student on a CSV file, save the model."""

from __future__ import annotations

import argparse

from ..preprocessing import TableSchema
from ._console import Progress, add_common_options
from ._data import (
    detect_task,
    did_you_mean,
    prepare_target,
    read_table,
    source_name,
    split_target,
)
from ._errors import EXIT_USAGE, CLIError
from ._files import check_destination
from ._models import (
    DEFAULT_STUDENT,
    DEFAULT_TEACHER,
    STUDENTS,
    TEACHERS,
    check_known,
    describe,
)
from ._persist import make_bundle, save_bundle
from ._train import (
    Settings,
    add_distillation_options,
    distil,
    format_report,
    holdout_split,
    report,
)

SUMMARY = "distil a teacher into a student on a table, report and save the model"
DESCRIPTION = """\
Distil a heavy teacher into a light student on the rows of a CSV (or
Parquet) file, print the distillation report on held-out rows (teacher,
student trained on the labels alone, distilled student: quality, fidelity to
the teacher, size, latency) and save the model for 'skdistill evaluate' and
'skdistill predict'.

Columns whose values are all numbers are numeric, the others categorical;
missing values are allowed. Each model gets its own preprocessing: LightGBM
takes categories and missing values natively, trees get ordinal codes,
linear models one-hot codes and imputed, scaled numbers. The task is
classification for a text or boolean target or one with at most 20 distinct
integers, else regression (--task overrides).

example:
  skdistill fit churn.csv --target churned --student logreg --out churn.skops
"""


def format_parser(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``skdistill fit`` to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    parser.add_argument("data", metavar="DATA", help="CSV or Parquet file ('-': stdin)")
    parser.add_argument(
        "--target", required=True, metavar="COLUMN", help="column to predict"
    )
    parser.add_argument(
        "--out",
        required=True,
        metavar="MODEL",
        help="where to save the model (skops format, e.g. model.skops)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite MODEL if it exists (never DATA); the old file stays "
        "whole until the new one is complete",
    )
    parser.add_argument(
        "--task",
        choices=["auto", "classification", "regression"],
        default="auto",
        help="the task; 'auto' decides from the target (default: %(default)s)",
    )
    parser.add_argument(
        "--teacher",
        default=DEFAULT_TEACHER,
        metavar="NAME",
        help=f"teacher: {describe(TEACHERS)} (default: %(default)s)",
    )
    parser.add_argument(
        "--student",
        default=DEFAULT_STUDENT,
        metavar="NAME",
        help=f"student: {describe(STUDENTS)} (default: %(default)s)",
    )
    parser.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="COLUMN",
        help="a column not to use as a feature, such as an identifier "
        "(repeat for several)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the report as JSON instead of a table",
    )
    add_distillation_options(parser)
    add_common_options(parser)


def main(args: argparse.Namespace) -> int:
    """Run ``skdistill fit``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments.

    Returns
    -------
    exit_code : int
        0 on success.
    """
    progress = Progress(args.quiet)
    check_known("teacher", args.teacher)
    check_known("student", args.student)
    out = check_destination(args.out, force=args.force, inputs={"DATA": args.data})
    table = read_table(args.data)
    name = source_name(args.data)
    progress.note(f"read {name}: {table.shape[0]:,} rows, {table.shape[1]} columns")
    X, y_raw, n_dropped = split_target(table, args.target, name)
    if n_dropped:
        progress.note(f"left out {n_dropped:,} rows whose target is missing")
    unknown = [column for column in args.drop if column not in X.columns]
    if unknown:
        hint = did_you_mean(unknown[0], X.columns) if len(unknown) == 1 else ""
        raise CLIError(
            f"--drop: no column {', '.join(map(repr, unknown))} among the features "
            f"of {name}{hint}",
            EXIT_USAGE,
        )
    X = X.drop(columns=args.drop)
    if X.shape[1] == 0:
        raise CLIError("no feature column is left after --drop", EXIT_USAGE)
    task = detect_task(y_raw, args.task)
    settings = Settings.from_args(args)
    settings.check(task)
    y = prepare_target(y_raw, task, args.target)
    kind = task
    if task == "classification":
        kind += f", {len(set(y.tolist()))} classes"
    how = "given by --task" if args.task != "auto" else "--task to override"
    progress.note(f"target {args.target!r}: {kind} ({how})")

    X_train, X_test, y_train, y_test = holdout_split(X, y, task, settings)
    try:
        schema = TableSchema().fit(X_train)
    except ValueError as exc:  # e.g. a column of dates (from a Parquet file)
        raise CLIError(
            f"cannot use the feature columns of {name} (--drop leaves a column "
            f"out): {exc}"
        ) from None
    progress.note(
        f"features: {len(schema.numeric_columns_)} numeric, "
        f"{len(schema.categories_)} categorical; {len(y_train):,} training rows, "
        f"{len(y_test):,} held out for the report"
    )
    distillation = distil(X_train, y_train, task, schema, settings, progress)
    result = report(
        distillation.model,
        distillation.baseline,
        X_test,
        y_test,
        progress,
        random_state=settings.random_state,
    )
    text = format_report(result, as_json=args.json, student=settings.student)
    bundle = make_bundle(
        distillation.model,
        task=task,
        target=args.target,
        features=list(X.columns),
        baseline=distillation.baseline,
        settings=settings.to_dict(task, distillation.distiller),
    )
    # saved before the report is printed: a closed pipe ('| head') loses no model
    save_bundle(bundle, args.out, force=args.force)
    print(text, flush=True)
    size = out.stat().st_size / 1024
    progress.note(f"saved the model to {args.out} ({size:,.0f} KiB)")
    return 0
