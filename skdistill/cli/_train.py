"""The distillation job shared by ``fit`` and ``demo``: options, split, fit, report.

``fit`` and ``demo`` do the same work on different data: hold out a test
split, learn the table's column types, fit a distiller (the named teacher
and student, each with its preprocessing) and the student on the labels
alone, and report the three models on the held-out rows.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from .. import DistilledClassifier, DistilledRegressor
from ..preprocessing import TableSchema
from ._console import Progress
from ._data import listed
from ._errors import EXIT_USAGE, CLIError
from ._files import atomic_write
from ._models import (
    STUDENTS,
    TEACHER_TREES,
    TEACHERS,
    ModelOptions,
    build_student,
    build_teacher,
    check_name,
)

#: The distillers' own defaults, which the command line follows.
DEFAULT_TEMPERATURE = DistilledClassifier().temperature  # "auto"
DEFAULT_ALPHA = {
    "classification": DistilledClassifier().alpha,
    "regression": DistilledRegressor().alpha,
}
DEFAULT_TEACHER_CV = DistilledClassifier().teacher_cv


def finite_float(text: str) -> float:
    """argparse type: a finite float (not ``inf``, ``-inf`` or ``nan``)."""
    value = _parse(text, float, "a number")
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    return value


def positive_float(text: str) -> float:
    """argparse type: a finite float greater than 0."""
    value = finite_float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {text}")
    return value


def unit_float(text: str) -> float:
    """argparse type: a float in [0, 1]."""
    value = finite_float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def share_float(text: str) -> float:
    """argparse type: a float from 0 (included) to 1 (excluded)."""
    value = finite_float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(
            f"must be at least 0 and less than 1, got {text}"
        )
    return value


def open_unit_float(text: str) -> float:
    """argparse type: a float strictly between 0 and 1."""
    value = finite_float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(
            f"must be strictly between 0 and 1, got {text}"
        )
    return value


#: Largest seed that every model takes (numpy's ``RandomState``).
MAX_SEED = 2**32 - 1


def seed(text: str) -> int:
    """argparse type: a seed, an integer from 0 to :data:`MAX_SEED`."""
    value = _parse(text, int, "an integer")
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"must be an integer from 0 to {MAX_SEED}, got {text}"
        )
    return value


def positive_int(text: str) -> int:
    """argparse type: an integer of at least 1."""
    value = _parse(text, int, "an integer")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def n_jobs(text: str) -> int:
    """argparse type: a non-zero integer (-1: every core)."""
    value = _parse(text, int, "an integer")
    if value == 0:
        raise argparse.ArgumentTypeError("must not be 0 (-1 means every core)")
    return value


def cv_folds(text: str) -> int | None:
    """argparse type: ``none`` or a number of folds of at least 2."""
    if text.lower() == "none":
        return None
    value = _parse(text, int, "'none' or an integer")
    if value < 2:
        raise argparse.ArgumentTypeError(
            f"must be 'none' or at least 2 folds, got {text}"
        )
    return value


def _parse(text: str, kind: type, what: str) -> Any:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None


def _names(registry: dict[str, Any]) -> str:
    return ", ".join(registry)


def add_distillation_options(
    parser: argparse.ArgumentParser, *, hold_out_optional: bool = False
) -> None:
    """Add the options of the distiller and its models to ``parser``.

    Their defaults are the distillers' own (:data:`DEFAULT_TEMPERATURE`,
    :data:`DEFAULT_ALPHA`, :data:`DEFAULT_TEACHER_CV`).

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    hold_out_optional : bool, default=False
        Whether ``--test-size 0`` (no held-out rows, no report) is allowed.
    """
    group = parser.add_argument_group("distillation")
    group.add_argument(
        "--temperature",
        type=positive_float,
        metavar="T",
        help="softening of the teacher's probabilities, T > 0 (classification "
        f"only; default: {DEFAULT_TEMPERATURE}, 2 for a tree student and 1 for "
        "the others)",
    )
    group.add_argument(
        "--alpha",
        type=unit_float,
        metavar="A",
        help="weight of the true labels in the student's target, in [0, 1]; "
        "1 ignores the teacher, 0 the labels (default: the distiller's, "
        f"{DEFAULT_ALPHA['classification']} for classification and "
        f"{DEFAULT_ALPHA['regression']} for regression)",
    )
    group.add_argument(
        "--teacher-cv",
        type=cv_folds,
        default=DEFAULT_TEACHER_CV,
        metavar="K",
        help="soft targets of the training rows out-of-fold from K folds of "
        "the teacher, or 'none' for the teacher fitted on all rows; the "
        "distillers' teacher_cv (default: "
        f"{DEFAULT_TEACHER_CV or 'none'})",
    )
    group.add_argument(
        "--augment",
        choices=["none", "munge", "perturb"],
        default="none",
        help="synthetic rows labelled by the teacher: MUNGE or random "
        "perturbations of the training rows (default: %(default)s)",
    )
    group.add_argument(
        "--n-estimators",
        type=positive_int,
        metavar="N",
        help=f"trees of the teacher (default: {TEACHER_TREES})",
    )
    group.add_argument(
        "--max-depth",
        type=positive_int,
        default=6,
        metavar="D",
        help="depth of the 'tree' student (default: %(default)s)",
    )
    test_size_help = "share of the rows held out for the report"
    if hold_out_optional:
        test_size_help += (
            "; 0 holds none out: the model is trained on all rows and there is "
            "no report (--refit-all gives both)"
        )
    group.add_argument(
        "--test-size",
        type=share_float if hold_out_optional else open_unit_float,
        default=0.2,
        metavar="F",
        help=f"{test_size_help} (default: %(default)s)",
    )
    group.add_argument(
        "--random-state",
        type=seed,
        default=0,
        metavar="SEED",
        help="seed of the split and of every model (default: %(default)s)",
    )
    group.add_argument(
        "--n-jobs",
        type=n_jobs,
        default=1,
        metavar="N",
        help="threads of LightGBM and of the random forest; -1 for every core "
        "(default: %(default)s)",
    )


@dataclass(frozen=True)
class Settings:
    """What a distillation is made of, read from the command line."""

    teacher: str = "lgbm"
    student: str = "tree"
    temperature: float | None = None
    alpha: float | None = None  # None: the distiller's default for the task
    teacher_cv: int | None = DEFAULT_TEACHER_CV
    augment: str | None = None
    test_size: float = 0.2
    refit_all: bool = False
    random_state: int = 0
    verbose: int = 0
    options: ModelOptions = field(default_factory=ModelOptions)

    @property
    def trained_on(self) -> str:
        """The rows of the saved model: ``"all rows"`` or ``"training split"``."""
        if self.refit_all or self.test_size == 0:
            return "all rows"
        return "training split"

    @classmethod
    def from_args(cls, args: argparse.Namespace, **overrides: Any) -> Settings:
        """The settings given by parsed options, with ``overrides``."""
        values = {
            "teacher": getattr(args, "teacher", "lgbm"),
            "student": getattr(args, "student", "tree"),
            "temperature": args.temperature,
            "alpha": args.alpha,
            "teacher_cv": args.teacher_cv,
            "augment": None if args.augment == "none" else args.augment,
            "test_size": args.test_size,
            "refit_all": getattr(args, "refit_all", False),
            "random_state": args.random_state,
            "verbose": int(args.verbose),
            "options": ModelOptions(
                n_estimators=args.n_estimators,
                max_depth=args.max_depth,
                random_state=args.random_state,
                n_jobs=args.n_jobs,
            ),
        }
        values.update(overrides)
        return cls(**values)

    def check(self, task: str) -> None:
        """Raise a usage error for a name or option that does not fit ``task``."""
        check_name("teacher", self.teacher, task)
        check_name("student", self.student, task)
        if task == "regression" and self.temperature is not None:
            raise CLIError(
                "--temperature applies to classification only (a regression "
                "student learns the teacher's predictions, blended by --alpha)",
                EXIT_USAGE,
            )

    def to_dict(self, task: str, distiller: Any = None) -> dict[str, Any]:
        """The settings as plain values, for the model file of a ``task`` model.

        With the fitted ``distiller``, the temperature is the one it used
        (``temperature_``, what ``"auto"`` stood for).
        """
        temperature = self.temperature
        if task == "classification" and temperature is None:
            temperature = DEFAULT_TEMPERATURE
        if hasattr(distiller, "temperature_"):
            temperature = distiller.temperature_
        return {
            "teacher": self.teacher,
            "student": self.student,
            "temperature": temperature,
            "alpha": DEFAULT_ALPHA[task] if self.alpha is None else self.alpha,
            "teacher_cv": self.teacher_cv,
            "augment": self.augment,
            "test_size": self.test_size,
            "refit_all": self.refit_all,
            "trained_on": self.trained_on,
            "random_state": self.random_state,
            "n_estimators": self.options.n_estimators,
            "max_depth": self.options.max_depth,
        }


def holdout_split(
    X: pd.DataFrame, y: NDArray[Any], task: str, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame, NDArray[Any], NDArray[Any]]:
    """Training and held-out rows, stratified by class for a classification.

    Parameters
    ----------
    X : DataFrame
        Feature columns.
    y : ndarray
        Target.
    task : {"classification", "regression"}
        The task.
    settings : Settings
        ``test_size`` and ``random_state``.

    Returns
    -------
    X_train, X_test, y_train, y_test
    """
    stratify = None
    if task == "classification":
        classes, counts = np.unique(y, return_counts=True)
        rare = classes[counts < 2]
        if rare.size:
            shown = ", ".join(repr(c) for c in rare[:5].tolist())
            raise CLIError(
                f"{rare.size} class(es) of the target have a single row ({shown}"
                f"{', ...' if rare.size > 5 else ''}); a stratified hold-out split "
                "needs at least two rows per class. Remove those rows or merge "
                "rare classes."
            )
        stratify = y
    try:
        X_train, X_test, y_train, y_test = train_test_split(
            X,
            y,
            test_size=settings.test_size,
            stratify=stratify,
            random_state=settings.random_state,
        )
    except ValueError as exc:
        raise CLIError(
            f"cannot hold out {settings.test_size:g} of {len(y):,} rows for the "
            f"report: {exc}"
        ) from None
    return X_train, X_test, y_train, y_test


def _distiller(task: str, teacher: Any, student: Any, settings: Settings) -> Any:
    common = {
        "alpha": DEFAULT_ALPHA[task] if settings.alpha is None else settings.alpha,
        "teacher_cv": settings.teacher_cv,
        "augment": settings.augment,
        "verbose": settings.verbose,
        "random_state": settings.random_state,
    }
    if task == "classification":
        temperature = settings.temperature
        return DistilledClassifier(
            teacher,
            student,
            temperature=DEFAULT_TEMPERATURE if temperature is None else temperature,
            **common,
        )
    return DistilledRegressor(teacher, student, **common)


def describe_transfer(settings: Settings) -> str:
    """How the student's soft targets are made, in words."""
    source = (
        "teacher fitted on all rows"
        if settings.teacher_cv is None
        else f"out-of-fold, {settings.teacher_cv} folds"
    )
    if settings.augment is not None:
        source += f", {settings.augment} rows"
    return source


