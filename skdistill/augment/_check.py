"""The values of an ``augment`` parameter, turned into an augmenter."""

from __future__ import annotations

from typing import Any

from ._base import Augmenter, FunctionAugmenter
from ._munge import MUNGE
from ._perturb import RandomPerturbation

AUGMENT_NAMES = ("munge", "perturb")


def check_augmenter(augment: Any) -> Augmenter | None:
    """Turn the value of an ``augment`` parameter into an :class:`Augmenter`.

    Parameters
    ----------
    augment : None, {"munge", "perturb"}, Augmenter or callable
        ``None``: no augmentation (returns ``None``). ``"munge"``:
        ``MUNGE()``. ``"perturb"``: ``RandomPerturbation()``. An
        :class:`Augmenter` instance is returned as is. A callable
        ``f(X, n_samples, random_state) -> X_synthetic`` is wrapped in
        :class:`FunctionAugmenter`.

    Returns
    -------
    augmenter : Augmenter or None

    Raises
    ------
    ValueError
        For any other value.

    Examples
    --------
    >>> check_augmenter("munge")
    MUNGE()
    >>> check_augmenter(None) is None
    True
    """
    if augment is None or isinstance(augment, Augmenter):
        return augment
    if isinstance(augment, str) and augment in AUGMENT_NAMES:
        return MUNGE() if augment == "munge" else RandomPerturbation()
    if callable(augment) and not isinstance(augment, type):
        return FunctionAugmenter(augment)
    hint = (
        f" (pass an instance, e.g. {augment.__name__}())"
        if isinstance(augment, type) and issubclass(augment, Augmenter)
        else ""
    )
    raise ValueError(
        "The augment parameter must be None, 'munge', 'perturb', an Augmenter "
        "instance or a callable f(X, n_samples, random_state) -> X_synthetic; "
        f"got {augment!r}{hint}."
    )
