"""skdistill: knowledge distillation for tabular data, the scikit-learn way.

A heavy *teacher* model's probability distributions, softened by a
temperature, are used to train a light *student* model that is shipped
instead.

The top level exports the estimators (the distillers, their searches, the
variants of :mod:`skdistill.variants` and the native students), the
augmenters, the soft-target protocol and the report. The rest lives in
subpackages:

- :mod:`skdistill.soft_targets`: the math of soft targets (softmax at a
  temperature, logits from a teacher's outputs, the blend with the labels);
- :mod:`skdistill.students`, :mod:`skdistill.augment`: the students and
  augmenters, also exported here;
- :mod:`skdistill.variants`: online, mutual and born-again distillation,
  and several teachers at once, also exported here;
- :mod:`skdistill.metrics`: fidelity to the teacher, the report, the
  temperature curve;
- :mod:`skdistill.plotting`: displays of those measures;
- :mod:`skdistill.preprocessing`: a preprocessor for a student and a table;
- :mod:`skdistill.compress`: the smallest student that meets a budget
  (its searches also exported here).

:func:`set_config`, :func:`get_config` and :func:`config_context` hold the
global settings (the memory guard's ``memory_limit``).
"""

from ._classifier import DistilledClassifier
from ._config import MemoryLimitError, config_context, get_config, set_config
from ._regressor import DistilledRegressor
from ._search import DistilledClassifierCV, DistilledRegressorCV
from .augment import MUNGE, Augmenter, FunctionAugmenter, RandomPerturbation
from .compress import CompressedClassifierCV, CompressedRegressorCV
from .metrics import distillation_report
from .students import (
    LogitMatchingClassifier,
    SoftLGBMClassifier,
    SoftLogisticRegression,
    SoftTargetStudent,
)
from .variants import (
    BornAgainClassifier,
    BornAgainRegressor,
    MutualDistillationClassifier,
    OnlineDistilledClassifier,
    OnlineDistilledRegressor,
    TeacherEnsemble,
)

__version__ = "0.1.0.dev0"

# The classes' public home: a model file (skops or pickle) names a class by
# its __module__, so files saved by any version name `skdistill.<Class>`,
# a path we keep, rather than the private module that defines it.
for _class in (
    BornAgainClassifier,
    BornAgainRegressor,
    MutualDistillationClassifier,
    OnlineDistilledClassifier,
    OnlineDistilledRegressor,
    TeacherEnsemble,
    CompressedClassifierCV,
    CompressedRegressorCV,
    DistilledClassifier,
    DistilledClassifierCV,
    DistilledRegressor,
    DistilledRegressorCV,
    MUNGE,
    Augmenter,
    FunctionAugmenter,
    RandomPerturbation,
    LogitMatchingClassifier,
    MemoryLimitError,
    SoftLGBMClassifier,
    SoftLogisticRegression,
    SoftTargetStudent,
):
    _class.__module__ = __name__
del _class

__all__ = [
    "MUNGE",
    "Augmenter",
    "BornAgainClassifier",
    "BornAgainRegressor",
    "CompressedClassifierCV",
    "CompressedRegressorCV",
    "DistilledClassifier",
    "DistilledClassifierCV",
    "DistilledRegressor",
    "DistilledRegressorCV",
    "FunctionAugmenter",
    "LogitMatchingClassifier",
    "MemoryLimitError",
    "MutualDistillationClassifier",
    "OnlineDistilledClassifier",
    "OnlineDistilledRegressor",
    "RandomPerturbation",
    "SoftLGBMClassifier",
    "SoftLogisticRegression",
    "SoftTargetStudent",
    "TeacherEnsemble",
    "__version__",
    "config_context",
    "distillation_report",
    "get_config",
    "set_config",
]
