"""MutualDistillationClassifier: a cohort of models that teach each other.

Deep Mutual Learning (Zhang et al., 2018) trains a cohort of networks
together, each on the labels and on its peers' predictions. Here the
members are fit/predict estimators, so the cohort learns round after round
(:func:`run_rounds`):

- round 0: every member is fit on the labels alone, once per fold of ``cv``,
  and read on the fold it did not see: its out-of-fold probabilities;
- round ``r = 1 .. n_rounds``: every member's soft targets are its peers'
  out-of-fold probabilities of round ``r - 1``, each softened at the
  member's temperature and averaged (:func:`peer_targets`); the member is
  fit on them, blended with the labels by ``alpha``, through its fit
  strategy (:func:`~skdistill.students._strategies.fit_with_strategy`), once
  per fold again, which gives its out-of-fold probabilities of round ``r``;
- finally every member is fit on all rows with the targets of the last
  round (the labels alone when ``n_rounds=0``).

A member's fit on all rows at an earlier round would teach no one (only
out-of-fold outputs do), so it is not made.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
from joblib import Parallel, effective_n_jobs
from numpy.typing import ArrayLike, NDArray
from sklearn.base import (
    ClassifierMixin,
    MetaEstimatorMixin,
    _fit_context,
    clone,
    is_classifier,
)
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import check_cv
from sklearn.utils import Bunch, _safe_indexing
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
)

from .._config import delayed
from .._fit_params import _index_params, accepts_sample_weight, fit_with_sample_weight
from .._teacher import LogitOutput, teacher_column_order
from .._threads import fit_threads, limit_threads, n_values
from .._validation import (
    _allows_nan,
    _has_nan,
    set_members_input_tags,
    validate_fit_xy,
    validate_predict_x,
)
from ..metrics._footprint import serialized_size
from ..soft_targets import softmax
from ..students._strategies import (
    FIT_STRATEGIES,
    default_temperature,
    fit_with_strategy,
    resolve_student,
)

#: The values of ``predict_with`` that are not a member's name.
PREDICT_WITH_OPTIONS = ("smallest", "average")


@dataclass
class Member:
    """A member of the cohort, resolved before any fit.

    Attributes
    ----------
    name : str
    estimator : estimator
        An unfitted clone of the user's member: fit on the labels alone.
    strategy : str
        Its fit strategy on soft targets (``"native"``, ``"weighted"``...).
    student : estimator
        What the strategy fits (the member, or its native stand-in).
    temperature : float
        The temperature of its soft targets.
    weight : float
        Its weight in its peers' soft targets and in the cohort's average.
    """

    name: str
    estimator: Any
    strategy: str
    student: Any
    temperature: float
    weight: float


@dataclass
class CohortData:
    """The training rows and what every fit of the cohort shares.

    Attributes
    ----------
    X : {ndarray, sparse matrix, DataFrame}
    y : ndarray of int
        Labels encoded as indices into ``classes``.
    classes : ndarray
    sample_weight : dict of str to (ndarray or None)
        Each member's sample weights (routed to it).
    fit_params : dict of str to dict
        Each member's further fit parameters.
    alpha, weight_threshold : float
    """

    X: Any
    y: NDArray[np.intp]
    classes: NDArray[Any]
    sample_weight: dict[str, NDArray[np.float64] | None]
    fit_params: dict[str, dict[str, Any]]
    alpha: float
    weight_threshold: float


def peer_targets(
    logits: list[NDArray[np.float64]],
    weights: NDArray[np.float64],
    member: int,
    temperature: float,
) -> NDArray[np.float64]:
    """A member's soft targets: its peers' probabilities, softened, averaged.

    ``q_i = sum_{j != i} w_j softmax(z_j / T) / sum_{j != i} w_j``, where
    ``z_j`` are member ``j``'s out-of-fold logits (``log`` of its
    probabilities), ``w_j`` its weight and ``T`` member ``i``'s temperature.
    Averaging probabilities (not logits) is Deep Mutual Learning's loss with
    several peers, the mean of the KL divergences to each of them; it also
    keeps a peer's probability of exactly 0 (a tree's leaf) from vetoing a
    class the others see.
    """
    peers = [j for j in range(len(logits)) if j != member]
    softened = np.stack([softmax(logits[j], temperature) for j in peers])
    return np.average(softened, axis=0, weights=weights[peers])


def _fit_member(
    member: Member,
    data: CohortData,
    rows: NDArray[np.intp],
    targets: NDArray[np.float64] | None,
) -> Any:
    """A clone of ``member`` fit on ``rows``: on the labels alone when
    ``targets`` is None, else on the soft targets through its strategy."""
    n = data.y.shape[0]
    X = _safe_indexing(data.X, rows)
    weight = data.sample_weight[member.name]
    weight = None if weight is None else weight[rows]
    params = _index_params(data.fit_params[member.name], rows, n)
    if targets is None:
        return fit_with_sample_weight(
            clone(member.estimator), X, data.classes[data.y[rows]], weight, **params
        )
    return fit_with_strategy(
        member.strategy,
        clone(member.student),
        X,
        data.y[rows],
        targets[rows],
        classes=data.classes,
        temperature=member.temperature,
        alpha=data.alpha,
        weight_threshold=data.weight_threshold,
        sample_weight=weight,
        fit_params=params,
    )


def _fold_outputs(
    member: Member,
    data: CohortData,
    train: NDArray[np.intp],
    test: NDArray[np.intp],
    targets: NDArray[np.float64] | None,
    n_threads: int | None,
) -> NDArray[np.float64]:
    """One fold of one member: fit on ``train``, its logits on ``test``
    (OpenMP limited to the worker's share, :mod:`skdistill._threads`)."""
    with limit_threads(n_threads, member.estimator, member.student):
        fitted = _fit_member(member, data, train, targets)
        output = LogitOutput("predict_proba", data.classes)
        return output.read(fitted, _safe_indexing(data.X, test))


def _final_fit(
    member: Member,
    data: CohortData,
    targets: NDArray[np.float64] | None,
    n_threads: int | None,
) -> Any:
    """A member fit on all rows, OpenMP limited to the worker's share."""
    with limit_threads(n_threads, member.estimator, member.student):
        return _fit_member(member, data, np.arange(data.y.shape[0]), targets)


def check_splits(cv: Any, X: Any, y: NDArray[Any]) -> list[tuple[Any, Any]]:
    """The folds of ``cv``: a partition of the rows, two classes in each
    training part."""
    splits = list(check_cv(cv, y, classifier=True).split(X, y))
    held_out = np.concatenate([test for _, test in splits])
    if held_out.size != y.shape[0] or np.unique(held_out).size != y.shape[0]:
        raise ValueError(
            "cv must hold out every training row exactly once (a partition, like "
            "KFold or StratifiedKFold), so that each row gets an out-of-fold "
            "output from every member; got splits that do not."
        )
    for train, _ in splits:
        labels = np.unique(y[train])
        if labels.size < 2:
            raise ValueError(
                f"A fold of cv leaves only the class {labels.tolist()} in its "
                "training part, so the members cannot be fit on it. Use fewer "
                "folds or stratified folds (cv=<int>)."
            )
    return splits


def run_rounds(
    members: list[Member],
    data: CohortData,
    splits: list[tuple[Any, Any]],
    n_rounds: int,
    *,
    n_jobs: int | None = None,
    verbose: int = 0,
) -> tuple[list[Any], list[list[NDArray[np.float64]]]]:
    """The cohort's rounds, then its members fit on all rows.

    Round 0 fits every member on the labels alone, fold by fold; round
    ``r`` teaches every member with the peers' out-of-fold outputs of round
    ``r - 1`` (all members of a round learn from the same outputs, so the
    order of the members does not matter); within a round the members and
    folds run in that order, in parallel with ``n_jobs``.

    Returns
    -------
    fitted : list of estimator
        The members fit on all rows with the targets of the last round.
    logits : list of list of ndarray
        ``logits[r][i]``: member ``i``'s out-of-fold logits of round ``r``.
    """
    n_tasks = len(members) * len(splits)
    n_threads = fit_threads(n_values(data.X), min(effective_n_jobs(n_jobs), n_tasks))
    parallel = Parallel(n_jobs=n_jobs, verbose=verbose)
    weights = np.array([m.weight for m in members])
    history: list[list[NDArray[np.float64]]] = []
    targets: list[NDArray[np.float64] | None] = [None] * len(members)
    for round_ in range(n_rounds + 1):
        if round_ > 0:
            targets = [
                peer_targets(history[-1], weights, i, m.temperature)
                for i, m in enumerate(members)
            ]
        outputs = parallel(
            delayed(_fold_outputs)(member, data, train, test, targets[i], n_threads)
            for i, member in enumerate(members)
            for train, test in splits
        )
        logits = []
        for i in range(len(members)):
            member_logits = np.empty((data.y.shape[0], data.classes.size))
            for k, (_, test) in enumerate(splits):
                member_logits[test] = outputs[i * len(splits) + k]
            logits.append(member_logits)
        history.append(logits)
    n_threads = fit_threads(
        n_values(data.X), min(effective_n_jobs(n_jobs), len(members))
    )
    fitted = parallel(
        delayed(_final_fit)(member, data, targets[i], n_threads)
        for i, member in enumerate(members)
    )
    return fitted, history


def _proba_in_order(estimator: Any, X: Any, classes: NDArray[Any]) -> NDArray:
    """``estimator.predict_proba(X)`` with one column per class of ``classes``
    (0 for a class it never saw)."""
    proba = estimator.predict_proba(X)
    order = teacher_column_order(estimator.classes_, classes, allow_missing=True)
    if np.array_equal(order, np.arange(classes.size)):
        return proba
    out = np.zeros((proba.shape[0], classes.size), dtype=np.float64)
    out[:, order >= 0] = proba[:, order[order >= 0]]
    return out


class MutualDistillationClassifier(
    ClassifierMixin, MetaEstimatorMixin, _BaseComposition
):
    """A cohort of classifiers that teach each other, round after round.

    Deep Mutual Learning (Zhang et al., 2018) adapted to fit/predict
    estimators: there is no teacher fit first, but a cohort of members
    (given as in :class:`~sklearn.ensemble.VotingClassifier`), each of which
    learns from the labels and from its peers. ``fit`` runs:

    1. **round 0**: every member is fit on the labels alone on the training
       part of each fold of ``cv``, and predicts the fold it did not see:
       its out-of-fold probabilities ``p_j``;
    2. **round r = 1 .. n_rounds**: member ``i``'s soft targets are its
       peers' out-of-fold probabilities of round ``r - 1``, softened at its
       temperature ``T`` and averaged:
       ``q_i = mean_{j != i} softmax(log(p_j) / T)`` (weighted by
       ``weights``). Member ``i`` learns them blended with the labels,
       ``alpha * onehot(y) + (1 - alpha) * q_i``, through its fit strategy,
       as the student of a :class:`~skdistill.DistilledClassifier` learns
       its teacher's (a tree stays a tree, LightGBM learns them natively,
       a model whose ``fit`` takes ``sample_weight`` by weighted rows); it
       is fit so on each fold again, which gives its out-of-fold
       probabilities of round ``r``. Every member of a round learns from
       the outputs of the round before, so the order of the members does
       not matter;
    3. every member is fit on all rows with its targets of the last round
       (the labels alone with ``n_rounds=0``): these are ``estimators_``.

    Averaging the peers' probabilities is Deep Mutual Learning's loss with
    several peers (the mean of the KL divergences to each of them). A
    member's out-of-fold probabilities after each round are scored in
    ``history_``, with the cohort's average, to show whether rounds help.
    Cost: ``n_members * ((n_rounds + 1) * n_folds + 1)`` member fits.

    ``predict`` and ``predict_proba`` use one member (``predict_with``,
    by default the smallest once pickled) or the cohort's average
    probabilities.

    Parameters
    ----------
    estimators : list of (str, estimator) tuples
        The members: at least two classifiers with ``fit`` and
        ``predict_proba``, each with a unique name (without ``__``, and not
        ``"smallest"`` or ``"average"``). A member can be replaced with
        ``"drop"`` (``set_params(name="drop")``) to leave it out; at least
        two must remain. Members are cloned.
    n_rounds : int, default=1
        Rounds of mutual teaching after round 0. ``n_rounds=0`` fits every
        member on the labels alone: the members are then exactly those fit
        alone.
    temperature : float or "auto", default="auto"
        ``T > 0`` at which the peers' probabilities are softened:
        ``softmax(log(p) / T)``. ``"auto"``: each member's own,
        as :class:`~skdistill.DistilledClassifier` chooses it (2 for a
        decision tree, 1 for any other member); see ``temperatures_``.
    alpha : float in [0, 1], default=0.5
        Weight of the labels in each member's targets; ``alpha = 1``
        ignores the peers (every member is then its own fit on the labels,
        as with ``n_rounds=0``), ``alpha = 0`` ignores the labels after
        round 0.
    cv : int, cross-validation generator or iterable, default=5
        The folds of the out-of-fold outputs, as in
        :class:`~sklearn.ensemble.StackingClassifier`: an int gives that
        many stratified folds; a splitter or an iterable of
        ``(train, test)`` indices must hold out each row exactly once. The
        same folds serve every member and every round.
    predict_with : str, default="smallest"
        The model behind ``predict`` and ``predict_proba``: a member's
        name; ``"smallest"``, the member whose fitted model pickles to the
        fewest bytes (the first one on a tie); or ``"average"``, the
        cohort's average probabilities (weighted by ``weights``). Set at
        ``fit`` (see ``predictor_``); every member stays available in
        ``named_estimators_``.
    weights : array-like of shape (n_estimators,), default=None
        Each member's weight in its peers' soft targets and in the cohort's
        average: positive numbers, one per entry of ``estimators`` (that of
        a dropped member is ignored). ``None``: equal weights.
    fit_strategy : {"auto", "native", "weighted", "hard", "logit_tree"}, \
default="auto"
        How the members learn soft targets, as in
        :class:`~skdistill.DistilledClassifier` (the same for every member;
        ``"auto"`` picks each member's best).
    weight_threshold : float in [0, 1), default=1e-3
        With the ``"weighted"`` strategy, expanded rows whose target weight
        is at or below this value are dropped.
    n_jobs : int, default=None
        Members and folds of a round fitted in parallel (joblib). OpenMP
        threads are limited inside ``fit`` as in
        :class:`~skdistill.DistilledClassifier`.
    verbose : int, default=0
        Progress: joblib's reports of the folds, and, at the end of ``fit``,
        each round's out-of-fold log-loss.

    Attributes
    ----------
    estimators_ : list of classifiers
        The fitted members, in the order of ``estimators`` (dropped ones
        left out).
    named_estimators_ : :class:`~sklearn.utils.Bunch`
        The fitted members by name.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    predictor_ : str
        The member's name behind ``predict``, or ``"average"``.
    temperatures_ : dict of str to float
        Each member's temperature.
    fit_strategies_ : dict of str to str
        Each member's fit strategy in rounds 1 and after.
    history_ : dict of lists
        Out-of-fold scores, one entry per round and member (and
        ``"average"``, the cohort's average probabilities): keys
        ``"round"``, ``"member"``, ``"accuracy"`` and ``"log_loss"``
        (weighted by ``sample_weight``); ``pandas.DataFrame(history_)``
        tabulates them. From round 1 they are slightly optimistic: a row's
        out-of-fold output comes from a member taught by its peers' outputs
        on other rows, and those peers saw the row's label.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    sklearn.ensemble.VotingClassifier : The members fit alone, averaged.
    skdistill.DistilledClassifier : One teacher fit first, one student.

    References
    ----------
    Y. Zhang, T. Xiang, T. M. Hospedales and H. Lu, "Deep Mutual Learning",
    CVPR 2018.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import MutualDistillationClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> cohort = MutualDistillationClassifier(
    ...     [
    ...         ("logistic", make_pipeline(StandardScaler(), LogisticRegression())),
    ...         ("tree", DecisionTreeClassifier(max_depth=4, random_state=0)),
    ...     ],
    ...     n_rounds=1,
    ... ).fit(X_train, y_train)
    >>> cohort.predictor_  # the smallest member once pickled
    'logistic'
    >>> round(cohort.score(X_test, y_test), 3)
    0.972
    >>> tree = cohort.named_estimators_["tree"]  # 0.902 when fit alone
    >>> round(tree.score(X_test, y_test), 3)
    0.951
    """

    _parameter_constraints: dict = {
        "estimators": [list],
        "n_rounds": [Interval(Integral, 0, None, closed="left")],
        "temperature": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"auto"}),
        ],
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "cv": ["cv_object"],
        "predict_with": [str],
        "weights": ["array-like", None],
        "fit_strategy": [StrOptions(set(FIT_STRATEGIES) - {"logits"})],
        "weight_threshold": [Interval(Real, 0, 1, closed="left")],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimators: list[tuple[str, Any]],
        *,
        n_rounds: int = 1,
        temperature: float | str = "auto",
        alpha: float = 0.5,
        cv: Any = 5,
        predict_with: str = "smallest",
        weights: ArrayLike | None = None,
        fit_strategy: str = "auto",
        weight_threshold: float = 1e-3,
        n_jobs: int | None = None,
        verbose: int = 0,
    ) -> None:
        self.estimators = estimators
        self.n_rounds = n_rounds
        self.temperature = temperature
        self.alpha = alpha
        self.cv = cv
        self.predict_with = predict_with
        self.weights = weights
        self.fit_strategy = fit_strategy
        self.weight_threshold = weight_threshold
        self.n_jobs = n_jobs
        self.verbose = verbose

    # -- parameters -----------------------------------------------------------------
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Get the parameters, the members' own with ``deep=True``.

        Parameters
        ----------
        deep : bool, default=True
            Also return the members (by name) and their parameters
            (``<name>__<parameter>``).

        Returns
        -------
        params : dict
        """
        return self._get_params("estimators", deep=deep)

    def set_params(self, **params: Any) -> MutualDistillationClassifier:
        """Set the parameters: ``<name>`` replaces a member (or ``"drop"``
        leaves it out), ``<name>__<parameter>`` sets one of its parameters.

        Parameters
        ----------
        **params : dict

        Returns
        -------
        self : MutualDistillationClassifier
        """
        self._set_params("estimators", **params)
        return self

    def _named_members(self) -> list[tuple[str, Any]]:
        """The (name, estimator) pairs of ``estimators``, checked; "drop" kept."""
        estimators = self.estimators
        if not estimators or not all(
            isinstance(pair, tuple) and len(pair) == 2 for pair in estimators
        ):
            raise ValueError(
                "estimators must be a non-empty list of (name, estimator) tuples, "
                "as in VotingClassifier; got "
                f"{estimators!r}."
            )
        names = [name for name, _ in estimators]
        if not all(isinstance(name, str) for name in names):
            raise ValueError(f"The names of estimators must be strings; got {names}.")
        self._validate_names(names)
        reserved = sorted(set(names) & set(PREDICT_WITH_OPTIONS))
        if reserved:
            raise ValueError(
                f"Member names {reserved} are reserved: predict_with takes "
                f"{list(PREDICT_WITH_OPTIONS)} as options. Rename these members."
            )
        return list(estimators)

    def _kept_members(self) -> list[tuple[str, Any]]:
        return [(n, e) for n, e in self._named_members() if e != "drop"]

    # -- fitting ----------------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **fit_params: Any,
    ) -> MutualDistillationClassifier:
        """Fit the cohort: round 0 on the labels, then ``n_rounds`` of mutual
        teaching, then every member on all rows.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to the members (a DataFrame keeps its
            column names and dtypes).
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights. Without metadata routing they go to every member,
            whose ``fit`` must accept them; with routing enabled, to those
            that requested them. They also weight ``history_``'s scores.
        **fit_params : dict
            Further fit parameters, routed to the members by metadata
            routing (``sklearn.set_config(enable_metadata_routing=True)``).

        Returns
        -------
        self : MutualDistillationClassifier
            The fitted estimator.
        """
        _raise_for_params(fit_params, self, "fit")
        named = self._kept_members()
        X, y = self._validate_fit_data(X, y, named)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, ensure_non_negative=True
            )
        self.classes_ = np.unique(y)
        if self.classes_.size < 2:
            raise ValueError(
                f"y contains only one class ({self.classes_.tolist()!r}); a cohort "
                "of classifiers needs at least two classes in y."
            )
        members = self._resolve_members(named)
        self._check_predict_with([m.name for m in members])
        data = CohortData(
            X=X,
            y=np.searchsorted(self.classes_, y),
            classes=self.classes_,
            alpha=float(self.alpha),
            weight_threshold=float(self.weight_threshold),
            **self._route_fit_params(named, sample_weight, fit_params),
        )
        splits = check_splits(self.cv, X, y)
        estimators = [m.estimator for m in members] + [m.student for m in members]
        with limit_threads(fit_threads(n_values(X)), *estimators) as limit:
            fitted, history = run_rounds(
                members,
                data,
                splits,
                self.n_rounds,
                n_jobs=self.n_jobs,
                verbose=self.verbose,
            )
        # the fitted members are clones of the estimators (round 0) or the
        # students (later rounds): their positions among those passed
        limit.restore(*([None] * len(members) if self.n_rounds else []), *fitted)
        self.estimators_ = fitted
        self.named_estimators_ = Bunch(
            **{m.name: f for m, f in zip(members, fitted, strict=True)}
        )
        self.temperatures_ = {m.name: m.temperature for m in members}
        self.fit_strategies_ = {m.name: m.strategy for m in members}
        self.history_ = self._score_history(members, history, data, sample_weight)
        self._weights = np.array([m.weight for m in members])
        self.predictor_ = self._choose_predictor(members)
        return self

    def _validate_fit_data(
        self, X: Any, y: Any, named: list[tuple[str, Any]]
    ) -> tuple[Any, NDArray[Any]]:
        """``X`` and ``y`` checked (``validate_data``); a DataFrame kept as is."""
        X, y = validate_fit_xy(self, X, y, check_labels=True)
        check_classification_targets(y)
        if _has_nan(X):
            refusing = [name for name, est in named if not _allows_nan(est)]
            if refusing:
                raise ValueError(
                    f"Input X contains NaN, which the members {refusing} do not "
                    "accept. Put an imputer before the MutualDistillationClassifier "
                    "in a Pipeline, or in those members' own Pipelines."
                )
        return X, y

    def _resolve_members(self, named: list[tuple[str, Any]]) -> list[Member]:
        """Each member's strategy, temperature and weight, before any fit."""
        weights = self._member_weights()
        members = []
        for (name, estimator), weight in zip(
            self._named_members(), weights, strict=True
        ):
            if estimator == "drop":
                continue
            self._check_member(name, estimator)
            try:
                strategy, student = resolve_student(
                    clone(estimator), self.fit_strategy, self.classes_.size
                )
            except ValueError as error:
                raise ValueError(f"Member {name!r}: {error}") from None
            temperature = (
                default_temperature(student)
                if self.temperature == "auto"
                else float(self.temperature)
            )
            members.append(
                Member(name, clone(estimator), strategy, student, temperature, weight)
            )
        if len(members) < 2:
            raise ValueError(
                f"A cohort needs at least two members; estimators has {len(members)} "
                "that is not 'drop'. Add members, or use DistilledClassifier to "
                "distil one model from another."
            )
        return members

    def _check_member(self, name: str, estimator: Any) -> None:
        if not (hasattr(estimator, "fit") and hasattr(estimator, "predict_proba")):
            raise ValueError(
                f"Member {name!r} ({type(estimator).__name__}) needs fit and "
                "predict_proba: its peers learn from its probabilities. Wrap it in "
                "CalibratedClassifierCV, or use a classifier that has predict_proba."
            )
        if not is_classifier(estimator):
            raise ValueError(
                f"Member {name!r} ({type(estimator).__name__}) is not a classifier; "
                "every member of the cohort must be one."
            )

    def _member_weights(self) -> list[float]:
        """One positive weight per entry of ``estimators`` (dropped ones: 1)."""
        named = self._named_members()
        if self.weights is None:
            return [1.0] * len(named)
        weights = np.asarray(self.weights, dtype=np.float64)
        kept = np.array([est != "drop" for _, est in named])
        if (
            weights.shape != (len(named),)
            or not np.isfinite(weights).all()
            or (weights[kept] <= 0).any()
        ):
            raise ValueError(
                f"weights must hold one positive number per member of estimators "
                f"({len(named)}); got {self.weights!r}."
            )
        return weights.tolist()

    def _route_fit_params(
        self,
        named: list[tuple[str, Any]],
        sample_weight: NDArray[np.float64] | None,
        fit_params: dict[str, Any],
    ) -> dict[str, dict[str, Any]]:
        """Each member's sample weights and fit parameters."""
        if _routing_enabled():
            if sample_weight is not None:
                fit_params["sample_weight"] = sample_weight
            routed = process_routing(self, "fit", **fit_params)
            params = {name: dict(routed[name].fit) for name, _ in named}
        else:
            params = {name: {} for name, _ in named}
            if sample_weight is not None:
                for name, estimator in named:
                    if not accepts_sample_weight(estimator):
                        raise ValueError(
                            f"sample_weight was given but the member {name!r} "
                            f"({type(estimator).__name__}) does not accept "
                            "sample_weight in fit; drop sample_weight or that "
                            "member."
                        )
                    params[name]["sample_weight"] = sample_weight
        weights = {name: p.pop("sample_weight", None) for name, p in params.items()}
        return {"sample_weight": weights, "fit_params": params}

    def _score_history(
        self,
        members: list[Member],
        history: list[list[NDArray[np.float64]]],
        data: CohortData,
        sample_weight: NDArray[np.float64] | None,
    ) -> dict[str, list[Any]]:
        """Out-of-fold accuracy and log-loss of each member and the average."""
        scores: dict[str, list[Any]] = {
            "round": [],
            "member": [],
            "accuracy": [],
            "log_loss": [],
        }
        weights = np.array([m.weight for m in members])
        labels = np.arange(data.classes.size)
        for round_, logits in enumerate(history):
            probas = [softmax(z) for z in logits]
            probas.append(np.average(np.stack(probas), axis=0, weights=weights))
            for name, proba in zip(
                [m.name for m in members] + ["average"], probas, strict=True
            ):
                scores["round"].append(round_)
                scores["member"].append(name)
                scores["accuracy"].append(
                    float(
                        accuracy_score(
                            data.y, proba.argmax(axis=1), sample_weight=sample_weight
                        )
                    )
                )
                scores["log_loss"].append(
                    float(
                        log_loss(
                            data.y, proba, labels=labels, sample_weight=sample_weight
                        )
                    )
                )
            if self.verbose:
                last = len(members) + 1
                summary = ", ".join(
                    f"{name} {loss:.4f}"
                    for name, loss in zip(
                        scores["member"][-last:],
                        scores["log_loss"][-last:],
                        strict=True,
                    )
                )
                print(f"[skdistill] round {round_}: out-of-fold log-loss {summary}")
        return scores

    def _check_predict_with(self, names: list[str]) -> None:
        if self.predict_with not in (*names, *PREDICT_WITH_OPTIONS):
            raise ValueError(
                f"predict_with={self.predict_with!r} is not the name of a member; "
                f"use one of {names}, 'smallest' or 'average'."
            )

    def _choose_predictor(self, members: list[Member]) -> str:
        """The name behind ``predict``: ``predict_with`` resolved."""
        if self.predict_with != "smallest":
            return self.predict_with
        sizes = [serialized_size(est) for est in self.estimators_]
        return members[int(np.argmin(sizes))].name

    # -- metadata routing ---------------------------------------------------------
    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this object.

        ``fit`` routes its metadata (``sample_weight`` and any other fit
        parameter) to the ``fit`` of every member that requested it.

        Returns
        -------
        routing : MetadataRouter
            The routing information.
        """
        router = MetadataRouter(owner=self)
        for name, estimator in self._kept_members():
            router.add(
                **{name: estimator},
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
        return router

    # -- prediction ---------------------------------------------------------------
    def _check_predict_input(self, X: Any) -> Any:
        check_is_fitted(self)
        return validate_predict_x(self, X)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Class labels: the predictor member's, or the cohort's most probable.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        X = self._check_predict_input(X)
        if self.predictor_ != "average":
            return self.named_estimators_[self.predictor_].predict(X)
        return self.classes_[self._average_proba(X).argmax(axis=1)]

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities of the predictor member, or the cohort's average.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            One column per class of ``classes_``; rows sum to 1.
        """
        X = self._check_predict_input(X)
        if self.predictor_ != "average":
            member = self.named_estimators_[self.predictor_]
            return _proba_in_order(member, X, self.classes_)
        return self._average_proba(X)

    def _average_proba(self, X: Any) -> NDArray[np.float64]:
        """The cohort's average probabilities, weighted by ``weights``."""
        probas = [_proba_in_order(est, X, self.classes_) for est in self.estimators_]
        return np.average(np.stack(probas), axis=0, weights=self._weights)

    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Logarithm of :meth:`predict_proba` (``-inf`` where it is 0).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        try:
            members = [est for _, est in self._kept_members()]
        except (TypeError, ValueError):
            return tags
        return set_members_input_tags(tags, members)