@dataclass
class Distillation:
    """A fitted distillation: the models take the raw feature columns.

    Attributes
    ----------
    model : Pipeline
        ``TableSchema`` then the fitted distiller.
    baseline : Pipeline or None
        ``TableSchema`` then the student fitted on the labels alone, if fitted.
    """

    model: Pipeline
    baseline: Pipeline | None

    @property
    def distiller(self) -> Any:
        """The fitted DistilledClassifier or DistilledRegressor."""
        return self.model[-1]


@dataclass
class FittedModel:
    """What ``skdistill fit`` saves and prints, however the model was fit.

    Attributes
    ----------
    model : Pipeline
        ``TableSchema`` then the fitted distiller.
    baseline : Pipeline or None
        The student fitted on the labels alone, for the model file.
    report : DistillationReport or None
        On held-out rows; None when there are none (see ``note``).
    note : str
        What is printed instead of a missing report.
    task : {"classification", "regression"}
    target : str
        The target column.
    features : list of str
        The feature columns, in the model's order.
    settings : dict
        What the model file records of the options.
    training_rows : dict
        The fingerprint of the training rows (see
        :func:`~skdistill.cli._persist.training_fingerprint`).
    n_rows : int
        How many rows the saved model was trained on.
    student : str
        The student's name.
    extra : dict
        Further keys of the JSON output.
    """

    model: Pipeline
    baseline: Pipeline | None
    report: Any
    note: str
    task: str
    target: str
    features: list[str]
    settings: dict[str, Any]
    training_rows: dict[str, Any]
    n_rows: int
    student: str
    extra: dict[str, Any] = field(default_factory=dict)


