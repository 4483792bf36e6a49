"""memory=: the teacher's fit and outputs cached across student fits."""

import os
import re
import subprocess
import sys
import threading
import types
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from _helpers import CountingRegressor, CountingTeacher
from lightgbm import LGBMClassifier
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import DistilledClassifier, DistilledRegressor, SoftLogisticRegression
from skdistill._cache import code_digest

pytestmark = pytest.mark.usefixtures("one_thread_per_library", "fresh_counts")


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=120,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        random_state=0,
    )
    return X, y


def model(**params):
    return DistilledClassifier(CountingTeacher(), SoftLogisticRegression(), **params)


def cache_entries(location):
    """Number of cached calls (result folders) under a joblib cache directory."""
    return sum(1 for p in Path(location).rglob("output.pkl"))


def test_hit_skips_the_teacher_fit_and_gives_the_same_model(data, tmp_path):
    """A second fit at another (T, alpha) reuses the teacher; results are exact."""
    X, y = data
    cached = model(temperature=1.0, alpha=0.2, memory=str(tmp_path)).fit(X, y)
    assert CountingTeacher.n_fits == 1
    again = model(temperature=4.0, alpha=0.7, memory=str(tmp_path)).fit(X, y)
    assert CountingTeacher.n_fits == 1
    plain = model(temperature=4.0, alpha=0.7).fit(X, y)
    assert CountingTeacher.n_fits == 2
    assert_array_equal(again.predict_proba(X), plain.predict_proba(X))
    assert_array_equal(
        again.teacher_.predict_proba(X), cached.teacher_.predict_proba(X)
    )
    assert again.training_fidelity_ == plain.training_fidelity_
    assert cache_entries(tmp_path) == 1


@pytest.mark.parametrize(
    "change, params, fit_changes",
    [
        ("teacher parameter", {"teacher__C": 0.1}, {}),
        ("teacher output", {"teacher_output": "decision_function"}, {}),
        ("teacher_cv", {"teacher_cv": 3}, {}),
        ("augment", {"augment": "perturb", "random_state": 0}, {}),
        ("X", {}, {"X": lambda X: X + np.eye(*X.shape) * 1e-9}),
        ("y", {}, {"y": lambda y: np.roll(y, 1)}),
        ("sample_weight", {}, {"sample_weight": lambda y: np.full(y.shape, 2.0)}),
    ],
)
def test_a_change_the_teacher_depends_on_refits_it(
    data, tmp_path, change, params, fit_changes
):
    """Changing what the teacher's outputs depend on is a miss, and a refit."""
    X, y = data
    memory = joblib.Memory(tmp_path, verbose=0)
    model(memory=memory, teacher_output="predict_proba").fit(X, y)
    model(memory=memory, teacher_output="auto").fit(X, y)  # the same method
    assert CountingTeacher.n_fits == 1
    fit_args = {"X": X, "y": y}
    for key, change_fn in fit_changes.items():
        fit_args[key] = change_fn(y if key == "sample_weight" else fit_args[key])
    model(memory=memory).set_params(**params).fit(**fit_args)
    fold_fits = 3 if change == "teacher_cv" else 0
    assert CountingTeacher.n_fits == 2 + fold_fits, change


def test_memory_none_caches_nothing(data, tmp_path, monkeypatch):
    """memory=None fits the teacher every time and writes no directory."""
    X, y = data
    monkeypatch.chdir(tmp_path)
    model(memory=None).fit(X, y)
    model(memory=None, temperature=3.0).fit(X, y)
    assert CountingTeacher.n_fits == 2
    assert list(tmp_path.iterdir()) == []


def test_grid_search_fits_the_teacher_once_per_fold(data, tmp_path):
    """GridSearchCV over (T, alpha) with memory: one teacher fit per fold + refit."""
    X, y = data
    grid = {"temperature": [1.0, 2.0, 4.0], "alpha": [0.0, 0.5]}
    plain = GridSearchCV(model(), grid, cv=3, n_jobs=1).fit(X, y)
    assert CountingTeacher.n_fits == 3 * 6 + 1
    CountingTeacher.n_fits = 0
    cached = GridSearchCV(model(memory=str(tmp_path)), grid, cv=3, n_jobs=1)
    cached.fit(X, y)
    assert CountingTeacher.n_fits == 3 + 1
    assert_array_equal(
        cached.cv_results_["mean_test_score"], plain.cv_results_["mean_test_score"]
    )
    assert cached.best_params_ == plain.best_params_


def test_lightgbm_teacher_is_cached(data, tmp_path):
    """A LightGBM teacher pickles into the cache and predicts the same from it."""
    X, y = data
    teacher = LGBMClassifier(n_estimators=10, num_leaves=7, verbose=-1, n_jobs=1)
    first = DistilledClassifier(teacher, memory=str(tmp_path)).fit(X, y)
    second = DistilledClassifier(teacher, alpha=0.9, memory=str(tmp_path)).fit(X, y)
    assert cache_entries(tmp_path) == 1
    assert second.teacher_ is not first.teacher_
    assert_array_equal(
        second.teacher_.predict_proba(X), first.teacher_.predict_proba(X)
    )
    plain = DistilledClassifier(teacher, alpha=0.9).fit(X, y)
    assert_array_equal(second.predict_proba(X), plain.predict_proba(X))


