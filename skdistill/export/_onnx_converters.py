"""skl2onnx converters of the students: skdistill's own, LightGBM's, trees.

:func:`register` registers in skl2onnx, once, what skl2onnx does not know:

- LightGBM's ``LGBMClassifier`` and ``LGBMRegressor``, with onnxmltools'
  converter (skl2onnx's documented recipe);
- :class:`~skdistill.SoftLGBMClassifier`: after ``fit_soft_targets`` its
  booster holds raw scores of a custom objective, which onnxmltools turns
  into a tree ensemble without a link function; the probabilities are then
  ``softmax`` of the scores plus ``init_score_``, as ``predict_proba``
  computes them;
- :class:`~skdistill.SoftLogisticRegression`: the logits
  ``X @ coef_.T + intercept_``, then their softmax;
- :class:`~skdistill.LogitMatchingClassifier`: its regressor's converter
  (one regressor, or one per class in a ``MultiOutputRegressor``), then the
  softmax of the predicted logits.

The three classifiers share :func:`_add_probability_head`: scores (one
column, the log-odds of ``classes_[1]``, or one per class) to the outputs
``label`` and ``probabilities``.

:data:`CONVERSION_FUNCTIONS` holds the converters given to each
``convert_sklearn`` call (not registered globally) for scikit-learn's trees
and forests: skl2onnx's own converters, after which the learned routing of
missing values (``tree_.missing_go_to_left``) is written into the tree
ensembles, which skl2onnx leaves out (every ``NaN`` would go right;
sklearn-onnx issue #1253). :func:`fix_missing_routing` does the same for
the trees converted inside :class:`~skdistill.LogitMatchingClassifier`.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

import numpy as np
from lightgbm import LGBMClassifier, LGBMRegressor
from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm
from skl2onnx import get_model_alias, update_registered_converter
from skl2onnx.algebra.onnx_operator import OnnxSubEstimator
from skl2onnx.algebra.onnx_ops import (
    OnnxAdd,
    OnnxArgMax,
    OnnxCast,
    OnnxConcat,
    OnnxGather,
    OnnxIdentity,
    OnnxMatMul,
    OnnxMul,
    OnnxSoftmax,
)
from skl2onnx.common.data_types import (
    DoubleTensorType,
    FloatTensorType,
    StringTensorType,
)
from skl2onnx.common.shape_calculator import (
    calculate_linear_classifier_output_shapes,
    calculate_linear_regressor_output_shapes,
)
from skl2onnx.operator_converters.decision_tree import (
    convert_sklearn_decision_tree_classifier,
    convert_sklearn_decision_tree_regressor,
)
from skl2onnx.operator_converters.random_forest import (
    convert_sklearn_random_forest_classifier,
    convert_sklearn_random_forest_regressor_converter,
)
from skl2onnx.proto import onnx_proto
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.multioutput import MultiOutputRegressor
from sklearn.tree import (
    BaseDecisionTree,
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
    ExtraTreeRegressor,
)

from ..students import (
    LogitMatchingClassifier,
    SoftLGBMClassifier,
    SoftLogisticRegression,
)

__all__ = ["CONVERSION_FUNCTIONS", "fix_missing_routing", "has_converter", "register"]

#: Options of a classifier's converter: ``zipmap`` as skl2onnx's own
#: classifiers take it (to_onnx sets it to False), ``nocl`` as LightGBM's.
_CLASSIFIER_OPTIONS = {"nocl": [True, False], "zipmap": [True, False, "columns"]}


# -- the probabilities of a classifier from its scores -------------------------------


def _classes_constant(operator: Any) -> np.ndarray:
    """``classes_`` as the constant of the ``label`` output's type."""
    classes = operator.raw_operator.classes_
    if isinstance(operator.outputs[0].type, StringTensorType):
        return np.array([str(label) for label in classes])
    return np.asarray(classes).astype(np.int64)


