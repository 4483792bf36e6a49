"""Model files in skops' secure format: save, check the types, load.

A model file is a :func:`skops.io.dump` of a dict, the *bundle*: the fitted
model and what the command line needs to use it (task, target, feature
columns, whether it holds the distiller or the student alone, a fingerprint
of its training rows; see :func:`make_bundle`). Loading never unpickles:
:func:`skops.io.get_untrusted_types` lists the types the file would create
beyond skops' defaults, and only those that our own models contain are
trusted (see :func:`is_trusted`); anything else is refused, with the list
of types, unless the user opts in.

LightGBM models need no special route: skops stores a ``lightgbm.Booster``
by its ``__getstate__``, which is LightGBM's own model text, and rebuilds
it with ``__setstate__``, which parses that text.
"""

from __future__ import annotations

import importlib
import io
import json
import numbers
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator

from ..preprocessing import _as_text
from ._errors import CLIError
from ._files import atomic_write, check_destination

#: Marks a bundle written by ``skdistill fit``.
BUNDLE_FORMAT = "skdistill-model"
#: Version 2 added ``contents`` (the distiller, or the student alone) and
#: ``training_rows`` (a fingerprint of the rows the model was trained on);
#: version-1 files are read as holding the distiller, with no fingerprint.
BUNDLE_VERSION = 2
#: Option that loads a file despite untrusted types.
TRUST_OPTION = "--trust-untrusted-types"

#: Types beyond skops' defaults that the command line's models contain:
#: ``dict`` subclasses (LightGBM's parameters), LightGBM's model (stored as
#: its model text), numpy dtypes (SimpleImputer) and scikit-learn's tree
#: structure.
TRUSTED_TYPES = frozenset(
    {
        "collections.OrderedDict",
        "lightgbm.basic.Booster",
        "numpy.dtype",
        "sklearn.tree._tree.Tree",
    }
)
#: Packages whose estimator classes (BaseEstimator subclasses) are trusted.
TRUSTED_PACKAGES = ("sklearn.", "lightgbm.", "skdistill.")


def is_trusted(type_name: str) -> bool:
    """Whether a type listed by :func:`skops.io.get_untrusted_types` is trusted.

    Trusted are the types of :data:`TRUSTED_TYPES` and the estimator classes
    (subclasses of :class:`sklearn.base.BaseEstimator`) of scikit-learn,
    LightGBM and skdistill. Functions, and classes of any other package, are
    not.

    Parameters
    ----------
    type_name : str
        Fully qualified name, such as ``"lightgbm.sklearn.LGBMClassifier"``.

    Returns
    -------
    trusted : bool
    """
    if type_name in TRUSTED_TYPES:
        return True
    if not type_name.startswith(TRUSTED_PACKAGES):
        return False
    module_name, _, attribute = type_name.rpartition(".")
    try:
        obj = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError):
        return False
    return isinstance(obj, type) and issubclass(obj, BaseEstimator)


def save_bundle(bundle: dict[str, Any], path: str, *, force: bool = False) -> None:
    """Write ``bundle`` to ``path`` with :func:`skops.io.dump` (zip-compressed).

    The file is the same, byte for byte, for the same bundle: see
    :func:`canonical_skops`. It is written atomically (see
    :func:`~skdistill.cli._files.atomic_write`): a failure leaves an existing
    file at ``path`` as it was.

    Parameters
    ----------
    bundle : dict
        The model and its description (see :func:`make_bundle`).
    path : str
        Where to write.
    force : bool, default=False
        Overwrite an existing file.
    """
    import skops.io as sio

    target = check_destination(path, force=force)
    buffer = io.BytesIO()
    sio.dump(bundle, buffer, compression=zipfile.ZIP_DEFLATED)
    content = canonical_skops(buffer.getvalue())
    with atomic_write(target) as file:
        file.write(content)


