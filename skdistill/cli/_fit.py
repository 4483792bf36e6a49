"""``skdistill fit``: distil a teacher into a student on a CSV file, save the model."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

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
from ._errors import EXIT_FAILURE, EXIT_USAGE, CLIError
from ._export import FORMATS, check_dependencies, save_export
from ._files import check_destination
from ._models import (
    DEFAULT_STREAM_STUDENT,
    DEFAULT_STUDENT,
    DEFAULT_TEACHER,
    STREAM_STUDENTS,
    STUDENTS,
    TEACHERS,
    check_known,
    describe,
)
from ._persist import make_bundle, save_bundle, training_fingerprint
from ._stream import add_stream_options, check_stream_options, fit_stream
from ._train import (
    Distillation,
    FittedModel,
    Settings,
    add_distillation_options,
    distil,
    holdout_split,
    report,
    report_dict,
)

SUMMARY = "distil a teacher into a student on a table, report and save the model"
DESCRIPTION = """\
Distil a heavy teacher into a light student on the rows of a CSV (or
Parquet) file, print the distillation report on held-out rows (teacher,
student trained on the labels alone, distilled student: quality, fidelity to
the teacher, size, latency) and save the model for 'skdistill evaluate',
'skdistill predict' and 'skdistill export'.

Columns whose values are all numbers are numeric, the others categorical;
missing values are allowed. Each model gets its own preprocessing: LightGBM
takes categories and missing values natively, trees get ordinal codes,
linear models one-hot codes and imputed, scaled numbers. The task is
classification for a text or boolean target or one with at most 20 distinct
integers, else regression (--task overrides).

The saved model is trained on the training split (1 - --test-size of the
rows); --refit-all fits it again on all rows once the held-out rows are
measured, and --test-size 0 trains on all rows without a report. The model file
records a fingerprint of its training rows, so that 'skdistill evaluate'
warns when given them. --student-only saves the student without the teacher,
a far smaller file; --export also writes the student as ONNX or C.

A file bigger than memory is distilled chunk by chunk: --teacher-model
gives a fitted teacher (such as a model file of 'skdistill fit' on a sample
of the file) and --chunksize the rows read at a time; the student (logreg,
sgd or mlp) learns each chunk as it is read, rows without a target from the
teacher alone, and the report is computed on a sample of the held-out rows.

examples:
  skdistill fit churn.csv --target churned --student logreg --out churn.skops
  skdistill fit churn.csv --target churned --out churn.skops --refit-all \\
      --student-only --export onnx
  skdistill fit big.parquet --teacher-model churn.skops --chunksize 50000 \\
      --out big.skops
"""

#: What ``fit --test-size 0`` prints where the report would be.
NO_REPORT = (
    "No report: --test-size 0 holds no rows out, so the model is trained on all "
    "{n_rows:,} rows and no rows are left to measure it on. For a report on "
    "held-out rows and a model trained on all rows, use --refit-all with a "
    "--test-size above 0 (such as 0.2)."
)


def format_parser(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``skdistill fit`` to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    parser.add_argument(
        "data",
        metavar="DATA",
        help="CSV or Parquet file ('-': stdin; with --chunksize, also a folder "
        "of Parquet files)",
    )
    parser.add_argument(
        "--target",
        metavar="COLUMN",
        help="column to predict (required, but with --teacher-model: the "
        "teacher's target)",
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
        help="overwrite MODEL (and the --export file) if it exists (never DATA); "
        "the old file stays whole until the new one is complete",
    )
    parser.add_argument(
        "--task",
        choices=["auto", "classification", "regression"],
        default="auto",
        help="the task; 'auto' decides from the target (default: %(default)s)",
    )
    parser.add_argument(
        "--teacher",
        metavar="NAME",
        help=f"teacher: {describe(TEACHERS)} (default: {DEFAULT_TEACHER})",
    )
    parser.add_argument(
        "--student",
        metavar="NAME",
        help=f"student: {describe(STUDENTS)} (default: {DEFAULT_STUDENT}); "
        f"with --chunksize: {describe(STREAM_STUDENTS)} (default: "
        f"{DEFAULT_STREAM_STUDENT['classification']} for classification, "
        f"{DEFAULT_STREAM_STUDENT['regression']} for regression)",
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
        help="print the report as JSON instead of a table, with 'saved_model' "
        "telling which rows the saved model was trained on ('report': null "
        "with --test-size 0)",
    )
    add_distillation_options(parser, hold_out_optional=True)
    group = parser.add_argument_group("the saved model")
    group.add_argument(
        "--refit-all",
        action="store_true",
        help="after measuring the model on the held-out rows (the report), fit "
        "the same settings again on all rows and save that model; the fit takes "
        "about twice as long",
    )
    group.add_argument(
        "--student-only",
        action="store_true",
        help="save the student alone (the table's column types, the student's "
        "encoding and the student), without the teacher and the baseline: a "
        "far smaller file, which 'predict' and 'export' take as they take the "
        "whole model, and 'evaluate' reports on without the teacher",
    )
    group.add_argument(
        "--export",
        choices=list(FORMATS),
        help="also write the saved model's student as ONNX or C source, as "
        "'skdistill export' does with its defaults; the destination is checked "
        "before the fit",
    )
    group.add_argument(
        "--export-out",
        metavar="FILE",
        help="where --export writes (default: MODEL with the suffix .onnx or "
        ".c); replaced only with --force, never DATA or MODEL",
    )
    add_stream_options(parser, fit=True)
    add_common_options(parser)


def _same_path(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same file, existing or not."""
    if os.path.realpath(first) == os.path.realpath(second):
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _check_options(args: argparse.Namespace) -> Path | None:
    """Usage errors among the saving options, and the export's destination.

    Runs before any work, so that a refused destination or a missing package
    fails fast.

    Returns
    -------
    export_out : Path or None
        Where ``--export`` writes, checked; None without ``--export``.
    """
    if args.refit_all and args.test_size == 0:
        raise CLIError(
            "--refit-all refits on all rows after the report on held-out rows, "
            "but --test-size 0 holds no rows out (and already trains on all "
            "rows): drop --refit-all, or give --test-size a share such as 0.2",
            EXIT_USAGE,
        )
    if args.export is None:
        if args.export_out is not None:
            raise CLIError("--export-out needs --export onnx or --export c", EXIT_USAGE)
        return None
    check_dependencies(args.export)
    path = args.export_out or str(Path(args.out).with_suffix(FORMATS[args.export][1]))
    if _same_path(path, args.out):
        raise CLIError(
            f"--export-out: {path} is the model file (--out {args.out}); give "
            "--export-out another file",
            EXIT_USAGE,
        )
    return check_destination(
        path, force=args.force, option="--export-out", inputs=_inputs(args)
    )


