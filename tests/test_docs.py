"""The documentation builds without a warning, and documents every public name."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import skdistill
import skdistill.dask
import skdistill.export
import skdistill.metrics
import skdistill.plotting
import skdistill.preprocessing
import skdistill.soft_targets

ROOT = Path(__file__).resolve().parents[1]


def test_api_reference_lists_every_public_name():
    """docs/api.rst has an entry for every name of every public __all__."""
    api = (ROOT / "docs" / "api.rst").read_text()
    listed = set(re.findall(r"^   (\w+)$", api, flags=re.M))
    for module in (
        skdistill,
        skdistill.dask,
        skdistill.export,
        skdistill.metrics,
        skdistill.plotting,
        skdistill.preprocessing,
        skdistill.soft_targets,
    ):
        missing = set(module.__all__) - listed - {"__version__"}
        assert not missing, f"{module.__name__}: not in docs/api.rst: {missing}"


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    """sphinx-build -W succeeds on a copy of docs/ and examples/.

    The examples are not executed (plot_gallery=0): test_readme.py runs them.
    The build runs in its own process, so that Sphinx's logging and imports
    stay out of the test session.
    """
    for module in (
        "sphinx",
        "sphinx_gallery",
        "numpydoc",
        "myst_parser",
        "pydata_sphinx_theme",
    ):
        pytest.importorskip(module)
    ignore = shutil.ignore_patterns("_build", "generated", "auto_examples")
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=ignore)
    shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=ignore)
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-D",
            "plot_gallery=0",
            "-b",
            "html",
            str(tmp_path / "docs"),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "html" / "api.html").exists()


def test_architecture_page_maps_every_module():
    """docs/architecture.md names every module of the package, and only those.

    Its module map lists each ``.py`` file of ``skdistill/`` by its path in the
    package (the command line's modules as ``cli/``); every path it names in
    backquotes that looks like a module must exist.
    """
    page = (ROOT / "docs" / "architecture.md").read_text()
    package = ROOT / "skdistill"
    modules = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "cli" not in path.relative_to(package).parts
    }
    modules.discard("__main__.py")
    named = {
        name.removeprefix("skdistill/")
        for name in re.findall(r"`((?:\w+/)*_?\w+\.py)`", page)
        if not name.startswith(("tests/", "benchmarks/", "examples/"))
    }
    missing = sorted(modules - named - {Path(m).name for m in named})
    assert not missing, f"docs/architecture.md does not map {missing}"
    mapped = {m for m in named if "/" in m or (package / m).exists()}
    stale = sorted(
        m
        for m in mapped
        if not (package / m).exists() and not (package / "cli" / m).exists()
    )
    assert not stale, f"docs/architecture.md names modules that do not exist: {stale}"
    assert "`cli/`" in page
