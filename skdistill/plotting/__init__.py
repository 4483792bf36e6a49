"""Plots of a distillation, following scikit-learn's Display API.

Each display gets its values in a ``from_*`` class method, stores them, and
draws them with ``plot(ax=None, ...)``, which sets ``ax_``, ``figure_`` and
the drawn artists. The values are computed by :mod:`skdistill.metrics`
(:func:`~skdistill.metrics.temperature_curve`,
:func:`~skdistill.metrics.distillation_report`) or read from a search's
``cv_results_``: this subpackage only draws, and fits no model itself:

- :class:`TemperatureCurveDisplay`: held-out score and fidelity to the
  teacher against the temperature, one line per alpha;
- :class:`CompressionDisplay`: quality against serialized size or latency,
  for the teacher, the hard-label baseline and the distilled students;
- :class:`ReliabilityDisplay`: reliability diagram of the teacher, the
  baseline and the distilled student.

matplotlib is an optional dependency: ``pip install "skdistill[plots]"``.
"""

from ._compression import CompressionDisplay
from ._reliability import ReliabilityDisplay
from ._temperature_curve import TemperatureCurveDisplay

__all__ = [
    "CompressionDisplay",
    "ReliabilityDisplay",
    "TemperatureCurveDisplay",
]
