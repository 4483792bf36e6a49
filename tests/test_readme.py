"""The README's quick start and the example scripts run as written."""

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_readme_quick_start_runs(capsys):
    """The first Python block of the README executes and prints a search result."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README has no python block"
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    search = namespace["search"]
    assert set(search.best_params_) == {
        "distilledclassifier__temperature",
        "distilledclassifier__alpha",
    }
    assert search.best_score_ > 0.9
    assert "student" in namespace
    assert "distilledclassifier__alpha" in capsys.readouterr().out


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
