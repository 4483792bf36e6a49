"""The global settings, and the memory guard they set (memory_limit)."""

import re

import numpy as np
import pytest
from _helpers import CountingTeacher
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from skdistill import (
    DistilledClassifier,
    DistilledClassifierCV,
    MemoryLimitError,
    config_context,
    get_config,
    set_config,
)
from skdistill._config import (
    _cgroup_available,
    _local,
    available_memory,
    memory_limit,
)
from skdistill.augment import RandomPerturbation

pytestmark = pytest.mark.usefixtures("fresh_counts")


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(300, 100, n_informative=5, n_classes=3, random_state=0)
    return X, y


@pytest.mark.parametrize(
    "value, expected",
    [
        (1000, 1000),
        (2e9, 2 * 10**9),
        ("2.5e+9", 25 * 10**8),
        ("32GiB", 32 * 2**30),
        ("500MB", 500 * 10**6),
        ("2e9", 2 * 10**9),
        (" 1.5 KiB ", 1536),
        ("none", "none"),
        ("AUTO", "auto"),
    ],
)
def test_memory_limit_values(value, expected):
    """Bytes, sizes with units, 'auto' and 'none'; restored by config_context."""
    before = get_config()["memory_limit"]
    with config_context(memory_limit=value):
        assert get_config()["memory_limit"] == expected
    assert get_config()["memory_limit"] == before


@pytest.mark.parametrize("value", [0, -5, 0.5, "0.5", "lots", "12 parsecs", "inf"])
def test_bad_memory_limit_is_an_error(value):
    """A value that is not a size names the setting and the accepted forms."""
    with pytest.raises(ValueError, match=re.escape("memory_limit must be at least 1")):
        set_config(memory_limit=value)


@pytest.mark.parametrize("value", [True, [1], b"1GB"])
def test_memory_limit_of_the_wrong_type_is_a_type_error(value):
    """A bool, a list or bytes: a TypeError naming the setting."""
    with pytest.raises(TypeError, match=re.escape("memory_limit must be a number")):
        set_config(memory_limit=value)


def test_environment_variable_sets_the_starting_value(monkeypatch):
    """SKDISTILL_MEMORY_LIMIT is read when a thread first needs the settings."""
    monkeypatch.setenv("SKDISTILL_MEMORY_LIMIT", "2GiB")
    monkeypatch.delattr(_local, "config", raising=False)
    assert get_config()["memory_limit"] == 2 * 2**30
    monkeypatch.delattr(_local, "config")


def test_auto_limit_is_most_of_the_available_memory(monkeypatch):
    """'auto' is 80% of the memory available at the check; unknown: no limit."""
    monkeypatch.setattr("skdistill._config.available_memory", lambda: 10 * 2**30)
    with config_context(memory_limit="auto"):
        assert memory_limit() == 8 * 2**30
    monkeypatch.setattr("skdistill._config.available_memory", lambda: None)
    with config_context(memory_limit="auto"):
        assert memory_limit() is None


def test_huge_augment_size_is_refused_before_the_teacher_fit(data):
    """augment at 1e8 times 300 rows: a MemoryLimitError naming augment, no fit."""
    X, y = data
    model = DistilledClassifier(
        CountingTeacher(), LogisticRegression(), augment=RandomPerturbation(size=1e8)
    )
    with pytest.raises(MemoryLimitError, match="Lower the augmenter's size") as info:
        model.fit(X, y)
    assert isinstance(info.value, MemoryError) and isinstance(info.value, ValueError)
    assert "30,000,000,000 of them synthetic" in str(info.value)
    assert CountingTeacher.n_fits == 0


def test_search_augment_sizes_are_checked_before_the_teacher_fit(data):
    """DistilledClassifierCV(augment_sizes=[1e8]): refused before any fit."""
    X, y = data
    search = DistilledClassifierCV(
        CountingTeacher(),
        LogisticRegression(),
        augment="perturb",
        augment_sizes=[0.0, 1e8],
        cv=2,
    )
    with pytest.raises(MemoryLimitError, match="augment_sizes in a search"):
        search.fit(X, y)
    assert CountingTeacher.n_fits == 0


def test_augmenter_generate_is_guarded():
    """An augmenter alone refuses before drawing; a raised limit lets it run."""
    X = np.zeros((100, 10))
    with config_context(memory_limit="10KiB"):
        with pytest.raises(MemoryLimitError, match=re.escape("Lower size (now 2")):
            RandomPerturbation(size=2.0, random_state=0).generate(X)
    with config_context(memory_limit="1MiB"):
        assert RandomPerturbation(size=2.0, random_state=0).generate(X).shape == (
            200,
            10,
        )


def test_weighted_expansion_is_guarded(data):
    """The weighted strategy's n x K rows: refused with the parameters to change.

    The limit lets the transfer set through (300 rows x 3 outputs) but not
    the expansion (up to 900 rows of 100 float features, 720 KB).
    """
    X, y = data
    model = DistilledClassifier(
        LogisticRegression(),
        DecisionTreeClassifier(max_depth=3, random_state=0),
        fit_strategy="weighted",
        temperature=4.0,
        alpha=0.5,
    )
    with config_context(memory_limit="200KB"):
        with pytest.raises(MemoryLimitError, match="Raise weight_threshold"):
            model.fit(X, y)
    with config_context(memory_limit="none"):
        model.fit(X, y)


def test_available_memory_is_the_smaller_of_the_machine_and_the_container(
    monkeypatch,
):
    """A container's cgroup room below MemAvailable wins; no cgroup limit: ignored."""
    monkeypatch.setattr("skdistill._config._meminfo_available", lambda: 64 * 2**30)
    monkeypatch.setattr("skdistill._config._cgroup_available", lambda: 2 * 2**30)
    assert available_memory() == 2 * 2**30
    monkeypatch.setattr("skdistill._config._cgroup_available", lambda: None)
    assert available_memory() == 64 * 2**30


def test_cgroup_files_are_read(monkeypatch, tmp_path):
    """cgroup v2's memory.max less memory.current; 'max' means no limit."""
    limit, usage = tmp_path / "memory.max", tmp_path / "memory.current"
    monkeypatch.setattr("skdistill._config._CGROUP_FILES", ((str(limit), str(usage)),))
    limit.write_text("4294967296\n")
    usage.write_text("1073741824\n")
    assert _cgroup_available() == 3 * 2**30
    limit.write_text("max\n")
    assert _cgroup_available() is None


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_settings_reach_parallel_workers(data, n_jobs, monkeypatch):
    """set_config in the caller holds in the folds run by joblib workers.

    The workers start from SKDISTILL_MEMORY_LIMIT=1KiB (a limit every fold
    would break); the caller's 'none' is carried to them.
    """
    monkeypatch.setenv("SKDISTILL_MEMORY_LIMIT", "1KiB")
    X, y = data
    search = DistilledClassifierCV(
        LogisticRegression(max_iter=200),
        LogisticRegression(max_iter=200),
        temperatures=[2.0],
        alphas=[0.5],
        teacher_cv=2,
        cv=2,
        n_jobs=n_jobs,
    )
    with config_context(memory_limit="none"):
        search.fit(X[:, :5], y)
    with config_context(memory_limit="1KiB"):
        with pytest.raises(MemoryLimitError):
            search.fit(X[:, :5], y)