def distil(
    X_train: pd.DataFrame,
    y_train: NDArray[Any],
    task: str,
    schema: TableSchema,
    settings: Settings,
    progress: Progress,
    *,
    with_baseline: bool = True,
) -> Distillation:
    """Fit the distiller and the student on the labels alone.

    Parameters
    ----------
    X_train : DataFrame
        Raw feature columns of the training rows.
    y_train : ndarray
        Their target.
    task : {"classification", "regression"}
        The task.
    schema : TableSchema
        Fitted schema of ``X_train``.
    settings : Settings
        Teacher, student and options.
    progress : Progress
        Where the steps are reported.
    with_baseline : bool, default=True
        Fit the student on the labels alone too (``baseline`` is None if not).

    Returns
    -------
    distillation : Distillation
    """
    if settings.teacher_cv is not None and settings.teacher_cv > len(y_train):
        raise CLIError(
            f"--teacher-cv {settings.teacher_cv}: more folds than the "
            f"{len(y_train):,} training rows; use fewer folds, or 'none'",
            EXIT_USAGE,
        )
    typed = schema.transform(X_train)
    teacher = build_teacher(settings.teacher, task, typed, schema, settings.options)
    student = build_student(settings.student, task, typed, schema, settings.options)
    teacher_name = TEACHERS[settings.teacher].describe(settings.options)
    student_name = STUDENTS[settings.student].describe(settings.options)
    distiller = _distiller(task, teacher, student, settings)
    with progress.step(
        f"distilling the teacher ({teacher_name}) into the student "
        f"({student_name}; {describe_transfer(settings)})"
    ):
        distiller.fit(typed, y_train)
    baseline = None
    if with_baseline:
        with progress.step(f"fitting the student on the labels alone ({student_name})"):
            fitted = clone(student).fit(typed, y_train)
        baseline = Pipeline([("schema", schema), ("student", fitted)])
    return Distillation(
        model=Pipeline([("schema", schema), ("distiller", distiller)]),
        baseline=baseline,
    )


