"""Measuring a distillation: fidelity, the report, the temperature curve.

- :func:`fidelity_score`, :func:`teacher_divergence` and
  :func:`teacher_r2_score` compare a student's outputs with its teacher's;
  :func:`make_fidelity_scorer` turns them into a scorer for grid searches.
- :func:`distillation_report` puts the teacher, the hard-label baseline and
  the distilled student side by side: quality, fidelity, size and latency.
- :func:`temperature_curve` fits one student per temperature and alpha on
  one frozen teacher and gives their held-out scores and fidelities (what
  :class:`skdistill.plotting.TemperatureCurveDisplay` draws).
"""

from ._fidelity import (
    fidelity_score,
    make_fidelity_scorer,
    teacher_divergence,
    teacher_r2_score,
)
from ._report import DistillationReport, distillation_report
from ._temperature_curve import TemperatureCurve, temperature_curve

__all__ = [
    "DistillationReport",
    "TemperatureCurve",
    "distillation_report",
    "fidelity_score",
    "make_fidelity_scorer",
    "teacher_divergence",
    "teacher_r2_score",
    "temperature_curve",
]
