"""What every display shares: the matplotlib check, axes and line styles.

matplotlib is an optional dependency (``pip install "skdistill[plots]"``):
it is imported inside these helpers only, never at module import.
"""

from __future__ import annotations

from typing import Any


def check_matplotlib_support(caller_name: str) -> None:
    """Raise an ImportError telling how to install matplotlib if it is missing.

    Parameters
    ----------
    caller_name : str
        The method that needs matplotlib, named in the message.
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"{caller_name} requires matplotlib, which is not installed. "
            'Install it with: pip install "skdistill[plots]"'
        ) from exc


def axes_and_figure(ax: Any, caller_name: str) -> tuple[Any, Any]:
    """``ax`` and its figure, or new ones when ``ax`` is None."""
    check_matplotlib_support(caller_name)
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax, ax.figure


def line_style(defaults: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """``defaults`` updated by the caller's keyword arguments for ``Axes.plot``.

    Aliases (``ls``, ``c``, ...) are normalized first, so that ``ls=":"``
    replaces a default ``linestyle`` instead of clashing with it.
    """
    from matplotlib.cbook import normalize_kwargs
    from matplotlib.lines import Line2D

    return {**normalize_kwargs(defaults, Line2D), **normalize_kwargs(user, Line2D)}


def prefixed(name: str | None, label: str) -> str:
    """A legend label, prefixed by the display's name when it has one."""
    return label if name is None else f"{name}: {label}"
