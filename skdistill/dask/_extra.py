"""The ``dask`` extra: its libraries imported on demand, with the install hint.

:mod:`skdistill.dask` needs dask (arrays and DataFrames) when it is
imported; dask-ml (the student's blocks) and dask.distributed (a LightGBM
teacher trained on the cluster) only when they are used.
"""

from __future__ import annotations

import importlib
from types import ModuleType

INSTALL_HINT = 'pip install "skdistill[dask]"'


def import_extra(module: str, *, needed_for: str = "skdistill.dask") -> ModuleType:
    """Import ``module`` of the ``dask`` extra, or say how to install it.

    Raises
    ------
    ImportError
        If ``module`` (or a library it needs, such as pyarrow for
        ``dask.dataframe``) is not installed; the message names what needs
        it and the command that installs the extra.
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"{needed_for} needs {module}, which could not be imported ({error}). "
            f"Install the dask extra: {INSTALL_HINT}"
        ) from error
