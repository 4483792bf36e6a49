"""The error a subcommand raises for a user mistake, shown without a traceback."""

from __future__ import annotations

#: Exit status of a failure: a file that cannot be read, unusable data.
EXIT_FAILURE = 1
#: Exit status of a usage error: a wrong option value, an unknown name.
EXIT_USAGE = 2
#: Exit status after an interrupt (Ctrl-C): 128 + SIGINT, as shells report it.
EXIT_INTERRUPTED = 130
#: Exit status when the reader of standard output went away (``| head``):
#: 128 + SIGPIPE, what a shell reports for a program that SIGPIPE ended.
EXIT_BROKEN_PIPE = 141


class CLIError(Exception):
    """A user mistake or an unusable input, reported as one line on stderr.

    ``skdistill.cli.main`` prints ``skdistill <command>: error: <message>``
    and returns ``exit_code``; no traceback is shown unless ``--verbose``.

    Parameters
    ----------
    message : str
        What went wrong and, when possible, how to fix it.
    exit_code : int, default=1
        ``1`` (:data:`EXIT_FAILURE`) for a failure, ``2``
        (:data:`EXIT_USAGE`) for a usage error.
    """

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code
