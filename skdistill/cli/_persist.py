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
import zipfile
from pathlib import Path
from typing import Any

from sklearn.base import BaseEstimator

from ._errors import EXIT_USAGE, CLIError

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


def check_destination(path: str, *, force: bool = False) -> Path:
    """Raise an error unless a model can be written to ``path``.

    Parameters
    ----------
    path : str
        Where the model is to be written.
    force : bool, default=False
        Whether an existing file may be overwritten.

    Returns
    -------
    path : Path
    """
    target = Path(path)
    if target.is_dir():
        raise CLIError(f"{path} is a directory; give a file name", EXIT_USAGE)
    if target.exists() and not force:
        raise CLIError(f"{path} exists; pass --force to overwrite it", EXIT_USAGE)
    if not target.parent.is_dir():
        raise CLIError(f"no such directory: {target.parent}")
    return target


def save_bundle(bundle: dict[str, Any], path: str, *, force: bool = False) -> None:
    """Write ``bundle`` to ``path`` with :func:`skops.io.dump` (zip-compressed).

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
    try:
        sio.dump(bundle, target, compression=zipfile.ZIP_DEFLATED)
    except OSError as exc:
        raise CLIError(f"cannot write {path}: {exc.strerror or exc}") from None


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
    """
    from .. import __version__

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