def test_cache_key_covers_augmentation_and_its_seed(data, tmp_path):
    """Synthetic rows are cached with their seed; another seed is a miss."""
    X, y = data
    params = {"augment": "perturb", "memory": str(tmp_path)}
    first = model(random_state=0, **params).fit(X, y)
    second = model(random_state=0, alpha=0.1, **params).fit(X, y)
    assert CountingTeacher.n_fits == 1
    assert first.n_synthetic_ == second.n_synthetic_ == y.shape[0]
    plain = model(random_state=0, alpha=0.1, augment="perturb").fit(X, y)
    assert_array_equal(second.predict_proba(X), plain.predict_proba(X))
    model(random_state=1, **params).fit(X, y)
    assert CountingTeacher.n_fits == 3
    assert cache_entries(tmp_path) == 2


def test_dataframe_input_is_cached(data, tmp_path):
    """A DataFrame (with a categorical column) hashes and caches."""
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame["f0"] = pd.Categorical(np.where(X[:, 0] > 0, "hi", "lo"))
    lgbm = LGBMClassifier(n_estimators=5, num_leaves=4, verbose=-1, n_jobs=1)
    first = DistilledClassifier(lgbm, lgbm, memory=str(tmp_path)).fit(frame, y)
    DistilledClassifier(lgbm, lgbm, alpha=0.9, memory=str(tmp_path)).fit(frame, y)
    assert cache_entries(tmp_path) == 1
    assert_array_equal(first.feature_names_in_, frame.columns)


def test_frozen_teacher_is_never_fit_with_memory(data, tmp_path):
    """A frozen teacher is read from the cache too, and never fit."""
    X, y = data
    frozen = FrozenEstimator(CountingTeacher().fit(X, y))
    CountingTeacher.n_fits = 0
    for temperature in (1.0, 3.0):
        DistilledClassifier(frozen, temperature=temperature, memory=str(tmp_path)).fit(
            X, y
        )
    assert CountingTeacher.n_fits == 0
    assert cache_entries(tmp_path) == 1


def test_regressor_memory(data, tmp_path):
    """DistilledRegressor: alpha changes reuse the teacher; another teacher refits."""
    X, _ = data
    y = X @ np.arange(1.0, X.shape[1] + 1)
    for alpha in (0.0, 0.5, 1.0):
        DistilledRegressor(CountingRegressor(), alpha=alpha, memory=str(tmp_path)).fit(
            X, y
        )
    assert CountingRegressor.n_fits == 1
    DistilledRegressor(CountingRegressor(alpha=3.0), memory=str(tmp_path)).fit(X, y)
    assert CountingRegressor.n_fits == 2
    cached = DistilledRegressor(CountingRegressor(), memory=str(tmp_path)).fit(X, y)
    plain = DistilledRegressor(CountingRegressor()).fit(X, y)
    assert_allclose(cached.predict(X), plain.predict(X))


def test_user_objects_are_not_modified(data, tmp_path):
    """The caller's X, y, weights and teacher are left as they were."""
    X, y = data
    X0, y0, w = X.copy(), y.copy(), np.linspace(0.5, 2.0, y.shape[0])
    w0, teacher = w.copy(), CountingTeacher()
    model = DistilledClassifier(teacher, memory=str(tmp_path))
    model.fit(X, y, sample_weight=w)
    model.fit(X, y, sample_weight=w)
    assert_array_equal(X, X0)
    assert_array_equal(y, y0)
    assert_array_equal(w, w0)
    assert not hasattr(teacher, "model_")


def test_invalid_memory_is_a_clear_error(data):
    """A memory that is neither a path nor Memory-like names the parameter."""
    X, y = data
    with pytest.raises(
        InvalidParameterError,
        match=re.escape("The 'memory' parameter of DistilledClassifier must be"),
    ):
        model(memory=3).fit(X, y)


def _module_function(source):
    """A function ``augment`` defined in a module ``user_code``, as by an import."""
    module = types.ModuleType("user_code")
    exec(compile(source, "user_code.py", "exec"), module.__dict__)
    return module.augment


_SHIFT = """
import numpy as np
def augment(X, n_samples, random_state):
    return X[random_state.randint(len(X), size=n_samples)] + {shift}
"""


def test_redefined_augment_function_is_not_served_stale(data, tmp_path):
    """A function redefined under the same module and name misses the cache.

    joblib keys a function by reference; the key covers its code, so the
    second fit matches an uncached fit of the new code.
    """
    X, y = data
    first = _module_function(_SHIFT.format(shift=0.0))
    second = _module_function(_SHIFT.format(shift=5.0))
    assert (first.__module__, first.__qualname__) == (
        second.__module__,
        second.__qualname__,
    )
    kwargs = dict(augment=second, random_state=0)
    model(augment=first, random_state=0, memory=str(tmp_path)).fit(X, y)
    cached = model(**kwargs, memory=str(tmp_path)).fit(X, y)
    assert CountingTeacher.n_fits == 2
    assert cache_entries(tmp_path) == 2
    assert_array_equal(
        cached.predict_proba(X), model(**kwargs).fit(X, y).predict_proba(X)
    )


