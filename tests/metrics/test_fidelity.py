"""Tests of the fidelity metrics and the fidelity scorer."""

import re

import numpy as np
import pytest
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.datasets import load_iris, make_regression
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import make_scorer, r2_score
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.metrics import (
    fidelity_score,
    make_fidelity_scorer,
    teacher_divergence,
    teacher_r2_score,
)
from skdistill.metrics._outputs import teacher_proba


def _teacher(**kw):
    return LGBMClassifier(n_estimators=15, verbose=-1, n_jobs=1, **kw)


@pytest.fixture(scope="module")
def iris_model():
    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    model = DistilledClassifier(
        _teacher(), DecisionTreeClassifier(max_depth=2, random_state=0)
    ).fit(X, labels)
    return model, X, labels


def test_fidelity_score_counts_agreement_with_weights():
    """Agreement is the (weighted) share of equal labels."""
    assert fidelity_score([1, 2, 3, 4], [1, 2, 0, 0]) == 0.5
    assert fidelity_score([1, 2, 3, 4], [1, 2, 0, 0], sample_weight=[3, 1, 0, 0]) == 1
    assert fidelity_score(["a", "b"], ["b", "a"]) == 0.0


def test_fidelity_score_errors():
    """Probabilities, mismatched lengths and empty input are refused."""
    with pytest.raises(ValueError, match=re.escape("must be 1D; got shapes (2, 2)")):
        fidelity_score([[0.5, 0.5], [1, 0]], [0, 1])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        fidelity_score([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match=re.escape("needs at least one row; got 0")):
        fidelity_score([], [])
    with pytest.raises(
        ValueError, match=re.escape("y_teacher and y_student hold labels of different")
    ):
        fidelity_score([1, 0], ["1", "0"])
    with pytest.raises(ValueError, match="Negative values in data passed to"):
        fidelity_score([1, 0], [1, 0], sample_weight=[1, -1])


def _kl(p, q):
    p, q = np.asarray(p), np.asarray(q)
    return np.mean(np.sum(p * np.log(p / q), axis=1))


def test_teacher_divergence_matches_formulas():
    """KL and JS equal their textbook formulas, at T=1 and after softening."""
    rng = np.random.default_rng(0)
    t = rng.dirichlet(np.ones(4), size=50)
    s = rng.dirichlet(np.ones(4), size=50)
    assert teacher_divergence(t, s) == pytest.approx(_kl(t, s))
    m = (t + s) / 2
    js = 0.5 * _kl(t, m) + 0.5 * _kl(s, m)
    assert teacher_divergence(t, s, kind="js") == pytest.approx(js)
    T = 3.0
    soft = lambda p: p ** (1 / T) / np.sum(p ** (1 / T), axis=1, keepdims=True)  # noqa: E731
    assert teacher_divergence(t, s, temperature=T) == pytest.approx(
        _kl(soft(t), soft(s))
    )
    # softening brings distributions closer; identical ones have divergence 0
    assert teacher_divergence(t, s, temperature=T) < teacher_divergence(t, s)
    assert teacher_divergence(t, t) == pytest.approx(0.0, abs=1e-12)
    assert teacher_divergence(t, s, kind="js") <= np.log(2)


def test_teacher_divergence_binary_1d_and_zeros():
    """1D input is the positive-class probability; zeros stay finite."""
    t, s = np.array([0.9, 0.2]), np.array([0.8, 0.3])
    both = teacher_divergence(np.c_[1 - t, t], np.c_[1 - s, s])
    assert teacher_divergence(t, s) == pytest.approx(both)
    value = teacher_divergence([[0.5, 0.5]], [[1.0, 0.0]])
    # clipped at eps like log_loss: 0.5 * log(0.5 / eps) + 0.5 * log(0.5 / 1)
    eps = np.finfo(float).eps
    assert value == pytest.approx(0.5 * np.log(0.5 / eps) + 0.5 * np.log(0.5))


def test_teacher_divergence_weights():
    """Row weights weight the per-row divergences."""
    t = [[0.5, 0.5], [0.9, 0.1]]
    s = [[0.5, 0.5], [0.1, 0.9]]
    assert teacher_divergence(t, s, sample_weight=[1, 0]) == pytest.approx(0.0)
    assert teacher_divergence(t, s, sample_weight=[0, 1]) == pytest.approx(
        _kl([[0.9, 0.1]], [[0.1, 0.9]])
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"teacher_proba": [[0.5, 0.5]], "student_proba": [[0.2, 0.3, 0.5]]},
            ValueError,
            "must have the same shape (the same rows and classes); got (1, 2) and "
            "(1, 3)",
        ),
        (
            {"teacher_proba": [[2.0, -1.0]], "student_proba": [[0.5, 0.5]]},
            ValueError,
            "teacher_proba must hold finite, non-negative probabilities",
        ),
        (
            {"teacher_proba": [[0.2, 0.2]], "student_proba": [[0.5, 0.5]]},
            ValueError,
            "The rows of teacher_proba must sum to 1",
        ),
        (
            {"teacher_proba": [[[0.5]]], "student_proba": [[0.5, 0.5]]},
            ValueError,
            "teacher_proba must hold class probabilities of shape",
        ),
        (
            {"teacher_proba": [[1.0, 0]], "student_proba": [[1.0, 0]], "kind": "x"},
            ValueError,
            "The 'kind' parameter of teacher_divergence must be a str among",
        ),
        (
            {
                "teacher_proba": [[1.0, 0]],
                "student_proba": [[1.0, 0]],
                "temperature": 0,
            },
            ValueError,
            "The 'temperature' parameter of teacher_divergence must be a float",
        ),
    ],
)
def test_teacher_divergence_errors(kwargs, error, message):
    """Bad probabilities and parameters get a message naming them."""
    with pytest.raises(error, match=re.escape(message)):
        teacher_divergence(**kwargs)