def _add_probability_head(
    scope: Any,
    container: Any,
    operator: Any,
    scores: Any,
    *,
    init_score: Any = None,
) -> None:
    """``label`` and ``probabilities`` of ``operator`` from its raw scores.

    ``scores`` (an ONNX operator or variable name) holds one column for two
    classes, the log-odds of ``classes_[1]`` (the logits ``[0, s]``, written
    ``[-s / 2, s / 2]``: the same softmax), or one column per class, the
    logits. ``init_score``, if given, is added to the scores first.
    """
    opv = container.target_opset
    if init_score is not None:
        offset = np.asarray(init_score, dtype=np.float32).reshape(1, -1)
        scores = OnnxAdd(scores, offset, op_version=opv)
    if len(operator.raw_operator.classes_) == 2:
        halves = np.array([[-0.5, 0.5]], dtype=np.float32)
        scores = OnnxMul(scores, halves, op_version=opv)
    probabilities = OnnxSoftmax(
        scores, axis=1, op_version=opv, output_names=[operator.outputs[1]]
    )
    index = OnnxArgMax(scores, axis=1, keepdims=0, op_version=opv)
    label = OnnxGather(
        _classes_constant(operator),
        index,
        op_version=opv,
        output_names=[operator.outputs[0]],
    )
    probabilities.add_to(scope, container)
    label.add_to(scope, container)


def _float_input(operator: Any, opv: int) -> Any:
    """The operator's input, cast to float if it is not."""
    variable = operator.inputs[0]
    if isinstance(variable.type, FloatTensorType):
        return variable
    return OnnxCast(variable, to=onnx_proto.TensorProto.FLOAT, op_version=opv)


# -- SoftLogisticRegression ----------------------------------------------------------


def _convert_soft_logistic(scope: Any, operator: Any, container: Any) -> None:
    """Logits ``X @ coef_.T + intercept_``, then the probability head."""
    model = operator.raw_operator
    opv = container.target_opset
    coef = np.asarray(model.coef_, dtype=np.float32).T
    intercept = np.asarray(model.intercept_, dtype=np.float32).reshape(1, -1)
    logits = OnnxAdd(
        OnnxMatMul(_float_input(operator, opv), coef, op_version=opv),
        intercept,
        op_version=opv,
    )
    _add_probability_head(scope, container, operator, logits)


# -- LightGBM: thresholds in double -------------------------------------------------

#: The ONNX operators of tree ensembles.
_TREE_ENSEMBLES = ("TreeEnsembleClassifier", "TreeEnsembleRegressor")


class _DoubleThresholds:
    """A container whose tree ensembles keep their thresholds in double.

    onnxmltools writes LightGBM's thresholds in the float attribute
    ``nodes_values``, rounded to float32. This proxy of skl2onnx's
    container rewrites them, unrounded, into ``nodes_values_as_tensor``, a
    double tensor (``ai.onnx.ml`` operator set 3), which onnxruntime
    compares with a double input as LightGBM does: a value 1 ulp (in
    double) above a threshold then goes right, as in LightGBM, instead of
    rounding onto the threshold. The leaves' weights stay float.
    """

    def __init__(self, container: Any) -> None:
        self._container = container

    def __getattr__(self, name: str) -> Any:
        return getattr(self._container, name)

    def add_node(self, op_type: str, inputs: Any, outputs: Any, **attrs: Any) -> None:
        if op_type in _TREE_ENSEMBLES and "nodes_values" in attrs:
            from onnx import numpy_helper

            values = np.asarray(attrs.pop("nodes_values"), dtype=np.float64)
            attrs["nodes_values_as_tensor"] = numpy_helper.from_array(values)
        self._container.add_node(op_type, inputs, outputs, **attrs)


def _lightgbm_container(variable: Any, container: Any) -> Any:
    """The container for LightGBM's converter on the input ``variable``."""
    if isinstance(variable.type, DoubleTensorType):
        return _DoubleThresholds(container)
    return container


def _convert_lightgbm(scope: Any, operator: Any, container: Any) -> None:
    """onnxmltools' converter; thresholds in double when the input is double."""
    convert_lightgbm(
        scope, operator, _lightgbm_container(operator.inputs[0], container)
    )


def _classifier_shapes(operator: Any) -> None:
    """skl2onnx's shapes of a classifier; probabilities are float, as computed."""
    calculate_linear_classifier_output_shapes(operator)
    probabilities = operator.outputs[1]
    probabilities.type = FloatTensorType(probabilities.type.shape)


def _regressor_shapes(operator: Any) -> None:
    """skl2onnx's shapes of a regressor; the prediction stays float."""
    calculate_linear_regressor_output_shapes(operator)
    prediction = operator.outputs[0]
    prediction.type = FloatTensorType(prediction.type.shape)


# -- SoftLGBMClassifier --------------------------------------------------------------


