"""``skdistill export``: a saved model's student as ONNX or as C source.

The student alone is shipped (:func:`skdistill.export.student_pipeline`:
the table's schema, the student's encoding and the student, no teacher),
through :func:`skdistill.export.to_onnx` or :func:`skdistill.export.to_c`.
``skdistill fit --export`` writes the same file next to the model it saves.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from ._console import Progress, add_common_options
from ._errors import EXIT_USAGE, CLIError
from ._evaluate import add_model_options
from ._files import atomic_write, check_destination
from ._persist import load_bundle

SUMMARY = "export a saved model's student as ONNX or as dependency-free C"
DESCRIPTION = """\
Write the distilled student of a model saved by 'skdistill fit', with the
preprocessing in front of it (the table's column types and the student's
encoding) and without the teacher, in a format that runs without Python:

  onnx  an ONNX model, for onnxruntime and the other ONNX runtimes (needs
        pip install "skdistill[export]")
  c     one self-contained C99 source file, without dynamic memory and
        with no dependency beyond <math.h>, for embedded devices; --name
        prefixes its functions

The user guide's page "Deploying the student" tells which students and
encodings each format supports; a student that a format cannot represent
is refused with the formats that can. An existing FILE is replaced only
with --force, and never if it is MODEL; FILE appears once complete.

examples:
  skdistill export churn.skops --format onnx --out churn.onnx
  skdistill export churn.skops --format c --out churn.c --name churn
"""

#: Export formats: name -> (name in messages, file suffix).
FORMATS = {"onnx": ("ONNX", ".onnx"), "c": ("C", ".c")}
#: Packages each format needs, checked before any work (the ONNX converters
#: need more for some students, such as onnxmltools for LightGBM; their
#: absence is reported by the export itself).
REQUIRED_PACKAGES = {"onnx": ("onnx", "skl2onnx"), "c": ()}
#: Prefix of the functions of the C source, unless ``--name`` is given.
DEFAULT_C_NAME = "skdistill_model"


def c_identifier(text: str) -> str:
    """argparse type: a name that can prefix the identifiers of the C source.

    A C identifier that is neither a keyword nor reserved for the C
    implementation: the rule of :func:`skdistill.export.to_c`'s ``name``.
    """
    from ..export._c_writer import check_name

    try:
        return check_name(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def format_parser(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``skdistill export`` to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    """
    add_model_options(parser)
    parser.add_argument(
        "--format",
        required=True,
        choices=list(FORMATS),
        help="onnx: an ONNX model; c: a C99 source file",
    )
    parser.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="where to write the export (such as student.onnx or student.c)",
    )
    parser.add_argument(
        "--name",
        type=c_identifier,
        metavar="NAME",
        help="prefix of the C functions and constants, a C identifier "
        f"(--format c only; default: {DEFAULT_C_NAME})",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite FILE if it exists (never MODEL); the old file stays "
        "whole until the new one is complete",
    )
    add_common_options(parser)


def describe_student(student: Any) -> str:
    """The steps of an exported student, such as ``TableSchema -> DecisionTree...``.

    Parameters
    ----------
    student : estimator
        :func:`~skdistill.export.student_pipeline` of a model.

    Returns
    -------
    text : str
    """
    steps = getattr(student, "steps", None)
    if steps is None:
        return type(student).__name__
    return " -> ".join(type(step).__name__ for _, step in steps)


def check_dependencies(export_format: str) -> None:
    """Raise an error telling what to install if the format's packages are missing.

    Parameters
    ----------
    export_format : {"onnx", "c"}
        The format.
    """
    missing = [
        package
        for package in REQUIRED_PACKAGES[export_format]
        if importlib.util.find_spec(package) is None
    ]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise CLIError(
            f"exporting as {FORMATS[export_format][0]} needs {' and '.join(missing)}, "
            f'which {verb} not installed: pip install "skdistill[export]"'
        )


def export_student(
    model: Any, export_format: str, *, name: str = DEFAULT_C_NAME, source: str
) -> tuple[bytes, str]:
    """The student of ``model`` as the bytes of an ONNX model or of C source.

    Parameters
    ----------
    model : estimator
        A bundle's model: the distiller's pipeline, or the student's.
    export_format : {"onnx", "c"}
        The format.
    name : str, default=DEFAULT_C_NAME
        Prefix of the C functions.
    source : str
        The model file, for messages.

    Returns
    -------
    content : bytes
        What to write.
    steps : str
        The exported steps (see :func:`describe_student`).

    Raises
    ------
    CLIError
        The format cannot represent the student (the message of
        :class:`~skdistill.export.UnsupportedModelError`, which names the
        formats that can), or its optional dependencies are missing.
    """
    from ..export import UnsupportedModelError, student_pipeline, to_c, to_onnx

    title = FORMATS[export_format][0]
    try:
        student = student_pipeline(model)
        if export_format == "onnx":
            content = to_onnx(student, None).SerializeToString()
        else:
            content = to_c(student, name=name).encode("utf-8")
    # the format cannot represent the student; an optional dependency is
    # missing; the model's data cannot be exported (a column named like an
    # output): each message says what to do
    except (UnsupportedModelError, ImportError, ValueError) as exc:
        raise CLIError(
            f"cannot export the student of {source} as {title}: {exc}"
        ) from None
    return content, describe_student(student)


def save_export(
    model: Any,
    export_format: str,
    path: str | Path,
    *,
    name: str = DEFAULT_C_NAME,
    source: str,
) -> tuple[int, str]:
    """Export the student of ``model`` and write it to ``path`` atomically.

    ``path`` is checked beforehand with
    :func:`~skdistill.cli._files.check_destination`.

    Parameters
    ----------
    model : estimator
        A bundle's model.
    export_format : {"onnx", "c"}
        The format.
    path : str or Path
        Where to write.
    name : str, default=DEFAULT_C_NAME
        Prefix of the C functions.
    source : str
        The model file, for messages.

    Returns
    -------
    size : int
        Bytes written.
    steps : str
        The exported steps.
    """
    content, steps = export_student(model, export_format, name=name, source=source)
    with atomic_write(path) as file:
        file.write(content)
    return len(content), steps


def main(args: argparse.Namespace) -> int:
    """Run ``skdistill export``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments.

    Returns
    -------
    exit_code : int
        0 on success.
    """
    progress = Progress(args.quiet)
    if args.name is not None and args.format != "c":
        raise CLIError(
            f"--name names the functions of C source; it does not apply to "
            f"--format {args.format}",
            EXIT_USAGE,
        )
    out = check_destination(args.out, force=args.force, inputs={"MODEL": args.model})
    check_dependencies(args.format)
    bundle = load_bundle(args.model, trust_untrusted_types=args.trust_untrusted_types)
    size, steps = save_export(
        bundle["model"],
        args.format,
        out,
        name=args.name or DEFAULT_C_NAME,
        source=args.model,
    )
    progress.note(
        f"wrote the student of {args.model} ({steps}) as "
        f"{FORMATS[args.format][0]} to {args.out} ({size:,} bytes)"
    )
    return 0
