"""The named teachers and students of the command line, with their preprocessing.

Each name builds an unfitted estimator for a task, ``"classification"`` or
``"regression"``, that takes the typed table of a fitted
:class:`~skdistill.preprocessing.TableSchema` (numbers and categories) and
carries its own preprocessing, from
:func:`~skdistill.preprocessing.make_preprocessor`: LightGBM models take
categories and missing values natively, trees get ordinal codes, linear
models one-hot codes and scaled, imputed numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import (
    LinearRegression,
    LogisticRegression,
    Ridge,
    SGDClassifier,
    SGDRegressor,
)
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from .._teacher import DEFAULT_TEACHER_PARAMS
from ..preprocessing import TableSchema, make_preprocessor
from ..students import SoftLogisticRegression
from ._errors import EXIT_USAGE, CLIError

#: Trees of a LightGBM or random-forest teacher: the distillers' default.
TEACHER_TREES = DEFAULT_TEACHER_PARAMS["n_estimators"]

TASKS = ("classification", "regression")


@dataclass(frozen=True)
class ModelOptions:
    """Settings shared by the named models.

    Attributes
    ----------
    n_estimators : int or None
        Trees of a teacher (``None``: :data:`TEACHER_TREES`, the distillers'
        default).
    max_depth : int
        Depth of the ``tree`` student.
    random_state : int or None
        Seed of every random model.
    n_jobs : int or None
        Threads of LightGBM and of the random forest.
    """

    n_estimators: int | None = None
    max_depth: int = 6
    random_state: int | None = 0
    n_jobs: int | None = None


@dataclass(frozen=True)
class NamedModel:
    """A teacher or student that the command line knows by name.

    ``build(task, options)`` makes the bare, unfitted model;
    :func:`build_teacher` and :func:`build_student` add its preprocessing.
    """

    description: str
    tasks: tuple[str, ...]
    build: Callable[[str, ModelOptions], Any]

    def describe(self, options: ModelOptions) -> str:
        """The description, with ``{trees}`` and ``{depth}`` filled in."""
        return self.description.format(
            trees=options.n_estimators or TEACHER_TREES, depth=options.max_depth
        )


def _lgbm(n_estimators: int, **params: Any) -> Callable[..., Any]:
    def build(task: str, options: ModelOptions) -> Any:
        cls = LGBMClassifier if task == "classification" else LGBMRegressor
        return cls(
            **{
                **DEFAULT_TEACHER_PARAMS,
                "n_estimators": options.n_estimators or n_estimators,
                "random_state": options.random_state,
                "n_jobs": options.n_jobs,
                **params,
            }
        )

    return build


def _lgbm_student(task: str, options: ModelOptions) -> Any:
    cls = LGBMClassifier if task == "classification" else LGBMRegressor
    return cls(
        n_estimators=16,
        num_leaves=8,
        learning_rate=0.3,
        random_state=options.random_state,
        n_jobs=options.n_jobs,
        verbose=-1,
    )


def _is_identity(preprocessor: Any) -> bool:
    """Whether ``preprocessor`` is make_preprocessor's "nothing to do"."""
    return isinstance(preprocessor, FunctionTransformer) and preprocessor.func is None


def _with_preprocessing(model: Any, X: pd.DataFrame, schema: TableSchema) -> Any:
    """``model`` after its preprocessing of the typed table, or alone if none.

    A model that takes the typed table as it is stays bare, so that the
    distiller sees it as it is (a LightGBM student is fitted natively).
    """
    preprocessor = make_preprocessor(model, X, schema=schema)
    if _is_identity(preprocessor):
        return model
    return Pipeline([("encode", preprocessor), ("model", model)])


def _random_forest(task: str, options: ModelOptions) -> Any:
    cls = RandomForestClassifier if task == "classification" else RandomForestRegressor
    return cls(
        n_estimators=options.n_estimators or TEACHER_TREES,
        min_samples_leaf=2,
        random_state=options.random_state,
        n_jobs=options.n_jobs,
    )


def _tree(task: str, options: ModelOptions) -> Any:
    cls = DecisionTreeClassifier if task == "classification" else DecisionTreeRegressor
    return cls(max_depth=options.max_depth, random_state=options.random_state)


def _linear(make: Callable[[], Any]) -> Callable[..., Any]:
    def build(task: str, options: ModelOptions) -> Any:
        return make()

    return build


TEACHERS: dict[str, NamedModel] = {
    "lgbm": NamedModel("LightGBM, {trees} trees", TASKS, _lgbm(TEACHER_TREES)),
    "random-forest": NamedModel("random forest, {trees} trees", TASKS, _random_forest),
}

STUDENTS: dict[str, NamedModel] = {
    "tree": NamedModel("decision tree, depth {depth}", TASKS, _tree),
    "logreg": NamedModel(
        "logistic regression",
        ("classification",),
        _linear(lambda: LogisticRegression(max_iter=1000)),
    ),
    "ridge": NamedModel(
        "ridge regression",
        ("regression",),
        _linear(Ridge),
    ),
    "linear": NamedModel(
        "least-squares linear regression",
        ("regression",),
        _linear(LinearRegression),
    ),
    "lgbm-small": NamedModel("LightGBM, 16 trees of 8 leaves", TASKS, _lgbm_student),
}


