"""The augmenter base: generate's contract, FunctionAugmenter, check_augmenter.

What every augmenter does through :meth:`Augmenter.generate` (size, seeds,
parameter and input validation, X never modified), custom generators
(subclasses, :class:`FunctionAugmenter`) and ``check_augmenter``.
"""

import re

import numpy as np
import pandas as pd
import pytest
from augment._data import AUGMENTERS, _frame, _numpy, _rows
from numpy.testing import assert_array_equal
from pandas.testing import assert_frame_equal
from scipy import sparse
from sklearn.base import BaseEstimator, clone

from skdistill.augment import (
    MUNGE,
    Augmenter,
    FunctionAugmenter,
    RandomPerturbation,
)
from skdistill.augment._check import check_augmenter


@pytest.mark.parametrize("make", AUGMENTERS)
def test_list_input_gives_array(make):
    """Array-likes other than DataFrames come back as numpy arrays."""
    X_synthetic = make(random_state=0).generate([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    assert isinstance(X_synthetic, np.ndarray)
    assert X_synthetic.shape == (3, 2)


@pytest.mark.parametrize(
    "augmenter",
    [
        MUNGE(size=2.0, p=1.0, random_state=0),
        MUNGE(size=2.0, p=1.0, neighbor_search="approximate", random_state=0),
        RandomPerturbation(size=2.0, fraction=1.0, noise=1.0, random_state=0),
    ],
)
@pytest.mark.parametrize("as_frame", [False, True])
def test_input_not_modified(augmenter, as_frame):
    """generate never writes into X."""
    X = _frame() if as_frame else _numpy("float64")
    before = X.copy()
    augmenter.generate(X)
    if as_frame:
        assert_frame_equal(X, before)
    else:
        assert_array_equal(X, before)


# -- size and reproducibility -------------------------------------------------------


@pytest.mark.parametrize("make", AUGMENTERS)
@pytest.mark.parametrize("size", [0.5, 1, 2.5, 3.3, 10])
def test_size_gives_rounded_number_of_rows(make, size):
    """size is a multiple of the training-set size: round(size * n) rows."""
    X = _numpy("float64", n_rows=7)
    assert make(size=size, random_state=0).generate(X).shape == (round(size * 7), 3)


@pytest.mark.parametrize("make", AUGMENTERS)
def test_zero_rows_keep_columns(make):
    """A size rounding to no row gives an empty result with X's columns."""
    X = _frame(n_rows=10)
    X_synthetic = make(size=0.01, random_state=0).generate(X)
    assert X_synthetic.shape == (0, X.shape[1])
    assert X_synthetic.dtypes.to_dict() == X.dtypes.to_dict()


@pytest.mark.parametrize("make", AUGMENTERS)
def test_same_seed_same_rows_other_seed_other_rows(make):
    """The augmenter's random_state, or generate's, fixes the rows."""
    X = _frame()
    first = make(random_state=3).generate(X)
    assert_frame_equal(first, make(random_state=3).generate(X))
    assert_frame_equal(first, make(random_state=99).generate(X, random_state=3))
    assert_frame_equal(first, make().generate(X, random_state=np.random.RandomState(3)))
    assert not first.equals(make(random_state=4).generate(X))


# -- custom generators and check_augmenter ------------------------------------------


def test_function_augmenter_calls_the_callable():
    """The callable gets X, the number of rows and a RandomState."""
    calls = []

    def bootstrap(X, n_samples, random_state):
        calls.append((X, n_samples, random_state))
        return X[random_state.randint(X.shape[0], size=n_samples)]

    X = _numpy("float32", n_rows=10)
    X_synthetic = FunctionAugmenter(bootstrap, size=2.0, random_state=0).generate(X)
    assert X_synthetic.shape == (20, 3)
    assert calls[0][0] is X and calls[0][1] == 20
    assert isinstance(calls[0][2], np.random.RandomState)
    assert _rows(X_synthetic) <= _rows(X)


def _first_row(X, n_samples, random_state):
    return X[:1]


def _as_array(X, n_samples, random_state):
    return X.to_numpy()


def _renamed(X, n_samples, random_state):
    return X.rename(columns={"a": "b"})


@pytest.mark.parametrize(
    "func, X, message",
    [
        (
            _first_row,
            np.ones((4, 2)),
            "The func '_first_row' of FunctionAugmenter must return 4 rows of 2 "
            "columns, shape (4, 2); got shape (1, 2).",
        ),
        (
            _as_array,
            pd.DataFrame({"a": [1.0, 2.0]}),
            "The func '_as_array' of FunctionAugmenter must return a DataFrame "
            "for a DataFrame X; got ndarray.",
        ),
        (
            _renamed,
            pd.DataFrame({"a": [1.0, 2.0]}),
            "The func '_renamed' of FunctionAugmenter must return the columns of "
            "X, ['a']; got ['b'].",
        ),
    ],
)
def test_function_augmenter_checks_the_result(func, X, message):
    """A result of the wrong shape, type or columns is an error."""
    with pytest.raises(ValueError, match=re.escape(message)):
        FunctionAugmenter(func).generate(X)


def test_subclass_implementing_generate():
    """A subclass only implements _generate; params, clone and validation work."""

    class Bootstrap(Augmenter):
        def _generate(self, X, n_samples, rng):
            return X.iloc[rng.randint(X.shape[0], size=n_samples)]

    X = _frame(n_rows=10)
    augmenter = clone(Bootstrap(size=0.5, random_state=0))
    assert augmenter.get_params() == {"size": 0.5, "random_state": 0}
    assert augmenter.generate(X).shape == (5, X.shape[1])
    with pytest.raises(ValueError, match="The 'size' parameter of Bootstrap"):
        Bootstrap(size=-1).generate(X)


def test_augmenter_is_abstract():
    """The base class itself generates nothing."""
    with pytest.raises(TypeError, match="abstract"):
        Augmenter()


def test_check_augmenter_conversions():
    """None, names, instances and callables become augmenters."""
    assert check_augmenter(None) is None
    assert isinstance(check_augmenter("munge"), MUNGE)
    assert isinstance(check_augmenter("perturb"), RandomPerturbation)
    augmenter = MUNGE(p=0.2)
    assert check_augmenter(augmenter) is augmenter

    def func(X, n_samples, random_state):
        return X[:n_samples]

    wrapped = check_augmenter(func)
    assert isinstance(wrapped, FunctionAugmenter) and wrapped.func is func


@pytest.mark.parametrize(
    "augment, hint",
    [
        ("smote", ""),
        (3, ""),
        (MUNGE, " (pass an instance, e.g. MUNGE())"),
    ],
)
def test_check_augmenter_error_names_the_parameter(augment, hint):
    """Other values raise a ValueError listing the valid ones."""
    message = (
        "The augment parameter must be None, 'munge', 'perturb', an Augmenter "
        "instance or a callable f(X, n_samples, random_state) -> X_synthetic; "
        f"got {augment!r}{hint}."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        check_augmenter(augment)


# -- scikit-learn parameter API ------------------------------------------------------


def test_get_params_set_params_clone():
    """Augmenters are BaseEstimators: params, clone and nested set_params work."""
    augmenter = MUNGE(size=2.0, p=0.3, random_state=1)
    assert augmenter.get_params() == {
        "chunk_size": 10_000,
        "neighbor_search": "auto",
        "p": 0.3,
        "random_state": 1,
        "s": 1.0,
        "size": 2.0,
    }
    cloned = clone(augmenter)
    assert cloned is not augmenter and cloned.get_params() == augmenter.get_params()
    assert augmenter.set_params(size=0.5) is augmenter and augmenter.size == 0.5

    class Holder(BaseEstimator):
        def __init__(self, augment=None):
            self.augment = augment

    holder = Holder(augment=RandomPerturbation()).set_params(augment__size=3.0)
    assert holder.augment.size == 3.0
    assert holder.get_params()["augment__fraction"] == 0.3
    assert holder.augment.generate(np.ones((4, 2))).shape == (12, 2)


@pytest.mark.parametrize(
    "augmenter, parameter",
    [
        (MUNGE(size=0), "size"),
        (MUNGE(size=-1.0), "size"),
        (MUNGE(size=float("nan")), "size"),
        (MUNGE(p=-0.1), "p"),
        (MUNGE(p=1.5), "p"),
        (MUNGE(s=0), "s"),
        (MUNGE(s=-2.0), "s"),
        (MUNGE(neighbor_search="kd_tree"), "neighbor_search"),
        (MUNGE(chunk_size=0), "chunk_size"),
        (MUNGE(random_state="seed"), "random_state"),
        (RandomPerturbation(size=0.0), "size"),
        (RandomPerturbation(fraction=0), "fraction"),
        (RandomPerturbation(fraction=1.2), "fraction"),
        (RandomPerturbation(noise=-0.1), "noise"),
        (RandomPerturbation(chunk_size=0.5), "chunk_size"),
        (FunctionAugmenter("not callable"), "func"),
    ],
)
def test_bad_parameters_raise_naming_the_parameter(augmenter, parameter):
    """Parameters are validated by generate, with the parameter's name."""
    name = type(augmenter).__name__
    with pytest.raises(
        ValueError, match=re.escape(f"The '{parameter}' parameter of {name} must be")
    ):
        augmenter.generate(np.ones((4, 2)))


@pytest.mark.parametrize(
    "X, error, message",
    [
        (sparse.csr_matrix(np.ones((3, 2))), TypeError, "Sparse input is not"),
        (np.ones(3), ValueError, "X must be 2D of shape (n_samples, n_features)"),
        (np.ones((0, 2)), ValueError, "X must have at least one row and one column"),
        (np.array([[1.0, np.inf], [0.0, 1.0]]), ValueError, "X contains infinite"),
        (np.ones((3, 2), dtype=complex), ValueError, "X has dtype complex128"),
    ],
)
@pytest.mark.parametrize("make", AUGMENTERS)
def test_bad_input_raises(make, X, error, message):
    """Inputs the augmenters cannot handle raise a clear error."""
    with pytest.raises(error, match=re.escape(message)):
        make().generate(X)


def test_n_samples_rounds_half_to_even():
    """round(size * n) is Python's round."""
    X = np.arange(4.0).reshape(2, 2)
    assert RandomPerturbation(size=1.25).generate(X).shape[0] == 2  # round(2.5)
    assert RandomPerturbation(size=1.75).generate(X).shape[0] == 4  # round(3.5)


def test_function_augmenter_output_takes_the_dtypes_of_x():
    """A user generator's columns are converted to X's dtypes and categories."""
    X = pd.DataFrame(
        {"num": [1.0, 2.0, 3.0, 4.0], "cat": pd.Categorical(["a", "b", "c", "a"])}
    )

    def gen(X, n, rs):
        return pd.DataFrame(
            {"num": rs.normal(size=n), "cat": rs.choice(["a", "b"], size=n)},
            index=np.arange(10, 10 + n),
        )

    out = FunctionAugmenter(gen, random_state=0).generate(X)
    assert out["cat"].dtype == X["cat"].dtype
    assert list(out.index) == list(range(len(out)))

    def bad(X, n, rs):
        return pd.DataFrame({"num": np.zeros(n), "cat": ["z"] * n})

    with pytest.raises(ValueError, match="column 'cat'"):
        FunctionAugmenter(bad).generate(X)
