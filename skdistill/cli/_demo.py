"""``skdistill demo``: the main job on a dataset shipped with scikit-learn."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn import datasets

from ..preprocessing import TableSchema
from ._console import Progress, add_common_options
from ._models import DEFAULT_TEACHER, STUDENTS, TEACHERS, check_known, describe
from ._train import (
    Settings,
    add_distillation_options,
    check_plotting,
    distil,
    format_report,
    holdout_split,
    report,
    report_dict,
    save_plots,
)

SUMMARY = "distil LightGBM into light students on an embedded dataset"
DESCRIPTION = """\
The main job of skdistill on a dataset shipped with scikit-learn (no
download): fit a LightGBM teacher (300 trees), distil it into a logistic
regression and a depth-6 tree at the distillers' defaults, fit the same
students on the labels alone, and print, for each student, the distillation
report on held-out rows: teacher vs student on the labels alone vs distilled
student (accuracy, log-loss, ROC AUC, fidelity to the teacher, size,
latency, and their ratios). Takes well under a minute on two cores.

examples:
  skdistill demo
  skdistill demo --dataset digits --students tree lgbm-small --plots plots/
"""


#: Embedded datasets: name -> (title, loader).
DATASETS: dict[str, tuple[str, Callable[..., Any]]] = {
    "breast-cancer": ("breast cancer", datasets.load_breast_cancer),
    "digits": ("handwritten digits, 8x8 pixels", datasets.load_digits),
    "wine": ("wine cultivars", datasets.load_wine),
    "iris": ("iris species", datasets.load_iris),
}


def load_dataset(name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The features and labels (class names) of an embedded dataset.

    Parameters
    ----------
    name : str
        A key of :data:`DATASETS`.

    Returns
    -------
    X : DataFrame
    y : ndarray of str
    """
    bunch = DATASETS[name][1](as_frame=True)
    names = np.asarray(bunch.target_names).astype(str)
    return bunch.data, names[bunch.target.to_numpy()].astype(object)


def format_parser(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``skdistill demo`` to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    parser.add_argument(
        "--dataset",
        choices=list(DATASETS),
        default="breast-cancer",
        help="embedded dataset (default: %(default)s)",
    )
    parser.add_argument(
        "--students",
        nargs="+",
        default=["logreg", "tree"],
        metavar="NAME",
        help=f"students: {describe(STUDENTS)} (default: logreg tree)",
    )
    parser.add_argument(
        "--teacher",
        default=DEFAULT_TEACHER,
        metavar="NAME",
        help=f"teacher: {describe(TEACHERS)} (default: %(default)s)",
    )
    parser.add_argument(
        "--plots",
        metavar="DIR",
        help="save PNG plots to DIR: accuracy against size of every model, and "
        "a reliability diagram per student (needs matplotlib: "
        'pip install "skdistill[plots]")',
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the reports as a JSON list instead of tables",
    )
    add_distillation_options(parser)
    add_common_options(parser)


def main(args: argparse.Namespace) -> int:
    """Run ``skdistill demo``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments.

    Returns
    -------
    exit_code : int
        0 on success.
    """
    start = time.perf_counter()
    progress = Progress(args.quiet)
    check_known("teacher", args.teacher)
    settings = {
        student: Settings.from_args(args, student=student)
        for student in dict.fromkeys(args.students)
    }
    for student_settings in settings.values():
        student_settings.check("classification")
    if args.plots is not None:
        check_plotting()
    X, y = load_dataset(args.dataset)
    progress.note(
        f"dataset: {DATASETS[args.dataset][0]}, shipped with scikit-learn "
        f"({X.shape[0]:,} rows, {X.shape[1]} features, {np.unique(y).size} classes)"
    )
    split_settings = next(iter(settings.values()))  # same seed and test size
    X_train, X_test, y_train, y_test = holdout_split(
        X, y, "classification", split_settings
    )
    progress.note(
        f"{len(y_train):,} training rows, {len(y_test):,} held out for the reports"
    )
    schema = TableSchema().fit(X_train)
    distillations, reports = {}, {}
    for student, student_settings in settings.items():
        distillations[student] = distil(
            X_train, y_train, "classification", schema, student_settings, progress
        )
        reports[student] = report(
            distillations[student].model,
            distillations[student].baseline,
            X_test,
            y_test,
            progress,
            random_state=args.random_state,
        )
    if args.plots is not None:
        # Saved before printing: a reader of the reports that goes away
        # (``| head``) does not lose the plots.
        paths = save_plots(args.plots, reports, distillations, X_test, y_test, progress)
        progress.note("plots: " + ", ".join(str(path) for path in paths))
    if args.json:
        import json

        dicts = [report_dict(result, student=name) for name, result in reports.items()]
        print(json.dumps(dicts, indent=2))
    else:
        for student, student_settings in settings.items():
            title = STUDENTS[student].describe(student_settings.options)
            print(f"\n== student: {student} ({title}) ==")
            print(format_report(reports[student]))
    progress.note(f"demo done in {time.perf_counter() - start:.1f} s")
    return 0