def typed_columns(model: Pipeline, X: pd.DataFrame, name: str) -> Any:
    """``X`` as the model's last step takes it, with a clear error if unusable.

    Parameters
    ----------
    model : Pipeline
        ``TableSchema`` then the distiller, or (a model file of the student
        alone) ``TableSchema``, the student's encoding and the student.
    X : DataFrame
        Raw feature columns.
    name : str
        Where ``X`` comes from, for messages.

    Returns
    -------
    X_typed : DataFrame or ndarray
    """
    try:
        return model[:-1].transform(X)
    except ValueError as exc:
        raise CLIError(f"{name}: {exc}") from None


def check_labels(model: Any, y: NDArray[Any], name: str) -> None:
    """Raise an error if ``y`` holds a class the classifier ``model`` lacks.

    Parameters
    ----------
    model : estimator
        A fitted classifier (with ``classes_``); anything else is not checked.
    y : ndarray
        True labels.
    name : str
        Where ``y`` comes from, for messages.
    """
    if not hasattr(model, "classes_"):
        return
    known = set(model.classes_.tolist())
    unknown = sorted({label for label in y.tolist() if label not in known})
    if unknown:
        raise CLIError(
            f"{name} hold labels the model was not trained on: "
            f"{listed(unknown)} (its classes: {listed(model.classes_.tolist())})"
        )


