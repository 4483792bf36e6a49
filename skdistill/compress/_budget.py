"""A user's budget, and the candidates that meet it.

Pure functions on the figures of a search's ``cv_results_``:
:func:`pareto_front` (the candidates no other beats on quality and cost at
once) and :func:`choose` (the candidate a budget selects, by the rule
documented in :class:`Budget`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


def pareto_front(costs: ArrayLike, scores: ArrayLike) -> NDArray[np.intp]:
    """Indices of the Pareto-optimal points, from the cheapest up.

    A point is on the front when no other point costs as little or less
    and scores as high or higher, with one of the two strictly; of points
    equal in both, only the first is kept. Along the front, costs and
    scores both strictly increase. Points with a NaN cost or score
    are left out.

    Parameters
    ----------
    costs : array-like of shape (n_points,)
        Lower is better (a size, a latency).
    scores : array-like of shape (n_points,)
        Higher is better.

    Returns
    -------
    front : ndarray of int
        Indices into ``costs``, by increasing cost.

    Examples
    --------
    >>> from skdistill.compress import pareto_front
    >>> pareto_front([10, 20, 30, 40], [0.80, 0.78, 0.85, 0.85]).tolist()
    [0, 2]
    """
    costs = np.asarray(costs, dtype=float)
    scores = np.asarray(scores, dtype=float)
    if costs.shape != scores.shape or costs.ndim != 1:
        raise ValueError(
            "costs and scores must be 1-d and of the same length; got shapes "
            f"{costs.shape} and {scores.shape}."
        )
    valid = np.flatnonzero(np.isfinite(costs) & np.isfinite(scores))
    # cheapest first; at equal cost the best score first (it dominates the rest)
    order = valid[np.lexsort((-scores[valid], costs[valid]))]
    front, best = [], -np.inf
    for i in order:
        if scores[i] > best:
            front.append(i)
            best = scores[i]
    return np.asarray(front, dtype=np.intp)


@dataclass(frozen=True)
class Budget:
    """What the chosen student must meet.

    Rule: a candidate is *within budget* when it meets every bound given
    (the quality floor, ``max_size`` and ``max_latency``). With a quality
    floor, the smallest candidate within budget is chosen (ties: the
    faster, then the better score); with cost ceilings alone, the best
    score within budget (ties: the smaller); with no budget, the best score
    (ties: the smaller).

    The quality floor is the higher of ``min_score`` and the share ``keep``
    of the teacher's score: ``teacher - (1 - keep) * |teacher|`` (99% of an
    accuracy of 0.90 is 0.891; of a log-loss of -0.30, -0.303).
    """

    min_score: float | None = None
    keep: float | None = None
    max_size: float | None = None
    max_latency: float | None = None

    @property
    def has_floor(self) -> bool:
        return self.min_score is not None or self.keep is not None

    def floor(self, teacher_score: float) -> float | None:
        """The lowest score allowed, or ``None`` without a quality floor."""
        floors = []
        if self.min_score is not None:
            floors.append(float(self.min_score))
        if self.keep is not None:
            floors.append(teacher_score - (1.0 - self.keep) * abs(teacher_score))
        return max(floors) if floors else None

    def within(
        self,
        scores: NDArray[np.float64],
        sizes: NDArray[np.float64],
        latencies: NDArray[np.float64],
        teacher_score: float,
    ) -> NDArray[np.bool_]:
        """Which candidates meet every bound given (NaN meets none)."""
        ok = np.isfinite(scores)
        floor = self.floor(teacher_score)
        if floor is not None:
            ok &= scores >= floor
        if self.max_size is not None:
            ok &= sizes <= self.max_size
        if self.max_latency is not None:
            ok &= latencies <= self.max_latency
        return ok

    def describe(self, teacher_score: float) -> str:
        """The bounds given, in words (for error messages)."""
        parts = []
        if self.min_score is not None:
            parts.append(f"min_score={self.min_score:g}")
        if self.keep is not None:
            floor = teacher_score - (1.0 - self.keep) * abs(teacher_score)
            parts.append(
                f"keep={self.keep:g} (a score of at least {floor:.4f}: that share "
                f"of the teacher's {teacher_score:.4f})"
            )
        if self.max_size is not None:
            parts.append(f"max_size={self.max_size:,.0f} bytes")
        if self.max_latency is not None:
            parts.append(f"max_latency={self.max_latency:g} s")
        return ", ".join(parts)


class BudgetError(ValueError):
    """No candidate student meets the budget.

    The search's results (``cv_results_``, ``frontier_``) are set before it
    is raised, so that another budget can be read off them.
    """


def choose(
    budget: Budget,
    scores: NDArray[np.float64],
    sizes: NDArray[np.float64],
    latencies: NDArray[np.float64],
    teacher_score: float,
    names: list[str],
) -> int:
    """The index of the candidate ``budget`` selects (see :class:`Budget`).

    Raises :class:`BudgetError`, naming the budget and the nearest
    candidates, when none is within it.
    """
    within = budget.within(scores, sizes, latencies, teacher_score)
    index = np.flatnonzero(within)
    if index.size == 0:
        raise BudgetError(
            _no_candidate(budget, scores, sizes, latencies, teacher_score, names)
        )
    if budget.has_floor:  # the smallest, then the fastest, then the best
        keys = (-scores[index], latencies[index], sizes[index])
    else:  # the best, then the smallest
        keys = (sizes[index], -scores[index])
    return int(index[np.lexsort(keys)[0]])


def _no_candidate(
    budget: Budget,
    scores: NDArray[np.float64],
    sizes: NDArray[np.float64],
    latencies: NDArray[np.float64],
    teacher_score: float,
    names: list[str],
) -> str:
    """The error message of a budget no candidate meets: what came closest."""
    valid = np.isfinite(scores)
    if not valid.any():
        return "No candidate student could be scored (every score is NaN)."
    best = int(np.nanargmax(np.where(valid, scores, -np.inf)))
    smallest = int(np.argmin(np.where(valid, sizes, np.inf)))

    def said(i: int) -> str:
        timing = (
            f", {latencies[i] * 1e6:,.1f} µs a row" if np.isfinite(latencies[i]) else ""
        )
        return f"{names[i]!r} (score {scores[i]:.4f}, {sizes[i]:,.0f} bytes{timing})"

    closest = f"The best scores {said(best)}; the smallest is {said(smallest)}"
    timed = valid & np.isfinite(latencies)
    if timed.any():
        fastest = int(np.argmin(np.where(timed, latencies, np.inf)))
        closest += f"; the fastest is {said(fastest)}"
    return (
        f"No candidate student meets the budget {budget.describe(teacher_score)}. "
        f"{closest}. Loosen the budget, or add students to try (students=...). "
        "The search's results are in cv_results_ and frontier_."
    )
