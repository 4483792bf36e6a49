"""The Python blocks of docs/user_guide/deploying.md run as written."""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "user_guide" / "deploying.md"


@pytest.mark.slow
def test_deploying_page_runs(capsys):
    pytest.importorskip("onnxruntime")
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)
    assert len(blocks) == 4
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(PAGE), "exec"), namespace)
    out = capsys.readouterr().out
    assert "['TableSchema', 'ColumnTransformer', 'DecisionTreeClassifier']" in out
    assert "True" in out  # ONNX probabilities within 1e-5
    model, X = namespace["model"], namespace["X"]
    if shutil.which("cc"):
        printed = re.findall(r"class (\d), p = ([\d.]+) ([\d.]+)", out)
        assert len(printed) == 3
        proba = model.predict_proba(X.head(3))
        np.testing.assert_allclose(
            [[float(a), float(b)] for _, a, b in printed], proba, atol=6e-5
        )
        assert [int(k) for k, _, _ in printed] == list(proba.argmax(axis=1))
