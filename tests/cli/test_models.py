"""The named teachers and students, each with make_preprocessor's preprocessing."""

import pytest
from cli._helpers import classification_table, regression_table
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.pipeline import Pipeline

from skdistill.cli._models import (
    STUDENTS,
    TEACHERS,
    ModelOptions,
    build_student,
    build_teacher,
)
from skdistill.preprocessing import TableSchema, make_preprocessor

CASES = [
    (task, role, name)
    for role, registry in (("teacher", TEACHERS), ("student", STUDENTS))
    for name, model in registry.items()
    for task in model.tasks
]


@pytest.mark.parametrize("task, role, name", CASES)
def test_named_models_get_the_public_preprocessing(task, role, name):
    """Each named model gets make_preprocessor's preprocessing of the typed table.

    A model that takes the typed table as it is (LightGBM) stays bare, so that
    the distiller sees it (a LightGBM student is fitted natively).
    """
    if task == "classification":
        X = classification_table().drop(columns=["id", "label"])
    else:
        X = regression_table().drop(columns="price")
    schema = TableSchema().fit(X)
    typed = schema.transform(X)
    build = build_teacher if role == "teacher" else build_student
    model = build(name, task, typed, schema, ModelOptions())
    if isinstance(model, Pipeline):
        assert [step for step, _ in model.steps] == ["encode", "model"]
        expected = make_preprocessor(model[-1], typed, schema=schema)
        assert repr(model["encode"]) == repr(expected)
        encoded = model["encode"].fit_transform(typed)
        assert encoded.shape[0] == len(X)
    else:
        assert isinstance(model, (LGBMClassifier, LGBMRegressor))
