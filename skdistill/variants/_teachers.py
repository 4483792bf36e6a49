"""TeacherEnsemble: several teachers read as one, as the teacher of a distiller.

The members' outputs are averaged in one of two spaces:

- ``average="proba"``: the weighted mean of their probabilities,
  ``p = sum_m w_m p_m / sum_m w_m`` (:func:`average_probabilities`), which
  is what :class:`sklearn.ensemble.VotingClassifier` with ``voting="soft"``
  computes;
- ``average="logit"``: the weighted mean of their logits, then a softmax,
  ``p = softmax(sum_m w_m z_m / sum_m w_m)`` (:func:`average_logits`), a
  normalized weighted geometric mean of the probabilities when the logits
  are ``log p_m``.

Each member is read as a distiller reads a teacher
(:mod:`skdistill._teacher`): ``predict_proba`` if it has one, else
``decision_function``, its columns matched to the ensemble's classes by
label, every output checked.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from numpy.typing import ArrayLike, NDArray
from sklearn.base import ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.utils import Bunch
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _check_sample_weight,
    _num_samples,
    check_is_fitted,
)

from .._config import _WithConfig, get_config
from .._fit_params import accepts_sample_weight, fit_with_sample_weight
from .._teacher import (
    check_teacher_features,
    check_teacher_output,
    is_frozen,
    teacher_column_order,
    teacher_logits,
)
from .._threads import fit_threads, limit_threads, n_values
from .._validation import (
    set_members_input_tags,
    validate_fit_xy,
    validate_predict_x,
)
from ..soft_targets import logits_from_proba, softmax

AVERAGES = ("proba", "logit")

#: The value that leaves a member out (as in scikit-learn's ensembles).
DROP = "drop"


# -- the math -------------------------------------------------------------------
def average_probabilities(
    probas: ArrayLike, weights: ArrayLike | None = None
) -> NDArray[np.float64]:
    """The weighted mean of the members' probabilities.

    ``p = sum_m w_m p_m / sum_m w_m``, computed as
    :class:`sklearn.ensemble.VotingClassifier` with ``voting="soft"`` does
    (``numpy.average`` over the members), so that both give the same bits.

    Parameters
    ----------
    probas : array-like of shape (n_members, n_samples, n_classes)
    weights : array-like of shape (n_members,), default=None
        ``None``: equal weights.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
    """
    return np.average(np.asarray(probas, dtype=np.float64), axis=0, weights=weights)


def average_logits(
    logits: ArrayLike, weights: ArrayLike | None = None
) -> NDArray[np.float64]:
    """The weighted mean of the members' logits: ``z = sum_m w_m z_m / sum_m w_m``.

    Its softmax is the ensemble's probability. With logits ``z_m = log p_m``
    it is the normalized weighted geometric mean of the probabilities,
    ``prod_m p_m ** (w_m / W) / sum_k prod_m p_mk ** (w_m / W)`` with
    ``W = sum_m w_m``: a class is likely only where every member gives it
    weight (a member's probability of 0 vetoes the class).

    Parameters
    ----------
    logits : array-like of shape (n_members, n_samples, n_classes)
    weights : array-like of shape (n_members,), default=None
        ``None``: equal weights.

    Returns
    -------
    logits : ndarray of shape (n_samples, n_classes)
    """
    return np.average(np.asarray(logits, dtype=np.float64), axis=0, weights=weights)


# -- one member -----------------------------------------------------------------
def _output_method(member: Any) -> str:
    """The method a member is read by: ``predict_proba`` if it has one."""
    return "predict_proba" if hasattr(member, "predict_proba") else "decision_function"


def _member_probabilities(
    member: Any, X: Any, classes: NDArray[Any]
) -> NDArray[np.float64]:
    """A member's probabilities, columns in the order of ``classes``.

    ``predict_proba`` as it is (checked); a member without one gives the
    softmax of its ``decision_function`` logits.
    """
    order = teacher_column_order(member.classes_, classes)
    method = _output_method(member)
    if method == "decision_function":
        return softmax(teacher_logits(member, X, method, order))
    output = member.predict_proba(X)
    proba = check_teacher_output(
        member, method, output, _num_samples(X), len(member.classes_)
    )
    return proba[:, order]


def _member_logits(member: Any, X: Any, classes: NDArray[Any]) -> NDArray[np.float64]:
    """A member's logits (``log`` of ``predict_proba``, else ``decision_function``)."""
    order = teacher_column_order(member.classes_, classes)
    return teacher_logits(member, X, _output_method(member), order)


def _fit_member(
    member: Any,
    X: Any,
    y: NDArray[Any],
    fit_params: dict[str, Any],
    n_threads: int | None,
) -> Any:
    """Fit one (cloned) member with OpenMP limited to ``n_threads``.

    ``sample_weight`` among ``fit_params`` reaches a Pipeline's steps
    (:func:`~skdistill._fit_params.fit_with_sample_weight`).
    """
    params = dict(fit_params)
    sample_weight = params.pop("sample_weight", None)
    with limit_threads(n_threads, member):
        return fit_with_sample_weight(member, X, y, sample_weight, **params)


# -- the estimator ----------------------------------------------------------------
class TeacherEnsemble(ClassifierMixin, MetaEstimatorMixin, _BaseComposition):
    """Several teachers read as one, averaged in probability or logit space.

    A classifier made of named members (the teachers), meant as the
    ``teacher`` of a :class:`~skdistill.DistilledClassifier`: the student
    then learns from all of them at once. ``fit`` clones and fits each
    member on ``(X, y)``, except those wrapped in
    :class:`sklearn.frozen.FrozenEstimator`, which are prefit and used as
    they are, never refit. Each member is read as a distiller reads a
    teacher: ``predict_proba`` if it has one, else ``decision_function``
    (a binary one as the logits ``[0, d]``).

    ``average`` sets where the members meet, with weights ``w_m``
    (``W = sum_m w_m``):

    - ``"proba"``: ``p = sum_m w_m p_m / W``, the weighted mean of the
      probabilities. This is exactly
      ``VotingClassifier(estimators, voting="soft", weights=weights)``:
      the same probabilities, bit for bit, hence the same soft targets in a
      distiller. A member read by ``decision_function`` contributes
      ``softmax`` of its logits.
    - ``"logit"``: ``p = softmax(z)`` with ``z = sum_m w_m z_m / W``, the
      weighted mean of the logits (``z_m = log p_m``, or the member's
      decision function). For probabilistic members this is a normalized
      weighted geometric mean of their probabilities: sharper where the
      members agree, and a class that one member rules out (probability
      near 0) stays unlikely. It has no ``VotingClassifier`` equivalent.

    Every member must know the same classes (those of ``y``, for the
    members that are fit); a frozen member that knows others is an error.

    In a distiller with ``teacher_cv``, the ensemble is cloned for each
    fold: its unfrozen members are refit on the fold, the frozen ones are
    used as they are, so their outputs on the held-out rows are what they
    are (in-sample, if they were fit on these rows). With ``memory``, the
    cache key covers every member (a frozen one by its fitted state).

    Parameters
    ----------
    teachers : list of (str, estimator) tuples
        The members, by name. Each is a classifier with ``predict_proba``
        or ``decision_function``, or a ``FrozenEstimator`` of a fitted one,
        or ``"drop"`` to leave it out. Their parameters are reachable as
        ``<name>__<parameter>`` (``teacher__lgbm__n_estimators`` from a
        distiller); a member can be replaced or dropped by its name.
    weights : array-like of shape (n_teachers,), default=None
        Weight of each member (dropped ones included, as in
        ``VotingClassifier``); non-negative, not all zero among the members
        kept. ``None``: equal weights.
    average : {"proba", "logit"}, default="proba"
        Where the members' outputs are averaged, see above.
    n_jobs : int, default=None
        Members fitted in parallel (joblib). OpenMP threads are limited as
        in a distiller's fit, shared by the workers.
    verbose : int, default=0
        Progress of the members' fits (joblib's verbosity).

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted members, in order, without the dropped ones (a frozen
        member is the ``FrozenEstimator`` itself).
    named_estimators_ : :class:`~sklearn.utils.Bunch`
        The fitted members by name (``"drop"`` for a dropped one).
    classes_ : ndarray of shape (n_classes,)
        The classes, sorted: those of ``y``, or the frozen members' when
        every member is frozen.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    sklearn.ensemble.VotingClassifier : ``voting="soft"`` is
        ``average="proba"``; also a valid teacher.
    sklearn.ensemble.StackingClassifier : Learns how to combine its members
        (a meta-model on their out-of-fold outputs); also a valid teacher.
    skdistill.DistilledClassifier : The distiller this is a teacher of.

    References
    ----------
    G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a Neural
    Network", 2015 (an ensemble distilled into one model).

    S. You, C. Xu, C. Xu and D. Tao, "Learning from Multiple Teacher
    Networks", KDD 2017 (the teachers' outputs averaged).

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier, TeacherEnsemble
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> teachers = TeacherEnsemble(
    ...     [
    ...         ("lgbm", LGBMClassifier(n_estimators=50, verbose=-1, random_state=0)),
    ...         ("lr", make_pipeline(StandardScaler(), LogisticRegression())),
    ...     ],
    ...     average="logit",
    ... )
    >>> model = DistilledClassifier(
    ...     teacher=teachers,
    ...     student=DecisionTreeClassifier(max_depth=4, random_state=0),
    ... ).fit(X_train, y_train)
    >>> list(model.teacher_.named_estimators_)
    ['lgbm', 'lr']
    >>> bool(model.score(X_test, y_test) > 0.9)
    True
    """

    _parameter_constraints: dict = {
        "teachers": [list],
        "weights": ["array-like", None],
        "average": [StrOptions(set(AVERAGES))],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        teachers: list[tuple[str, Any]],
        *,
        weights: ArrayLike | None = None,
        average: str = "proba",
        n_jobs: int | None = None,
        verbose: int = 0,
    ) -> None:
        self.teachers = teachers
        self.weights = weights
        self.average = average
        self.n_jobs = n_jobs
        self.verbose = verbose

    # -- parameters -------------------------------------------------------------
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Get the parameters, the members' as ``<name>__<parameter>``.

        Parameters
        ----------
        deep : bool, default=True
            Also return the members (by name) and their parameters.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return self._get_params("teachers", deep=deep)

    def set_params(self, **params: Any) -> TeacherEnsemble:
        """Set the parameters: ``<name>`` replaces a member (or ``"drop"``),
        ``<name>__<parameter>`` sets one of its parameters.

        Parameters
        ----------
        **params : dict
            Parameters of this ensemble or of its members.

        Returns
        -------
        self : TeacherEnsemble
        """
        self._set_params("teachers", **params)
        return self

    # -- fitting ----------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> TeacherEnsemble:
        """Fit the members that are not frozen; check that all agree on the classes.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to the members (a DataFrame keeps
            its column names and dtypes).
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights. Without metadata routing they go to every member
            that is fit, whose ``fit`` must accept them; with routing
            enabled, to the members that requested them. Frozen members
            are not fit, so they get none.
        **fit_params : dict
            Further fit parameters, routed to the members by metadata
            routing (``sklearn.set_config(enable_metadata_routing=True)``).

        Returns
        -------
        self : TeacherEnsemble
            The fitted ensemble.
        """
        _raise_for_params(fit_params, self, "fit")
        names, members = self._check_teachers()
        self._member_weights()  # checked before any fit
        X, y = self._validate_fit_data(X, y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, ensure_non_negative=True
            )
        for member in members:
            if is_frozen(member):
                check_teacher_features(member, X)
        labels = np.unique(y)
        if labels.size < 2 and not all(is_frozen(m) for m in members):
            raise ValueError(
                f"y contains only one class ({labels.tolist()!r}); the teachers "
                "of a TeacherEnsemble that are fit need at least two classes in y."
            )
        routed = self._route_fit_params(names, members, sample_weight, fit_params)
        fitted = self._fit_members(names, members, X, y, routed)
        self.estimators_ = fitted
        self.named_estimators_ = Bunch()
        kept = iter(fitted)
        for name, member in self.teachers:
            self.named_estimators_[name] = DROP if _is_drop(member) else next(kept)
        self.classes_ = self._agreed_classes(names, fitted, labels)
        return self

    def _check_teachers(self) -> tuple[list[str], list[Any]]:
        """The names and members kept (not dropped), checked."""
        teachers = self.teachers
        if not teachers or not all(
            isinstance(t, (tuple, list)) and len(t) == 2 and isinstance(t[0], str)
            for t in teachers
        ):
            raise ValueError(
                "teachers must be a non-empty list of (name, estimator) tuples, "
                "for example [('lgbm', LGBMClassifier()), ('lr', "
                f"LogisticRegression())]; got {teachers!r}."
            )
        names = [name for name, _ in teachers]
        self._validate_names(names)
        self._check_estimators_are_instances(
            [m for _, m in teachers if not _is_drop(m)]
        )
        kept = [(name, m) for name, m in teachers if not _is_drop(m)]
        if not kept:
            raise ValueError(
                "Every teacher of the TeacherEnsemble is 'drop'; at least one "
                "must be a classifier."
            )
        for name, member in kept:
            kind = type(member).__name__
            if is_frozen(member):
                check_is_fitted(
                    member.estimator,
                    msg=(
                        f"The teacher {name!r} is wrapped in FrozenEstimator but "
                        "is not fitted. Fit it before freezing it, or pass it "
                        "unfrozen so that it is fit."
                    ),
                )
                kind = type(member.estimator).__name__
            elif not hasattr(member, "fit"):
                raise ValueError(
                    f"The teacher {name!r} ({kind}) has no fit method; each "
                    "teacher must be a classifier, a FrozenEstimator of a "
                    "fitted one, or 'drop'."
                )
            if not (
                hasattr(member, "predict_proba") or hasattr(member, "decision_function")
            ):
                raise ValueError(
                    f"The teacher {name!r} ({kind}) has neither predict_proba "
                    "nor decision_function, so it cannot give soft targets. Use "
                    "probabilistic classifiers as teachers (several regressors "
                    "are the teacher of a DistilledRegressor as a "
                    "VotingRegressor)."
                )
        return [name for name, _ in kept], [m for _, m in kept]

    def _member_weights(self) -> NDArray[np.float64] | None:
        """The weights of the members kept, checked; ``None`` for equal weights."""
        if self.weights is None:
            return None
        weights = np.asarray(self.weights, dtype=np.float64)
        if weights.ndim != 1 or weights.size != len(self.teachers):
            raise ValueError(
                f"weights has {weights.size} value(s) but there are "
                f"{len(self.teachers)} teachers; give one weight per teacher "
                "(the dropped ones included), or weights=None for equal weights."
            )
        if not np.isfinite(weights).all() or (weights < 0).any():
            raise ValueError(
                f"weights must be finite and non-negative; got {weights.tolist()}."
            )
        kept = np.array([not _is_drop(m) for _, m in self.teachers])
        if not weights[kept].sum() > 0:
            raise ValueError(
                "The weights of the teachers kept (not 'drop') are all 0; at "
                f"least one must be positive; got {weights.tolist()}."
            )
        return weights[kept]

    def _validate_fit_data(self, X: Any, y: Any) -> tuple[Any, NDArray[Any]]:
        """X as the members take it (a DataFrame kept as is), y as labels."""
        X, y = validate_fit_xy(self, X, y, array_checks=self._array_checks())
        check_classification_targets(y)
        return X, y

    def _array_checks(self) -> dict[str, Any]:
        """``validate_data``'s checks of an array X, from the members' tags."""
        tags = self.__sklearn_tags__().input_tags
        return {
            "accept_sparse": ["csr", "csc"] if tags.sparse else False,
            "dtype": None,
            "ensure_all_finite": "allow-nan" if tags.allow_nan else True,
        }

    def _route_fit_params(
        self,
        names: list[str],
        members: list[Any],
        sample_weight: NDArray[np.float64] | None,
        fit_params: dict[str, Any],
    ) -> dict[str, dict[str, Any]]:
        """Each member's fit parameters (frozen members get none)."""
        if _routing_enabled():
            if sample_weight is not None:
                fit_params = {**fit_params, "sample_weight": sample_weight}
            routed = process_routing(self, "fit", **fit_params)
            return {
                name: {} if is_frozen(member) else dict(routed[name].fit)
                for name, member in zip(names, members, strict=True)
            }
        params: dict[str, dict[str, Any]] = {name: {} for name in names}
        if sample_weight is None:
            return params
        for name, member in zip(names, members, strict=True):
            if is_frozen(member):
                continue
            if not accepts_sample_weight(member):
                raise ValueError(
                    f"sample_weight was given but the teacher {name!r} "
                    f"({type(member).__name__}) does not accept sample_weight in "
                    "fit; drop sample_weight, use a teacher that supports it, or "
                    "enable metadata routing and request sample_weight from the "
                    "teachers that take it."
                )
            params[name]["sample_weight"] = sample_weight
        return params

    def _fit_members(
        self,
        names: list[str],
        members: list[Any],
        X: Any,
        y: NDArray[Any],
        routed: dict[str, dict[str, Any]],
    ) -> list[Any]:
        """The fitted members, in order: clones fit in parallel, frozen ones as is."""
        to_fit = [i for i, m in enumerate(members) if not is_frozen(m)]
        fitted = list(members)
        if not to_fit:
            return fitted
        n_workers = min(effective_n_jobs(self.n_jobs), len(to_fit))
        n_threads = fit_threads(n_values(X), n_workers)
        fit_member = _WithConfig(_fit_member, get_config())
        results = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
            delayed(fit_member)(clone(members[i]), X, y, routed[names[i]], n_threads)
            for i in to_fit
        )
        for i, member in zip(to_fit, results, strict=True):
            fitted[i] = member
        return fitted

    def _agreed_classes(
        self, names: list[str], fitted: list[Any], labels: NDArray[Any]
    ) -> NDArray[Any]:
        """The classes every member knows: those of y, or the frozen members'."""
        known = []
        for name, member in zip(names, fitted, strict=True):
            classes = getattr(member, "classes_", None)
            if classes is None:
                raise ValueError(
                    f"The teacher {name!r} ({type(member).__name__}) has no "
                    "classes_ once fitted; each teacher must be a classifier."
                )
            known.append(np.unique(np.asarray(classes)))
        all_frozen = all(is_frozen(m) for m in fitted)
        reference = known[0] if all_frozen else labels
        for name, member, classes in zip(names, fitted, known, strict=True):
            if not np.array_equal(classes, reference):
                source = (
                    f"the teacher {names[0]!r}"
                    if all_frozen
                    else "the teachers fit on y (the labels of y)"
                )
                raise ValueError(
                    f"The teachers of the TeacherEnsemble disagree on the classes: "
                    f"{'the frozen' if is_frozen(member) else 'the'} teacher "
                    f"{name!r} knows {classes.tolist()}, {source} "
                    f"{reference.tolist()}. Every teacher must know the same "
                    "classes: fit the frozen teachers on the classes of y, or "
                    "pass them unfrozen so that they are fit. (Within a "
                    "distiller's teacher_cv, a fold whose training part lacks "
                    "a class causes this: use fewer folds.)"
                )
        if all_frozen:
            teacher_column_order(reference, labels)  # y's classes known?
        return reference

    # -- routing ------------------------------------------------------------------
    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this object.

        ``fit`` routes its metadata (``sample_weight`` and any other fit
        parameter) to the ``fit`` of each member that is not frozen, for
        those that requested it.

        Returns
        -------
        routing : MetadataRouter
            The routing information.
        """
        router = MetadataRouter(owner=self)
        for name, member in self.teachers:
            if not _is_drop(member) and not is_frozen(member):
                router.add(
                    **{name: member},
                    method_mapping=MethodMapping().add(caller="fit", callee="fit"),
                )
        return router

    # -- prediction ---------------------------------------------------------------
    def _check_predict_input(self, X: Any) -> Any:
        check_is_fitted(self)
        return validate_predict_x(self, X, **self._array_checks())

    def _averaged_logits(self, X: Any) -> NDArray[np.float64]:
        """Logits whose softmax is :meth:`predict_proba` (X already checked)."""
        if self.average == "logit":
            logits = [_member_logits(m, X, self.classes_) for m in self.estimators_]
            return average_logits(logits, self._member_weights())
        return logits_from_proba(self._averaged_probabilities(X))

    def _averaged_probabilities(self, X: Any) -> NDArray[np.float64]:
        """The ensemble's probabilities (X already checked)."""
        if self.average == "logit":
            return softmax(self._averaged_logits(X))
        probas = [_member_probabilities(m, X, self.classes_) for m in self.estimators_]
        return average_probabilities(probas, self._member_weights())

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """The members' probabilities, averaged as ``average`` says.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            One column per class of ``classes_``; rows sum to 1.
        """
        return self._averaged_probabilities(self._check_predict_input(X))

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The most probable class of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """The ensemble's logits: their softmax is :meth:`predict_proba`.

        With ``average="logit"``, the weighted mean of the members' logits;
        with ``average="proba"``, the log of the averaged probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            With two classes, the log-odds of the second (``z_1 - z_0``), as
            scikit-learn's binary classifiers give.
        """
        logits = self._averaged_logits(self._check_predict_input(X))
        if logits.shape[1] == 2:
            return logits[:, 1] - logits[:, 0]
        return logits

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            members = [m for _, m in self.teachers if not _is_drop(m)]
        except (TypeError, ValueError):  # malformed teachers: fit says so
            members = []
        if not members:
            tags.input_tags.allow_nan = tags.input_tags.sparse = False
            return tags
        return set_members_input_tags(tags, members)


def _is_drop(member: Any) -> bool:
    return isinstance(member, str) and member == DROP
