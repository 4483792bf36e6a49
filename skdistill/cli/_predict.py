"""``skdistill predict``: a saved model's predictions (student or teacher), as CSV."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from typing import Any

import pandas as pd

from ._chunks import open_chunked
from ._console import Progress, add_common_options
from ._data import did_you_mean, read_table, select_features, source_name
from ._errors import EXIT_USAGE, CLIError
from ._evaluate import add_model_options
from ._files import atomic_write, check_destination
from ._persist import load_bundle, set_threads
from ._stream import add_stream_options, check_progress_option
from ._train import n_jobs, typed_columns

SUMMARY = "predict with a saved model's distilled student (or teacher), as CSV"
DESCRIPTION = """\
Predict the rows of a CSV (or Parquet) file with the distilled student of a
model saved by 'skdistill fit' (the whole model, or the student alone that
'skdistill fit --student-only' saves: the same predictions), and write CSV:
a column named after the target with the predicted labels (or values) and,
with --proba, one column proba_<class> per class. Columns the model does
not use are ignored.

With -o, an existing FILE is replaced only with --force, and never if it
is DATA or MODEL; FILE appears once complete (an interrupted or failed
write leaves it as it was).

--teacher predicts with the model's teacher instead (with --proba: its soft
labels). --chunksize N reads DATA N rows at a time and writes each chunk's
predictions as it goes, for a file bigger than memory.

examples:
  skdistill predict churn.skops new_customers.csv > predictions.csv
  skdistill predict churn.skops new_customers.csv --proba --id-column customer_id
  skdistill predict churn.skops new_customers.csv -o predictions.csv --force
  skdistill predict churn.skops big.parquet --teacher --proba --chunksize 50000 \\
      -o soft_labels.csv
