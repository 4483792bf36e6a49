"""skdistill: knowledge distillation for tabular data, the scikit-learn way.

A heavy *teacher* model's probability distributions, softened by a
temperature, are used to train a light *student* model that is shipped
instead.

The top level exports the estimators (the distillers, their searches and
the native students), the augmenters, the soft-target protocol and the
report. The rest lives in subpackages:

- :mod:`skdistill.soft_targets`: the math of soft targets (softmax at a
  temperature, logits from a teacher's outputs, the blend with the labels);
- :mod:`skdistill.students`, :mod:`skdistill.augment`: the students and
  augmenters, also exported here;
- :mod:`skdistill.metrics`: fidelity to the teacher, the report, the
  temperature curve;
- :mod:`skdistill.plotting`: displays of those measures;
- :mod:`skdistill.preprocessing`: a preprocessor for a student and a table.
"""

from ._classifier import DistilledClassifier
from ._regressor import DistilledRegressor
from ._search import DistilledClassifierCV, DistilledRegressorCV
from .augment import MUNGE, Augmenter, FunctionAugmenter, RandomPerturbation
from .metrics import distillation_report
from .students import (
    LogitMatchingClassifier,
    SoftLGBMClassifier,
    SoftLogisticRegression,
    SoftTargetStudent,
)

__version__ = "0.1.0.dev0"

# The classes' public home: a model file (skops or pickle) names a class by
# its __module__, so files saved by any version name `skdistill.<Class>`,
# a path we keep, rather than the private module that defines it.
for _class in (
    DistilledClassifier,
    DistilledClassifierCV,
    DistilledRegressor,
    DistilledRegressorCV,
    MUNGE,
    Augmenter,
    FunctionAugmenter,
    RandomPerturbation,
    LogitMatchingClassifier,
    SoftLGBMClassifier,
    SoftLogisticRegression,
    SoftTargetStudent,
):
    _class.__module__ = __name__
del _class

__all__ = [
    "MUNGE",
    "Augmenter",
    "DistilledClassifier",
    "DistilledClassifierCV",
    "DistilledRegressor",
    "DistilledRegressorCV",
    "FunctionAugmenter",
    "LogitMatchingClassifier",
    "RandomPerturbation",
    "SoftLGBMClassifier",
    "SoftLogisticRegression",
    "SoftTargetStudent",
    "__version__",
    "distillation_report",
]
