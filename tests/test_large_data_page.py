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
