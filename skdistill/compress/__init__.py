"""Compression to a budget: the smallest student that keeps the teacher's quality.

:class:`CompressedClassifierCV` and :class:`CompressedRegressorCV` distil a
ladder of students of growing size (:func:`default_ladder`), score each
against its hard-label twin by cross-validation with one teacher fit per
fold, measure what each costs (size, ONNX size, parameters, prediction
time), and choose the one that meets a budget: a share of the teacher's
score (``keep``), a score, a size or a latency. :func:`pareto_front` gives
the size-quality frontier they expose in ``frontier_``.
"""

from ._budget import BudgetError, pareto_front
from ._ladder import default_ladder
from ._search import CompressedClassifierCV, CompressedRegressorCV

# Their public home, as the other public classes' (see skdistill/__init__.py).
BudgetError.__module__ = __name__

__all__ = [
    "BudgetError",
    "CompressedClassifierCV",
    "CompressedRegressorCV",
    "default_ladder",
    "pareto_front",
]
