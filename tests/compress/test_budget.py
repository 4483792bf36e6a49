"""The budget's rule and the Pareto front (skdistill/compress/_budget.py)."""

import re

import numpy as np
import pytest

from skdistill.compress import BudgetError, pareto_front
from skdistill.compress._budget import Budget, choose


@pytest.mark.parametrize(
    "costs, scores, front",
    [
        ([10, 20, 30, 40], [0.80, 0.78, 0.85, 0.85], [0, 2]),
        ([40, 30, 20, 10], [0.9, 0.8, 0.7, 0.6], [3, 2, 1, 0]),
        # equal cost: only the better score; equal score: only the cheaper
        ([10, 10, 20], [0.7, 0.8, 0.8], [1]),
        # NaN costs or scores are left out
        ([10, np.nan, 30], [0.5, 0.9, np.nan], [0]),
        ([], [], []),
    ],
)
def test_pareto_front(costs, scores, front):
    """The points no other point beats on both cost and score, cheapest first."""
    assert pareto_front(costs, scores).tolist() == front


def test_pareto_front_is_the_brute_force_one():
    """Against the definition, on random points with ties."""
    rng = np.random.RandomState(0)
    costs = rng.randint(1, 20, 200).astype(float)
    scores = rng.randint(0, 20, 200) / 20
    dominated = [
        any(
            costs[j] <= costs[i]
            and scores[j] >= scores[i]
            and (costs[j] < costs[i] or scores[j] > scores[i])
            for j in range(200)
        )
        for i in range(200)
    ]
    expected = {i for i in range(200) if not dominated[i]}
    front = pareto_front(costs, scores)
    # of points equal in both, the front keeps one
    assert {(costs[i], scores[i]) for i in front} == {
        (costs[i], scores[i]) for i in expected
    }
    assert np.all(np.diff(costs[front]) > 0) and np.all(np.diff(scores[front]) > 0)


def test_pareto_front_needs_matching_shapes():
    with pytest.raises(ValueError, match=re.escape("got shapes (2,) and (3,)")):
        pareto_front([1, 2], [1, 2, 3])


@pytest.mark.parametrize(
    "budget, teacher, floor",
    [
        (Budget(keep=0.99), 0.90, 0.891),
        (Budget(keep=0.99), -0.30, -0.303),  # a negated loss: 1% worse
        (Budget(min_score=0.95, keep=0.99), 0.90, 0.95),  # the higher floor
        (Budget(max_size=10), 0.90, None),
    ],
)
def test_floor(budget, teacher, floor):
    if floor is None:
        assert budget.floor(teacher) is None
    else:
        assert budget.floor(teacher) == pytest.approx(floor)


SCORES = np.array([0.80, 0.86, 0.89, 0.90, 0.90])
SIZES = np.array([100.0, 200.0, 400.0, 800.0, 800.0])
TIMES = np.array([1e-5, 3e-5, 2e-5, 4e-5, 3e-5])
NAMES = ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize(
    "budget, chosen",
    [
        (Budget(), 3),  # the best score: d and e tie, in size too: the first
        (Budget(keep=0.99), 4),  # floor 0.891: d and e, same size: the faster
        (Budget(min_score=0.85), 1),
        (Budget(max_size=500), 2),  # the best score within 500 bytes
        (Budget(max_latency=2.5e-5), 2),
        (Budget(min_score=0.85, max_latency=2.5e-5), 2),
        (Budget(min_score=0.89, max_size=800), 2),
    ],
)
def test_choose(budget, chosen):
    """A floor picks the smallest within budget, ceilings alone the best."""
    assert choose(budget, SCORES, SIZES, TIMES, 0.90, NAMES) == chosen


def test_no_candidate_names_the_budget_and_the_closest():
    with pytest.raises(BudgetError) as error:
        choose(Budget(keep=1.0, max_size=150), SCORES, SIZES, TIMES, 0.95, NAMES)
    message = str(error.value)
    assert message.startswith(
        "No candidate student meets the budget keep=1 (a score of at least "
        "0.9500: that share of the teacher's 0.9500), max_size=150 bytes. The "
        "best scores 'd' (score 0.9000, 800 bytes, 40.0 µs a row)"
    )
    assert "the smallest is 'a' (score 0.8000, 100 bytes, 10.0 µs a row)" in message
    assert isinstance(error.value, ValueError)
