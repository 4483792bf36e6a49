"""The benchmark suites run in quick mode, on synthetic data, and write nothing.

Quick mode (``python benchmarks/run.py --quick``) shrinks every suite to a
smoke test: tiny synthetic datasets, few trees, one split. The suites run
here in this process through the harness, with its output folders pointed
at a temporary directory that must stay empty.
"""

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SUITES = sorted(
    path.stem
    for path in (BENCHMARKS / "suites").glob("*.py")
    if path.stem != "__init__"
)


@pytest.fixture(scope="module")
def harness():
    """The harness module, imported with benchmarks/ on sys.path as run.py does."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import _harness

        yield _harness
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.mark.slow
@pytest.mark.parametrize("name", SUITES)
def test_suite_runs_quick_and_writes_nothing(name, harness, tmp_path, monkeypatch):
    """Each suite's quick run returns its page and writes no file."""
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    monkeypatch.setattr(harness, "ROOT", out)
    monkeypatch.setattr(harness, "DOCS", out / "docs" / "benchmarks")
    monkeypatch.setattr(harness, "IMAGES", out / "docs" / "benchmarks" / "img")
    try:
        page, _ = harness.run_suite(name, quick=True, write=True)
    except ModuleNotFoundError as error:
        if error.name == "matplotlib":
            pytest.skip("matplotlib is not installed (the suites' figures need it)")
        raise
    except SystemExit as error:
        # the shared datasets, or the dask extra (the scale suite), are absent
        if "datasets folder not found" in str(error) or "skdistill[dask]" in str(error):
            pytest.skip(str(error))
        raise
    title = harness.load_suite(name).TITLE
    assert page.startswith(f"# {title}\n")
    assert "|---" in page, "the page has no table"
    header = page.splitlines()[2]
    for recorded in ("(commit ", "scikit-learn ", "LightGBM ", "numpy "):
        assert recorded in header, f"the page does not record {recorded.strip()}"
    assert list(out.rglob("*")) == [], "quick mode wrote files"


def test_versions_name_the_commit(harness):
    """The page header names the checkout's commit and the library versions."""
    import lightgbm
    import numpy
    import sklearn

    text = harness.versions()
    assert f"scikit-learn {sklearn.__version__}" in text
    assert f"LightGBM {lightgbm.__version__}" in text
    assert f"numpy {numpy.__version__}" in text
    commit = harness.commit()
    assert commit.startswith("unknown") or len(commit.split("+")[0]) == 10


def test_cli_lists_every_suite():
    """``run.py --list`` names every suite with its title."""
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--list"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert sorted(listed) == SUITES