def test_teacher_r2_score_is_r2_against_teacher():
    """R² against the teacher equals r2_score with the teacher as truth."""
    rng = np.random.default_rng(0)
    t, s = rng.normal(size=(30, 2)), rng.normal(size=(30, 2))
    assert teacher_r2_score(t, s) == pytest.approx(r2_score(t, s))
    np.testing.assert_allclose(
        teacher_r2_score(t, s, multioutput="raw_values"),
        r2_score(t, s, multioutput="raw_values"),
    )


def test_make_scorer_accepts_the_functions():
    """The score functions plug into make_scorer with teacher outputs as y."""
    X, y = load_iris(return_X_y=True)
    teacher = _teacher().fit(X, y)
    scores = cross_val_score(
        LogisticRegression(max_iter=500),
        X,
        teacher.predict(X),
        scoring=make_scorer(fidelity_score),
        cv=3,
    )
    assert np.all((scores > 0.5) & (scores <= 1))


def test_fidelity_scorer_reads_the_teacher(iris_model):
    """The scorer compares the student with the distiller's own teacher."""
    model, X, y = iris_model
    teacher_labels = model.classes_[teacher_proba(model, X).argmax(axis=1)]
    expected = np.mean(model.predict(X) == teacher_labels)
    assert make_fidelity_scorer()(model, X, y) == pytest.approx(expected)
    assert make_fidelity_scorer()(model, X) == pytest.approx(expected)
    kl = teacher_divergence(teacher_proba(model, X), model.predict_proba(X))
    assert make_fidelity_scorer("kl")(model, X, y) == pytest.approx(-kl)
    js4 = teacher_divergence(
        teacher_proba(model, X), model.predict_proba(X), kind="js", temperature=4
    )
    scorer = make_fidelity_scorer("js", temperature=4)
    assert scorer(model, X, y) == pytest.approx(-js4)
    assert repr(scorer) == "make_fidelity_scorer(kind='js', temperature=4.0)"


def test_fidelity_scorer_selects_in_grid_search():
    """GridSearchCV can select on fidelity, also through a Pipeline."""
    X, y = load_iris(return_X_y=True)
    model = make_pipeline(
        StandardScaler(),
        DistilledClassifier(
            _teacher(), DecisionTreeClassifier(max_depth=1, random_state=0)
        ),
    )
    search = GridSearchCV(
        model,
        {"distilledclassifier__student__max_depth": [1, 4]},
        scoring={"fidelity": make_fidelity_scorer(), "acc": "accuracy"},
        refit="fidelity",
        cv=3,
    ).fit(X, y)
    # a depth-1 tree can follow a 3-class teacher on at most 2 classes
    assert search.best_params_["distilledclassifier__student__max_depth"] == 4
    assert search.cv_results_["mean_test_fidelity"][0] < 0.7
    assert search.cv_results_["mean_test_fidelity"][1] > 0.85


def test_fidelity_scorer_for_regressors():
    """kind='r2' scores a distilled regressor against its teacher."""
    X, y = make_regression(200, 5, noise=5, random_state=0)
    model = DistilledRegressor(
        LGBMRegressor(n_estimators=20, verbose=-1, n_jobs=1), Ridge()
    ).fit(X, y)
    expected = r2_score(model.teacher_.predict(X), model.predict(X))
    assert make_fidelity_scorer("r2")(model, X, y) == pytest.approx(expected)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "make_fidelity_scorer(kind='agreement') scores a distilled classifier, "
            "but got DistilledRegressor."
        ),
    ):
        make_fidelity_scorer()(model, X, y)


def test_fidelity_scorer_errors(iris_model):
    """Wrong kinds of estimator are named in the error."""
    model, X, y = iris_model
    with pytest.raises(
        ValueError,
        match=re.escape("make_fidelity_scorer(kind='r2') scores a distilled regressor"),
    ):
        make_fidelity_scorer("r2")(model, X, y)
    plain = LogisticRegression(max_iter=500).fit(X, y)
    with pytest.raises(
        TypeError,
        match=re.escape(
            "estimator must be a fitted DistilledClassifier or DistilledRegressor "
            "(or a Pipeline ending in one); got LogisticRegression"
        ),
    ):
        make_fidelity_scorer()(plain, X, y)
    with pytest.raises(ValueError, match="The 'kind' parameter of make_fidelity"):
        make_fidelity_scorer("accuracy")