def report(
    model: Pipeline,
    baseline: Pipeline | None,
    X_test: pd.DataFrame,
    y_test: NDArray[Any],
    progress: Progress,
    *,
    name: str = "the held-out rows",
    random_state: int = 0,
    onnx: bool = False,
) -> Any:
    """The distillation report of ``model`` on ``(X_test, y_test)``.

    Parameters
    ----------
    model : Pipeline
        ``TableSchema`` then the fitted distiller.
    baseline : Pipeline or None
        ``TableSchema`` then the student fitted on the labels alone.
    X_test : DataFrame
        Raw feature columns.
    y_test : ndarray
        Their target.
    progress : Progress
        Where the step is reported.
    name : str
        Where the rows come from, for messages.
    random_state : int
        Draw of the timed rows.
    onnx : bool, default=False
        Add the size and latency of the teacher and the student exported to
        ONNX (``distillation_report(..., onnx=True)``).

    Returns
    -------
    report : DistillationReport
    """
    from ..export import UnsupportedModelError
    from ..metrics import distillation_report

    typed = typed_columns(model, X_test, name)
    distiller = model[-1]
    check_labels(distiller, y_test, name)
    with progress.step(f"measuring the models on {name} ({len(y_test):,} rows)"):
        try:
            return distillation_report(
                distiller,
                typed,
                y_test,
                baseline=None if baseline is None else baseline[-1],
                random_state=random_state,
                onnx=onnx,
            )
        except (ImportError, UnsupportedModelError) as exc:
            if not onnx:
                raise
            raise CLIError(f"--onnx: {exc}") from None


def check_plotting() -> None:
    """Raise an error telling what to install unless matplotlib is there."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CLIError(
            'saving plots needs matplotlib: pip install "skdistill[plots]"'
        ) from None


def save_plots(
    directory: str,
    reports: dict[str, Any],
    distillations: dict[str, Distillation],
    X_test: pd.DataFrame,
    y_test: NDArray[Any],
    progress: Progress,
) -> list[Path]:
    """Save PNG plots of the distillations to ``directory``.

    ``compression.png`` shows every student's accuracy (or R²) against its
    size, and ``reliability_<student>.png`` each classifier's reliability
    diagram.

    Parameters
    ----------
    directory : str
        Created if missing.
    reports : dict of str to DistillationReport
        One per student name.
    distillations : dict of str to Distillation
        One per student name.
    X_test : DataFrame
        Raw feature columns of the held-out rows.
    y_test : ndarray
        Their target.
    progress : Progress
        Where the step is reported.

    Returns
    -------
    paths : list of Path
        The files written.
    """
    check_plotting()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plotting import CompressionDisplay, ReliabilityDisplay

    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise CLIError(f"{directory} exists and is not a directory", EXIT_USAGE)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with progress.step(f"saving plots to {directory}"):
        display = CompressionDisplay.from_reports(
            list(reports.values()), names=list(reports)
        )
        paths.append(_save_figure(display.figure_, folder / "compression.png"))
        for name, distillation in distillations.items():
            if not hasattr(distillation.distiller, "classes_") or not hasattr(
                distillation.model, "predict_proba"
            ):
                continue  # a reliability diagram needs probabilities
            display = ReliabilityDisplay.from_estimator(
                distillation.model,
                X_test,
                y_test,
                baseline=distillation.baseline,
            )
            display.ax_.set_title(f"Reliability: {name}")
            paths.append(
                _save_figure(display.figure_, folder / f"reliability_{name}.png")
            )
        plt.close("all")
    return paths


def _save_figure(figure: Any, path: Path) -> Path:
    with atomic_write(path) as file:
        figure.savefig(file, format="png", dpi=100, bbox_inches="tight")
    return path


def _plain(value: Any) -> Any:
    """``value`` as standard JSON values: numpy scalars as Python's, NaN and
    infinities as None (also used by ``compress --json``)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def format_report(report: Any, *, as_json: bool = False, **extra: Any) -> str:
    """The report as text, or as JSON with the ``extra`` keys.

    Parameters
    ----------
    report : DistillationReport
        The report.
    as_json : bool, default=False
        JSON (NaN as ``null``) instead of the text table.
    **extra : dict
        Keys added to the JSON object (such as the student's name).

    Returns
    -------
    text : str
    """
    if not as_json:
        return str(report)
    import json

    return json.dumps(report_dict(report, **extra), indent=2)


def report_dict(report: Any, **extra: Any) -> dict[str, Any]:
    """``report.to_dict()`` with the ``extra`` keys first, NaN as None.

    Parameters
    ----------
    report : DistillationReport
        The report.
    **extra : dict
        Keys added first (such as the student's name).

    Returns
    -------
    report : dict
        JSON-serializable.
    """
    return _plain({**extra, **report.to_dict()})
