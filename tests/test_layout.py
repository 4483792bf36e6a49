"""The package's layout: no import cycle, public paths outside the package."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "skdistill"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The skdistill modules a file imports, at module level or in a function."""
    tree = ast.parse(path.read_text())
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module.startswith("skdistill"):
                found.add(module)
                # "from . import x" / "from .pkg import mod": x may be a module
                for alias in node.names:
                    found.add(f"{module}.{alias.name}")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("skdistill"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in _imports(path):
            # keep the longest prefix that is a module of the package
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def _is_package(name: str) -> bool:
    return (ROOT / Path(*name.split(".")) / "__init__.py").exists()


def test_no_import_cycle_between_modules():
    """No module imports, directly or not, one that imports it back.

    Imports inside functions count too; a package's ``__init__`` (which only
    re-exports its modules) is left out of the cycles, as importing a
    submodule runs it anyway.
    """
    graph = {
        name: {t for t in targets if not _is_package(t)}
        for name, targets in _graph().items()
        if not _is_package(name)
    }
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_docs_examples_and_benchmarks_import_public_paths():
    """Outside the package and its tests, no import names a private module."""
    files = [
        *(ROOT / "examples").glob("*.py"),
        *(ROOT / "benchmarks").rglob("*.py"),
        *(ROOT / "docs").glob("*.md"),
        *(ROOT / "docs" / "user_guide").glob("*.md"),
        ROOT / "README.md",
    ]
    private = []
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            stripped = line.strip().removeprefix(">>> ")
            if stripped.startswith(("from skdistill", "import skdistill")):
                module = stripped.split()[1]
                if any(part.startswith("_") for part in module.split(".")):
                    private.append(f"{path.relative_to(ROOT)}:{number}: {stripped}")
    assert not private, "imports of private modules:\n" + "\n".join(private)


def test_doctests_import_public_paths():
    """Docstring examples of public names import them from public paths."""
    private = []
    for path in PACKAGE.rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith((">>> from skdistill", ">>> import skdistill")):
                module = stripped.split()[2]
                if any(part.startswith("_") for part in module.split(".")):
                    private.append(f"{path.relative_to(ROOT)}:{number}: {stripped}")
    assert not private, "doctests importing private modules:\n" + "\n".join(private)


def test_public_classes_live_at_public_paths():
    """A saved model names its classes by module: every public one is public.

    skops and pickle write ``<__module__>.<name>`` into model files; a class
    exported by a public module must not name a private module there, so
    that the package's layout can change without breaking saved models.
    """
    import inspect

    from sklearn.base import BaseEstimator

    import skdistill
    import skdistill.augment
    import skdistill.export
    import skdistill.metrics
    import skdistill.plotting
    import skdistill.preprocessing
    import skdistill.students
    import skdistill.variants

    for module in (
        skdistill,
        skdistill.augment,
        skdistill.export,
        skdistill.metrics,
        skdistill.plotting,
        skdistill.preprocessing,
        skdistill.students,
        skdistill.variants,
    ):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                parts = obj.__module__.split(".")
                assert not any(p.startswith("_") for p in parts), (
                    f"{module.__name__}.{name} is saved as {obj.__module__}.{name}"
                )
