"""The default ladder, the students' names and checks, and the footprint."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier
from sklearn.datasets import load_iris
from sklearn.linear_model import Lasso, LogisticRegression, Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill.compress import default_ladder
from skdistill.compress._footprint import FOOTPRINT_KEYS, footprint, n_parameters
from skdistill.compress._ladder import check_students, student_name


def _final(student):
    return student.steps[-1][1] if isinstance(student, Pipeline) else student


def test_default_ladder_classification():
    """Seven ladders from the cheapest up: 3 L1, 1 L2, 12 trees, 4 x 7 LightGBM."""
    X = np.random.RandomState(0).randn(2000, 4)
    ladders = default_ladder(X, random_state=7)
    assert {k: len(v) for k, v in ladders.items()} == {
        "linear_l1": 3,
        "linear": 1,
        "tree": 12,
        "lgbm_4_leaves": 7,
        "lgbm_8_leaves": 7,
        "lgbm_16_leaves": 7,
        "lgbm_32_leaves": 7,
    }
    l1 = [_final(s) for _, s in ladders["linear_l1"]]
    assert [m.C for m in l1] == [5 / 2000, 25 / 2000, 125 / 2000]  # C = k / rows
    assert all(m.l1_ratio == 1.0 for m in l1)
    # linear models are standardized; a numeric table needs nothing else
    assert all(isinstance(s, Pipeline) for _, s in ladders["linear"])
    trees = [s for _, s in ladders["tree"]]
    assert [t.max_depth for t in trees] == list(range(1, 13))
    assert all(t.random_state == 7 for t in trees)
    lgbm = [s for _, s in ladders["lgbm_8_leaves"]]
    assert [m.n_estimators for m in lgbm] == [2, 4, 8, 16, 32, 64, 128]
    assert {m.num_leaves for m in lgbm} == {8}


def test_default_ladder_regression_scales_lasso_by_the_target():
    """alpha = share * std(y): the same sparsity whatever y's unit."""
    X = np.random.RandomState(0).randn(100, 3)
    y = np.arange(100.0)
    ladders = default_ladder(X, y, task="regression")
    alphas = [_final(s).alpha for _, s in ladders["linear_l1"]]
    assert alphas == pytest.approx([s * np.std(y) for s in (0.1, 0.01, 0.001)])
    assert isinstance(_final(ladders["linear"][0][1]), Ridge)
    assert isinstance(ladders["tree"][0][1], DecisionTreeRegressor)
    assert all(isinstance(_final(s), Lasso) for _, s in ladders["linear_l1"])


def test_default_ladder_prepares_a_table():
    """Text and missing values: each student behind the encoding it needs."""
    X = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0], "b": ["x", "y", None, "x"]})
    ladders = default_ladder(X)
    for students in ladders.values():
        for _, student in students:
            assert isinstance(student, Pipeline)
            assert student.steps[0][1].steps[0][0] == "schema"
    y = np.array([0, 1, 0, 1])
    tree = ladders["tree"][1][1].fit(X, y)
    assert tree.predict(X).shape == (4,)


def test_default_ladder_task():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "task must be 'classification' or 'regression'; got 'ranking'."
        ),
    ):
        default_ladder(task="ranking")


def test_student_name_of_a_meta_estimator():
    """Estimators whose constructor needs an argument are named too."""
    from sklearn.multioutput import MultiOutputRegressor

    assert student_name(MultiOutputRegressor(Ridge(), n_jobs=2)) == (
        "MultiOutputRegressor[estimator=Ridge()]"  # n_jobs: not a size
    )


def test_default_ladder_on_a_sparse_matrix():
    """A sparse X: trees and LightGBM as they are, linear models scaled
    without centring."""
    import scipy.sparse as sp

    X = sp.random(50, 6, density=0.3, format="csr", random_state=0)
    ladders = default_ladder(X)
    assert ladders["tree"][0][1].max_depth == 1
    assert ladders["linear"][0][1].steps[0][1].with_mean is False


