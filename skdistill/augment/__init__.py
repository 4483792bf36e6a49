"""Augmenters: synthetic rows near the data, which the teacher labels.

A student mimics its teacher best where it has seen the teacher's answers.
Bucilă, Caruana & Niculescu-Mizil (2006) grow the *transfer set* with
synthetic rows drawn near the training data; the rows carry no label of
their own, the teacher labels them (the ``augment`` parameter of the
distillers). An augmenter generates such rows:

- :class:`Augmenter` is the base class of a plug-in (its ``_generate``);
- :class:`MUNGE` (Bucilă et al., 2006) swaps attributes between nearest
  neighbours and perturbs them;
- :class:`RandomPerturbation` perturbs rows with Gaussian noise and swaps
  categories at random;
- :class:`FunctionAugmenter` wraps a function ``f(X, n_samples,
  random_state)``.
"""

from ._base import Augmenter, FunctionAugmenter
from ._munge import MUNGE
from ._perturb import RandomPerturbation

__all__ = [
    "MUNGE",
    "Augmenter",
    "FunctionAugmenter",
    "RandomPerturbation",
]
