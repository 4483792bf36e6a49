"""``skdistill evaluate``: the distillation report of a saved model on new rows."""

from __future__ import annotations

import argparse

from ._console import Progress, add_common_options
from ._data import (
    prepare_target,
    read_table,
    select_features,
    source_name,
    split_target,
)
from ._persist import TRUST_OPTION, load_bundle
from ._train import format_report, report

SUMMARY = "report a saved model (teacher, baseline, distilled) on labelled rows"
DESCRIPTION = """\
Print the distillation report of a model saved by 'skdistill fit' on the
labelled rows of a CSV (or Parquet) file: teacher, student trained on the
labels alone, and distilled student, with their quality, fidelity to the
teacher, size and latency.

example:
  skdistill evaluate churn.skops new_customers.csv
"""


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Add the MODEL argument and the trust option to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    parser.add_argument(
        "model", metavar="MODEL", help="model file written by 'skdistill fit'"
    )
    parser.add_argument(
        TRUST_OPTION,
        action="store_true",
        help="load MODEL even if it holds types that skdistill does not trust "
        "(loading them can run code from the file: only for a file whose "
        "source you trust)",
    )


def format_parser(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``skdistill evaluate`` to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    add_model_options(parser)
    parser.add_argument("data", metavar="DATA", help="CSV or Parquet file ('-': stdin)")
    parser.add_argument(
        "--target",
        metavar="COLUMN",
        help="column of the true values (default: the model's target column)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the report as JSON instead of a table",
    )
    add_common_options(parser)


def main(args: argparse.Namespace) -> int:
    """Run ``skdistill evaluate``.

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
    bundle = load_bundle(args.model, trust_untrusted_types=args.trust_untrusted_types)
    table = read_table(args.data)
    name = source_name(args.data)
    target = args.target or bundle["target"]
    X, y_raw, n_dropped = split_target(table, target, name)
    if n_dropped:
        progress.note(f"left out {n_dropped:,} rows whose target is missing")
    X = select_features(X, bundle["features"], name)
    model = bundle["model"]
    y = prepare_target(
        y_raw, bundle["task"], target, classes=getattr(model[-1], "classes_", None)
    )
    result = report(
        model,
        bundle.get("baseline"),
        X,
        y,
        progress,
        name=name,
        random_state=bundle["settings"].get("random_state", 0),
    )
    print(format_report(result, as_json=args.json, model=args.model))
    return 0
