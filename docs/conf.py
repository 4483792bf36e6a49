"""Sphinx configuration of the skdistill documentation.

Build without re-running the examples (the test suite already runs them)::

    python -m pip install -e ".[docs]"
    sphinx-build -W --keep-going -D plot_gallery=0 -b html docs docs/_build/html

Drop ``-D plot_gallery=0`` to execute the examples and show their output and
figures. Nothing here needs the network.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import skdistill

HERE = Path(__file__).resolve().parent
# makes ``conf.ExampleOrder`` importable by sphinx-gallery (see below)
sys.path.insert(0, str(HERE))

project = "skdistill"
author = "The skdistill developers"
copyright = "The skdistill developers"
release = skdistill.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "**.ipynb_checkpoints",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
]
default_role = "literal"

# -- API reference -----------------------------------------------------------
autosummary_generate = True
# members defined by skdistill only: the methods inherited from scikit-learn
# (get_params, score, ...) are documented there
autodoc_default_options = {"members": True}
autodoc_typehints = "none"  # the numpydoc Parameters sections say it all
numpydoc_show_class_members = True
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False

# The set_{method}_request methods that scikit-learn generates on estimators
# keep its docstrings, whose :ref: and :term: roles point into scikit-learn's
# own documentation: they are written as plain text here.
_SKLEARN_ROLE = re.compile(r":(?:ref|term):`([^`<]*?)\s*(?:<[^`>]*>)?`")
# an attribute type such as "ndarray of shape (n_features_in_,)" would read
# as a reStructuredText reference (the trailing underscore)
_TRAILING_UNDERSCORE = re.compile(r"(?<![`\w])(n_features_in_)(?=[,)])")


def _clean_docstring(app, what, name, obj, options, lines):
    if getattr(obj, "__module__", "").startswith("sklearn"):
        lines[:] = [_SKLEARN_ROLE.sub(r"\1", line) for line in lines]
    lines[:] = [_TRAILING_UNDERSCORE.sub(r"``\1``", line) for line in lines]


# -- Markdown pages ----------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# -- Examples gallery --------------------------------------------------------
EXAMPLE_ORDER = [
    "plot_quickstart.py",
    "plot_lgbm_to_logistic.py",
    "plot_shallow_tree.py",
    "plot_transfer_sets.py",
    "plot_grid_search.py",
    "plot_compression_budget.py",
    "plot_regression.py",
    "plot_report.py",
]


class ExampleOrder:
    """Gallery order: EXAMPLE_ORDER first, any other example after, by name."""

    def __init__(self, src_dir: str) -> None:
        self.src_dir = src_dir

    def __call__(self, filename: str) -> tuple[int, str]:
        name = Path(filename).name
        if name in EXAMPLE_ORDER:
            return EXAMPLE_ORDER.index(name), name
        return len(EXAMPLE_ORDER), name

    def __repr__(self) -> str:
        return f"ExampleOrder({EXAMPLE_ORDER})"


sphinx_gallery_conf = {
    "examples_dirs": str(HERE.parent / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    # a string, so that the configuration stays picklable
    "within_subsection_order": "conf.ExampleOrder",
    "doc_module": ("skdistill",),
    "backreferences_dir": "generated/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
}

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skdistill {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
}
html_show_sourcelink = False


def setup(app):
    app.connect("autodoc-process-docstring", _clean_docstring)
