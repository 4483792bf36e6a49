"""The ``skdistill`` command: help, version, usage errors, error reporting."""

import os
import subprocess
import sys

import pytest
from cli._helpers import REPO, last_line, run


def test_help_of_the_command_and_every_subcommand(capsys):
    """--help works everywhere and lists the subcommands."""
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("demo", "fit", "evaluate", "predict", "export"):
        assert command in out
        code, out_command, _ = run(capsys, command, "--help")
        assert code == 0
        assert f"usage: skdistill {command}" in out_command


def test_version(capsys):
    """--version prints the package version."""
    from skdistill import __version__

    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"skdistill {__version__}"


def test_no_command_is_a_usage_error(capsys):
    """Without a subcommand: exit code 2 and argparse's message."""
    code, _, err = run(capsys)
    assert code == 2
    assert "the following arguments are required: COMMAND" in err


def test_out_is_required(capsys):
    """fit without --out is a usage error."""
    code, _, err = run(capsys, "fit", "data.csv", "--target", "y")
    assert code == 2
    assert "the following arguments are required: --out" in err


@pytest.mark.slow
def test_python_dash_m_skdistill_runs():
    """``python -m skdistill --help`` runs as a separate process."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}
    result = subprocess.run(
        [sys.executable, "-m", "skdistill", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: skdistill")


@pytest.mark.parametrize(
    "option, message",
    [
        (["--alpha", "2"], "argument --alpha: must be between 0 and 1, got 2"),
        (["--temperature", "0"], "argument --temperature: must be greater than 0"),
        (
            ["--teacher-cv", "1"],
            "argument --teacher-cv: must be 'none' or at least 2 folds, got 1",
        ),
        (
            ["--teacher-cv", "many"],
            "argument --teacher-cv: must be 'none' or an integer, got 'many'",
        ),
        (
            ["--test-size", "1"],
            "argument --test-size: must be at least 0 and less than 1, got 1",
        ),
        (["--n-jobs", "0"], "argument --n-jobs: must not be 0"),
        (["--augment", "smote"], "argument --augment: invalid choice: 'smote'"),
    ],
)
def test_bad_option_values(tmp_path, capsys, option, message):
    """Option values are checked by argparse: exit code 2."""
    code, _, err = run(
        capsys, "fit", "data.csv", "--target", "y", "--out", tmp_path / "m", *option
    )
    assert code == 2
    assert message in err


def test_verbose_shows_the_traceback(tmp_path, capsys):
    """--verbose adds the traceback to the message."""
    missing = tmp_path / "nope.csv"
    code, _, err = run(
        capsys, "fit", missing, "--target", "y", "--out", tmp_path / "m", "-v"
    )
    assert code == 1
    assert "Traceback" in err
    assert err.endswith(f"skdistill fit: error: no such file: {missing}\n")


def test_unexpected_errors_have_a_hint(fitted, capsys, monkeypatch):
    """An unexpected exception: its type and message, and a hint, exit code 1."""
    data, model = fitted

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("skdistill.cli._predict.read_table", boom)
    code, _, err = run(capsys, "predict", model, data)
    assert code == 1
    assert err == (
        "skdistill predict: error: RuntimeError: boom (run with --verbose for the "
        "traceback)\n"
    )


def test_teacher_cv_option_is_the_distillers_teacher_cv(capsys):
    """--teacher-cv is documented as teacher_cv of the distillers; --cv is gone."""
    for command in ("fit", "demo"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        assert "--teacher-cv K" in out
        assert "teacher_cv" in " ".join(out.split())  # help lines are wrapped
        assert "--cv" not in out
    code, _, err = run(
        capsys, "fit", "d.csv", "--target", "y", "--out", "m", "--cv", "3"
    )
    assert code == 2
    assert "unrecognized arguments: --cv 3" in err


def test_defaults_are_read_from_the_distillers():
    """The distillation options default to the distillers' own defaults."""
    from skdistill import DistilledClassifier, DistilledRegressor
    from skdistill._teacher import DEFAULT_TEACHER_PARAMS
    from skdistill.cli._main import build_parser
    from skdistill.cli._models import TEACHER_TREES
    from skdistill.cli._train import (
        DEFAULT_ALPHA,
        DEFAULT_TEACHER_CV,
        DEFAULT_TEMPERATURE,
        Settings,
    )

    distiller = DistilledClassifier()
    assert DEFAULT_TEMPERATURE == distiller.temperature
    assert DEFAULT_ALPHA == {
        "classification": distiller.alpha,
        "regression": DistilledRegressor().alpha,
    }
    assert DEFAULT_TEACHER_CV == distiller.teacher_cv
    assert TEACHER_TREES == DEFAULT_TEACHER_PARAMS["n_estimators"]
    args = build_parser().parse_args(["fit", "d.csv", "--target", "y", "--out", "m"])
    assert args.alpha is None  # the distiller's own default, for the task
    assert args.teacher_cv == distiller.teacher_cv
    settings = Settings.from_args(args)
    assert settings.teacher_cv == distiller.teacher_cv
    for task, default in DEFAULT_ALPHA.items():
        assert settings.to_dict(task)["alpha"] == default


