"""C export of a student: one self-contained C99 source for a microcontroller.

:func:`to_c` writes the student of a fitted model (see
:func:`~skdistill.export.student_pipeline`), with the preprocessing in
front of it, as one C99 source with no dynamic allocation and no
dependency beyond ``<math.h>``: tables of ``static const`` numbers (which
a microcontroller keeps in flash) and a few functions. Its probabilities
are those of ``predict_proba`` on ``float64`` rows, to rounding: the same
operations on the same ``double`` numbers, trees that compare exactly as
scikit-learn (``float32`` features) and LightGBM (``double``) do (the tests
measure at most 5e-15 on 1,000 held-out rows of every family, 0 for most
trees). :func:`c_inputs` gives the rows as the C functions take them.

The generator is our own (``_c_writer``: C text; ``_c_steps``: the
preprocessing; ``_c_models``: the final estimators), because no maintained
generator covered these students and matched their probabilities. What was
tried (scikit-learn 1.9, LightGBM 4.7; a 3-class decision tree of depth 6,
a LightGBM classifier with a categorical feature):

- emlearn 0.23.2: trees only (``LogisticRegression``: "Unknown model
  type"); leaves hold the majority class by default (max probability error
  1.0), quantized probabilities with ``leaf_bits=8`` (max error 0.0049);
  thresholds printed with 6 decimals and compared with ``<`` on ``float``;
  no missing values; its probabilities need ``eml_trees.h`` (``stdio.h``,
  ``stdlib.h``).
- tl2cgen 1.0.0 with treelite 4.8.1: exact for LightGBM, categorical
  splits included (max error 0.0), but its source includes ``stdio.h``,
  ``stdlib.h``, ``string.h``, ``stdint.h`` and ``float.h``, fails
  ``-Wextra -Werror`` ("comparison of unsigned expression in '>= 0' is
  always true"), takes rows as ``union Entry`` arrays, has no
  preprocessing, applies no softmax to a custom objective
  (SoftLGBMClassifier), and treelite does not import a single scikit-learn
  tree ("Not supported model type: DecisionTreeClassifier").
- m2cgen 0.10.0 (last release 2022): no LightGBM categorical split
  ("could not convert string to float: '1||3||5||7||11'"), a multiclass
  LightGBM source that does not compile (``exp`` used without
  ``<math.h>``), ``memcpy`` from ``<string.h>``, no missing values, and
  trees compared on ``double`` rather than ``float32`` features.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd
from lightgbm import LGBMModel
from sklearn.base import is_classifier, is_regressor
from sklearn.pipeline import Pipeline

from ..preprocessing import TableSchema
from ._c_models import emit_classifier, emit_regressor
from ._c_steps import Column, categorical_inputs, emit_step, input_columns, unsupported
from ._c_writer import CSource, c_comment, c_string, check_name, wrap
from ._student import student_pipeline

__all__ = ["c_inputs", "to_c"]


def _steps(model: Any) -> list[tuple[str, Any]]:
    student = student_pipeline(model)
    if isinstance(student, Pipeline):
        return list(student.steps)
    return [("student", student)]


def _lightgbm_categories(estimator: Any) -> dict[int, list[Any]]:
    """The pandas categories of a LightGBM model fitted on a DataFrame, by column."""
    recorded = estimator.booster_.pandas_categorical or []
    if not recorded:
        return {}
    infos = list(estimator.booster_.dump_model()["feature_infos"].values())
    categorical = [j for j, info in enumerate(infos) if info.get("values")]
    if len(categorical) != len(recorded):
        raise unsupported(
            estimator,
            f"the LightGBM model records {len(recorded)} pandas categorical "
            f"columns but has {len(categorical)} categorical features",
        )
    return dict(zip(categorical, recorded, strict=True))


def _n_features(first: Any) -> int:
    n_features = getattr(first, "n_features_in_", None)
    if n_features is None:
        raise unsupported(
            first, "the model's first step does not record n_features_in_"
        )
    return int(n_features)


def _input(
    steps: list[tuple[str, Any]], source: CSource
) -> tuple[list[Column], list[tuple[str, Any]]]:
    """The columns of ``x`` and the steps that remain to write."""
    first = steps[0][1]
    columns, done = input_columns(first, _n_features(first), source)
    if done:
        return columns, steps[1:]
    if isinstance(first, LGBMModel):
        columns = categorical_inputs(source, columns, _lightgbm_categories(first))
    return columns, steps


def _frame_columns(first: Any, X: pd.DataFrame, what: str) -> list[Any]:
    """The columns of ``X`` that ``first`` was fitted on, in its order.

    LightGBM records a column's name with its spaces made underscores
    (``"alcohol pct"`` as ``"alcohol_pct"``) and predicts on the original
    names: both are found.
    """
    names = list(first.feature_names_in_)
    present = set(X.columns)
    renamed = (
        {str(column).replace(" ", "_"): column for column in X.columns}
        if isinstance(first, LGBMModel)
        else {}
    )
    found = [name if name in present else renamed.get(name) for name in names]
    missing = [str(name) for name, key in zip(names, found, strict=True) if key is None]
    if missing:
        raise ValueError(
            f"{what} lacks {len(missing)} column(s) that the model was fitted "
            f"on: {', '.join(map(repr, missing[:5]))}. Pass rows like the "
            "model's input."
        )
    return found


def _check_sample(X_sample: Any, columns: list[Column], first: Any) -> None:
    if X_sample is None:
        return
    names = getattr(first, "feature_names_in_", None)
    if isinstance(X_sample, pd.DataFrame) and names is not None:
        _frame_columns(first, X_sample, "X_sample")
        return
    n_columns = np.shape(X_sample)[1] if np.ndim(X_sample) == 2 else None
    if n_columns != len(columns):
        raise ValueError(
            f"X_sample must have the model's {len(columns)} columns (rows like "
            f"its input), got shape {np.shape(X_sample)}. Pass such rows, or "
            "X_sample=None."
        )


def _describe_inputs(columns: list[Column]) -> list[str]:
    lines = []
    for j, column in enumerate(columns):
        label = c_comment(column.name)
        if column.categories is None:
            lines.append(f" *   x[{j}] {label}: number")
            continue
        lines.append(f" *   x[{j}] {label}: category code,")
        codes = [f"{i} = {c_string(c)}" for i, c in enumerate(column.categories)]
        lines.extend(wrap(codes, " *       "))
    return lines


def _header(
    name: str,
    steps: list[tuple[str, Any]],
    columns: list[Column],
    classes: np.ndarray | None,
) -> list[str]:
    from .. import __version__

    pipeline = " > ".join(
        f"{type(step).__name__} {step_name!r}" for step_name, step in steps
    )
    lines = [
        "/*",
        f" * {name}: a student exported by skdistill.export.to_c",
        f" * (skdistill {__version__}):",
        f" *   {c_comment(pipeline)}",
        " *",
        " * Self-contained C99: no dynamic allocation, no dependency beyond",
        " * <math.h> (link with -lm); tables are static const. double must be",
        " * IEEE-754 binary64 (not the 32-bit double of some 8-bit toolchains).",
        " *",
    ]
    if classes is not None:
        lines += [
            f" * void {name}_predict_proba(const double *x, double *proba);",
            f" *     proba[k]: the probability of class k, {name}_N_CLASSES values",
            " *     that sum to 1.",
            f" * int {name}_predict(const double *x);",
            " *     The most probable class k (the first one on ties).",
        ]
    else:
        lines += [
            f" * double {name}_predict(const double *x);",
            " *     The prediction.",
        ]
    inputs = (
        f"x: {name}_N_FEATURES doubles, the columns below in this order. A "
        "missing value is NAN (from <math.h>). A categorical column takes the "
        "code of its category, listed below; a missing or unseen category is "
        "NAN, and so is any other code."
    )
    lines += [
        " *",
        *textwrap.wrap(inputs, 76, initial_indent=" * ", subsequent_indent=" * "),
        *_describe_inputs(columns),
    ]
    if classes is not None:
        lines += [" *", " * Classes (k: label):"]
        lines += wrap([f"{k}: {c_string(c)}" for k, c in enumerate(classes)], " *   ")
    lines.append(" */")
    return lines


def _function(signature: str, body: list[str]) -> str:
    lines = [signature, "{", *("    " + line for line in body), "}"]
    return "\n".join(lines) + "\n"


def _classifier_functions(name: str, body: list[str]) -> list[str]:
    """``NAME_predict_proba`` (of ``body``) and ``NAME_predict``, its argmax."""
    return [
        _function(f"void {name}_predict_proba(const double *x, double *proba)", body),
        _function(
            f"int {name}_predict(const double *x)",
            [
                f"double proba[{name}_N_CLASSES];",
                "int best = 0;",
                f"{name}_predict_proba(x, proba);",
                f"for (int k = 1; k < {name}_N_CLASSES; ++k) {{",
                "    if (proba[k] > proba[best]) {",
                "        best = k;",
                "    }",
                "}",
                "return best;",
            ],
        ),
    ]


def to_c(model: Any, X_sample: Any = None, *, name: str = "skdistill_model") -> str:
    """The student of a fitted model as a self-contained C99 source.

    The source holds the student of ``model`` (see
    :func:`student_pipeline`) and the preprocessing in front of it, with
    no dynamic allocation and no dependency beyond ``<math.h>``, for a
    microcontroller or any C program. A classifier gets::

        #define NAME_N_FEATURES ...
        #define NAME_N_CLASSES ...
        void NAME_predict_proba(const double *x, double *proba);
        int NAME_predict(const double *x);  /* the index of the class */

    and a regressor ``double NAME_predict(const double *x)``. ``x`` holds
    one row: the columns the model was fitted on, in that order, as
    ``double``; a missing value is ``NAN``. After a
    :class:`~skdistill.preprocessing.TableSchema` (the first step of the
    command line's models), a categorical column takes the code of its
    category, its index in ``schema.categories_[column]``, and a missing
    or unseen category ``NAN``. The comment at the top of the source lists
    the columns, the category codes and the classes; :func:`c_inputs`
    turns a table into such rows.

    Supported: decision trees and random forests of scikit-learn, linear
    and logistic models (:class:`~skdistill.SoftLogisticRegression`
    included), LightGBM models (:class:`~skdistill.SoftLGBMClassifier`
    included, categorical splits too), and
    :class:`~skdistill.LogitMatchingClassifier` on any of them; in front of
    them, :class:`~skdistill.preprocessing.TableSchema`,
    ``ColumnTransformer``, ``StandardScaler``, ``MinMaxScaler``,
    ``MaxAbsScaler``, ``RobustScaler``, ``SimpleImputer``,
    ``OneHotEncoder``, ``OrdinalEncoder`` and identity
    ``FunctionTransformer`` steps.

    Parameters
    ----------
    model : estimator
        A fitted distiller, a pipeline ending in one, or a fitted student.
    X_sample : DataFrame or array-like of shape (n_samples, n_features), \
default=None
        Rows like the model's input. Only checked against the columns the
        model was fitted on, which C takes in their fitted order.
    name : str, default="skdistill_model"
        The prefix of the source's identifiers: a C identifier.

    Returns
    -------
    source : str
        The C99 source.

    Raises
    ------
    UnsupportedModelError
        A step or the student that C cannot represent (the message says
        whether :func:`to_onnx` supports it).
    ValueError
        ``name`` is not a valid C identifier, or ``X_sample`` lacks the
        model's columns.

    Notes
    -----
    The numbers are ``double``: the functions compute what ``predict_proba``
    computes on ``float64`` rows, in the same order, so the probabilities
    match to about 1e-15. Trees compare as their library does: a
    scikit-learn tree compares ``float32(x[f])`` with its threshold (the
    source holds the equivalent cut of a ``double``, so no ``float`` is
    involved), LightGBM compares the ``double`` itself, with its rules for
    missing values and its categorical splits. Tables are ``static const``;
    a call uses, on the stack, a few arrays of the widths of the
    preprocessing's outputs (one-hot columns included). ``NAME_predict``
    returns the index of the largest probability, which is the class of
    ``predict`` (barring ties within rounding).

    See Also
    --------
    c_inputs : Rows of a table as the C functions take them.
    to_onnx : The student as an ONNX model.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill.export import to_c
    >>> X, y = load_iris(return_X_y=True)
    >>> tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    >>> source = to_c(tree, name="iris")
    >>> for line in source.splitlines():
    ...     if line.startswith("#"):
    ...         print(line)
    #include <math.h>
    #define iris_N_FEATURES 4
    #define iris_N_CLASSES 3
    >>> "void iris_predict_proba(const double *x, double *proba)" in source
    True
    """
    check_name(name)
    steps = _steps(model)
    final_name, final = steps[-1]
    if not (is_classifier(final) or is_regressor(final)):
        raise unsupported(
            final, f"{final_name!r} is neither a classifier nor a regressor"
        )
    source = CSource(name)
    inputs, remaining = _input(steps, source)
    _check_sample(X_sample, inputs, steps[0][1])
    columns = inputs
    for step_name, step in remaining[:-1]:
        columns = emit_step(step, columns, source, step_name)
    defines = [f"#define {name}_N_FEATURES {len(inputs)}"]
    classes = None
    if is_classifier(final):
        classes = emit_classifier(final, columns, source, final_name)
        defines.append(f"#define {name}_N_CLASSES {len(classes)}")
        functions = _classifier_functions(name, source.take_function_body())
    else:
        outputs = emit_regressor(final, columns, source, final_name)
        if len(outputs) != 1:
            raise unsupported(
                final,
                f"the regressor {final_name!r} has {len(outputs)} outputs; "
                "C supports one",
            )
        body = source.take_function_body()
        functions = [
            _function(
                f"double {name}_predict(const double *x)",
                [*body, f"return {outputs[0]};"],
            )
        ]
    parts = [
        "\n".join(_header(name, steps, inputs, classes)),
        "#include <math.h>",
        "\n".join(defines),
        *source.definitions,
        *functions,
    ]
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def c_inputs(model: Any, X: Any) -> np.ndarray:
    """Rows of a table as the functions of :func:`to_c` take them.

    Parameters
    ----------
    model : estimator
        The fitted model given to :func:`to_c`.
    X : DataFrame or array-like of shape (n_samples, n_features)
        Rows like the model's input. It is not modified.

    Returns
    -------
    rows : ndarray of shape (n_samples, n_features), float64
        One row per ``x`` of the C functions: numbers as they are, a
        category as its code (after a TableSchema, its index in
        ``schema.categories_[column]``), missing values as NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdistill.export import c_inputs
    >>> from skdistill.preprocessing import make_preprocessor
    >>> X = pd.DataFrame(
    ...     {"size": [1.0, 2.0, None, 4.0], "color": ["b", "a", "b", "c"]}
    ... )
    >>> student = LogisticRegression()
    >>> model = make_pipeline(make_preprocessor(student, X), student)
    >>> model = model.fit(X, [0, 1, 0, 1])
    >>> c_inputs(model, X)
    array([[ 1.,  1.],
           [ 2.,  0.],
           [nan,  1.],
           [ 4.,  2.]])
    """
    steps = _steps(model)
    first = steps[0][1]
    if isinstance(first, TableSchema):
        typed = first.transform(X)
        return np.column_stack([_codes(typed[name]) for name in typed.columns])
    names = getattr(first, "feature_names_in_", None)
    if isinstance(X, pd.DataFrame):
        frame = X[_frame_columns(first, X, "X")] if names is not None else X
        recorded = (
            iter(first.booster_.pandas_categorical or [])
            if isinstance(first, LGBMModel)
            else iter(())
        )
        columns = []
        for name in frame.columns:
            column = frame[name]
            if isinstance(column.dtype, pd.CategoricalDtype):
                categories = next(recorded, None)
                if categories is not None:
                    column = column.cat.set_categories(categories)
                columns.append(_codes(column))
            else:
                columns.append(np.asarray(column, dtype=np.float64))
        return np.column_stack(columns)
    return np.array(X, dtype=np.float64)


def _codes(column: pd.Series) -> np.ndarray:
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.float64)
        codes[codes < 0] = np.nan
        return codes
    return column.to_numpy(dtype=np.float64, na_value=np.nan)