def test_same_code_hits_the_cache(data, tmp_path):
    """Two definitions with the same code share the entry (the key is the code)."""
    X, y = data
    for _ in range(2):
        augment = _module_function(_SHIFT.format(shift=1.0))
        model(augment=augment, random_state=0, memory=str(tmp_path)).fit(X, y)
    assert CountingTeacher.n_fits == 1


def test_closure_values_are_part_of_the_key(data, tmp_path):
    """A lambda keyed by its code and the values it closes over."""
    X, y = data

    def make(scale):
        return lambda X, n, rs: X[rs.randint(len(X), size=n)] * scale

    for scale in (1.0, 2.0, 1.0):
        model(augment=make(scale), random_state=0, memory=str(tmp_path)).fit(X, y)
    assert CountingTeacher.n_fits == 2


def test_unkeyable_augment_is_refused_without_printing_the_data(data, tmp_path):
    """A closure over an unpicklable object: a TypeError naming augment, no data."""
    X, y = data
    lock = threading.Lock()

    def augment(X, n_samples, random_state):
        with lock:
            return X[:n_samples]

    with pytest.raises(
        TypeError, match="the augment cannot be part of the cache key"
    ) as info:
        model(augment=augment, memory=str(tmp_path)).fit(X, y)
    message = str(info.value)
    assert "memory=None" in message
    assert len(message) < 600
    assert f"{X[0, 0]:.4f}"[:6] not in message


def _entry(tmp_path):
    (path,) = Path(tmp_path).rglob("output.pkl")
    return path


def test_corrupt_entry_is_recomputed_with_a_warning(data, tmp_path):
    """An unreadable entry: a warning, a refit, and the same model as uncached."""
    X, y = data
    model(memory=str(tmp_path)).fit(X, y)
    _entry(tmp_path).write_bytes(b"not a pickle")
    with pytest.warns(UserWarning, match="could not be read"):
        again = model(memory=str(tmp_path)).fit(X, y)
    assert CountingTeacher.n_fits == 2
    assert_array_equal(again.predict_proba(X), model().fit(X, y).predict_proba(X))
    model(memory=str(tmp_path)).fit(X, y)  # stored again: a hit
    assert CountingTeacher.n_fits == 3


def test_entry_of_the_wrong_type_is_recomputed_with_a_warning(data, tmp_path):
    """A valid pickle of a dict in the entry: a warning and a refit, then hits."""
    X, y = data
    model(memory=str(tmp_path)).fit(X, y)
    joblib.dump({"teacher": None}, _entry(tmp_path))
    with pytest.warns(UserWarning, match="holds a dict, not what this fit stored"):
        again = model(memory=str(tmp_path)).fit(X, y)
    assert_array_equal(again.predict_proba(X), model().fit(X, y).predict_proba(X))
    n_fits = CountingTeacher.n_fits
    model(memory=str(tmp_path)).fit(X, y)
    assert CountingTeacher.n_fits == n_fits


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_uncreatable_location_falls_back_with_a_warning(data, tmp_path):
    """A cache directory under a read-only parent: a warning, an uncached fit."""
    X, y = data
    parent = tmp_path / "read-only"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        with pytest.warns(UserWarning, match="cannot be created"):
            model(memory=str(parent / "cache")).fit(X, y)
    finally:
        parent.chmod(0o700)


def test_location_under_a_file_falls_back_with_a_warning(data, tmp_path):
    """A cache path under a regular file cannot be a directory (even as root)."""
    X, y = data
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.warns(UserWarning, match="cannot be created"):
        fitted = model(memory=str(blocker / "cache")).fit(X, y)
    assert_array_equal(fitted.predict_proba(X), model().fit(X, y).predict_proba(X))


_DIGEST_SCRIPT = """
import sys, types
from skdistill._cache import code_digest
module = types.ModuleType("user_code")
exec('''
def augment(X, n_samples, random_state):
    if "name" in {"name", "other", "third", "fourth"}:
        return X[:n_samples]
''', module.__dict__)
print(code_digest(module.augment))
"""


def test_code_digest_is_the_same_in_every_process():
    """A set literal (a frozenset constant) does not make the key vary with the
    hash seed: two processes with different PYTHONHASHSEED agree."""
    digests = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run(
            [sys.executable, "-c", _DIGEST_SCRIPT],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_module_classes_used_by_a_function_are_keyed_by_their_code():
    """A helper class of the function's module, redefined: another key."""
    source = """
class Scale:
    def apply(self, X):
        return X * {factor}
def augment(X, n_samples, random_state):
    return Scale().apply(X[:n_samples])
"""
    first = _module_function(source.format(factor=1.0))
    second = _module_function(source.format(factor=2.0))
    assert code_digest(first) != code_digest(second)
    assert code_digest(first) == code_digest(
        _module_function(source.format(factor=1.0))
    )