FLOAT_OPTIONS = ["--temperature", "--alpha", "--test-size"]


@pytest.mark.parametrize("command", ["fit", "demo"])
@pytest.mark.parametrize("option", FLOAT_OPTIONS)
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "Infinity", "1e999"])
def test_float_options_must_be_finite(tmp_path, capsys, command, option, value):
    """inf, nan and overflowing numbers are refused by argparse, before any work.

    The data file does not exist: the option is the first error found.
    ``--option=-inf``: argparse takes a lone ``-inf`` for an option.
    """
    argv = [command, f"{option}={value}"]
    if command == "fit":
        argv += [tmp_path / "missing.csv", "--target", "y", "--out", tmp_path / "m"]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert last_line(err) == (
        f"skdistill {command}: error: argument {option}: must be a finite number, "
        f"got {value!r}"
    )


def test_every_float_option_is_checked_for_finiteness():
    """The float options of fit and demo are the ones tested above."""
    from skdistill.cli._main import build_parser
    from skdistill.cli._train import finite_float

    parser = build_parser()
    subparsers = next(
        action for action in parser._actions if action.dest == "command"
    ).choices
    for name in ("fit", "demo"):
        floats = [
            action.option_strings[-1]
            for action in subparsers[name]._actions
            if getattr(action.type, "__name__", "").endswith("float")
        ]
        assert sorted(floats) == sorted(FLOAT_OPTIONS)
    assert finite_float("0.5") == 0.5


@pytest.mark.parametrize(
    "option, message",
    [
        (["--temperature", "-1"], "argument --temperature: must be greater than 0"),
        (["--alpha", "-0.1"], "argument --alpha: must be between 0 and 1, got -0.1"),
        (
            ["--test-size", "-0.5"],
            "argument --test-size: must be at least 0 and less than 1, got -0.5",
        ),
        (
            ["--random-state", "-1"],
            "argument --random-state: must be an integer from 0 to 4294967295, got -1",
        ),
        (
            ["--random-state", "4294967296"],
            "argument --random-state: must be an integer from 0 to 4294967295",
        ),
        (["--random-state", "1.5"], "argument --random-state: must be an integer"),
    ],
)
def test_more_bad_option_values(tmp_path, capsys, option, message):
    """Negative and out-of-range values, and the seed's range, exit code 2."""
    code, _, err = run(
        capsys, "fit", tmp_path / "missing.csv", "--target", "y", "--out", "m", *option
    )
    assert code == 2
    assert message in last_line(err)


def test_demo_still_needs_held_out_rows(capsys):
    """--test-size 0 is for fit only: the demo's whole output is a held-out report."""
    code, out, err = run(capsys, "demo", "--test-size", "0")
    assert code == 2
    assert out == ""
    assert last_line(err) == (
        "skdistill demo: error: argument --test-size: must be strictly between 0 "
        "and 1, got 0"
    )


def test_help_lists_export_and_documents_the_new_options(capsys):
    """``skdistill --help`` lists export; each new option has its help text."""
    code, out, _ = run(capsys, "--help")
    assert code == 0
    summary = "export    export a saved model's student as ONNX or as dependency-free C"
    assert summary in out
    code, out, _ = run(capsys, "export", "--help")
    assert code == 0
    text = " ".join(out.split())  # help lines are wrapped
    for option in ("--format {onnx,c}", "--out FILE", "--name NAME", "--force"):
        assert option in text
    assert "--trust-untrusted-types" in text
    code, out, _ = run(capsys, "fit", "--help")
    assert code == 0
    text = " ".join(out.split())
    for option in (
        "--refit-all",
        "--student-only",
        "--export {onnx,c}",
        "--export-out FILE",
        "0 holds none out: the model is trained on all rows and there is no report",
    ):
        assert option in text
    code, out, _ = run(capsys, "evaluate", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert "--onnx add the size and latency (onnxruntime, one thread)" in text
    assert "A model file of the student alone ('skdistill fit --student-only')" in text
