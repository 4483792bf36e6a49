"""Measuring a distillation: fidelity to the teacher, and the distillation report.

- :func:`fidelity_score`, :func:`teacher_divergence` and
  :func:`teacher_r2_score` compare a student's outputs with its teacher's;
  :func:`make_fidelity_scorer` turns them into a scorer for grid searches.
- :func:`distillation_report` puts the teacher, the hard-label baseline and
  the distilled student side by side: quality, fidelity, size and latency.
"""

from ._fidelity import (
    fidelity_score,
    make_fidelity_scorer,
    teacher_divergence,
    teacher_r2_score,
)
from ._report import DistillationReport, distillation_report

__all__ = [
    "DistillationReport",
    "distillation_report",
    "fidelity_score",
    "make_fidelity_scorer",
    "teacher_divergence",
    "teacher_r2_score",
]
