"""Progress lines and bars on standard error, and the options every command shares."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO


class Progress:
    """Progress lines on standard error, so that standard output stays clean.

    Parameters
    ----------
    quiet : bool, default=False
        Print nothing.
    stream : file, default=None
        Where to print; ``None`` means ``sys.stderr`` at the time of printing.
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream

    def _print(self, text: str, end: str = "\n") -> None:
        if not self.quiet:
            print(text, end=end, file=self.stream or sys.stderr, flush=True)

    def note(self, message: str) -> None:
        """Print one line.

        Parameters
        ----------
        message : str
            The line.
        """
        self._print(message)

    @contextmanager
    def step(self, message: str) -> Iterator[None]:
        """Print ``message ...`` before a step and its duration after it.

        Parameters
        ----------
        message : str
            What the step does.
        """
        self._print(f"{message} ...", end=" ")
        start = time.perf_counter()
        try:
            yield
        except BaseException:
            self._print("failed")
            raise
        self._print(f"done in {time.perf_counter() - start:.1f} s")

    def bar(
        self,
        *,
        total: int | None,
        description: str,
        unit: str = "rows",
        force: bool = False,
    ) -> Any:
        """A :mod:`tqdm` progress bar on standard error, shown only to a person.

        The bar is shown when standard error is a terminal, or with
        ``force`` (the command's ``--progress``); never with ``quiet``. A
        bar that is not shown is a disabled ``tqdm``: its calls do nothing.

        Parameters
        ----------
        total : int or None
            What completes the bar; None shows the count and the rate only.
        description : str
            Shown before the bar.
        unit : str, default="rows"
            What is counted.
        force : bool, default=False
            Show it even when standard error is not a terminal (a log file).

        Returns
        -------
        bar : tqdm.tqdm
            Use it as a context manager, ``update(n)`` after each chunk.
        """
        from tqdm import tqdm

        stream = self.stream or sys.stderr
        shown = not self.quiet and (force or _is_terminal(stream))
        return tqdm(
            total=total,
            desc=description,
            unit=unit,
            unit_scale=True,
            file=stream,
            disable=not shown,
            dynamic_ncols=True,
            mininterval=0.5,
        )


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed, or not a real file
        return False


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--quiet`` and ``--verbose`` to a subcommand's parser.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    group = parser.add_argument_group("output")
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print no progress lines (results and errors are still printed)",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print more progress, and the traceback of an error",
    )