def test_student_name():
    assert student_name(DecisionTreeClassifier(max_depth=3, random_state=0)) == (
        "DecisionTreeClassifier[max_depth=3]"
    )
    assert student_name(make_pipeline(StandardScaler(), LogisticRegression())) == (
        "LogisticRegression[]"
    )


@pytest.mark.parametrize(
    "students, message",
    [
        ([], "students is empty: give at least one student to try."),
        ("tree", "students must be None (the default ladder), a list of students"),
        ({"a": "tree"}, "The ladder 'a' of students must be a list of estimators"),
        (
            [("a", 1)],
            "Each student of the ladder 'students' must be an estimator instance "
            "(with fit and predict, such as DecisionTreeClassifier(max_depth=3)) or "
            "a (name, estimator) pair; got ('a', 1).",
        ),
        (["tree"], "must be an estimator instance"),
        ([DecisionTreeClassifier], "must be an estimator instance"),
        ([("a", DecisionTreeClassifier(), 3)], "must be an estimator instance"),
        (
            [DecisionTreeClassifier(), DecisionTreeClassifier()],
            "Students must have distinct names; ['DecisionTreeClassifier[]'] appear "
            "several times. Name them with (name, estimator) pairs.",
        ),
    ],
)
def test_check_students_errors(students, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        check_students(students, None, None, classifier=True, random_state=0)


def test_regression_takes_no_classifier():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "The student 'DecisionTreeClassifier[]' is a classifier, but a "
            "regression search needs regressors."
        ),
    ):
        check_students(
            [DecisionTreeClassifier()], None, None, classifier=False, random_state=0
        )


def test_check_students_orders_ladders_and_clones():
    """A dict's ladders in order, each student a clone (the user's untouched)."""
    tree = DecisionTreeClassifier(max_depth=2)
    candidates = check_students(
        {"small": [("t", tree)], "big": [LGBMClassifier(n_estimators=3)]},
        None,
        None,
        classifier=True,
        random_state=0,
    )
    assert [(c.ladder, c.name) for c in candidates] == [
        ("small", "t"),
        ("big", "LGBMClassifier[n_estimators=3]"),
    ]
    assert candidates[0].student is not tree


def test_n_parameters():
    """Nodes of trees, non-zero coefficients and intercepts of linear models."""
    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    assert n_parameters(tree) == tree.tree_.node_count
    sparse = LogisticRegression(C=0.05, l1_ratio=1.0, solver="saga", max_iter=2000)
    sparse.fit(X, y)
    assert n_parameters(make_pipeline(StandardScaler(), sparse)) == (
        np.count_nonzero(sparse.coef_) + 3
    )
    assert np.count_nonzero(sparse.coef_) < sparse.coef_.size
    lgbm = LGBMClassifier(n_estimators=3, num_leaves=4, verbose=-1).fit(X, y)
    leaves = [t["num_leaves"] for t in lgbm.booster_.dump_model()["tree_info"]]
    assert len(leaves) == 9  # 3 rounds x 3 classes
    assert n_parameters(lgbm) == sum(2 * n - 1 for n in leaves)
    assert np.isnan(n_parameters(StandardScaler().fit(X)))


def test_footprint():
    """Pickled size, parameters, and (untimed with n_repeats=0) NaN times."""
    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    figures = footprint(tree, X, onnx=False, n_repeats=0)
    assert list(figures) == list(FOOTPRINT_KEYS)
    assert figures["size_bytes"] == len(pickle.dumps(tree, protocol=5))
    assert figures["n_parameters"] == 5
    assert np.isnan(figures["onnx_size_bytes"])
    assert np.isnan(figures["predict_time_1row"])
    timed = footprint(tree, X, onnx=False, n_repeats=1)
    assert 0 < timed["predict_time_per_row"] < timed["predict_time_1row"] < 1


def test_footprint_onnx():
    """With the export extra: the size of the ONNX file of the student."""
    pytest.importorskip("onnxruntime")
    from skdistill.export import to_onnx

    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    figures = footprint(tree, X, onnx=True, n_repeats=0)
    expected = len(to_onnx(tree, X[:10]).SerializeToString())
    assert figures["onnx_size_bytes"] == expected
    assert np.isnan(figures["onnx_predict_time_1row"])