def _sgd(task: str, options: ModelOptions) -> Any:
    if task == "classification":
        return SGDClassifier(loss="log_loss", random_state=options.random_state)
    return SGDRegressor(random_state=options.random_state)


def _mlp(task: str, options: ModelOptions) -> Any:
    cls = MLPClassifier if task == "classification" else MLPRegressor
    return cls(hidden_layer_sizes=(32,), random_state=options.random_state)


#: The students that learn batch by batch (``partial_fit``): those of
#: ``skdistill fit --chunksize``.
STREAM_STUDENTS: dict[str, NamedModel] = {
    "logreg": NamedModel(
        "logistic regression learning batch by batch, SoftLogisticRegression",
        ("classification",),
        _linear(SoftLogisticRegression),
    ),
    "sgd": NamedModel(
        "linear model by stochastic gradient descent, SGDClassifier with the log "
        "loss or SGDRegressor",
        TASKS,
        _sgd,
    ),
    "mlp": NamedModel("neural network, one hidden layer of 32 units", TASKS, _mlp),
}

#: Default student of each task.
DEFAULT_STUDENT = "tree"
#: Default student of ``skdistill fit --chunksize``, by task.
DEFAULT_STREAM_STUDENT = {"classification": "logreg", "regression": "sgd"}
#: Default teacher of each task.
DEFAULT_TEACHER = "lgbm"


def build_stream_model(name: str, task: str, options: ModelOptions) -> Any:
    """The bare, unfitted student called ``name`` of :data:`STREAM_STUDENTS`.

    Parameters
    ----------
    name : str
        A key of :data:`STREAM_STUDENTS` for ``task`` (checked beforehand).
    task : {"classification", "regression"}
        The task of the data.
    options : ModelOptions
        Its seed.

    Returns
    -------
    model : estimator
        Unfitted, with ``partial_fit``; its preprocessing is added by the
        caller.
    """
    return STREAM_STUDENTS[name].build(task, options)


def describe(registry: dict[str, NamedModel]) -> str:
    """One ``name: description [tasks]`` entry per model, for ``--help``."""
    entries = []
    for name, model in registry.items():
        tasks = "" if model.tasks == TASKS else f" [{', '.join(model.tasks)} only]"
        entries.append(f"{name} ({model.describe(ModelOptions())}{tasks})")
    return "; ".join(entries)


def _lookup(
    registry: dict[str, NamedModel], role: str, name: str, task: str
) -> NamedModel:
    valid = [key for key, model in registry.items() if task in model.tasks]
    if name not in registry:
        raise CLIError(
            f"unknown {role} {name!r}; valid {role}s for {task}: {', '.join(valid)}",
            EXIT_USAGE,
        )
    model = registry[name]
    if task not in model.tasks:
        raise CLIError(
            f"the {role} {name!r} is for {' and '.join(model.tasks)}, but the task "
            f"is {task}; valid {role}s for {task}: {', '.join(valid)}",
            EXIT_USAGE,
        )
    return model


def check_known(role: str, name: str) -> None:
    """Raise a usage error unless ``name`` is a ``role`` of some task.

    Parameters
    ----------
    role : {"teacher", "student"}
        Which registry to look in.
    name : str
        The name given on the command line.
    """
    registry = TEACHERS if role == "teacher" else STUDENTS
    if name not in registry:
        raise CLIError(
            f"unknown {role} {name!r}; valid {role}s: {', '.join(registry)}",
            EXIT_USAGE,
        )


def check_name(role: str, name: str, task: str) -> None:
    """Raise a usage error unless ``name`` is a known ``role`` for ``task``.

    Parameters
    ----------
    role : {"teacher", "student"}
        Which registry to look in.
    name : str
        The name given on the command line.
    task : {"classification", "regression"}
        The task of the data.
    """
    _lookup(TEACHERS if role == "teacher" else STUDENTS, role, name, task)


def build_teacher(
    name: str, task: str, X: pd.DataFrame, schema: TableSchema, options: ModelOptions
) -> Any:
    """An unfitted teacher called ``name``, with its preprocessing.

    Parameters
    ----------
    name : str
        A key of :data:`TEACHERS`.
    task : {"classification", "regression"}
        The task of the data.
    X : DataFrame
        The typed table the teacher receives (``schema``'s output).
    schema : TableSchema
        Fitted schema of that table.
    options : ModelOptions
        Sizes, seed and threads.

    Returns
    -------
    teacher : estimator
        Unfitted.
    """
    model = _lookup(TEACHERS, "teacher", name, task).build(task, options)
    return _with_preprocessing(model, X, schema)


def build_student(
    name: str, task: str, X: pd.DataFrame, schema: TableSchema, options: ModelOptions
) -> Any:
    """An unfitted student called ``name``, with its preprocessing.

    Parameters
    ----------
    name : str
        A key of :data:`STUDENTS`.
    task : {"classification", "regression"}
        The task of the data.
    X : DataFrame
        The typed table the student receives (``schema``'s output).
    schema : TableSchema
        Fitted schema of that table.
    options : ModelOptions
        Depth, seed and threads.

    Returns
    -------
    student : estimator
        Unfitted.
    """
    model = _lookup(STUDENTS, "student", name, task).build(task, options)
    return _with_preprocessing(model, X, schema)
