"""Variants of distillation beyond one teacher and one student, fit in turn.

- :class:`OnlineDistilledClassifier`, :class:`OnlineDistilledRegressor`:
  the teacher and the student learn together, batch after batch
  (``partial_fit`` on a stream, or ``fit`` over shuffled mini-batches);
- :class:`MutualDistillationClassifier`: a cohort of models that teach
  each other, round after round;
- :class:`BornAgainClassifier`, :class:`BornAgainRegressor`: generations
  of students of the teacher's own family;
- :class:`TeacherEnsemble`: several teachers read as one, averaged in
  probability or logit space, as the teacher of a distiller.

All are exported at the top level (``from skdistill import ...``).
"""

from ._born_again import BornAgainClassifier, BornAgainRegressor
from ._mutual import MutualDistillationClassifier
from ._online import OnlineDistilledClassifier, OnlineDistilledRegressor
from ._teachers import TeacherEnsemble

__all__ = [
    "BornAgainClassifier",
    "BornAgainRegressor",
    "MutualDistillationClassifier",
    "OnlineDistilledClassifier",
    "OnlineDistilledRegressor",
    "TeacherEnsemble",
]
