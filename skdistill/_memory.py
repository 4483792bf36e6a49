"""Caching the teacher: its fit and its outputs, reused across student fits.

Neither the temperature nor alpha changes the teacher, so a grid search
over them fits the same teacher on the same rows again and again. With
``memory`` set, a distiller computes its :class:`~skdistill._transfer.TransferSet`
(the fitted teacher, its outputs on the training rows, the synthetic rows
and the teacher's outputs on them) through :class:`joblib.Memory`, as
:class:`sklearn.pipeline.Pipeline` caches its transformers: the key is
everything the transfer set depends on, and nothing else.
"""

from __future__ import annotations

from typing import Any

from sklearn.utils.validation import check_memory

from ._transfer import TransferSet, transfer_set

# Arguments of transfer_set that do not change its result.
_NOT_IN_KEY = ["n_jobs", "verbose"]


def cached_transfer_set(memory: Any, **transfer_args: Any) -> TransferSet:
    """:func:`~skdistill._transfer.transfer_set`, cached in ``memory``.

    The cache key is the hash of the arguments: the unfitted teacher (its
    class and parameters), ``X``, ``y``, which rows are labelled, how the
    teacher is read (method and classes, or the output shape), ``cv``, the
    augmenter and seed, the teacher's sample weights and fit parameters.
    ``n_jobs`` and ``verbose`` are not part of it. ``memory=None`` calls the
    function directly and stores nothing.

    Parameters
    ----------
    memory : None, str or joblib.Memory
        Where to cache, as in :func:`sklearn.utils.validation.check_memory`:
        a string is the cache directory.
    **transfer_args : dict
        Arguments of :func:`~skdistill._transfer.transfer_set`.

    Returns
    -------
    transfer : TransferSet
    """
    if memory is None:
        return transfer_set(**transfer_args)
    memory = check_memory(memory)
    return memory.cache(transfer_set, ignore=_NOT_IN_KEY)(**transfer_args)