class _RawScoreBooster:
    """A booster's dump, read by onnxmltools as a model without link function.

    onnxmltools' ``dump_booster_model`` takes the dump of a booster marked
    ``is_mock`` as it is. A custom objective leaves no ``objective`` in the
    dump; onnxmltools then reads a multiclass booster as a classifier
    without link (``post_transform="NONE"``: its "probabilities" are the
    raw scores) but a binary one as a logistic classifier. Declared a
    regression, a binary booster gives its raw score.
    """

    is_mock = True

    def __init__(self, booster: Any) -> None:
        self._booster = booster

    def dump_model(self) -> dict[str, Any]:
        dump = self._booster.dump_model()
        dump.pop("objective", None)
        if dump["num_class"] == 1:
            dump["objective"] = "regression"
        return dump


def _lightgbm_raw_scores(scope: Any, operator: Any, container: Any) -> str:
    """Add the raw scores of a LightGBM classifier; the name of their variable.

    The scores are LightGBM's ``raw_score`` without ``init_score``: one
    column for a binary model, one per class otherwise.
    """
    model = operator.raw_operator
    booster = _RawScoreBooster(model.booster_)
    scores = scope.get_unique_variable_name("raw_scores")
    n_classes = len(model.classes_)
    proxy_model = SimpleNamespace(
        booster_=booster, classes_=np.arange(n_classes), boosting_type="gbdt"
    )
    outputs = [scores]
    if n_classes > 2:  # read as a classifier: a label, then the scores
        outputs = [scope.get_unique_variable_name("raw_label"), scores]
    proxy_operator = SimpleNamespace(
        raw_operator=proxy_model,
        full_name=scope.get_unique_operator_name("SoftLGBMRawScores"),
        input_full_names=operator.input_full_names,
        outputs=[SimpleNamespace(full_name=name) for name in outputs],
        output_full_names=[scores],
        split=None,
    )
    convert_lightgbm(
        scope, proxy_operator, _lightgbm_container(operator.inputs[0], container)
    )
    return scores


def _convert_soft_lgbm(scope: Any, operator: Any, container: Any) -> None:
    """LightGBM's converter after ``fit``; raw scores and softmax after a soft fit."""
    model = operator.raw_operator
    if getattr(model, "init_score_", None) is None:  # fitted by LightGBM's fit
        _convert_lightgbm(scope, operator, container)
        return
    scores = _lightgbm_raw_scores(scope, operator, container)
    _add_probability_head(
        scope, container, operator, scores, init_score=model.init_score_
    )


# -- LogitMatchingClassifier ---------------------------------------------------------


def _regressors(model: LogitMatchingClassifier) -> list[Any]:
    """The fitted regressors of ``model``, one per column of its logits."""
    regressor = model.regressor_
    if isinstance(regressor, MultiOutputRegressor):
        return list(regressor.estimators_)
    return [regressor]


def _convert_logit_matching(scope: Any, operator: Any, container: Any) -> None:
    """The regressors' converters, then the probability head."""
    model = operator.raw_operator
    opv = container.target_opset
    first_node = len(container.nodes)
    columns = [
        OnnxSubEstimator(regressor, operator.inputs[0], op_version=opv)
        for regressor in _regressors(model)
    ]
    if len(columns) == 1:
        scores: Any = OnnxIdentity(columns[0], op_version=opv)
    else:
        scores = OnnxConcat(*columns, axis=1, op_version=opv)
    scores = OnnxCast(scores, to=onnx_proto.TensorProto.FLOAT, op_version=opv)
    _add_probability_head(scope, container, operator, scores)
    fix_missing_routing(container.nodes[first_node:], _regressors(model))


# -- scikit-learn's trees: the routing of missing values -----------------------------


def _sklearn_trees(model: Any) -> list[Any]:
    """The ``tree_`` objects of a tree or forest, in skl2onnx's order; else []."""
    if isinstance(model, BaseDecisionTree):
        return [model.tree_]
    if isinstance(
        model,
        (
            RandomForestClassifier,
            RandomForestRegressor,
            ExtraTreesClassifier,
            ExtraTreesRegressor,
        ),
    ):
        return [estimator.tree_ for estimator in model.estimators_]
    return []


def _attribute(node: Any, name: str) -> Any:
    return next((a for a in node.attribute if a.name == name), None)