#: Date and time of every member of a model file (the earliest a zip allows).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def canonical_skops(content: bytes) -> bytes:
    """A skops file that depends only on what it holds, not on when or where.

    :func:`skops.io.dump` names objects and array files after their memory
    addresses (``id``) and dates every member of the zip with the current
    time, so that two dumps of the same object differ. This renumbers the
    ``__id__`` of the schema and the files it refers to in the order of
    their first appearance (the same object keeps the same number, so
    shared references survive) and dates every member :data:`ZIP_EPOCH`.
    :func:`skops.io.load` reads the result as it reads the original.

    Parameters
    ----------
    content : bytes
        A skops file, as written by :func:`skops.io.dump`.

    Returns
    -------
    content : bytes
        The same file, renumbered and redated.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        members = {info.filename: info for info in source.infolist()}
        schema = json.loads(source.read("schema.json"))
        ids: dict[int, int] = {}
        files: dict[str, str] = {}

        def renumber(node: Any) -> Any:
            if isinstance(node, list):
                return [renumber(item) for item in node]
            if not isinstance(node, dict):
                return node
            result = {}
            for key, value in node.items():
                if key == "__id__" and type(value) is int:
                    value = ids.setdefault(value, len(ids) + 1)  # 0 means none
                elif key == "file" and isinstance(value, str) and value in members:
                    suffix = Path(value).suffix
                    value = files.setdefault(value, f"{len(files) + 1}{suffix}")
                else:
                    value = renumber(value)
                result[key] = value
            return result

        schema = renumber(schema)
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as archive:
            for old, new in files.items():
                _write_member(archive, new, source.read(old), members[old])
            for name, info in members.items():  # none, from skops as we know it
                if name not in files and name != "schema.json":
                    _write_member(archive, name, source.read(name), info)
            _write_member(
                archive,
                "schema.json",
                json.dumps(schema, indent=2).encode("utf-8"),
                members["schema.json"],
            )
    return output.getvalue()


def _write_member(
    archive: zipfile.ZipFile, name: str, data: bytes, like: zipfile.ZipInfo
) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = like.compress_type
    info.create_system = 3  # the same on every platform
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


#: Thread count (``n_jobs``) of the models in a model file, whatever ``--n-jobs``
#: they were fitted with.
SAVED_N_JOBS = 1
#: LightGBM's names of its thread count, in a booster's parameters.
_THREAD_PARAMS = frozenset(
    {"num_threads", "num_thread", "nthread", "nthreads", "n_jobs"}
)


def pin_threads(obj: Any) -> None:
    """Set every thread count of a fitted model to :data:`SAVED_N_JOBS`, in place.

    The thread count is a setting of the machine that fits, not of the
    model; left as it was, it would make the model file of ``--n-jobs 2``
    differ from that of ``--n-jobs 1`` although the models are the same.
    Every estimator reachable from ``obj`` (steps, teachers, students,
    fitted attributes) whose parameter ``n_jobs`` is an integer gets
    :data:`SAVED_N_JOBS`; ``None`` (the library's default) is left alone.
    A LightGBM booster also records its thread count, in its parameters and
    in its model text; it is replaced by a copy that records
    :data:`SAVED_N_JOBS`, made through its pickling state (the state a
    model file stores), so that its trees are untouched.

    Parameters
    ----------
    obj : object
        A fitted model, or None.
    """
    from lightgbm import Booster

    boosters: dict[int, tuple[Any, Any]] = {}  # the original kept alive, and its id
    for node in estimators_in(obj):
        if "n_jobs" in node.get_params(deep=False) and _is_count(node.n_jobs):
            node.n_jobs = SAVED_N_JOBS  # not set_params: LightGBM's records it
        attributes = vars(node)
        for key, value in attributes.items():
            if isinstance(value, Booster):
                if id(value) not in boosters:
                    boosters[id(value)] = value, _pinned_booster(value)
                attributes[key] = boosters[id(value)][1]


def set_threads(obj: Any, n_jobs: int) -> None:
    """Give every part of a model that has a thread count ``n_jobs``, in place.

    The threads of a loaded model's predictions (``--n-jobs``): a model file
    records one thread (see :func:`pin_threads`). Every estimator reachable
    from ``obj`` (see :func:`estimators_in`) whose parameters include
    ``n_jobs`` gets it (LightGBM predicts with as many threads).

    Parameters
    ----------
    obj : object
        A fitted model.
    n_jobs : int
        Threads; -1 for every core.
    """
    for node in estimators_in(obj):
        if "n_jobs" in node.get_params(deep=False):
            node.n_jobs = n_jobs  # not set_params: a FrozenEstimator refuses it


def estimators_in(obj: Any, seen: set[int] | None = None) -> Iterator[BaseEstimator]:
    """Every estimator reachable from ``obj``, once each, parents first.

    Lists, tuples, dicts and object arrays are searched, and an estimator's
    attributes (its parameters, steps and fitted attributes, such as a
    distiller's ``teacher_`` and ``student_``). An estimator's attributes
    are read after it is yielded, so that the caller may replace some.

    Parameters
    ----------
    obj : object
        A model, or None.
    seen : set of int, default=None
        Ids of the objects already searched (for the recursion).

    Yields
    ------
    estimator : BaseEstimator
    """
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, (list, tuple)):
        items: Any = obj
    elif isinstance(obj, dict):
        items = obj.values()
    elif isinstance(obj, np.ndarray) and obj.dtype == object:
        items = obj.ravel()
    elif isinstance(obj, BaseEstimator):
        yield obj
        items = list(vars(obj).values())
    else:
        return
    for item in items:
        yield from estimators_in(item, seen)


def _is_count(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _pinned_booster(booster: Any) -> Any:
    """A copy of a LightGBM booster recording :data:`SAVED_N_JOBS` threads."""
    state = booster.__getstate__()
    model_text = state.get("_handle")
    if not isinstance(model_text, str):  # an empty booster: nothing to rewrite
        return booster
    state["_handle"] = re.sub(
        r"^\[(num_threads|num_thread|nthread|nthreads|n_jobs): -?\d+\]$",
        lambda match: f"[{match.group(1)}: {SAVED_N_JOBS}]",
        model_text,
        flags=re.MULTILINE,
    )
    if isinstance(state.get("params"), dict):
        state["params"] = {
            key: SAVED_N_JOBS if key in _THREAD_PARAMS and _is_count(value) else value
            for key, value in state["params"].items()
        }
    copy = type(booster).__new__(type(booster))
    copy.__setstate__(state)
    return copy


def make_bundle(
    model: Any,
    *,
    task: str,
    target: str,
    features: list[str],
    baseline: Any = None,
    settings: dict[str, Any] | None = None,
    student_only: bool = False,
    training_rows: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The dict a model file holds.

    Parameters
    ----------
    model : estimator
        The fitted model, which takes the raw feature columns: the
        ``TableSchema`` then the distiller.
    task : {"classification", "regression"}
        Its task.
    target : str
        Name of the target column.
    features : list of str
        Feature columns, in the order the model takes them.
    baseline : estimator, default=None
        The fitted hard-label baseline (same input as ``model``), for the
        report of ``skdistill evaluate``.
    settings : dict, default=None
        Options the model was fit with, for the record.
    student_only : bool, default=False
        Keep the student alone: the model becomes
        :func:`skdistill.export.student_pipeline` of ``model`` (the schema,
        the student's encoding and the student), and no teacher nor
        baseline is kept.
    training_rows : dict, default=None
        The fingerprint of the rows ``model`` was trained on (see
        :func:`training_fingerprint`).

    Returns
    -------
    bundle : dict
        ``format``, ``format_version``, ``skdistill_version``, ``task``,
        ``target``, ``features``, ``model``, ``baseline``, ``settings``,
        ``contents`` (``"distiller"`` or ``"student"``) and
        ``training_rows``.

    Notes
    -----
    The thread counts of ``model`` and ``baseline`` are set to
    :data:`SAVED_N_JOBS`, in place (see :func:`pin_threads`): how many
    threads fitted a model is not part of the model, and the file must not
    depend on it.
    """
    from .. import __version__
    from ..export import student_pipeline

    if student_only:
        model, baseline = student_pipeline(model), None
    pin_threads(model)
    pin_threads(baseline)
    return {
        "format": BUNDLE_FORMAT,
        "format_version": BUNDLE_VERSION,
        "skdistill_version": __version__,
        "task": task,
        "target": target,
        "features": list(features),
        "contents": "student" if student_only else "distiller",
        "model": model,
        "baseline": baseline,
        "settings": dict(settings or {}),
        "training_rows": training_rows,
    }


def load_skops(
    path: str, *, trust_untrusted_types: bool = False, not_a_model: str
) -> Any:
    """Load a skops file, trusting only the types of :func:`is_trusted`.

    Parameters
    ----------
    path : str
        The file.
    trust_untrusted_types : bool, default=False
        Load it even if it holds types that :func:`is_trusted` rejects.
        Only for a file from a trusted source: loading may run its code.
    not_a_model : str
        What the error says when ``path`` is not a skops file (followed by
        the reason).

    Returns
    -------
    obj : object
        What the file holds.

    Raises
    ------
    CLIError
        The file is missing, a directory, not a skops file, holds untrusted
        types (without ``trust_untrusted_types``) or cannot be loaded.
    """
    import skops.io as sio

    source = Path(path)
    if not source.exists():
        raise CLIError(f"no such file: {path}")
    if source.is_dir():
        raise CLIError(f"{path} is a directory, not a model file")
    try:
        untrusted = sio.get_untrusted_types(file=source)
    except Exception as exc:  # not a zip, no schema, unknown skops protocol
        raise CLIError(f"{not_a_model}: {exc}") from None
    refused = [name for name in untrusted if not is_trusted(name)]
    if refused and not trust_untrusted_types:
        raise CLIError(
            f"{path} holds types that skdistill does not trust: "
            f"{', '.join(refused)}. Loading them could run code from the file. "
            f"Pass {TRUST_OPTION} only if you trust the source of {path}."
        )
    try:
        return sio.load(source, trusted=untrusted)
    except Exception as exc:
        raise CLIError(f"cannot load {path}: {exc}") from None


def is_bundle(obj: Any) -> bool:
    """Whether ``obj``, loaded from a skops file, is a bundle of ``skdistill fit``.

    Parameters
    ----------
    obj : object
        What a skops file holds.

    Returns
    -------
    bundle : bool
    """
    return isinstance(obj, dict) and obj.get("format") == BUNDLE_FORMAT


def check_bundle(bundle: dict[str, Any], path: str) -> dict[str, Any]:
    """A loaded bundle, refused if a newer skdistill wrote it, with its defaults.

    Parameters
    ----------
    bundle : dict
        What the model file holds (see :func:`is_bundle`).
    path : str
        The model file, for messages.

    Returns
    -------
    bundle : dict
        ``bundle`` itself; a version-1 bundle gets ``contents="distiller"``
        and ``training_rows=None``.
    """
    if bundle.get("format_version", 0) > BUNDLE_VERSION:
        raise CLIError(
            f"{path} was written by a newer skdistill "
            f"({bundle.get('skdistill_version')}); upgrade skdistill to read it"
        )
    bundle.setdefault("contents", "distiller")
    bundle.setdefault("training_rows", None)
    return bundle


def load_bundle(path: str, *, trust_untrusted_types: bool = False) -> dict[str, Any]:
    """Load a model file written by ``skdistill fit``, trusting only known types.

    Parameters
    ----------
    path : str
        The model file.
    trust_untrusted_types : bool, default=False
        Load it even if it holds types that :func:`is_trusted` rejects.
        Only for a file from a trusted source: loading may run its code.

    Returns
    -------
    bundle : dict
        See :func:`make_bundle`. A version-1 file (written before the
        student could be saved alone) gets ``contents="distiller"`` and
        ``training_rows=None``.

    Raises
    ------
    CLIError
        The file is missing, not a skops file, holds untrusted types (without
        ``trust_untrusted_types``), or is not a model file of ``skdistill``.
    """
    not_a_model = (
        f"{path} is not a model file of skdistill (a skops file written by "
        "'skdistill fit')"
    )
    bundle = load_skops(
        path, trust_untrusted_types=trust_untrusted_types, not_a_model=not_a_model
    )
    if not is_bundle(bundle):
        raise CLIError(not_a_model)
    return check_bundle(bundle, path)


#: At most this many hashes of training rows are kept in a model file.
MAX_FINGERPRINT_ROWS = 2_000
#: How the rows are hashed; a fingerprint made another way is not compared.
FINGERPRINT_METHOD = "hash_pandas_object(features as text, index=False)"


def row_hashes(X: pd.DataFrame) -> NDArray[np.uint64]:
    """One 64-bit hash per row of the raw feature columns ``X``.

    Every value is hashed as its text (a missing value as missing), with
    :func:`pandas.util.hash_pandas_object` (its fixed default key, so the
    hashes are the same in every process): the same rows read by ``fit``
    and by ``evaluate`` from the same file, whatever the types pandas gave
    them, have the same hashes. The index and the column names are not
    hashed; the columns' order is.

    Parameters
    ----------
    X : DataFrame
        The feature columns, in the model's order.

    Returns
    -------
    hashes : ndarray of uint64 of shape (n_rows,)
    """
    text = X.apply(_as_text) if X.shape[0] else X.astype(object)
    return pd.util.hash_pandas_object(text, index=False).to_numpy(np.uint64)


def training_fingerprint(X: pd.DataFrame, *, random_state: int = 0) -> dict[str, Any]:
    """What a model file records of the rows its model was trained on.

    Parameters
    ----------
    X : DataFrame
        The raw feature columns of the training rows.
    random_state : int, default=0
        Draw of the sampled rows, when there are more than
        :data:`MAX_FINGERPRINT_ROWS`.

    Returns
    -------
    fingerprint : dict
        ``method`` (:data:`FINGERPRINT_METHOD`), ``n_rows`` (the number of
        training rows) and ``hashes``: the sorted :func:`row_hashes` of all
        the rows, or of :data:`MAX_FINGERPRINT_ROWS` of them drawn at random.
    """
    hashes = row_hashes(X)
    if hashes.size > MAX_FINGERPRINT_ROWS:
        rng = np.random.default_rng(random_state)
        hashes = rng.choice(hashes, MAX_FINGERPRINT_ROWS, replace=False)
    return {
        "method": FINGERPRINT_METHOD,
        "n_rows": int(X.shape[0]),
        "hashes": np.sort(hashes),
    }


def training_rows_among(
    fingerprint: dict[str, Any] | None, X: pd.DataFrame
) -> tuple[float, bool] | None:
    """How many rows of ``X`` are rows the model was trained on.

    A row of ``X`` whose hash is among the fingerprint's hashes is a
    training row. When the fingerprint holds a sample of the training rows,
    the count found is scaled by the size of the sample (found / share
    sampled), an estimate.

    Parameters
    ----------
    fingerprint : dict or None
        A bundle's ``training_rows`` (see :func:`training_fingerprint`).
    X : DataFrame
        The raw feature columns of the rows to evaluate on.

    Returns
    -------
    result : tuple (n_training_rows, exact) or None
        The number of rows of ``X`` that are training rows (a float when
        estimated, at most ``len(X)``) and whether it is exact; None without
        a usable fingerprint (an older model file).
    """
    if not isinstance(fingerprint, dict) or fingerprint.get("method") != (
        FINGERPRINT_METHOD
    ):
        return None
    sample = np.asarray(fingerprint["hashes"], dtype=np.uint64)
    n_rows = int(fingerprint["n_rows"])
    if sample.size == 0 or n_rows == 0:
        return None
    found = int(np.isin(row_hashes(X), sample).sum())
    exact = sample.size == n_rows
    count = found if exact else min(found * n_rows / sample.size, X.shape[0])
    return count, exact
