"""The ``skdistill`` command: argument parsing, dispatch and error reporting."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence

from ._errors import EXIT_BROKEN_PIPE, EXIT_FAILURE, EXIT_INTERRUPTED, CLIError

#: Subcommands; each module ``_<name>`` has SUMMARY, DESCRIPTION,
#: ``format_parser(parser)`` and ``main(args)``.
COMMANDS = ("demo", "fit", "compress", "evaluate", "predict", "export")

EPILOG = """\
Run 'skdistill COMMAND --help' for the options of a command.

exit status: 0 on success, 1 on a failure (a file that cannot be read or
written, data that cannot be used, an untrusted model file, a student that
the export format cannot represent, no student within the budget of
'compress'), 2 on a usage error (a wrong option, an
unknown name, a missing column named on the command line, an output file
that exists without --force), 130 when interrupted, 141 (128 + SIGPIPE)
when the reader of the output stopped reading, as 'skdistill predict ... |
head' does, with no message.
"""


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``skdistill`` command and its subcommands.

    Returns
    -------
    parser : argparse.ArgumentParser
    """
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="skdistill",
        description="Knowledge distillation for tabular data: distil a heavy "
        "teacher (such as LightGBM) into a light student and ship the student.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    subparsers = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True
    )
    for name in COMMANDS:
        module = importlib.import_module(f"._{name}", __package__)
        subparser = subparsers.add_parser(
            name,
            help=module.SUMMARY,
            description=module.DESCRIPTION,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.format_parser(subparser)
        subparser.set_defaults(run=module.main)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``skdistill`` command.

    A user mistake is reported as ``skdistill <command>: error: <message>``
    on standard error, without a traceback (``--verbose`` shows it).

    Parameters
    ----------
    argv : sequence of str, default=None
        The arguments after the program name; ``None`` means
        ``sys.argv[1:]``.

    Returns
    -------
    exit_code : int
        0 on success, 1 on a failure, 2 on a usage error, 130 when
        interrupted, 141 when the reader of standard output went away.
    """
    try:
        import pandas  # noqa: F401
    except ImportError:
        print(
            "skdistill: error: the command line needs pandas: pip install pandas",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_FAILURE
    prefix = f"skdistill {args.command}: error:"
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _once(warnings.showwarning)
            code = args.run(args)
        sys.stdout.flush()  # a broken pipe shows here, not at exit
        return code
    except CLIError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"{prefix} {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{prefix} interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        if args.verbose:
            traceback.print_exc()
        hint = "" if args.verbose else " (run with --verbose for the traceback)"
        print(f"{prefix} {type(exc).__name__}: {exc}{hint}", file=sys.stderr)
        return EXIT_FAILURE


def _once(show: Callable[..., None]) -> Callable[..., None]:
    """``warnings.showwarning`` that shows each message once.

    A fit repeats some warnings at every step (scikit-learn's "Skipping
    features without any observed values" at every transform of a column
    without a value: the teacher's folds, the student, the report); the
    command line shows each text once.
    """
    shown: set[tuple[str, type]] = set()

    def show_once(message, category, filename, lineno, file=None, line=None):
        key = (str(message), category)
        if key not in shown:
            shown.add(key)
            show(message, category, filename, lineno, file, line)

    return show_once


def _silence_stdout() -> None:
    """Point standard output at the null device, after its reader went away.

    The reader of standard output (``| head``) stopped reading: what is
    still buffered cannot be written, and Python would report the broken
    pipe again when it flushes standard output at exit ("Exception ignored
    ..."). Python's documented recipe (see "Note on SIGPIPE" in the
    :mod:`signal` documentation): duplicate the null device onto the file
    descriptor of standard output, so that the final flush succeeds quietly.
    """
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)
