"""The Python blocks of docs/user_guide/large_data.md run as written."""

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[1] / "docs" / "user_guide" / "large_data.md"


def _blocks():
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)


@pytest.mark.slow
def test_streaming_example_prints_what_the_page_says(capsys):
    exec(compile(_blocks()[0], str(PAGE), "exec"), {})
    out = capsys.readouterr().out
    scores = dict(
        re.findall(r"^(teacher|distilled student|hard-label twin) ([\d.]+)$", out, re.M)
    )
    assert out.startswith("6 weighted")
    text = PAGE.read_text()
    for name, value in scores.items():
        assert value in text, f"the page quotes another {name} figure than {value}"
    assert float(scores["teacher"]) > float(scores["distilled student"])
    assert float(scores["distilled student"]) > float(scores["hard-label twin"])


@pytest.mark.slow
def test_dask_example_runs_on_a_local_cluster(capsys):
    pytest.importorskip("dask_ml")
    pytest.importorskip("distributed")
    block = next(b for b in _blocks() if "LocalCluster" in b)
    namespace = {"__name__": "__main__"}
    exec(compile(block, str(PAGE), "exec"), namespace)
    out = capsys.readouterr().out
    assert "\nLGBMClassifier 7 native\n" in f"\n{out}"
    assert "(175000, 4) (25000, 25000)" in out
    teacher = float(re.search(r"^teacher ([\d.]+)$", out, re.M).group(1))
    student = float(re.search(r"^student ([\d.]+)$", out, re.M).group(1))
    assert abs(teacher - 0.85) < 0.02
    assert abs(student - 0.81) < 0.01  # the page: "about 0.81"
    assert "{'alpha': 0.5, 'temperature': 1.0}" in out
