"""Model files in skops' secure format: save, check the types, load.

A model file is a :func:`skops.io.dump` of a dict, the *bundle*: the fitted
model and what the command line needs to use it (task, target, feature
columns). Loading never unpickles: :func:`skops.io.get_untrusted_types`
lists the types the file would create beyond skops' defaults, and only
those that our own models contain are trusted (see :func:`is_trusted`);
anything else is refused, with the list of types, unless the user opts in.

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
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from ._errors import CLIError
from ._files import atomic_write, check_destination

#: Marks a bundle written by ``skdistill fit``.
BUNDLE_FORMAT = "skdistill-model"
BUNDLE_VERSION = 1
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

    seen: set[int] = set()
    boosters: dict[int, tuple[Any, Any]] = {}  # the original kept alive, and its id

    def visit(node: Any) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, (list, tuple)):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            for item in node.values():
                visit(item)
        elif isinstance(node, np.ndarray) and node.dtype == object:
            for item in node.ravel():
                visit(item)
        elif isinstance(node, BaseEstimator):
            if "n_jobs" in node.get_params(deep=False) and _is_count(node.n_jobs):
                node.n_jobs = SAVED_N_JOBS  # not set_params: LightGBM's records it
            attributes = vars(node)
            for key, value in attributes.items():
                if isinstance(value, Booster):
                    if id(value) not in boosters:
                        boosters[id(value)] = value, _pinned_booster(value)
                    attributes[key] = boosters[id(value)][1]
                else:
                    visit(value)

    visit(obj)


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
) -> dict[str, Any]:
    """The dict a model file holds.

    Parameters
    ----------
    model : estimator
        The fitted model, which takes the raw feature columns.
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

    Returns
    -------
    bundle : dict

    Notes
    -----
    The thread counts of ``model`` and ``baseline`` are set to
    :data:`SAVED_N_JOBS`, in place (see :func:`pin_threads`): how many
    threads fitted a model is not part of the model, and the file must not
    depend on it.
    """
    from .. import __version__

    pin_threads(model)
    pin_threads(baseline)
    return {
        "format": BUNDLE_FORMAT,
        "format_version": BUNDLE_VERSION,
        "skdistill_version": __version__,
        "task": task,
        "target": target,
        "features": list(features),
        "model": model,
        "baseline": baseline,
        "settings": dict(settings or {}),
    }


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
        See :func:`make_bundle`.

    Raises
    ------
    CLIError
        The file is missing, not a skops file, holds untrusted types (without
        ``trust_untrusted_types``), or is not a model file of ``skdistill``.
    """
    import skops.io as sio

    source = Path(path)
    if not source.exists():
        raise CLIError(f"no such file: {path}")
    if source.is_dir():
        raise CLIError(f"{path} is a directory, not a model file")
    not_a_model = (
        f"{path} is not a model file of skdistill (a skops file written by "
        "'skdistill fit')"
    )
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
        bundle = sio.load(source, trusted=untrusted)
    except Exception as exc:
        raise CLIError(f"cannot load {path}: {exc}") from None
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise CLIError(not_a_model)
    if bundle.get("format_version", 0) > BUNDLE_VERSION:
        raise CLIError(
            f"{path} was written by a newer skdistill "
            f"({bundle.get('skdistill_version')}); upgrade skdistill to read it"
        )
    return bundle