def fix_missing_routing(nodes: list[Any], models: list[Any]) -> None:
    """Write the trees' routing of missing values into their ONNX tree ensembles.

    ``nodes`` are the ONNX nodes that skl2onnx added for ``models``, in
    order; each scikit-learn tree or forest among ``models`` gave one
    ``TreeEnsembleClassifier`` or ``TreeEnsembleRegressor`` node (other
    models none), whose ``nodes_treeids`` index the forest's trees and
    ``nodes_nodeids`` the nodes of each ``tree_``. A node whose missing
    values go left (``missing_go_to_left``) gets
    ``nodes_missing_value_tracks_true = 1``: in ONNX the "true" branch of
    ``BRANCH_LEQ`` is the left child.
    """
    ensembles = [
        node
        for node in nodes
        if node.op_type in ("TreeEnsembleClassifier", "TreeEnsembleRegressor")
        and _attribute(node, "nodes_nodeids") is not None
    ]
    forests = [trees for trees in map(_sklearn_trees, models) if trees]
    if not forests:
        return
    if len(forests) == 1:  # every ensemble written for one model is of its trees
        forests = forests * len(ensembles)
    if len(ensembles) != len(forests):
        raise RuntimeError(
            f"skl2onnx wrote {len(ensembles)} tree ensemble(s) for "
            f"{len(forests)} scikit-learn tree model(s): the routing of missing "
            "values cannot be exported. This skl2onnx version is not supported."
        )
    for node, trees in zip(ensembles, forests, strict=True):
        tree_ids = _attribute(node, "nodes_treeids").ints
        node_ids = _attribute(node, "nodes_nodeids").ints
        modes = _attribute(node, "nodes_modes").strings
        tracks = _attribute(node, "nodes_missing_value_tracks_true")
        routing = [
            int(mode != b"LEAF" and bool(trees[tree].missing_go_to_left[index]))
            for tree, index, mode in zip(tree_ids, node_ids, modes, strict=True)
        ]
        del tracks.ints[:]
        tracks.ints.extend(routing)


def _with_missing_routing(convert: Any) -> Any:
    """skl2onnx's converter ``convert``, then the routing of missing values."""

    def converter(scope: Any, operator: Any, container: Any) -> None:
        first_node = len(container.nodes)
        convert(scope, operator, container)
        fix_missing_routing(container.nodes[first_node:], [operator.raw_operator])

    return converter


#: Converters of scikit-learn's trees and forests for each convert_sklearn
#: call (``custom_conversion_functions``), keeping their routing of NaN.
CONVERSION_FUNCTIONS = {
    DecisionTreeClassifier: _with_missing_routing(
        convert_sklearn_decision_tree_classifier
    ),
    ExtraTreeClassifier: _with_missing_routing(
        convert_sklearn_decision_tree_classifier
    ),
    DecisionTreeRegressor: _with_missing_routing(
        convert_sklearn_decision_tree_regressor
    ),
    ExtraTreeRegressor: _with_missing_routing(convert_sklearn_decision_tree_regressor),
    RandomForestClassifier: _with_missing_routing(
        convert_sklearn_random_forest_classifier
    ),
    ExtraTreesClassifier: _with_missing_routing(
        convert_sklearn_random_forest_classifier
    ),
    RandomForestRegressor: _with_missing_routing(
        convert_sklearn_random_forest_regressor_converter
    ),
    ExtraTreesRegressor: _with_missing_routing(
        convert_sklearn_random_forest_regressor_converter
    ),
}


# -- registration --------------------------------------------------------------------


@functools.cache
def register() -> None:
    """Register the converters of LightGBM's and skdistill's models in skl2onnx."""
    update_registered_converter(
        LGBMClassifier,
        "LightGbmLGBMClassifier",
        _classifier_shapes,
        _convert_lightgbm,
        options=_CLASSIFIER_OPTIONS,
    )
    update_registered_converter(
        LGBMRegressor,
        "LightGbmLGBMRegressor",
        _regressor_shapes,
        _convert_lightgbm,
        options={"split": None},
    )
    for model, alias, convert in (
        (SoftLGBMClassifier, "SkdistillSoftLGBMClassifier", _convert_soft_lgbm),
        (
            SoftLogisticRegression,
            "SkdistillSoftLogisticRegression",
            _convert_soft_logistic,
        ),
        (
            LogitMatchingClassifier,
            "SkdistillLogitMatchingClassifier",
            _convert_logit_matching,
        ),
    ):
        update_registered_converter(
            model,
            alias,
            _classifier_shapes,
            convert,
            options=_CLASSIFIER_OPTIONS,
        )


def has_converter(model: Any) -> bool:
    """Whether skl2onnx (with :func:`register`) has a converter for ``model``."""
    try:
        get_model_alias(type(model))
    except RuntimeError:
        return False
    return True
