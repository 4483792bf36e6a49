"""``skdistill evaluate``: the distillation report of a saved model on new rows."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.metrics import accuracy_score, log_loss, r2_score, root_mean_squared_error

from ._console import Progress, add_common_options
from ._data import (
    prepare_target,
    read_table,
    select_features,
    source_name,
    split_target,
)
from ._errors import EXIT_USAGE, CLIError
from ._persist import TRUST_OPTION, load_bundle, training_rows_among
from ._train import check_labels, format_report, report, typed_columns

SUMMARY = "report a saved model (teacher, baseline, distilled) on labelled rows"
DESCRIPTION = """\
Print the distillation report of a model saved by 'skdistill fit' on the
labelled rows of a CSV (or Parquet) file: teacher, student trained on the
labels alone, and distilled student, with their quality, fidelity to the
teacher, size and latency. A model file of the student alone ('skdistill
fit --student-only') has no teacher: its report is the student's own
quality (accuracy and log-loss, or RMSE and R²).

Scores on the rows a model was trained on overstate its quality: a warning
says so when most of the rows given are training rows of the model (its
file records a fingerprint of them). 'skdistill fit' does not save its
held-out split: to evaluate on held-out rows, split the file in two and fit
on one part only.

example:
  skdistill evaluate churn.skops new_customers.csv
"""

#: Warn when at least this share of the evaluated rows are training rows.
TRAINING_ROWS_WARNING = 0.5
#: What a report of a student-only model file says about it.
STUDENT_ONLY_NOTE = (
    "{model} holds the student alone (saved by 'skdistill fit --student-only'): "
    "no teacher, so no fidelity nor comparison with it."
)
#: Metrics of a student-only report: key -> name in the text.
STUDENT_METRICS = {
    "accuracy": "accuracy",
    "log_loss": "log-loss",
    "rmse": "RMSE",
    "r2": "R²",
}


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
    parser.add_argument(
        "--onnx",
        action="store_true",
        help="add the size and latency (onnxruntime, one thread) of the teacher "
        "and the distilled student exported to ONNX (needs pip install "
        '"skdistill[export]"; not for a file of the student alone)',
    )
    add_common_options(parser)


def training_rows_warning(
    bundle: dict[str, Any], X: pd.DataFrame, name: str
) -> str | None:
    """The warning for rows of ``X`` that the model was trained on, if many.

    Parameters
    ----------
    bundle : dict
        The model file's content, with its ``training_rows`` fingerprint.
    X : DataFrame
        The raw feature columns of the rows to evaluate on.
    name : str
        Where ``X`` comes from, for messages.

    Returns
    -------
    warning : str or None
        None when fewer than :data:`TRAINING_ROWS_WARNING` of the rows are
        training rows, or when the file records no fingerprint (a file of
        an older skdistill).
    """
    found = training_rows_among(bundle.get("training_rows"), X)
    if found is None or X.shape[0] == 0:
        return None
    count, exact = found
    share = count / X.shape[0]
    if share < TRAINING_ROWS_WARNING:
        return None
    n_training = bundle["training_rows"]["n_rows"]
    if exact:
        which = (
            f"{count:,.0f} of the {X.shape[0]:,} rows of {name} ({share:.0%}) are "
            f"rows the model was trained on"
        )
    else:
        n_sampled = len(bundle["training_rows"]["hashes"])
        which = (
            f"about {share:.0%} of the {X.shape[0]:,} rows of {name} are rows the "
            f"model was trained on (estimated from {n_sampled:,} of its "
            f"{n_training:,} training rows)"
        )
    return (
        f"{which}: scores on training rows overstate the model's quality. "
        "Evaluate it on rows held out from the fit; 'skdistill fit' does not "
        "save its --test-size split, so keep a held-out file yourself (split "
        "the data in two files and fit on one of them only)."
    )


def student_scores(
    model: Any, X: pd.DataFrame, y: NDArray[Any], task: str, name: str
) -> dict[str, float]:
    """The quality of a student-only model on labelled rows.

    Parameters
    ----------
    model : Pipeline
        The schema, the student's encoding and the student.
    X : DataFrame
        Raw feature columns.
    y : ndarray
        True labels or values.
    task : {"classification", "regression"}
        The task.
    name : str
        Where the rows come from, for messages.

    Returns
    -------
    scores : dict of str to float
        ``accuracy`` and ``log_loss`` (NaN for a student without
        ``predict_proba``), or ``rmse`` and ``r2``.
    """
    typed = typed_columns(model, X, name)
    student = model[-1]
    if task == "regression":
        predicted = np.asarray(student.predict(typed), dtype=np.float64)
        return {
            "rmse": float(root_mean_squared_error(y, predicted)),
            "r2": float(r2_score(y, predicted)),
        }
    check_labels(student, y, name)
    scores = {"accuracy": float(accuracy_score(y, student.predict(typed)))}
    scores["log_loss"] = (
        float(log_loss(y, student.predict_proba(typed), labels=student.classes_))
        if hasattr(student, "predict_proba")
        else float("nan")
    )
    return scores


def format_student_report(
    scores: dict[str, float],
    *,
    task: str,
    n_samples: int,
    model: str,
    as_json: bool = False,
) -> str:
    """The report of a student-only model, as text or JSON.

    Parameters
    ----------
    scores : dict of str to float
        From :func:`student_scores`.
    task : {"classification", "regression"}
        The task.
    n_samples : int
        Rows the scores were computed on.
    model : str
        The model file.
    as_json : bool, default=False
        JSON (NaN as ``null``) instead of text.

    Returns
    -------
    text : str
    """
    note = STUDENT_ONLY_NOTE.format(model=model)
    if as_json:
        shown = {
            key: value if np.isfinite(value) else None for key, value in scores.items()
        }
        return json.dumps(
            {
                "model": model,
                "contents": "student",
                "task": task,
                "n_samples": n_samples,
                "models": {"student": shown},
                "note": note,
            },
            indent=2,
        )
    width = max(len(STUDENT_METRICS[key]) for key in scores)
    lines = [f"Student report ({task}, {n_samples:,} rows)", note, ""]
    for key, value in scores.items():
        shown = f"{value:.4f}" if np.isfinite(value) else "n/a"
        lines.append(f"{STUDENT_METRICS[key]:<{width}}  {shown:>10}")
    return "\n".join(lines)


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
    if args.onnx and bundle["contents"] == "student":
        raise CLIError(
            f"--onnx compares the teacher and the student exported to ONNX, but "
            f"{args.model} holds the student alone; 'skdistill export "
            f"{args.model} --format onnx --out FILE' writes its ONNX file",
            EXIT_USAGE,
        )
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
    warning = training_rows_warning(bundle, X, name)
    if warning is not None:  # shown with --quiet too: it qualifies the result
        print(f"skdistill evaluate: warning: {warning}", file=sys.stderr, flush=True)
    if bundle["contents"] == "student":
        with progress.step(f"measuring the student on {name} ({len(y):,} rows)"):
            scores = student_scores(model, X, y, bundle["task"], name)
        print(
            format_student_report(
                scores,
                task=bundle["task"],
                n_samples=len(y),
                model=args.model,
                as_json=args.json,
            )
        )
        return 0
    result = report(
        model,
        bundle.get("baseline"),
        X,
        y,
        progress,
        name=name,
        random_state=bundle["settings"].get("random_state", 0),
        onnx=args.onnx,
    )
    print(format_report(result, as_json=args.json, model=args.model))
    return 0