def _inputs(args: argparse.Namespace) -> dict[str, str]:
    """The input files, which no output may replace: DATA, and TEACHER if given."""
    inputs = {"DATA": args.data}
    if args.teacher_model is not None:
        inputs["--teacher-model"] = args.teacher_model
    return inputs


def _fit_schema(X: pd.DataFrame, name: str) -> TableSchema:
    try:
        return TableSchema().fit(X)
    except ValueError as exc:  # e.g. a column of dates (from a Parquet file)
        raise CLIError(
            f"cannot use the feature columns of {name} (--drop leaves a column "
            f"out): {exc}"
        ) from None


def _format_output(result: Any, *, as_json: bool, note: str, **extra: Any) -> str:
    """The report (or the note that there is none), as text or JSON."""
    if result is None:
        if as_json:
            return json.dumps({**extra, "report": None, "note": note}, indent=2)
        return note
    if as_json:
        return json.dumps(report_dict(result, **extra), indent=2)
    return str(result)


def _read_rows(
    args: argparse.Namespace, settings: Settings, progress: Progress
) -> tuple[pd.DataFrame, Any, str, str]:
    """The feature columns and the target of DATA, and the task ``settings`` fit.

    Returns
    -------
    X : DataFrame
        The raw feature columns (without ``--drop``'s), rows with a target.
    y : ndarray
        The target, prepared for the task.
    task : {"classification", "regression"}
    name : str
        How messages name DATA.
    """
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
    settings.check(task)
    y = prepare_target(y_raw, task, args.target)
    kind = task
    if task == "classification":
        kind += f", {len(set(y.tolist()))} classes"
    how = "given by --task" if args.task != "auto" else "--task to override"
    progress.note(f"target {args.target!r}: {kind} ({how})")
    return X, y, task, name


def _train(
    X: pd.DataFrame,
    y: Any,
    task: str,
    settings: Settings,
    *,
    keep_baseline: bool,
    name: str,
    progress: Progress,
) -> tuple[Distillation, Any, pd.DataFrame]:
    """Split, distil, report on the held-out rows, and refit on all rows if asked.

    Returns
    -------
    distillation : Distillation
        The model to save (its baseline only if ``keep_baseline``).
    report : DistillationReport or None
        On the held-out rows; None with ``--test-size 0``.
    X_train : DataFrame
        The rows the model to save was trained on.
    """
    if settings.test_size > 0:
        X_train, X_test, y_train, y_test = holdout_split(X, y, task, settings)
        rows = (
            f"{len(y_train):,} training rows, {len(y_test):,} held out for the report"
        )
    else:
        X_train, X_test, y_train, y_test = X, None, y, None
        rows = f"all {len(y):,} rows for training, none held out (--test-size 0)"
    schema = _fit_schema(X_train, name)
    progress.note(
        f"features: {len(schema.numeric_columns_)} numeric, "
        f"{len(schema.categories_)} categorical; {rows}"
    )
    # the baseline serves the report, and the model file unless --student-only
    distillation = distil(
        X_train,
        y_train,
        task,
        schema,
        settings,
        progress,
        with_baseline=X_test is not None or (keep_baseline and not settings.refit_all),
    )
    result = None
    if X_test is not None:
        result = report(
            distillation.model,
            distillation.baseline,
            X_test,
            y_test,
            progress,
            random_state=settings.random_state,
        )
    if not settings.refit_all:
        return distillation, result, X_train
    progress.note(
        f"--refit-all: the report measures the model fit on the {len(y_train):,} "
        f"training rows; the saved model is fit again on all {len(y):,} rows"
    )
    distillation = distil(
        X,
        y,
        task,
        _fit_schema(X, name),
        settings,
        progress,
        with_baseline=keep_baseline,
    )
    return distillation, result, X


