"""Progress lines on standard error, and the options every command shares."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


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
