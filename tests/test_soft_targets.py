"""Tests of the pure soft-target functions in ``skdistill.soft_targets``."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit, logsumexp

from skdistill.soft_targets import (
    blend_targets,
    check_soft_targets,
    log_softmax,
    logits_from_decision,
    logits_from_proba,
    sharpen,
    softmax,
)

TEMPERATURES = [0.25, 0.5, 1.0, 2.0, 7.5]
BAD_TEMPERATURES = [
    0,
    0.0,
    -1.0,
    float("nan"),
    float("inf"),
    True,
    False,
    np.bool_(True),
    "2",
    None,
]
BAD_ALPHAS = [-0.1, 1.0001, 2, float("nan"), float("inf"), True, "0.5", None]
TEMPERATURE_MSG = r"temperature must be a finite number > 0"
ALPHA_MSG = r"alpha must be a number in \[0, 1\]"


def _logits(n_samples=20, n_classes=4, scale=3.0, seed=0):
    return np.random.default_rng(seed).normal(scale=scale, size=(n_samples, n_classes))


def _proba(n_samples=20, n_classes=4, seed=0):
    return np.random.default_rng(seed).dirichlet(np.ones(n_classes), size=n_samples)


def _entropy(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(np.where(p > 0, p * np.log(p), 0.0), axis=1)


# -- softmax / log_softmax -----------------------------------------------------


@pytest.mark.parametrize("temperature", TEMPERATURES)
def test_softmax_matches_direct_formula(temperature):
    """softmax(z, T) equals exp(z/T) / sum exp(z/T) computed directly."""
    z = _logits()
    e = np.exp(z / temperature)
    expected = e / e.sum(axis=1, keepdims=True)
    assert_allclose(softmax(z, temperature), expected, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("temperature", TEMPERATURES)
def test_log_softmax_matches_logsumexp_formula(temperature):
    """log_softmax(z, T) equals z/T - logsumexp(z/T) and log(softmax(z, T))."""
    z = _logits()
    expected = z / temperature - logsumexp(z / temperature, axis=1, keepdims=True)
    assert_allclose(log_softmax(z, temperature), expected, rtol=1e-12, atol=1e-12)
    assert_allclose(
        np.exp(log_softmax(z, temperature)), softmax(z, temperature), rtol=1e-12
    )


def test_softmax_default_temperature_is_one():
    """Without a temperature, softmax and log_softmax use T = 1."""
    z = _logits()
    assert_allclose(softmax(z), softmax(z, 1.0))
    assert_allclose(log_softmax(z), log_softmax(z, 1.0))


@pytest.mark.parametrize("temperature", TEMPERATURES)
def test_softmax_rows_are_distributions(temperature):
    """Rows of softmax are non-negative and sum to 1; the shape is kept."""
    z = _logits(n_samples=30, n_classes=5, scale=20.0)
    p = softmax(z, temperature)
    assert p.shape == z.shape
    assert p.dtype == np.float64
    assert np.all(p >= 0)
    assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


def test_softmax_is_invariant_to_row_shifts():
    """Adding a constant to each row of logits does not change softmax."""
    z = _logits()
    shift = np.arange(z.shape[0], dtype=float)[:, None] * 100.0
    assert_allclose(softmax(z + shift, 2.0), softmax(z, 2.0), rtol=1e-10)


def test_higher_temperature_raises_entropy():
    """Entropy of softmax(z, T) strictly increases with T, towards log(n_classes)."""
    z = _logits(n_samples=15, n_classes=4)
    temperatures = [0.5, 1.0, 2.0, 4.0, 16.0]
    entropies = np.array([_entropy(softmax(z, t)) for t in temperatures])
    assert np.all(np.diff(entropies, axis=0) > 0)
    assert np.all(entropies <= np.log(4) + 1e-12)
    assert_allclose(softmax(z, 1e6), 0.25, atol=1e-5)


def test_low_temperature_approaches_one_hot():
    """A small T puts (almost) all the mass on the largest logit."""
    z = _logits()
    p = softmax(z, 1e-3)
    assert_allclose(p.max(axis=1), 1.0, atol=1e-12)
    assert_array_equal(p.argmax(axis=1), z.argmax(axis=1))


@pytest.mark.parametrize("temperature", [0.5, 1.0, 4.0])
def test_huge_logits_are_finite(temperature):
    """Logits of +-1e300 give finite, exact (log-)probabilities: no NaN or inf."""
    z = np.array(
        [
            [1e300, -1e300],
            [-1e300, 1e300],
            [1e300, 1e300],
            [0.0, 1e300],
            [-1e300, -1e300],
        ]
    )
    p = softmax(z, temperature)
    assert np.all(np.isfinite(p))
    assert_allclose(
        p, [[1, 0], [0, 1], [0.5, 0.5], [0, 1], [0.5, 0.5]], rtol=0, atol=1e-300
    )
    log_p = log_softmax(z, temperature)
    assert not np.any(np.isnan(log_p))
    assert np.all(np.isfinite(log_p))
    assert_allclose(log_p[2], np.log(0.5))


@pytest.mark.parametrize("func", [softmax, log_softmax])
@pytest.mark.parametrize(
    "logits, match",
    [
        ([[0.0, np.nan]], "NaN or infinite"),
        ([[0.0, np.inf]], "NaN or infinite"),
        ([[0.0, -np.inf]], "NaN or infinite"),
        ([0.0, 1.0], "2D array"),
        ([[[0.0, 1.0]]], "2D array"),
    ],
)
def test_softmax_rejects_invalid_logits(func, logits, match):
    """Non-finite or non-2D logits raise a ValueError."""
    with pytest.raises(ValueError, match=match):
        func(logits)


# -- logits_from_proba ---------------------------------------------------------


def test_logits_from_proba_then_softmax_recovers_proba():
    """softmax(logits_from_proba(p)) == p."""
    p = _proba(n_samples=50, n_classes=6)
    z = logits_from_proba(p)
    assert_allclose(z, np.log(p), rtol=1e-14)
    assert_allclose(softmax(z), p, rtol=1e-10)


def test_logits_from_proba_accepts_lists():
    """Array-likes (nested lists) are accepted and give float64 logits."""
    z = logits_from_proba([[0.25, 0.75]])
    assert z.dtype == np.float64
    assert_allclose(z, np.log([[0.25, 0.75]]))


@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0, 100.0])
def test_probabilities_of_zero_and_one_give_finite_logits(temperature):
    """Probabilities of exactly 0 and 1 give finite logits and exact softmax."""
    p = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.5, 0.5]])
    z = logits_from_proba(p)
    assert np.all(np.isfinite(z))
    assert_array_equal(z[p == 1.0], 0.0)
    # a zero is floored at log(tiny), about -708: finite, but still "no mass"
    assert np.all(z[p == 0.0] < -700)
    assert_allclose(softmax(z), p, atol=1e-300)
    soft = softmax(z, temperature)
    assert np.all(np.isfinite(soft))
    assert_allclose(soft.sum(axis=1), 1.0)
    # the class that had all the mass stays the most probable
    assert np.all(soft[0, 0] > soft[0, 1:])


@pytest.mark.parametrize(
    "proba, match",
    [
        ([[0.5, np.nan]], "NaN or infinite"),
        ([[0.5, np.inf]], "NaN or infinite"),
        ([[1.5, -0.5]], "negative entries"),
        ([0.5, 0.5], "2D array"),
    ],
)
def test_logits_from_proba_rejects_invalid_proba(proba, match):
    """NaN, infinite or negative probabilities and 1D input raise ValueError."""
    with pytest.raises(ValueError, match=match):
        logits_from_proba(proba)


# -- logits_from_decision ------------------------------------------------------


@pytest.mark.parametrize("shape", ["1d", "column"])
def test_binary_decision_gives_two_logit_columns(shape):
    """Binary d, 1D or (n, 1), becomes [0, d] with softmax[:, 1] == sigmoid(d)."""
    d = np.array([-30.0, -2.0, -0.5, 0.0, 0.5, 2.0, 30.0])
    decision = d if shape == "1d" else d[:, None]
    z = logits_from_decision(decision)
    assert z.shape == (d.size, 2)
    assert_array_equal(z[:, 0], 0.0)
    assert_array_equal(z[:, 1], d)
    assert_allclose(softmax(z)[:, 1], expit(d), rtol=1e-12)
    assert_allclose(softmax(z)[:, 0], expit(-d), rtol=1e-12)


@pytest.mark.parametrize("temperature", [0.5, 2.0, 5.0])
def test_binary_decision_with_temperature_is_sigmoid_of_scaled_decision(temperature):
    """softmax([0, d], T)[:, 1] == sigmoid(d / T)."""
    d = np.linspace(-6, 6, 13)
    assert_allclose(
        softmax(logits_from_decision(d), temperature)[:, 1],
        expit(d / temperature),
        rtol=1e-12,
    )


def test_binary_decision_huge_values_are_finite():
    """Decision values of +-1e300 give finite logits and one-hot softmax."""
    p = softmax(logits_from_decision([1e300, -1e300]))
    assert np.all(np.isfinite(p))
    assert_allclose(p, [[0, 1], [1, 0]], atol=1e-300)


def test_multiclass_decision_passes_through_as_a_copy():
    """A (n, k>2) decision function is returned unchanged, in a new array."""
    d = _logits(n_classes=3)
    z = logits_from_decision(d)
    assert_array_equal(z, d)
    assert z.dtype == np.float64
    assert not np.shares_memory(z, d)


@pytest.mark.parametrize(
    "decision, match",
    [
        ([0.0, np.nan], "NaN or infinite"),
        ([[0.0], [np.inf]], "NaN or infinite"),
        ([[0.0, 1.0, np.nan]], "NaN or infinite"),
        (np.zeros((2, 2, 2)), "2D array"),
    ],
)
def test_logits_from_decision_rejects_invalid_input(decision, match):
    """Non-finite or 3D decision values raise a ValueError."""
    with pytest.raises(ValueError, match=match):
        logits_from_decision(decision)


# -- sharpen ---------------------------------------------------------------------


@pytest.mark.parametrize("temperature", TEMPERATURES)
def test_sharpen_inverts_softmax(temperature):
    """sharpen(softmax(z, T), T) == softmax(z)."""
    z = _logits(scale=2.0)
    assert_allclose(
        sharpen(softmax(z, temperature), temperature), softmax(z), rtol=1e-8
    )


def test_sharpen_formula_and_identity_at_temperature_one():
    """sharpen(p, T) == softmax(T * log p) and sharpen(p, 1) == p."""
    p = _proba()
    assert_allclose(sharpen(p, 1.0), p, rtol=1e-12)
    expected = p**3 / (p**3).sum(axis=1, keepdims=True)
    assert_allclose(sharpen(p, 3.0), expected, rtol=1e-10)
    # sharpening lowers the entropy
    assert np.all(_entropy(sharpen(p, 3.0)) < _entropy(p))


def test_sharpen_handles_zero_probabilities():
    """A probability of 0 stays (numerically) 0 after sharpening."""
    p = np.array([[0.0, 0.2, 0.8], [1.0, 0.0, 0.0]])
    out = sharpen(p, 4.0)
    assert np.all(np.isfinite(out))
    assert_allclose(out.sum(axis=1), 1.0)
    assert_allclose(out[:, 0], [0.0, 1.0], atol=1e-300)


# -- temperature validation ------------------------------------------------------


def _call_with_temperature(name, temperature):
    z = _logits(n_samples=3, n_classes=3)
    if name == "softmax":
        return softmax(z, temperature)
    if name == "log_softmax":
        return log_softmax(z, temperature)
    return sharpen(softmax(z), temperature)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "sharpen"])
@pytest.mark.parametrize("temperature", BAD_TEMPERATURES, ids=repr)
def test_invalid_temperature_raises(name, temperature):
    """T <= 0, NaN, inf, booleans and non-numbers raise a ValueError."""
    with pytest.raises(ValueError, match=TEMPERATURE_MSG):
        _call_with_temperature(name, temperature)


@pytest.mark.parametrize("temperature", [2, np.float32(2.0), np.int64(2)], ids=repr)
def test_numeric_temperature_types_are_accepted(temperature):
    """Python ints and NumPy scalars are valid temperatures, equal to float T."""
    z = _logits(n_samples=3, n_classes=3)
    assert_allclose(softmax(z, temperature), softmax(z, 2.0))


# -- check_soft_targets ----------------------------------------------------------


def test_check_soft_targets_returns_float64_array():
    """Valid soft targets are returned unchanged as a float64 array."""
    q = check_soft_targets([[0.5, 0.5], [1, 0]], n_samples=2, n_classes=2)
    assert isinstance(q, np.ndarray)
    assert q.dtype == np.float64
    assert_array_equal(q, [[0.5, 0.5], [1.0, 0.0]])


@pytest.mark.parametrize(
    "soft_targets, kwargs, match",
    [
        ([[0.5, np.nan]], {}, "contains NaN or infinite"),
        ([[0.5, np.inf]], {}, "contains NaN or infinite"),
        ([[1.2, -0.2]], {}, "negative entries"),
        ([[0.5, 0.4], [0.5, 0.5]], {}, r"must sum to 1; row 0 sums to 0\.9 \(1 rows"),
        ([[0.5, 0.5], [0.6, 0.6], [0.7, 0.7]], {}, r"row 1 sums to 1\.2 \(2 rows"),
        ([[0.5, 0.5]], {"n_classes": 3}, r"2 columns; expected one per class \(3\)"),
        ([[0.5, 0.5]], {"n_samples": 2}, r"1 rows; expected 2"),
        ([0.5, 0.5], {}, "2D array"),
    ],
)
def test_check_soft_targets_errors(soft_targets, kwargs, match):
    """Invalid soft targets raise a ValueError explaining the problem."""
    with pytest.raises(ValueError, match=match):
        check_soft_targets(soft_targets, **kwargs)


def test_check_soft_targets_uses_name_in_messages():
    """The ``name`` argument appears in the error message."""
    with pytest.raises(ValueError, match="my_targets has 2 columns"):
        check_soft_targets([[0.5, 0.5]], n_classes=3, name="my_targets")


def test_check_soft_targets_row_sum_tolerance():
    """Row sums within atol pass; a tighter atol rejects the same rows."""
    q = [[0.5, 0.5 + 1e-7]]
    assert_array_equal(check_soft_targets(q), q)
    with pytest.raises(ValueError, match="must sum to 1"):
        check_soft_targets(q, atol=1e-9)


# -- blend_targets ---------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_blend_targets_formula(alpha):
    """blend = alpha * onehot(y) + (1 - alpha) * soft; rows sum to 1."""
    q = _proba(n_samples=12, n_classes=3)
    y = np.arange(12) % 3
    expected = alpha * np.eye(3)[y] + (1 - alpha) * q
    out = blend_targets(y, q, alpha)
    assert_allclose(out, expected, rtol=1e-14, atol=1e-15)
    assert_allclose(out.sum(axis=1), 1.0)


def test_blend_targets_alpha_extremes():
    """alpha=0 gives the soft targets, alpha=1 the one-hot labels, exactly."""
    q = _proba(n_samples=6, n_classes=3)
    y = np.array([2, 0, 1, 1, 0, 2])
    assert_array_equal(blend_targets(y, q, 0.0), q)
    assert_array_equal(blend_targets(y, q, 1.0), np.eye(3)[y])
    assert_array_equal(blend_targets(y, q, 1), np.eye(3)[y])


@pytest.mark.parametrize("alpha", [0.0, 0.7, 1.0])
def test_blend_targets_unlabelled_rows_keep_soft_targets(alpha):
    """Rows with label -1 get the soft target alone, whatever alpha."""
    q = _proba(n_samples=6, n_classes=3)
    y = np.array([0, -1, 2, -1, 1, -1])
    out = blend_targets(y, q, alpha)
    unlabelled = y == -1
    assert_array_equal(out[unlabelled], q[unlabelled])
    labelled = ~unlabelled
    expected = alpha * np.eye(3)[y[labelled]] + (1 - alpha) * q[labelled]
    assert_allclose(out[labelled], expected, rtol=1e-14)
    assert_allclose(out.sum(axis=1), 1.0)


def test_blend_targets_accepts_lists():
    """y and soft targets given as lists work like arrays."""
    out = blend_targets([0, 1], [[0.6, 0.4], [0.5, 0.5]], alpha=0.5)
    assert_allclose(out, [[0.8, 0.2], [0.25, 0.75]])


@pytest.mark.parametrize("alpha", BAD_ALPHAS, ids=repr)
def test_blend_targets_invalid_alpha(alpha):
    """alpha outside [0, 1], NaN, booleans and non-numbers raise a ValueError."""
    with pytest.raises(ValueError, match=ALPHA_MSG):
        blend_targets([0, 1], [[0.5, 0.5], [0.5, 0.5]], alpha)


@pytest.mark.parametrize(
    "y, match",
    [
        ([0, 2], "encoded labels"),
        ([0, -2], "encoded labels"),
        ([0.0, 1.0], "encoded labels"),
        (["a", "b"], "encoded labels"),
        ([0, 1, 1], r"one label per row of soft_targets \(2\)"),
        ([0], r"one label per row of soft_targets \(2\)"),
        ([[0], [1]], "must be 1D"),
    ],
)
def test_blend_targets_invalid_labels(y, match):
    """Labels that are not encoded column indices (or -1) raise a ValueError."""
    with pytest.raises(ValueError, match=match):
        blend_targets(y, [[0.5, 0.5], [0.5, 0.5]], 0.5)


@pytest.mark.parametrize(
    "soft_targets, match",
    [
        ([[0.5, np.nan], [0.5, 0.5]], "NaN or infinite"),
        ([[1.5, -0.5], [0.5, 0.5]], "negative entries"),
        ([[0.5, 0.4], [0.5, 0.5]], "must sum to 1"),
    ],
)
def test_blend_targets_validates_soft_targets(soft_targets, match):
    """The soft targets of blend_targets are validated like check_soft_targets."""
    with pytest.raises(ValueError, match=match):
        blend_targets([0, 1], soft_targets, 0.5)


# -- purity: inputs are never modified -------------------------------------------


def _pure_calls():
    z = _logits(n_samples=8, n_classes=3)
    p = _proba(n_samples=8, n_classes=3)
    p[0] = [1.0, 0.0, 0.0]
    y = np.array([0, 1, 2, -1, 0, 1, 2, -1])
    d1 = z[:, 0].copy()
    return {
        "softmax": (softmax, (z, 2.0)),
        "log_softmax": (log_softmax, (z, 2.0)),
        "logits_from_proba": (logits_from_proba, (p,)),
        "logits_from_decision_binary": (logits_from_decision, (d1,)),
        "logits_from_decision_column": (logits_from_decision, (d1[:, None],)),
        "logits_from_decision_multiclass": (logits_from_decision, (z,)),
        "sharpen": (sharpen, (p, 3.0)),
        "blend_targets": (blend_targets, (y, p, 0.4)),
        "check_soft_targets": (check_soft_targets, (p,)),
    }


@pytest.mark.parametrize("name", list(_pure_calls()))
def test_inputs_are_not_modified(name):
    """Each function leaves its array arguments unchanged, even if its result is."""
    func, args = _pure_calls()[name]
    before = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    out = func(*args)
    for a, b in zip(args, before, strict=True):
        if isinstance(a, np.ndarray):
            assert_array_equal(a, b)
    if name != "check_soft_targets":  # a validator may return its input
        out[...] = -123.0  # scribbling on the result leaves the inputs alone
        for a, b in zip(args, before, strict=True):
            if isinstance(a, np.ndarray):
                assert_array_equal(a, b)