def _export(
    args: argparse.Namespace, model: Any, export_out: Path
) -> tuple[str, CLIError | None]:
    """Write ``--export``: the note to print, or the error to raise after the report."""
    try:
        size, steps = save_export(model, args.export, export_out, source=args.out)
    except Exception as exc:  # the model is saved: the report is still printed
        if isinstance(exc, CLIError):
            reason, exit_code = str(exc), exc.exit_code
        else:  # a converter's own error
            reason = (
                f"exporting its student as {FORMATS[args.export][0]} failed: "
                f"{type(exc).__name__}: {exc}"
            )
            exit_code = EXIT_FAILURE
        if export_out.exists():
            reason += f" ({export_out}, from an earlier run, was left as it was)"
        return "", CLIError(
            f"saved the model to {args.out}, but {reason}; once that is fixed, run: "
            f"skdistill export {args.out} --format {args.export} --out {export_out}",
            exit_code,
        )
    return (
        f"exported its student ({steps}) as {FORMATS[args.export][0]} to "
        f"{export_out} ({size:,} bytes)"
    ), None


def _check_in_memory_options(args: argparse.Namespace) -> None:
    """The names and the target of a fit in memory (the defaults filled in)."""
    if args.target is None:
        raise CLIError(
            "--target COLUMN is required: the column to predict (it defaults to "
            "the teacher's only with --teacher-model)",
            EXIT_USAGE,
        )
    args.teacher = args.teacher or DEFAULT_TEACHER
    args.student = args.student or DEFAULT_STUDENT
    if args.student in STREAM_STUDENTS and args.student not in STUDENTS:
        raise CLIError(
            f"--student {args.student} learns chunk by chunk: a student of "
            "--chunksize (with --teacher-model); the students of a fit in memory "
            f"are: {', '.join(STUDENTS)}",
            EXIT_USAGE,
        )
    check_known("teacher", args.teacher)
    check_known("student", args.student)


def _fit(args: argparse.Namespace, progress: Progress) -> FittedModel:
    """Read DATA whole, fit the teacher and the student, report: the model to save."""
    settings = Settings.from_args(args)
    X, y, task, name = _read_rows(args, settings, progress)
    distillation, result, X_train = _train(
        X,
        y,
        task,
        settings,
        keep_baseline=not args.student_only,
        name=name,
        progress=progress,
    )
    return FittedModel(
        model=distillation.model,
        baseline=distillation.baseline,
        report=result,
        note=NO_REPORT.format(n_rows=len(X_train)),
        task=task,
        target=args.target,
        features=list(X.columns),
        settings=settings.to_dict(task, distillation.distiller),
        training_rows=training_fingerprint(X_train, random_state=settings.random_state),
        n_rows=len(X_train),
        student=settings.student,
    )


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
    streaming = check_stream_options(args)
    if not streaming:
        _check_in_memory_options(args)
    out = check_destination(args.out, force=args.force, inputs=_inputs(args))
    export_out = _check_options(args)
    fitted = fit_stream(args, progress) if streaming else _fit(args, progress)
    trained_on = fitted.settings["trained_on"]
    text = _format_output(
        fitted.report,
        as_json=args.json,
        note=fitted.note,
        student=fitted.student,
        saved_model={
            "trained_on": trained_on,
            "n_rows": fitted.n_rows,
            "contents": "student" if args.student_only else "distiller",
        },
        **fitted.extra,
    )
    bundle = make_bundle(
        fitted.model,
        task=fitted.task,
        target=fitted.target,
        features=fitted.features,
        baseline=fitted.baseline,
        settings=fitted.settings,
        student_only=args.student_only,
        training_rows=fitted.training_rows,
    )
    # saved before the report is printed: a closed pipe ('| head') loses no model
    save_bundle(bundle, args.out, force=args.force)
    export_note, export_error = "", None
    if export_out is not None:
        export_note, export_error = _export(args, bundle["model"], export_out)
    print(text, flush=True)
    size = out.stat().st_size / 1024
    what = "the student alone (--student-only)" if args.student_only else "the model"
    trained = (
        f"trained on all {fitted.n_rows:,} rows"
        if trained_on == "all rows"
        else f"trained on the {fitted.n_rows:,} training rows"
    )
    progress.note(f"saved {what} to {args.out} ({size:,.0f} KiB; {trained})")
    if export_note:
        progress.note(export_note)
    if export_error is not None:
        raise export_error
    return 0
