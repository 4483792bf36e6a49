"""skdistill: knowledge distillation for tabular data, the scikit-learn way.

A heavy *teacher* model's probability distributions, softened by a
temperature, are used to train a light *student* model that is shipped
instead.
"""

from ._augment import MUNGE, Augmenter, FunctionAugmenter, RandomPerturbation
from ._classifier import DistilledClassifier
from ._lgbm_student import SoftLGBMClassifier
from ._logit_matching import LogitMatchingClassifier
from ._regressor import DistilledRegressor
from ._search import DistilledClassifierCV, DistilledRegressorCV
from ._soft_logistic import SoftLogisticRegression
from ._soft_targets import (
    blend_targets,
    check_soft_targets,
    log_softmax,
    logits_from_decision,
    logits_from_proba,
    sharpen,
    softmax,
)
from ._strategies import SoftTargetStudent

__version__ = "0.1.0.dev0"

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
    "blend_targets",
    "check_soft_targets",
    "log_softmax",
    "logits_from_decision",
    "logits_from_proba",
    "sharpen",
    "softmax",
]
