"""The README's quick start and the example scripts run as written."""

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_readme_quick_start_runs(capsys):
    """The first Python block of the README executes and prints the report."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README has no python block"
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    model = namespace["model"]
    assert namespace["student"] is model.student_
    # what the README says of the defaults on this multiclass problem
    assert model.fit_strategy_ == "logit_tree"
    assert (model.temperature_, model.alpha_) == (2.0, 0.5)
    assert model.score(namespace["X_test"], namespace["y_test"]) > 0.75
    out = capsys.readouterr().out
    assert "Distillation report" in out
    assert "distilled" in out


def test_readme_set_up_commands():
    """The README gives the two set-up commands, and CI runs the second."""
    text = (ROOT / "README.md").read_text()
    demo = "python -m pip install -e . && skdistill demo"
    tests = 'python -m pip install -e ".[test]" && python -m pytest'
    assert f"```bash\n{demo}\n```" in text
    assert f"```bash\n{tests}\n```" in text
    assert tests in (ROOT / ".ci" / "run").read_text()
    assert text.count("<!-- headline-table:start -->") == 1
    assert text.count("<!-- headline-table:end -->") == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    "script", sorted((ROOT / "examples").glob("*.py")), ids=lambda p: p.name
)
def test_example_runs(script, capsys, monkeypatch):
    """Every example script runs to the end, without a display, and prints."""
    if "matplotlib" in script.read_text():
        monkeypatch.setenv("MPLBACKEND", "Agg")
        matplotlib = pytest.importorskip("matplotlib")
        matplotlib.use("Agg", force=True)
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip()
    if "matplotlib" in script.read_text():
        import matplotlib.pyplot as plt

        plt.close("all")
