"""Students: the light models, and how each learns the teacher's soft targets.

- :class:`SoftTargetStudent` is the protocol of students that learn soft
  targets natively (a ``fit_soft_targets`` method);
- :class:`SoftLogisticRegression` and :class:`SoftLGBMClassifier` implement
  it with Hinton's loss;
- :class:`LogitMatchingClassifier` wraps a regressor that fits the teacher's
  logits (Ba & Caruana, 2014).

How a distiller fits any other student (the ``fit_strategy`` parameter) is
in the private ``_strategies`` module; the decision-tree route in ``_tree``.
"""

from ._lgbm import SoftLGBMClassifier
from ._logit_matching import LogitMatchingClassifier
from ._protocol import SoftTargetStudent
from ._soft_logistic import SoftLogisticRegression

__all__ = [
    "LogitMatchingClassifier",
    "SoftLGBMClassifier",
    "SoftLogisticRegression",
    "SoftTargetStudent",
]
