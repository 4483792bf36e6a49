"""``skdistill fit --chunksize``: distil a fitted teacher over a file of any size.

The file is read chunk by chunk (:mod:`~skdistill.cli._chunks`); each
chunk is split, by a hash of its rows, into rows held out for the report
and training rows; the teacher (from ``--teacher-model``, never trained
here) labels the training rows and the student learns them with
:meth:`~skdistill.DistilledClassifier.partial_fit`. Nothing of a chunk is
kept but two bounded samples: held-out rows for the report
(:data:`REPORT_ROWS` at most) and training rows for the model file's
fingerprint. So memory follows the chunk size, not the file's.

- **The teacher** is a model file of ``skdistill fit`` (its fitted teacher,
  its table schema, its task, target and feature columns), or a skops file
  of a fitted scikit-learn classifier or regressor (or Pipeline), which
  then takes the typed table of a :class:`~skdistill.preprocessing.TableSchema`
  fitted on the first chunk. Both load trusting only known types, as
  :mod:`~skdistill.cli._persist` loads model files.
- **The student** is one of :data:`~skdistill.cli._models.STREAM_STUDENTS`,
  behind the encoding that :func:`~skdistill.preprocessing.make_preprocessor`
  gives a linear model, fitted on the first chunk's training rows and then
  frozen (:class:`~sklearn.frozen.FrozenEstimator`): one-hot codes over the
  schema's categories (a category the schema does not know is missing, and
  a missing one counts as the first chunk's most frequent), numbers imputed
  by the first chunk's medians and scaled by its means and deviations.
- **Rows without a target** are learnt from the teacher alone (the
  distiller's ``unlabeled`` marker).
- **The report** compares the teacher and the student on a uniform sample
  of the held-out rows; there is no hard-label baseline (that would be a
  second student trained on the whole file).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, is_classifier, is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .. import DistilledClassifier, DistilledRegressor
from ..preprocessing import TableSchema, make_preprocessor
from ._chunks import ChunkedTable, open_chunked
from ._console import Progress
from ._data import did_you_mean, listed, prepare_target
from ._errors import EXIT_USAGE, CLIError
from ._models import (
    DEFAULT_STREAM_STUDENT,
    STREAM_STUDENTS,
    ModelOptions,
    build_stream_model,
)
from ._persist import (
    FINGERPRINT_METHOD,
    MAX_FINGERPRINT_ROWS,
    TRUST_OPTION,
    check_bundle,
    is_bundle,
    load_skops,
    row_hashes,
    set_threads,
)
from ._train import (
    DEFAULT_ALPHA,
    DEFAULT_TEACHER_CV,
    DEFAULT_TEMPERATURE,
    FittedModel,
    positive_int,
)
from ._train import report as held_out_report

#: Most held-out rows the report is computed on (a uniform sample of them).
REPORT_ROWS = 10_000
#: The options of ``fit`` that name or shape a teacher to train, and their
#: defaults: ``--teacher-model`` brings a fitted one instead.
TRAINING_OPTIONS = {
    "teacher": (None, "--teacher"),
    "teacher_cv": (DEFAULT_TEACHER_CV, "--teacher-cv"),
    "augment": ("none", "--augment"),
    "n_estimators": (None, "--n-estimators"),
    "max_depth": (ModelOptions().max_depth, "--max-depth"),
    "refit_all": (False, "--refit-all"),
}
#: What ``fit --chunksize --test-size 0`` prints where the report would be.
NO_REPORT = (
    "No report: --test-size 0 holds no rows out, so the student learnt all "
    "{n_rows:,} rows and none are left to measure it on. Give --test-size a "
    "share (such as 0.01) to hold rows out: the report is computed on a sample "
    f"of them (at most {REPORT_ROWS:,})."
)
#: What it prints when no held-out row has a target.
NO_LABELLED_ROWS = (
    "No report: none of the {n_rows:,} held-out rows has a value of the target "
    "{target!r}, so the student's quality cannot be measured on them."
)


def add_stream_options(parser: argparse.ArgumentParser, *, fit: bool) -> None:
    """Add ``--chunksize`` and ``--progress`` (and, for ``fit``, the teacher's file).

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    fit : bool
        Add ``--teacher-model`` and the trust option too (``predict`` has
        its own trust option, for MODEL).
    """
    group = parser.add_argument_group("a file bigger than memory")
    if fit:
        group.add_argument(
            "--teacher-model",
            metavar="TEACHER",
            help="distil the fitted teacher of TEACHER, never training it: a "
            "model file of 'skdistill fit' (its teacher, column types, target "
            "and task) or a skops file of a fitted scikit-learn classifier or "
            "regressor (or Pipeline) that takes DATA's columns; with --chunksize",
        )
        group.add_argument(
            TRUST_OPTION,
            action="store_true",
            help="load TEACHER even if it holds types that skdistill does not "
            "trust (loading them can run code from the file: only for a file "
            "whose source you trust)",
        )
    what = (
        "the student learns each chunk as it is read (needs --teacher-model)"
        if fit
        else "each chunk's predictions are written as it is read"
    )
    group.add_argument(
        "--chunksize",
        type=positive_int,
        metavar="N",
        help=f"read DATA N rows at a time, never whole: {what}; memory "
        "follows N, not the size of DATA (such as 50000)",
    )
    group.add_argument(
        "--progress",
        action="store_true",
        help="show the progress bar of --chunksize on standard error even when "
        "it is not a terminal (a log file); not with -q",
    )


def check_progress_option(args: argparse.Namespace) -> None:
    """Usage errors of ``--progress``: it needs ``--chunksize``, and not ``-q``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments.
    """
    if not args.progress:
        return
    if args.chunksize is None:
        raise CLIError(
            "--progress shows the progress of --chunksize: add --chunksize N, "
            "or drop --progress",
            EXIT_USAGE,
        )
    if args.quiet:
        raise CLIError(
            "--progress shows a progress bar and --quiet hides every progress "
            "line: give one of them",
            EXIT_USAGE,
        )


def check_stream_options(args: argparse.Namespace) -> bool:
    """Usage errors of ``fit``'s streaming options; whether ``fit`` streams.

    ``--chunksize`` and ``--teacher-model`` go together; the options that
    train a teacher (``--teacher``, ``--teacher-cv``, ``--augment``,
    ``--n-estimators``, ``--max-depth``, ``--refit-all``) do not apply.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of ``fit``.

    Returns
    -------
    streaming : bool
    """
    check_progress_option(args)
    if args.chunksize is None and args.teacher_model is None:
        if args.trust_untrusted_types:
            raise CLIError(
                f"{TRUST_OPTION} loads --teacher-model TEACHER; drop it, or give "
                "--teacher-model and --chunksize",
                EXIT_USAGE,
            )
        return False
    if args.teacher_model is None:
        raise CLIError(
            "--chunksize distils a fitted teacher over DATA read in chunks: give "
            "it with --teacher-model TEACHER (a model file of 'skdistill fit', "
            "such as one fit on a sample of DATA: skdistill fit SAMPLE.csv "
            "--target COLUMN --out teacher.skops), or drop --chunksize to fit a "
            "teacher and a student on DATA in memory",
            EXIT_USAGE,
        )
    if args.chunksize is None:
        raise CLIError(
            "--teacher-model distils its fitted teacher over DATA read in chunks: "
            "give the rows per chunk with --chunksize N (such as 50000)",
            EXIT_USAGE,
        )
    for name, (default, option) in TRAINING_OPTIONS.items():
        if getattr(args, name) != default:
            raise CLIError(
                f"{option} does not apply with --teacher-model: its teacher is "
                f"fitted already and the student learns DATA chunk by chunk; "
                f"drop {option}",
                EXIT_USAGE,
            )
    return True


# -- the teacher --------------------------------------------------------------------
@dataclass(frozen=True)
class StreamTeacher:
    """The fitted teacher of ``--teacher-model`` and what comes with it.

    Attributes
    ----------
    estimator : estimator
        Fitted; takes the typed table of ``schema``.
    task : {"classification", "regression"}
    path : str
        The file.
    description : str
        What it is, for the model file's settings (a name of the command
        line's teachers, or a class name).
    schema : TableSchema or None
        The fitted schema of a model file; None: fit one on the first chunk.
    target : str or None
        The target of a model file.
    features : list of str or None
        Its feature columns, in order (None: every column of DATA but the
        target and ``--drop``'s).
    n_estimators : int or None
        The ``--n-estimators`` of a model file.
    """

    estimator: Any
    task: str
    path: str
    description: str
    schema: TableSchema | None = None
    target: str | None = None
    features: list[str] | None = None
    n_estimators: int | None = None


def _teacher_error(message: str, exit_code: int = 1) -> CLIError:
    return CLIError(f"--teacher-model: {message}", exit_code)


def load_teacher(path: str, *, trust_untrusted_types: bool = False) -> StreamTeacher:
    """The teacher of ``--teacher-model``: a model file, or a skops file of a model.

    Parameters
    ----------
    path : str
        The file.
    trust_untrusted_types : bool, default=False
        Load it even if it holds types that skdistill does not trust.

    Returns
    -------
    teacher : StreamTeacher

    Raises
    ------
    CLIError
        Naming ``--teacher-model``: the file is missing or not a skops file,
        holds untrusted types, the student alone, or no fitted classifier or
        regressor.
    """
    what = (
        "give a model file of 'skdistill fit', or a skops file of a fitted "
        "scikit-learn classifier or regressor"
    )
    try:
        obj = load_skops(
            path,
            trust_untrusted_types=trust_untrusted_types,
            not_a_model=f"{path} is not a skops file ({what})",
        )
        if is_bundle(obj):
            return _bundle_teacher(check_bundle(obj, path), path)
    except CLIError as exc:
        raise _teacher_error(str(exc), exc.exit_code) from None
    if not (isinstance(obj, BaseEstimator) and hasattr(obj, "predict")):
        raise _teacher_error(
            f"{path} holds a {type(obj).__name__}, not a model; {what}"
        )
    if is_classifier(obj):
        task = "classification"
    elif is_regressor(obj):
        task = "regression"
    else:
        raise _teacher_error(
            f"{path} holds a {type(obj).__name__}, which is neither a classifier "
            f"nor a regressor; {what}"
        )
    try:
        check_is_fitted(obj)
    except NotFittedError:
        raise _teacher_error(
            f"{path} holds a {type(obj).__name__} that is not fitted; save it "
            "after fitting it"
        ) from None
    names = getattr(obj, "feature_names_in_", None)
    features = None if names is None else [str(name) for name in names]
    return StreamTeacher(obj, task, path, type(obj).__name__, features=features)


def _bundle_teacher(bundle: dict[str, Any], path: str) -> StreamTeacher:
    if bundle["contents"] != "distiller":
        raise CLIError(
            f"{path} holds a student alone (saved by 'skdistill fit "
            "--student-only'), without its teacher; give the model file saved "
            "without --student-only"
        )
    model = bundle["model"]
    settings = bundle.get("settings") or {}
    return StreamTeacher(
        model[-1].teacher_,
        bundle["task"],
        path,
        str(settings.get("teacher", type(model[-1].teacher_).__name__)),
        schema=model[0],
        target=bundle["target"],
        features=list(bundle["features"]),
        n_estimators=settings.get("n_estimators"),
    )


# -- what the file must hold --------------------------------------------------------
@dataclass(frozen=True)
class Columns:
    """The columns of DATA that the job reads: the features and the target."""

    features: list[str]
    target: str

    @property
    def read(self) -> list[str]:
        """The columns read: the features, then the target."""
        return [*self.features, self.target]


def resolve_columns(
    args: argparse.Namespace, teacher: StreamTeacher, table: ChunkedTable
) -> Columns:
    """The target and the feature columns, checked against the teacher and DATA.

    Parameters
    ----------
    args : argparse.Namespace
        ``--target``, ``--task`` and ``--drop``.
    teacher : StreamTeacher
        The teacher.
    table : ChunkedTable
        DATA.

    Returns
    -------
    columns : Columns
    """
    option = f"--teacher-model {teacher.path}"
    if args.task != "auto" and args.task != teacher.task:
        raise CLIError(
            f"--task {args.task}: the teacher of {option} is a {teacher.task} "
            f"model; drop --task (the task is the teacher's), or give a "
            f"{args.task} teacher",
            EXIT_USAGE,
        )
    if teacher.task == "regression" and args.temperature is not None:
        raise CLIError(
            "--temperature applies to classification only (a regression "
            "student learns the teacher's predictions, blended by --alpha)",
            EXIT_USAGE,
        )
    target = args.target or teacher.target
    if target is None:
        raise CLIError(
            f"--target: give the column of DATA to predict ({teacher.path} is not "
            "a model file of 'skdistill fit', which would name it)",
            EXIT_USAGE,
        )
    if teacher.target is not None and target != teacher.target:
        raise CLIError(
            f"--target {target!r}: the teacher of {option} predicts "
            f"{teacher.target!r}; drop --target (it is the teacher's), or give "
            "a teacher fit on that target",
            EXIT_USAGE,
        )
    if target not in table.columns:
        hint = did_you_mean(target, table.columns)
        given = "--target" if args.target else f"the target of {option}"
        raise CLIError(
            f"no column {target!r} ({given}) in {table.name}{hint}; a row whose "
            "target is empty is learnt from the teacher alone, but the column "
            "must be there",
            EXIT_USAGE,
        )
    if teacher.features is not None:
        used = [column for column in args.drop if column in teacher.features]
        if used:
            raise CLIError(
                f"--drop: the teacher of {option} takes the column {used[0]!r}; "
                "drop only columns the teacher does not use",
                EXIT_USAGE,
            )
        if target in teacher.features:
            raise CLIError(
                f"the target {target!r} is a feature of the teacher of {option}",
                EXIT_USAGE,
            )
        table.require(teacher.features, f"that the teacher of {option} takes")
        return Columns(list(teacher.features), target)
    unknown = [column for column in args.drop if column not in table.columns]
    if unknown:
        hint = did_you_mean(unknown[0], table.columns) if len(unknown) == 1 else ""
        raise CLIError(
            f"--drop: no column {', '.join(map(repr, unknown))} in {table.name}{hint}",
            EXIT_USAGE,
        )
    features = [c for c in table.columns if c != target and c not in args.drop]
    if not features:
        raise CLIError("no feature column is left after --drop", EXIT_USAGE)
    return Columns(features, target)


# -- the student --------------------------------------------------------------------
def check_stream_student(name: str | None, task: str) -> str:
    """The ``--student`` of a streamed fit: one that learns batch by batch.

    Parameters
    ----------
    name : str or None
        ``--student`` (None: the default of ``task``).
    task : {"classification", "regression"}
        The teacher's task.

    Returns
    -------
    name : str
        A key of :data:`~skdistill.cli._models.STREAM_STUDENTS`.
    """
    if name is None:
        return DEFAULT_STREAM_STUDENT[task]
    valid = [key for key, model in STREAM_STUDENTS.items() if task in model.tasks]
    if name not in valid:
        reason = (
            f"the student {name!r} is for {' and '.join(STREAM_STUDENTS[name].tasks)}"
            if name in STREAM_STUDENTS
            else f"the student {name!r} cannot learn batch by batch"
        )
        raise CLIError(
            f"--student: {reason}; with --chunksize, the students that learn "
            f"chunk by chunk for {task} are: {', '.join(valid)} (default: "
            f"{DEFAULT_STREAM_STUDENT[task]})",
            EXIT_USAGE,
        )
    return name


def build_stream_student(
    name: str, task: str, X: pd.DataFrame, schema: TableSchema, options: ModelOptions
) -> Pipeline:
    """The student ``name`` behind its encoding, fitted on ``X`` and frozen.

    The encoding is :func:`~skdistill.preprocessing.make_preprocessor`'s
    for a linear model, its one-hot codes over ``schema``'s categories; it
    is fitted on ``X`` (the first chunk's training rows) and wrapped in
    :class:`~sklearn.frozen.FrozenEstimator`, so that ``partial_fit`` only
    transforms the next chunks with it.

    Parameters
    ----------
    name : str
        A key of :data:`~skdistill.cli._models.STREAM_STUDENTS`.
    task : {"classification", "regression"}
        The task.
    X : DataFrame
        The typed first chunk (``schema``'s output).
    schema : TableSchema
        The fitted schema.
    options : ModelOptions
        The student's seed.

    Returns
    -------
    student : Pipeline
        Steps ``"encode"`` (frozen, fitted) and ``"model"`` (unfitted).
    """
    model = build_stream_model(name, task, options)
    encoder = make_preprocessor(model, X, schema=schema)
    categories = [schema.categories_[column] for column in schema.categories_]
    parameter = "categorical__one_hot__categories"
    if parameter in encoder.get_params() and all(categories):
        encoder.set_params(**{parameter: categories})
    return Pipeline([("encode", FrozenEstimator(encoder.fit(X))), ("model", model)])


# -- the held-out split and the samples ---------------------------------------------
def split_priority(X: pd.DataFrame, random_state: int) -> NDArray[np.float64]:
    """A number in [0, 1) per row, from its values and the seed: the split's draw.

    Rows are hashed (:func:`pandas.util.hash_pandas_object`, without the
    index), the hash mixed with the seed (SplitMix64's finalizer), and the
    top 53 bits read as a fraction. The same row gets the same number
    whichever chunk it is in, so that the rows held out do not depend on
    ``--chunksize``, and equal rows fall on the same side.

    Parameters
    ----------
    X : DataFrame
        Raw feature columns.
    random_state : int
        Seed.

    Returns
    -------
    priority : ndarray of shape (n_rows,)
    """
    z = pd.util.hash_pandas_object(X, index=False).to_numpy(np.uint64)
    z = z + np.uint64(random_state) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


@dataclass
class Sample:
    """The ``size`` rows of smallest priority seen so far (a bottom-k sample).

    Priorities drawn uniformly make it a uniform sample of the rows added,
    of bounded size, that does not depend on how the rows were chunked
    (equal priorities: the earlier row is kept).
    """

    size: int
    rows: pd.DataFrame | None = None
    priority: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    position: NDArray[np.int64] = field(
        default_factory=lambda: np.empty(0, dtype=np.int64)
    )

    def add(
        self,
        rows: pd.DataFrame,
        priority: NDArray[np.float64],
        position: NDArray[np.int64],
    ) -> None:
        """Add rows with their priorities and their positions in the file."""
        if self.size == 0 or len(rows) == 0:
            return
        if self.rows is not None and self.priority.size == self.size:
            better = priority < self.priority.max()
            rows, priority, position = rows[better], priority[better], position[better]
            if len(rows) == 0:
                return
        rows = rows.reset_index(drop=True)
        if self.rows is not None:
            rows = pd.concat([self.rows, rows], ignore_index=True)
            priority = np.concatenate([self.priority, priority])
            position = np.concatenate([self.position, position])
        keep = np.sort(np.argsort(priority, kind="stable")[: self.size])
        self.rows = rows.iloc[keep].reset_index(drop=True)
        self.priority, self.position = priority[keep], position[keep]

    def in_file_order(self) -> pd.DataFrame | None:
        """The rows kept, in the order of the file (None if none)."""
        if self.rows is None:
            return None
        return self.rows.iloc[np.argsort(self.position, kind="stable")]


# -- the job -------------------------------------------------------------------------
def _unlabeled_marker(task: str, classes: NDArray[Any] | None) -> Any:
    """A value of ``y`` that no label takes: the distiller's ``unlabeled``."""
    if task == "regression":
        return float(-np.finfo(np.float64).max)  # y must be finite: not NaN
    known = set(classes.tolist())
    if classes.dtype.kind in "iu":
        return -1 if -1 not in known else int(classes.min()) - 1
    marker = "<unlabeled>"
    while marker in known:
        marker += "_"
    return marker


class StreamDistillation:
    """The student learning a file chunk by chunk, and what the job keeps of it.

    Parameters
    ----------
    teacher : StreamTeacher
        The fitted teacher.
    columns : Columns
        The features and the target.
    student : str
        A key of :data:`~skdistill.cli._models.STREAM_STUDENTS`.
    options : ModelOptions
        The student's seed.
    temperature : float or None
        ``--temperature`` (None: the distiller's default).
    alpha : float or None
        ``--alpha`` (None: the distiller's default for the task).
    test_size : float
        Share of the rows held out.
    random_state : int
        Seed of the split and of the student.
    name : str
        How messages name DATA.
    """

    def __init__(
        self,
        teacher: StreamTeacher,
        columns: Columns,
        *,
        student: str,
        options: ModelOptions,
        temperature: float | None,
        alpha: float | None,
        test_size: float,
        random_state: int,
        name: str,
    ) -> None:
        self.teacher = teacher
        self.columns = columns
        self.student = student
        self.options = options
        self.temperature = DEFAULT_TEMPERATURE if temperature is None else temperature
        self.alpha = DEFAULT_ALPHA[teacher.task] if alpha is None else alpha
        self.test_size = test_size
        self.random_state = random_state
        self.name = name
        self.schema = teacher.schema
        self.classes = (
            np.unique(np.asarray(teacher.estimator.classes_))
            if teacher.task == "classification"
            else None
        )
        self.marker = _unlabeled_marker(teacher.task, self.classes)
        self.distiller: Any = None
        self.held_out = Sample(REPORT_ROWS)
        self.training = Sample(MAX_FINGERPRINT_ROWS)
        self.n_chunks = 0
        self.n_rows = 0
        self.n_training_rows = 0
        self.n_unlabeled_rows = 0
        self.n_held_out_rows = 0

    def learn(self, chunk: pd.DataFrame) -> None:
        """Split one chunk, keep its samples, and let the student learn its
        training rows.

        Parameters
        ----------
        chunk : DataFrame
            The feature columns and the target, raw.
        """
        first = self.n_rows
        position = np.arange(first, first + len(chunk), dtype=np.int64)
        self.n_chunks += 1
        self.n_rows += len(chunk)
        X = chunk[self.columns.features]
        priority = split_priority(X, self.random_state)
        held = priority < self.test_size
        if held.any():
            self.n_held_out_rows += int(held.sum())
            self.held_out.add(chunk[held], priority[held], position[held])
        train = ~held
        if not train.any():
            return
        X, y_raw = X[train], chunk[self.columns.target][train]
        self.n_training_rows += len(X)
        self.training.add(X, priority[train], position[train])
        rows = f"{self.name}, rows {first + 1:,} to {self.n_rows:,}"
        if self.distiller is None:
            self._start(X)
        try:
            typed = self.schema.transform(X)
        except ValueError as exc:
            raise CLIError(f"{rows}: {exc}") from None
        y = self._targets(y_raw, rows)
        try:
            self.distiller.partial_fit(typed, y)
        except ValueError as exc:
            raise CLIError(f"{rows}: {exc}") from None

    def _start(self, X: pd.DataFrame) -> None:
        """The first training rows: the schema (unless the teacher's), the
        student, the distiller."""
        if self.schema is None:
            try:
                self.schema = TableSchema().fit(X)
            except ValueError as exc:
                raise CLIError(
                    f"cannot use the feature columns of {self.name} (--drop leaves "
                    f"a column out): {exc}"
                ) from None
        typed = self.schema.transform(X)
        student = build_stream_student(
            self.student, self.teacher.task, typed, self.schema, self.options
        )
        teacher = FrozenEstimator(self.teacher.estimator)
        if self.teacher.task == "classification":
            self.distiller = DistilledClassifier(
                teacher,
                student,
                temperature=self.temperature,
                alpha=self.alpha,
                unlabeled=self.marker,
                random_state=self.random_state,
            )
        else:
            self.distiller = DistilledRegressor(
                teacher,
                student,
                alpha=self.alpha,
                unlabeled=self.marker,
                random_state=self.random_state,
            )

    def _targets(self, y_raw: pd.Series, rows: str) -> NDArray[Any]:
        """The chunk's targets as the distiller takes them; missing: the marker."""
        present = y_raw.notna().to_numpy()
        self.n_unlabeled_rows += int((~present).sum())
        target = self.columns.target
        if self.classes is None:
            values = prepare_target(y_raw[present], "regression", target)
            if np.any(values == self.marker):
                raise CLIError(f"{rows}: the target {target!r} holds {self.marker!r}")
            y = np.full(len(y_raw), self.marker, dtype=np.float64)
            y[present] = values
            return y
        labels = prepare_target(
            y_raw[present], "classification", target, classes=self.classes
        )
        known = set(self.classes.tolist())
        unknown = sorted({label for label in labels.tolist() if label not in known})
        if unknown:
            raise CLIError(
                f"{rows}: the target {target!r} holds labels that the teacher of "
                f"--teacher-model {self.teacher.path} does not know: "
                f"{listed(unknown)} (its classes: {listed(self.classes.tolist())}); "
                "the student "
                "learns the teacher's classes: leave those rows out, or give a "
                "teacher fit on every class"
            )
        y = np.empty(len(y_raw), dtype=labels.dtype)
        y[~present] = self.marker
        y[present] = labels
        return y

    def model(self) -> Pipeline:
        """The fitted model: the schema, then the distiller."""
        if self.distiller is None:
            raise CLIError(
                f"every row of {self.name} was held out for the report: the "
                "student learnt none; lower --test-size"
            )
        return Pipeline([("schema", self.schema), ("distiller", self.distiller)])

    def report_rows(self) -> tuple[pd.DataFrame, NDArray[Any]] | None:
        """The labelled rows of the held-out sample and their targets, or None."""
        rows = self.held_out.in_file_order()
        if rows is None:
            return None
        y_raw = rows[self.columns.target]
        rows = rows[y_raw.notna().to_numpy()]
        if len(rows) == 0:
            return None
        y = prepare_target(
            rows[self.columns.target],
            self.teacher.task,
            self.columns.target,
            classes=self.classes,
        )
        return rows[self.columns.features], y

    def fingerprint(self) -> dict[str, Any]:
        """The model file's ``training_rows``: hashes of a sample of them.

        The sample is uniform over the training rows (see :class:`Sample`),
        as :func:`~skdistill.cli._persist.training_fingerprint` draws its.
        """
        rows = self.training.in_file_order()
        hashes = np.empty(0, dtype=np.uint64) if rows is None else row_hashes(rows)
        return {
            "method": FINGERPRINT_METHOD,
            "n_rows": self.n_training_rows,
            "hashes": np.sort(hashes),
        }

    def stats(self, chunksize: int) -> dict[str, Any]:
        """What the model file records of the stream."""
        return {
            "teacher_model": Path(self.teacher.path).name,
            "chunksize": chunksize,
            "n_chunks": self.n_chunks,
            "n_rows": self.n_rows,
            "n_training_rows": self.n_training_rows,
            "n_unlabeled_rows": self.n_unlabeled_rows,
            "n_held_out_rows": self.n_held_out_rows,
        }


def _learn_file(
    job: StreamDistillation,
    table: ChunkedTable,
    args: argparse.Namespace,
    progress: Progress,
) -> None:
    """The student learns DATA chunk by chunk, under a progress bar."""
    with progress.bar(
        total=table.n_rows, description="distilling", force=args.progress
    ) as bar:
        for chunk in table.chunks(job.columns.read, args.chunksize):
            job.learn(chunk)
            bar.update(len(chunk))
            fidelity = getattr(job.distiller, "training_fidelity_", float("nan"))
            if not bar.disable:
                bar.set_postfix_str(f"fidelity {fidelity:.3f}", refresh=False)
            elif args.verbose:
                progress.note(
                    f"chunk {job.n_chunks:,}: {job.n_rows:,} rows read, fidelity "
                    f"so far {fidelity:.4f}"
                )


def _report(
    job: StreamDistillation,
    model: Pipeline,
    args: argparse.Namespace,
    progress: Progress,
) -> tuple[Any, str]:
    """The report on the held-out sample, or None and the note saying why not."""
    if args.test_size == 0:
        return None, NO_REPORT.format(n_rows=job.n_training_rows)
    sample = job.report_rows()
    if sample is None:
        note = NO_LABELLED_ROWS.format(
            n_rows=job.n_held_out_rows, target=job.columns.target
        )
        return None, note
    X, y = sample
    name = (
        f"a sample of the {job.n_held_out_rows:,} held-out rows"
        if job.n_held_out_rows > REPORT_ROWS
        else "the held-out rows"
    )
    progress.note(
        "no baseline in the report: a streamed fit trains no student on the "
        "labels alone"
    )
    result = held_out_report(
        model, None, X, y, progress, name=name, random_state=args.random_state
    )
    return result, ""


def fit_stream(args: argparse.Namespace, progress: Progress) -> FittedModel:
    """Run ``skdistill fit --teacher-model TEACHER --chunksize N``: the model to save.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of ``fit`` (checked by
        :func:`check_stream_options`).
    progress : Progress
        Where the steps and the bar are shown.

    Returns
    -------
    fitted : FittedModel
        The model, its report on a sample of the held-out rows (or the note
        saying why there is none) and what the model file records.
    """
    teacher = load_teacher(
        args.teacher_model, trust_untrusted_types=args.trust_untrusted_types
    )
    student = check_stream_student(args.student, teacher.task)
    table = open_chunked(args.data)
    columns = resolve_columns(args, teacher, table)
    set_threads(teacher.estimator, args.n_jobs)
    job = StreamDistillation(
        teacher,
        columns,
        student=student,
        options=ModelOptions(random_state=args.random_state, n_jobs=args.n_jobs),
        temperature=args.temperature,
        alpha=args.alpha,
        test_size=args.test_size,
        random_state=args.random_state,
        name=table.name,
    )
    progress.note(
        f"distilling the teacher of {teacher.path} ({teacher.task}, target "
        f"{columns.target!r}, {len(columns.features)} features) into the student "
        f"({STREAM_STUDENTS[student].describe(ModelOptions())}), reading "
        f"{'' if table.n_rows is None else f'{table.n_rows:,} '}rows of "
        f"{table.name} {args.chunksize:,} at a time"
    )
    _learn_file(job, table, args, progress)
    model = job.model()
    stats = job.stats(args.chunksize)
    progress.note(
        f"the student learnt {job.n_training_rows:,} of the {job.n_rows:,} rows in "
        f"{job.n_chunks:,} chunks ({job.n_unlabeled_rows:,} without a target, "
        f"learnt from the teacher alone); {job.n_held_out_rows:,} held out"
    )
    result, note = _report(job, model, args, progress)
    if result is not None:
        stats["n_report_rows"] = result.n_samples
    distiller = model[-1]
    settings = {
        "teacher": teacher.description,
        "student": student,
        "temperature": getattr(distiller, "temperature_", None),
        "alpha": job.alpha,
        "teacher_cv": None,
        "augment": None,
        "test_size": args.test_size,
        "refit_all": False,
        "trained_on": "all rows" if args.test_size == 0 else "training split",
        "random_state": args.random_state,
        "n_estimators": teacher.n_estimators,
        "max_depth": None,
        "streaming": stats,
    }
    return FittedModel(
        model=model,
        baseline=None,
        report=result,
        note=note,
        task=teacher.task,
        target=columns.target,
        features=columns.features,
        settings=settings,
        training_rows=job.fingerprint(),
        n_rows=job.n_training_rows,
        student=student,
        extra={"streaming": stats},
    )