"""


def format_parser(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``skdistill predict`` to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    add_model_options(parser)
    parser.add_argument(
        "data",
        metavar="DATA",
        help="CSV or Parquet file ('-': stdin; with --chunksize, also a folder "
        "of Parquet files)",
    )
    parser.add_argument(
        "--proba",
        action="store_true",
        help="add one column proba_<class> of probabilities per class "
        "(classification only)",
    )
    parser.add_argument(
        "--id-column",
        metavar="COLUMN",
        help="copy this column of DATA to the output, first",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the CSV to FILE instead of standard output",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite FILE if it exists (never DATA or MODEL)",
    )
    parser.add_argument(
        "--teacher",
        action="store_true",
        help="predict with the model's teacher instead of its distilled student "
        "(with --proba: the teacher's soft labels, its probabilities, and as the "
        "label the most probable class); not for a file of the student alone",
    )
    parser.add_argument(
        "--n-jobs",
        type=n_jobs,
        default=1,
        metavar="N",
        help="threads of the predictions of LightGBM and random-forest models; "
        "-1 for every core (default: %(default)s)",
    )
    add_stream_options(parser, fit=False)
    add_common_options(parser)


def _predictor(bundle: dict[str, Any], args: argparse.Namespace) -> tuple[Any, str]:
    """The model that predicts, and what the messages call it.

    The distilled student (the distiller, or a student-only file's student),
    or with ``--teacher`` the distiller's teacher.
    """
    model = bundle["model"]
    if not args.teacher:
        return model[-1], "predictions"
    if bundle["contents"] != "distiller":
        raise CLIError(
            f"--teacher predicts with the teacher, but {args.model} holds the "
            "student alone (saved by 'skdistill fit --student-only'); give the "
            "model file saved without --student-only, or drop --teacher",
            EXIT_USAGE,
        )
    return model[-1].teacher_, "predictions of the teacher"


def _predictions(
    predictor: Any,
    X: Any,
    rows: pd.DataFrame,
    *,
    target: str,
    id_column: str | None,
    proba: bool,
    most_probable: bool = False,
) -> pd.DataFrame:
    """The output rows: the id column, the predictions, the probabilities.

    With ``most_probable`` (the teacher's, with ``--proba``), the label is
    the most probable class, read from the probabilities: the model
    predicts once, not twice.
    """
    output = pd.DataFrame(index=rows.index)
    if id_column is not None:
        output[id_column] = rows[id_column]
    label_column = target if target != id_column else f"predicted_{target}"
    probabilities = predictor.predict_proba(X) if proba else None
    if probabilities is not None and most_probable:
        output[label_column] = predictor.classes_[probabilities.argmax(axis=1)]
    else:
        output[label_column] = predictor.predict(X)
    if probabilities is not None:
        for k, label in enumerate(predictor.classes_):
            output[f"proba_{label}"] = probabilities[:, k]
    return output


def main(args: argparse.Namespace) -> int:
    """Run ``skdistill predict``.

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
    check_progress_option(args)
    if args.output is not None:  # before any work
        check_destination(
            args.output,
            force=args.force,
            option="--output",
            inputs={"DATA": args.data, "MODEL": args.model},
        )
    bundle = load_bundle(args.model, trust_untrusted_types=args.trust_untrusted_types)
    if args.proba and bundle["task"] != "classification":
        raise CLIError(
            f"--proba needs a classification model; {args.model} is a "
            f"{bundle['task']} model",
            EXIT_USAGE,
        )
    predictor, what = _predictor(bundle, args)
    set_threads(predictor, args.n_jobs)
    if args.chunksize is not None:
        return _predict_in_chunks(args, bundle, predictor, what, progress)
    table = read_table(args.data)
    name = source_name(args.data)
    if args.id_column is not None and args.id_column not in table.columns:
        raise CLIError(
            f"--id-column: no column {args.id_column!r} in {name}"
            f"{did_you_mean(args.id_column, table.columns)}",
            EXIT_USAGE,
        )
    model = bundle["model"]
    X = typed_columns(model, select_features(table, bundle["features"], name), name)
    output = _predictions(
        predictor,
        X,
        table,
        target=bundle["target"],
        id_column=args.id_column,
        proba=args.proba,
        most_probable=args.teacher,
    )
    if args.output is None:
        output.to_csv(sys.stdout, index=False)
        return 0
    check_destination(args.output, force=args.force, option="--output")
    with atomic_write(args.output, "w", newline="") as file:
        output.to_csv(file, index=False)
    progress.note(f"wrote {len(output):,} {what} to {args.output}")
    return 0


def _predict_in_chunks(
    args: argparse.Namespace,
    bundle: dict[str, Any],
    predictor: Any,
    what: str,
    progress: Progress,
) -> int:
    """``predict --chunksize N``: read, predict and write N rows at a time.

    The CSV is written chunk by chunk, to standard output or to a temporary
    file that replaces ``--output`` once every chunk is written: an
    interrupted run leaves no half-written file. Nothing of a chunk is kept.
    """
    table = open_chunked(args.data)
    features = list(bundle["features"])
    table.require(features, "the model was fit on")
    if args.id_column is not None and args.id_column not in table.columns:
        raise CLIError(
            f"--id-column: no column {args.id_column!r} in {table.name}"
            f"{did_you_mean(args.id_column, table.columns)}",
            EXIT_USAGE,
        )
    columns = features if args.id_column is None else [args.id_column, *features]
    model = bundle["model"]
    n_rows = 0
    with ExitStack() as stack:
        if args.output is None:
            file = sys.stdout
        else:
            file = stack.enter_context(atomic_write(args.output, "w", newline=""))
        bar = stack.enter_context(
            progress.bar(
                total=table.n_rows, description="predicting", force=args.progress
            )
        )
        for chunk in table.chunks(columns, args.chunksize):
            rows = f"{table.name}, rows {n_rows + 1:,} to {n_rows + len(chunk):,}"
            X = typed_columns(model, chunk[features], rows)
            output = _predictions(
                predictor,
                X,
                chunk,
                target=bundle["target"],
                id_column=args.id_column,
                proba=args.proba,
                most_probable=args.teacher,
            )
            output.to_csv(file, index=False, header=n_rows == 0)
            n_rows += len(chunk)
            bar.update(len(chunk))
        if args.output is not None:  # a file that appeared meanwhile is kept
            check_destination(args.output, force=args.force, option="--output")
    if args.output is not None:
        progress.note(f"wrote {n_rows:,} {what} to {args.output}")
    return 0
