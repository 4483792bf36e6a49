"""``skdistill predict``: predictions of a saved model's student, as CSV."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from ._console import Progress, add_common_options
from ._data import did_you_mean, read_table, select_features, source_name
from ._errors import EXIT_USAGE, CLIError
from ._evaluate import add_model_options
from ._files import atomic_write, check_destination
from ._persist import load_bundle
from ._train import typed_columns

SUMMARY = "predict with a saved model's distilled student, as CSV"
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

examples:
  skdistill predict churn.skops new_customers.csv > predictions.csv
  skdistill predict churn.skops new_customers.csv --proba --id-column customer_id
  skdistill predict churn.skops new_customers.csv -o predictions.csv --force
"""


def format_parser(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``skdistill predict`` to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    add_model_options(parser)
    parser.add_argument("data", metavar="DATA", help="CSV or Parquet file ('-': stdin)")
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
    add_common_options(parser)


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
    predictor = model[-1]  # the distiller, or the student of a student-only file
    output = pd.DataFrame(index=table.index)
    if args.id_column is not None:
        output[args.id_column] = table[args.id_column]
    target = bundle["target"]
    label_column = target if target != args.id_column else f"predicted_{target}"
    output[label_column] = predictor.predict(X)
    if args.proba:
        proba = predictor.predict_proba(X)
        for k, label in enumerate(predictor.classes_):
            output[f"proba_{label}"] = proba[:, k]
    if args.output is None:
        output.to_csv(sys.stdout, index=False)
        return 0
    check_destination(args.output, force=args.force, option="--output")
    with atomic_write(args.output, "w", newline="") as file:
        output.to_csv(file, index=False)
    progress.note(f"wrote {len(output):,} predictions to {args.output}")
    return 0
